"""Turn a parsed :class:`~bot.parser.Query` into an :class:`~bot.answer.Answer`.

One handler per kind of request (``bot.handlers``), chosen by the query's intent in :data:`HANDLERS`.
Every number in an answer is read from the catalog at answer time and cited in ``facts``;
unknown values say "unknown" rather than being guessed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from importlib import import_module

from bot.answer import Answer
from bot.bounds import capped_note
from bot.catalog import Catalog
from bot.handlers.context import HandlerContext
from bot.longtail import label_note
from bot.models import ModelSpec
from bot.parser import Intent, Query
from bot.prices import PriceBook
from bot.request import Kind

__all__ = ["BY_INTENT", "HANDLERS", "Composer", "Handler", "handler"]

Handler = Callable[[HandlerContext, Query], Answer]

#: The handler for each kind of request, as ``module:function`` in :mod:`bot.handlers`. A module is imported
#: the first time a request of its kind comes (:func:`handler`), so a one-shot ``gpubot ask`` loads only the
#: handlers its answer needs.
HANDLERS: Mapping[Kind, str] = {
    "lookup": "specs:lookup",
    "compare": "specs:compare",
    "property": "property:property_answer",
    "formats": "hardware:formats",
    "psu": "hardware:psu",
    "setup": "setups:setups",
    "rank": "ranking:rank",
    "list": "ranking:rank",
    "pick": "advice:recommend",
    "verdict": "advice:recommend",
    "fit": "fit_unlisted:fits",
    "fit_pick": "model_pick:model_pick",
    "faq": "faq:faq",
    "software": "faq:faq",
    "clarify": "clarify:clarify",
    "outside": "faq:unknown",
    "unknown": "faq:unknown",
}
#: The handler for a request that names only its intent (built by hand, without a kind).
BY_INTENT: Mapping[Intent, str] = {
    "lookup": "specs:lookup",
    "compare": "specs:compare",
    "recommend": "advice:recommend",
    "faq": "faq:faq",
    "clarify": "clarify:clarify",
    "fits": "fit_unlisted:fits",
    "unknown": "faq:unknown",
}


@functools.cache
def handler(name: str) -> Handler:
    """The handler ``module:function`` of :data:`HANDLERS`, its module imported on first use."""
    module, function = name.split(":")
    found: Handler = getattr(import_module(f"bot.handlers.{module}"), function)
    return found


class Composer:
    """Answers queries from one catalog, price book and model catalog."""

    def __init__(
        self, catalog: Catalog, prices: PriceBook | None = None, models: Mapping[str, ModelSpec] | None = None
    ) -> None:
        self.catalog = catalog
        self.prices = prices or PriceBook()
        self.models = models or {}
        self.context = HandlerContext(self.catalog, self.prices, self.models)

    def compose(self, query: Query) -> Answer:
        name = HANDLERS[query.kind] if query.kind != "unknown" else BY_INTENT[query.intent]
        answer = handler(name)(self.context, query)
        if query.outside is not None and query.intent != "unknown":
            answer.notes.insert(0, f"{query.outside.reply} This answer leaves it out.")
        if query.unknown_names and query.intent not in ("clarify", "unknown"):
            names = ", ".join(f"“{m.text}”" for m in query.unknown_names[:3])
            answer.notes.insert(0, f"I don't know a GPU called {names}, so this answer leaves it out.")
        if query.variants:
            from bot.handlers.clarify import variants_note

            answer.notes[:0] = [variants_note(self.context, *said) for said in query.variants]
        if query.options:
            from bot.rules_options import option_note

            answer.notes[:0] = [option_note(self.context.catalog, *said) for said in query.options]
        if query.names_capped:
            answer.notes.insert(0, capped_note())
        shown = [*answer.gpus, *(c.gpu for c in answer.choices)]
        if label := label_note(self.context.catalog.gpus, shown, answer.recommendation):
            answer.notes.insert(0, label)  # a card the curated catalog lacks: where its values come from
        return answer
