"""The presentation-neutral answer object every front end renders.

The composer fills an :class:`Answer`; ``bot.render`` turns it into plain text or JSON, and the
Discord renderer turns the same object into embeds and buttons. The answer never renders itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from bot.parser import Intent

__all__ = ["Answer", "Chart", "ChartKind", "Choice", "Fact", "Row", "Series", "Table"]


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


ChartKind = Literal["bars", "ranking", "memory"]


@dataclass(frozen=True, slots=True)
class Series:
    """One measure across a chart's items: a spec across GPUs, or a memory term's size."""

    label: str  # "Memory", "Memory bandwidth", "weights"
    unit: str  # "GB", "GB/s"
    values: tuple[float | None, ...]  # one per item; None where unknown
    texts: tuple[str, ...]  # the values as the answer prints them ("48 GB", "unknown")
    winner: int | None = None  # index of the item that wins this measure, None for a tie or no ordering
    better: str | None = None  # "higher", "lower" or None


@dataclass(frozen=True, slots=True)
class Chart:
    """The data behind an answer's picture; a renderer (:mod:`bot.render_chart`) draws it.

    ``bars``: each series a spec across ``items`` (GPU names), drawn as bars relative to the best.
    ``ranking``: one series, ``items`` in ranked order. ``memory``: ``items`` are the estimate's terms, one series
    of their sizes, stacked against ``capacity`` (the memory the cards really offer).
    """

    kind: ChartKind
    title: str
    items: tuple[str, ...]
    series: tuple[Series, ...]
    capacity: float | None = None
    capacity_label: str = ""
    winner: int | None = None  # the item the answer picks or leads with, None when none


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
    chart: Chart | None = None  # the data for a picture (comparisons, rankings, fits); not in the JSON shape
    full: bool = False  # the question asked for everything ("full specs"): a reply shows it all
    focus: list[str] = field(default_factory=list)  # the table's fields that decide the question, most telling first
    note_fields: dict[str, str] = field(default_factory=dict)  # a catalog note's text -> the field it is about
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
