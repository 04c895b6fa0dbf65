"""Two cards the asker has, one said to be no faster than the other: "my 4080 is slower than my 3060 in
llama_cpp_python, why?" was the cards' specs side by side with a 3060 8GB besides, and "I changed the card ... from a
3060 12gb to a 5060 ti 16gb ... I get no speedup at all" a pick among three cards. The rule "one of two cards said
slower" (bot/rules_speed.py, words in specs/lexicon.yaml slower_said) compares the two, and the answer leads with how
they should compare for the work (bot/handlers/slower_card.py: decode speed for language models, FP16 tensor
throughput for training and image generation), then why a faster card may not be; when the card said slower is the one
its specs make slower, it says so."""

from __future__ import annotations

import re

import pytest

from bot.engine import Engine

# (question, the two cards, the card that should be faster, the figure that says so)
SLOWER = [
    # https://github.com/abetlen/llama-cpp-python/issues/1523
    ("my 4080 is slower than my 3060 in llama_cpp_python, why?", ["rtx-4080", "rtx-3060"], "rtx-4080", "tokens/s"),
    # https://github.com/tdrussell/diffusion-pipe/issues/352
    (
        "I changed the card in one of my machines from a 3060 12gb to a 5060 ti 16gb, and while diffusion-pipe trains "
        "as it should, I get no speedup at all compared to the 3060",
        ["rtx-3060", "rtx-5060-ti-16gb"],
        "rtx-5060-ti-16gb",
        "TFLOPS",
    ),
    # https://github.com/Comfy-Org/ComfyUI/issues/7332
    (
        "Hi, jumping ahead a little with my new 9070xt. It runs slower than my 6900xt at the moment and crashes with "
        "OOM errors.",
        ["rx-9070-xt", "rx-6900-xt"],
        "rx-9070-xt",
        "tokens/s",
    ),
    # https://github.com/easydiffusion/easydiffusion/issues/1839 (cards of the catalog's long tail)
    (
        "On the new graphics card, the generation is slower. The old card GTX 1050 Ti 4Gb - generation 1 minute 8 "
        "seconds. The new card GTX 1660 Ti 6Gb - generation 2 minutes 25 seconds.",
        ["tpu-geforce-gtx-1050-ti", "gtx-1660-ti"],
        "gtx-1660-ti",
        "tokens/s",
    ),
    # own phrasings
    ("my new 5070 ti is slower than my old 3080 in comfyui", ["rtx-5070-ti", "rtx-3080"], "rtx-5070-ti", "TFLOPS"),
    ("upgraded from a 1080 ti to a 4090 and ollama got no faster", ["gtx-1080-ti", "rtx-4090"], "rtx-4090", "tokens/s"),
]


@pytest.mark.parametrize(("question", "cards", "fast", "unit"), SLOWER)
def test_the_two_cards_led_by_the_speeds_expected(
    engine: Engine, question: str, cards: list[str], fast: str, unit: str
) -> None:
    q = engine.parser.parse(question)
    assert q.rule == "one of two cards said slower" and q.kind == "compare", q.rule
    assert q.gpus == cards
    answer = engine.ask(question)
    assert answer.intent == "compare" and answer.gpus == cards
    name = engine.catalog.gpus[fast].short_name
    assert re.search(rf"the {re.escape(name)} (?:is about [\d.]+× as fast|has [\d.]+×)", answer.summary), answer.summary
    assert unit in answer.summary
    assert f"When the {name} is slower than its specs say" in answer.summary


def test_the_card_its_specs_make_slower_is_said_so(engine: Engine) -> None:
    answer = engine.ask("the a6000 is slower than the 4090, why?")
    assert "So the RTX A6000 being the slower is what its specs say." in answer.summary
    assert "When the" not in answer.summary


@pytest.mark.parametrize(
    "question",
    [
        "with exllamav2 the 7900 xtx is slower than the 3090",
        "upgraded from a 3090 to a 4090 and ollama got no faster",  # decoding: 1,008 vs 936 GB/s
    ],
)
def test_two_cards_about_as_fast(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert engine.parser.parse(question).rule == "one of two cards said slower"
    assert "The two should be about as fast." in answer.summary


@pytest.mark.parametrize(
    ("question", "rule"),
    [
        ("is the 4090 slower than the 3090 for training? which should I buy", "verdict among named cards"),
        ("the 3060 is slower than the 4060 ti but cheaper, under $400 which one?", None),
        ("is a 3060 slower than a 4060 for llama 3 8b?", None),
    ],
)
def test_no_complaint_when_a_pick_or_a_fit_is_asked(engine: Engine, question: str, rule: str | None) -> None:
    q = engine.parser.parse(question)
    assert q.rule != "one of two cards said slower"
    if rule is not None:
        assert q.rule == rule


# https://github.com/abetlen/llama-cpp-python/issues/1523 (its body): "significantly slower", the card before it
def test_slower_said_of_the_card_before(engine: Engine) -> None:
    q = engine.parser.parse(
        "when using the llama_cpp_python for model inference with 4080 and 3060, it was found that the 4080 is "
        "significantly slower. What could be the reason?"
    )
    assert q.rule == "one of two cards said slower" and q.slower_said == "rtx-4080"


def test_a_slowdown_far_beyond_the_specs_is_not_the_card(engine: Engine) -> None:
    question = (
        "I'm experiencing that the same workflows are running around 30x slower on my Laptop RTX 5090 (24GBVRAM) than "
        "on my previous Desktop RTX 4090 (24GBVRAM). Is such a big difference to be expected?"
    )
    q = engine.parser.parse(question)
    assert q.slower_said == "rtx-5090-laptop" and q.slower_factor == 30.0
    summary = engine.ask(question).summary
    assert "but not by 30×, far more than they explain" in summary
    assert "When the GeForce RTX 5090 Laptop GPU is slower than its specs say" in summary
