"""Golden answers: record what the engine answers today, so every change of behaviour is seen.

    python tests/golden/record.py --collect   # questions the test suite asks (+ benchmarks, corpus)
    python tests/golden/record.py             # re-record answers.jsonl for questions.txt

``tests/test_golden.py`` compares the engine's answers with ``answers.jsonl``; a change of
behaviour makes it fail until the answers are re-recorded, and the commit says what changed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
QUESTIONS = HERE / "questions.txt"
ANSWERS = HERE / "answers.jsonl"
IGNORED = ("--ignore=tests/test_golden.py", "--ignore=tests/test_robustness.py")  # itself; random inputs

_PLUGIN = """
import os
from bot.engine import Engine

_ask = Engine.ask
def _recording_ask(self, question):
    with open(os.environ["GOLDEN_OUT"], "a", encoding="utf-8") as out:
        out.write(question.replace("\\n", " ") + "\\n")
    return _ask(self, question)

Engine.ask = _recording_ask
"""


def collect() -> list[str]:
    """Every question the test suite passes to ``Engine.ask``, plus the benchmark and corpus questions."""
    with tempfile.TemporaryDirectory() as tmp:
        plugin = Path(tmp) / "golden_plugin.py"
        plugin.write_text(_PLUGIN, encoding="utf-8")
        out = Path(tmp) / "asked.txt"
        out.touch()
        env = {**os.environ, "GOLDEN_OUT": str(out), "PYTHONPATH": tmp}
        subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "golden_plugin", "-x", *IGNORED],
            cwd=ROOT,
            env=env,
            check=False,
            stdout=subprocess.DEVNULL,
        )
        asked = out.read_text(encoding="utf-8").splitlines()
    asked += (ROOT / "benchmarks" / "questions.txt").read_text(encoding="utf-8").splitlines()
    corpus = ROOT / "tests" / "corpus" / "understanding.yaml"
    if corpus.exists():
        import yaml

        asked += [entry["q"] for entry in yaml.safe_load(corpus.read_text(encoding="utf-8"))["questions"]]
    seen = dict.fromkeys(q for q in asked if q.strip() and q.isprintable() and len(q) <= 300)
    return list(seen)


def record(questions: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    from bot.engine import Engine
    from bot.render import answer_json

    engine = Engine.from_specs(str(ROOT / "specs"))
    with ANSWERS.open("w", encoding="utf-8") as fh:
        for q in questions:
            fh.write(json.dumps(answer_json(engine.ask(q)), ensure_ascii=False, sort_keys=True) + "\n")


def diff() -> list[str]:
    """What the engine answers differently from the recorded answers: one line per changed question."""
    sys.path.insert(0, str(ROOT))
    from bot.engine import Engine
    from bot.render import answer_json

    engine = Engine.from_specs(str(ROOT / "specs"))
    lines = []
    for line in ANSWERS.read_text(encoding="utf-8").splitlines():
        want = json.loads(line)
        got = json.loads(json.dumps(answer_json(engine.ask(want["question"])), sort_keys=True))
        if got == want:
            continue
        change = [
            f"{k} {want[k]}->{got[k]}" for k in ("intent", "gpus", "choices", "recommendation") if want[k] != got[k]
        ]
        if (want["fit"] or {}).get("model") != (got["fit"] or {}).get("model"):
            change.append(f"model {(want['fit'] or {}).get('model')}->{(got['fit'] or {}).get('model')}")
        lines.append(f"{want['question'][:90]!r}: {'; '.join(change) or 'text'}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--collect", action="store_true", help="collect the questions again before recording")
    parser.add_argument("--diff", action="store_true", help="list what changed against the recording; record nothing")
    args = parser.parse_args()
    if args.diff:
        changed = diff()
        print("\n".join(changed) + f"\n{len(changed)} answers changed")
        return
    if args.collect:
        known = QUESTIONS.read_text(encoding="utf-8").splitlines() if QUESTIONS.exists() else []
        questions = sorted(set(collect()) | {q for q in known if q.strip()})
        QUESTIONS.write_text("\n".join(questions) + "\n", encoding="utf-8")
    questions = [q for q in QUESTIONS.read_text(encoding="utf-8").splitlines() if q.strip()]
    record(questions)
    print(f"{len(questions)} golden answers in {ANSWERS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
