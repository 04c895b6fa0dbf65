"""Faults to inject into :class:`tests.fake_discord.FakeDiscord` (append them to ``fake.rest_hooks``).

Each is a :data:`~tests.fake_discord.RestHook`: it sees every REST request and either answers in the
fake's place (a 503, a 429 with ``Retry-After``) or lets the fake handle the request and then loses or
decorates the reply (a 503 *after* the message was created; Discord's rate-limit headers).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.fake_discord import HookReply, Recorded

__all__ = ["ChannelRateLimit", "FailNext", "is_callback", "is_message_create"]


def is_message_create(rec: Recorded) -> bool:
    """``POST /channels/{id}/messages``."""
    parts = rec.path.split("/")
    return rec.method == "POST" and len(parts) == 4 and parts[1] == "channels" and parts[3] == "messages"


def is_callback(rec: Recorded) -> bool:
    """``POST /interactions/{id}/{token}/callback``."""
    return rec.method == "POST" and rec.path.startswith("/interactions/") and rec.path.endswith("/callback")


def _too_many(retry_after: float, *, bucket: str = "", scope: str = "user") -> HookReply:
    headers = {
        "Via": "1.1 google",  # discord.py treats a 429 without Via as a Cloudflare ban
        "Retry-After": str(max(1, round(retry_after))),
        "X-RateLimit-Scope": scope,
    }
    if bucket:
        headers["X-RateLimit-Bucket"] = bucket
    body = {"message": "You are being rate limited.", "retry_after": round(retry_after, 3), "global": False}
    return 429, body, headers


@dataclass
class FailNext:
    """The next ``count`` requests matching ``match`` fail with ``status``.

    ``applied=True`` lets the fake handle the request first (the message exists) and loses the reply,
    as when Discord times out after writing; a retry without the same nonce would then duplicate it.
    A 429 carries ``retry_after`` seconds in its body and ``Retry-After`` header.
    """

    match: Callable[[Recorded], bool] = is_message_create
    count: int = 1
    status: int = 503
    applied: bool = False
    retry_after: float = 0.2
    failed: list[Recorded] = field(default_factory=list)

    def __call__(self, rec: Recorded, proceed: Callable[[], HookReply]) -> HookReply:
        if self.count <= 0 or not self.match(rec):
            return proceed()
        self.count -= 1
        self.failed.append(rec)
        if self.applied:
            proceed()
        if self.status == 429:
            return _too_many(self.retry_after)
        return self.status, {"message": "503: Service Unavailable", "code": 0}, {}


@dataclass
class ChannelRateLimit:
    """Discord's per-channel limit on creating messages: ``limit`` per ``per`` seconds in each channel.

    Successful creations carry the ``X-RateLimit-*`` headers (so discord.py waits before the bucket is
    empty); a creation over the limit gets a 429. ``exhausted`` records the requests that emptied a
    bucket, ``limited`` those refused with a 429.
    """

    limit: int = 5
    per: float = 5.0
    windows: dict[str, tuple[float, int]] = field(default_factory=dict)
    exhausted: list[Recorded] = field(default_factory=list)
    limited: list[Recorded] = field(default_factory=list)

    def __call__(self, rec: Recorded, proceed: Callable[[], HookReply]) -> HookReply:
        if not is_message_create(rec):
            return proceed()
        channel = rec.path.split("/")[2]
        now = time.monotonic()
        start, used = self.windows.get(channel, (now, 0))
        if now - start >= self.per:
            start, used = now, 0
        reset_after = max(0.001, self.per - (now - start))
        if used >= self.limit:
            self.limited.append(rec)
            return _too_many(reset_after, bucket="messages-create")
        used += 1
        self.windows[channel] = (start, used)
        if used == self.limit:
            self.exhausted.append(rec)
        status, reply, headers = proceed()
        headers.update(
            {
                "X-RateLimit-Limit": str(self.limit),
                "X-RateLimit-Remaining": str(self.limit - used),
                "X-RateLimit-Reset-After": f"{reset_after:.3f}",
                "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
                "X-RateLimit-Bucket": "messages-create",
            }
        )
        return status, reply, headers
