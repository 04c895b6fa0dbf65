"""The reverse fit: "what's the biggest model a 12 gig gpu can run", "RTX 4080 SUPER 16G, how many B can it run".

A memory size (or a card's) and no model: per precision, about how many parameters fit, and the largest
language model of the catalog that fits. Asked for fine-tuning ("how big a model can i fine-tune on 24gb"), the
same per training mode (full, LoRA, QLoRA) instead. Every figure comes from the estimator, never a rule of thumb.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable
from typing import Any

from bot.answer import Answer
from bot.estimator import PRECISION_NAMES, ModelShape, typical_shape
from bot.estimator_shapes import TYPICAL_SHAPES
from bot.estimator_strategy import SHARDING
from bot.handlers.context import HandlerContext
from bot.handlers.fit_options import variants
from bot.models import ModelSpec

__all__ = [
    "REVERSE_MODES",
    "REVERSE_PRECISIONS",
    "biggest_models",
    "largest_known_model",
    "largest_params_b",
    "reach",
    "reverse_slots",
    "size_text",
]

#: The precisions a reverse fit is answered in, highest quality first.
REVERSE_PRECISIONS = ("fp16", "q8_0", "q4_k_m")
#: The training modes a reverse fit for fine-tuning is answered in, heaviest first.
REVERSE_MODES = ("full", "lora", "qlora")
_MODE_NAMES = {"full": "Full fine-tune", "lora": "LoRA", "qlora": "QLoRA"}
#: The context a reverse fit assumes (the estimator's inference default).
REVERSE_CONTEXT = 4096
_SEARCH_STEPS = 24


def _spread(mode: str, count: int) -> str | None:
    """Fine-tuning on several GPUs: the weights sharded (ZeRO-3/FSDP), or more GPUs would hold nothing bigger."""
    return SHARDING[0] if mode != "inference" and count > 1 else None


def _fits(model: ModelShape, precision: str, capacity: float, count: int, mode: str = "inference") -> bool:
    est = variants(model, mode, precision, REVERSE_CONTEXT, count, strategy=_spread(mode, count))
    return est.verdict(capacity) != "does not fit"


@functools.lru_cache(maxsize=1024)
def largest_params_b(capacity: float, precision: str, count: int = 1, mode: str = "inference") -> float | None:
    """About how many billion parameters of a typical dense model fit in ``count`` GPUs of ``capacity`` GB (run in
    ``precision``, or fine-tuned in ``mode``). A pure function of its arguments (a bisection over the estimator), so
    memoised: capacities repeat."""
    for low, high in reversed(_SHAPE_SPANS):  # the need grows with the size within a span, not across spans
        if not _fits(typical_shape(low), precision, capacity, count, mode):
            continue  # a larger vocabulary can make a smaller model need more ("1B" at 128k vs "7B" at 32k)
        if _fits(typical_shape(high), precision, capacity, count, mode):
            return high
        for _ in range(_SEARCH_STEPS):
            mid = (low * high) ** 0.5
            low, high = (mid, high) if _fits(typical_shape(mid), precision, capacity, count, mode) else (low, mid)
        return low
    return None


def _shape_spans(low: float = 0.1, high: float = 4000.0) -> tuple[tuple[float, float], ...]:
    """The sizes each typical shape is used for (between the geometric means of neighbouring sizes), as ranges
    from ``low`` to ``high`` billion parameters, a hair inside each border so each range has one shape."""
    sizes = [row[0] for row in TYPICAL_SHAPES]
    cuts = [(a * b) ** 0.5 for a, b in itertools.pairwise(sizes)]
    edges = [low, *cuts, high]
    return tuple((a * 1.0001 if a != low else a, b * 0.9999 if b != high else b) for a, b in itertools.pairwise(edges))


_SHAPE_SPANS = _shape_spans()


def _largest_first(models: Iterable[ModelSpec]) -> list[ModelSpec]:
    """The LLMs, largest (then newest) first."""
    return sorted((m for m in models if m.kind == "llm"), key=lambda m: (m.params_b, m.released), reverse=True)


def largest_known_model(
    ctx: HandlerContext, precision: str, capacity: float, count: int = 1, *, dense: bool = False
) -> ModelSpec | None:
    """The largest language model of the catalog (``dense``: the largest that is not a mixture of experts) that runs
    (inference) in ``count`` GPUs of ``capacity`` usable GB each, in ``precision``; None when none does."""
    if not dense:
        return _largest_known_in(ctx, precision, capacity, count)
    key = ("largest known dense model", precision, capacity, count)
    if key not in ctx.memo:
        llms = [m for m in _largest_first(ctx.models.values()) if m.shape.active_params_b is None]
        ctx.remember(key, _largest_known(llms, precision, capacity, count))
    hit = ctx.memo[key]
    return hit if isinstance(hit, ModelSpec) else None


def _largest_known_in(
    ctx: HandlerContext, precision: str, capacity: float, count: int, mode: str = "inference"
) -> ModelSpec | None:
    """:func:`_largest_known` among the context's models, remembered (a pure function of its arguments: the
    models are fixed for the context, and capacities repeat)."""
    key = ("largest known model", precision, capacity, count, mode)
    if key in ctx.memo:
        hit = ctx.memo[key]
        return hit if isinstance(hit, ModelSpec) else None
    llms = ctx.memo.get(_LLMS)
    if not isinstance(llms, list):
        llms = _largest_first(ctx.models.values())
        ctx.remember(_LLMS, llms)
    found = _largest_known(llms, precision, capacity, count, mode)
    ctx.remember(key, found)
    return found


_LLMS = ("llms, largest first",)  # the memo key of the context's LLMs, sorted


def _largest_known(
    llms: Iterable[ModelSpec], precision: str, capacity: float, count: int, mode: str = "inference"
) -> ModelSpec | None:
    """The first of ``llms`` (:func:`_largest_first`) that fits."""
    return next((m for m in llms if _fits(m.shape, precision, capacity, count, mode)), None)


def size_text(params_b: float) -> str:
    """ "9.6", "37": billions of parameters as an answer writes them."""
    return f"{params_b:.1f}" if params_b < 10 else f"{params_b:.0f}"


def _plans(mode: str) -> list[tuple[str, str, str]]:
    """(label, mode, precision) per line: the precisions for inference, the training modes for fine-tuning."""
    if mode == "inference":
        return [(PRECISION_NAMES.get(p, p), "inference", p) for p in REVERSE_PRECISIONS]
    return [(_MODE_NAMES[m], m, "fp16") for m in REVERSE_MODES]


def reach(room: float, mode: str = "inference") -> str:
    """ "FP16 up to about 5.5B, Q8_0 up to about 10B, ...": the typical model sizes one GPU of ``room`` usable GB
    runs (or fine-tunes, in a training ``mode``), a clause per precision or method."""
    parts = []
    for label, plan_mode, precision in _plans(mode if mode in REVERSE_MODES else "inference"):
        params = largest_params_b(room, precision, 1, plan_mode)
        short = label.split(" (")[0]
        parts.append(f"{short} up to about {size_text(params)}B" if params is not None else f"{short} none")
    return ", ".join(parts)


def biggest_models(
    a: Answer,
    ctx: HandlerContext,
    capacity: float,
    count: int = 1,
    mode: str = "inference",
    usable: float | None = None,
    where: str | None = None,
) -> None:
    """Fill ``a`` with the biggest models (of ``ctx``) that run (or fine-tune, in a training ``mode``) in ``count``
    GPUs of ``capacity`` GB each (marketed), held against ``usable`` GB each (what the card really offers; the
    marketed size when not given); ``where`` names the memory in the answer instead (a rig of different cards)."""
    room = usable if usable is not None else capacity
    if where is None:
        where = f"{count}× {capacity:g} GB" if count > 1 else f"{capacity:g} GB"
        if usable is not None:
            where += f" ({usable:,.1f} GB usable{' each' if count > 1 else ''})"
    training = mode in REVERSE_MODES
    a.summary = (
        f"The biggest model you can fine-tune in {where} depends on the method "
        f"({REVERSE_CONTEXT:,}-token sequences, batch 1, gradient checkpointing"
        f"{', weights sharded across the GPUs with FSDP' if count > 1 else ''}):"
        if training
        else f"The biggest model that runs in {where} depends on the precision "
        f"(inference, {REVERSE_CONTEXT:,}-token context, batch 1):"
    )
    for label, plan_mode, precision in _plans(mode if training else "inference"):
        params = largest_params_b(room, precision, count, plan_mode)
        if params is None:
            a.bullets.append(f"{label}: not even a 0.1B-parameter model fits.")
            continue
        line = f"{label}: a typical dense model of up to about {size_text(params)}B parameters"
        model = _largest_known_in(ctx, precision, room, count, plan_mode)
        if model is not None:
            est = variants(
                model.shape, plan_mode, precision, REVERSE_CONTEXT, count, strategy=_spread(plan_mode, count)
            )
            line += f"; the largest model I know that fits is {model.name} (about {est.per_gpu_gb:,.1f} GB"
            line += " per GPU)" if count > 1 else ")"
        a.bullets.append(line + ".")
    more = "longer sequences or a bigger batch need" if training else "a longer context or training needs"
    a.notes.append(
        f"Sizes in parameters assume a typical dense model of that size; {more} more. "
        "Ask about one model for every term of the estimate."
    )
    a.fit = reverse_slots(capacity, count, mode if training else "inference")


def reverse_slots(capacity: float, count: int, mode: str) -> dict[str, Any]:
    """The answer's ``fit`` object: the memory asked about, no model."""
    return {
        "model": None,
        "params_b": None,
        "mode": mode,
        "precision": None,
        "gpus_count": count,
        "required_gb": None,
        "available_gb": round(capacity * count, 1),
        "fits": None,
        **dict.fromkeys(("runtime", "strategy", "usable_gb", "margin_gb", "terms", "tokens_per_s"), None),
        "assumptions": [],
    }
