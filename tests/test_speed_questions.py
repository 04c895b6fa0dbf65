"""A speed asked of a model on a card ("how many tokens/s will llama 8b get on a 4070?") is answered with the
speed first, then the fit it rests on; with no speed to give, the answer says why before the fit."""

from __future__ import annotations

import pytest

from bot.engine import Engine


@pytest.mark.parametrize(
    "question",
    [
        "how many tokens/s will llama 3.1 8b get on a 4070",
        "how fast is qwen2.5 32b q4 on a 3090?",
        "what t/s can i expect from mistral 7b on rtx 4060",
        "Llama 3 8B on a 4090, how many tokens per second?",
        "mistral 7b inference speed on a 3060 12gb",
        "what generation speed would gemma 3 12b get on a 4070 ti super",
        "tok/s for qwen3 8b on a 4060 ti 16gb?",
        "is a 3090 fast enough for llama 3 8b",
        "how quick would phi 4 run on an rtx 4080",
        "expected tps of llama 3.1 8b q4_k_m on an rtx 3060?",
    ],
)
def test_the_speed_leads(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert answer.title.startswith("How fast is"), question
    assert answer.summary.startswith("About ") and "tokens/s" in answer.summary.split(".")[0], question
    assert answer.fit is not None and answer.fit["tokens_per_s"], question
    # The speed in the lead is the one the fit object carries
    assert f"{answer.fit['tokens_per_s']:,.0f} tokens/s" in answer.summary


def test_no_speed_when_it_does_not_fit(engine: Engine) -> None:
    answer = engine.ask("llama 3 70b on a 3090 tokens per second")
    assert answer.summary.startswith("No speed to give: it has to fit first.")
    assert answer.fit is not None and answer.fit["fits"] is False and answer.fit["tokens_per_s"] is None


def test_image_models_have_no_decode_speed(engine: Engine) -> None:
    answer = engine.ask("how fast is flux dev on a 4090")
    assert answer.summary.startswith("I estimate decode speed for language models only")


@pytest.mark.parametrize(
    "question",
    [
        "can i run llama 3.1 8b on a 4070",
        "will qwen2.5 32b q4 fit on a 3090?",
        "mistral 7b on a 3060",
        "is 12gb enough for llama 3 8b",
        "don't see why llama 3 8b wouldn't run on a 3060",
    ],
)
def test_fit_questions_stay_fit_questions(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert not answer.title.startswith("How fast"), question


def test_the_speed_is_the_same_as_the_fit_answers(engine: Engine) -> None:
    fit = engine.ask("can i run llama 3.1 8b on a 4070")
    speed = engine.ask("how many tokens/s will llama 3.1 8b get on a 4070")
    assert fit.fit is not None and speed.fit is not None
    assert speed.fit["tokens_per_s"] == fit.fit["tokens_per_s"] and speed.fit["precision"] == fit.fit["precision"]
