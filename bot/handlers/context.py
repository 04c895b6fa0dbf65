"""What every handler shares: the :class:`HandlerContext` and the helpers that cite and format values.

Every number an answer shows goes through :func:`value` (or :func:`counted`), which cites it in the
answer's ``facts``; unknown values read "unknown" rather than being guessed.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, TypeVar, cast

from bot.answer import Answer
from bot.catalog import GPU, Catalog
from bot.engine_pickle import Deferred
from bot.models import ModelSpec
from bot.prices import PriceBook
from bot.request import budget_text
from bot.wording import noun

if TYPE_CHECKING:  # the advisor is imported when advice is first asked for: a comparison never needs it
    from bot.advisor import Advice, Scored
    from bot.estimator_runtime import Budget
    from bot.memory_parts import MemoryParts as _MemoryParts
    from bot.request import Query
    from bot.runtimes import Runtimes
    from bot.usable_memory import UsableMemory

__all__ = [
    "LAPTOP_SEGMENTS",
    "MARKET_GPUS",
    "MARKET_NONE",
    "WORKSTATION_NOTE",
    "WORKSTATION_SEGMENTS",
    "HandlerContext",
    "Limits",
    "about_card",
    "about_cards",
    "add_notes",
    "add_sources",
    "best_within",
    "budget_text",
    "counted",
    "currency_note",
    "current_prices",
    "describe_limits",
    "fmt_ratio",
    "frozen_limits",
    "kept",
    "lacks",
    "laptop_price_note",
    "link_text",
    "market_segments",
    "narrowed_by_market",
    "pick_limits",
    "price_text",
    "several",
    "total",
    "total_price",
    "value",
    "value_text",
    "wants_laptop",
]

T = TypeVar("T")
_MEMO_LIMIT = 4096  # entries kept in HandlerContext.memo
_TEXTS_LIMIT = 16384  # entries kept in HandlerContext.texts (short texts: a card's value, total, digest)
_CARDS_LIMIT = 4096  # entries kept in HandlerContext.cards (what a few cards together give: a comparison, a chart)

#: Numeric constraints as the parser gives them: ``{"memory_gb": {"min": 24}}``.
Limits = dict[str, dict[str, float]]

#: The market segments of the cards a person buys for a workstation: where picks are made by default.
WORKSTATION_SEGMENTS = ("consumer", "workstation")
#: Laptop GPUs, sold only inside laptops: where picks are made when the question asks for a laptop.
LAPTOP_SEGMENTS = ("laptop",)
WORKSTATION_NOTE = "Among cards you can buy for a workstation; ask for data-centre parts to include them."
#: The GPUs of a market, as an answer names them: every segment (empty), workstation cards, laptop GPUs.
MARKET_GPUS: Mapping[tuple[str, ...], str] = {
    (): "GPUs in the catalog",
    WORKSTATION_SEGMENTS: "cards you can buy for a workstation",
    LAPTOP_SEGMENTS: "laptop GPUs",
}
#: None of a market's GPUs: "No card you can buy for a workstation [meets that]".
MARKET_NONE: Mapping[tuple[str, ...], str] = {
    (): "No GPU in the catalog",
    WORKSTATION_SEGMENTS: "No card you can buy for a workstation",
    LAPTOP_SEGMENTS: "No laptop GPU",
}


_NOT_PICKLED = frozenset({"_advise", "memo", "texts", "cards"})


@dataclass(frozen=True, slots=True)
class _Kept:
    """What was built from one card alone (its formatted value, its digest), kept with that card."""

    gpu: GPU
    value: object


@dataclass(slots=True)
class HandlerContext:
    """The catalog, prices and models answers are built from, and the memoised advisor."""

    catalog: Catalog
    prices: PriceBook
    models: Mapping[str, ModelSpec]
    #: GPUs with a known price (launch MSRP or the operator's): buyable cards, scored among themselves.
    priced: tuple[str, ...] = field(init=False)
    #: The cheapest GPU with a (non-zero) price, the first of them in catalog order on a tie; None without prices.
    cheapest: GPU | None = field(init=False)
    _advise: Callable[..., Advice] = field(init=False, repr=False)
    #: Results that depend only on the catalog and prices (both fixed for this context), memoised by handlers.
    memo: dict[tuple[object, ...], object] = field(init=False, repr=False, default_factory=dict)
    #: What was built from one catalog card alone (:func:`about_card`), each kept with its card.
    texts: dict[tuple[object, ...], _Kept] = field(init=False, repr=False, default_factory=dict)
    #: What was built from a few catalog cards together (:func:`about_cards`), kept with those cards; a store of its
    #: own, so that ever new pairs never push the handlers' costlier results (fit estimates, advice) out of ``memo``.
    cards: dict[tuple[object, ...], _KeptFor] = field(init=False, repr=False, default_factory=dict)
    #: What each card offers (specs/usable_memory.yaml), and the runtimes (specs/runtimes.yaml) with each one's
    #: budget: loaded and validated with the rest, read from an engine cache only when an answer needs them.
    _memory: Deferred[_MemoryParts] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        from bot.memory_parts import load_memory_parts  # the modules a comparison never needs

        self._memory = Deferred(load_memory_parts(self.catalog))
        self.priced = tuple(g.id for g in self.catalog if self.prices.usd(g) is not None)
        usd = self.prices.usd
        self.cheapest = min((g for g in self.catalog if usd(g)), key=lambda g: usd(g) or 0, default=None)
        # The catalog is immutable, so advice for the same inputs is the same: memoise it.
        self._advise = functools.lru_cache(maxsize=512)(self._advise_uncached)

    @property
    def usable(self) -> UsableMemory:
        """What each card offers (specs/usable_memory.yaml)."""
        return self._memory.get().usable

    @property
    def runtimes(self) -> Runtimes | None:
        """The runtimes of specs/runtimes.yaml (None without that file)."""
        return self._memory.get().runtimes

    @property
    def budgets(self) -> Mapping[str, Budget]:
        """Each runtime's memory budget, by runtime id."""
        return self._memory.get().budgets

    def __getstate__(self) -> dict[str, object]:
        """What a pickled engine keeps (bot/engine_cache.py): every field but the memos, which start empty."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _NOT_PICKLED}

    def __setstate__(self, state: dict[str, object]) -> None:
        for name, value in state.items():
            setattr(self, name, value)
        self.memo = {}
        self.texts = {}
        self.cards = {}
        self._advise = functools.lru_cache(maxsize=512)(self._advise_uncached)

    def remember(self, key: tuple[object, ...], value: object) -> object:
        """Keep ``value`` in :attr:`memo` under ``key``; a full memo starts afresh, so a long-running bot asked
        ever new plans (contexts are free numbers) does not grow without bound."""
        if len(self.memo) >= _MEMO_LIMIT:
            self.memo.clear()
        self.memo[key] = value
        return value

    def advise(
        self,
        workload: str,
        gpus: tuple[str, ...],
        budget_usd: float | None,
        value_focus: bool,
        modifiers: tuple[str, ...],
        limits: tuple[tuple[str, object], ...] = (),
    ) -> Advice:
        """:func:`bot.advisor.advise` over the catalog at this context's prices, memoised."""
        return self._advise(workload, gpus, budget_usd, value_focus, modifiers, limits)

    def _advise_uncached(
        self,
        workload: str,
        gpus: tuple[str, ...],
        budget_usd: float | None,
        value_focus: bool,
        modifiers: tuple[str, ...],
        limits: tuple[tuple[str, object], ...] = (),
    ) -> Advice:
        from bot.advisor import advise

        return advise(
            self.catalog,
            workload,
            gpus=gpus,
            budget_usd=budget_usd,
            value_focus=value_focus,
            modifiers=modifiers,
            price=self.prices.usd,
            require={key: (dict(bounds) if isinstance(bounds, tuple) else bounds) for key, bounds in limits},
        )


# -- constraints ------------------------------------------------------------------------------


def frozen_limits(
    limits: Limits, vendor: str | None = None, segments: tuple[str, ...] = ()
) -> tuple[tuple[str, object], ...]:
    """Constraints in a hashable form, for the advice cache; ``segments``: the market segments to pick among."""
    out: list[tuple[str, object]] = [(key, tuple(sorted(bounds.items()))) for key, bounds in limits.items()]
    if vendor:
        out.append(("vendor", vendor))
    if segments:
        out.append(("market_segment", (("one_of", segments),)))
    return tuple(sorted(out, key=lambda kv: kv[0]))


def wants_laptop(q: Query) -> bool:
    """The question shops for a laptop ("best laptop gpu for ml") rather than naming its GPUs."""
    return q.laptop or ("laptop" in q.modifiers and not q.gpus)


def market_segments(ctx: HandlerContext, q: Query) -> tuple[str, ...]:
    """The market segments a pick is made among; empty: every GPU in the catalog.

    Laptop GPUs when the question shops for a laptop or judges one laptop GPU; by default
    (``q.buyable``) the cards a person can buy for a workstation; every segment when the question asks
    for data-centre parts, names several GPUs to choose among, or names a data-centre card.
    """
    named = [ctx.catalog.gpus[g] for g in q.gpus]
    if wants_laptop(q) or (len(named) == 1 and named[0].get("market_segment") in LAPTOP_SEGMENTS):
        return LAPTOP_SEGMENTS
    if not q.buyable or len(named) > 1 or any(g.get("market_segment") not in WORKSTATION_SEGMENTS for g in named):
        return ()
    return WORKSTATION_SEGMENTS


def pick_limits(ctx: HandlerContext, q: Query, limits: Limits | None = None) -> tuple[tuple[str, object], ...]:
    """The question's constraints (or ``limits``), vendor and market, in the advice cache's form."""
    return frozen_limits(q.limits if limits is None else limits, q.vendor, market_segments(ctx, q))


def narrowed_by_market(advice: Advice) -> bool:
    """Some GPU was left out only for its market segment: the answer should say where it picked."""
    return any(missed == ("market_segment",) for missed in advice.missed.values())


def laptop_price_note(q: Query) -> str:
    """Laptop GPUs have no price of their own (a budget cannot narrow them down); memory comes first."""
    budget = (
        f" Your {budget_text(q)} budget buys a whole laptop, so it could not narrow these down."
        if q.budget_usd is not None
        else ""
    )
    return (
        "Laptop GPUs have no price of their own: each laptop's price is set per laptop by its maker."
        f"{budget} Check the memory first: it cannot be upgraded later and decides which models fit."
    )


def currency_note(q: Query) -> str | None:
    """For a budget in another currency: it was compared with the catalog's US prices as-is."""
    if q.budget_usd is None or not q.budget_currency or q.budget_currency == "usd":
        return None
    return (
        f"Your budget is in {q.budget_currency.upper()}; the catalog's prices are US prices in dollars, so I "
        f"compared {q.budget_usd:,.0f} with them as-is (no exchange rate applied)."
    )


def describe_limits(catalog: Catalog, limits: Limits) -> list[str]:
    """``["memory ≥ 24 GB", "board power ≤ 300 W"]`` (read inside a sentence: "with memory ≥ 24 GB")."""
    out = []
    for key, bounds in limits.items():
        fdef = catalog.fields[key]
        if "min" in bounds:
            out.append(f"{noun(fdef)} ≥ {fdef.format_value(bounds['min'])}")
        if "max" in bounds:
            out.append(f"{noun(fdef)} ≤ {fdef.format_value(bounds['max'])}")
    return out


def best_within(advice: Advice) -> Scored | None:
    """The best-scored GPU that meets every constraint (a GPU list passed in keeps the others, flagged)."""
    return next((s for s in advice.ranked if s.gpu.id not in advice.violations), None)


# -- values, cited ----------------------------------------------------------------------------


def fmt_ratio(r: float) -> str:
    """``1.75×``, ``120×``."""
    return f"{r:.3g}×" if r < 100 else f"{r:.0f}×"


def lacks(ctx: HandlerContext, gpu: GPU, key: str) -> str | None:
    """ "tensor cores" when ``key`` (a tensor throughput) cannot apply because ``gpu`` has none."""
    needs = ctx.catalog.fields[key].needs
    if needs and gpu.get(key) is None and gpu.number(needs) == 0:
        label = ctx.catalog.fields[needs].label
        return label if label[1:2].isupper() else label[:1].lower() + label[1:]  # "tensor cores", "RT cores"
    return None


def value(ctx: HandlerContext, answer: Answer, gpu: GPU, key: str) -> str:
    """``gpu``'s ``key`` formatted with its unit, and cited in ``answer``. The text is remembered per catalog card
    and field (the catalog is immutable; answers format the same values again and again)."""
    answer.cite(gpu.id, key, gpu.get(key), ctx.catalog.fields[key].unit)
    return value_text(ctx, gpu, key)


def value_text(ctx: HandlerContext, gpu: GPU, key: str) -> str:
    """``gpu``'s ``key`` formatted with its unit (:func:`value`, without citing it)."""
    memo_key = ("value", gpu.id, key)
    text = kept(ctx, memo_key, gpu)  # the common case, without building the closure below
    return text if isinstance(text, str) else about_card(ctx, memo_key, gpu, lambda: _value_text(ctx, gpu, key))


def about_cards(ctx: HandlerContext, memo_key: tuple[object, ...], gpus: Sequence[GPU], build: Callable[[], T]) -> T:
    """``build()``, a result that depends on the catalog's cards ``gpus`` alone (rows of a comparison, a chart, a
    sentence comparing them), remembered under ``memo_key`` in the bounded :attr:`HandlerContext.cards`: kept with
    the cards, so a hit is those very cards, and only for the catalog's own (the catalog is immutable)."""
    kept = ctx.cards.get(memo_key)
    if kept is not None and len(kept.gpus) == len(gpus) and all(map(operator.is_, kept.gpus, gpus)):
        return cast(T, kept.value)
    made = build()
    if all(ctx.catalog.gpus.get(g.id) is g for g in gpus):
        if len(ctx.cards) >= _CARDS_LIMIT:  # bounded (pairs are many): a full store starts afresh
            ctx.cards.clear()
        ctx.cards[memo_key] = _KeptFor(tuple(gpus), made)
    return made


@dataclass(frozen=True, slots=True)
class _KeptFor:
    """What was built from some cards, kept with those cards."""

    gpus: tuple[GPU, ...]
    value: object


def kept(ctx: HandlerContext, memo_key: tuple[object, ...], gpu: GPU) -> object:
    """What :func:`about_card` keeps under ``memo_key`` for this very ``gpu``, else None."""
    found = ctx.texts.get(memo_key)
    return found.value if found is not None and found.gpu is gpu else None


def about_card(ctx: HandlerContext, memo_key: tuple[object, ...], gpu: GPU, build: Callable[[], T]) -> T:
    """``build()``, a result about ``gpu`` alone (a value's text, a digest), remembered under ``memo_key`` for the
    catalog's own cards in the bounded :attr:`HandlerContext.texts` (the catalog is immutable; answers say the same
    of a card again and again): kept with the card, so a hit is that very card."""
    kept = ctx.texts.get(memo_key)
    if kept is not None and kept.gpu is gpu:
        return cast(T, kept.value)
    made = build()
    if ctx.catalog.gpus.get(gpu.id) is gpu:
        if len(ctx.texts) >= _TEXTS_LIMIT:  # bounded (counts are free numbers): a full store starts afresh
            ctx.texts.clear()
        ctx.texts[memo_key] = _Kept(gpu, made)
    return made


def _value_text(ctx: HandlerContext, gpu: GPU, key: str) -> str:
    fdef, raw = ctx.catalog.fields[key], gpu.get(key)
    if missing := lacks(ctx, gpu, key):
        return f"none (no {missing})"
    if key == "launch_price_usd" and raw is not None:
        date = gpu.get("release_date")
        return f"{fdef.format_value(raw)} (launch MSRP{f', {str(date)[:4]}' if date else ''})"
    return fdef.format_value(raw)


def counted(ctx: HandlerContext, answer: Answer, gpu: GPU, key: str) -> str:
    """The value, plus its single-issue count where the vendor's FP32 counts dual issue."""
    shown = value(ctx, answer, gpu, key)
    single = ctx.catalog.comparable(gpu, key)
    return shown if single is None or single == gpu.number(key) else f"{shown} ({single:.3g} single-issue)"


def price_text(ctx: HandlerContext, answer: Answer, gpu: GPU) -> str:
    """The price answers judge by, labelled: the operator's current price or the launch MSRP."""
    price = ctx.prices.price(gpu)
    if price is None:
        return "no public price"
    if price.kind == "launch":
        return value(ctx, answer, gpu, "launch_price_usd")
    return price.text()


def current_prices(ctx: HandlerContext, answer: Answer, gpus: Sequence[GPU]) -> None:
    """A bullet per GPU the operator lists a current price for."""
    for gpu in gpus:
        price = ctx.prices.current.get(gpu.id)
        if price is not None:
            source = f", {price.source}" if price.source else ""
            answer.bullets.append(f"{gpu.short_name}: {price.text()}{source}.")


def several(ctx: HandlerContext, answer: Answer, counts: Mapping[str, int], gpus: Sequence[GPU]) -> None:
    """ "a 4090 or two 3090s": what the several cards add up to, next to the per-card figures."""
    for gpu in gpus:
        n = counts.get(gpu.id, 1)
        if n >= 2:
            answer.bullets.append(_together(ctx, answer, gpu, n))


def total(ctx: HandlerContext, answer: Answer, gpu: GPU, key: str, n: int) -> str | None:
    """``n`` cards' ``key`` added up ("48 GB" for two 24 GB cards), the per-card value cited; None when unknown."""
    value(ctx, answer, gpu, key)
    number = gpu.number(key)
    if number is None:
        return None
    return about_card(ctx, ("total", gpu.id, key, n), gpu, lambda: ctx.catalog.fields[key].format_value(number * n))


def total_price(ctx: HandlerContext, answer: Answer, gpu: GPU, n: int) -> str | None:
    """ "$2,998 at launch MSRP": ``n`` cards at the price answers judge by (cited); None without a price."""
    price = ctx.prices.price(gpu)
    if price is None:
        return None
    if price.kind == "launch":
        value(ctx, answer, gpu, "launch_price_usd")
    return f"${price.usd * n:,.0f} {'at launch MSRP' if price.kind == 'launch' else 'at listed prices'}"


def link_text(gpu: GPU) -> str:
    """How several of ``gpu`` talk to each other."""
    return "NVLink between them" if gpu.get("nvlink") else "no NVLink: they talk over PCIe"


def _together(ctx: HandlerContext, answer: Answer, gpu: GPU, n: int) -> str:
    parts = []
    for key, what in (("memory_gb", "memory"), ("fp16_tensor_tflops", "FP16 tensor"), ("tdp_w", "power")):
        summed = total(ctx, answer, gpu, key, n)
        if summed is not None:
            parts.append(f"{summed} {what}")
    price = total_price(ctx, answer, gpu, n)
    if price is not None:
        parts.append(price)
    return (
        f"{n}× {gpu.short_name} together: {', '.join(parts)} in total. A model is split across the cards "
        f"({link_text(gpu)}), and each card still holds only {value(ctx, answer, gpu, 'memory_gb')}."
    )


# -- notes and sources ------------------------------------------------------------------------


def add_notes(ctx: HandlerContext, answer: Answer, gpu: GPU, keys: Sequence[str] | None) -> None:
    """The catalog's notes on ``keys`` of ``gpu`` (``None``: every field note)."""
    wanted = None if keys is None else frozenset(keys)
    for note in gpu.notes:
        if (wanted is None and note.field is not None) or (wanted is not None and note.field in wanted):
            label = ctx.catalog.fields[note.field].label if note.field else "Note"
            text = f"{gpu.short_name}, {label}: {note.text}"
            if text not in answer.notes:
                answer.notes.append(text)
                if note.field is not None:
                    answer.note_fields[text] = note.field


def add_sources(answer: Answer, gpus: Sequence[GPU]) -> None:
    """Each GPU's source, once."""
    for gpu in gpus:
        if gpu.source not in answer.sources:
            answer.sources.append(gpu.source)
