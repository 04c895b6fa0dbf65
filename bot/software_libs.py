"""Libraries whose GPU support people ask about by name (``specs/libraries.yaml``): FlashAttention, vLLM.

"flash attention 2 on a 2080 Ti?", "does vllm (or its fork aphrodite) run on a P100?": the software answer adds,
for each card, the line of the first support rule the card meets, so a Turing card hears that FlashAttention-2
needs Ampere rather than that CUDA supports it. Loaded once with the catalog (:mod:`bot.catalog_extras`)
and checked: an error names the file, the library and the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

__all__ = ["Card", "Library", "SupportRule", "named_libraries"]


class Card(Protocol):
    """What a rule reads of a card (:class:`bot.catalog_model.GPU`, not imported: the catalog holds the libraries)."""

    @property
    def vendor(self) -> str: ...

    def get(self, key: str) -> object: ...


@dataclass(frozen=True, slots=True)
class SupportRule:
    """One line of a library's support: the cards it applies to, and what it says about them."""

    vendor: str
    text: str
    at_least: float | None = None
    below: float | None = None
    architectures: frozenset[str] = frozenset()

    def applies(self, gpu: Card) -> bool:
        if gpu.vendor != self.vendor:
            return False
        arch = str(gpu.get("architecture"))
        if self.architectures and arch not in self.architectures and arch.removesuffix(".0") not in self.architectures:
            return False  # "CDNA 2.0" (TechPowerUp's spelling) is CDNA 2
        if self.at_least is None and self.below is None:
            return True
        try:
            cc = float(str(gpu.get("compute_capability")))  # a string such as "8.6"
        except ValueError:
            return False
        return (self.at_least is None or cc >= self.at_least) and (self.below is None or cc < self.below)


@dataclass(frozen=True, slots=True)
class Library:
    """A library named in questions, and which cards it supports."""

    id: str
    name: str
    pattern: re.Pattern[str]
    support: tuple[SupportRule, ...]
    sources: tuple[str, ...]

    def rule_for(self, gpu: Card) -> SupportRule | None:
        return next((r for r in self.support if r.applies(gpu)), None)


def named_libraries(libraries: Iterable[Library], norm: str) -> list[Library]:
    """The libraries a normalised question (:func:`bot.text.normalize`) names, in the file's order."""
    return [lib for lib in libraries if lib.pattern.search(norm)]
