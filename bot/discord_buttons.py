"""Answer buttons that keep working across restarts: pick a GPU, Show all, ◀ ▶ pages, 👍/👎 and 🗑.

Every button is a :class:`discord.ui.DynamicItem`: its ``custom_id`` carries what it needs (the answer's
key, the GPU of a pick, the asker's id for picks and deletes), and the bot registers the templates once at
start (:data:`DYNAMIC_ITEMS`, ``bot.add_dynamic_items``), so a click on an answer sent before a restart is
dispatched exactly like one on an answer sent a second ago. The rest (the question, the GPUs, the pages)
is the answer's :class:`~bot.button_store.ButtonState`, in memory and in the query log's database.

What can no longer be served (an answer whose state is gone, a GPU no longer in the catalog, a button
from before this scheme) gets a polite ephemeral reply and the button disabled, never "This interaction
failed". A failing callback gets the bot's apology; the traceback goes to the log.

``custom_id`` grammar (at most 100 characters; ``K`` is the answer's key, ``U`` the asker's user id):
``gpubot:pick:<gpu id or #index>:K:U`` · ``gpubot:all:K`` · ``gpubot:vote:<1|-1>:K`` · ``gpubot:del:K:U`` ·
``gpubot:prev:K:<page>`` · ``gpubot:next:K:<page>`` · ``gpubot:pageno:K:<page>`` (the disabled "n/N").
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast

import discord

from bot.button_store import ButtonState, ButtonStore, new_key
from bot.discord_pages import answer_pages
from bot.render_discord import answer_embeds, pack_embeds

if TYPE_CHECKING:
    from bot.answer import Answer
    from bot.config import Settings
    from bot.engine import Engine

__all__ = ["DYNAMIC_ITEMS", "ButtonHost", "build_view", "full_embeds", "present"]

log = logging.getLogger(__name__)

MAX_PICK_BUTTONS = 20  # 4 rows of 5; the last row holds Show all, 👍/👎 and 🗑
#: The button that shows every spec of the answer's GPUs (the words a reply that hides fields points to).
SHOW_ALL_LABEL = "Show all"
CUSTOM_ID_LIMIT = 100
_KEY = r"(?P<key>[A-Za-z0-9_-]{4,24})"
_GPU = r"(?P<gpu>[a-z0-9][a-z0-9._+-]*|#\d+)"

GONE = (
    "Sorry, I no longer have what this button needs (the answer is from before a restart or an update). "
    "Please ask again and I'll answer afresh."
)
NOT_YOURS_PICK = "Only the person who asked can pick — ask your own question and I'll offer you the choice."
NOT_YOURS_DELETE = "Only the person who asked can delete this answer."


class ButtonHost(Protocol):
    """What the buttons need from the bot. ``bot.client.GpuBot`` is one; this module never imports it."""

    @property
    def settings(self) -> Settings: ...

    @property
    def engine(self) -> Engine: ...

    @property
    def buttons(self) -> ButtonStore: ...

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


def full_embeds(answer: Answer) -> list[discord.Embed]:
    """The answer with every field, for "Show all". The renderer shows every row of a table today; when it
    learns to show only the decisive fields by default, this is the one call to give its "full" form."""
    return answer_embeds(answer)


def present(
    host: ButtonHost, answer: Answer, *, author_id: int, ephemeral: bool = False, full: bool = False
) -> tuple[list[list[discord.Embed]], discord.ui.View, ButtonState]:
    """The messages of ``answer`` (only the first page of a paged list), the buttons for the first message
    and their state, saved for clicks in this process and after a restart."""
    render = full_embeds if full else answer_embeds
    embeds = render(answer)
    pages = answer_pages(answer, render, embeds)
    messages = [pages[0]] if pages else pack_embeds(embeds)
    state = ButtonState(
        key=new_key(),
        author_id=author_id,
        question=answer.question,
        intent=answer.intent,
        gpus=list(answer.gpus),
        choices=[(c.gpu, c.label) for c in answer.choices],
        all_specs=not full and answer.intent in {"compare", "lookup"} and bool(answer.gpus),
        ephemeral=ephemeral,
        pages=[[dict(e.to_dict()) for e in page] for page in pages] if pages else None,
    )
    host.buttons.remember(state)
    return messages, build_view(state), state


def build_view(state: ButtonState, *, page: int = 1) -> discord.ui.View:
    """The buttons of an answer, showing ``page`` of a paged list. Rows: picks, then ◀ n/N ▶, then the actions."""
    view = discord.ui.View(timeout=None)
    pages = state.page_count
    picks = state.choices[: MAX_PICK_BUTTONS - (5 if pages > 1 else 0)]
    for i, (gpu, label) in enumerate(picks):
        view.add_item(PickButton(_pick_ref(gpu, i, state), state.key, state.author_id, label=label, row=i // 5))
    row = -(-len(picks) // 5)
    if pages > 1:
        view.add_item(PageButton("prev", state.key, max(1, page - 1), disabled=page <= 1, row=row))
        view.add_item(PageCount(state.key, page, pages, row=row))
        view.add_item(PageButton("next", state.key, min(pages, page + 1), disabled=page >= pages, row=row))
        row += 1
    if state.all_specs:
        view.add_item(AllSpecsButton(state.key, row=row))
    for vote in (1, -1):
        view.add_item(VoteButton(vote, state.key, row=row))
    if not state.ephemeral:
        view.add_item(DeleteButton(state.key, state.author_id, row=row))
    return view


def _pick_ref(gpu: str, index: int, state: ButtonState) -> str:
    """The GPU id in the pick's ``custom_id``, or its index among the choices when the id would not fit."""
    full = f"gpubot:pick:{gpu}:{state.key}:{state.author_id}"
    return gpu if len(full) <= CUSTOM_ID_LIMIT and re.fullmatch(_GPU, gpu) else f"#{index}"


def _host(interaction: discord.Interaction[Any]) -> ButtonHost:
    return cast("ButtonHost", interaction.client)


async def _gone(interaction: discord.Interaction[Any], dead: Callable[[str], bool], text: str = GONE) -> None:
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


def _needs_state(key: str) -> Callable[[str], bool]:
    """The buttons of answer ``key`` that cannot work without its state (votes and 🗑 still can)."""
    return lambda custom_id: f":{key}" in custom_id and not custom_id.startswith(("gpubot:vote:", "gpubot:del:"))


async def _send_rest(
    interaction: discord.Interaction[Any], host: ButtonHost, rest: list[list[discord.Embed]], state: ButtonState
) -> None:
    """The further messages of a long answer, as follow-ups; their ids are kept so 🗑 deletes them too."""
    for embeds in rest:
        sent = await interaction.followup.send(embeds=embeds, ephemeral=state.ephemeral, wait=True)
        state.messages.append(sent.id)
    if rest:
        host.buttons.remember(state)


class _Button(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"(?!)"):
    """Shared by every answer button: the click is work in flight, and a failure gets an apology."""

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        host = _host(interaction)
        host.track()
        try:
            await self.handle(interaction, host)
        except Exception:
            log.exception("button %s failed", self.custom_id)
            await host.apologise(interaction)

    async def handle(self, interaction: discord.Interaction[Any], host: ButtonHost) -> None:
        raise NotImplementedError


class PickButton(_Button, template=rf"gpubot:pick:{_GPU}:{_KEY}:(?P<author>\d+)"):
    """One GPU of a clarifying question: answers the original question for it, in place (asker only)."""

    def __init__(self, gpu: str, key: str, author_id: int, *, label: str = "", row: int | None = None) -> None:
        self.gpu, self.key, self.author_id = gpu, key, author_id
        custom_id = f"gpubot:pick:{gpu}:{key}:{author_id}"
        super().__init__(
            discord.ui.Button(
                label=(label or gpu)[:80], style=discord.ButtonStyle.primary, custom_id=custom_id, row=row
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PickButton:
        return cls(match["gpu"], match["key"], int(match["author"]), label=getattr(item, "label", "") or "")

    async def handle(self, interaction: discord.Interaction[Any], host: ButtonHost) -> None:
        if interaction.user.id != self.author_id:
            await interaction.response.send_message(NOT_YOURS_PICK, ephemeral=True)
            return
        state = await host.buttons.recall(self.key)
        if state is None:
            await _gone(interaction, _needs_state(self.key))
            return
        gpu = self.gpu
        if gpu.startswith("#"):
            index = int(gpu[1:])
            gpu = state.choices[index][0] if index < len(state.choices) else ""
        if gpu not in host.engine.catalog.gpus:
            text = "That GPU is no longer in my catalog — please ask again."
            await _gone(interaction, lambda custom_id: custom_id == self.custom_id, text)
            return
        answer = host.engine.choose(state.question, gpu)
        messages, view, picked = present(host, answer, author_id=self.author_id, ephemeral=state.ephemeral)
        await interaction.response.edit_message(content=None, embeds=messages[0], view=view)
        await _send_rest(interaction, host, messages[1:], picked)
        # Logged once sent: a click whose answer never arrived leaves the error line, not an "answered" row.
        host.log_answer(f"{state.question} [{gpu}]", answer, 0.0, interaction=interaction)


class AllSpecsButton(_Button, template=rf"gpubot:all:{_KEY}"):
    """Show all: every spec of the answer's GPUs, as a new message (paged when long)."""

    def __init__(self, key: str, *, row: int | None = None) -> None:
        self.key = key
        button: discord.ui.Button[Any] = discord.ui.Button(
            label=SHOW_ALL_LABEL, style=discord.ButtonStyle.secondary, custom_id=f"gpubot:all:{key}", row=row
        )
        super().__init__(button)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> AllSpecsButton:
        return cls(match["key"])

    async def handle(self, interaction: discord.Interaction[Any], host: ButtonHost) -> None:
        state = await host.buttons.recall(self.key)
        gpus = [g for g in state.gpus if g in host.engine.catalog.gpus] if state is not None else []
        if state is None or not gpus:
            await _gone(interaction, _needs_state(self.key))
            return
        answer = host.engine.all_specs(gpus, question=state.question)
        messages, view, shown = present(
            host, answer, author_id=interaction.user.id, ephemeral=state.ephemeral, full=True
        )
        await interaction.response.send_message(embeds=messages[0], view=view, ephemeral=state.ephemeral)
        await _send_rest(interaction, host, messages[1:], shown)
        host.log_answer(f"{state.question} [all specs]", answer, 0.0, interaction=interaction)


VOTED: dict[tuple[str, int], str] = {
    ("added", 1): "Thanks for the 👍! (Click it again to take it back.)",
    ("added", -1): "Thanks for the 👎 — it helps me find what to fix. (Click it again to take it back.)",
    ("removed", 1): "Your 👍 is taken back.",
    ("removed", -1): "Your 👎 is taken back.",
    ("changed", 1): "Changed your vote to 👍.",
    ("changed", -1): "Changed your vote to 👎.",
}


class VoteButton(_Button, template=rf"gpubot:vote:(?P<vote>-?1)(?::{_KEY})?"):
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


class DeleteButton(_Button, template=rf"gpubot:del:{_KEY}:(?P<author>\d+)"):
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
            with contextlib.suppress(discord.NotFound):  # already deleted by hand
                await interaction.client.http.delete_message(interaction.channel_id, message_id)


class PageButton(_Button, template=rf"gpubot:(?P<way>prev|next):{_KEY}:(?P<page>\d+)"):
    """◀ ▶: turns the asker's message to that page; anyone else gets the page for themselves (ephemeral)."""

    def __init__(self, way: str, key: str, page: int, *, disabled: bool = False, row: int | None = None) -> None:
        self.way, self.key, self.page = way, key, page
        emoji = "◀️" if way == "prev" else "▶️"
        custom_id = f"gpubot:{way}:{key}:{page}"
        button: discord.ui.Button[Any] = discord.ui.Button(
            emoji=emoji, style=discord.ButtonStyle.secondary, custom_id=custom_id, disabled=disabled, row=row
        )
        super().__init__(button)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PageButton:
        return cls(match["way"], match["key"], int(match["page"]))

    async def handle(self, interaction: discord.Interaction[Any], host: ButtonHost) -> None:
        state = await host.buttons.recall(self.key)
        if state is None or not state.pages:
            await _gone(interaction, _needs_state(self.key))
            return
        page = min(max(self.page, 1), state.page_count)
        embeds = [discord.Embed.from_dict(e) for e in state.pages[page - 1]]
        view = build_view(state, page=page)
        message = interaction.message
        if message is not None and (message.flags.ephemeral or interaction.user.id == state.author_id):
            await interaction.response.edit_message(embeds=embeds, view=view)
        else:  # someone else's answer: their own copy, so nobody turns the asker's pages from under them
            mine = ButtonState(**{**_fields(state), "ephemeral": True, "author_id": interaction.user.id})
            await interaction.response.send_message(embeds=embeds, view=build_view(mine, page=page), ephemeral=True)


class PageCount(_Button, template=rf"gpubot:pageno:{_KEY}:(?P<page>\d+)"):
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


class LegacyButton(_Button, template=r"gpubot:(?:pick:[^:]+|all)"):
    """A pick or "All specs" button from before answer keys: what it needs was never saved."""

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> LegacyButton:
        assert isinstance(item, discord.ui.Button)  # noqa: S101 - the template only matches buttons' ids
        return cls(item)

    async def handle(self, interaction: discord.Interaction[Any], host: ButtonHost) -> None:
        await _gone(
            interaction,
            lambda custom_id: self.__class__.__discord_ui_compiled_template__.fullmatch(custom_id) is not None,
        )


def _fields(state: ButtonState) -> dict[str, Any]:
    return {name: getattr(state, name) for name in state.__dataclass_fields__}


#: Registered at start (``bot.add_dynamic_items``); their templates never match the same ``custom_id``.
DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    PickButton,
    AllSpecsButton,
    VoteButton,
    DeleteButton,
    PageButton,
    PageCount,
    LegacyButton,
)
