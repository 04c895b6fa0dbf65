"""Which FAQ entry a question asks about: every entry's keyword groups must all appear (``specs/faq.yaml``).

The phrases are indexed once; a question is read in one pass over its word n-grams, so the cost does not grow
with the number of entries or phrases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.catalog import FaqEntry
from bot.text import normalize

__all__ = ["FaqIndex"]

#: A size said with its number ("24gb", "47.5gb": normalised GiB too) also counts as its unit word ("gb").
_SIZE = re.compile(r"\d+(?:\.\d+)?(gb|mb|tb)")


class FaqIndex:
    """The FAQ entries' keyword phrases, indexed by phrase: which (entry, group) each one fills."""

    def __init__(self, faqs: Iterable[FaqEntry]) -> None:
        self.entries = [entry for entry in faqs if entry.keywords]
        # phrase -> [((entry index, group index), its rank there: (length, -position in the group, phrase))]
        self._where: dict[str, list[tuple[tuple[int, int], tuple[int, int, str]]]] = {}
        for e, entry in enumerate(self.entries):
            for g, group in enumerate(entry.keywords):
                options = [normalize(o) for o in group.split("|") if o.strip()]
                for k, phrase in enumerate(options):
                    if phrase:
                        self._where.setdefault(phrase, []).append(((e, g), (len(phrase), -k, phrase)))
        self._longest = max((len(p.split()) for p in self._where), default=0)
        # Every phrase's word prefixes: an n-gram that starts none stops the scan from its first word.
        self._starts = {" ".join(p.split()[:n]) for p in self._where for n in range(1, len(p.split()) + 1)}

    def _hits(self, norm: str) -> dict[tuple[int, int], tuple[int, int, str]]:
        """(entry, group) -> its best hit: the longest phrase, the earlier in the group on a tie."""
        words = [m.group(1) if (m := _SIZE.fullmatch(w)) else w for w in norm.split()]
        where, starts = self._where, self._starts
        best: dict[tuple[int, int], tuple[int, int, str]] = {}
        for i in [i for i, word in enumerate(words) if word in starts]:  # most words start no phrase
            phrase, last = words[i], min(i + self._longest, len(words))
            for n in range(i + 1, last + 1):  # the n-gram words[i:n], grown one word at a time
                if n > i + 1:
                    phrase = f"{phrase} {words[n - 1]}"
                    if phrase not in starts:
                        break
                for group, rank in where.get(phrase, ()):
                    held = best.get(group)
                    if held is None or rank > held:
                        best[group] = rank
        return best

    def match(self, norm: str) -> tuple[FaqEntry | None, list[str]]:
        """The FAQ whose keyword groups all appear in the question (the longest hits win, an entry with more groups
        ahead on a tie of letters; a ``generic`` entry only when no other matches), and its hits."""
        hits = self._hits(norm)
        groups_hit: dict[int, int] = {}
        for e, _group in hits:
            groups_hit[e] = groups_hit.get(e, 0) + 1
        best: FaqEntry | None = None
        best_hits: list[str] = []
        best_score = (False, 0)
        for e in sorted(e for e, n in groups_hit.items() if n == len(self.entries[e].keywords)):
            entry = self.entries[e]
            phrases = [hits[(e, g)][2] for g in range(len(entry.keywords))]  # every group hit: in group order
            score = (not entry.generic, sum(len(p) + 2 for p in phrases))  # each group's hit counts its two edges
            if score > best_score:
                best, best_hits, best_score = entry, phrases, score
        return best, best_hits
