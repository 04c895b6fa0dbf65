"""One query log shared by many processes, and its faults: contention, a long lock, a full disk, overflow.

Real SQLite files and real processes; nothing here measures time (the lock holder is told how long to
hold, and the assertions are on rows and log lines).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.logstore import FeedbackEntry, LogEntry, LogStore, connect
from bot.storage import QueryLog

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ["a4000 vs a6000", "a6k bandwidth?", "best card for training under $2000", "what is nvlink", "t4 vram"]

# Holds an exclusive write lock on the database for argv[2] seconds; prints "locked" once it has it.
HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""

# Writes argv[2] rows, each as a one-shot command does: open, submit, close.
ONE_SHOT_WRITER = """
import sys
from pathlib import Path
from bot.logstore import LogEntry, LogStore
for i in range(int(sys.argv[2])):
    store = LogStore(Path(sys.argv[1]))
    store.submit(LogEntry(f"{sys.argv[3]} {i}", "lookup"))
    store.close()
    assert store.dropped == 0
"""


def _env(db: Path) -> dict[str, str]:
    env = {**os.environ, "GPUBOT_DB": str(db), "PYTHONPATH": str(ROOT)}
    env.pop("GPUBOT_LOG_LEVEL", None)  # the default: warnings and errors only
    return env


def _count(db: Path, where: str = "") -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM queries {where}").fetchone()[0])  # noqa: S608


@pytest.fixture
def lock_holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the database's write lock for 5 s (the database exists, migrated)."""
    db = tmp_path / "log.sqlite3"
    LogStore.open(db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db), "5"], stdout=subprocess.PIPE, text=True, cwd=tmp_path
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    try:
        yield holder
    finally:
        holder.kill()
        holder.wait()


# -- the acceptance item: two processes, 1,000 questions each, one log -------------------------------------


def test_two_gpubot_processes_asking_1000_questions_each_log_2000_rows(tmp_path: Path) -> None:
    db = tmp_path / "shared.sqlite3"  # new: both processes create and migrate it at once
    procs = []
    for name in ("one", "two"):
        questions = tmp_path / f"{name}.txt"
        questions.write_text("".join(f"{QUESTIONS[i % len(QUESTIONS)]}\n" for i in range(1000)), encoding="utf-8")
        with questions.open(encoding="utf-8") as stdin:
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "bot", "ask", "--json", "-"],
                    stdin=stdin,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    cwd=tmp_path,
                    env=_env(db),
                )
            )
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert err == "", err  # no warning at all, let alone in an answer
        answers = [json.loads(line) for line in out.splitlines()]
        assert len(answers) == 1000
        assert not any("WARNING" in a["text"] or "database" in a["text"] for a in answers)
    assert _count(db) == 2000


def test_two_processes_writing_one_shot_rows_lose_none(tmp_path: Path) -> None:
    """The hardest contention: every row in its own open-write-close, 1,000 per process, both at once."""
    db = tmp_path / "shared.sqlite3"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", ONE_SHOT_WRITER, str(db), "1000", name],
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            env=_env(db),
        )
        for name in ("one", "two")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0 and err == "", err
    assert _count(db) == 2000
    assert _count(db, "WHERE question LIKE 'one %'") == _count(db, "WHERE question LIKE 'two %'") == 1000


# -- a 5 s exclusive lock by another process ---------------------------------------------------------------


async def test_a_5s_lock_by_another_process_loses_no_row(
    tmp_path: Path, lock_holder: subprocess.Popen[str], caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "log.sqlite3"
    qlog = await QueryLog.open(db)
    for i in range(300):
        qlog.submit(LogEntry(f"q{i}", "lookup"))
    # gpubot stats reads while the other process holds the write lock (WAL: readers never wait) ...
    stats = subprocess.run(
        [sys.executable, "-m", "bot", "stats", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(db),
        check=True,
        timeout=60,
    )
    assert json.loads(stats.stdout)["total"] == 0
    assert lock_holder.poll() is None, "the lock was released before stats read"
    # ... and a one-shot ask during the lock waits for it and writes its row.
    ask = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "a6k bandwidth?"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(db),
        timeout=120,
    )
    assert ask.returncode == 0 and "768 GB/s" in ask.stdout and "WARNING" not in ask.stdout
    await qlog.close()  # waits for the lock, then writes everything
    lock_holder.wait(timeout=30)
    assert qlog.dropped == 0 and qlog.pending == 0
    assert _count(db) == 301
    assert len([r for r in caplog.records if r.name == "bot.storage"]) <= 1


def test_one_shot_store_waits_out_the_lock(tmp_path: Path, lock_holder: subprocess.Popen[str]) -> None:
    db = tmp_path / "log.sqlite3"
    store = LogStore(db, busy_timeout_s=0.5)  # shorter than the lock: the retries, not SQLite, do the waiting
    store.submit(LogEntry("q", "lookup"))
    assert not store.flush() and store.pending == 1 and store.last_fault == "locked"
    store.close(wait_s=60)
    assert store.dropped == 0 and _count(db) == 1


# -- a full disk ---------------------------------------------------------------------------------------------


class Disk:
    """A database whose size can be capped (``PRAGMA max_page_count``): a full disk, then space again."""

    def __init__(self) -> None:
        self.conn: sqlite3.Connection | None = None

    def connector(self, path: Path, timeout: float) -> sqlite3.Connection:
        self.conn = connect(path, timeout)
        return self.conn

    def fill(self) -> None:
        assert self.conn is not None
        pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
        self.conn.execute(f"PRAGMA max_page_count = {pages}")

    def free(self) -> None:
        assert self.conn is not None
        self.conn.execute("PRAGMA max_page_count = 1073741823")


def _big(i: int) -> LogEntry:
    return LogEntry(f"question {i} " + "x" * 2000, "lookup", summary="y" * 400)


async def test_full_disk_keeps_rows_and_writes_them_when_space_returns(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db, disk = tmp_path / "log.sqlite3", Disk()
    qlog = QueryLog.started(LogStore.open(db, connector=disk.connector))
    await qlog.record(_big(0))
    disk.fill()
    for i in range(1, 51):
        qlog.submit(_big(i))
    await qlog.flush()
    assert qlog.pending == 50 and _count(db) == 1
    await qlog.record(_big(51))  # still full: kept, retried, not reported again
    assert qlog.pending == 51
    disk.free()
    await qlog.flush()
    assert qlog.pending == 0 and _count(db) == 52
    await qlog.close()
    assert qlog.dropped == 0
    faults = [r.getMessage() for r in caplog.records if r.name == "bot.storage" and r.levelno >= logging.WARNING]
    assert len(faults) == 1 and "full" in faults[0], faults


def test_full_disk_one_shot_store(tmp_path: Path) -> None:
    db, disk = tmp_path / "log.sqlite3", Disk()
    store = LogStore.open(db, connector=disk.connector)
    disk.fill()
    for i in range(20):
        store.submit(_big(i))
    assert not store.flush() and store.pending == 20 and store.last_fault == "full"
    disk.free()
    assert store.flush() and store.written == 20
    store.close()
    assert _count(db) == 20


# -- overflow: counted and reported once ----------------------------------------------------------------------


async def test_queue_overflow_is_counted_and_reported_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db, disk = tmp_path / "log.sqlite3", Disk()
    qlog = QueryLog.started(LogStore.open(db, connector=disk.connector, max_pending=10))
    disk.fill()
    for i in range(25):
        qlog.submit(_big(i))
    await qlog.flush()
    assert qlog.pending == 10 and qlog.dropped == 15
    disk.free()
    await qlog.close()
    assert _count(db) == 10 and qlog.dropped == 15
    messages = [r.getMessage() for r in caplog.records if r.name == "bot.storage" and r.levelno >= logging.WARNING]
    assert sum("queue full" in m for m in messages) == 1
    assert sum("15 rows could not be written" in m for m in messages) == 1
    assert len(messages) == 3, messages  # the fault, the overflow, the count at the end


# -- the schema ----------------------------------------------------------------------------------------------


def test_stats_from_a_second_store_while_the_first_writes(tmp_path: Path) -> None:
    db = tmp_path / "log.sqlite3"
    writer, reader = LogStore.open(db), LogStore.open(db)
    for i in range(3):
        writer.submit(LogEntry(f"q{i}", "compare", gpus=["rtx-a4000"]))
    assert writer.connection is not None
    writer.connection.execute("BEGIN IMMEDIATE")  # a write in progress
    assert reader.stats().total == 0
    writer.connection.execute("ROLLBACK")
    assert writer.flush()
    stats = reader.stats()
    assert stats.total == 3 and stats.top_gpus == [("rtx-a4000", 3)]
    writer.close()
    reader.close()


def test_submits_from_threads_while_flushing_lose_nothing(tmp_path: Path) -> None:
    """The bot submits on the event loop's thread while the writer flushes in a worker thread."""
    import threading

    db = tmp_path / "log.sqlite3"
    store = LogStore.open(db)
    done = threading.Event()

    def submitter(tag: str) -> None:
        for i in range(3000):
            assert store.submit(LogEntry(f"{tag} {i}", "lookup"))

    def flusher() -> None:
        while not done.is_set():
            store.flush()

    threads = [threading.Thread(target=submitter, args=(t,)) for t in ("a", "b")]
    writer = threading.Thread(target=flusher)
    writer.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    writer.join()
    store.close()
    assert store.dropped == 0 and _count(db) == 6000


def test_a_long_batch_writes_as_it_goes(tmp_path: Path) -> None:
    db = tmp_path / "log.sqlite3"
    store = LogStore(db)
    for i in range(2):
        store.submit(LogEntry(f"q{i}", "lookup"))
        store.flush_if_due(rows=3, seconds=3600)
    assert store.pending == 2 and store.written == 0
    store.submit(LogEntry("q2", "lookup"))
    store.flush_if_due(rows=3, seconds=3600)
    assert store.pending == 0 and _count(db) == 3
    store.close()


# -- rows a process could not write before it ended -----------------------------------------------------------


def test_rows_left_at_close_are_saved_and_written_by_the_next_process(
    tmp_path: Path, lock_holder: subprocess.Popen[str], caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "log.sqlite3"
    store = LogStore(db, busy_timeout_s=0.05)
    for i in range(5):
        store.submit(LogEntry(f"q{i}", "lookup"))
    store.close(wait_s=0.2)  # the lock outlasts the wait: the rows go to a file beside the database
    assert store.dropped == 0 and store.spooled == 5
    assert len(list(tmp_path.glob("log.sqlite3.pending-*.jsonl"))) == 1
    messages = [r.getMessage() for r in caplog.records if r.name == "bot.storage" and r.levelno >= logging.WARNING]
    assert len(messages) == 2 and "saved in log.sqlite3.pending-" in messages[-1], messages  # the lock, the file
    lock_holder.wait(timeout=30)
    nxt = LogStore.open(db)
    assert nxt.recovered == 5 and _count(db) == 5
    assert list(tmp_path.glob("log.sqlite3.pending-*")) == []
    nxt.close()


def test_a_spool_file_is_put_back_when_the_database_cannot_take_it(tmp_path: Path) -> None:
    from bot import logspool

    db = tmp_path / "log.sqlite3"
    LogStore.open(db).close()
    rows = [("queries", LogEntry("q", "lookup").row()), ("feedback", FeedbackEntry("q", "lookup", 1).row())]
    saved = logspool.save(db, rows)
    assert saved is not None
    nxt = LogStore.open(db, busy_timeout_s=0.05, connector=_read_only)
    assert nxt.recovered == 0 and saved.exists()  # a read-only database: the file is put back
    nxt.close()
    assert logspool.load(saved) == [(t, tuple(v)) for t, v in rows]


def _read_only(path: Path, timeout: float) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)


def test_spooled_queries_and_votes_are_written(tmp_path: Path) -> None:
    from bot import logspool

    db = tmp_path / "log.sqlite3"
    rows = [("queries", LogEntry("q", "lookup").row()), ("feedback", FeedbackEntry("q", "lookup", -1).row())]
    assert logspool.save(db, rows) is not None
    store = LogStore.open(db)
    assert store.recovered == 2
    stats = store.stats()
    store.close()
    assert stats.total == 1 and stats.votes_down == 1


async def test_an_entry_after_close_is_saved_for_the_next_process(tmp_path: Path) -> None:
    db = tmp_path / "log.sqlite3"
    qlog = await QueryLog.open(db)
    await qlog.record(LogEntry("before", "lookup"))
    await qlog.close()
    qlog.submit(LogEntry("after", "lookup", answered=False))  # e.g. a callback finishing during shutdown
    assert qlog.dropped == 0 and qlog.store.spooled == 1
    nxt = await QueryLog.open(db)
    stats = await nxt.stats()
    await nxt.close()
    assert stats.total == 2 and [q for _, _, q in stats.unanswered] == ["after"]
