"""Answer buttons end to end: the real bot against the fake Discord, restarted on the same database.

A "restart" is a second :class:`GpuBot` with a new :class:`QueryLog` on the first one's database, after
the first has closed: nothing of the first process survives but the database and the messages Discord
keeps. Every assertion is on what Discord would receive and on the rows in SQLite.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.answer import Answer
from bot.client import GpuBot
from bot.config import Settings
from bot.engine import Engine
from bot.storage import QueryLog
from tests.fake_discord import FakeDiscord, Interaction, Recorded, running_bot, running_fake
from tests.test_discord_e2e import LONG_TEXT, _gpubot_run, long_text_answers

CALLBACK_MESSAGE, CALLBACK_DEFERRED_UPDATE, CALLBACK_UPDATE = 4, 6, 7
EPHEMERAL = 64
ASKER, OTHER = FakeDiscord.MEMBER_ID, FakeDiscord.ADMIN_ID
LONG_LIST = "compare h100 sxm, a100 80gb sxm, mi300x and h200 sxm all specs"


def _settings(tmp_path: Path, fake: FakeDiscord, **over: Any) -> Settings:
    base: dict[str, Any] = {
        "db_path": tmp_path / "queries.sqlite3",
        "discord_token": FakeDiscord.TOKEN,
        "api_base": fake.api_base,
        "gateway_url": fake.gateway_url,
        "cooldown_rate": 1000,
        "cooldown_per": 60.0,
    }
    base.update(over)
    return Settings(**base)


@contextlib.asynccontextmanager
async def bot_on(fake: FakeDiscord, tmp_path: Path, engine: Engine, *, log: bool = True) -> AsyncIterator[GpuBot]:
    """One bot "process": its own query log on the shared database; closed (and flushed) on exit."""
    settings = _settings(tmp_path, fake)
    qlog = await QueryLog.open(settings.database) if log else None
    bot = GpuBot(settings=settings, engine=engine, query_log=qlog, guild_ready_timeout=0.05)
    async with running_bot(fake, bot):
        await bot.tree.sync()
        yield bot


async def ask(fake: FakeDiscord, content: str, *, author_id: int = ASKER) -> Recorded:
    mark = fake.mark()
    await fake.message(content, mentions_bot=True, author_id=author_id)
    return await fake.next_message(after=mark)


def ids(payload: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for row in payload.get("components") or [] for c in row["components"] if c.get("custom_id")]


def button(payload: dict[str, Any], prefix: str) -> dict[str, Any]:
    return next(
        c
        for row in payload.get("components") or []
        for c in row["components"]
        if c.get("custom_id", "").startswith(prefix)
    )


def text(payload: dict[str, Any]) -> str:
    return json.dumps(payload.get("embeds") or [], ensure_ascii=False)


async def click(
    fake: FakeDiscord, message: dict[str, Any] | Recorded, prefix: str, *, user_id: int = ASKER
) -> Interaction:
    msg = message.response if isinstance(message, Recorded) else message
    return await fake.click(int(msg["id"]), button(fake.messages[int(msg["id"])], prefix)["custom_id"], user_id=user_id)


def votes(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT answer, user_id, vote, question FROM feedback ORDER BY user_id").fetchall()


async def settle(bot: GpuBot) -> None:
    assert bot.query_log is not None
    await bot.query_log.flush()


# -- persistence across a restart -------------------------------------------------------------------


async def test_buttons_sent_before_a_restart_work_after_it(tmp_path: Path, engine: Engine) -> None:
    async with running_fake() as fake:
        async with bot_on(fake, tmp_path, engine):
            clarify = await ask(fake, "rtx 6000 specs")
            compare = await ask(fake, "a4000 vs a6000")
        # A new process on the same database: nothing in memory, the messages are Discord's.
        async with bot_on(fake, tmp_path, engine) as bot:
            pick = await click(fake, clarify, "gpubot:pick:rtx-6000-ada:")
            picked = await pick.response()
            assert picked.json["type"] == CALLBACK_UPDATE
            assert "RTX 6000 Ada" in text(picked.json["data"]) and "48 GB" in text(picked.json["data"])
            every = await (await click(fake, compare, "gpubot:all:")).response()
            assert every.json["type"] == CALLBACK_MESSAGE and "RTX A6000" in text(every.json["data"])
            assert button(every.json["data"], "gpubot:pageno:")["label"].startswith("1/")  # every spec: paged
            vote = await (await click(fake, compare, "gpubot:vote:1:")).response()
            assert vote.json["data"]["flags"] & EPHEMERAL and "Thanks" in vote.json["data"]["content"]
            await settle(bot)
            with sqlite3.connect(bot.settings.database) as conn:
                questions = [r[0] for r in conn.execute("SELECT question FROM queries ORDER BY id")]
            assert "rtx 6000 specs [rtx-6000-ada]" in questions and "a4000 vs a6000 [all specs]" in questions
            assert votes(bot.settings.database) == [
                (button(compare.json, "gpubot:vote:1:")["custom_id"].split(":")[3], ASKER, 1, "a4000 vs a6000")
            ]


async def test_a_vote_before_a_restart_is_taken_back_after_it(tmp_path: Path, engine: Engine) -> None:
    async with running_fake() as fake:
        async with bot_on(fake, tmp_path, engine) as bot:
            sent = await ask(fake, "a6k bandwidth")
            await (await click(fake, sent, "gpubot:vote:-1:", user_id=OTHER)).response()
            db = bot.settings.database
        assert [r[1:3] for r in votes(db)] == [(OTHER, -1)]
        async with bot_on(fake, tmp_path, engine) as bot:
            again = await (await click(fake, sent, "gpubot:vote:-1:", user_id=OTHER)).response()
            assert "taken back" in again.json["data"]["content"]
            await settle(bot)
        assert votes(db) == []


async def test_state_that_is_gone_gets_a_polite_reply_and_disabled_buttons(tmp_path: Path, engine: Engine) -> None:
    """Without a query log, state lives in memory only: after a restart a pick says so, never fails silently."""
    async with running_fake() as fake:
        async with bot_on(fake, tmp_path, engine, log=False):
            clarify = await ask(fake, "rtx 6000 specs")
        async with bot_on(fake, tmp_path, engine, log=False):
            pick = await click(fake, clarify, "gpubot:pick:rtx-a6000:")
            update = await pick.response()
            assert update.json["type"] == CALLBACK_UPDATE
            buttons = [c for row in update.json["data"]["components"] for c in row["components"]]
            stateful = [b for b in buttons if b["custom_id"].startswith(("gpubot:pick:", "gpubot:all:"))]
            assert stateful and all(b["disabled"] for b in stateful)
            assert not any(b["disabled"] for b in buttons if b["custom_id"].startswith(("gpubot:vote:", "gpubot:del:")))
            (notice,) = await pick.followups()
            assert notice.json["flags"] & EPHEMERAL and "ask again" in notice.json["content"]


async def test_buttons_from_before_answer_keys_are_answered_politely(tmp_path: Path, engine: Engine) -> None:
    async with running_fake() as fake, bot_on(fake, tmp_path, engine) as bot:
        old = [
            {"type": 2, "style": 1, "label": "RTX A6000", "custom_id": "gpubot:pick:rtx-a6000"},
            {"type": 2, "style": 2, "label": "All specs", "custom_id": "gpubot:all"},
            {"type": 2, "style": 2, "emoji": {"name": "👍"}, "custom_id": "gpubot:vote:1"},
        ]
        payload = {"embeds": [{"title": "RTX A6000 specs"}], "components": [{"type": 1, "components": old}]}
        message = fake._new_bot_message(FakeDiscord.CHANNEL_ID, payload, [])
        for custom_id in ("gpubot:all", "gpubot:pick:rtx-a6000"):
            interaction = await fake.click(int(message["id"]), custom_id)
            update = await interaction.response()
            assert update.json["type"] == CALLBACK_UPDATE
            disabled = {c["custom_id"]: c.get("disabled") for c in update.json["data"]["components"][0]["components"]}
            assert disabled == {"gpubot:pick:rtx-a6000": True, "gpubot:all": True, "gpubot:vote:1": False}
            (notice,) = await interaction.followups()
            assert notice.json["flags"] & EPHEMERAL
        # An old vote button still counts, once per user per message.
        for expected in ("Thanks", "taken back"):
            reply = await (await fake.click(int(message["id"]), "gpubot:vote:1")).response()
            assert expected in reply.json["data"]["content"]
        await settle(bot)
        assert votes(bot.settings.database) == []


# -- votes ------------------------------------------------------------------------------------------


async def test_one_vote_per_user_per_answer(tmp_path: Path, engine: Engine) -> None:
    async with running_fake() as fake, bot_on(fake, tmp_path, engine) as bot:
        db = bot.settings.database
        sent = await ask(fake, "a4000 vs a6000")
        key = button(sent.json, "gpubot:vote:1:")["custom_id"].split(":")[3]
        steps = [  # (user, button, reply, rows afterwards)
            (ASKER, "gpubot:vote:1:", "Thanks", [(key, ASKER, 1)]),
            (ASKER, "gpubot:vote:1:", "taken back", []),
            (ASKER, "gpubot:vote:-1:", "Thanks", [(key, ASKER, -1)]),
            (ASKER, "gpubot:vote:1:", "Changed your vote to 👍", [(key, ASKER, 1)]),
            (OTHER, "gpubot:vote:1:", "Thanks", [(key, ASKER, 1), (key, OTHER, 1)]),
            (OTHER, "gpubot:vote:-1:", "Changed your vote to 👎", [(key, ASKER, 1), (key, OTHER, -1)]),
        ]
        for user, prefix, reply, rows in steps:
            response = await (await click(fake, sent, prefix, user_id=user)).response()
            assert response.json["data"]["flags"] & EPHEMERAL and reply in response.json["data"]["content"]
            await settle(bot)
            assert [r[:3] for r in votes(db)] == sorted(rows, key=lambda r: r[1])
        # A vote on another answer is another vote.
        other = await ask(fake, "t4 vram")
        await (await click(fake, other, "gpubot:vote:1:")).response()
        assert bot.query_log is not None
        stats = await bot.query_log.stats()
        assert (stats.votes_up, stats.votes_down) == (2, 1)


async def test_quick_double_click_toggles(tmp_path: Path, engine: Engine) -> None:
    """Two clicks dispatched before either is answered still count as a vote and its removal."""
    async with running_fake() as fake:
        async with bot_on(fake, tmp_path, engine):
            sent = await ask(fake, "a4000 vs a6000")
        async with bot_on(fake, tmp_path, engine) as bot:  # nothing in memory: both read the database
            custom_id = button(sent.json, "gpubot:vote:1:")["custom_id"]
            first = await fake.click(int(sent.response["id"]), custom_id)
            second = await fake.click(int(sent.response["id"]), custom_id)
            replies = sorted(
                [(await first.response()).json["data"]["content"], (await second.response()).json["data"]["content"]]
            )
            assert "Thanks" in replies[0] and "taken back" in replies[1]
            await settle(bot)
            assert votes(bot.settings.database) == []


# -- delete ---------------------------------------------------------------------------------------


async def test_only_the_asker_deletes_also_after_a_restart(tmp_path: Path, engine: Engine) -> None:
    async with running_fake() as fake:
        async with bot_on(fake, tmp_path, engine):
            sent = await ask(fake, "a4000 vs a6000")
            message_id = int(sent.response["id"])
            refused = await (await click(fake, sent, "gpubot:del:", user_id=OTHER)).response()
            assert refused.json["type"] == CALLBACK_MESSAGE and refused.json["data"]["flags"] & EPHEMERAL
            assert "Only the person who asked" in refused.json["data"]["content"]
            assert message_id in fake.messages
        async with bot_on(fake, tmp_path, engine):
            refused = await (await click(fake, sent, "gpubot:del:", user_id=OTHER)).response()
            assert refused.json["data"]["flags"] & EPHEMERAL and message_id in fake.messages
            deleting = await click(fake, sent, "gpubot:del:")
            assert (await deleting.response()).json["type"] == CALLBACK_DEFERRED_UPDATE
            await fake.wait_for(lambda r: r.method == "DELETE")
            assert message_id not in fake.messages


async def test_delete_in_a_dm(tmp_path: Path, engine: Engine) -> None:
    async with running_fake() as fake, bot_on(fake, tmp_path, engine):
        mark = fake.mark()
        await fake.message("a4000 vs a6000", guild=False)
        sent = await fake.next_message(after=mark)
        assert int(sent.response["channel_id"]) == FakeDiscord.DM_CHANNEL_ID
        await (await click(fake, sent, "gpubot:del:")).response()
        await fake.wait_for(lambda _r: int(sent.response["id"]) not in fake.messages)


async def test_delete_takes_the_further_messages_of_a_long_answer(
    tmp_path: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long text (not a list) goes out over several messages; 🗑 removes them all."""
    long_text_answers(monkeypatch, engine)
    async with running_fake() as fake, bot_on(fake, tmp_path, engine):
        mark = fake.mark()
        await fake.message(LONG_TEXT, mentions_bot=True)
        first = await fake.next_message(after=mark)
        await fake.wait_for(
            lambda r: len([x for x in fake.requests[mark:] if x.method == "POST" and x.path.endswith("/messages")]) >= 2
        )
        sent = [
            int(r.response["id"]) for r in fake.requests[mark:] if r.method == "POST" and r.path.endswith("/messages")
        ]
        assert len(sent) >= 2 and "gpubot:del:" in " ".join(ids(first.json))
        await (await click(fake, first, "gpubot:del:")).response()
        await fake.wait_for(lambda _r: not set(sent) & set(fake.messages))


# -- pages ----------------------------------------------------------------------------------------


async def test_long_lists_page_with_buttons(tmp_path: Path, engine: Engine) -> None:
    async with running_fake() as fake:
        async with bot_on(fake, tmp_path, engine):
            sent = await ask(fake, LONG_LIST)
            counter = button(sent.json, "gpubot:pageno:")
            pages = int(counter["label"].split("/")[1])
            assert counter["label"] == f"1/{pages}" and pages >= 2 and counter["disabled"]
            assert button(sent.json, "gpubot:prev:")["disabled"] and not button(sent.json, "gpubot:next:")["disabled"]
            assert len(sent.json["embeds"]) <= 10  # one message: the other pages are behind ▶
            seen = [text(sent.json)]
            turn = await (await click(fake, sent, "gpubot:next:")).response()
            assert turn.json["type"] == CALLBACK_UPDATE
            assert button(turn.json["data"], "gpubot:pageno:")["label"] == f"2/{pages}"
            seen.append(text(turn.json["data"]))
            assert seen[0] != seen[1]
            # Someone else gets the page for themselves; the asker's message stays where it was.
            theirs = await (await click(fake, sent, "gpubot:next:", user_id=OTHER)).response()
            assert theirs.json["type"] == CALLBACK_MESSAGE and theirs.json["data"]["flags"] & EPHEMERAL
            assert button(fake.messages[int(sent.response["id"])], "gpubot:pageno:")["label"] == f"2/{pages}"
            assert not [c for c in ids(theirs.json["data"]) if c.startswith("gpubot:del:")]
        async with bot_on(fake, tmp_path, engine):  # after a restart the pages still turn
            for page in range(3, pages + 1):
                turn = await (await click(fake, sent, "gpubot:next:")).response()
                assert button(turn.json["data"], "gpubot:pageno:")["label"] == f"{page}/{pages}"
                seen.append(text(turn.json["data"]))
            assert button(turn.json["data"], "gpubot:next:")["disabled"]
            back = await (await click(fake, sent, "gpubot:prev:")).response()
            assert button(back.json["data"], "gpubot:pageno:")["label"] == f"{pages - 1}/{pages}"
        everything = " ".join(seen)
        for name in ("H100 SXM", "A100 80GB", "MI300X", "H200"):
            assert name in everything
        rows = engine.ask(LONG_LIST).table
        assert rows is not None and all(row.label in everything for row in rows.rows)


# -- slash commands: just for me --------------------------------------------------------------------


async def test_every_answering_command_has_just_for_me(tmp_path: Path, engine: Engine) -> None:
    async with running_fake() as fake, bot_on(fake, tmp_path, engine) as bot:
        answering = {c.name for c in bot.tree.get_commands()} - {"stats", "rig"}  # /rig replies are always ephemeral
        assert {"ask", "gpu", "spec", "compare", "recommend", "fits", "faq"} <= answering
        for name in answering:
            options = {o["name"]: o for o in bot.tree.get_command(name).to_dict(bot.tree).get("options", [])}  # type: ignore[union-attr]
            assert options["just_for_me"]["type"] == 5 and not options["just_for_me"].get("required"), name
        cases = [
            ("ask", {"question": "a4000 vs a6000"}),
            ("gpu", {"name": "a6000"}),
            ("spec", {"gpu": "a6000", "field": "memory"}),
            ("compare", {"gpu1": "a4000", "gpu2": "a6000"}),
            ("faq", {"topic": "nvlink"}),
            ("fits", {"model": "llama-3.1-8b", "gpu": "rtx-4090"}),
            ("recommend", {"workload": next(iter(engine.catalog.workloads))}),
        ]
        for name, options in cases:
            mine = await (await fake.slash(name, {**options, "just_for_me": True})).response()
            assert mine.json["data"]["flags"] & EPHEMERAL, name
            assert not [c for c in ids(mine.json["data"]) if c.startswith("gpubot:del:")], name
            public = await (await fake.slash(name, options)).response()
            assert not (public.json["data"].get("flags") or 0) & EPHEMERAL, name
            assert [c for c in ids(public.json["data"]) if c.startswith("gpubot:del:")], name


async def test_an_ephemeral_answer_pages_in_place(tmp_path: Path, engine: Engine) -> None:
    async with running_fake() as fake, bot_on(fake, tmp_path, engine):
        slash = await fake.slash("ask", {"question": LONG_LIST, "just_for_me": True})
        first = await slash.response()
        assert first.json["data"]["flags"] & EPHEMERAL
        original = slash.original()
        assert original is not None
        custom_id = button(first.json["data"], "gpubot:next:")["custom_id"]
        turn = await (await fake.click(int(original["id"]), custom_id)).response()
        assert turn.json["type"] == CALLBACK_UPDATE and button(turn.json["data"], "gpubot:pageno:")["label"].startswith(
            "2/"
        )


# -- failures -------------------------------------------------------------------------------------


async def test_show_all_for_someone_else_is_theirs_alone(tmp_path: Path, engine: Engine) -> None:
    async with running_fake() as fake, bot_on(fake, tmp_path, engine):
        sent = await ask(fake, "a4000 vs a6000")
        theirs = await (await click(fake, sent, "gpubot:all:", user_id=OTHER)).response()
        assert theirs.json["type"] == CALLBACK_MESSAGE and theirs.json["data"]["flags"] & EPHEMERAL
        assert "RTX A6000" in text(theirs.json["data"])
        mine = await (await click(fake, sent, "gpubot:all:")).response()
        assert not (mine.json["data"].get("flags") or 0) & EPHEMERAL
        assert button(mine.json["data"], "gpubot:del:")["custom_id"].endswith(f":{ASKER}")


async def test_a_failing_button_apologises(tmp_path: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    async with running_fake() as fake, bot_on(fake, tmp_path, engine) as bot:
        sent = await ask(fake, "a4000 vs a6000")

        def broken(*_a: Any, **_k: Any) -> Answer:
            raise RuntimeError("internal detail")

        monkeypatch.setattr(bot.engine, "all_specs", broken)
        reply = await (await click(fake, sent, "gpubot:all:")).response()
        assert reply.json["data"]["flags"] & EPHEMERAL and "Sorry" in reply.json["data"]["content"]
        assert "internal detail" not in reply.json["data"]["content"]


async def test_a_gpu_gone_from_the_catalog_disables_its_pick(tmp_path: Path, engine: Engine) -> None:
    async with running_fake() as fake, bot_on(fake, tmp_path, engine):
        sent = await ask(fake, "rtx 6000 specs")
        stored = fake.messages[int(sent.response["id"])]
        pick = button(stored, "gpubot:pick:rtx-a6000:")
        pick["custom_id"] = pick["custom_id"].replace("rtx-a6000", "rtx-a6000-retired")
        interaction = await fake.click(int(stored["id"]), pick["custom_id"])
        update = await interaction.response()
        assert button(update.json["data"], pick["custom_id"])["disabled"]
        assert not button(update.json["data"], "gpubot:pick:rtx-6000-ada:").get("disabled")
        (notice,) = await interaction.followups()
        assert "no longer in my catalog" in notice.json["content"] and notice.json["flags"] & EPHEMERAL


# -- a real restart: `gpubot run`, SIGTERM, `gpubot run` again ------------------------------------------


async def _run_until_ready(tmp_path: Path, fake: FakeDiscord) -> asyncio.subprocess.Process:
    fake._ready.clear()  # the previous process's READY does not count
    proc = await _gpubot_run(tmp_path, fake, gateway=True)
    await fake.wait_ready(timeout=20)
    await asyncio.sleep(0.5)  # guild_ready_timeout in the real bot
    return proc


async def _stop(proc: asyncio.subprocess.Process) -> str:
    proc.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode == 0, stderr.decode()
    return stderr.decode()


async def test_a_restarted_gpubot_run_serves_the_buttons_of_the_first(tmp_path: Path) -> None:
    async with running_fake() as fake:
        first = await _run_until_ready(tmp_path, fake)
        try:
            clarify = await ask(fake, "rtx 6000 specs")
            compare = await ask(fake, "a4000 vs a6000")
            await (await click(fake, compare, "gpubot:vote:1:")).response(timeout=10)
        finally:
            await _stop(first)
        second = await _run_until_ready(tmp_path, fake)
        try:
            picked = await (await click(fake, clarify, "gpubot:pick:rtx-6000-ada:")).response(timeout=10)
            assert picked.json["type"] == CALLBACK_UPDATE and "RTX 6000 Ada" in text(picked.json["data"])
            again = await (await click(fake, compare, "gpubot:vote:1:")).response(timeout=10)
            assert "taken back" in again.json["data"]["content"]
            refused = await (await click(fake, compare, "gpubot:del:", user_id=OTHER)).response(timeout=10)
            assert refused.json["data"]["flags"] & EPHEMERAL and int(compare.response["id"]) in fake.messages
            await (await click(fake, compare, "gpubot:del:")).response(timeout=10)
            await fake.wait_for(lambda _r: int(compare.response["id"]) not in fake.messages, timeout=10)
        finally:
            stderr = await _stop(second)
        # Every click was acknowledged above; nothing went wrong that the log would have to tell.
        assert "Traceback" not in stderr and not [line for line in stderr.splitlines() if line.startswith("ERROR")]
        assert not [line for line in stderr.splitlines() if line.startswith("WARNING bot")]
    with sqlite3.connect(tmp_path / "queries.sqlite3") as conn:
        assert conn.execute("SELECT COUNT(*) FROM feedback").fetchone()[0] == 0  # voted, then taken back
        questions = [r[0] for r in conn.execute("SELECT question FROM queries")]
    assert "rtx 6000 specs [rtx-6000-ada]" in questions
