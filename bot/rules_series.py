"""Rules for a product series named as a group ("rtx 40 series vram", "rx 7000 series specs").

:mod:`bot.series` reads the series as its cards; a look-up or comparison over more cards than a comparison
shows becomes a list of the series' cards instead of the first four.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.evidence import Evidence
from bot.request import MAX_COMPARE, Kind, Query
from bot.series import is_series

__all__ = ["SeriesRules"]


class SeriesRules:
    """The series rules; ``build`` makes a request with every slot the evidence fills."""

    def __init__(self, build: Callable[[Evidence, Kind], Query]) -> None:
        self._build = build

    def series_list(self, ev: Evidence) -> Query | None:
        """A look-up of a whole series: its cards listed by the field asked (memory when none is)."""
        series = [m.gpu for m in ev.match.mentions if m.gpu and is_series(m)]
        asks_more = ev.workload or ev.rank_word or ev.formats_asked or ev.has("recommend") or ev.budget_usd
        if len(series) <= MAX_COMPARE or asks_more or ev.model is not None:
            return None
        q = self._build(ev, "list")
        q.listing = True
        q.rank_field = next(iter(q.fields), "memory_gb")
        return q

    def series_pick(self, ev: Evidence) -> Query | None:
        """ "which rtx 40 series card for llms?": the pick among all of the series' cards, not its first four."""
        series = [m.gpu for m in ev.match.mentions if m.gpu and is_series(m)]
        asks = ev.workload or ev.has("recommend") or ev.budget_usd is not None
        if len(series) <= MAX_COMPARE or not asks or ev.model is not None or ev.formats_asked:
            return None
        return self._build(ev, "verdict")
