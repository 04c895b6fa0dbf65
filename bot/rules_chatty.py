"""Rules for plain look-ups and comparisons written chattily (registered in :class:`bot.rules.RuleBook`'s table).

- a yes/no on one card's build: "rtx a2000 12gb, is it low profile?", "is the l4 single slot?" is a look-up of the
  fields the build constraint reads (form factor, slots, power), not a verdict on the card for that build;
- a comparison stated as a claim: "is the A10G much better than the L4?", "A6000 slower than the 4090, why?" asks
  how they compare, not which to pick.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.catalog import Catalog
from bot.evidence import Evidence
from bot.request import Kind, Query

__all__ = ["ChattyRules"]

# A requirement that picks among products (laptop GPUs), not a constraint of a build a card must fit.
_CHOSEN_NOT_BUILT = "market_segment"


class ChattyRules:
    """The rules; ``make`` builds a request with every slot the evidence fills, ``compare`` is the comparison rule."""

    def __init__(
        self,
        catalog: Catalog,
        make: Callable[[Evidence, Kind], Query],
        compare: Callable[[Evidence], Query | None],
    ) -> None:
        self.catalog = catalog
        self.make = make
        self.compare = compare

    def build_lookup(self, ev: Evidence) -> Query | None:
        """ "rtx a2000 12gb, is it low profile?", "does the L4 fit in a single slot?": the fields a build constraint
        (a modifier workload's ``require``) reads, looked up on the one card named."""
        asks_verdict = ev.has("choice_asked") or ev.has("verdict_asked") or ev.has("advice")
        if len(ev.gpus) != 1 or not ev.workloads or asks_verdict:
            return None  # "is the l4 good for a low profile build?": a verdict
        if ev.model is not None or ev.bare_size is not None or ev.budget_usd is not None:
            return None
        profiles = [self.catalog.workloads[w] for w in ev.workloads]
        if not all(p.get("modifier") and p.get("require") for p in profiles):
            return None
        if any(_CHOSEN_NOT_BUILT in p["require"] for p in profiles):
            return None  # "my work laptop has an A2000 mobile ... an RTX A4000, tdp?": a laptop is bought, not built
        q = self.make(ev, "lookup")
        required = [k for p in profiles for k in p["require"] if k in self.catalog.fields]
        q.fields = list(dict.fromkeys([*q.fields, *required]))
        q.workload, q.modifiers = None, []
        return q

    def claimed_comparison(self, ev: Evidence) -> Query | None:
        """ "is A10G performance much better than L4?": a comparative with "than" and no workload, budget or
        choice word ("which", "should", "best"...) is a comparison, not a verdict."""
        if len(ev.gpus) < 2 or not ev.has("claims") or ev.has("choice_asked"):
            return None
        if ev.workload is not None or ev.budget_usd is not None:
            return None
        return self.compare(ev)
