"""A short name before a full one means that card: "V100 not support int4? I have 1 V100 32G" asks about the
asker's V100 32GB, not every V100. The mirror of the back references in :mod:`bot.evidence` ("A100 80GB ... the
A100"); not when the full name follows a comparison word ("v100 or v100s", "v100 vs v100 32gb": two cards).
"""

from __future__ import annotations

from dataclasses import replace

from bot.mentions import GpuMention, MatchResult

__all__ = ["forward_references"]

_FILLERS = frozenset(["the", "a", "an", "card", "cards", "gpu", "gpus", "one", "ones", "nvidia", "geforce"])
_COMPARE_LEADS = frozenset(["vs", "versus", "or", "and", "than", "to", "with", "against", "from", "compared"])


def forward_references(match: MatchResult) -> MatchResult:
    """Each ambiguous mention takes the variant of a later, fuller mention of the same name."""
    words = match.words
    out: list[GpuMention] = []
    for k, m in enumerate(match.mentions):
        # Only an ambiguous name looks ahead (the rest would make every question quadratic in its names).
        later = next((n for n in match.mentions[k + 1 :] if _fuller(words, m, n)), None) if m.ambiguous else None
        out.append(replace(m, gpu=later.gpu, candidates=later.candidates) if later is not None else m)
    match.mentions = out
    return match


def _fuller(words: list[str], short: GpuMention, full: GpuMention) -> bool:
    said = set(short.text.split()) - _FILLERS
    narrower = full.gpu in short.candidates or set(full.candidates) < set(short.candidates)
    before = [w for w in words[max(0, full.start - 2) : full.start] if w not in _FILLERS][-1:]
    compared = bool(before) and before[0] in _COMPARE_LEADS
    return narrower and said <= set(words[full.start : full.end]) and not compared
