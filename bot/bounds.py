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


def cap_mentions(match: MatchResult) -> bool:
    """Keep the mentions of the first :data:`MAX_MENTIONS` GPU names of ``match`` (a series named as a group is one
    name: "rtx 30 series" puts a mention of each card on the same words); True when it named more (the answer
    says so). The matcher is asked for one more than the cap (``Matcher.match(words, limit=MAX_MENTIONS + 1)``),
    so it stops looking once the cap is certain to apply."""
    starts = sorted({m.start for m in match.mentions})
    if len(starts) <= MAX_MENTIONS:
        return False
    match.mentions = [m for m in match.mentions if m.start < starts[MAX_MENTIONS]]
    return True


def capped_note() -> str:
    """The note of an answer whose question named more GPUs than are considered."""
    return f"I looked at the first {MAX_MENTIONS} cards named; the rest of the question's card names are left out."
