"""Question understanding: >= 50 phrasings across every intent."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.render import render_text

# (question, intent, GPUs in order (None: don't care), fields (None: don't care))
PHRASINGS = [
    # lookup
    ("a6k bandwidth?", "lookup", ["rtx-a6000"], ["memory_bandwidth_gbs"]),
    ("How much VRAM does the RTX A4000 have?", "lookup", ["rtx-a4000"], ["memory_gb"]),
    ("rtx 4090 vram and tdp", "lookup", ["rtx-4090"], ["memory_gb", "tdp_w"]),
    ("A6000 specs", "lookup", ["rtx-a6000"], []),
    ("tell me about the l40s", "lookup", ["l40s"], []),
    ("what's the tdp of the 3090", "lookup", ["rtx-3090"], ["tdp_w"]),
    ("h100 sxm memory bandwidth", "lookup", ["h100-sxm"], ["memory_bandwidth_gbs"]),
    ("does the a4000 support nvlink", "lookup", ["rtx-a4000"], ["nvlink"]),
    ("A4000 cuda cores", "lookup", ["rtx-a4000"], ["cuda_cores"]),
    ("mi300x memory", "lookup", ["mi300x"], ["memory_gb"]),
    ("how many tensor cores in a 4090?", "lookup", ["rtx-4090"], ["tensor_cores"]),
    ("a6000 price", "lookup", ["rtx-a6000"], ["launch_price_usd"]),
    ("a4000 boost clock", "lookup", ["rtx-a4000"], ["boost_clock_mhz"]),
    ("RTX A6000 full specs", "lookup", ["rtx-a6000"], []),
    ("what compute capability is the t4", "lookup", ["t4"], ["compute_capability"]),
    ("is the a4000 single slot?", "lookup", ["rtx-a4000"], ["slots"]),
    ("7900 xtx power connectors", "lookup", ["rx-7900-xtx"], ["power_connectors"]),
    ("w7900 ecc?", "lookup", ["radeon-pro-w7900"], ["ecc"]),
    ("a4000 max power limit", "lookup", ["rtx-a4000"], ["max_power_w", "tdp_w"]),
    ("a4000 max digital resolution", "lookup", ["rtx-a4000"], ["max_resolution"]),
    ("is the 4090 a good card for training", "recommend", ["rtx-4090"], None),
    # compare
    ("A4000 vs A6000", "compare", ["rtx-a4000", "rtx-a6000"], []),
    ("compare the 3090 and the 4090", "compare", ["rtx-3090", "rtx-4090"], []),
    ("a4000 vs a6000 bandwidth", "compare", ["rtx-a4000", "rtx-a6000"], ["memory_bandwidth_gbs"]),
    ("difference between rtx 6000 ada and a6000", "compare", ["rtx-6000-ada", "rtx-a6000"], []),
    ("4090 versus 5090 memory and power", "compare", ["rtx-4090", "rtx-5090"], ["memory_gb", "tdp_w"]),
    (
        "3090, 4090 and 5090 memory bandwidth",
        "compare",
        ["rtx-3090", "rtx-4090", "rtx-5090"],
        ["memory_bandwidth_gbs"],
    ),
    (
        "h100 sxm vs a100 80gb sxm vs mi300x vs h200 sxm",
        "compare",
        ["h100-sxm", "a100-80gb-sxm", "mi300x", "h200-sxm"],
        [],
    ),
    ("l40s or a6000?", "compare", ["l40s", "rtx-a6000"], []),
    ("A4000 / A6000 tdp", "compare", ["rtx-a4000", "rtx-a6000"], ["tdp_w"]),
    ("t4 vs l4", "compare", ["t4", "l4"], []),
    ("how does the 7900 xtx compare to the 4090", "compare", ["rx-7900-xtx", "rtx-4090"], []),
    # recommend
    ("A4000 or A6000 for training?", "recommend", ["rtx-a4000", "rtx-a6000"], None),
    ("best single-slot card under $1500", "recommend", [], None),
    ("what's the best gpu for inference?", "recommend", [], None),
    ("which card should I buy for 3d rendering under $2000", "recommend", [], None),
    ("a4000 or a6000 for inference only, small budget", "recommend", ["rtx-a4000", "rtx-a6000"], None),
    ("which is better for fine-tuning, 3090 or 4090?", "recommend", ["rtx-3090", "rtx-4090"], None),
    ("recommend a gpu for multi-gpu training", "recommend", [], None),
    ("cheapest card with nvlink", "recommend", [], None),
    ("which gpu has the most memory?", "recommend", [], ["memory_gb"]),
    ("which gpu has the highest memory bandwidth under $2000", "recommend", [], ["memory_bandwidth_gbs"]),
    ("best low power gpu for inference", "recommend", [], None),
    ("is the 4090 good for training?", "recommend", ["rtx-4090"], None),
    ("good gpu for computer vision on a 1k budget", "recommend", [], None),
    # faq
    (
        "Which GPU is better for deep learning: RTX A4000 or RTX A6000?",
        "recommend",
        ["rtx-a4000", "rtx-a6000"],
        None,
    ),
    ("How does the memory capacity of these GPUs affect AI workloads?", "faq", None, None),
    ("Are the RTX A4000 and RTX A6000 future-proof for upcoming AI technologies?", "faq", None, None),
    ("What industries benefit most from the RTX A6000 over the A4000?", "faq", None, None),
    ("How do the power requirements of these GPUs compare in data-center environments?", "faq", None, None),
    ("is the a6000 worth the price?", "faq", ["rtx-a4000", "rtx-a6000"], None),
    ("pros and cons of the a4000 and a6000", "faq", None, None),
    ("do these cards have ecc", "faq", None, None),
    # clarify
    ("rtx 6000 specs", "clarify", None, None),
    ("a100 vram", "clarify", None, None),
    ("h100 vs a100", "clarify", None, None),
    ("rtx a600 bandwidth", "clarify", None, None),
    # fits (a later feature: no verdict yet)
    ("can I run llama 3 70b in 4-bit on one A6000?", "fits", ["rtx-a6000"], None),
    ("will a 13b model fit on a 4090", "fits", ["rtx-4090"], None),
    # unknown
    ("", "unknown", [], []),
    ("hello", "unknown", [], []),
    ("what's the weather like", "unknown", [], []),
    ("@everyone", "unknown", [], []),
    ("'; DROP TABLE queries; --", "unknown", [], []),
]


def test_enough_phrasings() -> None:
    assert len(PHRASINGS) >= 50
    assert {p[1] for p in PHRASINGS} == {
        "lookup",
        "compare",
        "recommend",
        "faq",
        "clarify",
        "fits",
        "unknown",
    }


@pytest.mark.parametrize(
    ("question", "intent", "gpus", "fields"), PHRASINGS, ids=[p[0] or "<empty>" for p in PHRASINGS]
)
def test_phrasing(engine: Engine, question: str, intent: str, gpus: list[str] | None, fields: list[str] | None) -> None:
    query = engine.parser.parse(question)
    assert query.intent == intent, query
    if gpus is not None:
        assert query.gpus == gpus
    if fields is not None:
        assert query.fields == fields


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("under $1500", 1500),
        ("below $1,500", 1500),
        ("under 2k", 2000),
        ("$2k budget", 2000),
        ("budget of 1200 dollars", 1200),
        ("less than $999.99", 999.99),
        ("1000 usd", 1000),
        ("with a 3000 budget", 3000),
    ],
)
def test_budget(engine: Engine, text: str, amount: float) -> None:
    from bot.text import normalize

    assert engine.parser.budget(normalize(text))[0] == pytest.approx(amount)


@pytest.mark.parametrize(
    ("text", "workload"),
    [
        ("for training", "training"),
        ("fine-tuning llama", "fine_tuning"),
        ("for inference only", "inference"),
        ("blender rendering", "rendering"),
        ("single slot", "compact"),
        ("multi-gpu training", "training"),
        ("nvlink", "multi_gpu"),
        ("low power", "low_power"),
        ("object detection", "computer_vision"),
    ],
)
def test_workload(engine: Engine, text: str, workload: str) -> None:
    from bot.text import normalize

    assert engine.parser.workload(normalize(text)) == workload


def test_modifiers_combine_with_the_main_workload(engine: Engine) -> None:
    query = engine.parser.parse("best low power single slot gpu for inference")
    assert query.workload == "inference"
    assert set(query.modifiers) == {"low_power", "compact"}
    answer = engine.ask("best low power single slot gpu for inference")
    pick = engine.catalog.gpus[answer.recommendation or ""]
    assert (pick.number("tdp_w") or 999) <= 150 and pick.get("slots") == 1


@pytest.mark.parametrize(
    ("text", "limits", "budget"),
    [
        ("cheapest gpu with at least 24gb vram", {"memory_gb": {"min": 24}}, None),
        ("best card for inference under 200w", {"tdp_w": {"max": 200}}, None),
        ("gpus with 80gb or more under $20000", {"memory_gb": {"min": 80}}, 20000),
        ("best card under 300 watts", {"tdp_w": {"max": 300}}, None),
        ("best card under 300 dollars", {}, 300),
    ],
)
def test_numeric_limits_are_not_budgets(engine: Engine, text: str, limits: dict, budget: float | None) -> None:  # type: ignore[type-arg]
    query = engine.parser.parse(text)
    assert query.limits == limits and query.budget_usd == budget


def test_limits_constrain_the_answer(engine: Engine) -> None:
    cheapest = engine.ask("cheapest gpu with at least 24gb vram")
    pick = engine.catalog.gpus[cheapest.recommendation or ""]
    assert (pick.number("memory_gb") or 0) >= 24
    low = engine.ask("best card for inference under 200w")
    assert (engine.catalog.gpus[low.recommendation or ""].number("tdp_w") or 999) <= 200


def test_listing_questions(engine: Engine) -> None:
    answer = engine.ask("what gpus have nvlink")
    assert answer.intent == "recommend" and "cards you can buy for a workstation with NVLink" in render_text(answer)
    assert answer.table is not None
    assert all(engine.catalog.gpus[g].get("nvlink") for g in answer.table.gpu_ids)
    answer = engine.ask("list all gpus with nvlink including data center")
    assert "GPUs in the catalog with NVLink" in render_text(answer)


@pytest.mark.parametrize(
    ("question", "field", "per", "lowest"),
    [
        ("which gpu has the best fp64", "fp64_tflops", None, False),
        ("which card has the best tdp", "tdp_w", None, True),
        ("gpu with the highest bandwidth per dollar", "memory_bandwidth_gbs", "launch_price_usd", False),
        ("most fp32 per watt", "fp32_tflops", "tdp_w", False),
    ],
)
def test_rankings(engine: Engine, question: str, field: str, per: str | None, lowest: bool) -> None:
    query = engine.parser.parse(question)
    assert (query.intent, query.rank_field, query.rank_per, query.rank_lowest) == ("recommend", field, per, lowest)


def test_best_with_a_workload_is_a_pick_not_a_ranking(engine: Engine) -> None:
    query = engine.parser.parse("best single-slot card under $1500")
    assert query.intent == "recommend" and query.rank_field is None


def test_per_dollar_ranking_divides_by_price(engine: Engine) -> None:
    answer = engine.ask("gpu with the highest bandwidth per dollar")
    top = engine.catalog.gpus[answer.recommendation or ""]
    ratio = (top.number("memory_bandwidth_gbs") or 0) / (top.number("launch_price_usd") or 1)
    for gpu in engine.catalog:
        price, bw = gpu.number("launch_price_usd"), gpu.number("memory_bandwidth_gbs")
        if price and bw:
            assert bw / price <= ratio + 1e-9


def test_sized_cards(engine: Engine) -> None:
    answer = engine.ask("cheapest 48gb card")
    assert (engine.catalog.gpus[answer.recommendation or ""].number("memory_gb") or 0) >= 48
