"""The understanding pipeline: evidence, the rule table, ``explain``, and the vocabulary as data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from bot.catalog import CatalogError, load_catalog
from bot.engine import Engine
from bot.lexicon import load_lexicon

GOLDEN = Path(__file__).resolve().parent / "golden" / "questions.txt"


def test_explain_works_for_every_golden_question(engine: Engine) -> None:
    rules = {name for name, _ in engine.parser.rules.table}
    for question in GOLDEN.read_text(encoding="utf-8").splitlines():
        explained = engine.explain(question)
        assert explained["rule"] in rules, question
        assert explained["request"]["kind"] == engine.ask(question).kind, question
        json.dumps(explained)  # plain data


@pytest.mark.parametrize("question", ["", "   ", "\u200b", "?!", "x" * 5000, "@everyone ```"])
def test_explain_handles_empty_and_hostile_text(engine: Engine, question: str) -> None:
    assert engine.explain(question)["rule"] in {"empty", "nothing to go on", "unknown name"}


def test_every_rule_has_a_distinct_name(engine: Engine) -> None:
    names = [name for name, _ in engine.parser.rules.table]
    assert len(names) == len(set(names)) and names[-1] == "nothing to go on"


def _write(specs: Path, edit: object) -> None:
    path = specs / "lexicon.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(raw)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("edit", "entry", "field"),
    [
        (lambda raw: raw["properties"].append({"field": "loudness_db", "more": ["louder"]}), "loudness_db", "field"),
        (lambda raw: raw["properties"][0].update(colour="red"), "tdp_w", "colour"),
        (lambda raw: raw["unsupported"][0].update(related=["decibels"]), "noise", "related"),
        (lambda raw: raw["words"].update(compare=[]), "words", "compare"),
        (lambda raw: raw["modes"].update(dpo=["dpo"]), "modes", None),
        (lambda raw: raw["precisions"]["fp8"].append("bf16"), "precisions", "fp8"),
        (lambda raw: raw.pop("bounds"), "bounds", None),
    ],
)
def test_a_broken_lexicon_names_file_entry_and_field(
    specs_copy: Path, edit: object, entry: str, field: str | None
) -> None:
    _write(specs_copy, edit)
    catalog = load_catalog(specs_copy)
    with pytest.raises(CatalogError) as err:
        load_lexicon(specs_copy, catalog.fields)
    message = str(err.value)
    assert "lexicon.yaml" in message and entry in message
    if field:
        assert field in message


def test_a_new_synonym_is_one_line_of_data(specs_copy: Path) -> None:
    question = "which one guzzles more juice, the a5000 or the a4500"
    before = Engine(load_catalog(specs_copy)).explain(question)
    assert not any(m["kind"] == "property" for m in before["evidence"])
    _write(specs_copy, lambda raw: raw["properties"][0]["more"].append("guzzles more juice"))
    after = Engine(load_catalog(specs_copy)).explain(question)
    assert {"kind": "property", "text": "tdp_w", "value": "more"} in after["evidence"]
