"""An upgrade from the asker's own card is a pick among the cards that beat it, with it as the baseline — not a
verdict on the old card, and never the old card itself."""

from __future__ import annotations

import pytest

from bot.engine import Engine


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_specs()


@pytest.mark.parametrize(
    ("question", "owned"),
    [
        ("what's a good upgrade from my 1080 ti for ai", "gtx-1080-ti"),
        ("upgrading from a 2070 super, best card for llms under 1000", "rtx-2070-super"),
        ("i have a 3060 12gb, what should i upgrade to for stable diffusion under $600", "rtx-3060"),
        ("looking to upgrade my rtx 3070 for local llms, budget around $800", "rtx-3070"),
        ("best upgrade path from a 2080 ti for blender under 1500?", "rtx-2080-ti"),
        ("I'm on a gtx 1660 super right now, which card should I upgrade to for ML? max 700 usd", "gtx-1660-super"),
        ("need to replace my rx 6700 xt, what's the best upgrade for stable diffusion", "rx-6700-xt"),
    ],
)
def test_an_upgrade_picks_a_card_that_beats_the_old_one(engine: Engine, question: str, owned: str) -> None:
    query = engine.parser.parse(question)
    assert query.kind == "pick" and query.upgrade_from == owned, (query.kind, query.upgrade_from, query.gpus)
    answer = engine.answer(query)
    old = engine.catalog.gpus[owned]
    assert answer.title.startswith(f"An upgrade from the {old.short_name}")
    assert answer.recommendation not in (None, owned)
    assert answer.bullets[0].startswith(f"Against your {old.short_name}: ")
    picked = engine.catalog.gpus[str(answer.recommendation)]
    if query.workload in ("llm", "fine_tuning"):  # memory-first work: never less memory than the old card
        assert (picked.number("memory_gb") or 0) >= (old.number("memory_gb") or 0)
    if query.budget_usd is not None:
        price = engine.composer.context.prices.usd(picked)
        assert price is not None and price <= query.budget_usd


def test_nothing_beats_the_old_card_within_the_budget(engine: Engine) -> None:
    answer = engine.ask("upgrade from my 4090 for llms under 500")
    assert answer.summary.startswith("No card under $500 beats your GeForce RTX 4090")
    assert answer.recommendation is None and not answer.answered
    assert any(b.startswith("The cheapest card that does is the ") for b in answer.bullets)


@pytest.mark.parametrize(
    "question",
    [
        "is it worth upgrading from a 3090 to a 4090 for llms",  # two cards: a comparison
        "I upgraded from a 1080 Ti to a 4090, can it run llama 3 70b?",  # a fit on the new card
        "upgrade from my 3060 to run llama 3 70b, what do i need",  # a model: the card that holds it
        "should i upgrade my psu for a 4090",  # the upgrade is not of the card named
        "is the 4090 a good upgrade",  # the card named is the candidate, not the asker's
    ],
)
def test_not_an_upgrade_from_the_card_named(engine: Engine, question: str) -> None:
    assert engine.parser.parse(question).upgrade_from is None, question
