"""A fit question about a model the catalog does not estimate (``specs/models_uncovered.yaml``: HunyuanVideo, Wan 2.1,
LTX-Video...): the answer names the model and what it is, says there is no estimate for it, and gives the memory of
the cards named, never what language models would fit them."""

from __future__ import annotations

from bot.answer import Answer
from bot.handlers.context import HandlerContext, add_sources, value
from bot.models_uncovered import UncoveredModel
from bot.parser import Query

__all__ = ["uncovered_answer", "uncovered_model"]


def uncovered_model(ctx: HandlerContext, q: Query) -> UncoveredModel | None:
    """The uncovered model the request's fit names (by the name the evidence gave it), or None."""
    req = q.fit
    if req is None or req.model_id is not None or not req.unlisted:
        return None
    return next((m for m in ctx.catalog.uncovered_models if m.name == req.unlisted), None)


def uncovered_answer(ctx: HandlerContext, q: Query, model: UncoveredModel) -> Answer:
    gpus = [ctx.catalog.gpus[g] for g in q.gpus]
    count = q.fit.gpus_count if q.fit is not None else 1
    a = Answer(question=q.text, intent="fits", title=f"Will {model.name} fit?", gpus=[g.id for g in gpus])
    a.summary = (
        f"{model.name} is {model.kind}, and it is not in my model catalog, so I have no memory estimate for it: "
        "what it needs depends on its resolution, frame count and the offloading its tools do. Its own page lists "
        "its requirements."
    )
    for gpu in gpus:
        times = f"{count}× " if count > 1 else ""
        a.bullets.append(f"{times}{gpu.short_name}: {value(ctx, a, gpu, 'memory_gb')} of memory per card.")
    if not gpus and q.fit is not None and q.fit.capacity_gb:
        times = f"{count}× " if count > 1 else ""
        a.bullets.append(f"The memory you named: {times}{q.fit.capacity_gb:g} GB.")
    a.fields = sorted({f.field for f in a.facts}, key=list(ctx.catalog.fields).index)
    a.fit = {"uncovered": model.id, "gpus_count": count}  # no estimate: the model named, and the cards counted
    a.sources.append(model.source)
    add_sources(a, gpus)
    return a
