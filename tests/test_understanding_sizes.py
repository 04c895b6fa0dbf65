"""Memory sizes, counts, precisions and fit questions as people write them (our own phrasings).

Each test reads the request through ``Engine.explain`` and, where the answer matters, the answer.
"""

from __future__ import annotations

import pytest

from bot.dimensions import counted_size
from bot.engine import Engine
from bot.handlers.fit_reverse import largest_params_b
from bot.render import answer_json
from bot.text import normalize


def _request(engine: Engine, question: str) -> dict:  # type: ignore[type-arg]
    return engine.explain(question)["request"]  # type: ignore[no-any-return]


# -- a reverse fit: the biggest model a memory size runs ----------------------------------------

REVERSE = [
    ("what's the biggest model a 12 gig gpu can run", 12.0, 1),
    ("16gb vram, how large of an llm can i run", 16.0, 1),
    ("how big a model fits in 24 GB of vram?", 24.0, 1),
    ("largest model i can load on an 8gb card", 8.0, 1),
    ("is it possible to run anything on a 4g vram gpu", 4.0, 1),
    ("what can i run with 2x24GB", 24.0, 2),
    ("two 16gb cards, what's the biggest llm that runs", 16.0, 2),
    ("显存12G能跑多少B的模型", 12.0, 1),
]


@pytest.mark.parametrize(("question", "capacity", "count"), REVERSE)
def test_a_memory_size_without_a_model_gets_the_biggest_models(
    engine: Engine, question: str, capacity: float, count: int
) -> None:
    request = _request(engine, question)
    assert request["kind"] == "fit"
    answer = answer_json(engine.ask(question))
    assert answer["intent"] == "fits"
    assert answer["fit"]["available_gb"] == capacity * count
    assert answer["fit"]["gpus_count"] == count
    assert "biggest model" in answer["text"]


@pytest.mark.parametrize(
    ("question", "gpu", "count"),
    [
        ("how many B can a 4070 ti super run", "rtx-4070-ti-super", 1),
        ("whats the largest model my 3090 can load", "rtx-3090", 1),
        ("RTX 4080Super 16G 能跑多少B的模型", "rtx-4080-super", 1),
        ("2x 3090 with 48gb pooled, what can i run", "rtx-3090", 2),
    ],
)
def test_a_card_without_a_model_gets_the_biggest_models_for_its_memory(
    engine: Engine, question: str, gpu: str, count: int
) -> None:
    answer = answer_json(engine.ask(question))
    assert answer["intent"] == "fits" and answer["gpus"] == [gpu]
    memory = engine.catalog.gpus[gpu].number("memory_gb")
    assert answer["fit"]["available_gb"] == memory * count


def test_the_largest_size_grows_with_memory_and_shrinks_with_precision() -> None:
    fp16_12, q4_12 = largest_params_b(12, "fp16"), largest_params_b(12, "q4_k_m")
    q4_24 = largest_params_b(24, "q4_k_m")
    assert fp16_12 is not None and q4_12 is not None and q4_24 is not None
    assert fp16_12 < q4_12 < q4_24
    assert largest_params_b(0.3, "fp16") is None  # not even the CUDA context (0.42 GB) fits


# -- counts with sizes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2x24GB", (2, 24.0)),
        ("2 x 24 GB", (2, 24.0)),
        ("two 16gb cards", (2, 16.0)),
        ("dual 24G gpus", (2, 24.0)),
        ("4x 80gb", (4, 80.0)),
        ("24gb x2", (2, 24.0)),
        ("run the program using 4x GPUs with 24GB of VRAM each", (4, 24.0)),  # HunyuanVideo issue
        ("4 GPUs w/ 24GB VRAM", (4, 24.0)),
        ("3 cards 16gb each", (3, 16.0)),
        ("8 GPUs of 80GB", (8, 80.0)),
        ("a 24gb card", None),
        ("24gb", None),
        ("1 gpu with 24gb", None),
        ("my 2 kids use a 24gb card", None),
    ],
)
def test_a_count_of_gpus_of_one_size(text: str, expected: tuple[int, float] | None) -> None:
    assert counted_size(normalize(text)) == expected


@pytest.mark.parametrize(
    "question",
    [
        "llama 3 70b q4 on 2x24GB?",
        "can two 24gb cards run llama 3 70b at 4 bit",
        "I have 48 GB across two cards (2x 24 GB), will llama 3.3 70b q4_k_m fit",
        "dual 24G gpus enough for llama 3 70b in 4bit?",
    ],
)
def test_a_count_with_a_size_is_that_many_gpus_of_that_size(engine: Engine, question: str) -> None:
    fit = answer_json(engine.ask(question))["fit"]
    assert fit["gpus_count"] == 2 and fit["available_gb"] == 48.0


# -- sizes that are not the GPU's memory --------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "32gb of ram and an 8gb gpu, can it run mistral 7b",
        "64GB DDR5 and 8GB vram: mistral 7b ok?",
        "mistral 7b with 8gb vram and 32gb system ram",
    ],
)
def test_system_ram_is_not_the_gpu_memory(engine: Engine, question: str) -> None:
    fit = answer_json(engine.ask(question))["fit"]
    assert fit["available_gb"] == 8.0


def test_a_bandwidth_is_not_a_memory_size(engine: Engine) -> None:
    request = _request(engine, "my 4090 shows 1000 GB/s of memory bandwidth, is that normal?")
    assert request["kind"] != "fit"


# -- out of memory: a fit question ----------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "getting CUDA out of memory with whisper large-v3 on 6gb",
        "OOM running flux on my 12gb card",
        "mistral 7b keeps OOMing on 8GB vram",
        "显存不足 8G 跑 whisper large-v3",
    ],
)
def test_out_of_memory_with_a_model_and_a_size_is_a_fit_question(engine: Engine, question: str) -> None:
    request = _request(engine, question)
    assert request["kind"] == "fit"
    assert request["fit"].get("model_id") and request["fit"]["capacity_gb"] > 0


# -- the model: a family and a size, in any order --------------------------------------------------


@pytest.mark.parametrize(
    ("question", "model"),
    [
        ("can a 4090 run the 32b version of qwen", "qwen3-32b"),
        ("is the 120b model of gpt-oss ok on two h100s", "gpt-oss-120b"),
        ("the 70b one of llama, in 4 bit, on a6000", "llama-3.3-70b"),
        ("mixtral 7b*8 on a single 24gb gpu", "mixtral-8x7b"),
        ("mixtral 7b x 8 in q4 on 2x 3090", "mixtral-8x7b"),
    ],
)
def test_a_family_and_a_size_in_another_order_name_the_model(engine: Engine, question: str, model: str) -> None:
    request = _request(engine, question)
    assert request["fit"]["model_id"] == model


# -- precisions ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "full finetune llama 3 8b in bf16 on 80gb?",
        "do i need 2x a100 to fine tune mistral 7b bf16",
        "lora qwen 7b bf16",
    ],
)
def test_bf16_training_keeps_bf16(engine: Engine, question: str) -> None:
    fit = answer_json(engine.ask(question))["fit"]
    assert fit["precision"] == "bf16"


# -- other scripts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("4090 24g可以本地运行llama 3 8b吗", "fit"),
        ("显存16G 可以微调 qwen2.5 7b 吗", "fit"),
        ("3090还是4090 区别", "compare"),
        ("4060ti16G可以跑 flux 吗", "fit"),
    ],
)
def test_words_of_other_scripts_are_read(engine: Engine, question: str, kind: str) -> None:
    assert _request(engine, question)["kind"] == kind


def test_glued_sizes_split_from_the_name() -> None:
    assert normalize("4060ti16G") == "4060ti 16gb"
    assert normalize("4080super16gb") == "4080super 16gb"
    assert normalize("mixtral 7b*8") == "mixtral 8x7b"
