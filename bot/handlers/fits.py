"""Will a model fit: "can I run llama 3 70b in 4-bit on one A6000?", "max context for llama 3.1 8b on a 4090".

The estimate (every term shown, under the named or assumed runtime) against one GPU, several, a bare memory size,
or no GPU at all (how much it needs, and the cheapest card that holds it), compared with what the card really
offers (:mod:`bot.handlers.fit_memory`) and with its margin; the longest context that fits
(:mod:`bot.handlers.fit_context`); and, with no model named, what each model of a named family needs
(:mod:`bot.handlers.fit_help`). The plan itself: :mod:`bot.handlers.fit_plan`.
"""

from __future__ import annotations

from typing import Any

from bot.answer import Answer, Choice
from bot.catalog import GPU
from bot.chart_data import memory_chart
from bot.estimator_runtime import on_card
from bot.estimator_strategy import STRATEGY_NAMES, STRATEGY_SHORT
from bot.handlers.clarify import MAX_CHOICES, describe, meant, variant_names
from bot.handlers.context import HandlerContext, add_sources, value
from bot.handlers.fit_context import decode_speed_bullet, longest, max_context_answer, max_context_on_size, speed_first
from bot.handlers.fit_count import CountedPlan, as_typed, common_name, counted_cards, fewest_cards, smallest_first
from bot.handlers.fit_help import fits_help
from bot.handlers.fit_media import media_fixes
from bot.handlers.fit_memory import (
    band_text,
    budget_for,
    capacity_of,
    marketed_usable_gb,
    nearest_settings,
    outside_text,
    usable_gb,
    usable_text,
)
from bot.handlers.fit_offload import below_3_bits, offload_at_4_bit, offload_bullet
from bot.handlers.fit_options import (
    cheapest_fits,
    first_fix,
    fit_model,
    full_instead,
    held_bullet,
    make_it_fit,
    variants,
)
from bot.handlers.fit_plan import FitPlan, best_fit, decodes_tokens, fit_plan, fit_slots, speed_on
from bot.handlers.fit_precision import BELOW_Q4, native_precision, pick_precision, precision_label, quality_note
from bot.handlers.fit_rig_variants import rig_fit
from bot.parser import Query
from bot.wording import an, gerund

__all__ = ["MAX_LISTED", "FitPlan", "best_fit", "fit_plan", "fits"]

#: An ambiguous card's candidates answered one by one, at most; more are offered as a choice.
MAX_LISTED = 4

_ANSWER = {"fits": "Yes, it fits", "tight": "Yes, but it is borderline", "does not fit": "No, it does not fit"}
GIB = 2**30
#: An image pipeline's outcome on a card that holds it only with its parts taking turns (ComfyUI's low-memory mode).
_TAKING_TURNS = "fits with its parts taking turns"


def fits(ctx: HandlerContext, q: Query) -> Answer:
    """The memory estimate for the question's model and setup, against what it names (if anything)."""
    req = q.fit
    model, model_id = fit_model(ctx, req)
    if req is None or model is None:
        return fits_help(ctx, q)
    budget = budget_for(ctx, req.runtime, req.mode, model.kind)
    llm = model_id is None or ctx.models[model_id].kind == "llm"  # a bare size is shaped like a language model
    if req.combined and (rig := rig_fit(ctx, q, lambda n: fit_plan(req, model, model_id, n, budget=budget), llm=llm)):
        return rig  # "on a 3090 + a 3060": the cards together (with each variant of "a 3060")
    if q.ambiguous and not q.gpus:
        plan = fit_plan(req, model, model_id, req.gpus_count, budget=budget)
        return _count_answer(ctx, q, plan, None) or _ambiguous(ctx, q, plan, llm)
    gpu = ctx.catalog.gpus[q.gpus[0]] if q.gpus else None
    if gpu is not None:
        budget = on_card(budget, usable_gb(ctx, gpu), gpu.id)  # the runtime's defaults for this card
    count = req.gpus_count if gpu or req.capacity_gb else 1
    vram = _vram_gib(ctx, gpu, req.capacity_gb, count)
    plan = fit_plan(req, model, model_id, count, budget=budget, vram_gib=vram)
    if counted := _count_answer(ctx, q, plan, gpu):
        return counted
    capacity = _room(ctx, plan, gpu)
    return _answer(ctx, q, best_fit(plan, capacity) if llm and capacity else plan, gpu)


def _count_answer(ctx: HandlerContext, q: Query, plan: FitPlan, gpu: GPU | None) -> Answer | None:
    """ "how many 4090s for llama 405b": the fewest cards first, then the estimate for that many; None when the
    question asks no count (or states one), or no count up to the limit holds the model."""
    if q.fit is None or not q.fit.count_asked or q.fit.gpus_count != 1:
        return None
    counted = fewest_cards(ctx, plan, counted_cards(ctx, q, gpu))
    return _counted(ctx, q, counted) if counted is not None else None


def _counted(ctx: HandlerContext, q: Query, counted: CountedPlan) -> Answer:
    """The count's lead, then the fit answer on that many of its card."""
    a = _answer(ctx, q, counted.plan, counted.gpu)
    a.title = f"How many {common_name(ctx, q, counted)} cards for {counted.plan.model.name}?"
    a.summary = f"{counted.lead} {a.summary}"
    a.gpus = list(counted.counted) or a.gpus
    return a


def _vram_gib(ctx: HandlerContext, gpu: GPU | None, capacity: float | None, count: int) -> float | None:
    """The total GPU memory in GiB, for a runtime whose default context depends on it (Ollama)."""
    if gpu is not None:
        return usable_gb(ctx, gpu) * count * 1e9 / GIB
    return capacity * count if capacity else None


def _room(ctx: HandlerContext, s: FitPlan, gpu: GPU | None) -> float:
    """The memory per GPU the plan's runtime may use: of the card's usable memory, or of a bare size read as
    marketed (GiB); 0 when nothing is named."""
    if gpu is not None:
        return capacity_of(ctx, gpu, s.budget, s.count)
    if not s.req.capacity_gb:
        return 0.0
    usable = marketed_usable_gb(s.req.capacity_gb)
    return usable * s.budget.fraction_of(usable, s.count)


def _lighter(ctx: HandlerContext, a: Answer, s: FitPlan) -> None:
    """No GPU and no precision named: what the lowest precision that keeps 4-bit quality needs, and its card."""
    low = pick_precision(s.model)
    if s.req.precision or not decodes_tokens(ctx, s) or low == s.precision:
        return
    est = variants(s.model, "inference", low, s.context, 1, s.budget)
    a.bullets.append(
        f"In {precision_label(s.model, low)}, {quality_note(s.model, low)}: about {est.total_gb:,.1f} GB. "
        + " ".join(cheapest_fits(ctx, a, s.model, s.mode, low, s.context, s.budget))
    )


def _lead(s: FitPlan, verdict: str) -> str:
    """ "Yes, it fits" — or, with a precision chosen for the asker, "Yes, in Q4_K_M (4-bit GGUF)"."""
    if s.est.floor and verdict != "does not fit":  # a term could not be sized: the need is at least this
        return "Yes for all but the activations, which I don't estimate for image models"
    if s.full is None:
        return _ANSWER[verdict]
    lead = {"fits": "Yes,", "tight": "Yes, but borderline,", "does not fit": "No, not even"}[verdict]
    return f"{lead} in {s.chosen}"


def _instead(a: Answer, s: FitPlan, per: str, fits: bool) -> None:
    """With a precision chosen: its quality trade-off, and what the model's own precision would need."""
    if s.full is None:
        return
    own = precision_label(s.model, native_precision(s.model))
    note = quality_note(s.model, s.precision)
    a.summary += f" In {own} it would need about {s.full.per_gpu_gb:,.1f} GB{per}."
    if fits:
        said = "the best one that fits" + (" with room to spare" if s.borderline else "")
        tighter = f"; {precision_label(s.model, s.borderline)} would be borderline" if s.borderline else ""
        a.bullets.insert(0, f"No precision was asked, so this is {said}: {s.chosen}, {note}{tighter}.")
    else:
        a.bullets.insert(0, f"No precision was asked; not even {s.chosen} fits, the lowest before quality suffers.")


def _answer(ctx: HandlerContext, q: Query, s: FitPlan, gpu: GPU | None) -> Answer:
    """The estimate for ``s`` against ``gpu`` (or a memory size, or nothing named)."""
    title = f"Can you {s.verb} {s.model.name if s.full is not None else s.what}?"
    a = Answer(question=q.text, intent="fits", title=title, gpus=[gpu.id] if gpu else [])
    a.fields = ["memory_gb"]
    fit = fit_slots(s)
    if s.req.max_context and s.mode == "inference" and (gpu is not None or s.req.capacity_gb):
        size = s.req.capacity_gb or 0.0
        return max_context_answer(ctx, a, s, gpu, fit) if gpu else max_context_on_size(ctx, a, s, size, fit)
    if gpu is None and s.req.capacity_gb:
        _against_capacity(ctx, a, s, s.req.capacity_gb, fit)
    elif gpu is None:
        a.summary = f"{s.verb.capitalize()} {s.what}: about {s.est.total_gb:,.1f} GB of GPU memory ({s.terms})."
        a.bullets.extend(cheapest_fits(ctx, a, s.model, s.mode, s.precision, s.context, s.budget))
        _lighter(ctx, a, s)
    else:
        _on_gpu(ctx, a, s, gpu, fit)
    memory = s.req.capacity_gb if gpu is None else (gpu.number("memory_gb") or 0.0) * s.count
    room = _room(ctx, s, gpu) * s.count
    held = held_bullet(ctx, s.req, s.est, s.precision, s.context, memory or 0.0, room) if memory else ""
    a.bullets[:0] = [held] if held else []
    return _finish(ctx, a, s, fit)


def _cards(ctx: HandlerContext, a: Answer, count: int) -> str:
    """ "RTX A6000", "2× GeForce RTX 3090": the cards an estimate is held against ("" for none)."""
    if not a.gpus:
        return ""
    name = ctx.catalog.gpus[a.gpus[0]].short_name
    return f"{count}× {name}" if count > 1 else name


def _finish(ctx: HandlerContext, a: Answer, s: FitPlan, fit: dict[str, Any]) -> Answer:
    """What every estimate ends with: the model's own context limit, the assumptions and the model's source."""
    if s.model.max_context and s.context > s.model.max_context:
        a.bullets.append(
            f"{s.model.name} itself supports at most {s.model.max_context:,} tokens of context; "
            f"the estimate is for the {s.context:,} you asked."
        )
    a.fit = fit
    a.chart = memory_chart(fit, a.title, _cards(ctx, a, s.count))
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
    gpus = sorted((ctx.catalog.gpus[g] for g in meant(ctx, q, mention)), key=smallest_first)
    on_each = [_on_card(ctx, s, g) for g in gpus]  # the runtime's defaults for each candidate card
    plans = [
        best_fit(p, capacity_of(ctx, g, p.budget, p.count)) if choose else p for p, g in zip(on_each, gpus, strict=True)
    ]
    outcomes = [_outcome(ctx, p, g) for p, g in zip(plans, gpus, strict=True)]
    if len({(p.precision, o) for p, o in zip(plans, outcomes, strict=True)}) > 1:
        most = max(on_each, key=lambda p: p.est.per_gpu_gb)  # the runtime's defaults may differ by card
        return _per_candidate(ctx, q, most, mention.text, list(zip(gpus, plans, outcomes, strict=True)))
    no_fit = outcomes[0] in ("does not fit", 0)
    end = -1 if no_fit else 0
    named = as_typed(gpus, mention.text, end)
    gpus[end], gpus[named] = gpus[named], gpus[end]
    return _same_everywhere(ctx, q, plans[named], mention.text, gpus, no_fit)


def _on_card(ctx: HandlerContext, s: FitPlan, gpu: GPU) -> FitPlan:
    """The plan with the defaults its runtime picks on ``gpu`` (vLLM's max_num_seqs by card size), if they differ."""
    budget = on_card(s.budget, usable_gb(ctx, gpu), gpu.id)
    if budget is s.budget:
        return s
    return fit_plan(s.req, s.model, s.model_id, s.count, budget=budget, vram_gib=s.vram_gib)


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
    elif not s.req.max_context and decodes_tokens(ctx, s):
        _other_speeds(ctx, a, s, reported, others)
    add_sources(a, others)
    return a


def _fixes_on_smaller(ctx: HandlerContext, a: Answer, s: FitPlan, reported: GPU, others: list[GPU]) -> None:
    """What would make it fit on the candidates with less memory than the one the answer reports."""
    most = capacity_of(ctx, reported, s.budget, s.count)
    smaller: dict[float, list[GPU]] = {}
    for gpu in others:
        capacity = capacity_of(ctx, gpu, s.budget, s.count)
        if capacity < most:
            smaller.setdefault(capacity, []).append(gpu)
    at = next((i for i, b in enumerate(a.bullets) if b.startswith("Split across")), len(a.bullets))
    for capacity, group in sorted(smaller.items(), reverse=True):
        fix = first_fix(
            s.est, s.model, capacity, group[0].short_name, s.mode, s.precision, s.context, s.count, s.budget
        )
        memory = value(ctx, a, group[0], "memory_gb") + (" each" if s.count > 1 else "")
        said = fix or "neither a lower precision, a lighter fine-tune nor up to 16 of them would hold it."
        a.bullets.insert(at, f"On the {variant_names(group)} ({memory}): {said[:1].lower() + said[1:]}")
        at += 1


def _outcome(ctx: HandlerContext, s: FitPlan, gpu: GPU) -> str | int:
    """What the answer on ``gpu`` turns on: the verdict, or for "max context" the longest context."""
    capacity = capacity_of(ctx, gpu, s.budget, s.count)
    if s.req.max_context and s.mode == "inference":
        return max(longest(s, capacity), 0)
    verdict = s.est.verdict(capacity)
    if verdict == "does not fit" and _pipeline(s) and media_fixes(s.model, s.precision, capacity)[2] is not None:
        return _TAKING_TURNS  # the answer on that card leads with it (_media_fixes)
    return verdict


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
    return _finish(ctx, a, s, fit_slots(s))


def _candidate_line(ctx: HandlerContext, a: Answer, s: FitPlan, gpu: GPU, outcome: str | int) -> str:
    """ "GeForce RTX 3060 8GB (8 GB): no. At 8-bit (INT8) it would fit: about 8.3 GB."."""
    where = f"{s.count}× {gpu.short_name}" if s.count > 1 else gpu.short_name
    label = f"{where} ({value(ctx, a, gpu, 'memory_gb')}{' each' if s.count > 1 else ''})"
    if isinstance(outcome, int):
        return f"{label}: about {outcome:,} tokens." if outcome > 0 else f"{label}: it does not fit at all."
    per = " per GPU" if s.count > 1 else ""
    capacity = capacity_of(ctx, gpu, s.budget, s.count)
    if outcome == _TAKING_TURNS:
        offload = media_fixes(s.model, s.precision, capacity)[2]
        need = offload.per_gpu_gb if offload is not None else s.est.per_gpu_gb
        return f"{label}: yes, with its parts taking turns: about {need:,.1f} GB of {capacity:,.1f} GB usable."
    if outcome != "does not fit":
        lead = "borderline" if outcome == "tight" else "yes"
        how = f", in {s.chosen}" if s.full is not None else ""
        how += " (below 4-bit: quality suffers)" if s.full is not None and s.precision in BELOW_Q4 else ""
        return f"{label}: {lead}{how}: about {s.est.per_gpu_gb:,.1f} GB{per} of {capacity:,.1f} GB usable."
    fix = first_fix(s.est, s.model, capacity, gpu.short_name, s.mode, s.precision, s.context, s.count, s.budget)
    return f"{label}: no.{f' {fix}' if fix else ''}"


# -- against a bare memory size or one card -----------------------------------------------------


def _against_capacity(ctx: HandlerContext, a: Answer, s: FitPlan, capacity: float, fit: dict[str, Any]) -> None:
    """ "is 24gb enough for ...": the estimate against a bare memory size (read as marketed: GiB)."""
    usable = marketed_usable_gb(capacity)
    room = _room(ctx, s, None)
    verdict = s.est.verdict(room)
    need = s.est.per_gpu_gb
    fit.update(
        available_gb=round(capacity * s.count, 1),
        fits=verdict != "does not fit",
        usable_gb=round(usable * s.count, 1),
        margin_gb=round(-s.est.beyond_share_gb(room) or room - need, 1),
    )
    per = f" per GPU of {s.count}× {capacity:g} GB{_spread(s)}" if s.count > 1 else f" of the {capacity:g} GB"
    band = band_text(need, room, est=s.est)
    a.summary = f"{_lead(s, verdict)}: {gerund(s.doing)} needs about {need:,.1f} GB{per} ({s.terms}); {band}."
    _instead(a, s, " per GPU" if s.count > 1 else "", verdict != "does not fit")
    size = f"{capacity:g}"
    a.bullets.append(
        f"{an(size).capitalize()} {size} GB card offers about {usable:,.1f} GB ({size} GiB in decimal GB)."
    )
    if s.req.lora_assumed:
        a.bullets.append(full_instead(s.model, room, s.context, s.count))
    if verdict == "does not fit" and _pipeline(s):
        _media_fixes(a, s, room, fit)
    elif verdict == "does not fit":
        where = f"{capacity:g} GB GPUs"
        fixes = make_it_fit(ctx, a, s.est, s.model, room, where, s.mode, s.precision, s.context, s.count, s.budget)
        a.bullets.extend([*fixes, *filter(None, [below_3_bits(s, room)])])


def _on_gpu(ctx: HandlerContext, a: Answer, s: FitPlan, gpu: GPU, fit: dict[str, Any]) -> None:
    """The estimate against one GPU (or several of it): the verdict, its margin, speed, and what would make it fit."""
    capacity = capacity_of(ctx, gpu, s.budget, s.count)
    verdict = s.est.verdict(capacity)
    need = s.est.per_gpu_gb
    where = f"{s.count}× {gpu.short_name}" if s.count > 1 else f"one {gpu.short_name}"
    fit.update(
        available_gb=round((gpu.number("memory_gb") or 0.0) * s.count, 1),
        fits=verdict != "does not fit",
        usable_gb=round(usable_gb(ctx, gpu) * s.count, 1),
        margin_gb=round(-s.est.beyond_share_gb(capacity) or capacity - need, 1),
    )
    per = " per GPU" if s.count > 1 else ""
    a.summary = (
        f"{_lead(s, verdict)}: {gerund(s.doing)} on {where} ({value(ctx, a, gpu, 'memory_gb')}{per}){_spread(s)} "
        "needs about "
        f"{need:,.1f} GB{per} of {capacity:,.1f} GB {_usable_word(s)} ({s.terms}); "
        f"{band_text(need, capacity, per, s.est)}."
    )
    _instead(a, s, per, verdict != "does not fit")
    a.bullets.extend(filter(None, [outside_text(s.est, capacity), usable_text(ctx, gpu, s.budget, s.count) + "."]))
    a.recommendation = gpu.id if verdict != "does not fit" else None
    if verdict == "tight":
        a.bullets.append("Borderline: longer prompts, bigger batches or another process on the GPU can push it over.")
    if verdict != "does not fit" and decodes_tokens(ctx, s):
        fit["tokens_per_s"] = decode_speed_bullet(ctx, a, s, gpu)
    if s.req.lora_assumed:
        a.bullets.append(full_instead(s.model, capacity, s.context, s.count))
    if verdict == "does not fit" and _pipeline(s):
        _media_fixes(a, s, capacity, fit)
        a.recommendation = gpu.id if fit["fits"] else None
    elif verdict == "does not fit":
        _what_would_fit(ctx, a, s, capacity, gpu.short_name)
        a.bullets.extend(filter(None, [below_3_bits(s, capacity), offload_bullet(s, capacity, s.req.ram_gb)]))
    elif s.full is not None and s.precision in BELOW_Q4 and (offload := offload_at_4_bit(s, capacity)):
        a.bullets.append(offload)  # the best that fits loses quality: 4-bit with part of it in RAM instead
    if s.count > 1:
        link = _link(gpu)
        how = "tensor or pipeline parallel" if s.est.strategy is None else STRATEGY_NAMES[s.est.strategy]
        a.bullets.append(
            f"Split across {s.count} GPUs ({how}), each with its own CUDA context; GPU-to-GPU traffic goes over {link}."
        )
    if s.req.speed_asked:
        speed_first(a, s, gpu, where, decodes=verdict != "does not fit" and decodes_tokens(ctx, s))
    add_sources(a, [gpu])


def _spread(s: FitPlan) -> str:
    """ " with FSDP", " with data-parallel (DDP)": how a training job is spread over several GPUs."""
    return f" with {STRATEGY_SHORT[s.est.strategy]}" if s.est.strategy and s.count > 1 else ""


def _what_would_fit(ctx: HandlerContext, a: Answer, s: FitPlan, capacity: float, label: str) -> None:
    """Not fitting on a card: the nearest runtime settings that would (inference), then the usual fixes."""
    if s.mode == "inference":
        kv = s.req.kv_precision or "fp16"
        stated = bool(s.req.context)
        a.bullets.extend(
            nearest_settings(ctx, s.model, s.est, s.budget, capacity, context_stated=stated, kv_precision=kv)
        )
    a.bullets.extend(
        make_it_fit(ctx, a, s.est, s.model, capacity, label, s.mode, s.precision, s.context, s.count, s.budget)
    )


def _usable_word(s: FitPlan) -> str:
    """What the capacity figure is: the card's usable memory, or the share of it the runtime takes."""
    return "usable" if s.budget.fraction in (None, 1.0) and not s.budget.sglang_tiers else f"{s.budget.name} may use"


def _link(gpu: GPU) -> str:
    """How the cards of a split talk: a module's NVLink is built into the baseboard; a PCIe card's needs a bridge."""
    if not gpu.get("nvlink"):
        return "PCIe only (no NVLink)"
    if str(gpu.get("form_factor") or "").startswith("PCIe"):
        return "NVLink if the cards are bridged, else PCIe"
    return "NVLink"


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
            f"{capacity:,.1f} GB usable ({'; '.join(f'{k} {v:,.1f} GB' for k, v in offload.terms.items())}); "
            f"{band_text(offload.per_gpu_gb, capacity)}. With every part on the GPU at once it needs "
            f"{s.est.per_gpu_gb:,.1f} GB ({s.terms})."
        )
        fit.update(fits=True, required_gb=round(offload.total_gb, 1), margin_gb=round(capacity - offload.per_gpu_gb, 1))
        lines = lines[1:]
    elif first:
        a.summary += f" It fits with {first}."
    a.bullets.extend(lines)
