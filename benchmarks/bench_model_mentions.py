"""How the engine reads model names as people write them: the labelled corpus tests/corpus/model_mentions.yaml
(160 mentions from public issues and pages). Prints the pass rate, the wrong-model readings (the reading or the fit
answer's model names a catalog model the mention does not mean) and, with --misses, every disagreement.

Run: python benchmarks/bench_model_mentions.py [--misses] [--holdout] (--holdout: the 23 mentions of
tests/corpus/model_mentions_holdout.yaml, labelled after the reading rules were written). A measurement, not a test
(tests/test_models_corpus.py holds the floor).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.engine import Engine
from tests.corpus.model_grade import CORPUS, HOLDOUT, NOT_IN_CATALOG, accepted, grade, load_mentions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every mention not read as labelled")
    parser.add_argument("--holdout", action="store_true", help="the held-out mentions, labelled after the rules")
    args = parser.parse_args()
    graded = grade(Engine.from_specs(), load_mentions(HOLDOUT if args.holdout else CORPUS))
    kinds = Counter("not in catalog" if NOT_IN_CATALOG in accepted(g.entry) else "model" for g in graded if g.entry)
    passed = sum(g.passed for g in graded)
    wrong = [g for g in graded if g.wrong]
    print(f"mentions: {len(graded)} ({kinds['model']} naming a catalog model, {kinds['not in catalog']} not in it)")
    print(f"read as labelled: {passed}/{len(graded)} ({passed / len(graded):.1%})")
    print(f"wrong-model readings: {len(wrong)}")
    for g in wrong if not args.misses else [g for g in graded if not g.passed]:
        print(f"  {'WRONG' if g.wrong else 'miss '} {g.entry['text'][:80]!r}: want {accepted(g.entry)}, read {g.read}")


if __name__ == "__main__":
    main()
