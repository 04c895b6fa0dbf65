"""End to end: the real bot, through unmodified discord.py, against the local fake Discord server.

Every assertion is on what Discord itself would receive (message and callback payloads), and on
the query log in a real SQLite file.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.client import EXTENSIONS, GpuBot
from bot.config import Settings
from bot.engine import Engine
from bot.storage import QueryLog
from tests.fake_discord import FakeDiscord, Recorded, running_bot, running_fake

CALLBACK_MESSAGE, CALLBACK_DEFERRED, CALLBACK_UPDATE, CALLBACK_AUTOCOMPLETE = 4, 5, 7, 8
EPHEMERAL = 64
ROOT = Path(__file__).resolve().parent.parent


LONG_TEXT = "long text please"


def long_text_answers(monkeypatch: pytest.MonkeyPatch, engine: Engine) -> None:
    """``LONG_TEXT`` gets a text too long for one message that is not a list (lists are paged instead)."""
    from bot.answer import Answer

    paragraphs = [f"Paragraph {i}: " + "the same words again " * 90 for i in range(8)]
    answer = Answer(question=LONG_TEXT, intent="faq", title="A long answer", summary="\n\n".join(paragraphs))
    real = engine.answer  # every question is answered through it (one-shot asks and conversations alike)

    monkeypatch.setattr(engine, "answer", lambda query: answer if query.text == LONG_TEXT else real(query))


def _settings(tmp_path: Path, fake: FakeDiscord, **over: Any) -> Settings:
    base = {
        "db_path": tmp_path / "queries.sqlite3",
        "discord_token": FakeDiscord.TOKEN,
        "api_base": fake.api_base,
        "gateway_url": fake.gateway_url,
        "cooldown_rate": 1000,
        "cooldown_per": 60.0,
    }
    base.update(over)
    return Settings(**base)


class Harness:
    def __init__(self, fake: FakeDiscord, bot: GpuBot) -> None:
        self.fake = fake
        self.bot = bot

    async def ask(self, content: str, **kw: Any) -> Recorded:
        mark = self.fake.mark()
        await self.fake.message(content, mentions_bot=kw.pop("mentions_bot", True), **kw)
        return await self.fake.next_message(after=mark)

    async def rows(self) -> list[tuple[Any, ...]]:
        assert self.bot.query_log is not None
        for _ in range(500):  # an answer is logged once Discord confirmed it: let the sends finish
            if not self.bot.in_flight:
                break
            await asyncio.sleep(0.01)
        await self.bot.query_log.flush()
        with sqlite3.connect(self.bot.settings.database) as conn:
            return conn.execute(
                "SELECT source, guild_id, channel_id, user_id, question, intent, answered FROM queries ORDER BY id"
            ).fetchall()


@pytest.fixture
async def harness(tmp_path: Path, engine: Engine) -> AsyncIterator[Harness]:
    async with running_fake() as fake:
        settings = _settings(tmp_path, fake)
        qlog = await QueryLog.open(settings.database)
        bot = GpuBot(settings=settings, engine=engine, query_log=qlog, guild_ready_timeout=0.05)
        async with running_bot(fake, bot):
            await bot.tree.sync()
            yield Harness(fake, bot)


def _embeds_text(payload: dict[str, Any]) -> str:
    return json.dumps(payload.get("embeds") or [], ensure_ascii=False)


def _custom_ids(payload: dict[str, Any]) -> list[str]:
    ids = []
    for row in payload.get("components") or []:
        for comp in row.get("components") or []:
            if comp.get("custom_id"):
                ids.append(comp["custom_id"])
    return ids


def _button(payload: dict[str, Any], prefix: str) -> str:
    """The custom id of the button whose id starts with ``prefix`` (``gpubot:all:``, ``gpubot:pick:rtx-a6000:``)."""
    return next(c for c in _custom_ids(payload) if c.startswith(prefix))


def _enabled(payload: dict[str, Any], custom_id: str) -> bool:
    return any(
        c.get("custom_id") == custom_id and not c.get("disabled")
        for row in payload.get("components") or []
        for c in row.get("components") or []
    )


def _assert_within_limits(payload: dict[str, Any]) -> None:
    assert len(payload.get("content") or "") <= 2000
    embeds = payload.get("embeds") or []
    assert len(embeds) <= 10
    total = 0
    for e in embeds:
        assert len(e.get("title") or "") <= 256
        assert len(e.get("description") or "") <= 4096
        assert len(e.get("fields") or []) <= 25
        for f in e.get("fields") or []:
            assert len(f["name"]) <= 256 and len(f["value"]) <= 1024
        assert len((e.get("footer") or {}).get("text") or "") <= 2048
        total += len(e.get("title") or "") + len(e.get("description") or "")
        total += sum(len(f["name"]) + len(f["value"]) for f in e.get("fields") or [])
        total += len((e.get("footer") or {}).get("text") or "")
    assert total <= 6000


# -- structure ----------------------------------------------------------------------------------


async def test_every_extension_loads_and_every_option_is_described(engine: Engine, tmp_path: Path) -> None:
    bot = GpuBot(settings=Settings(db_path=tmp_path / "q.sqlite3"), engine=engine, query_log=None)
    async with bot:
        for name in EXTENSIONS:
            await bot.load_extension(name)
        commands = {c.name: c for c in bot.tree.get_commands()}
        assert {"gpu", "spec", "compare", "ask", "recommend", "faq", "stats"} <= set(commands)
        for command in commands.values():
            payload = command.to_dict(bot.tree)
            assert payload["description"]
            for option in payload.get("options", []):
                assert option["description"] and option["description"] != "…", (command.name, option["name"])
        recommend = commands["recommend"].to_dict(bot.tree)
        workload = next(o for o in recommend["options"] if o["name"] == "workload")
        assert {c["value"] for c in workload["choices"]} == set(engine.catalog.workloads)


# -- natural questions ----------------------------------------------------------------------------


async def test_mention_compare_reply(harness: Harness) -> None:
    sent = await harness.ask("A4000 vs A6000?")
    payload = sent.json
    assert payload["message_reference"]["message_id"]
    text = _embeds_text(payload)
    assert "16 GB" in text and "48 GB" in text and "448 GB/s" in text and "768 GB/s" in text
    assert payload["allowed_mentions"]["parse"] == []
    assert _button(payload, "gpubot:all:") and _button(payload, "gpubot:vote:1:") and _button(payload, "gpubot:del:")
    assert payload["embeds"][0]["footer"]["text"].startswith("Source: https://")
    _assert_within_limits(payload)
    rows = await harness.rows()
    assert rows[-1][:6] == (
        "discord",
        FakeDiscord.GUILD_ID,
        FakeDiscord.CHANNEL_ID,
        FakeDiscord.MEMBER_ID,
        "A4000 vs A6000?",
        "compare",
    )


async def test_unaddressed_messages_are_ignored_but_dms_are_answered(harness: Harness) -> None:
    mark = harness.fake.mark()
    await harness.fake.message("a6000 vram", mentions_bot=False)
    sent = await harness.ask("a6000 vram", guild=False, mentions_bot=False)
    assert "48 GB" in _embeds_text(sent.json)
    posts = [r for r in harness.fake.requests[mark:] if r.method == "POST" and r.path.endswith("/messages")]
    assert len(posts) == 1  # only the DM got an answer


async def test_everyone_is_never_pinged(harness: Harness) -> None:
    sent = await harness.ask("@everyone @here <@&123> what's the best gpu for training", mention_everyone=True)
    assert sent.json["allowed_mentions"] == {"parse": []} or (
        sent.json["allowed_mentions"]["parse"] == []
        and not sent.json["allowed_mentions"].get("users")
        and not sent.json["allowed_mentions"].get("roles")
    )
    assert sent.json["allowed_mentions"].get("replied_user") in (False, None)
    rows = await harness.rows()
    assert rows[-1][0] == "discord" and rows[-1][4].startswith("@everyone") and rows[-1][3] == FakeDiscord.MEMBER_ID


async def test_clarify_buttons_and_pick(harness: Harness) -> None:
    sent = await harness.ask("rtx 6000 specs")
    picks = {c.split(":")[2] for c in _custom_ids(sent.json) if c.startswith("gpubot:pick:")}
    assert {"rtx-a6000", "rtx-6000-ada", "quadro-rtx-6000"} <= picks
    message_id = int(sent.response["id"])
    ada = _button(sent.json, "gpubot:pick:rtx-6000-ada:")
    # Someone else cannot pick for the asker.
    other = await harness.fake.click(message_id, ada, user_id=FakeDiscord.ADMIN_ID)
    refused = await other.response()
    assert refused.json["type"] == CALLBACK_MESSAGE and refused.json["data"]["flags"] & EPHEMERAL
    # The asker's click answers the original question for that GPU, in place.
    click = await harness.fake.click(message_id, ada)
    response = await click.response()
    assert response.json["type"] == CALLBACK_UPDATE
    text = _embeds_text(response.json["data"])
    assert "RTX 6000 Ada" in text and "48 GB" in text
    rows = await harness.rows()
    assert any(r[4] == "rtx 6000 specs [rtx-6000-ada]" and r[5] == "lookup" for r in rows)


async def test_fit_variants_offer_buttons_and_pick(harness: Harness) -> None:
    """A fit question whose variants get different verdicts answers each, with a button per variant."""
    question = "can one A100 run llama 3.1 70b at fp8?"
    sent = await harness.ask(question)
    picks = {c.split(":")[2] for c in _custom_ids(sent.json) if c.startswith("gpubot:pick:")}
    assert {"a100-40gb-pcie", "a100-80gb-sxm"} <= picks
    assert "It depends on which" in _embeds_text(sent.json)
    click = await harness.fake.click(int(sent.response["id"]), _button(sent.json, "gpubot:pick:a100-80gb-sxm:"))
    response = await click.response()
    assert response.json["type"] == CALLBACK_UPDATE
    text = _embeds_text(response.json["data"])
    assert "A100 80GB SXM4" in text and "80 GB" in text and "It depends on which" not in text
    rows = await harness.rows()
    assert any(r[4] == f"{question} [a100-80gb-sxm]" and r[5] == "fits" for r in rows)


async def test_same_value_on_every_variant_is_answered_without_buttons(harness: Harness) -> None:
    sent = await harness.ask("h800 memory")
    ids = _custom_ids(sent.json)
    assert not [c for c in ids if c.startswith("gpubot:pick:")] and _button(sent.json, "gpubot:all:")
    assert "80 GB" in _embeds_text(sent.json)


async def test_feedback_is_logged(harness: Harness) -> None:
    sent = await harness.ask("a6k bandwidth")
    click = await harness.fake.click(int(sent.response["id"]), _button(sent.json, "gpubot:vote:1:"))
    response = await click.response()
    assert response.json["data"]["flags"] & EPHEMERAL
    assert harness.bot.query_log is not None
    stats = await harness.bot.query_log.stats()
    assert stats.votes_up == 1


async def test_all_specs_button(harness: Harness) -> None:
    sent = await harness.ask("a4000 vs a6000")
    click = await harness.fake.click(int(sent.response["id"]), _button(sent.json, "gpubot:all:"))
    response = await click.response()
    pages = [response.json["data"]]  # a long list comes in pages: turn them all
    original = click.original()
    assert original is not None
    while _enabled(pages[-1], turn := _button(pages[-1], "gpubot:next:")):
        nxt = await harness.fake.click(int(original["id"]), turn)
        pages.append((await nxt.response()).json["data"])
    assert len(pages) > 1
    text = " ".join(_embeds_text(p) for p in pages)
    assert "Transistors" in text and "Display outputs" in text


async def test_long_answer_is_split_within_limits(
    harness: Harness, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    long_text_answers(monkeypatch, engine)
    mark = harness.fake.mark()
    sent = await harness.ask(LONG_TEXT)
    await asyncio.sleep(0.3)
    posts = [r for r in harness.fake.requests[mark:] if r.method == "POST" and r.path.endswith("/messages")]
    assert len(posts) >= 2, "a text of 8 long paragraphs cannot fit one message"
    for post in posts:
        assert post.ok, post
        _assert_within_limits(post.json)
    assert sent.json["message_reference"]
    rows = await harness.rows()
    assert rows[-1][4] == LONG_TEXT and rows[-1][5] == "faq"


async def test_long_list_is_paged_within_limits(harness: Harness) -> None:
    question = "compare h100 sxm, a100 80gb sxm, mi300x and h200 sxm all specs"
    mark = harness.fake.mark()
    sent = await harness.ask(question)
    await asyncio.sleep(0.3)
    posts = [r for r in harness.fake.requests[mark:] if r.method == "POST" and r.path.endswith("/messages")]
    assert len(posts) == 1, "45 fields x 4 GPUs: one message with ◀ n/N ▶, not several"
    _assert_within_limits(sent.json)
    assert _button(sent.json, "gpubot:next:") and _button(sent.json, "gpubot:pageno:")
    rows = await harness.rows()
    assert rows[-1][4] == question and rows[-1][5] == "compare"


async def test_cooldown_notice(tmp_path: Path, engine: Engine) -> None:
    async with running_fake() as fake:
        settings = _settings(tmp_path, fake, cooldown_rate=2, cooldown_per=60.0)
        bot = GpuBot(
            settings=settings,
            engine=engine,
            query_log=await QueryLog.open(settings.database),
            guild_ready_timeout=0.05,
        )
        async with running_bot(fake, bot):
            await bot.tree.sync()
            h = Harness(fake, bot)
            await h.ask("a6k vram")
            await h.ask("a4k vram")
            notice = await h.ask("4090 vram")
            assert "Easy there" in notice.json["content"]
            slash = await fake.slash("gpu", {"name": "rtx-a6000"})
            response = await slash.response()
            assert response.json["data"]["flags"] & EPHEMERAL
            assert "Easy there" in response.json["data"]["content"]
            other = await fake.slash("gpu", {"name": "rtx-a6000"}, user_id=FakeDiscord.ADMIN_ID)
            assert (await other.response()).json["data"].get("embeds")
            rows = await h.rows()
            assert [r[5] for r in rows].count("cooldown") == 2


# -- slash commands -------------------------------------------------------------------------------


async def test_slash_compare(harness: Harness) -> None:
    interaction = await harness.fake.slash("compare", {"gpu1": "a4000", "gpu2": "a6k", "fields": "memory, bandwidth"})
    response = await interaction.response()
    assert response.json["type"] == CALLBACK_MESSAGE
    data = response.json["data"]
    fields = {f["name"]: f["value"] for f in data["embeds"][0]["fields"]}
    assert "RTX A4000: 16 GB" in fields["Memory"] and "RTX A6000: **48 GB**" in fields["Memory"]
    assert "448 GB/s" in fields["Memory bandwidth"]
    assert data["allowed_mentions"]["parse"] == []
    rows = await harness.rows()
    assert rows[-1][4].startswith("/compare rtx-a4000 rtx-a6000") and rows[-1][5] == "compare"


async def test_slash_gpu_autocomplete(harness: Harness) -> None:
    interaction = await harness.fake.autocomplete("gpu", {"name": "a6k"}, "name")
    response = await interaction.response()
    assert response.json["type"] == CALLBACK_AUTOCOMPLETE
    choices = response.json["data"]["choices"]
    assert 1 <= len(choices) <= 25
    assert choices[0]["name"].startswith("RTX A6000") and choices[0]["value"] == "rtx-a6000"
    wide = await (await harness.fake.autocomplete("gpu", {"name": "rtx"}, "name")).response()
    assert len(wide.json["data"]["choices"]) <= 25
    rows = await harness.rows()
    assert ("/gpu name=a6k", "autocomplete") in [(r[4], r[5]) for r in rows]


async def test_slash_gpu_and_spec(harness: Harness) -> None:
    card = await (await harness.fake.slash("gpu", {"name": "a6k"})).response()
    assert "NVIDIA RTX A6000" in _embeds_text(card.json["data"])
    spec = await (await harness.fake.slash("spec", {"gpu": "4090", "field": "vram"})).response()
    assert "24 GB" in _embeds_text(spec.json["data"])
    unknown = await (await harness.fake.slash("gpu", {"name": "rtx 6000"})).response()
    assert unknown.json["data"]["flags"] & EPHEMERAL and "Did you mean" in unknown.json["data"]["content"]
    fields = await (await harness.fake.autocomplete("spec", {"gpu": "rtx-a6000", "field": "bw"}, "field")).response()
    assert fields.json["data"]["choices"][0]["value"] == "memory_bandwidth_gbs"


async def test_slash_ask_recommend_faq(harness: Harness) -> None:
    ask = await (await harness.fake.slash("ask", {"question": "A4000 or A6000 for training?"})).response()
    assert "RTX A6000" in ask.json["data"]["embeds"][0]["description"]
    rec = await (await harness.fake.slash("recommend", {"workload": "training", "budget": 2000})).response()
    assert "$" in _embeds_text(rec.json["data"])
    topics = await (await harness.fake.autocomplete("faq", {"topic": "power"}, "topic")).response()
    assert any(c["value"] == "power-data-center" for c in topics.json["data"]["choices"])
    faq = await (await harness.fake.slash("faq", {"topic": "power-data-center"})).response()
    assert "300 W" in _embeds_text(faq.json["data"])


async def test_stats_needs_manage_server(harness: Harness) -> None:
    refused = await (await harness.fake.slash("stats")).response()
    assert refused.json["data"]["flags"] & EPHEMERAL
    assert "Manage Server" in refused.json["data"]["content"]
    allowed = await harness.fake.slash("stats", user_id=FakeDiscord.ADMIN_ID)
    deferred = await allowed.response()
    assert deferred.json["type"] == CALLBACK_DEFERRED and deferred.json["data"]["flags"] & EPHEMERAL
    followup = (await allowed.followups())[0]
    assert "questions logged" in _embeds_text(followup.json)
    rows = await harness.rows()
    assert [r[5] for r in rows][-2:] == ["refused", "stats"]


# -- the real entry point as a subprocess -----------------------------------------------------------


def _run_env(tmp_path: Path, fake: FakeDiscord, *, gateway: bool) -> dict[str, str]:
    env = {
        **os.environ,
        "DISCORD_TOKEN": FakeDiscord.TOKEN,
        "DISCORD_API_BASE": fake.api_base,
        "GPUBOT_DB": str(tmp_path / "queries.sqlite3"),
        "GPUBOT_LOG_LEVEL": "INFO",
    }
    env.pop("DISCORD_GATEWAY_URL", None)
    if gateway:
        env["DISCORD_GATEWAY_URL"] = fake.gateway_url
    return env


async def _gpubot_run(
    tmp_path: Path, fake: FakeDiscord, *, gateway: bool, extra: dict[str, str] | None = None
) -> asyncio.subprocess.Process:
    """`python -m bot run` as a real subprocess, pointed at the fake server (``extra``: more environment)."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env={**_run_env(tmp_path, fake, gateway=gateway), **(extra or {})},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


@pytest.mark.parametrize("gateway", [False, True], ids=["gateway-from-api", "gateway-url-set"])
async def test_gpubot_run_subprocess(tmp_path: Path, gateway: bool) -> None:
    async with running_fake() as fake:
        proc = await _gpubot_run(tmp_path, fake, gateway=gateway)
        try:
            await fake.wait_ready(timeout=20)
            await asyncio.sleep(0.5)  # guild_ready_timeout in the real bot
            mark = fake.mark()
            await fake.message("a6k bandwidth?", mentions_bot=True)
            reply = await fake.next_message(after=mark, timeout=10)
            assert "768 GB/s" in _embeds_text(reply.json)
            slash = await fake.slash("gpu", {"name": "a4000"})
            assert "16 GB" in _embeds_text((await slash.response(timeout=10)).json["data"])
        finally:
            proc.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(proc.communicate(), 20)
        assert proc.returncode == 0, stderr.decode()
        assert FakeDiscord.TOKEN not in stderr.decode()
    with sqlite3.connect(tmp_path / "queries.sqlite3") as conn:
        logged = conn.execute("SELECT source, question FROM queries ORDER BY id").fetchall()
    assert ("discord", "a6k bandwidth?") in logged and ("discord", "/gpu rtx-a4000") in logged


async def test_gpubot_run_explains_a_refused_intent(tmp_path: Path) -> None:
    async with running_fake(intents_message_content=False) as fake:
        proc = await _gpubot_run(tmp_path, fake, gateway=True)
        _, stderr = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 1
    assert "Message Content intent" in stderr.decode() and "GPUBOT_MESSAGE_CONTENT=0" in stderr.decode()


def test_run_without_token_exits_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "gpubot chat" in proc.stderr


# -- lifecycle, errors, secrets -------------------------------------------------------------------


async def test_errors_get_an_apology_without_internals(
    tmp_path: Path, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    from discord import app_commands

    class Broken(app_commands.Group):
        @app_commands.command(name="boom", description="Always fails")
        async def boom(self, interaction: Any) -> None:
            raise RuntimeError("internal detail: /etc/secret-path")

    async with running_fake() as fake:
        settings = _settings(tmp_path, fake)
        bot = GpuBot(settings=settings, engine=engine, query_log=None, guild_ready_timeout=0.05)
        bot.tree.add_command(Broken(name="broken", description="Test group"))
        async with running_bot(fake, bot):
            await bot.tree.sync()
            response = await (await fake.slash("broken", subcommand="boom")).response()
            content = response.json["data"]["content"]
            assert response.json["data"]["flags"] & EPHEMERAL
            assert "Sorry" in content and "secret-path" not in content and "RuntimeError" not in content
    assert any("secret-path" in (r.exc_text or "") or r.exc_info for r in caplog.records if r.levelname == "ERROR")


async def test_token_never_logged(tmp_path: Path, engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    token = "MTIz.secret-token-value.abc"  # noqa: S105 - a test value
    async with running_fake(token=token) as fake:
        settings = _settings(tmp_path, fake, discord_token=token)
        bot = GpuBot(settings=settings, engine=engine, query_log=None, guild_ready_timeout=0.05)
        async with running_bot(fake, bot, token=token):
            await Harness(fake, bot).ask("a6k vram")
    assert caplog.records and token not in caplog.text


async def test_sync_to_a_guild(tmp_path: Path, engine: Engine) -> None:
    from bot.discord_run import sync_commands

    async with running_fake() as fake:
        settings = _settings(tmp_path, fake)
        names = await sync_commands(settings, engine, guild_id=FakeDiscord.GUILD_ID)
        assert {"gpu", "spec", "compare", "ask", "recommend", "faq", "stats"} <= set(names)
        assert fake.command_id("gpu", guild_id=FakeDiscord.GUILD_ID) is not None
        assert fake.command_id("gpu") is None  # nothing global: on demand, one guild


async def test_works_without_the_message_content_intent(tmp_path: Path, engine: Engine) -> None:
    """Mentions and DMs carry their content without the privileged intent; only channels need it."""
    async with running_fake(intents_message_content=False) as fake:
        settings = _settings(tmp_path, fake, message_content=False)
        bot = GpuBot(settings=settings, engine=engine, query_log=None, guild_ready_timeout=0.05)
        async with running_bot(fake, bot):
            assert not fake.intents & (1 << 15)
            sent = await Harness(fake, bot).ask("a6k bandwidth")
            assert "768 GB/s" in _embeds_text(sent.json)


async def test_answer_channels_need_no_mention(tmp_path: Path, engine: Engine) -> None:
    async with running_fake() as fake:
        settings = _settings(tmp_path, fake, answer_channels=frozenset({FakeDiscord.OTHER_CHANNEL_ID}))
        bot = GpuBot(settings=settings, engine=engine, query_log=None, guild_ready_timeout=0.05)
        async with running_bot(fake, bot):
            assert fake.intents & (1 << 15)
            h = Harness(fake, bot)
            sent = await h.ask("t4 vram", mentions_bot=False, channel_id=FakeDiscord.OTHER_CHANNEL_ID)
            assert "16 GB" in _embeds_text(sent.json)


async def test_slash_fits(harness: Harness) -> None:
    choices = await (await harness.fake.autocomplete("fits", {"model": "llama 3 70"}, "model")).response()
    values = [c["value"] for c in choices.json["data"]["choices"]]
    assert "llama-3-70b" in values and len(values) <= 25
    response = await (
        await harness.fake.slash("fits", {"model": "llama-3-70b", "gpu": "a6000", "precision": "int4"})
    ).response()
    text = _embeds_text(response.json["data"])
    assert "Yes" in text and "48 GB" in text and "KV cache" in text
    rows = await harness.rows()
    assert rows[-1][4] == "/fits llama-3-70b rtx-a6000 precision=int4" and rows[-1][5] == "fits"


async def test_software_and_outside_questions_over_discord(harness: Harness) -> None:
    """What runs on a card, and hardware the catalog does not cover, reach Discord and the query log."""
    sent = await harness.ask("does the 7900 xtx support pytorch?")
    assert "ROCm" in _embeds_text(sent.json)
    _assert_within_limits(sent.json)
    sent = await harness.ask("macbook m3 max for llm?")
    assert "Apple silicon" in _embeds_text(sent.json)
    assert sent.json["allowed_mentions"]["parse"] == []
    rows = await harness.rows()
    assert rows[-2][4:] == ("does the 7900 xtx support pytorch?", "faq", 1)
    assert rows[-1][4:] == ("macbook m3 max for llm?", "unknown", 0)  # logged as unanswered, for the team
