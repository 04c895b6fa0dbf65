"""A local fake Discord (REST API + gateway) for end-to-end tests of discord.py bots.

The fake binds ``127.0.0.1`` on a random port and speaks enough of Discord's REST API and gateway
protocol that the *unmodified* discord.py client can log in, connect, receive events and answer them.
Nothing inside discord.py is mocked: :meth:`FakeDiscord.install` only points the two URLs discord.py
reads (``discord.http.Route.BASE`` and ``DiscordWebSocket.DEFAULT_GATEWAY``) at this server.

Typical use::

    async with running_fake() as fake, running_bot(fake, make_bot()) as bot:
        mark = fake.mark()
        message_id = await fake.message("hello")
        sent = await fake.next_message(after=mark)
        assert sent.json["message_reference"]["message_id"] == message_id

What the fake models (and a test can therefore rely on):

* One guild (``GUILD_ID``) with two text channels, three roles (``@everyone``, an administrator role and
  the bot's managed role) and three members: the bot, ``ADMIN_ID`` (owner, administrator) and
  ``MEMBER_ID`` (plain member). Unknown user ids passed to the helpers become plain members lazily.
* Gateway: HELLO, heartbeat ACKs, IDENTIFY -> READY + GUILD_CREATE, RESUME -> RESUMED, REQUEST_GUILD_MEMBERS
  -> GUILD_MEMBERS_CHUNK, ``zlib-stream`` transport compression, close codes 4004/4013/4014 for a wrong
  token, missing intents or disallowed privileged intents. Events are filtered by the intents the bot
  identified with (GUILDS, GUILD_MESSAGES, DIRECT_MESSAGES); without MESSAGE_CONTENT, message content is
  blanked like Discord does (except DMs, mentions of the bot and the bot's own messages); without
  GUILD_PRESENCES, GUILD_CREATE carries only the bot's own member.
* REST: messages (create/edit/delete/fetch, JSON or multipart with files), typing, reactions, channels,
  DMs, application info, application commands (global and guild), interaction callbacks and the
  interaction webhooks (original response and follow-ups). Unknown routes answer 404 and are recorded.
* Discord-side validation that discord.py does not do itself: empty messages, content/embed/component
  limits, autocomplete choice limits, command name/description rules, interaction callback types,
  double acknowledgement and the interaction deadline (3 s by default).
* Messages the bot sends are echoed back as MESSAGE_CREATE / MESSAGE_UPDATE / MESSAGE_DELETE like Discord
  does (``echo_bot_messages=True``), so a bot that answers its own messages loops here as it would live.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import mimetypes
import re
import secrets
import time
import zlib
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar

import discord
import discord.gateway
import discord.http
import yarl
from aiohttp import BodyPartReader, WSMsgType, web

JSON = dict[str, Any]
_Reply = tuple[int, Any]
ClientT = TypeVar("ClientT", bound=discord.Client)

__all__ = [
    "FakeDiscord",
    "HookReply",
    "Interaction",
    "Recorded",
    "RestHook",
    "running_bot",
    "running_fake",
    "snowflake_at",
]

DISCORD_EPOCH_MS = 1_420_070_400_000
_BASE_TS = 1_704_067_200.0  # 2024-01-01T00:00:00Z, creation time of the fixed fake entities


def _copy_json(value: Any) -> Any:
    """A deep copy of JSON data (dicts, lists, str, numbers): several times faster than copy.deepcopy."""
    return json.loads(json.dumps(value))


def snowflake_at(timestamp: float, increment: int = 0) -> int:
    """Return a Discord snowflake for a UNIX ``timestamp`` (seconds) with the given low bits."""
    return ((int(timestamp * 1000) - DISCORD_EPOCH_MS) << 22) | (increment & 0x3FFFFF)


def _iso(timestamp: float | None = None) -> str:
    moment = datetime.now(UTC) if timestamp is None else datetime.fromtimestamp(timestamp, UTC)
    return moment.isoformat()


# Permission bits (https://discord.com/developers/docs/topics/permissions).
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
MANAGE_MESSAGES = 1 << 13
EVERYONE_PERMISSIONS = (
    (1 << 0)  # CREATE_INSTANT_INVITE
    | (1 << 6)  # ADD_REACTIONS
    | (1 << 10)  # VIEW_CHANNEL
    | (1 << 11)  # SEND_MESSAGES
    | (1 << 14)  # EMBED_LINKS
    | (1 << 15)  # ATTACH_FILES
    | (1 << 16)  # READ_MESSAGE_HISTORY
    | (1 << 18)  # USE_EXTERNAL_EMOJIS
    | (1 << 20)  # CONNECT
    | (1 << 21)  # SPEAK
    | (1 << 25)  # USE_VAD
    | (1 << 26)  # CHANGE_NICKNAME
    | (1 << 31)  # USE_APPLICATION_COMMANDS
    | (1 << 35)  # CREATE_PUBLIC_THREADS
    | (1 << 37)  # USE_EXTERNAL_STICKERS
    | (1 << 38)  # SEND_MESSAGES_IN_THREADS
)
BOT_ROLE_PERMISSIONS = EVERYONE_PERMISSIONS | MANAGE_MESSAGES | (1 << 17)  # + MENTION_EVERYONE
ALL_PERMISSIONS = discord.Permissions.all().value

# Gateway intents that matter to the fake.
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15

# Message flags.
FLAG_SUPPRESS_EMBEDS = 1 << 2
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7
FLAG_SUPPRESS_NOTIFICATIONS = 1 << 12
FLAG_COMPONENTS_V2 = 1 << 15
_SETTABLE_FLAGS = FLAG_SUPPRESS_EMBEDS | FLAG_SUPPRESS_NOTIFICATIONS | FLAG_COMPONENTS_V2

# Interaction types and the callback types Discord accepts for each of them.
PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
_ALLOWED_CALLBACKS: dict[int, frozenset[int]] = {
    APPLICATION_COMMAND: frozenset({4, 5, 9, 10, 12}),
    MESSAGE_COMPONENT: frozenset({4, 5, 6, 7, 9, 10, 12}),
    AUTOCOMPLETE: frozenset({8}),
    MODAL_SUBMIT: frozenset({4, 5, 6, 7, 10}),
}

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
_MENTION_USER = re.compile(r"<@!?(\d+)>")
_MENTION_ROLE = re.compile(r"<@&(\d+)>")
_COMMAND_NAME = re.compile(r"^[-_'\w]{1,32}$")


class _Snowflakes:
    """Strictly increasing snowflakes for the current time."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        value = snowflake_at(time.time())
        self._last = value if value > self._last else self._last + 1
        return self._last


@dataclass(repr=False)
class Recorded:
    """One REST request the bot made, with the reply the fake gave.

    ``path`` is relative to the API base (``/channels/1/messages``), ``query`` holds the query string,
    ``json`` the JSON body (for multipart requests: the parsed ``payload_json`` part) and ``files`` the
    uploaded files as ``(filename, content)`` in form order.
    """

    method: str
    path: str
    query: dict[str, str]
    json: Any
    files: list[tuple[str, bytes]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 0
    response: Any = None
    #: When the request arrived (``time.monotonic()``, as :attr:`Interaction.created`).
    at: float = field(default_factory=time.monotonic)

    def __repr__(self) -> str:
        body = json.dumps(self.json)
        if len(body) > 300:
            body = body[:300] + "..."
        files = f" files={[name for name, _ in self.files]}" if self.files else ""
        return f"<Recorded {self.method} {self.path} -> {self.status} json={body}{files}>"

    @property
    def ok(self) -> bool:
        """Whether the fake answered with a 2xx status."""
        return 200 <= self.status < 300


#: A REST reply with extra response headers (rate-limit headers, ``Via``).
HookReply = tuple[int, Any, dict[str, str]]
#: Fault injection: ``hook(request, proceed)`` answers instead of the fake (a 503, a 429) or calls
#: ``proceed()`` to let the fake handle it and then changes or loses the reply. See tests/fake_faults.py.
RestHook = Callable[[Recorded, Callable[[], HookReply]], HookReply]


@dataclass
class _UserSpec:
    id: int
    username: str
    global_name: str | None
    roles: list[int]
    bot: bool = False


@dataclass
class _InteractionState:
    id: int
    token: str
    type: int
    created: float
    channel_id: int
    guild_id: int | None
    user_id: int
    name: str | None = None
    message_id: int | None = None
    response_type: int | None = None
    original_id: int | None = None
    message_ids: set[int] = field(default_factory=set)


class Interaction:
    """Handle on an interaction the fake dispatched; use it to look at how the bot answered."""

    def __init__(self, fake: FakeDiscord, state: _InteractionState, payload: JSON) -> None:
        self._fake = fake
        self._state = state
        #: The INTERACTION_CREATE payload that was sent to the bot.
        self.payload: JSON = payload

    def __repr__(self) -> str:
        return f"<Interaction id={self.id} type={self.type} name={self._state.name!r}>"

    @property
    def id(self) -> int:
        return self._state.id

    @property
    def token(self) -> str:
        return self._state.token

    @property
    def type(self) -> int:
        return self._state.type

    @property
    def created(self) -> float:
        """When the fake dispatched it (``time.monotonic()``): its 3 s acknowledgement window starts here."""
        return self._state.created

    @property
    def callback_path(self) -> str:
        return f"/interactions/{self.id}/{self.token}/callback"

    @property
    def webhook_path(self) -> str:
        return f"/webhooks/{self._fake.APP_ID}/{self.token}"

    async def response(self, timeout: float = 5) -> Recorded:
        """Wait for (or return) the bot's POST to this interaction's callback endpoint."""
        path = self.callback_path
        return await self._fake.wait_for(lambda r: r.method == "POST" and r.path == path, timeout)

    async def followups(self, count: int = 1, timeout: float = 5) -> list[Recorded]:
        """Wait until at least ``count`` follow-up POSTs were made and return all of them."""
        path = self.webhook_path
        await self._fake.wait_for(lambda _r: len(self._matching("POST", path)) >= count, timeout)
        return self._matching("POST", path)

    def edits(self) -> list[Recorded]:
        """The PATCH requests to the original response made so far."""
        return self._matching("PATCH", f"{self.webhook_path}/messages/@original")

    async def wait_edit(self, timeout: float = 5) -> Recorded:
        """Wait for the first PATCH to the original response."""
        path = f"{self.webhook_path}/messages/@original"
        return await self._fake.wait_for(lambda r: r.method == "PATCH" and r.path == path, timeout)

    def original(self) -> JSON | None:
        """The current state of the original response message as the fake stores it, if any."""
        if self._state.original_id is None:
            return None
        return self._fake.messages.get(self._state.original_id)

    def _matching(self, method: str, path: str) -> list[Recorded]:
        return [r for r in self._fake.requests if r.method == method and r.path == path]


class _GatewayConnection:
    """One websocket connection from the bot, with its transport compression."""

    def __init__(self, ws: web.WebSocketResponse, compression: str | None) -> None:
        self.ws = ws
        self.compression = compression
        self._zlib = zlib.compressobj() if compression == "zlib-stream" else None
        self._lock = asyncio.Lock()
        self.identified = False

    async def send(self, payload: JSON) -> None:
        data = json.dumps(payload)
        async with self._lock:
            if self._zlib is not None:
                # One zlib stream per connection; Z_SYNC_FLUSH ends every message with 00 00 ff ff.
                chunk = self._zlib.compress(data.encode()) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
                await self.ws.send_bytes(chunk)
            else:  # zstd-stream (when discord.py has zstandard) or no compression: plain text frames.
                await self.ws.send_str(data)


class FakeDiscord:
    """A fake Discord server for one bot: REST API under ``api_base``, gateway at ``gateway_url``."""

    APP_ID: ClassVar[int] = snowflake_at(_BASE_TS, 1)
    BOT_USER_ID: ClassVar[int] = APP_ID  # like real bots: the bot user id is the application id
    GUILD_ID: ClassVar[int] = snowflake_at(_BASE_TS + 60, 1)
    CHANNEL_ID: ClassVar[int] = snowflake_at(_BASE_TS + 60, 2)
    OTHER_CHANNEL_ID: ClassVar[int] = snowflake_at(_BASE_TS + 60, 3)
    DM_CHANNEL_ID: ClassVar[int] = snowflake_at(_BASE_TS + 60, 4)
    ADMIN_ROLE_ID: ClassVar[int] = snowflake_at(_BASE_TS + 60, 5)
    BOT_ROLE_ID: ClassVar[int] = snowflake_at(_BASE_TS + 60, 6)
    ADMIN_ID: ClassVar[int] = snowflake_at(_BASE_TS + 120, 1)  # guild owner, administrator, app owner
    MEMBER_ID: ClassVar[int] = snowflake_at(_BASE_TS + 120, 2)  # plain member
    TOKEN: ClassVar[str] = "fake-bot-token"  # noqa: S105 - not a secret; any token works unless required
    GUILD_NAME: ClassVar[str] = "Fake Guild"

    def __init__(
        self,
        *,
        intents_message_content: bool = True,
        token: str | None = None,
        echo_bot_messages: bool = True,
        interaction_timeout: float | None = 3.0,
        heartbeat_interval_ms: int = 41_250,
    ) -> None:
        """Configure the fake.

        ``intents_message_content`` is the application's Message Content switch in the developer
        portal: when False, an IDENTIFY asking for MESSAGE_CONTENT is closed with 4014 (discord.py raises
        ``PrivilegedIntentsRequired``). ``token``, when given, is the only token accepted (401 / close 4004
        otherwise). ``interaction_timeout`` is how long an interaction accepts its initial callback
        (Discord: 3 s); None disables the deadline.
        """
        self.intents_message_content = intents_message_content
        self.token = token
        self.echo_bot_messages = echo_bot_messages
        self.interaction_timeout = interaction_timeout
        self.heartbeat_interval_ms = heartbeat_interval_ms

        #: Every REST request, in arrival order.
        self.requests: list[Recorded] = []
        #: Requests no route matched (also in ``requests``; answered 404).
        self.unknown_routes: list[Recorded] = []
        #: Exceptions raised inside the fake itself (``running_fake`` re-raises the first on exit).
        self.server_errors: list[BaseException] = []
        #: Every gateway frame the bot sent (heartbeats included), and the IDENTIFY / RESUME payloads.
        self.gateway_received: list[JSON] = []
        self.identify_payloads: list[JSON] = []
        self.resume_payloads: list[JSON] = []
        self.presence_updates: list[JSON] = []
        #: Query strings of each gateway connection (``v``, ``encoding``, ``compress``).
        self.gateway_connections: list[dict[str, str]] = []
        #: Dispatched gateway events as ``(event name, data)``.
        self.dispatched: list[tuple[str, JSON]] = []
        #: Every message the fake knows (user messages and the bot's), by id, in their current state.
        self.messages: dict[int, JSON] = {}
        self.global_commands: list[JSON] = []
        self.guild_commands: dict[int, list[JSON]] = {}
        #: Fault injection around every REST request, outermost first (see :data:`RestHook`).
        self.rest_hooks: list[RestHook] = []
        self._nonces: dict[tuple[int, str], int] = {}  # (channel, nonce) -> message id, for enforce_nonce
        #: The intents of the last IDENTIFY (None before the bot identified).
        self.intents: int | None = None

        self._ids = _Snowflakes()
        self._users: dict[int, _UserSpec] = {}
        for spec in (
            _UserSpec(self.BOT_USER_ID, "fake-bot", "Fake Bot", [self.BOT_ROLE_ID], bot=True),
            _UserSpec(self.ADMIN_ID, "admin", "Admin", [self.ADMIN_ROLE_ID]),
            _UserSpec(self.MEMBER_ID, "member", "Member", []),
        ):
            self._users[spec.id] = spec
        self._roles: dict[int, JSON] = {
            role["id"]: role
            for role in (
                self._role(self.GUILD_ID, "@everyone", EVERYONE_PERMISSIONS, 0),
                self._role(self.BOT_ROLE_ID, "Fake Bot", BOT_ROLE_PERMISSIONS, 1, bot=True),
                self._role(self.ADMIN_ROLE_ID, "Admin", ADMINISTRATOR | MANAGE_GUILD, 2),
            )
        }
        self._channels: dict[int, JSON] = {
            self.CHANNEL_ID: self._text_channel(self.CHANNEL_ID, "general", 0),
            self.OTHER_CHANNEL_ID: self._text_channel(self.OTHER_CHANNEL_ID, "random", 1),
        }
        self._dm_channels: dict[int, int] = {self.DM_CHANNEL_ID: self.MEMBER_ID}  # channel id -> recipient
        self._interactions: dict[int, _InteractionState] = {}
        self._interactions_by_token: dict[str, _InteractionState] = {}
        self._attachment_data: dict[int, bytes] = {}

        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._connections: set[_GatewayConnection] = set()
        self._conn: _GatewayConnection | None = None
        self._session_id: str | None = None
        self._seq = 0
        #: During :meth:`start_outage` the gateway answers 503; events are kept for a RESUME, like Discord.
        self.gateway_down = False
        self._missed: list[JSON] = []
        #: Events of a session that was never resumed (the bot identified anew): lost, as on Discord.
        self.lost_events: list[JSON] = []
        self._ready = asyncio.Event()
        self._changed = asyncio.Event()
        self._last_reply_at = 0.0
        self._tasks: set[asyncio.Task[None]] = set()
        self._saved: tuple[str, yarl.URL] | None = None
        self._routes = self._build_routes()

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Start serving on ``127.0.0.1`` on a free port."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self._attachment)
        app.router.add_route("*", r"/api/v{version:\d+}/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Close gateway connections, cancel pending work and stop the server."""
        for conn in list(self._connections):
            with contextlib.suppress(Exception):
                await conn.ws.close(code=1001, message=b"fake discord stopping")
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        if self._port is None:
            raise RuntimeError("FakeDiscord.start() has not been awaited")
        return f"http://127.0.0.1:{self._port}"

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self._port}/gateway"

    def install(self) -> None:
        """Point discord.py's REST base and default gateway at this server (see :meth:`uninstall`)."""
        if self._saved is None:
            self._saved = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
        discord.http.Route.BASE = self.api_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)

    def uninstall(self) -> None:
        """Restore the URLs :meth:`install` replaced."""
        if self._saved is not None:
            discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = self._saved
            self._saved = None

    async def wait_ready(self, timeout: float = 10) -> None:
        """Wait until the bot identified and READY (+ GUILD_CREATE) were sent.

        discord.py fires ``on_ready`` ``guild_ready_timeout`` seconds later; use
        ``bot.wait_until_ready()`` (or :func:`running_bot`) when the bot's own readiness matters.
        """
        await asyncio.wait_for(self._ready.wait(), timeout)

    # ------------------------------------------------------------------ waiting on requests

    def mark(self) -> int:
        """The current number of recorded requests, for ``wait_for(..., after=mark)``."""
        return len(self.requests)

    async def wait_for(self, predicate: Callable[[Recorded], bool], timeout: float = 5, *, after: int = 0) -> Recorded:
        """Return the first request at index >= ``after`` matching ``predicate``, waiting for it if needed.

        Raises ``AssertionError`` listing the requests seen when nothing matches within ``timeout``.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        index = after
        while True:
            while index < len(self.requests):
                candidate = self.requests[index]
                index += 1
                if predicate(candidate):
                    return candidate
            remaining = deadline - loop.time()
            if remaining <= 0:
                seen = "\n  ".join(repr(r) for r in self.requests[after:]) or "(none)"
                raise AssertionError(f"no matching request within {timeout}s; requests since {after}:\n  {seen}")
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    async def changed(self, timeout: float = 5) -> None:
        """Wait until the next request or gateway frame is recorded (or ``timeout`` passes)."""
        changed = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(changed.wait(), timeout)

    async def wait_gateway(self, predicate: Callable[[JSON], bool], timeout: float = 5) -> JSON:
        """Return the first gateway frame the bot sent (``{"op", "d", ...}``) matching ``predicate``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        index = 0
        while True:
            while index < len(self.gateway_received):
                frame = self.gateway_received[index]
                index += 1
                if predicate(frame):
                    return frame
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"no matching gateway frame within {timeout}s: {self.gateway_received}")
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    async def next_message(self, *, after: int = 0, channel_id: int | None = None, timeout: float = 5) -> Recorded:
        """Wait for the next successful ``POST /channels/{id}/messages`` (optionally in ``channel_id``)."""

        def match(r: Recorded) -> bool:
            parts = r.path.split("/")
            return (
                r.method == "POST"
                and len(parts) == 4
                and parts[1] == "channels"
                and parts[3] == "messages"
                and (channel_id is None or parts[2] == str(channel_id))
            )

        return await self.wait_for(match, timeout, after=after)

    def sent_messages(self, channel_id: int | None = None) -> list[JSON]:
        """Payloads of the successful message creations: channel messages and interaction follow-ups.

        Interaction *responses* (callback type 4) are not included; see :meth:`Interaction.response`.
        """
        out: list[JSON] = []
        for r in self.requests:
            if r.method != "POST" or not r.ok:
                continue
            parts = r.path.split("/")
            is_channel_message = len(parts) == 4 and parts[1] == "channels" and parts[3] == "messages"
            is_followup = len(parts) == 4 and parts[1] == "webhooks"
            if not (is_channel_message or is_followup):
                continue
            if channel_id is not None:
                if is_channel_message and parts[2] != str(channel_id):
                    continue
                if is_followup and isinstance(r.response, dict) and r.response.get("channel_id") != str(channel_id):
                    continue
            out.append(r.json)
        return out

    def command_id(self, name: str, guild_id: int | None = None) -> int | None:
        """The id Discord assigned to a synced command (guild commands when ``guild_id`` is given)."""
        commands = self.global_commands if guild_id is None else self.guild_commands.get(guild_id, [])
        for command in commands:
            if command["name"] == name and command.get("type", 1) == 1:
                return int(command["id"])
        return None

    # ------------------------------------------------------------------ gateway events from "users"

    async def dispatch(self, event: str, data: JSON) -> None:
        """Send a DISPATCH (op 0) event to the connected bot."""
        conn = self._conn
        if (conn is None or conn.ws.closed) and not (self.gateway_down and self._session_id):
            raise RuntimeError("the bot is not connected to the fake gateway")
        self._seq += 1
        self.dispatched.append((event, data))
        frame = {"op": 0, "t": event, "s": self._seq, "d": data}
        if conn is None or conn.ws.closed:  # an outage: kept for the session's RESUME
            self._missed.append(frame)
            return
        await conn.send(frame)

    async def start_outage(self, code: int = 1001) -> None:
        """A gateway outage: the connection drops (``code``) and new connections get 503 until
        :meth:`end_outage`. Events meanwhile are kept and replayed on RESUME; an IDENTIFY loses them."""
        self.gateway_down = True
        await self.close_gateway(code)

    def end_outage(self) -> None:
        self.gateway_down = False

    async def message(
        self,
        content: str,
        *,
        author_id: int = MEMBER_ID,
        channel_id: int = CHANNEL_ID,
        guild: bool = True,
        mentions_bot: bool = False,
        mention_everyone: bool = False,
        reply_to: int | None = None,
    ) -> int:
        """Have a user post a message: dispatches MESSAGE_CREATE (if the intents allow it), returns its id.

        With ``guild=False`` the message goes to the author's DM channel with the bot (``DM_CHANNEL_ID`` for
        ``MEMBER_ID``) unless a DM ``channel_id`` is given. ``mentions_bot`` prefixes ``<@BOT_USER_ID>``
        when the content does not mention the bot yet. ``reply_to`` makes it a reply to that message.
        """
        if mentions_bot and not re.search(rf"<@!?{self.BOT_USER_ID}>", content):
            content = f"<@{self.BOT_USER_ID}> {content}"
        in_guild = guild and channel_id not in self._dm_channels
        if not in_guild:
            if channel_id not in self._dm_channels:
                channel_id = self._dm_channel_for(author_id)
        elif channel_id not in self._channels:
            raise ValueError(f"unknown guild channel {channel_id}")
        message_id = self._ids.next()
        mentions, everyone, roles = self._parse_mentions(content, None, guild=in_guild)
        msg: JSON = {
            "id": str(message_id),
            "channel_id": str(channel_id),
            "author": self._user_payload(author_id),
            "content": content,
            "timestamp": _iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": mention_everyone or everyone,
            "mentions": mentions,
            "mention_roles": roles,
            "attachments": [],
            "embeds": [],
            "components": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
        }
        if reply_to is not None:
            self._attach_reference(msg, {"message_id": reply_to}, channel_id)
        self.messages[message_id] = msg
        await self._dispatch_message_event("MESSAGE_CREATE", msg)
        return message_id

    async def add_thread(self, name: str = "thread", *, parent_id: int = CHANNEL_ID, owner_id: int = MEMBER_ID) -> int:
        """Open a public thread under ``parent_id`` (dispatches THREAD_CREATE); returns its id, a channel id that
        :meth:`message` and :meth:`slash` take like any guild channel's."""
        thread_id = self._ids.next()
        thread: JSON = {
            **self._text_channel(thread_id, name, 0),
            "type": 11,  # PUBLIC_THREAD
            "parent_id": str(parent_id),
            "owner_id": str(owner_id),
            "member_count": 1,
            "message_count": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": _iso(),
                "locked": False,
            },
        }
        thread.pop("permission_overwrites")
        self._channels[thread_id] = thread
        if self.intents is not None and self.intents & INTENT_GUILDS:
            await self.dispatch("THREAD_CREATE", {**thread, "newly_created": True})
        return thread_id

    async def slash(
        self,
        name: str,
        options: dict[str, Any] | list[JSON] | None = None,
        *,
        user_id: int = MEMBER_ID,
        channel_id: int = CHANNEL_ID,
        subcommand: str | None = None,
    ) -> Interaction:
        """Invoke a chat-input command: dispatches INTERACTION_CREATE type 2.

        ``options`` is either a list of raw option dicts (``{"name", "type", "value"}``, used as is) or a
        ``{name: value}`` dict whose types come from ``(value, type)`` tuples, else from the synced
        command definition, else from the Python type (str 3, int 4, bool 5, float 10). User (6),
        channel (7), role (8) and mentionable (9) options get their ``resolved`` data. ``subcommand`` is
        ``"sub"`` or ``"group sub"``. ``channel_id=DM_CHANNEL_ID`` invokes it in the DM.
        """
        definition, guild_id = self._find_command(name, channel_id)
        sub_definition = self._descend(definition, subcommand)
        resolved: JSON = {}
        opts = self._build_options(options, sub_definition, resolved, focused=None)
        data: JSON = {
            "id": str(definition["id"]) if definition else str(self._ids.next()),
            "name": name,
            "type": 1,
            "options": self._wrap_subcommand(opts, subcommand),
        }
        if guild_id is not None:
            data["guild_id"] = str(guild_id)
        if resolved:
            data["resolved"] = resolved
        return await self._interaction(APPLICATION_COMMAND, data, user_id=user_id, channel_id=channel_id, name=name)

    async def autocomplete(
        self,
        name: str,
        options: dict[str, Any],
        focused: str,
        *,
        user_id: int = MEMBER_ID,
        channel_id: int = CHANNEL_ID,
        subcommand: str | None = None,
    ) -> Interaction:
        """Ask for autocomplete choices: dispatches INTERACTION_CREATE type 4 with ``focused`` marked."""
        definition, guild_id = self._find_command(name, channel_id)
        sub_definition = self._descend(definition, subcommand)
        values = dict(options)
        values.setdefault(focused, "")
        opts = self._build_options(values, sub_definition, {}, focused=focused)
        data: JSON = {
            "id": str(definition["id"]) if definition else str(self._ids.next()),
            "name": name,
            "type": 1,
            "options": self._wrap_subcommand(opts, subcommand),
        }
        if guild_id is not None:
            data["guild_id"] = str(guild_id)
        return await self._interaction(AUTOCOMPLETE, data, user_id=user_id, channel_id=channel_id, name=name)

    async def click(
        self,
        message_id: int,
        custom_id: str,
        *,
        user_id: int = MEMBER_ID,
        values: list[str] | None = None,
        component_type: int = 2,
    ) -> Interaction:
        """Use a component on a message the bot sent: dispatches INTERACTION_CREATE type 3.

        Pass ``values`` (and ``component_type=3`` for a string select) for select menus.
        """
        try:
            message = self.messages[message_id]
        except KeyError:
            raise KeyError(f"the fake knows no message {message_id}") from None
        if values is not None and component_type == 2:
            component_type = 3
        await self._settle()
        data: JSON = {"custom_id": custom_id, "component_type": component_type}
        if values is not None:
            data["values"] = list(values)
        return await self._interaction(
            MESSAGE_COMPONENT,
            data,
            user_id=user_id,
            channel_id=int(message["channel_id"]),
            message=message,
        )

    async def submit_modal(
        self,
        custom_id: str,
        values: dict[str, str],
        *,
        user_id: int = MEMBER_ID,
        channel_id: int = CHANNEL_ID,
    ) -> Interaction:
        """Submit a modal: dispatches INTERACTION_CREATE type 5 with one text input per ``values`` item."""
        rows = [
            {"type": 1, "components": [{"type": 4, "custom_id": key, "value": value}]} for key, value in values.items()
        ]
        data: JSON = {"custom_id": custom_id, "components": rows}
        await self._settle()
        return await self._interaction(MODAL_SUBMIT, data, user_id=user_id, channel_id=channel_id)

    async def close_gateway(self, code: int = 4000) -> None:
        """Close the bot's websocket from the server side.

        discord.py RESUMEs after 1000 and 4000-4003/4005-4009 (the fake answers RESUMED); 4004, 4010-4014
        make ``connect()`` raise ``ConnectionClosed`` (``PrivilegedIntentsRequired`` for 4014).
        """
        conn = self._conn
        if conn is not None:
            self._conn = None
            await conn.ws.close(code=code, message=b"closed by fake discord")

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT; discord.py then reconnects and RESUMEs."""
        if self._conn is not None:
            await self._conn.send({"op": 7, "d": None, "s": None, "t": None})

    # ------------------------------------------------------------------ payload builders

    def _user_spec(self, user_id: int) -> _UserSpec:
        spec = self._users.get(user_id)
        if spec is None:
            spec = _UserSpec(user_id, f"user{user_id}", None, [])
            self._users[user_id] = spec
        return spec

    def _user_payload(self, user_id: int) -> JSON:
        spec = self._user_spec(user_id)
        payload: JSON = {
            "id": str(spec.id),
            "username": spec.username,
            "global_name": spec.global_name,
            "discriminator": "0",
            "avatar": None,
            "public_flags": 0,
            "avatar_decoration_data": None,
        }
        if spec.bot:
            payload["bot"] = True
        return payload

    def _member_payload(self, user_id: int, *, with_user: bool = True, permissions: bool = False) -> JSON:
        spec = self._user_spec(user_id)
        payload: JSON = {
            "roles": [str(r) for r in spec.roles],
            "nick": None,
            "avatar": None,
            "banner": None,
            "joined_at": _iso(_BASE_TS + 120),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if with_user:
            payload["user"] = self._user_payload(user_id)
        if permissions:
            payload["permissions"] = str(self.permissions_of(user_id))
        return payload

    def permissions_of(self, user_id: int) -> int:
        """The guild permissions of a member (no channel overwrites exist in the fake guild)."""
        spec = self._user_spec(user_id)
        value = self._roles[self.GUILD_ID]["_value"]
        for role_id in spec.roles:
            value |= self._roles[role_id]["_value"]
        if user_id == self.ADMIN_ID or value & ADMINISTRATOR:
            return ALL_PERMISSIONS
        return int(value)

    def _role(self, role_id: int, name: str, permissions: int, position: int, *, bot: bool = False) -> JSON:
        role: JSON = {
            "id": role_id,
            "_value": permissions,
            "name": name,
            "permissions": str(permissions),
            "position": position,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": position == 2,
            "managed": bot,
            "mentionable": False,
            "icon": None,
            "unicode_emoji": None,
            "flags": 0,
        }
        if bot:
            role["tags"] = {"bot_id": str(self.BOT_USER_ID)}
        return role

    def _role_payload(self, role_id: int) -> JSON:
        role = {k: v for k, v in self._roles[role_id].items() if not k.startswith("_")}
        role["id"] = str(role_id)
        return role

    def _text_channel(self, channel_id: int, name: str, position: int) -> JSON:
        return {
            "id": str(channel_id),
            "type": 0,
            "guild_id": str(self.GUILD_ID),
            "name": name,
            "position": position,
            "permission_overwrites": [],
            "parent_id": None,
            "topic": None,
            "nsfw": False,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }

    def _dm_channel_for(self, user_id: int) -> int:
        for channel_id, recipient in self._dm_channels.items():
            if recipient == user_id:
                return channel_id
        channel_id = self._ids.next()
        self._dm_channels[channel_id] = user_id
        return channel_id

    def _dm_channel_payload(self, channel_id: int) -> JSON:
        return {
            "id": str(channel_id),
            "type": 1,
            "last_message_id": None,
            "flags": 0,
            "recipients": [self._user_payload(self._dm_channels[channel_id])],
        }

    def _channel_payload(self, channel_id: int) -> JSON | None:
        if channel_id in self._channels:
            return dict(self._channels[channel_id])
        if channel_id in self._dm_channels:
            return self._dm_channel_payload(channel_id)
        return None

    def _bot_user_full(self) -> JSON:
        user = self._user_payload(self.BOT_USER_ID)
        user.update(
            {
                "system": False,
                "mfa_enabled": False,
                "banner": None,
                "accent_color": None,
                "locale": "en-US",
                "verified": True,
                "email": None,
                "flags": 0,
                "premium_type": 0,
                "bio": "",
            }
        )
        return user

    def _application_flags(self) -> int:
        flags = (1 << 13) | (1 << 15) | (1 << 23)  # PRESENCE_LIMITED, GUILD_MEMBERS_LIMITED, COMMAND_BADGE
        if self.intents_message_content:
            flags |= 1 << 19  # GATEWAY_MESSAGE_CONTENT_LIMITED
        return flags

    def _application_payload(self) -> JSON:
        return {
            "id": str(self.APP_ID),
            "name": "Fake Bot",
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "hook": True,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "owner": self._user_payload(self.ADMIN_ID),
            "team": None,
            "flags": self._application_flags(),
            "tags": [],
            "redirect_uris": [],
            "rpc_origins": [],
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "approximate_guild_count": 1,
            "integration_types_config": {"0": {}},
            "is_monetized": False,
            "bot": self._user_payload(self.BOT_USER_ID),
        }

    def _guild_payload(self, *, full: bool) -> JSON:
        guild: JSON = {
            "id": str(self.GUILD_ID),
            "name": self.GUILD_NAME,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.ADMIN_ID),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [self._role_payload(role_id) for role_id in self._roles],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": str(self.CHANNEL_ID),
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "max_members": 500_000,
            "max_video_channel_users": 25,
            "max_stage_video_channel_users": 50,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": "en-US",
            "nsfw_level": 0,
            "nsfw": False,
            "incidents_data": None,
        }
        if full:
            intents = self.intents or 0
            member_ids = [self.BOT_USER_ID, self.ADMIN_ID, self.MEMBER_ID]
            if not intents & INTENT_GUILD_PRESENCES:  # Discord then only sends the bot (and voice users)
                member_ids = [self.BOT_USER_ID]
            guild.update(
                {
                    "joined_at": _iso(_BASE_TS + 180),
                    "large": False,
                    "unavailable": False,
                    "lazy": True,
                    "member_count": 3,
                    "members": [self._member_payload(u) for u in member_ids],
                    "channels": [{k: v for k, v in c.items() if k != "guild_id"} for c in self._channels.values()],
                    "threads": [],
                    "presences": [],
                    "voice_states": [],
                    "stage_instances": [],
                    "guild_scheduled_events": [],
                    "soundboard_sounds": [],
                    "embedded_activities": [],
                }
            )
        return guild

    # ------------------------------------------------------------------ message helpers

    def _parse_mentions(
        self, content: str, allowed: JSON | None, *, guild: bool, replied_user: int | None = None
    ) -> tuple[list[JSON], bool, list[str]]:
        """Resolve mentions in ``content`` the way Discord does, honouring ``allowed_mentions``."""
        parse = ["users", "roles", "everyone"] if allowed is None else list(allowed.get("parse") or [])
        allowed_users = {int(u) for u in (allowed or {}).get("users") or []}
        allowed_roles = {int(r) for r in (allowed or {}).get("roles") or []}
        user_ids: list[int] = []
        for raw in _MENTION_USER.findall(content):
            uid = int(raw)
            if (uid in self._users) and ("users" in parse or uid in allowed_users) and uid not in user_ids:
                user_ids.append(uid)
        replied_ok = allowed is None or bool(allowed.get("replied_user"))
        if replied_user is not None and replied_ok and replied_user not in user_ids:
            user_ids.append(replied_user)
        mentions: list[JSON] = []
        for uid in user_ids:
            user = self._user_payload(uid)
            if guild:
                user["member"] = self._member_payload(uid, with_user=False)
            mentions.append(user)
        roles = [
            raw
            for raw in dict.fromkeys(_MENTION_ROLE.findall(content))
            if int(raw) in self._roles and ("roles" in parse or int(raw) in allowed_roles)
        ]
        everyone = ("@everyone" in content or "@here" in content) and "everyone" in parse
        return mentions, everyone, roles

    def _attach_reference(self, msg: JSON, reference: JSON, channel_id: int) -> None:
        ref_id = int(reference["message_id"])
        referenced = self.messages.get(ref_id)
        ref_channel = int(reference.get("channel_id") or channel_id)
        out: JSON = {
            "type": int(reference.get("type", 0)),
            "message_id": str(ref_id),
            "channel_id": str(ref_channel),
        }
        if ref_channel in self._channels:
            out["guild_id"] = str(self.GUILD_ID)
        msg["message_reference"] = out
        if referenced is not None:
            msg["referenced_message"] = {k: v for k, v in referenced.items() if k != "referenced_message"}
            msg["type"] = 19  # REPLY

    def _assign_component_ids(self, components: list[JSON]) -> list[JSON]:
        components = _copy_json(components)
        counter = 0

        def walk(items: Iterable[JSON]) -> None:
            nonlocal counter
            for item in items:
                counter += 1
                item.setdefault("id", counter)
                walk(item.get("components") or [])
                if isinstance(item.get("component"), dict):
                    walk([item["component"]])
                if isinstance(item.get("accessory"), dict):
                    walk([item["accessory"]])

        walk(components)
        return components

    def _store_files(self, channel_id: int, payload: JSON, files: list[tuple[str, bytes]]) -> list[JSON]:
        described = {int(a["id"]): a for a in payload.get("attachments") or [] if str(a.get("id", "")).isdigit()}
        out: list[JSON] = []
        for index, (filename, content) in enumerate(files):
            attachment_id = self._ids.next()
            self._attachment_data[attachment_id] = content
            meta = described.get(index, {})
            url = f"{self.base_url}/attachments/{channel_id}/{attachment_id}/{filename}"
            attachment: JSON = {
                "id": str(attachment_id),
                "filename": meta.get("filename", filename),
                "size": len(content),
                "url": url,
                "proxy_url": url,
                "content_type": mimetypes.guess_type(filename)[0] or "application/octet-stream",
                "flags": 0,
            }
            if meta.get("description"):
                attachment["description"] = meta["description"]
            out.append(attachment)
        return out

    def _new_bot_message(
        self,
        channel_id: int,
        payload: JSON,
        files: list[tuple[str, bytes]],
        *,
        msg_type: int = 0,
        interaction: _InteractionState | None = None,
        extra_flags: int = 0,
    ) -> JSON:
        message_id = self._ids.next()
        guild = channel_id in self._channels
        content = payload.get("content") or ""
        reference = payload.get("message_reference")
        replied_user = None
        if reference and int(reference.get("message_id", 0)) in self.messages:
            replied_user = int(self.messages[int(reference["message_id"])]["author"]["id"])
        mentions, everyone, roles = self._parse_mentions(
            content, payload.get("allowed_mentions"), guild=guild, replied_user=replied_user
        )
        msg: JSON = {
            "id": str(message_id),
            "channel_id": str(channel_id),
            "author": self._user_payload(self.BOT_USER_ID),
            "content": content,
            "timestamp": _iso(),
            "edited_timestamp": None,
            "tts": bool(payload.get("tts", False)),
            "mention_everyone": everyone,
            "mentions": mentions,
            "mention_roles": roles,
            "attachments": self._store_files(channel_id, payload, files),
            "embeds": [{"type": "rich", **e} for e in payload.get("embeds") or []],
            "components": self._assign_component_ids(payload.get("components") or []),
            "pinned": False,
            "type": msg_type,
            "flags": (int(payload.get("flags") or 0) & (_SETTABLE_FLAGS | FLAG_EPHEMERAL)) | extra_flags,
        }
        if payload.get("nonce") is not None:
            msg["nonce"] = payload["nonce"]
        if payload.get("poll"):
            msg["poll"] = payload["poll"]
        if reference:
            self._attach_reference(msg, reference, channel_id)
        if interaction is not None:
            msg["webhook_id"] = str(self.APP_ID)
            msg["application_id"] = str(self.APP_ID)
            owners = {"0": str(interaction.guild_id)} if interaction.guild_id else {"1": str(interaction.user_id)}
            metadata: JSON = {
                "id": str(interaction.id),
                "type": interaction.type,
                "user": self._user_payload(interaction.user_id),
                "authorizing_integration_owners": owners,
            }
            if interaction.name is not None:
                metadata["name"] = interaction.name
                metadata["command_type"] = 1
            if interaction.message_id is not None:
                metadata["interacted_message_id"] = str(interaction.message_id)
            if interaction.original_id is not None:
                metadata["original_response_message_id"] = str(interaction.original_id)
            msg["interaction_metadata"] = metadata
            interaction.message_ids.add(message_id)
        self.messages[message_id] = msg
        if channel_id in self._channels:
            self._channels[channel_id]["last_message_id"] = str(message_id)
        self._echo("MESSAGE_CREATE", msg)
        return msg

    def _apply_edit(self, msg: JSON, payload: JSON, files: list[tuple[str, bytes]]) -> JSON:
        channel_id = int(msg["channel_id"])
        if "content" in payload:
            msg["content"] = payload["content"] or ""
        if "embeds" in payload:
            msg["embeds"] = [{"type": "rich", **e} for e in payload["embeds"] or []]
        if "components" in payload:
            msg["components"] = self._assign_component_ids(payload["components"] or [])
        if payload.get("flags") is not None:
            kept = int(msg["flags"]) & ~_SETTABLE_FLAGS
            msg["flags"] = kept | (int(payload["flags"]) & _SETTABLE_FLAGS)
        if "attachments" in payload:
            keep = {str(a.get("id")) for a in payload["attachments"] or []}
            msg["attachments"] = [a for a in msg["attachments"] if a["id"] in keep]
        if files:
            msg["attachments"] = msg["attachments"] + self._store_files(channel_id, payload, files)
        if "content" in payload or "allowed_mentions" in payload:
            mentions, everyone, roles = self._parse_mentions(
                msg["content"], payload.get("allowed_mentions"), guild=channel_id in self._channels
            )
            msg.update(mentions=mentions, mention_everyone=everyone, mention_roles=roles)
        was_loading = bool(int(msg["flags"]) & FLAG_LOADING)
        msg["flags"] = int(msg["flags"]) & ~FLAG_LOADING
        if not was_loading:
            msg["edited_timestamp"] = _iso()
        self._echo("MESSAGE_UPDATE", msg)
        return msg

    def _delete_message(self, message_id: int) -> None:
        msg = self.messages.pop(message_id)
        if not int(msg["flags"]) & FLAG_EPHEMERAL:
            data: JSON = {"id": msg["id"], "channel_id": msg["channel_id"]}
            if int(msg["channel_id"]) in self._channels:
                data["guild_id"] = str(self.GUILD_ID)
            self._spawn(self._echo_event("MESSAGE_DELETE", data))

    def _echo(self, event: str, msg: JSON) -> None:
        if self.echo_bot_messages and not int(msg["flags"]) & FLAG_EPHEMERAL:
            self._spawn(self._echo_event(event, _copy_json(msg)))

    async def _echo_event(self, event: str, data: JSON) -> None:
        # Best effort, like Discord: an echo for a bot that is disconnected (or closing) is dropped.
        if self._conn is None or self._conn.ws.closed:
            return
        with contextlib.suppress(ConnectionError, RuntimeError):
            await self._dispatch_message_event(event, data)

    async def _dispatch_message_event(self, event: str, msg: JSON) -> None:
        """Dispatch a MESSAGE_* event if the bot's intents subscribe to it, shaped by those intents."""
        channel_id = int(msg["channel_id"])
        intents = self.intents or 0
        in_guild = channel_id in self._channels
        if not intents & (INTENT_GUILD_MESSAGES if in_guild else INTENT_DIRECT_MESSAGES):
            return
        data = _copy_json(msg)
        if in_guild:
            data["guild_id"] = str(self.GUILD_ID)
            if "author" in data and "webhook_id" not in data:
                data["member"] = self._member_payload(int(data["author"]["id"]), with_user=False)
        if "author" in data:
            author_is_bot = int(data["author"]["id"]) == self.BOT_USER_ID
            mentions_bot = any(int(m["id"]) == self.BOT_USER_ID for m in data.get("mentions", []))
            if not intents & INTENT_MESSAGE_CONTENT and in_guild and not author_is_bot and not mentions_bot:
                data.update(content="", embeds=[], attachments=[], components=[])
                data.pop("poll", None)
        await self.dispatch(event, data)

    # ------------------------------------------------------------------ validation (Discord-side rules)

    @staticmethod
    def _add_error(errors: JSON, path: list[str | int], code: str, message: str) -> None:
        node = errors
        for key in path:
            node = node.setdefault(str(key), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    @staticmethod
    def _form_error(errors: JSON) -> _Reply:
        return 400, {"message": "Invalid Form Body", "code": 50035, "errors": errors}

    def _validate_message(
        self, payload: JSON, files: list[tuple[str, bytes]], *, prefix: list[str | int], creating: bool
    ) -> _Reply | None:
        errors: JSON = {}
        content = payload.get("content") or ""
        if len(content) > 2000:
            self._add_error(errors, [*prefix, "content"], "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")
        embeds = payload.get("embeds") or []
        if len(embeds) > 10:
            self._add_error(errors, [*prefix, "embeds"], "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
        total = 0
        for i, embed in enumerate(embeds):
            total += self._validate_embed(errors, [*prefix, "embeds", i], embed)
        if total > 6000:
            self._add_error(
                errors,
                [*prefix, "embeds"],
                "MAX_EMBED_SIZE_EXCEEDED",
                "Embed size exceeds maximum size of 6000",
            )
        if not int(payload.get("flags") or 0) & FLAG_COMPONENTS_V2:
            self._validate_components(errors, [*prefix, "components"], payload.get("components") or [])
        elif content or embeds:
            self._add_error(
                errors,
                [*prefix, "content"],
                "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                "The 'content' and 'embeds' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2",
            )
        if sum(len(content) for _, content in files) > ATTACHMENT_SIZE_LIMIT:
            return 413, {"message": "Request entity too large", "code": 40005}
        reference = payload.get("message_reference")
        if creating and reference and reference.get("message_id") is not None:
            exists = int(reference["message_id"]) in self.messages
            if not exists and reference.get("fail_if_not_exists", True):
                self._add_error(
                    errors,
                    [*prefix, "message_reference"],
                    "MESSAGE_REFERENCE_UNKNOWN_MESSAGE",
                    "Unknown message",
                )
        if errors:
            return self._form_error(errors)
        empty = not (content or embeds or files or payload.get("components") or payload.get("sticker_ids"))
        if creating and empty and not payload.get("poll"):
            return 400, {"message": "Cannot send an empty message", "code": 50006}
        return None

    def _validate_embed(self, errors: JSON, path: list[str | int], embed: JSON) -> int:
        size = 0

        def limit(sub: list[str | int], value: Any, maximum: int, *, required: bool = False) -> None:
            nonlocal size
            text = "" if value is None else str(value)
            size += len(text)
            if required and not text.strip():
                self._add_error(errors, [*path, *sub], "BASE_TYPE_REQUIRED", "This field is required")
            elif len(text) > maximum:
                self._add_error(errors, [*path, *sub], "BASE_TYPE_MAX_LENGTH", f"Must be {maximum} or fewer in length.")

        limit(["title"], embed.get("title"), 256)
        limit(["description"], embed.get("description"), 4096)
        limit(["footer", "text"], (embed.get("footer") or {}).get("text"), 2048)
        limit(["author", "name"], (embed.get("author") or {}).get("name"), 256)
        fields = embed.get("fields") or []
        if len(fields) > 25:
            self._add_error(errors, [*path, "fields"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        for i, item in enumerate(fields):
            limit(["fields", i, "name"], item.get("name"), 256, required=True)
            limit(["fields", i, "value"], item.get("value"), 1024, required=True)
        return size

    def _validate_components(self, errors: JSON, path: list[str | int], rows: list[JSON]) -> None:
        if len(rows) > 5:
            self._add_error(errors, path, "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
        seen: set[str] = set()
        for r, row in enumerate(rows):
            if row.get("type") != 1:
                self._add_error(errors, [*path, r, "type"], "UNION_TYPE_CHOICES", 'Value of field "type" must be 1.')
                continue
            children = row.get("components") or []
            selects = [c for c in children if c.get("type") in (3, 5, 6, 7, 8)]
            if not children or len(children) > 5 or (selects and len(children) > 1):
                self._add_error(
                    errors,
                    [*path, r, "components"],
                    "BASE_TYPE_BAD_LENGTH",
                    "Must be between 1 and 5 in length.",
                )
            for c, child in enumerate(children):
                where = [*path, r, "components", c]
                custom_id = child.get("custom_id")
                if custom_id is not None:
                    if len(custom_id) > 100:
                        self._add_error(
                            errors,
                            [*where, "custom_id"],
                            "BASE_TYPE_MAX_LENGTH",
                            "Must be 100 or fewer in length.",
                        )
                    if custom_id in seen:
                        self._add_error(
                            errors,
                            [*where, "custom_id"],
                            "COMPONENT_CUSTOM_ID_DUPLICATED",
                            "Component custom id cannot be duplicated",
                        )
                    seen.add(custom_id)
                if child.get("type") == 2 and len(child.get("label") or "") > 80:
                    self._add_error(errors, [*where, "label"], "BASE_TYPE_MAX_LENGTH", "Must be 80 or fewer in length.")
                if child.get("type") == 3 and not 1 <= len(child.get("options") or []) <= 25:
                    self._add_error(
                        errors,
                        [*where, "options"],
                        "BASE_TYPE_BAD_LENGTH",
                        "Must be between 1 and 25 in length.",
                    )

    def _validate_commands(self, commands: list[JSON]) -> JSON:
        errors: JSON = {}
        names: set[tuple[str, int]] = set()
        for i, command in enumerate(commands):
            kind = int(command.get("type", 1))
            name = str(command.get("name", ""))
            if (name, kind) in names:
                self._add_error(errors, [i, "name"], "APPLICATION_COMMANDS_DUPLICATE_NAME", f"Duplicate name {name}")
            names.add((name, kind))
            if kind == 1:
                self._validate_command_node(errors, [i], command)
            else:
                if not 1 <= len(name) <= 32:
                    self._add_error(errors, [i, "name"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.")
                if command.get("description"):
                    self._add_error(
                        errors,
                        [i, "description"],
                        "APPLICATION_COMMAND_DESCRIPTION_INVALID",
                        "Context menu commands cannot have a description",
                    )
        return errors

    def _validate_command_node(self, errors: JSON, path: list[str | int], node: JSON) -> None:
        name = str(node.get("name", ""))
        if not _COMMAND_NAME.match(name) or name != name.lower():
            self._add_error(
                errors,
                [*path, "name"],
                "APPLICATION_COMMAND_INVALID_NAME",
                f"Command name is invalid: {name!r}",
            )
        if not 1 <= len(str(node.get("description", ""))) <= 100:
            self._add_error(
                errors, [*path, "description"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
            )
        options = node.get("options") or []
        if len(options) > 25:
            self._add_error(errors, [*path, "options"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        optional_seen = False
        for j, option in enumerate(options):
            self._validate_command_node(errors, [*path, "options", j], option)
            if option.get("type") in (1, 2):
                continue
            if option.get("required"):
                if optional_seen:
                    self._add_error(
                        errors,
                        [*path, "options"],
                        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                        "Required options must be placed before non-required options",
                    )
            else:
                optional_seen = True
            if len(option.get("choices") or []) > 25:
                self._add_error(
                    errors,
                    [*path, "options", j, "choices"],
                    "BASE_TYPE_MAX_LENGTH",
                    "Must be 25 or fewer in length.",
                )

    # ------------------------------------------------------------------ interactions

    def _find_command(self, name: str, channel_id: int) -> tuple[JSON | None, int | None]:
        if channel_id in self._channels:
            for command in self.guild_commands.get(self.GUILD_ID, []):
                if command["name"] == name and command.get("type", 1) == 1:
                    return command, self.GUILD_ID
        for command in self.global_commands:
            if command["name"] == name and command.get("type", 1) == 1:
                return command, None
        return None, None

    @staticmethod
    def _descend(definition: JSON | None, subcommand: str | None) -> JSON | None:
        node = definition
        for part in (subcommand or "").split():
            if node is None:
                return None
            node = next((o for o in node.get("options") or [] if o.get("name") == part), None)
        return node

    @staticmethod
    def _wrap_subcommand(options: list[JSON], subcommand: str | None) -> list[JSON]:
        parts = (subcommand or "").split()
        if not parts:
            return options
        wrapped: list[JSON] = [{"type": 1, "name": parts[-1], "options": options}]
        for group in reversed(parts[:-1]):
            wrapped = [{"type": 2, "name": group, "options": wrapped}]
        return wrapped

    def _build_options(
        self,
        options: dict[str, Any] | list[JSON] | None,
        definition: JSON | None,
        resolved: JSON,
        *,
        focused: str | None,
    ) -> list[JSON]:
        if options is None:
            return []
        if isinstance(options, list):
            return [dict(o) for o in options]
        declared = {o.get("name"): o for o in (definition or {}).get("options") or []}
        out: list[JSON] = []
        for name, raw in options.items():
            explicit: int | None = None
            value = raw
            if isinstance(raw, tuple):
                value, explicit = raw
            kind = explicit or declared.get(name, {}).get("type") or self._infer_type(value)
            option: JSON = {"name": name, "type": int(kind), "value": value}
            if name == focused:
                option["focused"] = True
                option["value"] = str(value)  # Discord sends what the user typed so far as a string
            elif kind in (6, 7, 8, 9):
                option["value"] = str(value)
                self._resolve(int(kind), int(value), resolved)
            out.append(option)
        return out

    @staticmethod
    def _infer_type(value: Any) -> int:
        if isinstance(value, bool):
            return 5
        if isinstance(value, int):
            return 4
        if isinstance(value, float):
            return 10
        return 3

    def _resolve(self, kind: int, snowflake: int, resolved: JSON) -> None:
        if kind == 7 or (kind == 9 and snowflake in self._channels):
            channel = self._channel_payload(snowflake)
            if channel is not None:
                channel["permissions"] = str(ALL_PERMISSIONS)
                resolved.setdefault("channels", {})[str(snowflake)] = channel
        elif kind == 8 or (kind == 9 and snowflake in self._roles):
            resolved.setdefault("roles", {})[str(snowflake)] = self._role_payload(snowflake)
        else:
            resolved.setdefault("users", {})[str(snowflake)] = self._user_payload(snowflake)
            member = self._member_payload(snowflake, with_user=False, permissions=True)
            resolved.setdefault("members", {})[str(snowflake)] = member

    async def _interaction(
        self,
        kind: int,
        data: JSON,
        *,
        user_id: int,
        channel_id: int,
        name: str | None = None,
        message: JSON | None = None,
    ) -> Interaction:
        in_guild = channel_id in self._channels
        if not in_guild and channel_id not in self._dm_channels:
            raise ValueError(f"unknown channel {channel_id}")
        state = _InteractionState(
            id=self._ids.next(),
            token=f"aW50ZXJhY3Rpb246{secrets.token_urlsafe(48)}",
            type=kind,
            created=time.monotonic(),
            channel_id=channel_id,
            guild_id=self.GUILD_ID if in_guild else None,
            user_id=user_id,
            name=name,
            message_id=int(message["id"]) if message is not None else None,
        )
        channel = self._channel_payload(channel_id)
        if channel is None:
            raise ValueError(f"unknown channel {channel_id}")
        payload: JSON = {
            "id": str(state.id),
            "application_id": str(self.APP_ID),
            "type": kind,
            "data": data,
            "channel_id": str(channel_id),
            "channel": channel,
            "token": state.token,
            "version": 1,
            "locale": "en-US",
            "app_permissions": str(self.permissions_of(self.BOT_USER_ID)),
            "entitlements": [],
            "authorizing_integration_owners": ({"0": str(self.GUILD_ID)} if in_guild else {"1": str(user_id)}),
            "context": 0 if in_guild else 1,
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if in_guild:
            payload["guild_id"] = str(self.GUILD_ID)
            payload["guild"] = {"id": str(self.GUILD_ID), "locale": "en-US", "features": []}
            payload["guild_locale"] = "en-US"
            payload["member"] = self._member_payload(user_id, permissions=True)
        else:
            payload["user"] = self._user_payload(user_id)
        if message is not None:
            payload["message"] = _copy_json(message)
        self._interactions[state.id] = state
        self._interactions_by_token[state.token] = state
        await self.dispatch("INTERACTION_CREATE", payload)
        return Interaction(self, state, payload)

    # ------------------------------------------------------------------ HTTP plumbing

    def _build_routes(
        self,
    ) -> list[tuple[str, re.Pattern[str], Callable[[Recorded, dict[str, str]], _Reply]]]:
        snow = r"\d+"
        app = rf"(?P<app_id>{snow})"
        table: list[tuple[str, str, Callable[[Recorded, dict[str, str]], _Reply]]] = [
            ("GET", "/gateway", self._get_gateway),
            ("GET", "/gateway/bot", self._get_gateway_bot),
            ("GET", "/users/@me", lambda _r, _p: (200, self._bot_user_full())),
            ("GET", rf"/users/(?P<user_id>{snow})", self._get_user),
            ("POST", "/users/@me/channels", self._create_dm),
            ("GET", "/oauth2/applications/@me", lambda _r, _p: (200, self._application_payload())),
            ("GET", "/applications/@me", lambda _r, _p: (200, self._application_payload())),
            ("GET", rf"/applications/{app}(?:/guilds/(?P<guild_id>{snow}))?/commands", self._get_commands),
            ("PUT", rf"/applications/{app}(?:/guilds/(?P<guild_id>{snow}))?/commands", self._put_commands),
            ("POST", rf"/applications/{app}(?:/guilds/(?P<guild_id>{snow}))?/commands", self._post_command),
            (
                "GET|PATCH|DELETE",
                rf"/applications/{app}(?:/guilds/(?P<guild_id>{snow}))?/commands/(?P<command_id>{snow})",
                self._one_command,
            ),
            (
                "GET",
                rf"/applications/{app}/guilds/(?P<guild_id>{snow})/commands/permissions",
                self._empty_list,
            ),
            ("GET", rf"/channels/(?P<channel_id>{snow})", self._get_channel),
            ("POST", rf"/channels/(?P<channel_id>{snow})/typing", self._no_content_in_channel),
            ("GET", rf"/channels/(?P<channel_id>{snow})/messages", self._history),
            ("POST", rf"/channels/(?P<channel_id>{snow})/messages", self._create_message),
            (
                "GET|PATCH|DELETE",
                rf"/channels/(?P<channel_id>{snow})/messages/(?P<message_id>{snow})",
                self._channel_message,
            ),
            (
                "PUT|DELETE",
                rf"/channels/(?P<channel_id>{snow})/messages/(?P<message_id>{snow})/reactions/[^/]+/@me",
                self._reaction,
            ),
            ("POST", rf"/interactions/(?P<interaction_id>{snow})/(?P<token>[^/]+)/callback", self._callback),
            ("POST", rf"/webhooks/{app}/(?P<token>[^/]+)", self._followup),
            (
                "GET|PATCH|DELETE",
                rf"/webhooks/{app}/(?P<token>[^/]+)/messages/(?P<message_id>@original|{snow})",
                self._webhook_message,
            ),
            ("GET", rf"/guilds/(?P<guild_id>{snow})", self._get_guild),
            ("GET", rf"/guilds/(?P<guild_id>{snow})/channels", self._get_guild_channels),
            ("GET", rf"/guilds/(?P<guild_id>{snow})/roles", self._get_roles),
            ("GET", rf"/guilds/(?P<guild_id>{snow})/members/(?P<user_id>{snow})", self._get_member),
        ]
        return [(methods, re.compile(pattern), handler) for methods, pattern, handler in table]

    def _route(self, rec: Recorded) -> _Reply:
        public = rec.path.startswith(("/webhooks/", "/interactions/")) or rec.path == "/gateway"
        if not public:
            auth = rec.headers.get("Authorization", "")
            if not auth.startswith("Bot ") or (self.token is not None and auth != f"Bot {self.token}"):
                return 401, {"message": "401: Unauthorized", "code": 0}
        for methods, pattern, handler in self._routes:
            matched = pattern.fullmatch(rec.path)
            if matched and rec.method in methods.split("|"):
                return handler(rec, {k: v for k, v in matched.groupdict().items() if v is not None})
        self.unknown_routes.append(rec)
        return 404, {"message": "Unknown", "code": 0}

    async def _read_body(self, request: web.Request) -> tuple[Any, list[tuple[str, bytes]]]:
        if request.content_type.startswith("multipart/"):
            payload: Any = None
            files: list[tuple[str, bytes]] = []
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                if not isinstance(part, BodyPartReader):
                    continue
                data = bytes(await part.read(decode=True))
                if part.name == "payload_json":
                    payload = json.loads(data)
                elif part.filename is not None:
                    files.append((part.filename, data))
            return payload, files
        raw = await request.read()
        if not raw:
            return None, []
        if request.content_type == "application/json":
            return json.loads(raw), []
        return raw.decode(errors="replace"), []

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        rec = Recorded(
            method=request.method,
            path="/" + request.match_info["tail"],
            query=dict(request.query),
            json=None,
            headers=dict(request.headers),
        )
        try:
            rec.json, rec.files = await self._read_body(request)
            status, reply, headers = self._handle(rec)
        except Exception as exc:  # a bug in the fake: answer 400 so the bot fails fast, re-raise later
            self.server_errors.append(exc)
            status, reply, headers = 400, {"message": f"fake discord error: {exc!r}", "code": 0}, {}
        rec.status, rec.response = status, reply
        self._last_reply_at = asyncio.get_running_loop().time()
        self.requests.append(rec)
        self._notify()
        if status == 204 or reply is None:
            return web.Response(status=204, headers=headers)
        # Exactly "application/json": discord.py only decodes JSON for that content type (no charset).
        body = json.dumps(reply).encode()
        return web.Response(status=status, body=body, content_type="application/json", headers=headers)

    def _handle(self, rec: Recorded) -> HookReply:
        """Route ``rec`` through the fault hooks (outermost first), then the fake itself."""

        def call(index: int) -> HookReply:
            if index == len(self.rest_hooks):
                status, reply = self._route(rec)
                return status, reply, {}
            return self.rest_hooks[index](rec, lambda: call(index + 1))

        return call(0)

    async def _settle(self, window: float = 0.05) -> None:
        """Give the bot ``window`` seconds after the last REST reply before the next user action.

        discord.py registers a View or Modal only once it has read the callback's HTTP response; a
        component event racing that response would be dropped. Humans are never that fast.
        """
        elapsed = asyncio.get_running_loop().time() - self._last_reply_at
        if elapsed < window:
            await asyncio.sleep(window - elapsed)

    def _notify(self) -> None:
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)

        def done(t: asyncio.Task[None]) -> None:
            self._tasks.discard(t)
            error = None if t.cancelled() else t.exception()
            if error is not None:
                self.server_errors.append(error)

        task.add_done_callback(done)

    async def _attachment(self, request: web.Request) -> web.StreamResponse:
        data = self._attachment_data.get(int(request.match_info["attachment_id"]))
        if data is None:
            raise web.HTTPNotFound
        ctype = mimetypes.guess_type(request.match_info["filename"])[0] or "application/octet-stream"
        return web.Response(body=data, content_type=ctype)

    # ------------------------------------------------------------------ REST handlers

    def _get_gateway(self, _rec: Recorded, _p: dict[str, str]) -> _Reply:
        return 200, {"url": self.gateway_url}

    def _get_gateway_bot(self, _rec: Recorded, _p: dict[str, str]) -> _Reply:
        limit = {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1}
        return 200, {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}

    def _get_user(self, _rec: Recorded, p: dict[str, str]) -> _Reply:
        user_id = int(p["user_id"])
        if user_id not in self._users:
            return 404, {"message": "Unknown User", "code": 10013}
        return 200, self._user_payload(user_id)

    def _create_dm(self, rec: Recorded, _p: dict[str, str]) -> _Reply:
        recipient = int((rec.json or {}).get("recipient_id", 0))
        if recipient not in self._users:
            return 400, {"message": "Cannot send messages to this user", "code": 50007}
        return 200, self._dm_channel_payload(self._dm_channel_for(recipient))

    def _command_list(self, p: dict[str, str]) -> list[JSON] | None:
        if int(p["app_id"]) != self.APP_ID:
            return None
        if "guild_id" in p:
            if int(p["guild_id"]) != self.GUILD_ID:
                return None
            return self.guild_commands.setdefault(self.GUILD_ID, [])
        return self.global_commands

    def _normalize_command(self, command: JSON, p: dict[str, str], existing: list[JSON]) -> JSON:
        kind = int(command.get("type", 1))
        previous = next((c for c in existing if c["name"] == command.get("name") and c["type"] == kind), None)
        out: JSON = {
            "type": 1,
            "description": "",
            "options": [],
            "default_member_permissions": None,
            "nsfw": False,
            "name_localizations": None,
            "description_localizations": None,
            "contexts": None,
            "integration_types": [0],
            **command,
        }
        out.update(
            id=previous["id"] if previous else str(self._ids.next()),
            application_id=str(self.APP_ID),
            version=str(self._ids.next()),
            type=kind,
        )
        if "guild_id" in p:
            out["guild_id"] = p["guild_id"]
        else:
            out.setdefault("dm_permission", True)
        return out

    def _get_commands(self, _rec: Recorded, p: dict[str, str]) -> _Reply:
        commands = self._command_list(p)
        if commands is None:
            return 404, {"message": "Unknown Application", "code": 10002}
        return 200, commands

    def _put_commands(self, rec: Recorded, p: dict[str, str]) -> _Reply:
        commands = self._command_list(p)
        if commands is None:
            return 404, {"message": "Unknown Application", "code": 10002}
        body = rec.json if isinstance(rec.json, list) else []
        errors = self._validate_commands(body)
        if errors:
            return self._form_error(errors)
        new = [self._normalize_command(c, p, commands) for c in body]
        commands[:] = new
        return 200, new

    def _post_command(self, rec: Recorded, p: dict[str, str]) -> _Reply:
        commands = self._command_list(p)
        if commands is None:
            return 404, {"message": "Unknown Application", "code": 10002}
        body = rec.json or {}
        errors = self._validate_commands([body])
        if errors:
            return self._form_error(errors["0"])
        command = self._normalize_command(body, p, commands)
        existed = any(c["id"] == command["id"] for c in commands)
        commands[:] = [c for c in commands if c["id"] != command["id"]] + [command]
        return (200 if existed else 201), command

    def _one_command(self, rec: Recorded, p: dict[str, str]) -> _Reply:
        commands = self._command_list(p)
        found = next((c for c in commands or [] if c["id"] == p["command_id"]), None)
        if commands is None or found is None:
            return 404, {"message": "Unknown application command", "code": 10063}
        if rec.method == "DELETE":
            commands.remove(found)
            return 204, None
        if rec.method == "PATCH":
            found.update(rec.json or {})
            found["version"] = str(self._ids.next())
        return 200, found

    def _empty_list(self, _rec: Recorded, _p: dict[str, str]) -> _Reply:
        return 200, []

    def _get_channel(self, _rec: Recorded, p: dict[str, str]) -> _Reply:
        channel = self._channel_payload(int(p["channel_id"]))
        if channel is None:
            return 404, {"message": "Unknown Channel", "code": 10003}
        return 200, channel

    def _no_content_in_channel(self, _rec: Recorded, p: dict[str, str]) -> _Reply:
        if self._channel_payload(int(p["channel_id"])) is None:
            return 404, {"message": "Unknown Channel", "code": 10003}
        return 204, None

    def _history(self, rec: Recorded, p: dict[str, str]) -> _Reply:
        channel_id = p["channel_id"]
        if self._channel_payload(int(channel_id)) is None:
            return 404, {"message": "Unknown Channel", "code": 10003}
        limit = int(rec.query.get("limit", 50))
        found = [
            m for m in self.messages.values() if m["channel_id"] == channel_id and not int(m["flags"]) & FLAG_EPHEMERAL
        ]
        found.sort(key=lambda m: int(m["id"]), reverse=True)
        if "before" in rec.query:
            found = [m for m in found if int(m["id"]) < int(rec.query["before"])]
        if "after" in rec.query:
            found = [m for m in found if int(m["id"]) > int(rec.query["after"])]
        return 200, found[:limit]

    def _create_message(self, rec: Recorded, p: dict[str, str]) -> _Reply:
        channel_id = int(p["channel_id"])
        if self._channel_payload(channel_id) is None:
            return 404, {"message": "Unknown Channel", "code": 10003}
        payload = rec.json if isinstance(rec.json, dict) else {}
        error = self._validate_message(payload, rec.files, prefix=[], creating=True)
        if error is not None:
            return error
        if payload.get("flags") and int(payload["flags"]) & FLAG_EPHEMERAL:
            return self._form_error({"flags": {"_errors": [{"code": "MESSAGE_FLAGS_INVALID", "message": "Invalid"}]}})
        nonce = payload.get("nonce")
        if nonce is not None and payload.get("enforce_nonce"):
            # Discord: a nonce sent again (enforce_nonce) returns the message it created, not a new one.
            earlier = self.messages.get(self._nonces.get((channel_id, str(nonce)), 0))
            if earlier is not None:
                return 200, earlier
        msg = self._new_bot_message(channel_id, payload, rec.files)
        if nonce is not None:
            self._nonces[(channel_id, str(nonce))] = int(msg["id"])
        return 200, msg

    def _channel_message(self, rec: Recorded, p: dict[str, str]) -> _Reply:
        message_id = int(p["message_id"])
        msg = self.messages.get(message_id)
        if msg is None or msg["channel_id"] != p["channel_id"] or int(msg["flags"]) & FLAG_EPHEMERAL:
            return 404, {"message": "Unknown Message", "code": 10008}
        if rec.method == "GET":
            return 200, msg
        is_own = int(msg["author"]["id"]) == self.BOT_USER_ID
        if rec.method == "DELETE":
            self._delete_message(message_id)
            return 204, None
        if not is_own:
            return 403, {"message": "Cannot edit a message authored by another user", "code": 50005}
        payload = rec.json if isinstance(rec.json, dict) else {}
        error = self._validate_message(payload, rec.files, prefix=[], creating=False)
        if error is not None:
            return error
        return 200, self._apply_edit(msg, payload, rec.files)

    def _reaction(self, _rec: Recorded, p: dict[str, str]) -> _Reply:
        if int(p["message_id"]) not in self.messages:
            return 404, {"message": "Unknown Message", "code": 10008}
        return 204, None

    def _callback_refusal(self, state: _InteractionState | None, token: str) -> _Reply | None:
        """Why a callback for ``state`` is refused (unknown, expired or already answered), or None."""
        expired = (
            state is not None
            and self.interaction_timeout is not None
            and time.monotonic() - state.created > self.interaction_timeout
        )
        if state is None or state.token != token or (expired and state.response_type is None):
            return 404, {"message": "Unknown interaction", "code": 10062}
        if state.response_type is not None:
            return 400, {"message": "Interaction has already been acknowledged.", "code": 40060}
        return None

    def _autocomplete_error(self, data: JSON) -> _Reply | None:
        choices = data.get("choices") or []
        errors: JSON = {}
        if len(choices) > 25:
            self._add_error(errors, ["data", "choices"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        for i, choice in enumerate(choices):
            if not 1 <= len(str(choice.get("name", ""))) <= 100:
                self._add_error(
                    errors,
                    ["data", "choices", i, "name"],
                    "BASE_TYPE_BAD_LENGTH",
                    "Must be between 1 and 100 in length.",
                )
            if isinstance(choice.get("value"), str) and len(choice["value"]) > 100:
                self._add_error(
                    errors,
                    ["data", "choices", i, "value"],
                    "BASE_TYPE_MAX_LENGTH",
                    "Must be 100 or fewer in length.",
                )
        return self._form_error(errors) if errors else None

    def _callback_message(
        self, rec: Recorded, state: _InteractionState, cb_type: int, data: JSON
    ) -> tuple[_Reply | None, JSON | None, int | None]:
        """What a callback does to messages: (an error reply, the new or edited message, the message id)."""
        msg_type = 20 if state.type == APPLICATION_COMMAND else 0
        if cb_type == 4:
            error = self._validate_message(data, rec.files, prefix=["data"], creating=True)
            if error is not None:
                return error, None, None
            return (
                None,
                self._new_bot_message(state.channel_id, data, rec.files, msg_type=msg_type, interaction=state),
                None,
            )
        if cb_type == 5:
            flags = FLAG_LOADING | (int(data.get("flags") or 0) & FLAG_EPHEMERAL)
            message = self._new_bot_message(
                state.channel_id, {"content": ""}, [], msg_type=msg_type, interaction=state, extra_flags=flags
            )
            return None, message, None
        if cb_type in (6, 7) and state.message_id is not None:
            target = self.messages.get(state.message_id)
            if target is not None and cb_type == 7:
                error = self._validate_message(data, rec.files, prefix=["data"], creating=False)
                if error is not None:
                    return error, None, None
                return None, self._apply_edit(target, data, rec.files), state.message_id
            return None, None, state.message_id
        if cb_type == 8:
            return self._autocomplete_error(data), None, None
        return None, None, None

    def _callback(self, rec: Recorded, p: dict[str, str]) -> _Reply:
        state = self._interactions.get(int(p["interaction_id"]))
        refusal = self._callback_refusal(state, p["token"])
        if refusal is not None or state is None:
            return refusal or (404, {"message": "Unknown interaction", "code": 10062})
        body = rec.json if isinstance(rec.json, dict) else {}
        cb_type = int(body.get("type", 0))
        data = body.get("data") or {}
        if cb_type not in _ALLOWED_CALLBACKS.get(state.type, frozenset()):
            return self._form_error(
                {"type": {"_errors": [{"code": "INTERACTION_RESPONSE_TYPE_INVALID", "message": "Invalid type"}]}}
            )
        error, message, message_id = self._callback_message(rec, state, cb_type, data)
        if error is not None:
            return error
        if message is not None:
            message_id = int(message["id"])
        state.response_type = cb_type
        state.original_id = message_id
        target_msg = message or (self.messages.get(message_id) if message_id is not None else None)
        result: JSON = {
            "interaction": {
                "id": str(state.id),
                "type": state.type,
                "activity_instance_id": None,
                "response_message_id": str(message_id) if message_id is not None else None,
                "response_message_loading": cb_type == 5,
                "response_message_ephemeral": bool(target_msg and int(target_msg["flags"]) & FLAG_EPHEMERAL),
            },
            "resource": {"type": cb_type},
        }
        if message is not None:
            result["resource"]["message"] = message
        if rec.query.get("with_response", "").lower() not in ("1", "true"):
            return 204, None
        return 200, result

    def _webhook_state(self, p: dict[str, str]) -> _InteractionState | None:
        state = self._interactions_by_token.get(p["token"])
        if state is None or int(p["app_id"]) != self.APP_ID:
            return None
        return state

    def _followup(self, rec: Recorded, p: dict[str, str]) -> _Reply:
        state = self._webhook_state(p)
        if state is None or state.response_type is None:
            return 404, {"message": "Unknown Webhook", "code": 10015}
        payload = rec.json if isinstance(rec.json, dict) else {}
        error = self._validate_message(payload, rec.files, prefix=[], creating=True)
        if error is not None:
            return error
        original = self.messages.get(state.original_id) if state.original_id is not None else None
        if original is not None and int(original["flags"]) & FLAG_LOADING:
            # Discord: the first follow-up after a deferred response (type 5) replaces the "thinking" message.
            msg = self._apply_edit(original, payload, rec.files)
        else:
            msg = self._new_bot_message(state.channel_id, payload, rec.files, interaction=state)
        if rec.query.get("wait", "").lower() not in ("1", "true"):
            return 204, None
        return 200, msg

    def _webhook_message(self, rec: Recorded, p: dict[str, str]) -> _Reply:
        state = self._webhook_state(p)
        if state is None:
            return 404, {"message": "Unknown Webhook", "code": 10015}
        if p["message_id"] == "@original":
            message_id = state.original_id
        else:
            message_id = int(p["message_id"])
            if message_id not in state.message_ids:
                message_id = None
        msg = self.messages.get(message_id) if message_id is not None else None
        if msg is None or message_id is None:
            return 404, {"message": "Unknown Message", "code": 10008}
        if rec.method == "GET":
            return 200, msg
        if rec.method == "DELETE":
            self._delete_message(message_id)
            return 204, None
        payload = rec.json if isinstance(rec.json, dict) else {}
        error = self._validate_message(payload, rec.files, prefix=[], creating=False)
        if error is not None:
            return error
        return 200, self._apply_edit(msg, payload, rec.files)

    def _get_guild(self, _rec: Recorded, p: dict[str, str]) -> _Reply:
        if int(p["guild_id"]) != self.GUILD_ID:
            return 404, {"message": "Unknown Guild", "code": 10004}
        return 200, self._guild_payload(full=False)

    def _get_guild_channels(self, _rec: Recorded, p: dict[str, str]) -> _Reply:
        if int(p["guild_id"]) != self.GUILD_ID:
            return 404, {"message": "Unknown Guild", "code": 10004}
        return 200, [dict(c) for c in self._channels.values()]

    def _get_roles(self, _rec: Recorded, p: dict[str, str]) -> _Reply:
        if int(p["guild_id"]) != self.GUILD_ID:
            return 404, {"message": "Unknown Guild", "code": 10004}
        return 200, [self._role_payload(r) for r in self._roles]

    def _get_member(self, _rec: Recorded, p: dict[str, str]) -> _Reply:
        if int(p["guild_id"]) != self.GUILD_ID or int(p["user_id"]) not in self._users:
            return 404, {"message": "Unknown Member", "code": 10007}
        return 200, self._member_payload(int(p["user_id"]))

    # ------------------------------------------------------------------ gateway

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        if self.gateway_down:
            return web.Response(status=503, text="upstream connect error")
        ws = web.WebSocketResponse(max_msg_size=0, timeout=2.0)
        await ws.prepare(request)
        conn = _GatewayConnection(ws, request.query.get("compress"))
        self._connections.add(conn)
        self.gateway_connections.append(dict(request.query))
        try:
            hello = {"heartbeat_interval": self.heartbeat_interval_ms, "_trace": ["fake-discord-gateway"]}
            await conn.send({"op": 10, "d": hello, "s": None, "t": None})
            async for msg in ws:
                if msg.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                    continue
                try:
                    await self._on_frame(conn, json.loads(msg.data))
                except Exception as exc:
                    if not ws.closed:
                        self.server_errors.append(exc)
                    break
        finally:
            self._connections.discard(conn)
            if self._conn is conn:
                self._conn = None
        return ws

    async def _on_frame(self, conn: _GatewayConnection, frame: JSON) -> None:
        self.gateway_received.append(frame)
        self._notify()
        op, data = frame.get("op"), frame.get("d")
        if op == 1:
            await conn.send({"op": 11, "d": None, "s": None, "t": None})
        elif op == 2:
            await self._identify(conn, data or {})
        elif op == 6:
            await self._resume(conn, data or {})
        elif not conn.identified:
            await conn.ws.close(code=4003, message=b"Not authenticated.")
        elif op == 3:
            self.presence_updates.append(data or {})
        elif op == 8:
            await self._request_members(conn, data or {})
        elif op != 4:  # voice state updates are accepted and ignored
            await conn.ws.close(code=4001, message=b"Unknown opcode.")

    async def _identify(self, conn: _GatewayConnection, data: JSON) -> None:
        self.identify_payloads.append(data)
        if conn.identified:
            await conn.ws.close(code=4005, message=b"Already authenticated.")
            return
        token = str(data.get("token") or "")
        if not token or (self.token is not None and token != self.token):
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        intents = data.get("intents")
        if not isinstance(intents, int):
            await conn.ws.close(code=4013, message=b"Invalid intent(s).")
            return
        if intents & INTENT_MESSAGE_CONTENT and not self.intents_message_content:
            await conn.ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        self._ready.clear()
        self.intents = intents
        self.lost_events.extend(self._missed)
        self._missed = []
        self._session_id = secrets.token_hex(16)
        self._seq = 0
        conn.identified = True
        self._conn = conn
        ready: JSON = {
            "v": 10,
            "user": self._bot_user_full(),
            "user_settings": {},
            "session_type": "normal",
            "session_id": self._session_id,
            "resume_gateway_url": self.gateway_url,
            "guilds": [{"id": str(self.GUILD_ID), "unavailable": True}],
            "private_channels": [],
            "presences": [],
            "relationships": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["fake"],
            "application": {"id": str(self.APP_ID), "flags": self._application_flags()},
            "auth": {},
            "_trace": ["fake-discord-gateway"],
        }
        if data.get("shard") is not None:
            ready["shard"] = data["shard"]
        await self.dispatch("READY", ready)
        if intents & INTENT_GUILDS:
            await self.dispatch("GUILD_CREATE", self._guild_payload(full=True))
        self._ready.set()

    async def _resume(self, conn: _GatewayConnection, data: JSON) -> None:
        self.resume_payloads.append(data)
        if self._session_id is None or data.get("session_id") != self._session_id:
            await conn.send({"op": 9, "d": False, "s": None, "t": None})
            return
        conn.identified = True
        self._conn = conn
        after = int(data.get("seq") or 0)
        missed, self._missed = [f for f in self._missed if int(f["s"]) > after], []
        for frame in missed:  # Discord replays what the session missed, then RESUMED
            await conn.send(frame)
        await self.dispatch("RESUMED", {"_trace": ["fake-discord-gateway"]})

    async def _request_members(self, conn: _GatewayConnection, data: JSON) -> None:
        query = str(data.get("query") or "").lower()
        wanted = data.get("user_ids")
        ids = [int(u) for u in (wanted if isinstance(wanted, list) else [wanted])] if wanted else None
        members = [
            self._member_payload(uid)
            for uid in (self.BOT_USER_ID, self.ADMIN_ID, self.MEMBER_ID)
            if (ids is None or uid in ids) and self._users[uid].username.lower().startswith(query)
        ]
        limit = int(data.get("limit") or 0)
        if limit:
            members = members[:limit]
        chunk: JSON = {
            "guild_id": str(data.get("guild_id", self.GUILD_ID)),
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [str(i) for i in ids or [] if i not in self._users],
        }
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        if conn is self._conn:
            await self.dispatch("GUILD_MEMBERS_CHUNK", chunk)


@contextlib.asynccontextmanager
async def running_fake(**options: Any) -> AsyncIterator[FakeDiscord]:
    """Start and install a :class:`FakeDiscord` (keyword ``options`` go to its constructor).

    On exit the fake is stopped and uninstalled; an exception raised inside the fake itself is
    re-raised so bugs in the fake do not go unnoticed.
    """
    fake = FakeDiscord(**options)
    await fake.start()
    fake.install()
    try:
        yield fake
    finally:
        fake.uninstall()
        await fake.stop()
    if fake.server_errors:
        raise fake.server_errors[0]


@contextlib.asynccontextmanager
async def running_bot(
    fake: FakeDiscord,
    bot: ClientT,
    *,
    token: str | None = None,
    timeout: float = 10,
    reconnect: bool = False,
) -> AsyncIterator[ClientT]:
    """Log ``bot`` in against ``fake``, run ``connect()`` in a task and wait for ``on_ready``.

    On exit the bot is closed and its connect task awaited, so no client session leaks; an exception
    from ``connect()`` (e.g. ``PrivilegedIntentsRequired``) propagates, also when raised before ready.
    Pass ``guild_ready_timeout=0.05`` (or so) to the bot so ``on_ready`` fires quickly.
    """
    try:
        await bot.login(token or fake.token or FakeDiscord.TOKEN)
    except BaseException:
        await bot.close()
        raise
    task = asyncio.create_task(bot.connect(reconnect=reconnect))
    ready = asyncio.create_task(bot.wait_until_ready())
    try:
        done, _ = await asyncio.wait({task, ready}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if ready not in done:
            if task in done:
                raise task.exception() or RuntimeError("bot.connect() returned before the bot became ready")
            raise TimeoutError(f"bot not ready within {timeout}s")
        yield bot
    finally:
        ready.cancel()
        await bot.close()
        await asyncio.wait({task}, timeout=timeout)
        if not task.done():
            task.cancel()
            await asyncio.wait({task}, timeout=1)
        error = task.exception() if task.done() and not task.cancelled() else None
    if error is not None:
        raise error
