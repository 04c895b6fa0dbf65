"""Ambiguous names ("h100", "a100 80gb", "3060"): ask only when the candidates would get different answers.

A look-up or comparison whose asked fields have the same value on every candidate is answered (for the
first, with a note naming the others); otherwise the bot asks, showing each candidate's values for the
asked fields; picking one (``Engine.choose``) answers the whole question for it.
"""

from __future__ import annotations

import pytest

from bot.answer import Answer
from bot.engine import Engine
from bot.render import answer_json, render_text

# (question, the candidates it may name, the field asked, the value every candidate has)
SAME_ON_ALL = [
    ("h800 memory", {"h800-pcie", "h800-sxm"}, "memory_gb", 80),
    ("h800 vram", {"h800-pcie", "h800-sxm"}, "memory_gb", 80),
    ("how much vram does the h800 have", {"h800-pcie", "h800-sxm"}, "memory_gb", 80),
    ("H800 memory size?", {"h800-pcie", "h800-sxm"}, "memory_gb", 80),
    ("a100 80gb memory", {"a100-80gb-pcie", "a100-80gb-sxm"}, "memory_gb", 80),
    ("a100 80 gb vram?", {"a100-80gb-pcie", "a100-80gb-sxm"}, "memory_gb", 80),
    ("A100 80GB how much memory", {"a100-80gb-pcie", "a100-80gb-sxm"}, "memory_gb", 80),
    ("a100 40gb memory type", {"a100-40gb-pcie", "a100-40gb-sxm"}, "memory_type", "HBM2"),
    ("a100 40gb vram", {"a100-40gb-pcie", "a100-40gb-sxm"}, "memory_gb", 40),
    ("h200 memory", {"h200-nvl", "h200-sxm"}, "memory_gb", 141),
    ("h200 bandwidth", {"h200-nvl", "h200-sxm"}, "memory_bandwidth_gbs", 4800),
    ("how much memory does the h200 have?", {"h200-nvl", "h200-sxm"}, "memory_gb", 141),
    ("mi50 architecture", {"mi50-16gb", "mi50-32gb"}, "architecture", None),
    ("4060 ti memory bus", {"rtx-4060-ti-16gb", "rtx-4060-ti-8gb"}, "memory_bus_bits", 128),
    ("what bus width does the 5060 ti have", {"rtx-5060-ti-16gb", "rtx-5060-ti-8gb"}, "memory_bus_bits", 128),
]


@pytest.mark.parametrize(("question", "candidates", "key", "expected"), SAME_ON_ALL, ids=[c[0] for c in SAME_ON_ALL])
def test_same_value_on_every_candidate_is_answered(
    engine: Engine, question: str, candidates: set[str], key: str, expected: object
) -> None:
    answer = engine.ask(question)
    assert answer.intent == "lookup", render_text(answer)
    assert len(answer.gpus) == 1 and answer.gpus[0] in candidates
    assert not answer.choices
    facts = {(f.gpu, f.field): f.value for f in answer.facts}
    if expected is not None:
        assert facts[(answer.gpus[0], key)] == expected
    # The note says which name was ambiguous and which variants the answer holds for.
    note = answer.notes[0]
    assert "could be the" in note and "the same on all of them" in note
    for gid in candidates - {answer.gpus[0]}:
        last_word = engine.catalog.gpus[gid].short_name.split()[-1]
        assert last_word in note


# (question, the fields whose values differ, candidates that must be offered)
DIFFERENT = [
    ("a100 vram", ["memory_gb"], {"a100-40gb-pcie", "a100-40gb-sxm", "a100-80gb-pcie", "a100-80gb-sxm"}),
    ("how much memory does an a100 have", ["memory_gb"], {"a100-40gb-pcie", "a100-80gb-sxm"}),
    ("h100 tdp", ["tdp_w"], {"h100-pcie", "h100-sxm", "h100-nvl"}),
    ("how much power does the h100 pull", ["tdp_w"], {"h100-pcie", "h100-sxm", "h100-nvl"}),
    ("h800 memory and bandwidth", ["memory_bandwidth_gbs"], {"h800-pcie", "h800-sxm"}),
    ("a100 80gb vram and tdp", ["tdp_w"], {"a100-80gb-pcie", "a100-80gb-sxm"}),
    ("v100 32g tdp", ["tdp_w"], {"v100-pcie-32gb", "v100-sxm2-32gb"}),
    ("mi50 memory?", ["memory_gb"], {"mi50-16gb", "mi50-32gb"}),
    ("p100 vram?", ["memory_gb"], {"tesla-p100-pcie-12gb", "tesla-p100-pcie-16gb"}),
    ("3060 vram", ["memory_gb"], {"rtx-3060", "rtx-3060-8gb"}),
    ("rtx 4000 bandwidth?", ["memory_bandwidth_gbs"], {"quadro-rtx-4000", "rtx-a4000", "rtx-4000-ada"}),
    ("rtx 6000 memory", ["memory_gb"], {"rtx-a6000", "rtx-6000-ada", "quadro-rtx-6000"}),
    ("rtx 5000 tdp", ["tdp_w"], {"quadro-rtx-5000", "rtx-a5000", "rtx-5000-ada"}),
]


@pytest.mark.parametrize(("question", "differing", "offered"), DIFFERENT, ids=[c[0] for c in DIFFERENT])
def test_different_values_ask_with_the_values(
    engine: Engine, question: str, differing: list[str], offered: set[str]
) -> None:
    answer = engine.ask(question)
    assert answer.intent == "clarify", render_text(answer)
    choices = {c.gpu for c in answer.choices}
    assert offered <= choices
    # Each candidate's value of every asked field is shown and cited, so the choice is informed.
    cited = {(f.gpu, f.field) for f in answer.facts}
    assert {(g, k) for g in choices for k in answer.fields} <= cited
    assert len(answer.bullets) == len(answer.choices)
    labels = [engine.catalog.fields[k].label for k in differing]
    assert all(label.lower() in answer.summary.lower() for label in labels)
    assert "differ" in answer.summary


@pytest.mark.parametrize("question", ["rtx 6000 specs", "h100 specs", "a100 full specs", "is the 4060 ti good for ai"])
def test_nothing_particular_asked_asks(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert answer.intent == "clarify" and len(answer.choices) >= 2
    assert "differ" not in answer.summary


def test_unknown_on_every_candidate_still_asks(engine: Engine) -> None:
    """The V100s have no launch price: "unknown" is not one answer to give for all of them."""
    answer = engine.ask("v100 price")
    assert answer.intent == "clarify" and len(answer.choices) >= 4


COMPARED = [
    ("h200 vs mi300x memory", {"mi300x"}, {"h200-nvl", "h200-sxm"}),
    ("4060 ti vs 3060 ti memory bus", {"rtx-3060-ti"}, {"rtx-4060-ti-8gb", "rtx-4060-ti-16gb"}),
    ("h800 vs a6000 memory", {"rtx-a6000"}, {"h800-pcie", "h800-sxm"}),
]


@pytest.mark.parametrize(("question", "named", "variants"), COMPARED, ids=[c[0] for c in COMPARED])
def test_comparison_with_the_same_value_on_every_variant(
    engine: Engine, question: str, named: set[str], variants: set[str]
) -> None:
    answer = engine.ask(question)
    assert answer.intent == "compare", render_text(answer)
    assert named <= set(answer.gpus) and len(set(answer.gpus) & variants) == 1
    assert answer.table is not None and len(answer.table.columns) == 2
    assert any("the same on all of them" in n for n in answer.notes)


def test_comparison_keeps_the_order_named(engine: Engine) -> None:
    answer = engine.ask("h200 vs mi300x memory")
    assert answer.gpus[1] == "mi300x"
    answer = engine.ask("mi300x vs h200 memory")
    assert answer.gpus[0] == "mi300x"


def test_comparison_with_different_values_shows_every_variant(engine: Engine) -> None:
    """Beside another named card, a name's variants that fit in one table are each compared (issue 10)."""
    answer = engine.ask("h100 vs a6000 tdp")
    assert answer.intent == "compare"
    assert set(answer.gpus) == {"h100-pcie", "h100-sxm", "h100-nvl", "rtx-a6000"}
    assert any("could be the" in n for n in answer.notes)


def test_comparison_of_two_family_names_asks(engine: Engine) -> None:
    answer = engine.ask("h100 vs a100 tdp")
    assert answer.intent == "clarify"
    assert {"h100-pcie", "h100-sxm", "h100-nvl"} <= {c.gpu for c in answer.choices}


def test_a_name_said_twice_is_noted_once(engine: Engine) -> None:
    answer = engine.ask("h800 memory: is the h800 really 80gb?")
    assert answer.intent == "lookup"
    assert sum("could be the" in n for n in answer.notes) == 1


@pytest.mark.parametrize(
    ("question", "laptops"),
    [("3060 vram", {"rtx-3060-laptop"}), ("3080 vram?", {"rtx-3080-laptop-8gb", "rtx-3080-laptop-16gb"})],
)
def test_laptop_variants_only_when_the_question_says_laptop(engine: Engine, question: str, laptops: set[str]) -> None:
    answer = engine.ask(question)
    assert answer.intent == "clarify"
    assert not laptops & {c.gpu for c in answer.choices}


def test_near_miss_still_asks(engine: Engine) -> None:
    answer = engine.ask("rtx a600 memory")
    assert answer.intent == "clarify" and not answer.answered
    assert "rtx-a6000" in {c.gpu for c in answer.choices}
    assert "I don't know a GPU called" in answer.summary


# -- the choice answers the whole question ----------------------------------------------------


@pytest.mark.parametrize(
    ("question", "pick", "intent", "key"),
    [
        ("a100 vram", "a100-80gb-sxm", "lookup", "memory_gb"),
        ("h100 tdp", "h100-pcie", "lookup", "tdp_w"),
        ("how much power does the h100 pull", "h100-sxm", "lookup", "tdp_w"),
        ("rtx 6000 specs", "rtx-6000-ada", "lookup", "memory_gb"),
        ("rtx 6000 vs 4090 tdp", "rtx-6000-ada", "compare", "tdp_w"),
    ],
)
def test_choose_answers_the_question_for_the_pick(
    engine: Engine, question: str, pick: str, intent: str, key: str
) -> None:
    asked = engine.ask(question)
    assert pick in {c.gpu for c in asked.choices}
    chosen: Answer = engine.choose(question, pick)
    assert chosen.intent == intent and pick in chosen.gpus
    assert chosen.question == question
    assert any(f.gpu == pick and f.field == key for f in chosen.facts)


def test_json_shape(engine: Engine) -> None:
    data = answer_json(engine.ask("h800 memory"))
    assert data["intent"] == "lookup" and data["choices"] == [] and data["fields"] == ["memory_gb"]
    data = answer_json(engine.ask("a100 vram"))
    assert data["intent"] == "clarify" and len(data["choices"]) == 4 and data["gpus"] == []
