"""A product series named as a group ("RX 9000 series", "rtx 40 series", "the 16xx cards", "30-series") is read
as its cards, never as one unrelated card or an unknown name; numbers that are cards stay cards."""

from __future__ import annotations

import pytest

from bot.engine import Engine


def _request(engine: Engine, question: str) -> dict:  # type: ignore[type-arg]
    return engine.explain(question)["request"]  # type: ignore[no-any-return]


# (question, cards that must be among those answered about, cards that must not be)
SERIES = [
    ("is rocm any good on the radeon rx 9000 series?", ["rx-9070", "rx-9070-xt"], ["radeon-ai-pro-r9700"]),
    ("does pytorch work on rx 9000-series cards", ["rx-9070-xt"], ["rtx-a4000"]),
    ("amd 7800 series, can i use it with ollama?", ["rx-7800-xt"], ["radeon-pro-w7800"]),
    ("rx7000 series vram", ["rx-7900-xtx", "rx-7600"], ["radeon-pro-w7900"]),
    ("rtx 40 series memory", ["rtx-4090", "rtx-4060"], ["rtx-4000-ada", "rtx-4090-laptop"]),
    ("what's the bandwidth across the 30-series", ["rtx-3090", "rtx-3060"], ["rtx-3090-laptop"]),
    ("do the gtx 16xx cards have tensor cores for int4?", ["gtx-1660-ti", "gtx-1660-super"], []),
    ("rtx30xx bf16 support?", ["rtx-3060"], ["rtx-4090"]),
    ("geforce rtx 4000 series specs", ["rtx-4080"], ["rtx-4000-ada"]),
    ("rtx 40 series laptop vram", ["rtx-4090-laptop"], ["rtx-4090"]),
]


@pytest.mark.parametrize(("question", "must", "must_not"), SERIES)
def test_series_read_as_its_cards(engine: Engine, question: str, must: list[str], must_not: list[str]) -> None:
    request = _request(engine, question)
    named = set(request.get("gpus", [])) | {g for m in request.get("ambiguous", []) for g in m["candidates"]}
    assert set(must) <= named, request
    assert not set(must_not) & named, request
    assert request["kind"] != "unknown", request


@pytest.mark.parametrize(
    "question",
    ["rtx 40 series specs", "rx 7000 series memory bandwidth", "the 30 series vram", "radeon rx 6000 series memory"],
)
def test_series_look_up_lists_the_whole_series(engine: Engine, question: str) -> None:
    request = _request(engine, question)
    assert request["kind"] == "list", request
    assert len(request["gpus"]) > 4 and not request.get("dropped"), request


@pytest.mark.parametrize("question", ["rtx 60 series specs", "rx 3000 series vram"])
def test_series_the_catalog_lacks_is_named_not_guessed(engine: Engine, question: str) -> None:
    request = _request(engine, question)
    assert request["kind"] == "unknown" and not request.get("gpus"), request


@pytest.mark.parametrize(
    ("question", "gpus"),
    [
        ("i have two 3090s", ["rtx-3090"]),
        ("rtx 4060 vs 4090", ["rtx-4060", "rtx-4090"]),
        ("a6000 series of benchmarks", ["rtx-a6000"]),
        ("llama 3 8b on a 4090", ["rtx-4090"]),
    ],
)
def test_cards_and_other_numbers_stay_cards(engine: Engine, question: str, gpus: list[str]) -> None:
    assert _request(engine, question)["gpus"] == gpus


@pytest.mark.parametrize(
    "question",
    [
        "can i run it on a gpu below a h100 (like a t4)?",
        "is it ok to use something smaller than an a100, e.g. a t4",
    ],
)
def test_reference_card_is_not_the_subject(engine: Engine, question: str) -> None:
    assert _request(engine, question)["gpus"] == ["t4"]


@pytest.mark.parametrize(
    ("question", "gpus"),
    [
        ("4070 or 3090 for training? heard the 40 series has less bandwidth", ["rtx-4070", "rtx-3090"]),
        ("is the arc a770 usable for pytorch yet, or should i just get something from the rtx 40 series", ["arc-a770"]),
    ],
)
def test_series_beside_named_cards_is_background(engine: Engine, question: str, gpus: list[str]) -> None:
    assert _request(engine, question)["gpus"] == gpus


def test_a_pick_within_a_series_weighs_all_of_its_cards(engine: Engine) -> None:
    """ "which rtx 40 series card for llms": every 40-series card is weighed, not the first four."""
    answer = engine.ask("which rtx 40 series card should i buy for local llms?")
    assert answer.intent == "recommend" and answer.recommendation is not None
    assert {"rtx-4090", "rtx-4060"} <= set(answer.gpus)
