"""Setups other than the one asked: the model a fit request names, the estimate for any plan, and
what would make it fit (a lower precision, a shorter context, LoRA/QLoRA, more GPUs, another card)."""

from __future__ import annotations

import functools

from bot.answer import Answer
from bot.estimator import BYTES_PER_PARAM, PRECISION_NAMES, Estimate, ModelShape, estimate, max_context, typical_shape
from bot.estimator_runtime import DEFAULT_INFERENCE, Budget
from bot.estimator_speed import TENSOR_PARALLEL_RUNTIMES
from bot.estimator_strategy import SHARDING, STRATEGY_SHORT, shard_label
from bot.handlers.context import HandlerContext, price_text, value
from bot.handlers.fit_memory import capacity_of
from bot.handlers.fit_precision import BELOW_Q4, precision_label
from bot.parser import FitRequest

__all__ = [
    "LOWER_PRECISIONS",
    "cheapest_fits",
    "first_fix",
    "fit_model",
    "full_instead",
    "make_it_fit",
    "plan_label",
    "sharded_fit",
    "variants",
]

#: Lower precisions tried, best quality first, when inference does not fit.
LOWER_PRECISIONS = ("fp8", "int8", "q6_k", "q4_k_m", "int4", "q3_k_m", "q2_k")
#: What a runtime can load: llama.cpp and its front ends run GGUF files; the tensor-parallel servers (vLLM, SGLang,
#: TGI, TensorRT-LLM) FP8 and 8- or 4-bit integer checkpoints (AWQ, GPTQ), not GGUF k-quants.
_GGUF_LOWER = ("q8_0", "q6_k", "q4_k_m", "q3_k_m", "q2_k")
_SERVER_LOWER = ("fp8", "int8", "int4")


def _lower_for(budget: Budget | None) -> tuple[str, ...]:
    """The lower precisions worth suggesting on ``budget``'s runtime (all of them when none is known)."""
    if budget is None:
        return LOWER_PRECISIONS
    if budget.id in TENSOR_PARALLEL_RUNTIMES:
        return _SERVER_LOWER
    return _GGUF_LOWER if budget.compute_buffer else LOWER_PRECISIONS


def fit_model(ctx: HandlerContext, req: FitRequest | None) -> tuple[ModelShape | None, str | None]:
    """The model's shape and catalog id; a bare size ("a 13B model") is shaped like a typical model, no id."""
    if req is None:
        return None, None
    if req.model_id and req.model_id in ctx.models:
        spec = ctx.models[req.model_id]
        return spec.shape, spec.id
    if req.params_b:
        return typical_shape(req.params_b), None
    return None, None


@functools.lru_cache(maxsize=4096)
def variants(
    model: ModelShape,
    mode: str,
    precision: str,
    context: int,
    count: int,
    budget: Budget | None = None,
    strategy: str | None = None,
) -> Estimate:
    """The estimate for a plan under ``budget``'s runtime (None: the assumed one), spread over ``count`` GPUs by
    ``strategy`` (training; None: the default), with the estimator's defaults for everything else. A pure function
    of immutable inputs (budgets are built once), memoised (callers only read the estimate): the same plans come up
    across answers."""
    return estimate(
        model,
        mode=mode,  # type: ignore[arg-type]
        precision=precision,
        context=context,
        gpus_count=count,
        runtime=budget,
        strategy=strategy,
    )


#: What each mode does, as a verb: "Can you LoRA fine-tune Llama 3 8B?"
MODE_VERBS = {"inference": "run", "full": "fully fine-tune", "lora": "LoRA fine-tune", "qlora": "QLoRA fine-tune"}


def plan_label(model: ModelShape, mode: str, precision: str) -> str:
    """ "run Llama 3 70B in 4-bit (Q4_K_M)", "QLoRA fine-tune Llama 3 70B"."""
    return {
        "inference": f"run {model.name} in {precision_label(model, precision)}",
        "full": f"fully fine-tune {model.name}",
        "lora": f"LoRA fine-tune {model.name}",
        "qlora": f"QLoRA fine-tune {model.name}",
    }[mode]


def make_it_fit(
    ctx: HandlerContext,
    a: Answer,
    est: Estimate,
    model: ModelShape,
    capacity: float,
    label: str,
    mode: str,
    precision: str,
    context: int,
    count: int,
    budget: Budget | None = None,
) -> list[str]:
    """What would make it fit on GPUs of ``capacity`` GB (``label`` names them), under ``budget``'s runtime."""
    out: list[str] = []
    if mode == "inference":
        out.extend(_lower_precision(est, model, capacity, precision, context, count, budget))
    else:
        out.extend(sharded_fit(est, model, capacity, mode, precision, context, budget))
        out.extend(_lighter_training(model, capacity, mode, context, count, budget, est.strategy))
    if not out or mode == "inference" or not out[0].startswith("With FSDP"):
        spread = _spread(mode, est.strategy)
        out.extend(_more_gpus(model, capacity, label, mode, precision, context, count, budget, spread))
    out.extend(cheapest_fits(ctx, a, model, mode, precision, context, budget))
    return out


def first_fix(
    est: Estimate,
    model: ModelShape,
    capacity: float,
    label: str,
    mode: str,
    precision: str,
    context: int,
    count: int,
    budget: Budget | None = None,
) -> str | None:
    """The first thing that would make it fit on GPUs of ``capacity`` GB, in one sentence (None: nothing short of
    another card): a lower precision, LoRA/QLoRA instead of a heavier fine-tune, or more of the same GPU."""
    if mode == "inference":
        lighter = _lower_precision(est, model, capacity, precision, context, count, budget)
    else:
        lighter = [
            f for f in sharded_fit(est, model, capacity, mode, precision, context, budget) if f.startswith("With")
        ]
        lighter = lighter or _lighter_training(model, capacity, mode, context, count, budget, est.strategy)
    more = _more_gpus(model, capacity, label, mode, precision, context, count, budget, _spread(mode, est.strategy))
    return next(iter(lighter or more), None)


def _spread(mode: str, strategy: str | None) -> str | None:
    """The strategy more GPUs would use: training needs one that shards the weights (more data-parallel
    replicas never hold more), unless the question named one that does."""
    if mode == "inference":
        return None
    return strategy if strategy in SHARDING else SHARDING[0]


def sharded_fit(
    est: Estimate,
    model: ModelShape,
    capacity: float,
    mode: str,
    precision: str,
    context: int,
    budget: Budget | None = None,
) -> list[str]:
    """Training on several GPUs whose strategy keeps whole copies: the per-GPU need with the weights sharded."""
    count = est.gpus_count
    label = shard_label(mode, precision)
    if (
        mode == "inference"
        or count < 2
        or est.strategy == SHARDING[0]
        or (est.strategy in SHARDING and "ZeRO" in label)
    ):
        return []
    other = variants(model, mode, precision, context, count, budget, SHARDING[0])
    if other.verdict(capacity) == "does not fit":
        return [f"Even with {label} across {count} GPUs each would need about {other.per_gpu_gb:,.1f} GB."]
    return [
        f"With {label} (weights, gradients and optimizer state sharded) across {count} GPUs "
        "it would fit: "
        f"about {other.per_gpu_gb:,.1f} GB each, where {STRATEGY_SHORT[est.strategy or 'ddp']} needs "
        f"{est.per_gpu_gb:,.1f} GB."
    ]


def _more_gpus(
    model: ModelShape,
    capacity: float,
    label: str,
    mode: str,
    precision: str,
    context: int,
    count: int,
    budget: Budget | None = None,
    strategy: str | None = None,
) -> list[str]:
    """How many GPUs of ``capacity`` GB (up to 16) would hold it, if more than ``count`` would."""
    for n in range(count + 1, 17):
        other = variants(model, mode, precision, context, n, budget, strategy)
        if other.verdict(capacity) != "does not fit":
            how = f" with {STRATEGY_SHORT[strategy]}" if strategy else ""
            return [f"{n}× {label} would hold it{how}: about {other.per_gpu_gb:,.1f} GB per GPU."]
    return []


def _lower_precision(
    est: Estimate, model: ModelShape, capacity: float, precision: str, context: int, count: int, budget: Budget | None
) -> list[str]:
    """Inference: the first lower precision that fits, and the longest context that fits at this one."""
    out: list[str] = []
    for lower in _lower_for(budget):
        if BYTES_PER_PARAM[lower] >= BYTES_PER_PARAM[precision]:
            continue
        other = variants(model, "inference", lower, context, count, budget)
        if other.verdict(capacity) != "does not fit":
            poorer = " (below 4-bit: quality suffers)" if lower in BELOW_Q4 else ""
            out.append(
                f"At {PRECISION_NAMES.get(lower, lower)} it would fit{poorer}: about {other.per_gpu_gb:,.1f} GB."
            )
            break
    if "KV cache" in est.terms and est.terms["KV cache"] > 1:
        longest = max_context(model, capacity, precision=precision, gpus_count=count, runtime=budget)
        if longest > 0:
            name = PRECISION_NAMES.get(precision, precision)
            out.append(f"At {name}, a context of up to about {longest:,} tokens fits.")
    return out


def _lighter_training(
    model: ModelShape,
    capacity: float,
    mode: str,
    context: int,
    count: int,
    budget: Budget | None,
    strategy: str | None = None,
) -> list[str]:
    """Training: LoRA or QLoRA instead of a full fine-tune (QLoRA instead of LoRA), if that fits."""
    spreads = [strategy] if count < 2 or strategy in SHARDING else [strategy, SHARDING[0]]
    for lighter in {"full": ("lora", "qlora"), "lora": ("qlora",)}.get(mode, ()):
        precision = "nf4" if lighter == "qlora" else "fp16"
        for spread in spreads:
            other = variants(model, lighter, precision, context, count, budget, spread)
            if other.verdict(capacity) != "does not fit":
                kind = "QLoRA" if lighter == "qlora" else "LoRA"
                how = f" with {shard_label(lighter, precision)} across {count} GPUs" if spread != strategy else ""
                return [f"{kind} would fit{how}: about {other.per_gpu_gb:,.1f} GB{' each' if count > 1 else ''}."]
    return []


def full_instead(model: ModelShape, capacity: float, context: int, count: int) -> str:
    """A LoRA estimate assumed for a fine-tuning question that named no method: what a full fine-tune needs."""
    full = variants(model, "full", "fp16", context, count)
    fits = "would fit" if full.verdict(capacity) != "does not fit" else "would not fit"
    return f"No method named, so this is LoRA; a full fine-tune {fits}: about {full.per_gpu_gb:,.1f} GB."


def held_with(ctx: HandlerContext, req: FitRequest, precision: str, context: int) -> list[tuple[str, float]]:
    """The other models held at the same time ("whisper + llama 8b on the same box"), each run for inference with
    its own CUDA context (a separate process): (name, GB). An LLM at the precision asked, any other model in FP16."""
    out: list[tuple[str, float]] = []
    for model_id in req.held_with:
        spec = ctx.models.get(model_id)
        if spec is not None:
            other = precision if spec.kind == "llm" and req.mode == "inference" else "fp16"
            out.append((spec.name, variants(spec.shape, "inference", other, context, 1).per_gpu_gb))
    return out


def held_bullet(
    ctx: HandlerContext,
    req: FitRequest,
    est: Estimate,
    precision: str,
    context: int,
    gb: float,
    usable: float | None = None,
) -> str:
    """A fit asked for several models at once ("flux and qwen2.5 7b at the same time on a 3090"): their sum, held
    against ``usable`` GB (what the cards really offer; ``gb``, the marketed size, when not given)."""
    held = held_with(ctx, req, precision, context)
    if not held:
        return ""
    room = usable if usable is not None else gb
    total = est.per_gpu_gb + sum(g for _, g in held)
    others = " and ".join(f"{name} (about {g:,.1f} GB)" for name, g in held)
    verdict = "does not fit" if total > room else ("fits, tightly (within 10%)," if total > 0.9 * room else "fits")
    usable_said = f" ({usable:,.1f} GB usable)" if usable is not None else ""
    return (
        f"Held at the same time as {others}, each in its own process: about {total:,.1f} GB in all, "
        f"which {verdict} in {gb:g} GB{usable_said}."
    )


def cheapest_fits(
    ctx: HandlerContext,
    a: Answer,
    model: ModelShape,
    mode: str,
    precision: str,
    context: int,
    budget: Budget | None = None,
) -> list[str]:
    """The cheapest single GPU with a price that holds it (its usable memory, under ``budget``'s runtime); else the
    smallest that does; else the largest."""
    key = ("cheapest", model, mode, precision, context, budget and budget.id)
    found = ctx.memo.get(key)
    if not isinstance(found, tuple):
        found = _cheapest_holder(ctx, variants(model, mode, precision, context, 1, budget), budget)
        ctx.remember(key, found)
    kind, gpu_id = str(found[0]), str(found[1])
    gpu = ctx.catalog.gpus[gpu_id]
    if kind == "priced":
        return [
            f"Cheapest single GPU that holds it: {gpu.short_name} ({value(ctx, a, gpu, 'memory_gb')}, "
            f"{price_text(ctx, a, gpu)})."
        ]
    if kind == "unpriced":
        return [
            f"Single GPUs that hold it have no public price: the smallest is the {gpu.short_name} "
            f"({value(ctx, a, gpu, 'memory_gb')})."
        ]
    return [f"No single GPU holds it; the largest is the {gpu.short_name} ({value(ctx, a, gpu, 'memory_gb')})."]


def _cheapest_holder(ctx: HandlerContext, single: Estimate, budget: Budget | None) -> tuple[str, str]:
    """("priced", the cheapest GPU with a price that holds it), else ("unpriced", the smallest that does),
    else ("none", the largest GPU). Depends only on the plan and the prices, so answers memoise it."""
    room = budget or DEFAULT_INFERENCE
    holds = [g for g in ctx.catalog if single.verdict(capacity_of(ctx, g, room)) != "does not fit"]
    priced = [g for g in holds if ctx.prices.usd(g)]
    if priced:
        return "priced", min(priced, key=lambda g: ctx.prices.usd(g) or 0).id
    if holds:
        return "unpriced", min(holds, key=lambda g: (g.number("memory_gb") or 0, g.id)).id
    return "none", max(ctx.catalog, key=lambda g: g.number("memory_gb") or 0).id
