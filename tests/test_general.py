"""General questions get general answers: FAQ entries asked without a GPU answer from the whole catalog, not
with the seed article's A4000 and A6000; glossary entries for common general questions; the loader's checks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.catalog import Catalog, CatalogError, load_catalog
from bot.catalog_faq import GENERAL_PLACEHOLDER
from bot.engine import Engine
from bot.request import Query

ARTICLE = {"rtx-a4000", "rtx-a6000"}


def _edit(specs: Path, fn: Any) -> None:
    path = specs / "faq.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _entry(data: dict[str, Any], faq_id: str) -> dict[str, Any]:
    return next(f for f in data["faqs"] if f["id"] == faq_id)


# -- general answers: no A4000/A6000 unless the question points at them -------------------------

GENERAL = [
    ("what is nvlink", "nvlink"),
    ("what is NVLink and do I need it for two gpus?", "nvlink"),
    ("is nvlink worth it for multi gpu training", "nvlink"),
    ("is ECC important for training", "ecc"),
    ("what is ecc memory", "ecc"),
    ("do i need error correcting memory for deep learning", "ecc"),
    ("future-proof GPU for AI, something that lasts 3-4 years?", "future-proof"),
    ("will a gpu bought today be obsolete in a few years?", "future-proof"),
    ("how important is memory bandwidth", "memory-bandwidth"),
    ("does bandwidth matter for llm inference?", "memory-bandwidth"),
    ("what is memory bandwidth", "memory-bandwidth"),
    ("are tensor cores needed for bf16", "tensor-cores"),
    ("do i need tensor cores for training?", "tensor-cores"),
    ("does pcie 3.0 vs 4.0 matter for multi-gpu inference", "pcie-lanes"),
    ("is pcie x8 enough for a second gpu", "pcie-lanes"),
    ("what is pcie bifurcation", "pcie-lanes"),
    ("how many pcie lanes do i need for 4 gpus", "pcie-lanes"),
    ("what is compute capability", "compute-capability"),
    ("what does cuda compute capability mean", "compute-capability"),
    ("is amd usable for ai", "amd-for-ai"),
    ("is rocm good enough for deep learning these days?", "amd-for-ai"),
    ("are radeon cards viable for machine learning", "amd-for-ai"),
    ("what is fp4", "fp4"),
    ("what is nvfp4?", "fp4"),
    ("mxfp4 vs nvfp4", "fp4"),
    ("whats the difference between SXM and PCIe versions of a gpu", "sxm-vs-pcie"),
    ("sxm vs pcie", "sxm-vs-pcie"),
]


@pytest.mark.parametrize(("question", "faq_id"), GENERAL)
def test_general_questions_get_general_answers(engine: Engine, question: str, faq_id: str) -> None:
    query = engine.parser.parse(question)
    assert query.faq is not None and query.faq.id == faq_id, (question, query.faq and query.faq.id)
    answer = engine.ask(question)
    assert answer.intent == "faq" and answer.answered
    assert not set(answer.gpus) & ARTICLE, answer.gpus
    assert "A4000" not in answer.summary and "A6000" not in answer.summary
    assert "{" not in answer.summary and "}" not in answer.summary


def test_questions_about_the_article_cards_keep_the_article_answer(engine: Engine) -> None:
    for question in ("do both support nvlink?", "do these gpus have ecc", "are these future proof?"):
        answer = engine.ask(question)
        assert set(answer.gpus) == ARTICLE, question


def test_nvlink_names_the_newest_card_with_it_per_segment(engine: Engine, catalog: Catalog) -> None:
    answer = engine.ask("what is nvlink")
    consumer = [g for g in catalog if g.get("market_segment") == "consumer" and g.get("nvlink") is True]
    newest = max(consumer, key=lambda g: str(g.get("release_date")))
    assert f"the newest the {newest.short_name}" in answer.summary
    assert any(f.gpu == newest.id and f.field == "nvlink" for f in answer.facts)
    assert newest.source in answer.sources
    assert answer.gpus == []


def test_ecc_counts_each_segment(engine: Engine, catalog: Catalog) -> None:
    summary = engine.ask("is ECC important for training").summary
    laptops = [g for g in catalog if g.get("market_segment") == "laptop"]
    with_ecc = sum(1 for g in laptops if g.get("ecc") is True)
    assert (f"laptop: none of {len(laptops)} cards" in summary) == (with_ecc == 0)


def test_format_lists_come_from_the_architectures(engine: Engine, catalog: Catalog) -> None:
    summary = engine.ask("what is fp4").summary
    listed = summary.split("compute FP4: ")[1].split("; FP6:")[0]  # "NVIDIA Blackwell; AMD CDNA 4"
    names = {name for part in listed.split("; ") for name in part.split(" ", 1)[1].split(", ")}
    assert names == {name for name, arch in catalog.architectures.items() if "fp4" in arch["tensor_formats"]}


def test_software_general_lists_every_vendor(engine: Engine) -> None:
    answer = engine.ask("is cuda supported by pytorch")
    assert answer.gpus == [] and len(answer.bullets) == len(engine.catalog.software)
    assert "Hopper 9.0" in answer.summary


def test_every_seed_entry_has_a_general_answer(catalog: Catalog) -> None:
    for entry in catalog.faqs:
        if entry.gpus and entry.intent == "faq":
            assert entry.general is not None, entry.id
            assert not re.search(r"\{(?:a|b|ratio|diff)\b", entry.general.answer), entry.id


@pytest.mark.parametrize("entry_id", ["memory-capacity", "nvlink", "ecc", "fp64", "form-factor", "ray-tracing"])
def test_general_answers_fill_every_placeholder(engine: Engine, entry_id: str) -> None:
    entry = engine.catalog.faq(entry_id)
    assert entry.general is not None
    query = Query(text=entry.general.question, intent="faq", faq=entry, kind="faq", general=True)
    answer = engine.answer(query)
    assert answer.summary and not GENERAL_PLACEHOLDER.search(answer.summary)
    assert not set(answer.gpus) & ARTICLE


# -- the loader ----------------------------------------------------------------------------------


def test_seed_entry_without_general_is_named(specs_copy: Path) -> None:
    _edit(specs_copy, lambda d: _entry(d, "nvlink").pop("general"))
    with pytest.raises(CatalogError, match=r"faq\.yaml: nvlink: general: an entry about its own GPUs needs"):
        load_catalog(specs_copy)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("The {a} has {a.nvlink}.", r"unknown placeholder \{a\}"),
        ("{segments.memory_gb}", r"memory_gb is not a yes/no field"),
        ("{top.nvlink}", r"nvlink is not a numeric field"),
        ("{top.warp_size}", r"unknown field 'warp_size'"),
        ("{formats.fp3}", r"unknown tensor format 'fp3'"),
        ("{formats.fp8.Acme}", r"unknown vendor 'Acme'"),
        ("{card.rtx-a9000.tdp_w}", r"unknown GPU id 'rtx-a9000'"),
        ("{card.rtx-4090.warp_size}", r"unknown field 'warp_size'"),
        ("{top.tdp_w.nvidia}", r"only card and formats take a third part"),
    ],
)
def test_broken_general_template_is_named(specs_copy: Path, answer: str, message: str) -> None:
    _edit(specs_copy, lambda d: _entry(d, "ecc")["general"].update(answer=answer))
    with pytest.raises(CatalogError, match=r"faq\.yaml: ecc: general: .*" + message):
        load_catalog(specs_copy)


def test_general_needs_question_and_answer(specs_copy: Path) -> None:
    _edit(specs_copy, lambda d: _entry(d, "ecc")["general"].pop("question"))
    with pytest.raises(CatalogError, match=r"faq\.yaml: ecc: general: question: `question` is required"):
        load_catalog(specs_copy)


def test_glossary_takes_no_general(specs_copy: Path) -> None:
    _edit(specs_copy, lambda d: _entry(d, "vram").update(general={"question": "q", "answer": "a"}))
    with pytest.raises(CatalogError, match=r"faq\.yaml: vram: general: only an FAQ entry with `gpus`"):
        load_catalog(specs_copy)


def test_glossary_placeholders_are_checked(specs_copy: Path) -> None:
    _edit(specs_copy, lambda d: _entry(d, "fp4").update(answer="FP4 on {formats.fp5}."))
    with pytest.raises(CatalogError, match=r"faq\.yaml: fp4: answer: \{formats\.fp5\}: unknown tensor format"):
        load_catalog(specs_copy)


def test_faq_sources_must_be_urls(specs_copy: Path) -> None:
    _edit(specs_copy, lambda d: _entry(d, "fp4").update(sources=["the OCP spec"]))
    with pytest.raises(CatalogError, match=r"faq\.yaml: fp4: sources: not a URL"):
        load_catalog(specs_copy)
