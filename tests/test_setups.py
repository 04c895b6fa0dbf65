"""Setups compared (count × card): a column per setup, what each holds of a model, the trade-offs and a verdict
that follows from the numbers."""

from __future__ import annotations

import re
from types import MappingProxyType

import pytest

from bot.answer import Answer
from bot.catalog import Catalog
from bot.engine import Engine
from bot.handlers.context import HandlerContext
from bot.handlers.setup_verdict import Measure, decide, ladder
from bot.handlers.setups import setups
from bot.prices import Price, PriceBook
from bot.render import render_text
from bot.request import FitRequest, Query


def _rows(answer: Answer) -> dict[str, tuple[str, ...]]:
    assert answer.table is not None
    return {row.label: row.cells for row in answer.table.rows}


def _setup_query(gpus: list[str], counts: dict[str, int], **slots: object) -> Query:
    return Query(text="", intent="recommend", gpus=gpus, counts=counts, kind="setup", **slots)  # type: ignore[arg-type]


# -- counts however they are written, with and without a model ---------------------------------

PHRASINGS = [
    # question, columns, recommendation
    ("2x 3090 or one 4090 for 70B?", ("2× GeForce RTX 3090", "1× GeForce RTX 4090"), "rtx-3090"),
    ("two 3090s or a 4090 for llama 3 70b", ("2× GeForce RTX 3090", "1× GeForce RTX 4090"), "rtx-3090"),
    ("dual 3090 vs single 4090 for local llm", ("2× GeForce RTX 3090", "1× GeForce RTX 4090"), "rtx-3090"),
    ("3090 x2 vs 4090", ("2× GeForce RTX 3090", "1× GeForce RTX 4090"), "rtx-3090"),
    ("4 x a4000 vs a6000 for fine-tuning", ("4× RTX A4000", "1× RTX A6000"), "rtx-a6000"),
    ("4x A4000 vs 1x A6000 for fine-tuning", ("4× RTX A4000", "1× RTX A6000"), "rtx-a6000"),
    ("should i get a 4090 or two 3090s", ("1× GeForce RTX 4090", "2× GeForce RTX 3090"), "rtx-3090"),
    ("8x 4090 box vs 2x H100 NVL for 70b qlora", ("8× GeForce RTX 4090", "2× H100 NVL"), "h100-nvl"),
    (
        "3x 3060 12gb vs 2x 3090 vs 1x a6000 for 70b q4",
        ("3× GeForce RTX 3060", "2× GeForce RTX 3090", "1× RTX A6000"),
        # against usable memory the A6000 holds Q4_K_M with room, and so do the 3090s now that llama.cpp's token
        # embeddings are counted in system RAM (23.0 of 25.8 GB per GPU)
        "rtx-3090",
    ),
    (
        "4x 4090 vs 2x a6000 vs 1x h100 pcie for training",
        ("4× GeForce RTX 4090", "2× RTX A6000", "1× H100 PCIe"),
        "h100-pcie",
    ),
    ("2x 4090 or 1x 5090 for mistral 7b", ("2× GeForce RTX 4090", "1× GeForce RTX 5090"), "rtx-5090"),
    (
        "should i buy two 4060 ti 16gb or one 4090 for stable diffusion",
        ("2× GeForce RTX 4060 Ti 16GB", "1× GeForce RTX 4090"),
        "rtx-4090",
    ),
    (
        "two 4090s vs one rtx 6000 ada for rendering",
        ("2× GeForce RTX 4090", "1× RTX 6000 Ada Generation"),
        "rtx-6000-ada",
    ),
    (
        "2 x 4060 ti 16gb vs 1 x 3090 for ollama? about the same money",
        ("2× GeForce RTX 4060 Ti 16GB", "1× GeForce RTX 3090"),
        "rtx-4060-ti-16gb",
    ),
]


@pytest.mark.parametrize(("question", "columns", "pick"), PHRASINGS)
def test_each_setup_gets_a_column_and_the_verdict_follows(
    engine: Engine, question: str, columns: tuple[str, ...], pick: str
) -> None:
    answer = engine.ask(question)
    assert answer.kind == "setup"
    assert answer.table is not None and answer.table.columns == columns
    assert answer.recommendation == pick
    assert answer.summary.startswith(("Pick the ", "On these numbers the "))
    assert "What decides is " in answer.summary
    rows = _rows(answer)
    for label in ("Memory in total", "Memory per card", "FP16 tensor in total", "Board power in total", "Price"):
        assert label in rows
    assert "NVLink" in rows and "Slots in total" in rows


def test_a_pair_of_is_two(engine: Engine) -> None:
    answer = engine.ask("a pair of 3090s or one 4090?")
    assert answer.table is not None and answer.table.columns[0] == "2× GeForce RTX 3090"


def test_totals_show_their_terms_and_cite_the_card_values(engine: Engine) -> None:
    answer = engine.ask("4x A4000 vs 1x A6000 for fine-tuning")
    rows = _rows(answer)
    assert rows["Memory in total"] == ("64 GB (4 × 16 GB)", "48 GB")
    assert rows["Memory per card"] == ("16 GB", "48 GB")
    assert rows["FP16 tensor in total"][0] == "306.8 TFLOPS (4 × 76.7 TFLOPS)"
    assert rows["Board power in total"] == ("560 W (4 × 140 W)", "300 W")
    assert rows["Price"] == ("$4,000 at launch MSRP (4 × $1,000)", "$4,650 at launch MSRP")
    assert rows["Slots in total"] == ("4 (4 × 1)", "2")
    assert rows["NVLink"] == ("No (no NVLink: they talk over PCIe)", "Yes")
    cited = {(f.gpu, f.field) for f in answer.facts}
    for gpu in ("rtx-a4000", "rtx-a6000"):
        for key in ("memory_gb", "fp16_tensor_tflops", "tdp_w", "launch_price_usd", "nvlink", "slots"):
            assert (gpu, key) in cited
    # the better cell per row: more memory in total, less power
    assert answer.table is not None
    winners = {row.label: row.winner for row in answer.table.rows}
    assert winners["Memory in total"] == 0 and winners["Board power in total"] == 1


def test_sxm_modules_take_no_slot(engine: Engine) -> None:
    answer = engine.ask("8x h100 sxm vs 8x a100 80gb sxm for llama 3.1 405b fp8")
    assert all(cell.startswith("none: SXM") for cell in _rows(answer)["Slots in total"])


# -- with a model ------------------------------------------------------------------------------


def test_a_setup_that_cannot_hold_the_model_loses(engine: Engine) -> None:
    # a 4090 holds 70B at Q2_K within the margin band (25.5 of 25.8 GB usable): a 4080 is the card that cannot
    answer = engine.ask("2x 3090 or one 4080 for 70B?")
    rows = _rows(answer)
    assert rows["Holds the model"] == ("At best in Q4_K_M (4-bit GGUF)", "No, not even in Q2_K")
    assert rows["Needs per card"][0].startswith("about 2") and rows["Needs per card"][0].endswith("GB usable)")
    assert answer.recommendation == "rtx-3090"
    assert "what each holds" in answer.summary
    fit = answer.fit
    assert fit is not None and fit["gpus_count"] == 2 and fit["precision"] == "q4_k_m" and fit["fits"] is True
    assert fit["available_gb"] == 48
    # every term of the estimate is shown, per setup (a bare 70B is shaped like Llama 3 70B, its output layer at Q6_K)
    assert any(b.startswith("2× GeForce RTX 3090: FP16 needs about") and "weights 42.7 GB" in b for b in answer.bullets)
    assert any(b.startswith("1× GeForce RTX 4080: FP16 needs") and "Even Q2_K needs" in b for b in answer.bullets)


def test_the_asked_precision_is_held_to_then_speed_decides(engine: Engine) -> None:
    answer = engine.ask("2x 3090 vs 1x a6000 for llama 3 70b in 4 bit")
    assert answer.title.endswith("to run Llama 3 70B in 4-bit")
    rows = _rows(answer)
    assert all(cell.startswith("Yes, in 4-bit") for cell in rows["Holds the model"])
    assert "decode speed" in answer.summary and answer.recommendation == "rtx-3090"
    speed = next(b for b in answer.bullets if b.startswith("Decode speed for one sequence"))
    assert "fitted on public measurements" in speed and "936 GB/s ÷ about" in speed and "tensor parallel" in speed
    assert "(up to" in rows["Decode speed (estimate)"][0] and "(up to" not in rows["Decode speed (estimate)"][1]


def test_the_best_precision_each_setup_holds_when_none_is_asked(engine: Engine) -> None:
    answer = engine.ask("2x 3090 vs 4090 for qwen2.5 32b")
    rows = _rows(answer)
    assert rows["Holds the model"] == ("At best in Q8_0 (8-bit GGUF)", "At best in Q5_K_M, tight")
    assert answer.recommendation == "rtx-3090"


def test_training_falls_back_to_lighter_methods(engine: Engine) -> None:
    answer = engine.ask("2x a6000 or 1x h100 pcie for full fine tune llama 3 8b")
    assert answer.title.endswith("to fully fine-tune Llama 3 8B")
    assert _rows(answer)["Holds the model"] == ("Only with LoRA", "Only with LoRA")
    assert "a full fine-tune needs about" in " ".join(answer.bullets)
    # both hold it with LoRA; the H100's one card out-computes the A6000 pair's data parallel
    assert answer.recommendation == "h100-pcie" and "FP16 tensor you can count on" in answer.summary
    assert "data parallel" in answer.summary


def test_a_split_training_job_counts_one_card_at_a_time(engine: Engine) -> None:
    answer = engine.ask("8x 4090 box vs 2x H100 NVL for 70b qlora")
    assert "count on one card working at a time" in answer.summary
    assert "2 × 835.5 TFLOPS (a full copy on each card: data parallel)" in answer.summary


def test_nothing_holds_it(engine: Engine) -> None:
    q = _setup_query(
        ["rtx-3060", "rtx-4060"], {"rtx-3060": 2}, fit=FitRequest(model_id="llama-3.1-405b", precision="fp16")
    )
    answer = setups(engine.composer.context, q)
    assert answer.recommendation is None and answer.summary.startswith("None of these setups holds it")
    assert any(b.startswith("Cheapest single GPU that holds it") or "No single GPU" in b for b in answer.bullets)
    assert answer.fit is not None and answer.fit["fits"] is False


# -- the verdict never hides what it gives up -------------------------------------------------

GIVES_UP = [
    "2x 4090 or 1x 5090 for mistral 7b",
    "4x A4000 vs 1x A6000 for fine-tuning",
    "4 x 7900 xtx vs 2 x a6000 for a home inference server, 96gb either way",
    "2x a5000 vs 1x a6000 for training",
    "2x L4 vs 1x L40S on gcp for serving mistral 7b to ~50 users",
    "two 4090s vs one rtx 6000 ada for rendering",
    "should i buy two 4060 ti 16gb or one 4090 for stable diffusion",
]


@pytest.mark.parametrize("question", GIVES_UP)
def test_a_winner_with_less_memory_says_what_it_gives_up(engine: Engine, catalog: Catalog, question: str) -> None:
    answer = engine.ask(question)
    assert answer.table is not None and answer.recommendation is not None
    totals = dict(zip(answer.table.gpu_ids, _rows(answer)["Memory in total"], strict=True))
    mine = float(totals[answer.recommendation].split()[0])
    bigger = [g for g, cell in totals.items() if float(cell.split()[0]) > mine]
    for other in bigger:
        name = next(c for c, g in zip(answer.table.columns, answer.table.gpu_ids, strict=True) if g == other)
        line = next(b for b in answer.bullets if b.startswith("What the ") and f"against the {name}:" in b)
        assert "memory in total" in line and "holds bigger models or longer context" in line


def test_the_trade_offs_are_stated(engine: Engine) -> None:
    text = render_text(engine.ask("2x 3090 or one 4090 for 70B?"), full=True)  # the whole answer, past "show all"
    assert "split across the cards" in text and "llama.cpp" in text and "tensor parallel (vLLM)" in text
    assert "PCIe lanes" in text and "bigger power supply" in text and "One card is simpler" in text
    assert "Board power: 2× GeForce RTX 3090 700 W, 1× GeForce RTX 4090 450 W." in text
    # no single card among the setups: nothing to say about one card
    assert "One card is simpler" not in render_text(engine.ask("8x 4090 box vs 2x H100 NVL for 70b qlora"))


def test_compare_intent_states_the_leader_without_asking_to_pick(engine: Engine) -> None:
    answer = engine.ask("3090 x2 vs 4090")
    assert answer.intent == "compare"
    assert answer.summary.startswith("On these numbers the 2× GeForce RTX 3090 comes out ahead")


def test_workloads_decide_by_what_limits_them(engine: Engine) -> None:
    llm = engine.ask("dual 3090 vs single 4090 for local llm")
    assert "memory in total" in llm.summary and llm.recommendation == "rtx-3090"
    sd = engine.ask("should i buy two 4060 ti 16gb or one 4090 for stable diffusion")
    assert "memory per card" in sd.summary  # a diffusion model does not split across cards
    training = engine.ask("2x a5000 vs 1x a6000 for training")
    assert "memory per card" in training.summary and training.recommendation == "rtx-a6000"
    # Equal memory in total: an LLM decodes at the speed memory is read, so bandwidth decides, not tensor
    for question in ("is 2x 3060 12gb better than one 3090 for llms", "two 4060 ti 8gb or one 4070 ti super for llm?"):
        tie = engine.ask(question)
        assert "memory bandwidth per card" in tie.summary and "FP16 tensor" not in tie.summary, question


def test_non_cuda_cards_get_their_software_note(engine: Engine) -> None:
    answer = engine.ask("4 x 7900 xtx vs 2 x a6000 for a home inference server, 96gb either way")
    assert any(n.startswith("Software for the Radeon RX 7900 XTX") for n in answer.notes)


def test_operator_prices_are_used_and_labelled(catalog: Catalog, engine: Engine) -> None:
    prices = PriceBook(MappingProxyType({"rtx-3090": Price(700.0, "current", "2025-06-01")}))
    ctx = HandlerContext(catalog, prices, engine.models)
    answer = setups(ctx, _setup_query(["rtx-3090", "rtx-4090"], {"rtx-3090": 2}))
    assert _rows(answer)["Price"] == ("$1,400 at listed prices (2 × $700)", "$1,599 at launch MSRP")
    assert any("current price as of 2025-06-01" in b for b in answer.bullets)
    assert any("current prices" in n for n in answer.notes)


def test_more_than_four_setups_name_the_ones_left_out(engine: Engine) -> None:
    q = _setup_query(["rtx-3090", "rtx-4090"], {"rtx-3090": 2}, dropped=["rtx-a6000"])
    answer = setups(engine.composer.context, q)
    assert any("left out: RTX A6000" in n for n in answer.notes)


# -- the pieces --------------------------------------------------------------------------------


def test_the_ladder_goes_one_precision_per_size_and_training_to_qlora() -> None:
    assert [r.precision for r in ladder(FitRequest(params_b=70))] == [
        None,
        "fp8",
        "q6_k",
        "q4_k_m",
        "int4",
        "q3_k_m",
        "q2_k",
    ]
    assert [r.precision for r in ladder(FitRequest(params_b=70, precision="q4_k_m"))] == [
        "q4_k_m",
        "int4",
        "q3_k_m",
        "q2_k",
    ]
    assert [r.mode for r in ladder(FitRequest(params_b=8, mode="full"))] == ["full", "lora", "qlora"]
    assert [r.mode for r in ladder(FitRequest(params_b=8, mode="qlora"))] == ["qlora"]


def test_decide_weighs_measures_in_order_and_skips_unknowns() -> None:
    unknown = Measure("price", (None, -1.0, -2.0), ("?", "$1", "$2"))
    memory = Measure("memory", (48.0, 48.0, 24.0), ("48", "48", "24"))
    speed = Measure("speed", (1.0, 2.0, 3.0), ("1", "2", "3"))
    verdict = decide([unknown, memory, speed], 3)
    assert verdict.winner == 1
    assert [(m.what, running) for m, running in verdict.decided_by] == [("memory", (0, 1, 2)), ("speed", (0, 1))]
    tie = decide([memory], 2)
    assert tie.winner is None and tie.tied == (0, 1)


def test_numbers_in_the_summary_come_from_the_table(engine: Engine) -> None:
    answer = engine.ask("2x 3090 vs 1x a6000 for llama 3 70b in 4 bit")
    speeds = _rows(answer)["Decode speed (estimate)"]
    for tokens in re.findall(r"about (\d+) tokens/s", answer.summary):
        assert any(f"about {tokens} tokens/s" in cell for cell in speeds)


def test_a_job_sharded_over_nvlink_counts_every_card(engine: Engine) -> None:
    answer = engine.ask("8x A100 80GB SXM vs 4x H100 SXM for full fine tuning a 7b")
    assert "4 × 989.4 TFLOPS (the model is sharded over NVLink with FSDP or ZeRO: every card works)" in answer.summary
    assert answer.recommendation == "h100-sxm"
    over_pcie = engine.ask("4x A4000 vs 1x A6000 for fine-tuning a 13b")
    assert "76.7 TFLOPS (the model is split over PCIe: count on one card working at a time)" in over_pcie.summary
    assert over_pcie.recommendation == "rtx-a6000"


@pytest.mark.parametrize(
    ("question", "winner"),
    [
        ("l4 vs t4 for whisper transcription", "l4"),
        ("t4 or a10g for whisper large v3", "a10g"),
    ],
)
def test_a_speech_model_is_decided_by_compute(engine: Engine, question: str, winner: str) -> None:
    """Whisper spends its time in the encoder (a batch over the audio frames): compute, not one sequence's decode
    speed, decides between cards that both hold it."""
    answer = engine.ask(question)
    assert "decode speed" not in answer.summary and " per card (" in answer.summary, answer.summary
    assert answer.recommendation == winner, answer.recommendation
