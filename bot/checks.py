"""Truth checks over a loaded catalog: numbers that must agree with each other.

Schema validation (types, unknown keys, duplicates) happens while loading; these checks catch
values that are well-typed but implausible, the kind a typo or a guessed number produces.
``gpubot catalog check`` prints them as warnings; ``--strict`` makes them fail.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.catalog import GPU, Catalog

__all__ = ["Problem", "check_catalog"]

BANDWIDTH_TOLERANCE = 0.02
FP32_TOLERANCE = 0.03


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    gpu: str
    fields: tuple[str, ...]
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.gpu}: {', '.join(self.fields)}: {self.message}"


def _explained(gpu: GPU, key: str) -> bool:
    """A note on the field documents a known, deliberate exception."""
    return any(n.field == key for n in gpu.notes)


def _bandwidth(gpu: GPU) -> Problem | None:
    bus, rate, bw = (
        gpu.number("memory_bus_bits"),
        gpu.number("memory_data_rate_gbps"),
        gpu.number("memory_bandwidth_gbs"),
    )
    if bus is None or rate is None or bw is None:
        return None
    expected = bus * rate / 8
    if abs(bw - expected) <= BANDWIDTH_TOLERANCE * expected or _explained(gpu, "memory_bandwidth_gbs"):
        return None
    return Problem(
        gpu.file,
        gpu.id,
        ("memory_bandwidth_gbs", "memory_bus_bits", "memory_data_rate_gbps"),
        f"bandwidth {bw:g} GB/s but {bus:g} bit x {rate:g} Gbps / 8 = {expected:.1f} GB/s "
        f"(expected {expected * (1 - BANDWIDTH_TOLERANCE):.1f}-{expected * (1 + BANDWIDTH_TOLERANCE):.1f})",
    )


def _fp32(gpu: GPU) -> Problem | None:
    cores, clock, tflops = gpu.number("cuda_cores"), gpu.number("boost_clock_mhz"), gpu.number("fp32_tflops")
    if cores is None or clock is None or tflops is None:
        return None
    expected = cores * clock * 2 / 1e6
    if abs(tflops - expected) <= FP32_TOLERANCE * expected or _explained(gpu, "fp32_tflops"):
        return None
    return Problem(
        gpu.file,
        gpu.id,
        ("fp32_tflops", "cuda_cores", "boost_clock_mhz"),
        f"FP32 {tflops:g} TFLOPS but {cores:g} cores x {clock:g} MHz x 2 = {expected:.2f} TFLOPS "
        f"(expected {expected * (1 - FP32_TOLERANCE):.2f}-{expected * (1 + FP32_TOLERANCE):.2f})",
    )


def _ranges(gpu: GPU) -> list[Problem]:
    out = []
    limits = {
        "memory_gb": (1, 512),
        "tdp_w": (10, 2000),
        "boost_clock_mhz": (300, 4000),
        "base_clock_mhz": (100, 4000),
        "memory_bus_bits": (32, 16384),
        "launch_price_usd": (50, 100000),
        "process_nm": (2, 28),
        "fp32_tflops": (0.5, 400),
        "slots": (1, 4),
        "memory_bandwidth_gbs": (50, 20000),
    }
    for key, (lo, hi) in limits.items():
        value = gpu.number(key)
        if value is not None and not lo <= value <= hi:
            out.append(
                Problem(gpu.file, gpu.id, (key,), f"{value:g} is outside the plausible range {lo}-{hi}")
            )
    base, boost = gpu.number("base_clock_mhz"), gpu.number("boost_clock_mhz")
    if base is not None and boost is not None and base > boost:
        out.append(
            Problem(
                gpu.file,
                gpu.id,
                ("base_clock_mhz", "boost_clock_mhz"),
                f"base clock {base:g} MHz is above the boost clock {boost:g} MHz",
            )
        )
    date = gpu.get("release_date")
    if isinstance(date, str) and not "2010" <= date[:4] <= "2027":
        out.append(Problem(gpu.file, gpu.id, ("release_date",), f"{date} is outside 2010-2027"))
    return out


def check_catalog(catalog: Catalog) -> list[Problem]:
    problems: list[Problem] = []
    for gpu in catalog:
        for check in (_bandwidth, _fp32):
            if (p := check(gpu)) is not None:
                problems.append(p)
        problems.extend(_ranges(gpu))
    return problems
