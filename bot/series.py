"""Product series named as a group: "RX 9000 series", "rtx 40 series", "the 16xx cards", "30-series".

A series is no card of its own: read as one, "7800 series" became the Radeon PRO W7800 and "RX 9000 series" an
unknown "9000". :class:`SeriesIndex` finds such names in the matcher's words and puts one mention in their place:
the catalog's consumer cards of that series (laptop GPUs when the question is about laptops), resolved when
there is one, a choice among them when there are several, and an unknown name when the catalog has none.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping
from itertools import islice

from bot.bounds import MAX_MENTIONS
from bot.catalog_model import GPU
from bot.mentions import GpuMention, MatchResult
from bot.text import normalize

__all__ = ["SeriesIndex", "is_series"]

# A brand, a number and a group marker: "rtx 40 series", "rx 7000 series", "16x x" (the normaliser splits "16xx"),
# "rtx30xx", "4x xx cards", "gtx 10 series", "rtx 40s", "rx 6000s".
_SERIES = re.compile(
    r"(?<!\S)(?:(?:nvidia|amd|geforce|radeon) )?(?:(?P<brand>rtx|gtx|rx) ?)?(?P<num>\d{1,4})"
    r"(?:(?P<xs> ?x(?: ?x){1,2})|(?P<s>s)|(?: (?P<word>series|lineup|generation|gen)))(?!\S)"
)
# What every series name holds: a number, then its group marker ("40 series", "16x x", "rtx30xx", "40s").
_MARKER_HINT = re.compile(r"\d(?: ?x ?x|s(?!\S)| (?:series|lineup|generation|gen)(?!\S))")
# The name of a card in a numbered consumer line: "geforce rtx 4090", "radeon rx 7900 xtx".
_LINE = re.compile(r"\b(rtx|gtx|rx) (\d{4})\b")
_VENDOR_OF_BRAND = {"rtx": "nvidia", "gtx": "nvidia", "rx": "amd"}
_LAPTOP_WORDS = frozenset(["laptop", "laptops", "mobile", "notebook", "notebooks"])
#: The words a series mention's text ends with; :func:`is_series` tells a series from a card by them.
_MARKERS = ("series", "lineup", "generation", "gen", "x", "s")


def is_series(mention: GpuMention) -> bool:
    """Whether a mention is a series named as a group rather than one card."""
    last = mention.text.rsplit(" ", 1)[-1]
    return last.endswith(_MARKERS) and any(ch.isdigit() for ch in mention.text)


class SeriesIndex:
    """The catalog's numbered consumer lines, built once: (vendor, model number) -> GPU ids, desktop and laptop."""

    def __init__(self, gpus: Mapping[str, GPU]) -> None:
        self._desktop: list[tuple[str, str, str]] = []
        self._laptop: list[tuple[str, str, str]] = []
        for gpu in gpus.values():
            segment = gpu.get("market_segment")
            line = _LINE.search(normalize(gpu.name))
            if line is None or segment not in ("consumer", "laptop"):
                continue
            entry = (_VENDOR_OF_BRAND[line.group(1)], line.group(2), gpu.id)
            (self._laptop if segment == "laptop" else self._desktop).append(entry)

    def cards(self, prefix: str, brand: str | None, *, laptop: bool) -> list[str]:
        """The cards whose model number starts with ``prefix``, of the brand's vendor when one is named."""
        vendor = _VENDOR_OF_BRAND.get(brand or "")
        lines = self._laptop if laptop else self._desktop
        return [gid for v, number, gid in lines if number.startswith(prefix) and vendor in (None, v)]

    def apply(self, match: MatchResult) -> MatchResult:
        """``match`` with every series name read as its group, replacing the card mentions inside it."""
        joined = " ".join(match.words)
        if _MARKER_HINT.search(joined) is None:
            return match  # no number with a group marker after it: no series (most questions)
        # The first MAX_MENTIONS series are all a question's names can hold (bot.bounds): bounded work.
        found = list(islice(((m, p) for m in _SERIES.finditer(joined) if (p := _prefix(m))), MAX_MENTIONS))
        if not found:
            return match
        starts = _word_starts(match.words)
        laptop = bool(_LAPTOP_WORDS & set(match.words))
        mentions = list(match.mentions)
        groups: list[GpuMention] = []
        for m, prefix in found:
            first, end = bisect_left(starts, m.start()), bisect_left(starts, m.end())
            mentions = [x for x in mentions if x.end <= first or x.start >= end]
            groups += _mentions(m.group(0), first, end, self.cards(prefix, m.group("brand"), laptop=laptop))
        if any(x.gpu or x.ambiguous for x in mentions):
            # "4060 ti or 3060 ti? heard the 40 series got cut down": beside cards named, a series is background.
            per_start = Counter(g.start for g in groups)
            groups = [g for g in groups if per_start[g.start] == 1]
        match.mentions = sorted([*mentions, *groups], key=lambda x: x.start)
        return match


def _prefix(m: re.Match[str]) -> str | None:
    """The model-number prefix a series name stands for, or None when it is no series ("3090s" are 3090s)."""
    num, xs = m.group("num"), m.group("xs")
    if xs is not None:
        width = len(num) + xs.count("x")
        return num if width == 4 else None
    if len(num) == 2 and num[0] != "0":
        return num  # "rtx 40 series", "30 series", "40s": NVIDIA's series by their first two digits
    if len(num) == 4 and (m.group("word") or num.endswith("000")):
        return num.rstrip("0")  # "rx 7000 series", "7800 series", "rx 6000s"
    return None


def _mentions(text: str, start: int, end: int, ids: list[str]) -> list[GpuMention]:
    """One resolved mention per card of the series, all on the series' words; an unknown name when it has none."""
    if not ids:
        return [GpuMention(text=text, start=start, end=end)]
    return [GpuMention(text=text, start=start, end=end, gpu=gid) for gid in ids]


def _word_starts(words: list[str]) -> list[int]:
    starts, at = [], 0
    for w in words:
        starts.append(at)
        at += len(w) + 1
    return starts
