"""Quantisation support, power limits and counts said apart from an unresolved name: our own phrasings.

Each test reads the request through ``Engine.explain``.
"""

from __future__ import annotations

import pytest

from bot.engine import Engine


def _request(engine: Engine, question: str) -> dict:  # type: ignore[type-arg]
    return engine.explain(question)["request"]  # type: ignore[no-any-return]


# -- quantising a model is a software question, not a tensor-format one ------------------------------------

QUANTISING = [
    ("does the v100 support 4-bit quantization?", "v100-pcie-16gb"),
    ("can a p40 handle 8 bit quantized models", "tesla-p40"),
    ("is int4 quantisation supported on the t4", "t4"),
    ("will the 3060 12gb work with 4bit quantization", "rtx-3060"),
    ("my v100 can't load in 4bit, is it supported?", "v100-pcie-16gb"),
]


@pytest.mark.parametrize(("question", "gpu"), QUANTISING)
def test_quantisation_support_is_a_software_question(engine: Engine, question: str, gpu: str) -> None:
    request = _request(engine, question)
    assert request["kind"] == "software", request
    assert gpu in request["gpus"]


@pytest.mark.parametrize(
    "question", ["does the rtx 5090 support fp4", "can a v100 do bf16?", "does the t4 have int8 tensor cores"]
)
def test_tensor_formats_without_quantising_stay_formats(engine: Engine, question: str) -> None:
    assert _request(engine, question)["kind"] == "formats"


# -- a max power question shows the board power too ---------------------------------------------------------

POWER = [
    "what's the max power draw of the 5090?",
    "a6000 maximum power draw",
    "4090 power limit?",
    "peak power draw of a 3090",
]


@pytest.mark.parametrize("question", POWER)
def test_max_power_shows_board_power(engine: Engine, question: str) -> None:
    request = _request(engine, question)
    assert request["kind"] == "lookup", request
    assert {"max_power_w", "tdp_w"} <= set(request["fields"])


def test_plain_tdp_is_only_tdp(engine: Engine) -> None:
    assert _request(engine, "4090 tdp")["fields"] == ["tdp_w"]


# -- a count said apart from the name counts that card, even before it is resolved --------------------------

COUNTED = [
    ("full finetune llama 2 7b on a100 with 4 gpus", 4),
    ("fine-tune llama2 13b on an a800 (2 gpus), still oom", 2),
    ("can i train llama 3 8b fully on a100, 8 gpus", 8),
]


@pytest.mark.parametrize(("question", "count"), COUNTED)
def test_stated_count_applies_to_an_ambiguous_name(engine: Engine, question: str, count: int) -> None:
    request = _request(engine, question)
    assert request["kind"] == "fit", request
    assert request["fit"]["gpus_count"] == count
