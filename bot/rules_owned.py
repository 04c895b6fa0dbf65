"""The asker's own card while shopping: "I currently have an old 1060 6gb ... budget is about $900, what should I
buy?" names a card only as what the asker has; the question is a pick within the budget, not a verdict on it.

Read from the evidence alone: a budget, words that ask what to buy (``purchase`` in ``specs/lexicon.yaml``), and
every GPU named right after a context cue (``context_cues``: "i have", "currently have", "my old"...), none of them
a hypothetical ("if i bought a 5090")."""

from __future__ import annotations

from bot.evidence import Evidence
from bot.lexicon import Lexicon

__all__ = ["owned_while_buying"]

_BEFORE = 6  # words before a name a cue may stand in ("i currently have an old 1060")


def owned_while_buying(lexicon: Lexicon, ev: Evidence) -> bool:
    if ev.budget_usd is None or not ev.has("purchase") or ev.match.ambiguous or not ev.match.mentions:
        return False
    words, cues, hypothetical = ev.match.words, lexicon.words["context_cues"], lexicon.words["context_if"]
    for m in ev.match.mentions:
        before = " ".join(words[max(0, m.start - _BEFORE) : m.start])
        hits = [h for h in cues.finditer(before) if not hypothetical.found(" ".join(before[: h.start].split()[-1:]))]
        if not hits:
            return False
    return True
