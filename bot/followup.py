"""Follow-up questions: "and the A5000?", "what about at 32k?", "in 8-bit?" after an answer.

A follow-up changes one slot of the last request and keeps the rest. Whether a question is one is read from
its evidence: it opens with a follow-up lead or points back ("instead", "them") or is short, and it does not
state a whole question of its own (a GPU *and* what is asked of it, a model *and* where it should run). The
merged request is built from the last :class:`~bot.request.Query` and the slots the follow-up states, never
by rewriting text; :attr:`Query.carried` records which slots came from context (``--explain`` shows them) and
:func:`~bot.followup_lead.carried_lead` says it in the answer ("Llama 3.1 8B, Q4_K_M, 32k context — on the RTX A5000:").
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.dimensions import count_word
from bot.fit_reading import asks_card_count
from bot.followup_beyond import alternative, others, psu_for, ratio_to, why_not
from bot.followup_lead import carried_over
from bot.followup_words import FollowUpWords, load_followup_words
from bot.request import INTENT_OF, MAX_COMPARE, FitRequest, Kind, Query

if TYPE_CHECKING:
    from bot.catalog import Catalog
    from bot.evidence import Evidence
    from bot.lexicon import Property
    from bot.models import ModelSpec
    from bot.parser import QuestionParser

__all__ = ["FollowUps", "Stated"]

#: A follow-up with neither a lead nor a word pointing back has at most this many words ("in 8-bit?", "a5000?")...
BARE_WORDS = 3
#: ... or this many when it asks for a property and names no card ("which one draws less power?").
SHORT_WORDS = 6
#: A follow-up with a lead may run to this many words; longer questions are read on their own.
LEAD_WORDS = 12

_FIT_KINDS = frozenset({"fit"})
_SPEC_KINDS = frozenset({"lookup", "compare", "property", "formats", "psu", "setup"})
_ADVICE_KINDS = frozenset({"pick", "rank", "list", "verdict", "fit_pick"})
# Kinds that answer a question complete in itself, whatever it is short of.
_OWN_KINDS = frozenset({"list", "rank", "software", "outside", "formats", "psu", "clarify"})
_TOPIC_KINDS = frozenset({"faq", *_OWN_KINDS})
# "at 32k", "128k?", "8192 tokens": a context length on its own, read only after a fit answer.
# Words before a count said alone after a fit on named cards ("with 2", "using three").
_COUNT_BEFORE = frozenset({"with", "using", "on", "across", "over"})
# "900", "2k", "1.5k": an amount said alone, read as a budget only after a pick made within one.
_AMOUNT = re.compile(r"(?<![\w.])(\d{1,7}(?:\.\d{1,2})?)( ?k)?(?![\w.])")
_BARE_CONTEXT = re.compile(r"(?<![$\w])(\d{1,4})k\b(?! ?(?:usd|eur|euros?|dollars?|gbp))|\b(\d{3,7}) tokens?\b")


@dataclass(slots=True)
class Stated:
    """The slots a follow-up states (empty ones: not said)."""

    gpus: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    count: int | None = None  # "two of them", "2x": how many of the cards already named
    model_id: str | None = None
    params_b: float | None = None
    unlisted: str | None = None  # the model named that the catalog lacks ("what about qwen2.5-vl-72b?")
    fit: dict[str, object] = field(default_factory=dict)  # FitRequest slots said: precision, context, mode...
    fields: list[str] = field(default_factory=list)
    properties: list[Property] = field(default_factory=list)
    budget: tuple[float, str | None] | None = None
    workload: str | None = None
    limits: dict[str, dict[str, float]] = field(default_factory=dict)
    replace: bool = False  # "instead": replace the cards rather than add to them
    compare: bool = False  # "vs the 4090": add a card to compare
    capacity_gb: float | None = None  # "is 48gb enough?", "what about 16gb": a memory size instead of a card
    vendor: str | None = None  # "what about amd?"
    ambiguous: bool = False  # "on a 3060": a card name with several variants

    @property
    def anything(self) -> bool:
        slots = (self.gpus, self.count, self.model_id, self.params_b, self.fit, self.fields, self.properties)
        said = (self.budget, self.workload, self.limits, self.capacity_gb, self.vendor, self.ambiguous)
        return any(s for s in (*slots, *said))


class FollowUps:
    """Reads a question against the last request of its conversation."""

    def __init__(self, parser: QuestionParser, catalog: Catalog) -> None:
        self.parser = parser
        self.catalog = catalog
        self.models: Mapping[str, ModelSpec] = parser.models.models if parser.models is not None else {}
        self.words: FollowUpWords = load_followup_words(catalog.root)
        # "what about amd?": a vendor named on its own, as the catalog spells its vendors
        self.vendors = {g.vendor.lower(): g.vendor for g in catalog.gpus.values() if g.vendor}

    def is_candidate(self, ev: Evidence) -> bool:
        """Shaped like a follow-up: a lead or a word pointing back ("and the A5000?", "a6000 instead?"), a short
        question about a property with no card ("which draws less power?"), or a few words ("in 8-bit?")."""
        n = len(ev.norm.split())
        leads = self.words.opens(ev.norm) or self.words.refs.found(ev.norm) or self.words.why_not.found(ev.norm)
        if leads or asks_card_count(self.parser.lexicon, ev):
            return n <= LEAD_WORDS  # ... or "how many 3090s then?": a count of the model asked about before
        if not ev.gpus and (ev.properties or ev.fields):
            return n <= SHORT_WORDS
        if _asks_what_runs(ev, None):
            return n <= SHORT_WORDS  # "what can I run?", "what llm can I run": on the cards named before
        if not (ev.gpus or ev.model or ev.bare_size) and self._asks_of_a_fit(ev):
            return n <= LEAD_WORDS  # "how much context can I get?", "and with a q8 kv cache?": of the last fit
        if len(ev.gpus) == 1 and self._ratio_asked(ev):
            return n <= LEAD_WORDS  # "how much faster is the 4090?": against the cards of the last answer
        if ev.budget_usd is not None and not (ev.gpus or ev.model or ev.bare_size or ev.workload):
            return n <= LEAD_WORDS  # "my budget is 800", "i can spend up to $1200": for what was asked before
        if ev.gpus and self.words.suffices.found(ev.norm) and not (ev.model or ev.bare_size or ev.workload):
            return n <= LEAD_WORDS  # "will a 3060 12gb work?", "would two 3090s be enough?": for what was asked
        return n <= BARE_WORDS

    def _judges_it(self, ev: Evidence, previous: Query) -> bool:
        """ "is it still worth it?", "is that card any good?": a verdict on the card the last answer settled on."""
        if ev.gpus or ev.model is not None or ev.fields or not (previous.about or previous.gpus):
            return False
        pointing = self.words.refs.found(ev.norm) or self.words.opens(ev.norm)
        return pointing and (ev.has("worth") or ev.has("verdict_asked"))

    def _asks_of_a_fit(self, ev: Evidence) -> bool:
        """The question states a slot of a fit and nothing else: a context or the longest one, a precision, a KV cache
        type, a runtime, a speed."""
        req = self.parser.reader.fit_request(ev)
        slots = (req.max_context, req.speed_asked, req.precision, req.context, req.kv_precision, req.runtime)
        return any(slots) or self.parser.runtime(ev.norm)[1] is not None

    def _ratio_asked(self, ev: Evidence) -> bool:
        return self.parser.lexicon.words["ratio_asked"].found(ev.norm)

    def _psu_for_it(self, ev: Evidence, previous: Query) -> bool:
        """ "what psu do I need for it?": the power supply of the card the last answer settled on."""
        pointing = self.words.refs.found(ev.norm) or self.words.possessive.found(ev.norm) or self.words.opens(ev.norm)
        return ev.has("psu") and not ev.gpus and pointing and bool(previous.about or previous.gpus)

    def _beyond(self, ev: Evidence, fresh: Query, previous: Query, st: Stated) -> Query | None:
        """After a pick or a verdict on one card: "why not the 3090?" sets the two side by side, and "anything
        cheaper?" or "something with more vram?" picks again past the card (bot.followup_beyond)."""
        if not previous.about or len(previous.gpus) > 1:
            return None
        if st.gpus and self.words.why_not.found(ev.norm):
            return why_not(previous, previous.about[0], st.gpus, fresh)
        if st.gpus or not st.properties or self.words.possessive.found(ev.norm) or _asks_advice(st):
            return None
        return alternative(self.catalog, previous, previous.about[0], st.properties, fresh)

    def stated(self, ev: Evidence, previous: Query) -> Stated:
        """What the follow-up says, slot by slot."""
        st = Stated(gpus=list(ev.gpus), counts=dict(ev.counts), fields=list(ev.fields))
        st.properties = list(ev.properties)
        held = previous.fit is not None and bool(previous.gpus)  # a fit on named cards: "with 2?" counts them
        st.count = self._count_of(ev, cards_held=held) if not st.gpus else None
        if ev.model is not None:
            st.model_id = ev.model.model.id
        elif ev.bare_size is not None and not ev.sizes:
            sibling = self._sibling(previous, ev.bare_size) if ev.model_unlisted is None else None
            if sibling is not None:  # "what about the 8b?" after Llama 3 70B: Llama 3 8B
                st.model_id = sibling
            else:
                st.params_b, st.unlisted = ev.bare_size, ev.model_unlisted
        st.fit = self._fit_slots(ev, previous)
        if ev.budget_usd is not None:
            st.budget = (ev.budget_usd, ev.budget_currency)
        st.workload, st.limits = ev.workload, dict(ev.limits)
        st.vendor = ev.vendor or next((self.vendors[w] for w in ev.norm.split() if w in self.vendors), None)
        st.capacity_gb = ev.sizes[0] if ev.sizes and not st.gpus else None
        st.ambiguous = bool(ev.match.ambiguous)
        st.replace = self.words.replace.found(ev.norm)
        st.compare = ev.has("compare_strict")  # "vs the 4090?", "compared to the 3090": add a card
        return st

    def _sibling(self, previous: Query, params_b: float) -> str | None:
        """The model of the last request's series (or family) with ``params_b`` in its name."""
        last = previous.fit.model_id if previous.fit is not None else None
        index = self.parser.models
        return index.sibling(last, params_b) if last is not None and index is not None else None

    @staticmethod
    def _bare_amount(ev: Evidence, previous: Query) -> float | None:
        """A plain number after a pick made within a budget ("what about 1500?", "and if I can stretch to 2000?"):
        the new budget, in the last one's currency, not a card's model number nobody named."""
        if previous.kind not in _ADVICE_KINDS or previous.budget_usd is None or ev.gpus or ev.budget_usd is not None:
            return None
        said = [m.text for m in ev.match.mentions]
        if said:
            amount = float(said[0]) if len(said) == 1 and said[0].isdigit() else 0.0
        else:  # "how about 900", "what about 2k?", "and 1.5k?"
            found = _AMOUNT.findall(ev.norm)
            amount = float(found[0][0]) * (1000 if found[0][1] else 1) if len(found) == 1 else 0.0
        return amount if 50 <= amount <= 1_000_000 else None

    def _count_of(self, ev: Evidence, *, cards_held: bool = False) -> int | None:
        """ "two of them", "4 of those", "2x", "with 3 cards": a count of the cards already named; after a fit on
        named cards (``cards_held``) also a count said alone: "what about with 2?", "and 4?", "using three"."""
        words = ev.norm.split()
        for k, word in enumerate(words):
            n = count_word(word)
            if n is None or (word in ("a", "one", "single") and k + 1 < len(words) and words[k + 1] != "of"):
                continue
            rest = " ".join(words[k + 1 : k + 4])
            hit = self.words.count_of.first(rest)
            if (hit is not None and hit.start == 0) or re.fullmatch(r"x?\d{1,2}x|x\d{1,2}", word):
                return max(1, min(64, n))
            alone = k == len(words) - 1 and (k == 0 or words[k - 1] in _COUNT_BEFORE or self.words.opens(ev.norm))
            if cards_held and alone and 1 <= n <= 16:
                return n
        return None

    def _fit_slots(self, ev: Evidence, previous: Query) -> dict[str, object]:
        """The fit slots the follow-up says: precision, context, mode, KV cache, runtime, batch, strategy."""
        req = self.parser.reader.fit_request(ev)
        said: dict[str, object] = {}
        if req.precision is not None:
            said["precision"] = req.precision
        context = req.context or (_bare_context(ev.norm) if previous.fit is not None else None)
        if context is not None:
            said["context"] = context
        if any(phrases.found(ev.norm) for phrases in self.parser.lexicon.modes.values()):
            said["mode"] = req.mode
        for name in ("kv_precision", "batch", "strategy", "lora_rank"):
            if getattr(req, name) is not None:
                said[name] = getattr(req, name)
        for flag in ("max_context", "speed_asked", "count_asked"):  # "and the max context?", "how many 3090s then?"
            if getattr(req, flag):
                said[flag] = True
        runtime = self.parser.runtime(ev.norm)[1]
        if runtime is not None:
            said["runtime"] = runtime
        return said

    def complete(self, ev: Evidence, fresh: Query) -> bool:
        """The question states a whole question of its own (what it is about and what it asks of it)."""
        if ev.match.unknown or (ev.match.ambiguous and fresh.kind != "fit"):
            return True  # a name to settle first (a fit answers each variant of an ambiguous card)
        if fresh.kind in _OWN_KINDS or ev.outside is not None:
            return True  # a listing, a ranking, software, hardware outside the catalog
        pointing = self.words.opens(ev.norm) or self.words.refs.found(ev.norm)
        ranks = ev.rank_word is not None and not self.parser.reader.fit_request(ev).max_context  # not "max context"
        asks_pick = ev.has("advice") or ranks or (ev.has("recommend") and ev.workload is not None)
        if asks_pick and not pointing and not ev.gpus:
            return True  # "which gpu has the most memory?", "best single-slot card under $1500"
        if not ev.gpus and (
            ev.properties or (ev.fields and (self.words.opens(ev.norm) or self.words.possessive.found(ev.norm)))
        ):
            return False  # "which is cheaper?", "and the power?", "what is its bandwidth": of the last answer's cards
        if fresh.kind in _TOPIC_KINDS or (fresh.kind == "verdict" and ev.gpus):
            return True  # a topic; "is the dgx spark worth it": a verdict on the card named
        names = len(ev.gpus)
        sized = ev.model is not None or ev.bare_size is not None
        if not sized and asks_card_count(self.parser.lexicon, ev):
            return False  # "how many 3090s then?": the count, for the model asked about before
        if fresh.kind == "fit":
            held = bool(names or fresh.ambiguous or (fresh.fit and fresh.fit.capacity_gb))
            return sized and (held or ev.has("requirements"))  # "how much vram does flux need": on no card
        if names >= 2:
            return True
        asks = bool(ev.fields or ev.properties or ev.has("specs") or ev.has("all_specs") or ev.formats_asked)
        return names == 1 and (asks or ev.workload is not None or sized)

    def merge(self, ev: Evidence, fresh: Query, previous: Query, rig: tuple[tuple[str, int], ...] = ()) -> Query | None:
        """The follow-up's request with the rest carried from ``previous``; None when it is no follow-up. ``rig``: the
        asker's saved cards, for "what about my rig?"."""
        if not self.is_candidate(ev):
            return None
        merged = self._merged(ev, fresh, previous, rig)
        if merged is not None:
            merged.text, merged.rule = ev.text, f"follow-up ({_base_rule(previous.rule or previous.kind)})"
            merged.carried = carried_over(self.catalog, self.models, previous, merged)
        return merged

    def _merged(self, ev: Evidence, fresh: Query, previous: Query, rig: tuple[tuple[str, int], ...]) -> Query | None:
        if self._ratio_asked(ev) and len(ev.gpus) == 1 and (against := others(previous, ev.gpus)):
            return ratio_to(previous, ev.gpus[0], against[0], fresh)  # "how much faster is the 4090?"
        amount = self._bare_amount(ev, previous)
        leans = amount is not None or _budget_alone(ev, previous) or self._judges_it(ev, previous)
        leans = leans or self._psu_for_it(ev, previous) or (bool(previous.about) and _asks_what_runs(ev, fresh))
        if not leans and self.complete(ev, fresh):
            return None
        st = self.stated(ev, previous)
        if amount is not None:
            st.budget = (amount, previous.budget_currency)
        if rig and not st.gpus and self.words.own_rig.found(ev.norm):
            st.gpus, st.counts = [g for g, _ in rig], dict(rig)
        if not (st.anything or leans):
            return None
        kind = previous.kind
        if kind in _FIT_KINDS and previous.fit is not None:
            return self._merge_fit(ev, fresh, previous, st)
        if kind == "setup" and previous.fit is not None and (st.fit or st.count) and not (st.gpus or st.model_id):
            return _merge_setup(fresh, previous, st)  # "and in 8-bit?" after setups set side by side
        if kind in _SPEC_KINDS:
            return self._about_cards(ev, fresh, previous, st) or self._merge_spec(fresh, previous, st)
        if kind in _ADVICE_KINDS:
            merged = self._beyond(ev, fresh, previous, st) or self._about_cards(ev, fresh, previous, st)
            return merged or self._merge_advice(fresh, previous, st)
        return None

    # -- merging, by the kind of the last request -----------------------------------------------

    def _merge_fit(self, ev: Evidence, fresh: Query, previous: Query, st: Stated) -> Query | None:
        assert previous.fit is not None  # noqa: S101 - checked by the caller
        if (st.fields or st.properties) and not (st.model_id or st.fit) and previous.gpus:
            return self._merge_spec(fresh, dataclasses.replace(previous, kind="lookup", fields=[]), st)
        fit = dataclasses.replace(previous.fit)
        gpus = list(previous.gpus)
        if st.gpus:
            gpus = st.gpus[:MAX_COMPARE]
            fit.gpus_count, fit.capacity_gb = st.counts.get(gpus[0], 1), None
        elif fresh.ambiguous:  # "does it run on a 3060?": each 3060, as the question alone would be answered
            gpus, fit.capacity_gb, fit.gpus_count = [], None, fresh.fit.gpus_count if fresh.fit else 1
        elif st.capacity_gb is not None:
            gpus, fit.capacity_gb, fit.gpus_count = [], st.capacity_gb, 1
        if st.count is not None:
            fit.gpus_count = st.count
        if st.model_id or st.params_b:
            fit.model_id, fit.params_b, fit.unlisted, fit.held_with = st.model_id, st.params_b, st.unlisted, ()
        for name, value in st.fit.items():
            setattr(fit, name, value)
        _settle_mode(fit)
        if fit == previous.fit and gpus == previous.gpus and not fresh.ambiguous:
            return None
        q = dataclasses.replace(previous, gpus=gpus, fit=fit, kind="fit", intent="fits", match=fresh.match)
        kept = [] if st.gpus or st.capacity_gb is not None else previous.ambiguous
        q.ambiguous = list(fresh.ambiguous or kept)
        q.unknown_names, q.counts = [], {gpus[0]: fit.gpus_count} if gpus else {}
        return q

    def _merge_spec(self, fresh: Query, previous: Query, st: Stated) -> Query | None:
        if st.model_id and len(previous.gpus) == 1:
            return None  # a model after a card ("and llama 3 70b?"): read on its own
        if previous.kind in ("formats", "psu") and st.gpus and not (st.fields or st.properties):
            # "does the 5090 support fp4?" -> "and the 4090?": the same formats (or supply) of the card named
            return dataclasses.replace(previous, gpus=st.gpus[:MAX_COMPARE], counts=dict(st.counts), match=fresh.match)
        if st.workload is not None and not st.gpus and previous.gpus and not st.fields:
            # "a6000 specs", then "and for training?"; "A4000 vs A6000", then "which one is better for training?"
            gpus = previous.gpus[:MAX_COMPARE]
            return dataclasses.replace(fresh, gpus=gpus, kind="verdict", intent="recommend", workload=st.workload)
        gpus = _merge_gpus(previous.gpus, st)
        fields = list(dict.fromkeys([p.field for p in st.properties] + st.fields)) or list(previous.fields)
        kind = _spec_kind(previous, gpus, st)
        if gpus == previous.gpus and fields == previous.fields and kind == previous.kind:
            return None
        q = dataclasses.replace(fresh, gpus=gpus, fields=fields, kind=kind, intent=INTENT_OF[kind], dropped=[])
        q.counts = {g: n for g, n in (previous.counts | st.counts).items() if g in gpus}
        q.property_more = st.properties[0].more if st.properties else previous.property_more
        if kind == "property" and not st.properties and previous.kind != "property":
            q.property_more = None
        return q

    def _about_cards(self, ev: Evidence, fresh: Query, previous: Query, st: Stated) -> Query | None:
        """A follow-up about the cards the last answer settled on (:attr:`Query.about`), naming none: "and its
        bandwidth?" after a pick is a look-up of the card picked; "can it run llama 3 70b?" after a verdict on the
        4090 (or "can they run it" after two cards) is that model on that card. After a look-up or a comparison, a
        model alone ("and llama 3 70b?") still reads on its own unless the question points back ("it", "them")."""
        about = previous.about or ([] if previous.kind in _ADVICE_KINDS else previous.gpus)
        if not about or st.gpus or st.capacity_gb is not None:
            return None
        if st.model_id or st.params_b:
            points_back = previous.kind in _ADVICE_KINDS or self.words.refs.found(ev.norm) or self.words.opens(ev.norm)
            return self._fit_on(ev, fresh, about, st, previous.counts) if points_back else None
        if _asks_what_runs(ev, fresh):  # "what can I run?", "what llm can I run" after a card: what that card runs
            return self._fit_on(ev, fresh, about, st, previous.counts)
        if self._psu_for_it(ev, previous):
            return psu_for(self.catalog, about, fresh)
        if self._judges_it(ev, previous):  # "is it still worth it?": for the work asked about before, else in general
            workload = st.workload or previous.workload or "general"
            q = dataclasses.replace(
                fresh, kind="verdict", intent="recommend", gpus=about[:MAX_COMPARE], workload=workload
            )
            q.faq, q.general, q.fields = None, False, []  # a verdict on the card, not the topic a fresh reading found
            q.budget_usd, q.budget_currency = previous.budget_usd, previous.budget_currency
            return q
        if previous.kind in _ADVICE_KINDS and (st.fields or st.properties) and not _asks_advice(st):
            lookup = dataclasses.replace(previous, kind="lookup", gpus=about[:MAX_COMPARE], fields=[])
            return self._merge_spec(fresh, lookup, st)
        return None

    def _fit_on(self, ev: Evidence, fresh: Query, cards: list[str], st: Stated, counts: Mapping[str, int]) -> Query:
        """The model the follow-up names on ``cards``: a fit on one card, setups side by side for several
        (``st.count`` of each when it says "two of them", else as many as were said before: "I have two 3090s")."""
        fit = dataclasses.replace(fresh.fit) if fresh.fit is not None else self.parser.reader.fit_request(ev)
        fit.gpus_count, fit.capacity_gb, fit.combined = st.count or counts.get(cards[0], 1), None, False
        fit.runtime = fit.runtime or self.parser.runtime(ev.norm)[1]
        gpus = cards[:MAX_COMPARE]
        kind: Kind = "fit" if len(gpus) == 1 else "setup"  # several cards: set side by side, as "on a 4090 or a 5090"
        q = dataclasses.replace(fresh, kind=kind, intent=INTENT_OF[kind], gpus=gpus, fit=fit, ambiguous=[])
        q.unknown_names, q.counts = [], dict.fromkeys(gpus, fit.gpus_count)
        return q

    def _merge_advice(self, fresh: Query, previous: Query, st: Stated) -> Query | None:
        q = dataclasses.replace(previous, match=fresh.match)
        if st.budget is not None:
            q.budget_usd, q.budget_currency = st.budget
        if st.workload is not None:
            q.workload = st.workload
        if st.limits:
            q.limits = st.limits
        if st.vendor is not None:
            q.vendor = st.vendor
        if st.gpus and q.workload is not None and previous.kind in ("pick", "verdict"):
            q.gpus, q.kind, q.intent = st.gpus[:1], "verdict", "recommend"  # "and the A5000?": is it good for that
        return None if _same_advice(q, previous) else q


def _base_rule(rule: str) -> str:
    """The rule that read the first question of a run of follow-ups."""
    while rule.startswith("follow-up (") and rule.endswith(")"):
        rule = rule[len("follow-up (") : -1]
    return rule


def _bare_context(norm: str) -> int | None:
    """ "at 32k", "128k?", "8192 tokens": a context length said on its own (after a fit answer)."""
    m = _BARE_CONTEXT.search(norm)
    if m is None:
        return None
    value = int(m.group(1)) * 1024 if m.group(1) else int(m.group(2))
    return value if 256 <= value <= 10_000_000 else None


def _settle_mode(fit: FitRequest) -> None:
    """LoRA on a 4-bit base is QLoRA, QLoRA on an 8-bit base is LoRA (as the reader settles a question's)."""
    if fit.mode in ("lora", "full") and fit.precision in ("int4", "nf4"):
        fit.mode = "qlora"
    elif fit.mode == "qlora" and fit.precision in ("int8", "fp8", "q8_0"):
        fit.mode = "lora"


def _merge_gpus(previous: list[str], st: Stated) -> list[str]:
    """The cards of the follow-up: the named ones added to a comparison ("vs the 4090", "and the A5000" after two
    cards) or in place of the last ones ("the A5000 instead", "and the A5000" after one card)."""
    if not st.gpus:
        return list(previous)
    adds = (st.compare or len(previous) >= 2) and not st.replace
    if not adds:
        return st.gpus[:MAX_COMPARE]
    return list(dict.fromkeys([*previous, *st.gpus]))[:MAX_COMPARE]


def _spec_kind(previous: Query, gpus: list[str], st: Stated) -> Kind:
    if len(gpus) < 2:
        return "lookup"
    if st.properties or (previous.kind == "property" and not st.fields):
        return "property"
    return "setup" if previous.kind == "setup" else "compare"


def _merge_setup(fresh: Query, previous: Query, st: Stated) -> Query | None:
    """Setups set side by side for a model, with the fit slots the follow-up says (precision, context, runtime...)."""
    assert previous.fit is not None  # noqa: S101 - checked by the caller
    fit = dataclasses.replace(previous.fit)
    for name, value in st.fit.items():
        setattr(fit, name, value)
    _settle_mode(fit)
    if st.count is not None:
        fit.gpus_count = st.count
    if fit == previous.fit:
        return None
    q = dataclasses.replace(previous, fit=fit, match=fresh.match)
    if st.count is not None:
        q.counts = dict.fromkeys(q.gpus, st.count)
    return q


def _asks_what_runs(ev: Evidence, fresh: Query | None) -> bool:
    """What a card runs, asked with neither a card, a model nor a memory size: "what can I run?", "what llm can I
    run" (``fresh``, when given: its reading is no fit of its own either)."""
    if ev.gpus or ev.model is not None or ev.bare_size is not None or ev.sizes:
        return False
    if fresh is not None and fresh.kind not in ("fit", "unknown"):
        return False
    return ev.has("reverse_fit") or (ev.has("fit_verbs") and not ev.has("oom"))


def _budget_alone(ev: Evidence, previous: Query) -> bool:
    """ "my budget is 800" after "what gpu should i get for local llms": the same pick within that budget."""
    said = ev.gpus or ev.model is not None or ev.bare_size is not None or ev.workload is not None
    return previous.kind in ("pick", "fit_pick") and ev.budget_usd is not None and not said


def _asks_advice(st: Stated) -> bool:
    """The follow-up changes what a pick is made for (a budget, a workload, limits, a vendor)."""
    return bool(st.budget or st.workload or st.limits or st.vendor)


def _same_advice(q: Query, previous: Query) -> bool:
    slots = ("budget_usd", "workload", "limits", "gpus", "vendor")
    return all(getattr(q, s) == getattr(previous, s) for s in slots)
