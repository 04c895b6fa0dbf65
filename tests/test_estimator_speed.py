"""Decode speed (issue 11, item 7): bytes read per token ÷ effective bandwidth + a fixed time per layer, split-aware,
with the constants fitted on the measured speeds of tests/estimates/reports.yaml (each with its public source)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.fit_speed import dispatch_fits
from benchmarks.fit_speed import fits as refit
from bot.catalog import load_catalog
from bot.engine import Engine
from bot.estimator import estimate
from bot.estimator_dispatch import EAGER_EXPERT_US, EAGER_LAYER_US, MOE_DISPATCH_US, moe_layers, runs_eager
from bot.estimator_speed import ALLREDUCE_US, CHAT_TOKENS, CLASSES, DecodeSpeed, decode_speed, split_for
from bot.handlers.fit_plan import card_speed
from bot.models import load_models
from bot.render import render_text

SPECS = Path(__file__).resolve().parent.parent / "specs"
MODELS = dict(load_models(SPECS))
GPUS = {g.id: g for g in load_catalog(SPECS)}


def _speed(model: str, gpu: str, precision: str, count: int = 1, **kw: object) -> DecodeSpeed:
    shape, card = MODELS[model].shape, GPUS[gpu]
    est = estimate(shape, precision=precision, context=4096, gpus_count=count)
    speed = card_speed(shape, est, card, count, **kw)  # type: ignore[arg-type]
    assert speed is not None
    return speed


def test_the_constants_are_the_fit_on_the_reports() -> None:
    """No hand tuning: the module's constants are what benchmarks/fit_speed.py fits, rounded."""
    for key, fitted in refit().items():
        used = CLASSES[key]
        assert used.efficiency == pytest.approx(fitted.efficiency, abs=0.01)
        assert used.layer_overhead_ms == pytest.approx(fitted.layer_overhead_ms, abs=0.001)
        assert used.cases == fitted.cases
        assert used.low == pytest.approx(fitted.low, abs=0.01) and used.high == pytest.approx(fitted.high, abs=0.01)


def test_the_dispatch_constants_are_the_fit_on_the_reports() -> None:
    """MoE dispatch, eager launches and the expert loop: what benchmarks/fit_speed.py fits on reports.yaml, in turn."""
    fitted = dispatch_fits()
    assert pytest.approx(fitted["MoE expert dispatch"][0], abs=0.5) == MOE_DISPATCH_US
    assert pytest.approx(fitted["eager kernel launches"][0], abs=1.0) == EAGER_LAYER_US
    assert pytest.approx(fitted["expert loop"][0], abs=1.0) == EAGER_EXPERT_US
    assert [cases for _, cases in fitted.values()] == [10, 6, 1]


def test_eager_runtimes() -> None:
    assert runs_eager("transformers") and not runs_eager("llama.cpp") and not runs_eager("sglang")
    assert not runs_eager("vllm") and runs_eager("vllm", enforce_eager=True)
    assert runs_eager("vllm", version="0.2.4") and not runs_eager("vllm", version="0.2.6")


def test_moe_layers_follow_the_config() -> None:
    """DeepSeek V3's first_k_dense_replace 3 leaves 58 MoE layers of 61; Maverick alternates; dense models have none."""
    assert moe_layers(MODELS["deepseek-v3"].shape) == 58
    assert moe_layers(MODELS["llama-4-maverick"].shape) == 24
    assert moe_layers(MODELS["qwen3-30b-a3b"].shape) == 48
    assert moe_layers(MODELS["llama-3-8b"].shape) == 0


def test_eager_mode_adds_launches_per_layer_and_transformers_loops_over_experts() -> None:
    graphs = _speed("qwen3-8b", "h20", "bf16", runtime="vllm")
    eager = _speed("qwen3-8b", "h20", "bf16", runtime="vllm", eager=True)
    assert eager.terms_ms["eager kernel launches"] == pytest.approx(36 * EAGER_LAYER_US / 1000)
    assert "eager kernel launches" not in graphs.terms_ms and eager.tokens_per_s < graphs.tokens_per_s
    moe = _speed("qwen3-30b-a3b", "h20", "bf16", runtime="transformers", eager=True)
    assert moe.terms_ms["expert loop"] == pytest.approx(48 * 128 * EAGER_EXPERT_US / 1000)
    assert moe.tokens_per_s < 5  # the Qwen speed benchmark measured 1.89 tokens/s
    assert any("128 experts looped" in line for line in moe.assumptions)
    fused = _speed("qwen3-30b-a3b", "h20", "bf16", runtime="vllm", eager=True)
    assert "expert loop" not in fused.terms_ms  # vLLM's fused MoE launches per layer, not per expert


def test_moe_layers_add_expert_dispatch() -> None:
    speed = _speed("deepseek-v3", "h200-sxm", "fp8", 8, runtime="sglang")
    assert speed.terms_ms["MoE expert dispatch"] == pytest.approx(58 * MOE_DISPATCH_US / 1000)
    assert any("58 MoE layers ×" in line and "expert dispatch" in line for line in speed.assumptions)
    assert "MoE expert dispatch" not in _speed("llama-3-8b", "h100-sxm", "fp16").terms_ms


@pytest.mark.parametrize(
    ("model", "gpu", "precision"),
    [
        ("llama-3-8b", "rtx-4090", "q4_k_m"),
        ("llama-3-8b", "rtx-3090", "fp16"),
        ("llama-2-70b", "a100-80gb-sxm", "q4_0"),
        ("qwen3-8b", "rtx-5090", "q4_k_m"),
        ("llama-2-13b", "rtx-a6000", "int4"),
    ],
)
def test_one_card_memory_plus_overhead(model: str, gpu: str, precision: str) -> None:
    speed = _speed(model, gpu, precision)
    assert speed.split == "single" and set(speed.terms_ms) == {"memory", "per-layer overhead"}
    assert speed.tokens_per_s == pytest.approx(1000 / sum(speed.terms_ms.values()))
    assert speed.low <= speed.tokens_per_s <= speed.high


def test_a_layer_split_reads_at_one_cards_bandwidth() -> None:
    """llama.cpp's default --split-mode layer: two 3090s are no faster than one would be with the memory."""
    one = _speed("llama-3-70b", "rtx-3090", "q4_k_m", 1)
    two = _speed("llama-3-70b", "rtx-3090", "q4_k_m", 2, runtime="llama.cpp")
    assert two.split == "layer" and two.tokens_per_s == pytest.approx(one.tokens_per_s)
    assert any("one card reads at a time" in line for line in two.assumptions)


@pytest.mark.parametrize(
    ("gpu", "link", "bridged"),
    [
        ("rtx-4090", "pcie", False),  # no NVLink at all
        ("h100-sxm", "nvlink", False),  # a module: NVLink on the baseboard
        ("rtx-3090", "pcie", False),  # takes a bridge, but the question does not say it is bridged
        ("rtx-3090", "nvlink", True),  # ... and when it does
        ("rtx-a6000", "pcie", False),
        ("a100-80gb-pcie", "pcie", False),
        ("a100-80gb-sxm", "nvlink", False),
        ("mi300x", "nvlink", False),  # OAM module: Infinity Fabric on the baseboard
    ],
)
def test_tensor_parallel_divides_the_bytes_and_adds_all_reduces(gpu: str, link: str, bridged: bool) -> None:
    layer = _speed("llama-3-70b", gpu, "q4_k_m", 4, runtime="llama.cpp", bridged=bridged)
    tensor = _speed("llama-3-70b", gpu, "q4_k_m", 4, runtime="vllm", bridged=bridged)
    assert tensor.split == "tensor" and tensor.tokens_per_s > layer.tokens_per_s
    assert tensor.terms_ms["memory"] == pytest.approx(layer.terms_ms["memory"] / 4)
    assert tensor.terms_ms["all-reduce"] == pytest.approx(2 * 80 * ALLREDUCE_US[link] / 1000)


def test_nvlink_all_reduces_are_cheaper_than_pcie() -> None:
    pcie = _speed("llama-3-8b", "rtx-4090", "fp16", 2, runtime="vllm")
    nvlink = _speed("llama-3-8b", "rtx-3090", "fp16", 2, runtime="vllm", bridged=True)
    assert nvlink.terms_ms["all-reduce"] < pcie.terms_ms["all-reduce"]


def test_moe_reads_only_the_active_experts() -> None:
    moe = _speed("mixtral-8x7b", "a100-80gb-sxm", "int8")
    shape = MODELS["mixtral-8x7b"].shape
    share = (shape.active_params_b or 0) / shape.params_b
    est = estimate(shape, precision="int8", context=4096)
    assert moe.terms_ms["memory"] == pytest.approx(
        (est.terms["weights"] * share + est.terms["KV cache"] * CHAT_TOKENS / 4096)
        / (CLASSES["hbm"].efficiency * 2039)
        * 1000,
        rel=0.01,
    )


def test_small_models_on_fast_cards_are_overhead_bound() -> None:
    """A 4-bit 8B model on an H100: the fixed per-layer time is a large part of each token."""
    speed = _speed("llama-3-8b", "h100-sxm", "q4_k_m")
    assert speed.terms_ms["per-layer overhead"] > 0.5 * speed.terms_ms["memory"]


def test_the_kv_cache_read_follows_the_context_used() -> None:
    short = _speed("llama-3-8b", "rtx-4090", "q4_k_m", context=512)
    chat = _speed("llama-3-8b", "rtx-4090", "q4_k_m")
    assert short.tokens_per_s > chat.tokens_per_s
    assert any(f"{CHAT_TOKENS:,} tokens, a short chat" in line for line in chat.assumptions)


def test_split_for_runtimes() -> None:
    assert split_for("vllm", 1) == "single"
    assert [split_for(r, 2) for r in ("vllm", "sglang", "tgi", "llama.cpp", "ollama", None)] == [
        "tensor",
        "tensor",
        "tensor",
        "layer",
        "layer",
        "layer",
    ]


def test_no_speed_for_image_models_or_training() -> None:
    flux = MODELS["flux.1-dev"].shape
    assert decode_speed(flux, estimate(flux), 1008.0) is None
    llama = MODELS["llama-3-8b"].shape
    assert decode_speed(llama, estimate(llama, mode="lora"), 1008.0) is None


def test_the_answer_shows_a_band_and_its_terms(engine: Engine) -> None:
    text = render_text(engine.ask("llama 3 8b q4 on a 4090"))
    assert "tokens/s (likely" in text and "layers ×" in text and "short chat" in text
    image = render_text(engine.ask("flux dev on an h100 80gb"))
    assert "tokens/s" not in image


def test_the_reports_agree_within_30_percent_mostly() -> None:
    """The regression floor on the sourced speeds (the benchmark prints the distribution)."""
    from tests.estimates.cases import eager_of, plan
    from tests.estimates.load import load_reports

    single, several = [], []
    for r in load_reports():
        if r.tokens_per_s is None:
            continue
        spec, card = MODELS[r.model], GPUS[r.gpu]
        est = plan(r, spec)
        speed = card_speed(spec.shape, est, card, r.count, runtime=r.runtime, context=r.context, eager=eager_of(r))
        assert speed is not None
        (single if r.count == 1 else several).append(abs(speed.tokens_per_s / r.tokens_per_s - 1) <= 0.30)
    assert sum(single) / len(single) >= 0.9
    assert (sum(single) + sum(several)) / (len(single) + len(several)) >= 0.75
