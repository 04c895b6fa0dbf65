"""Shared option types for the cogs: a GPU option that resolves through the matcher, with autocomplete."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

if TYPE_CHECKING:
    from bot.client import GpuBot

__all__ = ["JUST_FOR_ME", "FieldOption", "GpuOption", "choice_label"]

MAX_CHOICES = 25
#: The description of every answering command's ``just_for_me`` option (an ephemeral answer).
JUST_FOR_ME = "Only you see the answer (default: everyone in the channel)"


def choice_label(name: str, detail: str = "") -> str:
    text = f"{name} · {detail}" if detail else name
    return text[:100]


class GpuOption(app_commands.Transformer):
    """A GPU typed any way people type it (``a6k``, ``rtx 4090``); autocompletes fuzzily.

    An ambiguous or unknown name is refused with the candidates, never guessed.
    """

    async def transform(self, interaction: discord.Interaction[Any], value: str) -> str:
        bot: GpuBot = interaction.client
        mention = bot.engine.resolve_gpu(value)  # the long tail too: cards the catalog lacks
        if mention is not None and mention.gpu is not None:
            return mention.gpu
        names = (
            [bot.engine.catalog.gpus[g].short_name for g in (mention.candidates or mention.suggestions)]
            if (mention)
            else [g.short_name for g in bot.engine.gpu_choices(value, limit=5)]
        )
        hint = f" Did you mean: {', '.join(names[:6])}?" if names else ""
        raise ValueError(f"I don't know which GPU “{discord.utils.escape_markdown(value[:80])}” is.{hint}")

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction[Any], value: str
    ) -> list[app_commands.Choice[str]]:
        bot: GpuBot = interaction.client
        fmt = bot.engine.catalog.fields["memory_gb"].format_value
        return [
            app_commands.Choice(name=choice_label(g.short_name, fmt(g.get("memory_gb"))), value=g.id)
            for g in bot.engine.gpu_choices(value, limit=MAX_CHOICES)
        ]


class FieldOption(app_commands.Transformer):
    """A spec field by key, label or alias (``vram``, ``bw``, ``tdp``)."""

    async def transform(self, interaction: discord.Interaction[Any], value: str) -> str:
        bot: GpuBot = interaction.client
        key = bot.engine.matcher.field(value)
        if key is None:
            raise ValueError(f"I don't know a spec called “{discord.utils.escape_markdown(value[:80])}”.")
        return key

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction[Any], value: str
    ) -> list[app_commands.Choice[str]]:
        bot: GpuBot = interaction.client
        ordered = bot.engine.matcher.field_choices(value, limit=MAX_CHOICES)
        return [app_commands.Choice(name=choice_label(f.label, f.unit), value=f.key) for f in ordered]
