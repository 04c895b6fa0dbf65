"""A card named as the budget or the bar of a pick (bot/rules_bar.py): "something cheaper than the 4090", "anything
better than a 3060 under $500", "a card as fast as a 3090 but with less power" — a pick past that card, never a
verdict on it or its spec card. Phrasings of our own."""

from __future__ import annotations

import pytest

from bot.catalog import Catalog
from bot.engine import Engine

# (question, the card named, the work asked about or None)
CHEAPER = [
    ("something cheaper than the RTX 4090 for llms", "rtx-4090", "llm"),
    ("anything cheaper than a 3090 for stable diffusion?", "rtx-3090", "image_generation"),
    ("is there a card less expensive than the a6000 for training", "rtx-a6000", "training"),
    ("recommend a gpu that costs less than a 5090", "rtx-5090", None),
    ("which gpu is cheaper than the 4080 super but still good for llms", "rtx-4080-super", "llm"),
    ("any alternatives cheaper than an rtx 6000 ada?", "rtx-6000-ada", None),
    ("what's cheaper than a 4090 and runs stable diffusion well", "rtx-4090", "image_generation"),
    ("I want something cheaper than the 4070 ti for fine tuning", "rtx-4070-ti", "fine_tuning"),
    ("options that cost less than a 5080 for gaming and ai?", "rtx-5080", None),
    ("suggest a card cheaper than the 7900 xtx", "rx-7900-xtx", None),
]


@pytest.mark.parametrize(("question", "card", "work"), CHEAPER)
def test_cheaper_than_a_card_is_a_pick_under_its_price(
    engine: Engine, catalog: Catalog, question: str, card: str, work: str | None
) -> None:
    q = engine.parser.parse(question)
    price = catalog.gpus[card].number("launch_price_usd")
    assert q.kind == "pick", q.rule
    assert q.gpus == []
    assert price is not None and q.budget_usd is not None and q.budget_usd < price
    if work is not None:
        assert q.workload == work
    answer = engine.ask(question)
    assert answer.recommendation not in (None, card)
    picked = catalog.gpus[answer.recommendation or ""].number("launch_price_usd")
    assert picked is not None and picked < price


BETTER = [
    ("anything better than a 3060 under $500", "rtx-3060", 500.0),
    ("is there anything faster than a 4090 for training?", "rtx-4090", None),
    ("any gpu that beats a 3090 for stable diffusion", "rtx-3090", None),
    ("which card is more powerful than a 2080 ti for llms", "rtx-2080-ti", None),
    ("something better than the 3070 for under 700 dollars", "rtx-3070", 700.0),
    ("looking for a gpu faster than my 1080 ti", "gtx-1080-ti", None),
    ("what is better than an a4000 for rendering", "rtx-a4000", None),
    ("recommend a card as fast as a 3090", "rtx-3090", None),
    ("need something stronger than a 4060 ti for comfyui", "rtx-4060-ti", None),
    ("any options that outperform the 4070 super?", "rtx-4070-super", None),
]


@pytest.mark.parametrize(("question", "card", "budget"), BETTER)
def test_better_than_a_card_is_a_pick_that_beats_it(
    engine: Engine, question: str, card: str, budget: float | None
) -> None:
    q = engine.parser.parse(question)
    assert q.kind == "pick", q.rule
    assert q.upgrade_from is not None and q.upgrade_from.startswith(card)
    assert q.budget_usd == budget
    answer = engine.ask(question)
    assert answer.recommendation != q.upgrade_from
    if answer.recommendation is not None:  # the pick's first bullet sets it against the card named
        assert answer.bullets[0].startswith(("Against the", "Against your"))
    else:
        assert "beats" in answer.summary


def test_the_bar_is_not_called_the_askers_card(engine: Engine) -> None:
    mine = engine.ask("anything faster than my 3080 for llms?")
    theirs = engine.ask("anything faster than a 3080 for llms?")
    assert mine.bullets[0].startswith("Against your")
    assert theirs.bullets[0].startswith("Against the") and theirs.title.startswith("Better than")


PROPERTIES = [
    ("a card as fast as a 3090 but with less power", "rtx-3090", "tdp_w", "max"),
    ("what has more vram than a 4080?", "rtx-4080", "memory_gb", "min"),
    ("recommend something that draws less power than an a6000", "rtx-a6000", "tdp_w", "max"),
    ("any gpu with more memory than the 3080 for llms", "rtx-3080", "memory_gb", "min"),
    ("which gpus have more bandwidth than a 4070 ti", "rtx-4070-ti", "memory_bandwidth_gbs", "min"),
]


@pytest.mark.parametrize(("question", "card", "field", "bound"), PROPERTIES)
def test_a_property_past_the_card_is_a_limit(
    engine: Engine, catalog: Catalog, question: str, card: str, field: str, bound: str
) -> None:
    q = engine.parser.parse(question)
    assert q.kind in ("pick", "list"), q.rule
    value = catalog.gpus[card].number(field)
    assert value is not None
    limit = q.limits[field][bound]
    assert limit > value if bound == "min" else limit < value


NOT_A_BAR = [
    ("is the 4090 faster than the 3090?", "compare"),
    ("is the 4090 better than I expected for llms", "verdict"),
    ("my 3090 is slower than I expected", "faq"),
    ("4090 specs", "lookup"),
    ("is the 3090 cheaper than it was last year?", None),
    ("is a 4090 good for llms", "verdict"),
]


@pytest.mark.parametrize(("question", "kind"), NOT_A_BAR)
def test_a_card_as_the_subject_is_no_bar(engine: Engine, question: str, kind: str | None) -> None:
    q = engine.parser.parse(question)
    assert q.rule != "card as a bar"
    if kind is not None:
        assert q.kind == kind


TWO_BARS = [
    ("need a gpu with more vram than the 4070 ti but cheaper than a 4090", "rtx-4070-ti", "rtx-4090"),
    ("anything with more memory than a 4080 and cheaper than the 5090?", "rtx-4080", "rtx-5090"),
    ("which card has more vram than a 4070 and costs less than a 4090", "rtx-4070", "rtx-4090"),
]


@pytest.mark.parametrize(("question", "memory_bar", "price_bar"), TWO_BARS)
def test_two_bars_each_set_their_own_limit(
    engine: Engine, catalog: Catalog, question: str, memory_bar: str, price_bar: str
) -> None:
    q = engine.parser.parse(question)
    assert q.kind == "pick", q.rule
    memory = catalog.gpus[memory_bar].number("memory_gb")
    price = catalog.gpus[price_bar].number("launch_price_usd")
    assert memory is not None and price is not None
    assert q.limits["memory_gb"]["min"] > memory
    assert q.budget_usd is not None and q.budget_usd < price
