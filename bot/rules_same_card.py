"""One card at two counts: "2x 4090 slower than just one 4090?", "is 4x 3090 any better than a single 3090 for
70b?". Setups compared, count x card, like "2x 3090 or one 4090": the card named again without a count is the
single card (:func:`bot.handlers.setups.setups` reads a card listed twice that way).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.evidence import Evidence
from bot.request import FitRequest, Intent, Kind, Query

__all__ = ["SameCardRules", "capacity_asked", "per_count_query"]

#: The workloads whose setups differ by what they hold: with no model named, each count's capacity answers.
_CAPACITY_WORKLOADS = frozenset({"training", "fine_tuning", "inference", "llm"})


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
        if not sized and capacity_asked(ev):
            return per_count_query(self._query, self._fit_request, ev, gpu, (1, ev.counts[gpu]))
        q = self._query(ev, "setup")
        q.gpus = [gpu, gpu]  # the counted setup, then the single card
        # "is 2x slower than one?": how fast each is, side by side; "worth adding a second?": a verdict
        verdict = ev.has("worth") or ev.has("verdict_words") or ev.has("named_choice")
        q.intent = "compare" if ev.has("speed") and not verdict else self._setup_intent(ev, sized)
        if sized:
            q.fit = self._fit_request(ev)
        return q

    def counted(self, ev: Evidence) -> Query | None:
        """ "Can 7* 3090 be used for training?", "is one gpu enough or do I need two 3090s?": a card counted, work
        whose setups differ by what they hold and no model: what that many hold (and one, when one is offered)."""
        if len(ev.gpus) != 1 or ev.match.ambiguous or ev.fields or ev.psu_asked:
            return None
        gpu = ev.gpus[0]
        n = ev.counts.get(gpu, 1)
        if n < 2 or ev.model is not None or ev.bare_size is not None or not capacity_asked(ev, named=True):
            return None
        return per_count_query(self._query, self._fit_request, ev, gpu, (1, n) if ev.has("single_card") else (n,))


def capacity_asked(ev: Evidence, *, named: bool = False) -> bool:
    """ "one 3090 or two 3090s to train your model?": no model named (nor one the catalog lacks), no speed, worth or
    budget weighed, and work whose setups differ by what they hold (or none named, unless ``named``: a card counted
    once, when a verdict is not asked either)."""
    if ev.model_unlisted or ev.has("speed") or ev.has("worth") or ev.budget_usd is not None:
        return False
    if named and ev.has("recommend"):
        return False  # "is my 2x 3090 setup good for training?": a verdict on the setup
    return (ev.workload is None and not named) or ev.workload in _CAPACITY_WORKLOADS


def per_count_query(
    make: Callable[[Evidence, Kind], Query],
    fit_request: Callable[[Evidence], FitRequest],
    ev: Evidence,
    gpu: str,
    counts: tuple[int, ...],
) -> Query:
    """A fit with no model: what each count of ``gpu`` holds (:mod:`bot.handlers.fit_per_count`)."""
    q = make(ev, "fit")
    q.gpus = [gpu]
    q.fit = fit_request(ev)
    q.fit.counts_asked = counts
    return q
