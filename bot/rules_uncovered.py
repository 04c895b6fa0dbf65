"""A model the catalog names but does not estimate (``specs/models_uncovered.yaml``: HunyuanVideo, Wan 2.1...) asked
about with a memory size, a count of cards or a word of fitting, and no card the other rules could answer about:
"is 8gb enough for ltx video?", "hunyuanvideo on 4x 24gb gpus?". A fit request, which the fit handler answers with
what the model is and that there is no estimate for it (:mod:`bot.handlers.fit_uncovered`), not an "I can't tell".

Registered in :class:`bot.rules.RuleBook`'s table, just before "will it fit" (a software question about the model,
"flash attention for wan 2.1 on a 2080 Ti", is answered before).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.catalog import Catalog
from bot.evidence import Evidence
from bot.request import FitRequest, Kind, Query

__all__ = ["UncoveredRules"]


class UncoveredRules:
    def __init__(
        self, catalog: Catalog, make: Callable[[Evidence, Kind], Query], fit_request: Callable[[Evidence], FitRequest]
    ) -> None:
        self.names = frozenset(m.name for m in catalog.uncovered_models)
        self.make = make
        self.fit_request = fit_request

    def asked(self, ev: Evidence) -> Query | None:
        if ev.model_unlisted not in self.names:
            return None
        if not (ev.sizes or ev.gpus or ev.counts or ev.has("fit_verbs") or ev.has("enough") or ev.has("need_verbs")):
            return None
        q = self.make(ev, "fit")
        q.fit = self.fit_request(ev)
        return q
