"""Name -> model: names the catalog lacks, matched against the (fake) Hub's search with care."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalog import Catalog
from bot.engine import Engine
from bot.hub import HubClient, HubSettings
from bot.hub_ask import HubAsk
from bot.hub_search import confident, name_asked, search_query
from bot.render import answer_json
from tests.fake_hub import FakeHub


@pytest.fixture(scope="module")
def engine(catalog: Catalog) -> Engine:
    return Engine(catalog)


@pytest.fixture
def ask(engine: Engine, hub: FakeHub, tmp_path: Path) -> HubAsk:
    client = HubClient(HubSettings(endpoint=hub.url, cache=tmp_path))
    return HubAsk(engine, lambda: client)


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("can i run glm 4.6 on 2x 3090", "glm 4.6"),
        ("will glm 4.7 flash fit on a 4090?", "glm 4.7 flash"),
        ("how much vram for mistral small 3.2 on a 3090", "mistral small 3.2"),
        ("is a 4090 enough for magistral medium", "magistral medium"),
        ("can my 3060 run hermes 4 in q4_k_m", "hermes 4"),
        ("seed oss on 2x a6000 with vllm", "seed oss"),
        ("i have a 3090, can i run minimax m2 with 32k context?", "minimax m2"),
        ("can i run llama 3.1 8b on a 4090", None),  # in the catalog
        ("can i run a 13b model on a 3060", None),  # a size, not a name
        ("can i run it on a 4090", None),
        # what fits, asked without a model: a reverse fit, never a search for "biggest" or "llm"
        ("what's the biggest model i can run on a p40", None),
        ("what llm can i run with 12gb", None),
        ("what's the largest llm that fits on 2x 3090", None),
        ("max size model for a 4060 ti 16gb", None),
        ("which ai models can my 3060 run", None),
        ("what quant of glm 4.6 fits on a 3090", "glm 4.6"),
    ],
)
def test_name_asked(engine: Engine, question: str, name: str | None) -> None:
    assert name_asked(engine.parser.read(question)) == name


def test_search_query_and_confidence() -> None:
    assert search_query("glm 4.6") == "glm-4.6"
    found = ["unsloth/GLM-4.6-GGUF", "zai-org/GLM-4.6", "unsloth/GLM-4.6", "zai-org/GLM-4.6-FP8"]
    assert confident("glm 4.6", found) == "zai-org/GLM-4.6"  # the first (most downloaded) spelled the same way
    assert confident("glm 4.6", ["zai-org/GLM-4.6-Air", "zai-org/GLM-4.6V"]) is None
    assert confident("mistral small 3.2", ["mistralai/Mistral-Small-3.2-24B-Instruct-2506"]) is None
    assert confident("glm 4", ["zai-org/GLM-4.6"]) is None


def test_a_name_spelled_like_a_repository_answers(ask: HubAsk) -> None:
    answer = ask.ask("can i run glm 4.7 flash on a 4090?")
    assert answer.fit is not None and answer.fit["model"] == "zai-org/GLM-4.7-Flash"
    assert answer.question == "can i run glm 4.7 flash on a 4090?"
    assert any("“glm 4.7 flash” is zai-org/GLM-4.7-Flash" in n for n in answer.notes)


def test_a_near_name_is_offered_and_a_pick_answers(ask: HubAsk, engine: Engine, hub: FakeHub) -> None:
    question = "can i run glm 4.7 on a 4090?"
    answer = ask.ask(question)
    assert answer.intent == "clarify" and answer_json(answer)["choices"] == ["zai-org/GLM-4.7-Flash"]
    assert answer.fit is None or answer.fit.get("model") is None  # nothing answered as if it were "glm 4.7"
    before = len(hub.requests)
    picked = engine.choose(question, "zai-org/GLM-4.7-Flash")  # a button or a number in chat: no network
    assert len(hub.requests) == before
    assert picked.fit is not None and picked.fit["model"] == "zai-org/GLM-4.7-Flash"
    assert picked.question == question


def test_no_match_says_so(ask: HubAsk) -> None:
    answer = ask.ask("can i run glm 9.9 on 2x 3090?")  # a fit question: the family's models, and the search's miss
    assert any("has no “glm 9.9”" in n and "has none" in n for n in answer.notes)
    lookup = ask.ask("can i run zorblax 9000 on a 4090?")  # read as a look-up of the 4090: it stands as it was
    assert lookup.intent == "lookup" and not any("zorblax" in n for n in lookup.notes)


def test_a_run_question_read_as_a_lookup_is_searched(ask: HubAsk) -> None:
    answer = ask.ask("can I run glm 4.7 flash on a 3090")
    assert answer.fit is not None and answer.fit["model"] == "zai-org/GLM-4.7-Flash"
    near = ask.ask("can I run flash 4.7 on a 3090")  # a look-up changes only for a name spelled like a repository
    assert near.intent == "lookup" and not near.choices
    software = ask.ask("does the 4090 run cuda 12")
    assert software.fit is None and not software.choices


def test_catalog_names_never_search(ask: HubAsk, hub: FakeHub) -> None:
    before = len(hub.requests)
    for question in (
        "can i run qwen3 30b a3b on a 4090",
        "gpt-oss 20b on a 16gb card",
        "a6000 vram",
        "13b on a 3060",
        "does the a6000 use gddr6",
        "can i run cuda on a 3090",
        "does the 4090 run cuda 12",
        "can a 3090 run blender",
    ):
        ask.ask(question)
    assert len(hub.requests) == before


def test_unreachable_search(engine: Engine, tmp_path: Path) -> None:
    client = HubClient(HubSettings(endpoint="http://127.0.0.1:9", cache=tmp_path, timeout=2))
    answer = HubAsk(engine, lambda: client).ask("can i run glm 4.6 on 2x 3090")
    assert any("could not be searched" in n for n in answer.notes)
