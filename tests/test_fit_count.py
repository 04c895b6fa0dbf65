"""How many cards a model needs: the answer leads with the fewest cards of the kind named that hold it, found with
the estimator at every count, and goes on as the fit answer for that many."""

from __future__ import annotations

import dataclasses
import re

import pytest

from bot.engine import Engine
from bot.handlers.fit_count import MAX_CARDS
from bot.handlers.fit_memory import capacity_of
from bot.handlers.fit_plan import fit_plan

_COUNT = re.compile(r"^You need (?:one |(\d+)× )")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_specs()


@pytest.mark.parametrize(
    "question",
    [
        "how many 4090s do i need for llama 405b",
        "how many 3090s to run llama 3 70b",
        "How many RTX 3090 would I need to run Llama 3.3 70B?",
        "how many 4090 for qwen2.5 7b",
        "number of 4090s needed for llama 3.1 405b in q4",
        "how many rtx a6000 cards for llama 3.1 405b fp8",
        "how many 4060 ti 16gb gpus do i need for qwen2.5 72b",
        "how many l40s to fine tune llama 3 70b with qlora",
    ],
)
def test_a_count_question_leads_with_the_fewest_cards(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert answer.title.startswith("How many "), (question, answer.title)
    found = _COUNT.match(answer.summary)
    assert found, answer.summary
    count = int(found[1] or 1)
    assert answer.fit is not None and answer.fit["gpus_count"] == count  # the estimate shown is for that many


def test_the_count_is_the_fewest_that_fit(engine: Engine) -> None:
    """One card fewer than the count given does not hold the model with room to spare, at the same precision."""
    ctx = engine.composer.context
    for question, gpu_id in (
        ("how many 4090s do i need for llama 405b", "rtx-4090"),
        ("how many 3090s to run llama 3 70b", "rtx-3090"),
        ("how many rtx a6000 cards for llama 3.1 405b fp8", "rtx-a6000"),
    ):
        query = engine.parser.parse(question)
        answer = engine.answer(query)
        assert answer.fit is not None and query.fit is not None
        count = answer.fit["gpus_count"]
        assert count > 1, question
        gpu = engine.catalog.gpus[gpu_id]
        req = dataclasses.replace(query.fit, precision=answer.fit["precision"], gpus_count=count - 1)
        model = engine.models[answer.fit["model"]].shape
        fewer = fit_plan(req, model, answer.fit["model"], count - 1)
        verdict = fewer.est.verdict(capacity_of(ctx, gpu, fewer.budget, count - 1))
        assert verdict != "fits", question  # one fewer does not fit, or only within the margin, and says so
        assert (verdict == "tight") == (f"({count - 1} would hold it only just" in answer.summary), answer.summary


def test_an_ambiguous_name_counts_each_candidate(engine: Engine) -> None:
    answer = engine.ask("how many h100s do i need to run deepseek r1")
    assert answer.title.startswith("How many H100")
    assert "H100 PCIe" in answer.summary and "H100 NVL" in answer.summary
    assert _COUNT.match(answer.summary)


def test_the_model_own_precision_when_it_takes_no_more_cards(engine: Engine) -> None:
    answer = engine.ask("how many 4090 for qwen2.5 7b")
    assert answer.summary.startswith("You need one GeForce RTX 4090 to run Qwen2.5 7B in FP16")
    big = engine.ask("how many 3090s to run llama 3 70b")
    assert "in Q4_K_M" in big.summary and re.search(r"In FP16 it would take \d+\.", big.summary)


@pytest.mark.parametrize(
    "question",
    [
        "how many tokens/s for llama 8b on a 4090",  # a speed, not a count
        "how many layers of llama 70b fit on a 3090",
        "can i run llama 3 70b on 2x 3090",  # a count stated
        "how much vram does llama 3 70b need on a 4090",
        "how many gpus do i need for llama 3 70b",  # no card to count: the plain estimate
        "how many cards to run mixtral in fp16?",
    ],
)
def test_other_questions_are_not_counts(engine: Engine, question: str) -> None:
    assert not engine.ask(question).title.startswith("How many ")


def test_a_tensor_parallel_runtime_counts_in_powers_of_two(engine: Engine) -> None:
    answer = engine.ask("how many a100 80gb do i need for llama 3.1 405b with vllm")
    found = _COUNT.match(answer.summary)
    assert found and int(found[1] or 1) in {1, 2, 4, 8, 16, 32, 64}


def test_beyond_the_limit_the_fit_answer_stands(engine: Engine) -> None:
    answer = engine.ask("how many gtx 1050 ti do i need for deepseek r1 in fp16")
    assert MAX_CARDS == 64
    assert not answer.summary.startswith("You need")


def test_a_count_follows_up_a_fit(engine: Engine) -> None:
    """ "how many 3090s then?" after a fit question counts those cards for the model asked about before."""
    from bot.conversation import Conversations

    talk = Conversations(engine)
    talk.ask((1, 2), "can i run llama 3.1 405b on a 4090?")
    reply = talk.ask((1, 2), "how many 3090s then?")
    assert reply.query.rule.startswith("follow-up") and reply.answer.title.startswith("How many GeForce RTX 3090")
    assert reply.answer.fit is not None and reply.answer.fit["model"] == "llama-3.1-405b"
    again = talk.ask((1, 2), "and how many h100 sxm?")
    assert again.answer.title == "How many H100 SXM5 cards for Llama 3.1 405B?"
