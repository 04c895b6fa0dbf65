"""An out-of-memory reported with no precision stated: the answer is for the model as released (what ran out of
memory, e.g. transformers loading it in 16-bit), and the lower precisions that would fit are the options; a question
that only asks whether it runs gets the best precision that fits instead."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.render import answer_json


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_specs()


OOM_REPORTED = [
    # https://github.com/huggingface/optimum-benchmark/issues/241 (as asked); the others are phrasings of our own
    ("LLama-3.1-70B on 2x NVIDIA L40S results in torch.cuda.OutOfMemoryError. Is this expected behaviour?", 2),
    ("llama 3 8b gives cuda out of memory on my 3060 12gb", 1),
    ("qwen2.5 14b runs out of memory on my 4070 ti super", 1),
    ("why does mistral 7b OOM on my 8gb 3070?", 1),
    ("gemma 2 27b oomed on two 3090s, is that normal?", 2),
]


@pytest.mark.parametrize(("question", "count"), OOM_REPORTED)
def test_a_reported_oom_is_answered_for_the_model_as_released(engine: Engine, question: str, count: int) -> None:
    data = answer_json(engine.ask(question))
    fit = data["fit"]
    assert data["intent"] == "fits" and fit["gpus_count"] == count
    assert fit["precision"] in ("fp16", "bf16") and fit["fits"] is False, (fit["precision"], fit["fits"])
    assert "it would fit" in data["text"]  # the lower precision that would, as an option


@pytest.mark.parametrize(
    "question",
    ["can I run llama 3.1 70b on 2x l40s?", "will qwen2.5 14b fit on my 4070 ti super?", "mistral 7b on a 3070?"],
)
def test_without_an_oom_the_best_precision_that_fits_leads(engine: Engine, question: str) -> None:
    fit = answer_json(engine.ask(question))["fit"]
    assert fit["fits"] is True and fit["precision"] not in ("fp16", "bf16")


@pytest.mark.parametrize(
    "question",
    [
        "llama 3 70b keeps running out of memory on my 4090 in ollama",
        "mixtral ooms on my 3090 with llama.cpp",
        "qwen2.5 32b out of memory in lm studio on a 4080",
    ],
)
def test_with_a_gguf_runtime_named_the_best_precision_is_weighed(engine: Engine, question: str) -> None:
    """Ollama, llama.cpp and LM Studio run a GGUF quantisation: not the 16-bit release ran out of memory."""
    fit = answer_json(engine.ask(question))["fit"]
    assert fit["precision"] not in ("fp16", "bf16"), fit["precision"]
