"""Discord faults, measured: the real `gpubot run` against the fake Discord server with faults injected.

    python benchmarks/bench_faults.py

Prints, per fault, what reached "Discord" and what the query log says: answers delivered, sent twice,
rows that are not true, log lines. Runs the bot as a subprocess, so it measures any checkout whose
tests/fake_discord.py has the fault hooks (tests/fake_faults.py).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fake_burst import burst_questions, logged_rows, outcome, send_burst  # noqa: E402
from tests.fake_discord import FakeDiscord, Recorded, running_fake  # noqa: E402
from tests.fake_faults import ChannelRateLimit, FailNext, is_message_create  # noqa: E402

NOISE = "voice will NOT be supported"


def _ref(rec: Recorded) -> str:
    return str((rec.json.get("message_reference") or {}).get("message_id"))


async def _start(fake: FakeDiscord, tmp: Path, **env: str) -> asyncio.subprocess.Process:
    environ = {
        **os.environ,
        "DISCORD_TOKEN": FakeDiscord.TOKEN,
        "DISCORD_API_BASE": fake.api_base,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "GPUBOT_DB": str(tmp / "queries.sqlite3"),
        "GPUBOT_LOG_LEVEL": "WARNING",
        "GPUBOT_COOLDOWN_RATE": "100000",
        **env,
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp, env=environ, stderr=asyncio.subprocess.PIPE
    )
    await fake.wait_ready(timeout=30)
    await asyncio.sleep(0.5)
    return proc


async def _stop(proc: asyncio.subprocess.Process) -> tuple[float, list[str]]:
    start = time.perf_counter()
    proc.send_signal(signal.SIGTERM)
    _, err = await asyncio.wait_for(proc.communicate(), 60)
    lines = [line for line in err.decode().splitlines() if NOISE not in line]
    return time.perf_counter() - start, lines


def _rows(tmp: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(tmp / "queries.sqlite3") as conn:
        return conn.execute("SELECT question, intent, answered, summary FROM queries ORDER BY id").fetchall()


def _report(name: str, asked: dict[str, str], fake: FakeDiscord, tmp: Path, lines: list[str], extra: str = "") -> None:
    # What Discord holds (a message written before a lost reply counts), by the question it answers.
    replies = [
        str(m["message_reference"]["message_id"])
        for m in fake.messages.values()
        if int(m["author"]["id"]) == FakeDiscord.BOT_USER_ID
        and str((m.get("message_reference") or {}).get("message_id")) in asked
    ]
    delivered = {asked[i] for i in replies}
    rows = _rows(tmp)
    answered_rows = {q for q, _, a, _ in rows if a}
    false_rows = len(answered_rows - delivered) + len({q for q, _, a, _ in rows if not a} & delivered)
    logged = {q for q, *_ in rows}
    print(f"{name}:")
    print(
        f"  questions {len(asked)}, answered {len(set(replies))}, answers sent twice {len(replies) - len(set(replies))}"
    )
    print(
        f"  rows {len(rows)}, questions without a row {len(set(asked.values()) - logged)}, rows not true {false_rows}"
    )
    tracebacks = sum(1 for line in lines if line.startswith("Traceback"))
    print(f"  log lines {len(lines)} ({tracebacks} tracebacks){extra}")


async def sigterm_backlog() -> None:
    tmp = Path(tempfile.mkdtemp())
    async with running_fake() as fake:
        fake.rest_hooks.append(ChannelRateLimit(limit=20, per=1.0))
        proc = await _start(fake, tmp, GPUBOT_DRAIN_SECONDS="2")
        asked = {}
        for i in range(400):
            asked[str(await fake.message(f"a6k vram? (question {i + 1})", mentions_bot=True))] = (
                f"a6k vram? (question {i + 1})"
            )
        await fake.wait_for(lambda _r: sum(1 for r in fake.requests if is_message_create(r) and r.ok) >= 100, 60)
        took, lines = await _stop(proc)
        _report("SIGTERM with 400 queued, after 100 answers", asked, fake, tmp, lines, f"; exit {took:.2f} s")


async def cooldown_spam() -> None:
    tmp = Path(tempfile.mkdtemp())
    async with running_fake() as fake:
        fake.rest_hooks.append(ChannelRateLimit(limit=5, per=5.0))
        proc = await _start(fake, tmp, GPUBOT_COOLDOWN_RATE="2", GPUBOT_COOLDOWN_SECONDS="60")
        for i in range(30):
            await fake.message(f"a6k vram? ({i + 1} of 30)", mentions_bot=True)
        start = time.perf_counter()
        other = str(await fake.message("a4000 vram?", mentions_bot=True, author_id=FakeDiscord.ADMIN_ID))
        await fake.wait_for(lambda r: is_message_create(r) and r.ok and _ref(r) == other, 60)
        waited = time.perf_counter() - start
        notices = sum(
            1 for r in fake.requests if is_message_create(r) and "Easy there" in (r.json.get("content") or "")
        )
        _, lines = await _stop(proc)
    print("cooldown: 30 messages from one user (2 per 60 s allowed), channel limit 5 per 5 s:")
    print(f"  notices {notices}; another user's answer after {waited:.2f} s; log lines {len(lines)}")


async def send_503(applied: bool) -> None:
    tmp = Path(tempfile.mkdtemp())
    async with running_fake() as fake:
        fake.rest_hooks.append(FailNext(count=1, status=503, applied=applied))
        proc = await _start(fake, tmp)
        asked = {str(await fake.message("a6k bandwidth?", mentions_bot=True)): "a6k bandwidth?"}
        await asyncio.sleep(3)
        _, lines = await _stop(proc)
        when = "after" if applied else "before"
        _report(f"one 503 on message create ({when} Discord wrote it)", asked, fake, tmp, lines)


async def gateway_outage() -> None:
    tmp = Path(tempfile.mkdtemp())
    async with running_fake() as fake:
        if not hasattr(fake, "start_outage"):
            print("gateway outage: this checkout's fake has no outage")
            return
        proc = await _start(fake, tmp)
        asked = {}
        for i in range(10):
            question = f"t4 vram? ({i + 1})"
            asked[str(await fake.message(question, mentions_bot=True))] = question
            if i == 2:
                await fake.start_outage()
        await asyncio.sleep(8)
        fake.end_outage()
        deadline = time.perf_counter() + 30
        while time.perf_counter() < deadline and len({_ref(r) for r in fake.requests if is_message_create(r)}) < 10:
            await asyncio.sleep(0.2)
        _, lines = await _stop(proc)
        extra = f"; identifies {len(fake.identify_payloads)}, resumes {len(fake.resume_payloads)}"
        _report("gateway outage of 8 s (3 questions before, 7 during)", asked, fake, tmp, lines, extra)


async def slash_burst(n: int = 1000) -> None:
    """``n`` slash commands at once; Discord's 3 s acknowledgement window enforced by the fake."""
    tmp = Path(tempfile.mkdtemp())
    from bot.engine import Engine

    names = [g.short_name for g in Engine.from_specs().catalog]
    async with running_fake(interaction_timeout=3.0) as fake:
        proc = await _start(fake, tmp)
        start = time.perf_counter()
        sent = await send_burst(fake, burst_questions(names, n))
        dispatched = time.perf_counter() - start
        deadline = time.perf_counter() + 120
        while time.perf_counter() < deadline and logged_rows(tmp / "queries.sqlite3") < n:
            await asyncio.sleep(0.5)  # every question logged: answered, or not and why
        took = time.perf_counter() - start
        _, lines = await _stop(proc)
        result = outcome(fake, sent, tmp / "queries.sqlite3")
    tracebacks = sum(1 for line in lines if line.startswith("Traceback"))
    print(f"burst of {n} slash commands at once (dispatched in {dispatched:.2f} s, all logged after {took:.1f} s):")
    print(f"  {result.summary()}")
    print(f"  log lines {len(lines)} ({tracebacks} tracebacks)")


async def main() -> None:
    for scenario in (
        send_503(False),
        send_503(True),
        cooldown_spam(),
        sigterm_backlog(),
        gateway_outage(),
        slash_burst(1000),
        slash_burst(2000),
    ):
        await scenario


if __name__ == "__main__":
    if sys.argv[1:2] == ["--burst"]:  # only the burst: --burst [N]
        asyncio.run(slash_burst(int(sys.argv[2]) if len(sys.argv) > 2 else 1000))
    else:
        asyncio.run(main())
