"""The query log for the bot and ``gpubot chat``: every question and answer, written without delaying one.

:meth:`QueryLog.submit` queues an entry and returns at once; one background task writes the queue through
a :class:`bot.logstore.LogStore` in a worker thread, many entries per transaction. The store shares the
database safely with other processes (WAL, busy timeout, ``BEGIN IMMEDIATE``); when a write still fails
(a long lock, a full disk, a read-only file) the rows stay queued, bounded, and the task retries with
back-off until the database takes them. Faults are reported once each in the log, never in an answer.
One-shot commands use :class:`bot.logstore.LogStore` directly, with no event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from bot.logstore import (
    MIGRATIONS,
    RETRY_MAX_S,
    RETRY_MIN_S,
    Entry,
    FeedbackEntry,
    LogEntry,
    LogStore,
    Stats,
)

__all__ = ["MIGRATIONS", "FeedbackEntry", "LogEntry", "LogStore", "QueryLog", "Stats"]

T = TypeVar("T")

LINGER_S = 0.01  # how long the writer waits to batch entries into one transaction
CLOSE_WAIT_S = 10.0  # at close, how long to keep retrying while another process holds the lock


class QueryLog:
    """Async query log. ``await QueryLog.open(path)``, then :meth:`submit` and finally :meth:`close`."""

    def __init__(self, store: LogStore, *, close_wait_s: float = CLOSE_WAIT_S) -> None:
        self.store = store
        self.close_wait_s = close_wait_s
        self._wake = asyncio.Event()  # something was submitted
        self._kick = asyncio.Event()  # someone waits for a write attempt: do not sit out the back-off
        self._waiters: list[asyncio.Future[None]] = []
        self._writer: asyncio.Task[None] | None = None
        self._stopping = False
        self._closed = False
        # The log's own thread: a write waiting out another process's lock never takes a worker that answers
        # (or anything else using the loop's default executor) need.
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="query-log")

    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def pending(self) -> int:
        """Rows queued, not yet in the database."""
        return self.store.pending

    @property
    def dropped(self) -> int:
        """Rows given up (the queue overflowed, or the log closed while the database could not take them)."""
        return self.store.dropped

    # -- lifecycle ----------------------------------------------------------------------------

    @classmethod
    async def open(cls, path: str | Path, *, close_wait_s: float = CLOSE_WAIT_S, **options: Any) -> QueryLog:
        """Open (creating and migrating) the log. A database that cannot be opened is reported once; entries
        then stay queued and the writer keeps trying to open it."""
        self = cls.started(LogStore(Path(path).expanduser(), **options), close_wait_s=close_wait_s)
        await self._call(self.store.connect)
        return self

    @classmethod
    def started(cls, store: LogStore, **options: Any) -> QueryLog:
        """A log over ``store`` with its writer running (call from the event loop)."""
        self = cls(store, **options)
        self._writer = asyncio.create_task(self._run(), name="query-log-writer")
        return self

    async def schema_version(self) -> int:
        return await self._call(self.store.schema_version)

    async def close(self) -> None:
        """Write what is queued (waiting a while if another process holds the lock), then close the database.
        Rows that still cannot be written are counted as dropped and reported once."""
        self._closed = True
        if self._writer is not None:
            self._stopping = True
            self._wake.set()
            self._kick.set()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer
            self._writer = None
            await self._call(self.store.close, self.close_wait_s)
            self._thread.shutdown(wait=False)
        self._release(self._waiters)
        self._waiters = []

    async def _call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn`` on the log's thread."""
        return await asyncio.get_running_loop().run_in_executor(self._thread, functools.partial(fn, *args, **kwargs))

    async def __aenter__(self) -> QueryLog:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- writing ------------------------------------------------------------------------------

    def submit(self, entry: Entry) -> None:
        """Queue an entry; returns at once. Call from the log's event loop. After :meth:`close` (a callback
        finishing during shutdown) the entry is saved for the next process instead (see :mod:`bot.logspool`)."""
        if self._closed:
            self.store.keep([entry])
            return
        self.store.submit(entry)
        self._wake.set()

    async def flush(self) -> None:
        """Wait until one write attempt has covered everything submitted so far (written, or kept queued
        because the database cannot take it now)."""
        if self._writer is None:
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        self._wake.set()
        self._kick.set()
        await waiter

    async def record(self, entry: Entry) -> None:
        self.submit(entry)
        await self.flush()

    async def _run(self) -> None:
        backoff = 0.0
        while True:
            await self._wait_for_work(backoff)
            if self._stopping:
                break
            attempt, self._waiters = self._waiters, []
            ok = await self._call(self.store.flush)
            self._release(attempt)
            backoff = 0.0 if ok else min(max(backoff * 2, RETRY_MIN_S), RETRY_MAX_S)

    async def _wait_for_work(self, backoff: float) -> None:
        if backoff and not self._waiters:
            self._kick.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._kick.wait(), backoff)
            return
        while not (self.store.pending or self._waiters or self._stopping):
            self._wake.clear()
            await self._wake.wait()
        if not (self._waiters or self._stopping):
            await asyncio.sleep(LINGER_S)  # under load, let one transaction carry many entries

    @staticmethod
    def _release(waiters: list[asyncio.Future[None]]) -> None:
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    # -- reading ------------------------------------------------------------------------------

    async def stats(self, *, limit: int = 10, since: dt.datetime | None = None) -> Stats:
        await self.flush()
        if self._writer is None:  # closed
            return await asyncio.to_thread(self.store.stats, limit=limit, since=since)
        return await self._call(self.store.stats, limit=limit, since=since)
