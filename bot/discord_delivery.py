"""Getting answers to Discord through its transient faults, and knowing what really arrived (plus the
per-user cooldown, whose notices must not flood a channel).

discord.py retries 500, 502, 504 and 524 itself and waits out a 429's ``retry_after``; a 503, a
connection reset or a rate limit longer than ``max_ratelimit_timeout`` reach us as exceptions. Sends
are retried here with backoff; each channel message carries one nonce for all its attempts
(``enforce_nonce``), so Discord returns the message an earlier, seemingly failed attempt created
instead of posting it twice. :class:`Delivery` counts what was sent, so the query log says what
happened: answered, partly delivered or not delivered.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import aiohttp
import discord
from discord.ext import commands

__all__ = [
    "ALREADY_ACKNOWLEDGED",
    "RETRY_DELAYS",
    "SEND_FAILURES",
    "TRANSIENT",
    "Cooldowns",
    "Delivery",
    "QuietReconnects",
    "RedactSecrets",
    "WireTracker",
    "describe_failure",
    "new_nonce",
    "retry_send",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Waits before the 2nd, 3rd and 4th attempt (each stretched by up to 25% of jitter).
RETRY_DELAYS: tuple[float, ...] = (0.5, 1.0, 2.0)
#: Failures worth another attempt: Discord's 5xx, a rate limit discord.py would not wait out, the network.
TRANSIENT: tuple[type[BaseException], ...] = (
    discord.DiscordServerError,
    discord.RateLimited,
    aiohttp.ClientConnectionError,
    asyncio.TimeoutError,
    ConnectionError,
)
#: Why an answer was not sent: failures of the send itself (after retries), not bugs in the bot.
SEND_FAILURES: tuple[type[BaseException], ...] = (discord.HTTPException, aiohttp.ClientError, *TRANSIENT)
ALREADY_ACKNOWLEDGED = 40060  # an interaction callback that an earlier attempt did deliver


@dataclass(slots=True)
class Delivery:
    """What happened to one answer's messages.

    ``wire`` is the bot's :attr:`WireTracker.tasks`: a send leaves it when it returns or fails, so a
    shutdown never cancels a request that Discord may already have acted on (the log would lie).
    """

    total: int = 0
    sent: int = 0
    retried: int = 0
    wire: set[asyncio.Task[Any]] | None = None

    def settled(self) -> None:
        task = asyncio.current_task()
        if self.wire is not None and task is not None:
            self.wire.discard(task)

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.sent == self.total


class WireTracker:
    """The tasks with a request on the wire (sent to Discord, its reply not yet read).

    Its ``trace`` goes to the client (``http_trace``); aiohttp calls it in the sending task.
    """

    def __init__(self) -> None:
        self.tasks: set[asyncio.Task[Any]] = set()
        self.trace = aiohttp.TraceConfig()
        self.trace.on_request_start.append(self._started)

    async def _started(
        self, _session: aiohttp.ClientSession, _ctx: Any, _params: aiohttp.TraceRequestStartParams
    ) -> None:
        task = asyncio.current_task()
        if task is not None:
            self.tasks.add(task)


def new_nonce() -> str:
    """A message nonce (Discord keeps it a few minutes; one per message, the same for every attempt)."""
    return str(secrets.randbits(62))


async def retry_send(
    send: Callable[[], Awaitable[T]],
    delivery: Delivery | None = None,
    *,
    delays: tuple[float, ...] | None = None,
) -> T:
    """``await send()``, again after a transient failure, waiting ``delays`` (default
    :data:`RETRY_DELAYS`) or a 429's retry_after between attempts."""
    waits = list(RETRY_DELAYS if delays is None else delays)
    while True:
        try:
            return await send()
        except TRANSIENT as exc:
            if not waits:
                raise
            delay = waits.pop(0) * (1 + random.random() / 4)  # noqa: S311 - jitter, not security
            wait = exc.retry_after if isinstance(exc, discord.RateLimited) else delay
            reason = describe_failure(exc)
        finally:
            if delivery is not None:
                delivery.settled()
        if delivery is not None:
            delivery.retried += 1
        log.debug("send failed (%s); retrying in %.2f s", reason, wait)
        await asyncio.sleep(wait)


def describe_failure(exc: BaseException) -> str:
    """One short line for the query log and the warning: status and Discord's message, no internals."""
    if isinstance(exc, discord.HTTPException):
        text = f"{exc.status} {exc.text}".strip() if exc.text else str(exc.status)
        return f"HTTP {text}"[:120]
    if isinstance(exc, asyncio.CancelledError):
        return "the bot shut down before it was sent"
    return type(exc).__name__


# Interaction tokens appear in discord.py's DEBUG lines: in callback and webhook URLs, and in the
# INTERACTION_CREATE payloads the gateway logs. They are bearer secrets for 15 minutes.
_INTERACTION_TOKEN = re.compile(r"""(/interactions/\d+/|/webhooks/\d+/|['"]token['"]:\s*['"])[A-Za-z0-9_\-.]+""")


class RedactSecrets(logging.Filter):
    """Replaces the bot token and interaction tokens in every log record, whatever logged it."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = message.replace(self.token, "[token]") if self.token else message
        if "token" in redacted or "/interactions/" in redacted or "/webhooks/" in redacted:
            redacted = _INTERACTION_TOKEN.sub(r"\1[token]", redacted)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class QuietReconnects(logging.Filter):
    """One line per gateway outage instead of a traceback per reconnect attempt.

    discord.py logs every failed reconnect with ``log.exception`` (an 8 s outage: 3-4 tracebacks). The
    first attempt of an outage passes as one line naming the cause; further attempts within
    ``window`` seconds are dropped.
    """

    def __init__(self, window: float = 300.0) -> None:
        super().__init__()
        self.window = window
        self._last = -window

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith("Attempting a reconnect"):
            return True
        if record.created - self._last < self.window:
            return False
        self._last = record.created
        cause = record.exc_info[1] if record.exc_info else None
        record.msg = "gateway connection lost (%s); reconnecting to resume the session"
        record.args = (f"{type(cause).__name__}: {cause}" if cause else "unknown cause",)
        record.exc_info = record.exc_text = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


class Cooldowns:
    """Per-user rate limit shared by messages and slash commands."""

    def __init__(self, rate: int, per: float) -> None:
        self.rate, self.per = rate, per
        self._mapping: commands.CooldownMapping[int] = commands.CooldownMapping.from_cooldown(
            rate, per, lambda user_id: user_id
        )
        self._noticed: dict[int, float] = {}  # user id -> end of the window a notice was sent for

    def notice_due(self, user_id: int, retry_after: float) -> bool:
        """True once per user per cooldown window: the first message over the limit gets a notice,
        the rest of the window is silent (a notice per message would spam the channel and, under
        Discord's per-channel rate limit, delay everyone else's answers)."""
        now = time.monotonic()
        if self._noticed.get(user_id, 0.0) > now:
            return False
        if len(self._noticed) >= 10_000:
            self._noticed = {u: t for u, t in self._noticed.items() if t > now}
        self._noticed[user_id] = now + retry_after
        return True

    def retry_after(self, user_id: int) -> float:
        """0 when the user may ask now; else seconds to wait (and this attempt is not counted)."""
        if self.per <= 0:
            return 0.0
        bucket = self._mapping.get_bucket(user_id)
        return (bucket.update_rate_limit() or 0.0) if bucket is not None else 0.0
