"""A power limit said after its figure ("300w max", "250 watts or less") bounds the board power as "under 300w"
does: the pick it used to ignore it for was a 600 W card."""

from __future__ import annotations

import pytest

from bot.engine import Engine


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_specs()


@pytest.mark.parametrize(
    ("question", "watts"),
    [
        ("gpu for ai, 300w max", 300),
        ("which gpu for a home lab, 300w max power", 300),
        ("best card for llms 250 watts or less", 250),
        ("best gpu for training, max 300w", 300),
        ("inference card under 200w", 200),
    ],
)
def test_a_power_limit_bounds_the_pick(engine: Engine, question: str, watts: int) -> None:
    query = engine.parser.parse(question)
    assert query.limits.get("tdp_w", {}).get("max") == watts, (question, query.limits)
    answer = engine.answer(query)
    picked = answer.recommendation or (answer.gpus[0] if answer.gpus else None)
    assert picked is not None and (engine.catalog.gpus[picked].number("tdp_w") or 0) <= watts, (question, picked)
