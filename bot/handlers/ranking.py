"""GPUs ranked by one spec: "which gpu has the most memory?", "cheapest price per gb", "what gpus have nvlink"."""

from __future__ import annotations

from bot.advisor import rank_by_field
from bot.answer import Answer, Row, Table
from bot.catalog import GPU, FieldDef
from bot.handlers.context import (
    MARKET_GPUS,
    WORKSTATION_NOTE,
    WORKSTATION_SEGMENTS,
    HandlerContext,
    add_sources,
    budget_text,
    counted,
    currency_note,
    describe_limits,
    laptop_price_note,
    market_segments,
    price_text,
    value,
    wants_laptop,
)
from bot.handlers.per_unit import field_label, per_label, per_text, per_unit, per_value
from bot.parser import Query

__all__ = ["rank"]

PRICE = "launch_price_usd"


def rank(ctx: HandlerContext, q: Query) -> Answer:
    """The GPUs that meet the constraints, ordered by ``q.rank_field`` (per ``q.rank_per`` when given)."""
    key = q.rank_field or "memory_gb"
    fdef = ctx.catalog.fields[key]
    per = q.rank_per
    segments = () if q.gpus else market_segments(ctx, q)
    ordered, unknown = _ordered(ctx, q, segments)
    word = "lowest" if q.rank_lowest else "highest"
    scope = _scope(ctx, q)
    a = Answer(
        question=q.text,
        intent="recommend",
        title=f"{_column(ctx, fdef)}, {word} first{scope}",
        gpus=list(q.gpus),
        fields=[key, *q.require_true],
    )
    if not ordered:
        a.summary = f"No GPU{scope} has a known {fdef.label}."
        a.answered = False
        return a
    a.recommendation = ordered[0].id
    _rank_summary(ctx, q, a, ordered, unknown, scope)
    top10 = ordered[:10]
    if per:
        rows = [Row(key, g.short_name, (per_text(ctx, a, g, key, per),)) for g in top10]
        a.table = Table((f"{field_label(ctx, key)} per {per_unit(ctx, per)}",), tuple(g.id for g in top10), tuple(rows))
    else:
        rows = [Row(key, g.short_name, (_cell(ctx, a, g, key),)) for g in top10]
        a.table = Table((_column(ctx, fdef),), tuple(g.id for g in top10), tuple(rows))
    if unknown:
        a.notes.append(f"{unknown} GPUs are left out because their {fdef.label.lower()} is unknown.")
    _market_notes(ctx, q, a, segments, ordered)
    add_sources(a, ordered[:3])
    return a


def _cell(ctx: HandlerContext, a: Answer, gpu: GPU, key: str) -> str:
    """A ranking's value for ``gpu``: a price is the one answers judge by (the operator's current price where
    listed), every other field the catalog's value."""
    return price_text(ctx, a, gpu) if key == PRICE else counted(ctx, a, gpu, key)


def _column(ctx: HandlerContext, fdef: FieldDef) -> str:
    """The ranked column's heading: "Price" when the operator lists current prices, else the field's label."""
    return field_label(ctx, fdef.key)


def _ordered(ctx: HandlerContext, q: Query, segments: tuple[str, ...]) -> tuple[list[GPU], int]:
    """The GPUs in ``segments`` (every segment when empty) that meet the question's constraints, in order.

    Laptop GPUs have no price of their own, so a budget does not filter them."""
    key = q.rank_field or "memory_gb"
    require = _requirements(ctx, q)
    if segments:
        require["market_segment"] = {"one_of": segments}
    return rank_by_field(
        ctx.catalog,
        key,
        lowest=q.rank_lowest,
        gpus=q.gpus,
        budget_usd=None if wants_laptop(q) else q.budget_usd,
        require=require,
        price=ctx.prices.usd,
        value=per_value(ctx, key, q.rank_per) if q.rank_per else ctx.prices.usd if key == PRICE else None,
    )


def _market_label(ctx: HandlerContext, q: Query) -> str:
    """What a listing counts: "GPUs in the catalog", or the market it was made in."""
    return MARKET_GPUS[() if q.gpus else market_segments(ctx, q)]


def _market_notes(ctx: HandlerContext, q: Query, a: Answer, segments: tuple[str, ...], ordered: list[GPU]) -> None:
    """Where the ranking was made: laptop GPUs (no prices), or cards for a workstation when that left
    some out; and how a budget in another currency was read."""
    if wants_laptop(q):
        a.notes.insert(0, laptop_price_note(q))
    elif segments == WORKSTATION_SEGMENTS:
        everywhere, _ = _ordered(ctx, q, ())
        if len(everywhere) > len(ordered):
            a.notes.insert(0, WORKSTATION_NOTE)
    if note := currency_note(q):
        a.notes.insert(0, note)


def _requirements(ctx: HandlerContext, q: Query) -> dict[str, object]:
    """Every constraint of the question, in :func:`bot.advisor.rank_by_field`'s terms."""
    require: dict[str, object] = dict.fromkeys(q.require_true, True)
    require.update({k: dict(bounds) for k, bounds in q.limits.items()})
    if q.vendor:
        require["vendor"] = q.vendor
    for name in (q.workload, *q.modifiers):
        if name and ctx.catalog.workloads[name].get("modifier"):
            require.update(ctx.catalog.workloads[name].get("require") or {})
    return require


def _scope(ctx: HandlerContext, q: Query) -> str:
    """ " with NVLink, Memory ≥ 24 GB under $2,000": the constraints, as words."""
    filters = [ctx.catalog.fields[k].label for k in q.require_true] + describe_limits(ctx.catalog, q.limits)
    filters += [ctx.catalog.workloads[m]["label"] for m in q.modifiers if m in ctx.catalog.workloads]
    budget = q.budget_usd is not None and not wants_laptop(q)
    return (" with " + ", ".join(filters) if filters else "") + (f" under {budget_text(q)}" if budget else "")


def _rank_summary(ctx: HandlerContext, q: Query, a: Answer, ordered: list[GPU], unknown: int, scope: str) -> None:
    """The summary (and for per-unit and date rankings the title): a listing, or the top GPU."""
    key = q.rank_field or "memory_gb"
    fdef = ctx.catalog.fields[key]
    word = "lowest" if q.rank_lowest else "highest"
    top = ordered[0]
    if q.listing:
        a.summary = (
            f"{len(ordered)} {_market_label(ctx, q)}{scope}"
            f"{f' (and {unknown} more where it is unknown)' if unknown else ''}; "
            f"by {fdef.label.lower()}, {word} first. The top 10:"
        )
    elif q.rank_per:
        _per_unit_top(ctx, a, fdef, q.rank_per, top, word, scope)
    elif key == "launch_price_usd" and q.rank_lowest:
        _cheapest(ctx, a, ordered, scope)
    elif key == "release_date":
        age = "oldest" if q.rank_lowest else "newest"
        a.title = f"Release date, {age} first{scope}"
        a.summary = f"The {top.short_name} is the {age}{scope}: released {value(ctx, a, top, key)}."
    else:
        a.summary = f"The {top.short_name} has the {word} {fdef.label}{scope}: {counted(ctx, a, top, key)}."


def _per_unit_top(ctx: HandlerContext, a: Answer, fdef: FieldDef, per: str, top: GPU, word: str, scope: str) -> None:
    key = fdef.key
    label = per_label(ctx, per)
    shown = field_label(ctx, key)
    a.title = f"{shown} per {label}, {word} first{scope}"
    a.summary = (
        f"The {top.short_name} has the {word} {shown} per {label}{scope}: "
        f"{per_text(ctx, a, top, key, per)} ({price_text(ctx, a, top) if key == PRICE else value(ctx, a, top, key)}, "
        f"{price_text(ctx, a, top) if per == 'launch_price_usd' else value(ctx, a, top, per)})."
    )


def _cheapest(ctx: HandlerContext, a: Answer, ordered: list[GPU], scope: str) -> None:
    """The cheapest GPU, or the several that share the lowest price."""
    top = ordered[0]
    tied = [g for g in ordered[1:] if ctx.prices.usd(g) == ctx.prices.usd(top)]
    if tied:
        both = " and the ".join(f"{g.short_name} ({price_text(ctx, a, g)})" for g in [top, *tied])
        a.summary = f"The cheapest GPUs{scope}, at the same price, are the {both}."
    else:
        a.summary = f"The cheapest GPU{scope} is the {top.short_name}: {price_text(ctx, a, top)}."
