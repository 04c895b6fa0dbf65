"""One or two of a card: "one or two 3090s for llama 70b?", "is a second 3090 worth it?", "single or dual 4090 for
training?", "should I add another 3060 for stable diffusion?".

The card is named once, with the counts as words around it; the request is the setups side by side, as for "2x 3090
or one 3090" (:mod:`bot.rules_same_card`): the card twice, counted and single, what each runs when a model is named,
and a verdict (:mod:`bot.handlers.setups`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.evidence import Evidence
from bot.request import FitRequest, Intent, Kind, Query
from bot.rules_same_card import capacity_asked, per_count_query

__all__ = ["SecondCardRules"]

_BETWEEN = r"(?:\w+\s+){0,3}"  # the card's name between the words ("one or two rtx 3090s")
# "one or two <card>", "1 or 2 <card>", "single or dual <card>", "<card>: one or two", "one <card> or two"
_EITHER = re.compile(
    r"\b(?:one|1|single|a single)\s+(?:or|vs|versus)\s+(?:two|2|dual|double)\b"
    r"|\b(?:one|1|single)\s+" + _BETWEEN + r"(?:or|vs|versus)\s+(?:two|2|dual)\b"
    r"|\b(?:two|2|dual)\s+(?:or|vs|versus)\s+(?:one|1|single)\b"
)
# "a second 3090", "another 3090", "2nd 3090", "adding one more 3090"
_SECOND = re.compile(
    r"\b(?:a second|second|another|2nd|one more|an extra|extra|additional|a 2nd)\s+(?!hand\b|gen\b|generation\b)"
    + _BETWEEN
)  # not "second hand", "second gen"
_ASKS = re.compile(
    r"\b(?:worth|should|help|helps|better|faster|enough|need|add|adding|get|buy|benefit|improve|sense)\b"
)


class SecondCardRules:
    def __init__(
        self,
        make: Callable[[Evidence, Kind], Query],
        fit_request: Callable[[Evidence], FitRequest],
        setup_intent: Callable[[Evidence, bool], Intent],
    ) -> None:
        self.make, self.fit_request, self.setup_intent = make, fit_request, setup_intent

    def one_or_two(self, ev: Evidence) -> Query | None:
        """The card counted twice and once, side by side, or None when the question is no such choice."""
        if len(ev.gpus) != 1 or ev.match.ambiguous or len(ev.match.mentions) != 1:
            return None
        gpu, mention = ev.gpus[0], ev.match.mentions[0]
        words = ev.match.words
        around = " ".join(words[max(0, mention.start - 5) : mention.end + 4])
        second = _SECOND.search(" ".join(words[max(0, mention.start - 4) : mention.end])) is not None
        if not (_EITHER.search(around) or (second and _ASKS.search(ev.norm))):
            return None
        sized = ev.model is not None or ev.bare_size is not None
        if not sized and not second and capacity_asked(ev):  # "one or two 3090s to train?": what each holds
            return per_count_query(self.make, self.fit_request, ev, gpu, (1, 2))
        q = self.make(ev, "setup")
        q.gpus, q.counts = [gpu, gpu], {gpu: 2}  # the counted setup, then the single card
        q.intent = self.setup_intent(ev, sized) if not second else "recommend"  # "a second ... worth it?": a verdict
        if sized:
            q.fit = self.fit_request(ev)
            q.fit.gpus_count = 2
        return q
