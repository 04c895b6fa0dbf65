"""The presentation-neutral answer object every front end renders.

The composer fills an :class:`Answer`; ``bot.render`` turns it into plain text or JSON, and the
Discord renderer turns the same object into embeds and buttons. The answer never renders itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.parser import Intent

__all__ = ["Answer", "Choice", "Fact", "Row", "Table"]


@dataclass(frozen=True, slots=True)
class Fact:
    """One catalog value the answer cites."""

    gpu: str
    field: str
    value: Any
    unit: str

    def to_json(self) -> dict[str, Any]:
        return {"gpu": self.gpu, "field": self.field, "value": self.value, "unit": self.unit}


@dataclass(frozen=True, slots=True)
class Choice:
    """A GPU offered in a clarifying question."""

    gpu: str
    label: str


@dataclass(frozen=True, slots=True)
class Row:
    """One field of a side-by-side table."""

    field: str
    label: str
    cells: tuple[str, ...]
    winner: int | None = None  # index into the table's columns, None for no winner / a tie
    ratio: str | None = None  # "1.75× the CUDA cores"


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[str, ...]  # GPU display names
    gpu_ids: tuple[str, ...]
    rows: tuple[Row, ...]


@dataclass(slots=True)
class Answer:
    question: str
    intent: Intent
    title: str
    summary: str = ""
    gpus: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    table: Table | None = None
    bullets: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    recommendation: str | None = None
    choices: list[Choice] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    fit: dict[str, Any] | None = None
    answered: bool = True  # False: the bot could not answer (logged as unanswered)
    kind: str = ""  # the request kind that was answered (the query log; not in the JSON shape)
    rule: str = ""  # the understanding rule that built the request

    _cited: set[tuple[str, str]] = field(default_factory=set, repr=False)

    def cite(self, gpu: str, key: str, value: Any, unit: str) -> None:
        if (gpu, key) not in self._cited:
            self._cited.add((gpu, key))
            self.facts.append(Fact(gpu, key, value, unit))

    @property
    def summary_line(self) -> str:
        """A one-line digest for the query log."""
        line = self.summary or self.title
        line = " ".join(line.split())
        return line if len(line) <= 200 else line[:199] + "…"
