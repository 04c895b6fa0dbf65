"""Another card set against the asker's own: "my 3080 runs out of memory, would a 3090 help?" is a head-to-head of
the two (every variant of the asker's card when its name has several), not what the 3090 runs on its own; and a
verdict on a card ("I have a 3080 10gb. is a 3090 worth it for stable diffusion?") says how it compares with the
asker's card."""

from __future__ import annotations

import pytest

from bot.engine import Engine


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_specs()


@pytest.mark.parametrize(
    ("question", "other", "owned"),
    [
        ("my 3080 runs out of memory, would a 3090 help?", "rtx-3090", ["rtx-3080", "rtx-3080-12gb"]),
        ("i get cuda out of memory errors on my 2070. would an rtx a6000 help?", "rtx-a6000", ["rtx-2070"]),
        (
            "Compute time on my 3080 is slow and i have many cuda out of memory errors. Would a RTX A6000 help with "
            "the out of memory issues and fasten the process?",
            "rtx-a6000",
            ["rtx-3080", "rtx-3080-12gb"],
        ),
        ("OOM on our 3060 12gb all the time, would a 4060 ti 16gb fix it?", "rtx-4060-ti-16gb", ["rtx-3060"]),
    ],
)
def test_out_of_memory_on_the_askers_card_sets_what_each_runs(
    engine: Engine, question: str, other: str, owned: list[str]
) -> None:
    """What the other card runs, and what the asker's reaches beside it (each variant of a name with several), as
    for the asker's card named after a context cue ("I have a 2080 ti, would a 3090 help with OOM?")."""
    answer = engine.ask(question)
    assert answer.intent == "fits" and answer.gpus[0] == other, (question, answer.intent, answer.gpus)
    lines = [b for b in answer.bullets if b.startswith("Against your")]
    names = [engine.catalog.gpus[g].short_name for g in owned]
    assert len(lines) == len(owned) and all(f"your {n} (" in line for n, line in zip(names, lines, strict=True))


@pytest.mark.parametrize(
    ("question", "other", "owned"),
    [
        ("training is slow on my 2080 ti, would a 4090 speed it up?", "rtx-4090", {"rtx-2080-ti"}),
        ("my 3080 is slow in blender, would a 4080 super be faster?", "rtx-4080-super", {"rtx-3080", "rtx-3080-12gb"}),
        ("would an a100 80gb sxm make a difference over our v100 sxm2 32gb?", "a100-80gb-sxm", {"v100-sxm2-32gb"}),
        ("I'm running a 3060 12gb, would a 4070 super speed up my renders?", "rtx-4070-super", {"rtx-3060"}),
    ],
)
def test_another_card_is_set_against_the_askers(engine: Engine, question: str, other: str, owned: set[str]) -> None:
    query = engine.parser.parse(question)
    answer = engine.answer(query)
    assert answer.intent == "compare", (question, answer.intent, query.rule)
    assert answer.gpus[0] == other and owned <= set(answer.gpus), (question, answer.gpus)


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("my 3060 keeps OOMing on flux dev in comfyui. would a 4060 ti 16gb fix it?", "fits"),  # a model: a fit
        ("my 3080 runs out of memory, would a 3090 for under $900 help?", None),  # a budget: not this rule
        ("my 3080 and a 3090 in one pc, specs?", None),  # no question of help
    ],
)
def test_a_model_a_budget_or_no_ask_leaves_it_to_other_rules(engine: Engine, question: str, intent: str | None) -> None:
    query = engine.parser.parse(question)
    assert query.rule != "another card against the asker's", (question, query.rule)
    if intent is not None:
        assert engine.answer(query).intent == intent


@pytest.mark.parametrize(
    ("question", "owned"),
    [
        ("I have a 3080 10gb. is a 3090 worth it for stable diffusion?", "GeForce RTX 3080"),
        ("i currently have a 2060 super, is the 4070 good for training?", "GeForce RTX 2060 SUPER"),
        ("My old gtx 1070 died, is a 5060 ti 16gb good for stable diffusion + some llms?", "GeForce GTX 1070"),
    ],
)
def test_a_verdict_says_how_the_card_compares_with_the_askers(engine: Engine, question: str, owned: str) -> None:
    answer = engine.ask(question)
    lines = [b for b in answer.bullets if b.startswith(f"Against your {owned}:")]
    assert len(lines) == 1 and "Memory" in lines[0], answer.bullets


def test_no_owned_card_no_comparison_line(engine: Engine) -> None:
    answer = engine.ask("is the 3090 good for stable diffusion?")
    assert not any(b.startswith("Against your") for b in answer.bullets)
