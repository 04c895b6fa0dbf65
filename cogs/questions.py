"""Natural questions: mentions, DMs and configured channels, and ``/ask``."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.markup import strip_markup
from bot.text import MAX_QUESTION_CHARS
from cogs._common import JUST_FOR_ME
from cogs._conversation import conversation_key, replied_question, rig_for

if TYPE_CHECKING:
    from bot.answer import Answer
    from bot.client import GpuBot
    from bot.conversation import Reply
    from bot.rigs import Rig

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

    @staticmethod
    def _question(message: discord.Message) -> str:
        # Mentions (the bot's included), custom emoji, channels and timestamps are markup, not words.
        return strip_markup(message.content).strip()[:MAX_QUESTION_CHARS]

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if not self._addressed(message):
            self._own_answer(message)
            return
        question = self._question(message)
        if self.bot.refuse_while_draining(question, message=message):
            return
        retry = self.bot.cooldowns.retry_after(message.author.id)
        if retry:
            await self._cooldown(message, question, retry)
            return
        key = conversation_key(message.author.id, message.channel.id)
        rig = await rig_for(self.bot, message.author.id, question)
        replies: list[Reply] = []

        def answer() -> Answer:
            replies.append(self.bot.conversations.ask(key, question, reply_to=replied_question(message), rig=rig))
            return replies[-1].answer

        timed = await self.bot.hub.ask_with(question, message.author.id, answer)  # a Hub model: looked up in a thread
        self.bot.conversations.remember_message(message.id, replies[-1].query)  # a reply to the answer continues it
        await self.bot.deliver(question, timed.answer, timed.latency_ms, message=message)

    def _own_answer(self, message: discord.Message) -> None:
        """The bot's own answer, as Discord echoes it: a reply to it continues the question it answers."""
        me = self.bot.user
        ref = message.reference
        if me is not None and message.author.id == me.id and ref is not None and ref.message_id is not None:
            self.bot.conversations.store.alias_message(message.id, ref.message_id)

    async def _cooldown(self, message: discord.Message, question: str, retry: float) -> None:
        """One notice per user per cooldown window; the rest of the window is silent (and logged)."""
        summary = "over the cooldown; already told"
        if self.bot.cooldowns.notice_due(message.author.id, retry):
            summary = f"Easy there — you can ask again in {retry:.0f} s."
            try:
                await message.reply(summary, mention_author=False, delete_after=10)
            except discord.HTTPException as exc:
                summary = f"over the cooldown; the notice was not delivered ({exc.status})"
        self.bot.log_event(question, "cooldown", answered=False, summary=summary, message=message)

    @app_commands.command(name="ask", description="Ask anything about GPUs in plain English.")
    @app_commands.describe(question="e.g. “A4000 or A6000 for training?” or “a6k bandwidth”", just_for_me=JUST_FOR_ME)
    async def ask(
        self,
        interaction: discord.Interaction[GpuBot],
        question: app_commands.Range[str, 1, 1000],
        just_for_me: bool = False,
    ) -> None:
        text = strip_markup(question).strip()
        key = conversation_key(interaction.user.id, interaction.channel_id)
        rig = await rig_for(self.bot, interaction.user.id, text)

        if self.bot.hub.wants(text):  # a repository to look up first: it may outlast Discord's 3 s
            await interaction.response.defer(thinking=True, ephemeral=just_for_me)
            timed = await self.bot.hub.ask_with(text, interaction.user.id, lambda: self.answer(key, text, rig))
            await self.bot.respond(interaction, text, lambda: timed.answer, ephemeral=just_for_me)
            return

        async def defer() -> None:
            if not interaction.response.is_done():
                await interaction.response.defer(thinking=True, ephemeral=just_for_me)

        async def answer() -> Answer:  # a model name the catalog lacks is searched on the Hub, deferred first
            found = self.answer(key, text, rig)
            return await self.bot.hub.search_unplaced(text, interaction.user.id, found, before=defer)

        await self.bot.respond(interaction, text, answer, ephemeral=just_for_me)

    def answer(self, key: tuple[int, int], text: str, rig: Rig | None) -> Answer:
        return self.bot.conversations.ask(key, text, rig=rig).answer


async def setup(bot: GpuBot) -> None:
    await bot.add_cog(Questions(bot))
