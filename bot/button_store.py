"""What an answer's buttons need, kept where a restarted bot finds it, and one vote per user per answer.

Each answer sent with buttons gets a short random key; its buttons carry the key in their ``custom_id``
(and what fits beside it: the GPU of a pick, the asker's id). The rest (the question, the GPUs, the pages
of a paged list) is a :class:`ButtonState`, kept in memory for this process (bounded) and written to the
query log's database (:mod:`bot.buttons_db`) through its queue. A click after a restart reads it back.
Without a query log (``GPUBOT_QUERY_LOG=0``) state lives in memory only, and a button on an answer from
before a restart says politely that it can no longer be served.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import secrets
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from bot.buttons_db import AnswerRecord, VoteEntry, prune_answers, read_answer, read_vote

if TYPE_CHECKING:
    from bot.storage import QueryLog

__all__ = ["ButtonState", "ButtonStore", "VoteOutcome", "new_key"]

MEMORY = 4096  # answers (and votes) kept in memory per process; older ones are read back from the database
READ_TIMEOUT_S = 1.0  # a click must be answered within Discord's 3 s
PRUNE_TIMEOUT_S = 5.0  # at start-up, how long pruning old button state may wait for another writer

VoteOutcome = Literal["added", "removed", "changed"]


def new_key() -> str:
    """A key for one answer's buttons: 8 URL-safe characters (48 random bits)."""
    return secrets.token_urlsafe(6)


@dataclass(slots=True)
class ButtonState:
    """What the buttons of one answer need."""

    key: str
    author_id: int
    question: str
    intent: str
    gpus: list[str] = field(default_factory=list)
    choices: list[tuple[str, str]] = field(default_factory=list)  # (GPU id, label) for the pick buttons
    all_specs: bool = False  # the answer has a "Show all" button (every spec of its GPUs)
    ephemeral: bool = False  # only the asker sees the answer (no delete button: Discord has "dismiss")
    pages: list[list[dict[str, Any]]] | None = None  # the embeds (as Discord dicts) of each page of a paged list
    messages: list[int] = field(default_factory=list)  # the answer's further messages, deleted with it

    def to_json(self) -> str:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}  # asdict() copies deeply: slower
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> ButtonState:
        data = json.loads(text)
        data["choices"] = [tuple(c) for c in data.get("choices") or []]
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    @property
    def page_count(self) -> int:
        return len(self.pages or ())


class _Lru(collections.OrderedDict[Any, Any]):
    def __init__(self, capacity: int) -> None:
        super().__init__()
        self.capacity = capacity

    def put(self, key: Any, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.capacity:
            self.popitem(last=False)


class ButtonStore:
    """The states of answers' buttons and the votes cast on them, for one bot process."""

    def __init__(self, query_log: QueryLog | None, *, capacity: int = MEMORY) -> None:
        self.query_log = query_log
        self._states = _Lru(capacity)
        self._votes = _Lru(capacity)  # (answer key, user id) -> vote, until it is surely in the database

    @property
    def path(self) -> Path | None:
        return self.query_log.path if self.query_log is not None else None

    def remember(self, state: ButtonState) -> None:
        """Keep ``state`` for clicks in this process, and save it for clicks after a restart."""
        self._states.put(state.key, state)
        if self.query_log is not None:
            self.query_log.submit(
                AnswerRecord(
                    key=state.key,
                    user_id=state.author_id,
                    question=state.question,
                    intent=state.intent,
                    state=state.to_json(),
                )
            )

    async def recall(self, key: str) -> ButtonState | None:
        """The state saved under ``key``: from memory, else from the database (None when neither has it)."""
        state = self._states.get(key)
        if state is not None:
            return state  # type: ignore[no-any-return]
        text = await self._read(read_answer, key)
        if text is None:
            return None
        with contextlib.suppress(ValueError, TypeError, KeyError):
            state = ButtonState.from_json(text)
            self._states.put(key, state)
        return state

    async def vote(
        self,
        key: str,
        user_id: int,
        vote: Literal[-1, 1],
        *,
        question: str,
        intent: str,
        guild_id: int | None = None,
        channel_id: int | None = None,
    ) -> VoteOutcome:
        """Cast ``vote``: the same vote again takes it back, the other one replaces it."""
        current = self._votes.get((key, user_id))
        if current is None:
            stored = await self._read(read_vote, key, user_id)
            current = self._votes.get((key, user_id), stored or 0)  # a click handled meanwhile wins
        new: Literal[-1, 0, 1] = 0 if current == vote else vote
        self._votes.put((key, user_id), new)
        if self.query_log is not None:
            self.query_log.submit(
                VoteEntry(key, user_id, new, question, intent, guild_id=guild_id, channel_id=channel_id)
            )
        return "removed" if new == 0 else "changed" if current else "added"

    async def prune(self, days: float) -> int | None:
        """Delete the saved state of answers older than ``days`` (off the event loop): how many rows went, or None
        when there is no database or it cannot take it now. Their buttons then say politely they are gone."""
        path = self.path
        if path is None or not path.exists() or days <= 0:
            return None
        return await asyncio.to_thread(_prune_sync, path, days)

    async def _read(self, fn: Any, *args: Any) -> Any:
        """``fn(connection, *args)`` on a read-only connection of its own, off the event loop; None when the
        database cannot be read (no log, no file yet, locked beyond the timeout)."""
        path = self.path
        if path is None or not path.exists():
            return None
        return await asyncio.to_thread(_read_sync, path, fn, args)


def _prune_sync(path: Path, days: float) -> int | None:
    """:func:`~bot.buttons_db.prune_answers` on a connection of its own; None when the database cannot take it."""
    try:
        conn = sqlite3.connect(path, timeout=PRUNE_TIMEOUT_S)
    except sqlite3.Error:
        return None
    try:
        return prune_answers(conn, days)
    except sqlite3.Error:
        return None  # no table yet, or locked beyond the timeout: pruning waits for the next start
    finally:
        conn.close()


def _read_sync(path: Path, fn: Any, args: tuple[Any, ...]) -> Any:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=READ_TIMEOUT_S)
    except sqlite3.Error:
        return None
    try:
        return fn(conn, *args)
    except sqlite3.Error:
        return None  # an older schema without the table, a lock held too long: the button says so politely
    finally:
        conn.close()
