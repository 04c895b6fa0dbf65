"""Numbers that count something else, not GPU names: "it has 6000 less cuda cores", "10496 shaders"; and the model
numbers of hardware the catalog lacks ("a Ryzen 5 5600", "EPYC 7763": no RTX 5060 or A6000 of any kind).

A bare number the matcher took for a card ("6000": an RTX 6000 of some kind) is a quantity when a count noun
follows it, maybe after a comparative ("6000 fewer cuda cores", "2000 more mhz"). The nouns are data
(``words.quantity_nouns`` in ``specs/lexicon.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.lexicon import PhraseSet
from bot.mentions import MatchResult

__all__ = ["drop_inside_devices", "drop_quantities"]

_COMPARATIVES = frozenset(["more", "less", "fewer", "extra", "additional", "higher", "lower"])


def drop_quantities(match: MatchResult, nouns: PhraseSet) -> None:
    """Drop the mentions that are only a number followed by a count noun."""
    match.mentions = [m for m in match.mentions if not (m.text.isdigit() and _counts(match.words, m.end, nouns))]


def _counts(words: list[str], end: int, nouns: PhraseSet) -> bool:
    k = end + (1 if end < len(words) and words[end] in _COMPARATIVES else 0)
    hit = nouns.first(" ".join(words[k : k + 3]))
    return hit is not None and hit.start == 0


def drop_inside_devices(match: MatchResult, patterns: Iterable[re.Pattern[str]]) -> None:
    """Drop the mentions inside the name of hardware the catalog lacks (``specs/outside.yaml``, which lists no GPU):
    "ryzen 5 5600", "epyc 7763", "i9 13900k" name a CPU, not a card."""
    text = " ".join(match.words)
    spans = [hit.span() for p in patterns for hit in p.finditer(text)]
    if not spans:
        return
    starts, at = [], 0
    for word in match.words:
        starts.append(at)
        at += len(word) + 1

    def inside(start: int, end: int) -> bool:
        a, b = starts[start], starts[end - 1] + len(match.words[end - 1])
        return any(lo <= a and b <= hi for lo, hi in spans)

    match.mentions = [m for m in match.mentions if not (m.end > m.start and inside(m.start, m.end))]
