"""A card asked about next to the asker's own ("I have a 2080 ti, would a 3090 help with out of memory errors?"):
the reverse fit of the card asked about, and what the asker's card reaches beside it, from the same estimator;
no leftover word of the question ("have", "keeps", "cuda") is searched for as a model name."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.handlers.fit_memory import usable_gb
from bot.handlers.fit_reverse import reach
from bot.hub_search import name_asked


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_specs()


@pytest.mark.parametrize(
    ("question", "asked", "owned"),
    [
        ("I have a 2080 ti, would a 3090 help with out of memory errors?", "rtx-3090", "rtx-2080-ti"),
        ("I'm using a 3070, would a 4090 help with cuda oom?", "rtx-4090", "rtx-3070"),
        ("i currently have a 4070, would a 5090 fix my out of memory errors?", "rtx-5090", "rtx-4070"),
        ("i own a 3080 ti, would an a6000 help with oom?", "rtx-a6000", "rtx-3080-ti"),
    ],
)
def test_the_askers_card_is_set_against_the_card_asked(engine: Engine, question: str, asked: str, owned: str) -> None:
    answer = engine.ask(question)
    assert answer.intent == "fits" and answer.gpus[0] == asked
    own = engine.catalog.gpus[owned]
    line = next(b for b in answer.bullets if b.startswith("Against your"))
    assert own.short_name in line and reach(usable_gb(engine.composer.context, own)) in line


@pytest.mark.parametrize(
    "question",
    [
        "I have a 3060, would a 3090 help with out of memory errors?",
        "my 3060 ti keeps running out of memory, would a 4060 ti 16gb fix it?",
        "Compute time on my 3080 is slow and i have many cuda out of memory errors. Would a RTX A6000 help?",
    ],
)
def test_no_plain_word_is_taken_for_a_model_name(engine: Engine, question: str) -> None:
    assert name_asked(engine.parser.read(question)) is None


@pytest.mark.parametrize(
    ("question", "name"),
    [("glm 4.6 on 2x 3090", "glm 4.6"), ("can i run magistral small on a 3090", "magistral small")],
)
def test_a_model_name_the_catalog_lacks_is_still_found(engine: Engine, question: str, name: str) -> None:
    assert name_asked(engine.parser.read(question)) == name
