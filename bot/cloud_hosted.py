"""Hosted notebooks that rent GPUs by name, not by instance ("Colab Pro gave me a P100").

The ``hosted:`` section of ``specs/cloud.yaml`` lists each service with the words that name it and the
catalog GPUs it is documented to hand out. A question that names the service and an ambiguous GPU
("p100 on colab") means the variant the service offers (the P100 PCIe 16 GB), when exactly one of the
name's candidates is among them.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.catalog import CatalogError
from bot.regex_words import whole_words
from bot.text import normalize

__all__ = ["Hosted", "load_hosted"]

_KEYS = {"name", "words", "gpus", "sources"}
_URL_RE = re.compile(r"^https?://\S+$")


@dataclass(frozen=True, slots=True)
class Hosted:
    """One hosted-notebook service: its name, the pattern of words that name it, the GPUs it offers."""

    id: str
    name: str
    pattern: re.Pattern[str]
    gpus: frozenset[str]
    sources: tuple[str, ...]

    def variant(self, candidates: Collection[str]) -> str | None:
        """The one candidate this service offers, else None."""
        offered = [g for g in candidates if g in self.gpus]
        return offered[0] if len(offered) == 1 else None


def _texts(spec: dict[str, Any], key: str, path: Path, entry: str) -> tuple[str, ...]:
    value = spec.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise CatalogError(path, "must be a non-empty list of text", entry=entry, field=key)
    return tuple(value)


def _one(hid: str, spec: Any, path: Path, gpu_ids: Collection[str]) -> Hosted:
    if not isinstance(spec, dict):
        raise CatalogError(path, "each hosted service must be a mapping", entry=hid)
    unknown = set(spec) - _KEYS
    if unknown:
        raise CatalogError(path, f"unknown keys {sorted(unknown)}", entry=hid)
    if not isinstance(spec.get("name"), str) or not spec["name"].strip():
        raise CatalogError(path, "needs a name", entry=hid, field="name")
    words = sorted({normalize(w) for w in _texts(spec, "words", path, hid)}, key=len, reverse=True)
    gpus = _texts(spec, "gpus", path, hid)
    missing = [g for g in gpus if g not in gpu_ids]
    if missing:
        raise CatalogError(path, f"GPUs not in the catalog: {missing}", entry=hid, field="gpus")
    sources = _texts(spec, "sources", path, hid)
    if not all(_URL_RE.match(s) for s in sources):
        raise CatalogError(path, "every source must be a URL", entry=hid, field="sources")
    pattern = re.compile(whole_words(words))  # \b(?:words)\b, longest first, written so a search skips ahead
    return Hosted(hid, spec["name"], pattern, frozenset(gpus), sources)


def load_hosted(data: dict[str, Any], path: Path, gpu_ids: Collection[str]) -> tuple[Hosted, ...]:
    """The ``hosted:`` mapping of ``cloud.yaml`` (optional), validated against the catalog's GPU ids."""
    raw = data.get("hosted")
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise CatalogError(path, "`hosted:` must be a mapping of services")
    return tuple(_one(str(hid), spec, path, gpu_ids) for hid, spec in raw.items())
