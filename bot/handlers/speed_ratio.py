"""How much faster one card is than another for a workload ("how much faster is the 5090 than the 4090 for llm
inference?"): the ratio, and the figures it comes from, leading a pick between two cards.

- Language models (LLMs, inference): the decode speed the estimator gives each card for a reference model that both
  hold (Llama 3.1 8B in Q4_K_M, the size people run on one card), which follows memory bandwidth.
- Work bound by tensor throughput (training, fine-tuning, image generation, vision): the ratio of dense FP16 tensor
  throughput, the spec that sets its speed; measured speed-ups are usually smaller, and the answer says so.
- Other work (rendering weighs FP32, quoted on different conventions by different vendors, and RT cores): no ratio.
"""

from __future__ import annotations

from bot.answer import Answer
from bot.catalog import GPU
from bot.estimator import PRECISION_NAMES
from bot.handlers.context import HandlerContext, value
from bot.handlers.fit_options import variants
from bot.handlers.fit_plan import card_speed

__all__ = ["REFERENCE_MODEL", "speed_ratio_lead"]

#: The model decode speeds are compared on, and its precision.
REFERENCE_MODEL, REFERENCE_PRECISION, REFERENCE_CONTEXT = "llama-3.1-8b", "q4_k_m", 4096
_DECODE = frozenset({"llm", "inference"})
_TENSOR = frozenset({"training", "fine_tuning", "image_generation", "computer_vision"})


def speed_ratio_lead(ctx: HandlerContext, a: Answer, workload: str, fast: GPU, slow: GPU) -> str | None:
    """ "For LLM decoding the X is about 1.7× as fast as the Y: ..."; None when the workload has no speed measure
    here or a figure is unknown."""
    if workload in _DECODE:
        return _decode(ctx, a, fast, slow)
    if workload not in _TENSOR:
        return None  # rendering weighs FP32 on vendors' differing conventions and RT cores: no single ratio
    key = "fp16_tensor_tflops"
    mine, theirs = ctx.catalog.comparable(fast, key), ctx.catalog.comparable(slow, key)
    if not mine or not theirs:
        return None
    if mine < theirs:
        (fast, mine), (slow, theirs) = (slow, theirs), (fast, mine)
    label = ctx.catalog.fields[key].label
    return (
        f"By {label}, the spec that sets the speed of this work, the {fast.short_name} has {_times(mine / theirs)} the "
        f"{slow.short_name}'s ({value(ctx, a, fast, key)} vs {value(ctx, a, slow, key)}); measured speed-ups are "
        "usually smaller than the ratio of peak figures."
    )


def _decode(ctx: HandlerContext, a: Answer, fast: GPU, slow: GPU) -> str | None:
    model = ctx.models.get(REFERENCE_MODEL)
    if model is None:
        return None
    est = variants(model.shape, "inference", REFERENCE_PRECISION, REFERENCE_CONTEXT, 1)
    found = [card_speed(model.shape, est, gpu) for gpu in (fast, slow)]
    speeds = [s for s in found if s is not None and s.tokens_per_s > 0]
    if len(speeds) < 2:
        return None
    value(ctx, a, fast, "memory_bandwidth_gbs")
    value(ctx, a, slow, "memory_bandwidth_gbs")
    if speeds[0].tokens_per_s < speeds[1].tokens_per_s:
        fast, slow, speeds = slow, fast, speeds[::-1]
    ratio = speeds[0].tokens_per_s / speeds[1].tokens_per_s
    return (
        f"For generating tokens the {fast.short_name} is about {_times(ratio)} as fast as the {slow.short_name}: "
        f"about {speeds[0].tokens_per_s:,.0f} vs {speeds[1].tokens_per_s:,.0f} tokens/s on {model.name} in "
        f"{PRECISION_NAMES[REFERENCE_PRECISION].split(' (')[0]}, by rough estimates (decoding follows memory "
        "bandwidth)."
    )


def _times(ratio: float) -> str:
    return f"{ratio:.1f}×" if ratio >= 1.1 else f"{ratio:.2f}×"
