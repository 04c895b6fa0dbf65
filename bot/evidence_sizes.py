"""The numbers in a question that are not names: the GPU memory sizes it names (not the computer's RAM, not the
sizes of an out-of-memory message) and the wattage of a power supply it asks about."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Protocol

__all__ = ["WATTS", "WATT_SUPPLY", "gpu_sizes", "need_apart", "stated_fields", "stated_need", "stated_watts"]

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


class _Named(Protocol):
    @property
    def gpu(self) -> str | None: ...
    @property
    def candidates(self) -> tuple[str, ...]: ...


class _Hit(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


#: What may come between a need word and the size it states ("needs way more than 12 GB", "requires a GPU with at least
#: 24GB"): a few words, the size, then no word of the computer's RAM.
_NEED_SIZE = re.compile(
    r"\s+((?:[a-z~]+\s+){0,5}?)(\d(?<!\w\d)\d*(?:\.\d+)?)gb\b(?!\s+(?:of\s+)?(?:system\s+)?(?:ram|ddr))"
)
#: A size before the words that call it a requirement ("the 20GB VRAM requirement", "Is 32GB VRAM a strict
#: requirement?", "45GB of GPU memory is required"): what may come between.
_SIZE_BEFORE = re.compile(
    r"(\d(?<!\w\d)\d*(?:\.\d+)?)gb\s+(?:of\s+)?(?:vram\s+|gpu memory\s+|memory\s+|video memory\s+)?"
    r"(?:is\s+|are\s+)?(?:a\s+|the\s+)?(?:strict\s+|hard\s+|minimum\s+)?$"
)
_SUBJECTS = frozenset(["i", "we", "you", "u"])  # "i need 24gb": what the asker wants of a card, not the model's need
_MORE = ("more than", "over", "above", "bigger than", "larger than")
_LEAST = ("at least", "minimum", "min", "a minimum of")


def stated_need(norm: str, hits: Iterable[_Hit], after: Iterable[_Hit] = ()) -> tuple[float, str] | None:
    """The memory a question says the model needs ("I thought it needs way more than 12 GB of VRAM", "the model seems
    to require a GPU with at least 24GB"): the size and its bound ("more", "least" or "about"), or None. ``hits`` are
    the need words found (``model_needs`` in ``specs/lexicon.yaml``); one after "i", "we" or "you" is the asker's."""
    return next(iter(_needs(norm, hits, after)), None)


def _needs(norm: str, hits: Iterable[_Hit], after: Iterable[_Hit] = ()) -> list[tuple[float, str]]:
    """The needs said with a need word before the size (``hits``) or a requirement word after it (``after``)."""
    found = []
    for hit in after:
        m = _SIZE_BEFORE.search(norm, 0, hit.start)
        if m is not None:
            found.append((float(m.group(1)), "least" if "minimum" in m.group(0) else "about"))
    for hit in hits:
        before = norm[: hit.start].split()[-1:]
        m = _NEED_SIZE.match(norm, hit.end) if not (before and before[0] in _SUBJECTS) else None
        if m is not None:
            lead = " " + m.group(1)
            more, least = (any(f" {w} " in lead for w in words) for words in (_MORE, _LEAST))
            found.append((float(m.group(2)), "more" if more else "least" if least else "about"))
    return found


def need_apart(
    norm: str,
    hits: tuple[Iterable[_Hit], Iterable[_Hit]],
    limits: dict[str, dict[str, float]],
    sizes: list[float],
    mentions: Iterable[_Named],
) -> tuple[float, str] | None:
    """:func:`stated_need`, set apart when there is a card (among ``mentions``, resolved or ambiguous) or another memory
    size to hold it against: the size leaves ``sizes`` (it is no card's memory) and ``limits`` (no card is asked to
    have it), in place."""
    if not sizes:
        return None
    named = any(m.gpu or m.candidates for m in mentions)
    needs = _needs(norm, *hits)
    if not needs or not (named or len(sizes) > len(needs)):
        return None  # nothing to hold it against ("x needs 10gb while y needs only 3.3gb")
    size = needs[0][0]
    if size in sizes:
        sizes.remove(size)
    memory = limits.get("memory_gb", {})
    for bound in [b for b, v in memory.items() if v == size]:
        del memory[bound]
    if "memory_gb" in limits and not memory:
        del limits["memory_gb"]
    return needs[0]
