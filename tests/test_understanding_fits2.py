"""Fit questions as people ask them in a model's issue threads, with our own phrasings: the thread's model asked
about a card ("does it run on a 3090?"), out of memory on a card, a count said apart from the card ("a 4-GPU
setup", "... is 4x 4090 enough"), and a family name that runtimes resolve to one model ("dolphin-mixtral")."""

from __future__ import annotations

import pytest

from bot.engine import Engine


def _request(engine: Engine, question: str) -> dict:  # type: ignore[type-arg]
    return engine.explain(question)["request"]  # type: ignore[no-any-return]


# -- the thread's model on a card: a reverse fit for that card -------------------------------------

IT_ON_CARD = [
    ("does it run on a 3090?", "rtx-3090"),
    ("Does it work well on an RTX 4070 Super?", "rtx-4070-super"),
    ("can it run on a p40", "tesla-p40"),
    ("will it run on my 3060 ti", "rtx-3060-ti"),
    ("could this model be trained on one rtx 4090?", "rtx-4090"),
    ("can i run it on a 7900 xtx", "rx-7900-xtx"),
    ("is it possible to train on an a6000", "rtx-a6000"),
    ("would it work on the 4080 super with 16gb", "rtx-4080-super"),
    ("5090 可以吗", "rtx-5090"),
]


@pytest.mark.parametrize(("question", "gpu"), IT_ON_CARD)
def test_the_threads_model_on_a_card_is_a_fit(engine: Engine, question: str, gpu: str) -> None:
    req = _request(engine, question)
    assert req["kind"] == "fit", question
    assert req["gpus"] == [gpu], question


@pytest.mark.parametrize(
    "question",
    ["is it possible to run on a 6gb card?", "can it run on an 8gb gpu", "does it work on 12gb vram"],
)
def test_the_threads_model_in_a_memory_size_is_a_fit(engine: Engine, question: str) -> None:
    req = _request(engine, question)
    assert req["kind"] == "fit", question
    assert req["fit"].get("capacity_gb"), question


@pytest.mark.parametrize(
    "question",
    [
        "does it work with pytorch on the 4090",  # a library: software support
        "does it run the 4090 hot",  # not "on" a card
        "does it run on a 4090 at 450 w tdp",  # a spec
    ],
)
def test_not_a_fit_of_the_threads_model(engine: Engine, question: str) -> None:
    assert _request(engine, question)["kind"] != "fit", question


# -- out of memory on a card --------------------------------------------------------------------

OOM = [
    ("I keep getting out of memory on my 3090 even at int8", "rtx-3090"),
    ("OOM on a single rtx 3070 with 4bit", "rtx-3070"),
    ("torch.OutOfMemoryError on the a4000, what now", "rtx-a4000"),
]


@pytest.mark.parametrize(("question", "gpu"), OOM)
def test_out_of_memory_on_a_card_is_a_fit(engine: Engine, question: str, gpu: str) -> None:
    req = _request(engine, question)
    assert req["kind"] == "fit", question
    assert gpu in req["gpus"], question


# -- how many cards -----------------------------------------------------------------------------

COUNTS = [
    ("running a 70b on an rtx 3090 with a 4-GPU setup in 4bit, does it fit?", 4),
    ("we have a 8 gpu server of a100 80gb sxm, can we finetune a 70b?", 8),
    ("qwen 72b awq on the rtx 4090 keeps running out of memory, are 2x 4090 not enough?", 2),
    ("can i train it on two 3090s", 2),
]


@pytest.mark.parametrize(("question", "count"), COUNTS)
def test_the_count_of_cards_is_read(engine: Engine, question: str, count: int) -> None:
    req = _request(engine, question)
    assert req["kind"] == "fit", question
    assert req["fit"]["gpus_count"] == count, question


# -- a family name a runtime resolves to one model ----------------------------------------------

MIXTRAL = [
    ("will ollama run dolphin-mixtral on my 3090?", "mixtral-8x7b"),
    ("mixtral on a 4090 in q4?", "mixtral-8x7b"),
    ("can i run mixtral 8x22b on 4 a6000s", "mixtral-8x22b"),
    ("mixtral-8x22b-instruct-v0.1 on two h100 sxm", "mixtral-8x22b"),
]


@pytest.mark.parametrize(("question", "model"), MIXTRAL)
def test_mixtral_alone_is_the_default_tag(engine: Engine, question: str, model: str) -> None:
    assert _request(engine, question)["fit"]["model_id"] == model, question
