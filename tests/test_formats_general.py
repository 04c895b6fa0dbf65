"""A tensor format asked of no card ("which gpus support bf16?") is answered per vendor with the architectures whose
tensor units compute it (specs/architectures.yaml); asked of a card, it stays that card's answer."""

from __future__ import annotations

import pytest

from bot.engine import Engine


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_specs()


@pytest.mark.parametrize(
    ("question", "fmt"),
    [
        ("which gpus support bf16", "bf16"),
        ("how do i know if my gpu supports bf16", "bf16"),
        ("what cards can do fp4?", "fp4"),
        ("which gpus support fp8", "fp8"),
    ],
)
def test_the_architectures_that_compute_it(engine: Engine, question: str, fmt: str) -> None:
    answer = engine.ask(question)
    assert answer.title == f"Which GPUs support {fmt.upper()}?", answer.title
    line = next(b for b in answer.bullets if b.startswith(f"{fmt.upper()} on tensor or matrix units"))
    for name, arch in engine.catalog.architectures.items():
        said = f"{name} (e.g." in line or f": {name}," in line or f", {name}," in line
        assert said == (fmt in arch.get("tensor_formats", ())), (name, line)


@pytest.mark.parametrize(
    "question",
    [
        "does the 5090 support fp4",  # one card: its own answer
        "best gpu with fp8 for training under 3000",  # a pick with a requirement
        "fp16 vs bf16",  # the glossary
    ],
)
def test_not_the_general_answer(engine: Engine, question: str) -> None:
    assert not engine.ask(question).title.startswith("Which GPUs support")
