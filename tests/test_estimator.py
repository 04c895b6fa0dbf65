"""Memory estimates against published figures. Each case names the figure it reproduces and its tolerance."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import pytest

from bot.catalog import find_specs_dir, load_catalog
from bot.estimator import GB, ModelShape, estimate, kv_cache_bytes, max_context
from bot.estimator_runtime import (
    CUDA_CONTEXT_MIB,
    DEFAULT_INFERENCE,
    Budget,
    build_budgets,
    capacity_gb,
    default_context,
)
from bot.runtimes import load_runtimes
from bot.usable_memory import load_usable_memory

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
    est.terms = {"weights": need - 0.4, "CUDA context": 0.4}
    assert est.verdict(capacity) == verdict


# -- runtime budgets (bot/estimator_runtime.py, specs/runtimes.yaml), each against the figure its source prints --

MIB = 2**20
GIB = 2**30


@pytest.fixture(scope="module")
def budgets() -> Mapping[str, Budget]:
    return build_budgets(load_runtimes(find_specs_dir(None)))


def test_vllm_budget_is_a_share_of_total_memory(budgets: Mapping[str, Budget]) -> None:
    # https://github.com/vllm-project/vllm/issues/15039: "total_gpu_memory (79.33GiB) x gpu_memory_utilization
    # (0.89) = 70.60GiB; model weights take 32.95GiB; non_torch_memory takes 0.28GiB; PyTorch activation peak
    # memory takes 1.30GiB; the rest of the memory reserved for KV Cache is 36.07GiB."
    vllm = dataclasses.replace(budgets["vllm"], fraction=0.89)
    room = capacity_gb(vllm, 79.33 * GIB / GB) * GB / GIB
    assert room == pytest.approx(70.60, abs=0.01)
    assert room - 32.95 - 0.28 - 1.30 == pytest.approx(36.07, abs=0.02)
    assert budgets["vllm"].fraction == 0.9  # the documented default (docs.vllm.ai engine args)


def test_vllm_pool_holds_one_max_model_len_sequence(budgets: Mapping[str, Budget]) -> None:
    # max_model_len defaults to the model's own maximum (docs.vllm.ai: "automatically derived from the model
    # config"); the KV pool must hold one such sequence (vllm/worker/worker.py's raise_if_cache_size_invalid).
    context, why = default_context(budgets["vllm"], LLAMA3_8B, "inference", None)
    assert context == 8192 and "max_model_len" in why
    est = estimate(LLAMA3_8B, precision="fp16", context=context, runtime=budgets["vllm"])
    assert est.terms["KV cache"] == pytest.approx(kv_cache_bytes(LLAMA3_8B, 8192) / GB)
    # the activation peak and CUDA graphs vLLM's logs print (1.01 GiB, 0.13 GiB: issues 14452, mellea PR 416)
    assert est.terms["activations and CUDA graphs"] == pytest.approx((1.01 + 0.13) * GIB / GB)


def test_sglang_fraction_by_card_size(budgets: Mapping[str, Budget]) -> None:
    # sglang server_args.py: under 35 GiB, reserved (2.8 + tp x pp / 10) GiB; fraction = (memory - reserved) / memory
    assert budgets["sglang"].fraction_of(24 * GIB / GB, 1) == pytest.approx((24 - 2.9) / 24, abs=0.001)
    assert budgets["sglang"].fraction_of(80 * GIB / GB, 2) == pytest.approx((80 - 10.5) / 80, abs=0.001)


@pytest.mark.parametrize(
    ("shape", "n_ctx", "printed_mib"),
    [
        # https://github.com/fedora-copr/logdetective/pull/106: a 32-layer, 8-KV-head 7B at -c 2048 and -c 32768
        (ModelShape("7B", 7.2, layers=32, hidden_size=4096, attention_heads=32, kv_heads=8, head_dim=128), 2048, 256),
        (ModelShape("7B", 7.2, layers=32, hidden_size=4096, attention_heads=32, kv_heads=8, head_dim=128), 32768, 4096),
    ],
)
def test_llamacpp_allocates_the_whole_context_at_load(shape: ModelShape, n_ctx: int, printed_mib: float) -> None:
    # "llama_kv_cache_init: CUDA0 KV buffer size = 256.00 MiB" (n_ctx 2048) ... "= 4096.00 MiB" (n_ctx 32768)
    est = estimate(shape, precision="q4_k_m", context=n_ctx)
    assert est.terms["KV cache"] * GB / MIB == pytest.approx(printed_mib)


def test_llamacpp_compute_buffer_matches_a_printed_log() -> None:
    # Llama 3 8B at n_ctx 8192 (flash attention off): "CUDA0 compute buffer size = 560.00 MiB" (runtimes.yaml sample)
    shape = dataclasses.replace(LLAMA3_8B, vocab_size=128256)
    without = dataclasses.replace(DEFAULT_INFERENCE, flash_attention=False)
    est = estimate(shape, precision="q4_k_m", context=8192, runtime=without)
    assert est.terms["compute buffer"] * GB / MIB == pytest.approx(560, abs=1)
    # With flash attention (llama.cpp's default since b6325) the scores are gone: one micro-batch's logits remain,
    # 4 x 512 x (4096 + 128256) bytes = 258.5 MiB, the figure llama.cpp prints for this shape at short contexts.
    est = estimate(shape, precision="q4_k_m", context=8192, runtime=DEFAULT_INFERENCE)
    assert est.terms["compute buffer"] * GB / MIB == pytest.approx(258.5, abs=0.1)


def test_ollama_default_context_by_vram(budgets: Mapping[str, Budget]) -> None:
    # ollama server/routes.go (v0.15.5+): 262144 from 47 GiB, 32768 from 23 GiB, else 4096 (capped by the model)
    ollama = budgets["ollama"]
    assert default_context(ollama, LLAMA3_8B, "inference", 16)[0] == 4096
    assert default_context(ollama, LLAMA3_70B, "inference", 24)[0] == 8192  # the model's own maximum
    assert ollama.cuda_context_gb == pytest.approx(457 * MIB / GB)  # ml/device.go: MinimumMemory 457 MiB


def test_bitsandbytes_keeps_lm_head_in_16_bit(budgets: Mapping[str, Budget]) -> None:
    # transformers BitsAndBytesConfig: "for CausalLM models, the last lm_head is kept in its original dtype"
    shape = dataclasses.replace(LLAMA3_8B, vocab_size=128256)
    est = estimate(shape, precision="int8", context=4096, runtime=budgets["transformers"])
    # counted once, in the weights (bot.estimator_weights: the embedding and output matrices stay 16-bit), not again
    # as a runtime term
    vocab = 2 * 128256 * 4096
    assert est.terms["weights"] == pytest.approx(((shape.params_b * 1e9 - vocab) * 1.0 + vocab * 2.0) / GB)
    assert "lm_head in 16-bit" not in est.terms
    assert "lm_head in 16-bit" not in estimate(shape, precision="fp16", runtime=budgets["transformers"]).terms
    assert "bitsandbytes keeps lm_head in 16-bit (counted with the weights)" in est.assumptions


def test_cuda_context_is_the_usable_memory_fact() -> None:
    # specs/usable_memory.yaml fact cuda-context: 300-400 MiB (pytorch/pytorch#20532); the estimate takes the top
    catalog = load_catalog()
    fact = load_usable_memory(catalog.root, catalog).fact("cuda-context")
    assert fact is not None and fact.high_mib == CUDA_CONTEXT_MIB
