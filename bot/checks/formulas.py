"""Formula rules: values that follow from others (bandwidth, FP32, tensor throughput, units per SM).

A formula can be off for a documented reason (a vendor rates tensor throughput at a lower clock than the
boost clock it publishes, say). Such a value passes only when a note on the field backs that exact value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.catalog import GPU, Catalog
from bot.checks.backing import backed
from bot.checks.problem import Problem

__all__ = ["TENSOR_FIELDS", "architecture", "fp32_and_bandwidth", "tensor_rates", "units_per_sm"]

BANDWIDTH_TOLERANCE = 0.02
FP32_TOLERANCE = 0.03
TENSOR_RATE_TOLERANCE = 0.03

# The catalog field holding each tensor format's dense figure.
TENSOR_FIELDS = {
    "fp16": "fp16_tensor_tflops",
    "bf16": "bf16_tensor_tflops",
    "fp8": "fp8_tensor_tflops",
    "int8": "int8_tensor_tops",
}


def architecture(gpu: GPU, catalog: Catalog) -> Mapping[str, Any] | None:
    """The GPU's entry in ``specs/architectures.yaml``, or None when it has none (``units-per-sm`` says so)."""
    return catalog.architectures.get(str(gpu.get("architecture")))


@dataclass(frozen=True, slots=True)
class ProductRule:
    """``target`` must equal the product of ``factors`` times a scale, within ``tolerance``."""

    name: str
    target: str
    factors: tuple[str, ...]
    tolerance: float
    formula: str


BANDWIDTH = ProductRule(
    "bandwidth",
    "memory_bandwidth_gbs",
    ("memory_bus_bits", "memory_data_rate_gbps"),
    BANDWIDTH_TOLERANCE,
    "bus width x data rate / 8",
)
FP32 = ProductRule("fp32", "fp32_tflops", ("cuda_cores", "boost_clock_mhz"), FP32_TOLERANCE, "cores x boost clock x")


def _product(gpu: GPU, rule: ProductRule, scale: float, formula: str) -> Problem | None:
    actual = gpu.number(rule.target)
    factors = [gpu.number(k) for k in rule.factors]
    if actual is None or any(f is None for f in factors) or backed(gpu, rule.target):
        return None
    expected = scale
    for f in factors:
        expected *= f or 0.0
    if abs(actual - expected) <= rule.tolerance * expected:
        return None
    lo, hi = expected * (1 - rule.tolerance), expected * (1 + rule.tolerance)
    inputs = ", ".join(f"{k}={gpu.number(k):g}" for k in rule.factors)
    return Problem(
        gpu.file,
        gpu.id,
        (rule.target, *rule.factors),
        rule.name,
        f"{rule.target}={actual:g} but {formula} ({inputs}) gives {expected:.4g}; expected {lo:.4g} to {hi:.4g}"
        " (or a note backing this value)",
    )


def fp32_and_bandwidth(gpu: GPU, catalog: Catalog) -> list[Problem]:
    """Rules ``bandwidth`` (bus x data rate / 8) and ``fp32`` (shaders x boost x the architecture's FLOPs/clock)."""
    per_clock = float((architecture(gpu, catalog) or {}).get("fp32_per_clock", 2))
    found = (
        _product(gpu, BANDWIDTH, 1 / 8, BANDWIDTH.formula),
        _product(gpu, FP32, per_clock / 1e6, f"{FP32.formula} {per_clock:g}"),
    )
    return [p for p in found if p is not None]


_RATIOS = (("cuda_cores", "cores_per_sm"), ("tensor_cores", "tensor_per_sm"), ("rt_cores", "rt_per_sm"))


def units_per_sm(gpu: GPU, catalog: Catalog) -> list[Problem]:
    """Rule ``units-per-sm``: shader, tensor and RT counts are whole multiples the architecture allows."""
    arch = gpu.get("architecture")
    if arch is None or not catalog.architectures:
        return []
    rules = architecture(gpu, catalog)
    if rules is None:
        names = ", ".join(sorted(catalog.architectures))
        return [
            Problem(gpu.file, gpu.id, ("architecture",), "units-per-sm", f"unknown architecture {arch!r} ({names})")
        ]
    sm = gpu.number("sm_count")
    if not sm:
        return []
    out = []
    for key, rule in _RATIOS:
        allowed = [float(a) for a in rules.get(rule) or []]
        count = gpu.number(key)
        if count is None or not allowed or count / sm in allowed or backed(gpu, key):
            continue
        message = f"{key}={count:g} over sm_count={sm:g} is {count / sm:.3g} per SM; {arch} has {allowed}"
        out.append(Problem(gpu.file, gpu.id, (key, "sm_count"), "units-per-sm", message))
    return out


def _rate_problem(gpu: GPU, key: str, rates: list[float]) -> Problem | None:
    value, cores, clock = gpu.number(key), gpu.number("tensor_cores"), gpu.number("boost_clock_mhz")
    if value is None or not cores or not clock or backed(gpu, key):
        return None
    expected = [cores * clock * rate / 1e6 for rate in rates]
    if any(abs(value - e) <= TENSOR_RATE_TOLERANCE * e for e in expected):
        return None
    options = " or ".join(f"{e:.4g}" for e in expected)
    return Problem(
        gpu.file,
        gpu.id,
        (key, "tensor_cores", "boost_clock_mhz"),
        "tensor-rate",
        f"{key}={value:g} but tensor_cores={cores:g} x boost_clock_mhz={clock:g} x {gpu.get('architecture')}'s "
        f"{'/'.join(f'{r:g}' for r in rates)} per core per clock gives {options} (within 3%), "
        "or a note backing this value",
    )


def tensor_rates(gpu: GPU, catalog: Catalog) -> list[Problem]:
    """Rule ``tensor-rate``: a dense tensor figure is tensor cores x boost clock x the architecture's rate.

    Formats with a declared ratio to FP16 are pinned to the FP16 figure by ``tensor-ratio`` (which no note
    excuses), so only FP16 and the formats without a ratio (or without an FP16 figure to pin to) are checked
    against the count here.
    """
    arch = architecture(gpu, catalog) or {}
    table, ratios = arch.get("tensor_rates") or {}, arch.get("tensor_ratios") or {}
    pinned = set(ratios) if gpu.number("fp16_tensor_tflops") else set()
    found = (
        _rate_problem(gpu, TENSOR_FIELDS[fmt], [float(r) for r in rates])
        for fmt, rates in table.items()
        if fmt not in pinned
    )
    return [p for p in found if p is not None]
