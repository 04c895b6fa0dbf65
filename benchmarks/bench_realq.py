"""The real-question samples: label pass rate per class (as bench_understanding), and the answers to read.

python benchmarks/bench_realq.py                 # working sample (tests/corpus/realq_sample.yaml)
python benchmarks/bench_realq.py --holdout       # the held-out 40 (realq_holdout.yaml): start and end only
python benchmarks/bench_realq.py --sample 3      # the third sample (realq_sample3.yaml, 60 questions)
python benchmarks/bench_realq.py --misses        # each label miss with its reasons
python benchmarks/bench_realq.py --answers       # every question with the start of its answer (to grade by hand)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine import Engine  # noqa: E402
from tests.corpus.grade import grade_all, load_corpus, rates  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--holdout", action="store_true", help="the held-out 40 instead of the working sample")
    parser.add_argument("--sample", type=int, choices=(1, 3), default=1, help="which working sample (1 or 3)")
    parser.add_argument("--misses", action="store_true", help="list every label miss with its reasons")
    parser.add_argument("--answers", action="store_true", help="print each answer's first lines")
    args = parser.parse_args()
    sample = "realq_sample.yaml" if args.sample == 1 else f"realq_sample{args.sample}.yaml"
    path = CORPUS / ("realq_holdout.yaml" if args.holdout else sample)
    engine = Engine.from_specs(str(ROOT / "specs"))
    graded = grade_all(engine, load_corpus(path))
    print(f"{path.name}: {len(graded)} questions")
    print(f"{'class':<14} {'passed':>7} {'total':>6} {'rate':>7}")
    for cls, (ok, n) in rates(graded).items():
        print(f"{cls:<14} {ok:>7} {n:>6} {ok / n:>7.1%}")
    print(f"answers naming a GPU the question did not mean: {sum(g.wrong_gpu for g in graded)}")
    for n, g in enumerate(graded, 1):
        if args.misses and not g.passed:
            print(f"\n{n}. [{g.entry['class']}] {g.entry['q'][:160]!r}\n   -> " + "; ".join(g.problems))
        if args.answers:
            a = g.answer
            head = " | ".join(str(a["text"]).splitlines()[:4])[:420]
            print(f"\n{n}. {g.entry['q']}\n   [{a['intent']} {a['gpus']}] {head}")


if __name__ == "__main__":
    main()
