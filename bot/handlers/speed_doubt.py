"""A speed the asker measured and doubts, on one card, with no model of the catalog named: "On a 3090 ... bf16, 8bit
or 4 bit all give me 4-7 tokens/second with any family of llama models. Is there anything I can tweak?".

What an expert answers first is what the card should do: the estimator's decode speed (one stream, llama.cpp) on
that card for a model of the family named (its newest of 7-9B parameters, else a typical 8B model), in each
precision the question names (else 4-bit), set against the speed measured; then the usual causes (the
``performance`` FAQ's one-card answer). Every figure comes from the estimator, none from a benchmark.
"""

from __future__ import annotations

from bot.answer import Answer
from bot.catalog import GPU
from bot.estimator import BYTES_PER_PARAM, PRECISION_NAMES, ModelShape, typical_shape
from bot.handlers.context import HandlerContext, value
from bot.handlers.fit_memory import usable_gb
from bot.handlers.fit_options import variants
from bot.handlers.fit_plan import card_speed
from bot.parser import Query

__all__ = ["expected_speeds"]

#: The size of model an expected speed is given for when the question names none: what most people run on one card.
_SIZES_B = (7.0, 9.0)
_TYPICAL_B = 8.0
_CONTEXT = 4096


def expected_speeds(ctx: HandlerContext, q: Query, a: Answer, gpu: GPU) -> bool:
    """Lead ``a`` (the performance FAQ's answer for ``gpu``) with the decode speeds the estimator expects; False when
    the card's bandwidth is unknown or no model of the size fits it."""
    model, model_id = _model(ctx, q)
    asked = q.fit.precisions if q.fit is not None else ()
    room = usable_gb(ctx, gpu)
    lines, first = [], None
    for precision in _order(asked or ("q4_k_m",)):
        est = variants(model, "inference", precision, _CONTEXT, 1)
        speed = card_speed(model, est, gpu)
        if speed is None or est.verdict(room) == "does not fit":
            continue
        first = first or (speed, precision)
        name = PRECISION_NAMES.get(precision, precision)
        lines.append(f"{model.name} in {name}: {speed.text()} ({est.per_gpu_gb:,.1f} GB on the card).")
    if first is None:
        return False
    value(ctx, a, gpu, "memory_bandwidth_gbs")
    speed, precision = first
    lead = (
        f"By the estimator, the {gpu.short_name} should generate {model.name} at {speed.text()} in "
        f"{PRECISION_NAMES.get(precision, precision)} (one stream, llama.cpp, every layer on the GPU)"
    )
    measured = q.fit.measured_tps if q.fit is not None else None
    if measured is not None:
        ratio = measured / speed.tokens_per_s
        far = "far below that" if ratio < 1 / 3 else "below that" if ratio < 0.8 else "about what it should do"
        lead += (
            f"; you measure up to {measured:g} tokens/s, {far} for a model of that size (a bigger model decodes "
            "slower in proportion to the bytes of its weights)"
        )
    a.summary = f"{lead}. {a.summary}"
    a.bullets = [*lines, *a.bullets] if len(lines) > 1 else a.bullets  # one precision: the lead says it
    a.fit = {
        "model": model_id,
        "params_b": model.params_b,
        "mode": "inference",
        "precision": precision,
        "gpus_count": 1,
        "tokens_per_s": round(speed.tokens_per_s, 1),
        "measured_tokens_per_s": measured,
        "runtime": "llama.cpp",
    }
    return True


def _order(precisions: tuple[str, ...]) -> tuple[str, ...]:
    """Lightest first: the speed the lead gives is the fastest the card can do among those asked."""
    return tuple(sorted(precisions, key=lambda p: BYTES_PER_PARAM.get(p, 2.0)))


def _model(ctx: HandlerContext, q: Query) -> tuple[ModelShape, str | None]:
    """The family's newest model of 7-9B parameters (and its id), else a typical 8B model."""
    family = q.family
    members = [
        m
        for m in ctx.models.values()
        if family and family in (m.family, m.series) and m.kind == "llm" and _SIZES_B[0] <= m.params_b <= _SIZES_B[1]
    ]
    if members:
        newest = max(members, key=lambda m: m.released)
        return newest.shape, newest.id
    return typical_shape(_TYPICAL_B), None
