"""Turn a parsed :class:`~bot.parser.Query` into an :class:`~bot.answer.Answer`.

One handler per kind of request (``bot.handlers``), chosen by the query's intent in :data:`HANDLERS`.
Every number in an answer is read from the catalog at answer time and cited in ``facts``;
unknown values say "unknown" rather than being guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.answer import Answer
from bot.catalog import Catalog
from bot.handlers import advice, faq, fits, specs
from bot.handlers.context import HandlerContext
from bot.handlers.faq import EXAMPLES
from bot.models import ModelSpec
from bot.parser import Intent, Query
from bot.prices import PriceBook

__all__ = ["EXAMPLES", "HANDLERS", "Composer", "Handler"]

Handler = Callable[[HandlerContext, Query], Answer]

#: The handler for each kind of request.
HANDLERS: Mapping[Intent, Handler] = {
    "lookup": specs.lookup,
    "compare": specs.compare,
    "recommend": advice.recommend,
    "faq": faq.faq,
    "clarify": faq.clarify,
    "fits": fits.fits,
    "unknown": faq.unknown,
}


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
        answer = HANDLERS[query.intent](self.context, query)
        if query.outside is not None and query.intent != "unknown":
            answer.notes.insert(0, f"{query.outside.reply} This answer leaves it out.")
        if query.unknown_names and query.intent not in ("clarify", "unknown"):
            names = ", ".join(f"“{m.text}”" for m in query.unknown_names[:3])
            answer.notes.insert(0, f"I don't know a GPU called {names}, so this answer leaves it out.")
        return answer
