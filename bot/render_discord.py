"""Discord renderer: an :class:`~bot.answer.Answer` as embeds that always fit Discord's limits.

Limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits): content
2000 characters; per embed a 256-character title, 4096-character description, 25 fields (256-character
names, 1024-character values) and a 2048-character footer; 6000 characters across all embeds of
one message, and at most 10 embeds per message. Long answers are split across embeds and
messages, never truncated silently and never rejected.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import urlparse

import discord

from bot.answer import Answer, Row
from bot.glance import Glance, glance, hidden_text

__all__ = [
    "CONTENT_LIMIT",
    "EMBED_TOTAL_LIMIT",
    "SHOW_ALL",
    "answer_embeds",
    "embed_size",
    "pack_embeds",
    "split_text",
]

CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELDS_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
EMBEDS_PER_MESSAGE = 10

COLOURS = {
    "lookup": 0x5865F2,
    "compare": 0x57F287,
    "recommend": 0xFEE75C,
    "faq": 0xEB459E,
    "clarify": 0xFAA61A,
    "fits": 0x99AAB5,
    "unknown": 0x99AAB5,
}
WIN = "✅"
#: The label of the button that shows the whole answer (``answer_embeds(..., full=True)``).
SHOW_ALL = "Show all"


def split_text(text: str, limit: int) -> list[str]:
    """Split ``text`` into chunks of at most ``limit`` characters, at line breaks where possible,
    then at spaces, and only as a last resort inside a word."""
    text = text.strip()
    if not text:
        return []
    chunks: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit + 1)
        if cut < limit // 3:
            cut = text.rfind(" ", 0, limit + 1)
        if cut < limit // 3:
            cut = limit
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        chunks.append(text)
    return chunks


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def embed_size(embed: discord.Embed) -> int:
    return len(embed)


def _footer(sources: Sequence[str]) -> str:
    if not sources:
        return "GPU Advisor · specs from vendor datasheets"
    hosts: list[str] = []
    for url in sources:
        host = urlparse(url).netloc.removeprefix("www.") or url
        if host not in hosts:
            hosts.append(host)
    text = "Source: " + sources[0]
    if len(sources) > 1:
        text += f" (+{len(sources) - 1} more: {', '.join(hosts[:4])})"
    return _clip(text, FOOTER_LIMIT)


def _row_field(row: Row, columns: Sequence[str]) -> tuple[str, str]:
    if len(columns) == 1:
        return _clip(row.label, FIELD_NAME_LIMIT), _clip(row.cells[0], FIELD_VALUE_LIMIT)
    lines = []
    for i, (col, cell) in enumerate(zip(columns, row.cells, strict=True)):
        mark = f" {WIN}" if row.winner == i else ""
        lines.append(f"{col}: **{cell}**{mark}" if row.winner == i else f"{col}: {cell}")
    return _clip(row.label, FIELD_NAME_LIMIT), _clip("\n".join(lines), FIELD_VALUE_LIMIT)


def _listing(answer: Answer) -> str:
    """A ranking (one column, a row per GPU) as numbered lines: "1. **RTX A6000** — 48 GB"."""
    table = answer.table
    if table is None or len(table.columns) != 1 or not len(table.gpu_ids) == len(table.rows) > 1:
        return ""
    return "\n".join(f"{i}. **{row.label}** — {row.cells[0]}" for i, row in enumerate(table.rows, 1))


def _description(answer: Answer, view: Glance, full: bool) -> str:
    """The verdict first, then the few points and notes that bear on it, then what "show all" adds."""
    parts = []
    if answer.summary:
        parts.append(answer.summary)
    if listing := _listing(answer):
        parts.append(listing)
    if view.bullets:
        parts.append("\n".join(f"• {b}" for b in view.bullets))
    if answer.examples:
        parts.append("Try: " + " · ".join(f"`{e}`" for e in answer.examples))
    if view.notes and not full:  # the whole answer's notes follow its fields instead
        parts.append("\n".join(f"-# Note: {n}" for n in view.notes))
    if more := hidden_text(view):
        parts.append(f"-# {more} under “{SHOW_ALL}”.")
    return "\n\n".join(parts)


def answer_embeds(answer: Answer, full: bool = False, *, chart: str | None = None) -> list[discord.Embed]:
    """Every part of the answer as embeds, each within the per-embed limits.

    By default the reply reads at a glance (:mod:`bot.glance`): the verdict, at most eight fields that decide
    the question and two notes that bear on it; ``full`` shows every field, point and note. ``chart`` names the
    attached picture (``chart.png``), shown as the first embed's image."""
    full = full or answer.full
    view = glance(answer, full=full)
    colour = COLOURS.get(answer.intent, 0x5865F2)
    footer = _footer(answer.sources)
    title = _clip(answer.title, TITLE_LIMIT)
    embeds: list[discord.Embed] = []

    def new(cont: bool = False) -> discord.Embed:
        embed = discord.Embed(title=title + (" (continued)" if cont else ""), colour=colour)
        embed.title = _clip(embed.title or "", TITLE_LIMIT)
        embeds.append(embed)
        return embed

    description = split_text(_description(answer, view, full), DESCRIPTION_LIMIT) or [""]
    current = new()
    current.description = description[0] or None
    for chunk in description[1:]:
        current = new(cont=True)
        current.description = chunk

    fields: list[tuple[str, str, bool]] = []
    if answer.table is not None and not _listing(answer):
        inline = len(answer.table.columns) <= 3
        for row in view.rows:
            name, value = _row_field(row, answer.table.columns)
            fields.append((name, value, inline))
    for note in view.notes if full else ():
        for i, piece in enumerate(split_text(note, FIELD_VALUE_LIMIT)):
            fields.append(("Note" if i == 0 else "Note (continued)", piece, False))
    size = len(current)
    count = len(current.fields)
    for name, value, inline in fields:
        if count >= FIELDS_LIMIT or size + len(name) + len(value) > EMBED_TOTAL_LIMIT - 200:
            current = new(cont=True)
            size, count = len(current), 0
        current.add_field(name=name, value=value or "—", inline=inline)
        size += len(name) + len(value or "—")
        count += 1
    for embed in embeds:
        embed.set_footer(text=footer)
    if chart:
        embeds[0].set_image(url=f"attachment://{chart}")
    return embeds


def pack_embeds(embeds: Iterable[discord.Embed]) -> list[list[discord.Embed]]:
    """Group embeds into messages of at most 10 embeds and 6000 characters each."""
    messages: list[list[discord.Embed]] = []
    current: list[discord.Embed] = []
    size = 0
    for embed in embeds:
        n = len(embed)
        if current and (len(current) >= EMBEDS_PER_MESSAGE or size + n > EMBED_TOTAL_LIMIT):
            messages.append(current)
            current, size = [], 0
        current.append(embed)
        size += n
    if current:
        messages.append(current)
    return messages
