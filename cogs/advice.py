"""Advice: ``/recommend`` (workload as choices, from specs/workloads.yaml), ``/fits`` and ``/faq``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from cogs._common import JUST_FOR_ME, GpuOption, choice_label

if TYPE_CHECKING:
    from bot.client import GpuBot

Gpu = app_commands.Transform[str, GpuOption]
FIT_PRECISIONS = (
    "fp16",
    "bf16",
    "fp8",
    "int8",
    "q8_0",
    "q6_k",
    "q5_k_m",
    "q4_k_m",
    "int4",
    "nf4",
    "q3_k_m",
    "q2_k",
)


class Advice(commands.Cog):
    def __init__(self, bot: GpuBot) -> None:
        self.bot = bot
        # The workloads are data, so the command's choices are built from the loaded catalog.
        workloads = [
            app_commands.Choice(name=str(spec["label"])[:100], value=key)
            for key, spec in bot.engine.catalog.workloads.items()
        ][:25]
        self.recommend_command = self._build_recommend(workloads)

    def _build_recommend(self, workloads: list[app_commands.Choice[str]]) -> app_commands.Command[Advice, ..., None]:
        @app_commands.command(name="recommend", description="The best GPU for a workload, within a budget.")
        @app_commands.describe(
            workload="What the GPU is for",
            budget="Most you want to spend, in US dollars (launch prices)",
            just_for_me=JUST_FOR_ME,
        )
        @app_commands.choices(workload=workloads)
        async def recommend(
            interaction: discord.Interaction[GpuBot],
            workload: app_commands.Choice[str],
            budget: app_commands.Range[int, 50, 1_000_000] | None = None,
            just_for_me: bool = False,
        ) -> None:
            question = f"/recommend {workload.value}" + (f" budget={budget}" if budget else "")
            await self.bot.respond(
                interaction,
                question,
                lambda: self.bot.engine.recommend(workload.value, budget_usd=float(budget) if budget else None),
                ephemeral=just_for_me,
            )

        return recommend

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.recommend_command)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.recommend_command.name)

    @app_commands.command(name="fits", description="Will a model fit on a GPU? Memory estimate, every term shown.")
    @app_commands.describe(
        model="Model: Llama 3 70B, Qwen2.5 32B, Mixtral 8x7B…",
        gpu="GPU name, any spelling",
        precision="Weights precision (default fp16; 4-bit NF4 for QLoRA)",
        mode="Inference or fine-tuning (default inference)",
        context="Context length in tokens (default 4096; 2048 for training)",
        count="How many of that GPU (default 1)",
        just_for_me=JUST_FOR_ME,
    )
    @app_commands.choices(
        precision=[app_commands.Choice(name=p, value=p) for p in FIT_PRECISIONS],
        mode=[
            app_commands.Choice(name="inference", value="inference"),
            app_commands.Choice(name="full fine-tune (AdamW)", value="full"),
            app_commands.Choice(name="LoRA", value="lora"),
            app_commands.Choice(name="QLoRA (4-bit base)", value="qlora"),
        ],
    )
    async def fits(
        self,
        interaction: discord.Interaction[GpuBot],
        model: str,
        gpu: Gpu,
        precision: app_commands.Choice[str] | None = None,
        mode: app_commands.Choice[str] | None = None,
        context: app_commands.Range[int, 128, 1_048_576] | None = None,
        count: app_commands.Range[int, 1, 64] = 1,
        just_for_me: bool = False,
    ) -> None:
        engine = self.bot.engine
        model_id = engine.resolve_model(model)
        if model_id is None:
            await self.bot.reply_ephemeral(interaction, "I don't know that model; pick one from the list.")
            self.bot.log_event(f"/fits {model}", "fits", answered=False, interaction=interaction)
            return
        options = {
            "precision": precision.value if precision else None,
            "mode": mode.value if mode else None,
            "context": context,
            "count": count if count != 1 else None,
        }
        question = f"/fits {model_id} {gpu}" + "".join(f" {k}={v}" for k, v in options.items() if v)
        await self.bot.respond(
            interaction,
            question,
            lambda: engine.fit(
                model_id,
                gpu,
                precision=precision.value if precision else None,
                mode=mode.value if mode else "inference",
                context=context,
                count=count,
            ),
            ephemeral=just_for_me,
        )

    @fits.autocomplete("model")
    async def fit_models(self, interaction: discord.Interaction[GpuBot], value: str) -> list[app_commands.Choice[str]]:
        hits = self.bot.engine.model_choices(value, limit=25)
        return [app_commands.Choice(name=choice_label(m.name, f"{m.params_b:g}B"), value=m.id) for m in hits]

    @app_commands.command(name="faq", description="Answers to common questions, with current catalog numbers.")
    @app_commands.describe(
        topic="Start typing: memory, power, future-proof, NVLink, ECC, price…", just_for_me=JUST_FOR_ME
    )
    async def faq(
        self,
        interaction: discord.Interaction[GpuBot],
        topic: app_commands.Range[str, 1, 100],
        just_for_me: bool = False,
    ) -> None:
        await self.bot.respond(
            interaction, f"/faq {topic}", lambda: self.bot.engine.faq_topic(topic), ephemeral=just_for_me
        )

    @faq.autocomplete("topic")
    async def faq_topics(self, interaction: discord.Interaction[GpuBot], value: str) -> list[app_commands.Choice[str]]:
        hits = self.bot.engine.faq_choices(value, limit=25)
        return [app_commands.Choice(name=choice_label(f.question), value=f.id) for f in hits]


async def setup(bot: GpuBot) -> None:
    await bot.add_cog(Advice(bot))
