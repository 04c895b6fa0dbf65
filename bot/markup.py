"""Discord markup that is not words: mentions, custom emoji, channel and command links, timestamps.

``<:a6000:123456789012345678>`` is an emoji named a6000, not a question about the RTX A6000, so
markup is removed before a question is read. Pure text (no discord import): every pattern is
anchored by ``<`` and a fixed prefix with bounded repeats, so it runs in linear time.
"""

from __future__ import annotations

import re

__all__ = ["strip_markup"]

_MARKUP = re.compile(
    r"<(?:"
    r"a?:\w{1,32}:\d{1,21}"  # custom emoji, static or animated
    r"|@[!&]?\d{1,21}"  # user (nickname) and role mentions
    r"|#\d{1,21}"  # channel links
    r"|/[\w\- ]{1,100}:\d{1,21}"  # slash-command links
    r"|t:-?\d{1,16}(?::[tTdDfFR])?"  # timestamps
    r"|id:\w{1,20}"  # guild navigation (customize, browse, guide)
    r")>"
)


def strip_markup(text: str) -> str:
    """``text`` with Discord markup replaced by a space (so words on either side stay apart)."""
    if "<" not in text:
        return text
    return _MARKUP.sub(" ", text)
