"""A model on different cards together ("can i run llama 3 70b on a 3090 + a 4090?", "3090 and 3060 12gb together,
what can i run"): the estimate held against the memory of the whole rig.

How the memory adds up depends on the runtime's split (:func:`bot.estimator_speed.split_for`):

- a layer split (llama.cpp, Ollama, LM Studio: the default) gives each card layers in proportion to its memory
  (``--tensor-split``), so the rig holds what its cards hold together; each card reads its own layers in turn, so a
  token takes each card's share of the time the whole model would take on it;
- a tensor-parallel runtime (vLLM, SGLang, TGI) gives every card an equal share, so the card with the least memory
  sets every share, and the slowest card every step.

Every figure comes from the estimator for that many cards; the speed is the estimator's decode speed on each card,
weighted by its share of the layers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.answer import Answer
from bot.catalog import GPU
from bot.estimator_speed import split_for
from bot.handlers.context import HandlerContext, add_sources, value
from bot.handlers.fit_memory import band_text, capacity_of
from bot.handlers.fit_plan import FitPlan, best_fit, card_speed, decodes_tokens, fit_slots
from bot.parser import Query
from bot.wording import an, gerund

__all__ = ["Held", "held_on", "mixed_answer", "rig_cards", "rig_of", "rig_text"]

_LEAD = {"fits": "Yes, it fits", "tight": "Yes, but it is borderline", "does not fit": "No, it does not fit"}


@dataclass(frozen=True, slots=True)
class Held:
    """A plan on a rig: the precision chosen (none asked: the best that fits), its verdict, and the GB the job
    needs against the GB the cards offer together."""

    plan: FitPlan
    verdict: str
    rooms: list[float]
    layered: bool

    @property
    def have(self) -> float:
        return sum(self.rooms) if self.layered else min(self.rooms) * len(self.rooms)

    @property
    def need(self) -> float:
        return self.plan.est.per_gpu_gb * len(self.rooms)

    @property
    def lead(self) -> str:
        """ "Yes, it fits", or with a precision chosen for the asker "Yes, in Q3_K_M"."""
        if self.plan.full is None:
            return _LEAD[self.verdict]
        chosen = self.plan.chosen
        return f"No, not even in {chosen}" if self.verdict == "does not fit" else f"Yes, in {chosen}"


def held_on(ctx: HandlerContext, s: FitPlan, cards: list[GPU], *, llm: bool) -> Held:
    """``s`` (planned for ``len(cards)`` GPUs) on ``cards`` together, at the best precision that fits when none was
    asked."""
    count = len(cards)
    rooms = [capacity_of(ctx, gpu, s.budget, count) for gpu in cards]
    layered = split_for(s.budget.id, count) == "layer"
    per_gpu = sum(rooms) / count if layered else min(rooms)  # what each share may take
    plan = best_fit(s, per_gpu) if llm else s
    return Held(plan, plan.est.verdict(per_gpu), rooms, layered)


def mixed_answer(ctx: HandlerContext, s: FitPlan, cards: list[GPU], *, question: str, llm: bool) -> Answer:
    """The estimate for ``s`` (planned for ``len(cards)`` GPUs) on ``cards`` together."""
    held = held_on(ctx, s, cards, llm=llm)
    plan, verdict, rooms, layered = held.plan, held.verdict, held.rooms, held.layered
    rig = rig_text(cards)
    a = Answer(question=question, intent="fits", title=f"Can you {plan.verb} {plan.model.name} on {rig}?")
    a.gpus, a.fields = [g.id for g in cards], ["memory_gb"]
    total = sum(g.number("memory_gb") or 0.0 for g in cards)
    need, have = held.need, held.have
    a.summary = (
        f"{held.lead}: {gerund(plan.doing)} on {rig} ({total:g} GB together) needs about {need:,.1f} GB of the "
        f"{have:,.1f} GB they offer together ({plan.terms}); {band_text(need, have)}."
    )
    for gpu in cards:
        value(ctx, a, gpu, "memory_gb")
    a.bullets.append(_split_line(plan, cards, rooms, layered))
    fit = _slots(plan, total, have, need, verdict)
    if verdict != "does not fit" and decodes_tokens(ctx, plan):
        fit["tokens_per_s"] = _speed_line(ctx, a, plan, cards, rooms, layered)
    a.fit = fit
    a.recommendation = None
    a.notes.append("Assumptions: " + "; ".join(plan.est.assumptions) + ".")
    add_sources(a, cards)
    if plan.model_id:
        a.sources.extend(ctx.models[plan.model_id].sources[:1])
    return a


def _split_line(s: FitPlan, cards: list[GPU], rooms: list[float], layered: bool) -> str:
    if layered:
        shares = ", ".join(f"{g.short_name} {r / sum(rooms):.0%}" for g, r in zip(cards, rooms, strict=True))
        return (
            f"{s.budget.name} splits the layers in proportion to each card's memory (`--tensor-split`): {shares} "
            "of the model; each card reads its own layers in turn."
        )
    smallest = cards[rooms.index(min(rooms))]
    return (
        f"{s.budget.name} splits every layer evenly across the cards, so the {smallest.short_name}'s "
        f"{min(rooms):,.1f} GB sets each card's share, and the slowest card sets every step."
    )


def _speed_line(
    ctx: HandlerContext, a: Answer, s: FitPlan, cards: list[GPU], rooms: list[float], layered: bool
) -> float | None:
    """The rough decode speed on the rig: each card's time for the whole model, weighted by its share of it."""
    speeds = [card_speed(s.model, s.est, gpu) for gpu in cards]
    if any(v is None or v.tokens_per_s <= 0 for v in speeds):
        return None
    shares = [r / sum(rooms) for r in rooms] if layered else [1.0 / len(cards)] * len(cards)
    seconds = [share / v.tokens_per_s for share, v in zip(shares, speeds, strict=True) if v is not None]
    tokens_per_s = 1 / sum(seconds) if layered else min(v.tokens_per_s for v in speeds if v is not None)
    for gpu in cards:
        value(ctx, a, gpu, "memory_bandwidth_gbs")
    a.bullets.append(
        f"Rough decode speed: about {tokens_per_s:,.0f} tokens/s for one sequence (each card's share of the time the "
        "whole model would take on it, from the estimator's decode speed per card)."
    )
    return round(tokens_per_s, 1)


def _slots(s: FitPlan, total: float, have: float, need: float, verdict: str) -> dict[str, Any]:
    fit = fit_slots(s)
    fit.update(
        gpus_count=s.count,
        available_gb=round(total, 1),
        fits=verdict != "does not fit",
        usable_gb=round(have, 1),
        margin_gb=round(have - need, 1),
    )
    return fit


def rig_of(ctx: HandlerContext, q: Query) -> list[GPU]:
    """The cards of a rig named together, each as many times as counted ("2x 3090 + a 4090"), most memory first; none
    when a name in it stands for several variants (the variants are alternatives, not more cards)."""
    if q.variants or q.ambiguous:
        return []
    return rig_cards(ctx, q.gpus, q.counts) if len(set(q.gpus)) >= 2 else []


def rig_cards(ctx: HandlerContext, gpus: list[str], counts: dict[str, int]) -> list[GPU]:
    """``gpus``, each as many times as ``counts`` says, most memory first."""
    cards = [ctx.catalog.gpus[g] for g in dict.fromkeys(gpus) for _ in range(max(1, counts.get(g, 1)))]
    return sorted(cards, key=lambda g: -(g.number("memory_gb") or 0.0))


def rig_text(cards: list[GPU]) -> str:
    """ "2× GeForce RTX 3090 + a GeForce RTX 3060"."""
    counted: dict[str, tuple[GPU, int]] = {}
    for gpu in cards:
        counted[gpu.id] = (gpu, counted.get(gpu.id, (gpu, 0))[1] + 1)
    return " + ".join(
        f"{n}× {g.short_name}" if n > 1 else f"{an(g.short_name)} {g.short_name}" for g, n in counted.values()
    )
