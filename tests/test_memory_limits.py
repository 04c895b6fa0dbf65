"""A memory size asked for ("the cheapest way to get 96gb vram") is a floor on the cards considered; a size that is
part of a card's name ("v100 pcie 16gb vram") stays the name's."""

from __future__ import annotations

import pytest

from bot.engine import Engine


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_specs()


@pytest.mark.parametrize(
    ("question", "floor"),
    [
        ("whats the cheapest way to get 96gb vram", 96),
        ("cheapest way to get 48gb of vram", 48),
        ("cheapest card with 32gb vram", 32),
        ("best gpu for llms with 24gb vram under 1500", 24),
        ("i need 16gb of vram for stable diffusion, cheapest option?", 16),
    ],
)
def test_a_size_asked_for_is_a_floor(engine: Engine, question: str, floor: int) -> None:
    query = engine.parser.parse(question)
    assert query.limits.get("memory_gb", {}).get("min") == floor, query.limits
    answer = engine.answer(query)
    shown = [engine.catalog.gpus[g] for g in answer.gpus[:3]] or [engine.catalog.gpus[str(answer.recommendation)]]
    assert all((g.number("memory_gb") or 0) >= floor for g in shown), [g.id for g in shown]


@pytest.mark.parametrize(
    ("question", "gpu"), [("v100 pcie 16gb vram", "v100-pcie-16gb"), ("w7900 48gb vram", "radeon-pro-w7900")]
)
def test_a_size_in_a_name_stays_the_name(engine: Engine, question: str, gpu: str) -> None:
    assert engine.ask(question).gpus == [gpu]
