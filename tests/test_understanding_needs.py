"""Two classes of fit question: what the thread's model needs, asked without naming it ("vram requirements to run
this", "minimum gpu for it"), and the reverse fit asked for fine-tuning ("how big a model can I fine-tune on 24gb").

Phrasings are our own, in the style of public threads.
"""

from __future__ import annotations

import pytest

from bot.engine import Engine


def _request(engine: Engine, question: str) -> dict:  # type: ignore[type-arg]
    return engine.explain(question)["request"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "question",
    [
        "minimum requirements for it?",
        "what are the gpu requirements for this?",
        "what are the vram requirements to run this locally",
        "how much vram do I need to run this model",
        "system requirements for this project? which gpu",
        "what's the minimum vram for this repo",
        "hardware requirements to fine tune this?",
        "reqs for training it on my own data",
    ],
)
def test_needs_of_the_unnamed_model_is_a_fit(engine: Engine, question: str) -> None:
    request = _request(engine, question)
    assert request["kind"] == "fit" and "gpus" not in request
    answer = engine.ask(question)
    assert answer.intent == "fits" and "Which model?" in answer.summary


@pytest.mark.parametrize(
    ("question", "model"),
    [
        ("what gpu is needed to run llama 3 70b", "llama-3-70b"),
        ("gpu resources required to run qwen2.5 72b?", "qwen2.5-72b"),
        ("which gpu required to fine tune mistral 7b", "mistral-7b"),
    ],
)
def test_what_a_named_model_requires_is_a_fit(engine: Engine, question: str, model: str) -> None:
    request = _request(engine, question)
    assert request["kind"] == "fit" and request["fit"]["model_id"].startswith(model)


@pytest.mark.parametrize(
    "question",
    [
        "best gpu under $1000 for this model",
        "hardware requirements for blender rendering",
        "what gpu do I need for 3d rendering",
    ],
)
def test_requirements_without_a_model_stay_what_they_were(engine: Engine, question: str) -> None:
    assert _request(engine, question)["kind"] != "fit"


@pytest.mark.parametrize(
    ("question", "mode", "capacity"),
    [
        # no method named on 24 GB or less: the LoRA slot (every method is listed either way)
        ("how big a model can i fine tune on 24gb?", "lora", 24),
        ("biggest model i can qlora in 16gb of vram", "qlora", 16),
        ("what's the largest llm i can lora train with 48 gigs", "lora", 48),
        ("with a 12gb gpu, how many b can i finetune", "lora", 12),
        ("how big a model can i fine tune on 80gb?", "full", 80),
    ],
)
def test_reverse_fit_for_fine_tuning_answers_per_method(
    engine: Engine, question: str, mode: str, capacity: int
) -> None:
    answer = engine.ask(question)
    assert answer.fit is not None and answer.fit["mode"] == mode and answer.fit["available_gb"] == capacity
    assert "fine-tune" in answer.summary
    methods = [b.split(":")[0] for b in answer.bullets if ":" in b]
    assert methods == ["Full fine-tune", "LoRA", "QLoRA"]


def test_fine_tuning_holds_less_than_inference_in_the_same_memory(engine: Engine) -> None:
    from bot.handlers.fit_reverse import largest_params_b

    full, lora, qlora = (largest_params_b(24, "fp16", 1, m) for m in ("full", "lora", "qlora"))
    inference = largest_params_b(24, "fp16")
    assert full and lora and qlora and inference
    assert full < lora < qlora and full < inference


@pytest.mark.parametrize(
    "question",
    ["what's the biggest llm a 12gb card can run", "how many b can a 3090 run"],
)
def test_reverse_fit_for_inference_is_unchanged(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert answer.fit is not None and answer.fit["mode"] == "inference" and "runs in" in answer.summary


@pytest.mark.parametrize(
    ("question", "model"),
    [
        ("whisperx large-v3 on a 4gb card?", "whisper-large-v3"),
        ("i get out of memory with whisperx large v3 on 6gb", "whisper-large-v3"),
    ],
)
def test_whisperx_names_whisper_large_v3(engine: Engine, question: str, model: str) -> None:
    assert _request(engine, question)["fit"]["model_id"] == model


@pytest.mark.parametrize(
    ("question", "model"),
    [
        ("q4 vs q8 for qwen2.5 14b on a 4060 ti 16gb", "qwen2.5-14b"),
        ("llama 3 8b gptq vs awq on a 12gb card", "llama-3-8b"),
        ("fp16 versus int8 for mistral 7b on my 3060 12gb, will it fit", "mistral-7b"),
    ],
)
def test_vs_between_precisions_on_one_card_is_a_fit(engine: Engine, question: str, model: str) -> None:
    request = _request(engine, question)
    assert request["kind"] == "fit" and request["fit"]["model_id"].startswith(model)


@pytest.mark.parametrize("question", ["3090 vs 4090 for llama 70b", "4090 vs a6000 for llama 3 70b q4"])
def test_vs_between_cards_stays_a_comparison_of_setups(engine: Engine, question: str) -> None:
    assert _request(engine, question)["kind"] == "setup"
