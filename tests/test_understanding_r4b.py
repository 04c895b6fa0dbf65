"""Comparisons that name a card with several variants: each variant side by side when they fit in one table.

Phrasings are our own. "does the A100 80GB have more bandwidth than the L40S?" is answered whichever A100 80GB
was meant, by showing each; the bot still asks when there would be too many columns, when only one card is
asked about (a memory size said about the card picks its variant: tests/test_understanding_variants.py). A
comparative word ("cheaper", "older") also puts its property first among the fields a clarification shows.
"""

from __future__ import annotations

import pytest

from bot.engine import Engine

WIDENED = [
    ("which has more vram, the mi50 or the 3090", {"mi50-16gb", "mi50-32gb", "rtx-3090"}, "memory_gb"),
    ("is the l40s cheaper than the a100 80gb", {"l40s", "a100-80gb-pcie", "a100-80gb-sxm"}, "launch_price_usd"),
    ("which is newer, the h100 or the mi300x", {"h100-nvl", "h100-pcie", "h100-sxm", "mi300x"}, "release_date"),
    ("which clocks higher, h100 or 4090", {"h100-nvl", "h100-pcie", "h100-sxm", "rtx-4090"}, "boost_clock_mhz"),
    (
        "does the a100 80gb have more bandwidth than the h200",
        {"a100-80gb-pcie", "a100-80gb-sxm", "h200-nvl", "h200-sxm"},
        "memory_bandwidth_gbs",
    ),
    (
        "l40s vs a100 80gb, which has higher memory bandwidth",
        {"l40s", "a100-80gb-pcie", "a100-80gb-sxm"},
        "memory_bandwidth_gbs",
    ),
    ("does an h100 use more power than a 4090?", {"h100-nvl", "h100-pcie", "h100-sxm", "rtx-4090"}, "tdp_w"),
]


@pytest.mark.parametrize(("question", "gpus", "field"), WIDENED)
def test_each_variant_is_compared_when_they_fit(engine: Engine, question: str, gpus: set[str], field: str) -> None:
    answer = engine.ask(question)
    assert answer.intent == "compare"
    assert set(answer.gpus) == gpus
    assert field in answer.fields
    assert any("could be the" in note for note in answer.notes)


ASKS = [
    "h100 tdp",  # one card: which one is the question
    "a100 80gb memory bandwidth",
    "does the v100 draw more power than the t4",  # five V100s and a T4: too many columns
    "does the rtx 6000 or the 4090 have more cuda cores",
]


@pytest.mark.parametrize("question", ASKS)
def test_asks_which_one_otherwise(engine: Engine, question: str) -> None:
    assert engine.ask(question).intent == "clarify"


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ("was the 3060 cheaper than the 4070 at launch", "launch_price_usd"),
        ("did the 3080 launch at a lower price than the 4070 ti", "launch_price_usd"),
        ("is the rtx 6000 older than the 3090", "release_date"),
    ],
)
def test_the_comparative_property_comes_first(engine: Engine, question: str, field: str) -> None:
    request = engine.explain(question)["request"]
    assert request["fields"][0] == field


def test_a_variant_without_the_property_is_left_out(engine: Engine) -> None:
    # the RTX 3060 8GB came out with no announced MSRP: it cannot say which was cheaper
    answer = engine.ask("was the 3060 cheaper than the 4070 at launch?")
    assert answer.intent == "compare"
    assert set(answer.gpus) == {"rtx-3060", "rtx-4070"}
    assert any("only the" in note for note in answer.notes)


def test_only_variants_with_the_property_are_compared(engine: Engine) -> None:
    # SXM modules have no slot width: the PCIe cards answer "thinner"
    answer = engine.ask("is the a100 thinner than the h100")
    assert answer.intent == "compare"
    assert set(answer.gpus) == {"a100-40gb-pcie", "a100-80gb-pcie", "h100-nvl", "h100-pcie"}


# -- a list of named cards to choose from is a pick, whatever else the asker mentions -----------

PICKS = [
    "help me choose: rtx 3060 or rtx 4070. psu: cooler master mwe 650",
    "which should i buy, 4070 super or 7900 gre? my psu is a seasonic focus 650",
    "looking for gpu recommendations: arc a770 or rtx 3060",
    "any suggestions between the a4000 and the a5000 for blender?",
    "i'd like some recommendations for a card: 4070 ti super, 7900 xt or 4080",
]


@pytest.mark.parametrize("question", PICKS)
def test_choosing_among_named_cards_is_a_pick(engine: Engine, question: str) -> None:
    request = engine.explain(question)["request"]
    assert request["intent"] == "recommend", request
    assert len(request["gpus"]) >= 2


@pytest.mark.parametrize(
    "question", ["what psu for a 4090", "is my corsair rm850 psu enough for a 4090", "what power supply for 2x 3090"]
)
def test_a_power_supply_question_is_still_one(engine: Engine, question: str) -> None:
    assert engine.explain(question)["request"]["kind"] == "psu"


@pytest.mark.parametrize(
    ("question", "gpu"),
    [
        ("does the 4090 support p2p", "rtx-4090"),
        ("can the 3090 do p2p over nvlink?", "rtx-3090"),
        ("is peer to peer possible on the a6000", "rtx-a6000"),
    ],
)
def test_peer_to_peer_asks_for_the_gpu_link(engine: Engine, question: str, gpu: str) -> None:
    request = engine.explain(question)["request"]
    assert request["gpus"] == [gpu] and "nvlink" in request["fields"]
