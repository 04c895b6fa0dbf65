"""Picks that fit who is asking: cards one can buy by default, LLM work memory first, laptops, other currencies."""

from __future__ import annotations

import pytest

from bot.advisor import advise, rank_by_field
from bot.answer import Answer
from bot.catalog import GPU, Catalog
from bot.engine import Engine
from bot.handlers.context import WORKSTATION_NOTE
from bot.render import render_text
from bot.text import normalize

WORKSTATION = ("consumer", "workstation")


def _pick(engine: Engine, question: str) -> tuple[Answer, GPU]:
    answer = engine.ask(question)
    assert answer.intent == "recommend", (question, answer.intent)
    assert answer.recommendation is not None, question
    return answer, engine.catalog.gpus[answer.recommendation]


# -- cards one can buy for a workstation, unless data-centre parts are asked ----------------------


@pytest.mark.parametrize(
    "question",
    [
        "what GPU should I get for deep learning",
        "best gpu for training",
        "which gpu should i buy for machine learning?",
        "recommend a gpu for inference",
        "what's the best card for stable diffusion",
        "best gpu for fine tuning",
        "You have some list of best GPUs for training?",
        "which gpu for training yolo models as a hobby",
        "what's the best AMD card for llms",
        "best nvidia gpu for computer vision",
        "best single slot card for inference",
        "which gpu has the most memory?",
        "which gpu has the highest bandwidth",
        "what gpus have nvlink",
        "recommend a gpu for multi-gpu training",
    ],
)
def test_picks_are_cards_one_can_buy_for_a_workstation(engine: Engine, question: str) -> None:
    answer, gpu = _pick(engine, question)
    assert gpu.get("market_segment") in WORKSTATION, (question, gpu.id)
    text = render_text(answer)
    assert WORKSTATION_NOTE in text, question  # each of these would pick a data-centre part otherwise


@pytest.mark.parametrize(
    "question",
    [
        "best gpu for training in a data center",
        "best server gpu for inference",
        "what gpu should our company buy for training large models",
        "which datacentre gpu has the most memory?",
        "best gpu for llm serving in the cloud",
    ],
)
def test_data_centre_words_open_the_whole_catalog(engine: Engine, question: str) -> None:
    answer, gpu = _pick(engine, question)
    assert gpu.get("market_segment") == "data center", (question, gpu.id)
    assert WORKSTATION_NOTE not in render_text(answer)


@pytest.mark.parametrize(
    "question",
    [
        "recommend me a gpu for running 70b models at home on one card",
        "best gpu for fine tuning 13b models",
        "best gpu to run llama 3 70b",
        "cheapest card that can run llama 3 70b in 4 bit",
    ],
)
def test_model_sized_picks_are_cards_one_can_buy(engine: Engine, question: str) -> None:
    _, gpu = _pick(engine, question)
    assert gpu.get("market_segment") in WORKSTATION, (question, gpu.id)


@pytest.mark.parametrize(
    "question",
    [
        "best gpu for training under $1500",  # data-centre parts have no price: the budget leaves them out anyway
        "best gpu for stable diffusion under $800",
        "best laptop gpu for ml",
    ],
)
def test_no_workstation_note_when_the_market_changed_nothing(engine: Engine, question: str) -> None:
    answer, _ = _pick(engine, question)
    assert WORKSTATION_NOTE not in render_text(answer)


@pytest.mark.parametrize(
    ("question", "gpu_id"),
    [
        ("is the a100 80gb pcie good for training?", "a100-80gb-pcie"),
        ("is the l40s good for inference?", "l40s"),
        ("is the tesla p40 worth it for llms", "tesla-p40"),
    ],
)
def test_a_named_data_centre_card_is_judged_against_the_whole_catalog(
    engine: Engine, question: str, gpu_id: str
) -> None:
    answer = engine.ask(question)
    assert answer.gpus == [gpu_id]
    assert "GPUs in the catalog" in answer.summary or "known price" in answer.summary
    assert WORKSTATION_NOTE not in render_text(answer)


def test_a_named_consumer_card_is_judged_among_cards_one_can_buy(engine: Engine) -> None:
    text = render_text(engine.ask("is the 4090 good for training?"))
    assert "Regardless of price, the top pick is the RTX PRO 6000" in text
    assert WORKSTATION_NOTE in text


def test_a_choice_between_named_cards_keeps_them_all(engine: Engine) -> None:
    answer = engine.ask("h100 pcie or rtx 4090 for training?")
    assert set(answer.gpus) == {"h100-pcie", "rtx-4090"}
    assert answer.recommendation == "h100-pcie"
    assert WORKSTATION_NOTE not in render_text(answer)


def test_nothing_buyable_says_where_it_looked(engine: Engine) -> None:
    answer = engine.ask("best gpu for llms with at least 200gb")
    assert answer.summary.startswith("No card you can buy for a workstation meets that")
    assert WORKSTATION_NOTE in answer.notes
    answer = engine.ask("best gpu for fine tuning 13b models")
    assert answer.summary.startswith("No card you can buy for a workstation can fully fine-tune")


def test_listing_counts_the_cards_one_can_buy(engine: Engine, catalog: Catalog) -> None:
    answer = engine.ask("what gpus have nvlink")
    count = sum(1 for g in catalog if g.get("nvlink") and g.get("market_segment") in WORKSTATION)
    assert answer.summary.startswith(f"{count} cards you can buy for a workstation with NVLink")


def test_advisor_one_of_requirement(catalog: Catalog) -> None:
    advice = advise(catalog, "training", require={"market_segment": {"one_of": ["consumer", "workstation"]}})
    assert advice.ranked and all(s.gpu.get("market_segment") in WORKSTATION for s in advice.ranked)
    left_out = {g.id for g, _ in advice.excluded}
    assert "b300" in left_out and advice.missed["b300"] == ("market_segment",)
    reason = {g.id: r for g, r in advice.excluded}["b300"]
    assert reason == "market segment data center, not consumer or workstation"
    named = advise(catalog, "training", gpus=["b300", "rtx-4090"], require={"market_segment": {"one_of": WORKSTATION}})
    assert {s.gpu.id for s in named.ranked} == {"b300", "rtx-4090"} and "b300" in named.violations
    ordered, _ = rank_by_field(catalog, "memory_gb", require={"market_segment": {"one_of": ["laptop"]}})
    assert ordered and all(g.get("market_segment") == "laptop" for g in ordered)


# -- LLM work is memory first ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "best gpu for local llms",
        "gpu for running llms at home",
        "which card for ollama",
        "llama.cpp on a budget",
        "vllm card",
        "best gpu for lm studio",
        "gpu for a local chatbot",
        "text generation webui gpu",
        "gpu for large language models",
        "koboldcpp gpu",
        "best gpu for gguf models",
        "local llm rig",
    ],
)
def test_llm_words_select_the_llm_workload(engine: Engine, text: str) -> None:
    assert engine.parser.workload(normalize(text)) == "llm"


@pytest.mark.parametrize(
    ("text", "workload"),
    [
        ("best gpu for inference", "inference"),
        ("model serving gpu", "inference"),
        ("gpu to deploy models", "inference"),
        ("fine tune a model", "fine_tuning"),
        ("stable diffusion", "image_generation"),
        ("deep learning", "training"),
    ],
)
def test_other_workloads_keep_their_words(engine: Engine, text: str, workload: str) -> None:
    assert engine.parser.workload(normalize(text)) == workload


def test_llm_weights_lead_with_memory_then_bandwidth(catalog: Catalog) -> None:
    weights = catalog.workloads["llm"]["weights"]
    order = sorted(weights, key=lambda k: -weights[k])
    assert order[:2] == ["memory_gb", "memory_bandwidth_gbs"]


@pytest.mark.parametrize("budget", [400, 500, 700, 1000, 1500, 2500])
@pytest.mark.parametrize("phrasing", ["best gpu under ${b} for local llms", "what gpu for ollama, budget ${b}"])
def test_llm_budget_picks_have_the_most_memory_within_the_budget(
    engine: Engine, catalog: Catalog, budget: int, phrasing: str
) -> None:
    _, gpu = _pick(engine, phrasing.format(b=budget))
    within = [
        g
        for g in catalog
        if g.get("market_segment") in WORKSTATION and (p := g.number("launch_price_usd")) is not None and p <= budget
    ]
    most = max(g.number("memory_gb") or 0 for g in within)
    assert gpu.number("memory_gb") == most, (budget, gpu.id)


def _priced_buyable(catalog: Catalog) -> list[str]:
    return [g.id for g in catalog if g.get("market_segment") in WORKSTATION and g.number("launch_price_usd")]


def test_llm_verdicts_never_call_a_card_with_less_memory_better_silently(engine: Engine, catalog: Catalog) -> None:
    for gid in _priced_buyable(catalog):
        gpu = catalog.gpus[gid]
        answer = engine.ask(f"is the {gpu.name} worth it for llms")
        if answer.gpus != [gid] or answer.recommendation in (None, gid):
            continue
        alt = catalog.gpus[answer.recommendation]
        if (alt.number("memory_gb") or 0) < (gpu.number("memory_gb") or 0):
            assert any("less memory" in b for b in answer.bullets), (gid, alt.id)


def test_arc_b580_for_llms_is_not_told_to_take_an_8gb_card(engine: Engine) -> None:
    answer = engine.ask("is the Arc B580 worth it for LLMs")
    assert answer.recommendation == "arc-b580"
    assert not any("does better" in b for b in answer.bullets)


def test_a_card_with_less_memory_is_offered_with_what_it_gives_up(engine: Engine) -> None:
    """Training is not memory first: a swap to less memory may be offered, but says what it costs."""
    for question in ("is the 3090 good for training?", "is the rtx 3060 12gb good for stable diffusion?"):
        answer = engine.ask(question)
        named = engine.catalog.gpus[answer.gpus[0]]
        if answer.recommendation and answer.recommendation != named.id:
            alt = engine.catalog.gpus[answer.recommendation]
            if (alt.number("memory_gb") or 0) < (named.number("memory_gb") or 0):
                assert any("less memory" in b and "may not fit" in b for b in answer.bullets), question


# -- laptops --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "best laptop GPU for ML under $1500",
        "best laptop gpu for ml",
        "which laptop should i buy for stable diffusion",
        "best gaming laptop for deep learning",
        "laptop for local llms under 2000 dollars",
        "recommend a notebook gpu for training",
        "I have a budget of $1,066.67. What can buy a laptop that can generate images quickly",
        "what laptop gpu is best for running llama",
    ],
)
def test_laptop_picks_are_laptop_gpus(engine: Engine, question: str) -> None:
    answer, gpu = _pick(engine, question)
    assert gpu.get("market_segment") == "laptop", (question, gpu.id)
    assert any("no price of their own" in b and "memory first" in b for b in answer.bullets), question
    most = next(b for b in answer.bullets if b.startswith("Laptop GPUs with the most memory"))
    assert "GeForce RTX 5090 Laptop GPU (24 GB)" in most
    assert "$" not in answer.summary  # the budget does not filter laptop GPUs
    assert all(g.get("market_segment") == "laptop" for g in (engine.catalog.gpus[f.gpu] for f in answer.facts))


def test_laptop_budget_is_explained_not_applied(engine: Engine) -> None:
    answer = engine.ask("best laptop GPU for ML under $1500")
    note = next(b for b in answer.bullets if "no price of their own" in b)
    assert "$1,500 budget buys a whole laptop" in note
    assert answer.answered


def test_laptop_ranking_is_among_laptop_gpus(engine: Engine) -> None:
    answer = engine.ask("which laptop gpu has the most vram")
    assert answer.recommendation == "rtx-5090-laptop"
    assert answer.table is not None
    assert all(engine.catalog.gpus[g].get("market_segment") == "laptop" for g in answer.table.gpu_ids)
    assert any("no price of their own" in n for n in answer.notes)


def test_one_named_laptop_gpu_ranks_among_laptop_gpus(engine: Engine) -> None:
    answer = engine.ask("is the 4070 laptop good for stable diffusion?")
    assert "of 17 laptop GPUs" in answer.summary


# -- budgets in other currencies ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "code", "amount"),
    [
        ("best gpu for deep learning around 800 euros", "EUR", "800"),
        ("best gpu for stable diffusion under 1000 eur", "EUR", "1,000"),
        ("best gpu for training under 1500 pounds", "GBP", "1,500"),
        ("what gpu for llms, 700 quid max", "GBP", "700"),
        ("best gpu for inference under 2000 cad", "CAD", "2,000"),
    ],
)
def test_budget_in_another_currency_is_compared_as_is(engine: Engine, question: str, code: str, amount: str) -> None:
    answer = engine.ask(question)
    note = next(n for n in answer.notes if "exchange rate" in n)
    assert code in note and f"compared {amount} with them as-is" in note
    assert f"under {amount} {code}" in answer.summary


def test_budget_in_dollars_has_no_currency_note(engine: Engine) -> None:
    answer = engine.ask("best gpu for training under $1500")
    assert not any("exchange rate" in n for n in answer.notes)
    assert "under $1,500" in answer.summary


def test_ranking_with_a_budget_in_another_currency(engine: Engine) -> None:
    answer = engine.ask("which gpu has the most vram under 1000 euros")
    assert any("exchange rate" in n for n in answer.notes)
    assert "under 1,000 EUR" in answer.title
