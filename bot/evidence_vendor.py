"""The vendor a question limits itself to: "nvidia only", "an amd card", "rocm", "does amd make one with 32gb"."""

from __future__ import annotations

import re

__all__ = ["vendor_asked"]

# (vendor, words every phrase of its pattern holds, the pattern): without one of the words, no search.
_VENDOR_RE = (
    (
        "NVIDIA",
        ("nvidia", "cuda"),
        re.compile(
            r"\b(?:nvidia only|only nvidia|nvidia (?:card|gpu)s?|from nvidia|cuda (?:only|support|card|gpu)"
            r"|nvidia (?:have|has|make|makes|offer|offers|sell|sells) (?:any|a|an|one|anything|something))\b"
        ),
    ),
    (
        "AMD",
        ("amd", "rocm", "radeon"),
        re.compile(
            r"\b(?:amd only|only amd|amd (?:card|gpu)s?|from amd|rocm|radeon (?:card|gpu)s?|amd support"
            r"|amd (?:have|has|make|makes|offer|offers|sell|sells) (?:any|a|an|one|anything|something)"
            r"|(?:on|for|with|using) (?:an? )?(?:amd|radeon)(?: (?:card|gpu)s?)?$"
            r"|(?:on|for|with|using) (?:an? )?amd (?!\w*\d))\b"
        ),
    ),
    (
        "Intel",
        ("intel", "arc"),
        re.compile(
            r"\b(?:intel only|only intel|intel (?:card|gpu)s?|from intel|intel arc(?! [ab]\d)|arc gpus?"
            r"|intel (?:have|has|make|makes|offer|offers|sell|sells) (?:any|a|an|one|anything|something)"
            r"|(?:on|for|with|using) (?:an? )?intel(?: (?:card|gpu)s?)?$)\b"
        ),
    ),
)


# Every word above in one search: a question with none of them (most) names no vendor.
_ANY_SAID = re.compile("|".join(re.escape(w) for _, said, _ in _VENDOR_RE for w in said))


def vendor_asked(norm: str) -> str | None:
    """The first vendor (in the order above) whose phrases the normalised question holds, or None."""
    if _ANY_SAID.search(norm) is None:
        return None
    return next((v for v, said, p in _VENDOR_RE if any(w in norm for w in said) and p.search(norm)), None)
