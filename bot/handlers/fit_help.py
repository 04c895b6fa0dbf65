"""A fit question without a model the catalog knows: "is 8gb enough for stable diffusion".

With a family named, what each of its models needs; otherwise which model, with examples.
"""

from __future__ import annotations

from dataclasses import replace

from bot.answer import Answer, Choice
from bot.catalog import GPU
from bot.estimator import BYTES_PER_PARAM, PRECISION_NAMES, Estimate, ModelShape
from bot.handlers.clarify import MAX_CHOICES, clarify, describe, meant
from bot.handlers.context import HandlerContext, value
from bot.handlers.fit_media import media_ladder
from bot.handlers.fit_memory import marketed_usable_gb, usable_gb
from bot.handlers.fit_mixed import rig_of
from bot.handlers.fit_need import need_card, need_line
from bot.handlers.fit_options import MODE_VERBS, variants
from bot.handlers.fit_per_count import per_count
from bot.handlers.fit_precision import native_precision
from bot.handlers.fit_reverse import biggest_models, reach
from bot.handlers.request_slots import family_named
from bot.parser import Query

__all__ = ["fits_help"]

FIT_EXAMPLES = (
    "can I run llama 3 70b in 4-bit on one A6000?",
    "how much vram for qwen2.5 32b at 32k context?",
    "qlora a 7b model on a 4060 ti 16gb",
)


def fits_help(ctx: HandlerContext, q: Query) -> Answer:
    """Which model? Each model of a named family with what it needs, or the GPUs' memory and examples."""
    if (card := need_card(ctx, q)) is not None:
        q = replace(q, gpus=[card.id], ambiguous=[])  # "run it on 3060? it needs more than 12 GB": the 12 GB card
    if q.fit is not None and q.fit.combined and q.ambiguous:
        return clarify(ctx, replace(q, fields=[]))  # "a 3060 and a 1080, what can i run on both": which 3060?
    gpus = _named(ctx, q)
    if q.fit is not None and q.fit.counts_asked and q.gpus:
        return per_count(ctx, q, gpus[0], q.fit.counts_asked)  # "one 3090 or two to train?": what each holds
    a = Answer(question=q.text, intent="fits", title="Will it fit?", gpus=[g.id for g in gpus], answered=False)
    a.fields = ["memory_gb"] if gpus else []  # each card's memory is what the answer cites
    a.summary = "Which model? Name one I know (Llama 3 70B, Qwen2.5 32B, Mixtral 8x7B...) or a size like “a 13B model”."
    if q.ambiguous and not q.gpus and len({g.number("memory_gb") for g in gpus}) > 1:
        # "is a 3060 enough for stable diffusion": picking one asks again with that card
        a.choices.extend(Choice(g.id, describe(ctx, g)) for g in gpus[:MAX_CHOICES])
    family = family_named(ctx.models.values(), q)
    if family is not None:
        return _family(ctx, q, a, family, gpus)
    for gpu in gpus:
        a.bullets.append(f"{gpu.short_name} has {value(ctx, a, gpu, 'memory_gb')} of memory.")
    a.examples = list(FIT_EXAMPLES)
    if q.fit is not None and q.fit.combined and (rig := rig_of(ctx, q)):
        return _rig_reverse(ctx, q, a, rig)  # "a 3090 and a 3060 12gb together, what can i run"
    capacity = _capacity(q, gpus)
    if capacity:
        # "what's the biggest model a 12 gig gpu can run": the reverse fit, for that memory
        memory = a.bullets
        a.bullets = []
        fit = q.fit
        count, mode = (fit.gpus_count, fit.mode) if fit else (1, "inference")
        usable = usable_gb(ctx, gpus[0]) if q.gpus and gpus else marketed_usable_gb(capacity)
        biggest_models(a, ctx, capacity, count, mode, usable)
        need = [need_line(fit.need, count * capacity, _where(q, gpus, count))] if fit and fit.need else []
        a.bullets = memory + need + a.bullets + _against_owned(ctx, a, q, gpus, count, mode)
        a.answered, a.examples = True, []
    return a


#: The asker's cards set against the one asked about, at most: a name with variants ("my 3080": 10 GB or 12 GB) shows
#: each.
_OWNED_SHOWN = 3


def _against_owned(ctx: HandlerContext, a: Answer, q: Query, gpus: list[GPU], count: int, mode: str) -> list[str]:
    """ "I have a 3060, would a 3090 help with out of memory errors?": what the asker's own card reaches, to set
    against the card asked about (none when it is the same card, or has the same memory)."""
    asked = {g.number("memory_gb") for g in gpus}
    owned = [ctx.catalog.gpus[g] for g in q.owned if g in ctx.catalog.gpus and g not in q.gpus]
    return [
        f"Against your {own.short_name} ({value(ctx, a, own, 'memory_gb')}): {reach(usable_gb(ctx, own), mode)}"
        + (f", on one card where the others are {count}" if count > 1 else "")
        + "."
        for own in owned[:_OWNED_SHOWN]
        if own.number("memory_gb") not in asked
    ]


def _rig_reverse(ctx: HandlerContext, q: Query, a: Answer, rig: list[GPU]) -> Answer:
    """The biggest models a rig of different cards runs together: llama.cpp splits the layers by each card's memory,
    so the rig holds what its cards hold together (their average, on each of them)."""
    memory, a.bullets = a.bullets, []
    marketed = sum(g.number("memory_gb") or 0.0 for g in rig)
    usable = sum(usable_gb(ctx, g) for g in rig)
    where = f"{' + '.join(g.short_name for g in rig)} together ({marketed:g} GB, {usable:,.1f} GB usable)"
    mode = q.fit.mode if q.fit else "inference"
    biggest_models(a, ctx, marketed / len(rig), len(rig), mode, usable / len(rig), where=where)
    a.bullets = memory + a.bullets
    a.answered, a.examples = True, []
    return a


def _where(q: Query, gpus: list[GPU], count: int) -> str:
    """The memory a stated need is held against, as the answer names it."""
    times = f"{count}× " if count > 1 else ""
    return f"{times}{gpus[0].short_name}" if q.gpus and gpus else "the memory you named"


def _capacity(q: Query, gpus: list[GPU]) -> float | None:
    """The memory a question names: its card's (or one name's variants', when they all have the same memory),
    else a size ("12 gig gpu")."""
    if q.fit is not None and q.fit.capacity_gb and not q.gpus:
        return q.fit.capacity_gb
    sizes = {g.number("memory_gb") for g in gpus[:1]} if q.gpus else {g.number("memory_gb") for g in gpus}
    return sizes.pop() if len(sizes) == 1 else None


def _named(ctx: HandlerContext, q: Query) -> list[GPU]:
    """The GPUs the question names, or the candidates of the ambiguous name it uses instead ("3060")."""
    if q.gpus or not q.ambiguous:
        return [ctx.catalog.gpus[g] for g in q.gpus]
    return [ctx.catalog.gpus[g] for g in meant(ctx, q, q.ambiguous[0])]


def _family(ctx: HandlerContext, q: Query, a: Answer, family: str, gpus: list[GPU]) -> Answer:
    """ "is 8gb enough for stable diffusion": each model of the family, with what it needs."""
    members = sorted(
        (m for m in ctx.models.values() if family in (m.family, m.series)), key=lambda m: m.released, reverse=True
    )
    capacity = q.fit.capacity_gb if q.fit is not None else None
    # Against the (first) card named, or an ambiguous name's variants when they all have the same memory.
    if capacity is None and gpus and (q.gpus or len({g.number("memory_gb") for g in gpus}) == 1):
        capacity = gpus[0].number("memory_gb")
        value(ctx, a, gpus[0], "memory_gb")
    mode = q.fit.mode if q.fit is not None else "inference"
    asked = q.fit.precision if q.fit is not None else None
    llm = all(m.kind == "llm" for m in members)
    natives = {native_precision(m.shape) for m in members[:8]}
    # no precision asked: each model in its own (16-bit, or MXFP4/FP8 as released), then in Q4_K_M
    first = asked or (natives.pop() if len(natives) == 1 else "")
    lighter = (
        mode == "inference" and llm and (not first or BYTES_PER_PARAM[first] > BYTES_PER_PARAM["q4_k_m"])
    )  # not below MXFP4
    plans = [first, "q4_k_m"] if lighter else [first]
    own = "fp16" if asked else ""  # an asked precision or 16-bit reads plainly; a quantised release says so

    def label(p: str) -> str:
        if not p:
            return "its own precision as released"
        name = PRECISION_NAMES.get(p, p)
        return name if p in (own, "fp16", "q4_k_m") else f"their native {name} (as released)"

    named = " / ".join(label(p) for p in plans)
    against = f", against {capacity:g} GB" if capacity else ""
    doing = f"to run in {named}" if mode == "inference" else f"to {MODE_VERBS[mode]}"
    title = members[0].series_name if family == members[0].series else family.replace("-", " ").title()
    a.summary = f"Which {title} model? What each needs {doing}{against}:"
    for m in members[:8]:
        parts = []
        for p in (plan or native_precision(m.shape) for plan in plans):
            est = variants(m.shape, mode, p, 4096, 1)
            verdict = f", {est.verdict(marketed_usable_gb(capacity))}" if capacity else ""
            parts.append(_turns(m.shape, p, capacity, est) or f"{est.per_gpu_gb:,.1f} GB{verdict}")
        a.bullets.append(f"{m.name}: " + " / ".join(parts))
    # The family's answer, in the slots a single model's has: the mode, the precision asked and the memory held against.
    a.fit = {"model": None, "family": family, "mode": mode, "precision": asked, "available_gb": capacity}
    a.notes.append("Ask about one model for every term of the estimate and what would make it fit.")
    return a


def _turns(model: ModelShape, precision: str, capacity: float | None, est: Estimate) -> str:
    """An image pipeline whose verdict changes with its parts taking turns on the GPU (ComfyUI's own way when memory
    is short): both figures, each with its verdict; else ""."""
    if not model.components or not capacity:
        return ""
    offload = media_ladder(model, precision)[0].est
    room = marketed_usable_gb(capacity)
    if est.verdict(room) == offload.verdict(room):
        return ""
    return (
        f"{est.per_gpu_gb:,.1f} GB with every part on the GPU, {est.verdict(room)}; "
        f"{offload.per_gpu_gb:,.1f} GB with its parts taking turns, {offload.verdict(room)}"
    )
