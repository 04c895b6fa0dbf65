"""A fit question without a model the catalog knows: "is 8gb enough for stable diffusion".

With a family named, what each of its models needs; otherwise which model, with examples.
"""

from __future__ import annotations

from bot.answer import Answer, Choice
from bot.catalog import GPU
from bot.estimator import PRECISION_NAMES
from bot.handlers.clarify import MAX_CHOICES, describe, meant
from bot.handlers.context import HandlerContext, value
from bot.handlers.fit_memory import marketed_usable_gb, usable_gb
from bot.handlers.fit_options import variants
from bot.handlers.fit_reverse import biggest_models
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
    gpus = _named(ctx, q)
    a = Answer(question=q.text, intent="fits", title="Will it fit?", gpus=[g.id for g in gpus], answered=False)
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
    capacity = _capacity(q, gpus)
    if capacity:
        # "what's the biggest model a 12 gig gpu can run": the reverse fit, for that memory
        memory = a.bullets
        a.bullets = []
        fit = q.fit
        count, mode = (fit.gpus_count, fit.mode) if fit else (1, "inference")
        usable = usable_gb(ctx, gpus[0]) if q.gpus and gpus else marketed_usable_gb(capacity)
        biggest_models(a, ctx.models.values(), capacity, count, mode, usable)
        a.bullets = memory + a.bullets
        a.answered, a.examples = True, []
    return a


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
    members = sorted((m for m in ctx.models.values() if m.family == family), key=lambda m: m.released, reverse=True)
    capacity = q.fit.capacity_gb if q.fit is not None else None
    # Against the (first) card named, or an ambiguous name's variants when they all have the same memory.
    if capacity is None and gpus and (q.gpus or len({g.number("memory_gb") for g in gpus}) == 1):
        capacity = gpus[0].number("memory_gb")
        value(ctx, a, gpus[0], "memory_gb")
    precision = (q.fit.precision if q.fit is not None else None) or "fp16"
    llm = all(m.kind == "llm" for m in members)
    plans = [precision, "q4_k_m"] if llm and precision != "q4_k_m" else [precision]
    named = " / ".join(PRECISION_NAMES.get(p, p) for p in plans)
    against = f", against {capacity:g} GB" if capacity else ""
    a.summary = f"Which {family.replace('-', ' ').title()} model? What each needs to run in {named}{against}:"
    for m in members[:8]:
        parts = []
        for p in plans:
            est = variants(m.shape, "inference", p, 4096, 1)
            verdict = f", {est.verdict(marketed_usable_gb(capacity))}" if capacity else ""
            parts.append(f"{est.per_gpu_gb:,.1f} GB{verdict}")
        a.bullets.append(f"{m.name}: " + " / ".join(parts))
    a.notes.append("Ask about one model for every term of the estimate and what would make it fit.")
    return a
