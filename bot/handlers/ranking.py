"""GPUs ranked by one spec: "which gpu has the most memory?", "cheapest price per gb", "what gpus have nvlink"."""

from __future__ import annotations

from bot.advisor import rank_by_field
from bot.answer import Answer, Row, Table
from bot.catalog import GPU, FieldDef
from bot.handlers.context import HandlerContext, add_sources, counted, describe_limits, price_text, value
from bot.handlers.per_unit import per_label, per_text, per_unit, per_value
from bot.parser import Query

__all__ = ["rank"]


def rank(ctx: HandlerContext, q: Query) -> Answer:
    """The GPUs that meet the constraints, ordered by ``q.rank_field`` (per ``q.rank_per`` when given)."""
    key = q.rank_field or "memory_gb"
    fdef = ctx.catalog.fields[key]
    per = q.rank_per
    ordered, unknown = rank_by_field(
        ctx.catalog,
        key,
        lowest=q.rank_lowest,
        gpus=q.gpus,
        budget_usd=q.budget_usd,
        require=_requirements(ctx, q),
        price=ctx.prices.usd,
        value=per_value(ctx, key, per) if per else None,
    )
    word = "lowest" if q.rank_lowest else "highest"
    scope = _scope(ctx, q)
    a = Answer(
        question=q.text,
        intent="recommend",
        title=f"{fdef.label}, {word} first{scope}",
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
        a.table = Table((f"{fdef.label} per {per_unit(ctx, per)}",), tuple(g.id for g in top10), tuple(rows))
    else:
        rows = [Row(key, g.short_name, (counted(ctx, a, g, key),)) for g in top10]
        a.table = Table((fdef.label,), tuple(g.id for g in top10), tuple(rows))
    if unknown:
        a.notes.append(f"{unknown} GPUs are left out because their {fdef.label.lower()} is unknown.")
    add_sources(a, ordered[:3])
    return a


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
    return (" with " + ", ".join(filters) if filters else "") + (
        f" under ${q.budget_usd:,.0f}" if q.budget_usd is not None else ""
    )


def _rank_summary(ctx: HandlerContext, q: Query, a: Answer, ordered: list[GPU], unknown: int, scope: str) -> None:
    """The summary (and for per-unit and date rankings the title): a listing, or the top GPU."""
    key = q.rank_field or "memory_gb"
    fdef = ctx.catalog.fields[key]
    word = "lowest" if q.rank_lowest else "highest"
    top = ordered[0]
    if q.listing:
        a.summary = (
            f"{len(ordered)} GPUs in the catalog{scope}"
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
    a.title = f"{fdef.label} per {label}, {word} first{scope}"
    a.summary = (
        f"The {top.short_name} has the {word} {fdef.label} per {label}{scope}: "
        f"{per_text(ctx, a, top, key, per)} ({value(ctx, a, top, key)}, "
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
        a.summary = f"The cheapest GPU{scope} is the {top.short_name}: {value(ctx, a, top, 'launch_price_usd')}."
