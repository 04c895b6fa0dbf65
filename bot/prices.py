"""Prices that stay honest: launch MSRPs from the catalog, current prices from an operator's file.

The catalog holds launch MSRPs (``launch_price_usd``) and never changes them. An operator may keep
a small YAML file of current prices for their market (path in ``GPUBOT_PRICES``)::

    as_of: 2026-11-01            # default date for every price below
    prices:
      rtx-a6000: {usd: 4200, as_of: 2026-11-20, source: https://example.com/listing}
      rtx-4090: 1799

Answers then use the current price where there is one and say which kind of price they used.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from bot.catalog import GPU, Catalog, CatalogError, read_yaml

__all__ = ["Price", "PriceBook", "load_prices"]


@dataclass(frozen=True, slots=True)
class Price:
    usd: float
    kind: str  # "current" or "launch"
    as_of: str | None = None  # YYYY-MM-DD for current prices, the release year for launch MSRPs
    source: str | None = None

    @property
    def label(self) -> str:
        if self.kind == "current":
            return f"current price{f' as of {self.as_of}' if self.as_of else ''}"
        return f"launch MSRP{f', {self.as_of}' if self.as_of else ''}"

    def text(self) -> str:
        return f"${self.usd:,.0f} ({self.label})"


@dataclass(frozen=True, slots=True)
class PriceBook:
    """Current prices by GPU id; empty when the operator keeps none."""

    current: Mapping[str, Price] = field(default_factory=lambda: MappingProxyType({}))
    path: Path | None = None

    def price(self, gpu: GPU) -> Price | None:
        """The price answers should use: the current one if listed, else the launch MSRP."""
        if gpu.id in self.current:
            return self.current[gpu.id]
        usd = gpu.number("launch_price_usd")
        if usd is None:
            return None
        date = gpu.get("release_date")
        return Price(usd, "launch", str(date)[:4] if date else None)

    def usd(self, gpu: GPU) -> float | None:
        """What :meth:`price` gives, in USD (without building the price: rankings ask this of every GPU)."""
        current = self.current.get(gpu.id)
        return current.usd if current is not None else gpu.number("launch_price_usd")

    @property
    def basis(self) -> str:
        if self.current:
            name = self.path.name if self.path else "the price list"
            return f"current prices from {name} where listed, launch MSRPs otherwise"
        return "launch MSRPs, not today's street prices"


def _date(value: object, path: Path, entry: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError as exc:
        raise CatalogError(path, f"as_of must be a date YYYY-MM-DD, got {value!r}", entry=entry, field="as_of") from exc


def load_prices(path: str | Path | None, catalog: Catalog) -> PriceBook:
    """Read and validate a price file; no path gives an empty book."""
    if path is None:
        return PriceBook()
    path = Path(path)
    data = read_yaml(path) or {}
    if not isinstance(data, dict) or not isinstance(data.get("prices"), dict):
        raise CatalogError(path, "needs a `prices:` mapping of GPU id to price")
    default_date = _date(data.get("as_of"), path, "as_of")
    current: dict[str, Price] = {}
    for gpu_id, raw in data["prices"].items():
        entry = str(gpu_id)
        if entry not in catalog.gpus:
            raise CatalogError(path, "unknown GPU id (see `gpubot catalog list`)", entry=entry, field="prices")
        record = raw if isinstance(raw, dict) else {"usd": raw}
        usd = record.get("usd")
        if isinstance(usd, bool) or not isinstance(usd, int | float) or not math.isfinite(usd) or usd <= 0:
            raise CatalogError(path, f"usd must be a positive number, got {usd!r}", entry=entry, field="usd")
        source = record.get("source")
        current[entry] = Price(
            float(usd),
            "current",
            _date(record.get("as_of"), path, entry) or default_date,
            str(source) if source else None,
        )
    return PriceBook(MappingProxyType(current), path)
