"""Why a card's memory is not all usable (specs/faq.yaml usable-memory): units, the driver's reservation, the CUDA
context, the desktop, PyTorch's caching allocator and ECC, asked in many ways; questions about how much memory a
card has or a model needs stay what they are."""

from __future__ import annotations

import pytest

from bot.engine import Engine


@pytest.mark.parametrize(
    ("question", "gpus"),
    [
        ("nvidia-smi shows 24GB on my 3090 but i can only use 22?? why", ["rtx-3090"]),
        ("why does my 4090 only have 23.5gb usable", ["rtx-4090"]),
        ("my 3090 only shows 23.7 GiB total capacity in pytorch, where did the rest go?", ["rtx-3090"]),
        ("nvidia-smi shows 2gb used on my 4090 with nothing running", ["rtx-4090"]),
        ("why is my vram usage at 1gb when idle", []),
        ("why can't I use all my vram?", []),
        ("why does nvidia-smi only show 22gb of vram on my card?", []),
        ("my a6000 only reports 47.5 GiB, why not 48?", ["rtx-a6000"]),
        ("where did my missing vram go on the 4080?", ["rtx-4080"]),
    ],
)
def test_why_memory_is_not_all_usable(engine: Engine, question: str, gpus: list[str]) -> None:
    q = engine.parser.parse(question)
    assert q.kind == "faq" and q.faq is not None and q.faq.id == "usable-memory", (q.kind, q.rule)
    assert q.gpus == gpus
    answer = engine.answer(q)
    assert "CUDA" in answer.summary and "GiB" in answer.summary
    if gpus:
        assert engine.catalog.gpus[gpus[0]].short_name in answer.title


@pytest.mark.parametrize(
    "question",
    [
        "how much vram does the 4090 have",
        "what is the total capacity of the a6000",
        "is 24gb enough for llama 3 70b",
        "how much memory does llama 3 8b use",
        "why does vram matter for llms",
        "a6000 vram",
    ],
)
def test_other_memory_questions_keep_their_answer(engine: Engine, question: str) -> None:
    q = engine.parser.parse(question)
    assert q.faq is None or q.faq.id != "usable-memory", q.rule
