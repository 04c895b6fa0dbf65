"""A tensor format asked about in general, beside the work it is for ("can fp8 speed up inference on ada
gpus?"): which architectures compute it, not the speed checklist or a pick; a pick stays a pick."""

from __future__ import annotations

import pytest

from bot.engine import Engine


def _request(engine: Engine, question: str) -> dict:  # type: ignore[type-arg]
    return engine.explain(question)["request"]  # type: ignore[no-any-return]


GENERAL = [
    "Is it possible to utilize fp8 of new nvidia ada lovelace GPUs? Does it also increase inference speed?",
    "which gpus support bf16 for training?",
    "does fp4 inference work on any consumer gpus?",
    "can I take advantage of fp8 for inference on newer gpus?",
    "what hardware supports fp8 training",
    "do any amd gpus support fp8 for inference?",
    "which cards can make use of nvfp4 for llm inference",
    "is bf16 supported for fine tuning on older gpus?",
    "which gpus natively support fp8 in inference",
    "does tf32 speed up training, which gpus have it?",
]


@pytest.mark.parametrize("question", GENERAL)
def test_a_format_asked_in_general_with_its_work(engine: Engine, question: str) -> None:
    request = _request(engine, question)
    assert request["kind"] == "formats"
    assert not request.get("gpus")


@pytest.mark.parametrize(
    "question", ["best gpu for fp8 inference", "recommend a card with bf16 for training under $1000"]
)
def test_a_pick_with_a_format_stays_a_pick(engine: Engine, question: str) -> None:
    assert _request(engine, question)["kind"] != "formats"
