"""A speed the asker measured and doubts, with no model named: the card's speed checklist (the performance FAQ),
not a fit table for a model nobody named; with a model named, the fit answer estimates that model's speed."""

from __future__ import annotations

import pytest

from bot.engine import Engine


def _request(engine: Engine, question: str) -> dict:  # type: ignore[type-arg]
    return engine.explain(question)["request"]  # type: ignore[no-any-return]


DOUBTED = [
    ("On a 3090 I get between 4-7 tokens/second with any llama model. Anything I can tweak?", ["rtx-3090"]),
    ("Token generation speed less than 1/minute on A6000 machine (48GB VRAM, 32GB RAM)", ["rtx-a6000"]),
    ("only 3 t/s on my 4090, is this normal?", ["rtx-4090"]),
    ("my 4060 ti 16gb does 12 tokens/s, expected?", ["rtx-4060-ti-16gb"]),
    ("getting 2.5 it/s on a 3060 12gb, why so slow", ["rtx-3060"]),
    ("100 s/it on my RTX 5080, why?", ["rtx-5080"]),
    ("the L40S gives me 20 tok/s, is that expected?", ["l40s"]),
    ("generation is very slow on my 7900 xtx, 5 tokens per second. how can I speed it up?", ["rx-7900-xtx"]),
    ("why is my 3080 ti so slow? 8 tokens/s", ["rtx-3080-ti"]),
    ("a100 80gb sxm doing 30 tokens/s, something wrong?", ["a100-80gb-sxm"]),
    ("only 1.2 tokens per second on a tesla p40, how do I improve it?", ["tesla-p40"]),
]


@pytest.mark.parametrize(("question", "gpus"), DOUBTED)
def test_a_doubted_speed_gets_the_speed_checklist(engine: Engine, question: str, gpus: list[str]) -> None:
    request = _request(engine, question)
    assert request["kind"] == "faq"
    assert request["faq"] == "performance"
    assert request["gpus"] == gpus


@pytest.mark.parametrize(
    "question",
    [
        "I get ~60 tokens/s with llama 3 70b on an L40S, is this the expected throughput?",
        "qwen2.5 7b runs at 20 tok/s on my 3060, is that normal?",
        "how many tokens/s will llama 3 8b get on a 4070?",
    ],
)
def test_with_a_model_named_the_fit_estimates_its_speed(engine: Engine, question: str) -> None:
    assert _request(engine, question)["kind"] == "fit"


@pytest.mark.parametrize(
    "question",
    [
        "A6000 slower than the RTX 4090 for the same workflow, why?",
        "is the 4090 faster than the 3090 for llms?",
        "4090 vs 3090 tokens per second",
    ],
)
def test_two_cards_are_compared_not_checked(engine: Engine, question: str) -> None:
    request = _request(engine, question)
    assert not (request["kind"] == "faq" and request.get("faq") == "performance" and len(request["gpus"]) < 2)


@pytest.mark.parametrize(
    "question",
    [
        "my 3080 is slow and runs out of memory. Would an RTX A6000 help?",
        "I get 5 tokens/s on my 3060, would a 4090 be faster?",
        "Compute time on my 2080 ti is slow, should I get a 3090?",
    ],
)
def test_a_slow_card_owned_and_another_asked_is_not_the_checklist(engine: Engine, question: str) -> None:
    request = _request(engine, question)
    assert request.get("faq") != "performance"
