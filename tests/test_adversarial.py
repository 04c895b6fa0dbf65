"""Adversarial questions up to Discord's 4,000 characters (hypothesis): every answer is well-formed and the GPU
names read stay within the cap, which the answer states when it applies. Not timed: the time bound is a
benchmark figure (benchmarks/bench_adversarial.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.bounds import MAX_MENTIONS, capped_note
from bot.engine import Engine
from bot.render import answer_json, render_json, render_text
from tests.adversarial import DISCORD_LIMIT, KNOWN_WORST, families

INTENTS = {"lookup", "compare", "recommend", "fits", "faq", "clarify", "unknown"}
FAMILIES = sorted(
    [
        "repeated names",
        "digit runs",
        "unicode tricks",
        "long chatty text",
        "many sizes and prices",
        "lexicon words repeated",
        "models and cloud names",
        "any text",
    ]
)


@pytest.fixture(scope="session")
def strategies(engine: Engine) -> dict[str, st.SearchStrategy[str]]:
    return families(engine.catalog)


def assert_bounded_and_well_formed(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert answer.intent in INTENTS
    assert render_text(answer).strip()
    shape = json.loads(render_json(answer))
    assert list(shape) == list(answer_json(answer))
    assert all(isinstance(n, str) and n for n in answer.notes)
    assert all(g in engine.catalog.gpus for g in answer.gpus)
    assert answer.recommendation is None or answer.recommendation in engine.catalog.gpus
    assert len(answer.gpus) <= len(engine.catalog.gpus)
    ev = engine.parser.read(question)
    names = {m.start for m in (*ev.match.mentions, *ev.context)}
    assert len(names) <= MAX_MENTIONS, f"{len(names)} names read"
    assert (capped_note() in answer.notes) == ev.names_capped


def test_families_are_all_tested(strategies: dict[str, st.SearchStrategy[str]]) -> None:
    assert sorted(strategies) == FAMILIES


@pytest.mark.parametrize("family", FAMILIES)
@settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_adversarial_answers_are_well_formed_and_bounded(
    engine: Engine, strategies: dict[str, st.SearchStrategy[str]], family: str, data: st.DataObject
) -> None:
    question = data.draw(strategies[family], label=family)
    assert len(question) <= DISCORD_LIMIT
    assert_bounded_and_well_formed(engine, question)


@pytest.mark.parametrize("name", sorted(KNOWN_WORST))
def test_known_worst_cases_are_well_formed_and_bounded(engine: Engine, name: str) -> None:
    assert_bounded_and_well_formed(engine, KNOWN_WORST[name])


def test_the_cap_is_said_when_it_applies(engine: Engine) -> None:
    answer = engine.ask("h100 " * 800)
    assert answer.notes[0] == capped_note()
    assert f"first {MAX_MENTIONS} cards" in render_text(answer)
    assert capped_note() not in engine.ask("h100 vs a100 vs 4090 vs 3090").notes


def test_names_up_to_the_cap_are_all_read(engine: Engine) -> None:
    names = ["4090", "3090", "a6000", "a4000", "t4", "l4", "a10", "v100s", "p40", "p4", "a2", "a30", "a40", "l40s"]
    names += ["h200 nvl", "mi300x"]
    assert len(names) == MAX_MENTIONS
    ev = engine.parser.read(", ".join(names) + ": which has the most memory?")
    assert not ev.names_capped
    assert len(ev.match.mentions) == MAX_MENTIONS
    ev = engine.parser.read(", ".join([*names, "5090"]) + ": which has the most memory?")
    assert ev.names_capped
    assert "rtx-5090" not in ev.gpus


def test_a_series_is_one_name(engine: Engine) -> None:
    ev = engine.parser.read("rtx 30 series vs rtx 40 series")
    assert not ev.names_capped
    assert len({m.start for m in ev.match.mentions}) == 2
    assert len(ev.match.mentions) > 2


def test_synthetic_catalog_loads_with_the_normal_loader(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from synthetic_catalog import write_synthetic_specs

    from bot.catalog import load_catalog

    catalog = load_catalog(write_synthetic_specs(tmp_path, 400))
    assert len(catalog.gpus) == 400
    engine = Engine(catalog)
    assert engine.ask("rtx 4090 s1 vs rtx a6000 s1").intent == "compare"
