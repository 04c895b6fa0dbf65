"""One card at two counts: "2x 4090 slower than just one 4090?", "is 4x 3090 any better than a single 3090 for
70b?". Setups compared, count x card, like "2x 3090 or one 4090": the card named again without a count is the
single card (:func:`bot.handlers.setups.setups` reads a card listed twice that way).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.evidence import Evidence
from bot.request import FitRequest, Intent, Kind, Query

__all__ = ["SameCardRules"]


class SameCardRules:
    """The rule for one card at two counts, with what it needs from the rule book passed in."""

    def __init__(
        self,
        query: Callable[[Evidence, Kind], Query],
        fit_request: Callable[[Evidence], FitRequest],
        setup_intent: Callable[[Evidence, bool], Intent],
    ) -> None:
        self._query, self._fit_request, self._setup_intent = query, fit_request, setup_intent

    def setups(self, ev: Evidence) -> Query | None:
        if len(ev.gpus) != 1 or not (ev.has("compare") or ev.has("weighs")):
            return None
        gpu = ev.gpus[0]
        named = [m for m in ev.match.mentions if m.gpu == gpu]
        if ev.counts.get(gpu, 1) < 2 or len(named) < 2 or not ev.has("single_card"):
            return None
        sized = ev.model is not None or ev.bare_size is not None
        q = self._query(ev, "setup")
        q.gpus = [gpu, gpu]  # the counted setup, then the single card
        # "is 2x slower than one?": how fast each is, side by side; "worth adding a second?": a verdict
        verdict = ev.has("worth") or ev.has("verdict_words") or ev.has("named_choice")
        q.intent = "compare" if ev.has("speed") and not verdict else self._setup_intent(ev, sized)
        if sized:
            q.fit = self._fit_request(ev)
        return q
