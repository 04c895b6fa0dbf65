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

import copy
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.button_store import ButtonState, new_key
from bot.conversation import conversation_key
from bot.discord_button_kit import (
    CUSTOM_ID_LIMIT,
    KEY,
    AnswerButton,
    ButtonHost,
    DeleteButton,
    LegacyButton,
    PageCount,
    VoteButton,
    gone,
    needs_state,
)
from bot.discord_pages import answer_pages
from bot.glance import glance
from bot.render_discord import answer_embeds, pack_embeds

if TYPE_CHECKING:
    from bot.answer import Answer

__all__ = ["CUSTOM_ID_LIMIT", "DYNAMIC_ITEMS", "ButtonHost", "build_view", "full_embeds", "offers_show_all", "present"]

MAX_PICK_BUTTONS = 20  # 4 rows of 5; the last row holds Show all, 👍/👎 and 🗑
#: The button that shows every spec of the answer's GPUs (the words a reply that hides fields points to).
SHOW_ALL_LABEL = "Show all"
_GPU = r"(?P<gpu>[a-z0-9][a-z0-9._+-]*|#\d+)"
NOT_YOURS_PICK = "Only the person who asked can pick — ask your own question and I'll offer you the choice."


def full_embeds(answer: Answer) -> list[discord.Embed]:
    """The answer with every field, point and note, for "Show all" (by default a reply shows what decides the
    question: :mod:`bot.glance`)."""
    return answer_embeds(answer, full=True)


def offers_show_all(answer: Answer) -> bool:
    """ "Show all" under an answer: every spec of the GPUs compared or looked up, or the parts of any other
    answer that a glance leaves out."""
    return (answer.intent in {"compare", "lookup"} and bool(answer.gpus)) or bool(glance(answer).hidden)


def present(
    host: ButtonHost,
    answer: Answer,
    *,
    author_id: int,
    ephemeral: bool = False,
    full: bool = False,
    chart: str | None = None,
) -> tuple[list[list[discord.Embed]], discord.ui.View, ButtonState]:
    """The messages of ``answer`` (only the first page of a paged list), the buttons for the first message
    and their state, saved for clicks in this process and after a restart. ``chart``: the attached picture's
    name, shown by the first embed."""

    def render(shown: Answer) -> list[discord.Embed]:
        return answer_embeds(shown, full, chart=chart)

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
        all_specs=not full and offers_show_all(answer),
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


async def _send_rest(
    interaction: discord.Interaction[Any], host: ButtonHost, rest: list[list[discord.Embed]], state: ButtonState
) -> None:
    """The further messages of a long answer, as follow-ups; their ids are kept so 🗑 deletes them too."""
    for embeds in rest:
        sent = await interaction.followup.send(embeds=embeds, ephemeral=state.ephemeral, wait=True)
        state.messages.append(sent.id)
    if rest:
        host.buttons.remember(state)


class PickButton(AnswerButton, template=rf"gpubot:pick:{_GPU}:{KEY}:(?P<author>\d+)"):
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
            await gone(interaction, needs_state(self.key))
            return
        gpu = self.gpu
        if gpu.startswith("#"):
            index = int(gpu[1:])
            gpu = state.choices[index][0] if index < len(state.choices) else ""
        hub_model = "/" in gpu and gpu in host.engine.models  # a Hugging Face model offered for a name (bot/hub_ask.py)
        if gpu not in host.engine.catalog.gpus and not hub_model:
            text = "That GPU is no longer in my catalog — please ask again."
            await gone(interaction, lambda custom_id: custom_id == self.custom_id, text)
            return
        # The pick continues the asker's conversation in this channel ("and the rtx 6000?" after a fit answer).
        key = conversation_key(interaction.user.id, interaction.channel_id)
        answer = host.conversations.choose(key, state.question, gpu)
        messages, view, picked = present(host, answer, author_id=self.author_id, ephemeral=state.ephemeral)
        await interaction.response.edit_message(content=None, embeds=messages[0], view=view)
        await _send_rest(interaction, host, messages[1:], picked)
        # Logged once sent: a click whose answer never arrived leaves the error line, not an "answered" row.
        host.log_answer(f"{state.question} [{gpu}]", answer, 0.0, interaction=interaction)


class AllSpecsButton(AnswerButton, template=rf"gpubot:all:{KEY}"):
    """Show all: every spec of the answer's GPUs (any other answer: all of it), as a new message (paged when
    long): in the channel for the asker, for themselves alone (ephemeral) for anyone else."""

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
        specs = state is not None and state.intent in {"compare", "lookup"}
        if state is None or (specs and not gpus):
            await gone(interaction, needs_state(self.key))
            return
        answer = host.engine.all_specs(gpus, question=state.question) if specs else _again(host, interaction, state)
        # The asker's click answers the channel; anyone else's answers them alone (no pile of copies).
        private = state.ephemeral or interaction.user.id != state.author_id
        messages, view, shown = present(host, answer, author_id=interaction.user.id, ephemeral=private, full=True)
        await interaction.response.send_message(embeds=messages[0], view=view, ephemeral=private)
        await _send_rest(interaction, host, messages[1:], shown)
        host.log_answer(f"{state.question} [all specs]", answer, 0.0, interaction=interaction)


def _again(host: ButtonHost, interaction: discord.Interaction[Any], state: ButtonState) -> Answer:
    """Any other answer, to be shown whole: the request behind its message as the conversation continued it
    (a follow-up's), else its question asked again (the engine answers alike)."""
    message = interaction.message
    query = host.conversations.store.message(message.id) if message is not None else None
    return host.engine.answer(copy.deepcopy(query)) if query is not None else host.engine.ask(state.question)


class PageButton(AnswerButton, template=rf"gpubot:(?P<way>prev|next):{KEY}:(?P<page>\d+)"):
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
            await gone(interaction, needs_state(self.key))
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
