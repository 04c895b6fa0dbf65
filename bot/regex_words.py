"""Word alternations written so that a regex search skips ahead.

``\\b(?:colab pro|colab|google colab)\\b`` is tried at every position of a text: a pattern that starts with an
assertion gives the regex engine no first character to look for. :func:`whole_words` writes the same alternation
grouped by first character, each group starting with its character and then looking behind it for a word
character (``c(?<!\\w.)(?:olab pro|olab)``): the same matches, but the search jumps to the characters that can start
a word of the list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["between_spaces", "whole_words"]


def whole_words(words: Iterable[str]) -> str:
    """The pattern ``\\b(?:w1|w2|...)\\b`` of ``words`` (longest first), grouped by first character when every word
    starts with a word character (else written plainly, as the grouping would not match the same)."""
    ordered = sorted(set(words), key=len, reverse=True)
    if not ordered:
        return r"(?!x)x"
    if not all(re.match(r"\w", w) for w in ordered):
        return r"\b(?:" + "|".join(re.escape(w) for w in ordered) + r")\b"
    groups: dict[str, list[str]] = {}
    for word in ordered:
        groups.setdefault(word[0], []).append(re.escape(word[1:]))
    body = "|".join(f"{re.escape(c)}(?<!\\w.)(?:{'|'.join(rests)})" for c, rests in groups.items())
    return rf"(?:{body})\b"


def between_spaces(phrases: list[str]) -> str:
    """The pattern ``(?<= )(p1|p2|...)(?= )`` of ``phrases`` (in the order given: put the longest first), grouped by
    first character: each group starts with its character and looks behind it for the space. A match's whole text
    (``group(0)``) is the phrase."""
    if not phrases or "" in phrases:
        return r"(?<= )(?:" + "|".join(re.escape(p) for p in phrases) + r")(?= )" if phrases else r"(?!x)x"
    groups: dict[str, list[str]] = {}
    for phrase in phrases:
        groups.setdefault(phrase[0], []).append(re.escape(phrase[1:]))
    body = "|".join(f"{re.escape(c)}(?<= .)(?:{'|'.join(rests)})" for c, rests in groups.items())
    return f"(?:{body})(?= )"
