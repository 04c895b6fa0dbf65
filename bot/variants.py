"""Which variants of a family name the question means, from what it says about the card.

"p100 16gb", "MI50 ... and with 16GB memory", "1 V100 32G", "four 3060s (48gb)" (12 GB each), "the A100, the SXM
one": a memory size stated next to the name or a few words after it (or a total over a count), and a form-factor
word after it (PCIe, SXM, NVL), keep the candidates that match. A name said again more fully later ("A100 vs
4090 ... (A100 80GB vs 4090)") means the same variants the first time. Each narrowed mention is replaced in
place, before the rules read the evidence; a name narrowed to one candidate is that card.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from bot.catalog import Catalog
from bot.dimensions import count_word
from bot.mentions import GpuMention, MatchResult

__all__ = ["stated_variants"]

#: How many words after a name a memory size may stand and still describe it ("mi50 ... with 16gb memory").
SIZE_REACH = 12
#: How many words after a name a form-factor word may stand ("the a100, the sxm version").
FORM_REACH = 3

_SIZE = re.compile(r"^(\d+(?:\.\d+)?)gb$")
# A size next to these is the computer's memory, not the card's ("ram 16gb", "32gb of ram").
_RAM_WORDS = frozenset(["ram", "ddr4", "ddr5", "ddr", "dram", "system", "cpu", "pc"])
# Words that make the next name another card, not the same one said again ("a100 vs a100 80gb").
_COMPARE_LEADS = frozenset(["vs", "versus", "or", "and", "than", "to", "with", "against", "from", "over"])
_FILLERS = frozenset(["the", "a", "an", "one", "nvidia", "tesla"])
# A size said about a card: "with 16gb", "has 16 gb", "8 80gb gpus" (not the computer's RAM).
_DESCRIBED = re.compile(
    r"\b(?:with|has|having|have)\s+(\d+(?:\.\d+)?)gb\b(?!\s+(?:of\s+)?(?:system\s+|cpu\s+)?(?:ram|ddr\d?)\b)"
    r"|\b(\d+(?:\.\d+)?)gb\s+(?:of\s+)?(?:vram\s+)?(?:card|cards|gpu|gpus)\b"
)
# Form-factor words -> the word a candidate's name must contain ("sxm" matches "SXM4" and "SXM5").
_FORMS = {"pcie": "pcie", "sxm": "sxm", "sxm2": "sxm2", "sxm4": "sxm4", "sxm5": "sxm5", "nvl": "nvl"}
# Words between a count and the name it counts ("four of the 3060s").
_COUNTED = frozenset(["gpu", "gpus", "card", "cards", "of", "the", "x", "nvidia", "amd"])


def stated_variants(match: MatchResult, catalog: Catalog, norm: str) -> None:
    """Narrow each ambiguous mention to the variants the question states, in place. ``norm`` is the whole
    normalised question: "with 16gb", "has 16gb", "8 80gb gpus" read as limits are not among the match's words."""
    if not any(m.ambiguous for m in match.mentions):
        return
    for k, m in enumerate(match.mentions):
        if m.ambiguous:
            ids = _by_form(match, k, _by_size(match, k, catalog, list(m.candidates)), catalog)
            if len(ids) == len(m.candidates):
                ids = _by_described_size(match, k, catalog, ids, norm)
            if len(ids) < len(m.candidates):
                match.mentions[k] = _narrowed(m, ids)
    _said_again(match)


def _by_described_size(match: MatchResult, k: int, catalog: Catalog, ids: list[str], norm: str) -> list[str]:
    """ "MI50 ... and with 16GB memory", "my 4060 ti has 16 gb", "nodes, each with 8 80GB GPUs": a size said about
    a card (read as a limit, so not among the words) is this name's when only its candidates could have it."""
    memory = {g: catalog.gpus[g].number("memory_gb") for g in ids}
    others = {
        catalog.gpus[g].number("memory_gb")
        for j, o in enumerate(match.mentions)
        if j != k and not set(o.candidates) & set(ids)
        for g in ([o.gpu] if o.gpu else o.candidates)
        if g not in ids
    }
    for hit in _DESCRIBED.finditer(norm):
        size = float(hit.group(1) or hit.group(2))
        hits = [g for g in ids if memory[g] == size]
        if hits and size not in others:
            return hits
    return ids


def _narrowed(m: GpuMention, ids: Sequence[str]) -> GpuMention:
    return replace(m, gpu=ids[0], candidates=()) if len(ids) == 1 else replace(m, candidates=tuple(ids))


def _by_size(match: MatchResult, k: int, catalog: Catalog, ids: list[str]) -> list[str]:
    """The candidates with the memory size stated about mention ``k``: the first size in its reach that one of
    them has, itself or divided by the count before the name ("four 3060s (48gb)")."""
    m, words = match.mentions[k], match.words
    upto = min(len(words), m.end + SIZE_REACH)
    memory = {g: catalog.gpus[g].number("memory_gb") for g in ids}
    count = _count_before(words, m.start) or 1
    for p in range(m.end, upto):
        size = _size_at(words, p) if p > m.end else _size_at(words, p) or _bare_size_at(words, p, memory)
        if size is None:
            continue
        if _claimed(match, k, p, size, catalog):
            return ids  # a size of another card named in between ("mi50 vs 3060 12gb")
        for each in (size, size / count) if count > 1 else (size,):
            hits = [g for g in ids if memory[g] == each]
            if hits:
                return hits
    return ids


def _bare_size_at(words: Sequence[str], p: int, memory: dict[str, float | None]) -> float | None:
    """ "4060 ti 16", "a100 80": a bare number right after the name that is one of its variants' memory in GB (not
    a count, a wattage or a year: nothing but that exact size counts, and no unit may follow)."""
    word = words[p]
    if not word.isdigit() or (p + 1 < len(words) and words[p + 1] in _NOT_GB):
        return None
    size = float(word)
    return size if size in memory.values() else None


_NOT_GB = frozenset(
    {"w", "watt", "watts", "mhz", "ghz", "bit", "bits", "k", "tokens", "tb", "cores", "x", "gpus", "cards"}
)


def _size_at(words: Sequence[str], p: int) -> float | None:
    hit = _SIZE.match(words[p])
    if hit is None:
        return None
    before = words[p - 1] if p else ""
    after = words[p + 1 : p + 3]
    if before in _RAM_WORDS or (after and (after[0] in _RAM_WORDS or (after[-1] in _RAM_WORDS and after[0] == "of"))):
        return None
    return float(hit.group(1))


def _claimed(match: MatchResult, k: int, p: int, size: float, catalog: Catalog) -> bool:
    """Another card named between mention ``k`` and the size at ``p`` that has (or may have) that size."""
    for other in match.mentions[k + 1 :]:
        if other.start >= p:
            return False
        ids = [other.gpu] if other.gpu else list(other.candidates)
        if any(catalog.gpus[g].number("memory_gb") == size for g in ids):
            return True
    return False


def _count_before(words: Sequence[str], start: int) -> int | None:
    """ "four 3060s", "2x a100": a count just before the name, over words that only describe it."""
    for j in range(start - 1, max(-1, start - 4), -1):
        value = count_word(words[j])
        if value is not None and words[j] != "a":
            return value
        if words[j] not in _COUNTED:
            return None
    return None


def _by_form(match: MatchResult, k: int, ids: list[str], catalog: Catalog) -> list[str]:
    """The candidates of the form factor named within a few words after mention ``k`` ("the a100, the sxm one")."""
    m, words = match.mentions[k], match.words
    stop = next((o.start for o in match.mentions[k + 1 :]), len(words))
    for word in words[m.end : min(stop, m.end + FORM_REACH)]:
        form = _FORMS.get(word)
        if form is not None:
            hits = [g for g in ids if any(t.startswith(form) for t in catalog.gpus[g].name.lower().split())]
            return hits or ids
    return ids


def _said_again(match: MatchResult) -> None:
    """A name said first alone and later with more detail means the later, narrower variants ("A100 vs 4090 ...
    (A100 80GB vs RTX 4090)"), unless the later one is set against it ("a100 vs a100 80gb", "the h100 or the nvl")."""
    mentions = match.mentions
    for k, m in enumerate(mentions):
        if not m.ambiguous:
            continue
        for later in mentions[k + 1 :]:
            narrower = (later.gpu in m.candidates) or (later.ambiguous and set(later.candidates) < set(m.candidates))
            before = [w for w in match.words[max(m.end, later.start - 3) : later.start] if w not in _FILLERS][-1:]
            if narrower and not set(before) & _COMPARE_LEADS:
                mentions[k] = replace(m, gpu=later.gpu, candidates=later.candidates)
                break
