"""A rig named with a card that has several variants: "can I run llama 3 70b on a 3090 and a 3060?" (the 3060 has
12 GB and 8 GB variants). The rig's estimate with each variant: one answer when every variant gets the same one
(stated for the rig with the least memory when it fits, the most when it does not), else the verdict with each and
a choice of them, which completes the question with the card picked.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from bot.answer import Answer, Choice
from bot.catalog import GPU
from bot.dimensions import mention_count
from bot.handlers.clarify import describe, meant, variant_names
from bot.handlers.context import HandlerContext, add_sources
from bot.handlers.fit_memory import band_text
from bot.handlers.fit_mixed import Held, held_on, mixed_answer, rig_cards, rig_of
from bot.handlers.fit_plan import FitPlan, fit_slots
from bot.parser import Query
from bot.wording import an, gerund

__all__ = ["MAX_RIGS", "rig_fit"]

#: Rigs answered one by one at most (one per combination of variants); more are a question: which one?
MAX_RIGS = 4

Planner = Callable[[int], FitPlan]  # the plan for that many GPUs


def rig_fit(ctx: HandlerContext, q: Query, plan_for: Planner, *, llm: bool) -> Answer | None:
    """The fit answer for the cards ``q`` names together; None when they are not a rig."""
    if not q.ambiguous:
        rig = rig_of(ctx, q)
        return mixed_answer(ctx, plan_for(len(rig)), rig, question=q.text, llm=llm) if rig else None
    options = _variant_rigs(ctx, q)
    if not options:
        return None
    held = [held_on(ctx, plan_for(len(cards)), cards, llm=llm) for _, cards in options]
    if len({(h.plan.precision, h.verdict) for h in held}) > 1:
        return _per_variant(ctx, q, list(zip(options, held, strict=True)))
    no_fit = held[0].verdict == "does not fit"
    order = sorted(range(len(options)), key=lambda i: held[i].have)
    shown = order[-1] if no_fit else order[0]  # holds on the others too / fails on the others too
    variant, cards = options[shown]
    a = mixed_answer(ctx, plan_for(len(cards)), cards, question=q.text, llm=llm)
    others = [v for i, (chosen, _) in enumerate(options) if i != shown for v in chosen if v not in variant]
    name = q.ambiguous[0].text
    if no_fit:
        same = f"Not with the {variant_names(others, 'or')} either"
    else:
        same = f"The same with the {variant_names(others)}"
    a.summary += f" {same}: “{name}” could be {'either' if len(options) == 2 else 'any of them'}."
    a.gpus = [*a.gpus, *(g.id for g in others)]
    add_sources(a, others)
    return a


def _variant_rigs(ctx: HandlerContext, q: Query) -> list[tuple[tuple[GPU, ...], list[GPU]]]:
    """Each combination of the ambiguous names' variants with the resolved cards: (the variants, the rig); none
    when there are more than :data:`MAX_RIGS`."""
    resolved = rig_cards(ctx, q.gpus, q.counts) if q.gpus else []
    each = [[ctx.catalog.gpus[g] for g in meant(ctx, q, m)] for m in q.ambiguous]
    times = [mention_count(q.match, m) if q.match is not None else 1 for m in q.ambiguous]  # "2x 3060"
    combos = list(itertools.product(*each))
    if len(combos) > MAX_RIGS:
        return []
    rigs = []
    for combo in combos:
        cards = [*resolved, *(g for g, n in zip(combo, times, strict=True) for _ in range(n))]
        rigs.append((combo, sorted(cards, key=lambda g: -(g.number("memory_gb") or 0.0))))
    return rigs


def _per_variant(ctx: HandlerContext, q: Query, rigs: list[tuple[tuple[tuple[GPU, ...], list[GPU]], Held]]) -> Answer:
    """The verdict with each variant, and a choice of the first ambiguous name's variants."""
    first = rigs[0][1].plan
    name = q.ambiguous[0].text
    a = Answer(question=q.text, intent="fits", title=f"Can you {first.verb} {first.model.name}?")
    if first.full is not None:
        a.summary = (
            f"It depends on which “{name}” you mean. No precision was asked, so with each the best one that fits "
            f"{first.model.name} on the cards together:"
        )
    else:
        a.summary = f"It depends on which “{name}” you mean: {gerund(first.doing)} on the cards together, with each:"
    for (variants, cards), held in rigs:
        label = " and ".join(_counted(v, sum(g.id == v.id for g in cards)) for v in variants)
        lead = held.lead[0].lower() + held.lead[1:]
        a.bullets.append(
            f"With {label}: {lead}: about {held.need:,.1f} GB of the {held.have:,.1f} GB the cards offer together; "
            f"{band_text(held.need, held.have)}."
        )
    a.gpus = list(dict.fromkeys(g.id for (_, cards), _ in rigs for g in cards))
    a.fields = ["memory_gb"]
    a.choices.extend(Choice(g, describe(ctx, ctx.catalog.gpus[g])) for g in meant(ctx, q, q.ambiguous[0]))
    a.notes.append("Pick one for the full estimate on that rig: how the layers split, and the speed.")
    a.notes.append("Assumptions: " + "; ".join(first.est.assumptions) + ".")
    a.fit = fit_slots(first)
    add_sources(a, [g for (_, cards), _ in rigs for g in cards])
    return a


def _counted(gpu: GPU, count: int) -> str:
    """ "a GeForce RTX 3060 (12 GB)", "2× GeForce RTX 3060 (12 GB)"."""
    memory = f"({gpu.number('memory_gb') or 0:g} GB)"
    return f"{count}× {gpu.short_name} {memory}" if count > 1 else f"{an(gpu.short_name)} {gpu.short_name} {memory}"
