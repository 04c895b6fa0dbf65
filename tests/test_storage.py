"""The query log on a real SQLite file."""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

import pytest

from bot.storage import MIGRATIONS, LogEntry, LogStore, QueryLog


async def test_records_and_stats(tmp_path: Path) -> None:
    db = tmp_path / "log.sqlite3"
    qlog = await QueryLog.open(db)
    qlog.submit(LogEntry("a4000 vs a6000", "compare", gpus=["rtx-a4000", "rtx-a6000"], fields=[], latency_ms=0.3))
    qlog.submit(
        LogEntry(
            "a6k bw",
            "lookup",
            source="discord",
            gpus=["rtx-a6000"],
            fields=["memory_bandwidth_gbs"],
            guild_id=1,
            channel_id=2,
            user_id=3,
        )
    )
    qlog.submit(LogEntry("blah", "unknown", answered=False))
    stats = await qlog.stats()
    await qlog.close()
    assert stats.total == 3
    assert dict(stats.by_intent) == {"compare": 1, "lookup": 1, "unknown": 1}
    assert stats.top_gpus[0] == ("rtx-a6000", 2)
    assert [q for _, _, q in stats.unanswered] == ["blah"]
    assert dict(stats.by_source) == {"cli": 2, "discord": 1}
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT source, guild_id, channel_id, user_id, fields FROM queries WHERE intent='lookup'"
        ).fetchone()
        assert row == ("discord", 1, 2, 3, '["memory_bandwidth_gbs"]')
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


async def test_reopen_keeps_data_and_version(tmp_path: Path) -> None:
    db = tmp_path / "log.sqlite3"
    for _ in range(2):
        qlog = await QueryLog.open(db)
        await qlog.record(LogEntry("q", "lookup"))
        assert await qlog.schema_version() == len(MIGRATIONS)
        await qlog.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM queries").fetchone()[0] == 2


async def test_hostile_text_is_stored_verbatim(tmp_path: Path) -> None:
    qlog = await QueryLog.open(tmp_path / "log.sqlite3")
    nasty = "'); DROP TABLE queries; -- @everyone **bold** \u202e\x00"
    await qlog.record(LogEntry(nasty, "unknown", answered=False))
    stats = await qlog.stats()
    await qlog.close()
    assert stats.unanswered[0][2] == nasty


async def test_huge_question_is_truncated(tmp_path: Path) -> None:
    qlog = await QueryLog.open(tmp_path / "log.sqlite3")
    await qlog.record(LogEntry("x" * 100_000, "unknown"))
    stats = await qlog.stats()
    await qlog.close()
    assert len(stats.unanswered) == 0 and stats.total == 1


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores file permissions")
async def test_read_only_database_is_reported_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "log.sqlite3"
    qlog = await QueryLog.open(db)
    await qlog.close()
    db.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        await _assert_reported_once(db, caplog)
    finally:
        tmp_path.chmod(0o755)


async def test_read_only_connection_is_reported_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Works as root too: SQLite's own read-only mode refuses writes like a read-only file would."""
    db = tmp_path / "log.sqlite3"
    qlog = await QueryLog.open(db)
    await qlog.close()
    await _assert_reported_once(f"file:{db}?mode=ro", caplog, uri=True)


async def _assert_reported_once(db: Path | str, caplog: pytest.LogCaptureFixture, uri: bool = False) -> None:
    caplog.set_level(logging.WARNING, logger="bot.storage")
    if uri:

        def read_only(path: Path, timeout: float) -> sqlite3.Connection:
            return sqlite3.connect(str(db), uri=True, isolation_level=None, check_same_thread=False)

        qlog = QueryLog.started(LogStore(Path(str(db).removeprefix("file:").split("?")[0]), connector=read_only))
    else:
        qlog = await QueryLog.open(db)
    for i in range(5):
        await qlog.record(LogEntry(f"q{i}", "lookup"))
    assert qlog.pending == 5  # kept, in case the file becomes writable again
    faults = [r.getMessage() for r in caplog.records if r.name == "bot.storage"]
    assert len(faults) == 1, faults
    assert "readonly" in faults[0] or "read-only" in faults[0]
    await qlog.close()
    assert qlog.pending == 0 and qlog.dropped + qlog.store.spooled == 5
    kept = [r.getMessage() for r in caplog.records if r.name == "bot.storage"][1:]
    assert len(kept) == 1 and "5 rows could not be written" in kept[0], kept


async def test_unopenable_path_does_not_raise(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    qlog = await QueryLog.open(blocker / "sub" / "log.sqlite3")
    await qlog.record(LogEntry("q", "lookup"))
    stats = await qlog.stats()
    assert stats.total == 0 and qlog.pending == 1
    await qlog.close()
    assert qlog.dropped == 1
    assert sum("unavailable" in r.getMessage() for r in caplog.records) == 1


async def test_locked_database_keeps_the_row_and_writes_it_later(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "log.sqlite3"
    qlog = await QueryLog.open(db, busy_timeout_s=0.05)
    blocker = sqlite3.connect(db, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        await qlog.record(LogEntry("q", "lookup"))
        assert qlog.pending == 1
        assert not any("locked" in r.getMessage() for r in caplog.records)  # one miss: the retry may get through
        await qlog.flush()
        assert qlog.pending == 1
    finally:
        blocker.rollback()
        blocker.close()
    await qlog.record(LogEntry("q2", "lookup"))
    stats = await qlog.stats()
    await qlog.close()
    assert qlog.pending == 0 and qlog.dropped == 0 and stats.total == 2
    assert sum("locked" in r.getMessage() for r in caplog.records) == 1


async def test_newer_schema_is_refused_politely(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "log.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    qlog = await QueryLog.open(db)
    await qlog.record(LogEntry("q", "lookup"))
    await qlog.close()
    assert any("newer than this program" in r.getMessage() for r in caplog.records)


async def test_feedback_is_counted(tmp_path: Path) -> None:
    from bot.storage import FeedbackEntry

    qlog = await QueryLog.open(tmp_path / "log.sqlite3")
    qlog.submit(FeedbackEntry("a6k bw", "lookup", 1, user_id=5))
    qlog.submit(FeedbackEntry("a6k bw", "lookup", -1, user_id=6))
    qlog.submit(FeedbackEntry("a4000 vs a6000", "compare", 1))
    stats = await qlog.stats()
    await qlog.close()
    assert (stats.votes_up, stats.votes_down) == (2, 1)
    assert stats.to_json()["feedback"] == {"up": 2, "down": 1}


async def test_migrates_an_old_database(tmp_path: Path) -> None:
    db = tmp_path / "log.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.executescript(MIGRATIONS[0])
        conn.execute("PRAGMA user_version = 1")
        conn.execute(
            "INSERT INTO queries (asked_at, source, question, intent, answered, latency_ms) "
            "VALUES ('2026-01-01T00:00:00', 'cli', 'old question', 'lookup', 1, 0.1)"
        )
    qlog = await QueryLog.open(db)
    assert await qlog.schema_version() == len(MIGRATIONS) >= 2
    stats = await qlog.stats()
    await qlog.close()
    assert stats.total == 1


async def test_rule_and_kind_are_logged(tmp_path: Path) -> None:
    qlog = await QueryLog.open(tmp_path / "log.sqlite3")
    qlog.submit(LogEntry(question="a6k bandwidth", intent="lookup", kind="lookup", rule="look-up"))
    qlog.submit(LogEntry(question="a6k bandwidth", intent="lookup", kind="lookup", rule="look-up"))
    qlog.submit(LogEntry(question="what is love", intent="unknown", kind="unknown", rule="nothing to go on"))
    stats = await qlog.stats()
    await qlog.close()
    assert stats.by_rule == [("look-up", "lookup", 2), ("nothing to go on", "unknown", 1)]
