"""A family name with several variants beside other named cards: every variant side by side, not "which one?".

"t4 vs p100", "A100 80GB vs 4090 vs 5090 for LoRA", "mi50 vs 3090": when the variants of each ambiguous name and
the other cards named fit in one comparison (:data:`~bot.request.MAX_COMPARE` columns), the question is answered
for every variant, and the answer says the name covers several; a recommendation scores every variant (up to
:data:`MAX_SCORED` cards), so its pick names the exact card. With too many variants the bot asks, as before.
:class:`VariantRules` rewrites the evidence and lets the rest of the rule table read it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from bot.catalog import GPU, Catalog
from bot.dimensions import gpu_counts
from bot.evidence import Evidence
from bot.lexicon import Lexicon
from bot.mentions import GpuMention, MatchResult
from bot.request import MAX_COMPARE, Query
from bot.rig_words import named_as_options, rig_joined

__all__ = ["MAX_SCORED", "VariantRules", "one_architecture"]

#: Cards a recommendation among named cards scores at most ("4090 instead of A100?": every A100 and the 4090).
MAX_SCORED = 8
_RECOMMEND_KINDS = ("verdict", "pick", "fit_pick")
_ASKS = "ambiguous name"  # the rule that asks which one; the rules after it answer for resolved cards
_LAPTOP = "laptop"  # the market segment of laptop GPUs

Rule = Callable[[Evidence], Query | None]
Said = dict[tuple[str, ...], tuple[str, int]]  # each name's variants -> the name as said, where


def one_architecture(catalog: Catalog, ev: Evidence) -> list[str]:
    """The candidates of the one ambiguous name when they all share an architecture, else []."""
    if len(ev.match.ambiguous) != 1 or ev.gpus:
        return []
    ids = list(ev.match.ambiguous[0].candidates)
    arches = {catalog.gpus[g].get("architecture") for g in ids}
    return ids if len(arches) == 1 else []


class VariantRules:
    """Answers for every variant of an ambiguous name named beside other cards; built once per rule book."""

    def __init__(
        self,
        catalog: Catalog,
        table: Callable[[], Sequence[tuple[str, Rule]]],
        is_fit: Callable[[Evidence], bool],
        lexicon: Lexicon,
    ) -> None:
        self.catalog = catalog
        self._table = table  # the rule book's table: the rules after "ambiguous name" read the expanded evidence
        self._is_fit = is_fit
        self._lexicon = lexicon

    def side_by_side(self, ev: Evidence) -> Query | None:
        """Every variant of each ambiguous name beside the other cards named, when they fit in one answer."""
        if not ev.match.ambiguous or not ev.gpus:
            return None  # one family alone ("a100 vram"), or only families ("h100 vs a100"): which one is the question
        if self._is_fit(ev) and not named_as_options(ev, self._lexicon):
            return None  # "llama 70b on a 3090 and a 3060": one rig, answered with each variant (the fit handler)
        if rig_joined(ev, self._lexicon):
            return None  # "a 3090 and a 3060 together": its variants are not more cards in the rig; which one is asked
        if ev.memo.get("picked"):
            return None  # "h100 vs a100", an A100 picked: the bot said it would ask about the H100 next
        every = {m.start: self._meant(ev, m) for m in ev.match.ambiguous}
        if len(ev.gpus) + len({g for ids in every.values() for g in ids}) > MAX_SCORED or self._same(ev, every):
            return None
        said = _said(ev, every)
        every = {start: self._answering(ev, ids) for start, ids in every.items()}
        if len(ev.gpus) + len({g for ids in every.values() for g in ids}) > MAX_COMPARE:
            return self._scored(ev, every, said)  # too wide for a table; a recommendation may still score them all
        q = self._decide(_expanded(ev, every))
        if q is not None and q.kind in _RECOMMEND_KINDS:
            q.gpus, q.dropped = _in_order(ev, every), []
        return _noted(q, ev, every, said)

    def _scored(self, ev: Evidence, every: dict[int, list[str]], said: Said) -> Query | None:
        """A recommendation among more cards than a table holds ("can I use a 4090 instead of an A100?")."""
        q = self._decide(_expanded(ev, every))
        if q is None or q.kind not in _RECOMMEND_KINDS:
            return None
        q.gpus, q.dropped = _in_order(ev, every), []
        return _noted(q, ev, every, said)

    def _decide(self, ev: Evidence) -> Query | None:
        table = self._table()
        after = next(k for k, (name, _) in enumerate(table) if name == _ASKS) + 1
        for _, rule in table[after:]:
            q = rule(ev)
            if q is not None:
                return q if q.kind not in ("clarify", "unknown") else None
        return None

    def _same(self, ev: Evidence, every: dict[int, list[str]]) -> bool:
        """ "h200 vs mi300x memory": the fields asked are the same on every variant, so one answers for all (the
        clarify handler says so)."""
        keys = [p.field for p in ev.properties] + list(ev.fields)
        gpus = [[self.catalog.gpus[g] for g in ids] for ids in every.values()]
        return bool(keys) and all(_one_value(v, k) for v in gpus for k in keys)

    def _answering(self, ev: Evidence, ids: list[str]) -> list[str]:
        """ "was the 4060 ti 16gb cheaper than the 3060 at launch": the variants with a known value for the property
        asked (one with no launch price cannot answer it), all of them when none has one."""
        if not ev.properties:
            return ids
        key = ev.properties[0].field
        return [g for g in ids if self.catalog.gpus[g].get(key) is not None] or ids

    def _meant(self, ev: Evidence, mention: GpuMention) -> list[str]:
        """The candidates within the question's limits, and desktop cards unless it says laptop."""
        ids = list(mention.candidates)
        ids = [g for g in ids if _within(self.catalog.gpus[g], ev.limits)] or ids
        if ev.has("laptop"):
            return ids
        return [g for g in ids if self.catalog.gpus[g].get("market_segment") != _LAPTOP] or ids


def _one_value(gpus: Sequence[GPU], key: str) -> bool:
    first = gpus[0].get(key)
    return first is not None and all(g.get(key) == first for g in gpus)


def _within(gpu: GPU, limits: dict[str, dict[str, float]]) -> bool:
    for key, bounds in limits.items():
        number = gpu.number(key)
        if number is None or number < bounds.get("min", number) or number > bounds.get("max", number):
            return False
    return True


def _expanded(ev: Evidence, chosen: dict[int, list[str]]) -> Evidence:
    """The evidence with each ambiguous mention replaced by one resolved mention per chosen variant."""
    mentions: list[GpuMention] = []
    for m in ev.match.mentions:
        ids = chosen.get(m.start) if m.ambiguous else None
        mentions += [replace(m, gpu=g, candidates=()) for g in ids] if ids else [m]
    match = MatchResult(words=ev.match.words, mentions=mentions, fields=ev.match.fields)
    out = replace(ev, match=match, memo={})
    out.counts = gpu_counts(match) | {g: n for g, n in ev.counts.items() if g not in match.gpu_ids}
    return out


def _in_order(ev: Evidence, chosen: dict[int, list[str]]) -> list[str]:
    out: list[str] = []
    for m in ev.match.mentions:
        for g in chosen.get(m.start, []) if m.ambiguous else [m.gpu] if m.gpu in ev.gpus else []:
            if g is not None and g not in out:
                out.append(g)
    return out + [g for g in ev.gpus if g not in out]


def _said(ev: Evidence, every: dict[int, list[str]]) -> Said:
    """Each ambiguous name once, with its variants: "instead of A100? ... A100" is one name."""
    said: Said = {}
    for m in ev.match.ambiguous:
        said.setdefault(tuple(every[m.start]), (m.text, m.start))
    return said


def _noted(q: Query | None, ev: Evidence, shown: dict[int, list[str]], said: Said) -> Query | None:
    """The request, with each expanded name, its variants and those answered for (the answer's note)."""
    if q is None:
        return None
    q.variants = [(text, ids, tuple(shown[start])) for ids, (text, start) in said.items()]
    q.ambiguous = []
    return q
