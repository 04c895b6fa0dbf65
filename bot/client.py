"""The Discord client: builds the bot from the engine, loads the cogs, runs, syncs, shuts down.

Everything Discord-specific that is not a command lives here; the cogs stay thin.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Any

import discord
import yarl
from discord import app_commands
from discord.ext import commands

from bot import discord_backlog as backlog
from bot.answer import Answer
from bot.button_store import ButtonStore
from bot.config import Settings
from bot.conversation import conversations_and_rigs
from bot.discord_buttons import DYNAMIC_ITEMS
from bot.discord_chart import ChartRenderer
from bot.discord_delivery import (
    SEND_FAILURES,
    Cooldowns,
    Delivery,
    WireTracker,
    describe_failure,
)
from bot.discord_views import send_answer
from bot.engine import Engine
from bot.hub_gate import HubGate
from bot.storage import FeedbackEntry, LogEntry, QueryLog

__all__ = [
    "EXTENSIONS",
    "Cooldowns",
    "GpuBot",
    "ShardedGpuBot",
    "make_bot",
]

log = logging.getLogger(__name__)

#: Extensions loaded at start, in order.
EXTENSIONS: tuple[str, ...] = ("cogs.questions", "cogs.specs", "cogs.advice", "cogs.admin", "cogs.rigs")

APOLOGY = "Sorry, something went wrong on my side while answering that. It has been logged; please try again."
RESTARTING = "I'm restarting — please ask again in a minute."


def command_text(interaction: discord.Interaction[Any]) -> str:
    """``/compare gpu1=a4000 gpu2=a6000``: the slash command as typed, for the query log."""
    data: Any = interaction.data or {}
    parts = [f"/{data.get('name', '?')}"]
    options = list(data.get("options") or [])
    while options:
        opt = options.pop(0)
        if "options" in opt:  # a subcommand
            parts.append(str(opt.get("name")))
            options = list(opt["options"]) + options
        else:
            parts.append(f"{opt.get('name')}={opt.get('value')}")
    if parts[0] == "/rig":  # a saved rig is personal: its options never reach the query log
        parts = [p for p in parts if "=" not in p]
    return " ".join(parts)


class GpuTree(app_commands.CommandTree["GpuBot"]):
    """The command tree: one cooldown for every slash command, one error handler for all of them."""

    async def interaction_check(self, interaction: discord.Interaction[GpuBot]) -> bool:
        if interaction.type is discord.InteractionType.autocomplete:
            self.client.log_event(command_text(interaction), "autocomplete", interaction=interaction)
            return True
        if interaction.type is discord.InteractionType.application_command:
            retry = self.client.cooldowns.retry_after(interaction.user.id)
            if retry:
                cooldown = app_commands.Cooldown(self.client.cooldowns.rate, self.client.cooldowns.per)
                raise app_commands.CommandOnCooldown(cooldown, retry)
        return True

    async def on_error(self, interaction: discord.Interaction[GpuBot], error: app_commands.AppCommandError) -> None:
        intent = "refused"
        if isinstance(error, app_commands.CommandOnCooldown):
            text = f"Easy there — you can ask again in {error.retry_after:.0f} s."
            intent = "cooldown"
        elif isinstance(error, app_commands.MissingPermissions):
            text = "You need the Manage Server permission to use this command."
        elif isinstance(error, app_commands.NoPrivateMessage):
            text = "This command only works in a server."
        elif isinstance(error, app_commands.TransformerError):
            text = str(error.__cause__ or error)
            intent = "clarify"
        elif isinstance(error, app_commands.CheckFailure):
            text = "You can't use this command here."
        else:
            log.error("command %s failed", command_text(interaction), exc_info=error)
            text = APOLOGY
            intent = "error"
        await self.client.reply_ephemeral(interaction, text)
        self.client.log_event(command_text(interaction), intent, answered=False, summary=text, interaction=interaction)


class GpuBot(backlog.BurstReadyClient, commands.Bot):
    """GPU Advisor on Discord. Dependencies come in through the constructor; nothing is global.

    One gateway connection: after an outage discord.py's plain client RESUMEs its session, so Discord
    replays the events it missed. :class:`ShardedGpuBot` runs several shards in one process.
    """

    def __init__(
        self,
        *,
        settings: Settings,
        engine: Engine,
        query_log: QueryLog | None,
        extensions: Sequence[str] = EXTENSIONS,
        charts: ChartRenderer | None = None,
        **options: Any,
    ) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        intents.guild_messages = True
        intents.dm_messages = True
        # Privileged. Discord sends the text of mentions and DMs to every bot; the intent is what lets
        # the bot read questions in GPUBOT_CHANNELS without a mention. GPUBOT_MESSAGE_CONTENT=0 turns
        # it off for bots that are not approved for it.
        intents.message_content = settings.message_content
        if settings.shard_ids and isinstance(self, discord.AutoShardedClient):
            options["shard_ids"] = list(settings.shard_ids)
        elif settings.shard_ids:  # one shard of several: this process is that shard
            options["shard_id"] = settings.shard_ids[0]
        wire = WireTracker()
        options.setdefault("http_trace", wire.trace)
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            tree_cls=GpuTree,
            # A custom gateway URL only applies with a fixed shard count (else discord.py asks the API).
            shard_count=settings.shard_count or (1 if settings.gateway_url else None),
            **options,
        )
        self.settings = settings
        self.engine = engine
        self.hub = HubGate(engine)  # Hugging Face lookups: off the event loop, limited per user (bot/hub_gate.py)
        self.query_log = query_log
        self._closing_log = query_log
        #: What answer buttons need, in memory and in the query log: they work across restarts.
        self.buttons = ButtonStore(query_log)
        self.cooldowns = Cooldowns(settings.cooldown_rate, settings.cooldown_per)
        # Follow-ups per user per channel, thread or DM; saved rigs per user (the query log's database).
        self.conversations, self.rigs = conversations_and_rigs(engine, settings.followup_seconds, settings.database)
        self._extensions = tuple(extensions)
        #: Set on SIGTERM: new questions are logged as not answered; answers in flight may finish.
        self.draining = False
        self._inflight: set[asyncio.Task[Any]] = set()
        self._wire = wire
        self.charts = charts  # draws answers' charts off the event loop (bot.discord_chart); None: no charts
        self.gate = backlog.AnswerGate()  # slash commands take turns; deferred within 3 s under a backlog
        self.faults = backlog.FaultDigest(log)  # failed sends: one log line per fault

    async def setup_hook(self) -> None:
        if self.settings.api_base and not self.settings.gateway_url:
            # A Discord-compatible server: connect to the gateway it names.
            _, url, _ = await self.http.get_bot_gateway()
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        self.add_dynamic_items(*DYNAMIC_ITEMS)  # buttons on answers sent before a restart work too
        pruned = await self.buttons.prune(self.settings.button_days)  # the answers table does not grow for ever
        if pruned:
            log.info("pruned the button state of %d answers older than %g days", pruned, self.settings.button_days)
        for name in self._extensions:
            await self.load_extension(name)
        log.info("loaded %d extensions, %d slash commands", len(self._extensions), len(self.tree.get_commands()))

    async def on_ready(self) -> None:
        log.info("ready as %s in %d guilds", self.user, len(self.guilds))

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: natural questions are handled by ``cogs.questions``."""

    async def close(self) -> None:
        self.faults.flush()
        await super().close()
        # discord.py's connect loop calls close() too as the socket goes: the log closes once.
        query_log, self._closing_log = self._closing_log, None
        self.rigs.close()
        if query_log is not None:
            await query_log.close()

    # -- helpers for cogs and views -------------------------------------------------------------

    def submit(self, entry: LogEntry | FeedbackEntry) -> None:
        if self.query_log is not None:
            self.query_log.submit(entry)

    def log_answer(
        self,
        question: str,
        answer: Answer,
        latency_ms: float,
        *,
        interaction: discord.Interaction[Any] | None = None,
        message: discord.Message | None = None,
        undelivered: tuple[str, bool] | None = None,
    ) -> None:
        """One row per answer; ``undelivered``: (what happened, whether any of it arrived) if sending failed."""
        prefix, arrived = undelivered or ("", True)
        self.log_event(
            question,
            answer.intent,
            answered=answer.answered and arrived,
            latency_ms=latency_ms,
            gpus=answer.gpus or [c.gpu for c in answer.choices],
            fields=answer.fields,
            summary=f"{prefix}: {answer.summary_line}" if prefix else answer.summary_line,
            interaction=interaction,
            message=message,
            understood=(answer.kind, answer.rule),
        )

    def log_event(
        self,
        question: str,
        intent: str,
        *,
        answered: bool = True,
        latency_ms: float = 0.0,
        gpus: Sequence[str] = (),
        fields: Sequence[str] = (),
        summary: str = "",
        interaction: discord.Interaction[Any] | None = None,
        message: discord.Message | None = None,
        understood: tuple[str, str] = ("", ""),
    ) -> None:
        """Log anything the bot did for someone: answers, refusals, cooldowns, stats."""
        ids: tuple[int | None, int | None, int | None]
        if interaction is not None:
            ids = (interaction.guild_id, interaction.channel_id, interaction.user.id)
        elif message is not None:
            ids = (message.guild.id if message.guild else None, message.channel.id, message.author.id)
        else:
            ids = (None, None, None)
        self.submit(
            LogEntry(
                question=question,
                intent=intent,
                source="discord",
                gpus=list(gpus),
                fields=list(fields),
                answered=answered,
                latency_ms=latency_ms,
                summary=summary,
                guild_id=ids[0],
                channel_id=ids[1],
                user_id=ids[2],
                kind=understood[0],
                rule=understood[1],
            )
        )

    async def respond(
        self,
        interaction: discord.Interaction[Any],
        question: str,
        compute: Callable[[], Answer | Awaitable[Answer]],
        *,
        ephemeral: bool = False,
    ) -> None:
        """One core call, rendered and sent, then logged; deferred first under a backlog (``self.gate``).
        ``compute`` may be a coroutine function (one that may look a model up on the Hub, deferring first)."""
        if self.refuse_while_draining(question, interaction=interaction):
            await self.reply_ephemeral(interaction, RESTARTING)
            return

        def shut_down() -> None:  # cancelled while waiting for a turn: the question still gets its row
            self.log_event(question, "shutdown", answered=False, summary=backlog.NO_TURN, interaction=interaction)

        try:
            age = (discord.utils.utcnow() - interaction.created_at).total_seconds()
            async with self.gate.turn(
                partial(backlog.defer, interaction, ephemeral=ephemeral), age=age, cancelled=shut_down
            ):
                start = time.perf_counter()
                computed = compute()
                answer = await computed if inspect.isawaitable(computed) else computed
                took = (time.perf_counter() - start) * 1000
                await self.deliver(question, answer, took, interaction=interaction, ephemeral=ephemeral)
        except backlog.Unacknowledged as exc:
            summary = f"not answered: the interaction could not be acknowledged ({exc})"
            self.log_event(question, "expired", answered=False, summary=summary, interaction=interaction)
            self.faults.add(backlog.NOT_ACKNOWLEDGED, f"{question[:80]!r}: {exc}")

    def refuse_while_draining(
        self,
        question: str,
        *,
        interaction: discord.Interaction[Any] | None = None,
        message: discord.Message | None = None,
    ) -> bool:
        """While shutting down, log a new question as not answered and say so (True); else track it."""
        if self.draining:
            summary = "not answered: the bot was shutting down"
            self.log_event(
                question, "shutdown", answered=False, summary=summary, interaction=interaction, message=message
            )
            return True
        self.track()
        return False

    def track(self) -> None:
        """Count the current task as work in flight: a shutdown lets it finish (up to the deadline)."""
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
            task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._inflight.discard(task)
        if self.faults.pending and not self._inflight:
            self.faults.idle()  # the backlog is done: one line for what failed in it

    async def deliver(
        self,
        question: str,
        answer: Answer,
        latency_ms: float,
        *,
        interaction: discord.Interaction[Any] | None = None,
        message: discord.Message | None = None,
        ephemeral: bool = False,
    ) -> None:
        """Send ``answer`` and log what really happened: one row per question, one warning if it failed."""
        delivery = Delivery(wire=self._wire.tasks)
        try:
            await send_answer(
                self, answer, interaction=interaction, message=message, ephemeral=ephemeral, delivery=delivery
            )
        except asyncio.CancelledError as exc:  # the shutdown deadline passed first
            self._log_undelivered(question, answer, latency_ms, delivery, exc, interaction, message)
            raise
        except SEND_FAILURES as exc:
            self._log_undelivered(question, answer, latency_ms, delivery, exc, interaction, message)
            self.faults.add(backlog.NOT_DELIVERED, f"{question[:80]!r}: {describe_failure(exc)}")
            return
        self.log_answer(question, answer, latency_ms, interaction=interaction, message=message)

    def _log_undelivered(
        self,
        question: str,
        answer: Answer,
        latency_ms: float,
        delivery: Delivery,
        exc: BaseException,
        interaction: discord.Interaction[Any] | None,
        message: discord.Message | None,
    ) -> None:
        reason = describe_failure(exc)
        if delivery.sent:
            summary = f"partly delivered ({delivery.sent} of {delivery.total} messages; then {reason})"
        else:
            summary = f"not delivered ({reason})"
        undelivered = (summary, delivery.sent > 0)
        self.log_answer(question, answer, latency_ms, interaction=interaction, message=message, undelivered=undelivered)

    @property
    def in_flight(self) -> int:
        """Questions being answered right now (computed, not yet sent and logged)."""
        return sum(1 for t in self._inflight if not t.done())

    async def drain(self, deadline: float) -> int:
        """Stop taking new questions, let answers in flight finish for up to ``deadline`` seconds,
        then cancel the rest (each logs itself as not delivered). Returns how many were cancelled."""
        self.draining = True
        pending = {t for t in self._inflight if not t.done() and t is not asyncio.current_task()}
        if pending:
            _, pending = await asyncio.wait(pending, timeout=deadline)
        for task in pending - self._wire.tasks:  # a request on the wire finishes, so its row is true
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=5)
            log.warning("shutdown: %d answers not sent within %.0f s, logged as not delivered", len(pending), deadline)
        return len(pending)

    async def reply_ephemeral(self, interaction: discord.Interaction[Any], text: str) -> None:
        try:
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True)
            else:
                await interaction.response.send_message(text, ephemeral=True)
        except discord.HTTPException:
            log.warning("could not send an ephemeral notice for interaction %s", interaction.id)

    async def apologise(self, interaction: discord.Interaction[Any]) -> None:
        await self.reply_ephemeral(interaction, APOLOGY)


class ShardedGpuBot(GpuBot, discord.AutoShardedClient):
    """Several shards in one process (``DISCORD_SHARD_IDS`` or ``DISCORD_SHARD_COUNT`` above 1).

    Beware: discord.py's sharded client identifies anew when a reconnect fails (a gateway answering
    503 for a few seconds), starting a new session, so the events of the outage are never delivered;
    one process per shard (``DISCORD_SHARD_IDS=3``) keeps the plain client and its RESUME.
    """


def make_bot(settings: Settings, engine: Engine, query_log: QueryLog | None, **options: Any) -> GpuBot:
    """The plain bot for one shard (it resumes after outages), the sharded one for several."""
    several = len(settings.shard_ids or ()) > 1 or (not settings.shard_ids and (settings.shard_count or 1) > 1)
    cls = ShardedGpuBot if several else GpuBot
    return cls(settings=settings, engine=engine, query_log=query_log, **options)
