"""The words of follow-up questions (``specs/lexicon.yaml``, section ``followups``), checked at load.

Data, not code: a new way of saying "and the A5000?" is one line in the lexicon. An error names the file,
the entry and the field, like every other specs file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.catalog_files import read_yaml
from bot.catalog_model import CatalogError
from bot.lexicon import PhraseSet
from bot.text import normalize

__all__ = ["FollowUpWords", "load_followup_words"]

_KEYS = ("leads", "refs", "replace", "count_of", "own_rig", "possessive", "suffices", "why_not")


@dataclass(frozen=True, slots=True)
class FollowUpWords:
    leads: PhraseSet  # words a follow-up opens with ("and the", "what about")
    refs: PhraseSet  # words pointing back at the last question ("instead", "them")
    replace: PhraseSet  # "instead": replace a card rather than add one to a comparison
    count_of: PhraseSet  # "two of them": a count of the cards already named
    own_rig: PhraseSet  # "my rig", "my gpu": the asker's saved rig
    possessive: PhraseSet  # "its", "their": a property of the cards of the last answer ("what is its bandwidth")
    suffices: PhraseSet  # "will a 3060 work?", "would two 3090s be enough?": a card for what was asked before
    why_not: PhraseSet  # "why not the 3090?": the card named set against the one the last answer picked

    def opens(self, norm: str) -> bool:
        """The question starts with a follow-up lead."""
        hit = self.leads.first(norm)
        return hit is not None and hit.start == 0


def _phrases(raw: Any, path: Path, key: str) -> PhraseSet:
    if not isinstance(raw, list) or not raw:
        raise CatalogError(path, "must be a non-empty list of phrases", entry="followups", field=key)
    phrases: dict[str, str] = {}
    for item in raw:
        text = normalize(item) if isinstance(item, str) else ""
        if not text:
            raise CatalogError(path, f"{item!r} is not a phrase", entry="followups", field=key)
        phrases[text] = key
    return PhraseSet(phrases)


def load_followup_words(specs: Path) -> FollowUpWords:
    """The ``followups`` section of ``specs/lexicon.yaml``: every key present, each a list of phrases."""
    path = specs / "lexicon.yaml"
    raw = read_yaml(path)
    section = raw.get("followups") if isinstance(raw, dict) else None
    if not isinstance(section, dict):
        raise CatalogError(path, "section 'followups' is missing or not a mapping", entry="followups")
    unknown = sorted(set(section) - set(_KEYS))
    if unknown:
        raise CatalogError(path, f"unknown key {unknown[0]!r}", entry="followups", field=unknown[0])
    missing = [k for k in _KEYS if k not in section]
    if missing:
        raise CatalogError(path, "is missing", entry="followups", field=missing[0])
    return FollowUpWords(*(_phrases(section[k], path, k) for k in _KEYS))
