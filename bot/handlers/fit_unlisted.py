"""A fit question about a model the catalog lacks ("qwen2.5 vl 72b", "mistral 7b instruct v0.2"): the answer says
so, and what it estimates instead (a typical model of the size said), never another model of the family.

:func:`fits` is the composer's fit handler: :func:`bot.handlers.fits.fits`, with that note."""

from __future__ import annotations

from bot.answer import Answer
from bot.handlers.context import HandlerContext
from bot.handlers.fit_uncovered import uncovered_answer, uncovered_model
from bot.handlers.fits import fits as estimate
from bot.parser import Query
from bot.request import FitRequest

__all__ = ["fits", "unlisted_note", "with_unlisted_note"]


def fits(ctx: HandlerContext, q: Query) -> Answer:
    """The fit answer, led by a note when the model named is not in the catalog; for a model it does not estimate at
    all (a video generator), that said instead of what language models fit the card."""
    if (other := uncovered_model(ctx, q)) is not None:
        return uncovered_answer(ctx, q, other)
    return with_unlisted_note(estimate(ctx, q), q.fit)


def unlisted_note(req: FitRequest) -> str | None:
    """The note for a model named that the catalog lacks, or None."""
    if not req.unlisted or req.model_id is not None:
        return None
    if req.params_b:
        return (
            f"“{req.unlisted}” is not in the model catalog: this is the estimate for a typical "
            f"{req.params_b:g}B-parameter model of that size, not for that model's own architecture."
        )
    return f"“{req.unlisted}” is not in the model catalog, so there is no estimate for it."


def with_unlisted_note(answer: Answer, req: FitRequest | None) -> Answer:
    note = unlisted_note(req) if req is not None else None
    if note is not None:
        answer.notes.insert(0, note)
    return answer
