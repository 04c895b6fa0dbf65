"""How well GPU Advisor understands the labelled corpus: the pass rate per class, and every miss.

python benchmarks/bench_understanding.py            # the table
python benchmarks/bench_understanding.py --misses   # and each miss with its reasons
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine import Engine  # noqa: E402
from tests.corpus.grade import grade_all, load_corpus, rates  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--misses", action="store_true", help="list every miss with its reasons")
    parser.add_argument("--class", dest="only", help="only this class")
    args = parser.parse_args()
    engine = Engine.from_specs(str(ROOT / "specs"))
    entries = [e for e in load_corpus() if not args.only or e["class"] == args.only]
    start = time.perf_counter()
    graded = grade_all(engine, entries)
    elapsed = time.perf_counter() - start
    sourced = sum(1 for e in entries if e.get("source"))
    print(f"Understanding corpus: {len(entries)} questions ({sourced} from public threads), {elapsed:.2f} s")
    print(f"{'class':<14} {'passed':>7} {'total':>6} {'rate':>7}")
    for cls, (ok, n) in rates(graded).items():
        print(f"{cls:<14} {ok:>7} {n:>6} {ok / n:>7.1%}")
    wrong = [g for g in graded if g.wrong_gpu]
    print(f"answers naming a GPU the question did not mean: {len(wrong)}")
    if args.misses:
        for g in graded:
            if not g.passed:
                print(f"\n[{g.entry['class']}] {g.entry['q'][:160]!r}\n   -> " + "; ".join(g.problems))


if __name__ == "__main__":
    main()
