"""Whether a question names hardware outside the catalog (``specs/outside.yaml``), without trying every pattern at
every place.

Each entry's pattern starts with ``\\b`` ("``\\b(?:macbook|mac studio|...)``"). One alternation of all of them is tried
at every word boundary of the question, and at each it tries every entry's every alternative: the most expensive
search of reading a question, though few questions name such hardware. :class:`OutsideIndex` reads each pattern
once (with Python's own regex parser) for the characters its matches can start with; a question is then tried only
at the word starts holding one of those characters, with the patterns that can start there. The answer is the same:
a match of ``\\b`` then a word character can only start at such a place. A pattern it cannot read that way (another
first step, a case-insensitive flag, a start that is not one known character) makes it search as before.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

__all__ = ["OutsideIndex", "first_characters"]

_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_MAX_RANGE = 64  # a character range wider than this is not spelled out (the pattern is searched as before)
_HEAD = 3  # characters of a match's start the index looks at: "mac" and "tpu" are rare where "m" and "t" are not
_MAX_HEADS = 4096  # more different starts than this and the pattern is searched as before
# What these classes match in ASCII text (Unicode patterns: \s also matches \x1c-\x1f).
_ASCII_CATEGORIES = {
    "CATEGORY_DIGIT": frozenset("0123456789"),
    "CATEGORY_SPACE": frozenset(" \t\n\r\f\v\x1c\x1d\x1e\x1f"),
}
_WORD_RUN = re.compile(r"\w+")  # in ASCII text: each match starts a word
_WORDS_AND_SPACES = re.compile(r"[a-z0-9_ ]*")
_STOP = "\x00"  # ends a head after which a step is not spelled out (a category such as \w): a prefix, no more


class OutsideIndex:
    """The patterns of ``specs/outside.yaml``, for one test: does any of them match the normalised question?"""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self._patterns = tuple(patterns)
        self._any = re.compile("|".join(f"(?:{p.pattern})" for p in patterns) or r"(?!x)x")
        heads = [_word_heads(p) for p in patterns]
        #: Each head (the first characters of a match, up to _HEAD) -> the patterns that can start with it.
        self._owners: dict[str, frozenset[int]] | None = None
        self._sizes: list[int] = []
        self._memo: dict[frozenset[int], re.Pattern[str]] = {}
        if patterns and all(h is not None for h in heads):
            owners: dict[str, set[int]] = {}
            for k, found in enumerate(heads):
                for head in found or ():
                    owners.setdefault(head, set()).add(k)
            self._owners = {head: frozenset(ks) for head, ks in owners.items()}
            self._sizes = sorted({len(head) for head in owners})

    @property
    def indexed(self) -> bool:
        """Every pattern was read: questions are tried only where a match can start."""
        return self._owners is not None

    def any(self, norm: str) -> bool:
        """``re.search("|".join(patterns), norm) is not None``."""
        if self._owners is None or not norm.isascii():
            return self._any.search(norm) is not None  # the heads spell classes such as \d for ASCII text only
        if _WORDS_AND_SPACES.fullmatch(norm):  # a normalised question without "$" or ".": words start after spaces
            starts: Iterable[int] = _after_spaces(norm)
        else:
            starts = (m.start() for m in _WORD_RUN.finditer(norm))
        get, sizes = self._owners.get, self._sizes
        for at in starts:
            if len(sizes) == 1:
                which = get(norm[at : at + sizes[0]])
            else:
                which = frozenset().union(*(get(norm[at : at + n], ()) for n in sizes)) or None
            if which is not None and self._combined(which).match(norm, at):
                return True
        return False

    def _combined(self, which: frozenset[int]) -> re.Pattern[str]:
        found = self._memo.get(which)
        if found is None:
            found = self._memo[which] = re.compile("|".join(f"(?:{self._patterns[k].pattern})" for k in sorted(which)))
        return found


def _after_spaces(text: str) -> list[int]:
    """Where each word of a space-separated text starts."""
    starts, at = [], 0
    for word in text.split(" "):
        if word:
            starts.append(at)
        at += len(word) + 1
    return starts


def _word_heads(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The first characters (up to _HEAD) a match of ``\\b`` + the rest can start with, each starting with a word
    character, or None when the pattern is not of that form or cannot be read (then it is searched as before)."""
    if pattern.flags & re.IGNORECASE:
        return None
    tree = _parse(pattern.pattern)
    if tree is None or not tree or (str(tree[0][0]), str(tree[0][1])) != ("AT", "AT_BOUNDARY"):
        return None
    try:
        heads = _heads(tree, _HEAD)
    except _Unknown:
        return None
    heads = {h.rstrip(_STOP) for h in heads}
    if not heads or "" in heads or not all(h[0] in _WORD for h in heads):
        return None  # a match may start with the empty string or a character not spelled out, or not a word character
    return frozenset(heads)


def _parse(pattern: str) -> list[tuple[Any, Any]] | None:
    """The top-level steps of ``pattern`` from Python's regex parser; None if unreadable or case-insensitive."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        tree = _parser.parse(pattern)
    except Exception:  # an internal module: anything unexpected means "search as before"
        return None
    if tree.state.flags & re.IGNORECASE:
        return None
    return list(tree.data)


def first_characters(pattern: str) -> frozenset[str] | None:
    """Every character a non-empty match of ``pattern`` can start with, or None when that is not a known, finite set
    (a class such as ``\\w``, a negated class, any character, a pattern that can match the empty string)."""
    tree = _parse(pattern)
    if tree is None:
        return None
    try:
        heads = _heads(tree, 1)
    except _Unknown:
        return None
    firsts = {h.rstrip(_STOP) for h in heads}
    return None if not firsts or "" in firsts else frozenset(firsts)


class _Unknown(Exception):
    """A step whose first characters are not spelled out."""


def _heads(items: Iterable[tuple[Any, Any]], n: int) -> set[str]:
    """Every string of up to ``n`` characters a match of the steps can start with: its first ``n`` characters, the
    whole match when shorter ("" when it can be empty), or the characters before a step that is not spelled out
    (ending in _STOP: nothing is known after them). Zero-width steps are passed over (a superset)."""
    found = {""}
    for op, av in items:
        found = _grow(found, functools.partial(_heads_of, str(op), av), n)
    return found


def _grow(found: set[str], step: Callable[[int], set[str]], n: int) -> set[str]:
    """``found`` followed by what ``step`` can start with, each kept to ``n`` characters."""
    out = {h for h in found if len(h) >= n or h.endswith(_STOP)}
    for h in found - out:
        try:
            out |= {h + t for t in step(n - len(h))}
        except _Unknown:
            out.add(h + _STOP)
        if len(out) > _MAX_HEADS:
            raise _Unknown
    return {h if h.endswith(_STOP) else h[:n] for h in out}


def _heads_of(op: str, av: Any, n: int) -> set[str]:
    if op == "LITERAL":
        return {chr(av)}
    if op == "IN":
        return _class(av)
    if op in ("AT", "ASSERT", "ASSERT_NOT"):
        return {""}  # zero-width: the next step consumes the characters
    if op == "BRANCH":
        return {h for branch in av[1] for h in _heads(branch, n)}
    if op == "SUBPATTERN":
        if av[1] & re.IGNORECASE:
            raise _Unknown
        return _heads(av[3], n)
    if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, high, body = av
        found, grown = ({""} if low == 0 else set()), {""}
        for k in range(1, min(high, n + low) + 1):  # more copies than that add nothing within n characters
            grown = _grow(grown, functools.partial(_heads, body), n)
            if k >= low:
                found |= grown
        return found
    if op == "ATOMIC_GROUP":
        return _heads(av, n)
    raise _Unknown  # any character, a negated literal, a back reference, a conditional...


def _class(items: Iterable[tuple[Any, Any]]) -> set[str]:
    found: set[str] = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            found.add(chr(av))
        elif name == "RANGE" and av[1] - av[0] <= _MAX_RANGE:
            found |= {chr(c) for c in range(av[0], av[1] + 1)}
        elif name == "CATEGORY" and str(av) in _ASCII_CATEGORIES:
            found |= _ASCII_CATEGORIES[str(av)]  # what the class matches in ASCII text (OutsideIndex.any checks)
        else:
            raise _Unknown  # a category (\w, \d: more than ASCII), a negation, a wide range
    return found
