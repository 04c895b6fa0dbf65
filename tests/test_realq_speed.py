"""A speed the asker measured and doubts, with no model named: the card's speed checklist (the performance FAQ),
not a fit table for a model nobody named; with a model named, the fit answer estimates that model's speed."""

from __future__ import annotations

import pytest

from bot.engine import Engine


def _request(engine: Engine, question: str) -> dict:  # type: ignore[type-arg]
    return engine.explain(question)["request"]  # type: ignore[no-any-return]


DOUBTED = [
    ("On a 3090 I get between 4-7 tokens/second with any llama model. Anything I can tweak?", ["rtx-3090"]),
    ("Token generation speed less than 1/minute on A6000 machine (48GB VRAM, 32GB RAM)", ["rtx-a6000"]),
    ("only 3 t/s on my 4090, is this normal?", ["rtx-4090"]),
    ("my 4060 ti 16gb does 12 tokens/s, expected?", ["rtx-4060-ti-16gb"]),
    ("getting 2.5 it/s on a 3060 12gb, why so slow", ["rtx-3060"]),
    ("100 s/it on my RTX 5080, why?", ["rtx-5080"]),
    ("the L40S gives me 20 tok/s, is that expected?", ["l40s"]),
    ("generation is very slow on my 7900 xtx, 5 tokens per second. how can I speed it up?", ["rx-7900-xtx"]),
    ("why is my 3080 ti so slow? 8 tokens/s", ["rtx-3080-ti"]),
    ("a100 80gb sxm doing 30 tokens/s, something wrong?", ["a100-80gb-sxm"]),
    ("only 1.2 tokens per second on a tesla p40, how do I improve it?", ["tesla-p40"]),
]


@pytest.mark.parametrize(("question", "gpus"), DOUBTED)
def test_a_doubted_speed_gets_the_speed_checklist(engine: Engine, question: str, gpus: list[str]) -> None:
    request = _request(engine, question)
    assert request["kind"] == "faq"
    assert request["faq"] == "performance"
    assert request["gpus"] == gpus


@pytest.mark.parametrize(
    "question",
    [
        "I get ~60 tokens/s with llama 3 70b on an L40S, is this the expected throughput?",
        "qwen2.5 7b runs at 20 tok/s on my 3060, is that normal?",
        "how many tokens/s will llama 3 8b get on a 4070?",
    ],
)
def test_with_a_model_named_the_fit_estimates_its_speed(engine: Engine, question: str) -> None:
    assert _request(engine, question)["kind"] == "fit"


@pytest.mark.parametrize(
    "question",
    [
        "A6000 slower than the RTX 4090 for the same workflow, why?",
        "is the 4090 faster than the 3090 for llms?",
        "4090 vs 3090 tokens per second",
    ],
)
def test_two_cards_are_compared_not_checked(engine: Engine, question: str) -> None:
    request = _request(engine, question)
    assert not (request["kind"] == "faq" and request.get("faq") == "performance" and len(request["gpus"]) < 2)


@pytest.mark.parametrize(
    "question",
    [
        "my 3080 is slow and runs out of memory. Would an RTX A6000 help?",
        "I get 5 tokens/s on my 3060, would a 4090 be faster?",
        "Compute time on my 2080 ti is slow, should I get a 3090?",
    ],
)
def test_a_slow_card_owned_and_another_asked_is_not_the_checklist(engine: Engine, question: str) -> None:
    request = _request(engine, question)
    assert request.get("faq") != "performance"


# -- how a runtime spreads a model over several GPUs (no model asked to fit) ---------------------------------

SEVERAL = [
    ("Cannot get Ollama to utilize two 3090s?", ["rtx-3090"]),
    ("ollama splits the load over my 3090 and 2060, can it use the first gpu only?", ["rtx-3090"]),
    ("how do I make llama.cpp use both gpus?", []),
    ("ollama only uses one gpu of my two 4090s, why?", ["rtx-4090"]),
    ("can ollama use multiple gpus?", []),
    ("how do i run ollama on a specific gpu", []),
    ("llama cpp split the model across 2 gpus, an rtx 3060 and an rtx 3070?", ["rtx-3060"]),
    ("does ollama support multi gpu with 2x A6000?", ["rtx-a6000"]),
    ("ollama not using the second gpu (rtx 4060 ti 16gb)", ["rtx-4060-ti-16gb"]),
    ("with llama.cpp can I prioritize the first gpu and spread to the other gpu only when needed?", []),
]


@pytest.mark.parametrize(("question", "gpus"), SEVERAL)
def test_how_a_runtime_uses_several_gpus(engine: Engine, question: str, gpus: list[str]) -> None:
    request = _request(engine, question)
    assert request["kind"] == "faq"
    assert request["faq"] == "multi-gpu-runtimes"
    assert request.get("gpus", [])[:1] == gpus[:1]


@pytest.mark.parametrize(
    "question",
    [
        "can I run llama 3 70b on two 3090s with ollama?",
        "which gpu for a beginner wanting to run ollama, 16gb minimum",
        "best gpu under $800 for ollama with two gpus later",
    ],
)
def test_a_fit_or_a_pick_is_not_the_runtime_answer(engine: Engine, question: str) -> None:
    assert _request(engine, question).get("faq") != "multi-gpu-runtimes"


# -- two cards, one slower, under a library's name: the cards weighed, not what software runs on them ----------

SLOWER_UNDER_A_LIBRARY = [
    "with llama-cpp-python the 4080 is significantly slower than the 3060, what could be the reason?",
    "vllm on my a6000 is slower than on a 4090, why?",
    "pytorch training is faster on the 3090 than on the a100 40gb pcie?",
    "comfyui: my 4070 ti is slower than my friend's 3080, why?",
    "ollama runs faster on the rtx 3090 than the rtx 4060 ti 16gb, expected?",
    "tensorrt on the l4 is slower than on the t4 for us, is that right?",
    "with exllamav2 the 7900 xtx is slower than the 3090",
    "stable diffusion webui: 4090 slower than 3090, what could cause it?",
    "whisper with pytorch is faster on the a10g than the l4?",
    "llama.cpp: the p40 is faster than my 2080 ti, how?",
]


@pytest.mark.parametrize("question", SLOWER_UNDER_A_LIBRARY)
def test_two_cards_slower_under_a_library_are_weighed(engine: Engine, question: str) -> None:
    assert _request(engine, question)["kind"] != "software"
