"""The partial-name search of :mod:`bot.matcher` (pass 2): the best window of free words around a model number.

:class:`WindowSearch` is mixed into :class:`~bot.matcher.Matcher`; split from it to keep it readable. Every test here
is a pure function of words against the immutable catalog index, so each is memoised per word or per window (words
and windows repeat across questions). A window can name a GPU only when every significant token of its words is in
some GPU's name, so the search first bounds the windows to the run of such words around the anchor.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.matcher_scan import Loads, Scan, memoised
from bot.matcher_words import MAX_WINDOW, MEMORY, NUMBER, OPTIONAL_WORDS, subtokens

__all__ = ["WindowSearch"]


class WindowSearch:
    """Candidates for a window of words and the best window around an anchor; needs the index below."""

    _by_token: dict[str, set[str]]
    _gpu_sig: dict[str, frozenset[str]]
    _memo_candidates: dict[tuple[str, ...], tuple[list[str], frozenset[str]]]
    _memo_windows: dict[tuple[str, ...], bool]
    _memo_loads: dict[str, tuple[int, int]]
    _memo_nameable: dict[str, bool]

    def _candidates(self, words: Sequence[str]) -> tuple[list[str], frozenset[str]]:
        """GPUs whose name holds every significant token of ``words``, best first (memoised: windows of
        words repeat across a question and across questions)."""
        return memoised(self._memo_candidates, tuple(words), lambda: self._candidates_uncached(words))

    def _candidates_uncached(self, words: Sequence[str]) -> tuple[list[str], frozenset[str]]:
        toks = [t for t in subtokens(words) if t not in OPTIONAL_WORDS]
        if not toks:
            return [], frozenset()
        sets = [self._by_token.get(t) for t in toks]
        if not all(sets):
            return [], frozenset()
        pool = set.intersection(*(x for x in sets if x is not None))
        if not pool:
            return [], frozenset()
        want = frozenset(toks)
        ranked = sorted(pool, key=lambda g: (len(self._gpu_sig[g] - want), g))
        return ranked, want

    @staticmethod
    def _numbers(words: Sequence[str]) -> list[str]:
        return [s for s in subtokens(words) if NUMBER.match(s)]

    def _window_ok(self, words: Sequence[str]) -> bool:
        return memoised(self._memo_windows, tuple(words), lambda: self._window_ok_uncached(words))

    def _window_ok_uncached(self, words: Sequence[str]) -> bool:
        nums = self._numbers(words)
        if len(nums) > 1 or sum(1 for w in words if MEMORY.match(w)) > 1:
            return False  # one model number and at most one memory size per name
        subs = [s for s in subtokens(words) if s not in OPTIONAL_WORDS]
        # A bare short number ("llama 3", "top 10") is not a GPU.
        return not (subs and all(NUMBER.match(s) for s in subs) and len(nums[0] if nums else "") < 4)

    def _best_window(self, scan: Scan, a: int) -> tuple[int, int, list[str], frozenset[str]] | None:
        """(left, right, ranked GPUs, wanted tokens) for the best window of free words around ``a`` (up to
        MAX_WINDOW words each way, bounded by stop words and mentions)."""
        words = scan.words
        lo, hi = self._nameable_run(words, a)
        if lo == hi:
            return None  # the anchor holds a token of no GPU name: no window around it names one
        best: tuple[tuple[int, int, int], int, int, list[str], frozenset[str]] | None = None
        # A name holds one model number and one memory size at most: a window with two is no name, nor is any
        # window around it, so the loops stop there (linear in the words, whatever the question repeats).
        loads: Loads = (0, 0)
        windows, candidates = self._memo_windows, self._memo_candidates
        for left in range(a, lo - 1, -1):
            if (loads := self._extend(scan, left, loads, free=left == a)) is None:
                break
            more: Loads = loads
            for right in range(a + 1, hi + 1):
                if right > a + 1 and (more := self._extend(scan, right - 1, more)) is None:
                    break
                window = tuple(words[left:right])  # one key for both memos
                ok = windows.get(window)
                if not (self._window_ok(window) if ok is None else ok):
                    continue
                found = candidates.get(window)
                ranked, want = self._candidates(window) if found is None else found
                if not ranked:
                    continue
                # Longest window, then the fewest candidates, then prefer extending rightwards.
                score = (right - left, -len(ranked), right)
                if best is None or score > best[0]:
                    best = (score, left, right, ranked, want)
        return None if best is None else best[1:]

    def _nameable_run(self, words: Sequence[str], a: int) -> tuple[int, int]:
        """The words around ``a`` (up to MAX_WINDOW each way) whose every significant token is in some GPU's name:
        a window with any other word has no candidates (:meth:`_candidates`), so windows stay inside. (a, a) when
        word ``a`` itself is not such a word."""
        memo = self._memo_nameable
        ok = memo.get(words[a])
        if not (self._nameable(words[a]) if ok is None else ok):
            return a, a
        lo, hi = a, a + 1
        floor, ceiling = max(0, a - MAX_WINDOW + 1), min(len(words), a + MAX_WINDOW)
        while lo > floor:
            ok = memo.get(words[lo - 1])
            if not (self._nameable(words[lo - 1]) if ok is None else ok):
                break
            lo -= 1
        while hi < ceiling:
            ok = memo.get(words[hi])
            if not (self._nameable(words[hi]) if ok is None else ok):
                break
            hi += 1
        return lo, hi

    def _nameable(self, word: str) -> bool:
        """Every token of ``word`` but the optional ones names some GPU (memoised per word)."""
        by_token = self._by_token
        return memoised(
            self._memo_nameable,
            word,
            lambda: all(t in by_token for t in subtokens([word]) if t not in OPTIONAL_WORDS),
        )

    def _extend(
        self, scan: Scan, k: int, loads: tuple[int, int] | None, *, free: bool = False
    ) -> tuple[int, int] | None:
        """``loads`` (model numbers, memory sizes in a window) with word ``k`` added, or None when the window cannot
        take it: a stop word or a word of a mention (unless ``free``: the anchor), or a second number or size."""
        if loads is None or not (free or scan.free(k)):
            return None
        load = self._word_load(scan.words[k])
        numbers, memories = loads[0] + load[0], loads[1] + load[1]
        return None if numbers > 1 or memories > 1 else (numbers, memories)

    def _word_load(self, word: str) -> tuple[int, int]:
        """(model numbers, memory sizes) in ``word`` (memoised per word)."""
        return memoised(self._memo_loads, word, lambda: (len(self._numbers([word])), int(bool(MEMORY.match(word)))))
