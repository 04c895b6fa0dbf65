"""What memory answers are built from besides the catalog: what each card offers (specs/usable_memory.yaml) and
the runtimes with each one's budget (specs/runtimes.yaml). Loaded with the engine (and validated then), kept in
the handler context as one :class:`~bot.engine_pickle.Deferred` part, so that an engine read from the cache
imports these modules only for an answer that needs them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.catalog import Catalog
from bot.estimator_runtime import Budget, build_budgets
from bot.runtimes import FILE as RUNTIMES_FILE
from bot.runtimes import Runtimes, load_runtimes
from bot.usable_memory import UsableMemory, load_usable_memory

__all__ = ["MemoryParts", "load_memory_parts"]


@dataclass(frozen=True, slots=True)
class MemoryParts:
    usable: UsableMemory
    runtimes: Runtimes | None
    budgets: Mapping[str, Budget]


def load_memory_parts(catalog: Catalog) -> MemoryParts:
    """Read and validate both files of ``catalog``'s specs folder (no runtimes without their file)."""
    usable = load_usable_memory(catalog.root, catalog)
    runtimes = load_runtimes(catalog.root) if (catalog.root / RUNTIMES_FILE).exists() else None
    fact = usable.fact("cuda-context")
    context_mib = (fact.high_mib,) if fact and fact.high_mib else ()
    return MemoryParts(usable, runtimes, build_budgets(runtimes, *context_mib) if runtimes else {})
