"""The pick for an upgrade from the asker's own card ("what's a good upgrade from my 1080 ti for ai?"): the best card
for the workload, within the budget, among those that beat the card the asker has, and by how much.

"Beats" is the advisor's own measure: the card scores higher for the workload than the asker's, both scored in one
pool (so on one scale), and for memory-first work (LLMs, fine-tuning) it has at least as much memory, since an
upgrade that cannot hold what the old card held is none.
"""

from __future__ import annotations

import dataclasses

from bot.advisor import Advice, Scored, memory_first
from bot.answer import Answer
from bot.catalog import GPU
from bot.handlers.context import HandlerContext, add_sources, budget_text, pick_limits, price_text
from bot.handlers.reasons import deciding
from bot.parser import Query

__all__ = ["against_owned", "beating", "nothing_beats", "whose"]


def beating(ctx: HandlerContext, q: Query, advice: Advice, owned: GPU) -> tuple[Advice, Advice, Scored | None]:
    """``advice`` narrowed to the cards that beat ``owned``; the pool they were scored in with it, and its score."""
    workload = advice.workload
    pool = (owned.id, *(s.gpu.id for s in advice.ranked if s.gpu.id != owned.id))
    together = ctx.advise(workload.name, pool, None, False, tuple(q.modifiers), pick_limits(ctx, q))
    mine = next((s for s in together.ranked if s.gpu.id == owned.id), None)
    floor = owned.number("memory_gb") or 0.0 if memory_first(workload) else 0.0
    better = {
        s.gpu.id
        for s in together.ranked
        if s.gpu.id != owned.id and (mine is None or s.perf > mine.perf) and (s.gpu.number("memory_gb") or 0) >= floor
    }
    narrowed = dataclasses.replace(advice, ranked=[s for s in advice.ranked if s.gpu.id in better])
    return narrowed, together, mine


def whose(q: Query) -> str:
    """ "your 3060" for the asker's own card, "the 3060" for a card named as a bar ("anything faster than a 3060?")."""
    return "the" if q.bar else "your"


def against_owned(
    ctx: HandlerContext, a: Answer, together: Advice, pick: GPU, mine: Scored | None, owned: GPU, q: Query
) -> None:
    """The pick against the asker's card (or the bar), spec by spec, first among the bullets."""
    picked = next((s for s in together.ranked if s.gpu.id == pick.id), None)
    if picked is None or mine is None:
        return
    a.bullets.insert(0, f"Against {whose(q)} {owned.short_name}: {deciding(ctx, together, picked, mine)}.")


def nothing_beats(ctx: HandlerContext, q: Query, a: Answer, advice: Advice, owned: GPU) -> Answer:
    """No card within the constraints beats the asker's: say so, with the cheapest card that does."""
    budget = f" under {budget_text(q)}" if q.budget_usd is not None else ""
    a.summary = f"No card{budget} beats {whose(q)} {owned.short_name} for {advice.workload.label} by my scores."
    a.answered = False
    if q.budget_usd is not None:
        wider = ctx.advise(advice.workload.name, (), None, False, tuple(q.modifiers), pick_limits(ctx, q))
        narrowed, _, _ = beating(ctx, q, wider, owned)
        priced = [s for s in narrowed.ranked if ctx.prices.usd(s.gpu) is not None]
        if priced:
            cheapest = min(priced, key=lambda s: ctx.prices.usd(s.gpu) or 0.0).gpu
            a.bullets.append(
                f"The cheapest card that does is the {cheapest.short_name} ({price_text(ctx, a, cheapest)})."
            )
            add_sources(a, [cheapest])
    add_sources(a, [owned])
    return a
