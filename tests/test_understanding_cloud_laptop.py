"""Hosted notebooks, cloud instance names, laptop GPUs and Apple machines: each class with many phrasings.

Phrasings are our own; the labelled corpus in tests/corpus/ holds the real ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.catalog import Catalog, CatalogError
from bot.cloud import load_cloud
from bot.engine import Engine

SPECS = Path(__file__).resolve().parent.parent / "specs"


def _request(engine: Engine, question: str) -> dict[str, Any]:
    return engine.explain(question)["request"]  # type: ignore[no-any-return]


# -- 1. a hosted notebook names the variant it hands out ------------------------------------------

HOSTED = [
    ("colab gave me a p100, is it faster than the t4?", "tesla-p100-pcie-16gb"),
    ("on google colab pro I got a P100 — how much memory does it have", "tesla-p100-pcie-16gb"),
    ("p100 vram on colab", "tesla-p100-pcie-16gb"),
    ("my colab runtime is a v100, what is its bandwidth?", "v100-sxm2-16gb"),
    ("colab pro+ v100 vs a t4 for training a small cnn", "v100-sxm2-16gb"),
    ("colaboratory v100 tflops", "v100-sxm2-16gb"),
    ("is the v100 in colab faster than the l4", "v100-sxm2-16gb"),
]


@pytest.mark.parametrize(("question", "gpu"), HOSTED)
def test_hosted_notebook_means_its_variant(engine: Engine, question: str, gpu: str) -> None:
    req = _request(engine, question)
    assert req["kind"] != "clarify", question
    assert gpu in req["gpus"], question


@pytest.mark.parametrize("question", ["p100 specs", "v100 memory", "which p100 has more vram"])
def test_without_a_hosted_notebook_the_name_stays_ambiguous(engine: Engine, question: str) -> None:
    assert _request(engine, question)["kind"] == "clarify"


def test_a_notebook_does_not_resolve_a_card_it_does_not_offer(engine: Engine) -> None:
    assert _request(engine, "on colab, rtx 6000 specs?")["kind"] == "clarify"


# -- 2. a GPU name inside a cloud instance name is that instance's GPU -----------------------------

INSIDE = [
    ("what gpu is in azure nd h100 v5", "h100-sxm"),
    ("azure nd h100 v5 memory bandwidth", "h100-sxm"),
    ("how much vram per gpu on an nd h100 v5 vm", "h100-sxm"),
]


@pytest.mark.parametrize(("question", "gpu"), INSIDE)
def test_name_inside_an_instance_is_its_gpu(engine: Engine, question: str, gpu: str) -> None:
    req = _request(engine, question)
    assert req["kind"] != "clarify", question
    assert req["gpus"] == [gpu], question


# -- 3. "laptop" beside a laptop GPU describes the card, it is not a purpose -----------------------

LAPTOP_COMPARE = [
    ("my laptop rtx 4070 is slower than my old desktop 3070, is that expected?", ["rtx-4070-laptop", "rtx-3070"]),
    ("laptop 4090 vs desktop 4090", ["rtx-4090-laptop", "rtx-4090"]),
    ("rtx 4060 laptop vs rtx 4070 laptop", ["rtx-4060-laptop", "rtx-4070-laptop"]),
    ("why is my laptop 4080 so much slower than a desktop 4080", ["rtx-4080-laptop", "rtx-4080"]),
]


@pytest.mark.parametrize(("question", "gpus"), LAPTOP_COMPARE)
def test_laptop_beside_a_laptop_gpu_is_not_a_workload(engine: Engine, question: str, gpus: list[str]) -> None:
    req = _request(engine, question)
    assert set(gpus) <= set(req["gpus"]), question
    assert req.get("workload") != "laptop" and "laptop" not in req.get("modifiers", []), question


@pytest.mark.parametrize("question", ["best laptop gpu for ml", "which laptop should i buy for stable diffusion"])
def test_laptop_without_a_named_card_still_filters(engine: Engine, question: str) -> None:
    req = _request(engine, question)
    assert "laptop" in [*req.get("modifiers", []), req.get("workload")], question


# -- 4. Apple machines however they are named ------------------------------------------------------

APPLE = [
    "ollama is slow on macos m1",
    "running llama on my m2 mac",
    "is an m3 chip good for stable diffusion",
    "mac m4 for local llms?",
    "osx m1 pytorch mps very slow",
]


@pytest.mark.parametrize("question", APPLE)
def test_apple_machines_are_outside(engine: Engine, question: str) -> None:
    req = _request(engine, question)
    assert req["kind"] == "outside", question
    assert req["outside"] == "apple-silicon", question


@pytest.mark.parametrize("question", ["m10 specs", "rtx a2000 vs m2000", "quadro m4000 memory"])
def test_m_names_that_are_gpus_are_not_apple(engine: Engine, question: str) -> None:
    assert _request(engine, question).get("outside") != "apple-silicon", question


# -- 5. the hosted section of cloud.yaml is validated -----------------------------------------------


def _broken(tmp_path: Path, catalog: Catalog, edit: Any) -> None:
    data = yaml.safe_load((SPECS / "cloud.yaml").read_text(encoding="utf-8"))
    edit(data["hosted"]["colab"])
    (tmp_path / "cloud.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    load_cloud(tmp_path, catalog.gpus.keys())


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda c: c.update(gpus=["p100x"]), r"cloud\.yaml: colab: gpus: GPUs not in the catalog"),
        (lambda c: c.update(colour="red"), r"cloud\.yaml: colab: unknown keys \['colour'\]"),
        (lambda c: c.pop("sources"), r"cloud\.yaml: colab: sources: must be a non-empty list"),
        (lambda c: c.update(sources=["colab.google"]), r"colab: sources: every source must be a URL"),
        (lambda c: c.pop("name"), r"cloud\.yaml: colab: name: needs a name"),
    ],
)
def test_broken_hosted_entry_names_file_entry_and_field(
    tmp_path: Path, catalog: Catalog, edit: Any, message: str
) -> None:
    with pytest.raises(CatalogError, match=message):
        _broken(tmp_path, catalog, edit)


def test_every_hosted_gpu_has_sources(catalog: Catalog) -> None:
    cloud = load_cloud(SPECS, catalog.gpus.keys())
    assert cloud.hosted
    for service in cloud.hosted:
        assert service.sources and service.gpus <= set(catalog.gpus)


@pytest.mark.parametrize(
    "question",
    [
        "my colab notebook on a t4 is slow for stable diffusion, is the l4 better?",
        "which colab gpu is best for a kohya lora notebook",
        "p100 colab notebook vs t4 for sdxl",
    ],
)
def test_a_colab_notebook_is_not_a_laptop(engine: Engine, question: str) -> None:
    req = _request(engine, question)
    assert "laptop" not in [*req.get("modifiers", []), req.get("workload")], question
