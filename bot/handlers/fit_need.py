"""A memory size the question says the model needs, held against the card it names: "how to run WAN 2.1 on 3060? I
thought it needs way more than 12 GB of VRAM", "the model seems to require at least 24GB; possible in 16GB?".

The size is the model's need as the asker heard it (``FitRequest.need``, read by
:func:`bot.evidence_sizes.stated_need`), never a limit on the cards: the card named stays the subject, and the answer
says how its memory compares with that figure, then what the card runs.
"""

from __future__ import annotations

from bot.catalog import GPU
from bot.handlers.clarify import meant
from bot.handlers.context import HandlerContext
from bot.parser import Query

__all__ = ["need_card", "need_line"]

_SAID = {"more": "more than {size:g} GB", "least": "at least {size:g} GB", "about": "about {size:g} GB"}


def need_line(need: tuple[float, str], memory: float, where: str) -> str:
    """How ``memory`` GB (``where``: the card, or "the memory you named") compares with the need said."""
    size, bound = need
    said = _SAID.get(bound, _SAID["about"]).format(size=size)
    if bound == "more":
        verdict = "is short of it" if memory <= size else "is above it"
    elif memory >= size:
        verdict = f"holds it, with {memory - size:g} GB to spare" if memory > size else "meets it exactly"
    else:
        verdict = f"is {size - memory:g} GB short of it"
    return f"It is said to need {said}: {where} ({memory:g} GB) {verdict}."


def need_card(ctx: HandlerContext, q: Query) -> GPU | None:
    """The card a question with an ambiguous name and a stated need means: when the need is "more than" a size that
    exactly one candidate has, that one (the asker holds the need against their own card's memory: "run it on 3060? I
    thought it needs way more than 12 GB"); None otherwise."""
    need = q.fit.need if q.fit is not None else None
    if need is None or need[1] != "more" or q.gpus or not q.ambiguous:
        return None
    hits = [g for g in meant(ctx, q, q.ambiguous[0]) if ctx.catalog.gpus[g].number("memory_gb") == need[0]]
    return ctx.catalog.gpus[hits[0]] if len(hits) == 1 else None
