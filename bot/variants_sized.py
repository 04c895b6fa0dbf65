"""A card named with a memory size it does not come in: "rtx 3080 16gb vram" was the 10 GB desktop RTX 3080 (the full
name "rtx 3080" resolves at once, so the size after it was never weighed), "rtx 4060 16gb" the 8 GB RTX 4060. When the
size right after a resolved name (or after "with") is no memory of that card but is the memory of cards sharing its
model number, the mention becomes that card: the one adding the fewest variant words the question left unsaid (the
3080 Laptop GPU 16GB, not the 3080 Ti Laptop GPU; the 4060 Ti 16GB), or, when several tie, those cards to choose from.
A size no such card has ("rtx 4090 48gb", a modified board) leaves the name as it was read.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.catalog import Catalog
from bot.matcher_words import UNNAMED_VARIANTS
from bot.mentions import MatchResult

__all__ = ["sized_siblings"]

_SIZE = re.compile(r"^(\d+(?:\.\d+)?)gb$")
_LEADS = frozenset(["with", "has", "having"])


def sized_siblings(match: MatchResult, catalog: Catalog) -> None:
    """Replace, in place, each resolved mention followed by a size its card lacks and a sibling has."""
    words = match.words
    for k, m in enumerate(match.mentions):
        if m.gpu is None or m.gpu not in catalog.gpus:
            continue
        p = m.end + 1 if m.end < len(words) and words[m.end] in _LEADS else m.end
        size = _SIZE.match(words[p]) if p < len(words) else None
        if size is None or catalog.gpus[m.gpu].number("memory_gb") == float(size.group(1)):
            continue
        ids = _siblings_with(catalog, m.gpu, float(size.group(1)), set(words[m.start : p + 1]))
        if len(ids) == 1:
            match.mentions[k] = replace(m, gpu=ids[0], end=p + 1)
        elif ids:
            match.mentions[k] = replace(m, gpu=None, candidates=tuple(ids), end=p + 1)


def _siblings_with(catalog: Catalog, gpu: str, size: float, said: set[str]) -> list[str]:
    """The cards sharing ``gpu``'s model number ("3080") that have ``size`` GB, those adding the fewest unsaid variant
    words first and only."""
    number = next((t for t in gpu.split("-") if t.isdigit()), None)
    if number is None:
        return []
    lead = gpu.split("-")[0]
    hits = [
        g
        for g, spec in catalog.gpus.items()
        if g.split("-")[0] == lead and number in g.split("-") and spec.number("memory_gb") == size
    ]
    if not hits:
        return []
    unsaid = {g: len((set(g.split("-")) & UNNAMED_VARIANTS) - said) for g in hits}
    fewest = min(unsaid.values())
    return sorted(g for g in hits if unsaid[g] == fewest)
