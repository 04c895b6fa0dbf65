"""A memory size asked for ("the cheapest way to get 96gb vram") is a floor on the cards considered; a size that is
part of a card's name ("v100 pcie 16gb vram") stays the name's."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.text import normalize


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


@pytest.mark.parametrize(
    ("text", "norm"),
    [
        ("run this on 10-12 gigabyte GPUs?", "run this on 10 to 12gb gpus"),
        ("8-12gb cards", "8 to 12gb cards"),
        ("16 - 24 GB vram", "16 to 24gb vram"),
        ("rtx 3060-12gb", "rtx 3060 12gb"),  # a name and its size, not a range
        ("a100-80gb", "a100 80gb"),
        ("$1800-2200", "$1800 to 2200"),
    ],
)
def test_a_range_of_sizes_is_a_range(text: str, norm: str) -> None:
    assert normalize(text) == norm


def test_a_range_of_sizes_is_no_count_of_cards(engine: Engine) -> None:
    query = engine.parser.parse("Will it be possible to run this text2video on 10-12 gigabyte GPUs?")
    assert query.fit is None or query.fit.gpus_count == 1


@pytest.mark.parametrize(
    ("question", "gpu"),
    [
        ("vram on a 4060ti 16", "rtx-4060-ti-16gb"),
        ("4060 ti 8 bandwidth", "rtx-4060-ti-8gb"),
        ("a100 80 specs", None),  # two 80 GB variants (PCIe and SXM4): still a question of form, not size
    ],
)
def test_a_bare_size_after_a_name_picks_the_variant(engine: Engine, question: str, gpu: str | None) -> None:
    mention = engine.parser.read(question).match.mentions[0]
    if gpu is None:
        assert all(engine.catalog.gpus[g].number("memory_gb") == 80 for g in mention.candidates)
    else:
        assert mention.gpu == gpu, mention
