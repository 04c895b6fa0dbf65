"""Every place a handler reads the raw question text (``Query.text``) for meaning.

Handlers should build answers from the typed request alone; these functions are what is left of a
second look at the text. Each one says what it extracts, so it can move into the parser as a field
of the request (and the call site then reads that field instead). Nothing else in
``bot.handlers`` reads ``q.text`` except to echo it into ``Answer.question`` and into sub-requests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.models import ModelSpec
from bot.parser import Query

__all__ = ["asks_cheapest", "family_named", "is_blank"]

# reads the raw question: to move to the parser
_CHEAPEST = re.compile(r"\b(?:cheapest|least expensive|lowest price|cheapest way)\b")


def asks_cheapest(q: Query) -> bool:
    """Whether the question asks for the cheapest card ("cheapest card that can run llama 3 70b in 4 bit").

    Reads the raw question: to move to the parser (e.g. ``Query.rank_field``/``rank_lowest`` set for
    model-sized picks, or a ``cheapest: bool`` slot). Used by the model-sized pick only.
    """
    return _CHEAPEST.search(q.text.lower()) is not None


def family_named(models: Iterable[ModelSpec], q: Query) -> str | None:
    """A model family the question names without a model ("stable diffusion", "gemma").

    Reads the raw question: to move to the parser (e.g. ``FitRequest.family``). Matches each family
    id (hyphens as spaces) as whole words of the lower-cased, alphanumeric-only text; the first in
    alphabetical order wins.
    """
    norm = f" {' '.join(re.findall(r'[a-z0-9]+', q.text.lower()))} "
    families = {m.family for m in models}
    return next((f for f in sorted(families) if f" {f.replace('-', ' ')} " in norm), None)


def is_blank(q: Query) -> bool:
    """Whether the question is empty or only whitespace.

    Reads the raw question: to move to the parser (e.g. a ``blank: bool`` slot, or an intent of its own).
    Used by the unknown-question answer only.
    """
    return not q.text.strip()
