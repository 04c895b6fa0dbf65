"""The longest context that fits ("max context for llama 3.1 8b on a 4090") and the decode speed of a fit.

Both under the plan's runtime: the longest context is searched on the estimate itself (so the memory figure shown
never exceeds what the runtime may use of the card), and the speed follows the runtime's split over several cards.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from bot.answer import Answer
from bot.catalog import GPU
from bot.chart_data import memory_chart
from bot.estimator import max_context as longest_context
from bot.estimator_speed import TENSOR_PARALLEL_RUNTIMES
from bot.handlers.context import HandlerContext, add_sources, value
from bot.handlers.fit_memory import capacity_of, marketed_usable_gb, usable_text
from bot.handlers.fit_plan import FitPlan, fit_plan, speed_on
from bot.handlers.fit_precision import pick_precision, precision_label, precision_ladder
from bot.wording import an

__all__ = ["decode_speed_bullet", "longest", "max_context_answer", "max_context_on_size", "speed_first"]


def longest(s: FitPlan, capacity: float) -> int:
    """The longest context that fits in ``capacity`` per GPU under the plan's runtime."""
    kv = s.req.kv_precision or "fp16"
    return longest_context(
        s.model, capacity, precision=s.precision, kv_precision=kv, gpus_count=s.count, runtime=s.budget
    )


def _lower_for_longer(s: FitPlan, capacity: float) -> str:
    """The precision chosen for a longest-context answer, and how much longer the lowest 4-bit one would go."""
    said = f"No precision was asked, so this is the best one that fits: {s.chosen}"
    low = pick_precision(s.model)
    if low == s.precision:
        return said + "."
    tokens = longest(dataclasses.replace(s, precision=low), capacity)
    return f"{said}; in {precision_label(s.model, low)} about {tokens:,} tokens would fit."


def _lower_that_fits(s: FitPlan, capacity: float) -> str | None:
    """No precision asked and none fits as released (vLLM answers in the model's own): the best lower precision the
    runtime loads that leaves room for a context, and how long."""
    server = s.budget.id in TENSOR_PARALLEL_RUNTIMES
    for precision in precision_ladder(s.model, server)[1:]:
        tokens = longest(dataclasses.replace(s, precision=precision), capacity)
        if tokens > 0:
            return f"In {precision_label(s.model, precision)} about {tokens:,} tokens would fit (batch 1)."
    return None


def decode_speed_bullet(ctx: HandlerContext, a: Answer, s: FitPlan, gpu: GPU) -> float | None:
    """The rough decode speed on ``gpu`` as a bullet; returns tokens/s (rounded) for the fit object, or None."""
    speed = speed_on(s, gpu)
    if not speed:
        return None
    value(ctx, a, gpu, "memory_bandwidth_gbs")
    a.bullets.append(f"Rough decode speed: {speed.text()} for one sequence: " + "; ".join(speed.assumptions) + ".")
    return round(speed.tokens_per_s, 1)


def speed_first(a: Answer, s: FitPlan, gpu: GPU, where: str, *, decodes: bool) -> None:
    """A speed question ("how many tokens/s will it get?") leads with the speed, then the fit; when there is no
    speed to give (it does not fit, or the model makes images, not tokens) the answer says why first."""
    speed = speed_on(s, gpu) if decodes else None
    a.title = f"How fast is {s.model.name if s.full is not None else s.what} on {where}?"
    if speed:
        how = precision_label(s.model, s.precision)
        a.summary = (
            f"{speed.text()[0].upper()}{speed.text()[1:]} for one sequence in {how}, by a rough estimate. {a.summary}"
        )
    elif s.model.components:
        a.summary = f"I estimate decode speed for language models only, not image or audio pipelines. {a.summary}"
    elif s.mode != "inference":  # a fine-tune that fits: its time depends on the data, steps and batch
        a.title = f"How long does it take to fine-tune {s.model.name if s.full is not None else s.what} on {where}?"
        a.summary = (
            "I don't estimate training time: it depends on the dataset's tokens, the epochs and the batch, which the "
            f"question does not give; what I can say is whether it fits. {a.summary}"
        )
    else:
        a.summary = f"No speed to give: it has to fit first. {a.summary}"


@dataclasses.dataclass(frozen=True, slots=True)
class _Target:
    """What a longest context is held against: a named card, or a bare size ("on 8gb")."""

    where: str  # "one GeForce RTX 4090", "2× 24 GB GPUs"
    label: str  # the chart's name for it
    capacity: float  # GB per GPU the runtime may use
    marketed: float  # GB per GPU as sold
    usable: str  # the line that says how the usable memory was read
    card: GPU | None = None


def max_context_answer(ctx: HandlerContext, a: Answer, s: FitPlan, gpu: GPU, fit: dict[str, Any]) -> Answer:
    """The longest context (batch 1) whose whole estimate fits on ``gpu`` (or ``s.count`` of it), under the plan's
    runtime: the memory figure shown is the estimate at that context, so the two agree."""
    count = s.count
    target = _Target(
        where=f"{count}× {gpu.short_name}" if count > 1 else f"one {gpu.short_name}",
        label=f"{count}× {gpu.short_name}" if count > 1 else gpu.short_name,
        capacity=capacity_of(ctx, gpu, s.budget, count),
        marketed=gpu.number("memory_gb") or 0.0,
        usable=usable_text(ctx, gpu, s.budget, count) + ".",
        card=gpu,
    )
    return _longest_answer(ctx, a, s, target, fit)


def max_context_on_size(ctx: HandlerContext, a: Answer, s: FitPlan, size_gb: float, fit: dict[str, Any]) -> Answer:
    """ "max context for llama 3.1 8b q4 on 8gb": the longest context on a GPU of that marketed size (GiB)."""
    usable = marketed_usable_gb(size_gb)
    count = s.count
    target = _Target(
        where=f"{count}× {size_gb:g} GB GPUs" if count > 1 else f"{an(f'{size_gb:g}')} {size_gb:g} GB GPU",
        label=f"{count}× {size_gb:g} GB" if count > 1 else f"{size_gb:g} GB",
        capacity=usable * s.budget.fraction_of(usable, count),
        marketed=size_gb,
        usable=f"{an(f'{size_gb:g}').capitalize()} {size_gb:g} GB card offers about {usable:,.1f} GB "
        f"({size_gb:g} GiB in decimal GB).",
    )
    return _longest_answer(ctx, a, s, target, fit)


def _longest_answer(ctx: HandlerContext, a: Answer, s: FitPlan, target: _Target, fit: dict[str, Any]) -> Answer:
    model, precision, count, capacity = s.model, s.precision, s.count, target.capacity
    tokens = longest(s, capacity)
    kv = (s.req.kv_precision or "fp16").upper()
    a.title = f"Longest context for {model.name} on {target.where}"
    fit.update(available_gb=round(target.marketed * count, 1), usable_gb=round(capacity * count, 1))
    if tokens <= 0:
        a.summary = (
            f"{model.name} in {precision_label(model, precision)} does not fit on {target.where} at all, "
            "so no context length does."
        )
        fit.update(fits=False)
        lower = _lower_that_fits(s, capacity) if not s.req.precision else None
        a.bullets.extend([lower] if lower else [])
    else:
        req = dataclasses.replace(s.req, context=tokens, precision=precision)  # the precision chosen, if none asked
        est = fit_plan(req, model, s.model_id, count, budget=s.budget).est
        sold = value(ctx, a, target.card, "memory_gb") if target.card is not None else f"{target.marketed:g} GB"
        card = f"{sold} card"
        a.summary = (
            f"About {tokens:,} tokens (batch 1, {kv} KV cache) for {model.name} in "
            f"{precision_label(model, precision)} on {target.where}: "
            f"{est.per_gpu_gb:,.1f} GB{' per GPU' if count > 1 else ''} of the {capacity:,.1f} GB usable ({card}) "
            f"({'; '.join(f'{n} {gb:,.1f} GB' for n, gb in est.terms.items())})."
        )
        if model.max_context and tokens >= model.max_context:
            a.summary += f" That is the model's own limit ({model.max_context:,} tokens)."
        if s.full is not None:  # no precision asked: the best one that fits, as a fit answer chooses it
            a.bullets.append(_lower_for_longer(s, capacity))
        fit.update(
            required_gb=round(est.total_gb, 1),
            fits=True,
            margin_gb=round(capacity - est.per_gpu_gb, 1),
            terms={n: round(gb, 2) for n, gb in est.terms.items()},
            assumptions=list(est.assumptions),
        )
        a.recommendation = target.card.id if target.card is not None else None
    a.bullets.append(target.usable)
    a.fit = fit
    a.chart = memory_chart(fit, a.title, target.label)
    if target.card is not None:
        add_sources(a, [target.card])
    return a
