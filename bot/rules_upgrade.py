"""An upgrade from the asker's own card: "what's a good upgrade from my 1080 ti for ai?", "upgrading from a 2070
super, best card for llms under 1000", "i have a 3060 12gb, what should i upgrade to for stable diffusion?".

The one card named is what the asker has, not the subject: the request is a pick (for the workload, within the
budget) among the cards that beat it, with it as the baseline (:mod:`bot.handlers.upgrade`). Read from the evidence:
an upgrade word, and the card named right after an ``upgrade_from`` cue or a context cue ("i have", "my current").
A model named makes it a model-sized pick instead, and two cards named a comparison.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.evidence import Evidence
from bot.lexicon import Lexicon
from bot.request import Kind, Query

__all__ = ["UpgradeRules"]

_BEFORE = 4  # words before the card a cue may stand in ("upgrade from my old 1080 ti")


class UpgradeRules:
    def __init__(self, make: Callable[[Evidence, Kind], Query], lexicon: Lexicon) -> None:
        self.make = make
        self.words = lexicon.words

    def upgrade(self, ev: Evidence) -> Query | None:
        owned = self.owned(ev)
        if owned is None:
            return None
        q = self.make(ev, "pick")
        q.gpus, q.upgrade_from = [], owned
        return q

    def owned(self, ev: Evidence) -> str | None:
        """The asker's card an upgrade is asked from, or None when this is no such question."""
        if not self.words["upgrade_words"].found(ev.norm) or len(ev.gpus) != 1 or ev.match.ambiguous:
            return None
        if ev.model is not None or ev.bare_size is not None:
            return None  # "upgrade from my 3060 to run llama 70b": the card that holds the model
        mention = next((m for m in ev.match.mentions if m.gpu is not None), None)
        if mention is None:
            return None
        before = " ".join(ev.match.words[max(0, mention.start - _BEFORE) : mention.start])
        cued = self.words["upgrade_from"].found(before) or self.words["context_cues"].found(before)
        return mention.gpu if cued else None
