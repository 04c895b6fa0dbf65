"""Conversations: the last request per conversation, so that "and the A5000?" continues it.

A conversation is a key the front end chooses: on Discord one user in one channel, thread or DM; in
``gpubot chat`` the session. One-shot ``gpubot ask`` and batch mode never use this (they stay stateless).
The store is in memory, bounded (least recently used keys go first) and forgets a conversation after a
quiet spell (``GPUBOT_FOLLOWUP_SECONDS``, 15 minutes by default). It also remembers the request behind each
bot message (bounded), so a reply to an older answer continues that answer rather than the latest one.
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from bot.followup import FollowUps
from bot.followup_lead import carried_lead
from bot.parser import request_summary
from bot.rigs import Rig, RigStore, apply_rig

if TYPE_CHECKING:
    from pathlib import Path

    from bot.answer import Answer
    from bot.engine import Engine
    from bot.request import Query

__all__ = [
    "DEFAULT_TTL_S",
    "ConversationStore",
    "Conversations",
    "Reply",
    "answered_about",
    "conversation_key",
    "conversations_and_rigs",
    "led_by",
]

DEFAULT_TTL_S = 15 * 60.0
DEFAULT_MAX_KEYS = 10_000
DEFAULT_MAX_MESSAGES = 20_000
# Requests a follow-up can continue (a general answer, an FAQ or a question not understood leaves the last one).
_CONTEXT = frozenset(
    {"fit", "lookup", "compare", "property", "formats", "psu", "setup", "pick", "rank", "list", "verdict", "fit_pick"}
)
# Where a lead's parts meet: "Llama 3 70B, Q4_K_M — on 2× GeForce RTX 4090".
_LEAD_PARTS = re.compile(r", | — ")
# Requests whose answer picks a card of its own (the one a follow-up's "it" then means).
_PICKING = frozenset({"pick", "rank", "list", "fit_pick"})

K = TypeVar("K", bound=Hashable)


def conversation_key(user_id: int, channel_id: int | None) -> tuple[int, int]:
    """A conversation on Discord: one user in one channel, thread or DM (threads and DMs are channels)."""
    return (user_id, channel_id or 0)


class _Bounded(Generic[K]):
    """An LRU map of ``K`` to (time, request), dropping the oldest beyond ``size`` and entries older than ``ttl``."""

    def __init__(self, size: int, ttl: float | None, clock: Callable[[], float]) -> None:
        self.size, self.ttl, self.clock = max(1, size), ttl, clock
        self._items: OrderedDict[K, tuple[float, Query]] = OrderedDict()

    def get(self, key: K) -> Query | None:
        item = self._items.get(key)
        if item is None:
            return None
        if self.ttl is not None and self.clock() - item[0] > self.ttl:
            del self._items[key]
            return None
        self._items.move_to_end(key)
        return item[1]

    def put(self, key: K, query: Query) -> None:
        self._items[key] = (self.clock(), query)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def pop(self, key: K) -> None:
        self._items.pop(key, None)

    def __len__(self) -> int:
        return len(self._items)


class ConversationStore:
    """The last request of each conversation (for ``ttl_s`` seconds) and the request behind each bot message."""

    def __init__(
        self,
        *,
        ttl_s: float = DEFAULT_TTL_S,
        max_keys: int = DEFAULT_MAX_KEYS,
        max_messages: int = DEFAULT_MAX_MESSAGES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_s = ttl_s
        self._last: _Bounded[Hashable] = _Bounded(max_keys, ttl_s, clock)
        self._messages: _Bounded[int] = _Bounded(max_messages, None, clock)  # an explicit reply: no time limit

    def last(self, key: Hashable) -> Query | None:
        return self._last.get(key)

    def remember(self, key: Hashable, query: Query) -> None:
        self._last.put(key, query)

    def forget(self, key: Hashable) -> None:
        self._last.pop(key)

    def message(self, message_id: int) -> Query | None:
        return self._messages.get(message_id)

    def remember_message(self, message_id: int, query: Query) -> None:
        self._messages.put(message_id, query)

    def alias_message(self, message_id: int, of: int) -> None:
        """``message_id`` (a bot answer) continues what message ``of`` (its question) asked, if that is known."""
        query = self._messages.get(of)
        if query is not None:
            self._messages.put(message_id, query)

    @property
    def size(self) -> tuple[int, int]:
        """(conversations, messages) held."""
        return len(self._last), len(self._messages)


@dataclass(slots=True)
class Reply:
    """An answer in a conversation, with the request it answered (to remember under a bot message's id)."""

    answer: Answer
    query: Query
    latency_ms: float


class Conversations:
    """Answers questions in conversations: a follow-up continues the last request, a saved rig fills in the card."""

    def __init__(self, engine: Engine, store: ConversationStore | None = None) -> None:
        self.engine = engine
        self.store = store or ConversationStore()
        self.followups = FollowUps(engine.parser, engine.catalog)

    def read(self, key: Hashable, question: str, *, reply_to: int | None = None, rig: Rig | None = None) -> Query:
        """The request ``question`` makes in conversation ``key`` (a reply to bot message ``reply_to``: that
        answer's conversation), with the saved ``rig`` for a question about the asker's own cards."""
        ev = self.engine.parser.reading(question)  # read afresh: never a reading an earlier pick completed
        fresh = self.engine.parser.decide(ev)
        previous = self._previous(key, reply_to)
        if (picked := self._picked_variant(previous, fresh)) is not None:
            return picked
        owned = rig.gpus if rig is not None else ()
        merged = self.followups.merge(ev, fresh, previous, owned) if previous is not None else None
        if merged is not None:
            return merged
        if rig is not None:
            own = self.followups.words.own_rig.found(ev.norm)
            return apply_rig(self.engine.parser, ev, fresh, rig, own=own) or fresh
        return fresh

    def _picked_variant(self, previous: Query | None, fresh: Query) -> Query | None:
        """ "what about with a 3060 12gb?" after "it depends on which “3060” you mean": the pick of that variant, as
        a choice button makes it, so the rest of the question stays (the rig's other card, the model, the precision);
        None for any other follow-up, or one that asks more than the card."""
        if previous is None or not previous.ambiguous or len(fresh.gpus) != 1 or fresh.ambiguous:
            return None
        if fresh.fit is not None and (fresh.fit.model_id or fresh.fit.params_b or fresh.fit.precision):
            return None
        gpu = fresh.gpus[0]
        if not any(gpu in m.candidates for m in previous.ambiguous):
            return None
        return self.engine.parser.complete(previous.text, gpu)

    def _previous(self, key: Hashable, reply_to: int | None) -> Query | None:
        """The request a follow-up continues: the replied-to answer's, else the conversation's last; none when
        follow-ups are off (a time-out of 0)."""
        if self.store.ttl_s <= 0:
            return None
        replied = self.store.message(reply_to) if reply_to is not None else None
        return replied or self.store.last(key)

    def may_use_rig(self, question: str) -> bool:
        """Whether a saved rig could answer ``question`` (it says "my rig", or names a model but no card), so that a
        front end reads the rig only then. The parser keeps the reading for the :meth:`ask` that follows."""
        ev = self.engine.parser.read(question)
        if ev.gpus or ev.match.mentions:
            return False
        return self.followups.words.own_rig.found(ev.norm) or ev.model is not None or ev.bare_size is not None

    def ask(self, key: Hashable, question: str, *, reply_to: int | None = None, rig: Rig | None = None) -> Reply:
        """Answer ``question`` in conversation ``key`` and remember its request as the conversation's last."""
        start = time.perf_counter()
        query = self.read(key, question, reply_to=reply_to, rig=rig)
        answer = self.answer(key, query)
        return Reply(answer, query, (time.perf_counter() - start) * 1000)

    def answer(self, key: Hashable, query: Query) -> Answer:
        """The answer to ``query``, led by what it carried over; the request becomes the conversation's last."""
        answer = self.engine.answer(query)
        lead = carried_lead(self.engine.catalog, self.followups.models, query)
        if lead:
            answer.summary = led_by(lead, answer.summary)
        if query.kind in _CONTEXT:
            query.about = answered_about(query, answer, self.engine.catalog.gpus)
            self.store.remember(key, query)
        return answer

    def choose(self, key: Hashable, question: str, gpu_id: str) -> Answer:
        """A pick among a clarifying answer's choices: the question completed with the card picked, continuing the
        conversation when it was a follow-up ("and the rtx 6000?"); it then is the conversation's last request."""
        if gpu_id not in self.engine.catalog.gpus:
            return self.engine.choose(question, gpu_id)  # a Hub model offered for a name, or a KeyError
        parser = self.engine.parser
        completed = parser.complete(question, gpu_id)
        previous = self.store.last(key)
        if previous is not None:
            ev = parser.read_recent(question)  # the reading completed with the pick
            completed = self.followups.merge(ev, completed, previous) or completed
        return self.answer(key, completed)

    def remember_message(self, message_id: int, query: Query) -> None:
        """The request behind a bot message, so that a reply to it continues it."""
        if query.kind in _CONTEXT:
            self.store.remember_message(message_id, query)

    def explain(
        self, key: Hashable, question: str, *, reply_to: int | None = None, rig: Rig | None = None
    ) -> dict[str, Any]:
        """How ``question`` is read in this conversation: :meth:`Engine.explain`'s reading, with the request
        as continued (its ``carried`` slots came from context)."""
        explained = self.engine.explain(question)
        query = self.read(key, question, reply_to=reply_to, rig=rig)
        explained["rule"], explained["request"] = query.rule, request_summary(query)
        return explained


def led_by(lead: str, summary: str) -> str:
    """``summary`` after what a follow-up carried over, without saying a part twice: a summary that opens with the
    lead ("GeForce RTX 4090 — Memory bandwidth: 1,008 GB/s.") or says each of its parts stands alone, and one that
    opens with what changed ("TDP / board power: 140 W (RTX A4000) vs 300 W (RTX A6000).") follows what was carried."""
    if not summary:
        return lead
    said = summary.casefold()
    if summary.startswith(lead.rstrip(":")) or all(p.casefold() in said for p in _LEAD_PARTS.split(lead.rstrip(":"))):
        return summary  # "For 3D rendering under 1,200 EUR, pick ..." says every part of the lead already
    head, sep, changed = lead.rpartition(" — ")
    if sep and summary.startswith(changed.rstrip(":")):
        return f"{head} — {summary}"
    return f"{lead} {summary}"


def answered_about(query: Query, answer: Answer, gpus: Mapping[str, object]) -> list[str]:
    """The cards an answer settled on, for a follow-up to point back to: the card judged ("is the 4090 good for
    training?"), the card picked or ranked first ("best card under $2000", "which has the most memory?"), else the
    cards asked about."""
    if query.kind == "verdict" and len(query.gpus) == 1:
        return list(query.gpus)
    if (query.kind in _PICKING or query.kind == "verdict") and answer.recommendation in gpus:
        return [str(answer.recommendation)]  # a verdict among several cards ("A4000 or A6000 for training?") picks
    return list(query.gpus)


def conversations_and_rigs(engine: Engine, ttl_s: float, database: Path) -> tuple[Conversations, RigStore]:
    """A bot's conversations (follow-ups for ``ttl_s`` seconds) and its saved rigs (in the query log's database)."""
    return Conversations(engine, ConversationStore(ttl_s=ttl_s)), RigStore(database, engine.catalog)
