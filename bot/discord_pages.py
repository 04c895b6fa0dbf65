"""Pages for lists too long for one embed: a ranking, a catalog list, every spec of four GPUs.

An answer whose table does not fit in one embed is cut into pages of at most :data:`PAGE_ROWS` rows, each
page one message of the renderer's own embeds (the same fields, marks and footer), turned with ◀ ▶. The
first page carries the whole description and the notes; the others repeat the title and summary so each
reads on its own. Text that is long without being a list (a long FAQ answer) is not paged: it goes out
over several messages as before.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import discord

from bot.answer import Answer
from bot.render_discord import pack_embeds

__all__ = ["PAGE_ROWS", "answer_pages"]

PAGE_ROWS = 10  # rows per page: a list that reads at a glance

Render = Callable[[Answer], list[discord.Embed]]


def answer_pages(answer: Answer, render: Render) -> list[list[discord.Embed]] | None:
    """The pages of ``answer`` as rendered by ``render``, or None when it fits in one embed (or is not a list).

    Each page is one message; the rows per page halve until every page fits in one message, and when even
    one row per page does not (page one's notes alone fill a message), the answer is not paged.
    """
    table = answer.table
    if table is None or len(table.rows) < 2 or len(render(answer)) <= 1:
        return None
    size = PAGE_ROWS
    while size >= 1:
        pages = [render(_page(answer, start, size)) for start in range(0, len(table.rows), size)]
        if len(pages) > 1 and all(len(pack_embeds(page)) == 1 for page in pages):
            return pages
        size //= 2
    return None


def _page(answer: Answer, start: int, size: int) -> Answer:
    table = answer.table
    assert table is not None  # noqa: S101 - answer_pages checked it
    rows = dataclasses.replace(table, rows=table.rows[start : start + size])
    if start == 0:
        return dataclasses.replace(answer, table=rows)
    return dataclasses.replace(answer, table=rows, bullets=[], notes=[], examples=[])
