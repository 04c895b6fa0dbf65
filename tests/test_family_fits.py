"""A model family (or a versioned family, "qwen2.5", "llama 3") run or trained on a card: what each of its models needs.

- the family's models only, the versioned family's when a version is named (never Llama 4 for "llama 3");
- the mode and precision the question states, reported in the answer's ``fit`` object with the memory held against;
- "can I use <a library> to ..." stays a software question.
"""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.render import answer_json

SERIES = [
    ("can i run qwen2.5 on a 3060 12gb?", "Qwen2.5 "),
    ("llama2 on a 3060 12gb?", "Llama 2 "),
    ("does the 4090 support llama 3", "Llama 3 "),
    ("will gemma 2 run on my 4060 ti 16gb", "Gemma 2 "),
    ("is my 3090 able to run llama 3.1", "Llama 3.1 "),
    ("can a 4070 ti super run qwen 2.5 at all", "Qwen2.5 "),
]


@pytest.mark.parametrize(("question", "series"), SERIES)
def test_a_versioned_family_lists_its_own_models(engine: Engine, question: str, series: str) -> None:
    a = answer_json(engine.ask(question))
    assert a["intent"] == "fits", question
    listed = [line for line in a["text"].splitlines() if line.startswith("- ")]
    assert listed, a["text"]
    assert all(line[2:].startswith(series) for line in listed), listed
    assert a["fit"]["family"] and a["fit"]["available_gb"], a["fit"]


FAMILIES = [
    ("can i run gemma on a 3090", "Gemma"),
    ("will llama run on my 4090", "Llama"),
    ("does the 4060 ti 16gb run mistral", "Mistral"),
]


@pytest.mark.parametrize(("question", "family"), FAMILIES)
def test_a_family_without_a_version_lists_every_model_of_it(engine: Engine, question: str, family: str) -> None:
    a = answer_json(engine.ask(question))
    assert a["intent"] == "fits", question
    assert f"Which {family} model?" in a["text"], a["text"]


TRAINED = [
    ("does unsloth support qwen2.5 8 bit lora on a 4090?", "lora", "int8"),
    ("qlora for llama 3 on my 3090, possible?", "qlora", None),
    ("can i lora fine tune gemma 2 on a 4060 ti 16gb", "lora", None),
]


@pytest.mark.parametrize(("question", "mode", "precision"), TRAINED)
def test_a_family_answer_keeps_the_mode_and_precision_asked(
    engine: Engine, question: str, mode: str, precision: str | None
) -> None:
    a = answer_json(engine.ask(question))
    assert a["intent"] == "fits", question
    assert (a["fit"]["mode"], a["fit"]["precision"]) == (mode, precision), a["fit"]
    assert "fine-tune" in a["text"].split("\n\n")[1], a["text"]


SOFTWARE = [
    "can I use lightning fabric to pre train llama2 on v100?",
    "can i use pytorch lightning to pretrain llama 3 on an a100?",
]


@pytest.mark.parametrize("question", SOFTWARE)
def test_using_a_library_with_a_family_is_not_a_fit(engine: Engine, question: str) -> None:
    assert answer_json(engine.ask(question))["intent"] != "fits", question
