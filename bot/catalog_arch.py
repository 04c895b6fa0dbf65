"""``specs/architectures.yaml``: per-architecture rules the truth checks read, and memory types' data rates."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.catalog_files import expect, read_yaml

__all__ = ["TENSOR_FORMATS", "load_architectures"]

# Tensor number formats an architecture may declare (``tensor_formats`` in architectures.yaml).
TENSOR_FORMATS = ("tf32", "fp16", "bf16", "fp8", "fp6", "fp4", "int8", "int4")
_ALLOWED = frozenset(
    ["vendor", "cores_per_sm", "tensor_per_sm", "rt_per_sm", "fp32_per_clock", "tensor_formats", "tensor_rates"]
) | {"tensor_ratios"}


def _load_architecture(name: str, raw: Any, path: Path) -> Mapping[str, Any]:
    expect(isinstance(raw, dict), path, "each architecture must be a mapping", name)
    unknown = set(raw) - _ALLOWED
    expect(not unknown, path, f"unknown keys {sorted(unknown)}", name)
    expect(raw.get("fp32_per_clock", 2) in (2, 4), path, "must be 2 or 4", name, "fp32_per_clock")
    formats = raw.get("tensor_formats", [])
    ok_formats = isinstance(formats, list) and set(formats) <= set(TENSOR_FORMATS)
    expect(ok_formats, path, f"must be a list of {TENSOR_FORMATS}", name, "tensor_formats")
    for key in ("tensor_rates", "tensor_ratios"):
        table = raw.get(key, {})
        expect(isinstance(table, dict), path, "must map a format to a list of numbers", name, key)
        for fmt, numbers in table.items():
            expect(fmt in formats, path, f"{fmt!r} is not in this architecture's tensor_formats", name, key)
            ok = isinstance(numbers, list) and all(isinstance(n, int | float) and n > 0 for n in numbers)
            expect(ok, path, f"{fmt}: must be a list of positive numbers", name, key)
    return MappingProxyType(dict(raw))


def load_architectures(path: Path) -> tuple[dict[str, Mapping[str, Any]], dict[str, tuple[float, float]]]:
    """Per-architecture rules and, under ``memory_types:``, each memory type's per-pin data-rate range (Gbps)."""
    if not path.exists():
        return {}, {}
    data = read_yaml(path)
    expect(isinstance(data, dict) and isinstance(data.get("architectures"), dict), path, "needs `architectures:`")
    out = {str(name): _load_architecture(str(name), raw, path) for name, raw in data["architectures"].items()}
    memory: dict[str, tuple[float, float]] = {}
    for name, span in (data.get("memory_types") or {}).items():
        ok = isinstance(span, list) and len(span) == 2 and all(isinstance(n, int | float) for n in span)
        expect(ok and span[0] <= span[1], path, "must be [lowest, highest] Gbps per pin", str(name), "memory_types")
        memory[str(name)] = (float(span[0]), float(span[1]))
    return out, memory
