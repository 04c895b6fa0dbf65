"""The rows behind answer buttons, in the query log's database: what each answer's buttons need, and one
vote per user per answer.

Both are written through the query log's queue (:class:`bot.logstore.LogStore`), so they share its
guarantees: WAL, busy timeout and retry, and a spool file when the database cannot take them. Reads are
plain, short ``SELECT`` s on a connection of their own (in WAL mode they never wait for a writer).

* ``answers``: one row per answer sent with buttons, keyed by the short random key its buttons carry in
  their ``custom_id`` (``gpubot:all:<key>``); ``state`` is the JSON the buttons need (the question, the
  GPUs, the choices, the pages of a paged list). A button clicked after a restart finds its answer here.
* ``feedback``: a vote names its answer (``answer``, the same key) and is unique per answer and user: a
  second 👍 from the same user removes it, a 👎 replaces it. Votes from before this (``answer`` NULL) stay
  as they were, one row per click.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

__all__ = ["MIGRATION", "WRITES", "AnswerRecord", "VoteEntry", "prune_answers", "read_answer", "read_vote"]

MAX_QUESTION_CHARS = 4000

#: Appended to :data:`bot.logstore.MIGRATIONS`.
MIGRATION = """
CREATE TABLE answers (
    key         TEXT    PRIMARY KEY,          -- the key in the answer's button ids
    at          TEXT    NOT NULL,             -- ISO 8601, UTC
    user_id     INTEGER,                      -- who asked (may pick and delete)
    question    TEXT    NOT NULL,
    intent      TEXT    NOT NULL,
    state       TEXT    NOT NULL              -- JSON: what the buttons need
);
CREATE INDEX answers_at ON answers (at);
ALTER TABLE feedback ADD COLUMN answer TEXT;  -- the answer's key; NULL for votes from before one vote per user
CREATE UNIQUE INDEX feedback_one_vote ON feedback (answer, user_id);
"""

_SAVE_ANSWER = """
INSERT OR REPLACE INTO answers (key, at, user_id, question, intent, state) VALUES (?, ?, ?, ?, ?, ?)
"""
_VOTE = """
INSERT INTO feedback (at, source, guild_id, channel_id, user_id, question, intent, vote, answer)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (answer, user_id) DO UPDATE SET vote = excluded.vote, at = excluded.at
"""
_UNVOTE = "DELETE FROM feedback WHERE answer = ? AND user_id = ?"

#: The statement each kind of entry is written with (also for rows saved in a spool file).
WRITES: dict[str, str] = {"answers": _SAVE_ANSWER, "vote": _VOTE, "unvote": _UNVOTE}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """What an answer's buttons need, saved (or replaced) under its key."""

    key: str
    user_id: int | None
    question: str
    intent: str
    state: str  # JSON
    at: dt.datetime = field(default_factory=_now)

    table: ClassVar[str] = "answers"

    def row(self) -> tuple[Any, ...]:
        when = self.at.isoformat(timespec="milliseconds")
        return (self.key, when, self.user_id, self.question[:MAX_QUESTION_CHARS], self.intent, self.state)


@dataclass(frozen=True, slots=True)
class VoteEntry:
    """A user's vote on one answer: +1, -1, or 0 to take the vote back."""

    answer: str
    user_id: int
    vote: Literal[-1, 0, 1]
    question: str = ""
    intent: str = ""
    source: Literal["cli", "discord"] = "discord"
    guild_id: int | None = None
    channel_id: int | None = None
    at: dt.datetime = field(default_factory=_now)

    @property
    def table(self) -> str:
        return "vote" if self.vote else "unvote"

    def row(self) -> tuple[Any, ...]:
        if not self.vote:
            return (self.answer, self.user_id)
        return (
            self.at.isoformat(timespec="milliseconds"),
            self.source,
            self.guild_id,
            self.channel_id,
            self.user_id,
            self.question[:MAX_QUESTION_CHARS],
            self.intent,
            self.vote,
            self.answer,
        )


def read_answer(conn: sqlite3.Connection, key: str) -> str | None:
    """The state JSON saved under ``key``, or None."""
    row = conn.execute("SELECT state FROM answers WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row else None


def read_vote(conn: sqlite3.Connection, answer: str, user_id: int) -> int:
    """The user's vote on the answer: +1, -1, or 0 for none."""
    row = conn.execute("SELECT vote FROM feedback WHERE answer = ? AND user_id = ?", (answer, user_id)).fetchone()
    return int(row[0]) if row else 0


def prune_answers(conn: sqlite3.Connection, days: float, now: dt.datetime | None = None) -> int:
    """Delete the button state of answers older than ``days`` (their buttons then say politely that they are gone);
    votes stay. Returns how many rows went. ``days`` of 0 keeps everything."""
    if days <= 0:
        return 0
    cutoff = ((now or _now()) - dt.timedelta(days=days)).isoformat(timespec="milliseconds")
    with conn:
        return conn.execute("DELETE FROM answers WHERE at < ?", (cutoff,)).rowcount
