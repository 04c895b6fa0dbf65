"""The classes of question the understanding pipeline must read right, each with many phrasings.

Phrasings are our own, in the style of public threads (the labelled corpus in tests/corpus/ holds the
real ones). Each test reads the request (kind, GPUs, slots) through ``Engine.explain`` and, where the
answer matters, the answer.
"""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.render import render_text


def _request(engine: Engine, question: str) -> dict:  # type: ignore[type-arg]
    return engine.explain(question)["request"]  # type: ignore[no-any-return]


# -- 1. a comparative on a property answers that property ---------------------------------------

PROPERTY = [
    ("which draws less power, the a4000 or the a5000?", ["rtx-a4000", "rtx-a5000"], "tdp_w", False),
    ("does the 3090 or the 4090 use more watts", ["rtx-3090", "rtx-4090"], "tdp_w", True),
    ("3090 vs 7900 xtx, which one has more vram?", ["rtx-3090", "rx-7900-xtx"], "memory_gb", True),
    ("which has the higher memory bandwidth: h100 sxm or mi300x", ["h100-sxm", "mi300x"], "memory_bandwidth_gbs", True),
    ("is the l40s or the a6000 cheaper", ["l40s", "rtx-a6000"], "launch_price_usd", False),
    ("which came out first, 3090 or a6000?", ["rtx-3090", "rtx-a6000"], "release_date", False),
    ("which is newer: rtx 4000 ada or a4000", ["rtx-4000-ada", "rtx-a4000"], "release_date", True),
    ("a5000 or 4080, which one is thinner", ["rtx-a5000", "rtx-4080"], "slots", False),
    ("which has more tensor cores, the t4 or the a2", ["t4", "a2"], "tensor_cores", True),
    (
        "the 4060 ti 16gb or 3060 12gb, whats the wider memory bus",
        ["rtx-4060-ti-16gb", "rtx-3060"],
        "memory_bus_bits",
        True,
    ),
    ("between a4500 and a5000 which has fewer cuda cores", ["rtx-a4500", "rtx-a5000"], "cuda_cores", False),
    ("4090 vs 5090 which clocks higher", ["rtx-4090", "rtx-5090"], "boost_clock_mhz", True),
]


@pytest.mark.parametrize(("question", "gpus", "field", "more"), PROPERTY)
def test_a_property_question_answers_that_property(
    engine: Engine, question: str, gpus: list[str], field: str, more: bool
) -> None:
    request = _request(engine, question)
    assert request["kind"] == "property" and request["gpus"] == gpus
    assert request["fields"][0] == field
    answer = engine.ask(question)
    assert answer.intent == "compare" and "pick" not in answer.summary.lower()
    values = [engine.catalog.comparable(engine.catalog.gpus[g], field) for g in gpus]
    if field != "release_date" and None not in values and values[0] != values[1]:
        best = (max if more else min)(range(2), key=lambda i: values[i])  # type: ignore[arg-type,return-value]
        assert answer.recommendation == gpus[best]


@pytest.mark.parametrize(
    "question",
    [
        "which is quieter under load, a 4090 or an a6000?",
        "is the 3090 or the 4080 louder",
        "which runs cooler, a5000 or 3090",
        "a4000 vs t4 — which is more reliable for 24/7 inference?",
    ],
)
def test_a_property_without_data_says_so(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert answer.intent == "compare" and "I have no data on" in answer.summary
    assert "tdp_w" in answer.fields or "ecc" in answer.fields


# -- 2. numbers and words that are not GPU names ------------------------------------------------


@pytest.mark.parametrize(
    ("question", "capacity"),
    [
        ("is a 16G card enough for flux dev", 16),
        ("my 12 gig gpu, can it do sdxl", 12),
        ("will llama 3.1 8b run in 8gb of vram?", 8),
        ("i have 24 GB VRAM, qwen2.5 32b q4 ok?", 24),
        ("is 48 gigs enough for llama 3.3 70b at 4 bit", 48),
    ],
)
def test_memory_sizes_are_memory_not_names(engine: Engine, question: str, capacity: float) -> None:
    request = _request(engine, question)
    assert request["kind"] == "fit" and "gpus" not in request and "ambiguous" not in request
    assert request["fit"]["capacity_gb"] == capacity


@pytest.mark.parametrize(
    ("question", "budget"),
    [
        ("I have a budget of around 800 euros, what gpu for llms?", 800),
        ("best gpu $1800-2200 for training", 2200),
        ("between $1500 and $2000 for stable diffusion, which card", 2000),
        ("1.5-2k budget for a local llm box, what card", 2000),
        ("what gpu for about 700 quid for image generation", 700),
        ("budget of around 900, best card for ollama", 900),
    ],
)
def test_budgets_are_budgets_not_names(engine: Engine, question: str, budget: float) -> None:
    request = _request(engine, question)
    assert request["budget_usd"] == budget and "gpus" not in request
    assert request["kind"] in {"pick", "fit_pick"}


@pytest.mark.parametrize(
    "question",
    [
        "gfx1100 rocm support",
        "is sm_89 supported by flash attention",
        "what does g128 mean in gptq",
        "cu121 or cu124 wheel for pytorch",
        "q4_k_m or iq3_xs for 12gb",
    ],
)
def test_codes_are_not_gpu_names(engine: Engine, question: str) -> None:
    evidence = engine.explain(question)["evidence"]
    assert not [m for m in evidence if m["kind"].startswith("gpu")], evidence


@pytest.mark.parametrize(
    ("question", "gpus"),
    [
        ("4080s vs 4070s", ["rtx-4080-super", "rtx-4070-super"]),
        ("is the 4070tis worth it over the 4070s", ["rtx-4070-ti-super", "rtx-4070-super"]),
        ("two 4080s or one 4090", ["rtx-4080", "rtx-4090"]),
        ("can 8gb rtx 3060 run a 7b model", ["rtx-3060-8gb"]),
    ],
)
def test_how_people_write_card_names(engine: Engine, question: str, gpus: list[str]) -> None:
    assert _request(engine, question)["gpus"] == gpus


# -- 4. off-topic questions and hardware outside the catalog ------------------------------------


@pytest.mark.parametrize(
    "question",
    ["best pizza topping?", "which is better?", "what should i name my cat", "whats the most popular pizza", "hi"],
)
def test_off_topic_is_not_a_gpu_pick(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert answer.intent == "unknown" and answer.recommendation is None and not answer.gpus


@pytest.mark.parametrize(
    "question",
    [
        "jetson orin nano for llama",
        "can my macbook m3 max run llama 70b",
        "ryzen 9 7950x for llm inference?",
        "will my ps5 run ollama lol",
        "snapdragon x elite npu for local llm",
        "aws trainium2 for training",
    ],
)
def test_outside_hardware_is_named_not_picked(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert answer.intent == "unknown" and answer.recommendation is None and not answer.gpus


# -- 7. context mentions are not the subject ----------------------------------------------------


@pytest.mark.parametrize(
    ("question", "gpus"),
    [
        ("I upgraded from a 1080 Ti to a 4090 — can it run Llama 3.1 8B at 32k?", ["rtx-4090"]),
        ("I have a 3090, what are the A6000's specs?", ["rtx-a6000"]),
        ("currently on a 2070 super. how much vram does the 4070 ti super have", ["rtx-4070-ti-super"]),
        ("our server has 4x A100 40GB; does the L40S support NVLink?", ["l40s"]),
        ("my rig: 7950x, 64gb ddr5, rtx 3080. what's the tdp of the 7900 xtx?", ["rx-7900-xtx"]),
        ("coming from a 2080 ti, what compute capability is the rtx 5080", ["rtx-5080"]),
        ("thats my 3070 OOMing. would a 3080 12gb be enough for sdxl", ["rtx-3080-12gb"]),
    ],
)
def test_context_gpus_are_set_aside(engine: Engine, question: str, gpus: list[str]) -> None:
    assert _request(engine, question)["gpus"] == gpus


@pytest.mark.parametrize(
    "question",
    [
        "I have a 3090, is a 4090 much faster than it for sdxl?",
        "i have a 3090 vs 4090 question",
    ],
)
def test_context_stays_when_the_question_weighs_the_cards(engine: Engine, question: str) -> None:
    assert "rtx-3090" in _request(engine, question)["gpus"]


# -- 8. cloud instances -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "gpu", "count"),
    [
        ("AWS g5.xlarge — can it run llama 3 8b in fp16?", "a10g", 1),
        ("is a p4d.24xlarge enough for a full finetune of llama 3.1 70b?", "a100-40gb-sxm", 8),
        ("p5.48xlarge — how much total gpu memory is that?", "h100-sxm", 8),
        ("gcp a3-highgpu-8g, what gpu is in that?", "h100-sxm", 8),
    ],
)
def test_cloud_instances_name_their_gpus(engine: Engine, question: str, gpu: str, count: int) -> None:
    request = _request(engine, question)
    assert request["gpus"][0] == gpu
    assert request.get("counts", {}).get(gpu, 1) == count or request.get("fit", {}).get("gpus_count") == count


# -- 10. batch output lines up with input (tests/test_cli.py has the rest) -----------------------


def test_explain_names_the_rule_for_each_class(engine: Engine) -> None:
    rules = {
        "which draws less power, the a4000 or the a5000?": "property of named cards",
        "best pizza topping?": "nothing to go on",
        "jetson orin nano for llama": "outside hardware",
        "2x 3090 or one 4090 for 70B?": "setups compared",
        "does the rtx 5090 support fp4": "tensor format support",
        "what psu for 2x 3090": "power supply",
    }
    for question, rule in rules.items():
        assert engine.explain(question)["rule"] == rule, question
        assert render_text(engine.ask(question))


@pytest.mark.parametrize(
    ("question", "model"),
    [
        ("what are the minimum requirements for qwen2.5 32b?", "qwen2.5-32b"),
        ("hardware requirements to run llama 3.1 8b locally", "llama-3.1-8b"),
        ("vram usage of gemma 3 27b at 8k context?", "gemma-3-27b"),
        ("请问本地推理 llama 3.1 70b 需要多少显存？", "llama-3.1-70b"),
        ("mistral small 3 显存 需要 多少", "mistral-small-3"),
    ],
)
def test_requirements_are_what_a_model_needs(engine: Engine, question: str, model: str) -> None:
    request = _request(engine, question)
    assert request["kind"] == "fit" and request["fit"]["model_id"] == model


def test_a_card_question_still_picks_a_card(engine: Engine) -> None:
    assert _request(engine, "what gpu should i buy for llama 3 70b?")["kind"] == "fit_pick"
