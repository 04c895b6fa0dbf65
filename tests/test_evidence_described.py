"""Evidence read from how people describe things rather than ask: a card's memory stated beside it ("4070 Ti Super
(VRAM 16GB)") describes the card and is no field to rank by; a vendor asked whether it makes something ("does amd
have ...") limits the pick to that vendor."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.evidence_sizes import stated_fields
from bot.evidence_vendor import vendor_asked


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_specs()


@pytest.mark.parametrize(
    "norm",
    [
        "i have rtx 3060 laptop with 6gb vram",
        "its 16 gb of memory",
        "4070 ti super vram 16gb ok too",
        "a card with 24g vram",
    ],
)
def test_memory_stated_beside_a_card(norm: str) -> None:
    assert "memory_gb" in stated_fields({}, norm)


@pytest.mark.parametrize("norm", ["how much vram does it have", "which has the most vram", "vram of the 4090"])
def test_memory_asked_is_not_stated(norm: str) -> None:
    assert "memory_gb" not in stated_fields({}, norm)


def test_a_stated_memory_is_no_ranking(engine: Engine) -> None:
    q = engine.parser.parse(
        "I'm setting up whole new computer for Gaussian Splatting, it seems 4090 would be best solution, "
        "but is it 4070 Ti Super (VRAM 16GB) ok too?"  # as asked in a realq sample thread
    )
    assert q.kind == "verdict" and set(q.gpus) == {"rtx-4090", "rtx-4070-ti-super"}
    assert engine.parser.parse("which has the most vram, 4090 or a6000?").fields == ["memory_gb"]


@pytest.mark.parametrize(
    ("norm", "vendor"),
    [
        ("do they amd have any decent gpu like with gddr7 and at least 32gb vram", "AMD"),
        ("does amd make a card with 48gb", "AMD"),
        ("does nvidia have a single slot card with 24gb", "NVIDIA"),
        ("does intel sell anything with 24gb", "Intel"),
    ],
)
def test_a_vendor_asked_whether_it_makes_one(norm: str, vendor: str) -> None:
    assert vendor_asked(norm) == vendor


@pytest.mark.parametrize("norm", ["nvidia makes the best cards 4090 or 7900 xtx", "amd has better drivers imo"])
def test_a_vendor_praised_is_no_limit(norm: str) -> None:
    assert vendor_asked(norm) is None


@pytest.mark.parametrize(
    "question",
    ["Do they [AMD] have any decent GPU (like with GDDR7 and at least 32GB VRAM)?", "does amd make a card with 48gb?"],
)
def test_the_pick_keeps_to_the_vendor(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert answer.recommendation and engine.catalog.gpus[answer.recommendation].vendor == "AMD"
