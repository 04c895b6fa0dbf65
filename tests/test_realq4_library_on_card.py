"""A library with its own support rules (specs/libraries.yaml) named with one card, in words no support class holds:
"No Optix option available for GTX cards? I can't find a way to enable Optix with my GTX1080" was a rendering verdict
on the card ("not a fit: RT cores 0") when Blender's OptiX runs on any NVIDIA card of compute capability 5.0 or
higher. Such a question is a software one (bot/rules_software.py), answered with the library's rule for the card."""

from __future__ import annotations

import pytest

from bot.engine import Engine

# (question, card, words of the library's rule for it)
ON_CARD = [
    # https://github.com/LuxCoreRender/BlendLuxCore/issues/620
    (
        "No Optix option available for GTX cards? I can't find a way to enable Optix with my GTX1080, I mean the "
        "raytracing features, not the denoiser, any ideas?",
        "gtx-1080",
        "Blender Cycles renders with OptiX on it",
    ),
    # own phrasings
    ("enable optix with my gtx 1080 ti?", "gtx-1080-ti", "Blender Cycles renders with OptiX on it"),
    ("optix keeps failing with my quadro k6000, any ideas?", "tpu-quadro-k6000", "below the compute capability 5.0"),
]


@pytest.mark.parametrize(("question", "card", "rule"), ON_CARD)
def test_the_library_on_the_card(engine: Engine, question: str, card: str, rule: str) -> None:
    q = engine.parser.parse(question)
    assert q.kind == "software" and q.gpus == [card], (q.rule, q.gpus)
    answer = engine.ask(question)
    assert answer.intent == "faq" and rule in answer.summary, answer.summary


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("can I use flash attention with llama 3 8b on my 3090?", "fit"),  # a model to fit: the fit answer
        ("optix on a 3090 or a 4090, which is faster?", "verdict"),  # two cards weighed
    ],
)
def test_not_when_a_fit_or_a_choice_is_asked(engine: Engine, question: str, kind: str) -> None:
    assert engine.parser.parse(question).kind == kind
