"""Recommendations: which of the three kinds of advice a question asks for.

- a ranking by one spec ("which gpu has the most memory?", "what gpus have nvlink"): :mod:`.ranking`
- a card that must hold a model ("best card for fine-tuning 7B models"): :mod:`.model_pick`
- the pick for a workload, or the verdict on one named card: :mod:`.pick`, :mod:`.verdict`
"""

from __future__ import annotations

from bot.answer import Answer
from bot.handlers.context import HandlerContext
from bot.handlers.model_pick import model_pick
from bot.handlers.pick import workload_pick
from bot.handlers.ranking import rank
from bot.parser import Query

__all__ = ["recommend"]


def recommend(ctx: HandlerContext, q: Query) -> Answer:
    """A ranking when the question names a spec to rank by, a model-sized pick when it names a model,
    else the workload pick."""
    if q.rank_field:
        return rank(ctx, q)
    if q.fit is not None:
        return model_pick(ctx, q)
    return workload_pick(ctx, q)
