"""Rendering questions about devices and backends (Blender Cycles: CPU or GPU, CUDA, OptiX, HIP, oneAPI, Metal) get
the rendering answer from Blender's manual (specs/faq.yaml render-devices; specs/libraries.yaml cycles-optix), not a
spec look-up, a verdict or a clarification. Phrasings of our own."""

from __future__ import annotations

import pytest

from bot.engine import Engine

MANUAL = "https://docs.blender.org/manual/en/latest/render/cycles/gpu_rendering.html"

GENERAL = [
    "Blender CPU vs GPU rendering?",
    "is OptiX faster than CUDA in cycles?",
    "cycles: cpu or gpu?",
    "should blender render on my cpu or gpu",
    "optix or cuda for rendering?",
    "which render device should I pick in cycles",
    "is gpu rendering faster than cpu rendering in blender",
    "does opencl still work in blender cycles",
    "hip or opencl for blender on amd?",
    "is cycles faster on cpu or gpu",
]


@pytest.mark.parametrize("question", GENERAL)
def test_render_devices_in_general(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert answer.intent == "faq", answer.rule
    assert "OptiX" in answer.summary and "HIP" in answer.summary
    assert MANUAL in answer.sources


CARDS = [
    ("Should I render with the CPU or GPU? CUDA, OptiX or OpenCL? My specs: RTX 2060, 32 GB RAM", "rtx-2060"),
    ("should i use cuda or optix on my 3080 ti in blender", "rtx-3080-ti"),
    ("cpu or gpu rendering with a 7900 xtx?", "rx-7900-xtx"),
    ("my 4070 in cycles: optix or cuda?", "rtx-4070"),
    ("cycles render device for an arc a770?", "arc-a770"),
]


@pytest.mark.parametrize(("question", "card"), CARDS)
def test_render_devices_for_a_card(engine: Engine, question: str, card: str) -> None:
    answer = engine.ask(question)
    assert answer.intent == "faq", answer.rule
    assert answer.gpus == [card]
    assert "Cycles" in answer.summary and MANUAL in answer.sources


SUPPORT = [
    ("does the 3060 support optix", "Blender Cycles renders with OptiX"),
    ("is optix supported on a gtx 1080", "Blender Cycles renders with OptiX"),
    ("can my rx 6800 use optix in blender? is it supported", "through HIP"),
    ("optix support on an arc b580?", "through oneAPI"),
    ("is the tesla k80 supported by optix", "below the compute capability 5.0"),
]


@pytest.mark.parametrize(("question", "says"), SUPPORT)
def test_optix_support_per_card(engine: Engine, question: str, says: str) -> None:
    answer = engine.ask(question)
    assert answer.intent == "faq", answer.rule
    assert says in answer.summary or any(says in b for b in answer.bullets)
    assert MANUAL in answer.sources


@pytest.mark.parametrize(
    ("question", "kind"),
    [("best gpu for rendering with cuda", "pick"), ("4090 for blender", "verdict"), ("a6000 rt cores", "lookup")],
)
def test_picks_and_lookups_stay(engine: Engine, question: str, kind: str) -> None:
    assert engine.parser.parse(question).kind == kind
