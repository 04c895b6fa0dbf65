"""Advice: ``/recommend`` (workload as choices, from specs/workloads.yaml) and ``/faq`` (autocompleted)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_views import send_answer
from cogs._common import choice_label

if TYPE_CHECKING:
    from bot.client import GpuBot


class Advice(commands.Cog):
    def __init__(self, bot: GpuBot) -> None:
        self.bot = bot
        # The workloads are data, so the command's choices are built from the loaded catalog.
        workloads = [
            app_commands.Choice(name=str(spec["label"])[:100], value=key)
            for key, spec in bot.engine.catalog.workloads.items()
        ][:25]
        self.recommend_command = self._build_recommend(workloads)

    def _build_recommend(
        self, workloads: list[app_commands.Choice[str]]
    ) -> app_commands.Command[Advice, ..., None]:
        @app_commands.command(name="recommend", description="The best GPU for a workload, within a budget.")
        @app_commands.describe(
            workload="What the GPU is for", budget="Most you want to spend, in US dollars (launch prices)"
        )
        @app_commands.choices(workload=workloads)
        async def recommend(
            interaction: discord.Interaction[GpuBot],
            workload: app_commands.Choice[str],
            budget: app_commands.Range[int, 50, 1_000_000] | None = None,
        ) -> None:
            start = time.perf_counter()
            answer = self.bot.engine.recommend(workload.value, budget_usd=float(budget) if budget else None)
            question = f"/recommend {workload.value}" + (f" budget={budget}" if budget else "")
            self.bot.log_answer(
                question, answer, (time.perf_counter() - start) * 1000, interaction=interaction
            )
            await send_answer(self.bot, answer, interaction=interaction)

        return recommend

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.recommend_command)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.recommend_command.name)

    @app_commands.command(
        name="faq", description="Answers to common questions, with current catalog numbers."
    )
    @app_commands.describe(topic="Start typing: memory, power, future-proof, NVLink, ECC, price…")
    async def faq(self, interaction: discord.Interaction[GpuBot], topic: str) -> None:
        start = time.perf_counter()
        catalog = self.bot.engine.catalog
        entry = next((f for f in catalog.faqs if topic in (f.id, f.question)), None)
        if entry is None:
            timed = self.bot.engine.ask_timed(topic)  # free text: answer it like /ask
            answer = timed.answer
        else:
            answer = self.bot.engine.faq(entry.id)
        self.bot.log_answer(
            f"/faq {topic}", answer, (time.perf_counter() - start) * 1000, interaction=interaction
        )
        await send_answer(self.bot, answer, interaction=interaction)

    @faq.autocomplete("topic")
    async def faq_topics(
        self, interaction: discord.Interaction[GpuBot], value: str
    ) -> list[app_commands.Choice[str]]:
        wanted = value.strip().lower()
        faqs = self.bot.engine.catalog.faqs
        hits = [
            f
            for f in faqs
            if not wanted or wanted in f.question.lower() or any(wanted in k for k in f.keywords)
        ]
        return [app_commands.Choice(name=choice_label(f.question), value=f.id) for f in hits[:25]]


async def setup(bot: GpuBot) -> None:
    await bot.add_cog(Advice(bot))
