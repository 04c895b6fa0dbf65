"""The working state of one GPU search (:class:`Scan`) and the memo helper of :mod:`bot.matcher`.

Split from :mod:`bot.matcher` to keep it readable; the passes themselves stay there.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from typing import TypeVar

from bot.matcher_words import MAX_WINDOW, STOPWORDS, is_qualifier
from bot.mentions import GpuMention

__all__ = ["Loads", "Scan", "memoised"]

K = TypeVar("K")
V = TypeVar("V")
#: (model numbers, memory sizes) in a window of words, or None when the window can take no more (bot.matcher).
Loads = tuple[int, int] | None
_MEMO_LIMIT = 20_000  # entries kept per memo before it starts afresh


def memoised(cache: dict[K, V], key: K, compute: Callable[[], V]) -> V:
    """``cache[key]``, computed on first use; a full cache starts afresh (the inputs are words of questions)."""
    hit = cache.get(key)
    if hit is None:
        if len(cache) > _MEMO_LIMIT:
            cache.clear()
        hit = cache[key] = compute()
    return hit


class Scan:
    """One question's words during a GPU search: which are taken by a mention, and the mentions so far."""

    __slots__ = ("found", "used", "words")

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.used = [False] * len(words)
        self.found: list[GpuMention] = []

    def add(self, mention: GpuMention) -> None:
        self.found.append(mention)
        for k in range(mention.start, mention.end):
            self.used[k] = True

    def text(self, start: int, end: int) -> str:
        return " ".join(self.words[start:end])

    def qualifier_at(self, k: int) -> bool:
        """Word ``k`` is a free variant qualifier ("ti", "super", "laptop") right after a name."""
        return k < len(self.words) and not self.used[k] and is_qualifier(self.words[k])

    def next_to_found(self, k: int) -> bool:
        return (k > 0 and self.used[k - 1]) or (k + 1 < len(self.words) and self.used[k + 1])

    def settled(self, a: int, exact: int, limit: int) -> bool:
        """``limit`` mentions start more than MAX_WINDOW words before word ``a``, so no name found from ``a`` on
        comes before them. ``found[:exact]`` (the exact pass) and ``found[exact:]`` are each in order of start."""
        cut = a - MAX_WINDOW
        first = bisect_left(self.found, cut, hi=exact, key=_start)
        return first + bisect_left(self.found, cut, lo=exact, key=_start) - exact >= limit

    def free(self, k: int) -> bool:
        """Word ``k`` can be part of a partial name: not a stop word, not in a mention."""
        return not self.used[k] and self.words[k] not in STOPWORDS


def _start(mention: GpuMention) -> int:
    return mention.start
