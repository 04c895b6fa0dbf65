"""A count of cards written apart from their name or size: "I have 2 gpus each having 40 gb of memory and i want to run
llama3.1 70b" was answered for one 40 GB card; "decided to buy 2 * A100 80GB GPU cards" for one A100 (the "*" was
dropped with the punctuation); "the configuration of my GPU: 2 16G A4000" named an A2 ("gpu 2 16gb") beside the A4000.
A count, then the cards and each one's size ("N gpus each having/with X gb", bot/dimensions.py counted_size), a count
times a name ("2 * a100" -> "2x a100", bot/text.py) and a small count before a size before a name ("2 16gb a4000" ->
"2x 16gb a4000") are the rig; GGUF's "f16" is FP16, no GPU name."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.text import normalize

# (question, cards, count, memory per card or None, model or None)
COUNTED = [
    # https://github.com/ollama/ollama/issues/6070
    (
        "I have 2 gpus each having 40 gb of memory and i want to run llama3.1 70b using these GPUs, are there any "
        "features to run ollama on distributed way",
        [],
        2,
        40,
        "llama-3.1-70b",
    ),
    # https://github.com/kuangliu/pytorch-ssd/issues/10
    (
        "I have 8 gpu card with 12 GB memory, but even I set batch-size to be 8, it always give error run out of "
        "memory.",
        [],
        8,
        12,
        None,
    ),
    # https://github.com/meta-llama/llama3/issues/234
    (
        "I need to run llama3 70b f16 model through ollama in my local system for which I decided to buy 2 * A100 80GB "
        "GPU cards, I am curious that model of 140 gb will conisder both gpu cards vram automatically",
        [],
        2,
        None,
        "llama-3-70b",
    ),
    # https://github.com/OptimalScale/LMFlow/issues/213
    (
        "I want to finetune a llama 7B model, however I met cuda out of memory error. I wonder if it raised because "
        "the configuration of my GPU is not qualified, such as 16G is so limited for llama7B. below is the "
        "configuration of my GPU: 2 16G A4000.",
        ["rtx-a4000"],
        2,
        None,
        "llama-2-7b",
    ),
    # own phrasings
    ("I have 4 GPUs with 16GB each, can I run qwen2.5 72b?", [], 4, 16, "qwen2.5-72b"),
    ("three cards with 24gb each, will llama 3 70b fit?", [], 3, 24, "llama-3-70b"),
    ("can 3 * rtx 3090 run llama 3 70b?", ["rtx-3090"], 3, None, "llama-3-70b"),
]


@pytest.mark.parametrize(("question", "gpus", "count", "memory", "model"), COUNTED)
def test_the_count_is_the_rig(
    engine: Engine, question: str, gpus: list[str], count: int, memory: int | None, model: str | None
) -> None:
    q = engine.parser.parse(question)
    assert q.kind == "fit", q.rule
    assert q.fit is not None and q.fit.gpus_count == count, q.fit
    if memory is not None:
        assert q.fit.capacity_gb == memory
    assert q.fit.model_id == model
    answer = engine.ask(question)
    assert answer.intent == "fits"
    assert "a2" not in answer.gpus and set(gpus) <= set(answer.gpus)
    assert answer.fit is not None and answer.fit["gpus_count"] == count


def test_f16_is_fp16_not_a_gpu(engine: Engine) -> None:
    q = engine.parser.parse("can I run llama 3 70b f16 on 2x a100 80gb?")
    assert not q.unknown_names and q.fit is not None and q.fit.precision == "fp16"


@pytest.mark.parametrize(
    ("text", "norm"),
    [
        ("2 * A100 80GB", "2x a100 80gb"),
        ("2 16G A4000", "2x 16gb a4000"),
        ("7b*8", "8x7b"),  # experts, not a count
        ("3*8*A100", "24x a100"),  # nodes times GPUs
        ("rtx 3060 12gb card", "rtx 3060 12gb card"),  # a name's number is no count
        ("cuda 12 24gb card", "cuda 12 24gb card"),
        ("2 24gb rtx 3090", "2x 24gb rtx 3090"),
        ("GeForce with 8/10 GB VRam", "geforce with 8 10gb vram"),  # two sizes, no count
    ],
)
def test_counts_in_normalising(text: str, norm: str) -> None:
    assert normalize(text) == norm
