"""Sending an answer to Discord: its embeds, with its buttons on the first message (see
:mod:`bot.discord_buttons`: they keep working across restarts), the rest of a long answer after it.

An answer with a chart carries it as ``chart.png`` on the first message, shown as its first embed's image; the
picture is drawn off the event loop by the bot's :class:`~bot.discord_chart.ChartRenderer` (none: no pictures).
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.answer import Answer
from bot.discord_buttons import ButtonHost, present
from bot.discord_chart import CHART_NAME, chart_file
from bot.discord_delivery import ALREADY_ACKNOWLEDGED, Delivery, new_nonce, retry_send

__all__ = ["AnswerHost", "send_answer"]

log = logging.getLogger(__name__)

#: What sending needs from the bot (``bot.client.GpuBot`` is one).
AnswerHost = ButtonHost


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
    author_id = interaction.user.id if interaction is not None else message.author.id if message else 0
    png = await bot.charts.png(answer) if bot.charts is not None else None  # drawn off the event loop
    chart = CHART_NAME if png else None
    messages, view, state = present(bot, answer, author_id=author_id, ephemeral=ephemeral, chart=chart)
    delivery = delivery if delivery is not None else Delivery()
    delivery.total = len(messages)
    further: list[int] = []  # the ids of the further messages: 🗑 deletes them with the first
    if interaction is not None:
        await _send_to_interaction(interaction, messages, view, ephemeral, delivery, further, png)
    elif message is not None:
        first, nonce = messages[0], new_nonce()
        await retry_send(
            lambda: message.reply(embeds=first, view=view, mention_author=False, nonce=nonce, **_attach(png)),
            delivery,
        )
        delivery.sent += 1
        for extra in messages[1:]:
            further.append(await _send_extra(message.channel, extra, delivery))
            delivery.sent += 1
    if further:
        state.messages = further
        bot.buttons.remember(state)
    return delivery


def _attach(png: bytes | None) -> dict[str, Any]:
    """The chart as a send's ``file`` argument, made anew for each attempt; nothing without a chart."""
    return {"file": chart_file(png)} if png else {}


async def _send_extra(channel: discord.abc.Messageable, embeds: list[discord.Embed], delivery: Delivery) -> int:
    nonce = new_nonce()  # the same for every attempt of this message
    sent = await retry_send(lambda: channel.send(embeds=embeds, nonce=nonce), delivery)
    return sent.id


async def _send_to_interaction(
    interaction: discord.Interaction[Any],
    messages: list[list[discord.Embed]],
    view: discord.ui.View,
    ephemeral: bool,
    delivery: Delivery,
    further: list[int],
    png: bytes | None = None,
) -> None:
    if interaction.response.is_done():
        first = messages[0]
        await retry_send(
            lambda: interaction.followup.send(embeds=first, view=view, ephemeral=ephemeral, wait=True, **_attach(png)),
            delivery,
        )
    else:
        try:  # the buttons need no message of their own: nothing is fetched back
            await retry_send(
                lambda: interaction.response.send_message(
                    embeds=messages[0], view=view, ephemeral=ephemeral, **_attach(png)
                ),
                delivery,
            )
        except discord.HTTPException as exc:
            # A retried callback refused as already acknowledged: an earlier attempt did arrive.
            if not (delivery.retried and exc.code == ALREADY_ACKNOWLEDGED):
                raise
    delivery.sent += 1
    for extra in messages[1:]:
        further.append(await _follow_up(interaction, extra, ephemeral, delivery))
        delivery.sent += 1


async def _follow_up(
    interaction: discord.Interaction[Any], embeds: list[discord.Embed], ephemeral: bool, delivery: Delivery
) -> int:
    sent = await retry_send(lambda: interaction.followup.send(embeds=embeds, ephemeral=ephemeral, wait=True), delivery)
    return sent.id
