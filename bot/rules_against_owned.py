"""The asker's own card and one other: "my 3080 runs out of memory, would a 3090 help?", "training is slow on my
2080 ti, would a 4090 speed it up?". The question is how the other card does against the asker's:

- running out of memory (a fit question): what the other card runs, and what the asker's reaches beside it (the
  fit answer with ``owned``, as for "I have a 3080, would a 3090 help with OOM?", which the fit rule reads already:
  this rule takes the asker's card said with "my", which is no context cue);
- otherwise, a head-to-head of the two (every variant of the asker's card when its name has several: "3080" is
  10 GB or 12 GB).

A model or a size named makes it a fit question for the other card instead ("my 3060 OOMs on flux dev, would a
4060 ti 16gb fix it?"), and a budget a pick. The asker's card is one named after a context cue ("I have": the
evidence's ``context``) or right after "my"/"our"; the words that ask are ``would_help`` in specs/lexicon.yaml.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.evidence import Evidence
from bot.lexicon import Lexicon
from bot.mentions import GpuMention
from bot.request import FitRequest, Kind, Query

__all__ = ["AgainstOwned"]

_POSSESSIVE = frozenset({"my", "our"})


class AgainstOwned:
    """The rule: another card set against the asker's own."""

    def __init__(
        self,
        query: Callable[[Evidence, Kind], Query],
        lexicon: Lexicon,
        is_fit: Callable[[Evidence], bool],
        fit_request: Callable[[Evidence], FitRequest],
    ) -> None:
        self._query = query
        self._lexicon = lexicon
        self._is_fit = is_fit
        self._fit_request = fit_request

    def against_owned(self, ev: Evidence) -> Query | None:
        if ev.model is not None or ev.bare_size is not None or ev.budget_usd is not None:
            return None
        if not self._lexicon.words["would_help"].found(ev.norm):
            return None
        split = _owned_and_other(ev)
        if split is None:
            return None
        owned, other = split
        owned_ids = [owned.gpu] if owned.gpu else list(owned.candidates)
        if self._is_fit(ev):
            if owned in ev.context:
                return None  # the fit rule reads it, the asker's card set aside as context
            q = self._query(ev, "fit")
            q.fit = self._fit_request(ev)
        else:
            q = self._query(ev, "compare")
            q.fields = []  # the whole head-to-head ("cuda out of memory", "compute time" name no spec asked)
            if owned.gpu is None:  # the note says the name stands for several cards, all set against the other
                q.variants = [(owned.text, owned.candidates, owned.candidates)]
        q.gpus = [other.gpu or "", *owned_ids] if q.kind == "compare" else [other.gpu or ""]
        q.dropped, q.ambiguous, q.owned = [], [], owned_ids
        return q


def _owned_and_other(ev: Evidence) -> tuple[GpuMention, GpuMention] | None:
    """The asker's card (resolved or with variants) and the one other card named (resolved); None otherwise."""
    named = [m for m in ev.match.mentions if m.gpu is not None or m.ambiguous]
    context = [m for m in ev.context if m.gpu is not None or m.ambiguous]
    words = ev.match.words
    mine = [m for m in named if m.start > 0 and words[m.start - 1] in _POSSESSIVE]
    owned = context + mine
    others = [m for m in named if m not in mine]
    if len(owned) != 1 or len(others) != 1 or others[0].gpu is None or others[0].gpu == owned[0].gpu:
        return None
    return owned[0], others[0]
