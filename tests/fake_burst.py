"""A burst of slash commands against the fake Discord server, and what became of each one.

Used by tests/test_discord_burst.py and benchmarks/bench_faults.py. The fake enforces Discord's 3 s
acknowledgement window (``interaction_timeout``): a callback that arrives later is refused with 10062
"Unknown interaction", which the user sees as "This interaction failed".
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.fake_discord import FakeDiscord, Interaction, Recorded

__all__ = ["BurstOutcome", "burst_questions", "logged_rows", "outcome", "send_burst"]

CALLBACK_MESSAGE, CALLBACK_DEFERRED = 4, 5
#: How the bot's rows begin when an answer did not reach Discord.
UNDELIVERED = ("not delivered", "not answered")
TEMPLATES = ("{a} vram", "{a} vs {b}", "{a} memory bandwidth?", "{a} or {b} for training?", "{a} specs")


def burst_questions(names: list[str], n: int) -> list[str]:
    """``n`` distinct questions over the GPU ``names`` (lookups, comparisons and picks in turn)."""
    out: list[str] = []
    for i in range(n):
        a, b = names[(i * 5) % len(names)], names[(i * 11 + 3) % len(names)]
        out.append(TEMPLATES[i % len(TEMPLATES)].format(a=a, b=b) + f" (#{i + 1})")
    return out


async def send_burst(fake: FakeDiscord, questions: list[str]) -> dict[str, tuple[str, Interaction]]:
    """Dispatch ``/ask`` for every question at once; returns interaction token -> (question, handle)."""
    sent: dict[str, tuple[str, Interaction]] = {}
    for question in questions:
        handle = await fake.slash("ask", {"question": question})
        sent[handle.token] = (question, handle)
    return sent


@dataclass
class BurstOutcome:
    """Per interaction: acknowledged in time or not, how many answers it got; the query log's rows."""

    asked: int = 0
    acknowledged: set[str] = field(default_factory=set)
    deferred: set[str] = field(default_factory=set)
    expired: set[str] = field(default_factory=set)  # a callback refused as too late
    unacknowledged: set[str] = field(default_factory=set)
    answers: Counter[str] = field(default_factory=Counter)  # token -> answer messages (the one with buttons)
    slowest_ack_s: float = 0.0
    rows: list[tuple[str, int, str]] = field(default_factory=list)  # (question, answered, summary)
    delivered: set[str] = field(default_factory=set)  # questions whose answer arrived

    @property
    def answered_once(self) -> int:
        return sum(1 for n in self.answers.values() if n == 1)

    @property
    def sent_twice(self) -> int:
        return sum(1 for n in self.answers.values() if n > 1)

    @property
    def rows_not_true(self) -> int:
        """Rows saying answered for an answer that never arrived, or saying an answer that did arrive was
        not delivered (a delivered "I don't know that GPU" is rightly a row with answered = 0)."""
        return sum(
            1
            for q, answered, summary in self.rows
            if (answered and q not in self.delivered) or (q in self.delivered and summary.startswith(UNDELIVERED))
        )

    @property
    def questions_without_one_row(self) -> int:
        per = Counter(q for q, _, _ in self.rows)
        return self.asked - sum(1 for n in per.values() if n == 1)

    def summary(self) -> str:
        return (
            f"interactions {self.asked}, acknowledged in time {len(self.acknowledged)} "
            f"({len(self.deferred)} deferred), expired {len(self.expired)}, never acknowledged "
            f"{len(self.unacknowledged)}, slowest acknowledgement {self.slowest_ack_s:.2f} s; answered once "
            f"{self.answered_once}, sent twice {self.sent_twice}; rows {len(self.rows)}, questions without "
            f"exactly one row {self.questions_without_one_row}, rows not true {self.rows_not_true}"
        )


def logged_rows(database: Path) -> int:
    """Rows in the query log so far (0 before the bot created it)."""
    if not database.exists():
        return 0
    with contextlib.closing(sqlite3.connect(database, timeout=5)) as conn:
        return int(conn.execute("SELECT count(*) FROM queries").fetchone()[0])


def _token(rec: Recorded) -> str:
    return rec.path.split("/")[3]  # /interactions/{id}/{token}/callback, /webhooks/{app}/{token}


def outcome(fake: FakeDiscord, sent: dict[str, tuple[str, Interaction]], database: Path | None) -> BurstOutcome:
    """What the fake and the query log at ``database`` hold for the burst ``sent``."""
    out = BurstOutcome(asked=len(sent))
    for rec in fake.requests:
        if rec.method != "POST" or not (rec.path.startswith("/interactions/") or rec.path.startswith("/webhooks/")):
            continue
        token = _token(rec)
        if token not in sent:
            continue
        body = rec.json if isinstance(rec.json, dict) else {}
        if rec.path.endswith("/callback"):
            if rec.ok:
                out.acknowledged.add(token)
                out.slowest_ack_s = max(out.slowest_ack_s, rec.at - sent[token][1].created)
                if body.get("type") == CALLBACK_DEFERRED:
                    out.deferred.add(token)
                elif (body.get("data") or {}).get("components"):
                    out.answers[token] += 1
            elif (rec.response or {}).get("code") == 10062:
                out.expired.add(token)
        elif rec.ok and body.get("components"):  # a follow-up carrying the answer's buttons
            out.answers[token] += 1
    out.unacknowledged = set(sent) - out.acknowledged
    out.delivered = {sent[t][0] for t, n in out.answers.items() if n}
    if database is not None:
        with contextlib.closing(sqlite3.connect(database, timeout=5)) as conn:
            rows = conn.execute("SELECT question, answered, summary FROM queries ORDER BY id").fetchall()
        asked = {q for q, _ in sent.values()}
        out.rows = [(str(q), int(a), str(s or "")) for q, a, s in rows if q in asked]
    return out
