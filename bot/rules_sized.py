"""Two short shapes of question the general rules missed:

* a memory size asked about with no card named: "Any 24G GPU?", "recommend a 16gb card", "looking for a 12gb gpu
  for stable diffusion" — a pick among the cards with that memory (exactly that size when written as "a 16gb card";
  at least it with "at least", "or more", "+");
* what a card runs, asked with the card as the subject: "what can a 4090 run?", "what could my 3060 handle?" — the
  reverse fit "what can I run on a 4090?" already answers (the models that fit it).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.evidence import Evidence
from bot.lexicon import Lexicon
from bot.request import FitRequest, Kind, Query

__all__ = ["SizedRules"]

# "a 16gb card", "24gb gpu", "12gb of vram card": a size that names the card's memory
_SIZED_CARD = re.compile(r"\b(\d+(?:\.\d+)?)gb\s+(?:of\s+)?(?:vram\s+)?(?:graphics\s+)?(?:card|cards|gpu|gpus)\b")
_MORE_AFTER = re.compile(r"\d(?:\.\d+)?gb\s*(?:\+|plus\b|or more\b|or bigger\b|or larger\b|min\b|minimum\b)")
_PLUS_WRITTEN = re.compile(r"\d\s*(?:gb|g|gigs?)\s*\+", re.IGNORECASE)  # "16gb+" (normalising drops the "+")
# "what can a 4090 run", "what could my 3060 handle", "what will two 3090s do"
_RUNS_AFTER = frozenset({"run", "handle", "load", "fit", "host", "serve", "train"})
_ASKS = re.compile(r"\bwhat(?:s)?\s+(?:models?\s+|llms?\s+)?(?:can|could|will|would)\s*$")
_SKIP = frozenset({"a", "an", "the", "my", "one", "single", "two", "2", "2x", "dual", "rtx", "nvidia", "amd"})


class SizedRules:
    def __init__(
        self, make: Callable[[Evidence, Kind], Query], lexicon: Lexicon, fit: Callable[[Evidence], FitRequest]
    ) -> None:
        self.make = make
        self.lexicon = lexicon
        self.fit = fit

    def memory_pick(self, ev: Evidence) -> Query | None:
        """A pick among the cards with the memory size asked about."""
        memory = ev.limits.get("memory_gb")
        if ev.gpus or ev.match.ambiguous or memory is None or "min" not in memory or ev.model is not None:
            return None
        if ev.bare_size is not None or not self.lexicon.words["bar_seekers"].found(ev.norm):
            return None
        q = self.make(ev, "pick")
        size = _SIZED_CARD.search(ev.norm)
        bounded = self.lexicon.bounds["at_least"].found(ev.norm) or _MORE_AFTER.search(ev.norm) is not None
        bounded = bounded or _PLUS_WRITTEN.search(ev.text) is not None
        if size is not None and float(size.group(1)) == memory["min"] and not bounded and "max" not in memory:
            q.limits = {**q.limits, "memory_gb": {"min": memory["min"], "max": memory["min"]}}
        return q

    def card_runs(self, ev: Evidence) -> Query | None:
        """ "what can a 4090 run?": the reverse fit for the card."""
        mentions = ev.match.mentions
        if len(mentions) != 1 or mentions[0].gpu is None or ev.model is not None or ev.bare_size is not None:
            return None
        words, m = ev.match.words, mentions[0]
        k = m.start
        while k > 0 and words[k - 1] in _SKIP:
            k -= 1
        if m.end >= len(words) or words[m.end] not in _RUNS_AFTER:
            return None
        if _ASKS.search(" ".join(words[:k])) is None:
            return None
        q = self.make(ev, "fit")
        q.fit = self.fit(ev)
        q.fit.gpus_count = max(q.fit.gpus_count, ev.first_count)  # "what can two 3090s run?"
        return q
