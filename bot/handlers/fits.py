"""Will a model fit: "can I run llama 3 70b in 4-bit on one A6000?", "max context for llama 3.1 8b on a 4090".

The estimate (every term shown) against one GPU, several, a bare memory size, or no GPU at all (how
much it needs, and the cheapest card that holds it); the longest context that fits; and, with no
model named, what each model of a named family needs (:mod:`bot.handlers.fit_help`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.answer import Answer
from bot.catalog import GPU
from bot.estimator import (
    DECODE_EFFICIENCY,
    PRECISION_NAMES,
    Estimate,
    ModelShape,
    decode_tokens_per_s,
    estimate,
)
from bot.estimator import max_context as longest_context
from bot.handlers.context import HandlerContext, add_sources, value
from bot.handlers.faq import clarify
from bot.handlers.fit_help import fits_help
from bot.handlers.fit_options import cheapest_fits, fit_model, make_it_fit, variants
from bot.parser import FitRequest, Query

__all__ = ["FitPlan", "fit_plan", "fits"]

_VERB = {"inference": "run", "full": "fully fine-tune", "lora": "LoRA fine-tune", "qlora": "QLoRA fine-tune"}
_ANSWER = {"fits": "Yes, it fits", "tight": "Yes, but it is tight", "does not fit": "No, it does not fit"}


@dataclass(frozen=True, slots=True)
class FitPlan:
    """The model, how it is run or trained, and the estimate for it."""

    model: ModelShape
    model_id: str | None
    mode: str
    precision: str
    context: int
    count: int
    est: Estimate

    @property
    def verb(self) -> str:
        """ "run", "fully fine-tune", ..."""
        return _VERB[self.mode]

    @property
    def what(self) -> str:
        """ "Llama 3 70B in 4-bit (Q4_K_M)": the model, with its precision when run."""
        precision = PRECISION_NAMES.get(self.precision, self.precision)
        return f"{self.model.name}" + (f" in {precision}" if self.mode == "inference" else "")

    @property
    def terms(self) -> str:
        """ "weights 35.0 GB; KV cache 1.3 GB; ..."."""
        return "; ".join(f"{name} {gb:,.1f} GB" for name, gb in self.est.terms.items())


def fits(ctx: HandlerContext, q: Query) -> Answer:
    """The memory estimate for the question's model and setup, against what it names (if anything)."""
    if q.ambiguous and not q.gpus:
        return clarify(ctx, q)
    req = q.fit
    model, model_id = fit_model(ctx, req)
    if req is None or model is None:
        return fits_help(ctx, q)
    gpu = ctx.catalog.gpus[q.gpus[0]] if q.gpus else None
    setup = fit_plan(req, model, model_id, req.gpus_count if gpu else 1)
    a = Answer(question=q.text, intent="fits", title=f"Can you {setup.verb} {setup.what}?", gpus=list(q.gpus[:1]))
    a.fields = ["memory_gb"]
    fit: dict[str, Any] = {
        "model": model_id or model.name,
        "params_b": model.params_b,
        "mode": req.mode,
        "precision": setup.precision,
        "gpus_count": setup.count,
        "required_gb": round(setup.est.total_gb, 1),
        "available_gb": None,
        "fits": None,
    }
    if req.max_context and gpu is not None and req.mode == "inference":
        return _max_context(ctx, a, setup, gpu, fit)
    if gpu is None and req.capacity_gb:
        _against_capacity(ctx, a, setup, req.capacity_gb, fit)
    elif gpu is None:
        a.summary = (
            f"{setup.verb.capitalize()} {setup.what}: about {setup.est.total_gb:,.1f} GB of GPU memory ({setup.terms})."
        )
        a.bullets.extend(cheapest_fits(ctx, a, model, req.mode, setup.precision, setup.context))
    else:
        _on_gpu(ctx, a, setup, gpu, fit)
    if model.max_context and setup.context > model.max_context:
        a.bullets.append(
            f"{model.name} itself supports at most {model.max_context:,} tokens of context; "
            f"the estimate is for the {setup.context:,} you asked."
        )
    a.fit = fit
    a.notes.append("Assumptions: " + "; ".join(setup.est.assumptions) + ".")
    if model_id:
        a.sources.extend(ctx.models[model_id].sources[:1])
    return a


def fit_plan(req: FitRequest, model: ModelShape, model_id: str | None, count: int) -> FitPlan:
    """The precision and context the request implies (defaults filled in), and the estimate."""
    precision = req.precision or ("fp16" if req.mode in ("inference", "full", "lora") else "nf4")
    if req.mode != "inference":
        precision = "nf4" if req.mode == "qlora" else "fp16"
    default_context = 2048 if req.mode != "inference" else 4096
    context = req.context or min(model.max_context or default_context, default_context)
    est = estimate(
        model,
        mode=req.mode,  # type: ignore[arg-type]
        precision=precision,
        context=context,
        gpus_count=count,
        kv_precision=req.kv_precision or "fp16",
        checkpointing=req.checkpointing,
        lora_rank=req.lora_rank or 16,
        lora_targets=("q", "k", "v", "o", "gate", "up", "down") if req.lora_all_linear else ("q", "k", "v", "o"),
    )
    return FitPlan(model, model_id, req.mode, precision, context, count, est)


def _against_capacity(ctx: HandlerContext, a: Answer, s: FitPlan, capacity: float, fit: dict[str, Any]) -> None:
    """ "is 24gb enough for ...": the estimate against a bare memory size."""
    verdict = s.est.verdict(capacity)
    fit.update(available_gb=capacity, fits=verdict != "does not fit")
    a.summary = (
        f"{_ANSWER[verdict]}: {s.verb} {s.what} needs about {s.est.per_gpu_gb:,.1f} GB of the {capacity:g} GB "
        f"({s.terms})."
    )
    if verdict == "does not fit":
        a.bullets.extend(
            make_it_fit(ctx, a, s.est, s.model, capacity, f"{capacity:g} GB GPUs", s.mode, s.precision, s.context, 1)
        )


def _on_gpu(ctx: HandlerContext, a: Answer, s: FitPlan, gpu: GPU, fit: dict[str, Any]) -> None:
    """The estimate against one GPU (or several of it): the verdict, speed, and what would make it fit."""
    capacity = gpu.number("memory_gb") or 0.0
    verdict = s.est.verdict(capacity)
    where = f"{s.count}× {gpu.short_name}" if s.count > 1 else f"one {gpu.short_name}"
    fit.update(available_gb=round(capacity * s.count, 1), fits=verdict != "does not fit")
    per = " per GPU" if s.count > 1 else ""
    a.summary = (
        f"{_ANSWER[verdict]}: {s.verb} {s.what} on {where} needs about {s.est.per_gpu_gb:,.1f} GB{per} of "
        f"{value(ctx, a, gpu, 'memory_gb')}{per} ({s.terms})."
    )
    a.recommendation = gpu.id if verdict != "does not fit" else None
    if verdict == "tight":
        a.bullets.append(
            "Within 10% of the card's memory: longer prompts, bigger batches or another process on the GPU "
            "can push it over."
        )
    if verdict != "does not fit" and s.mode == "inference":
        _decode_speed(ctx, a, s, gpu)
    if verdict == "does not fit":
        a.bullets.extend(
            make_it_fit(ctx, a, s.est, s.model, capacity, gpu.short_name, s.mode, s.precision, s.context, s.count)
        )
    if s.count > 1:
        link = "NVLink" if gpu.get("nvlink") else "PCIe only (no NVLink)"
        a.bullets.append(
            f"Split across {s.count} GPUs (tensor or pipeline parallel), each with its own CUDA context; "
            f"GPU-to-GPU traffic goes over {link}."
        )
    add_sources(a, [gpu])


def _decode_speed(ctx: HandlerContext, a: Answer, s: FitPlan, gpu: GPU) -> None:
    speed = decode_tokens_per_s(s.model, s.est, gpu.number("memory_bandwidth_gbs") or 0.0, s.count)
    if speed:
        a.bullets.append(
            f"Rough decode speed: about {speed:,.0f} tokens/s for one sequence (an estimate: "
            f"{DECODE_EFFICIENCY:.0%} of {value(ctx, a, gpu, 'memory_bandwidth_gbs')} bandwidth "
            "divided by the bytes read per token)."
        )


def _max_context(ctx: HandlerContext, a: Answer, s: FitPlan, gpu: GPU, fit: dict[str, Any]) -> Answer:
    """The longest context (batch 1, FP16 KV cache) that fits on ``gpu`` (or ``s.count`` of it)."""
    model, precision, count = s.model, s.precision, s.count
    capacity = gpu.number("memory_gb") or 0.0
    longest = longest_context(model, capacity, precision=precision, gpus_count=count)
    where = f"{count}× {gpu.short_name}" if count > 1 else f"one {gpu.short_name}"
    a.title = f"Longest context for {model.name} on {where}"
    if longest <= 0:
        a.summary = (
            f"{model.name} in {PRECISION_NAMES.get(precision, precision)} does not fit on {where} at all, "
            "so no context length does."
        )
        fit.update(available_gb=round(capacity * count, 1), fits=False)
    else:
        est = variants(model, "inference", precision, longest, count)
        a.summary = (
            f"About {longest:,} tokens (batch 1, FP16 KV cache) for {model.name} in "
            f"{PRECISION_NAMES.get(precision, precision)} on {where}: "
            f"{est.per_gpu_gb:,.1f} GB of {value(ctx, a, gpu, 'memory_gb')}."
        )
        if model.max_context and longest >= model.max_context:
            a.summary += f" That is the model's own limit ({model.max_context:,} tokens)."
        fit.update(required_gb=round(est.total_gb, 1), available_gb=round(capacity * count, 1), fits=True)
        a.recommendation = gpu.id
    a.fit = fit
    add_sources(a, [gpu])
    return a
