"""The numbers in a question that are not names: the GPU memory sizes it names (not the computer's RAM, not the
sizes of an out-of-memory message) and the wattage of a power supply it asks about."""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["WATTS", "WATT_SUPPLY", "gpu_sizes", "stated_fields", "stated_watts"]

_SIZE_RE = re.compile(r"(\d(?<!\w\d)\d*(?:\.\d+)?)gb\b")  # \b(\d+...)gb\b, the digit first: a search skips ahead


def gpu_sizes(norm: str) -> list[float]:
    """The memory sizes named, but the computer's RAM ("32gb of ram", "64gb ddr5"): "24gb", "a 12 gig card"."""
    if "gb" not in norm:
        return []  # every size ends in "gb"
    sizes = (m for m in _SIZE_RE.finditer(norm) if not _RAM.match(norm, m.end()) and not _allocation(norm, m))
    return [float(m.group(1)) for m in sizes if float(m.group(1)) > 0]


def _allocation(norm: str, m: re.Match[str]) -> bool:
    """A size in an out-of-memory message ("tried to allocate 2.5gb", "5.15gb is free") is no card's memory."""
    return norm.endswith(_ALLOCATED_BEFORE, 0, m.start()) or _ALLOCATED_AFTER.match(norm, m.end()) is not None


_ALLOCATED_BEFORE = ("allocate ", "of which ")
_ALLOCATED_AFTER = re.compile(r" (?:is )?(?:free|already allocated|allocated|reserved)\b")
# A size followed by these is the computer's memory, not the GPU's (and "3868gb s" is a bandwidth).
_RAM = re.compile(r" (?:of )?(?:system |cpu |pc )?(?:ram|ddr\d|ddr|dram)\b| s\b")


# A wattage next to "psu" makes it the asker's supply, not the question: "my 1600w psu".
WATTS = re.compile(r"\b\d{3,4}\s*(?:w|watts?)\b")
#: A supply named by its wattage alone ("powered by a 750w supply"): no "psu" or "power supply" said.
WATT_SUPPLY = re.compile(r"\b\d{3,4}\s*(?:w|watts?)\s+supply\b")


def stated_watts(norm: str, at: int, within: int = 24) -> float | None:
    """The wattage written nearest to position ``at`` (a "psu" phrase), within ``within`` characters: the supply the
    question asks about ("is an 850w psu enough", "my 750 watt power supply")."""
    found = [(abs(m.start() - at), m) for m in WATTS.finditer(norm) if abs(m.start() - at) <= within]
    return float(re.sub(r"\D", "", min(found, key=lambda f: f[0])[1].group(0))) if found else None


#: A memory size right before the memory words ("with 6gb vram", "its 16 gb of memory") or right after them ("(VRAM
#: 16GB)"): the card described.
_STATED_MEMORY = re.compile(
    r"(\d(?<!\w\d)\d*(?:\.\d+)?)\s*(?:gb|gib|g|gigs?)\s+(?:of\s+)?(?:vram|memory|video memory|gpu memory)\b"
    r"|\b(?:vram|video memory|gpu memory)\s+(?:of\s+)?\d{1,3}\s*(?:gb|gib|g)\b"
)


def stated_fields(limits: Mapping[str, object], norm: str) -> set[str]:
    """The fields whose value the question states, describing a card rather than asking about it: a limit's
    ("with 6gb vram" reads as at least 6 GB), or the memory when a size comes right before the memory words
    ("its 16gb vram")."""
    stated = set(limits)
    if _STATED_MEMORY.search(norm):
        stated.add("memory_gb")
    return stated
