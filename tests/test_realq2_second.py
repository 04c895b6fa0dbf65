"""One or two of a card ("one or two 3090s for llama 70b?", "is a second 3090 worth it?"): the two setups side by
side, what each runs when a model is named, and a verdict (bot/rules_second.py). Phrasings of our own."""

from __future__ import annotations

import pytest

from bot.engine import Engine

SETUPS = [
    ("one or two 3090s for llama 70b?", "rtx-3090", True),
    ("is a second 3090 worth it?", "rtx-3090", False),
    ("should I add another 4090 for running 70b models", "rtx-4090", True),
    ("1 or 2 a6000 for fine tuning llama 3 8b", "rtx-a6000", True),
    ("would a second 4060 ti 16gb help with qwen 32b?", "rtx-4060-ti-16gb", True),
    ("is buying another 3090 worth it for llms", "rtx-3090", False),
    ("does a second 4080 super make sense for training?", "rtx-4080-super", False),
    ("does adding a 2nd 7900 xtx help for llama 70b", "rx-7900-xtx", True),
    ("two or one 3090 for mixtral?", "rtx-3090", True),
    ("worth getting an extra a5000 for stable diffusion?", "rtx-a5000", False),
]


@pytest.mark.parametrize(("question", "card", "sized"), SETUPS)
def test_one_or_two_of_a_card_is_two_setups(engine: Engine, question: str, card: str, sized: bool) -> None:
    q = engine.parser.parse(question)
    assert q.kind == "setup", q.rule
    assert q.gpus == [card, card] and q.counts == {card: 2}
    assert (q.fit is not None and q.fit.gpus_count == 2) == sized
    answer = engine.ask(question)
    assert answer.intent == "recommend"
    assert answer.summary.startswith("Pick the")


@pytest.mark.parametrize(
    "question",
    [
        "is the 3090 worth it?",  # one card, no second
        "2x 3090 or one 4090 for 70b?",  # two cards: their setups
        "what can two 3090s run?",  # a reverse fit for the pair
        "second hand 3090 worth it?",  # used, not a second card
    ],
)
def test_not_one_or_two(engine: Engine, question: str) -> None:
    assert engine.parser.parse(question).rule != "one or two of a card"
