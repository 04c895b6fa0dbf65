"""Will a model fit: "can I run llama 3 70b in 4-bit on one A6000?", "max context for llama 3.1 8b on a 4090".

The estimate (every term shown) against one GPU, several, a bare memory size, or no GPU at all (how
much it needs, and the cheapest card that holds it); the longest context that fits; and, with no
model named, what each model of a named family needs (:mod:`bot.handlers.fit_help`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from bot.answer import Answer, Choice
from bot.catalog import GPU
from bot.estimator import (
    Estimate,
    ModelShape,
    decode_speed,
    estimate,
)
from bot.estimator import max_context as longest_context
from bot.estimator_speed import DecodeSpeed
from bot.handlers.clarify import MAX_CHOICES, describe, meant, variant_names
from bot.handlers.context import HandlerContext, add_sources, value
from bot.handlers.fit_help import fits_help
from bot.handlers.fit_media import media_fixes
from bot.handlers.fit_options import (
    MODE_VERBS,
    cheapest_fits,
    first_fix,
    fit_model,
    full_instead,
    held_bullet,
    make_it_fit,
    variants,
)
from bot.handlers.fit_precision import (
    BELOW_Q4,
    best_precision,
    native_precision,
    pick_precision,
    precision_label,
    quality_note,
)
from bot.parser import FitRequest, Query

__all__ = ["MAX_LISTED", "FitPlan", "best_fit", "fit_plan", "fits"]

#: An ambiguous card's candidates answered one by one, at most; more are offered as a choice.
MAX_LISTED = 4

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
    full: Estimate | None = None  # no precision asked and a lower one answered: the estimate in the model's own

    @property
    def verb(self) -> str:
        """ "run", "fully fine-tune", ..."""
        return MODE_VERBS[self.mode]

    @property
    def what(self) -> str:
        """ "Llama 3 70B in 4-bit (Q4_K_M)": the model, with its precision when run."""
        precision = precision_label(self.model, self.precision)
        return f"{self.model.name}" + (f" in {precision}" if self.mode == "inference" else "")

    @property
    def doing(self) -> str:
        """ "run Llama 3 70B in FP16"; with the precision chosen for the asker (the lead names it), the model."""
        return self.model.name if self.full is not None else f"{self.verb} {self.what}"

    @property
    def chosen(self) -> str:
        """ "Yes, in Q4_K_M (4-bit GGUF)": the verdict's lead when the precision was chosen, not asked."""
        return precision_label(self.model, self.precision)

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
    llm = model_id is None or ctx.models[model_id].kind == "llm"  # a bare size is shaped like a language model
    if q.ambiguous and not q.gpus:
        return _ambiguous(ctx, q, fit_plan(req, model, model_id, req.gpus_count), llm)
    gpu = ctx.catalog.gpus[q.gpus[0]] if q.gpus else None
    plan = fit_plan(req, model, model_id, req.gpus_count if gpu or req.capacity_gb else 1)
    capacity = (gpu.number("memory_gb") if gpu else req.capacity_gb) or 0.0
    return _answer(ctx, q, best_fit(plan, capacity) if llm and capacity else plan, gpu)


def best_fit(s: FitPlan, capacity: float) -> FitPlan:
    """No precision asked: the plan in the best precision that fits GPUs of ``capacity`` GB (the model's own,
    then 8-bit down to Q4_K_M, below that only when nothing else fits), keeping the estimate in the model's own
    precision to say what it would need. An asked precision, a fine-tune or max context is answered as asked."""
    if s.req.precision or s.mode != "inference" or s.req.max_context:
        return s

    def plan_at(precision: str) -> FitPlan:
        return fit_plan(dataclasses.replace(s.req, precision=precision), s.model, s.model_id, s.count)

    precision, _ = best_precision(s.model, lambda p: plan_at(p).est.verdict(capacity) != "does not fit")
    if precision == s.precision:
        return s
    return dataclasses.replace(plan_at(precision), req=s.req, full=s.est)


def _lighter(ctx: HandlerContext, a: Answer, s: FitPlan) -> None:
    """No GPU and no precision named: what the lowest precision that keeps 4-bit quality needs, and its card."""
    low = pick_precision(s.model)
    if s.req.precision or not _decodes_tokens(ctx, s) or low == s.precision:
        return
    est = variants(s.model, "inference", low, s.context, 1)
    a.bullets.append(
        f"In {precision_label(s.model, low)}, {quality_note(s.model, low)}: about {est.total_gb:,.1f} GB. "
        + " ".join(cheapest_fits(ctx, a, s.model, s.mode, low, s.context))
    )


def _lead(s: FitPlan, verdict: str) -> str:
    """ "Yes, it fits" — or, with a precision chosen for the asker, "Yes, in Q4_K_M (4-bit GGUF)"."""
    if s.full is None:
        return _ANSWER[verdict]
    return {"fits": "Yes,", "tight": "Yes, but tight,", "does not fit": "No, not even"}[verdict] + f" in {s.chosen}"


def _instead(a: Answer, s: FitPlan, per: str, fits: bool) -> None:
    """With a precision chosen: its quality trade-off, and what the model's own precision would need."""
    if s.full is None:
        return
    own = precision_label(s.model, native_precision(s.model))
    note = quality_note(s.model, s.precision)
    a.summary += f" In {own} it would need about {s.full.per_gpu_gb:,.1f} GB{per}."
    if fits:
        a.bullets.insert(0, f"No precision was asked, so this is the best one that fits: {s.chosen}, {note}.")
    else:
        a.bullets.insert(0, f"No precision was asked; not even {s.chosen} fits, the lowest before quality suffers.")


def _answer(ctx: HandlerContext, q: Query, s: FitPlan, gpu: GPU | None) -> Answer:
    """The estimate for ``s`` against ``gpu`` (or a memory size, or nothing named)."""
    title = f"Can you {s.verb} {s.model.name if s.full is not None else s.what}?"
    a = Answer(question=q.text, intent="fits", title=title, gpus=[gpu.id] if gpu else [])
    a.fields = ["memory_gb"]
    fit = _fit_slots(s)
    if s.req.max_context and gpu is not None and s.mode == "inference":
        return _max_context(ctx, a, s, gpu, fit)
    if gpu is None and s.req.capacity_gb:
        _against_capacity(ctx, a, s, s.req.capacity_gb, fit)
    elif gpu is None:
        a.summary = f"{s.verb.capitalize()} {s.what}: about {s.est.total_gb:,.1f} GB of GPU memory ({s.terms})."
        a.bullets.extend(cheapest_fits(ctx, a, s.model, s.mode, s.precision, s.context))
        _lighter(ctx, a, s)
    else:
        _on_gpu(ctx, a, s, gpu, fit)
    memory = s.req.capacity_gb if gpu is None else (gpu.number("memory_gb") or 0.0) * s.count
    held = held_bullet(ctx, s.req, s.est, s.precision, s.context, memory or 0.0) if memory else ""
    a.bullets[:0] = [held] if held else []
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


def _ambiguous(ctx: HandlerContext, q: Query, s: FitPlan, choose: bool) -> Answer:
    """ "llama 3 8b on an h100": one answer when every candidate gets the same verdict (or longest context) in
    the same precision (with none asked, each candidate's best that fits), else the verdict on each candidate,
    with a choice of them for the full estimate."""
    mention = q.ambiguous[0]
    gpus = sorted((ctx.catalog.gpus[g] for g in meant(ctx, q, mention)), key=_smallest_first)
    plans = [best_fit(s, g.number("memory_gb") or 0.0) if choose else s for g in gpus]
    outcomes = [_outcome(p, g) for p, g in zip(plans, gpus, strict=True)]
    if len({(p.precision, o) for p, o in zip(plans, outcomes, strict=True)}) > 1:
        return _per_candidate(ctx, q, s, mention.text, list(zip(gpus, plans, outcomes, strict=True)))
    no_fit = outcomes[0] in ("does not fit", 0)
    return _same_everywhere(ctx, q, plans[-1 if no_fit else 0], mention.text, gpus, no_fit)


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
    if others:  # the question's limits may leave one candidate ("my 4060 ti has 16gb")
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
        speed = speed_on(s, gpu)
        if speed:
            parts.append(f"{speed.text()} on the {gpu.short_name} ({value(ctx, a, gpu, 'memory_bandwidth_gbs')})")
    after = next((i + 1 for i, b in enumerate(a.bullets) if b.startswith("Rough decode speed")), len(a.bullets))
    if parts:
        a.bullets.insert(
            after, "Decode speed follows memory bandwidth: by the same estimate, " + "; ".join(parts) + "."
        )


def _per_candidate(
    ctx: HandlerContext, q: Query, s: FitPlan, name: str, each: list[tuple[GPU, FitPlan, str | int]]
) -> Answer:
    """The verdict (or longest context) on each candidate; more than a few are a question: which one?"""
    listed = len(each) <= MAX_LISTED
    a = Answer(
        question=q.text,
        intent="fits" if listed else "clarify",
        title=f"Can you {s.verb} {s.what}?" if listed else "Which GPU do you mean?",
        gpus=[g.id for g, _, _ in each],
        fields=["memory_gb"],
    )
    per = " per GPU" if s.count > 1 else ""
    chosen = any(p.full is not None for _, p, _ in each)
    if s.req.max_context and s.mode == "inference":
        a.title = f"Longest context for {s.model.name}" if listed else a.title
        a.summary = (
            f"It depends on which “{name}” you mean: the longest context (batch 1, FP16 KV cache) for "
            f"{s.model.name} in {precision_label(s.model, s.precision)} on each:"
        )
    elif chosen:
        a.title = f"Can you {s.verb} {s.model.name}?" if listed else a.title
        a.summary = (
            f"It depends on which “{name}” you mean. No precision was asked, so on each the best one that fits "
            f"{s.model.name} (in {s.chosen} it needs about {s.est.per_gpu_gb:,.1f} GB{per}):"
        )
    else:
        a.summary = (
            f"It depends on which “{name}” you mean: {s.verb} {s.what} needs about {s.est.per_gpu_gb:,.1f} GB{per} "
            f"({s.terms})."
        )
    a.bullets.extend(_candidate_line(ctx, a, plan, gpu, outcome) for gpu, plan, outcome in each)
    a.choices.extend(Choice(g.id, describe(ctx, g)) for g, _, _ in each[:MAX_CHOICES])
    a.notes.append("Pick one for the full estimate on it: the speed, and what would make it fit.")
    add_sources(a, [g for g, _, _ in each])
    return _finish(ctx, a, s, _fit_slots(s))


def _candidate_line(ctx: HandlerContext, a: Answer, s: FitPlan, gpu: GPU, outcome: str | int) -> str:
    """ "GeForce RTX 3060 8GB (8 GB): no. At 8-bit (INT8) it would fit: about 8.3 GB."."""
    where = f"{s.count}× {gpu.short_name}" if s.count > 1 else gpu.short_name
    label = f"{where} ({value(ctx, a, gpu, 'memory_gb')}{' each' if s.count > 1 else ''})"
    if isinstance(outcome, int):
        return f"{label}: about {outcome:,} tokens." if outcome > 0 else f"{label}: it does not fit at all."
    if outcome != "does not fit":
        tight = ", but tight" if outcome == "tight" else ""
        how = f", in {s.chosen}" if s.full is not None else ""
        how += " (below 4-bit: quality suffers)" if s.full is not None and s.precision in BELOW_Q4 else ""
        return f"{label}: yes{tight}{how}: about {s.est.per_gpu_gb:,.1f} GB{' per GPU' if s.count > 1 else ''}."
    capacity = gpu.number("memory_gb") or 0.0
    fix = first_fix(s.est, s.model, capacity, gpu.short_name, s.mode, s.precision, s.context, s.count)
    return f"{label}: no.{f' {fix}' if fix else ''}"


def fit_plan(req: FitRequest, model: ModelShape, model_id: str | None, count: int) -> FitPlan:
    """The precision and context the request implies (defaults filled in), and the estimate."""
    precision = req.precision or (native_precision(model) if req.mode == "inference" else "fp16")
    if req.mode != "inference":
        # mixed precision in bf16 takes the bytes of fp16; the answer keeps the one asked
        precision = "nf4" if req.mode == "qlora" else ("bf16" if req.precision == "bf16" else "fp16")
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
    return FitPlan(req, model, model_id, req.mode, precision, context, count, est)


def _against_capacity(ctx: HandlerContext, a: Answer, s: FitPlan, capacity: float, fit: dict[str, Any]) -> None:
    """ "is 24gb enough for ...": the estimate against a bare memory size."""
    verdict = s.est.verdict(capacity)
    fit.update(available_gb=round(capacity * s.count, 1), fits=verdict != "does not fit")
    per = f" per GPU of {s.count}× {capacity:g} GB" if s.count > 1 else f" of the {capacity:g} GB"
    a.summary = f"{_lead(s, verdict)}: {s.doing} needs about {s.est.per_gpu_gb:,.1f} GB{per} ({s.terms})."
    _instead(a, s, " per GPU" if s.count > 1 else "", verdict != "does not fit")
    if s.req.lora_assumed:
        a.bullets.append(full_instead(s.model, capacity, s.context, s.count))
    if verdict == "does not fit" and _pipeline(s):
        _media_fixes(a, s, capacity, fit)
    elif verdict == "does not fit":
        a.bullets.extend(
            make_it_fit(
                ctx, a, s.est, s.model, capacity, f"{capacity:g} GB GPUs", s.mode, s.precision, s.context, s.count
            )
        )


def _on_gpu(ctx: HandlerContext, a: Answer, s: FitPlan, gpu: GPU, fit: dict[str, Any]) -> None:
    """The estimate against one GPU (or several of it): the verdict, speed, and what would make it fit."""
    capacity = gpu.number("memory_gb") or 0.0
    verdict = s.est.verdict(capacity)
    where = f"{s.count}× {gpu.short_name}" if s.count > 1 else f"one {gpu.short_name}"
    fit.update(available_gb=round(capacity * s.count, 1), fits=verdict != "does not fit")
    per = " per GPU" if s.count > 1 else ""
    a.summary = (
        f"{_lead(s, verdict)}: {s.doing} on {where} needs about {s.est.per_gpu_gb:,.1f} GB{per} of "
        f"{value(ctx, a, gpu, 'memory_gb')}{per} ({s.terms})."
    )
    _instead(a, s, per, verdict != "does not fit")
    a.recommendation = gpu.id if verdict != "does not fit" else None
    if verdict == "tight":
        a.bullets.append(
            "Within 10% of the card's memory: longer prompts, bigger batches or another process on the GPU "
            "can push it over."
        )
    if verdict != "does not fit" and _decodes_tokens(ctx, s):
        _decode_speed(ctx, a, s, gpu)
    if s.req.lora_assumed:
        a.bullets.append(full_instead(s.model, capacity, s.context, s.count))
    if verdict == "does not fit" and _pipeline(s):
        _media_fixes(a, s, capacity, fit)
        a.recommendation = gpu.id if fit["fits"] else None
    elif verdict == "does not fit":
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


def _pipeline(s: FitPlan) -> bool:
    """An image pipeline run on one card: its own fixes (offload, FP8/NF4 denoiser), not a language model's."""
    return s.mode == "inference" and s.count == 1 and bool(s.model.components)


def _media_fixes(a: Answer, s: FitPlan, capacity: float, fit: dict[str, Any]) -> None:
    """An image pipeline that does not fit with every part on the GPU: with its parts taking turns (ComfyUI does
    this on its own when memory is short) it may, at the precision asked; else the lighter setups that do."""
    first, lines, offload = media_fixes(s.model, s.precision, capacity)
    if offload is not None:
        a.summary = (
            f"Yes, with its parts taking turns on the GPU (ComfyUI does this on its own; diffusers: "
            f"enable_model_cpu_offload): {s.verb} {s.what} needs about {offload.per_gpu_gb:,.1f} GB of the "
            f"{capacity:g} GB ({'; '.join(f'{k} {v:,.1f} GB' for k, v in offload.terms.items())}). With every part on "
            f"the GPU at once it needs {s.est.per_gpu_gb:,.1f} GB ({s.terms})."
        )
        fit.update(fits=True, required_gb=round(offload.total_gb, 1))
        lines = lines[1:]
    elif first:
        a.summary += f" It fits with {first}."
    a.bullets.extend(lines)


def _decodes_tokens(ctx: HandlerContext, s: FitPlan) -> bool:
    """Inference with a language model (a bare size is shaped like one): a decode speed in tokens/s applies.
    A diffusion, vision or encoder model generates no tokens one by one."""
    return s.mode == "inference" and (s.model_id is None or ctx.models[s.model_id].kind == "llm")


def speed_on(s: FitPlan, gpu: GPU) -> DecodeSpeed | None:
    """The decode speed of one sequence for ``s`` on ``gpu`` (``s.count`` of it), at the context asked (else a
    short chat), with the runtime named (else llama.cpp's layer split on several cards)."""
    return decode_speed(
        s.model,
        s.est,
        gpu.number("memory_bandwidth_gbs") or 0.0,
        s.count,
        memory_type=str(gpu.get("memory_type") or ""),
        nvlink=bool(gpu.get("nvlink")),
        runtime=getattr(s.req, "runtime", None),
        context=s.req.context,
    )


def _decode_speed(ctx: HandlerContext, a: Answer, s: FitPlan, gpu: GPU) -> None:
    speed = speed_on(s, gpu)
    if speed:
        value(ctx, a, gpu, "memory_bandwidth_gbs")
        a.bullets.append(f"Rough decode speed: {speed.text()} for one sequence: " + "; ".join(speed.assumptions) + ".")


def _max_context(ctx: HandlerContext, a: Answer, s: FitPlan, gpu: GPU, fit: dict[str, Any]) -> Answer:
    """The longest context (batch 1, FP16 KV cache) that fits on ``gpu`` (or ``s.count`` of it)."""
    model, precision, count = s.model, s.precision, s.count
    capacity = gpu.number("memory_gb") or 0.0
    longest = longest_context(model, capacity, precision=precision, gpus_count=count)
    where = f"{count}× {gpu.short_name}" if count > 1 else f"one {gpu.short_name}"
    a.title = f"Longest context for {model.name} on {where}"
    if longest <= 0:
        a.summary = (
            f"{model.name} in {precision_label(model, precision)} does not fit on {where} at all, "
            "so no context length does."
        )
        fit.update(available_gb=round(capacity * count, 1), fits=False)
    else:
        est = variants(model, "inference", precision, longest, count)
        a.summary = (
            f"About {longest:,} tokens (batch 1, FP16 KV cache) for {model.name} in "
            f"{precision_label(model, precision)} on {where}: "
            f"{est.per_gpu_gb:,.1f} GB of {value(ctx, a, gpu, 'memory_gb')}."
        )
        if model.max_context and longest >= model.max_context:
            a.summary += f" That is the model's own limit ({model.max_context:,} tokens)."
        fit.update(required_gb=round(est.total_gb, 1), available_gb=round(capacity * count, 1), fits=True)
        a.recommendation = gpu.id
    a.fit = fit
    add_sources(a, [gpu])
    return a
