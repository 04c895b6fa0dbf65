"""Answers: the JSON shape, comparisons, clarifications, recommendations and the seed's FAQs."""

from __future__ import annotations

import json
import re

import pytest

from bot.answer import Answer
from bot.catalog import Catalog
from bot.engine import Engine
from bot.handlers.context import several
from bot.render import render_json, render_text

JSON_KEYS = ["question", "intent", "gpus", "fields", "text", "facts", "recommendation", "choices", "fit"]


def _json(engine: Engine, question: str) -> dict:  # type: ignore[type-arg]
    return json.loads(render_json(engine.ask(question)))


def _fact(data: dict, gpu: str, field: str):  # type: ignore[no-untyped-def,type-arg]
    return next(f["value"] for f in data["facts"] if f["gpu"] == gpu and f["field"] == field)


def test_compare_a4000_a6000(engine: Engine) -> None:
    data = _json(engine, "A4000 vs A6000")
    assert list(data) == JSON_KEYS
    assert data["intent"] == "compare"
    assert data["gpus"] == ["rtx-a4000", "rtx-a6000"]
    assert _fact(data, "rtx-a4000", "memory_gb") == 16 and _fact(data, "rtx-a6000", "memory_gb") == 48
    assert _fact(data, "rtx-a4000", "memory_bandwidth_gbs") == 448
    assert _fact(data, "rtx-a6000", "memory_bandwidth_gbs") == 768
    text = data["text"]
    assert re.search(r"16 GB\s+48 GB", text) and re.search(r"448 GB/s\s+768 GB/s", text)
    assert "1.75× the CUDA cores" in text
    assert data["fit"] is None and data["choices"] == [] and data["recommendation"] is None


def test_compare_marks_winners_and_units(engine: Engine) -> None:
    answer = engine.ask("a4000 vs a6000 tdp and memory")
    assert answer.table is not None
    rows = {r.field: r for r in answer.table.rows}
    assert rows["tdp_w"].cells == ("140 W", "300 W") and rows["tdp_w"].winner == 0
    assert rows["memory_gb"].cells == ("16 GB", "48 GB") and rows["memory_gb"].winner == 1


def test_clarify_rtx_6000(engine: Engine) -> None:
    data = _json(engine, "rtx 6000 specs")
    assert data["intent"] == "clarify"
    six = {
        "rtx-a6000",
        "rtx-6000-ada",
        "quadro-rtx-6000",
        "rtx-pro-6000-blackwell",
        "rtx-pro-6000-blackwell-max-q",
    }
    assert len(six & set(data["choices"])) >= 3
    assert data["recommendation"] is None


def test_choose_answers_the_original_question(engine: Engine) -> None:
    answer = engine.choose("rtx 6000 memory bandwidth", "rtx-6000-ada")
    assert answer.intent == "lookup" and answer.gpus == ["rtx-6000-ada"]
    assert answer.fields == ["memory_bandwidth_gbs"]
    assert answer.question == "rtx 6000 memory bandwidth"


def test_lookup_cites_value_source_and_note(engine: Engine, catalog: Catalog) -> None:
    answer = engine.ask("a6000 base clock")
    assert "1,410 MHz" in render_text(answer)
    assert any("768" in n for n in answer.notes)  # the seed article's conflicting value, explained
    assert catalog.gpus["rtx-a6000"].source in answer.sources


def test_unknown_value_is_not_guessed(engine: Engine, catalog: Catalog) -> None:
    gpu = next(g for g in catalog if g.get("launch_price_usd") is None)
    answer = engine.ask(f"{gpu.id.replace('-', ' ')} msrp")
    assert answer.intent == "lookup" and answer.gpus == [gpu.id]
    assert "unknown" in render_text(answer) and "don't guess" in render_text(answer)
    assert not answer.answered


@pytest.mark.parametrize(
    ("question", "pick"),
    [
        ("A4000 or A6000 for training large models?", "rtx-a6000"),
        ("a4000 or a6000 for inference only, small budget", "rtx-a4000"),
        ("Which GPU is better for deep learning: RTX A4000 or RTX A6000?", "rtx-a6000"),
    ],
)
def test_seed_verdicts_come_from_scoring(engine: Engine, question: str, pick: str) -> None:
    data = _json(engine, question)
    assert data["intent"] == "recommend"
    assert data["recommendation"] == pick
    assert "instead if" in data["text"]  # what would change the choice


def test_budget_is_respected(engine: Engine, catalog: Catalog) -> None:
    for question, budget in [
        ("best single-slot card under $1500", 1500),
        ("best gpu for training under $2000", 2000),
        ("best card for rendering under 1k", 1000),
    ]:
        data = _json(engine, question)
        assert data["intent"] == "recommend"
        pick = catalog.gpus[data["recommendation"]]
        price = pick.number("launch_price_usd")
        assert price is not None and price <= budget, (question, pick.id)


def test_single_slot_pick_is_single_slot(engine: Engine, catalog: Catalog) -> None:
    data = _json(engine, "best single-slot card under $1500")
    assert catalog.gpus[data["recommendation"]].get("slots") == 1


def test_rank_by_field(engine: Engine, catalog: Catalog) -> None:
    """Among the cards one can buy for a workstation by default; across the catalog when data-centre parts are asked."""
    data = _json(engine, "which gpu has the most memory?")
    buyable = [g for g in catalog if g.get("market_segment") in ("consumer", "workstation")]
    assert catalog.gpus[data["recommendation"]].number("memory_gb") == max(g.number("memory_gb") or 0 for g in buyable)
    data = _json(engine, "which data center gpu has the most memory?")
    most = max(g.number("memory_gb") or 0 for g in catalog)
    assert catalog.gpus[data["recommendation"]].number("memory_gb") == most


SEED_FAQS = [
    ("Which GPU is better for deep learning: RTX A4000 or RTX A6000?", ["48 GB", "16 GB"]),
    ("How does the memory capacity of these GPUs affect AI workloads?", ["48 GB", "16 GB"]),
    ("Are the RTX A4000 and RTX A6000 future-proof for upcoming AI technologies?", ["48 GB", "8.6"]),
    ("What industries benefit most from the RTX A6000 over the A4000?", ["48 GB", "16 GB"]),
    ("How do the power requirements of these GPUs compare in data-center environments?", ["300 W", "140 W"]),
]


@pytest.mark.parametrize(("question", "numbers"), SEED_FAQS)
def test_seed_faqs_quote_catalog_numbers(engine: Engine, question: str, numbers: list[str]) -> None:
    data = _json(engine, question)
    assert data["intent"] in {"faq", "recommend"}
    for number in numbers:
        assert number in data["text"], (number, data["text"])
    assert data["facts"], "an FAQ answer cites the catalog values it uses"
    assert "{" not in data["text"]


def test_faq_numbers_follow_the_catalog(specs_copy, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """FAQ prose is filled from the catalog at answer time, not frozen."""
    import yaml

    from bot.catalog import load_catalog

    path = specs_copy / "gpus" / "nvidia-rtx-ampere.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    next(g for g in data["gpus"] if g["id"] == "rtx-a6000")["specs"]["tdp_w"] = 299
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    text = render_text(Engine(load_catalog(specs_copy)).ask(SEED_FAQS[4][0]))
    assert "299 W" in text and "300 W" not in text


def test_faq_prose_is_not_reused_for_other_gpus(engine: Engine) -> None:
    """FAQ templates are written about the seed's two cards; other pairs get computed answers."""
    answer = engine.ask("is the 4090 worth the price over the 3090?")
    assert answer.intent in {"compare", "recommend"}
    assert set(answer.gpus) == {"rtx-3090", "rtx-4090"}
    assert "A4000" not in render_text(answer) and "A6000" not in render_text(answer)


@pytest.mark.parametrize(
    "topic",
    [
        "nvlink",
        "ecc",
        "how big are they",
        "cuda and pytorch support",
        "ray tracing",
        "fp64 scientific",
        "pros and cons",
        "gaming fps",
    ],
)
def test_seed_topics(engine: Engine, topic: str) -> None:
    answer = engine.ask(f"a4000 and a6000 {topic}")
    assert answer.intent in {"faq", "compare"}, answer.intent
    assert answer.facts


def test_unknown_offers_examples(engine: Engine) -> None:
    answer = engine.ask("hello there")
    assert answer.intent == "unknown" and answer.examples and not answer.answered


def test_verdict_is_among_buyable_cards(engine: Engine, catalog: Catalog) -> None:
    """“Is the 4090 good for training?” is judged against cards one can buy, not data-center modules."""
    answer = engine.ask("is the 4090 good for training?")
    assert answer.intent == "recommend" and "GPUs with a known price" in render_text(answer)
    pick = catalog.gpus[answer.recommendation or ""]
    assert pick.vendor == "NVIDIA" and pick.number("launch_price_usd") is not None
    assert (pick.number("launch_price_usd") or 0) <= (catalog.gpus["rtx-4090"].number("launch_price_usd") or 0)


@pytest.mark.parametrize("question", ["xq40 vs 3090", "a4000 or qx6000 for training?"])
def test_comparison_with_an_unknown_card_is_not_answered_about_the_other(engine: Engine, question: str) -> None:
    """A comparison with a card the catalog lacks is not answered about the known card alone; a name one
    number or letter away is another card (an XQ40 is not the A40), so there is no "did you mean"; neither card
    is in TechPowerUp's database (the long tail, bot.longtail) either."""
    answer = engine.ask(question)
    assert answer.intent == "unknown" and not answer.answered and not answer.choices
    assert answer.recommendation is None and "I don't know a GPU called" in render_text(answer)


@pytest.mark.parametrize(
    ("question", "near"),
    [("rtx a600 vs 3090", "rtx-a6000"), ("rx 7800 vs 4070", "rx-7800-xt"), ("mi300 vs h100 sxm", "mi300x")],
)
def test_comparison_with_a_near_miss_asks(engine: Engine, question: str, near: str) -> None:
    answer = engine.ask(question)
    assert answer.intent == "clarify" and near in [c.gpu for c in answer.choices]


def test_unknown_name_beside_a_known_one_is_noted(engine: Engine) -> None:
    answer = engine.ask("3090 and zz9000 memory")
    assert answer.intent == "lookup" and answer.gpus == ["rtx-3090"]
    assert "I don't know a GPU called “zz9000”, so this answer leaves it out." in answer.notes


@pytest.mark.parametrize(
    ("question", "gpu", "fragments"),
    [
        ("does the 7900 xtx support pytorch?", "rx-7900-xtx", ["not a CUDA GPU", "ROCm", "compatibility matrix"]),
        ("is the arc b580 supported by pytorch", "arc-b580", ["`xpu` device", "PyTorch 2.5"]),
        ("does gaudi 3 run pytorch", "gaudi-3", ["Gaudi software stack"]),
        ("does the titan v work with cuda 13", "titan-v", ["compute capability 7.0", "CUDA 12.x"]),
        ("does the 4090 support cuda", "rtx-4090", ["compute capability 8.9", "current CUDA toolkits"]),
    ],
)
def test_software_support_follows_the_vendor(engine: Engine, question: str, gpu: str, fragments: list[str]) -> None:
    answer = engine.ask(question)
    assert answer.intent == "faq" and answer.gpus == [gpu]
    for fragment in fragments:
        assert fragment in render_text(answer), (fragment, render_text(answer))
    assert len(answer.sources) >= 2  # the GPU's datasheet and the software source


def test_software_without_a_gpu_covers_every_vendor(engine: Engine) -> None:
    text = render_text(engine.ask("cuda vs rocm?"))
    assert all(word in text for word in ("CUDA", "ROCm", "`xpu`", "Gaudi"))
    assert "A4000" not in text


def test_cuda_core_count_is_still_a_lookup(engine: Engine) -> None:
    answer = engine.ask("how many cuda cores does the 4090 have")
    assert answer.intent == "lookup" and answer.fields == ["cuda_cores"]


def test_image_generation_favours_tensor_throughput(engine: Engine) -> None:
    answer = engine.ask("which is faster for stable diffusion, 3090 or 4080?")
    assert answer.intent == "recommend" and answer.recommendation == "rtx-4080"
    assert "image generation" in render_text(answer)


def test_pick_instead_lists_each_field_once(engine: Engine) -> None:
    for question in ("which is faster for stable diffusion, 3090 or 4080?", "A4000 or A6000 for training?"):
        line = next(b for b in engine.ask(question).bullets if b.startswith("Pick the "))
        labels = re.findall(r"(?:if |, )([A-Z][\w /()-]+?) \(", line)
        assert len(labels) == len(set(labels)), line


def test_a_missing_unit_is_none_not_unknown(engine: Engine, catalog: Catalog) -> None:
    """A Pascal card has no tensor cores: its tensor throughput is "none", not a gap in the sources."""
    assert catalog.gpus["tesla-p40"].number("tensor_cores") == 0
    answer = engine.ask("p40 int8")
    assert "none (no tensor cores)" in render_text(answer) and "I don't guess" not in render_text(answer)
    assert answer.answered
    assert "none (no RT cores)" in render_text(engine.ask("h20 rt tflops"))
    assert "unknown" in render_text(engine.ask("rtx pro 4000 blackwell rt tflops"))  # unpublished stays unknown


def test_price_per_gb_in_a_comparison(engine: Engine, catalog: Catalog) -> None:
    answer = engine.ask("4090 vs 5090 price per GB")
    assert answer.intent == "compare" and set(answer.fields) == {"launch_price_usd", "memory_gb"}
    per_gb = {g: catalog.gpus[g].number("launch_price_usd") / catalog.gpus[g].number("memory_gb") for g in answer.gpus}  # type: ignore[operator]
    line = answer.summary.split(". ")[0]  # the verdict leads, the unit said once
    assert line.startswith("Launch price per GB: ")
    assert f"${per_gb['rtx-4090']:,.2f} (GeForce RTX 4090)" in line and f"${per_gb['rtx-5090']:,.2f} (" in line
    cheaper = min(per_gb, key=per_gb.__getitem__)
    assert f"the {catalog.gpus[cheaper].short_name} costs the least per GB" in line


def test_rank_by_price_per_gb(engine: Engine, catalog: Catalog) -> None:
    answer = engine.ask("cheapest price per gb")
    assert answer.intent == "recommend" and answer.table is not None
    assert answer.table.columns == ("Launch price (MSRP) per GB",)
    top = catalog.gpus[answer.table.gpu_ids[0]]
    ratios = [
        g.number("launch_price_usd") / g.number("memory_gb")  # type: ignore[operator]
        for g in catalog
        if g.number("launch_price_usd") and g.number("memory_gb")
    ]
    assert top.number("launch_price_usd") / top.number("memory_gb") == min(ratios)  # type: ignore[operator]


def test_recommendation_names_the_software_stack_of_a_non_cuda_pick(engine: Engine, catalog: Catalog) -> None:
    answer = engine.ask("best gpu for ollama under $500")
    pick = catalog.gpus[answer.recommendation or ""]
    if pick.vendor == "NVIDIA":
        assert not any(n.startswith("Software for") for n in answer.notes)
    else:
        assert answer.notes[0].startswith(f"Software for the {pick.short_name}: ")


def test_unknown_figures_in_scores_are_disclosed(engine: Engine, catalog: Catalog) -> None:
    answer = engine.ask("which is better for ai, arc b580 or rtx 3060")
    assert catalog.gpus["arc-b580"].get("fp16_tensor_tflops") is None
    assert "Unknown figures count as zero in the scores (Arc B580: FP16 tensor (dense))." in answer.notes


def test_dual_issue_fp32_is_compared_like_for_like(engine: Engine, catalog: Catalog) -> None:
    """AMD's RDNA 3 FP32 counts 4 FLOPs per shader per clock; scores and ratios count 2, and say so."""
    xtx = catalog.gpus["rx-7900-xtx"]
    assert catalog.comparable(xtx, "fp32_tflops") == pytest.approx(xtx.number("fp32_tflops") / 2)  # type: ignore[operator]
    assert catalog.comparable(catalog.gpus["rtx-4080-super"], "fp32_tflops") == 52.2
    answer = engine.ask("7900 xtx or 4080 super for blender")
    assert answer.recommendation == "rtx-4080-super"
    assert any("counts dual issue" in n and "30.7 TFLOPS" in n for n in answer.notes)
    assert not any("FP32 (61.4" in b for b in answer.bullets)  # not offered as an FP32 advantage


def test_a_workstation_card_without_a_price_is_not_called_data_center(engine: Engine) -> None:
    text = render_text(engine.ask("best gpu for rendering"))
    assert "Workstation Edition is a data-center part" not in text


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("what is a tensor core?", "What are tensor cores?"),
        ("gddr6 vs hbm", "What is the difference between GDDR and HBM memory?"),
        ("fp16 vs bf16", "FP32, FP16, BF16, FP8, INT8 and 4-bit — what is the difference?"),
        ("what is vram", "What is VRAM, and how much do I need?"),
        ("what psu do i need", "What does TDP or board power mean, and what power supply do I need?"),
    ],
)
def test_glossary_questions(engine: Engine, question: str, title: str) -> None:
    answer = engine.ask(question)
    assert answer.intent == "faq" and answer.title == title and answer.answered
    assert "{" not in render_text(answer)


def test_glossary_words_with_a_card_look_the_card_up(engine: Engine) -> None:
    answer = engine.ask("what psu do i need for a 4090")
    assert answer.intent == "lookup" and answer.fields == ["tdp_w", "power_connectors"]
    assert "450 W" in render_text(answer)
    assert engine.ask("how many tensor cores in the 4090").intent == "lookup"


@pytest.mark.parametrize(
    ("question", "outside"),
    [
        ("macbook m3 max for llm", "apple-silicon"),
        ("tpu v5e for training", "google-tpu"),
        ("can my iris xe run stable diffusion", "integrated-graphics"),
    ],
)
def test_hardware_outside_the_catalog_is_named(engine: Engine, question: str, outside: str) -> None:
    """Not answered about something else: the bot says the hardware isn't covered."""
    answer = engine.ask(question)
    reply = next(o.reply for o in engine.catalog.outside if o.id == outside)
    assert answer.intent == "unknown" and not answer.answered and answer.summary == reply
    assert answer.recommendation is None and answer.gpus == []


def test_outside_hardware_beside_a_known_gpu_is_noted(engine: Engine) -> None:
    answer = engine.ask("m4 max vs 4090")
    assert answer.gpus == ["rtx-4090"] and answer.notes[0].startswith("Apple silicon")


def test_laptop_names_are_not_the_desktop_cards(engine: Engine, catalog: Catalog) -> None:
    """ "4070 mobile" is another GPU than the desktop 4070: never answered with the desktop's specs."""
    for question in ("rtx 4070 mobile vram", "can my 4070 laptop run llama 3 8b"):
        answer = engine.ask(question)
        assert "rtx-4070" not in answer.gpus or catalog.gpus[answer.gpus[0]].get("market_segment") == "laptop"
    answer = engine.ask("best gpu for a laptop")
    assert all(catalog.gpus[g].get("market_segment") == "laptop" for g in answer.gpus)
    assert answer.recommendation is None or catalog.gpus[answer.recommendation].get("market_segment") == "laptop"


def test_laptop_gpus(engine: Engine, catalog: Catalog) -> None:
    answer = engine.ask("rtx 4070 mobile vram")
    assert answer.gpus == ["rtx-4070-laptop"] and "8 GB" in render_text(answer)
    answer = engine.ask("4090 laptop vs 4090")
    assert answer.intent == "compare" and answer.gpus == ["rtx-4090-laptop", "rtx-4090"]
    assert engine.ask("4090 vram").gpus == ["rtx-4090"]
    pick = engine.ask("best laptop gpu for llm").recommendation
    assert pick is not None and catalog.gpus[pick].get("market_segment") == "laptop"


def test_dual_issue_fp32_in_a_comparison(engine: Engine) -> None:
    answer = engine.ask("7900 xtx vs 4080 fp32")
    assert answer.table is not None
    row = answer.table.rows[0]
    assert row.cells[0] == "61.4 TFLOPS (30.7 single-issue)" and row.winner == 1
    assert answer.bullets[0] == "GeForce RTX 4080 has 1.59× the FP32 throughput of the Radeon RX 7900 XTX."


def test_fp32_rankings_count_dual_issue_like_others(engine: Engine, catalog: Catalog) -> None:
    answer = engine.ask("most fp32 under $1000")
    assert answer.table is not None
    top = catalog.gpus[answer.table.gpu_ids[0]]
    assert top.vendor == "NVIDIA"  # the 7900 XTX's 61.4 TFLOPS counts dual issue: 30.7 like for like
    for gid, row in zip(answer.table.gpu_ids, answer.table.rows, strict=True):
        if catalog.comparable(catalog.gpus[gid], "fp32_tflops") != catalog.gpus[gid].number("fp32_tflops"):
            assert "single-issue" in row.cells[0]


def test_model_pick_without_a_price_offers_lighter_setups_on_buyable_cards(engine: Engine, catalog: Catalog) -> None:
    answer = engine.ask("best data center gpu for fine tuning 13b models")
    assert answer.recommendation is not None
    assert catalog.gpus[answer.recommendation].number("launch_price_usd") is None
    assert "You asked about budget" not in render_text(answer)
    lighter = [b for b in answer.bullets if b.startswith(("To LoRA", "To QLoRA"))]
    assert len(lighter) == 2
    for line in lighter:
        need = float(re.search(r"about ([\d,.]+) GB", line).group(1).replace(",", ""))  # type: ignore[union-attr]
        name = re.search(r"GB\): the (.+?) \(\$", line).group(1)  # type: ignore[union-attr]
        gpu = next(g for g in catalog if g.short_name == name)
        assert (gpu.number("memory_gb") or 0) >= need and gpu.number("launch_price_usd")
    # never a "best card with a known price" that cannot hold the model
    assert not any(b.startswith("Instinct MI355X is a data-center part") and "RX 9070" in b for b in answer.bullets)


def test_low_profile_builds_allow_dual_slot_half_height_cards(engine: Engine, catalog: Catalog) -> None:
    answer = engine.ask("best low profile gpu for inference")
    assert answer.recommendation is not None
    for gid in [answer.recommendation, *answer.gpus]:
        assert "low profile" in str(catalog.gpus[gid].get("form_factor")).lower()
    assert "single-slot" not in render_text(answer).lower() or "slot budget" not in render_text(answer)


def test_several_cards_of_one_kind_are_totalled(engine: Engine) -> None:
    # A choice between setups (count x card) gets a column per setup, with the totals and their terms.
    answer = engine.ask("should i get a 4090 or two 3090s")
    assert answer.intent == "recommend" and set(answer.gpus) == {"rtx-4090", "rtx-3090"}
    assert answer.table is not None and answer.table.columns == ("1× GeForce RTX 4090", "2× GeForce RTX 3090")
    rows = {row.label: row.cells for row in answer.table.rows}
    assert rows["Memory in total"][1] == "48 GB (2 × 24 GB)"
    assert rows["FP16 tensor in total"][1] == "142.0 TFLOPS (2 × 71.0 TFLOPS)"
    assert rows["Board power in total"] == ("450 W", "700 W (2 × 350 W)")
    assert rows["NVLink"][1] == "Yes (NVLink between them)"
    assert not any("2× GeForce RTX 4090" in b for b in answer.bullets)  # "a 4090" is one card
    # Outside a setup comparison, several() still totals them with the same helpers.
    compare = Answer(question="", intent="compare", title="")
    ctx = engine.composer.context
    several(ctx, compare, {"rtx-3090": 2}, [ctx.catalog.gpus["rtx-3090"]])
    line = compare.bullets[0]
    assert line.startswith("2× GeForce RTX 3090 together: 48 GB memory, 142.0 TFLOPS FP16 tensor, 700 W power")
    assert "$2,998 at launch MSRP" in line and "NVLink between them" in line


def test_cheapest_card_for_a_model_ranks_by_price(engine: Engine, catalog: Catalog) -> None:
    answer = engine.ask("cheapest card that can run llama 3 70b in 4 bit")
    assert answer.title == "Cheapest GPU to run Llama 3 70B in 4-bit" and answer.table is not None
    need = float(re.search(r"about ([\d.]+) GB", answer.summary).group(1))  # type: ignore[union-attr]
    prices = [catalog.gpus[g].number("launch_price_usd") for g in answer.table.gpu_ids]
    assert prices == sorted(prices)  # type: ignore[type-var]
    assert all((catalog.gpus[g].number("memory_gb") or 0) >= need for g in answer.table.gpu_ids)
    pair = next(b for b in answer.bullets if b.startswith("Two "))
    assert "hold it split across them" in pair


def test_worth_it_is_a_verdict(engine: Engine) -> None:
    answer = engine.ask("is the 3090 still worth it in 2025")
    assert answer.intent == "recommend" and "the GeForce RTX 3090 ranks #" in answer.summary
    assert "AI/ML in general" in answer.summary
