"""Will a model fit: "can I run llama 3 70b in 4-bit on one A6000?", "max context for llama 3.1 8b on a 4090".

The estimate (every term shown) against one GPU, several, a bare memory size, or no GPU at all (how
much it needs, and the cheapest card that holds it); the longest context that fits; and, with no
model named, what each model of a named family needs (:mod:`bot.handlers.fit_help`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.answer import Answer, Choice
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
from bot.estimator_strategy import STRATEGY_NAMES, STRATEGY_SHORT
from bot.handlers.clarify import MAX_CHOICES, describe, meant, variant_names
from bot.handlers.context import HandlerContext, add_sources, value
from bot.handlers.fit_help import fits_help
from bot.handlers.fit_options import cheapest_fits, first_fix, fit_model, make_it_fit, variants
from bot.parser import FitRequest, Query

__all__ = ["MAX_LISTED", "FitPlan", "fit_plan", "fits"]

#: An ambiguous card's candidates answered one by one, at most; more are offered as a choice.
MAX_LISTED = 4

_VERB = {"inference": "run", "full": "fully fine-tune", "lora": "LoRA fine-tune", "qlora": "QLoRA fine-tune"}
_ANSWER = {"fits": "Yes, it fits", "tight": "Yes, but it is tight", "does not fit": "No, it does not fit"}


@dataclass(frozen=True, slots=True)
class FitPlan:
    """The model, how it is run or trained, and the estimate for it."""

    req: FitRequest
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
    req = q.fit
    model, model_id = fit_model(ctx, req)
    if req is None or model is None:
        return fits_help(ctx, q)
    if q.ambiguous and not q.gpus:
        return _ambiguous(ctx, q, fit_plan(req, model, model_id, req.gpus_count))
    gpu = ctx.catalog.gpus[q.gpus[0]] if q.gpus else None
    return _answer(ctx, q, fit_plan(req, model, model_id, req.gpus_count if gpu or req.capacity_gb else 1), gpu)


def _answer(ctx: HandlerContext, q: Query, s: FitPlan, gpu: GPU | None) -> Answer:
    """The estimate for ``s`` against ``gpu`` (or a memory size, or nothing named)."""
    a = Answer(question=q.text, intent="fits", title=f"Can you {s.verb} {s.what}?", gpus=[gpu.id] if gpu else [])
    a.fields = ["memory_gb"]
    fit = _fit_slots(s)
    if s.req.max_context and gpu is not None and s.mode == "inference":
        return _max_context(ctx, a, s, gpu, fit)
    if gpu is None and s.req.capacity_gb:
        _against_capacity(ctx, a, s, s.req.capacity_gb, fit)
    elif gpu is None:
        a.summary = f"{s.verb.capitalize()} {s.what}: about {s.est.total_gb:,.1f} GB of GPU memory ({s.terms})."
        a.bullets.extend(cheapest_fits(ctx, a, s.model, s.mode, s.precision, s.context))
    else:
        _on_gpu(ctx, a, s, gpu, fit)
    return _finish(ctx, a, s, fit)


def _fit_slots(s: FitPlan) -> dict[str, Any]:
    """The answer's ``fit`` object, before the GPU it is held against fills ``available_gb`` and ``fits``."""
    return {
        "model": s.model_id or s.model.name,
        "params_b": s.model.params_b,
        "mode": s.mode,
        "precision": s.precision,
        "gpus_count": s.count,
        "required_gb": round(s.est.total_gb, 1),
        "available_gb": None,
        "fits": None,
    }


def _finish(ctx: HandlerContext, a: Answer, s: FitPlan, fit: dict[str, Any]) -> Answer:
    """What every estimate ends with: the model's own context limit, the assumptions and the model's source."""
    if s.model.max_context and s.context > s.model.max_context:
        a.bullets.append(
            f"{s.model.name} itself supports at most {s.model.max_context:,} tokens of context; "
            f"the estimate is for the {s.context:,} you asked."
        )
    a.fit = fit
    a.notes.append("Assumptions: " + "; ".join(s.est.assumptions) + ".")
    if s.model_id:
        a.sources.extend(ctx.models[s.model_id].sources[:1])
    return a


# -- an ambiguous card: one answer when every candidate gets the same one ----------------------


def _ambiguous(ctx: HandlerContext, q: Query, s: FitPlan) -> Answer:
    """ "llama 3 8b on an h100": one answer when every candidate gets the same verdict (or longest context),
    else the verdict on each candidate, with a choice of them for the full estimate."""
    mention = q.ambiguous[0]
    gpus = sorted((ctx.catalog.gpus[g] for g in meant(ctx, q, mention)), key=_smallest_first)
    outcomes = [_outcome(s, g) for g in gpus]
    if len(set(outcomes)) > 1:
        return _per_candidate(ctx, q, s, mention.text, list(zip(gpus, outcomes, strict=True)))
    return _same_everywhere(ctx, q, s, mention.text, gpus, outcomes[0] in ("does not fit", 0))


def _same_everywhere(ctx: HandlerContext, q: Query, s: FitPlan, name: str, gpus: list[GPU], no_fit: bool) -> Answer:
    """One answer for every candidate: a fit stated for the one with the least memory (it holds on the others),
    no fit for the one with the most (it fails on the others too)."""
    reported = gpus[-1] if no_fit else gpus[0]
    others = [g for g in gpus if g is not reported]
    a = _answer(ctx, q, s, reported)
    a.gpus = [reported.id, *(g.id for g in others)]
    if len({g.number("memory_gb") for g in gpus}) == 1:
        why = "they have the same memory"
    else:
        why = f"the {reported.short_name} has the {'most' if no_fit else 'least'} memory of them"
    same = f"Not on the {variant_names(others, 'or')} either" if no_fit else f"The same on the {variant_names(others)}"
    a.summary += f" {same}: “{name}” could be any of them, and {why}."
    if not s.req.max_context and no_fit:
        _fixes_on_smaller(ctx, a, s, reported, others)
    elif not s.req.max_context and _decodes_tokens(ctx, s):
        _other_speeds(ctx, a, s, reported, others)
    add_sources(a, others)
    return a


def _fixes_on_smaller(ctx: HandlerContext, a: Answer, s: FitPlan, reported: GPU, others: list[GPU]) -> None:
    """What would make it fit on the candidates with less memory than the one the answer reports."""
    most = reported.number("memory_gb") or 0.0
    smaller: dict[float, list[GPU]] = {}
    for gpu in others:
        capacity = gpu.number("memory_gb") or 0.0
        if capacity < most:
            smaller.setdefault(capacity, []).append(gpu)
    at = next((i for i, b in enumerate(a.bullets) if b.startswith("Split across")), len(a.bullets))
    for capacity, group in sorted(smaller.items(), reverse=True):
        fix = first_fix(s.est, s.model, capacity, group[0].short_name, s.mode, s.precision, s.context, s.count)
        memory = value(ctx, a, group[0], "memory_gb") + (" each" if s.count > 1 else "")
        said = fix or "neither a lower precision, a lighter fine-tune nor up to 16 of them would hold it."
        a.bullets.insert(at, f"On the {variant_names(group)} ({memory}): {said[:1].lower() + said[1:]}")
        at += 1


def _smallest_first(gpu: GPU) -> tuple[float, float, str]:
    return (gpu.number("memory_gb") or 0.0, gpu.number("memory_bandwidth_gbs") or 0.0, gpu.id)


def _outcome(s: FitPlan, gpu: GPU) -> str | int:
    """What the answer on ``gpu`` turns on: the verdict, or for "max context" the longest context."""
    capacity = gpu.number("memory_gb") or 0.0
    if s.req.max_context and s.mode == "inference":
        return max(longest_context(s.model, capacity, precision=s.precision, gpus_count=s.count), 0)
    return s.est.verdict(capacity)


def _other_speeds(ctx: HandlerContext, a: Answer, s: FitPlan, reported: GPU, others: list[GPU]) -> None:
    """The rough decode speed on the other candidates whose memory bandwidth differs, after the reported one's."""
    bandwidth = reported.number("memory_bandwidth_gbs")
    parts = []
    for gpu in others:
        if gpu.number("memory_bandwidth_gbs") == bandwidth:
            continue
        speed = decode_tokens_per_s(s.model, s.est, gpu.number("memory_bandwidth_gbs") or 0.0, s.count)
        if speed:
            parts.append(
                f"about {speed:,.0f} tokens/s on the {gpu.short_name} ({value(ctx, a, gpu, 'memory_bandwidth_gbs')})"
            )
    after = next((i + 1 for i, b in enumerate(a.bullets) if b.startswith("Rough decode speed")), len(a.bullets))
    if parts:
        a.bullets.insert(
            after, "Decode speed follows memory bandwidth: by the same estimate, " + "; ".join(parts) + "."
        )


def _per_candidate(ctx: HandlerContext, q: Query, s: FitPlan, name: str, each: list[tuple[GPU, str | int]]) -> Answer:
    """The verdict (or longest context) on each candidate; more than a few are a question: which one?"""
    listed = len(each) <= MAX_LISTED
    a = Answer(
        question=q.text,
        intent="fits" if listed else "clarify",
        title=f"Can you {s.verb} {s.what}?" if listed else "Which GPU do you mean?",
        gpus=[g.id for g, _ in each],
        fields=["memory_gb"],
    )
    per = " per GPU" if s.count > 1 else ""
    if s.req.max_context and s.mode == "inference":
        a.title = f"Longest context for {s.model.name}" if listed else a.title
        a.summary = (
            f"It depends on which “{name}” you mean: the longest context (batch 1, FP16 KV cache) for "
            f"{s.model.name} in {PRECISION_NAMES.get(s.precision, s.precision)} on each:"
        )
    else:
        a.summary = (
            f"It depends on which “{name}” you mean: {s.verb} {s.what} needs about {s.est.per_gpu_gb:,.1f} GB{per} "
            f"({s.terms})."
        )
    a.bullets.extend(_candidate_line(ctx, a, s, gpu, outcome) for gpu, outcome in each)
    a.choices.extend(Choice(g.id, describe(ctx, g)) for g, _ in each[:MAX_CHOICES])
    a.notes.append("Pick one for the full estimate on it: the speed, and what would make it fit.")
    add_sources(a, [g for g, _ in each])
    return _finish(ctx, a, s, _fit_slots(s))


def _candidate_line(ctx: HandlerContext, a: Answer, s: FitPlan, gpu: GPU, outcome: str | int) -> str:
    """ "GeForce RTX 3060 8GB (8 GB): no. At 8-bit (INT8) it would fit: about 8.3 GB."."""
    where = f"{s.count}× {gpu.short_name}" if s.count > 1 else gpu.short_name
    label = f"{where} ({value(ctx, a, gpu, 'memory_gb')}{' each' if s.count > 1 else ''})"
    if isinstance(outcome, int):
        return f"{label}: about {outcome:,} tokens." if outcome > 0 else f"{label}: it does not fit at all."
    if outcome != "does not fit":
        tight = ", but tight" if outcome == "tight" else ""
        return f"{label}: yes{tight}: about {s.est.per_gpu_gb:,.1f} GB{' per GPU' if s.count > 1 else ''}."
    capacity = gpu.number("memory_gb") or 0.0
    fix = first_fix(s.est, s.model, capacity, gpu.short_name, s.mode, s.precision, s.context, s.count)
    return f"{label}: no.{f' {fix}' if fix else ''}"


def fit_plan(req: FitRequest, model: ModelShape, model_id: str | None, count: int) -> FitPlan:
    """The precision and context the request implies (defaults filled in), and the estimate."""
    precision = req.precision or "fp16"
    if req.mode != "inference":
        precision = _training_precision(req)
    default_context = 2048 if req.mode != "inference" else 4096
    context = req.context or min(model.max_context or default_context, default_context)
    est = estimate(
        model,
        mode=req.mode,  # type: ignore[arg-type]
        precision=precision,
        context=context,
        batch=(req.batch or 1) if req.mode != "inference" else 1,
        gpus_count=count,
        kv_precision=req.kv_precision or "fp16",
        checkpointing=req.checkpointing,
        lora_rank=req.lora_rank or 16,
        lora_targets=("q", "k", "v", "o", "gate", "up", "down") if req.lora_all_linear else ("q", "k", "v", "o"),
        strategy=req.strategy,
    )
    return FitPlan(req, model, model_id, req.mode, precision, context, count, est)


def _training_precision(req: FitRequest) -> str:
    """The precision a fine-tune is costed at: QLoRA's NF4 base, LoRA on an 8-bit (LLM.int8) base when asked,
    else 16-bit (mixed precision in bf16 takes the bytes of fp16; the answer keeps the one asked)."""
    if req.mode == "qlora":
        return "nf4"
    if req.mode == "lora" and req.precision == "int8":
        return "int8"
    return "bf16" if req.precision == "bf16" else "fp16"


def _against_capacity(ctx: HandlerContext, a: Answer, s: FitPlan, capacity: float, fit: dict[str, Any]) -> None:
    """ "is 24gb enough for ...": the estimate against a bare memory size."""
    verdict = s.est.verdict(capacity)
    fit.update(available_gb=round(capacity * s.count, 1), fits=verdict != "does not fit")
    per = f" per GPU of {s.count}× {capacity:g} GB{_spread(s)}" if s.count > 1 else f" of the {capacity:g} GB"
    a.summary = f"{_ANSWER[verdict]}: {s.verb} {s.what} needs about {s.est.per_gpu_gb:,.1f} GB{per} ({s.terms})."
    if verdict == "does not fit":
        a.bullets.extend(
            make_it_fit(
                ctx, a, s.est, s.model, capacity, f"{capacity:g} GB GPUs", s.mode, s.precision, s.context, s.count
            )
        )


def _on_gpu(ctx: HandlerContext, a: Answer, s: FitPlan, gpu: GPU, fit: dict[str, Any]) -> None:
    """The estimate against one GPU (or several of it): the verdict, speed, and what would make it fit."""
    capacity = gpu.number("memory_gb") or 0.0
    verdict = s.est.verdict(capacity)
    where = f"{s.count}× {gpu.short_name}{_spread(s)}" if s.count > 1 else f"one {gpu.short_name}"
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
    if verdict != "does not fit" and _decodes_tokens(ctx, s):
        _decode_speed(ctx, a, s, gpu)
    if verdict == "does not fit":
        a.bullets.extend(
            make_it_fit(ctx, a, s.est, s.model, capacity, gpu.short_name, s.mode, s.precision, s.context, s.count)
        )
    if s.count > 1:
        link = "NVLink" if gpu.get("nvlink") else "PCIe only (no NVLink)"
        how = "tensor or pipeline parallel" if s.est.strategy is None else STRATEGY_NAMES[s.est.strategy]
        a.bullets.append(
            f"Split across {s.count} GPUs ({how}), each with its own CUDA context; GPU-to-GPU traffic goes over {link}."
        )
    add_sources(a, [gpu])


def _spread(s: FitPlan) -> str:
    """ " with FSDP", " with data-parallel (DDP)": how a training job is spread over several GPUs."""
    return f" with {STRATEGY_SHORT[s.est.strategy]}" if s.est.strategy and s.count > 1 else ""


def _decodes_tokens(ctx: HandlerContext, s: FitPlan) -> bool:
    """Inference with a language model (a bare size is shaped like one): a decode speed in tokens/s applies.
    A diffusion, vision or encoder model generates no tokens one by one."""
    return s.mode == "inference" and (s.model_id is None or ctx.models[s.model_id].kind == "llm")


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
