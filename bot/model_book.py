"""The models an engine answers about: the catalog's (``specs/models.yaml``), and models looked up on the Hugging
Face Hub while it runs, added one at a time under their repository id (``Qwen/Qwen3-8B``).

Iterating gives the catalog only, so lists, picks and autocomplete stay the curated catalog's; a looked-up model is
found by its id (any case, as the Hub's ids are). Adding is the only change, and a dict assignment, so threads that
read while a lookup adds see either the old or the new mapping.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from bot.models import ModelSpec

__all__ = ["ModelBook"]


class ModelBook(Mapping[str, ModelSpec]):
    def __init__(self, catalog: Mapping[str, ModelSpec]) -> None:
        self.catalog = catalog
        self._hub: dict[str, ModelSpec] = {}
        self.generation = 0  # counts additions: a question read before one may read differently after it

    def add(self, model: ModelSpec) -> None:
        """Add (or replace) a model looked up on the Hub, under its repository id."""
        self._hub[model.id.lower()] = model
        self.generation += 1

    def hub_model(self, repo_id: str) -> ModelSpec | None:
        return self._hub.get(repo_id.lower())

    def __getitem__(self, key: str) -> ModelSpec:
        found = self.catalog.get(key)
        if found is None:
            found = self._hub.get(key.lower()) if "/" in key else None
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and (key in self.catalog or ("/" in key and key.lower() in self._hub))

    def __iter__(self) -> Iterator[str]:
        return iter(self.catalog)

    def __len__(self) -> int:
        return len(self.catalog)

    def __getstate__(self) -> dict[str, Mapping[str, ModelSpec]]:
        return {"catalog": self.catalog}  # a saved engine keeps no lookups: they expire in their own cache

    def __setstate__(self, state: dict[str, Mapping[str, ModelSpec]]) -> None:
        self.catalog = state["catalog"]
        self._hub = {}
        self.generation = 0
