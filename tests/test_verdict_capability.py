"""The verdict on one card leads with what it runs ("is a P40 worth it for local LLMs?"), from the estimator: the
largest dense model of the catalog that runs on it at 4-bit, about how fast, and what fits at 8-bit and FP16."""

from __future__ import annotations

import math
import re

import pytest

from bot.engine import Engine
from bot.estimator import typical_shape
from bot.handlers.fit_memory import usable_gb
from bot.handlers.fit_options import variants
from bot.handlers.fit_plan import card_speed
from bot.handlers.fit_reverse import REVERSE_CONTEXT, largest_params_b, size_text

_HEADLINE = re.compile(r"^Its ([\d.]+) GB runs language models up to about the size of (.+?) in Q4_K_M")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_specs()


@pytest.mark.parametrize(
    ("question", "gpu_id"),
    [
        ("is a p40 worth it in 2025 for local llms?", "tesla-p40"),
        ("is the 3060 12gb any good for running llms locally", "rtx-3060"),
        ("mi50 32gb worth buying for llama?", "mi50-32gb"),
        ("is an rtx a6000 good for llm inference", "rtx-a6000"),
        ("is the arc b580 worth it for LLMs", "arc-b580"),
        ("would a 4060 8gb be ok for ollama", "rtx-4060"),
        ("is a 4090 good for local llms?", "rtx-4090"),
    ],
)
def test_llm_verdict_leads_with_the_largest_model_that_runs(engine: Engine, question: str, gpu_id: str) -> None:
    answer = engine.ask(question)
    gpu = engine.catalog.gpus[gpu_id]
    assert answer.gpus == [gpu_id] and answer.title == f"Is the {gpu.short_name} good for LLMs?"
    found = _HEADLINE.match(answer.summary)
    assert found, answer.summary
    assert float(found[1]) == gpu.number("memory_gb")
    headline = next(m for m in engine.models.values() if m.name == found[2])
    room = usable_gb(engine.composer.context, gpu)
    est = variants(headline.shape, "inference", "q4_k_m", REVERSE_CONTEXT, 1)
    assert est.verdict(room) != "does not fit"  # the model named runs on the card ...
    bigger = [
        m
        for m in engine.models.values()
        if m.kind == "llm" and m.shape.active_params_b is None and m.params_b > headline.params_b
    ]
    for model in bigger:  # ... and no larger dense model of the catalog does
        assert variants(model.shape, "inference", "q4_k_m", REVERSE_CONTEXT, 1).verdict(room) == "does not fit"
    speed = card_speed(headline.shape, est, gpu)
    assert speed is not None and speed.text() in answer.summary
    for precision, label in (("q8_0", "Q8_0"), ("fp16", "FP16")):
        params = largest_params_b(room, precision)
        assert params is not None
        size = f"{params:.1f}" if params < 10 else f"{params:.0f}"
        assert any(b.startswith(f"{label}") and f"up to about {size}B" in b for b in answer.bullets), answer.bullets


def test_fine_tuning_verdict_gives_the_qlora_and_lora_sizes(engine: Engine) -> None:
    for question, gpu_id in (
        ("is a 3060 12gb good for fine tuning", "rtx-3060"),
        ("is the 4090 good for finetuning llms with lora", "rtx-4090"),
    ):
        answer = engine.ask(question)
        room = usable_gb(engine.composer.context, engine.catalog.gpus[gpu_id])
        qlora, lora = largest_params_b(room, "fp16", 1, "qlora"), largest_params_b(room, "fp16", 1, "lora")
        assert qlora is not None and lora is not None and lora < qlora
        assert f"up to about {qlora:.0f}B parameters with QLoRA" in answer.summary, answer.summary
        assert "with LoRA" in answer.summary


def test_a_card_current_toolkits_dropped_says_what_software_it_needs(engine: Engine) -> None:
    for question in ("is a p40 worth it for llms", "is a titan v good for llms"):
        notes = engine.ask(question).notes
        assert any(n.startswith("Software:") and "CUDA 13" in n for n in notes), notes
    for question in ("is a 4090 good for local llms?", "is the 3060 12gb any good for running llms locally"):
        assert not any(n.startswith("Software:") for n in engine.ask(question).notes)


def test_other_workloads_keep_the_ranking_lead(engine: Engine) -> None:
    """Rendering, image generation and training are not decided by the largest model that fits."""
    for question, label in (
        ("is the 4090 good for training?", "training"),
        ("is a 3090 good for blender rendering", "3D rendering"),
        ("is a 4070 good for stable diffusion", "image generation"),
    ):
        answer = engine.ask(question)
        assert answer.summary.startswith(f"For {label}, the "), answer.summary
        assert answer.title.startswith("Is the ") and answer.title.endswith(f"good for {label}?")


@pytest.mark.parametrize(
    ("question", "gpu_id"),
    [
        ("is an a4000 worth it for stable diffusion", "rtx-a4000"),
        ("is the a6000 worth the money for llms", "rtx-a6000"),
        ("a6000 worth it for local llms?", "rtx-a6000"),
        ("is the rtx a4000 worth buying for fine tuning", "rtx-a4000"),
    ],
)
def test_one_seed_card_with_a_workload_gets_its_verdict(engine: Engine, question: str, gpu_id: str) -> None:
    """The seed article's A4000/A6000 value FAQ compares the pair; asked about one of them for a workload, the answer
    is the verdict on that card, and names no other card in its title."""
    answer = engine.ask(question)
    assert answer.kind == "verdict" and answer.gpus == [gpu_id], (answer.kind, answer.gpus)
    assert answer.title.startswith(f"Is the {engine.catalog.gpus[gpu_id].short_name} good for "), answer.title


@pytest.mark.parametrize(
    ("question", "gpu_id"),
    [
        ("Training from scratch on RTX 3090 doable?", "rtx-3090"),
        ("is the a6000 good for training?", "rtx-a6000"),
        ("is a 4060 ok for deep learning training", "rtx-4060"),
        ("can a single 4090 be used for training?", "rtx-4090"),
    ],
)
def test_training_verdict_says_what_the_memory_trains(engine: Engine, question: str, gpu_id: str) -> None:
    """The ranking keeps the lead; a bullet gives the largest model trained in full and the LoRA/QLoRA reach, each
    the estimator's own figure for the card's usable memory."""
    answer = engine.ask(question)
    assert answer.gpus[0] == gpu_id and answer.summary.startswith("For training, the ")
    room = usable_gb(engine.composer.context, engine.catalog.gpus[gpu_id])
    full = largest_params_b(room, "fp16", 1, "full")
    qlora = largest_params_b(room, "fp16", 1, "qlora")
    assert full is not None and qlora is not None and full < qlora
    memory = next(b for b in answer.bullets if b.startswith("By memory:"))
    assert f"up to about {size_text(full)}B parameters" in memory and f"QLoRA up to about {size_text(qlora)}B" in memory


@pytest.mark.parametrize("room", [8.6, 12.9, 17.2, 25.8, 34.4, 51.5, 85.9])
@pytest.mark.parametrize(("precision", "mode"), [("fp16", "inference"), ("q4_k_m", "inference"), ("fp16", "qlora")])
def test_the_largest_size_is_the_largest_that_fits(room: float, precision: str, mode: str) -> None:
    """The need is not monotone across typical shapes (Llama 3.2 1B's 128k vocabulary can need more than Llama 2
    7B's 32k at 4,096 tokens of logits): the answer is the largest size that fits, whatever fits below it."""
    found = largest_params_b(room, precision, 1, mode)
    assert found is not None
    grid = [0.1 * 1.05**i for i in range(int(math.log(4000 / 0.1, 1.05)))]
    fitting = [
        p
        for p in grid
        if variants(typical_shape(p), mode, precision, REVERSE_CONTEXT, 1).verdict(room) != "does not fit"
    ]
    assert fitting and found >= max(fitting) * 0.999
    assert variants(typical_shape(found), mode, precision, REVERSE_CONTEXT, 1).verdict(room) != "does not fit"
