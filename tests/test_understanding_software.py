"""Software-support questions, in our own phrasings in the style of GitHub issues: a library or stack named
with a card, a support issue or error message, a CUDA target, a series of cards, the asker's own card; and
the questions that look alike but are picks, look-ups, format or fit questions.
"""

from __future__ import annotations

import pytest

from bot.engine import Engine


def _request(engine: Engine, question: str) -> dict:  # type: ignore[type-arg]
    return engine.explain(question)["request"]  # type: ignore[no-any-return]


SOFTWARE = [
    # a library or runtime named beside a card
    ("does sglang work on the mi300x", ["mi300x"]),
    ("xformers on a 1080 ti?", ["gtx-1080-ti"]),
    ("can i use bitsandbytes with my 7900 xtx", ["rx-7900-xtx"]),
    ("is tensorrt llm compatible with the l4", ["l4"]),
    ("koboldcpp running on an arc a770, anyone?", ["arc-a770"]),
    ("does deepspeed support the rtx 3060", ["rtx-3060"]),
    ("triton kernels on a t4", ["t4"]),
    # a support issue, with or without a library
    ("tesla p40 not supported anymore?", ["tesla-p40"]),
    ("my a770 is not detected, it falls back to cpu", ["arc-a770"]),
    ("unable to use the rx 6800 xt with stable diffusion webui", ["rx-6800-xt"]),
    ("RuntimeError: CUDA error: no kernel image is available. GPU is a GTX 1070, doesn't work", ["gtx-1070"]),
    ("is the radeon vii still supported?", ["radeon-vii"]),
    ("h100 support?", ["h100-sxm", "h100-pcie"]),
    # a CUDA target with a support word
    ("the 2080 ti has compute capability 7.5, is that supported by flash attention 3?", ["rtx-2080-ti"]),
    ("sm_120 not supported by my torch build on the rtx 5080", ["rtx-5080"]),
    ("gfx1100 is not supported error with rocm on the 7900 xtx", ["rx-7900-xtx"]),
    # the asker's own card is the subject
    ("I have a 6700 xt, can I get ollama to use it?", ["rx-6700-xt"]),
]


@pytest.mark.parametrize(("question", "gpus"), SOFTWARE)
def test_a_support_question_is_a_software_answer(engine: Engine, question: str, gpus: list[str]) -> None:
    request = _request(engine, question)
    assert request["kind"] == "software", request
    assert set(gpus) & set(request["gpus"]), request
    answer = engine.ask(question)
    assert answer.intent == "faq" and answer.summary + "".join(answer.bullets)
    assert answer.sources


@pytest.mark.parametrize(
    ("question", "series"),
    [
        ("does vllm run on a v100?", "v100-"),
        ("flash attention on the rtx 5060 ti", "rtx-5060-ti-"),
        ("will the rx 7900 series be supported by rocm 7", "rx-7900-"),
    ],
)
def test_a_series_running_the_same_software_is_answered_not_asked(engine: Engine, question: str, series: str) -> None:
    request = _request(engine, question)
    assert request["kind"] == "software"
    assert len(request["gpus"]) >= 2 and all(g.startswith(series) for g in request["gpus"])
    answer = engine.ask(question)
    assert len(answer.bullets) <= 1, "one answer for the cards that share it"


def test_a_name_whose_cards_run_different_software_is_still_asked(engine: Engine) -> None:
    # "rtx 6000" is a Turing, an Ampere, an Ada and a Blackwell card: different compute capabilities.
    assert _request(engine, "does vllm support the rtx 6000?")["kind"] == "clarify"


@pytest.mark.parametrize(
    "question",
    [
        "will cuda 13 drop maxwell?",
        "bitsandbytes on amd?",
        "ValueError: flash attention is not supported for the current GPU. Minimum capability: 80",
        "does jax work on intel gpus",
    ],
)
def test_a_stack_without_a_card_gets_the_general_software_answer(engine: Engine, question: str) -> None:
    request = _request(engine, question)
    assert request["kind"] == "software" and request.get("gpus", []) == []
    answer = engine.ask(question)
    assert answer.bullets or (request.get("vendor") and answer.summary)  # one vendor asked: its stack is the answer


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("best gpu for comfyui under $800", "pick"),
        ("good first card for pytorch", "pick"),
        ("3090 or 4080 for ollama?", "verdict"),
        ("what compute capability is the a4000", "lookup"),
        ("is the l4 sm_89?", "lookup"),
        ("does the 4090 support fp8", "formats"),
        ("running comfyui on a 3090 now, what is the bandwidth of the 4080?", None),
        ("can the 4090 run llama 3 70b in 4bit with vllm", "fit"),
        ("what psu do i need for two 3090s", "psu"),
    ],
)
def test_look_alikes_are_not_software_questions(engine: Engine, question: str, kind: str | None) -> None:
    got = _request(engine, question)["kind"]
    assert got != "software" and (kind is None or got == kind)


def test_the_seed_articles_cards_keep_their_faq_answer(engine: Engine) -> None:
    request = _request(engine, "do the a4000 and a6000 support pytorch?")
    assert request["kind"] == "faq"
