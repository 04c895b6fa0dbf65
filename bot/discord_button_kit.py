"""The parts every answer button shares, and the buttons that need no answer to be rebuilt: 👍/👎, 🗑, the
page counter and the buttons from before answer keys. :mod:`bot.discord_buttons` has the rest and the
``custom_id`` grammar.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast

import discord

if TYPE_CHECKING:
    from bot.answer import Answer
    from bot.button_store import ButtonStore
    from bot.config import Settings
    from bot.conversation import Conversations
    from bot.discord_chart import ChartRenderer
    from bot.engine import Engine

__all__ = [
    "CUSTOM_ID_LIMIT",
    "GONE",
    "KEY",
    "AnswerButton",
    "ButtonHost",
    "DeleteButton",
    "LegacyButton",
    "PageCount",
    "VoteButton",
    "gone",
    "host_of",
    "needs_state",
]

log = logging.getLogger("bot.discord_buttons")

CUSTOM_ID_LIMIT = 100
KEY = r"(?P<key>[A-Za-z0-9_-]{4,24})"

GONE = (
    "Sorry, I no longer have what this button needs (the answer is from before a restart or an update). "
    "Please ask again and I'll answer afresh."
)
NOT_YOURS_DELETE = "Only the person who asked can delete this answer."


class ButtonHost(Protocol):
    """What the buttons need from the bot. ``bot.client.GpuBot`` is one; this module never imports it."""

    @property
    def settings(self) -> Settings: ...

    @property
    def engine(self) -> Engine: ...

    @property
    def buttons(self) -> ButtonStore: ...

    @property
    def charts(self) -> ChartRenderer | None: ...

    @property
    def conversations(self) -> Conversations: ...

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


def host_of(interaction: discord.Interaction[Any]) -> ButtonHost:
    return cast("ButtonHost", interaction.client)


async def gone(interaction: discord.Interaction[Any], dead: Callable[[str], bool], text: str = GONE) -> None:
    """Say politely that a button can no longer be served, and disable it (and the others ``dead`` names)."""
    if interaction.message is not None and interaction.message.components:
        view = discord.ui.View.from_message(interaction.message, timeout=None)
        for item in view.children:
            if isinstance(item, discord.ui.Button) and item.custom_id and dead(item.custom_id):
                item.disabled = True
        view.stop()  # nothing to dispatch here: the templates do that
        await interaction.response.edit_message(view=view)
        await interaction.followup.send(text, ephemeral=True)
    else:
        await interaction.response.send_message(text, ephemeral=True)


def needs_state(key: str) -> Callable[[str], bool]:
    """The buttons of answer ``key`` that cannot work without its state (votes and 🗑 still can)."""
    return lambda custom_id: f":{key}" in custom_id and not custom_id.startswith(("gpubot:vote:", "gpubot:del:"))


class AnswerButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"(?!)"):
    """Shared by every answer button: the click is work in flight, and a failure gets an apology."""

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        host = host_of(interaction)
        host.track()
        try:
            await self.handle(interaction, host)
        except Exception:
            log.exception("button %s failed", self.custom_id)
            await host.apologise(interaction)

    async def handle(self, interaction: discord.Interaction[Any], host: ButtonHost) -> None:
        raise NotImplementedError


VOTED: dict[tuple[str, int], str] = {
    ("added", 1): "Thanks for the 👍! (Click it again to take it back.)",
    ("added", -1): "Thanks for the 👎 — it helps me find what to fix. (Click it again to take it back.)",
    ("removed", 1): "Your 👍 is taken back.",
    ("removed", -1): "Your 👎 is taken back.",
    ("changed", 1): "Changed your vote to 👍.",
    ("changed", -1): "Changed your vote to 👎.",
}


class VoteButton(AnswerButton, template=rf"gpubot:vote:(?P<vote>-?1)(?::{KEY})?"):
    """👍/👎: one vote per user per answer; the same again takes it back, the other one replaces it.

    A vote button from before answer keys (``gpubot:vote:1``) counts once per user per message."""

    def __init__(self, vote: int, key: str | None, *, row: int | None = None) -> None:
        self.vote: Literal[-1, 1] = 1 if vote > 0 else -1
        self.key = key
        custom_id = f"gpubot:vote:{self.vote}" + (f":{key}" if key else "")
        emoji = "👍" if self.vote > 0 else "👎"
        super().__init__(
            discord.ui.Button(emoji=emoji, style=discord.ButtonStyle.secondary, custom_id=custom_id, row=row)
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> VoteButton:
        return cls(int(match["vote"]), match["key"])

    async def handle(self, interaction: discord.Interaction[Any], host: ButtonHost) -> None:
        state = await host.buttons.recall(self.key) if self.key else None
        message = interaction.message
        key = self.key or f"m{message.id if message else interaction.id}"
        title = (message.embeds[0].title if message and message.embeds else None) or "(an earlier answer)"
        outcome = await host.buttons.vote(
            key,
            interaction.user.id,
            self.vote,
            question=state.question if state else title,
            intent=state.intent if state else "unknown",
            guild_id=interaction.guild_id,
            channel_id=interaction.channel_id,
        )
        await interaction.response.send_message(VOTED[outcome, self.vote], ephemeral=True)


class DeleteButton(AnswerButton, template=rf"gpubot:del:{KEY}:(?P<author>\d+)"):
    """🗑: the asker deletes the answer (and its further messages); anyone else is told politely."""

    def __init__(self, key: str, author_id: int, *, row: int | None = None) -> None:
        self.key, self.author_id = key, author_id
        custom_id = f"gpubot:del:{key}:{author_id}"
        super().__init__(
            discord.ui.Button(emoji="🗑️", style=discord.ButtonStyle.secondary, custom_id=custom_id, row=row)
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> DeleteButton:
        return cls(match["key"], int(match["author"]))

    async def handle(self, interaction: discord.Interaction[Any], host: ButtonHost) -> None:
        if interaction.user.id != self.author_id:
            await interaction.response.send_message(NOT_YOURS_DELETE, ephemeral=True)
            return
        await interaction.response.defer()  # for a button: "update the message later"; the message goes now
        await interaction.delete_original_response()  # a component's original response is its message
        state = await host.buttons.recall(self.key)
        if state is None or interaction.channel_id is None:
            return
        for message_id in state.messages:
            # Already deleted by hand, or the bot may no longer: the answer's first message is gone all the same.
            with contextlib.suppress(discord.NotFound, discord.Forbidden):
                await interaction.client.http.delete_message(interaction.channel_id, message_id)


class PageCount(AnswerButton, template=rf"gpubot:pageno:{KEY}:(?P<page>\d+)"):
    """The disabled "n/N" between ◀ and ▶ (a template too, so discord.py keeps no per-message view for it)."""

    def __init__(self, key: str, page: int, pages: int, *, row: int | None = None) -> None:
        button: discord.ui.Button[Any] = discord.ui.Button(
            label=f"{page}/{pages}", custom_id=f"gpubot:pageno:{key}:{page}", disabled=True, row=row
        )
        super().__init__(button)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PageCount:
        return cls(match["key"], int(match["page"]), int(match["page"]))

    async def handle(self, interaction: discord.Interaction[Any], host: ButtonHost) -> None:
        await interaction.response.defer()  # disabled: Discord never sends a click; nothing to do if it did


class LegacyButton(AnswerButton, template=r"gpubot:(?:pick:[^:]+|all)"):
    """A pick or "All specs" button from before answer keys: what it needs was never saved."""

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> LegacyButton:
        assert isinstance(item, discord.ui.Button)  # noqa: S101 - the template only matches buttons' ids
        return cls(item)

    async def handle(self, interaction: discord.Interaction[Any], host: ButtonHost) -> None:
        await gone(
            interaction,
            lambda custom_id: self.__class__.__discord_ui_compiled_template__.fullmatch(custom_id) is not None,
        )
