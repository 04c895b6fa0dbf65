"""What the query log says: counts by intent, rule and source, top GPUs, unanswered questions, feedback.

Plain reads on a sqlite3 connection; in WAL mode they never wait for a writer, so ``gpubot stats`` works
while bots write.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Stats", "read_stats"]


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


def read_stats(db: sqlite3.Connection, *, limit: int = 10, since: dt.datetime | None = None) -> Stats:
    """One consistent snapshot (a single read transaction) of the log."""
    where, args = ("WHERE asked_at >= ?", [since.isoformat()]) if since else ("", [])
    stats = Stats()
    in_tx = db.in_transaction
    if not in_tx:
        db.execute("BEGIN")
    try:
        row = db.execute(f"SELECT COUNT(*) FROM queries {where}", args).fetchone()  # noqa: S608
        stats.total = int(row[0]) if row else 0
        stats.by_intent = [
            (str(r[0]), int(r[1]))
            for r in db.execute(
                f"SELECT intent, COUNT(*) FROM queries {where} GROUP BY intent ORDER BY COUNT(*) DESC, intent",  # noqa: S608
                args,
            )
        ]
        stats.by_rule = [
            (str(r[0]), str(r[1]), int(r[2]))
            for r in db.execute(
                f"SELECT rule, kind, COUNT(*) FROM queries {where} GROUP BY rule, kind "  # noqa: S608
                "ORDER BY COUNT(*) DESC, rule",
                args,
            )
        ]
        stats.by_source = [
            (str(r[0]), int(r[1]))
            for r in db.execute(
                f"SELECT source, COUNT(*) FROM queries {where} GROUP BY source ORDER BY COUNT(*) DESC",  # noqa: S608
                args,
            )
        ]
        stats.top_gpus = [
            (str(r[0]), int(r[1]))
            for r in db.execute(
                f"SELECT j.value, COUNT(*) FROM queries, json_each(queries.gpus) AS j {where} "  # noqa: S608
                "GROUP BY j.value ORDER BY COUNT(*) DESC, j.value LIMIT ?",
                [*args, limit],
            )
        ]
        cond = "WHERE answered = 0" + (" AND asked_at >= ?" if since else "")
        stats.unanswered = [
            (str(r[0]), str(r[1]), str(r[2]))
            for r in db.execute(
                f"SELECT asked_at, intent, question FROM queries {cond} ORDER BY id DESC LIMIT ?",  # noqa: S608
                [*args, limit],
            )
        ]
        fwhere = "WHERE at >= ?" if since else ""
        row = db.execute(
            f"SELECT COALESCE(SUM(vote > 0), 0), COALESCE(SUM(vote < 0), 0) FROM feedback {fwhere}",  # noqa: S608
            args,
        ).fetchone()
        stats.votes_up, stats.votes_down = (int(row[0]), int(row[1])) if row else (0, 0)
    finally:
        if not in_tx and db.in_transaction:
            db.execute("COMMIT")
    return stats
