"""Whether the thread's work runs on a card, asked with other verbs: "I want to replicate your work. Can this method be
executed on RTX3090" was a look-up of the 3090's specs. "be executed on", "be run on", "this code run on" and the
misspelt "can it works on" join the lexicon's fit_asks: the answer is what the card runs, as for "can it run on a
3090?"."""

from __future__ import annotations

import pytest

from bot.engine import Engine

ASKED = [
    # https://github.com/lukemelas/realfusion/issues/2
    ("I want to replicate your work. Can this method be executed on RTX3090", "rtx-3090"),
    # https://github.com/lukemelas/realfusion/issues/2 (its title)
    ("Can it works on RTX3090?", "rtx-3090"),
    # own phrasings
    ("can this code be run on a 3090?", "rtx-3090"),
    ("could the training script be executed on a T4?", "t4"),
]


@pytest.mark.parametrize(("question", "card"), ASKED)
def test_what_the_card_runs(engine: Engine, question: str, card: str) -> None:
    q = engine.parser.parse(question)
    assert q.kind == "fit" and q.gpus == [card], (q.rule, q.gpus)
    answer = engine.ask(question)
    assert answer.intent == "fits" and answer.gpus == [card]


def test_a_library_on_the_card_stays_software(engine: Engine) -> None:
    assert engine.parser.parse("the 4090 works on pytorch?").kind == "software"
