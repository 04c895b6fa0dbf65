"""A card named as the budget or the bar of a pick, not as its subject: "something cheaper than the RTX 4090 for
llms", "anything better than a 3060 under $500", "a card as fast as a 3090 but with less power", "what has more
vram than a 4080?".

The card stands right after "than" or "as" (past an article), a comparative stands before it, and the question
seeks another card ("something", "anything", "which gpu", "recommend"): the request is a pick for the work asked
about, past that card in every property said. The properties are the follow-up's own (:func:`bot.followup_beyond.
alternative`: "cheaper" is a budget under its price, "less power" a limit under its TDP); "better", "faster" or "as
fast as" make it the baseline the pick must beat (:mod:`bot.handlers.upgrade`), named as a bar rather than the
asker's own unless the question says "my". Among the cards past the bar, value decides: the step up, not the
biggest card there is.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.catalog import Catalog
from bot.evidence import Evidence
from bot.followup_beyond import alternative
from bot.lexicon import Lexicon
from bot.request import Kind, Query

__all__ = ["BarRules"]

_ARTICLES = frozenset({"a", "an", "the", "my", "our", "your", "one", "single", "nvidia", "amd"})
_LINKS = frozenset({"than", "as"})  # "cheaper than the 4090", "as fast as a 3090"
_BEATS = frozenset({"beats", "beat", "outperforms", "outperform"})  # "anything that beats a 3090"
_WINDOW = 4  # words before the link a comparative or a seeker may stand in


class BarRules:
    def __init__(self, catalog: Catalog, make: Callable[[Evidence, Kind], Query], lexicon: Lexicon) -> None:
        self.catalog = catalog
        self.make = make
        self.lexicon = lexicon
        self.words = lexicon.words

    def card_as_bar(self, ev: Evidence) -> Query | None:
        """The pick past the card named as a bar, or None when the card is the question's subject."""
        found = self._bar(ev)
        if found is None:
            return None
        cards, beats, owned = found
        card = cards[0]
        q = self.make(ev, "pick")
        q.gpus, q.ambiguous, q.counts = [], [], {}
        q.value_focus = True  # past the bar, the next step up: among the cards that clear it, value decides
        budget = q.budget_usd
        q.bar = not owned
        if beats:
            q.upgrade_from = card
        # an ambiguous name ("the a100"): the first of its cards the catalog has the properties' values for
        past = next((p for c in cards if (p := alternative(self.catalog, q, c, list(ev.properties), q))), None)
        if past is None and not beats:
            return None  # "cheaper than the X" with no price for it: nothing to pick past
        q = past or q
        if budget is not None and q.budget_usd is not None:
            q.budget_usd = min(budget, q.budget_usd)  # "better than a 3060 under $500": the lower of the two
        return q

    def _bar(self, ev: Evidence) -> tuple[tuple[str, ...], bool, bool] | None:
        """(the card, or an ambiguous name's cards; whether the pick must beat it; whether it is the asker's) when a
        card is named as a bar."""
        mentions = ev.match.mentions
        if len(mentions) != 1 or ev.model is not None or ev.bare_size is not None or ev.first_count != 1:
            return None
        mention = mentions[0]
        cards = (mention.gpu,) if mention.gpu else mention.candidates
        if not cards:
            return None
        words = ev.match.words
        k = mention.start - 1
        owned = False
        while k >= 0 and words[k] in _ARTICLES:
            owned = owned or words[k] == "my"
            k -= 1
        if k < 1 or not (words[k] in _LINKS or words[k] in _BEATS):
            return None
        before = " ".join(words[max(0, k - _WINDOW) : k + (words[k] in _BEATS)])
        beats = self.words["bar_comparatives"].found(before)
        if not (beats or self.lexicon.properties.found(before)):
            return None
        seeks = " ".join(words[: k + 1])
        return (cards, beats, owned) if self.words["bar_seekers"].found(seeks) else None
