"""Memory sizes written without their unit beside the memory they size: "Does this work for 12 VRAM?" was read as
nothing ("I couldn't tell which GPU"), "A GPU VRAM is 6" likewise, and "How much VRAM need for this ComfyUI workflow?
24 is not enogh?" named no size. A number a card's memory comes in (bot/evidence_said.py MEMORY_SIZES) right before
"vram", right after "vram is", or judged enough in a question about memory, is read as that many GB; a GPU's own number
("gaudi 2 vram") stays its name."""

from __future__ import annotations

import pytest

from bot.engine import Engine

# (question, memory, model or None)
BARE = [
    # https://github.com/AlbertSuarez/dreambooth-stable-diffusion/issues/1
    ("Does this work for 12 VRAM?", 12, None),
    # https://github.com/ajbrock/BigGAN-PyTorch/issues/31
    ("A GPU VRAM is 6. Can it be trained? When I set batch_size to 8, it still remains CUDA out of memory.", 6, None),
    # https://github.com/raindrop313/ComfyUI-WanVideoStartEndFrames/issues/14
    ("How much VRAM need for this ComfyUI workflow? 24 is not enogh?", 24, None),
    # own phrasings
    ("is 16 enough vram for sdxl?", 16, "sdxl-1.0"),
    ("my vram is 8, can I run llama 3 8b?", 8, "llama-3-8b"),
    ("I only have 12 vram, will flux run?", 12, "flux.1-dev"),
]


@pytest.mark.parametrize(("question", "memory", "model"), BARE)
def test_a_bare_number_beside_vram_is_a_memory_size(
    engine: Engine, question: str, memory: int, model: str | None
) -> None:
    q = engine.parser.parse(question)
    assert q.kind == "fit", q.rule
    assert q.fit is not None and q.fit.capacity_gb == memory
    assert q.fit.model_id == model
    answer = engine.ask(question)
    assert answer.intent == "fits" and answer.gpus == []
    assert f"{memory} GB" in answer.summary, answer.summary


@pytest.mark.parametrize(
    ("question", "gpu"),
    [("gaudi 2 vram", "gaudi-2"), ("mi 50 vram", None), ("rtx 3090 vram", "rtx-3090")],
)
def test_a_cards_number_stays_its_name(engine: Engine, question: str, gpu: str | None) -> None:
    q = engine.parser.parse(question)
    assert q.fit is None or q.fit.capacity_gb is None, q.rule
    if gpu is not None:
        assert gpu in q.gpus


@pytest.mark.parametrize(
    "question",
    ["the vram is 5 times faster", "llama 2 70b needs 2 gpus with vram", "is 7 enough vram for 3 gpus"],
)
def test_numbers_that_are_no_memory_size(engine: Engine, question: str) -> None:
    q = engine.parser.parse(question)
    assert q.fit is None or q.fit.capacity_gb not in (5, 7), q.rule
