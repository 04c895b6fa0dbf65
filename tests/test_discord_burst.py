"""Bursts of slash commands (issue 12): every interaction acknowledged within Discord's 3 s, every
question answered once, every log row true, one log line per fault.

The fake enforces the 3 s window (``interaction_timeout``): a late callback is refused with 10062, as
Discord does ("This interaction failed"). The 1,000-interaction burst drives the real ``gpubot run``
in its own process, as Discord is another machine.
"""

from __future__ import annotations

import asyncio
import gc
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.client import GpuBot
from bot.discord_backlog import AnswerGate, FaultDigest
from bot.engine import Engine
from bot.storage import QueryLog
from tests.fake_burst import burst_questions, logged_rows, outcome, send_burst
from tests.fake_discord import running_bot, running_fake
from tests.fake_faults import FailNext, is_callback
from tests.test_discord_e2e import Harness, _gpubot_run, _settings

STARTUP_NOISE = "voice will NOT be supported"
CALLBACK_MESSAGE, CALLBACK_DEFERRED = 4, 5


@pytest.fixture
async def harness(tmp_path: Path, engine: Engine) -> AsyncIterator[Harness]:
    async with running_fake() as fake:
        settings = _settings(tmp_path, fake, cooldown_rate=100_000)
        qlog = await QueryLog.open(settings.database)
        gpubot = GpuBot(settings=settings, engine=engine, query_log=qlog, guild_ready_timeout=0.05)
        async with running_bot(fake, gpubot):
            await gpubot.tree.sync()
            yield Harness(fake, gpubot)


def _names(engine: Engine) -> list[str]:
    return [g.short_name for g in engine.catalog]


async def _settled(harness: Harness, count: int, timeout: float = 30) -> None:
    """Wait until ``count`` questions have their row (answered or not)."""
    deadline = time.monotonic() + timeout
    while logged_rows(harness.bot.settings.database) < count and time.monotonic() < deadline:
        await harness.rows()  # waits for the answers in flight, then flushes the log
        await asyncio.sleep(0.05)


async def test_with_no_backlog_a_slash_answer_is_one_request(harness: Harness) -> None:
    """No deferral, and no second request to fetch the message the callback already returned."""
    interaction = await harness.fake.slash("ask", {"question": "a6k vs a4000"})
    callback = await interaction.response()
    await _settled(harness, 1)
    assert callback.json["type"] == CALLBACK_MESSAGE and callback.json["data"]["components"]
    mine = [r for r in harness.fake.requests if interaction.token in r.path]
    assert [(r.method, r.path) for r in mine] == [("POST", interaction.callback_path)]
    assert harness.bot.gate.deferred == 0


async def test_answers_that_must_wait_are_deferred_then_followed_up_once(harness: Harness, engine: Engine) -> None:
    harness.bot.gate = AnswerGate(slots=2)  # a backlog with a handful of questions
    questions = burst_questions(_names(engine), 12)
    sent = await send_burst(harness.fake, questions)
    await _settled(harness, len(questions))
    result = outcome(harness.fake, sent, harness.bot.settings.database)
    assert not result.unacknowledged and not result.expired
    assert 0 < len(result.deferred) < len(questions)  # the first ones went straight out
    assert result.answered_once == len(questions) and result.sent_twice == 0
    assert result.questions_without_one_row == 0 and result.rows_not_true == 0
    for token in result.deferred:  # a deferral is answered by the follow-up that replaces "thinking…"
        original = sent[token][1].original()
        assert original is not None and original["embeds"] and original["components"]


async def test_many_failed_answers_make_one_log_line(
    harness: Harness, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    harness.fake.rest_hooks.append(FailNext(match=is_callback, count=10_000, status=404))
    questions = burst_questions(_names(engine), 20)
    sent = await send_burst(harness.fake, questions)
    await _settled(harness, len(questions))
    result = outcome(harness.fake, sent, harness.bot.settings.database)
    assert result.answered_once == 0 and result.rows_not_true == 0 and len(result.rows) == len(questions)
    lines = [r.getMessage() for r in caplog.records if r.levelno >= 30 and STARTUP_NOISE not in r.getMessage()]
    assert len(lines) == 1, lines
    assert "not delivered" in lines[0] and "for 20 questions" in lines[0]


def test_the_fault_digest_reports_one_line_per_kind(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    digest = FaultDigest(logging.getLogger("digest-test"))
    for i in range(50):
        digest.add("answer not delivered", f"'q{i}': HTTP 503")
    digest.add("slash command not acknowledged in time", "'x': HTTP 404")
    assert digest.pending == 51
    with caplog.at_level(logging.WARNING, logger="digest-test"):
        digest.flush()
        digest.flush()  # nothing left: no more lines
    assert [r.getMessage() for r in caplog.records] == [
        "answer not delivered for 50 questions (the first: 'q0': HTTP 503)",
        "slash command not acknowledged in time: 'x': HTTP 404",
    ]


async def test_a_burst_of_1000_slash_commands_is_acknowledged_in_time_and_answered_once(
    tmp_path: Path, engine: Engine
) -> None:
    total = 1000
    database = tmp_path / "queries.sqlite3"
    async with running_fake(interaction_timeout=3.0) as fake:
        proc = await _gpubot_run(
            tmp_path,
            fake,
            gateway=True,
            extra={"GPUBOT_COOLDOWN_RATE": "100000", "GPUBOT_LOG_LEVEL": "WARNING"},
        )
        # The fake stands for Discord's servers: no garbage-collector pauses from the test suite's heap in
        # this process (after thousands of tests, a full collection stalls the fake for a large part of the
        # window it enforces, and the bot would be blamed for the fake's delay).
        gc.collect()
        gc.freeze()
        gc.disable()
        try:
            await fake.wait_ready(timeout=30)
            await asyncio.sleep(0.5)  # guild_ready_timeout in the real bot
            sent = await send_burst(fake, burst_questions(_names(engine), total))
            deadline = time.monotonic() + 180
            while logged_rows(database) < total and time.monotonic() < deadline:
                await asyncio.sleep(0.25)
        finally:
            gc.enable()
            gc.unfreeze()
            proc.send_signal(signal.SIGTERM)
            _, stderr_bytes = await asyncio.wait_for(proc.communicate(), 60)
        result = outcome(fake, sent, database)
    stderr = stderr_bytes.decode()
    assert proc.returncode == 0, stderr
    summary = result.summary()
    assert not result.expired and not result.unacknowledged, summary  # none saw "This interaction failed"
    assert result.slowest_ack_s < 3.0, summary
    assert result.answered_once == total and result.sent_twice == 0, summary
    assert result.questions_without_one_row == 0 and result.rows_not_true == 0, summary
    assert sum(answered for _, answered, _ in result.rows) >= total * 0.95, summary  # few "unknown GPU" answers
    lines = [line for line in stderr.strip().splitlines() if line and STARTUP_NOISE not in line]
    assert "Traceback" not in stderr and not lines, stderr  # no fault here, so not one line


@pytest.mark.parametrize("skew", [0.0, 7.5, -3.0], ids=["in-sync", "bot-clock-behind", "bot-clock-ahead"])
def test_lateness_is_measured_from_the_youngest_interaction_so_clock_skew_cancels(skew: float) -> None:
    gate = AnswerGate(late_after=0.5)
    for age in (0.03, 0.05, 0.02, 0.04):  # the usual delay, whatever the clocks say
        assert gate.lateness(age + skew) < 0.05
    assert gate.lateness(0.9 + skew) == pytest.approx(0.88)  # queued behind a backlog


async def test_a_question_cancelled_before_its_turn_still_gets_its_row() -> None:
    gate = AnswerGate(slots=1)
    reported: list[str] = []

    async def wait_turn() -> None:
        async with gate.turn(cancelled=lambda: reported.append("cancelled")):
            reported.append("answered")

    async with gate.turn():
        waiting = asyncio.create_task(wait_turn())
        await asyncio.sleep(0.01)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
    assert reported == ["cancelled"]
    async with gate.turn():  # the slot was given back
        pass
