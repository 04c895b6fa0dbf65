"""What a reply shows at a glance, and what waits behind "show all": one rule for every renderer.

By default an answer leads with its verdict (title and summary), then at most :data:`MAX_FIELDS` table rows (the
fields that decide the question: :attr:`Answer.focus`), :data:`MAX_BULLETS` bullets and :data:`MAX_NOTES` notes
(those that bear on the question: caveats about the question itself, and the catalog's notes on the fields
asked; a note on a field nobody asked about is provenance, shown in full). ``full=True`` shows everything, the
comparison's ratio lines too.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answer import Answer, Row

__all__ = ["MAX_BULLETS", "MAX_FIELDS", "MAX_NOTES", "Glance", "bearing_notes", "glance", "hidden_text"]

MAX_FIELDS = 8
MAX_BULLETS = 6
MAX_NOTES = 2


@dataclass(frozen=True, slots=True)
class Glance:
    """The parts of an answer to show, and how many of each wait behind "show all"."""

    rows: tuple[Row, ...]
    bullets: tuple[str, ...]
    notes: tuple[str, ...]
    hidden_rows: int = 0
    hidden_bullets: int = 0
    hidden_notes: int = 0

    @property
    def hidden(self) -> int:
        return self.hidden_rows + self.hidden_bullets + self.hidden_notes


def _is_listing(answer: Answer) -> bool:
    """A ranking: one column, a row per GPU (shown whole; a long list pages rather than hides)."""
    table = answer.table
    return table is not None and len(table.columns) == 1 and len(table.gpu_ids) == len(table.rows) > 1


def _rows(answer: Answer, full: bool) -> tuple[tuple[Row, ...], int]:
    if answer.table is None:
        return (), 0
    rows = answer.table.rows
    if full or _is_listing(answer) or (answer.fields and len(rows) <= len(answer.fields)):
        return rows, 0  # everything, a ranking, or only the fields asked
    by_field = {r.field: r for r in rows}
    focus = [by_field[f] for f in answer.focus if f in by_field] if answer.focus else list(rows)
    shown = tuple(focus[:MAX_FIELDS])
    return shown, len(rows) - len(shown)


def bearing_notes(answer: Answer) -> list[str]:
    """The notes that bear on the question, in order: all but the catalog's notes on fields not asked."""
    return [n for n in answer.notes if n not in answer.note_fields or answer.note_fields[n] in answer.fields]


def glance(answer: Answer, *, full: bool = False) -> Glance:
    """The parts of ``answer`` a reply shows (``full``: all of them)."""
    full = full or answer.full
    rows, hidden_rows = _rows(answer, full)
    if full:
        ratios = [r.ratio for r in answer.table.rows if r.ratio] if answer.table is not None else []
        said = [r for r in ratios if r not in answer.bullets]  # each ratio once: the handler may have said it
        return Glance(rows, (*said, *answer.bullets), tuple(answer.notes))
    bearing = bearing_notes(answer)
    notes = tuple(bearing[:MAX_NOTES])
    # A clarifying question's points are its candidates: all of them (a long list pages, never hides).
    bullets = tuple(answer.bullets if answer.intent == "clarify" else answer.bullets[:MAX_BULLETS])
    return Glance(
        rows,
        bullets,
        notes,
        hidden_rows,
        len(answer.bullets) - len(bullets),
        len(answer.notes) - len(notes),
    )


def _plural(n: int, word: str) -> str:
    return f"{n} more {word}{'' if n == 1 else 's'}"


def hidden_text(view: Glance) -> str:
    """ "4 more fields and 3 more notes", or "" when nothing is hidden."""
    parts = [
        _plural(n, word)
        for n, word in ((view.hidden_rows, "field"), (view.hidden_bullets, "point"), (view.hidden_notes, "note"))
        if n
    ]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1] if parts else ""
