"""Tensor-format support and power-supply sizes for named cards (bot/handlers/hardware.py)."""

from __future__ import annotations

import pytest

from bot.catalog import Catalog
from bot.engine import Engine
from bot.handlers.hardware import HEADROOM, PSU_SIZES_W, REST_OF_SYSTEM_W
from bot.request import Query

# -- tensor formats ------------------------------------------------------------------------------

FORMATS = [
    ("does the rtx 5090 support fp4", "rtx-5090", "fp4", "yes, on its Blackwell tensor cores"),
    ("does the 3090 support fp8", "rtx-3090", "fp8", "no, Ampere has no FP8 tensor cores"),
    ("can the 4090 do fp8?", "rtx-4090", "fp8", "yes, on its Ada Lovelace tensor cores"),
    ("does bfloat16 work on a 2080 ti?", "rtx-2080-ti", "bf16", "no, Turing has no BF16 tensor cores"),
    ("does the t4 support bf16", "t4", "bf16", "no, Turing has no BF16 tensor cores"),
    ("does P40 support FP16?", "tesla-p40", "fp16", "the Tesla P40 has no tensor cores"),
    ("does the 7900 xtx support bf16", "rx-7900-xtx", "bf16", "yes, on its RDNA 3 matrix units"),
    ("does the 7900 xtx support fp8", "rx-7900-xtx", "fp8", "no, RDNA 3 has no FP8 matrix units"),
    ("is fp4 supported on the rtx 4090", "rtx-4090", "fp4", "no, Ada Lovelace has no FP4 tensor cores"),
    ("does the h100 pcie support int8", "h100-pcie", "int8", "yes, on its Hopper tensor cores"),
]


@pytest.mark.parametrize(("question", "gpu", "fmt", "expected"), FORMATS)
def test_format_support(engine: Engine, question: str, gpu: str, fmt: str, expected: str) -> None:
    query = engine.parser.parse(question)
    assert query.kind == "formats" and query.gpus == [gpu] and fmt in query.formats, question
    answer = engine.ask(question)
    assert answer.intent == "lookup" and answer.gpus == [gpu]
    assert expected in answer.summary + " ".join(answer.bullets), answer.summary
    assert any(f.gpu == gpu and f.field == "architecture" for f in answer.facts)


def test_format_with_a_figure_cites_it(engine: Engine, catalog: Catalog) -> None:
    answer = engine.ask("does the 4090 support fp8")
    shown = catalog.fields["fp8_tensor_tflops"].format_value(catalog.gpus["rtx-4090"].get("fp8_tensor_tflops"))
    assert f"{shown} dense" in answer.summary
    assert any(f.field == "fp8_tensor_tflops" and f.gpu == "rtx-4090" for f in answer.facts)


def test_several_cards_and_formats_compare(engine: Engine) -> None:
    answer = engine.ask("does the 3090 and 4090 support fp8 and bf16")
    assert answer.intent == "compare" and answer.gpus == ["rtx-3090", "rtx-4090"]
    assert len(answer.bullets) == 4


@pytest.mark.parametrize(
    ("arch", "fmt"), [("Pascal", "fp16"), ("Volta", "bf16"), ("Hopper", "fp4"), ("RDNA 2", "fp16")]
)
def test_every_architecture_without_a_format_says_no(engine: Engine, catalog: Catalog, arch: str, fmt: str) -> None:
    for gpu in [g for g in catalog if g.get("architecture") == arch][:3]:
        query = Query(text="q", intent="lookup", gpus=[gpu.id], formats=[fmt], kind="formats")
        text = engine.answer(query).summary
        assert text.split(": ", 1)[1].startswith("no"), (gpu.id, text)


def test_format_for_every_gpu_never_fails(engine: Engine, catalog: Catalog) -> None:
    for gpu in catalog:
        query = Query(text="q", intent="lookup", gpus=[gpu.id], formats=["fp8", "tf32", "fp64"], kind="formats")
        answer = engine.answer(query)
        assert len(answer.bullets) == 3 and "{" not in " ".join(answer.bullets), gpu.id


# -- power supplies ------------------------------------------------------------------------------

PSU = [
    ("what psu for 2x 3090", "rtx-3090", 2),
    ("what power supply do i need for a 4090", "rtx-4090", 1),
    ("which psu for two 3090s", "rtx-3090", 2),
    ("how many watts psu for 3 rtx 3090", "rtx-3090", 3),
    ("psu for 4x 5090", "rtx-5090", 4),
    ("power supply for a 4060 ti 16gb?", "rtx-4060-ti-16gb", 1),
]


@pytest.mark.parametrize(("question", "gpu", "count"), PSU)
def test_psu_shows_every_term(engine: Engine, catalog: Catalog, question: str, gpu: str, count: int) -> None:
    query = engine.parser.parse(question)
    assert query.kind == "psu" and query.counts.get(gpu) == count, question
    answer = engine.ask(question)
    watts = catalog.gpus[gpu].number("tdp_w")
    assert watts is not None
    total = count * watts
    low, high = (total + rest for rest in REST_OF_SYSTEM_W)
    assert f"{count} × {watts:,.0f} W = {total:,.0f} W" in answer.summary
    assert f"= {low:,.0f}–{high:,.0f} W under load" in answer.summary
    assert f"{low * HEADROOM:,.0f}–{high * HEADROOM:,.0f} W" in answer.summary
    assert any(f.field == "tdp_w" and f.gpu == gpu for f in answer.facts)
    assert any(f.field == "power_connectors" and f.gpu == gpu for f in answer.facts)
    assert any("Estimate, not catalog data" in n for n in answer.notes)
    assert any("rule of thumb" in n for n in answer.notes)
    if high * HEADROOM <= PSU_SIZES_W[-1]:
        assert "power supply (estimate)" in answer.summary
    else:
        assert answer.summary.startswith("More than the largest common ATX power supply")


def test_psu_size_is_the_next_common_rating(engine: Engine) -> None:
    summary = engine.ask("what psu for 2x 3090").summary  # 2 x 350 + 150..300 = 850..1,000; x 1.25 = 1,062..1,250
    assert summary.startswith("A 1,200–1,300 W power supply")


def test_psu_with_unknown_power_says_so(engine: Engine, catalog: Catalog) -> None:
    unknown = next((g for g in catalog if g.get("tdp_w") is None), None)
    if unknown is None:
        pytest.skip("every GPU has a board power")
    answer = engine.answer(Query(text="q", intent="lookup", gpus=[unknown.id], kind="psu"))
    assert not answer.answered and "unknown" in answer.summary
