"""The query log's database: entries, schema and a synchronous, thread-safe writer (sqlite3 only).

Many processes share one log (a terminal ``gpubot ask`` beside the bot, several bot shards), so:

* the database runs in WAL mode, so readers (``gpubot stats``) never wait for writers, and every write
  transaction starts with ``BEGIN IMMEDIATE`` under a busy timeout, so concurrent writers queue up in
  SQLite instead of failing;
* a write that still fails (a lock held longer than the timeout, a full disk, a read-only file) leaves
  its rows in a bounded in-memory queue, and the next :meth:`LogStore.flush` writes them; nothing is
  printed into an answer: each kind of fault is one warning in the log, and so is the count of rows
  that had to be dropped (the queue overflowed, or the process ended while the database was unusable).

The schema carries a version (``PRAGMA user_version``) and upgrades itself with :data:`MIGRATIONS`, in
order, each in its own transaction. The async front end for the bot is :mod:`bot.storage`; one-shot
commands use this module directly and need no event loop.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import itertools
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

from bot import buttons_db, logspool
from bot.buttons_db import AnswerRecord, VoteEntry
from bot.logstats import Stats, read_stats

__all__ = ["MIGRATIONS", "AnswerRecord", "Entry", "FeedbackEntry", "LogEntry", "LogStore", "Stats", "VoteEntry"]

log = logging.getLogger("bot.storage")

Source = Literal["cli", "discord"]
MAX_QUESTION_CHARS = 4000
BUSY_TIMEOUT_S = 5.0  # how long one write waits in SQLite for another writer's lock
MAX_PENDING = 10_000  # rows kept in memory while the database cannot take them
CHUNK = 1000  # rows per transaction
RETRY_MIN_S, RETRY_MAX_S = 0.05, 2.0  # back-off between attempts while the database is unusable
LOCK_REPORT_AFTER = 2  # a lock is worth a warning once this many attempts in a row found it held

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
    # 4: what answer buttons need after a restart, and one vote per user per answer (bot/buttons_db.py)
    buttons_db.MIGRATION,
    # 5: saved rigs (/rig set), one row per Discord user; personal data: /rig clear deletes the row
    """
    CREATE TABLE rigs (
        user_id     INTEGER PRIMARY KEY,
        rig         TEXT    NOT NULL,             -- JSON: {"gpus": [[id, count], ...], "ram_gb": n | null}
        updated_at  TEXT    NOT NULL              -- ISO 8601, UTC
    );
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

    table: ClassVar[str] = "queries"

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

    table: ClassVar[str] = "feedback"

    def row(self) -> tuple[Any, ...]:
        return (*_origin(self.at, self), 1 if self.vote > 0 else -1)


Entry = LogEntry | FeedbackEntry | AnswerRecord | VoteEntry

_INSERT = """
INSERT INTO queries (asked_at, source, guild_id, channel_id, user_id, question, intent, gpus, fields,
                     answered, latency_ms, summary, kind, rule)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_INSERT_FEEDBACK = """
INSERT INTO feedback (at, source, guild_id, channel_id, user_id, question, intent, vote)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
"""
#: The statement each kind of entry (its ``table``) is written with, also for rows saved in a spool file.
_WRITES: dict[str, str] = {"queries": _INSERT, "feedback": _INSERT_FEEDBACK, **buttons_db.WRITES}

Connect = Callable[[Path, float], sqlite3.Connection]


def connect(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), usable from any one thread at a time."""
    conn = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
    return conn


def fault_kind(exc: BaseException) -> str:
    """What went wrong, in one word, so each kind of fault is reported once."""
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text:
        return "readonly"
    if "locked" in text or "busy" in text:
        return "locked"
    if "full" in text:
        return "full"
    return "error"


class LogStore:
    """The query log's database. Thread-safe: :meth:`submit` from anywhere, the rest from one thread at a time
    (they serialise on a lock). ``LogStore(path)`` connects on first use; :meth:`open` connects at once."""

    def __init__(
        self,
        path: Path,
        *,
        busy_timeout_s: float = BUSY_TIMEOUT_S,
        max_pending: int = MAX_PENDING,
        connector: Connect = connect,
    ) -> None:
        self.path = path
        self.busy_timeout_s = busy_timeout_s
        self.max_pending = max_pending
        self.connection: sqlite3.Connection | None = None
        self.written = 0  # rows written by this store
        self.dropped = 0  # rows given up: the queue was full, or the store closed and could not even spool them
        self.spooled = 0  # rows saved beside the database at close, for the next process to write
        self.recovered = 0  # rows written from other processes' spool files
        self.last_fault = ""  # the kind of the last failure; "" once a write succeeds
        self._connector = connector
        self._pending: collections.deque[Entry] = collections.deque()
        self._queue_lock = threading.Lock()
        self._io_lock = threading.RLock()
        self._reported: set[str] = set()
        self._failed_since: float | None = None
        self._failures = 0  # failed attempts in a row
        self._last_flush = time.monotonic()

    @classmethod
    def open(cls, path: str | Path, **options: Any) -> LogStore:
        """Open (creating and migrating) the log now. A database that cannot be opened is reported once;
        entries then wait in the queue and every flush tries to open it again."""
        store = cls(Path(path).expanduser(), **options)
        store.connect()
        return store

    @property
    def pending(self) -> int:
        return len(self._pending)

    # -- connecting --------------------------------------------------------------------------------

    def connect(self) -> bool:
        """Connect and migrate unless connected; False (reported once) when the database cannot be opened."""
        with self._io_lock:
            if self.connection is not None:
                return True
            conn: sqlite3.Connection | None = None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = self._connector(self.path, self.busy_timeout_s)
                with contextlib.suppress(sqlite3.OperationalError):  # a read-only file cannot switch to WAL
                    conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                _migrate(conn, self.path)
            except (sqlite3.Error, OSError) as exc:
                if conn is not None:
                    with contextlib.suppress(sqlite3.Error):
                        conn.close()
                self.last_fault = "open"
                self._report("open", f"query log {self.path} unavailable ({exc}); answers go on, rows are kept")
                return False
            self.connection = conn
            self._import_spools(conn)
            return True

    def _import_spools(self, conn: sqlite3.Connection) -> None:
        """Write the rows other processes saved because they could not (see :mod:`bot.logspool`)."""
        for path in logspool.claim(self.path):
            try:
                rows = logspool.load(path)
                conn.execute("BEGIN IMMEDIATE")
                for table, values in rows:
                    if table in _WRITES:  # a row of a kind this version does not know stays unwritten
                        conn.execute(_WRITES[table], values)
                conn.execute("COMMIT")
            except (sqlite3.Error, OSError) as exc:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                logspool.release(path, done=False)
                self._report(fault_kind(exc), f"query log {self.path}: {exc}; saved rows left in their file for later")
                return
            logspool.release(path, done=True)
            self.recovered += len(rows)
            log.info("query log %s: %d rows saved by an earlier process written", self.path, len(rows))

    def schema_version(self) -> int:
        with self._io_lock:
            if not self.connect() or self.connection is None:
                return 0
            return _user_version(self.connection)

    # -- writing -----------------------------------------------------------------------------------

    def submit(self, entry: Entry) -> bool:
        """Queue an entry (returns at once); False when the queue is full and the entry was dropped."""
        with self._queue_lock:
            if len(self._pending) >= self.max_pending:
                self.dropped += 1
                full = True
            else:
                self._pending.append(entry)
                full = False
        if full:
            self._report("overflow", f"query log queue full ({self.max_pending} rows waiting); new rows are dropped")
        return not full

    def flush(self) -> bool:
        """Try once to write every queued entry. True when nothing is left queued; on failure the entries stay
        queued for the next flush, and the fault is reported once."""
        with self._io_lock:
            self._last_flush = time.monotonic()
            while self._pending:
                if not self.connect() or self.connection is None:
                    return False
                with self._queue_lock:  # submit() may append from another thread meanwhile
                    batch = list(itertools.islice(self._pending, CHUNK))
                if not self._write(self.connection, batch):
                    return False
                with self._queue_lock:  # only a flush takes from the left, so these are the rows just written
                    for _ in batch:
                        self._pending.popleft()
                self.written += len(batch)
            return True

    def flush_if_due(self, rows: int = 256, seconds: float = 1.0) -> None:
        """Flush when ``rows`` are queued or ``seconds`` have passed since the last flush (a long batch job
        writes as it goes, in few transactions)."""
        if self._pending and (len(self._pending) >= rows or time.monotonic() - self._last_flush >= seconds):
            self.flush()

    def flush_until(self, deadline_s: float, *, retry: Callable[[str], bool] = lambda kind: True) -> bool:
        """Flush, retrying with back-off while ``retry(fault kind)`` agrees, for up to ``deadline_s``."""
        end = time.monotonic() + deadline_s
        delay = RETRY_MIN_S
        while not self.flush():
            if time.monotonic() + delay > end or not retry(self.last_fault):
                return False
            time.sleep(delay)
            delay = min(delay * 2, RETRY_MAX_S)
        return True

    def close(self, wait_s: float = 10.0) -> None:
        """Write what is queued (waiting up to ``wait_s`` while another process holds the lock), save what still
        cannot be written beside the database for the next process (:mod:`bot.logspool`), count and report once
        what could not even be saved as dropped, and close the database."""
        with self._io_lock:
            self.flush_until(wait_s, retry=lambda kind: kind == "locked")
            with self._queue_lock:
                left = list(self._pending)
                self._pending.clear()
            self.keep(left)
            if self.dropped:
                self._report(
                    "dropped",
                    f"query log {self.path}: {self.dropped} rows could not be written and were dropped"
                    + (f" (last fault: {self.last_fault})" if self.last_fault else ""),
                )
            if self.connection is not None:
                with contextlib.suppress(sqlite3.Error):
                    self.connection.close()
                self.connection = None

    def keep(self, left: list[Entry]) -> None:
        """Save rows that cannot be written now beside the database for the next process, else count them as
        dropped (also for entries that arrive after :meth:`close`)."""
        if not left:
            return
        rows = [(e.table, e.row()) for e in left]
        saved = logspool.save(self.path, rows)
        if saved is None:
            self.dropped += len(left)
            return
        self.spooled += len(left)
        self._report(
            "spooled",
            f"query log {self.path}: {len(left)} rows could not be written ({self.last_fault or 'log closed'}); "
            f"saved in {saved.name} for the next process that opens the log",
        )

    def _write(self, conn: sqlite3.Connection, batch: Sequence[Entry]) -> bool:
        try:
            conn.execute("BEGIN IMMEDIATE")  # take the write lock now, waiting up to the busy timeout
            # In order, one statement per run of entries of a kind: a vote and its removal keep their order.
            for table, run in itertools.groupby(batch, key=lambda e: e.table):
                conn.executemany(_WRITES[table], [e.row() for e in run])
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:  # SQLite has already rolled back after some errors (a full disk)
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            self._failed(exc, len(batch))
            return False
        if self._failed_since is not None:
            log.info(
                "query log %s writable again after %.1f s; queued rows written",
                self.path,
                time.monotonic() - self._failed_since,
            )
            self._failed_since = None
        self.last_fault = ""
        self._failures = 0
        return True

    def _failed(self, exc: sqlite3.Error, rows: int) -> None:
        kind = fault_kind(exc)
        self.last_fault = kind
        self._failures += 1
        if self._failed_since is None:
            self._failed_since = time.monotonic()
        if kind == "locked" and self._failures < LOCK_REPORT_AFTER:
            return  # another writer outlasted one busy timeout: the retry usually gets through, say nothing yet
        self._report(kind, f"query log {self.path}: {exc}; {rows}+ rows kept and retried, answers go on")

    def _report(self, kind: str, message: str) -> None:
        if kind not in self._reported:
            self._reported.add(kind)
            log.warning("%s", message)

    # -- reading -----------------------------------------------------------------------------------

    def stats(self, *, limit: int = 10, since: dt.datetime | None = None) -> Stats:
        """What was asked (rows still queued are not counted: flush first)."""
        with self._io_lock:
            if not self.connect() or self.connection is None:
                return Stats()
            return read_stats(self.connection, limit=limit, since=since)


def _user_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0]) if row else 0


def _statements(script: str) -> list[str]:
    """A migration script as its statements (so each can run inside one explicit transaction)."""
    out: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    return out


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the schema up to date, one migration per transaction. The version is read again under the write
    lock, so processes opening a new database at once migrate it once."""
    for number, script in enumerate(MIGRATIONS, start=1):
        if number <= _user_version(conn) <= len(MIGRATIONS):
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = _user_version(conn)
            if version > len(MIGRATIONS):
                raise sqlite3.DatabaseError(
                    f"database schema version {version} is newer than this program ({len(MIGRATIONS)})"
                )
            if version < number:
                for statement in _statements(script):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if version < number:
            log.info("query log %s migrated to schema version %d", path, number)
