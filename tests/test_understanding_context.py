"""Cards named as context, chatty look-ups and comparisons, and names that do or do not need a question back.

Phrasings are our own (the labelled corpus in tests/corpus/ holds the real ones). Each test reads the
request through ``Engine.explain``.
"""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.text import normalize


def _request(engine: Engine, question: str) -> dict:  # type: ignore[type-arg]
    return engine.explain(question)["request"]  # type: ignore[no-any-return]


def _context(engine: Engine, question: str) -> list[str]:
    return [m["value"] for m in engine.explain(question)["evidence"] if m["kind"].startswith("context")]


# -- 1. a context cue after the card: "I run a 7900 XTX right now" -------------------------------

CUE_AFTER = [
    ("got an rx 6800 right now. how much vram does the rx 9070 xt have", "rx-6800", "rx-9070-xt", "memory_gb"),
    ("my team uses an a4000 at work; what is the tdp of the 4070 super?", "rtx-a4000", "rtx-4070-super", "tdp_w"),
    ("running comfyui on a 3080 ti atm. bandwidth of the 4070 ti super?", "rtx-3080-ti", "rtx-4070-ti-super", None),
    ("a 2080 ti currently, what's the a5000's memory", "rtx-2080-ti", "rtx-a5000", "memory_gb"),
    ("stuck on a 1080 ti for now - 4060 ti 16gb tdp?", "gtx-1080-ti", "rtx-4060-ti-16gb", "tdp_w"),
    ("been on a 3070 for years. how many slots is the rtx 4000 ada", "rtx-3070", "rtx-4000-ada", "slots"),
    ("I use a titan rtx at home... what's the l4's tdp?", "titan-rtx", "l4", "tdp_w"),
]


@pytest.mark.parametrize(("question", "context", "subject", "field"), CUE_AFTER)
def test_a_card_followed_by_a_context_cue_is_context(
    engine: Engine, question: str, context: str, subject: str, field: str | None
) -> None:
    request = _request(engine, question)
    assert request["kind"] == "lookup" and request["gpus"] == [subject]
    assert context in _context(engine, question)
    if field:
        assert field in request["fields"]


@pytest.mark.parametrize(
    "question",
    [
        "should I buy a 4090 now or wait for the 5090",
        "is the 4090 right now cheaper than the 5090?",
        "3090 currently vs 4090 for training",
        "I have a 3090 right now; is the 4090 worth upgrading to?",
    ],
)
def test_a_cue_after_a_card_keeps_every_card_when_the_question_weighs_them(engine: Engine, question: str) -> None:
    assert len(_request(engine, question)["gpus"]) == 2


# -- 2. a hypothetical or a question is not the asker's rig ---------------------------------------

HYPOTHETICAL = [
    "now i have a 3090. if i bought a 5090 can i use it with the 3090?",
    "i own a 3090; before i bought a 4090 i wanted the 4090's tdp",
    "I have a 3060. can i use a 4070 for sdxl? what's the 4070's vram",
]


@pytest.mark.parametrize("question", HYPOTHETICAL)
def test_a_card_after_if_or_can_i_stays_the_subject(engine: Engine, question: str) -> None:
    request = _request(engine, question)
    context = _context(engine, question)
    subject = [g for g in request["gpus"] if g not in context]
    assert subject, request
    assert all(g not in context for g in subject)


def test_the_askers_card_named_again_stays_context(engine: Engine) -> None:
    question = "I have a 3090. if i bought a 5090, could the 3090 vram add to it? 5090 memory?"
    assert _request(engine, question)["gpus"] == ["rtx-5090"]


# -- 3. names next to each other are not a list ----------------------------------------------------


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("i have a 3090, a6000 specs?", "rtx-a6000"),
        ("I own a 4090,l40s tdp?", "l40s"),
        ("ive got a 3060; a4000 bandwidth please", "rtx-a4000"),
    ],
)
def test_a_card_right_after_a_context_card_is_the_subject(engine: Engine, question: str, subject: str) -> None:
    request = _request(engine, question)
    assert request["kind"] == "lookup" and request["gpus"] == [subject]


@pytest.mark.parametrize(
    "question",
    ["I have a 3090, a 3060 and a 1080. what's the tdp of the a6000", "I have a 4090 and a 3090, a6000 bandwidth?"],
)
def test_cards_listed_after_a_cue_are_all_context(engine: Engine, question: str) -> None:
    assert _request(engine, question)["gpus"] == ["rtx-a6000"]


# -- 4. text: a comma is a thousands separator only between digits ---------------------------------


@pytest.mark.parametrize(
    ("text", "norm"),
    [
        ("10,752 cores", "10752 cores"),
        ("$1,500", "$1500"),
        ("1,000,000", "1000000"),
        ("a 3090,a6000", "a 3090 a6000"),
        ("RTX3090-24G，it fails", "rtx3090 24gb it fails"),
        ("2,3 gpus", "2 3 gpus"),
    ],
)
def test_commas(text: str, norm: str) -> None:
    assert normalize(text) == norm


def test_nvidia_smi_memory_is_not_a_gpu_name(engine: Engine) -> None:
    question = "nvidia-smi shows 'NVIDIA GeForce RTX 3090' 24576MiB; what's the a5500 fp32?"
    assert not engine.explain(question)["request"].get("unknown_names")


# -- 5. a shorter name after a full one refers back to it -------------------------------------------

BACK_REFERENCES = [
    ("the rtx 6000 ada costs a lot more than a 4090. are the 6000 cards worth it for training?", "rtx-6000-ada"),
    ("8x h200 sxm vs 8x h100 sxm for serving, is the h200 worth the extra?", "h200-sxm"),
    ("my rtx 5060 ti 16gb runs out of memory in comfyui; does the 5060 ti support fp8?", "rtx-5060-ti-16gb"),
    ("rtx 4000 ada vs a4500 - does the 4000 have ecc?", "rtx-4000-ada"),
]


@pytest.mark.parametrize(("question", "gpu"), BACK_REFERENCES)
def test_a_short_name_after_the_full_one_means_that_card(engine: Engine, question: str, gpu: str) -> None:
    request = _request(engine, question)
    assert request["kind"] != "clarify" and gpu in request["gpus"], request
    assert not request.get("ambiguous")


def test_a_short_name_after_a_variant_keeps_to_its_variants(engine: Engine) -> None:
    answer = engine.ask("the l40s is slower than an a100 80gb for us; does the a100 have more memory bandwidth?")
    # both A100 80GB variants fit in one table with the L40S, so it compares them (the 40 GB ones stay out)
    assert answer.intent == "compare"
    assert set(answer.gpus) == {"l40s", "a100-80gb-pcie", "a100-80gb-sxm"}


@pytest.mark.parametrize(
    "question", ["a6000 vs rtx 6000", "rtx 6000 ada or rtx 6000?", "is the 6000 ada faster than the rtx 6000"]
)
def test_a_short_name_after_a_comparison_word_is_another_card(engine: Engine, question: str) -> None:
    assert _request(engine, question)["kind"] == "clarify"


# -- 6. several ambiguous names: every one's candidates, one pick at a time -------------------------

SEVERAL_AMBIGUOUS = [
    ("h100 vs a100", {"h100-sxm", "h100-pcie", "a100-40gb-sxm", "a100-80gb-pcie"}),
    ("h800 or h100 for training?", {"h800-sxm", "h800-pcie", "h100-sxm", "h100-nvl"}),
    ("5060 ti vs 4060 ti", {"rtx-5060-ti-8gb", "rtx-5060-ti-16gb", "rtx-4060-ti-8gb", "rtx-4060-ti-16gb"}),
    ("compare the a100 and the v100", {"a100-80gb-sxm", "v100-sxm2-32gb"}),
]


@pytest.mark.parametrize(("question", "offered"), SEVERAL_AMBIGUOUS)
def test_every_ambiguous_name_is_offered(engine: Engine, question: str, offered: set[str]) -> None:
    answer = engine.ask(question)
    assert answer.intent == "clarify"
    assert offered <= {c.gpu for c in answer.choices}


def test_picking_one_name_then_the_other_answers_the_comparison(engine: Engine) -> None:
    first = engine.choose("h100 vs a100 memory bandwidth", "a100-80gb-sxm")
    assert first.intent == "clarify" and {c.gpu for c in first.choices} == {"h100-nvl", "h100-pcie", "h100-sxm"}
    second = engine.choose(first.question, "h100-sxm")
    assert second.intent == "compare" and set(second.gpus) == {"h100-sxm", "a100-80gb-sxm"}


# -- 7. a comparison stated as a claim is a comparison, not a pick ----------------------------------

CLAIMS = [
    ("is the a10g really faster than the t4?", ["a10g", "t4"]),
    ("my a6000 is slower than a friend's 4090. are its specs not better than the 4090's?", ["rtx-a6000", "rtx-4090"]),
    ("l4 vs a10g? is the a10g much better than l4 or about the same", ["l4", "a10g"]),
    ("surely the 3090 outperforms the a5000?", ["rtx-3090", "rtx-a5000"]),
    ("the 7900 xtx beats the 4080 on paper, right?", ["rx-7900-xtx", "rtx-4080"]),
]


@pytest.mark.parametrize(("question", "gpus"), CLAIMS)
def test_a_claim_about_named_cards_is_a_comparison(engine: Engine, question: str, gpus: list[str]) -> None:
    request = _request(engine, question)
    assert request["kind"] == "compare" and request["gpus"] == gpus
    assert engine.ask(question).recommendation is None


@pytest.mark.parametrize(
    "question",
    [
        "is the 4090 better than the 3090 for training?",
        "which is faster than the 3090, the 4090 or the a6000?",
        "should i get the 4090, is it better than the 3090?",
        "is the a6000 better than the 3090 under $2000?",
    ],
)
def test_a_claim_with_a_workload_budget_or_choice_word_is_still_a_pick(engine: Engine, question: str) -> None:
    assert _request(engine, question)["kind"] == "verdict"


def test_a_comparative_word_is_not_a_field_typo(engine: Engine) -> None:
    assert "cooling" not in _request(engine, "the 4090 is slower than the 3090 in my computer, why?").get("fields", [])


# -- 8. a yes/no on one card's build is a look-up of what the build needs ---------------------------

BUILD = [
    ("rtx a2000 12gb - is it low profile?", "rtx-a2000-12gb", "form_factor"),
    ("is the l4 single slot", "l4", "slots"),
    ("can the rtx 4000 sff ada go in a mini itx case?", "rtx-4000-sff-ada", "form_factor"),
    ("is the a2 half height?", "a2", "form_factor"),
    ("is the a2000 12gb low power?", "rtx-a2000-12gb", "tdp_w"),
    ("does the 3090 do multi gpu?", "rtx-3090", "nvlink"),
]


@pytest.mark.parametrize(("question", "gpu", "field"), BUILD)
def test_a_yes_no_on_a_build_is_a_look_up(engine: Engine, question: str, gpu: str, field: str) -> None:
    request = _request(engine, question)
    assert request["kind"] == "lookup" and request["gpus"] == [gpu]
    assert field in request["fields"]


@pytest.mark.parametrize(
    "question",
    ["is the l4 good for a low profile build?", "best low profile card, is the a2000 12gb worth it?"],
)
def test_asking_for_a_verdict_on_a_build_is_not_a_look_up(engine: Engine, question: str) -> None:
    assert _request(engine, question)["kind"] != "lookup"


# -- 9. a laptop word before the name names the Laptop GPU ------------------------------------------

LAPTOP_BEFORE = [
    ("Laptop RTX 5090 specs", "rtx-5090-laptop"),
    ("a gaming laptop with an rtx 4070, how much vram?", "rtx-4070-laptop"),
    ("mobile 4080 memory bandwidth", "rtx-4080-laptop"),
    ("my laptop rtx 4060 tdp", "rtx-4060-laptop"),
    ("notebook rtx 3080 16gb vram", "rtx-3080-laptop-16gb"),
    ("laptop with a geforce rtx 5070 ti: bandwidth?", "rtx-5070-ti-laptop"),
]


@pytest.mark.parametrize(("question", "gpu"), LAPTOP_BEFORE)
def test_a_laptop_word_before_the_name_is_the_laptop_gpu(engine: Engine, question: str, gpu: str) -> None:
    assert _request(engine, question)["gpus"] == [gpu]


@pytest.mark.parametrize(
    ("question", "gpu"),
    [
        ("laptop a6000 specs", "rtx-a6000"),  # no laptop variant in the catalog: the card named
        ("I have a laptop and a 4090 desktop, what's the 4090 tdp", "rtx-4090"),
        ("rtx 4090 for my desktop, tdp?", "rtx-4090"),
    ],
)
def test_a_laptop_word_elsewhere_keeps_the_desktop_card(engine: Engine, question: str, gpu: str) -> None:
    assert _request(engine, question)["gpus"] == [gpu]


def test_a_laptop_word_before_a_name_with_several_laptop_variants_asks_or_answers_once(engine: Engine) -> None:
    answer = engine.ask("laptop rtx 3080 memory")
    assert answer.intent == "clarify"
    assert {c.gpu for c in answer.choices} == {"rtx-3080-laptop-8gb", "rtx-3080-laptop-16gb"}


@pytest.mark.parametrize(
    "question", ["Gaudi 2 HBM capacity?", "mi300x capacity and bandwidth", "what's the vram capacity of the l40s"]
)
def test_capacity_is_the_memory_size(engine: Engine, question: str) -> None:
    request = _request(engine, question)
    assert request["kind"] == "lookup" and "memory_gb" in request["fields"]
