"""Models the catalog names but does not estimate (specs/models_uncovered.yaml: video and 3D generators): a question
about one is answered with what it is and that there is no estimate, never with the language models that fit."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalog import CatalogError
from bot.catalog_extras import load_uncovered
from bot.engine import Engine

ASKED = [
    ("I have RTX 3070 Ti 8GB VRAM GPU, and am wondering if it can run HunyuanVideo.", "HunyuanVideo", ["rtx-3070-ti"]),
    ("can I run wan 2.1 14b on a 3060 12gb?", "Wan 2.1", ["rtx-3060"]),
    ("is 8gb enough for ltx video", "LTX-Video", []),
    ("hunyuanvideo on 4x 24gb gpus?", "HunyuanVideo", []),
    ("HunyuanVideo 1.5 work with 8 gb gpu?", "HunyuanVideo 1.5", []),
    ("will wan2.2 i2v fit on my 4090?", "Wan 2.2", ["rtx-4090"]),
    ("CogVideoX-5B on a T4, enough vram?", "CogVideoX", ["t4"]),
    ("can an rtx 4060 ti 16gb run framepack?", "FramePack", ["rtx-4060-ti-16gb"]),
    ("hunyuan3d 2 on a 3060 12gb, will it run?", "Hunyuan3D", ["rtx-3060"]),
    ("OOM with hunyuan video i2v on my rtx 3090", "HunyuanVideo", ["rtx-3090"]),
    ("ltxv on 2x 3090?", "LTX-Video", ["rtx-3090"]),
    ("how much vram do I need for wan 2.1?", "Wan 2.1", []),
]


@pytest.mark.parametrize(("question", "name", "gpus"), ASKED)
def test_an_uncovered_model_is_named_not_estimated(engine: Engine, question: str, name: str, gpus: list[str]) -> None:
    answer = engine.ask(question)
    assert answer.intent == "fits"
    assert answer.summary.startswith(f"{name} is ")
    assert "no memory estimate" in answer.summary
    assert answer.gpus == gpus
    assert "language model" not in answer.summary


@pytest.mark.parametrize(
    "question",
    ["can I run llama 3 8b on a 3060?", "is 24gb enough for flux dev?", "qwen2.5 vl 7b on a 3070 ti 8gb"],
)
def test_models_the_catalog_estimates_are_still_estimated(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert "no memory estimate" not in answer.summary


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("models: [{id: x, name: X, kind: k, names: [x]}]", "source"),
        ("models: [{id: x, name: X, kind: k, names: [x], source: 'http://a'}]", "https"),
        ("models: [{id: x, name: X, kind: k, source: 'https://a'}]", "names"),
        ("models: [{id: x, name: X, kind: k, names: [x], source: 'https://a', size: 3}]", "unknown keys"),
    ],
)
def test_a_bad_file_names_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "models_uncovered.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match=message):
        load_uncovered(path)
