"""Buying questions that say "videocard", "graphic card" and the like, with no work or budget named: a pick, never
"I can't tell what that is"."""

from __future__ import annotations

import pytest

from bot.engine import Engine

NOUNS = [
    "I need to buy a good VideoCard to use for this plugin, any useful suggestion? medium budget",
    "any suggestion for a good videocard?",
    "I need a new graphic card, suggestions?",
    "recommend me a videocard please",
    "which graphic card should I buy?",
    "what videocard do you suggest for this project",
    "best videocard?",
    "looking to buy a gfx card, recommendations?",
    "recommend a vga card for this",
    "should I buy a new graphic card or keep mine?",
]


@pytest.mark.parametrize("question", NOUNS)
def test_a_card_by_another_name_is_a_pick(engine: Engine, question: str) -> None:
    assert engine.explain(question)["request"]["kind"] in ("pick", "rank", "verdict")
