"""The query log: every question and answer, in SQLite through aiosqlite.

Writes go through a queue drained by one background task, so logging never delays an answer,
and a broken database (read-only, locked, full) is reported once while answering goes on.
The schema carries a version (``PRAGMA user_version``) and upgrades itself with the migrations
below, in order, each in its own transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # imported where used: a one-shot `gpubot ask` writes with write_now and no event loop
    import asyncio

    import aiosqlite

__all__ = ["MIGRATIONS", "FeedbackEntry", "LogEntry", "QueryLog", "Stats", "write_now"]

log = logging.getLogger(__name__)

Source = Literal["cli", "discord"]
MAX_QUESTION_CHARS = 4000
LINGER_S = 0.01  # how long the writer waits to batch entries into one transaction

MIGRATIONS: tuple[str, ...] = (
    # 1: the query log
    """
    CREATE TABLE queries (
        id          INTEGER PRIMARY KEY,
        asked_at    TEXT    NOT NULL,             -- ISO 8601, UTC
        source      TEXT    NOT NULL,             -- cli | discord
        guild_id    INTEGER,
        channel_id  INTEGER,
        user_id     INTEGER,
        question    TEXT    NOT NULL,
        intent      TEXT    NOT NULL,
        gpus        TEXT    NOT NULL DEFAULT '[]', -- JSON list of GPU ids
        fields      TEXT    NOT NULL DEFAULT '[]', -- JSON list of field keys
        answered    INTEGER NOT NULL,
        latency_ms  REAL    NOT NULL,
        summary     TEXT    NOT NULL DEFAULT ''
    );
    CREATE INDEX queries_asked_at ON queries (asked_at);
    CREATE INDEX queries_intent ON queries (intent);
    """,
    # 2: 👍/👎 feedback on answers
    """
    CREATE TABLE feedback (
        id          INTEGER PRIMARY KEY,
        at          TEXT    NOT NULL,
        source      TEXT    NOT NULL,
        guild_id    INTEGER,
        channel_id  INTEGER,
        user_id     INTEGER,
        question    TEXT    NOT NULL,
        intent      TEXT    NOT NULL,
        vote        INTEGER NOT NULL CHECK (vote IN (-1, 1))
    );
    CREATE INDEX feedback_at ON feedback (at);
    """,
    # 3: how each question was understood: the request kind and the rule that built it
    """
    ALTER TABLE queries ADD COLUMN kind TEXT NOT NULL DEFAULT '';
    ALTER TABLE queries ADD COLUMN rule TEXT NOT NULL DEFAULT '';
    CREATE INDEX queries_rule ON queries (rule);
    """,
)


def _origin(when: dt.datetime, entry: LogEntry | FeedbackEntry) -> tuple[Any, ...]:
    """The columns every log table starts with: time, source, where, who, question, intent."""
    return (
        when.isoformat(timespec="milliseconds"),
        entry.source,
        entry.guild_id,
        entry.channel_id,
        entry.user_id,
        entry.question[:MAX_QUESTION_CHARS],
        entry.intent,
    )


@dataclass(frozen=True, slots=True)
class LogEntry:
    question: str
    intent: str
    source: Source = "cli"
    gpus: Sequence[str] = ()
    fields: Sequence[str] = ()
    answered: bool = True
    latency_ms: float = 0.0
    summary: str = ""
    guild_id: int | None = None
    channel_id: int | None = None
    user_id: int | None = None
    kind: str = ""
    rule: str = ""
    asked_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    def row(self) -> tuple[Any, ...]:
        return (
            *_origin(self.asked_at, self),
            json.dumps(list(self.gpus)),
            json.dumps(list(self.fields)),
            int(self.answered),
            round(self.latency_ms, 3),
            self.summary[:500],
            self.kind,
            self.rule,
        )


@dataclass(frozen=True, slots=True)
class FeedbackEntry:
    """A 👍 (+1) or 👎 (-1) on an answer, with the question it answered."""

    question: str
    intent: str
    vote: int
    source: Source = "discord"
    guild_id: int | None = None
    channel_id: int | None = None
    user_id: int | None = None
    at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    def row(self) -> tuple[Any, ...]:
        return (*_origin(self.at, self), 1 if self.vote > 0 else -1)


@dataclass(slots=True)
class Stats:
    total: int = 0
    by_intent: list[tuple[str, int]] = field(default_factory=list)
    by_rule: list[tuple[str, str, int]] = field(default_factory=list)  # (rule, kind, count)
    top_gpus: list[tuple[str, int]] = field(default_factory=list)
    unanswered: list[tuple[str, str, str]] = field(default_factory=list)  # (asked_at, intent, question)
    by_source: list[tuple[str, int]] = field(default_factory=list)
    votes_up: int = 0
    votes_down: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "by_intent": dict(self.by_intent),
            "by_rule": [{"rule": r, "kind": k, "count": n} for r, k, n in self.by_rule],
            "by_source": dict(self.by_source),
            "top_gpus": [{"gpu": g, "count": n} for g, n in self.top_gpus],
            "unanswered": [{"asked_at": t, "intent": i, "question": q} for t, i, q in self.unanswered],
            "feedback": {"up": self.votes_up, "down": self.votes_down},
        }


_INSERT = """
INSERT INTO queries (asked_at, source, guild_id, channel_id, user_id, question, intent, gpus, fields,
                     answered, latency_ms, summary, kind, rule)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_INSERT_FEEDBACK = """
INSERT INTO feedback (at, source, guild_id, channel_id, user_id, question, intent, vote)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
"""
Entry = LogEntry | FeedbackEntry


class QueryLog:
    """Async query log. ``await QueryLog.open(path)``, then :meth:`submit` and finally :meth:`close`."""

    def __init__(self, path: Path) -> None:
        import asyncio

        self.path = path
        self._db: aiosqlite.Connection | None = None
        self._queue: asyncio.Queue[Entry | None] = asyncio.Queue()
        self._writer: asyncio.Task[None] | None = None
        self._reported: set[str] = set()
        self.failed = 0

    # -- lifecycle ----------------------------------------------------------------------------

    @classmethod
    async def open(cls, path: str | Path) -> QueryLog:
        """Open (creating and migrating) the log. A database that cannot be opened is reported
        once; the returned log then drops entries instead of failing."""
        import asyncio

        import aiosqlite

        self = cls(Path(path).expanduser())
        try:
            await asyncio.to_thread(self.path.parent.mkdir, parents=True, exist_ok=True)
            self._db = await aiosqlite.connect(self.path, timeout=1.0)
            await self._db.execute("PRAGMA busy_timeout = 1000")
            with contextlib.suppress(sqlite3.OperationalError):  # a read-only file cannot switch to WAL
                await self._db.execute("PRAGMA journal_mode = WAL")
            await self._db.execute("PRAGMA synchronous = NORMAL")
            await self._migrate()
        except (sqlite3.Error, OSError) as exc:
            if self._db is not None:
                with contextlib.suppress(sqlite3.Error):
                    await self._db.close()
                self._db = None
            self._report("open", f"query log {self.path} unavailable ({exc}); answering without logging")
        self._writer = asyncio.create_task(self._drain(), name="query-log-writer")
        return self

    async def _migrate(self) -> None:
        if self._db is None:
            return
        async with self._db.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        version = int(row[0]) if row else 0
        if version > len(MIGRATIONS):
            raise sqlite3.DatabaseError(
                f"database schema version {version} is newer than this program ({len(MIGRATIONS)})"
            )
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            await self._db.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
            log.info("query log %s migrated to schema version %d", self.path, number)

    async def schema_version(self) -> int:
        if self._db is None:
            return 0
        async with self._db.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def close(self) -> None:
        """Write what is queued, then close the database."""
        if self._writer is not None:
            await self._queue.put(None)
            await self._writer
            self._writer = None
        if self._db is not None:
            await self._db.close()
            self._db = None

    async def __aenter__(self) -> QueryLog:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- writing ------------------------------------------------------------------------------

    def _report(self, kind: str, message: str) -> None:
        if kind not in self._reported:
            self._reported.add(kind)
            log.warning("%s", message)

    def submit(self, entry: Entry) -> None:
        """Queue an entry; returns at once. Safe to call from any coroutine on the log's loop."""
        self._queue.put_nowait(entry)

    async def flush(self) -> None:
        """Wait until everything submitted so far is written (or dropped)."""
        await self._queue.join()

    async def record(self, entry: Entry) -> None:
        self.submit(entry)
        await self.flush()

    async def _drain(self) -> None:
        import asyncio

        while True:
            entry = await self._queue.get()
            batch: list[Entry] = []
            stop = entry is None
            if entry is not None:
                batch.append(entry)
                # Under load, wait a moment so one transaction carries many entries.
                await asyncio.sleep(LINGER_S)
            while not self._queue.empty():
                more = self._queue.get_nowait()
                if more is None:
                    stop = True
                else:
                    batch.append(more)
            if batch:
                await self._write(batch)
            for _ in range(len(batch) + (1 if stop else 0)):
                self._queue.task_done()
            if stop:
                return

    async def _write(self, batch: list[Entry]) -> None:
        if self._db is None:
            self.failed += len(batch)
            return
        queries = [e.row() for e in batch if isinstance(e, LogEntry)]
        votes = [e.row() for e in batch if isinstance(e, FeedbackEntry)]
        try:
            if queries:
                await self._db.executemany(_INSERT, queries)
            if votes:
                await self._db.executemany(_INSERT_FEEDBACK, votes)
            await self._db.commit()
        except sqlite3.Error as exc:
            self.failed += len(batch)
            with contextlib.suppress(sqlite3.Error):
                await self._db.rollback()
            text = str(exc).lower()
            kind = (
                "readonly"
                if "readonly" in text or "read-only" in text
                else ("locked" if "locked" in text or "busy" in text else "error")
            )
            self._report(kind, f"query log {self.path}: {exc}; answering goes on without logging")

    # -- reading ------------------------------------------------------------------------------

    async def stats(self, *, limit: int = 10, since: dt.datetime | None = None) -> Stats:
        await self.flush()
        stats = Stats()
        if self._db is None:
            return stats
        where, args = ("WHERE asked_at >= ?", [since.isoformat()]) if since else ("", [])
        db = self._db
        async with db.execute(f"SELECT COUNT(*) FROM queries {where}", args) as cur:  # noqa: S608
            row = await cur.fetchone()
            stats.total = int(row[0]) if row else 0
        async with db.execute(
            f"SELECT intent, COUNT(*) FROM queries {where} GROUP BY intent ORDER BY COUNT(*) DESC, intent",  # noqa: S608
            args,
        ) as cur:
            stats.by_intent = [(str(r[0]), int(r[1])) for r in await cur.fetchall()]
        async with db.execute(
            f"SELECT rule, kind, COUNT(*) FROM queries {where} GROUP BY rule, kind "  # noqa: S608
            "ORDER BY COUNT(*) DESC, rule",
            args,
        ) as cur:
            stats.by_rule = [(str(r[0]), str(r[1]), int(r[2])) for r in await cur.fetchall()]
        async with db.execute(
            f"SELECT source, COUNT(*) FROM queries {where} GROUP BY source ORDER BY COUNT(*) DESC",  # noqa: S608
            args,
        ) as cur:
            stats.by_source = [(str(r[0]), int(r[1])) for r in await cur.fetchall()]
        async with db.execute(
            f"SELECT j.value, COUNT(*) FROM queries, json_each(queries.gpus) AS j {where} "  # noqa: S608
            "GROUP BY j.value ORDER BY COUNT(*) DESC, j.value LIMIT ?",
            [*args, limit],
        ) as cur:
            stats.top_gpus = [(str(r[0]), int(r[1])) for r in await cur.fetchall()]
        cond = "WHERE answered = 0" + (" AND asked_at >= ?" if since else "")
        async with db.execute(
            f"SELECT asked_at, intent, question FROM queries {cond} ORDER BY id DESC LIMIT ?",  # noqa: S608
            [*args, limit],
        ) as cur:
            stats.unanswered = [(str(r[0]), str(r[1]), str(r[2])) for r in await cur.fetchall()]
        fwhere = "WHERE at >= ?" if since else ""
        async with db.execute(
            f"SELECT COALESCE(SUM(vote > 0), 0), COALESCE(SUM(vote < 0), 0) FROM feedback {fwhere}",  # noqa: S608
            args,
        ) as cur:
            row = await cur.fetchone()
            stats.votes_up, stats.votes_down = (int(row[0]), int(row[1])) if row else (0, 0)
        return stats


def write_now(path: str | Path, entries: Sequence[Entry]) -> bool:
    """Write ``entries`` at once, in one transaction, with plain sqlite3 (no event loop): for a one-shot
    ``gpubot ask``. Creates and migrates the log like :meth:`QueryLog.open`. Never raises: a database
    that cannot take the rows is reported once, as a warning in the log, and False is returned."""
    path = Path(path).expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.closing(sqlite3.connect(path, timeout=5.0, isolation_level=None)) as db:
            with contextlib.suppress(sqlite3.OperationalError):  # a read-only file cannot switch to WAL
                db.execute("PRAGMA journal_mode = WAL")
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            if version > len(MIGRATIONS):
                raise sqlite3.DatabaseError(f"database schema version {version} is newer than this program")
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                db.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
            db.execute("BEGIN IMMEDIATE")
            db.executemany(_INSERT, [e.row() for e in entries if isinstance(e, LogEntry)])
            db.executemany(_INSERT_FEEDBACK, [e.row() for e in entries if isinstance(e, FeedbackEntry)])
            db.execute("COMMIT")
    except (sqlite3.Error, OSError) as exc:
        log.warning("query log %s: %s; answering goes on without logging", path, exc)
        return False
    return True
