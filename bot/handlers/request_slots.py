"""Small questions handlers ask of a request; each reads the request's slots, never the raw text.

These were once second looks at the question text; the parser now fills ``Query.cheapest``,
``Query.family`` and ``Query.rule`` instead. Nothing in ``bot.handlers`` reads ``q.text`` except to
echo it into ``Answer.question`` and into sub-requests.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.models import ModelSpec
from bot.parser import Query

__all__ = ["asks_cheapest", "family_named", "is_blank"]


def asks_cheapest(q: Query) -> bool:
    """Whether the question asks for the cheapest card ("cheapest card that can run llama 3 70b in 4 bit")."""
    return q.cheapest


def family_named(models: Iterable[ModelSpec], q: Query) -> str | None:
    """A model family (or a versioned family's series, "qwen2.5") the question names without a model."""
    return q.family if q.family is not None and any(q.family in (m.family, m.series) for m in models) else None


def is_blank(q: Query) -> bool:
    """Whether nothing was asked: an empty question (or only whitespace and punctuation), or only a request for
    help ("help", "what can you do?"), which the rule table reads alike."""
    return q.rule == "empty" or not q.text.strip()
