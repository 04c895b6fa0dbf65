"""FAQ topics asked about any card: the seed article's topics ("pros and cons", "is ECC worth it", "future-proof",
"does it do NVLink and is it worth it") and performance questions answer for the cards the question names, with
the entry's one-card answer; a spec asked plainly stays a look-up, a choice or comparison stays one.

Phrasings are our own, in the style of public threads and chats."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.catalog import Catalog, CatalogError, load_catalog
from bot.engine import Engine
from bot.render import answer_json


def _edit(specs: Path, fn: Any) -> None:
    path = specs / "faq.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _entry(data: dict[str, Any], faq_id: str) -> dict[str, Any]:
    return next(f for f in data["faqs"] if f["id"] == faq_id)


# -- a topic about the cards named: that card's answer, not the article's A4000 and A6000 --------

NAMED = [
    ("pros and cons of the 4090", ["rtx-4090"], "pros-cons"),
    ("what are the downsides of the rtx 3090 for a home lab?", ["rtx-3090"], "pros-cons"),
    ("a6000 advantages and disadvantages for a small vfx studio", ["rtx-a6000"], "pros-cons"),
    ("rtx a4000: pros and cons?", ["rtx-a4000"], "pros-cons"),
    ("is ecc on the a5000 worth it?", ["rtx-a5000"], "ecc"),
    ("does ecc on the l40s matter for inference?", ["l40s"], "ecc"),
    ("is the 3090 future proof?", ["rtx-3090"], "future-proof"),
    ("will a 7900 xtx be obsolete in a few years for ai?", ["rx-7900-xtx"], "future-proof"),
    ("does the 3090 support nvlink and is it worth it for 2 cards?", ["rtx-3090"], "nvlink"),
    ("nvlink on the 2080 ti, does it matter for deep learning?", ["rtx-2080-ti"], "nvlink"),
    ("my P40 only draws 70W, how do I make it faster?", ["tesla-p40"], "performance"),
    ("why is my 3060 12gb so slow in comfyui? any tips?", ["rtx-3060"], "performance"),
    ("inference on my t4 takes minutes, how can i speed it up", ["t4"], "performance"),
    ("the 4090 is underutilized while generating, anything i can do?", ["rtx-4090"], "performance"),
    ("我的4090推理速度很慢，怎么解决？", ["rtx-4090"], "performance"),
    ("pros and cons of the 3090, the 4090 and the a6000", ["rtx-3090", "rtx-4090", "rtx-a6000"], "pros-cons"),
]


@pytest.mark.parametrize(("question", "gpus", "faq_id"), NAMED)
def test_a_topic_about_named_cards_answers_for_them(
    engine: Engine, question: str, gpus: list[str], faq_id: str
) -> None:
    request = engine.explain(question)["request"]
    assert (request["kind"], request["gpus"], request.get("faq")) == ("faq", gpus, faq_id)
    answer = answer_json(engine.ask(question))
    assert answer["intent"] == "faq"
    assert answer["gpus"] == gpus
    assert answer["facts"], "the one-card answer cites the card's values"
    assert {f["gpu"] for f in answer["facts"]} == set(gpus)
    assert "{" not in answer["text"]


def test_one_card_templates_name_only_their_card(catalog: Catalog) -> None:
    ones = [entry for entry in catalog.faqs if entry.one is not None]
    assert len(ones) >= 10
    for entry in ones:
        assert "{a}" in entry.one.question + entry.one.answer  # type: ignore[union-attr]
        assert "{b" not in entry.one.answer  # type: ignore[union-attr]


def test_several_cards_get_one_bullet_each(engine: Engine) -> None:
    answer = engine.ask("pros and cons of the 3090, the 4090 and the a6000")
    assert len(answer.bullets) == 3
    assert [b.split(",")[0] for b in answer.bullets] != [answer.bullets[0].split(",")[0]] * 3


def test_the_article_card_alone_is_answered_alone(engine: Engine) -> None:
    answer = answer_json(engine.ask("pros and cons of the rtx a6000 for a small studio"))
    assert answer["gpus"] == ["rtx-a6000"]
    both = answer_json(engine.ask("pros and cons of the a4000 and the a6000"))
    assert set(both["gpus"]) == {"rtx-a4000", "rtx-a6000"}


def test_the_p40_answer_is_honest_about_what_it_does_not_know(engine: Engine) -> None:
    text = engine.ask("my P40 only draws 70W, how do I make it faster?").summary
    assert "no benchmarks or tuning data" in text
    assert "346 GB/s" in text  # the catalog's bandwidth, which bounds decoding
    assert "no tensor cores" in text


# -- not an FAQ: a plain spec, a verdict, a choice or a comparison -------------------------------

NOT_FAQ = [
    ("does the rtx 4090 have ecc?", "lookup"),
    ("a5000 ecc", "lookup"),
    ("does the 2080 ti support nvlink?", "lookup"),
    ("3090 size", "lookup"),
    ("4090 price", "lookup"),
    ("is the 4090 worth it?", "verdict"),
    ("is the 4090 good for blender?", "verdict"),
    ("a5000 or 4090 for a render node (blender cycles)", "verdict"),
    ("what are the pros and cons of 3090 vs 4090", "compare"),
    ("how much faster is the 4090 than the 3090", "compare"),
]


@pytest.mark.parametrize(("question", "kind"), NOT_FAQ)
def test_plain_specs_verdicts_and_comparisons_are_not_faqs(engine: Engine, question: str, kind: str) -> None:
    assert engine.explain(question)["request"]["kind"] == kind


# -- with no card named: the general answer ------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "how do i make stable diffusion faster",
        "my gpu is so slow when generating, how to fix",
        "llm inference too slow, any tips?",
    ],
)
def test_performance_without_a_card_is_general(engine: Engine, question: str) -> None:
    answer = answer_json(engine.ask(question))
    assert answer["intent"] == "faq"
    assert answer["gpus"] == []
    assert "no benchmarks or tuning data" in answer["text"]


# -- the loader's checks of one-card answers -------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("The {a} against the {b}.", r"a one-card answer names only \{a\}"),
        ("{ratio.memory_gb} as much", r"a one-card answer names only \{a\}"),
        ("{a.warp_size}", r"unknown field 'warp_size'"),
        ("{top.memory_gb}", r"takes no general placeholders"),
    ],
)
def test_broken_one_card_answer_is_named(specs_copy: Path, answer: str, message: str) -> None:
    _edit(specs_copy, lambda d: _entry(d, "ecc")["one"].update(answer=answer))
    with pytest.raises(CatalogError, match=r"faq\.yaml: ecc: one: .*" + message):
        load_catalog(specs_copy)


def test_one_card_answer_needs_question_and_answer(specs_copy: Path) -> None:
    _edit(specs_copy, lambda d: _entry(d, "ecc")["one"].pop("question"))
    with pytest.raises(CatalogError, match=r"faq\.yaml: ecc: one: question: `question` is required"):
        load_catalog(specs_copy)


def test_generic_must_be_a_yes_no(specs_copy: Path) -> None:
    _edit(specs_copy, lambda d: _entry(d, "price-value").update(generic="yes"))
    with pytest.raises(CatalogError, match=r"faq\.yaml: price-value: generic: `generic` must be true or false"):
        load_catalog(specs_copy)


def test_a_generic_entry_gives_way(engine: Engine) -> None:
    assert engine.explain("is ecc on the a5000 worth it?")["request"]["faq"] == "ecc"
    assert engine.explain("is the a6000 worth the price?")["request"]["faq"] == "price-value"


# -- general questions: no GPU at all; does more memory make it faster ---------------------------


@pytest.mark.parametrize(
    "question",
    [
        "is it possible to fine tune llama 3.2 3b without a gpu?",
        "i don't have a gpu, can i still use stable diffusion?",
        "can i train a small model without any gpu",
        "running qwen 7b without a dedicated gpu, is that a thing?",
    ],
)
def test_without_a_gpu_is_the_no_gpu_answer(engine: Engine, question: str) -> None:
    request = engine.explain(question)["request"]
    assert (request["kind"], request.get("faq"), request.get("gpus", [])) == ("faq", "no-gpu", [])
    assert "system RAM" in engine.ask(question).summary


@pytest.mark.parametrize(
    "question",
    [
        "does more vram make stable diffusion faster or just allow bigger images",
        "will more memory speed up llm inference?",
        "is a gpu with more vram faster for training?",
    ],
)
def test_does_more_memory_make_it_faster_is_the_memory_answer(engine: Engine, question: str) -> None:
    request = engine.explain(question)["request"]
    assert (request["kind"], request.get("faq")) == ("faq", "memory-capacity")


def test_a_pick_with_memory_words_stays_a_pick(engine: Engine) -> None:
    assert engine.explain("best gpu with more vram for faster stable diffusion")["request"]["kind"] == "pick"
