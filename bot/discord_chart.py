"""An answer's chart as a Discord attachment, drawn off the event loop.

Drawing a PNG takes tens of milliseconds of CPU (and matplotlib's first import about a second), which would
stall every other conversation if done on the event loop, and a thread would still hold the interpreter lock
for much of it. :class:`ChartRenderer` draws in worker processes of its own (``workers`` of them, so at most
that many charts are drawn at once); the loop only sends the chart's data and awaits the PNG.

A picture never costs a user the answer, nor delays it much: until the workers have started (a second or two
after the bot starts), while every worker is drawing (answers never queue behind pictures), for as long again
as the last picture took (``duty``: under a burst of questions the pictures take at most half a core), or when
drawing takes longer than ``timeout`` seconds (a slash command must be answered within 3 s), the answer goes
out without its picture;
a chart that fails to draw is logged and left out. The last ``cached`` pictures are kept (a chart's data is
its key), so a question asked again costs no drawing.

The bot gets its renderer passed in (``GpuBot(charts=...)``; ``run_bot`` makes one unless ``GPUBOT_CHARTS=0``).
"""

from __future__ import annotations

import asyncio
import io
import logging
import multiprocessing
import time
from collections import OrderedDict
from concurrent.futures import Executor, Future, ProcessPoolExecutor

import discord

from bot.answer import Answer, Chart
from bot.render_chart import render_png, warm

__all__ = ["CHART_NAME", "ChartRenderer", "chart_file"]

log = logging.getLogger(__name__)

#: The attachment's file name; the embed shows it as ``attachment://chart.png``.
CHART_NAME = "chart.png"


class ChartRenderer:
    """Draws charts in ``workers`` processes (or ``pool``: tests pass a thread pool to watch what is drawn), at
    most ``backlog`` at once (default: one per worker) and drawing at most ``duty`` of the time."""

    def __init__(
        self,
        workers: int = 1,
        backlog: int | None = None,
        timeout: float = 1.0,
        duty: float = 0.5,
        cached: int = 256,
        pool: Executor | None = None,
    ) -> None:
        self.workers = workers
        self.backlog = workers if backlog is None else backlog  # charts drawn or waiting at once
        self.duty = duty  # at most this share of the time drawing: after a picture, a rest in proportion
        self._rest_until = 0.0  # no new picture before this (time.monotonic)
        self.timeout = timeout
        # "spawn": a clean interpreter per worker (forking a process that runs threads and an event loop is unsafe)
        self._pool = pool or ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
        self._ready: Future[None] | None = None
        self._pending = 0  # charts being drawn or waiting for a worker
        self._cache: OrderedDict[Chart, bytes] = OrderedDict()
        self._cached = cached
        self.skipped = 0  # answers sent without their chart: workers starting, backlog full, too slow or failed

    @classmethod
    def started(cls) -> ChartRenderer:
        """A renderer whose worker starts now, in the background (``gpubot run``)."""
        renderer = cls()
        renderer.warm_up()
        return renderer

    def warm_up(self) -> None:
        """Start the workers and import the plotting library there, without waiting (``gpubot run`` at start)."""
        if self._ready is None:
            self._ready = self._pool.submit(warm)
            for _ in range(self.workers - 1):
                self._pool.submit(warm)

    def wait_ready(self, timeout: float | None = None) -> None:
        """Block until the workers are ready (tests, and tools that want every picture)."""
        self.warm_up()
        assert self._ready is not None  # noqa: S101 - set by warm_up
        self._ready.result(timeout)

    @property
    def ready(self) -> bool:
        return self._ready is not None and self._ready.done() and self._ready.exception() is None

    async def png(self, answer: Answer) -> bytes | None:
        """``answer``'s chart as PNG bytes; None when it has none or it cannot be drawn in time (see above)."""
        chart = answer.chart
        if chart is None:
            return None
        if (hit := self._cache.get(chart)) is not None:
            self._cache.move_to_end(chart)
            return hit
        if not self.ready or self._pending >= self.backlog or time.monotonic() < self._rest_until:
            self.warm_up()
            self.skipped += 1
            log.info("answer to %r sent without its chart (workers starting or busy)", answer.question[:80])
            return None
        self._pending += 1
        started = time.monotonic()
        try:
            job = asyncio.get_running_loop().run_in_executor(self._pool, render_png, chart)
            data = await asyncio.wait_for(job, self.timeout)
        except TimeoutError:
            self.skipped += 1
            log.warning("chart for %r took over %.1f s: sent without it", answer.question[:80], self.timeout)
            return None
        except Exception:  # a picture never costs the answer
            self.skipped += 1
            log.exception("could not draw the chart for %r", answer.question[:80])
            return None
        finally:
            self._pending -= 1
            now = time.monotonic()
            self._rest_until = now + (now - started) * (1 - self.duty) / self.duty
        self._cache[chart] = data
        if len(self._cache) > self._cached:
            self._cache.popitem(last=False)
        return data

    async def file(self, answer: Answer) -> discord.File | None:
        """``answer``'s chart as an attachment named :data:`CHART_NAME`, or None."""
        data = await self.png(answer)
        return None if data is None else chart_file(data)

    def close(self) -> None:
        """Cancel what waits and let the worker finish what it draws (at most a chart, or its start-up import):
        a pool left running into interpreter exit can fail in its exit hook (a closed wake-up pipe)."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def chart_file(data: bytes) -> discord.File:
    """A fresh attachment for each attempt of a send (discord.py closes a file once it was sent)."""
    return discord.File(io.BytesIO(data), filename=CHART_NAME)
