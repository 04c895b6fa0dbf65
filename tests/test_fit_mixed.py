"""Different cards named together hold a model as one rig: the estimate for that many cards against the memory they
offer together (llama.cpp's layer split), or each card's equal share of the smallest (tensor parallel)."""

from __future__ import annotations

import re

import pytest

from bot.engine import Engine
from bot.handlers.fit_memory import budget_for, capacity_of, usable_gb
from bot.handlers.fit_mixed import mixed_answer
from bot.handlers.fit_plan import fit_plan

_TOGETHER = re.compile(r"needs about ([\d,.]+) GB of the ([\d,.]+) GB they offer together")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_specs()


@pytest.mark.parametrize(
    ("question", "cards"),
    [
        ("can i run llama 3 70b on a 3090 + 3060 12gb", ["rtx-3090", "rtx-3060"]),
        ("can i combine a 3090 and a 4090 for llama 70b", ["rtx-3090", "rtx-4090"]),
        ("llama 3.3 70b q4 on my 4090 together with a 3090?", ["rtx-4090", "rtx-3090"]),
        ("can i run qwen2.5 72b on 2x 3090 + a 3060 12gb", ["rtx-3090", "rtx-3090", "rtx-3060"]),
        ("mixtral on a 4060 ti 16gb plus a 3060 12gb", ["rtx-4060-ti-16gb", "rtx-3060"]),
    ],
)
def test_the_rig_holds_what_its_cards_hold_together(engine: Engine, question: str, cards: list[str]) -> None:
    query = engine.parser.parse(question)
    assert query.fit is not None and query.fit.combined, question
    answer = engine.answer(query)
    assert sorted(answer.gpus) == sorted(cards) and answer.fit is not None
    found = _TOGETHER.search(answer.summary)
    assert found, answer.summary
    need, have = (float(x.replace(",", "")) for x in found.groups())
    ctx = engine.composer.context
    plan = fit_plan(query.fit, engine.models[answer.fit["model"]].shape, answer.fit["model"], len(cards))
    rooms = [capacity_of(ctx, engine.catalog.gpus[g], plan.budget, len(cards)) for g in cards]
    assert have == pytest.approx(sum(rooms), abs=0.06)  # llama.cpp: the cards' memory adds up
    assert answer.fit["gpus_count"] == len(cards)
    assert (answer.fit["fits"] is True) == (need <= have * 1.1)


def test_options_are_not_a_rig(engine: Engine) -> None:
    for question in (
        "llama 3 70b on a 3090 or a 4090?",
        "can i run llama 3 70b on a 3090 vs a 4090",
        "24 GB VRAM won't be enough for FLUX on a 3090/4090",  # either card
        "can i fully fine tune llama 3 8b on a 3090 + a 4090",  # training: each card keeps its own copy
    ):
        query = engine.parser.parse(question)
        assert query.fit is None or not query.fit.combined, question


def test_tensor_parallel_shares_are_set_by_the_smallest_card(engine: Engine) -> None:
    query = engine.parser.parse("can i run qwen2.5 32b with vllm on a 4090 + a 3060 12gb")
    assert query.fit is not None and query.fit.combined
    answer = engine.answer(query)
    assert any("sets each card's share" in b for b in answer.bullets), answer.bullets
    ctx = engine.composer.context
    small = capacity_of(ctx, engine.catalog.gpus["rtx-3060"], budget_for(ctx, "vllm", "inference", "llm"), 2)
    found = _TOGETHER.search(answer.summary)
    assert found and float(found[2].replace(",", "")) == pytest.approx(2 * small, abs=0.06)


def test_mixed_answer_is_usable_directly(engine: Engine) -> None:
    """The handler's function, called as a front end would: every card named in the answer's GPUs."""
    ctx = engine.composer.context
    query = engine.parser.parse("can i run llama 3 8b on a 3090 + 3060 12gb")
    assert query.fit is not None
    model = engine.models[str(query.fit.model_id)]
    cards = [engine.catalog.gpus[g] for g in ("rtx-3090", "rtx-3060")]
    answer = mixed_answer(ctx, fit_plan(query.fit, model.shape, model.id, 2), cards, question=query.text, llm=True)
    assert answer.gpus == ["rtx-3090", "rtx-3060"] and answer.summary.startswith("Yes")


def test_what_a_rig_runs(engine: Engine) -> None:
    """ "a 3090 and a 3060 together, what can i run": the reverse fit for the rig's memory together."""
    ctx = engine.composer.context
    answer = engine.ask("3090 and 3060 12gb together, what can i run")
    usable = sum(usable_gb(ctx, engine.catalog.gpus[g]) for g in ("rtx-3090", "rtx-3060"))
    assert answer.answered and "together (36 GB" in answer.summary, answer.summary
    assert f"{usable:,.1f} GB usable" in answer.summary
    assert any(b.startswith("Q4_K_M") for b in answer.bullets)


@pytest.mark.parametrize(
    "question",
    [
        "can 2 different gpus (3090 + 3060 12gb) be used together in ollama",
        "can i use a 4090 and a 3090 together for llms",
        "is it possible to combine my 3090 with a 4060 ti 16gb in one pc for local ai?",
    ],
)
def test_cards_asked_about_together_are_one_rig(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert answer.intent == "fits" and " together (" in answer.summary, (answer.title, answer.summary[:160])


@pytest.mark.parametrize(
    "question",
    [
        "which GPU? I have Colab+ and available to me are v100, t4, tpu. which should I use?",  # "Colab+": no join
        "3090 or 4090 together with my 3060?",  # a choice between cards
        "can 2 different gpus (3090 + 3060) be used together in ollama",  # "3060": which one? not both variants
    ],
)
def test_not_a_rig(engine: Engine, question: str) -> None:
    assert " together (" not in engine.ask(question).summary
