"""Cards named as options in the ways long real questions name them: "decide between X and Y", "is it worth upgrading
from X to Y", "a single 4090 or two used 3090s". Each is a choice between setups (both answered, the count kept),
not a fit on the first card named nor a rig of both; "split a model between X and Y" stays one rig."""

from __future__ import annotations

import pytest

from bot.engine import Engine


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_specs()


@pytest.mark.parametrize(
    ("question", "gpus"),
    [
        (
            "I'm trying to decide between the RTX 4000 Ada and the A4500 for a small office server that will run "
            "Ollama with Llama 3.1 8B for about 10 users. Power draw matters because it's in a closet.",
            {"rtx-4000-ada", "rtx-a4500"},
        ),
        ("choosing between a 3090 and a 4090 for llama 3 70b q4", {"rtx-3090", "rtx-4090"}),
        (
            "Is it worth upgrading from a 2080 Ti to a 3090 just for the extra VRAM? I mostly do LoRA training for "
            "SDXL and some 13B LLM inference.",
            {"rtx-2080-ti", "rtx-3090"},
        ),
        ("torn between an a6000 and an l40s for fine-tuning mistral 7b", {"rtx-a6000", "l40s"}),
    ],
)
def test_cards_named_as_options_are_set_side_by_side(engine: Engine, question: str, gpus: set[str]) -> None:
    query = engine.parser.parse(question)
    assert query.kind == "setup" and set(query.gpus) == gpus, (question, query.kind, query.gpus, query.rule)
    assert query.fit is None or not query.fit.combined


@pytest.mark.parametrize(
    ("question", "counts"),
    [
        (
            "Budget is around $2000 for the GPU. Should I go with a single 4090 or two used 3090s? I mostly want to "
            "run 70B models at decent speed.",
            {"rtx-3090": 2},
        ),
        ("2 new 4090s or one a6000 for llama 3 70b?", {"rtx-4090": 2}),
        ("three refurbished 3090s vs two 4090s for training", {"rtx-3090": 3, "rtx-4090": 2}),
    ],
)
def test_a_count_before_used_or_new_cards_is_kept(engine: Engine, question: str, counts: dict[str, int]) -> None:
    query = engine.parser.parse(question)
    assert {g: query.counts.get(g) for g in counts} == counts, (question, query.counts)


def test_splitting_a_model_between_two_cards_is_one_rig(engine: Engine) -> None:
    query = engine.parser.parse("can i split llama 70b between a 3090 and a 3060 12gb?")
    assert query.kind == "fit" and query.fit is not None and query.fit.combined
