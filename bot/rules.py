"""The rule table: evidence -> one typed request.

Rules are tried in the order of :attr:`RuleBook.table`; the first that returns a request wins, and
the request records the rule's name (``gpubot ask --explain`` shows it; the query log stores it).
Each rule is a small method that reads only the :class:`~bot.evidence.Evidence`.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.catalog import Catalog, FaqEntry
from bot.evidence import Evidence, Reader
from bot.evidence_sizes import stated_fields
from bot.request import INTENT_OF, MAX_COMPARE, SOFTWARE_FAQ, Kind, Query
from bot.rig_words import rig_joined
from bot.rules_against_owned import AgainstOwned
from bot.rules_asks import AskRules, compiler_error
from bot.rules_bar import BarRules
from bot.rules_chatty import ChattyRules
from bot.rules_choice import ChoiceRules
from bot.rules_faq import FaqRules
from bot.rules_fit import asks_fit_of_it, needs_of_it, oom_in_size, oom_on_card, vs_on_one_card
from bot.rules_fit_phrased import assume_lora, fit_phrased_otherwise, has_size_word
from bot.rules_formats import FormatRules, floating_formats_named
from bot.rules_instance import InstanceRules
from bot.rules_options import OptionRules
from bot.rules_owned import owned_while_buying
from bot.rules_rank import set_rank
from bot.rules_render import render_devices
from bot.rules_same_card import SameCardRules
from bot.rules_second import SecondCardRules
from bot.rules_series import SeriesRules
from bot.rules_sized import SizedRules
from bot.rules_software import SoftwareRules
from bot.rules_speed import SpeedRules
from bot.rules_uncovered import UncoveredRules
from bot.rules_upgrade import UpgradeRules
from bot.rules_variants import VariantRules, one_architecture
from bot.software_libs import named_libraries

__all__ = ["RuleBook"]

Rule = Callable[[Evidence], Query | None]


class RuleBook:
    """The ordered rules for one catalog."""

    def __init__(self, catalog: Catalog, reader: Reader) -> None:
        self.catalog = catalog
        self.reader = reader
        self.software = SoftwareRules(catalog)
        chatty = ChattyRules(catalog, self._query, self.comparison)
        self.choice = ChoiceRules(catalog, reader)
        self.faqs = FaqRules(reader.matcher.field_phrases, self._query, self._fields)
        cues, listing = reader.lexicon.words["correction_cues"], reader.lexicon.words["rig_listing"]
        asks = AskRules(catalog, self._query, self.verdict_among_named, self.comparison, cues, listing)
        variants = VariantRules(catalog, self._table, self._is_fit_question, reader.lexicon)
        formats = FormatRules(catalog, self._query)
        sized = SizedRules(self._query, reader.lexicon, reader.fit_request)
        same = SameCardRules(self._query, reader.fit_request, setup := self.choice.setup_intent)
        speed = SpeedRules(catalog, self._query, reader.lexicon)
        owned = AgainstOwned(self._query, reader.lexicon, self._is_fit_question, reader.fit_request)
        #: The order is the specification: earlier rules win.
        self.table: tuple[tuple[str, Rule], ...] = (
            ("empty", self.empty),
            ("render devices", self.render_devices),
            ("outside hardware", asks.outside_alone),
            ("outside device asked, cards as context", asks.outside_asked),
            ("nvlink memory pooling", asks.nvlink_pooling),
            ("feature of one card", asks.feature_of_one),
            ("one of two cards said slower", speed.slower_of_two),
            ("speed measured and doubted", speed.doubted),
            ("several gpus in a runtime", speed.several_gpus),
            ("software support", self.software_support),
            ("gpu or none", asks.gpu_or_none),
            ("rest of the system", asks.rest_of_system),
            ("another card against the asker's", owned.against_owned),
            ("variants side by side", variants.side_by_side),
            ("cards named by vendor and memory", OptionRules(catalog, self._query).vendor_sizes),
            ("card as a bar", BarRules(catalog, self._query, reader.lexicon).card_as_bar),
            ("ambiguous name", self.ambiguous_name),
            ("no gpu", self.faqs.without_gpu),
            ("instance for a model", InstanceRules(reader, self._query).asked),
            ("model-sized pick", self.model_sized_pick),
            ("one card at two counts", same.setups),
            ("one or two of a card", SecondCardRules(self._query, reader.fit_request, setup).one_or_two),
            ("model the catalog does not estimate", UncoveredRules(catalog, self._query, reader.fit_request).asked),
            ("will it fit", self.will_it_fit),
            ("counted card, no model", same.counted),
            ("what a card runs", sized.card_runs),
            ("cloud instance's variant", asks.cloud_variant),
            ("setups compared", self.setups_compared),
            ("power supply", self.power_supply),
            ("unknown name", asks.unknown_name),
            ("series look-up", SeriesRules(self._query).series_list),
            ("pick within a series", SeriesRules(self._query).series_pick),
            ("value per unit", self.value_per_unit),
            ("choice argued with specs", asks.argued_choice),
            ("property of named cards", self.property_of_named),
            ("tensor format support", formats.support),
            ("tensor format support in general", formats.in_general),
            ("upgrade from an owned card", UpgradeRules(self._query, reader.lexicon).upgrade),
            ("faq", self.faq),
            ("faq about named cards", self.faqs.about_named),
            ("ranking", self.ranking),
            ("filtered list", self.filtered_list),
            ("card a correction names", asks.corrected),
            ("comparison stated as a claim", chatty.claimed_comparison),
            ("figures quoted for named cards", asks.quoted_figures),
            ("claim about named cards for a workload", asks.claim_for_workload),
            ("cards together as one rig", self.rig_together),
            ("verdict among named cards", self.verdict_among_named),
            ("comparison", self.comparison),
            ("worth it", self.worth_it),
            ("build look-up", chatty.build_lookup),
            ("verdict on one card", self.verdict_on_one),
            ("look-up", self.lookup),
            ("memory size asked", sized.memory_pick),
            ("pick", self.pick),
            ("nothing to go on", self.nothing),
        )

    def decide(self, ev: Evidence) -> Query:
        for name, rule in self.table:
            query = rule(ev)
            if query is not None:
                query.rule = name
                return query
        raise AssertionError("the last rule always answers")  # pragma: no cover

    def _query(self, ev: Evidence, kind: Kind) -> Query:
        """A request with every slot the evidence fills; the rule then sets what is particular to it."""
        match = ev.match
        q = Query(
            text=ev.text,
            intent=INTENT_OF[kind],
            gpus=list(ev.gpus),
            fields=list(self._fields(ev)),
            workload=ev.workload,
            modifiers=list(ev.modifiers),
            budget_usd=ev.budget_usd,
            value_focus=ev.has("value"),
            match=match,
            ambiguous=match.ambiguous,
            unknown_names=match.unknown,
            all_fields=ev.has("all_specs"),
            counts=dict(ev.counts),
            outside=ev.outside,
            limits=dict(ev.limits),
            vendor=ev.vendor,
            budget_currency=ev.budget_currency,
            buyable=not ev.has("datacenter"),
            laptop=ev.has("laptop") and not ev.gpus,
            cloud=[c.instance.id for c in ev.cloud],
            family=ev.family,
            cheapest=ev.has("cheapest"),
            owned=[g for m in ev.context for g in ([m.gpu] if m.gpu else m.candidates if m.ambiguous else ())],
        )
        q.kind = kind
        return q

    def _fields(self, ev: Evidence) -> list[str]:
        """The fields named; a glossary entry's fields for a card named without any ("what psu for a 4090")."""
        faq = ev.faq
        if faq is not None and faq.fields and ev.gpus and not ev.fields and not self._is_software(ev):
            return list(faq.fields)
        return ev.fields

    def _faq_entry(self, ev: Evidence) -> FaqEntry | None:
        """The FAQ entry, unless a glossary entry only lent its fields to a look-up."""
        faq = ev.faq
        lent = faq is not None and faq.fields and ev.gpus and not ev.fields and not self._is_software(ev)
        return None if lent else faq

    def _is_software(self, ev: Evidence) -> bool:
        return ev.faq is not None and ev.faq.id == SOFTWARE_FAQ and self._about_software(ev)

    @staticmethod
    def _about_software(ev: Evidence) -> bool:
        """A software question the seed article's A4000/A6000 answer does not cover: other GPUs, or other stacks ("cuda"
        alone also names the CUDA-cores field; "does the 4090 support cuda" is still about software)."""
        fields, faq = ev.fields, ev.faq
        assert faq is not None  # noqa: S101 - checked by the caller
        if fields and (fields != ["cuda_cores"] or ev.has("core_count") or not ev.has("software")):
            return False
        if ev.gpus:
            return not set(ev.gpus) <= set(faq.gpus)
        return ev.has("other_stacks")

    def _fit_words(self, ev: Evidence) -> bool:
        cached = ev.memo.get("fit_words")
        if not isinstance(cached, bool):
            cached = ev.memo["fit_words"] = self._fit_words_uncached(ev)
        return cached

    def _fit_words_uncached(self, ev: Evidence) -> bool:
        # "can a 12 gig gpu run it", "4gb vram enough?": a memory size is what it must fit in
        named = ev.has("memory_words") or ev.has("gpu_nouns") or ev.has("reverse_fit") or "memory_gb" in ev.limits
        memory = bool(ev.sizes) and named
        subject = ev.has("fit_subjects") or ev.bare_size is not None or has_size_word(ev) or memory
        sized_model = ev.model is not None or ev.bare_size is not None  # "how much vram does flux need"
        asks_memory = ev.has("requirements") and (sized_model or ev.family is not None or ev.has("fit_subjects"))
        reverse = ev.has("reverse_fit") and (bool(ev.sizes) or bool(ev.gpus))  # "how many b can a 3090 run"
        fits = ev.has("fit_verbs") and subject
        need = ev.has("need_verbs") and sized_model
        its = asks_fit_of_it(ev) or oom_on_card(ev) or needs_of_it(ev)  # "does it run on a 3060?": the thread's model
        its = its or fit_phrased_otherwise(ev) or ev.need is not None  # "it needs more than 12gb; on a 3060?"
        return fits or reverse or need or asks_memory or its or ev.has("max_context")

    def _about_gpus(self, ev: Evidence) -> bool:
        """Anything that makes a question a GPU question: a workload, budget, limit, vendor, field or GPU word."""
        return bool(
            ev.workload or ev.budget_usd is not None or ev.limits or ev.vendor or ev.fields or ev.has("gpu_topic")
        )

    def _shopping(self, ev: Evidence) -> bool:
        if (ev.gpus or ev.match.ambiguous) and not owned_while_buying(self.reader.lexicon, ev):
            return False  # "V100 ... my gpu errors, what can i do?": about the card named (not the asker's own)
        asks = ev.has("advice") or ev.has("which_what")
        return ev.budget_usd is not None or (asks and ev.has("gpu_nouns")) or self.choice.purchase(ev)

    def _wants_advice(self, ev: Evidence) -> bool:
        listing = ev.has("listing") and not ev.gpus
        return (
            ev.budget_usd is not None
            or bool(ev.limits)
            or listing
            or ev.has("advice")
            or bool(ev.rank_word and ev.fields)
        )

    def _faq_applies(self, ev: Evidence, faq: FaqEntry, fields: list[str]) -> bool:
        """FAQ answers are written about their own GPUs (the A4000 and A6000 of the seed article).
        They answer questions about those GPUs or about none named, unless the question asks for a
        pick ("best card under $1500"); a single GPU with a field ("a6000 price") is a look-up unless
        the question has FAQ words beyond the field ("is the a6000 worth the price?")."""
        gpus = ev.gpus
        if not gpus:
            return faq.intent == "recommend" or not self._wants_advice(ev)
        if not set(gpus) <= set(faq.gpus):
            return False
        if len(gpus) == 1 and faq.generic and ev.workloads:
            return False  # "is an a4000 worth it for stable diffusion": a verdict on that card for that work
        if len(gpus) == 1 and fields:
            return any(h not in self.reader.matcher.field_phrases for h in ev.faq_hits)
        return True

    def _set_rank(self, q: Query, ev: Evidence, word: str) -> None:
        set_rank(self.catalog, self.reader, q, ev, word)

    def _set_ratio(self, q: Query, ev: Evidence) -> None:
        """ "4090 vs 5090 price per gb", "a6000 tflops per watt": a value per unit next to the specs."""
        per = self.reader.per_field(ev.norm)
        top = next((k for k in q.fields if k != per and self.catalog.fields[k].type in ("int", "float")), None)
        if per and top:
            q.rank_field, q.rank_per = top, per
            if per not in q.fields:
                q.fields = [*q.fields, per]

    def _compares(self, ev: Evidence) -> bool:
        return len(ev.gpus) >= 2 and ev.has("compare_strict")

    # -- the rules, in order ------------------------------------------------------------------

    def empty(self, ev: Evidence) -> Query | None:
        """Nothing asked, or only what the bot can do ("help", "what can you do?"): its examples."""
        asks_help = ev.norm in self.reader.lexicon.words["help_requests"]
        return Query(text=ev.text, intent="unknown") if not ev.norm or asks_help else None

    def render_devices(self, ev: Evidence) -> Query | None:
        return render_devices(ev, self._query)

    def ambiguous_name(self, ev: Evidence) -> Query | None:
        """ "rtx 6000 specs": ask which one, unless it is a fit question (the fit handler asks only when the
        candidates would get different verdicts)."""
        if not ev.match.ambiguous or self._is_fit_question(ev):
            return None
        if (ev.formats_asked or ev.has("quantisation")) and one_architecture(self.catalog, ev):
            return None  # "can a V100 do bf16?": every V100 has the same tensor cores
        return self.choice.clarify(ev, self._query)

    def model_sized_pick(self, ev: Evidence) -> Query | None:
        """ "best card under $2000 for fine-tuning 7B models": a pick that must hold the model."""
        sized = ev.bare_size is not None and ev.workload is not None
        if not (self._fit_words(ev) or ev.model is not None or sized) or not self._shopping(ev):
            return None
        if ev.has("requirements"):
            return None  # "what are the hardware requirements for llama 70b": what it needs, not a card
        fit = self.reader.fit_request(ev)
        if not (fit.model_id or fit.params_b):
            return None
        q = self._query(ev, "fit_pick")
        q.fit, q.gpus = fit, [] if ev.gpus and owned_while_buying(self.reader.lexicon, ev) else q.gpus
        q.workload = q.workload or ("inference" if fit.mode == "inference" else "fine_tuning")
        q.value_focus = True  # the model sets the memory; among cards that hold it, value decides
        return q

    def _table(self) -> tuple[tuple[str, Rule], ...]:
        """The table, read when a rule runs (a method, not a closure, so a built engine pickles)."""
        return self.table

    def _is_fit_question(self, ev: Evidence) -> bool:
        cached = ev.memo.get("fit_question")
        if not isinstance(cached, bool):
            cached = ev.memo["fit_question"] = self._is_fit_question_uncached(ev)
        return cached

    def _is_fit_question_uncached(self, ev: Evidence) -> bool:
        sized = ev.model is not None or ev.bare_size is not None
        named = bool(ev.gpus) or bool(ev.match.ambiguous)
        model_with_gpu = sized and (named or ev.has("memory_words") or bool(ev.sizes))
        if not (self._fit_words(ev) or model_with_gpu) or (
            ev.wordset & {"vs", "versus", "compare"} and not vs_on_one_card(ev, sized)
        ):
            return False
        if len(ev.gpus) >= 2 and (ev.has("compare") or ev.has("weighs")):
            return False  # "4090 or 5090 for 70b q4?": a choice between setups, not one fit
        # "what would you buy with $5000 for llm finetuning?": a pick; "two 16gb cards, what's the biggest llm" and
        # "minimum requirements for it": a fit
        reverse = (ev.has("reverse_fit") or asks_fit_of_it(ev) or oom_in_size(ev)) and ev.budget_usd is None
        return sized or reverse or not self._shopping(ev) or ev.has("requirements") or ev.need is not None

    def will_it_fit(self, ev: Evidence) -> Query | None:
        if not self._is_fit_question(ev):
            return None
        q = self._query(ev, "fit")
        q.fit = self.reader.fit_request(ev)
        counted = ev.counts.get(q.gpus[0], ev.first_count) if q.gpus else ev.first_count  # "... is 4x 4090 enough"
        q.fit.gpus_count = max(ev.first_count, counted) if q.fit.gpus_count == 1 else q.fit.gpus_count
        assume_lora(ev, q.fit, self.catalog)
        return q

    def setups_compared(self, ev: Evidence) -> Query | None:
        """ "2x 3090 or one 4090 for 70B?", "4x A4000 vs 1x A6000 for fine-tuning": setups (count x card) side
        by side: total memory, what fits on each, the trade-offs and a verdict."""
        if len(ev.gpus) < 2 or not (ev.has("compare") or ev.has("which_what") or ev.has("weighs")):
            return None
        sized = ev.model is not None or ev.bare_size is not None
        if not (ev.counts or ((sized and self._fit_words(ev)) or sized)):
            return None
        q = self._query(ev, "setup")
        q.gpus, q.dropped = q.gpus[:MAX_COMPARE], q.gpus[MAX_COMPARE:]
        q.intent = self.choice.setup_intent(ev, sized)  # "should i get a 4090 or two 3090s": a verdict
        if sized:
            q.fit = self.reader.fit_request(ev)
        return q

    def power_supply(self, ev: Evidence) -> Query | None:
        """ "what psu for 2x 3090", "what power supply do i need for a 4090": a PSU size for the rig."""
        if not ev.gpus or not ev.psu_asked:
            return None
        q = self._query(ev, "psu")
        q.counts = q.counts or {q.gpus[0]: ev.first_count}
        q.fields = [k for k in ("tdp_w", "power_connectors") if k in self.catalog.fields]
        return q

    def software_support(self, ev: Evidence) -> Query | None:
        """ "does the 7900 xtx support pytorch", "vllm on a 5060 ti?", "cuda or rocm?": what runs on the GPUs
        named (a series whose cards run the same software counts as named), or on each vendor's."""
        fit = self._is_fit_question(ev) and not compiler_error(ev) and not self.software.on_platform(ev)
        if fit or ev.psu_asked or self.software.entry is None:
            return None
        weighed = ev.properties or ev.has("software_choice") or ev.has("speed")  # "4090 slower than 3090, why?"
        if len(ev.gpus) >= 2 and weighed and not ev.has("support_issues"):
            return None  # "is the 3090 or the 4080 super newer? (driver support)", "ok for pytorch or spend more on"
        gpus = self.software.subjects(ev) if self.software.asks(ev) or self._is_software(ev) else None
        if gpus is None and ev.match.ambiguous:
            return None  # its candidates run different software: ask which one
        if gpus and ev.faq is not None and ev.faq.id == SOFTWARE_FAQ and set(gpus) <= set(ev.faq.gpus):
            return None  # the seed article's own cards: its FAQ answer
        if not gpus and not self.software.general(ev) and not self._is_software(ev):
            return None
        q = self._query(ev, "software")
        q.faq, q.gpus, q.ambiguous = self.software.entry, (gpus or q.gpus)[:4], []
        q.general, q.vendor = not q.gpus, (self.software.general_vendor(ev) if not q.gpus else q.vendor)
        q.libraries = [lib.id for lib in named_libraries(self.catalog.libraries, ev.norm)]
        q.formats = floating_formats_named(ev.norm)  # "bf16 is only supported on cc 8.0 ... my V100": its answer too
        return q

    def property_of_named(self, ev: Evidence) -> Query | None:
        """ "which draws less power, the A5000 or the A4500?", "which has more vram, 7900xtx or 4080s",
        "which is quieter, a 4090 or a 6000 Ada?": that property side by side, not a general pick."""
        main_workload = ev.workload is not None and not self.catalog.workloads[ev.workload].get("modifier")
        plain_fields = ev.fields and ev.has("which_what") and not (ev.has("advice") or main_workload)
        asks = (ev.properties or plain_fields) and not self.reader.per_field(ev.norm) and not ev.counts
        if len(ev.gpus) < 2 and not (ev.unsupported and ev.gpus):
            return None
        if not (asks or ev.unsupported) or ev.model is not None or ev.bare_size is not None:
            return None
        q = self._query(ev, "property")
        named = [p.field for p in ev.properties]
        q.fields = list(dict.fromkeys([*named, *q.fields]))
        q.property_more = ev.properties[0].more if ev.properties else None
        q.unsupported = ev.unsupported if not ev.properties else None  # "less power ... a quiet box": the power
        q.gpus, q.dropped = q.gpus[:MAX_COMPARE], q.gpus[MAX_COMPARE:]
        return q

    def value_per_unit(self, ev: Evidence) -> Query | None:
        """ "which has more vram per dollar, 3090 or 4090", "is the 5080 more efficient than the 4080 super?"."""
        return self.choice.value_per_unit(ev, self._query)

    def faq(self, ev: Evidence) -> Query | None:
        faq = self._faq_entry(ev)
        fields = self._fields(ev)
        if faq is None or (self._compares(ev) and fields) or not self._faq_applies(ev, faq, fields):
            return None
        q = self._query(ev, "faq" if faq.intent == "faq" else "verdict")
        q.faq, q.intent, q.gpus = faq, faq.intent, list(faq.gpus)
        q.general = not ev.gpus and not ev.has("article_refs")  # "what is nvlink": not about the A4000 and A6000
        if faq.intent == "recommend":
            q.workload = q.workload or faq.workload
        elif ev.gpus and self.faqs.can_answer(faq, len(ev.gpus)):
            q.gpus = list(ev.gpus)  # "pros and cons of the a6000": that card, not both of the article's
        return q

    def ranking(self, ev: Evidence) -> Query | None:
        if not ev.rank_word or len(ev.gpus) == 1 or (len(ev.gpus) >= 2 and ev.has("compare_strict")):
            return None
        q = self._query(ev, "rank")
        self._set_rank(q, ev, ev.rank_word)
        return q if q.rank_field else None

    def filtered_list(self, ev: Evidence) -> Query | None:
        """ "which gpus have nvlink", "gpus with at least 80gb": a filtered list, biggest memory first."""
        main_is_modifier = ev.workload is None or bool(self.catalog.workloads[ev.workload].get("modifier"))
        fields = self._fields(ev)
        if not (ev.has("listing") and not ev.gpus and (fields or ev.limits) and main_is_modifier):
            return None
        q = self._query(ev, "list")
        self._set_rank(q, ev, "most")
        q.rank_field = q.rank_field or "memory_gb"
        q.listing = True
        return q

    def rig_together(self, ev: Evidence) -> Query | None:
        """ "can a 3090 and a 3060 be used together in ollama?": different cards as one rig, and what it runs (the
        reverse fit for the memory they offer together); a model named is a fit question, caught earlier."""
        if len(set(ev.gpus)) < 2 or ev.model is not None or ev.budget_usd is not None:
            return None
        if not rig_joined(ev, self.reader.lexicon):
            return None
        q = self._query(ev, "fit")
        q.fit = self.reader.fit_request(ev)
        q.fit.combined = q.fit.mode == "inference"
        return q if q.fit.combined else None

    def verdict_among_named(self, ev: Evidence) -> Query | None:
        asks = ev.has("recommend") or ev.workload is not None or ev.budget_usd is not None
        purpose = self.choice.choice_for_purpose(ev)  # "rtx 5000 ada or rtx pro 4500 for a workstation?"
        if len(ev.gpus) < 2 or not (asks or purpose) or not (ev.workload or ev.has("named_choice") or purpose):
            return None
        q = self._query(ev, "verdict")
        q.gpus, q.dropped = q.gpus[:MAX_COMPARE], q.gpus[MAX_COMPARE:]
        return q

    def comparison(self, ev: Evidence) -> Query | None:
        if len(ev.gpus) < 2:
            return None
        q = self._query(ev, "compare")
        q.gpus, q.dropped = q.gpus[:MAX_COMPARE], q.gpus[MAX_COMPARE:]
        self._set_ratio(q, ev)
        return q

    def worth_it(self, ev: Evidence) -> Query | None:
        """ "is the 3090 still worth it?": a verdict for AI/ML in general."""
        if len(ev.gpus) != 1 or not ev.has("worth") or self._fields(ev) or ev.workload is not None:
            return None
        q = self._query(ev, "verdict")
        q.workload = "general"
        return q if not ev.has("specs") else None

    def verdict_on_one(self, ev: Evidence) -> Query | None:
        """ "is the 4090 good for training?": a verdict against the alternatives."""
        asks = ev.has("recommend") or ev.workload is not None or ev.budget_usd is not None
        asked = set(self._fields(ev)) - stated_fields(ev.limits, ev.norm)  # not "my 3060 with 6gb vram"
        if len(ev.gpus) != 1 or not (asks and ev.workload) or asked or ev.has("specs"):
            return None
        return self._query(ev, "verdict")

    def lookup(self, ev: Evidence) -> Query | None:
        if len(ev.gpus) != 1:
            return None
        q = self._query(ev, "lookup")
        self._set_ratio(q, ev)
        return q

    def pick(self, ev: Evidence) -> Query | None:
        asks = ev.has("recommend") or ev.workload is not None or ev.budget_usd is not None
        if not (asks or ev.rank_word) or not self._about_gpus(ev):
            return None  # "best pizza topping?": not a GPU question
        q = self._query(ev, "pick")
        if ev.rank_word:
            self._set_rank(q, ev, ev.rank_word)
        return q

    def nothing(self, ev: Evidence) -> Query | None:
        return self._query(ev, "unknown")
