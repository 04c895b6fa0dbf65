"""The query log's faults end to end: the real bot (``gpubot run`` as a subprocess, or GpuBot in-process)
through the project's fake Discord server, with the database shared, locked or full.

Asserted: every question answered, every question logged exactly once, at most one log line per fault.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.client import GpuBot
from bot.config import Settings
from bot.engine import Engine
from bot.logstore import LogEntry, LogStore
from bot.storage import QueryLog
from tests.fake_discord import FakeDiscord, running_bot, running_fake
from tests.test_shared_log import HOLD_LOCK, Disk

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "a6k bandwidth? (ticket {})"  # the ticket makes each question unique, and names no GPU


async def _gpubot_run(tmp_path: Path, fake: FakeDiscord, db: Path) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "DISCORD_TOKEN": FakeDiscord.TOKEN,
        "DISCORD_API_BASE": fake.api_base,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "GPUBOT_DB": str(db),
        "GPUBOT_COOLDOWN_RATE": "100000",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("GPUBOT_LOG_LEVEL", None)  # warnings and errors only: each is a line to count
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    await fake.wait_ready(timeout=30)
    await asyncio.sleep(0.5)  # guild_ready_timeout in the real bot
    return proc


async def _ask_many(fake: FakeDiscord, tag: str, n: int) -> None:
    """Post ``n`` questions at once and wait until each has its reply."""
    before = len(fake.sent_messages())
    for i in range(n):
        await fake.message(QUESTION.format(f"{tag} {i:03d}"), mentions_bot=True)
    for _ in range(600):
        if len(fake.sent_messages()) - before >= n:
            break
        await asyncio.sleep(0.05)
    answers = fake.sent_messages()[before:]
    assert len(answers) == n
    assert all("768 GB/s" in str(a.get("embeds")) for a in answers)


async def _stop(proc: asyncio.subprocess.Process) -> str:
    proc.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, stderr.decode()
    return stderr.decode()


def _questions(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT question FROM queries WHERE source = 'discord' ORDER BY id")]


async def test_two_bot_processes_one_database_lose_nothing(tmp_path: Path) -> None:
    """A sharded deployment: one process per shard range (here each with its own fake gateway), one log."""
    db = tmp_path / "shared.sqlite3"
    async with running_fake() as one, running_fake() as two:
        procs = [await _gpubot_run(tmp_path, fake, db) for fake in (one, two)]
        try:
            await asyncio.gather(_ask_many(one, "one", 150), _ask_many(two, "two", 150))
        finally:
            errors = [await _stop(proc) for proc in procs]
    assert not any("bot.storage" in e for e in errors), errors
    logged = _questions(db)
    assert len(logged) == len(set(logged)) == 300
    assert set(logged) == {QUESTION.format(f"{t} {i:03d}") for t in ("one", "two") for i in range(150)}


async def test_bot_answers_through_a_5s_lock_and_logs_every_question(tmp_path: Path) -> None:
    """Another process locks the log for 5 s; questions during the lock are answered at once, logged when it
    ends; SIGTERM during the lock waits for it instead of dropping the queue."""
    db = tmp_path / "queries.sqlite3"
    async with running_fake() as fake:
        proc = await _gpubot_run(tmp_path, fake, db)
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLD_LOCK, str(db), "5"], stdout=subprocess.PIPE, text=True, cwd=tmp_path
        )
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
            await _ask_many(fake, "during", 60)
            assert holder.poll() is None, "the lock ended before the questions were answered"
        finally:
            stderr = await _stop(proc)
            holder.kill()
            holder.wait()
    assert sum("bot.storage" in line for line in stderr.splitlines()) <= 1, stderr
    logged = _questions(db)
    assert sorted(logged) == sorted(QUESTION.format(f"during {i:03d}") for i in range(60))


def _pending_questions(qlog: QueryLog) -> int:
    """Question rows waiting in the queue (each answer's button state waits there too)."""
    return sum(isinstance(entry, LogEntry) for entry in list(qlog.store._pending))


async def test_bot_on_a_full_disk_answers_and_logs_once_space_returns(
    tmp_path: Path, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    db, disk = tmp_path / "queries.sqlite3", Disk()
    qlog = QueryLog.started(LogStore.open(db, connector=disk.connector))
    async with running_fake() as fake:
        settings = Settings(
            db_path=db,
            discord_token=FakeDiscord.TOKEN,
            api_base=fake.api_base,
            gateway_url=fake.gateway_url,
            cooldown_rate=100000,
        )
        bot = GpuBot(settings=settings, engine=engine, query_log=qlog, guild_ready_timeout=0.05)
        async with running_bot(fake, bot):
            disk.fill()
            await _ask_many(fake, "full", 30)
            for _ in range(200):  # each row is submitted once its answer is sent (bot.discord_delivery)
                await qlog.flush()
                if _pending_questions(qlog) + len(_questions(db)) >= 30:
                    break
                await asyncio.sleep(0.025)
            # rows submitted one by one may fill the last free space of the file's pages; the rest wait in the queue
            assert _pending_questions(qlog) > 0 and _pending_questions(qlog) + len(_questions(db)) == 30
            disk.free()
            await qlog.flush()
            assert qlog.pending == 0 and len(_questions(db)) == 30
    assert qlog.dropped == 0
    faults = [r.getMessage() for r in caplog.records if r.name == "bot.storage" and r.levelno >= 30]
    assert len(faults) == 1 and "full" in faults[0], faults
