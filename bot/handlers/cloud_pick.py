"""The smallest cloud instances that hold a model: "What size EC2 instance do I need? What is the smallest / cheapest
instance size that I need? (GPT-J 6B)".

The request carries the instances to weigh (:mod:`bot.rules_instance`): each size with its catalog GPU and count. Each
is held against the model's estimate on that many GPUs (its native precision, or the one asked; the runtime's budget
and the card's usable memory, as a fit); per instance family the first size listed that holds it, then the families
by the GPU memory they bring, least first: the catalog has no instance prices, and within a provider the instance
with the least GPU memory that holds a model is the one to price first.
"""

from __future__ import annotations

from bot.answer import Answer
from bot.estimator import ModelShape
from bot.handlers.context import HandlerContext, add_sources, value
from bot.handlers.fit_memory import usable_gb
from bot.handlers.fit_options import fit_model, plan_label, variants
from bot.handlers.fit_precision import native_precision
from bot.parser import Query

__all__ = ["MAX_INSTANCES", "cloud_pick"]

#: Instances listed, at most.
MAX_INSTANCES = 5
_CONTEXT = 4096


def cloud_pick(ctx: HandlerContext, q: Query) -> Answer:
    """The instances of the request that hold its model, least GPU memory first."""
    req = q.fit
    assert req is not None  # noqa: S101 - only fit requests with instances come here
    model, _ = fit_model(ctx, req)
    assert model is not None  # noqa: S101 - the rule asks for a model or a size
    mode = req.mode
    precision = req.precision or native_precision(model)
    context = req.context or (_CONTEXT if mode == "inference" else 2048)
    label = plan_label(model, mode, precision)
    a = Answer(question=q.text, intent="recommend", title=f"Smallest cloud instance to {label}")
    holding = _holding(ctx, q, model, mode, precision, context)
    one = variants(model, mode, precision, context, 1)
    if not holding:
        a.summary = f"To {label} needs about {one.per_gpu_gb:,.1f} GB of GPU memory; no instance I know holds it."
        return a
    first_name, first_gpu, first_count, _ = holding[0]
    gpu = ctx.catalog.gpus[first_gpu]
    a.recommendation, a.gpus = gpu.id, list(dict.fromkeys(h[1] for h in holding[:MAX_INSTANCES]))
    a.summary = (
        f"To {label} you need about {one.per_gpu_gb:,.1f} GB of GPU memory (on one GPU). The smallest instance that "
        f"holds it: {first_name} ({_gpus(first_count, gpu.short_name, value(ctx, a, gpu, 'memory_gb'))})."
    )
    for name, gid, count, need in holding[:MAX_INSTANCES]:
        card = ctx.catalog.gpus[gid]
        memory = value(ctx, a, card, "memory_gb")
        per = " per GPU" if count > 1 else ""
        a.bullets.append(
            f"{name}: {_gpus(count, card.short_name, memory)}, needs about {need:,.1f} GB{per} of "
            f"{usable_gb(ctx, card):,.1f} GB usable."
        )
    a.notes.append(
        "Instances by the GPU memory they bring, least first (the first size of each family that holds it): I have no "
        "instance prices, and within a provider the one with the least GPU memory that holds the model is usually "
        "the cheapest; check the provider's price list and the instance's system RAM for loading the weights."
    )
    a.notes.append("Memory estimate: " + "; ".join(one.assumptions) + ".")
    a.fields = ["memory_gb"]
    add_sources(a, [ctx.catalog.gpus[g] for g in a.gpus])
    return a


def _gpus(count: int, name: str, memory: str) -> str:
    return f"{count}× {name}, {memory} each" if count > 1 else f"1× {name}, {memory}"


def _holding(
    ctx: HandlerContext, q: Query, model: ModelShape, mode: str, precision: str, context: int
) -> list[tuple[str, str, int, float]]:
    """(instance, gpu id, count, GB per GPU) for the first size of each family that holds the model, least GPU memory
    first."""
    assert q.fit is not None  # noqa: S101
    seen: set[tuple[str, str]] = set()
    found: list[tuple[float, int, str, str, int, float]] = []
    for order, (name, gid, count) in enumerate(q.fit.instances):
        family = (name.split(".")[0].split("-")[0], gid)
        card = ctx.catalog.gpus.get(gid)
        if family in seen or card is None:
            continue
        est = variants(model, mode, precision, context, count)
        if est.verdict(usable_gb(ctx, card)) == "does not fit":
            continue
        seen.add(family)
        found.append((count * (card.number("memory_gb") or 0.0), order, name, gid, count, est.per_gpu_gb))
    return [(name, gid, count, need) for _, _, name, gid, count, need in sorted(found)]
