"""An answer's chart as a Discord attachment, drawn off the event loop.

Drawing a PNG takes tens of milliseconds of CPU (and matplotlib's first import about a second), which would
stall every other conversation if done on the event loop. :class:`ChartRenderer` draws in a small thread pool
of its own, so at most ``workers`` charts are drawn at once and the loop only awaits the result; with more
than ``backlog`` charts waiting, an answer goes out without its picture rather than late. A chart that fails
to draw is logged and the answer is sent without it: a picture never costs a user the answer. The last
``cached`` pictures are kept (a chart's data is its key), so a question asked again costs no drawing.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor

import discord

from bot.answer import Answer, Chart

__all__ = ["CHART_NAME", "ChartRenderer", "chart_file"]

log = logging.getLogger(__name__)

#: The attachment's file name; the embed shows it as ``attachment://chart.png``.
CHART_NAME = "chart.png"


class ChartRenderer:
    """Draws charts in at most ``workers`` threads, with at most ``backlog`` waiting or drawing."""

    def __init__(self, workers: int = 2, backlog: int = 16, cached: int = 256) -> None:
        self.workers = workers
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="chart")
        self._slots = asyncio.BoundedSemaphore(backlog)
        self._cache: OrderedDict[Chart, bytes] = OrderedDict()
        self._cached = cached
        self.skipped = 0  # answers sent without their chart because the backlog was full

    def warm_up(self) -> None:
        """Import the plotting library in a worker now, so the first chart does not pay for it."""
        self._pool.submit(_import_plotting)

    async def png(self, answer: Answer) -> bytes | None:
        """``answer``'s chart as PNG bytes; None when it has none, the backlog is full or drawing failed."""
        chart = answer.chart
        if chart is None:
            return None
        if (hit := self._cache.get(chart)) is not None:
            self._cache.move_to_end(chart)
            return hit
        if self._slots.locked():
            self.skipped += 1
            log.warning("chart backlog full: answer to %r sent without its chart", answer.question[:80])
            return None
        from bot.render_chart import render_png

        async with self._slots:
            try:
                data = await asyncio.get_running_loop().run_in_executor(self._pool, render_png, chart)
            except Exception:  # a picture never costs the answer
                log.exception("could not draw the chart for %r", answer.question[:80])
                return None
        self._cache[chart] = data
        if len(self._cache) > self._cached:
            self._cache.popitem(last=False)
        return data

    async def file(self, answer: Answer) -> discord.File | None:
        """``answer``'s chart as an attachment named :data:`CHART_NAME`, or None."""
        data = await self.png(answer)
        return None if data is None else chart_file(data)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def chart_file(data: bytes) -> discord.File:
    """A fresh attachment for each attempt of a send (discord.py closes a file once it was sent)."""
    return discord.File(io.BytesIO(data), filename=CHART_NAME)


def _import_plotting() -> None:
    import matplotlib.backends.backend_agg
    import matplotlib.figure  # noqa: F401
