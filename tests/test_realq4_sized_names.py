"""A card named with a memory size it does not come in: "rtx 3080 16gb vram" was answered for the 10 GB desktop RTX
3080 (no desktop 3080 has 16 GB; the 3080 Laptop GPU 16GB does), "rtx 4060 16gb" for the 8 GB RTX 4060. The size right
after a resolved name is weighed (bot/variants_sized.py): the card sharing its model number that has that size, adding
the fewest variant words left unsaid, is meant; a size no such card has leaves the name as read."""

from __future__ import annotations

import pytest

from bot.engine import Engine

# (question, the card meant, its memory)
SIZED = [
    # the open item: "Will it run on 3080 GTX 16GB VRAM?" (https://github.com/p-e-w/heretic/issues/227 thread),
    # written with the full name
    ("rtx 3080 16gb vram, can I run llama 3 8b on it?", "rtx-3080-laptop-16gb", 16),
    # https://github.com/deepbeepmeep/Wan2GP/issues/2102 ("Nvidia GTX Geforce 4060 16Gb"), written plainly
    ("my rtx 4060 16gb is slow in comfyui, can it run flux?", "rtx-4060-ti-16gb", 16),
    # own phrasings
    ("rtx 3060 6gb laptop, can it run sdxl?", "rtx-3060-laptop", 6),
    ("is the rtx 3080 16gb good enough for qwen2.5 14b?", "rtx-3080-laptop-16gb", 16),
]


@pytest.mark.parametrize(("question", "card", "memory"), SIZED)
def test_the_size_said_picks_the_variant(engine: Engine, question: str, card: str, memory: int) -> None:
    q = engine.parser.parse(question)
    assert q.gpus == [card], (q.rule, q.gpus)
    assert engine.catalog.gpus[card].number("memory_gb") == memory
    answer = engine.ask(question)
    assert answer.gpus == [card] and answer.intent == "fits", (answer.intent, answer.gpus)


@pytest.mark.parametrize(
    ("question", "card"),
    [
        ("rtx 3080 12gb", "rtx-3080-12gb"),  # a size the named variant has
        ("rtx 3090 24gb for llama 3 8b?", "rtx-3090"),
        ("rtx 4090 48gb, can it run llama 3 70b?", "rtx-4090"),  # no 4090 comes with 48 GB: the name as read
        ("rtx 2080 with 12gb of memory", "rtx-2080"),
    ],
)
def test_a_size_no_sibling_has_keeps_the_name(engine: Engine, question: str, card: str) -> None:
    assert engine.parser.parse(question).gpus == [card]
