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
from dataclasses import dataclass

from bot.catalog import Catalog
from bot.evidence import Evidence
from bot.followup_beyond import alternative
from bot.lexicon import Lexicon, Property
from bot.mentions import GpuMention
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
        """The pick past every card named as a bar, or None when a card named is the question's subject."""
        bars = self._bars(ev)
        if not bars:
            return None
        q = self.make(ev, "pick")
        q.gpus, q.ambiguous, q.counts = [], [], {}
        # past the bar, the next step up: among the cards that clear it, value decides, unless the question asks for
        # the fastest or best of them ("cheaper than the 4090 but has the fastest inference")
        q.value_focus = ev.rank_word in (None, "cheapest")
        q.bar = not any(bar.owned for bar in bars)
        budgets = [q.budget_usd] if q.budget_usd is not None else []
        for bar in bars:
            if bar.beats and q.upgrade_from is None:
                q.upgrade_from = bar.cards[0]
            properties = list(ev.properties) if len(bars) == 1 else bar.properties
            # an ambiguous name ("the a100"): the first of its cards the catalog has the properties' values for
            past = next((p for c in bar.cards if (p := alternative(self.catalog, q, c, properties, q))), None)
            if past is None and not bar.beats:
                return None  # "cheaper than the X" with no price for it: nothing to pick past
            q = past or q
            budgets += [q.budget_usd] if q.budget_usd is not None else []
        q.budget_usd = min(budgets) if budgets else None  # "better than a 3060 under $500": the lowest said
        return q

    def _bars(self, ev: Evidence) -> list[_Bar] | None:
        """Every card named, each as a bar; None when one is not, or the question seeks no other card."""
        mentions = ev.match.mentions
        if not 1 <= len(mentions) <= 3 or ev.model is not None or ev.bare_size is not None or ev.first_count != 1:
            return None
        bars: list[_Bar] = []
        for mention in mentions:
            bar = self._bar(ev, mention)
            if bar is None:
                return None
            bars.append(bar)
        words = ev.match.words
        return bars if self.words["bar_seekers"].found(" ".join(words[: bars[0].link + 1])) else None

    def _bar(self, ev: Evidence, mention: GpuMention) -> _Bar | None:
        """The card named as a bar right after a comparative and "than"/"as", or None."""
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
        hit = self.lexicon.properties.first(before)
        if not (beats or hit is not None):
            return None
        properties = [self.lexicon.property_of(hit)] if hit is not None else []
        return _Bar(tuple(cards), beats, owned, properties, k)


@dataclass(frozen=True, slots=True)
class _Bar:
    cards: tuple[str, ...]  # the card, or an ambiguous name's cards
    beats: bool  # the pick must beat it ("better than", "as fast as")
    owned: bool  # "faster than my 3080": the asker's own
    properties: list[Property]  # the spec properties said before it ("cheaper than", "more vram than")
    link: int  # where "than"/"as" stands
