"""A language model too big for the GPU still runs under llama.cpp with part of it in system RAM: the answer says
about how many layers fit on the GPU, how much goes to RAM, and whether the RAM the question states holds it."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest

from bot.engine import Engine
from bot.handlers.fit_offload import offload_split

_OFFLOAD = re.compile(r"`-ngl (\d+)`.*?about (\d+) of its (\d+) layers on the GPUs? and about ([\d.,]+) GB in RAM")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_specs()


def _offload(engine: Engine, question: str) -> str | None:
    return next((b for b in engine.ask(question).bullets if "part of the model in system RAM" in b), None)


@pytest.mark.parametrize(
    ("question", "ram", "holds"),
    [
        ("I have a 3080 10gb and 32gb ram, can I run mixtral?", 32, True),
        ("can i run llama 3 70b on a 3060 12gb with 64gb of ram", 64, True),
        ("can i run llama 3 70b on a 3060 12gb? 16gb ddr4", 16, False),
        ("can i run qwen2.5 72b on a 4070 ti super, 96 gb system ram", 96, True),
        ("can i run deepseek r1 on a 4090 with 128gb ram", 128, False),
    ],
)
def test_the_split_and_the_ram_stated(engine: Engine, question: str, ram: int, holds: bool) -> None:
    line = _offload(engine, question)
    assert line is not None, question
    found = _OFFLOAD.search(line)
    assert found and found[1] == found[2], line
    assert 1 <= int(found[2]) < int(found[3])
    said = f"which your {ram} GB of RAM holds" if holds else f"more than your {ram} GB of RAM holds"
    assert said in line, line


def test_the_split_is_what_fits(engine: Engine) -> None:
    """The layers said to fit do, with what stays on the GPU; one more does not."""
    query = engine.parser.parse("can i run llama 3 70b on a 3090")
    answer = engine.answer(query)
    line = _offload(engine, "can i run llama 3 70b on a 3090")
    assert line is not None and answer.fit is not None
    found = _OFFLOAD.search(line)
    assert found
    on_gpu, layers = int(found[2]), int(found[3])
    terms = answer.fit["terms"]
    with_layers = terms["weights"] + terms["KV cache"] + terms.get("token embeddings kept in system RAM", 0.0)
    fixed = sum(terms.values()) - with_layers
    capacity = answer.fit["usable_gb"]
    per_layer = with_layers / layers
    assert fixed + on_gpu * per_layer <= capacity + 0.2  # rounding of the terms shown
    assert fixed + (on_gpu + 1) * per_layer > capacity - 0.2


def test_offload_split_bounds() -> None:
    est: Any = SimpleNamespace(terms={"weights": 40.0, "KV cache": 0.0, "CUDA context": 0.5, "compute buffer": 0.5})
    assert offload_split(est, 80, 21.0, 1) == (40, pytest.approx(20.0))
    assert offload_split(est, 80, 0.9, 1) is None  # not one layer beside what stays on the GPU
    assert offload_split(est, 80, 48.0, 1) is None  # every layer fits: no split to offer
    assert offload_split(est, 0, 21.0, 1) is None


@pytest.mark.parametrize(
    "question",
    [
        "can i run llama 3 70b with vllm on a 4090",  # vLLM keeps the whole model on the GPU
        "can i fully fine tune llama 3 70b on a 4090",  # training
        "can i run llama 3 8b on a 4090",  # it fits
    ],
)
def test_no_split_where_it_does_not_apply(engine: Engine, question: str) -> None:
    assert _offload(engine, question) is None, question


def test_the_split_is_at_the_precision_asked(engine: Engine) -> None:
    line = _offload(engine, "can i run llama 3 70b on a 4090 in fp16")
    assert line is not None and " in FP16 with part of the model" in line


def test_a_model_that_fits_only_below_4_bit_offers_4_bit_with_ram(engine: Engine) -> None:
    # Qwen2.5 32B fits a 16 GB card only at Q2_K (Llama 3 70B's Q2_K, 26.4 GB, no longer fits a 24 GB card)
    line = _offload(engine, "can i run qwen2.5 32b on a 4060 ti 16gb with 64gb ddr5")
    assert line is not None and line.startswith("To keep 4-bit quality") and "Q4_K_M" in line
