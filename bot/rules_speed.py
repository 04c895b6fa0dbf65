"""Two runtime questions that name no model to estimate for.

- How runtimes use several GPUs ("cannot get Ollama to utilize two 3090s", "ollama splits the load over my 3090 and
  2060, use the first only?"): the ``multi-gpu-runtimes`` FAQ, how Ollama and llama.cpp spread a model.
- A speed the asker measured and doubts ("a 3090 gives me 4-7 tokens/s with any llama model, anything I can
  tweak?", "token generation speed less than 1/minute on an A6000"): the card's speed checklist (the
  ``performance`` FAQ, with what bounds the card's speed), not a fit table for a model nobody named. "The 4080 is
  slower than my 3060, why?" is left to the comparison; with a model named ("60 tokens/s for llama 3 70b on an
  L40S, expected?") the fit answer estimates that model's speed instead.

Registered in :class:`bot.rules.RuleBook`'s table; reads only the evidence (the lexicon's ``speed_doubts`` class).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.catalog import Catalog
from bot.evidence import Evidence
from bot.lexicon import Lexicon
from bot.request import FitRequest, Kind, Query

__all__ = ["MULTI_GPU_FAQ", "PERFORMANCE_FAQ", "SpeedRules"]

PERFORMANCE_FAQ = "performance"
MULTI_GPU_FAQ = "multi-gpu-runtimes"
# A speed stated as measured (normalised text: "7 tokens s", "4 to 7 tokens second", "12 t s", "1.5 it s",
# "100 sec it", "less than 1 minute"): a number, then a speed unit.
_MEASURED = re.compile(
    r"\b\d+(?:\.\d+)?\s?(?:tokens?|toks?|t|it|its|images?|img)\s(?:(?:per|a)\s)?(?:s|sec|secs|second|seconds)\b"
    r"|\b\d+(?:\.\d+)?\s(?:sec|secs|seconds|minutes?|mins?)\s(?:it|its|step|steps|img|image|per|for)\b"
    r"|\b(?:less|more) than (?:\d+|an?|one) (?:minute|min|second|sec|hour)s?\b"
)


# Tokens spoken of (normalised text): "tokens", "tok s", "t s". A speed in them, the highest number before the unit
# ("4 7 tokens second" is 4 to 7: 7; "12 t s": 12).
_TOKENS = re.compile(r"\btok(?:en)?s?\b|\b\d+(?:\.\d+)?\s?t s\b|\btps\b")
_TPS = re.compile(
    r"\b(\d+(?:\.\d+)?)\s(?:(?:to\s)?(\d+(?:\.\d+)?)\s)?(?:tokens?|toks?|t)\s(?:(?:per|a)\s)?(?:s|sec|second)\b"
)


_FACTOR = re.compile(r"\b(\d+(?:\.\d+)?)x (?:slower|faster)\b")
_ON_LEADS = frozenset(["on", "with", "using", "in"])
_ON_WORDS = _ON_LEADS | {"the", "my", "a", "an", "our"}
_AS_IT_SHOULD = re.compile(r"\bas (?:it|they|expected) should\b")


def measured_tokens(norm: str) -> float | None:
    """The highest speed in tokens per second a normalised question states, or None."""
    found = [float(m.group(2) or m.group(1)) for m in _TPS.finditer(norm)]
    return max(found) if found else None


class SpeedRules:
    """The rule; ``make`` builds a request with every slot the evidence fills."""

    def __init__(self, catalog: Catalog, make: Callable[[Evidence, Kind], Query], lexicon: Lexicon) -> None:
        self.make, self.lexicon, self.catalog = make, lexicon, catalog
        self.entry = next((f for f in catalog.faqs if f.id == PERFORMANCE_FAQ), None)
        self.multi = next((f for f in catalog.faqs if f.id == MULTI_GPU_FAQ), None)

    def several_gpus(self, ev: Evidence) -> Query | None:
        """ "cannot get ollama to utilize two 3090s", "ollama splits the load over my 3090 and 2060; use the first
        only if it fits": how the runtime spreads a model over GPUs, when no model or size is asked to fit."""
        if self.multi is None or ev.faq is not self.multi or ev.model is not None or ev.bare_size is not None:
            return None
        if ev.model_unlisted or ev.has("support_issues"):
            return None
        if ev.budget_usd is not None or ev.limits or ev.rank_word:
            return None  # "which gpu for a beginner wanting to run ollama, 16gb minimum": a pick
        q = self.make(ev, "faq")
        q.faq, q.intent, q.gpus = self.multi, "faq", list(ev.gpus)[:1]
        q.general, q.ambiguous = not ev.gpus, []
        return q

    def slower_of_two(self, ev: Evidence) -> Query | None:
        """ "my 4080 is slower than my 3060 in llama_cpp_python, why?", "changed from a 3060 12gb to a 5060 ti 16gb
        ... no speedup at all": two cards, one said to be no faster than the other, nothing asked to buy: the two
        side by side, led by how much faster one should be (bot/handlers/slower_card.py)."""
        named = sorted([*ev.match.mentions, *ev.context], key=lambda m: m.start)  # "from a 3090 to a 4090": both
        cards = list(dict.fromkeys(m.gpu for m in named if m.gpu))
        # an unsure name that may be a card named is it ("3060 12gb ... 3060")
        cards += [m.candidates[0] for m in ev.match.ambiguous if not set(m.candidates) & set(cards)]
        said = self.lexicon.words["slower_said"].first(" ".join(ev.match.words)) if len(cards) == 2 else None
        advice = ev.has("advice") and self.lexicon.words["advice"].found(_AS_IT_SHOULD.sub(" ", ev.norm))
        if said is None or ev.budget_usd is not None or advice:
            return None  # "slower than a 3090 but cheaper, which to buy?": a pick ("trains as it should" is none)
        if ev.model is not None or ev.bare_size is not None or ev.has("support_nouns") or ev.has("support_issues"):
            return None  # "... for llama 70b?": a fit; "support for pytorch on the 7900 xtx, is it slower": software
        q = self.make(ev, "compare")
        q.gpus, q.intent, q.ambiguous = cards, "compare", []
        q.slower_said = self._said_slower(ev, cards, said.start, said.text)
        factor = _FACTOR.search(ev.norm)  # "around 30x slower": how much slower, as measured
        q.slower_factor = float(factor.group(1)) if factor else None
        return q

    def _said_slower(self, ev: Evidence, cards: list[str], at: int, phrase: str) -> str:
        """The card said to be slower: the one right after "slower on" ("30x slower on my laptop rtx 5090"), else
        the one named just before "slower (than)" ("my 4080 is slower than my 3060"), else the newer of the two
        ("changed from a 3060 to a 5060 ti ... no speedup at all")."""
        words = ev.match.words
        k = len(" ".join(words)[:at].split())  # the words before the phrase
        end = k + len(phrase.split())
        lead = words[end] if end < len(words) else ""
        found = [(m, m.gpu or (m.candidates[0] if m.candidates else "")) for m in ev.match.mentions]
        for m, gpu in found if lead in _ON_LEADS else ():
            if end < m.start <= end + 3 and set(words[end : m.start]) <= _ON_WORDS and gpu in cards:
                return gpu  # "slower on my laptop rtx 5090"
        named = [gpu for m, gpu in found if m.end <= k and gpu]
        if ("than" in phrase or "slower" in phrase) and named and named[-1] in cards:
            return named[-1]
        dates = {g: str(self.catalog.gpus[g].get("release_date") or "") for g in cards}
        return max(cards, key=lambda g: dates[g])

    def doubted(self, ev: Evidence) -> Query | None:
        """A measured or complained-of speed, no model or size named: the speed checklist for the card named."""
        if self.entry is None or ev.model is not None or ev.bare_size is not None or ev.model_unlisted:
            return None
        if ev.family and ev.sizes:
            return None  # "SD on a 2gb card is slow with --lowvram, a way without it?": whether it fits
        if len(ev.gpus) + len(ev.match.ambiguous) >= 2:
            return None  # "the A6000 is slower than the 4090, why?": the two compared
        if ev.has("support_issues") or ev.psu_asked or ev.formats_asked:
            return None  # "vllm is slow on my P40: not supported?", "does fp8 increase speed": not a measured speed
        if ev.context:
            return None  # "my 3080 is slow and runs out of memory; would an A6000 help?": another card asked about
        complained = ev.faq is self.entry
        measured = _MEASURED.search(ev.norm) is not None and ev.has("speed_doubts")
        if not (complained or measured):
            return None
        q = self.make(ev, "faq")
        q.faq, q.intent, q.gpus = self.entry, "faq", list(ev.gpus)
        q.general, q.ambiguous = not ev.gpus, []
        if len(q.gpus) == 1 and (_TOKENS.search(ev.norm) or ev.workload == "llm"):  # not "100 s/it": image steps
            precisions = tuple(dict.fromkeys(self.lexicon.precisions.values(ev.norm)))  # "bf16, 8bit or 4 bit"
            q.fit = FitRequest(speed_asked=True, precisions=precisions, measured_tps=measured_tokens(ev.norm))
        return q
