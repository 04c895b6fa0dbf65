"""The query log shared by several processes: rows written, rows lost, warnings, and what waiting costs.

Scenarios (each on a fresh database in a temporary folder):

1. ``ask``: P ``gpubot ask --json -`` processes asking N questions each at once (the issue's acceptance
   item: P=2, N=1000 -> 2,000 rows, no warning in any answer).
2. ``one-shot``: P processes writing N rows each, every row in its own open-write-close (the way a shell
   loop of ``gpubot ask`` calls writes); prints the median and p99 time of one open-write-close.
3. ``lock``: another process holds the write lock for 5 s while one store writes N rows; prints how long
   the close waited and whether anything was dropped.

Run: python benchmarks/bench_shared_log.py [--processes 2] [--questions 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
QUESTIONS = ["a4000 vs a6000", "a6k bandwidth?", "best card for training under $2000", "what is nvlink", "t4 vram"]

ONE_SHOT = """
import json, sys, time
from pathlib import Path
from bot.logstore import LogEntry, LogStore
times = []
for i in range(int(sys.argv[2])):
    start = time.perf_counter()
    store = LogStore(Path(sys.argv[1]))
    store.submit(LogEntry(f"{sys.argv[3]} {i}", "lookup"))
    store.close()
    times.append(time.perf_counter() - start)
print(json.dumps({"times": times, "dropped": store.dropped}))
"""

HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def _env(db: Path) -> dict[str, str]:
    env = {**os.environ, "GPUBOT_DB": str(db), "PYTHONPATH": str(ROOT)}
    env.pop("GPUBOT_LOG_LEVEL", None)
    return env


def _rows(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM queries").fetchone()[0])


def bench_ask(tmp: Path, processes: int, n: int) -> None:
    db = tmp / "ask.sqlite3"
    lines = tmp / "questions.txt"
    lines.write_text("".join(f"{QUESTIONS[i % len(QUESTIONS)]}\n" for i in range(n)), encoding="utf-8")
    start = time.perf_counter()
    procs = []
    for _ in range(processes):
        with lines.open(encoding="utf-8") as stdin:
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "bot", "ask", "--json", "-"],
                    stdin=stdin,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    cwd=tmp,
                    env=_env(db),
                )
            )
    outs = [p.communicate() for p in procs]
    wall = time.perf_counter() - start
    answers = [json.loads(line) for out, _ in outs for line in out.splitlines()]
    warned = sum("WARNING" in a["text"] for a in answers)
    stderr_lines = sum(len(err.splitlines()) for _, err in outs)
    print(
        f"ask:      {processes} processes x {n} questions: {_rows(db)} rows (expected {processes * n}), "
        f"{len(answers)} answers, {warned} answers with a warning, {stderr_lines} stderr lines, {wall:.1f} s"
    )


def bench_one_shot(tmp: Path, processes: int, n: int) -> None:
    db = tmp / "oneshot.sqlite3"
    start = time.perf_counter()
    procs = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", ONE_SHOT, str(db), str(n), f"p{k}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp,
            env=_env(db),
        )
        for k in range(processes)
    ]
    results = [json.loads(p.communicate()[0]) for p in procs]
    wall = time.perf_counter() - start
    times = sorted(t * 1000 for r in results for t in r["times"])
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(
        f"one-shot: {processes} processes x {n} open-write-close: {_rows(db)} rows (expected {processes * n}), "
        f"dropped {sum(r['dropped'] for r in results)}; per row median {statistics.median(times):.2f} ms, "
        f"p99 {p99:.2f} ms, max {times[-1]:.1f} ms; {wall:.1f} s"
    )


def bench_lock(tmp: Path, n: int, hold_s: float = 5.0) -> None:
    sys.path.insert(0, str(ROOT))
    from bot.logstore import LogEntry, LogStore

    db = tmp / "lock.sqlite3"
    LogStore.open(db).close()
    holder = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", HOLD_LOCK, str(db), str(hold_s)], stdout=subprocess.PIPE, text=True
    )
    if holder.stdout is None or holder.stdout.readline().strip() != "locked":
        raise SystemExit("the lock holder did not start")
    store = LogStore(db)
    start = time.perf_counter()
    for i in range(n):
        store.submit(LogEntry(f"q{i}", "lookup"))
    first = store.flush()
    store.close()
    waited = time.perf_counter() - start
    holder.wait()
    print(
        f"lock:     {n} rows during a {hold_s:.0f} s lock by another process: {_rows(db)} rows written, "
        f"dropped {store.dropped}, first attempt {'wrote' if first else 'kept them'}, close waited {waited:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--questions", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-shared-log-") as tmp:
        bench_ask(Path(tmp), args.processes, args.questions)
        bench_one_shot(Path(tmp), args.processes, args.questions)
        bench_lock(Path(tmp), args.questions)


if __name__ == "__main__":
    main()
