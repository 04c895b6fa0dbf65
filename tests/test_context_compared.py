"""The asker's own card stays context when the question compares the cards it asks about ("I have a 2060 ... a
4060 Ti 16GB or a used 3090, which one?"): the choice is between those, not the old card."""

from __future__ import annotations

import pytest

from bot.engine import Engine


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_specs()


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        (
            "I currently have a 2060 6GB and it's painfully slow with stable diffusion. Thinking of getting a 4060 Ti "
            "16GB or a used 3090. Which one?",
            ["rtx-4060-ti-16gb", "rtx-3090"],
        ),
        ("i have a 3090, 4090 or 5090 for llms?", ["rtx-4090", "rtx-5090"]),
        ("my current card is a 1080 ti. 4070 super or 7900 gre for blender?", ["rtx-4070-super", "rx-7900-gre"]),
        ("I'm using a 3060 right now; should I get an a4000 or a 4070 for training?", ["rtx-a4000", "rtx-4070"]),
    ],
)
def test_the_owned_card_is_not_a_candidate(engine: Engine, question: str, asked: list[str]) -> None:
    answer = engine.ask(question)
    assert sorted(answer.gpus) == sorted(asked), answer.gpus


@pytest.mark.parametrize(
    ("question", "owned"),
    [
        ("I have a 3090, should I get a 4090 or a 5090 for training?", "GeForce RTX 3090"),
        ("i have a 3090, 4090 or 5090 for llms?", "GeForce RTX 3090"),
        ("I'm using a 3060 12gb right now; should I get an a4000 or a 4070 for training?", "GeForce RTX 3060"),
    ],
)
def test_the_choice_is_compared_with_the_owned_card(engine: Engine, question: str, owned: str) -> None:
    """The owned card is no candidate, but the pick is set against it: what the asker gains."""
    answer = engine.ask(question)
    assert answer.bullets[0].startswith(f"Against your {owned}: "), answer.bullets[:2]


@pytest.mark.parametrize(
    "question",
    [
        "i have a 3090 and a 4090, which is faster?",  # both are the asker's: a comparison of them
        "I have a 3090, is the 4090 much faster than it?",  # the old card is compared with the new
    ],
)
def test_a_comparison_with_the_owned_card_keeps_it(engine: Engine, question: str) -> None:
    assert "rtx-3090" in engine.ask(question).gpus
