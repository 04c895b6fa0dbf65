"""The model catalog: every shipped model loads, names are unique, and a broken file names the problem."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.catalog import CatalogError
from bot.engine import Engine
from bot.models import load_models
from bot.render import render_text
from bot.text import tokens

REQUIRED = [
    "llama-2-7b",
    "llama-2-13b",
    "llama-2-70b",
    "llama-3-8b",
    "llama-3-70b",
    "llama-3.1-8b",
    "llama-3.1-70b",
    "llama-3.1-405b",
    "llama-3.2-1b",
    "llama-3.2-3b",
    "llama-3.3-70b",
    "mixtral-8x7b",
    "mixtral-8x22b",
    "qwen2.5-7b",
    "qwen2.5-32b",
    "qwen2.5-72b",
    "deepseek-v3",
    "deepseek-r1",
    "falcon-40b",
    "gpt-oss-20b",
    "gpt-oss-120b",
    "whisper-large-v3",
]


def test_shipped_models(engine: Engine) -> None:
    models = engine.models
    assert len(models) >= 40
    missing = [m for m in REQUIRED if m not in models]
    assert missing == []
    for model in models.values():
        assert model.sources and model.params_b > 0
        if model.shape.active_params_b is not None:
            assert model.shape.active_params_b < model.params_b, model.id


def test_every_model_resolves_from_its_names(engine: Engine) -> None:
    assert engine.parser.models is not None
    for model in engine.models.values():
        for spelling in {model.name, model.id, *model.aliases}:
            found = engine.parser.models.find(tokens(f"can I run {spelling} on a 4090"))
            assert found is not None and found.model.id == model.id, (spelling, found)


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (lambda m: m.update(params_b="seventy"), "params_b"),
        (lambda m: m.update(layers=-3), "layers"),
        (lambda m: m.update(attention="sparse"), "attention"),
        (lambda m: m.update(sources=[]), "sources"),
        (lambda m: m.update(flavour="x"), "unknown keys"),
    ],
)
def test_broken_model_file_is_named(specs_copy: Path, edit, fragment: str) -> None:  # type: ignore[no-untyped-def]
    path = specs_copy / "models.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data["models"][0])
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_models(specs_copy)
    assert "models.yaml" in str(info.value) and data["models"][0]["id"] in str(info.value)
    assert fragment in str(info.value)


def test_estimate_options_are_understood(engine: Engine) -> None:
    kv = engine.parser.parse("can I run llama 3.1 8b at 128k context with fp8 kv cache on a 4090").fit
    assert kv is not None and kv.kv_precision == "fp8" and kv.context == 131072
    lora = engine.parser.parse("lora rank 64 all linear layers llama 3 8b on a 4090").fit
    assert lora is not None and lora.mode == "lora" and lora.lora_rank == 64 and lora.lora_all_linear
    full = engine.parser.parse("full finetune llama 3.2 1b without gradient checkpointing on a 4090").fit
    assert full is not None and full.mode == "full" and not full.checkpointing


@pytest.mark.parametrize(
    ("text", "model"),
    [
        ("qwen 72b 4bit on 2x 3090", "qwen2.5-72b"),
        ("can i fine tune mistral 7b on a 4060 ti 16gb", "mistral-7b-v0.3"),
        ("llama 70b on a6000", "llama-3.3-70b"),
        ("mixtral 8x7b on 2 3090s", "mixtral-8x7b"),
    ],
)
def test_family_and_size_name_the_newest_model(engine: Engine, text: str, model: str) -> None:
    """Without a version, "qwen 72b" is the family's newest 72B model; the answer names which."""
    answer = engine.ask(text)
    assert answer.intent == "fits" and answer.fit is not None
    assert answer.fit["model"] == model
    assert engine.models[model].name in render_text(answer)
