"""Faults injected into the fake Discord server (tests/fake_faults.py), against the real bot.

Each test asserts what issue 12 asks of every fault: no question that could be answered is lost, no
answer is sent twice, every query-log row says what really happened, and a fault costs at most one
log line.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

import bot.discord_delivery
from bot.client import GpuBot
from bot.engine import Engine
from bot.storage import QueryLog
from tests.fake_discord import FakeDiscord, Recorded, running_bot, running_fake
from tests.fake_faults import ChannelRateLimit, FailNext, is_callback, is_message_create
from tests.test_discord_e2e import LONG_TEXT, Harness, _gpubot_run, _settings, long_text_answers

EPHEMERAL = 64


@pytest.fixture(autouse=True)
def _quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same retries, with short waits (production waits 0.5, 1 and 2 s)."""
    monkeypatch.setattr(bot.discord_delivery, "RETRY_DELAYS", (0.02, 0.04, 0.08))


@pytest.fixture
async def harness(tmp_path: Path, engine: Engine) -> AsyncIterator[Harness]:
    async with running_fake() as fake:
        settings = _settings(tmp_path, fake)
        qlog = await QueryLog.open(settings.database)
        gpubot = GpuBot(settings=settings, engine=engine, query_log=qlog, guild_ready_timeout=0.05)
        async with running_bot(fake, gpubot):
            await gpubot.tree.sync()
            yield Harness(fake, gpubot)


def _replies_to(fake: FakeDiscord, message_id: int) -> list[Recorded]:
    """Distinct messages the bot created in reply to ``message_id`` (a nonce replay is the same message)."""
    seen: dict[str, Recorded] = {}
    for r in fake.requests:
        if is_message_create(r) and r.ok and _reference(r) == message_id:
            seen.setdefault(r.response["id"], r)
    return list(seen.values())


def _reference(rec: Recorded) -> str:
    return str((rec.json.get("message_reference") or {}).get("message_id"))


def _full_rows(path: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT user_id, question, intent, answered, summary, gpus FROM queries ORDER BY id"
        ).fetchall()


STARTUP_NOISE = "voice will NOT be supported"  # discord.py at start, without the voice extras


def _log_lines(caplog: pytest.LogCaptureFixture, level: int = 30) -> list[str]:
    lines = [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= level]
    return [line for line in lines if STARTUP_NOISE not in line]


# -- REST errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("applied", [False, True], ids=["503-before-writing", "503-after-writing"])
async def test_a_503_on_send_is_retried_and_sent_once(
    harness: Harness, applied: bool, caplog: pytest.LogCaptureFixture
) -> None:
    fault = FailNext(count=1, status=503, applied=applied)
    harness.fake.rest_hooks.append(fault)
    question_id = await harness.fake.message("a6k bandwidth?", mentions_bot=True)
    await harness.fake.wait_for(lambda r: is_message_create(r) and r.ok, timeout=5)
    rows = await harness.rows()
    assert len(fault.failed) == 1
    replies = _replies_to(harness.fake, str(question_id))
    assert len(replies) == 1, "the retry carries the first attempt's nonce: never two answers"
    assert "768 GB/s" in json.dumps(replies[0].json["embeds"])
    assert [r[4:] for r in rows] == [("a6k bandwidth?", "lookup", 1)]
    assert len({r.json["nonce"] for r in harness.fake.requests if is_message_create(r)}) == 1
    assert _log_lines(caplog) == []


async def test_a_429_is_waited_out(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    harness.fake.rest_hooks.append(FailNext(count=1, status=429, retry_after=0.2))
    question_id = await harness.fake.message("t4 vram", mentions_bot=True)
    await harness.fake.wait_for(lambda r: is_message_create(r) and r.ok, timeout=5)
    rows = await harness.rows()
    assert len(_replies_to(harness.fake, str(question_id))) == 1
    assert [r[4:] for r in rows] == [("t4 vram", "lookup", 1)]
    assert len(_log_lines(caplog)) <= 1  # discord.py's one "We are being rate limited" line


async def test_an_answer_never_delivered_is_logged_as_not_answered(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    fault = FailNext(count=100, status=503)
    harness.fake.rest_hooks.append(fault)
    question_id = await harness.fake.message("a4000 vs a6000", mentions_bot=True)
    await harness.fake.wait_for(lambda _r: len(fault.failed) >= 4, timeout=5)
    rows = await harness.rows()
    assert len(fault.failed) == 4  # one try and three retries, then give up
    assert _replies_to(harness.fake, str(question_id)) == []
    assert [r[4:] for r in rows] == [("a4000 vs a6000", "compare", 0)]
    db = _full_rows(harness.bot.settings.database)
    assert db[0][4].startswith("not delivered (HTTP 503")
    lines = _log_lines(caplog)
    assert len(lines) == 1 and "not delivered" in lines[0]


@pytest.mark.parametrize("failures", [1, 2], ids=["503-once", "503-past-the-deadline"])
async def test_a_failed_callback_writes_one_true_row(
    harness: Harness, failures: int, caplog: pytest.LogCaptureFixture
) -> None:
    """discord.py itself retries a callback's 5xx (after 1 s, then 3 s); past Discord's 3 s deadline the
    interaction is gone (404), and the row says the answer was not delivered."""
    fault = FailNext(match=is_callback, count=failures, status=503)
    harness.fake.rest_hooks.append(fault)
    interaction = await harness.fake.slash("gpu", {"name": "a6k"})
    final = await harness.fake.wait_for(lambda r: is_callback(r) and r.status != 503, timeout=10)
    if failures == 1:
        assert final.ok and "NVIDIA RTX A6000" in json.dumps(final.json["data"]["embeds"])
    else:
        assert final.status == 404 and interaction.id
    rows = await harness.rows()
    delivered = [r for r in harness.fake.requests if is_callback(r) and r.ok]
    assert len(delivered) == (1 if failures == 1 else 0)
    assert [r[4:] for r in rows] == [("/gpu rtx-a6000", "lookup", 1 if failures == 1 else 0)]
    assert len(_log_lines(caplog)) == (0 if failures == 1 else 1)


async def test_a_long_answer_cut_short_says_so(
    harness: Harness, caplog: pytest.LogCaptureFixture, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first message arrives, the rest never does: the row says partly delivered."""
    long_text_answers(monkeypatch, engine)
    first_ok = {"seen": 0}

    def after_first(rec: Recorded) -> bool:
        if not is_message_create(rec):
            return False
        first_ok["seen"] += 1
        return first_ok["seen"] > 1

    fault = FailNext(match=after_first, count=100, status=503)
    harness.fake.rest_hooks.append(fault)
    await harness.fake.message(LONG_TEXT, mentions_bot=True)
    await harness.fake.wait_for(lambda _r: len(fault.failed) >= 4, timeout=5)
    await harness.rows()
    db = _full_rows(harness.bot.settings.database)
    assert len(db) == 1 and db[0][3] == 1 and db[0][4].startswith("partly delivered (1 of ")
    assert len(_log_lines(caplog)) == 1


# -- cooldown amplification ----------------------------------------------------------------------


async def test_cooldown_spam_gets_one_notice_and_delays_nobody(
    tmp_path: Path, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_fake() as fake:
        limit = ChannelRateLimit(limit=5, per=5.0)  # Discord's per-channel message limit
        fake.rest_hooks.append(limit)
        settings = _settings(tmp_path, fake, cooldown_rate=2, cooldown_per=60.0)
        gpubot = GpuBot(
            settings=settings, engine=engine, query_log=await QueryLog.open(settings.database), guild_ready_timeout=0.05
        )
        async with running_bot(fake, gpubot):
            h = Harness(fake, gpubot)
            for i in range(30):
                await fake.message(f"a6k vram? ({i + 1} of 30)", mentions_bot=True)
            other = await fake.message("a4000 vram?", mentions_bot=True, author_id=FakeDiscord.ADMIN_ID)
            answer = await fake.wait_for(lambda r: is_message_create(r) and _reference(r) == str(other))
            rows = await h.rows()
            sent = [r for r in fake.requests if is_message_create(r)]
    notices = [r for r in sent if "Easy there" in (r.json.get("content") or "")]
    assert len(notices) == 1
    assert answer.ok and "16 GB" in json.dumps(answer.json["embeds"])
    assert len(sent) == 4  # two answers and one notice for the spammer, then the other user's answer
    assert limit.limited == [] and limit.exhausted == []  # the other answer never waited for the channel
    member = [r for r in rows if r[3] == FakeDiscord.MEMBER_ID]
    assert [r[5] for r in member].count("cooldown") == 28 and sum(r[6] for r in member) == 2
    assert [r[4:] for r in rows if r[3] == FakeDiscord.ADMIN_ID] == [("a4000 vram?", "lookup", 1)]
    assert _log_lines(caplog) == []


# -- SIGTERM with a backlog ----------------------------------------------------------------------


async def test_sigterm_with_a_backlog_drains_and_logs_the_rest_honestly(tmp_path: Path) -> None:
    total = 400
    async with running_fake() as fake:
        fake.rest_hooks.append(ChannelRateLimit(limit=20, per=1.0))
        proc = await _gpubot_run(
            tmp_path,
            fake,
            gateway=True,
            extra={"GPUBOT_DRAIN_SECONDS": "1.0", "GPUBOT_COOLDOWN_RATE": "100000", "GPUBOT_LOG_LEVEL": "WARNING"},
        )
        try:
            await fake.wait_ready(timeout=20)
            await asyncio.sleep(0.5)  # guild_ready_timeout in the real bot
            asked = {}
            for i in range(total):
                question = f"a6k vram? (question {i + 1})"
                asked[str(await fake.message(question, mentions_bot=True))] = question
            await fake.wait_for(lambda _r: len([r for r in fake.requests if is_message_create(r) and r.ok]) >= 30, 20)
        finally:
            proc.send_signal(signal.SIGTERM)
            _, stderr_bytes = await asyncio.wait_for(proc.communicate(), 30)
        replies = [r for r in fake.requests if is_message_create(r) and r.ok]
    stderr = stderr_bytes.decode()
    assert proc.returncode == 0, stderr
    assert "Traceback" not in stderr and "Session is closed" not in stderr
    lines = [line for line in stderr.strip().splitlines() if STARTUP_NOISE not in line]
    assert len(lines) <= 2, stderr  # the drain's one line (+ at most one 429 line)
    answered_ids = [_reference(r) for r in replies]
    assert len(answered_ids) == len(set(answered_ids)), "an answer was sent twice"
    delivered = {asked[i] for i in answered_ids}
    rows = _full_rows(tmp_path / "queries.sqlite3")
    assert sorted(r[1] for r in rows) == sorted(asked.values())  # every question has exactly one row
    logged_answered = {r[1] for r in rows if r[3]}
    assert logged_answered == delivered  # every row true: answered if and only if it was sent
    assert 30 <= len(delivered) < total
    assert all(r[4].startswith("not delivered (the bot shut down") for r in rows if not r[3])


# -- smaller -------------------------------------------------------------------------------------


async def test_custom_emoji_and_mentions_are_not_read_as_gpus(harness: Harness) -> None:
    sent = await harness.ask("<:a6000:123456789012345678> <a:h100:123456789012345679> how much vram?")
    text = json.dumps(sent.json["embeds"], ensure_ascii=False)
    assert "48 GB" not in text and "80 GB" not in text and "couldn't tell which GPU" in text
    slash = await (await harness.fake.slash("ask", {"question": "<:a6000:123456789012345678> vram?"})).response()
    assert "RTX A6000" not in json.dumps(slash.json["data"], ensure_ascii=False)
    await harness.rows()
    rows = _full_rows(harness.bot.settings.database)
    assert [(r[1], r[2]) for r in rows] == [("how much vram?", "unknown"), ("vram?", "unknown")]
    assert all("rtx-a6000" not in r[5] and "h100" not in r[5] for r in rows)


async def test_faq_topic_has_a_length_limit(harness: Harness) -> None:
    faq = harness.fake.command_id("faq")
    assert faq is not None
    definition = next(c for c in harness.fake.global_commands if c["name"] == "faq")
    topic = next(o for o in definition["options"] if o["name"] == "topic")
    assert topic["max_length"] == 100 and topic["min_length"] == 1


async def test_interaction_tokens_never_reach_the_debug_log(tmp_path: Path) -> None:
    async with running_fake() as fake:
        proc = await _gpubot_run(tmp_path, fake, gateway=True, extra={"GPUBOT_LOG_LEVEL": "DEBUG"})
        try:
            await fake.wait_ready(timeout=20)
            await asyncio.sleep(0.5)
            interaction = await fake.slash("gpu", {"name": "a4000"})
            await interaction.response(timeout=10)
        finally:
            proc.send_signal(signal.SIGTERM)
            _, stderr_bytes = await asyncio.wait_for(proc.communicate(), 20)
    stderr = stderr_bytes.decode()
    assert proc.returncode == 0, stderr[-2000:]
    assert "/callback" in stderr and "INTERACTION_CREATE" in stderr  # the lines that carried it are there
    assert interaction.token not in stderr and interaction.token[16:40] not in stderr
    assert FakeDiscord.TOKEN not in stderr


# -- gateway outage ------------------------------------------------------------------------------


async def test_a_gateway_outage_is_resumed_and_loses_nothing(tmp_path: Path) -> None:
    """The gateway drops and answers 503 for 8 s; the bot RESUMEs and Discord replays the questions."""
    async with running_fake() as fake:
        proc = await _gpubot_run(
            tmp_path, fake, gateway=True, extra={"GPUBOT_LOG_LEVEL": "WARNING", "GPUBOT_COOLDOWN_RATE": "1000"}
        )
        try:
            await fake.wait_ready(timeout=20)
            await asyncio.sleep(0.5)
            asked = {}
            for i in range(3):
                asked[str(await fake.message(f"a6k vram? (before {i + 1})", mentions_bot=True))] = i
            await fake.start_outage()
            for i in range(10):
                asked[str(await fake.message(f"t4 vram? (during {i + 1})", mentions_bot=True))] = i
            await asyncio.sleep(8)
            fake.end_outage()
            await fake.wait_for(
                lambda _r: len({_reference(r) for r in fake.requests if is_message_create(r) and r.ok}) >= len(asked),
                timeout=40,
            )
        finally:
            proc.send_signal(signal.SIGTERM)
            _, stderr_bytes = await asyncio.wait_for(proc.communicate(), 30)
        replies = [_reference(r) for r in fake.requests if is_message_create(r) and r.ok]
    stderr = stderr_bytes.decode()
    assert proc.returncode == 0, stderr
    assert len(fake.identify_payloads) == 1 and fake.resume_payloads and fake.lost_events == []
    assert sorted(replies) == sorted(asked), "every question answered, once"
    rows = _full_rows(tmp_path / "queries.sqlite3")
    assert len(rows) == len(asked) and all(r[3] for r in rows)
    lines = [line for line in stderr.strip().splitlines() if STARTUP_NOISE not in line]
    assert len(lines) == 1 and "reconnecting to resume" in lines[0] and "503" in lines[0], stderr


def test_one_shard_per_process_keeps_the_resuming_client(engine: Engine, tmp_path: Path) -> None:
    from bot.client import ShardedGpuBot, make_bot
    from bot.config import Settings

    plain = make_bot(Settings(db_path=tmp_path / "q.sqlite3", shard_ids=(3,), shard_count=8), engine, None)
    sharded = make_bot(Settings(db_path=tmp_path / "q.sqlite3", shard_ids=(0, 1), shard_count=8), engine, None)
    assert type(plain) is GpuBot and plain.shard_id == 3 and plain.shard_count == 8
    assert isinstance(sharded, ShardedGpuBot) and sharded.shard_ids == [0, 1]
