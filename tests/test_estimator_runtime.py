"""Issue 11, items 3 and 4: usable memory, runtime budgets, the margin band and the ``fit`` JSON, over several models,
cards and runtimes, through the engine as people ask."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.engine import Engine
from bot.render import render_json

FIT_KEYS = {
    *("model", "params_b", "mode", "precision", "gpus_count", "required_gb", "available_gb", "fits"),
    *("runtime", "strategy", "usable_gb", "margin_gb", "terms", "tokens_per_s", "assumptions"),
}


def _fit(engine: Engine, question: str) -> tuple[dict[str, Any], str]:
    data = json.loads(render_json(engine.ask(question)))
    assert data["intent"] == "fits", data
    assert set(data["fit"]) == FIT_KEYS
    return data["fit"], data["text"]


@pytest.mark.parametrize(
    ("question", "runtime"),
    [
        ("llama 3 8b on a 4090 with vllm", "vllm"),
        ("llama 3 8b on a 4090 with sglang", "sglang"),
        ("llama 3 8b on a 4090 with text generation inference", "tgi"),
        ("llama 3 8b q4_k_m on a 4090 with llama.cpp", "llama.cpp"),
        ("llama 3 8b q4_k_m on a 4090 in ollama", "ollama"),
        ("llama 3 8b q4_k_m on a 4090 in lm studio", "lm-studio"),
        ("llama 3 8b q4_k_m on a 4090 with koboldcpp", "koboldcpp"),
        ("llama 3 8b exl2 on a 4090", "exllamav2"),
        ("llama 3 8b on a 4090 with tabbyapi", "exllamav2"),
        ("llama 3 8b in 8-bit with bitsandbytes on a 4090", "transformers"),
        ("llama 3 8b on a 4090 with oobabooga", "text-generation-webui"),
    ],
)
def test_the_runtime_named_is_the_one_estimated(engine: Engine, question: str, runtime: str) -> None:
    fit, text = _fit(engine, question)
    assert fit["runtime"] == runtime
    assert "(no runtime named: assumed)" not in text


@pytest.mark.parametrize(
    ("question", "runtime"),
    [("llama 3 8b on a 4090", "llama.cpp"), ("qlora llama 3 8b on a 3090", "transformers")],
)
def test_with_no_runtime_named_the_assumed_one_is_said(engine: Engine, question: str, runtime: str) -> None:
    fit, text = _fit(engine, question)
    assert fit["runtime"] == runtime and "(no runtime named: assumed)" in text
    assert fit["assumptions"][0].startswith("runtime ")


@pytest.mark.parametrize(
    ("question", "usable"),
    [
        ("llama 3 8b on a 4090", 25.8),  # 24564 MiB, nvidia-smi
        ("llama 3 8b on a 3090", 25.4),  # 24268 MiB, an older driver's figure (the smallest driver total)
        ("llama 3 8b on a t4", 16.1),  # 15360 MiB: ECC on keeps 1/16
        ("llama 3 8b on an rtx a6000", 51.5),  # no report: 48 GiB by the rule
    ],
)
def test_needs_are_held_against_usable_memory(engine: Engine, question: str, usable: float) -> None:
    fit, text = _fit(engine, question)
    assert fit["usable_gb"] == pytest.approx(usable, abs=0.1)
    assert f"{usable:,.1f} GB usable" in text
    assert fit["margin_gb"] == pytest.approx(usable - sum(fit["terms"].values()), abs=0.2)


def test_terms_add_up_to_the_need(engine: Engine) -> None:
    fit, _ = _fit(engine, "qwen2.5 32b q4_k_m on a 3090 with llama.cpp at 16k context")
    assert {"weights", "KV cache", "CUDA context", "compute buffer"} <= set(fit["terms"])
    assert sum(fit["terms"].values()) == pytest.approx(fit["required_gb"], abs=0.1)


def test_vllm_default_max_model_len_is_the_models_and_the_fix_is_named(engine: Engine) -> None:
    # Llama 3.1 8B: 131,072 tokens by default, 17 GB of KV cache: an OOM at start on a 24 GB card
    fit, text = _fit(engine, "llama 3.1 8b on a 4090 with vllm")
    assert fit["fits"] is False and "max_model_len 131,072" in text
    hint = next(line for line in text.splitlines() if "max_model_len to about" in line)
    setting = int(hint.split("max_model_len to about ")[1].split(" ")[0].replace(",", ""))
    asked, _ = _fit(engine, f"llama 3.1 8b on a 4090 with vllm at {setting} context")
    assert asked["fits"] is True


@pytest.mark.parametrize(
    ("question", "served"),
    [
        # Qwen2.5's Instruct config.json: max_position_embeddings 32768; the documented 131,072 needs YaRN turned on
        ("qwen2.5 7b on a 4090 with vllm", 32_768),
        ("qwen2.5 14b on an a100 80gb with vllm", 32_768),
        ("qwen2.5 72b on 4x a100 80gb with vllm", 32_768),
        ("qwen2.5 coder 32b on an h100 with vllm", 32_768),
        # Qwen3's config.json allows 40,960 tokens, more than its documented native 32,768: vLLM serves 40,960
        ("qwen3 8b on an h100 with vllm", 40_960),
        ("qwen3 14b on an a100 80gb with vllm", 40_960),
        # no rope scaling in the way: the model's maximum
        ("llama 3.1 8b on an h100 with vllm", 131_072),
    ],
)
def test_servers_default_to_the_released_configs_context(engine: Engine, question: str, served: int) -> None:
    fit, text = _fit(engine, question)
    assert f"{served:,}-token context" in " ".join(fit["assumptions"]), fit["assumptions"]
    assert f"{served:,} (the model" in text


def test_sglangs_request_table_is_as_wide_as_the_released_configs_context(engine: Engine) -> None:
    fit, _ = _fit(engine, "qwen2.5 32b on 2x 4090 with sglang")
    assert any("x 32,772 int32 entries" in a for a in fit["assumptions"]), fit["assumptions"]


def test_the_documented_longer_context_is_still_the_models_limit(engine: Engine) -> None:
    _, text = _fit(engine, "qwen2.5 7b on a 4090 with vllm")
    assert "131,072 needs rope scaling" in text
    _, longest = _fit(engine, "max context for qwen2.5 7b in q4_k_m on an h100")
    assert "131,072" in longest


def test_a_stated_context_replaces_the_runtime_default(engine: Engine) -> None:
    fit, text = _fit(engine, "llama 3.1 8b on a 4090 with vllm at 8k context")
    assert fit["fits"] is True and "max_model_len 131,072" not in text


@pytest.mark.parametrize(
    "question",
    [
        "max context for llama 3.1 8b on a 4090",
        "max context for qwen2.5 32b in q4_k_m on a 3090",
        "max context for gemma 3 27b in q4_k_m on a 3090",
        "max context for llama 3.1 70b in 4 bit on 2x a6000",
        "max context for llama 3.1 8b on a 4090 with vllm",
    ],
)
def test_max_context_never_contradicts_its_memory_figure(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    fit = answer.fit
    assert fit is not None and fit["fits"] is True
    assert fit["margin_gb"] >= 0
    per_gpu = fit["required_gb"] / fit["gpus_count"]
    assert per_gpu <= fit["usable_gb"] / fit["gpus_count"] + 0.05


@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        ("llama 3 8b q4_k_m on a 4090", "fits with ~"),
        ("llama 3 70b q4_k_m on 2x 3090", "fits with ~3.1 GB to spare per GPU"),
        (
            "llama 3 70b q4_k_m on 2x 3090 at 8k context",
            "borderline: 2.5 GB to spare per GPU, within the estimate's ±10%",
        ),
        ("llama 3 70b fp16 on a 4090", "No, it does not fit"),
        ("llama 3 70b fp16 on a 4090", "short by 115.4 GB: needs 141.1 GB of 25.8 GB usable"),
    ],
)
def test_the_margin_band(engine: Engine, question: str, phrase: str) -> None:
    _, text = _fit(engine, question)
    assert phrase in text


def test_ollama_default_context_depends_on_vram(engine: Engine) -> None:
    small, small_text = _fit(engine, "llama 3.1 8b q4_k_m on a 4060 ti 16gb in ollama")
    large, large_text = _fit(engine, "llama 3.1 8b q4_k_m on a 4090 in ollama")
    assert "4,096-token context (Ollama's default" in small_text
    assert "32,768-token context (Ollama's default" in large_text
    assert large["terms"]["KV cache"] > small["terms"]["KV cache"]


@pytest.mark.parametrize(
    ("question", "context"),
    [
        # Ollama clamps its VRAM-tier default (262,144 from 47 GiB) to the model's trained context
        ("llama 3 8b q4_k_m on an a6000 in ollama", 8_192),
        ("qwen3 8b q4_k_m on an a6000 in ollama", 40_960),  # config.json's 40,960, not the documented 32,768
        ("a 70b model on 8x 4090 with ollama", 8_192),  # shaped like Llama 3 70B, its config's 8,192
        ("llama 3.1 8b q4_k_m on an a6000 in ollama", 131_072),
    ],
)
def test_ollama_clamps_its_default_to_the_models_context(engine: Engine, question: str, context: int) -> None:
    _, text = _fit(engine, question)
    assert f"{context:,}-token context (Ollama's default" in text, text


def test_inference_has_no_strategy_and_a_speed_only_when_it_fits(engine: Engine) -> None:
    fits, _ = _fit(engine, "llama 3 8b q4_k_m on a 4090")
    assert fits["strategy"] is None and fits["tokens_per_s"] and fits["tokens_per_s"] > 0
    too_big, _ = _fit(engine, "llama 3 70b fp16 on a 4090")
    assert too_big["tokens_per_s"] is None


@pytest.mark.parametrize(
    ("question", "offered", "never"),
    [
        # a tensor-parallel server loads FP8 or AWQ/GPTQ checkpoints, not GGUF k-quants
        ("qwen2.5 32b on two 4090s with vllm", "At 4-bit it would fit", ("Q6_K", "Q4_K_M", "Q3_K_M", "Q2_K")),
        ("llama 3 70b fp16 on 2x a6000 with sglang", "At FP8 it would fit", ("Q8_0", "Q6_K")),
        # llama.cpp and its front ends run GGUF files: Q8_0, not FP8
        ("llama 3 8b in fp16 on a 3060 12gb with llama.cpp", "At Q8_0 (8-bit GGUF) it would fit", ("FP8", "INT8")),
        ("llama 3 8b in fp16 on a 3060 12gb with ollama", "At Q8_0 (8-bit GGUF) it would fit", ("FP8", "INT8")),
    ],
)
def test_a_lower_precision_is_one_the_runtime_loads(
    engine: Engine, question: str, offered: str, never: tuple[str, ...]
) -> None:
    _, text = _fit(engine, question)
    assert offered in text
    lines = [line for line in text.splitlines() if "it would fit" in line and line.startswith("- At ")]
    assert not any(word in line for line in lines for word in never), lines
