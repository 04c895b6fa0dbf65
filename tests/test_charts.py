"""Charts: the data behind them (from the catalog, as the answer states it), the PNG they draw, that drawing
happens off the event loop with a bound, and that nothing imports the plotting library unless a chart is drawn."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import itertools
import struct
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.answer import Answer, Chart, Series
from bot.catalog import Catalog
from bot.chart_data import CHART_FIELDS, memory_chart, ranking_chart, spec_chart
from bot.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk (which must come first)."""
    assert data[:8] == PNG_SIGNATURE, "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _series(chart: Chart, label: str) -> Series:
    return next(s for s in chart.series if s.label == label)


# -- the data ---------------------------------------------------------------------------------


def test_a4000_vs_a6000_chart_shows_memory_and_bandwidth(engine: Engine) -> None:
    chart = engine.ask("A4000 vs A6000").chart
    assert chart is not None and chart.kind == "bars"
    assert chart.items == ("RTX A4000", "RTX A6000")
    memory, bandwidth = _series(chart, "Memory"), _series(chart, "Memory bandwidth")
    assert memory.values == (16, 48) and memory.texts == ("16 GB", "48 GB") and memory.unit == "GB"
    assert bandwidth.values == (448, 768) and bandwidth.texts == ("448 GB/s", "768 GB/s")
    assert memory.winner == bandwidth.winner == 1
    assert _series(chart, "TDP / board power").winner == 0  # lower is better: the A4000's 140 W


def _sample(catalog: Catalog, n: int) -> list[str]:
    ids = sorted(catalog.gpus)
    return ids[:: max(1, len(ids) // n)][:n]


def test_every_comparison_chart_states_the_catalog_values(engine: Engine) -> None:
    """Across many pairs and triples: each bar is the catalog's comparable value, each text the catalog's own,
    and each winner the table's winner on that field."""
    catalog = engine.catalog
    sample = _sample(catalog, 14)
    checked = 0
    for ids in [*itertools.combinations(sample, 2), *itertools.combinations(sample[:6], 3)]:
        answer = engine.compare(list(ids))
        chart = answer.chart
        if chart is None:
            continue
        assert answer.table is not None
        rows = {r.field: r for r in answer.table.rows}
        gpus = [catalog.gpus[g] for g in ids]
        assert chart.items == tuple(g.short_name for g in gpus)
        assert 1 <= len(chart.series) <= len(CHART_FIELDS)
        for series in chart.series:
            key = next(k for k in CHART_FIELDS if catalog.fields[k].label == series.label)
            assert series.values == tuple(catalog.comparable(g, key) for g in gpus)
            assert series.unit == catalog.fields[key].unit
            for cell, text in zip(rows[key].cells, series.texts, strict=True):  # as the table prints it
                assert text == cell or cell.startswith(f"{text} (launch MSRP"), (ids, key, text, cell)
            assert series.winner == rows[key].winner, (ids, key)
        checked += 1
    assert checked > 60


@pytest.mark.parametrize(
    "question",
    [
        "which gpu has the most memory?",
        "cheapest price per gb",
        "which gpu has the lowest tdp",
        "best bandwidth per dollar",
    ],
)
def test_ranking_charts_follow_the_ranking(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    chart = answer.chart
    assert chart is not None and chart.kind == "ranking" and answer.table is not None
    assert chart.items == tuple(r.label for r in answer.table.rows)
    series = chart.series[0]
    assert series.texts == tuple(r.cells[0] for r in answer.table.rows)
    values = [v for v in series.values if v is not None]
    assert values == sorted(values, reverse=series.better == "higher")


@pytest.mark.parametrize(
    "question",
    [
        "can I run llama 3 70b in 4-bit on one A6000?",
        "llama 3 70b fp16 on 2x 3090",
        "qlora a 7b model on a 4060 ti 16gb",
        "full finetune llama 2 7b on a6000?",
        "max context for llama 3.1 8b on a 4090",
        "is 8gb enough for sdxl",
        "2x 3090 or one 4090 for 70B?",
    ],
)
def test_fit_charts_are_the_estimate_against_usable_memory(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    fit, chart = answer.fit, answer.chart
    assert fit is not None and chart is not None and chart.kind == "memory"
    assert chart.capacity == fit["usable_gb"]
    terms = {k: v for k, v in fit["terms"].items() if v != 0}  # a negative term: memory kept off the GPU
    assert sum(chart.series[0].values) == pytest.approx(fit["required_gb"], abs=0.15)  # the bar is the need stated
    if sum(terms.values()) == pytest.approx(fit["required_gb"], abs=0.15):
        assert chart.items == tuple(terms) and chart.series[0].values == tuple(terms.values())
    else:  # parts taking turns: the peak, whole
        assert chart.items == ("needed at the peak",)


def test_memory_chart_needs_terms_and_a_capacity() -> None:
    assert memory_chart({"terms": {}, "usable_gb": 25.8}, "t") is None
    assert memory_chart({"terms": {"weights": 4.0}, "usable_gb": None, "available_gb": None}, "t") is None
    chart = memory_chart({"terms": {"weights": 4.0, "KV cache": 0.0}, "usable_gb": 25.8, "gpus_count": 2}, "t")
    assert chart is not None and chart.items == ("weights",) and chart.capacity_label == "25.8 GB usable on 2 GPUs"


def test_no_chart_without_something_to_compare(engine: Engine) -> None:
    catalog = engine.catalog
    assert spec_chart(catalog, [catalog.gpus["rtx-a6000"]]) is None
    assert ranking_chart("t", [], [], [], "", "higher") is None
    for question in ("a6000 vram", "what is nvlink", "rtx 6000 specs", "best pizza topping?"):
        assert engine.ask(question).chart is None, question


# -- the picture ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "A4000 vs A6000",
        "3090 vs 4090 vs 5090 vs 7900xtx",
        "which gpu has the most memory?",
        "can I run llama 3 70b in 4-bit on one A6000?",
        "llama 3 70b fp16 on 2x 3090",
        "A4000 or A6000 for training?",
        "4090 vs 5090 price per GB",
    ],
)
def test_charts_draw_as_pngs_of_sensible_size(engine: Engine, question: str) -> None:
    from bot.render_chart import render_png

    chart = engine.ask(question).chart
    assert chart is not None
    data = render_png(chart)
    width, height = png_size(data)
    assert 600 <= width <= 1200 and 200 <= height <= 1400, (width, height)
    assert 5_000 < len(data) < 500_000
    from PIL import Image  # matplotlib's own dependency: the file opens and decodes as a PNG

    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG" and image.size == (width, height)
        image.load()


def test_dollar_signs_are_drawn_as_text() -> None:
    """matplotlib reads "$...$" as math; prices must come out as written, not fail or turn italic."""
    from bot.render_chart import render_png

    series = Series("Launch price (MSRP)", "USD", (1599.0, 1999.0), ("$1,599", "$1,999"), 0, "lower")
    chart = Chart("bars", "$1,599 vs $1,999", ("$A", "B$"), (series,))
    assert png_size(render_png(chart))[0] > 0


def test_gpubot_ask_chart_writes_the_picture(tmp_path: Path) -> None:
    out = tmp_path / "out.png"
    run = subprocess.run(
        [sys.executable, "-m", "bot", "--no-log", "ask", "--chart", str(out), "A4000 vs A6000"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "RTX A4000 vs RTX A6000" in run.stdout
    assert png_size(out.read_bytes())[0] > 0
    batch = subprocess.run(
        [sys.executable, "-m", "bot", "--no-log", "ask", "--chart", str(out), "-"],
        cwd=ROOT,
        input="a4000 vs a6000\nwhat is nvlink\nwhich gpu has the most memory?\n",
        capture_output=True,
        text=True,
        check=True,
    )
    assert (tmp_path / "out-1.png").exists() and (tmp_path / "out-3.png").exists()
    assert not (tmp_path / "out-2.png").exists() and "no chart for this answer" in batch.stderr


_IMPORTS = """
import sys
from bot.cli import main
main(["--no-log", "ask", *sys.argv[1:], "A4000 vs A6000"])
print("matplotlib loaded:", "matplotlib" in sys.modules)
"""


@pytest.mark.parametrize(("args", "loaded"), [([], False), (["--json"], False), (["--chart", "OUT"], True)])
def test_the_plotting_library_loads_only_for_a_chart(tmp_path: Path, args: list[str], loaded: bool) -> None:
    args = [str(tmp_path / "c.png") if a == "OUT" else a for a in args]
    run = subprocess.run([sys.executable, "-c", _IMPORTS, *args], cwd=ROOT, capture_output=True, text=True, check=True)
    assert f"matplotlib loaded: {loaded}" in run.stdout


# -- off the event loop -----------------------------------------------------------------------


def _answer(chart: Chart | None, question: str = "q") -> Answer:
    return Answer(question=question, intent="compare", title="t", chart=chart)


def _chart(n: int) -> Chart:
    series = Series("Memory", "GB", (16.0, float(n)), ("16 GB", f"{n} GB"), 1, "higher")
    return Chart("bars", f"chart {n}", ("A", "B"), (series,))


async def test_charts_are_drawn_in_another_process_while_the_loop_runs(engine: Engine) -> None:
    """The real renderer: a worker process draws, and the event loop keeps turning meanwhile."""
    from bot.discord_chart import ChartRenderer

    renderer = ChartRenderer(workers=1, backlog=8, timeout=30, duty=1.0)  # every picture, none skipped
    try:
        await asyncio.get_running_loop().run_in_executor(None, renderer.wait_ready, 60)
        gaps: list[float] = []
        done = asyncio.Event()

        async def ticker() -> None:
            last = time.perf_counter()
            while not done.is_set():
                await asyncio.sleep(0.001)
                now = time.perf_counter()
                gaps.append(now - last)
                last = now

        tick_task = asyncio.create_task(ticker())
        cpu, started = time.process_time(), time.perf_counter()
        questions = ("A4000 vs A6000", "which gpu has the most memory?", "llama 3 70b fp16 on 2x 3090")
        pngs = await asyncio.gather(*(renderer.png(engine.ask(q)) for q in questions))
        elapsed, used = time.perf_counter() - started, time.process_time() - cpu
        done.set()
        await tick_task
    finally:
        renderer.close()
    assert all(p is not None and png_size(p)[0] > 0 for p in pngs)
    assert len(gaps) >= 10, f"the loop turned {len(gaps)} times in {elapsed:.2f} s of drawing"
    assert used < elapsed, "the drawing's CPU time was spent elsewhere, not in this process"


async def test_no_picture_until_the_workers_are_ready() -> None:
    from bot.discord_chart import ChartRenderer

    gate = threading.Event()
    pool = ThreadPoolExecutor(1)
    pool.submit(gate.wait, 5)  # the worker is busy starting
    renderer = ChartRenderer(pool=pool)
    try:
        assert await renderer.png(_answer(_chart(48))) is None and renderer.skipped == 1  # not ready: no waiting
        gate.set()
        renderer.wait_ready(10)
        assert (await renderer.png(_answer(_chart(48))) or b"")[:8] == PNG_SIGNATURE
    finally:
        gate.set()
        renderer.close()


async def test_renders_are_bounded_cached_timed_and_never_cost_the_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot import discord_chart
    from bot.discord_chart import ChartRenderer

    running = peak = calls = 0
    lock = threading.Lock()
    gate = threading.Event()

    def slow(chart: Chart) -> bytes:
        nonlocal running, peak, calls
        with lock:
            running += 1
            calls += 1
            peak = max(peak, running)
        gate.wait(5)
        with lock:
            running -= 1
        if chart.title == "chart 99":
            raise RuntimeError("drawing failed")
        return PNG_SIGNATURE + chart.title.encode()

    monkeypatch.setattr(discord_chart, "render_png", slow)
    renderer = ChartRenderer(workers=2, backlog=4, timeout=5, duty=1.0, pool=ThreadPoolExecutor(2))
    try:
        renderer.wait_ready(10)
        tasks = [asyncio.create_task(renderer.png(_answer(_chart(n)))) for n in range(1, 7)]
        await asyncio.sleep(0.05)
        assert peak <= 2  # never more draws at once than workers
        gate.set()
        results = await asyncio.gather(*tasks)
        assert sum(r is None for r in results) == 2 and renderer.skipped == 2  # over the backlog: no picture
        drawn = calls
        again = await renderer.png(_answer(_chart(1)))
        assert again == PNG_SIGNATURE + b"chart 1" and calls == drawn  # from the cache
        assert await renderer.png(_answer(_chart(99))) is None  # a failure: the answer goes without it
        assert await renderer.png(_answer(None)) is None
        gate.clear()
        renderer.timeout = 0.05
        assert await renderer.png(_answer(_chart(7))) is None  # too slow: the answer does not wait
    finally:
        gate.set()
        renderer.close()


def test_chart_data_is_hashable_and_equal_by_value(engine: Engine) -> None:
    """The renderer's cache is keyed by the chart data: the same question gives an equal, hashable chart."""
    one, two = engine.ask("A4000 vs A6000").chart, engine.ask("a4000 vs a6000").chart
    assert one is not None and one == two and hash(one) == hash(two)
    assert dataclasses.replace(one, title="other") != one


def test_charts_setting() -> None:
    from bot.config import Settings

    assert Settings.from_env({}).charts is True
    assert Settings.from_env({"GPUBOT_CHARTS": "0"}).charts is False


async def test_pictures_rest_between_draws_and_never_queue(monkeypatch: pytest.MonkeyPatch) -> None:
    """By default one picture at a time, and after one as long a rest (half the time drawing): under a burst,
    answers go out without pictures rather than wait for them or starve the bot of CPU."""
    from bot import discord_chart
    from bot.discord_chart import ChartRenderer

    def slow(chart: Chart) -> bytes:
        time.sleep(0.2)
        return PNG_SIGNATURE + chart.title.encode()

    monkeypatch.setattr(discord_chart, "render_png", slow)
    renderer = ChartRenderer(pool=ThreadPoolExecutor(1))
    try:
        renderer.wait_ready(10)
        first, second = await asyncio.gather(*(renderer.png(_answer(_chart(n))) for n in (1, 2)))
        assert first is not None and second is None  # the second would have queued behind the first
        assert await renderer.png(_answer(_chart(3))) is None  # resting as long as the last one took
        await asyncio.sleep(0.25)
        assert await renderer.png(_answer(_chart(4))) is not None
        assert renderer.skipped == 2
    finally:
        renderer.close()
