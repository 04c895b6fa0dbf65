"""Interconnect, memory, plausible ranges and dates."""

from __future__ import annotations

from bot.catalog import GPU, Catalog
from bot.checks.backing import backed, unconfirmed
from bot.checks.problem import Problem

__all__ = ["interconnect", "memory_rate", "plausible_ranges", "release_date"]

MEMORY_RATE_TOLERANCE = 0.02
NVLINK = ("nvlink", "nvlink_bandwidth_gbs")

LIMITS = {
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
    "transistors_billion": (1, 500),
}


def interconnect(gpu: GPU, catalog: Catalog) -> list[Problem]:
    """Rule ``nvlink``: no link, no link bandwidth; a link has a bandwidth or a note declaring it unconfirmed."""
    link, bandwidth = gpu.get("nvlink"), gpu.get("nvlink_bandwidth_gbs")
    if link is not True and bandwidth is not None:
        message = f"nvlink_bandwidth_gbs={bandwidth} but nvlink is {link}"
    elif link is True and bandwidth is None and not unconfirmed(gpu, "nvlink_bandwidth_gbs"):
        message = "nvlink is true but nvlink_bandwidth_gbs is null (give it, or a note with convention: unconfirmed)"
    else:
        return []
    return [Problem(gpu.file, gpu.id, NVLINK, "nvlink", message)]


def memory_rate(gpu: GPU, catalog: Catalog) -> list[Problem]:
    """Rule ``memory-rate``: the per-pin data rate (given, or bandwidth x 8 / bus) is in the memory type's range."""
    span = catalog.memory_types.get(str(gpu.get("memory_type")))
    bandwidth, bus, rate = (gpu.number(k) for k in ("memory_bandwidth_gbs", "memory_bus_bits", "memory_data_rate_gbps"))
    if span is None:
        return []
    fields: tuple[str, ...]
    if rate is not None:
        fields, what = ("memory_data_rate_gbps", "memory_type"), f"memory_data_rate_gbps={rate:g}"
    elif bandwidth and bus:
        rate = bandwidth * 8 / bus
        fields = ("memory_bandwidth_gbs", "memory_bus_bits", "memory_type")
        what = f"memory_bandwidth_gbs={bandwidth:g} over memory_bus_bits={bus:g} is {rate:.3g} Gbps per pin, which"
    else:
        return []
    lo, hi = span
    if lo * (1 - MEMORY_RATE_TOLERANCE) <= rate <= hi * (1 + MEMORY_RATE_TOLERANCE) or backed(gpu, fields[0]):
        return []
    message = f"{what} is outside {gpu.get('memory_type')}'s {lo:g}-{hi:g} Gbps"
    return [Problem(gpu.file, gpu.id, fields, "memory-rate", message)]


def plausible_ranges(gpu: GPU, catalog: Catalog) -> list[Problem]:
    """Rules ``range`` (plausible bounds) and ``clocks`` (base clock at most the boost clock)."""
    out = []
    for key, (lo, hi) in LIMITS.items():
        value = gpu.number(key)
        if value is not None and not lo <= value <= hi:
            out.append(
                Problem(gpu.file, gpu.id, (key,), "range", f"{value:g} is outside the plausible range {lo}-{hi}")
            )
    base, boost = gpu.number("base_clock_mhz"), gpu.number("boost_clock_mhz")
    if base is not None and boost is not None and base > boost:
        message = f"base clock {base:g} MHz is above the boost clock {boost:g} MHz"
        out.append(Problem(gpu.file, gpu.id, ("base_clock_mhz", "boost_clock_mhz"), "clocks", message))
    return out


def release_date(gpu: GPU, catalog: Catalog) -> list[Problem]:
    """Rule ``release-date``: 2010-2027; a month without a day has a note saying why (fields.yaml's convention)."""
    date = gpu.get("release_date")
    if not isinstance(date, str):
        return []
    if not "2010" <= date[:4] <= "2027":
        return [Problem(gpu.file, gpu.id, ("release_date",), "release-date", f"{date} is outside 2010-2027")]
    if len(date) == 7 and not gpu.notes_for("release_date"):
        message = f"{date} has no day: give the full date, or a note saying why only the month is public"
        return [Problem(gpu.file, gpu.id, ("release_date",), "release-date", message)]
    return []
