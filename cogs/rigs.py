"""``/rig set|show|clear``: a member's saved rig, used by "my rig" and by fit questions that name no card.

A rig is personal data: every reply is ephemeral, the rig text is never written to the query log, and
``/rig clear`` deletes the row.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.rigs import MAX_CARDS, RigError, parse_rig, rig_of
from cogs._common import GpuOption

if TYPE_CHECKING:
    from bot.client import GpuBot

log = logging.getLogger(__name__)

UNAVAILABLE = "Saved rigs are unavailable right now (the database could not be opened); please try again later."


class Rigs(commands.GroupCog, group_name="rig", group_description="Your saved rig: the cards you have."):
    def __init__(self, bot: GpuBot) -> None:
        self.bot = bot
        super().__init__()

    async def _reply(self, interaction: discord.Interaction[GpuBot], text: str) -> None:
        await self.bot.reply_ephemeral(interaction, text)

    @app_commands.command(
        name="set", description="Save your rig, e.g. “2x 3090, 64 GB RAM”, or pick a GPU and a count."
    )
    @app_commands.describe(
        rig="your cards in plain words, e.g. “2x 3090, 64 GB RAM” or “a 4090 and two 3090s”",
        gpu="or: one GPU (autocompletes)",
        count="how many of that GPU (default 1)",
    )
    async def set_rig(
        self,
        interaction: discord.Interaction[GpuBot],
        rig: app_commands.Range[str, 1, 200] | None = None,
        gpu: app_commands.Transform[str, GpuOption] | None = None,
        count: app_commands.Range[int, 1, MAX_CARDS] = 1,
    ) -> None:
        try:
            if gpu is not None:
                saved = rig_of(gpu, count)
            elif rig is not None:
                saved = parse_rig(self.bot.engine.parser, rig)
            else:
                raise RigError("Tell me your cards: `/rig set rig:2x 3090, 64 GB RAM` or `/rig set gpu:4090 count:2`.")
            await asyncio.to_thread(self.bot.rigs.set, interaction.user.id, saved)
        except RigError as exc:
            await self._reply(interaction, str(exc))
            return
        except sqlite3.Error as exc:
            log.warning("could not save a rig: %s", exc)
            await self._reply(interaction, UNAVAILABLE)
            return
        described = saved.describe(self.bot.engine.catalog)
        await self._reply(interaction, f"Saved your rig: {described}. Ask “can I run llama 3 70b on my rig?”.")

    @app_commands.command(name="show", description="Show your saved rig.")
    async def show(self, interaction: discord.Interaction[GpuBot]) -> None:
        try:
            saved = await asyncio.to_thread(self.bot.rigs.get, interaction.user.id)
        except sqlite3.Error:
            await self._reply(interaction, UNAVAILABLE)
            return
        if saved is None:
            await self._reply(interaction, "You have no saved rig. Save one with `/rig set`.")
            return
        await self._reply(interaction, f"Your saved rig: {saved.describe(self.bot.engine.catalog)}.")

    @app_commands.command(name="clear", description="Delete your saved rig.")
    async def clear(self, interaction: discord.Interaction[GpuBot]) -> None:
        try:
            had = await asyncio.to_thread(self.bot.rigs.clear, interaction.user.id)
        except sqlite3.Error:
            await self._reply(interaction, UNAVAILABLE)
            return
        await self._reply(interaction, "Deleted your saved rig." if had else "You had no saved rig.")


async def setup(bot: GpuBot) -> None:
    await bot.add_cog(Rigs(bot))
