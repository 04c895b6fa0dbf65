"""A rig named with a card that has several variants ("llama 3 70b on a 3090 and a 3060": a 3060 has 12 GB or
8 GB) is answered for the rig with each variant, never for the one resolved card alone; a card named as an option
("on a 3090 or a 3060") is set beside the others with each of its variants; a pick completes the question."""

from __future__ import annotations

import re

import pytest

from bot.engine import Engine
from bot.handlers.fit_rig_variants import MAX_RIGS

_TOGETHER = re.compile(r"needs about ([\d,.]+) GB of the ([\d,.]+) GB they offer together")
_WITH_EACH = re.compile(r"about ([\d,.]+) GB of the ([\d,.]+) GB the cards offer together")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_specs()


#: (question, the resolved card, the ambiguous name's variants) in many phrasings people use for a two-card rig.
RIGS = [
    ("can I run llama 3 70b on a 3090 and a 3060?", "rtx-3090", {"rtx-3060", "rtx-3060-8gb"}),
    ("I have a 3090 and a 3060, can I run llama 3 70b?", "rtx-3090", {"rtx-3060", "rtx-3060-8gb"}),
    ("llama 3 70b q4_k_m on a 3090 + 3060", "rtx-3090", {"rtx-3060", "rtx-3060-8gb"}),
    ("can i run qwen2.5 32b on a 3090 and a 3060", "rtx-3090", {"rtx-3060", "rtx-3060-8gb"}),
    ("mixtral on a 4090 plus a 4060 ti", "rtx-4090", {"rtx-4060-ti-16gb", "rtx-4060-ti-8gb"}),
    ("my rig is a 4090 with a 3060 - is gemma 3 27b possible at q8?", "rtx-4090", {"rtx-3060", "rtx-3060-8gb"}),
    ("would a 3090 together with a 3060 run qwen2.5 72b", "rtx-3090", {"rtx-3060", "rtx-3060-8gb"}),
]


@pytest.mark.parametrize(("question", "resolved", "variants"), RIGS)
def test_a_rig_with_a_variant_name_is_answered_for_the_rig(
    engine: Engine, question: str, resolved: str, variants: set[str]
) -> None:
    answer = engine.ask(question)
    assert answer.intent == "fits", question
    assert resolved in answer.gpus and variants <= set(answer.gpus), (question, answer.gpus)
    assert "on one " not in answer.summary, answer.summary  # never the resolved card alone
    if answer.summary.startswith("It depends on which"):
        assert {c.gpu for c in answer.choices} == variants
        assert len(answer.bullets) == len(variants)
        for line in answer.bullets:
            need, have = (float(x.replace(",", "")) for x in _WITH_EACH.search(line).groups())  # type: ignore[union-attr]
            assert line.startswith("With ") and ((need <= have * 1.1) == (": no" not in line)), line
    else:
        assert _TOGETHER.search(answer.summary), answer.summary
        assert "could be either" in answer.summary, answer.summary


def test_each_variant_gets_its_own_verdict(engine: Engine) -> None:
    """Llama 3 70B with a 3090: Q3_K_M with the 12 GB 3060, only Q2_K with the 8 GB one: which one matters."""
    answer = engine.ask("can I run llama 3 70b on a 3090 and a 3060?")
    assert answer.summary.startswith("It depends on which “3060” you mean")
    lines = dict(zip(("12", "8"), answer.bullets, strict=False))
    assert "(12 GB)" in lines["12"] and "Q3_K_M" in lines["12"]
    assert "(8 GB)" in lines["8"] and "Q2_K" in lines["8"]


def test_the_same_verdict_everywhere_is_stated_once(engine: Engine) -> None:
    """It fits with either 3060: stated for the rig with the least memory; it fails with either: for the most."""
    fits = engine.ask("can i run qwen2.5 32b on a 3090 and a 3060")
    assert fits.fit is not None and fits.fit["fits"] is True
    assert "3060 8GB" in fits.title and "The same with the GeForce RTX 3060" in fits.summary
    fails = engine.ask("llama 3 70b q4_k_m on a 3090 + 3060")
    assert fails.fit is not None and fails.fit["fits"] is False
    assert "3060 8GB" not in fails.title and "Not with the GeForce RTX 3060 8GB either" in fails.summary


def test_two_variant_names_make_every_combination(engine: Engine) -> None:
    answer = engine.ask("can I run gemma 3 27b on a 4060 ti and a 3060")
    assert answer.summary.startswith("It depends")
    assert len(answer.bullets) == 4 <= MAX_RIGS
    assert all(" and a GeForce RTX 3060" in line for line in answer.bullets)


@pytest.mark.parametrize("pick", ["rtx-3060", "rtx-3060-8gb", "rtx-3060"])
def test_a_pick_completes_the_rig(engine: Engine, pick: str) -> None:
    question = "can I run llama 3 70b on a 3090 and a 3060?"
    engine.ask(question)
    answer = engine.choose(question, pick)
    assert sorted(answer.gpus) == sorted(["rtx-3090", pick]), answer.gpus
    assert _TOGETHER.search(answer.summary), answer.summary


def test_picking_another_variant_of_the_same_name_answers_for_it(engine: Engine) -> None:
    """A second button on the same clarifying answer re-picks that name; it used to keep the first pick."""
    question = "can I run qwen2.5 14b on a 3060?"
    engine.ask(question)
    assert engine.choose(question, "rtx-3060").gpus == ["rtx-3060"]
    assert engine.choose(question, "rtx-3060-8gb").gpus == ["rtx-3060-8gb"]
    assert engine.choose(question, "rtx-3060").gpus == ["rtx-3060"]


@pytest.mark.parametrize(
    "question",
    [
        "llama 3 70b on a 3090 or a 3060?",
        "llama 3 8b on a 3090 or a 3060?",
        "can i run llama 3 8b on my 3060 or do i need a 4090",
        "qwen2.5 14b: 4060 ti vs 3090?",
    ],
)
def test_a_variant_name_among_options_is_set_beside_them(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    families = {"3060": {"rtx-3060", "rtx-3060-8gb"}, "4060 ti": {"rtx-4060-ti-16gb", "rtx-4060-ti-8gb"}}
    name = next(n for n in families if n in question)
    assert families[name] <= set(answer.gpus), (question, answer.gpus)
    assert len(answer.gpus) >= 3


@pytest.mark.parametrize(
    "question",
    [
        "my 3060 keeps OOMing on flux dev in comfyui. would a 4060 ti 16gb fix it?",
        "How much RAM is required. Can you run this on a GPU below a H100 (like a T4) or not?",
    ],
)
def test_a_card_named_in_passing_is_not_made_an_option(engine: Engine, question: str) -> None:
    """The owned card that fails, or a bar ("below a H100"), is not set beside the card asked about."""
    answer = engine.ask(question)
    assert answer.intent == "fits" and len(answer.gpus) == 1, (question, answer.gpus)


@pytest.mark.parametrize(
    "question",
    [
        "what can a 3090 and a 3060 run together",
        "can a 3090 and a 3060 be used together in ollama?",
        "a 4090 and a 3060 in the same box: how much vram do I get",
        "I have a 1080 and a 3060, what llm can I run on both?",  # after llama.cpp #3064 ("3060 12GB, and 1080 8GB")
    ],
)
def test_a_rig_with_a_variant_name_and_no_model_asks_which(engine: Engine, question: str) -> None:
    """What a rig runs depends on its memory together: the variants would get different answers, so the bot asks,
    and the pick answers for the rig (it used to answer for the 3090's 24 GB, or count every variant as a card)."""
    answer = engine.ask(question)
    assert answer.intent == "clarify", (question, answer.intent)
    assert {c.gpu for c in answer.choices} == {"rtx-3060", "rtx-3060-8gb"}
    picked = engine.choose(question, "rtx-3060-8gb")
    assert "rtx-3060-8gb" in picked.gpus and "rtx-3060" not in picked.gpus, picked.gpus
    assert "together" in picked.summary, picked.summary


def test_cards_named_side_by_side_still_compare_every_variant(engine: Engine) -> None:
    answer = engine.ask("3090 and 3060 specs")
    assert answer.intent == "compare" and set(answer.gpus) == {"rtx-3090", "rtx-3060", "rtx-3060-8gb"}


@pytest.mark.parametrize(
    ("follow_up", "picked"),
    [
        ("what about with a 3060 12gb?", "rtx-3060"),
        ("it's the 3060 8gb", "rtx-3060-8gb"),
        ("3060 12gb", "rtx-3060"),
    ],
)
def test_a_follow_up_naming_a_variant_picks_it(follow_up: str, picked: str) -> None:
    """After "it depends on which “3060” you mean", naming one continues the rig (the 3090 stays), as a choice
    button does; it used to answer for the named card alone."""
    from bot.conversation import Conversations

    conversations = Conversations(Engine.from_specs())
    conversations.ask("k", "can I run llama 3 70b on a 3090 and a 3060?")
    answer = conversations.ask("k", follow_up).answer
    assert sorted(answer.gpus) == sorted(["rtx-3090", picked]), (follow_up, answer.gpus)
    assert _TOGETHER.search(answer.summary), answer.summary


def test_a_follow_up_that_asks_more_than_the_card_is_a_follow_up(engine: Engine) -> None:
    from bot.conversation import Conversations

    conversations = Conversations(engine)
    conversations.ask("k", "can I run qwen2.5 14b on a 3060?")
    answer = conversations.ask("k", "and llama 3 8b on a 3060 12gb?").answer
    assert answer.gpus == ["rtx-3060"] and "Llama 3 8B" in answer.summary, answer.summary


def test_a_counted_variant_name_counts_in_each_rig(engine: Engine) -> None:
    """ "a 3090 and two 3060s": each rig has both 3060s (it used to have one)."""
    answer = engine.ask("llama 3 70b on a 3090 and two 3060s")
    assert answer.summary.startswith("It depends on which “3060”")
    assert all(line.startswith("With 2× GeForce RTX 3060") for line in answer.bullets), answer.bullets
    haves = [float(m.group(2)) for line in answer.bullets if (m := _WITH_EACH.search(line))]
    assert haves and min(haves) > 40, haves  # 24 + 2 × 8 GB at the least, in usable GB


@pytest.mark.parametrize(
    "question",
    [
        "i have a 3090 and a 4090, can i run llama 3 70b across both?",
        "llama 3.3 70b q4 using both my 3090 and my 4090",
        "can i run mixtral on both cards, a 4070 ti super and a 3090",
    ],
)
def test_both_cards_are_one_rig(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert _TOGETHER.search(answer.summary), (question, answer.summary)
