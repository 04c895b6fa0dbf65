"""Hub lookups on Discord: the real bot against the fake Discord and the fake Hub; lookups run off the event loop
and are limited per user."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.catalog import Catalog
from bot.client import GpuBot
from bot.config import Settings
from bot.engine import Engine
from bot.hub import HubClient, HubSettings
from bot.hub_ask import HubAsk
from bot.hub_gate import HubGate
from bot.storage import QueryLog
from tests.fake_discord import FakeDiscord, running_bot, running_fake
from tests.fake_hub import FakeHub

CALLBACK_MESSAGE = 4
CALLBACK_DEFERRED = 5


@pytest.fixture(scope="module")
def engine(catalog: Catalog) -> Engine:
    return Engine(catalog)


@pytest.fixture
async def bot(tmp_path: Path, engine: Engine, hub: FakeHub) -> AsyncIterator[tuple[FakeDiscord, GpuBot]]:
    async with running_fake() as fake:
        settings = Settings(
            db_path=tmp_path / "q.sqlite3",
            discord_token=FakeDiscord.TOKEN,
            api_base=fake.api_base,
            gateway_url=fake.gateway_url,
            cooldown_rate=1000,
            cooldown_per=60.0,
        )
        qlog = await QueryLog.open(settings.database)
        client = HubClient(HubSettings(endpoint=hub.url, cache=tmp_path / "hub"))
        gpubot = GpuBot(settings=settings, engine=engine, query_log=qlog, guild_ready_timeout=0.05)
        gpubot.hub = HubGate(engine, HubAsk(engine, lambda: client))
        async with running_bot(fake, gpubot):
            await gpubot.tree.sync()
            yield fake, gpubot


def _text(payload: dict[str, Any]) -> str:
    return "\n".join(str(e.get("description", "")) + str(e.get("fields", "")) for e in payload.get("embeds", []))


async def test_mention_with_a_hub_id(bot: tuple[FakeDiscord, GpuBot]) -> None:
    fake, _ = bot
    mark = fake.mark()
    await fake.message("can I run Qwen/Qwen3-30B-A3B on a 4090?", mentions_bot=True)
    sent = await fake.next_message(after=mark, timeout=30)
    text = str(sent.json)
    assert "Qwen/Qwen3-30B-A3B" in text and "30,532,122,624" in text


async def test_slash_fits_takes_a_hub_id(bot: tuple[FakeDiscord, GpuBot]) -> None:
    fake, _ = bot
    interaction = await fake.slash("fits", {"model": "openai/gpt-oss-20b", "gpu": "rtx-4090"})
    first = await interaction.response()
    assert first.json["type"] == CALLBACK_DEFERRED  # deferred: a lookup may outlast Discord's 3 seconds
    followup = await fake.wait_for(lambda r: r.method == "POST" and "/webhooks/" in r.path, timeout=30)
    assert "openai/gpt-oss-20b" in str(followup.json) and "20,914,757,184" in str(followup.json)


async def test_slash_ask_with_a_hub_url(bot: tuple[FakeDiscord, GpuBot]) -> None:
    fake, _ = bot
    url = "https://huggingface.co/Qwen/Qwen2.5-7B-Instruct-GGUF q4_k_m on a 3060 12gb"
    interaction = await fake.slash("ask", {"question": url})
    assert (await interaction.response()).json["type"] == CALLBACK_DEFERRED
    followup = await fake.wait_for(lambda r: r.method == "POST" and "/webhooks/" in r.path, timeout=30)
    assert "4,683,073,632 bytes" in str(followup.json)


class _SlowHub(HubAsk):
    def prepare(self, question: str) -> list[str]:
        time.sleep(0.3)  # a slow Hub
        return ["looked up"]


async def test_lookups_run_off_the_event_loop(engine: Engine) -> None:
    gate = HubGate(engine, _SlowHub(engine))
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    notes = await gate.prepare("org/Some-Model-7B on a 3090", user_id=1)
    ticker.cancel()
    assert notes == ["looked up"] and ticks >= 10  # the loop kept running while the lookup slept


async def test_lookups_are_limited_per_user(engine: Engine) -> None:
    now = [0.0]
    gate = HubGate(engine, _SlowHub(engine), per_user=2, window=60.0, clock=lambda: now[0])
    question = "org/Some-Model-7B on a 3090"
    assert await gate.prepare(question, 1) == ["looked up"]
    assert await gate.prepare(question, 1) == ["looked up"]
    limited = await gate.prepare(question, 1)
    assert "limited to 2 per 60 s" in limited[0]
    assert await gate.prepare(question, 2) == ["looked up"]  # another user is not held up
    both = await asyncio.gather(gate.prepare(question, 3), gate.prepare(question, 3))
    assert sorted(len(n[0]) > 20 for n in both) == [False, True]  # one at a time per user
    now[0] = 61.0
    assert await gate.prepare(question, 1) == ["looked up"]
    assert await gate.prepare("a6000 vram", 1) == []  # no id: no lookup, no limit


async def test_hub_candidates_are_buttons_and_a_pick_answers(bot: tuple[FakeDiscord, GpuBot]) -> None:
    fake, _ = bot
    mark = fake.mark()
    await fake.message("can i run glm 4.7 on a 4090?", mentions_bot=True)
    sent = await fake.next_message(after=mark, timeout=30)
    buttons = [c for row in sent.json.get("components", []) for c in row.get("components", [])]
    picks = [b for b in buttons if b["custom_id"].startswith("gpubot:pick:")]
    assert [b["label"] for b in picks] == ["zai-org/GLM-4.7-Flash (31.2B)"]
    click = await fake.click(int(sent.response["id"]), picks[0]["custom_id"])
    response = await click.response()
    titles = [e.get("title") for e in response.json["data"]["embeds"]]
    assert titles[0] == "Can you run zai-org/GLM-4.7-Flash?"
    assert "huggingface.co" in response.json["data"]["embeds"][0]["footer"]["text"]


async def test_slash_ask_defers_only_for_a_hub_search(bot: tuple[FakeDiscord, GpuBot]) -> None:
    """A model name the catalog lacks is searched on the Hub: deferred first (a search may outlast Discord's 3 s),
    then followed up; a question the catalog answers is answered at once, with no deferral."""
    fake, gpubot = bot
    searched = await fake.slash("ask", {"question": "can i run glm 4.7 flash on a 4090?"})
    assert (await searched.response()).json["type"] == CALLBACK_DEFERRED
    path = f"/webhooks/{FakeDiscord.APP_ID}/{searched.token}"
    followup = await fake.wait_for(lambda r: r.method == "POST" and r.path.startswith(path), timeout=30)
    assert "zai-org/GLM-4.7-Flash" in str(followup.json)
    for question in ("a6000 vram", "can i run llama 3 70b on two 3090s?", "a4000 vs a6000 for training"):
        late = gpubot.gate.deferred  # a deferral for a backlog (an interaction that reached the bot late) is allowed
        plain = await fake.slash("ask", {"question": question})
        first = await plain.response()
        if gpubot.gate.deferred == late:  # no backlog: one callback with the answer, no deferral for the Hub
            assert first.json["type"] == CALLBACK_MESSAGE, question
