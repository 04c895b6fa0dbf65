"""A bare memory size asked about ("Any 24G GPU?", "recommend a 16gb card"), what a card runs with the card as the
subject ("what can a 4090 run?"), and a budget said as money to spend ("I have 5k to spend on a gpu"). Phrasings of
our own (bot/rules_sized.py, bot/dimensions.py)."""

from __future__ import annotations

import pytest

from bot.catalog import Catalog
from bot.engine import Engine

EXACT = [
    ("Any 24G GPU?", 24.0),
    ("recommend a 16gb card", 16.0),
    ("looking for a 12gb gpu for stable diffusion", 12.0),
    ("any good 8gb cards for llms?", 8.0),
    ("which 20gb gpu should i get", 20.0),
    ("suggest a 32gb card for training", 32.0),
    ("best 24gb gpu for comfyui?", 24.0),
    ("need a 48gb card, any ideas?", 48.0),
    ("I want a 16 gb card for ai", 16.0),
    ("any 12 gig gpu worth buying?", 12.0),
]


@pytest.mark.parametrize(("question", "size"), EXACT)
def test_a_sized_card_is_a_pick_with_that_memory(engine: Engine, catalog: Catalog, question: str, size: float) -> None:
    q = engine.parser.parse(question)
    assert q.kind == "pick", q.rule
    assert q.limits["memory_gb"] == {"min": size, "max": size}
    answer = engine.ask(question)
    assert answer.recommendation is not None
    assert catalog.gpus[answer.recommendation].number("memory_gb") == size


AT_LEAST = [
    ("any gpu with at least 48gb for training?", 48.0),
    ("recommend a 16gb+ card", 16.0),
    ("any 24gb or more card for llms", 24.0),
]


@pytest.mark.parametrize(("question", "size"), AT_LEAST)
def test_a_bounded_size_is_a_floor(engine: Engine, question: str, size: float) -> None:
    q = engine.parser.parse(question)
    assert q.kind == "pick", q.rule
    assert q.limits["memory_gb"].get("min") == size
    assert "max" not in q.limits["memory_gb"]


RUNS = [
    ("what can a 4090 run?", "rtx-4090", 1),
    ("what could my 3090 handle?", "rtx-3090", 1),
    ("what can two 3090s run?", "rtx-3090", 2),
    ("what models can an a6000 run", "rtx-a6000", 1),
    ("what can a single 5090 load", "rtx-5090", 1),
    ("whats a 7900 xtx able to run", None, 1),  # not this shape: no harm asked
    ("what would a 3080 ti run", "rtx-3080-ti", 1),
    ("what can the rtx 4070 super fit", "rtx-4070-super", 1),
    ("what can an L40S serve", "l40s", 1),
    ("what can my 4060 ti 16gb run?", "rtx-4060-ti-16gb", 1),
]


@pytest.mark.parametrize(("question", "card", "count"), RUNS)
def test_what_a_card_runs_is_a_reverse_fit(engine: Engine, question: str, card: str | None, count: int) -> None:
    if card is None:
        return
    q = engine.parser.parse(question)
    assert q.kind == "fit", q.rule
    assert q.gpus == [card]
    assert q.fit is not None and q.fit.model_id is None and q.fit.gpus_count == count
    assert engine.ask(question).intent == "fits"


BUDGETS = [
    ("I have 5k to spend on a gpu", 5000.0),
    ("willing to spend 2000 on a gpu for llms", 2000.0),
    ("spending around 800 on a card for stable diffusion", 800.0),
    ("I have 1500 to spend, which gpu for training?", 1500.0),
    ("can spend up to 3k on a card for fine tuning", 3000.0),
    ("my budget is around 800 bucks", 800.0),
    ("i could spend maybe 1200 on a new gpu", 1200.0),
    ("got 2.5k to spend on a gpu for ai", 2500.0),
    ("want to spend about 600 dollars on a graphics card", 600.0),
    ("i'd spend 1000 max on a gpu", 1000.0),
]


@pytest.mark.parametrize(("question", "budget"), BUDGETS)
def test_money_to_spend_is_a_budget(engine: Engine, question: str, budget: float) -> None:
    q = engine.parser.parse(question)
    assert q.kind == "pick", q.rule
    assert q.budget_usd == budget


@pytest.mark.parametrize(
    "question", ["i spend 100 hours a week training models on my 3090", "how much time do people spend on a 4090 build"]
)
def test_time_spent_is_no_budget(engine: Engine, question: str) -> None:
    assert engine.parser.parse(question).budget_usd is None
