"""The pick for a workload: "A4000 or A6000 for training?", "best single-slot card under $1500".

Scores every candidate (the named GPUs, or the whole catalog within the constraints) for the
workload, picks the best, and says why, what the alternatives are and what would change the choice.
One named card gets a verdict instead (:mod:`bot.handlers.verdict`).
"""

from __future__ import annotations

from bot.advisor import Advice, Scored, rank_by_field, values_memory
from bot.answer import Answer
from bot.catalog import GPU
from bot.chart_data import spec_chart
from bot.handlers.context import (
    LAPTOP_SEGMENTS,
    MARKET_NONE,
    WORKSTATION_NOTE,
    HandlerContext,
    about_cards,
    add_sources,
    best_within,
    budget_text,
    currency_note,
    frozen_limits,
    lacks,
    laptop_price_note,
    market_segments,
    narrowed_by_market,
    pick_limits,
    price_text,
    several,
    value,
    wants_laptop,
)
from bot.handlers.reasons import changes, deciding, fp32_convention
from bot.handlers.speed_ratio import speed_ratio_lead
from bot.handlers.upgrade import against_owned, beating, nothing_beats
from bot.handlers.verdict import verdict
from bot.parser import Query
from bot.wording import counted_noun

__all__ = ["VALUE_FOCUS", "workload_pick"]

VALUE_FOCUS = " You asked about budget/value, so performance per launch dollar weighs more."
BAR_FOCUS = " Among the cards past the one named, {} per launch dollar weighs more: the step past it."
VALUE_FOCUS_MEMORY = " You asked about budget/value, so memory per launch dollar weighs more."


def workload_pick(ctx: HandlerContext, q: Query) -> Answer:
    """The best GPU for the question's workload within its constraints, or the verdict on one named GPU."""
    workload = q.workload or "general"
    if workload not in ctx.catalog.workloads:
        workload = next(iter(ctx.catalog.workloads))
    named = list(q.gpus)
    single = named[0] if len(named) == 1 else None
    laptop = wants_laptop(q)  # laptop GPUs have no price of their own: no budget, no value for money
    advice = ctx.advise(
        workload,
        tuple([] if single else named),
        None if laptop else q.budget_usd,
        q.value_focus and not laptop,
        tuple(q.modifiers),
        pick_limits(ctx, q),
    )
    wl = advice.workload
    a = Answer(question=q.text, intent="recommend", title=f"Best for {wl.label}", gpus=named, fields=list(wl.weights))
    if q.faq is not None:
        a.title = q.faq.question
    elif len(named) >= 2:
        a.title = _choice_title(ctx, named, wl.label)
    if not advice.ranked:
        return _nothing_meets(ctx, q, a, advice)
    if single:
        return verdict(ctx, q, a, advice, single)
    if q.upgrade_from is not None and not named:
        return _upgrade(ctx, q, a, advice, ctx.catalog.gpus[q.upgrade_from])
    a = _top_pick(ctx, q, a, advice)
    if q.ratio_asked and a.recommendation is not None:  # "how much faster is the 5090 than the 4090?"
        other = next(g for g in q.gpus if g != a.recommendation)
        pair = ctx.catalog.gpus[a.recommendation], ctx.catalog.gpus[other]
        lead = speed_ratio_lead(ctx, a, advice.workload.name, *pair)
        a.summary = f"{lead} {a.summary}" if lead else a.summary
    if q.upgrade_from is not None and a.recommendation is not None:  # a choice among cards, from the asker's own
        owned = ctx.catalog.gpus[q.upgrade_from]
        _, together, mine = beating(ctx, q, advice, owned)
        against_owned(ctx, a, together, ctx.catalog.gpus[a.recommendation], mine, owned, q)
    return a


def _upgrade(ctx: HandlerContext, q: Query, a: Answer, advice: Advice, owned: GPU) -> Answer:
    """ "a good upgrade from my 1080 ti": the pick among the cards that beat the asker's, and by how much."""
    lead = "Better than" if q.bar else "An upgrade from"
    a.title = f"{lead} the {owned.short_name} for {advice.workload.label}"
    narrowed, together, mine = beating(ctx, q, advice, owned)
    if not narrowed.ranked:
        return nothing_beats(ctx, q, a, advice, owned)
    a = _top_pick(ctx, q, a, narrowed)
    against_owned(ctx, a, together, narrowed.ranked[0].gpu, mine, owned, q)
    return a


def _choice_title(ctx: HandlerContext, named: list[str], label: str) -> str:
    """ "GeForce RTX 3090 or GeForce RTX 4090 for training?": the choice the question asks about."""
    names = [ctx.catalog.gpus[g].short_name for g in named]
    return f"{', '.join(names[:-1])} or {names[-1]} for {label}?"


def _nothing_meets(ctx: HandlerContext, q: Query, a: Answer, advice: Advice) -> Answer:
    """No candidate meets the constraints: say so, and name the cheapest card with a known price."""
    a.summary = f"{MARKET_NONE[market_segments(ctx, q)]} meets that for {advice.workload.label}"
    if q.budget_usd is not None and not wants_laptop(q):
        a.summary += f" under {budget_text(q)} ({ctx.prices.basis})"
    a.summary += "."
    cheapest = ctx.cheapest
    if cheapest is not None and not wants_laptop(q):
        a.bullets.append(
            f"The cheapest card I know a price for is the {cheapest.short_name} ({price_text(ctx, a, cheapest)})."
        )
    _scope_notes(q, a, advice)
    a.answered = False
    return a


def _top_pick(ctx: HandlerContext, q: Query, a: Answer, advice: Advice) -> Answer:
    """The best-scored candidate, why, two alternatives and what would change the choice."""
    wl = advice.workload
    named = bool(q.gpus)
    pick = advice.ranked[0]
    runner = advice.ranked[1] if len(advice.ranked) > 1 else None
    alternatives = advice.ranked[1:3]
    a.recommendation = pick.gpu.id
    laptop = wants_laptop(q)
    budget = f" under {budget_text(q)}" if q.budget_usd is not None and not laptop else ""
    a.summary = f"For {wl.label}{budget}, pick the {pick.gpu.short_name}. {wl.why}"
    if advice.value_focus:
        per = "memory" if values_memory(wl) else "performance"
        a.summary += BAR_FOCUS.format(per) if q.bar else VALUE_FOCUS_MEMORY if values_memory(wl) else VALUE_FOCUS
    _why_and_alternatives(ctx, a, advice, pick, runner, alternatives)
    shown = [s.gpu for s in [pick, *alternatives]]
    weighed, title = list(wl.weights), a.title
    chart_key = ("pick chart", tuple(g.id for g in shown), tuple(weighed), title)
    a.chart = about_cards(ctx, chart_key, shown, lambda: spec_chart(ctx.catalog, shown, weighed, title=title, winner=0))
    if named:
        several(ctx, a, q.counts, [ctx.catalog.gpus[g] for g in q.gpus])
        _asked_specs(ctx, q, a)
    if laptop:
        _laptop_bullets(ctx, q, a)
    elif not named and ctx.prices.usd(pick.gpu) is None:
        _buyable_instead(ctx, q, a, advice, pick)
    for n, (gid, problems) in enumerate(advice.violations.items()):  # a named card that misses a constraint
        a.notes.insert(n, f"{ctx.catalog.gpus[gid].short_name}: {'; '.join(problems)}.")
    if q.budget_usd is not None and not named and not laptop:
        _without_budget(ctx, q, a, advice, pick)
    _pick_notes(ctx, a, advice, named, [pick, *alternatives])
    _scope_notes(q, a, advice)
    for s in [pick, *alternatives]:
        for key in wl.weights:
            value(ctx, a, s.gpu, key)
    add_sources(a, [s.gpu for s in [pick, *alternatives]])
    return a


def _asked_specs(ctx: HandlerContext, q: Query, a: Answer) -> None:
    """The specs the question weighs beyond the workload's ("cuda cores matter more than vram for rendering"),
    for each named card, so the pick can be checked against them."""
    weighed, gpus = set(a.fields), [ctx.catalog.gpus[g] for g in q.gpus]
    known = [k for k in q.fields if k in ctx.catalog.fields and all(g.get(k) is not None for g in gpus)]
    for key in [k for k in known if k not in weighed][:3]:
        label = ctx.catalog.fields[key].label
        shown = "; ".join(f"{g.short_name} {value(ctx, a, g, key)}" for g in gpus)
        a.bullets.append(f"{label}, as you asked: {shown}.")
        a.fields.append(key)


def _why_and_alternatives(
    ctx: HandlerContext, a: Answer, advice: Advice, pick: Scored, runner: Scored | None, alternatives: list[Scored]
) -> None:
    a.bullets.append(f"Why the {pick.gpu.short_name}: {deciding(ctx, advice, pick, runner)}.")
    if ctx.prices.usd(pick.gpu):
        a.bullets.append(f"Price: {price_text(ctx, a, pick.gpu)}; power: {value(ctx, a, pick.gpu, 'tdp_w')}.")
    for alt in alternatives:
        a.bullets.append(
            f"Alternative: {alt.gpu.short_name} — {deciding(ctx, advice, alt, None)}; "
            f"score {alt.score / pick.score * 100:.0f}% of the pick."
        )
    if runner is not None:
        a.bullets.extend(changes(ctx, advice, pick, runner))


def _buyable_instead(ctx: HandlerContext, q: Query, a: Answer, advice: Advice, pick: Scored) -> None:
    """The pick has no public price (a server part): the best card one can buy at a known price."""
    buyable = ctx.advise(
        advice.workload.name,
        ctx.priced,
        q.budget_usd,
        q.value_focus,
        tuple(q.modifiers),
        frozen_limits(q.limits, q.vendor),
    )
    priced = best_within(buyable)
    if priced is None:
        return
    what = (
        "is a data-center part sold in servers, with no public list price"
        if pick.gpu.get("market_segment") == "data center"
        else "has no public list price"
    )
    a.bullets.append(
        f"{pick.gpu.short_name} {what}. The best card with a known price is the {priced.gpu.short_name} "
        f"({price_text(ctx, a, priced.gpu)}): "
        f"{deciding(ctx, advice, priced, None)}."
    )


def _without_budget(ctx: HandlerContext, q: Query, a: Answer, advice: Advice, pick: Scored) -> None:
    """What the pick would be with no budget, when that is another card with a price."""
    over = ctx.advise(
        advice.workload.name, (), None, advice.value_focus, tuple(q.modifiers), pick_limits(ctx, q)
    ).ranked
    if over and over[0].gpu.id != pick.gpu.id and ctx.prices.usd(over[0].gpu):
        a.bullets.append(f"Without the budget: {over[0].gpu.short_name} ({price_text(ctx, a, over[0].gpu)}).")


def _pick_notes(ctx: HandlerContext, a: Answer, advice: Advice, named: bool, shown: list[Scored]) -> None:
    """What was left out, how scores work, the pick's software stack, FP32 conventions, unknown figures."""
    wl = advice.workload
    if advice.excluded and not named:
        a.notes.append(
            f"Left out {counted_noun(len(advice.excluded), 'GPU')} that miss the constraints "
            f"(e.g. {advice.excluded[0][0].short_name}: {advice.excluded[0][1]})."
        )
    a.notes.append(
        "Scores come from the specs that limit this workload, scaled to the best candidate; "
        f"prices are {ctx.prices.basis}."
    )
    pick = shown[0]
    stack = ctx.catalog.software_for(pick.gpu)
    if stack is not None and stack.id != "cuda" and wl.name != "rendering":
        a.notes.insert(0, f"Software for the {pick.gpu.short_name}: {stack.about}")
    fp32_convention(ctx, a, [s.gpu for s in shown], wl.weights)
    gaps = [
        f"{s.gpu.short_name}: {ctx.catalog.fields[key].label}"
        for s in shown
        for key in wl.weights
        if s.gpu.get(key) is None and not lacks(ctx, s.gpu, key)
    ]
    if gaps:
        a.notes.append(f"Unknown figures count as zero in the scores ({'; '.join(gaps)}).")


def _laptop_bullets(ctx: HandlerContext, q: Query, a: Answer) -> None:
    """Laptop GPUs: no price of their own, memory first, and the ones with the most memory."""
    a.bullets.append(laptop_price_note(q))
    by_memory, _ = rank_by_field(ctx.catalog, "memory_gb", require={"market_segment": {"one_of": LAPTOP_SEGMENTS}})
    sizes = sorted({g.number("memory_gb") or 0 for g in by_memory}, reverse=True)[:2]
    groups = []
    for size in sizes:
        gpus = [g for g in by_memory if g.number("memory_gb") == size]
        shown = [value(ctx, a, g, "memory_gb") for g in gpus]  # the same size for each: cite every one
        groups.append(f"{', '.join(g.short_name for g in gpus)} ({shown[0]})")
    if groups:
        a.bullets.append(f"Laptop GPUs with the most memory: {'; then '.join(groups)}.")


def _scope_notes(q: Query, a: Answer, advice: Advice) -> None:
    """Where the pick was made (cards for a workstation) and how a budget in another currency was read."""
    if narrowed_by_market(advice) and not wants_laptop(q):
        a.notes.insert(0, WORKSTATION_NOTE)
    if note := currency_note(q):
        a.notes.insert(0, note)
