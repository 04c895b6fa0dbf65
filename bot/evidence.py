"""Evidence: everything a question mentions, found in one pass and typed.

:meth:`Reader.read` normalises the question once and collects its mentions: GPUs (resolved,
ambiguous or unknown), spec fields, numeric limits ("at least 24gb"), a budget, memory sizes, counts,
models, precisions, modes, contexts, comparative properties ("draws less power"), workloads, vendors,
hardware outside the catalog, FAQ topics and the question's word classes (``specs/lexicon.yaml``).
The rules in :mod:`bot.rules` read only this evidence, never the raw text again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.catalog import Catalog, FaqEntry, Outside
from bot.lexicon import Hit, Lexicon, Property, Unsupported
from bot.matcher import GpuMention, MatchResult
from bot.models import ModelIndex, ModelMention
from bot.request import FitRequest
from bot.text import normalize, tokens

if TYPE_CHECKING:
    from bot.matcher import Matcher

__all__ = ["Evidence", "Mention", "Reader"]

# Numeric dimensions (Duckling-style): each a pattern whose groups build a typed value.
_NUMBER = r"(\d+(?:\.\d+)?)"
_NOT_A_PRICE_UNIT = r"(?!\s*(?:w|watts?|gb|tb|mhz|ghz|mm|nm|gbps|tflops|slots?)\b)"
_CONTEXT_RE = re.compile(
    rf"\b{_NUMBER}\s*(k)?\s*(?:token|tokens)?\s*(?:context|ctx|context window|context length)\b"
    rf"|\b(?:context|ctx)(?: length| window)?(?: of)?\s*{_NUMBER}\s*(k)?\b"
)
_KV_RE = re.compile(r"\b(fp8|int8|q8|fp16|bf16|q4)\s+kv\b|\bkv(?: cache)?\s+(?:in\s+)?(fp8|int8|q8|fp16|bf16|q4)\b")
_CUDA_VERSION = re.compile(r"\bcuda\s*(?:toolkit\s*)?v?\d{1,2}(?:\.\d)?\b(?!\s*(?:cores?|gb))")
_SIZE_RE = re.compile(r"\b(\d+(?:\.\d+)?)gb\b")
_RANK_RE = re.compile(r"\b(?:rank|r)\s*=?\s*(\d{1,4})\b")
_COUNT_WORD = re.compile(r"^(?:x?(\d{1,2})x?|(one|single|a|two|dual|three|four|quad|six|eight))$")
_NUMBER_WORDS = {"one": 1, "single": 1, "a": 1, "two": 2, "dual": 2, "three": 3, "four": 4, "quad": 4, "six": 6}
_NUMBER_WORDS["eight"] = 8
_VENDOR_RE = (
    (
        "NVIDIA",
        re.compile(r"\b(?:nvidia only|only nvidia|nvidia (?:card|gpu)s?|from nvidia|cuda (?:only|support|card|gpu))\b"),
    ),
    ("AMD", re.compile(r"\b(?:amd only|only amd|amd (?:card|gpu)s?|from amd|rocm|radeon (?:card|gpu)s?)\b")),
    ("Intel", re.compile(r"\b(?:intel only|only intel|intel (?:card|gpu)s?|from intel)\b")),
)


def count_word(word: str) -> int | None:
    """ "2x", "x8", "two", "dual" -> how many; None for any other word."""
    m = _COUNT_WORD.match(word)
    if m is None:
        return None
    return int(m.group(1)) if m.group(1) else _NUMBER_WORDS[m.group(2)]


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
    bare_size: float | None = None
    faq: FaqEntry | None = None
    faq_hits: list[str] = field(default_factory=list)
    rank_word: str | None = None
    properties: list[Property] = field(default_factory=list)
    unsupported: Unsupported | None = None
    classes: frozenset[str] = frozenset()  # the lexicon's word classes the question has
    mentions: list[Mention] = field(default_factory=list)
    context: list[GpuMention] = field(default_factory=list)  # GPUs mentioned as the asker's context

    @property
    def gpus(self) -> list[str]:
        return self.match.gpu_ids

    @property
    def fields(self) -> list[str]:
        return self.match.field_keys

    @property
    def wordset(self) -> frozenset[str]:
        return frozenset(self.match.words)

    def has(self, word_class: str) -> bool:
        return word_class in self.classes


class Reader:
    """Builds :class:`Evidence` for questions; built once per catalog."""

    def __init__(self, catalog: Catalog, matcher: Matcher, models: ModelIndex | None, lexicon: Lexicon) -> None:
        self.catalog = catalog
        self.matcher = matcher
        self.models = models
        self.lexicon = lexicon
        self._budget_re = self._budget_pattern()
        self._range_re = self._range_pattern()
        self._limit_res = self._limit_patterns()
        workload_phrases = {
            normalize(kw): name
            for name, spec in reversed(list(catalog.workloads.items()))
            for kw in (*reversed(spec.get("keywords", ())), name.replace("_", " "))
        }
        self._workload_re = re.compile(
            r"(?<= )(" + "|".join(re.escape(k) for k in sorted(workload_phrases, key=len, reverse=True)) + r")(?= )"
        )
        self._workload_of = workload_phrases
        self._faq_groups = [
            (entry, [[f" {normalize(o)} " for o in group.split("|") if o.strip()] for group in entry.keywords])
            for entry in catalog.faqs
            if entry.keywords
        ]

    # -- numeric dimensions -------------------------------------------------------------------

    def _budget_pattern(self) -> re.Pattern[str]:
        money = "|".join(
            re.escape(p) for p in sorted(self.lexicon.currencies.meaning, key=len, reverse=True) if p != "$"
        )
        return re.compile(
            r"(?:(?:under|below|less than|cheaper than|max|maximum|budget(?: of| is)?(?: around| about| roughly)?|"
            r"up to|within|at most|<|for|"
            r"around|about|no more than|for less than)\s*)?\$\s?(\d+(?:\.\d+)?)\s*(k)?"
            r"|(?:under|below|less than|cheaper than|budget(?: of| is)?(?: around| about| roughly)?|up to|within|"
            r"at most|no more than|"
            r"(?<!gpu )(?<!intel )max)\s+"  # not "Intel Data Center GPU Max 1100"
            rf"(\d+(?:\.\d+)?)\s*(k)?\b{_NOT_A_PRICE_UNIT}"
            rf"\s*(?:{money})?|(\d+(?:\.\d+)?)\s*(k)?\s*(?:{money})\b"
            r"|(\d+(?:\.\d+)?)\s*(k)?\s+budget"
        )

    def _range_pattern(self) -> re.Pattern[str]:
        money = "|".join(re.escape(p) for p in self.lexicon.currencies.meaning if p != "$")
        amount = r"(\d+(?:\.\d+)?)\s*(k)?"
        return re.compile(
            rf"(?:between\s+)?\$\s?{amount}\s+(?:to|and)\s+\$?\s?{amount}"
            rf"|(?:between\s+)?{amount}\s+(?:to|and)\s+{amount}\s*(?:{money}|budget)\b"
        )

    def _limit_patterns(self) -> tuple[tuple[str, str, re.Pattern[str]], ...]:
        at_least = "|".join(re.escape(p) for p in self.lexicon.bounds["at_least"].meaning)
        at_most = "|".join(re.escape(p) for p in self.lexicon.bounds["at_most"].meaning)
        least, most = rf"(?:{at_least}|>=?)", rf"(?:{at_most}|<=?)"
        memory_min = re.compile(
            rf"\b{least}\s*(\d+(?:\.\d+)?)gb\b|\b(\d+(?:\.\d+)?)gb\s*(?:or more|plus|\+|min|minimum)"
            r"|\b(\d+(?:\.\d+)?)gb\s+(?:of\s+)?(?:vram\s+)?(?:card|cards|gpu|gpus|accelerator|accelerators)\b"
        )
        return (
            ("memory_gb", "min", memory_min),
            ("memory_gb", "max", re.compile(rf"\b{most}\s*(\d+(?:\.\d+)?)gb\b")),
            ("tdp_w", "max", re.compile(rf"\b{most}\s*(\d+)\s*(?:w|watts?)\b")),
            ("tdp_w", "min", re.compile(r"\b(?:at least|over|more than|above)\s*(\d+)\s*(?:w|watts?)\b")),
        )

    def limits(self, norm: str) -> tuple[dict[str, dict[str, float]], str]:
        """Numeric constraints ("at least 24gb", "under 200w") and the text with them blanked out."""
        found: dict[str, dict[str, float]] = {}
        for key, bound, pattern in self._limit_res:
            m = pattern.search(norm)
            if m:
                value = next(g for g in m.groups() if g)
                found.setdefault(key, {})[bound] = float(value)
                norm = norm[: m.start()] + " " + norm[m.end() :]
        return found, norm

    def budget(self, norm: str) -> tuple[float | None, str]:
        """The budget (as a number; a range gives its top), and the text with the budget phrase blanked out."""
        r = self._range_re.search(norm)
        if r is not None:
            _, low_k, high, high_k = _range(r)
            amount = float(high) * (1000 if high_k or (low_k and float(high) < 50) else 1)
            if amount >= 50:
                return amount, norm[: r.start()] + " " + norm[r.end() :]
        m = self._budget_re.search(norm)
        if not m:
            return None, norm
        groups = m.groups()
        for value, kilo in zip(groups[0::2], groups[1::2], strict=True):
            if value:
                amount = float(value) * (1000 if kilo else 1)
                if amount < 50:  # "$5" is not a GPU budget; "1.5k" is.
                    return None, norm
                return amount, norm[: m.start()] + " " + norm[m.end() :]
        return None, norm

    def budget_currency(self, norm: str) -> str | None:
        hit = self.lexicon.currencies.first(norm)
        return hit.value if hit is not None else None

    # -- word classes -------------------------------------------------------------------------

    def workloads(self, norm: str) -> list[str]:
        """Every workload the question names, longest keyword first, without repeats."""
        found: list[str] = []
        for m in self._workload_re.finditer(f" {norm} "):
            name = self._workload_of[m.group(1)]
            if name not in found:
                found.append(name)
        return found

    def main_workload(self, found: list[str]) -> str | None:
        """The main workload: the first that is not a modifier, else the first modifier."""
        main = [w for w in found if not self.catalog.workloads[w].get("modifier")]
        pick = main or found
        return pick[0] if pick else None

    def faq_match(self, norm: str) -> tuple[FaqEntry | None, list[str]]:
        """The FAQ whose keyword groups all appear in the question (the longest hits win), and the hits."""
        padded = f" {norm} "
        best: FaqEntry | None = None
        best_hits: list[str] = []
        best_score = 0
        for entry, groups in self._faq_groups:
            hits = []
            for options in groups:
                found = [o for o in options if o in padded]
                if not found:
                    break
                hits.append(max(found, key=len))
            else:
                score = sum(len(h) for h in hits)
                if score > best_score:
                    best, best_hits, best_score = entry, [h.strip() for h in hits], score
        return best, best_hits

    def _classes(self, norm: str, words: list[str]) -> frozenset[str]:
        """The lexicon's word classes present: phrases over the whole text, single words over the GPU-free words."""
        joined = " ".join(words)
        found = set()
        for name, phrases in self.lexicon.words.items():
            if phrases.found(norm) if name not in _WORD_CLASSES_ON_WORDS else phrases.found(joined):
                found.add(name)
        return frozenset(found)

    # -- counts -------------------------------------------------------------------------------

    @staticmethod
    def _first_count(match: MatchResult) -> int:
        """ "2x 3090", "two a6000s", "8 h100 sxm", "a6000 x2": how many of the first GPU."""
        for mention in match.mentions[:1]:
            around = []
            if mention.start > 0:
                around.append(match.words[mention.start - 1])
            if mention.end < len(match.words):
                around.append(match.words[mention.end])
            for word in around:
                value = count_word(word)
                if value is not None:
                    return max(1, min(64, value))
        return 1

    @staticmethod
    def _counts(match: MatchResult) -> dict[str, int]:
        """How many of each GPU named, when more than one: "two 3090s", "2x a6000", "a6000 x2"."""
        counts: dict[str, int] = {}
        for mention in match.mentions:
            if mention.gpu is None:
                continue
            before = match.words[mention.start - 1] if mention.start > 0 else ""
            after = match.words[mention.end] if mention.end < len(match.words) else ""
            value = count_word(before) or (count_word(after) if re.fullmatch(r"x\d{1,2}", after) else None) or 1
            if value > 1:
                counts[mention.gpu] = min(64, value)
        return counts

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
        cues = self.lexicon.words["context_cues"]
        context: list[GpuMention] = []
        for m in match.mentions:
            after_cue = cues.found(" ".join(match.words[max(0, m.start - 5) : m.start]))
            # "I have a 4090 and a 3090": a GPU listed with a context GPU is context too.
            listed = bool(context) and set(match.words[context[-1].end : m.start]) <= _LIST_WORDS
            if after_cue or listed:
                context.append(m)
        subject = [m for m in match.mentions if m not in context]
        compares = self.lexicon.words["compare_strict"].found(" ".join(match.words))
        if not context or not subject or compares:
            return []
        match.mentions = subject
        return context

    # -- the whole question -------------------------------------------------------------------

    def read(self, text: str) -> Evidence:
        norm = normalize(text)
        ev = Evidence(text=text, norm=norm)
        if not norm:
            return ev
        ev.limits, without_limits = self.limits(norm)
        ev.budget_usd, without_budget = self.budget(without_limits)
        if ev.budget_usd is not None:
            ev.budget_currency = self.budget_currency(norm)
        ev.match = match = self._drop_codes(self.matcher.match(tokens(without_budget)))
        ev.context = self._drop_context(match)
        in_names = {k for m in match.mentions for k in range(m.start, m.end)}
        ev.workloads = self.workloads(" ".join(w for k, w in enumerate(match.words) if k not in in_names))
        ev.workload = self.main_workload(ev.workloads)
        ev.modifiers = [w for w in ev.workloads if w != ev.workload and self.catalog.workloads[w].get("modifier")]
        ev.classes = self._classes(norm, match.words)
        if _CUDA_VERSION.search(norm):
            ev.classes |= {"software"}  # "p40 cuda 13?": which CUDA version runs on it
        ev.counts = self._counts(match)
        ev.first_count = self._first_count(match)
        ev.outside = next((o for o in self.catalog.outside if o.pattern.search(norm)), None)
        ev.vendor = next((name for name, pattern in _VENDOR_RE if pattern.search(norm)), None)
        ev.model = self.models.find(match.words) if self.models is not None else None
        ev.bare_size = ModelIndex.bare_size(norm)
        ev.faq, ev.faq_hits = self.faq_match(norm)
        rank = self.lexicon.words["rank"].first(norm)
        ev.rank_word = rank.text if rank else None
        ev.properties = [self.lexicon.property_of(h) for h in self.lexicon.properties.finditer(norm)]
        ev.properties += self._directed_fields(match, {p.field for p in ev.properties})
        unsupported = self.lexicon.unsupported.first(norm)
        ev.unsupported = self.lexicon.unsupported_info[unsupported.value] if unsupported else None
        ev.mentions = self._mentions(ev, rank, unsupported)
        return ev

    def per_field(self, norm: str) -> str | None:
        """The field a question divides by: "per dollar", "per watt", "per GB"."""
        words = self.lexicon.words
        for cls, key in (("per_dollar", "launch_price_usd"), ("per_watt", "tdp_w"), ("per_gb", "memory_gb")):
            if words[cls].found(norm) or (cls == "per_dollar" and re.search(r"/\s*\$", norm)):
                return key
        return None

    def fit_request(self, ev: Evidence) -> FitRequest:
        """The slots of a "will it fit" question."""
        norm = ev.norm
        req = FitRequest(model_id=ev.model.model.id if ev.model else None)
        if req.model_id is None:
            req.params_b = ev.bare_size
        req.mode = next((m for m, phrases in self.lexicon.modes.items() if phrases.found(norm)), "inference")
        req.precision = _first_precision(self.lexicon, norm)
        req.context = _context(norm)
        req.max_context = ev.has("max_context")
        kv = _KV_RE.search(norm)
        if kv:
            name = kv.group(1) or kv.group(2)
            req.kv_precision = self.lexicon.kv_precisions.get(name, name)
            if req.precision is not None and re.search(rf"\b{name}\b", norm) and norm.count(name) == 1:
                req.precision = None  # the only mention of that precision was the KV cache's
        size = _SIZE_RE.search(norm)
        if size and float(size.group(1)) > 0:
            req.capacity_gb = float(size.group(1))
        req.checkpointing = not ev.has("no_checkpointing")
        rank = _RANK_RE.search(norm)
        if rank:
            req.lora_rank = int(rank.group(1))
        req.lora_all_linear = ev.has("all_linear")
        return req

    def _mentions(self, ev: Evidence, rank: Hit | None, unsupported: Hit | None) -> list[Mention]:
        out = [_gpu_mention(m) for m in ev.match.mentions]
        out += [Mention("context gpu (not the subject)", m.text, m.gpu or m.text) for m in ev.context]
        out += [Mention("field", f.text, f.key) for f in ev.match.fields]
        for key, bounds in ev.limits.items():
            out += [Mention("limit", f"{bound} {key}", f"{value:g}") for bound, value in bounds.items()]
        if ev.budget_usd is not None:
            out.append(Mention("budget", ev.budget_currency or "usd", f"{ev.budget_usd:g}"))
        out += [Mention("workload", w, w) for w in ev.workloads]
        if ev.model is not None:
            out.append(Mention("model", ev.model.text, ev.model.model.id))
        elif ev.bare_size is not None:
            out.append(Mention("model size", f"{ev.bare_size:g}b", f"{ev.bare_size:g}B parameters"))
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


def _gpu_mention(mention: GpuMention) -> Mention:
    if mention.gpu:
        return Mention("gpu", mention.text, mention.gpu)
    if mention.ambiguous:
        return Mention("gpu (ambiguous)", mention.text, " | ".join(mention.candidates))
    near = " | ".join(mention.suggestions)
    return Mention("gpu (unknown)", mention.text, f"did you mean {near}" if near else "nothing close")


def _first_precision(lexicon: Lexicon, norm: str) -> str | None:
    """The precision named: in the lexicon's order of precisions (GGUF names before generic bit counts)."""
    named = set(lexicon.precisions.values(norm))
    order = list(dict.fromkeys(lexicon.precisions.meaning.values()))
    return next((p for p in order if p in named), None)


def _range(m: re.Match[str]) -> tuple[str, str | None, str, str | None]:
    """(low, its k, high, its k) of a matched budget range, whichever alternative matched."""
    groups = m.groups()
    first = groups[:4] if groups[0] is not None else groups[4:]
    return first[0] or "0", first[1], first[2] or "0", first[3]


def _context(norm: str) -> int | None:
    m = _CONTEXT_RE.search(norm)
    if not m:
        return None
    value, kilo = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    return int(float(value) * (1024 if kilo else 1))
