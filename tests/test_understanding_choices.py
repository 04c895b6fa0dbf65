"""Choices between cards and setups, values per unit, speeds and picks, each with many phrasings of our own.

A spec per unit ("vram per dollar", "more efficient") compares that ratio; a speed asked at a precision compares
that precision's throughput; setups asked "which is faster" are compared, setups offered as alternatives or
weighed get a verdict; "A or B for a workstation" is a verdict; "what would you buy" is a pick; a property or a
choice between named cards is not a software question.
"""

from __future__ import annotations

import pytest

from bot.engine import Engine


def _request(engine: Engine, question: str) -> dict:  # type: ignore[type-arg]
    return engine.explain(question)["request"]  # type: ignore[no-any-return]


# -- a spec per unit between named cards ---------------------------------------------------------

PER_UNIT = [
    ("which has more vram per dollar, 3090 or 4090", "memory_gb", "launch_price_usd"),
    ("3060 12gb or 4060 ti 16gb, which gives better vram per dollar?", "memory_gb", "launch_price_usd"),
    ("which one has more tflops per dollar: 4080 or 7900 xtx", "fp32_tflops", "launch_price_usd"),
    ("which has more memory bandwidth per dollar, 7900 xtx or 4080", "memory_bandwidth_gbs", "launch_price_usd"),
    ("which has more tflops per watt, a4000 or a5000", "fp32_tflops", "tdp_w"),
    ("is the a4000 more power efficient than the a5000?", "fp32_tflops", "tdp_w"),
    ("which is more energy efficient, l4 or t4", "fp32_tflops", "tdp_w"),
    ("4090 vs 3090 efficiency", "fp32_tflops", "tdp_w"),
    ("does the 5080 have better perf per watt than the 4080 super", "fp32_tflops", "tdp_w"),
]


@pytest.mark.parametrize(("question", "top", "per"), PER_UNIT)
def test_a_spec_per_unit_compares_the_ratio(engine: Engine, question: str, top: str, per: str) -> None:
    request = _request(engine, question)
    assert request["kind"] == "compare" and len(request["gpus"]) == 2
    assert (request["rank_field"], request["rank_per"]) == (top, per)
    assert {top, per} <= set(request["fields"])
    answer = engine.ask(question)
    assert answer.intent == "compare" and " per " in answer.summary.split(". ")[0]  # the per-unit verdict leads


@pytest.mark.parametrize(
    ("question", "top"),
    [
        ("which has more vram per dollar", "memory_gb"),
        ("what gpu has more bandwidth per dollar?", "memory_bandwidth_gbs"),
        ("which card has more tflops per dollar", "fp32_tflops"),
    ],
)
def test_a_spec_per_unit_without_cards_ranks_every_card(engine: Engine, question: str, top: str) -> None:
    request = _request(engine, question)
    assert request["kind"] == "rank"
    assert (request["rank_field"], request["rank_per"]) == (top, "launch_price_usd")
    assert not request.get("rank_lowest")


@pytest.mark.parametrize(
    "question",
    [
        "which is better value per dollar, 3090 or 4090",  # no spec to divide: a verdict on value
        "which is more efficient for training, a4000 or a5000",  # a workload: a verdict for it
    ],
)
def test_value_without_a_spec_or_with_a_workload_is_a_verdict(engine: Engine, question: str) -> None:
    assert _request(engine, question)["kind"] == "verdict"


# -- a speed at a precision: that precision's throughput ----------------------------------------


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ("which is faster at fp16 matrix math, the b580 or the a770?", "fp16_tensor_tflops"),
        ("which is quicker at int8 inference, t4 or l4", "int8_tensor_tops"),
        ("which is faster at fp8, h100 sxm or mi300x", "fp8_tensor_tflops"),
        ("is the 3090 or the 4080 faster at fp32", "fp32_tflops"),
        ("which does bf16 faster, l40s or a6000", "bf16_tensor_tflops"),
    ],
)
def test_a_speed_at_a_precision_compares_its_throughput(engine: Engine, question: str, field: str) -> None:
    request = _request(engine, question)
    assert request["kind"] == "property" and request["fields"][0] == field
    assert request.get("property_more") in (True, None)  # None: the field's own better direction, higher


# -- setups: speed compared, alternatives weighed -----------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "4x t4 vs 1x a10g for batch inference, which is faster",
        "3x 3090 vs 2x 4090, which is faster for 70b inference",
        "8x a100 80gb sxm vs 4x h100 sxm for pretraining, which finishes faster",
        "two 3060 12gb vs one 3090, which one is quicker?",
    ],
)
def test_setups_asked_which_is_faster_are_compared(engine: Engine, question: str) -> None:
    request = _request(engine, question)
    assert request["kind"] == "setup" and request["intent"] == "compare"


@pytest.mark.parametrize(
    "question",
    [
        "two 5060 ti 16gb or one 5080?",
        "2x 3090 or a 4090?",
        "is a pair of a4500s worth it over one 4090?",
        "would two 4060 ti 16gb be smarter than one 3090",
        "2x 3090 vs 1x 4090, which is better for llms",
        "would 3x 3060 12gb beat a single 3090 for qwen2.5 32b q4",
        "is 2x a5000 w/ nvlink better than 1x a6000 for training?",
        "2x 3090 vs 1x 4090 which is faster and which should i buy",
    ],
)
def test_setups_offered_as_alternatives_get_a_verdict(engine: Engine, question: str) -> None:
    request = _request(engine, question)
    assert request["kind"] == "setup" and request["intent"] == "recommend"


def test_setups_side_by_side_without_a_choice_stay_a_comparison(engine: Engine) -> None:
    assert _request(engine, "2x rtx 4000 ada sff vs 1x rtx 4500 ada")["intent"] == "compare"


# -- verdicts among named cards ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "gpus"),
    [
        ("rtx 5000 ada or rtx pro 4500 blackwell for a workstation?", ["rtx-5000-ada", "rtx-pro-4500-blackwell"]),
        ("4090 or 5090 for a new build?", ["rtx-4090", "rtx-5090"]),
        ("a6000 or 6000 ada for my workstation", ["rtx-a6000", "rtx-6000-ada"]),
        ("3090 or 4090 for a home server", ["rtx-3090", "rtx-4090"]),
        ("is the 4060 laptop ok for pytorch or should i spend more on a 4070 laptop", None),
        ("is the 4060 ok for learning or should I spend more on a 4070", ["rtx-4060", "rtx-4070"]),
        ("is a 3060 12gb enough for pytorch or should i step up to a 4060 ti 16gb", ["rtx-3060", "rtx-4060-ti-16gb"]),
        ("is the 7900 xtx ok for pytorch or should i get a 4080", ["rx-7900-xtx", "rtx-4080"]),
    ],
)
def test_a_choice_between_named_cards_is_a_verdict(engine: Engine, question: str, gpus: list[str] | None) -> None:
    request = _request(engine, question)
    assert request["kind"] == "verdict" and len(request["gpus"]) == 2
    if gpus is not None:
        assert request["gpus"] == gpus
    assert engine.ask(question).recommendation in request["gpus"]


def test_a_plain_a_or_b_stays_a_comparison(engine: Engine) -> None:
    assert _request(engine, "3090 or 4090?")["kind"] == "compare"


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ("is the 3090 or the 4080 super newer? trying to figure out which gets driver support longer", "release_date"),
        ("which is newer, 3090 or 4080 super? asking for driver support", "release_date"),
        ("which one has nvlink, the a6000 or the 6000 ada? want to bridge two", "nvlink"),
        ("mi300x or h100 sxm, which one has more hbm", "memory_gb"),
    ],
)
def test_a_property_between_named_cards_is_not_a_software_or_multi_gpu_question(
    engine: Engine, question: str, field: str
) -> None:
    request = _request(engine, question)
    assert request["kind"] == "property" and field in request["fields"]


# -- picks: what would you buy ------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "what would you buy for a small lab",
        "what would you buy for fine-tuning llama",
        "what should we buy for our lab",
        "what gpu would you buy for stable diffusion",
        "what would you buy for running llama locally",
        "which to buy for a homelab?",
    ],
)
def test_what_would_you_buy_is_a_pick(engine: Engine, question: str) -> None:
    request = _request(engine, question)
    assert request["kind"] == "pick" and request["intent"] == "recommend"
    assert engine.ask(question).recommendation is not None
