"""“Will it fit?”: the acceptance questions, the JSON fit object, and suggestions that make it fit."""

from __future__ import annotations

import json

import pytest

from bot.engine import Engine
from bot.render import render_json, render_text

FIT_KEYS = {
    *("model", "params_b", "mode", "precision", "gpus_count", "required_gb", "available_gb", "fits"),
    *("runtime", "strategy", "usable_gb", "margin_gb", "terms", "tokens_per_s", "assumptions"),
}


def _fit(engine: Engine, question: str) -> dict:  # type: ignore[type-arg]
    data = json.loads(render_json(engine.ask(question)))
    assert data["intent"] == "fits", data
    assert set(data["fit"]) == FIT_KEYS
    return data


def test_llama_3_70b_4bit_fits_on_one_a6000(engine: Engine) -> None:
    data = _fit(engine, "can I run llama 3 70b in 4-bit on a single A6000")
    fit = data["fit"]
    assert fit["fits"] is True and fit["gpus_count"] == 1 and fit["available_gb"] == 48
    assert fit["model"] == "llama-3-70b" and fit["mode"] == "inference"
    assert fit["required_gb"] <= 48
    assert "weights" in data["text"] and "KV cache" in data["text"] and "CUDA context" in data["text"]


def test_llama_3_70b_fp16_does_not_fit_and_says_what_would(engine: Engine) -> None:
    data = _fit(engine, "can I run llama 3 70b in fp16 on a single A6000")
    assert data["fit"]["fits"] is False and data["fit"]["precision"] == "fp16"
    assert data["fit"]["required_gb"] > 48
    assert "would fit" in data["text"] or "would hold it" in data["text"]


def test_full_finetune_7b_does_not_fit_on_a6000(engine: Engine) -> None:
    data = _fit(engine, "full finetune llama 2 7b on a6000?")
    assert data["fit"]["mode"] == "full" and data["fit"]["fits"] is False
    assert "LoRA would fit" in data["text"]


def test_qlora_7b_fits_on_4060_ti_16gb(engine: Engine) -> None:
    data = _fit(engine, "qlora a 7b model on a 4060 ti 16gb")
    assert data["fit"]["mode"] == "qlora" and data["fit"]["fits"] is True
    assert data["gpus"] == ["rtx-4060-ti-16gb"]


def test_memory_for_a_model_without_a_gpu(engine: Engine) -> None:
    data = _fit(engine, "how much vram for qwen2.5 32b at 32k context?")
    assert data["fit"]["model"] == "qwen2.5-32b" and data["fit"]["fits"] is None
    assert "32,768-token context" in data["text"]
    assert "Cheapest single GPU that holds it" in data["text"] or "no public price" in data["text"]


def test_max_context(engine: Engine) -> None:
    data = _fit(engine, "max context for llama 3.1 8b on a 4090")
    assert data["fit"]["fits"] is True
    assert "tokens" in data["text"]


def test_multi_gpu(engine: Engine) -> None:
    data = _fit(engine, "llama 3 70b in 4 bit on 2x 3090")
    assert data["fit"]["gpus_count"] == 2 and data["fit"]["available_gb"] == 48 and data["fit"]["fits"] is True
    assert "NVLink" in data["text"]


def test_ambiguous_gpu_answered_when_every_variant_gets_the_same_verdict(engine: Engine) -> None:
    """More in tests/test_fit_variants.py."""
    data = _fit(engine, "can I run llama 3 70b in fp16 on an h100?")
    assert data["fit"]["fits"] is False and set(data["gpus"]) == {"h100-pcie", "h100-sxm", "h100-nvl"}


def test_moe_uses_total_params_for_memory(engine: Engine) -> None:
    data = _fit(engine, "can I run mixtral 8x7b in 4-bit on a 3090")
    assert data["fit"]["params_b"] > 40


@pytest.mark.parametrize("model_id", ["llama-3-70b", "llama-2-7b", "qwen2.5-32b", "mixtral-8x7b"])
def test_every_catalog_model_answers(engine: Engine, model_id: str) -> None:
    answer = engine.fit(model_id, "rtx-a6000", precision="int4")
    assert answer.fit is not None and answer.fit["available_gb"] == 48


def test_best_card_for_fine_tuning_a_7b_under_budget(engine: Engine) -> None:
    answer = engine.ask("what's the best card under $2000 for fine-tuning 7B models?")
    assert answer.intent == "recommend" and answer.recommendation
    pick = engine.catalog.gpus[answer.recommendation]
    assert (pick.number("launch_price_usd") or 1e9) <= 2000
    text = render_text(answer)
    assert "LoRA fine-tune" in text  # a full fine-tune needs ~115 GB: it says so and falls back
    need = float(text.split("you need about ")[1].split(" GB")[0])
    assert (pick.number("memory_gb") or 0) >= need


def test_best_card_for_a_model_holds_it_and_respects_vendor(engine: Engine) -> None:
    answer = engine.ask("best gpu to run llama 3 70b under $5000 nvidia only")
    pick = engine.catalog.gpus[answer.recommendation or ""]
    assert pick.vendor == "NVIDIA" and (pick.number("launch_price_usd") or 1e9) <= 5000
    assert (pick.number("memory_gb") or 0) >= 40


def test_vendor_filter_in_rankings(engine: Engine) -> None:
    answer = engine.ask("cheapest nvidia card with at least 24gb")
    assert engine.catalog.gpus[answer.recommendation or ""].vendor == "NVIDIA"


def test_a_memory_size_instead_of_a_gpu(engine: Engine) -> None:
    data = _fit(engine, "is 24gb enough for llama 3 8b fine tuning")
    assert data["fit"]["available_gb"] == 24 and data["fit"]["fits"] is False
    assert "LoRA would fit" in data["text"] and "24 GB GPUs would hold it" in data["text"]
    assert _fit(engine, "can I run mixtral 8x7b with 48gb in 4 bit")["fit"]["fits"] is True


def test_plural_gpus_and_more_than_four(engine: Engine) -> None:
    assert engine.ask("A6000 or two 3090s?").gpus == ["rtx-a6000", "rtx-3090"]
    answer = engine.ask("a4000 vs a4500 vs a5000 vs a5500 vs a6000")
    assert len(answer.gpus) == 4 and any("left out: RTX A6000" in n for n in answer.notes)
    assert engine.ask("which is newer, a6000 or 6000 ada").recommendation == "rtx-6000-ada"


def test_a_family_without_a_model_lists_its_models_against_the_memory(engine: Engine) -> None:
    """ "is 8gb enough for stable diffusion": every Stable Diffusion model with what it needs and a verdict."""
    answer = engine.ask("is 8gb vram enough for stable diffusion")
    assert answer.intent == "fits" and "against 8 GB" in answer.summary
    names = [m.name for m in engine.models.values() if m.family == "stable-diffusion"]
    assert len(answer.bullets) == len(names)
    for name in names:
        line = next(b for b in answer.bullets if b.startswith(name + ":"))
        assert line.endswith(("fits", "tight", "does not fit"))
    llama = engine.ask("can i run llama on a 4090")
    assert "against 24 GB" in llama.summary and "4-bit" in llama.summary


@pytest.mark.parametrize(
    ("question", "speed"),
    [
        ("can a 4090 run llama 3 8b", True),
        ("will a 13b model in 4-bit fit on a 4090", True),
        ("can a 4090 run sd 1.5?", False),
        ("can a 4090 run sdxl", False),
        ("can a 2060 run sd 1.5?", False),
        ("flux dev on a 5090", False),
    ],
)
def test_decode_speed_only_for_language_models(engine: Engine, question: str, speed: bool) -> None:
    """Tokens per second mean nothing for a diffusion model."""
    answer = engine.ask(question)
    assert answer.intent == "fits"
    assert ("tokens/s" in render_text(answer)) is speed
