"""Numbers that count something else, not GPU names: "it has 6000 less cuda cores", "10496 shaders".

A bare number the matcher took for a card ("6000": an RTX 6000 of some kind) is a quantity when a count noun
follows it, maybe after a comparative ("6000 fewer cuda cores", "2000 more mhz"). The nouns are data
(``words.quantity_nouns`` in ``specs/lexicon.yaml``).
"""

from __future__ import annotations

from bot.lexicon import PhraseSet
from bot.mentions import MatchResult

__all__ = ["drop_quantities"]

_COMPARATIVES = frozenset(["more", "less", "fewer", "extra", "additional", "higher", "lower"])


def drop_quantities(match: MatchResult, nouns: PhraseSet) -> None:
    """Drop the mentions that are only a number followed by a count noun."""
    match.mentions = [m for m in match.mentions if not (m.text.isdigit() and _counts(match.words, m.end, nouns))]


def _counts(words: list[str], end: int, nouns: PhraseSet) -> bool:
    k = end + (1 if end < len(words) and words[end] in _COMPARATIVES else 0)
    hit = nouns.first(" ".join(words[k : k + 3]))
    return hit is not None and hit.start == 0
