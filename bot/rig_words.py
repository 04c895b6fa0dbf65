"""Cards named as one rig ("a 3090 + a 3060", "a 3090 and a 4090 together") rather than as options ("3090 or
4090", "3090/4090"): a word that joins them, or a "+" between them, and no compare word between any two."""

from __future__ import annotations

import itertools

from bot.dimensions import joined_by_plus
from bot.evidence import Evidence
from bot.lexicon import Lexicon

__all__ = ["named_as_options", "named_together", "rig_joined"]

#: Words that join two card names into one rig ("a 3090 and a 3060", "a 4090 with a 3090").
_JOINERS = frozenset({"and", "with", "plus", "&"})


#: Words just before the first card that make the cards options: "decide between the RTX 4000 Ada and the A4500" (not
#: "between" alone: "split llama 70b between a 3090 and a 3060" is a rig).
_CHOOSING = frozenset({"choose", "choosing", "decide", "deciding", "pick", "picking", "torn"})
_BEFORE = 3  # words before the first card a choosing word may stand in ("between the", "choose between a")


def named_together(ev: Evidence, lexicon: Lexicon) -> bool:
    """Whether the cards ``ev`` names (resolved, or a name with several variants: "a 3060") form one rig."""
    gaps = _gaps(ev)
    if not gaps or any(lexicon.words["compare"].found(gap) for gap in gaps) or _choosing(ev):
        return False
    joined = any(set(gap.split()) & _JOINERS for gap in gaps) or lexicon.words["rig_joins"].found(ev.norm)
    return joined or joined_by_plus(ev.text)


def rig_joined(ev: Evidence, lexicon: Lexicon) -> bool:
    """Whether a rig word ("together", "combined", "in the same box") or a "+" joins the cards ``ev`` names, with no
    compare word between them: "can a 3090 and a 3060 be used together?" (a bare "and" may join options to compare:
    "3090 and 4090 specs")."""
    gaps = _gaps(ev)
    if not gaps or any(lexicon.words["compare"].found(gap) for gap in gaps):
        return False
    return lexicon.words["rig_joins"].found(ev.norm) or joined_by_plus(ev.text)


def named_as_options(ev: Evidence, lexicon: Lexicon) -> bool:
    """Whether a compare word stands between two of the cards ``ev`` names: "on a 3090 or a 3060", "4090 vs 3060"."""
    return any(lexicon.words["compare"].found(gap) for gap in _gaps(ev))


def _gaps(ev: Evidence) -> list[str]:
    """The words between each two card names in turn (resolved, or a name with several variants)."""
    mentions = [m for m in ev.match.mentions if m.gpu is not None or m.ambiguous]
    words = ev.match.words
    return [" ".join(words[a.end : b.start]) for a, b in itertools.pairwise(mentions)]


def _choosing(ev: Evidence) -> bool:
    """A choosing word right before the first card: "between X and Y" names options, not a rig."""
    first = next((m for m in ev.match.mentions if m.gpu is not None or m.ambiguous), None)
    if first is None:
        return False
    return not _CHOOSING.isdisjoint(ev.match.words[max(0, first.start - _BEFORE) : first.start])
