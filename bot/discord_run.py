"""``gpubot run`` and ``gpubot sync``: start the Discord bot (or register its commands), stop it cleanly on
SIGINT/SIGTERM, and say in one line, never with the token, why it could not run."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import signal
import sys

import discord
import yarl

from bot import discord_backlog as backlog
from bot.client import GpuBot, make_bot
from bot.config import Settings
from bot.discord_chart import ChartRenderer
from bot.discord_delivery import QuietReconnects, RedactSecrets
from bot.engine import Engine
from bot.storage import QueryLog

__all__ = ["configure_endpoints", "run_bot", "run_command", "sync_commands"]

log = logging.getLogger("bot.client")


def configure_endpoints(settings: Settings) -> None:
    """Point discord.py at a Discord-compatible server when the settings say so."""
    if settings.api_base:
        discord.http.Route.BASE = settings.api_base
    if settings.gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)


async def _open_log(settings: Settings) -> QueryLog | None:
    return await QueryLog.open(settings.database) if settings.query_log else None


async def run_bot(settings: Settings, engine: Engine) -> None:
    """Run until SIGINT/SIGTERM or a fatal error; then close the gateway and flush the query log."""
    configure_endpoints(settings)
    log.debug("warmed up in %.0f ms", backlog.warm_up(engine))  # the first answers as quick as the rest
    query_log = await _open_log(settings)
    bot = make_bot(settings, engine, query_log, charts=ChartRenderer.started() if settings.charts else None)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on Windows
            loop.add_signal_handler(sig, stop.set)
    async with bot:
        runner = asyncio.create_task(bot.start(settings.discord_token), name="discord-bot")
        stopper = asyncio.create_task(stop.wait(), name="shutdown-signal")
        done, _ = await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if stopper in done:
            log.info("shutting down: finishing the answers in flight (up to %.0f s)", settings.drain_seconds)
            await bot.drain(settings.drain_seconds)
        else:
            stopper.cancel()
        await bot.close()
        if bot.charts is not None:  # made here: closed after the bot
            bot.charts.close()
        if runner.done() and not runner.cancelled() and runner.exception() is not None:
            raise runner.exception()  # type: ignore[misc]
        runner.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await runner


async def sync_commands(settings: Settings, engine: Engine, guild_id: int | None = None) -> list[str]:
    """Register the slash commands with Discord (globally, or in one guild for instant updates)."""
    configure_endpoints(settings)
    bot = GpuBot(settings=dataclasses.replace(settings, query_log=False), engine=engine, query_log=None)
    async with bot:
        await bot.login(settings.discord_token)  # runs setup_hook: the cogs add their commands
        guild = discord.Object(id=guild_id) if guild_id else None
        if guild is not None:
            bot.tree.copy_global_to(guild=guild)
        synced = await bot.tree.sync(guild=guild)
    return [c.name for c in synced]


def run_command(command: str, settings: Settings, engine: Engine, *, guild_id: int | None = None) -> int:
    """``gpubot run`` and ``gpubot sync``: exit code 0 on a clean stop, 1 with one line on failure.

    The token is redacted from every log line, and no error message ever contains it.
    """
    redact = RedactSecrets(settings.discord_token)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
    quiet = QuietReconnects()
    for name in ("discord.client", "discord.shard"):
        logging.getLogger(name).addFilter(quiet)
    try:
        if command == "sync":
            names = asyncio.run(sync_commands(settings, engine, guild_id))
            where = f"guild {guild_id}" if guild_id else "globally (may take up to an hour to show)"
            print(f"synced {len(names)} commands {where}: {', '.join('/' + n for n in sorted(names))}")
            return 0
        asyncio.run(run_bot(settings, engine))
    except KeyboardInterrupt:
        return 0
    except discord.PrivilegedIntentsRequired:
        _fail(
            "Discord refused the Message Content intent: enable it for the bot in the developer portal, "
            "or set GPUBOT_MESSAGE_CONTENT=0 (mentions, DMs and slash commands still work)"
        )
        return 1
    except discord.LoginFailure:
        _fail("Discord rejected the token (DISCORD_TOKEN); check it in the developer portal")
        return 1
    except Exception as exc:  # a closed gateway, an unreachable server: one line, no traceback
        if getattr(exc, "code", None) == 4014:  # PrivilegedIntentsRequired without reconnects
            _fail("Discord refused the Message Content intent; see GPUBOT_MESSAGE_CONTENT in .env.example")
            return 1
        log.debug("bot stopped", exc_info=True)
        _fail(f"the bot stopped: {type(exc).__name__}: {str(exc).replace(settings.discord_token, '[token]')}")
        return 1
    return 0


def _fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
