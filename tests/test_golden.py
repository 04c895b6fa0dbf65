"""Every golden question is answered exactly as recorded in ``tests/golden/answers.jsonl``.

A change of behaviour fails here until the answers are re-recorded (``python tests/golden/record.py``);
the commit that re-records them lists what changed and why.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.render import answer_json

GOLDEN = Path(__file__).resolve().parent / "golden"


def _recorded() -> list[dict[str, object]]:
    return [json.loads(line) for line in (GOLDEN / "answers.jsonl").read_text(encoding="utf-8").splitlines()]


def test_golden_answers_unchanged(engine: Engine) -> None:
    changed = []
    for want in _recorded():
        got = json.loads(json.dumps(answer_json(engine.ask(str(want["question"]))), sort_keys=True))
        if got != want:
            keys = [k for k in want if want[k] != got.get(k)]
            changed.append(f"{want['question']!r}: {', '.join(keys)}")
    if changed:
        pytest.fail(f"{len(changed)} golden answers changed:\n" + "\n".join(changed[:60]))
