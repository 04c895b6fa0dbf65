"""Spec answers: one GPU's values (lookup) and several side by side with a winner per field (compare)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.answer import Answer, Chart, Row, Table
from bot.catalog import GPU, FieldDef
from bot.chart_data import spec_chart
from bot.handlers.compare_words import decisive, digest, leader_summary, telling, win_ratio
from bot.handlers.context import (
    HandlerContext,
    about_card,
    about_cards,
    add_notes,
    add_sources,
    current_prices,
    kept,
    lacks,
    several,
    value,
    value_text,
)
from bot.handlers.per_unit import per_unit_lead
from bot.parser import Query
from bot.wording import noun

__all__ = ["COMPARE_FIELDS", "compare", "lookup"]

#: Fields compared when a comparison names none.
COMPARE_FIELDS = (
    "architecture",
    "release_date",
    "launch_price_usd",
    "cuda_cores",
    "tensor_cores",
    "rt_cores",
    "boost_clock_mhz",
    "fp32_tflops",
    "fp16_tensor_tflops",
    "memory_gb",
    "memory_type",
    "memory_bus_bits",
    "memory_bandwidth_gbs",
    "ecc",
    "tdp_w",
    "slots",
    "interface",
    "nvlink",
)


# -- lookup -----------------------------------------------------------------------------------


def lookup(ctx: HandlerContext, q: Query) -> Answer:
    """The asked fields of one GPU (its key fields, or all it has, when none are asked)."""
    gpu = ctx.catalog.gpus[q.gpus[0]]
    a = Answer(question=q.text, intent="lookup", title=gpu.name, gpus=[gpu.id], fields=list(q.fields))
    if q.fields:
        keys = list(q.fields)
    elif q.all_fields:
        keys = [k for k in ctx.catalog.fields if gpu.get(k) is not None]
        a.full = True
    else:
        keys = [f.key for f in ctx.catalog.key_fields]
    rows = tuple(Row(key, ctx.catalog.fields[key].label, (value(ctx, a, gpu, key),)) for key in keys)
    a.table = Table((gpu.short_name,), (gpu.id,), rows)
    a.focus = list(keys) if q.fields else telling(keys)
    if q.fields:
        _asked_values(ctx, a, gpu, keys)
    else:
        a.summary = about_card(ctx, ("digest", gpu.id), gpu, lambda: digest(ctx.catalog, gpu))
    if not q.fields or "launch_price_usd" in q.fields:
        current_prices(ctx, a, [gpu])
    per_unit_lead(ctx, a, q.rank_field, q.rank_per, [gpu])
    add_notes(ctx, a, gpu, keys)
    add_sources(a, [gpu])
    return a


def _asked_value(ctx: HandlerContext, a: Answer, gpu: GPU, key: str) -> str:
    """ "Memory: 48 GB"; a price asked for leads with the operator's current price where listed."""
    shown = value(ctx, a, gpu, key)
    current = ctx.prices.current.get(gpu.id) if key == "launch_price_usd" else None
    if current is None:
        return f"{ctx.catalog.fields[key].label}: {shown}"
    return f"Price: {current.text()}; at launch {shown.replace(' (launch MSRP', ' (MSRP')}"


def _asked_values(ctx: HandlerContext, a: Answer, gpu: GPU, keys: Sequence[str]) -> None:
    """The summary of a lookup that asks for fields: each value, and which are unknown."""
    parts = [_asked_value(ctx, a, gpu, k) for k in keys]
    a.summary = f"{gpu.short_name} — " + "; ".join(parts) + "."
    unknown = [noun(ctx.catalog.fields[k]) for k in keys if gpu.get(k) is None and not lacks(ctx, gpu, k)]
    if unknown:
        it = "it" if len(unknown) == 1 else "them"
        a.summary += f" I don't know the {', '.join(unknown)}: the sources I have don't give {it}, and I don't guess."
        a.answered = len(unknown) < len(keys)


# -- compare ----------------------------------------------------------------------------------


def compare(ctx: HandlerContext, q: Query) -> Answer:
    """Up to four GPUs side by side: a row per field, the winner of each, and who leads overall."""
    gpus = [ctx.catalog.gpus[g] for g in q.gpus]
    names = [g.short_name for g in gpus]
    a = Answer(
        question=q.text,
        intent="compare",
        title=" vs ".join(names),
        gpus=[g.id for g in gpus],
        fields=list(q.fields),
    )
    keys = _compared_keys(ctx, q, gpus)
    side = _side_by_side(ctx, a, gpus, keys, asked=bool(q.fields))
    rows = side.rows
    a.table = Table(tuple(names), tuple(g.id for g in gpus), rows)
    a.summary = side.summary
    if q.fields:  # the fields asked: how far apart the cards are on each is the answer
        a.bullets.extend(row.ratio for row in rows if row.ratio)
    a.focus = list(side.focus)
    a.full = q.all_fields
    a.chart = side.chart
    per_unit_lead(ctx, a, q.rank_field, q.rank_per, gpus)
    if q.slower_said is not None and len(gpus) == 2:  # "my 4080 is slower than my 3060, why?": the speeds expected
        from bot.handlers.slower_card import slower_lead  # the estimator, imported only for these

        slower_lead(ctx, q, a, gpus)
    several(ctx, a, q.counts, gpus)
    if len(gpus) == 2 and not q.fields:
        a.bullets.append(f"Ask “{names[0]} or {names[1]} for training?” (or inference, rendering) for a pick.")
    if not q.fields or "launch_price_usd" in q.fields:
        current_prices(ctx, a, gpus)
    if q.dropped:
        left = ", ".join(ctx.catalog.gpus[g].short_name for g in q.dropped)
        a.notes.append(f"I compare up to four GPUs at once; left out: {left}. Ask again with those.")
    for g in gpus:
        add_notes(ctx, a, g, keys)
    add_sources(a, gpus)
    return a


@dataclass(frozen=True, slots=True)
class _SideBySide:
    """What a comparison of the same cards on the same fields always shows: rows, summary, focus and chart."""

    rows: tuple[Row, ...]
    summary: str
    focus: tuple[str, ...]
    chart: Chart | None


def _side_by_side(ctx: HandlerContext, a: Answer, gpus: Sequence[GPU], keys: list[str], *, asked: bool) -> _SideBySide:
    """The comparison of ``gpus`` on ``keys`` (``asked``: the question named those fields), built once per cards
    and fields (:func:`~bot.handlers.context.about_cards`). A comparison served from the memo cites its values in
    ``answer`` as building it does."""
    built: list[_SideBySide] = []

    def build() -> _SideBySide:
        rows = tuple(compare_row(ctx, a, gpus, ctx.catalog.fields[k]) for k in keys)
        names = [g.short_name for g in gpus]
        summary = _asked_rows(rows, names) if asked else leader_summary(ctx.catalog, rows, gpus)
        focus = decisive(rows, keys if asked else [])
        chart = spec_chart(ctx.catalog, gpus, [f for f in focus if f in keys] if asked else [])
        built.append(_SideBySide(rows, summary, tuple(focus), chart))
        return built[0]

    side = about_cards(ctx, ("side by side", tuple(g.id for g in gpus), tuple(keys), asked), gpus, build)
    if not built:  # served from the memo: cite as compare_row does
        for k in keys:
            unit = ctx.catalog.fields[k].unit
            for g in gpus:
                a.cite(g.id, k, g.get(k), unit)
    return side


def _compared_keys(ctx: HandlerContext, q: Query, gpus: Sequence[GPU]) -> list[str]:
    """The asked fields, else the usual comparison fields (or all) that any of ``gpus`` has."""
    if q.fields:
        return list(q.fields)
    return [
        k
        for k in (ctx.catalog.fields if q.all_fields else COMPARE_FIELDS)
        if k in ctx.catalog.fields and any(g.get(k) is not None for g in gpus)
    ]


def _asked_rows(rows: Sequence[Row], names: Sequence[str]) -> str:
    """ "Memory: 16 GB (RTX A4000) vs 48 GB (RTX A6000)."."""
    return (
        "; ".join(
            f"{row.label}: " + " vs ".join(f"{c} ({n})" for c, n in zip(row.cells, names, strict=True)) for row in rows
        )
        + "."
    )


def compare_row(ctx: HandlerContext, a: Answer, gpus: Sequence[GPU], fdef: FieldDef) -> Row:
    """One field across ``gpus``: the cells, the winner (None for a tie or no ordering) and the ratio."""
    facts = [_fact(ctx, g, fdef) for g in gpus]
    for g, fact in zip(gpus, facts, strict=True):
        a.cite(g.id, fdef.key, fact.raw, fdef.unit)
    cells = tuple(f.text for f in facts)
    values: list[Any] = [f.raw for f in facts]
    if fdef.type in ("int", "float") and any(f.single != f.number for f in facts):
        # AMD's dual-issue FP32 next to NVIDIA's: compare at the same count, and show both figures.
        values = [f.single for f in facts]
        cells = tuple(f.counted for f in facts)
    if not fdef.better or fdef.type not in ("int", "float", "bool"):
        return Row(fdef.key, fdef.label, cells)
    known = [(i, float(v)) for i, v in enumerate(values) if v is not None]
    if len(known) < 2:
        return Row(fdef.key, fdef.label, cells)
    best = (max if fdef.better == "higher" else min)(v for _, v in known)
    leaders = [i for i, v in known if v == best]
    winner = leaders[0] if len(leaders) == 1 else None
    ratio = None
    if fdef.type != "bool" and winner is not None:
        other = (min if fdef.better == "higher" else max)(v for _, v in known)
        loser = next(i for i, v in known if v == other)
        ratio = win_ratio(fdef, gpus[winner], gpus[loser], best, other, (cells[winner], cells[loser]))
    return Row(fdef.key, fdef.label, cells, winner, ratio)


@dataclass(frozen=True, slots=True)
class _Fact:
    """One card's field as a comparison reads it: the value, its text, and the single-issue count where the vendor
    counts dual issue (:func:`~bot.handlers.context.counted`)."""

    raw: Any
    number: float | None
    single: float | None
    text: str
    counted: str


def _fact(ctx: HandlerContext, gpu: GPU, fdef: FieldDef) -> _Fact:
    """``gpu``'s ``fdef`` for a comparison row, built once per card and field (the same in every pair)."""
    memo_key = ("fact", gpu.id, fdef.key)
    fact = kept(ctx, memo_key, gpu)  # the common case, without building the closure below
    return fact if isinstance(fact, _Fact) else about_card(ctx, memo_key, gpu, lambda: _read_fact(ctx, gpu, fdef.key))


def _read_fact(ctx: HandlerContext, gpu: GPU, key: str) -> _Fact:
    text, single, number = value_text(ctx, gpu, key), ctx.catalog.comparable(gpu, key), gpu.number(key)
    counted = text if single is None or single == number else f"{text} ({single:.3g} single-issue)"
    return _Fact(gpu.get(key), number, single, text, counted)
