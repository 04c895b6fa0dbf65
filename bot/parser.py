"""Question understanding: free text -> one typed request.

One way through: :func:`~bot.text.normalize` once, :class:`~bot.evidence.Reader` collects the
evidence (typed mentions), and the ordered rule table in :mod:`bot.rules` turns it into one
:class:`~bot.request.Query` whose ``kind`` picks the handler. :meth:`QuestionParser.explain` shows
the evidence, the rule that fired and the request.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from typing import Any

from bot.catalog import Catalog
from bot.cloud import load_cloud
from bot.evidence import Evidence, Mention, Reader
from bot.lexicon import Lexicon, load_lexicon
from bot.matcher import GpuMention, Matcher, MatchResult
from bot.models import ModelIndex
from bot.request import MAX_COMPARE, SOFTWARE_FAQ, FitRequest, Intent, Query
from bot.rig_words import named_together
from bot.rules import RuleBook
from bot.runtime_names import RuntimeNames
from bot.text import normalize

__all__ = ["MAX_COMPARE", "SOFTWARE_FAQ", "FitRequest", "Intent", "Query", "QuestionParser"]


#: How many recent readings are kept for completing a clarified request.
_RECENT = 256

#: How many of the last fresh readings are kept, so that the steps of one answer (a front end's checks before
#: it answers, the answer, the Hub's check after) read a question once. Readings are never changed after
#: :meth:`~bot.evidence.Reader.read` returns them and a parser belongs to one catalog; a model added from the
#: Hub (``generation`` of the model book) empties the cache.
_FRESH = 8


class QuestionParser:
    def __init__(
        self, catalog: Catalog, matcher: Matcher, models: ModelIndex | None = None, lexicon: Lexicon | None = None
    ) -> None:
        self.catalog = catalog
        self.matcher = matcher
        self.models = models
        self.lexicon = lexicon or load_lexicon(catalog.root, catalog.fields)
        self.cloud = load_cloud(catalog.root, catalog.gpus.keys())
        self.reader = Reader(catalog, matcher, models, self.lexicon, self.cloud)
        self.rules = RuleBook(catalog, self.reader)
        self.runtime = RuntimeNames(catalog).find  # "with vllm", "in lm studio": (its words, its runtime id)
        self._recent: OrderedDict[str, Evidence] = OrderedDict()
        self._fresh: OrderedDict[str, Evidence] = OrderedDict()
        self._generation = self._models_generation()

    def _models_generation(self) -> int:
        return getattr(self.models.models, "generation", 0) if self.models is not None else 0

    def read(self, text: str) -> Evidence:
        """The evidence of ``text``, read afresh (never a reading completed by a pick); the last few are kept."""
        generation = self._models_generation()
        if generation != self._generation:
            self._fresh.clear()
            self._generation = generation
        ev = self._fresh.get(text)
        if ev is None:
            ev = self._fresh[text] = self.reader.read(text)
            if len(self._fresh) > _FRESH:
                self._fresh.popitem(last=False)
        return ev

    def parse(self, text: str) -> Query:
        return self._decide(self.reading(text))

    def reading(self, text: str) -> Evidence:
        """The evidence of ``text``, read afresh and kept for a pick among its choices (as :meth:`parse` keeps it)."""
        ev = self.read(text)
        self._remember(text, ev)
        return ev

    def decide(self, ev: Evidence) -> Query:
        """The request the rules build from evidence already read (a follow-up's, a saved rig's)."""
        return self._decide(ev)

    def _decide(self, ev: Evidence) -> Query:
        """The rules' request, with the runtime the question names on a fit request."""
        query = self.rules.decide(ev)
        if query.fit is not None:
            query.fit.runtime = self.runtime(ev.norm)[1]
        query.names_capped = ev.names_capped
        if query.kind == "psu":
            query.psu_watts = ev.psu_watts
        if query.fit is not None and query.fit.mode == "inference" and len(set(query.gpus)) + len(query.ambiguous) >= 2:
            query.fit.combined = named_together(ev, self.lexicon)
        query.ratio_asked = len(query.gpus) == 2 and self.lexicon.words["ratio_asked"].found(ev.norm)
        if query.kind in ("pick", "verdict") and len(query.gpus) >= 2 and query.upgrade_from is None:
            query.upgrade_from = _owned_baseline(ev, query.gpus)  # "i have a 2060 ... 4060 ti or 3090?"
        return query

    def _remember(self, text: str, ev: Evidence) -> None:
        self._recent.pop(text, None)
        self._recent[text] = ev
        while len(self._recent) > _RECENT:
            self._recent.popitem(last=False)

    def read_recent(self, text: str) -> Evidence:
        """The evidence of ``text``, kept for the last questions asked so that a pick among a clarifying
        answer's choices completes the stored reading instead of reading the question again."""
        ev = self._recent.pop(text, None) or self.reader.read(text)
        self._remember(text, ev)
        return ev

    def complete(self, text: str, gpu_id: str) -> Query:
        """The request of ``text`` with its pending name (the one whose candidates hold ``gpu_id``, else the
        first ambiguous or unknown one) resolved to ``gpu_id``, decided by the rules again."""
        ev = self.read_recent(text)
        pending = [m for m in ev.match.mentions if m.gpu is None]
        holding = [m for m in pending if gpu_id in (*m.candidates, *m.suggestions)]
        # A name picked before and now picked again as another of its variants (a second button on the same answer)
        picked = [m for m in ev.match.mentions if m.gpu is not None and gpu_id in (*m.candidates, *m.suggestions)]
        chosen = (holding or picked or pending)[:1]
        if chosen:
            mentions = [  # the name keeps its variants, so that another of them can be picked later
                dataclasses.replace(m, gpu=gpu_id) if m is chosen[0] else m for m in ev.match.mentions
            ]
        else:
            mentions = [*ev.match.mentions, GpuMention(gpu_id, len(ev.match.words), len(ev.match.words), gpu=gpu_id)]
        match = MatchResult(words=ev.match.words, mentions=mentions, fields=ev.match.fields)
        resolved = dataclasses.replace(ev, match=match, memo={"picked": True})  # the rest is asked about in turn
        self._remember(text, resolved)  # a second pick ("h100 vs a100": which A100, then which H100) builds on it
        return self._decide(resolved)

    def explain(self, text: str) -> dict[str, Any]:
        """The evidence, the rule that fired and the request, as plain data."""
        ev = self.reader.read(text)
        query = self._decide(ev)
        words, runtime = self.runtime(ev.norm)
        runtimes = [Mention("runtime", words, runtime)] if runtime else []
        return {
            "question": text,
            "normalised": ev.norm,
            "evidence": [m.to_json() for m in [*self.reader.mentions(ev), *runtimes]],
            "rule": query.rule,
            "request": request_summary(query),
        }

    # -- slots, for callers and tests ---------------------------------------------------------

    def budget(self, norm: str) -> tuple[float | None, str]:
        return self.reader.dimensions.budget(norm)

    def limits(self, norm: str) -> tuple[dict[str, dict[str, float]], str]:
        return self.reader.dimensions.limits(norm)

    def workload(self, norm: str) -> str | None:
        return self.reader.main_workload(self.reader.workloads(norm))


def request_summary(q: Query) -> dict[str, Any]:
    """The request's filled slots (empty ones left out), for ``--explain``."""
    slots: dict[str, Any] = {"kind": q.kind, "intent": q.intent}
    for name in ("gpus", "fields", "workload", "modifiers", "budget_usd", "budget_currency", "rank_field", "rank_per"):
        value = getattr(q, name)
        if value:
            slots[name] = value
    extras = {
        "rank_lowest": q.rank_lowest,
        "listing": q.listing,
        "all_fields": q.all_fields,
        "value_focus": q.value_focus,
        "limits": q.limits,
        "vendor": q.vendor,
        "counts": q.counts,
        "require_true": q.require_true,
        "dropped": q.dropped,
        "property_more": q.property_more,
    }
    slots.update({k: v for k, v in extras.items() if v})
    if q.faq is not None:
        slots["faq"] = q.faq.id
    if q.outside is not None:
        slots["outside"] = q.outside.id
    if q.unsupported is not None:
        slots["unsupported"] = q.unsupported.id
    if q.ambiguous:
        slots["ambiguous"] = [{"text": m.text, "candidates": list(m.candidates)} for m in q.ambiguous]
    if q.unknown_names:
        slots["unknown_names"] = [{"text": m.text, "suggestions": list(m.suggestions)} for m in q.unknown_names]
    if q.fit is not None:
        slots["fit"] = {k: v for k, v in _fit_slots(q.fit).items() if v not in (None, False, ())}
    if q.carried:
        slots["carried"] = dict(q.carried)  # the slots a follow-up took from the last question
    return slots


def _fit_slots(fit: FitRequest) -> dict[str, Any]:
    return {name: getattr(fit, name) for name in FitRequest.__dataclass_fields__}


__all__ += ["normalize", "request_summary"]


def _owned_baseline(ev: Evidence, asked: list[str]) -> str | None:
    """The asker's own card, set aside as context while the question chooses among others: the pick's baseline."""
    owned = {m.gpu for m in ev.context if m.gpu is not None and m.gpu not in asked}
    return owned.pop() if len(owned) == 1 else None
