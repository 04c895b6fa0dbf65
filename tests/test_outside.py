"""specs/outside.yaml: questions about hardware the catalog does not cover name the right entry (the first
entry that matches, as the parser takes it), and no GPU the catalog does cover matches any entry."""

from __future__ import annotations

import pytest

from bot.catalog import Catalog
from bot.text import normalize


def _outside(catalog: Catalog, text: str) -> str | None:
    norm = normalize(text)
    return next((o.id for o in catalog.outside if o.pattern.search(norm)), None)


PHRASINGS = [
    # NVIDIA Jetson
    ("can a jetson orin nano run llama 3 8b?", "nvidia-jetson"),
    ("Jetson Orin NX 16GB for yolo", "nvidia-jetson"),
    ("AGX Orin 64gb vs 4090", "nvidia-jetson"),
    ("jetson xavier nx cuda version", "nvidia-jetson"),
    ("is the jetson nano still supported", "nvidia-jetson"),
    ("jetson thor for robotics", "nvidia-jetson"),
    ("orin nano super tokens per second", "nvidia-jetson"),
    # DGX Station
    ("dgx station gb300 price", "dgx-station"),
    # NPUs and edge accelerators
    ("does the ryzen ai npu run llms", "npu"),
    ("Ryzen AI 9 HX 370 for stable diffusion", "npu"),
    ("intel npu vs gpu for whisper", "npu"),
    ("is a copilot+ pc good for local ai", "npu"),
    ("Snapdragon X Elite laptop for llama", "npu"),
    ("hailo 8l on a pi", "npu"),
    ("coral edge tpu for object detection", "npu"),
    ("google coral usb accelerator", "npu"),
    # CPUs
    ("ryzen 9 7950x for llama.cpp", "cpu"),
    ("threadripper pro 7995wx for inference", "cpu"),
    ("epyc 9654 ram bandwidth for llm", "cpu"),
    ("core i7-13700k enough for ai?", "cpu"),
    ("i9 14900k for stable diffusion", "cpu"),
    ("core ultra 7 155h for local llm", "cpu"),
    ("xeon gold for inference", "cpu"),
    ("can i run llama 3 on my cpu", "cpu"),
    ("cpu only inference speed", "cpu"),
    # phones and tablets
    ("run llama on iphone 15 pro", "phone-tablet"),
    ("can my ipad run stable diffusion", "phone-tablet"),
    ("pixel 8 pro gemini nano", "phone-tablet"),
    ("snapdragon 8 gen 3 llm speed", "phone-tablet"),
    ("galaxy s24 ultra local ai", "phone-tablet"),
    ("best phone for running llms", "phone-tablet"),
    # consoles
    ("can a ps5 run pytorch", "game-console"),
    ("xbox series x gpu for ai", "game-console"),
    ("steam deck for stable diffusion", "game-console"),
    ("nintendo switch 2 ai", "game-console"),
    # Raspberry Pi
    ("raspberry pi 5 llama", "raspberry-pi"),
    ("rpi4 for whisper", "raspberry-pi"),
    # other AI accelerators
    ("aws trainium vs h100", "aws-trainium-inferentia"),
    ("inferentia2 for llama inference", "aws-trainium-inferentia"),
    ("tenstorrent wormhole n300 vs 3090", "tenstorrent"),
    ("blackhole p150 specs", "tenstorrent"),
    ("groq lpu speed", "ai-accelerator"),
    ("cerebras wse 3", "ai-accelerator"),
    ("graphcore ipu for training", "ai-accelerator"),
    ("sambanova sn40l", "ai-accelerator"),
    # the entries that were already there
    ("macbook m3 max for llm", "apple-silicon"),
    ("tpu v5e vs h100 sxm", "google-tpu"),
    ("can my iris xe run stable diffusion", "integrated-graphics"),
    ("ryzen ai max+ 395 with 128gb", "integrated-graphics"),
]


def test_enough_phrasings() -> None:
    assert len(PHRASINGS) >= 40


@pytest.mark.parametrize(("text", "entry"), PHRASINGS)
def test_outside_hardware_is_recognised(catalog: Catalog, text: str, entry: str) -> None:
    assert _outside(catalog, text) == entry


def test_a_cpu_named_beside_a_gpu_is_still_seen(catalog: Catalog) -> None:
    """The parser only answers with `outside` when no GPU is named; the pattern itself still sees the CPU."""
    assert _outside(catalog, "ryzen 9 7950x with a 4090") == "cpu"


def _gpu_questions(catalog: Catalog) -> list[str]:
    out: list[str] = []
    for gpu in catalog:
        for name in dict.fromkeys((gpu.name, gpu.id.replace("-", " "), *gpu.aliases)):
            out += [f"{name} specs", f"is the {name} good for llms?", f"{name} vs rtx 4090 for training"]
    return out


def test_every_catalog_gpu_name_is_outside_nothing(catalog: Catalog) -> None:
    questions = _gpu_questions(catalog)
    assert len(questions) >= 40
    hits = [(q, _outside(catalog, q)) for q in questions if _outside(catalog, q)]
    assert hits == []


@pytest.mark.parametrize(
    "text",
    [
        "radeon pro w7900 vs rtx 6000 ada",
        "arc a770 for stable diffusion",
        "intel max 1100 vram",
        "rtx pro 6000 max-q",
        "rtx a2000 ada",
        "dgx spark vs 4090",
        "nvidia gb10 memory bandwidth",
        "gaudi 3 vs h100",
        "a100 80gb pcie vs sxm",
        "gtx 1080 ti for llama",
        "tesla p40 cuda 12",
        "what is a tensor core",
        "l4 tensor core gpu",
        "do I need a pro card",
        "best max memory card",
        "cheapest card with nvlink",
        "which gpu for a 70b model",
        "can i run llama 70b with cpu offload on a 3090",
        "gpu console output is blank",
        "switch from a 3090 to a 4090?",
        "h100 vs h200 for training",
        "mi300x rocm support",
    ],
)
def test_gpu_questions_are_not_outside(catalog: Catalog, text: str) -> None:
    assert _outside(catalog, text) is None
