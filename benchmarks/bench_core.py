"""Core speed: catalog load, engine build, and per-intent answer latency over a question corpus.

Run: python benchmarks/bench_core.py [--corpus | --discord N] [--rounds N] [--repeat N] [--cpu] [--specs DIR]
Prints a table of figures; the README quotes them. A measurement, not a test: nothing here fails.
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import sys
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bot.catalog import load_catalog  # noqa: E402
from bot.engine import Engine  # noqa: E402


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=200, help="times each question is answered")
    ap.add_argument("--loads", type=int, default=20, help="times the catalog is loaded")
    ap.add_argument("--specs", default=None)
    ap.add_argument("--questions", default=str(HERE / "questions.txt"), help="one question per line")
    ap.add_argument(
        "--corpus", action="store_true", help="the understanding corpus (tests/corpus/understanding.yaml) instead"
    )
    ap.add_argument(
        "--discord",
        type=int,
        default=0,
        metavar="N",
        help="N questions of the Discord CPU benchmark (benchmarks/bench_discord_cpu.py: its templates filled with "
        "catalog names) instead",
    )
    ap.add_argument(
        "--cpu",
        action="store_true",
        help="time each answer in CPU time of this process (time.process_time): a busy machine's waits left out",
    )
    ap.add_argument("--repeat", type=int, default=1, help="measure this many times; each run's figures are printed")
    args = ap.parse_args()

    t0 = time.perf_counter()
    import os
    import tempfile

    import bot.engine  # noqa: F401  (already imported; kept for symmetry)

    def loads(cache: str) -> list[float]:
        os.environ["GPUBOT_CACHE"] = cache
        times = []
        for _ in range(args.loads):
            start = time.perf_counter()
            load_catalog(args.specs)
            times.append((time.perf_counter() - start) * 1000)
        return times

    saved = os.environ.get("GPUBOT_CACHE")
    cold_times = loads("0")  # YAML parsed every time
    with tempfile.TemporaryDirectory() as cache:
        os.environ["GPUBOT_CACHE"] = cache
        load_catalog(args.specs)  # fill the cache
        load_times = loads(cache)
    if saved is None:
        os.environ.pop("GPUBOT_CACHE", None)
    else:
        os.environ["GPUBOT_CACHE"] = saved
    catalog = load_catalog(args.specs)
    start = time.perf_counter()
    engine = Engine(catalog)
    build_ms = (time.perf_counter() - start) * 1000
    del t0

    tracemalloc.start()
    engine2 = Engine(load_catalog(args.specs))
    mem_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del engine2

    if args.discord:
        from benchmarks.bench_discord_cpu import questions as discord_questions  # imports discord: only here

        questions = discord_questions(args.discord)
    elif args.corpus:
        import yaml

        corpus = HERE.parent / "tests" / "corpus" / "understanding.yaml"
        questions = [str(e["q"]) for e in yaml.safe_load(corpus.read_text(encoding="utf-8"))["questions"]]
    else:
        questions = [q for q in Path(args.questions).read_text(encoding="utf-8").splitlines() if q.strip()]
    for q in questions:  # warm-up
        engine.ask(q)
    clock = time.process_time if args.cpu else time.perf_counter
    by_intent: dict[str, list[float]] = defaultdict(list)
    all_times: list[float] = []
    runs: list[list[float]] = []
    for _ in range(max(1, args.repeat)):
        run = _timed(engine, questions, args.rounds, clock, by_intent)
        runs.append(run)
        all_times += run
    total_s = sum(all_times) / 1000

    print(
        f"GPU Advisor core benchmark — Python {platform.python_version()} on {platform.machine()}, "
        f"{len(catalog)} GPUs, {len(questions)} questions x {args.rounds} rounds"
    )
    print(f"catalog load, YAML parsed:        median {statistics.median(cold_times):.1f} ms over {args.loads} loads")
    print(f"catalog load, parse cache warm:   median {statistics.median(load_times):.1f} ms (validation only)")
    print(f"engine build (indexes, models):   {build_ms:.1f} ms")
    print(f"catalog + engine memory:          {mem_bytes / 1e6:.2f} MB (tracemalloc)")
    print(f"throughput:                       {len(all_times) / total_s:,.0f} answers/s on one core")
    print()
    print(f"{'intent':<10} {'answers':>8} {'median ms':>10} {'p99 ms':>8} {'max ms':>8} {'mean ms':>8}")
    for intent in sorted(by_intent):
        times = by_intent[intent]
        print(
            f"{intent:<10} {len(times):>8} {statistics.median(times):>10.3f} {_percentile(times, 99):>8.3f} "
            f"{max(times):>8.3f} {statistics.fmean(times):>8.3f}"
        )
    print(
        f"{'all':<10} {len(all_times):>8} {statistics.median(all_times):>10.3f} "
        f"{_percentile(all_times, 99):>8.3f} {max(all_times):>8.3f} {statistics.fmean(all_times):>8.3f}"
    )
    clock_name = "CPU time (process_time)" if args.cpu else "wall time (perf_counter)"
    print(f"timed in {clock_name}; the mean is the cost per answer")
    if len(runs) > 1:
        medians = [statistics.median(r) for r in runs]
        p99s = [_percentile(r, 99) for r in runs]
        for k, (med, p99) in enumerate(zip(medians, p99s, strict=True), start=1):
            print(f"run {k:<6} {len(runs[k - 1]):>8} {med:>10.3f} {p99:>8.3f}")
        print(
            f"across {len(runs)} runs: median {min(medians):.3f}-{max(medians):.3f} ms, "
            f"p99 {min(p99s):.3f}-{max(p99s):.3f} ms"
        )


def _timed(
    engine: Engine,
    questions: list[str],
    rounds: int,
    clock: Callable[[], float],
    by_intent: dict[str, list[float]],
) -> list[float]:
    """Each answer's time in ms over ``rounds`` passes of ``questions`` (garbage collection off while timing)."""
    times: list[float] = []
    gc.disable()
    try:
        for _ in range(rounds):
            for q in questions:
                start = clock()
                answer = engine.ask(q)
                ms = (clock() - start) * 1000
                by_intent[answer.intent].append(ms)
                times.append(ms)
    finally:
        gc.enable()
    return times


if __name__ == "__main__":
    main()
