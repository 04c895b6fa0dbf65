"""Natural questions: mentions, DMs and configured channels, and ``/ask``."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_views import send_answer
from bot.text import MAX_QUESTION_CHARS

if TYPE_CHECKING:
    from bot.client import GpuBot

log = logging.getLogger(__name__)


class Questions(commands.Cog):
    def __init__(self, bot: GpuBot) -> None:
        self.bot = bot

    def _addressed(self, message: discord.Message) -> bool:
        me = self.bot.user
        if me is None or message.author.bot or message.author.id == me.id:
            return False
        if message.guild is None:
            return True
        if any(user.id == me.id for user in message.mentions):
            return True
        return message.channel.id in self.bot.settings.answer_channels

    def _question(self, message: discord.Message) -> str:
        me = self.bot.user
        text = message.content
        if me is not None:
            text = re.sub(rf"<@!?{me.id}>", " ", text)
        return text.strip()[:MAX_QUESTION_CHARS]

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if not self._addressed(message):
            return
        retry = self.bot.cooldowns.retry_after(message.author.id)
        if retry:
            notice = f"Easy there — you can ask again in {retry:.0f} s."
            await message.reply(notice, mention_author=False, delete_after=10)
            self.bot.log_event(self._question(message), "cooldown", answered=False, summary=notice, message=message)
            return
        question = self._question(message)
        timed = self.bot.engine.ask_timed(question)
        self.bot.log_answer(question, timed.answer, timed.latency_ms, message=message)
        await send_answer(self.bot, timed.answer, message=message)

    @app_commands.command(name="ask", description="Ask anything about GPUs in plain English.")
    @app_commands.describe(question="e.g. “A4000 or A6000 for training?” or “a6k bandwidth”")
    async def ask(self, interaction: discord.Interaction[GpuBot], question: app_commands.Range[str, 1, 1000]) -> None:
        await self.bot.respond(interaction, question, lambda: self.bot.engine.ask(question))


async def setup(bot: GpuBot) -> None:
    await bot.add_cog(Questions(bot))
