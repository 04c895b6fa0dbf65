"""Bounds on the work one question can cause, whatever its length.

Reading a question is linear in its words, but some steps relate every GPU name to every other one (back
and forward references, variants said again, context cues). A question that names a card hundreds of times
("4090 4090 4090 ...") would make those steps quadratic, so only the first :data:`MAX_MENTIONS` names are
read further, and the answer says so (:func:`capped_note`).
"""

from __future__ import annotations

from bot.mentions import MatchResult

__all__ = ["MAX_MENTIONS", "cap_mentions", "capped_note"]

#: How many GPU names of one question are considered (real questions name at most 7; comparisons show 4).
MAX_MENTIONS = 16


def cap_mentions(match: MatchResult) -> int:
    """Keep the first :data:`MAX_MENTIONS` GPU names of ``match``; return how many it named in all when that was
    more (the answer then says so), else 0."""
    found = len(match.mentions)
    if found <= MAX_MENTIONS:
        return 0
    del match.mentions[MAX_MENTIONS:]
    return found


def capped_note(found: int) -> str:
    """The note of an answer whose question named more GPUs than are considered."""
    return f"I looked at the first {MAX_MENTIONS} cards named ({found} in all); the rest are left out."
