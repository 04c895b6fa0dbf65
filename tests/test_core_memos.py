"""What the core remembers between answers (bounded memos keyed by cards, fields and words) never changes an answer:
the same questions asked in another order, and asked again, get exactly the answers the golden file records and
the answers a fresh engine gives."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.handlers import context
from bot.render import answer_json

HERE = Path(__file__).resolve().parent
TEMPLATES = (
    "{a} vs {b}",
    "compare {a} and {b} tdp",
    "{a} or {b} for training?",
    "{a}, {b} memory bandwidth",
    "which draws less power, {a} or {b}?",
    "{a} specs",
    "{a} vram",
)


def _json(engine: Engine, question: str) -> str:
    return json.dumps(answer_json(engine.ask(question)), sort_keys=True, ensure_ascii=False)


def test_golden_questions_in_reverse_and_twice_answer_as_recorded() -> None:
    lines = (HERE / "golden" / "answers.jsonl").read_text(encoding="utf-8").splitlines()
    recorded = [json.loads(line) for line in lines]
    engine = Engine.from_specs()
    changed = []
    for _ in range(2):
        for want in reversed(recorded):
            got = json.loads(_json(engine, str(want["question"])))
            if got != want:
                changed.append(str(want["question"]))
    assert not changed, f"{len(changed)} answers differ when asked in another order or again: {changed[:20]}"


def test_catalog_pairs_answer_the_same_whatever_was_asked_before() -> None:
    """Every template over pairs spread across the whole catalog (each card in several pairs, each pair in both
    orders): an engine that has answered the others first answers as one that answers it first."""
    first, other = Engine.from_specs(), Engine.from_specs()
    names = [g.short_name for g in first.catalog]
    questions = [t.format(a=names[i], b=names[(i * 7 + 3) % len(names)]) for i in range(len(names)) for t in TEMPLATES]
    questions += [f"{b} vs {a}" for a, b in itertools.pairwise(names)]
    want = {q: _json(first, q) for q in questions}
    for q in reversed(questions):  # warm: every memo filled by the others
        other.ask(q)
    differ = [q for q in questions if _json(other, q) != want[q]]
    assert not differ, differ[:20]


def test_what_is_remembered_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counts are free numbers and pairs are many: the stores start afresh when full, and answer as before."""
    monkeypatch.setattr(context, "_TEXTS_LIMIT", 40)
    monkeypatch.setattr(context, "_MEMO_LIMIT", 30)
    monkeypatch.setattr(context, "_CARDS_LIMIT", 20)
    engine, fresh = Engine.from_specs(), Engine.from_specs()
    names = [g.short_name for g in engine.catalog]
    questions = [f"{n}x {names[n % len(names)]} vs {names[(n * 3) % len(names)]}" for n in range(2, 90)]
    questions += [f"{a} vs {b}" for a, b in itertools.pairwise(names)]
    ctx = engine.composer.context
    for q in questions:
        assert _json(engine, q) == _json(fresh, q), q
        assert len(ctx.texts) <= 40 and len(ctx.memo) <= 30 and len(ctx.cards) <= 20, q
