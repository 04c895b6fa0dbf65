"""Buttons under answers: pick a GPU when the question was ambiguous, show all specs, 👍/👎.

Views expire (``timeout``) and then disable their buttons in place. Picking a GPU is reserved for
the person who asked; feedback is open to everyone and logged with the question it rates.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Protocol

import discord

from bot.answer import Answer
from bot.discord_delivery import ALREADY_ACKNOWLEDGED, Delivery, new_nonce, retry_send
from bot.render_discord import answer_embeds, pack_embeds
from bot.storage import FeedbackEntry

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.engine import Engine
    from bot.storage import LogEntry

__all__ = ["AnswerHost", "AnswerView", "send_answer"]

log = logging.getLogger(__name__)

MAX_PICK_BUTTONS = 20  # 4 rows of 5; the last row holds the feedback buttons


class AnswerHost(Protocol):
    """What the buttons need from the bot. ``bot.client.GpuBot`` is one; this module never imports it."""

    @property
    def settings(self) -> Settings: ...

    @property
    def engine(self) -> Engine: ...

    def submit(self, entry: LogEntry | FeedbackEntry) -> None: ...

    def track(self) -> None: ...

    def log_answer(
        self,
        question: str,
        answer: Answer,
        latency_ms: float,
        *,
        interaction: discord.Interaction[Any] | None = None,
        message: discord.Message | None = None,
    ) -> None: ...

    async def apologise(self, interaction: discord.Interaction[Any]) -> None: ...


class AnswerView(discord.ui.View):
    """The buttons for one answer."""

    message: discord.Message | discord.InteractionMessage | None

    def __init__(self, bot: AnswerHost, answer: Answer, *, author_id: int, timeout: float | None = None) -> None:
        super().__init__(timeout=timeout if timeout is not None else bot.settings.view_timeout)
        self.bot = bot
        self.answer = answer
        self.author_id = author_id
        self.message = None
        for i, choice in enumerate(answer.choices[:MAX_PICK_BUTTONS]):
            button: discord.ui.Button[AnswerView] = discord.ui.Button(
                label=choice.label[:80],
                style=discord.ButtonStyle.primary,
                custom_id=f"gpubot:pick:{choice.gpu}"[:100],
                row=i // 5,
            )
            button.callback = self._make_pick(choice.gpu)  # type: ignore[method-assign]
            self.add_item(button)
        if answer.intent in {"compare", "lookup"} and answer.gpus:
            more: discord.ui.Button[AnswerView] = discord.ui.Button(
                label="All specs", style=discord.ButtonStyle.secondary, custom_id="gpubot:all", row=4
            )
            more.callback = self._all_specs  # type: ignore[method-assign]
            self.add_item(more)
        for emoji, vote in (("👍", 1), ("👎", -1)):
            fb: discord.ui.Button[AnswerView] = discord.ui.Button(
                emoji=emoji, style=discord.ButtonStyle.secondary, custom_id=f"gpubot:vote:{vote}", row=4
            )
            fb.callback = self._make_vote(vote)  # type: ignore[method-assign]
            self.add_item(fb)

    # -- checks and lifecycle ------------------------------------------------------------------

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        self.bot.track()  # the click's answer is work in flight until it is sent and logged
        data: dict[str, Any] = dict(interaction.data or {})
        custom_id = str(data.get("custom_id", ""))
        if custom_id.startswith("gpubot:pick:") and interaction.user.id != self.author_id:
            await interaction.response.send_message(
                "Only the person who asked can pick — ask your own question and I'll offer you the choice.",
                ephemeral=True,
            )
            return False
        return True

    def disable(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True

    async def on_timeout(self) -> None:
        self.disable()
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException:
                log.debug("could not disable expired buttons on %s", getattr(self.message, "id", None))

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        log.exception("button %r failed", getattr(item, "custom_id", item), exc_info=error)
        await self.bot.apologise(interaction)

    # -- callbacks ----------------------------------------------------------------------------

    def _make_pick(self, gpu_id: str) -> Any:
        async def pick(interaction: discord.Interaction[Any]) -> None:
            answer = self.bot.engine.choose(self.answer.question, gpu_id)
            self.stop()
            view = AnswerView(self.bot, answer, author_id=self.author_id)
            messages = pack_embeds(answer_embeds(answer))
            await interaction.response.edit_message(content=None, embeds=messages[0], view=view)
            view.message = await interaction.original_response()
            for extra in messages[1:]:
                await interaction.followup.send(embeds=extra)
            # Logged once sent: a click whose answer never arrived leaves the error line, not an "answered" row.
            self.bot.log_answer(f"{self.answer.question} [{gpu_id}]", answer, 0.0, interaction=interaction)

        return pick

    async def _all_specs(self, interaction: discord.Interaction[Any]) -> None:
        answer = self.bot.engine.all_specs(self.answer.gpus, question=self.answer.question)
        messages = pack_embeds(answer_embeds(answer))
        await interaction.response.send_message(embeds=messages[0])
        for extra in messages[1:]:
            await interaction.followup.send(embeds=extra)
        self.bot.log_answer(f"{self.answer.question} [all specs]", answer, 0.0, interaction=interaction)

    def _make_vote(self, vote: int) -> Any:
        async def cast(interaction: discord.Interaction[Any]) -> None:
            self.bot.submit(
                FeedbackEntry(
                    question=self.answer.question,
                    intent=self.answer.intent,
                    vote=vote,
                    guild_id=interaction.guild_id,
                    channel_id=interaction.channel_id,
                    user_id=interaction.user.id,
                )
            )
            await interaction.response.send_message("Thanks for the feedback!", ephemeral=True)

        return cast


async def send_answer(
    bot: AnswerHost,
    answer: Answer,
    *,
    interaction: discord.Interaction[Any] | None = None,
    message: discord.Message | None = None,
    ephemeral: bool = False,
    delivery: Delivery | None = None,
) -> Delivery:
    """Reply with ``answer``: to a slash command (``interaction``) or a message (``message``).

    The buttons go on the first message; the rest of a long answer follows in more messages. Each
    send is retried through transient faults (:func:`retry_send`); ``delivery`` counts what arrived,
    also when a send finally fails and its exception propagates.
    """
    messages = pack_embeds(answer_embeds(answer))
    delivery = delivery if delivery is not None else Delivery()
    delivery.total = len(messages)
    author_id = interaction.user.id if interaction is not None else message.author.id if message else 0
    view = AnswerView(bot, answer, author_id=author_id)
    if interaction is not None:
        await _send_to_interaction(interaction, messages, view, ephemeral, delivery)
    elif message is not None:
        first, nonce = messages[0], new_nonce()
        view.message = await retry_send(
            lambda: message.reply(embeds=first, view=view, mention_author=False, nonce=nonce), delivery
        )
        delivery.sent += 1
        for extra in messages[1:]:
            await _send_extra(message.channel, extra, delivery)
            delivery.sent += 1
    return delivery


async def _send_extra(channel: discord.abc.Messageable, embeds: list[discord.Embed], delivery: Delivery) -> None:
    nonce = new_nonce()  # the same for every attempt of this message
    await retry_send(lambda: channel.send(embeds=embeds, nonce=nonce), delivery)


async def _send_to_interaction(
    interaction: discord.Interaction[Any],
    messages: list[list[discord.Embed]],
    view: AnswerView,
    ephemeral: bool,
    delivery: Delivery,
) -> None:
    if interaction.response.is_done():
        first = messages[0]
        view.message = await retry_send(
            lambda: interaction.followup.send(embeds=first, view=view, ephemeral=ephemeral, wait=True), delivery
        )
    else:
        sent: discord.InteractionMessage | None = None
        try:
            callback = await retry_send(
                lambda: interaction.response.send_message(embeds=messages[0], view=view, ephemeral=ephemeral),
                delivery,
            )
            sent = callback.resource if isinstance(callback.resource, discord.InteractionMessage) else None
        except discord.HTTPException as exc:
            # A retried callback refused as already acknowledged: an earlier attempt did arrive.
            if not (delivery.retried and exc.code == ALREADY_ACKNOWLEDGED):
                raise
        # The callback's reply holds the message (``with_response``): no second request to fetch it.
        view.message = sent if sent is not None else await interaction.original_response()
    delivery.sent += 1
    for extra in messages[1:]:
        await _follow_up(interaction, extra, ephemeral, delivery)
        delivery.sent += 1


async def _follow_up(
    interaction: discord.Interaction[Any], embeds: list[discord.Embed], ephemeral: bool, delivery: Delivery
) -> None:
    await retry_send(lambda: interaction.followup.send(embeds=embeds, ephemeral=ephemeral), delivery)
