"""End to end through the fake Discord: follow-ups per user per channel, thread and DM, replies to older answers,
the follow-up timeout, and saved rigs (/rig set|show|clear, checked in SQLite)."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.client import GpuBot
from bot.conversation import ConversationStore
from bot.engine import Engine
from bot.storage import QueryLog
from tests.fake_discord import FakeDiscord, Recorded, running_bot, running_fake
from tests.test_discord_e2e import Harness, _embeds_text, _settings

EPHEMERAL = 64
OTHER_USER = FakeDiscord.ADMIN_ID
FIT = "can I run llama 3.1 8b q4_k_m at 32k context on a 4090?"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Talk(Harness):
    clock: Clock

    async def say(self, content: str, **kw: Any) -> tuple[Recorded, str]:
        """Ask; the bot's reply and its embeds' text."""
        sent = await self.ask(content, **kw)
        return sent, _embeds_text(sent.json)

    async def rig(self, sub: str, options: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
        response = await (await self.fake.slash("rig", options, subcommand=sub, **kw)).response()
        data: dict[str, Any] = response.json["data"]
        assert data["flags"] & EPHEMERAL  # a rig is personal: every reply is for the asker only
        return data


@pytest.fixture
async def talk(tmp_path: Path, engine: Engine) -> AsyncIterator[Talk]:
    async with running_fake() as fake:
        settings = _settings(tmp_path, fake)
        qlog = await QueryLog.open(settings.database)
        bot = GpuBot(settings=settings, engine=engine, query_log=qlog, guild_ready_timeout=0.05)
        clock = Clock()
        bot.conversations.store = ConversationStore(ttl_s=settings.followup_seconds, clock=clock)
        async with running_bot(fake, bot):
            await bot.tree.sync()
            harness = Talk(fake, bot)
            harness.clock = clock
            yield harness


def _fit(text: str) -> bool:
    return "it fits" in text or "does not fit" in text


async def test_and_the_a5000_answers_the_same_question_for_the_a5000(talk: Talk) -> None:
    _, first = await talk.say(FIT)
    assert "RTX 4090" in first and _fit(first)
    _, second = await talk.say("and the A5000?")
    assert "Llama 3.1 8B, Q4_K_M, 32k context — on the RTX A5000:" in second
    assert "RTX A5000 (24 GB)" in second and _fit(second) and "RTX 4090" not in second
    rows = await talk.rows()
    assert [r[4] for r in rows[-2:]] == [FIT, "and the A5000?"] and rows[-1][5] == "fits"


async def test_what_about_at_32k_changes_only_the_context(talk: Talk) -> None:
    await talk.say("can I run llama 3.1 8b in q4_k_m on a 4090?")
    _, text = await talk.say("what about at 32k?")
    assert "Llama 3.1 8B, Q4_K_M, on the GeForce RTX 4090 — 32k context:" in text
    assert "32,768-token context" in text and "RTX 4090 (24 GB)" in text and "Q4_K_M" in text
    fit = talk.bot.conversations.store.last((FakeDiscord.MEMBER_ID, FakeDiscord.CHANNEL_ID))
    assert fit is not None and fit.fit is not None
    assert (fit.fit.model_id, fit.fit.precision, fit.fit.context, fit.gpus) == (
        "llama-3.1-8b",
        "q4_k_m",
        32768,
        ["rtx-4090"],
    )


async def test_a_follow_up_after_the_timeout_is_new(talk: Talk) -> None:
    await talk.say(FIT)
    talk.clock.now += talk.bot.settings.followup_seconds + 1
    _, text = await talk.say("and the A5000?")
    assert not _fit(text) and "Llama" not in text  # read on its own: the A5000's card


async def test_two_users_in_one_channel_keep_separate_contexts(talk: Talk) -> None:
    await talk.say(FIT)
    await talk.say("A4000 vs A6000", author_id=OTHER_USER)
    _, member = await talk.say("and the A5000?")
    _, other = await talk.say("and the A5000?", author_id=OTHER_USER)
    assert "Llama 3.1 8B" in member and _fit(member)
    assert "Llama" not in other and "RTX A4000" in other and "RTX A6000" in other and "RTX A5000" in other


async def test_a_reply_to_an_older_answer_continues_that_one(talk: Talk) -> None:
    fit_answer, _ = await talk.say(FIT)
    await talk.say("A4000 vs A6000")
    older = int(fit_answer.response["id"])
    _, text = await talk.say("and the A5000?", reply_to=older)
    assert "Llama 3.1 8B, Q4_K_M, 32k context — on the RTX A5000:" in text
    _, latest = await talk.say("and the 4090?")  # no reply: the latest question (the fit, continued just now)
    assert "Llama 3.1 8B" in latest and "RTX 4090" in latest


async def test_threads_and_dms_are_conversations_of_their_own(talk: Talk) -> None:
    thread = await talk.fake.add_thread("llm sizing")
    await talk.say(FIT)  # in the channel
    sent, in_thread = await talk.say("and the A5000?", channel_id=thread)
    assert sent.path == f"/channels/{thread}/messages"  # answered in the thread it was asked in
    assert "Llama" not in in_thread
    await talk.say("a6000 bandwidth", channel_id=thread)
    _, thread_follow = await talk.say("and the A5000?", channel_id=thread)
    assert "Memory bandwidth" in thread_follow and "RTX A5000" in thread_follow
    _, channel_follow = await talk.say("what about at 8k?")  # the channel's context is untouched
    assert "Llama 3.1 8B" in channel_follow and "8k context" in channel_follow
    dm = FakeDiscord.DM_CHANNEL_ID
    await talk.say("A4000 vs A6000", mentions_bot=False, guild=False, channel_id=dm)
    sent, dm_follow = await talk.say("and the power?", mentions_bot=False, guild=False, channel_id=dm)
    assert sent.path == f"/channels/{dm}/messages" and "140 W" in dm_follow and "300 W" in dm_follow


async def test_slash_ask_keeps_the_same_conversation(talk: Talk) -> None:
    await talk.say(FIT)
    response = await (await talk.fake.slash("ask", {"question": "and the A5000?"})).response()
    text = _embeds_text(response.json["data"])
    assert "Llama 3.1 8B, Q4_K_M, 32k context — on the RTX A5000:" in text


def _rig_rows(talk: Talk) -> list[tuple[Any, ...]]:
    with sqlite3.connect(talk.bot.settings.database) as conn:
        return conn.execute("SELECT user_id, rig FROM rigs ORDER BY user_id").fetchall()


async def test_saved_rig_answers_a_fit_question_and_clear_deletes_it(talk: Talk) -> None:
    saved = await talk.rig("set", {"rig": "2x 3090"})
    assert "Saved your rig: 2× GeForce RTX 3090" in saved["content"]
    assert [r[0] for r in _rig_rows(talk)] == [FakeDiscord.MEMBER_ID]
    _, text = await talk.say("can I run llama 3 70b in 4-bit?")
    assert "Using your saved rig (2× GeForce RTX 3090):" in text
    assert "2× GeForce RTX 3090 (24 GB per GPU)" in text and _fit(text)
    _, other = await talk.say("can I run llama 3 70b in 4-bit?", author_id=OTHER_USER)
    assert "saved rig" not in other  # another member's question: no rig of theirs
    shown = await talk.rig("show")
    assert "2× GeForce RTX 3090" in shown["content"]
    cleared = await talk.rig("clear")
    assert "Deleted" in cleared["content"] and _rig_rows(talk) == []
    _, after = await talk.say("can I run llama 3 70b in 4-bit?")
    assert "saved rig" not in after
    rows = await talk.rows()
    assert not any("/rig" in r[4] or "3090" in r[4] for r in rows)  # the rig itself is never logged


async def test_rig_set_with_gpu_and_count_options_and_errors(talk: Talk) -> None:
    saved = await talk.rig("set", {"gpu": "rtx-a6000", "count": 2})
    assert "2× RTX A6000" in saved["content"]
    assert "2× RTX A6000" in (await talk.rig("show"))["content"]
    refused = await talk.rig("set", {"rig": "rtx 6000"})
    assert "could be several" in refused["content"]
    empty = await talk.rig("set", {})
    assert "Tell me your cards" in empty["content"]
    assert len(_rig_rows(talk)) == 1  # the refused ones changed nothing
    _, text = await talk.say("can my rig run llama 3 70b in fp8?")
    assert "Using your saved rig (2× RTX A6000):" in text


async def test_rig_options_never_reach_the_query_log(talk: Talk) -> None:
    await (await talk.fake.autocomplete("rig", {"gpu": "309"}, "gpu", subcommand="set")).response()
    refused = await talk.rig("set", {"gpu": "no such card at all"})  # a transformer error, logged as refused
    assert "don't know which GPU" in refused["content"]
    rows = await talk.rows()
    assert [r[4] for r in rows] == ["/rig set", "/rig set"]


async def test_a_reply_continues_even_without_the_referenced_message(talk: Talk) -> None:
    """Discord leaves ``referenced_message`` out when it cannot load it: the bot's answer, remembered as Discord
    echoed it, still leads to the question it answered."""
    fit_answer, _ = await talk.say(FIT)
    await talk.say("A4000 vs A6000")
    older = int(fit_answer.response["id"])
    talk.fake.messages.pop(older)  # the fake now sends the reply without referenced_message
    _, text = await talk.say("and the A5000?", reply_to=older)
    assert "Llama 3.1 8B, Q4_K_M, 32k context — on the RTX A5000:" in text


async def test_a_pick_after_a_clarifying_follow_up_continues_the_conversation(talk: Talk) -> None:
    await talk.say(FIT)
    sent, _ = await talk.say("and the rtx 6000?")
    ids = [c for row in sent.json.get("components") or [] for c in row["components"] if c.get("custom_id")]
    a6000 = next(c["custom_id"] for c in ids if c["custom_id"].startswith("gpubot:pick:rtx-a6000:"))
    click = await talk.fake.click(int(sent.response["id"]), a6000)
    text = _embeds_text((await click.response()).json["data"])
    assert "Llama 3.1 8B, Q4_K_M, 32k context — on the RTX A6000:" in text and _fit(text)
    _, after = await talk.say("what about at 8k?")  # the pick is the conversation's last question now
    assert "on the RTX A6000 — 8k context:" in after
