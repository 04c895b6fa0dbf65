"""``/stats`` for moderators: what people ask and what the bot could not answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.render_discord import FIELD_VALUE_LIMIT, split_text

if TYPE_CHECKING:
    from bot.client import GpuBot


class Admin(commands.Cog):
    def __init__(self, bot: GpuBot) -> None:
        self.bot = bot

    @app_commands.command(name="stats", description="Questions by intent, top GPUs, recent unanswered questions.")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def stats(self, interaction: discord.Interaction[GpuBot]) -> None:
        if self.bot.query_log is None:
            await interaction.response.send_message("The query log is turned off.", ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        stats = await self.bot.query_log.stats(limit=10)
        embed = discord.Embed(title="GPU Advisor stats", colour=0x5865F2)
        embed.description = f"{stats.total} questions logged · feedback 👍 {stats.votes_up} / 👎 {stats.votes_down}"
        sections = {
            "By intent": "\n".join(f"{intent}: {n}" for intent, n in stats.by_intent),
            "By rule": "\n".join(f"{rule or '—'}: {n}" for rule, _, n in stats.by_rule[:10]),
            "Top GPUs": "\n".join(f"{gpu}: {n}" for gpu, n in stats.top_gpus),
            "Recent unanswered": "\n".join(
                f"• {discord.utils.escape_markdown(' '.join(q.split()))[:150]}" for _, _, q in stats.unanswered
            ),
        }
        for name, value in sections.items():
            chunks = split_text(value, FIELD_VALUE_LIMIT) or ["—"]
            embed.add_field(name=name, value=chunks[0], inline=name != "Recent unanswered")
        await interaction.followup.send(embed=embed, ephemeral=True)
        self.bot.log_event("/stats", "stats", summary=embed.description, interaction=interaction)


async def setup(bot: GpuBot) -> None:
    await bot.add_cog(Admin(bot))
