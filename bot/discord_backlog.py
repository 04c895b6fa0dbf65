"""Slash commands under a backlog: every interaction acknowledged within Discord's 3 s, one log line per
fault, and the bot's connection kept lean.

:class:`AnswerGate` bounds the answers worked on at once and defers (then follows up) the ones that
would wait; :class:`FaultDigest` turns many failed sends into one log line; :class:`YieldingWebSocket`
lets a burst's commands start as their events arrive. Measured by tests/test_discord_burst.py and
``python benchmarks/bench_faults.py --burst``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import aiohttp
import discord
import discord.client
import discord.gateway
import discord.shard

from bot.discord_delivery import SEND_FAILURES, describe_failure
from bot.render_discord import answer_embeds, pack_embeds

if TYPE_CHECKING:
    from bot.engine import Engine

__all__ = [
    "HTTP_CONNECTIONS",
    "NOT_ACKNOWLEDGED",
    "NOT_DELIVERED",
    "NO_TURN",
    "WARM_UP",
    "AnswerGate",
    "BurstReadyClient",
    "FaultDigest",
    "Unacknowledged",
    "YieldingWebSocket",
    "bounded_connector",
    "defer",
    "install_yielding_gateway",
    "warm_up",
]

#: Connections to Discord's API kept open and reused. discord.py's default pool has no limit, so a burst
#: of 1,000 interactions opened 1,000 connections at once (each a TCP and TLS handshake; a server's accept
#: queue overflows and the kernel retries after 1-3 s), and the acknowledgements came too late.
HTTP_CONNECTIONS = 64
#: Asked once at start, before the gateway connects: the first question of each kind builds what the
#: engine and the renderer build lazily (~0.1-1.5 s in all), which would otherwise delay the first answers
#: and, in a burst right after a start, the acknowledgements queued behind them.
WARM_UP: tuple[str, ...] = (
    "A4000 vs A6000",
    "rtx 4090 vram",
    "A4000 or A6000 for training?",
    "best card under $1500 for inference",
    "llama 3 70b in 4-bit on 2x 3090",
    "what is nvlink",
    "rtx 6000 specs",
    "does the 4090 support pytorch?",  # the software answer's first use loads its data (~80 ms)
    "best card to fine-tune 7b models under $2000",  # the first model-sized pick (~50 ms)
)
#: The faults :class:`FaultDigest` reports, one line each.
NOT_DELIVERED = "answer not delivered"
NOT_ACKNOWLEDGED = "slash command not acknowledged in time"
NO_TURN = "not answered: the bot shut down before its turn"
#: Longest an answer waits for acknowledgements to go first (one stuck on Discord's retries must not stall all).
ACKNOWLEDGEMENTS_FIRST_S = 1.0


class Unacknowledged(Exception):
    """Deferring an interaction failed: Discord no longer takes a response to it."""


class AnswerGate:
    """At most ``slots`` answers worked on at once, the rest waiting their turn in order; and the rule
    that keeps every slash command inside Discord's 3 s acknowledgement window under a backlog.

    A slash command is deferred at once ("GPU Advisor is thinking…", one cheap request) and answered by
    a follow-up when its turn comes if it would wait for a slot, or if it reaches the bot late: more than
    ``late_after`` seconds older than the youngest interaction of the last minute or two (its age is
    from its snowflake, so clock skew and network delay cancel out; a backlog of unread gateway events
    shows up here). Otherwise the answer goes out in one request, as before. Acknowledgements go first:
    while any is being sent, no answer starts, since an answer can wait and an acknowledgement cannot.
    """

    def __init__(self, slots: int = 64, *, late_after: float = 0.3) -> None:
        self.slots, self.late_after = slots, late_after
        self._free = asyncio.Semaphore(slots)
        self._acknowledging = 0
        self._no_acknowledgements = asyncio.Event()
        self._no_acknowledgements.set()
        self._youngest = (float("inf"), float("inf"))  # the youngest age seen: (previous, this) minute
        self._minute = time.monotonic()
        self.deferred = 0  # how many answers were deferred so far

    def lateness(self, age: float) -> float:
        """How much later than usual an interaction of ``age`` seconds reaches the bot."""
        now = time.monotonic()
        previous, current = self._youngest
        if now - self._minute >= 60:
            previous, current, self._minute = current, float("inf"), now
        self._youngest = (previous, min(current, age))
        return age - min(self._youngest)

    @contextlib.asynccontextmanager
    async def turn(
        self,
        acknowledge: Callable[[], Awaitable[None]] | None = None,
        *,
        age: float | None = None,
        cancelled: Callable[[], None] | None = None,
    ) -> AsyncIterator[None]:
        """Hold a slot; when one is not free, or the interaction (``age`` seconds old) came late, await
        ``acknowledge`` (a deferral) first. An exception from ``acknowledge`` propagates, no slot held;
        ``cancelled`` is called when the task is cancelled (a shutdown) before its turn came."""
        try:
            late = age is not None and self.lateness(age) > self.late_after
            if acknowledge is not None and (late or self._free.locked()):
                self.deferred += 1
                await self._acknowledged(acknowledge)
            await self._free.acquire()
        except asyncio.CancelledError:
            if cancelled is not None:
                cancelled()
            raise
        try:
            if not self._no_acknowledgements.is_set():
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(ACKNOWLEDGEMENTS_FIRST_S):
                        await self._no_acknowledgements.wait()
            yield
        finally:
            self._free.release()

    async def _acknowledged(self, acknowledge: Callable[[], Awaitable[None]]) -> None:
        self._acknowledging += 1
        self._no_acknowledgements.clear()
        try:
            await acknowledge()
        finally:
            self._acknowledging -= 1
            if not self._acknowledging:
                self._no_acknowledgements.set()


@dataclass
class _Fault:
    count: int
    first: str
    handle: asyncio.TimerHandle | None = None


@dataclass
class FaultDigest:
    """One log line per fault, however many questions it hits.

    A failure is held (:meth:`add`) and reported when the bot has no answer in flight any more
    (:meth:`idle`), or ``window`` seconds after the first one at the latest, or at :meth:`flush`: a single
    failure as its own line, a burst as one line with the count and the first failure.
    """

    logger: logging.Logger
    window: float = 30.0
    _open: dict[str, _Fault] = field(default_factory=dict)

    def add(self, kind: str, first: str) -> None:
        fault = self._open.get(kind)
        if fault is not None:
            fault.count += 1
            return
        fault = self._open[kind] = _Fault(1, first)
        with contextlib.suppress(RuntimeError):  # no running loop: reported at the next idle or flush
            fault.handle = asyncio.get_running_loop().call_later(self.window, self._emit, kind)

    @property
    def pending(self) -> int:
        return sum(f.count for f in self._open.values())

    def idle(self) -> None:
        """No answer in flight: report what was held."""
        self.flush()

    def flush(self) -> None:
        for kind in list(self._open):
            self._emit(kind)

    def _emit(self, kind: str) -> None:
        fault = self._open.pop(kind, None)
        if fault is None:
            return
        if fault.handle is not None:
            fault.handle.cancel()
        if fault.count == 1:
            self.logger.warning("%s: %s", kind, fault.first)
        else:
            self.logger.warning("%s for %d questions (the first: %s)", kind, fault.count, fault.first)


class YieldingWebSocket(discord.gateway.DiscordWebSocket):
    """discord.py's gateway connection, letting the command an interaction started run before the next
    event is read.

    discord.py reads buffered gateway events without ever yielding to the event loop: in a burst of
    1,000 interactions it parses them all (~1 s on a busy machine) before the first command runs, so the
    last ones were acknowledged late. After each interaction (the client sets :attr:`yield_soon`), one
    ``sleep(0)`` lets its command start, and defer if it must wait, as it arrives. Other events are read
    as before.
    """

    yield_soon = False

    async def received_message(self, msg: Any, /) -> None:
        await super().received_message(msg)
        if self.yield_soon:
            self.yield_soon = False
            await asyncio.sleep(0)


class BurstReadyClient(discord.Client):
    """The client side of bursts: a bounded pool of reused connections, and the yielding gateway."""

    async def login(self, token: str) -> None:
        if self.http.connector is discord.utils.MISSING:  # none passed in: a bounded pool, reused
            self.http.connector = bounded_connector()
        await super().login(token)

    async def connect(self, *, reconnect: bool = True) -> None:
        install_yielding_gateway()
        await super().connect(reconnect=reconnect)

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        super().dispatch(event_name, *args, **kwargs)
        if event_name == "interaction" and isinstance(self.ws, YieldingWebSocket):
            self.ws.yield_soon = True  # let its command start before the next event is read


def install_yielding_gateway() -> None:
    """Make discord.py's clients (plain and sharded) connect with :class:`YieldingWebSocket`."""
    discord.client.DiscordWebSocket = YieldingWebSocket  # type: ignore[misc]
    discord.shard.DiscordWebSocket = YieldingWebSocket  # type: ignore[misc]


def bounded_connector() -> aiohttp.TCPConnector:
    """A pool of :data:`HTTP_CONNECTIONS` connections to Discord, kept open and reused (call in the loop)."""
    return aiohttp.TCPConnector(limit=HTTP_CONNECTIONS)


def warm_up(engine: Engine) -> float:
    """Answer and render :data:`WARM_UP` once, then move the start-up heap (catalog, engine, discord.py's
    modules: ~55,000 objects) out of the garbage collector's way (``gc.freeze``), so that a full collection
    in the middle of a burst takes microseconds instead of ~35 ms. For ``gpubot run``, at start; returns the
    milliseconds it took."""
    start = time.perf_counter()
    for question in WARM_UP:
        pack_embeds(answer_embeds(engine.ask(question)))
    gc.collect()
    gc.freeze()
    return (time.perf_counter() - start) * 1000


async def defer(interaction: discord.Interaction[Any], *, ephemeral: bool = False) -> None:
    """Acknowledge now ("thinking…"; only the asker sees it for a "just for me" answer), answer later by a
    follow-up; discord.py retries a callback's 5xx. Raises :class:`Unacknowledged` when Discord refuses (the 3 s
    window passed) or cannot be reached."""
    try:
        await interaction.response.defer(thinking=True, ephemeral=ephemeral)
    except SEND_FAILURES as exc:
        raise Unacknowledged(describe_failure(exc)) from exc
