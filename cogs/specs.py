"""Direct spec look-ups: ``/gpu``, ``/spec`` and ``/compare``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from cogs._common import JUST_FOR_ME, FieldOption, GpuOption

if TYPE_CHECKING:
    from bot.client import GpuBot

Gpu = app_commands.Transform[str, GpuOption]
Field = app_commands.Transform[str, FieldOption]


class Specs(commands.Cog):
    def __init__(self, bot: GpuBot) -> None:
        self.bot = bot

    @app_commands.command(name="gpu", description="The spec card of one GPU.")
    @app_commands.describe(name="GPU name, any spelling: a6k, rtx 4090, H100 SXM…", just_for_me=JUST_FOR_ME)
    async def gpu(self, interaction: discord.Interaction[GpuBot], name: Gpu, just_for_me: bool = False) -> None:
        await self.bot.respond(interaction, f"/gpu {name}", lambda: self.bot.engine.card(name), ephemeral=just_for_me)

    @app_commands.command(name="spec", description="One spec of one GPU.")
    @app_commands.describe(
        gpu="GPU name, any spelling", field="Spec: memory, bandwidth, tdp, cuda cores…", just_for_me=JUST_FOR_ME
    )
    async def spec(
        self, interaction: discord.Interaction[GpuBot], gpu: Gpu, field: Field, just_for_me: bool = False
    ) -> None:
        await self.bot.respond(
            interaction, f"/spec {gpu} {field}", lambda: self.bot.engine.spec(gpu, field), ephemeral=just_for_me
        )

    @app_commands.command(name="compare", description="Two to four GPUs side by side, with the winner per spec.")
    @app_commands.describe(
        gpu1="First GPU",
        gpu2="Second GPU",
        gpu3="Third GPU (optional)",
        gpu4="Fourth GPU (optional)",
        fields="Specs to compare, e.g. “memory, bandwidth, tdp” (default: the key specs)",
        just_for_me=JUST_FOR_ME,
    )
    async def compare(
        self,
        interaction: discord.Interaction[GpuBot],
        gpu1: Gpu,
        gpu2: Gpu,
        gpu3: Gpu | None = None,
        gpu4: Gpu | None = None,
        fields: app_commands.Range[str, 1, 200] | None = None,
        just_for_me: bool = False,
    ) -> None:
        ids = [g for g in (gpu1, gpu2, gpu3, gpu4) if g]
        keys = self.bot.engine.matcher.field_list(fields) if fields else []
        question = "/compare " + " ".join(ids) + (f" fields={fields}" if fields else "")
        await self.bot.respond(interaction, question, lambda: self.bot.engine.compare(ids, keys), ephemeral=just_for_me)


async def setup(bot: GpuBot) -> None:
    await bot.add_cog(Specs(bot))
