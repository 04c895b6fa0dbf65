"""Pages for lists too long for one embed: a ranking, a catalog list, every spec of four GPUs.

An answer whose table does not fit in one embed is cut into pages of at most :data:`PAGE_ROWS` rows, each
page one message of the renderer's own embeds (the same fields, marks and footer), turned with ◀ ▶. The
first page carries the whole description; the others repeat the title and summary so each reads on its
own; the notes follow on pages of their own. Text that is long without being a list (a long FAQ answer)
is not paged: it goes out over several messages as before.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import discord

from bot.answer import Answer
from bot.render_discord import pack_embeds

__all__ = ["PAGE_ROWS", "answer_pages"]

PAGE_ROWS = 12  # rows per page: four lines of three inline fields, a list that reads at a glance
NOTES_PER_PAGE = 10
NOTE_CHARS_PER_PAGE = 4000  # an embed holds 6000 characters with its title, field names and footer

Render = Callable[[Answer], list[discord.Embed]]


def answer_pages(
    answer: Answer, render: Render, rendered: list[discord.Embed] | None = None
) -> list[list[discord.Embed]] | None:
    """The pages of ``answer`` as rendered by ``render``, or None when its list fits in one embed (or it has none).

    Each page is one message: the rows, :data:`PAGE_ROWS` to a page (halved until every page fits), then
    the notes on pages of their own. When even one row per page does not fit, the answer is not paged.
    ``rendered`` is ``render(answer)`` when the caller has it (most answers fit one embed: nothing more to do).
    """
    table = answer.table
    if table is None or len(table.rows) < 2 or len(rendered or render(answer)) <= 1:
        return None
    if answer.notes and len(render(dataclasses.replace(answer, notes=[]))) <= 1:
        return None  # the list fits in one embed; its notes spill into a second one of the same message
    notes = [render(_notes(answer, chunk)) for chunk in _note_chunks(answer.notes)]
    size = PAGE_ROWS
    while size >= 1:
        pages = [render(_rows(answer, start, size)) for start in range(0, len(table.rows), size)] + notes
        if len(pages) > 1 and all(len(pack_embeds(page)) == 1 for page in pages):
            return pages
        size //= 2
    return None


def _rows(answer: Answer, start: int, size: int) -> Answer:
    """A page of rows: the first with the whole description, the others with the title and summary."""
    table = answer.table
    assert table is not None  # noqa: S101 - answer_pages checked it
    rows = dataclasses.replace(table, rows=table.rows[start : start + size])
    if start == 0:
        return dataclasses.replace(answer, table=rows, notes=[])
    return dataclasses.replace(answer, table=rows, bullets=[], notes=[], examples=[])


def _notes(answer: Answer, notes: list[str]) -> Answer:
    return dataclasses.replace(answer, summary="", table=None, bullets=[], notes=notes, examples=[])


def _note_chunks(notes: list[str]) -> list[list[str]]:
    """The notes in page-sized groups: at most :data:`NOTES_PER_PAGE`, and well within one embed's 6000 characters."""
    chunks: list[list[str]] = []
    size = 0
    for note in notes:
        if not chunks or len(chunks[-1]) >= NOTES_PER_PAGE or size + len(note) > NOTE_CHARS_PER_PAGE:
            chunks.append([])
            size = 0
        chunks[-1].append(note)
        size += len(note)
    return chunks
