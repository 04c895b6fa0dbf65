"""A fit question about a model the catalog does not estimate (``specs/models_uncovered.yaml``: HunyuanVideo, Wan 2.1,
LTX-Video...): the answer names the model and what it is, says there is no estimate for it, and gives the memory of
the cards named, never what language models would fit them."""

from __future__ import annotations

from bot.answer import Answer
from bot.catalog import GPU
from bot.handlers.context import HandlerContext, add_sources, value
from bot.handlers.fit_need import need_card, need_line
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
    gpus = gpus or [card for card in (need_card(ctx, q),) if card is not None]  # "on 3060? it needs more than 12 GB"
    count, need = (q.fit.gpus_count, q.fit.need) if q.fit is not None else (1, None)
    a = Answer(question=q.text, intent="fits", title=f"Will {model.name} fit?", gpus=[g.id for g in gpus])
    a.summary = (
        f"{model.name} is {model.kind}, and it is not in my model catalog, so I have no memory estimate for it: "
        "what it needs depends on its resolution, frame count and the offloading its tools do. Its own page lists "
        "its requirements."
    )
    for gpu in gpus:
        a.bullets.append(f"{_times(count)}{gpu.short_name}: {value(ctx, a, gpu, 'memory_gb')} of memory per card.")
    if not gpus and q.fit is not None and q.fit.capacity_gb:
        a.bullets.append(f"The memory you named: {_times(count)}{q.fit.capacity_gb:g} GB.")
    held = _held(q, gpus, count)
    if need is not None and held is not None:
        a.bullets.append(need_line(need, *held))
    a.fields = sorted({f.field for f in a.facts}, key=list(ctx.catalog.fields).index)
    a.fit = {"uncovered": model.id, "gpus_count": count}  # no estimate: the model named, and the cards counted
    a.sources.append(model.source)
    add_sources(a, gpus)
    return a


def _times(count: int) -> str:
    return f"{count}× " if count > 1 else ""


def _held(q: Query, gpus: list[GPU], count: int) -> tuple[float, str] | None:
    """The memory a stated need is held against, and its name: the first card's (times the count), else the size
    the question names; None when it names neither."""
    if gpus:
        return count * (gpus[0].number("memory_gb") or 0.0), f"{_times(count)}{gpus[0].short_name}"
    if q.fit is not None and q.fit.capacity_gb:
        return count * q.fit.capacity_gb, "the memory you named"
    return None
