"""Memory estimates against published figures. Each case names the figure it reproduces and its tolerance."""

from __future__ import annotations

import pytest

from bot.estimator import GB, ModelShape, estimate, kv_cache_bytes, max_context

# Shapes from each model's config.json.
LLAMA2_7B = ModelShape("Llama 2 7B", 6.74, layers=32, hidden_size=4096, attention_heads=32, kv_heads=32, head_dim=128)
LLAMA3_8B = ModelShape(
    "Llama 3 8B",
    8.03,
    layers=32,
    hidden_size=4096,
    attention_heads=32,
    kv_heads=8,
    head_dim=128,
    max_context=8192,
    attention="gqa",
)
LLAMA3_70B = ModelShape(
    "Llama 3 70B",
    70.6,
    layers=80,
    hidden_size=8192,
    attention_heads=64,
    kv_heads=8,
    head_dim=128,
    max_context=8192,
    attention="gqa",
)
LLAMA1_65B = ModelShape("LLaMA 65B", 65.2, layers=80, hidden_size=8192, attention_heads=64, kv_heads=64, head_dim=128)
MIXTRAL = ModelShape(
    "Mixtral 8x7B",
    46.7,
    active_params_b=12.9,
    layers=32,
    hidden_size=4096,
    attention_heads=32,
    kv_heads=8,
    head_dim=128,
    attention="gqa",
    max_context=32768,
)
MISTRAL_7B = ModelShape(
    "Mistral 7B v0.1",
    7.24,
    layers=32,
    hidden_size=4096,
    attention_heads=32,
    kv_heads=8,
    head_dim=128,
    attention="sliding",
    sliding_window=4096,
    max_context=32768,
)
DEEPSEEK_V3 = ModelShape(
    "DeepSeek-V3",
    671,
    active_params_b=37,
    layers=61,
    hidden_size=7168,
    attention_heads=128,
    kv_heads=128,
    head_dim=128,
    attention="mla",
    kv_lora_rank=512,
    qk_rope_head_dim=64,
)


def weights_gb(model: ModelShape, precision: str) -> float:
    return estimate(model, precision=precision, context=0).terms["weights"]


@pytest.mark.parametrize(
    ("what", "got", "published", "tolerance"),
    [
        # Hugging Face file sizes of the safetensors checkpoints (bf16).
        ("Llama 2 7B bf16 checkpoint 13.5 GB", lambda: weights_gb(LLAMA2_7B, "bf16"), 13.5, 0.02),
        ("Llama 3 70B bf16 checkpoint 141 GB", lambda: weights_gb(LLAMA3_70B, "bf16"), 141.1, 0.02),
        ("Mixtral 8x7B bf16 checkpoint 93.4 GB", lambda: weights_gb(MIXTRAL, "bf16"), 93.4, 0.02),
        # Well-known GGUF files (bartowski/QuantFactory quantisations on Hugging Face).
        ("Meta-Llama-3-8B Q4_K_M GGUF 4.92 GB", lambda: weights_gb(LLAMA3_8B, "q4_k_m"), 4.92, 0.03),
        ("Meta-Llama-3-70B Q4_K_M GGUF 42.5 GB", lambda: weights_gb(LLAMA3_70B, "q4_k_m"), 42.5, 0.03),
        ("Meta-Llama-3-8B Q8_0 GGUF 8.54 GB", lambda: weights_gb(LLAMA3_8B, "q8_0"), 8.54, 0.03),
        # KV cache per token: Llama 2 7B 0.5 MiB (vLLM paper), Llama 3 8B 128 KiB (GQA with 8 KV heads).
        ("Llama 2 7B KV cache 0.5 MiB per token", lambda: kv_cache_bytes(LLAMA2_7B, 1) / 2**20, 0.5, 0.0),
        ("Llama 3 8B KV cache 128 KiB per token", lambda: kv_cache_bytes(LLAMA3_8B, 1) / 2**10, 128, 0.0),
        # DeepSeek-V3 MLA: (512 + 64) values per token and layer, 61 layers, bf16 -> 70,272 bytes per token.
        ("DeepSeek-V3 MLA KV 70,272 bytes per token", lambda: kv_cache_bytes(DEEPSEEK_V3, 1), 70272, 0.0),
        # ZeRO paper (Rajbhandari et al. 2020): mixed-precision Adam needs 16 bytes per parameter,
        # "a 7.5B parameter model ... 120 GB".
        (
            "ZeRO: 7.5B model, mixed-precision Adam 120 GB",
            lambda: sum(
                gb
                for name, gb in estimate(ModelShape("7.5B", 7.5), mode="full", context=0).terms.items()
                if name.startswith(("weights", "gradients", "AdamW"))
            ),
            120,
            0.0,
        ),
        # accelerate estimate-memory: Llama 2 7B float16 load 12.55 GiB (13.48 GB).
        ("accelerate: Llama-2-7b fp16 12.55 GiB", lambda: weights_gb(LLAMA2_7B, "fp16") * GB / 2**30, 12.55, 0.01),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_published_reference_points(what: str, got, published: float, tolerance: float) -> None:  # type: ignore[no-untyped-def]
    value = got()
    assert abs(value - published) <= tolerance * published + 1e-9, (what, value)


def test_qlora_65b_on_one_48gb_gpu() -> None:
    """QLoRA paper (Dettmers et al. 2023): a 65B model fine-tunes on a single 48 GB GPU."""
    est = estimate(LLAMA1_65B, mode="qlora", context=512)
    assert est.verdict(48) != "does not fit", est.terms


def test_sliding_window_caps_the_cache() -> None:
    assert kv_cache_bytes(MISTRAL_7B, 32768) == kv_cache_bytes(MISTRAL_7B, 4096)


def test_multi_gpu_splits_and_adds_overhead() -> None:
    one = estimate(LLAMA3_70B, precision="int4")
    two = estimate(LLAMA3_70B, precision="int4", gpus_count=2)
    assert two.per_gpu_gb < one.per_gpu_gb
    assert two.total_gb > one.total_gb  # a second CUDA context


def test_max_context_grows_with_memory() -> None:
    assert 0 < max_context(LLAMA3_8B, 24) <= max_context(LLAMA3_8B, 48) <= 8192


@pytest.mark.parametrize(
    ("need", "capacity", "verdict"), [(40, 48, "fits"), (45, 48, "tight"), (50, 48, "does not fit")]
)
def test_verdict_bands(need: float, capacity: float, verdict: str) -> None:
    est = estimate(ModelShape("x", need / 2 / 1.05), precision="fp16", context=0)
    est.terms = {"weights": need - 0.8, "runtime overhead": 0.8}
    assert est.verdict(capacity) == verdict
