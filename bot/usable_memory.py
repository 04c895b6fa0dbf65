"""Usable memory per card: the total the driver reports, from ``specs/usable_memory.yaml``.

A marketed "24 GB" card has 24 GiB (24 x 2^30 bytes, 25.77 decimal GB), and GDDR data-centre cards
ship with ECC on, which keeps 1/16 of that memory for check bits. The estimator works in decimal GB,
so it must compare its needs with what the card really offers, not with the catalog's marketed size.

:func:`load_usable_memory` validates the file against the catalog (errors name file, entry and field)
and builds a :class:`UsableMemory`:

- :meth:`UsableMemory.reported_gb` is the reported total in decimal GB (MiB x 1,048,576 / 1e9). When
  a card has several reports it takes, in order: the driver's own totals (nvidia-smi, NVML, rocm-smi,
  the kernel driver) before the CUDA runtime's (PyTorch, deviceQuery, TensorFlow: a little smaller on
  Linux, the whole memory on Windows); reports whose ECC state is the card's default (on for GDDR
  data-centre cards, off otherwise) before reports that do not show it; and of those, the smallest,
  so an estimate never promises memory some driver does not give.
- :meth:`UsableMemory.rule_gb` is the rule for cards without a report: ``memory_gb`` x 2^30 / 1e9,
  less 1/16 on GDDR data-centre cards (ECC on by default); HBM keeps its ECC bits outside the
  capacity and loses nothing. ``tests/test_usable_memory.py`` compares the rule with every report.
- :meth:`UsableMemory.usable_gb` is the reported figure where there is one, else the rule's.

No I/O after loading. Every fit verdict compares the estimate with :meth:`UsableMemory.usable_gb`
(:mod:`bot.handlers.fit_memory`), and the CUDA context the estimate counts is the ``cuda-context`` fact.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.catalog import Catalog, read_yaml
from bot.catalog_files import check_keys, expect

__all__ = [
    "DRIVER_TOOLS",
    "ECC_SHARE",
    "FILE",
    "RUNTIME_TOOLS",
    "Fact",
    "Report",
    "UsableMemory",
    "load_usable_memory",
    "rule_gb",
]

FILE = "usable_memory.yaml"

#: Tools that print the driver's total for the card.
DRIVER_TOOLS = frozenset({"nvidia-smi", "nvml", "rocm-smi", "drm", "lact"})
#: Tools that print the CUDA/HIP runtime's total (cudaMemGetInfo): what a process may allocate at most.
RUNTIME_TOOLS = frozenset({"pytorch", "deviceQuery", "tensorflow"})
UNITS: Mapping[str, int] = MappingProxyType({"MiB": 2**20, "GiB": 2**30, "bytes": 1})
ECC_STATES = ("on", "off", "unknown", "not applicable")
OS_NAMES = ("linux", "windows", "unknown")
#: The share of a GDDR card's memory that ECC keeps for check bits when it is on.
ECC_SHARE = 1 / 16
QUOTE_MAX = 200

_URL_RE = re.compile(r"^https?://\S+$")
_REPORT_KEYS = {"gpu", "tool", "value", "unit", "ecc", "os", "source", "quote", "note"}
_FACT_KEYS = {"id", "text", "source", "quote", "low_mib", "high_mib"}


@dataclass(frozen=True, slots=True)
class Report:
    """One reported total, recorded as shown: ``value`` in ``unit`` from ``tool``."""

    gpu: str
    tool: str
    value: float
    unit: str
    ecc: str
    os: str
    source: str
    quote: str
    note: str = ""

    @property
    def bytes(self) -> float:
        return self.value * UNITS[self.unit]

    @property
    def mib(self) -> float:
        return self.bytes / 2**20

    @property
    def gb(self) -> float:
        """Decimal GB, as the estimator counts."""
        return self.bytes / 1e9

    @property
    def driver_total(self) -> bool:
        return self.tool in DRIVER_TOOLS


@dataclass(frozen=True, slots=True)
class Fact:
    """A sourced fact about memory the totals do not show (the CUDA context's size, ECC defaults)."""

    id: str
    text: str
    source: str
    quote: str
    low_mib: float | None = None
    high_mib: float | None = None


def rule_gb(memory_gb: float, memory_type: str, ecc_on: bool) -> float:
    """The rule for a card without a report: marketed GB read as GiB, in decimal GB, less ECC's share
    when ECC is on and the memory is GDDR (HBM keeps its ECC bits outside the capacity)."""
    total = memory_gb * 2**30 / 1e9
    if ecc_on and memory_type.upper().startswith("GDDR"):
        total *= 1 - ECC_SHARE
    return total


@dataclass(frozen=True, slots=True)
class _Card:
    memory_gb: float | None
    memory_type: str
    ecc_default_on: bool


@dataclass(frozen=True)
class UsableMemory:
    """Every report and fact in ``usable_memory.yaml``, and the catalog facts the rule needs."""

    reports: tuple[Report, ...]
    facts: tuple[Fact, ...]
    _cards: Mapping[str, _Card]

    def reports_for(self, gpu: str) -> tuple[Report, ...]:
        return tuple(r for r in self.reports if r.gpu == gpu)

    def gpus_reported(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.gpu for r in self.reports))

    def ecc_on_by_default(self, gpu: str) -> bool:
        """GDDR data-centre cards ship with ECC on; GeForce and workstation cards with it off."""
        card = self._cards.get(gpu)
        return card is not None and card.ecc_default_on

    def reported(self, gpu: str) -> Report | None:
        """The report :meth:`reported_gb` uses (see the module's docstring for the order)."""
        reports = self.reports_for(gpu)
        if not reports:
            return None
        default = ("on",) if self.ecc_on_by_default(gpu) else ("off", "not applicable")

        def tier(r: Report) -> tuple[int, int, float]:
            return (0 if r.driver_total else 1, 0 if r.ecc in default else 1, r.bytes)

        return min(reports, key=tier)

    def reported_gb(self, gpu: str) -> float | None:
        report = self.reported(gpu)
        return report.gb if report else None

    def rule_gb(self, gpu: str, ecc_on: bool | None = None) -> float | None:
        """The rule's figure for ``gpu`` (ECC as the card ships unless ``ecc_on`` says), or None when the
        catalog does not know its memory."""
        card = self._cards.get(gpu)
        if card is None or card.memory_gb is None:
            return None
        on = card.ecc_default_on if ecc_on is None else ecc_on
        return rule_gb(card.memory_gb, card.memory_type, on)

    def usable_gb(self, gpu: str) -> float | None:
        """Decimal GB a process can expect: the reported total, else the rule's; None when neither is known."""
        reported = self.reported_gb(gpu)
        return reported if reported is not None else self.rule_gb(gpu)

    def fact(self, fact_id: str) -> Fact | None:
        return next((f for f in self.facts if f.id == fact_id), None)


def _cards(catalog: Catalog) -> dict[str, _Card]:
    cards = {}
    for gpu_id, gpu in catalog.gpus.items():
        memory_type = str(gpu.get("memory_type") or "")
        default_on = (
            gpu.get("market_segment") == "data center"
            and memory_type.upper().startswith("GDDR")
            and gpu.get("ecc") is not False
        )
        cards[gpu_id] = _Card(gpu.number("memory_gb"), memory_type, default_on)
    return cards


def _positive(raw: Any, path: Path, entry: str, fld: str) -> float:
    ok = isinstance(raw, int | float) and not isinstance(raw, bool) and raw > 0
    expect(ok, path, f"must be a positive number, not {raw!r}", entry, fld)
    return float(raw)


def _sourced(raw: dict[str, Any], path: Path, entry: str) -> None:
    """A source URL and a verbatim quote of at most QUOTE_MAX characters."""
    expect(bool(_URL_RE.match(str(raw.get("source", "")))), path, "must be an http(s) URL", entry, "source")
    quote = raw["quote"]
    expect(len(quote) <= QUOTE_MAX, path, f"quote is {len(quote)} characters (at most {QUOTE_MAX})", entry, "quote")


def _choice(raw: Any, allowed: tuple[str, ...] | frozenset[str], path: Path, entry: str, fld: str) -> str:
    expect(isinstance(raw, str) and raw in allowed, path, f"{raw!r} is not one of {sorted(allowed)}", entry, fld)
    return str(raw)


def _report(raw: Any, index: int, path: Path, gpu_ids: Mapping[str, _Card]) -> Report:
    entry = f"reports[{index}]"
    expect(isinstance(raw, dict), path, "each report must be a mapping", entry)
    gpu = raw.get("gpu")
    entry = f"reports[{index}] ({gpu})"
    check_keys(raw, _REPORT_KEYS, ("gpu", "tool", "unit", "source", "quote"), path, entry)
    expect(gpu in gpu_ids, path, f"unknown GPU id {gpu!r} (not in the catalog)", entry, "gpu")
    tool = _choice(raw["tool"], DRIVER_TOOLS | RUNTIME_TOOLS, path, entry, "tool")
    unit = _choice(raw["unit"], tuple(UNITS), path, entry, "unit")
    value = _positive(raw.get("value"), path, entry, "value")
    ecc = _choice(raw.get("ecc", "unknown"), ECC_STATES, path, entry, "ecc")
    os_name = _choice(raw.get("os", "unknown"), OS_NAMES, path, entry, "os")
    _sourced(raw, path, entry)
    note = raw.get("note", "")
    expect(isinstance(note, str), path, "must be text", entry, "note")
    return Report(str(gpu), tool, value, unit, ecc, os_name, raw["source"], raw["quote"], note)


def _fact(raw: Any, index: int, path: Path) -> Fact:
    entry = f"facts[{index}]"
    expect(isinstance(raw, dict), path, "each fact must be a mapping", entry)
    entry = f"facts[{index}] ({raw.get('id')})"
    check_keys(raw, _FACT_KEYS, ("id", "text", "source", "quote"), path, entry)
    _sourced(raw, path, entry)
    low = _positive(raw["low_mib"], path, entry, "low_mib") if "low_mib" in raw else None
    high = _positive(raw["high_mib"], path, entry, "high_mib") if "high_mib" in raw else None
    expect(low is None or high is None or low <= high, path, "low_mib is above high_mib", entry, "high_mib")
    return Fact(raw["id"], raw["text"], raw["source"], raw["quote"], low, high)


def load_usable_memory(specs_dir: Path, catalog: Catalog) -> UsableMemory:
    """Load and validate ``specs_dir/usable_memory.yaml``; raise :class:`bot.catalog.CatalogError` naming
    file, entry and field. A specs folder without the file gives no reports (the rule still answers)."""
    cards = _cards(catalog)
    path = Path(specs_dir) / FILE
    if not path.exists():
        return UsableMemory((), (), MappingProxyType(cards))
    data = read_yaml(path)
    expect(isinstance(data, dict) and isinstance(data.get("reports"), list), path, "needs a `reports:` list")
    unknown = set(data) - {"reports", "facts"}
    expect(not unknown, path, f"unknown top-level keys {sorted(unknown)}")
    reports = tuple(_report(raw, i, path, cards) for i, raw in enumerate(data["reports"]))
    facts_raw = data.get("facts") or []
    expect(isinstance(facts_raw, list), path, "`facts:` must be a list", None, "facts")
    facts = tuple(_fact(raw, i, path) for i, raw in enumerate(facts_raw))
    ids = [f.id for f in facts]
    expect(len(ids) == len(set(ids)), path, "duplicate fact ids", None, "facts")
    return UsableMemory(reports, facts, MappingProxyType(cards))
