"""A supply the question names ("is an 850w psu enough for a 4090?") is judged against the power-supply estimate:
the load without headroom and the range with it."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.handlers.hardware import HEADROOM, REST_OF_SYSTEM_W


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_specs()


@pytest.mark.parametrize(
    ("question", "watts", "gpu", "count"),
    [
        ("is an 850w psu enough for a 4090", 850, "rtx-4090", 1),
        ("will my 750w power supply handle a 3090?", 750, "rtx-3090", 1),
        ("is 1000w psu enough for 2x 3090", 1000, "rtx-3090", 2),
        ("550w psu enough for a 4060?", 550, "rtx-4060", 1),
        ("is a 650 watt psu enough for a 5090", 650, "rtx-5090", 1),
        ("would a 1200w power supply be enough for two 4090s", 1200, "rtx-4090", 2),
    ],
)
def test_the_supply_named_is_judged(engine: Engine, question: str, watts: int, gpu: str, count: int) -> None:
    query = engine.parser.parse(question)
    assert query.kind == "psu" and query.psu_watts == watts, (query.kind, query.psu_watts)
    answer = engine.answer(query)
    tdp = engine.catalog.gpus[gpu].number("tdp_w") or 0
    load = tdp * count + REST_OF_SYSTEM_W[0]
    need_low, need_high = load * HEADROOM, (tdp * count + REST_OF_SYSTEM_W[1]) * HEADROOM
    expected = (
        "Yes" if watts >= need_high else "Probably" if watts >= need_low else "Only just" if watts >= load else "No"
    )
    assert answer.summary.startswith(f"{expected}: {watts:,} W"), answer.summary
    assert answer.title.startswith("Is a") and f"{watts:,} W power supply enough for" in answer.title


def test_the_askers_own_supply_is_context(engine: Engine) -> None:
    """A supply the asker has, in a question that asks something else, stays context (as before)."""
    query = engine.parser.parse("i have a 1600w psu, what gpu for llms under 2000")
    assert query.kind != "psu"
