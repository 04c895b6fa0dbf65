"""Models people ask about by name that the model catalog does not cover (``specs/models_uncovered.yaml``): video and
3D generators such as HunyuanVideo, Wan 2.1 or LTX-Video. A question naming one ("can my 3070 Ti 8GB run
HunyuanVideo?") is not answered with what language models fit the card: the answer names the model, says there is
no estimate for it and gives the card's memory. Loaded with the catalog (:mod:`bot.catalog_extras`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["UncoveredModel", "uncovered_named"]


@dataclass(frozen=True, slots=True)
class UncoveredModel:
    """A model the catalog does not estimate, and how people name it."""

    id: str
    name: str
    kind: str  # what it is, as a phrase: "a text- and image-to-video generator"
    pattern: re.Pattern[str]
    source: str


def uncovered_named(models: Iterable[UncoveredModel], norm: str) -> UncoveredModel | None:
    """The first uncovered model a normalised question names (the longest name where two start alike)."""
    best: tuple[int, int, UncoveredModel] | None = None
    for model in models:
        hit = model.pattern.search(norm)
        if hit is not None and (best is None or (hit.start(), -len(hit.group())) < best[:2]):
            best = (hit.start(), -len(hit.group()), model)
    return best[2] if best is not None else None
