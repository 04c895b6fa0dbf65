"""How much faster one card is than another: a pick between two cards leads with the ratio and its figures — decode
speed from the estimator for language models, dense FP16 tensor throughput for tensor-bound work."""

from __future__ import annotations

import re

import pytest

from bot.engine import Engine
from bot.handlers.fit_options import variants
from bot.handlers.fit_plan import card_speed
from bot.handlers.speed_ratio import REFERENCE_CONTEXT, REFERENCE_MODEL, REFERENCE_PRECISION

_DECODE = re.compile(
    r"^For generating tokens the (.+?) is about ([\d.]+)× as fast as the (.+?): about ([\d,]+) vs ([\d,]+)"
)
_TENSOR = re.compile(r"^By FP16 tensor \(dense\), .*?, the (.+?) has ([\d.]+)× the (.+?)'s ")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_specs()


@pytest.mark.parametrize(
    ("question", "fast", "slow"),
    [
        ("how much faster is the 5090 than the 4090 for llm inference", "rtx-5090", "rtx-4090"),
        ("5090 vs 4090 speed difference for llms", "rtx-5090", "rtx-4090"),
        ("how much faster is a 3090 than a 4060 ti 16gb for local llms?", "rtx-3090", "rtx-4060-ti-16gb"),
        ("how much slower is the 4060 ti 16gb than a 3090 for ollama", "rtx-3090", "rtx-4060-ti-16gb"),
    ],
)
def test_decode_ratio_from_the_estimator(engine: Engine, question: str, fast: str, slow: str) -> None:
    answer = engine.ask(question)
    found = _DECODE.match(answer.summary)
    assert found, answer.summary
    cards = engine.catalog.gpus
    assert (found[1], found[3]) == (cards[fast].short_name, cards[slow].short_name)
    model = engine.models[REFERENCE_MODEL]
    est = variants(model.shape, "inference", REFERENCE_PRECISION, REFERENCE_CONTEXT, 1)
    speeds = [card_speed(model.shape, est, cards[g]) for g in (fast, slow)]
    assert speeds[0] is not None and speeds[1] is not None
    assert float(found[2]) == pytest.approx(speeds[0].tokens_per_s / speeds[1].tokens_per_s, abs=0.051)
    assert int(found[4].replace(",", "")) == round(speeds[0].tokens_per_s)


@pytest.mark.parametrize(
    ("question", "fast", "slow"),
    [
        ("how much faster is a 4090 than a 3090 for stable diffusion", "rtx-4090", "rtx-3090"),
        ("how much faster is the h100 sxm than the a100 80gb sxm for training", "h100-sxm", "a100-80gb-sxm"),
    ],
)
def test_tensor_ratio(engine: Engine, question: str, fast: str, slow: str) -> None:
    answer = engine.ask(question)
    found = _TENSOR.match(answer.summary)
    assert found, answer.summary
    cards = engine.catalog.gpus
    ratio = (cards[fast].number("fp16_tensor_tflops") or 0) / (cards[slow].number("fp16_tensor_tflops") or 1)
    assert found[1] == cards[fast].short_name and float(found[2]) == pytest.approx(ratio, abs=0.051)


@pytest.mark.parametrize(
    "question",
    [
        "how much faster is a 4080 than a 7900 xtx for blender",  # rendering: no single ratio
        "5090 or 4090 for llms?",  # no ratio asked
    ],
)
def test_no_ratio_lead(engine: Engine, question: str) -> None:
    summary = engine.ask(question).summary
    assert not summary.startswith(("For generating tokens", "By FP16 tensor")), summary
