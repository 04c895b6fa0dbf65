"""Charts and glanceable replies on Discord, end to end: the real bot against the fake Discord server.

A comparison, a ranking and a fit arrive with a PNG attachment that the embed shows (``attachment://chart.png``);
a comparison embed has at most eight fields before "Show all"; a send retried after a fault carries the picture
again; with charts turned off, or for an answer without one, nothing is attached. The bots get one warm renderer
passed in, as ``run_bot`` does.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

import bot.discord_delivery
from bot.client import GpuBot
from bot.config import Settings
from bot.discord_chart import CHART_NAME, ChartRenderer
from bot.engine import Engine
from bot.render_discord import SHOW_ALL
from tests.fake_discord import FakeDiscord, Recorded, running_bot, running_fake
from tests.fake_faults import FailNext, is_message_create
from tests.test_charts import png_size

CALLBACK_MESSAGE = 4


class Harness:
    def __init__(self, fake: FakeDiscord, bot: GpuBot) -> None:
        self.fake = fake
        self.bot = bot

    async def ask(self, content: str) -> Recorded:
        mark = self.fake.mark()
        await self.fake.message(content, mentions_bot=True)
        return await self.fake.next_message(after=mark, timeout=15)


@pytest.fixture(scope="module")
def renderer() -> Iterator[ChartRenderer]:
    """One warm renderer (a worker process) for the module's bots, as ``run_bot`` passes one in."""
    charts = ChartRenderer(backlog=8, timeout=30, duty=1.0)  # a loaded test machine: every picture, none skipped
    charts.wait_ready(120)
    yield charts
    charts.close()


async def _harness(
    tmp_path: Path, engine: Engine, renderer: ChartRenderer | None, **over: Any
) -> AsyncIterator[Harness]:
    async with running_fake() as fake:
        settings = Settings(
            db_path=tmp_path / "queries.sqlite3",
            discord_token=FakeDiscord.TOKEN,
            api_base=fake.api_base,
            gateway_url=fake.gateway_url,
            cooldown_rate=1000,
            **over,
        )
        gpubot = GpuBot(settings=settings, engine=engine, query_log=None, guild_ready_timeout=0.05, charts=renderer)
        async with running_bot(fake, gpubot):
            await gpubot.tree.sync()
            yield Harness(fake, gpubot)


@pytest.fixture
async def harness(tmp_path: Path, engine: Engine, renderer: ChartRenderer) -> AsyncIterator[Harness]:
    async for h in _harness(tmp_path, engine, renderer):
        yield h


@pytest.fixture
async def no_charts(tmp_path: Path, engine: Engine) -> AsyncIterator[Harness]:
    async for h in _harness(tmp_path, engine, None, charts=False):
        yield h


def _chart_of(rec: Recorded) -> bytes:
    """The PNG a message carried, after checking the embed shows that very attachment."""
    names = [name for name, _ in rec.files]
    assert names == [CHART_NAME], names
    embed = rec.json["embeds"][0]
    assert embed["image"]["url"] == f"attachment://{CHART_NAME}"
    attachments = rec.response["attachments"]
    assert [a["filename"] for a in attachments] == [CHART_NAME]
    return rec.files[0][1]


@pytest.mark.parametrize(
    "question",
    ["A4000 vs A6000", "which gpu has the most memory?", "can I run llama 3 70b in 4-bit on one A6000?"],
)
async def test_answers_with_a_chart_attach_it_and_show_it(harness: Harness, question: str) -> None:
    sent = await harness.ask(question)
    width, height = png_size(_chart_of(sent))
    assert 600 <= width <= 1200 and 200 <= height <= 1400


async def test_a_comparison_reads_at_a_glance(harness: Harness) -> None:
    sent = await harness.ask("A4000 vs A6000")
    embeds = sent.json["embeds"]
    assert sum(len(e.get("fields") or []) for e in embeds) <= 8
    first = embeds[0]
    assert first["description"].startswith("The RTX A6000 is ahead on most specs: 3× the memory (48 GB vs 16 GB)")
    assert f"under “{SHOW_ALL}”" in first["description"]
    fields = {f["name"]: f["value"] for f in first["fields"]}
    assert "RTX A4000: 16 GB" in fields["Memory"] and "RTX A6000: **48 GB**" in fields["Memory"]
    assert "448 GB/s" in fields["Memory bandwidth"] and "**768 GB/s**" in fields["Memory bandwidth"]
    assert "Note:" not in json.dumps(first["fields"])


async def test_a_slash_comparison_attaches_its_chart(harness: Harness) -> None:
    interaction = await harness.fake.slash("compare", {"gpu1": "a4000", "gpu2": "a6k"})
    response = await interaction.response(timeout=15)
    assert response.json["type"] == CALLBACK_MESSAGE
    assert [name for name, _ in response.files] == [CHART_NAME]
    assert response.json["data"]["embeds"][0]["image"]["url"] == f"attachment://{CHART_NAME}"
    assert png_size(response.files[0][1])[0] > 0


async def test_no_attachment_without_a_chart(harness: Harness) -> None:
    sent = await harness.ask("a6000 vram")
    assert sent.files == [] and "image" not in sent.json["embeds"][0]


async def test_charts_can_be_turned_off(no_charts: Harness) -> None:
    sent = await no_charts.ask("A4000 vs A6000")
    assert sent.files == [] and "image" not in sent.json["embeds"][0]
    assert sum(len(e.get("fields") or []) for e in sent.json["embeds"]) <= 8


async def test_a_retried_send_carries_the_chart_again(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """discord.py closes a file once sent: every attempt gets a fresh one, so the retry is whole."""
    monkeypatch.setattr(bot.discord_delivery, "RETRY_DELAYS", (0.02, 0.04, 0.08))
    fault = FailNext(count=1, status=503)
    harness.fake.rest_hooks.append(fault)
    await harness.fake.message("A4000 vs A6000", mentions_bot=True)
    sent = await harness.fake.wait_for(lambda r: is_message_create(r) and r.ok, timeout=15)
    assert len(fault.failed) == 1 and [n for n, _ in fault.failed[0].files] == [CHART_NAME]
    assert _chart_of(sent) == fault.failed[0].files[0][1]


async def test_show_all_gives_what_a_glance_leaves_out(harness: Harness) -> None:
    """A fit whose notes a glance trims gets the "Show all" button; a click sends every note, every point."""
    question = "1 H100 PCIe or 2 L40S for full fine tuning llama 3 8b"
    sent = await harness.ask(question)
    ids = [c["custom_id"] for row in sent.json["components"] for c in row["components"] if c.get("custom_id")]
    labels = [c.get("label") for row in sent.json["components"] for c in row["components"]]
    show_all = next(i for i in ids if i.startswith("gpubot:all:"))
    assert SHOW_ALL in labels and f"under “{SHOW_ALL}”" in sent.json["embeds"][0]["description"]
    click = await harness.fake.click(int(sent.response["id"]), show_all)
    response = await click.response(timeout=15)
    shown = json.dumps(response.json["data"]["embeds"], ensure_ascii=False)
    answer = harness.bot.engine.ask(question)
    assert all(note[:60] in shown for note in answer.notes)
    assert len(answer.notes) > 2
