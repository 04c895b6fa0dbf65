"""The verdict on one named card for a workload: "is the 4090 good for training?"."""

from __future__ import annotations

from collections.abc import Sequence

from bot.advisor import Advice, Scored, memory_first
from bot.answer import Answer
from bot.catalog import GPU
from bot.handlers.context import (
    MARKET_GPUS,
    WORKSTATION_NOTE,
    WORKSTATION_SEGMENTS,
    HandlerContext,
    add_sources,
    market_segments,
    narrowed_by_market,
    price_text,
    value,
)
from bot.handlers.longtail_verdict import longtail_verdict
from bot.handlers.reasons import deciding
from bot.handlers.verdict_capability import capability, software_caveat
from bot.longtail import is_longtail
from bot.parser import Query

__all__ = ["verdict"]


def verdict(ctx: HandlerContext, q: Query, a: Answer, advice: Advice, gid: str) -> Answer:
    """Where ``gid`` ranks, and a same-vendor card that does better for the same price or less."""
    gpu = ctx.catalog.gpus[gid]
    if is_longtail(gid):  # a card the curated catalog lacks is not ranked against it
        return longtail_verdict(ctx, a, advice, gpu)
    wl = advice.workload
    mine = _find(advice.ranked, gid)
    if mine is None:
        return _not_a_fit(ctx, a, advice, gpu)
    price = ctx.prices.usd(gpu)
    # Rank among the cards one can buy at a known price when this is one of them (scored among
    # themselves); data-center parts without a list price are another market.
    if price is not None:
        buyable = ctx.advise(wl.name, ctx.priced, q.budget_usd, q.value_focus, tuple(q.modifiers))
        mine = _find(buyable.ranked, gid) or mine
        # The priced pool is passed as a GPU list, so GPUs that miss the workload's constraints stay in
        # it, flagged: leave them out (the GPU asked about stays, to be ranked).
        priced = [s for s in buyable.ranked if s.gpu.id not in buyable.violations or s.gpu.id == gid]
        advice_for_alt = buyable
    else:
        priced, advice_for_alt = [], advice
    field = priced if priced else advice.ranked
    rank = [s.gpu.id for s in field].index(gid) + 1
    scope = "GPUs with a known price" if field is priced else _scope(ctx, q)
    if q.faq is None:
        a.title = f"Is the {gpu.short_name} good for {wl.label}?"
    ranked = f"For {wl.label}, the {gpu.short_name} ranks #{rank} of {len(field)} {scope}."
    lead = capability(ctx, a, gpu, wl.name)  # what it runs, when that is what decides
    a.summary = f"{lead} {ranked}" if lead else f"{ranked} {wl.why}"
    caveat = software_caveat(ctx, gpu)
    if caveat:
        a.notes.append(caveat)
    a.bullets.append(f"{gpu.short_name}: {deciding(ctx, advice, mine, field[0])}.")
    own = _find(advice.ranked, q.owned[0]) if len(q.owned) == 1 and q.owned[0] != gid else None
    if own is not None:  # "I have a 3080 10gb. is a 3090 worth it?": the step from the asker's own card (one card)
        a.bullets.append(f"Against your {own.gpu.short_name}: {deciding(ctx, advice, mine, own)}.")
    alt = _swap(ctx, advice_for_alt, mine, price)
    if alt is not None:
        a.recommendation = alt.gpu.id
        a.bullets.append(
            f"For the same price or less, the {gpu.vendor} {alt.gpu.short_name} does better: "
            f"{deciding(ctx, advice, alt, mine)}{_gives_up(ctx, a, alt, mine)}."
        )
    else:
        a.recommendation = gid
        if price is not None:
            a.bullets.append(
                f"No {gpu.vendor} GPU at its price ({price_text(ctx, a, gpu)}) or less scores higher for this."
            )
    if field[0].gpu.id != gid:
        a.bullets.append(f"The top pick among {scope} is the {field[0].gpu.short_name}.")
    if advice.ranked[0].gpu.id not in (gid, field[0].gpu.id):
        a.bullets.append(f"Regardless of price, the top pick is the {advice.ranked[0].gpu.short_name}.")
    if narrowed_by_market(advice) and market_segments(ctx, q) == WORKSTATION_SEGMENTS:
        a.notes.insert(0, WORKSTATION_NOTE)
    add_sources(a, [gpu])
    return a


def _find(ranked: Sequence[Scored], gid: str) -> Scored | None:
    """The first of ``ranked`` that is ``gid`` (the ids listed once, then searched by the list itself)."""
    ids = [s.gpu.id for s in ranked]
    return ranked[ids.index(gid)] if gid in ids else None


def _scope(ctx: HandlerContext, q: Query) -> str:
    """The GPUs a card without a known price is ranked among."""
    return MARKET_GPUS[market_segments(ctx, q)]


def _swap(ctx: HandlerContext, advice: Advice, mine: Scored, price: float | None) -> Scored | None:
    """The card to swap to, if one does better for the price; for memory-first work (LLMs, fine-tuning),
    one with at least as much memory when there is one."""
    better = _cheaper_and_better(ctx, advice, mine, price)
    if better and memory_first(advice.workload):
        mine_gb = mine.gpu.number("memory_gb") or 0
        better = [s for s in better if (s.gpu.number("memory_gb") or 0) >= mine_gb] or better
    return better[0] if better else None


def _gives_up(ctx: HandlerContext, a: Answer, alt: Scored, mine: Scored) -> str:
    """ " — but it has less memory (8 GB vs 12 GB) ...": what a swap to a card with less memory gives up."""
    alt_gb, mine_gb = alt.gpu.number("memory_gb"), mine.gpu.number("memory_gb")
    if alt_gb is None or mine_gb is None or alt_gb >= mine_gb:
        return ""
    return (
        f" — but it has less memory ({value(ctx, a, alt.gpu, 'memory_gb')} vs "
        f"{value(ctx, a, mine.gpu, 'memory_gb')}), so a model that fits on the {mine.gpu.short_name} "
        "may not fit on it"
    )


def _not_a_fit(ctx: HandlerContext, a: Answer, advice: Advice, gpu: GPU) -> Answer:
    """The named card misses the workload's requirements: why, and the top pick instead."""
    reason = {g.id: r for g, r in advice.excluded}.get(gpu.id, "it misses the requirements")
    a.summary = f"The {gpu.short_name} is not a fit for {advice.workload.label}: {reason}."
    a.recommendation = advice.ranked[0].gpu.id
    a.bullets.append(f"Consider the {advice.ranked[0].gpu.short_name} instead.")
    add_sources(a, [gpu])
    return a


def _cheaper_and_better(ctx: HandlerContext, advice: Advice, mine: Scored, price: float | None) -> list[Scored]:
    """Same-vendor cards that perform better at ``price`` or less: a swap keeps the software stack."""
    return [
        s
        for s in advice.ranked
        if s.perf > mine.perf
        and s.gpu.vendor == mine.gpu.vendor
        and s.gpu.id not in advice.violations
        and (p := ctx.prices.usd(s.gpu)) is not None
        and price is not None
        and p <= price
    ]
