"""A family name with several variants (issue 10): resolved from what the question says, asked about only when the
answer would differ and the variants cannot all be shown.

Phrasings are our own. A memory size next to the name or a few words after it, a total over a count, a form-factor
word, or the name said again more fully picks the variants; beside other named cards every variant is compared (or
scored, for a recommendation); software and architecture questions get one answer for every variant; GPUs in nodes
are counted eight to a node unless the question says otherwise.
"""

from __future__ import annotations

import pytest

from bot.engine import Engine


def _request(engine: Engine, question: str) -> dict:  # type: ignore[type-arg]
    return engine.explain(question)["request"]  # type: ignore[no-any-return]


def _variants_noted(engine: Engine, question: str) -> bool:
    return any("could be the" in n for n in engine.ask(question).notes)


# -- 1. the variant the question states ---------------------------------------------------------

STATED = [
    ("my p100 has 16gb, how does it compare to a t4", {"tesla-p100-pcie-16gb", "tesla-p100-sxm2"}, {"t4"}),
    ("the mi50 i got has 32gb, is it faster than a 3090", {"mi50-32gb"}, {"rtx-3090"}),
    ("is a 32gb mi50 better than a 3090 for llms", {"mi50-32gb"}, {"rtx-3090"}),
    ("1 V100 32G vs a 3090", {"v100-pcie-32gb", "v100-sxm2-32gb", "v100s-pcie"}, {"rtx-3090"}),
    ("the mi50 (hbm2, 16 gb) against a 3060 12gb", {"mi50-16gb"}, {"rtx-3060"}),
    ("a100 80gb vs h100 pcie", {"a100-80gb-pcie", "a100-80gb-sxm"}, {"h100-pcie"}),
    ("a100 sxm vs 4090", {"a100-40gb-sxm", "a100-80gb-sxm"}, {"rtx-4090"}),
    ("h100, the sxm one, vs mi300x", {"h100-sxm"}, {"mi300x"}),
    ("4060 ti with 16 gb vs 3090", {"rtx-4060-ti-16gb"}, {"rtx-3090"}),
    ("my 4060 ti has 16 gb, is that enough for sdxl", {"rtx-4060-ti-16gb"}, set()),
]


@pytest.mark.parametrize(("question", "variants", "others"), STATED)
def test_a_stated_size_or_form_picks_the_variants(
    engine: Engine, question: str, variants: set[str], others: set[str]
) -> None:
    request = _request(engine, question)
    named = set(request.get("gpus", ())) | {g for a in request.get("ambiguous", ()) for g in a["candidates"]}
    assert named - others == variants, request


TOTALS = [
    ("four 3060s with 48gb between them vs one a6000", "rtx-3060", 4),
    ("two 3060 cards (16gb total) or a 4070", "rtx-3060-8gb", 2),
    ("3 4060 ti cards, 48gb in total, vs a 6000 ada", "rtx-4060-ti-16gb", 3),
    ("2x mi50 (64gb) vs 3090", "mi50-32gb", 2),
]


@pytest.mark.parametrize(("question", "gpu", "count"), TOTALS)
def test_a_total_over_a_count_picks_the_variant(engine: Engine, question: str, gpu: str, count: int) -> None:
    request = _request(engine, question)
    assert gpu in request["gpus"], request
    assert request.get("counts", {}).get(gpu) == count


def test_a_name_said_again_more_fully_means_those_variants(engine: Engine) -> None:
    request = _request(engine, "a100 or 4090 for lora? to be precise the a100 80gb, against a 4090")
    assert {"a100-80gb-pcie", "a100-80gb-sxm"} <= set(request["gpus"])
    assert not {"a100-40gb-pcie", "a100-40gb-sxm"} & set(request["gpus"])


@pytest.mark.parametrize(
    "question",
    [
        "a100 vs a100 80gb",
        "is the h100 or the h100 nvl better for inference",
        "i have 32gb of ram and a mi50 vs a 3060",
    ],
)
def test_a_size_or_name_that_is_not_the_cards_picks_nothing(engine: Engine, question: str) -> None:
    request = _request(engine, question)
    assert request["kind"] in ("clarify", "compare", "verdict")
    if question.startswith("i have"):
        assert {"mi50-16gb", "mi50-32gb"} <= set(request.get("gpus", ())) | {
            g for a in request.get("ambiguous", ()) for g in a["candidates"]
        }


# -- 2. beside other named cards: every variant, or ask when there are too many -----------------

SIDE_BY_SIDE = [
    ("t4 vs p100", {"t4", "tesla-p100-pcie-12gb", "tesla-p100-pcie-16gb", "tesla-p100-sxm2"}),
    ("mi50 vs 3090", {"mi50-16gb", "mi50-32gb", "rtx-3090"}),
    ("3060 vs 4070", {"rtx-3060", "rtx-3060-8gb", "rtx-4070"}),
    ("4060 ti vs 3060 12gb", {"rtx-4060-ti-8gb", "rtx-4060-ti-16gb", "rtx-3060"}),
    ("h100 vs a6000", {"h100-nvl", "h100-pcie", "h100-sxm", "rtx-a6000"}),
    ("compare the a100 80gb with the l40s", {"a100-80gb-pcie", "a100-80gb-sxm", "l40s"}),
    ("a10g vs a10 vs 4060 ti", {"a10g", "a10", "rtx-4060-ti-8gb", "rtx-4060-ti-16gb"}),
]


@pytest.mark.parametrize(("question", "gpus"), SIDE_BY_SIDE)
def test_every_variant_is_compared_beside_other_cards(engine: Engine, question: str, gpus: set[str]) -> None:
    answer = engine.ask(question)
    assert answer.intent == "compare", answer.summary
    assert set(answer.gpus) == gpus
    assert _variants_noted(engine, question)


SCORED = [
    ("4090 or a100 for lora", "rtx-4090", {"a100-40gb-pcie", "a100-40gb-sxm", "a100-80gb-pcie", "a100-80gb-sxm"}),
    ("is a 4090 better than an a100 for training", "rtx-4090", {"a100-40gb-pcie", "a100-80gb-sxm"}),
    ("can i use a 4090 instead of an a100 for fine-tuning", "rtx-4090", {"a100-80gb-pcie"}),
    ("should i get a 3090 or a mi50 for llms", "rtx-3090", {"mi50-16gb", "mi50-32gb"}),
    ("a100 80gb vs 4090 vs 5090 for lora", "rtx-5090", {"a100-80gb-pcie", "a100-80gb-sxm"}),
]


@pytest.mark.parametrize(("question", "other", "variants"), SCORED)
def test_a_recommendation_scores_every_variant(engine: Engine, question: str, other: str, variants: set[str]) -> None:
    answer = engine.ask(question)
    assert answer.intent == "recommend", answer.summary
    assert other in answer.gpus and variants <= set(answer.gpus)
    assert answer.recommendation in answer.gpus  # the pick names the exact card
    assert _variants_noted(engine, question)


ASKS = [
    "rtx 6000 vs 4090",  # seven RTX 6000s: too many to show
    "does the v100 or the t4 have more memory bandwidth, and which is cheaper",  # five V100s and a T4
    "h100 vs a100",  # two family names, no other card: which ones is the question
    "5060 ti vs 4060 ti",
    "a100 vram",  # one card asked about
]


@pytest.mark.parametrize("question", ASKS)
def test_asks_when_the_variants_do_not_fit(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert answer.intent == "clarify", answer.summary
    assert len(answer.choices) >= 2


def test_asking_keeps_the_rest_of_the_question(engine: Engine) -> None:
    question = "rtx 6000 vs 4090 tdp"
    asked = engine.ask(question)
    assert asked.intent == "clarify"
    chosen = engine.choose(question, "rtx-a6000")
    assert chosen.intent == "compare" and set(chosen.gpus) == {"rtx-a6000", "rtx-4090"}
    assert "tdp_w" in chosen.fields


# -- 3. software and architecture: one answer for every variant ---------------------------------

SAME_ANSWER = [
    ("does the v100 support flash attention", "faq"),
    ("does pytorch run on the mi50", "faq"),
    ("any thoughts about mi50 support in vllm", "faq"),
    ("can the 3060 run pytorch", "faq"),
    ("is the 4060 ti supported by cuda 12", "faq"),
    ("can a v100 do bf16", "lookup"),
    ("does the a100 support fp8", "lookup"),
    ("what compute capability is the a100", "lookup"),
    ("p100 fp16 support?", "lookup"),
    ("v100 什么时候支持？", "faq"),
    ("mi50 不支持吗", "faq"),
    ("3060 支持 pytorch 吗", "faq"),
]


@pytest.mark.parametrize(("question", "intent"), SAME_ANSWER)
def test_software_and_architecture_are_answered_for_every_variant(engine: Engine, question: str, intent: str) -> None:
    answer = engine.ask(question)
    assert answer.intent == intent, answer.summary
    assert not answer.choices


@pytest.mark.parametrize("question", ["can a v100 do bf16", "does the a100 support fp8"])
def test_a_format_answer_names_the_variants(engine: Engine, question: str) -> None:
    assert any("share one architecture" in n for n in engine.ask(question).notes)


# -- 4. GPUs in nodes ----------------------------------------------------------------------------

NODES = [
    ("three a100 nodes for deepseek r1", 24),
    ("two h100 nodes for llama 3.1 405b", 16),
    ("2 nodes of 4x a100 80gb for llama 3.1 405b", 8),
    ("is 4 h100 sxm nodes enough to finetune llama 3.1 405b", 32),
    ("one a100 node with 4 gpus each for qwen 72b", 4),
    ("deepseek r1 on a node of h100s", 8),
    ("2x a100 for llama 70b", 2),
]


@pytest.mark.parametrize(("question", "count"), NODES)
def test_nodes_hold_eight_gpus_unless_said(engine: Engine, question: str, count: int) -> None:
    request = _request(engine, question)
    assert request["kind"] == "fit"
    assert request["fit"]["gpus_count"] == count
