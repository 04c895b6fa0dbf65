"""Hub lookups for the Discord bot: run in a worker thread (never on the event loop) and limited per user.

A question without a Hub model id or URL goes straight to the engine, as before. One with an id waits for its
lookup in a thread (:func:`asyncio.to_thread`); each user may start :data:`PER_USER` lookups per :data:`WINDOW`
seconds and one at a time, beyond which the question is answered without the lookup, and says so.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.hub_ask import HubAsk, annotate
from bot.hub_ref import find_hub_refs

if TYPE_CHECKING:
    from bot.answer import Answer
    from bot.engine import Engine, Timed

__all__ = ["PER_USER", "WINDOW", "HubGate"]

PER_USER = 3
WINDOW = 60.0


class HubGate:
    def __init__(
        self,
        engine: Engine,
        hub: HubAsk | None = None,
        *,
        per_user: int = PER_USER,
        window: float = WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.hub = hub or HubAsk(engine)
        self.per_user, self.window, self.clock = per_user, window, clock
        self._recent: dict[int, deque[float]] = {}
        self._busy: set[int] = set()

    @staticmethod
    def wants(question: str) -> bool:
        """Whether ``question`` names a Hub repository (a '/' first: most questions cost nothing more)."""
        return "/" in question and bool(find_hub_refs(question))

    def _allow(self, user_id: int) -> bool:
        now = self.clock()
        recent = self._recent.setdefault(user_id, deque())
        while recent and now - recent[0] >= self.window:
            recent.popleft()
        if user_id in self._busy or len(recent) >= self.per_user:
            return False
        recent.append(now)
        return True

    async def prepare(self, question: str, user_id: int) -> list[str]:
        """Look the question's repositories up in a worker thread; the notes its answer should carry."""
        if not self.wants(question):
            return []
        if not self._allow(user_id):
            return [
                f"Hugging Face lookups are limited to {self.per_user} per {self.window:.0f} s per person, one at a "
                "time: this answer did not look the model up. Ask again in a minute."
            ]
        self._busy.add(user_id)
        try:
            return await asyncio.to_thread(self.hub.prepare, question)
        finally:
            self._busy.discard(user_id)

    def answer(self, question: str, notes: list[str]) -> Answer:
        """The engine's answer after :meth:`prepare`, with its notes."""
        return annotate(self.engine.ask(question), notes, self.engine.models)

    async def ask_timed(self, question: str, user_id: int) -> Timed:
        """The engine's answer, with a Hub model id looked up, or a name the catalog lacks searched, in a worker
        thread."""
        return await self.ask_with(question, user_id, lambda: self.engine.ask(question))

    async def ask_with(self, question: str, user_id: int, answer: Callable[[], Answer]) -> Timed:
        """``answer()`` (the engine's, or a conversation's) with the Hub's part around it: a repository the question
        names is looked up first (in a worker thread) and its notes added; a model name the catalog lacks is
        searched after."""
        from bot.engine import Timed

        start = time.perf_counter()
        if self.wants(question):
            notes = await self.prepare(question, user_id)
            return Timed(annotate(answer(), notes, self.engine.models), (time.perf_counter() - start) * 1000)
        result = await self.search_unplaced(question, user_id, answer())
        return Timed(result, (time.perf_counter() - start) * 1000)

    async def search_unplaced(
        self, question: str, user_id: int, result: Answer, before: Callable[[], Awaitable[object]] | None = None
    ) -> Answer:
        """``result``, or, when it leaves a model name the catalog lacks unplaced, the Hub's search for that name
        (in a worker thread, within the user's limit); ``before()`` is awaited first, only when a search is made
        (a slash command defers then: a search may outlast Discord's 3 s)."""
        name = self.hub.unplaced_name(question, result)
        if name is None or not self._allow(user_id):
            return result
        self._busy.add(user_id)
        try:
            if before is not None:
                await before()
            return await asyncio.to_thread(self.hub.by_name, question, name, result)
        finally:
            self._busy.discard(user_id)
