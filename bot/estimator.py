"""Memory estimates: will a model fit on a GPU? Pure functions; every term is returned, not just a total.

Formulas (all sizes in bytes, reported in GB = 1e9 bytes, the unit GPU vendors use):

- **Weights** = parameters × bytes per parameter of the precision (GGUF quantisations at their real
  average bits per weight, which include the block scales).
- **KV cache** = 2 (K and V) × layers × KV heads × head dim × context × batch × bytes per element.
  Grouped-query attention uses the KV-head count; sliding-window layers cap the context at the window
  (hybrid models such as Gemma 2/3 keep the full context on their global layers); multi-head latent
  attention (DeepSeek) caches ``kv_lora_rank + qk_rope_head_dim`` values per
  token and layer instead of full K and V.
- **Runtime overhead** = CUDA context and allocator workspace: 0.8 GB per GPU, plus 5% of the weights.
- **Training**: :mod:`bot.estimator_training` (AdamW, LoRA on a 16-, 8- or 4-bit base, activations with
  FlashAttention, logits) per GPU, spread by :mod:`bot.estimator_strategy` (DDP, ZeRO, FSDP, pipeline).
- **Multi-GPU**: weights, KV cache and optimizer state split evenly (tensor/pipeline parallel); each
  GPU carries its own runtime overhead.
- **Decode speed**: :mod:`bot.estimator_speed`.
The shapes (model, estimate) live in :mod:`bot.estimator_shapes`; this module re-exports them.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.estimator_shapes import CUDA_CONTEXT_GB, GB, TIGHT_SHARE, Estimate, Mode, ModelShape, typical_shape
from bot.estimator_speed import DECODE_EFFICIENCY, decode_tokens_per_s
from bot.estimator_training import ADAM_BYTES_PER_PARAM, NF4_BYTES, training_terms

__all__ = [
    "ADAM_BYTES_PER_PARAM",
    "BYTES_PER_PARAM",
    "CUDA_CONTEXT_GB",
    "DECODE_EFFICIENCY",
    "GB",
    "NF4_BYTES",
    "PRECISION_NAMES",
    "TIGHT_SHARE",
    "Estimate",
    "Mode",
    "ModelShape",
    "decode_tokens_per_s",
    "estimate",
    "kv_cache_bytes",
    "max_context",
    "typical_shape",
]

#: Bytes per parameter (or per KV element) for each precision people name.
BYTES_PER_PARAM: Mapping[str, float] = {
    "fp32": 4.0,
    "fp16": 2.0,
    "bf16": 2.0,
    "fp8": 1.0,
    "int8": 1.0,
    "q8_0": 8.5 / 8,
    "q6_k": 6.5625 / 8,
    "q5_k_m": 5.69 / 8,
    "q4_k_m": 4.85 / 8,
    "q4_0": 4.5 / 8,
    "int4": 4.5 / 8,  # GPTQ/AWQ-style 4-bit with group scales, and GGUF Q4_0
    "nf4": 4.127 / 8,
    "q3_k_m": 3.91 / 8,
    "q2_k": 2.63 / 8,
}
#: How precisions read in answers.
PRECISION_NAMES: Mapping[str, str] = {
    "fp32": "FP32",
    "fp16": "FP16",
    "bf16": "BF16",
    "fp8": "FP8",
    "int8": "8-bit",
    "q8_0": "Q8_0 (8-bit GGUF)",
    "q6_k": "Q6_K",
    "q5_k_m": "Q5_K_M",
    "q4_k_m": "Q4_K_M (4-bit GGUF)",
    "q4_0": "Q4_0",
    "int4": "4-bit",
    "nf4": "4-bit NF4",
    "q3_k_m": "Q3_K_M",
    "q2_k": "Q2_K",
}
WORKSPACE_SHARE = 0.05


def kv_cache_bytes(model: ModelShape, context: int, batch: int = 1, kv_bytes: float = 2.0) -> float:
    """Bytes of KV cache for ``context`` tokens of each of ``batch`` sequences."""
    if not model.has_kv_shape or model.layers is None:
        return 0.0
    if model.attention == "mla" and model.kv_lora_rank:
        per_token_layer = model.kv_lora_rank + (model.qk_rope_head_dim or 0)
        return model.layers * per_token_layer * context * batch * kv_bytes
    # Layer-tokens held: sliding-window layers keep at most the window; hybrid models (Gemma 2/3,
    # gpt-oss) keep the whole context on their full-attention layers.
    if model.sliding_window:
        full = model.full_attention_layers or 0
        layer_tokens = full * context + (model.layers - full) * min(context, model.sliding_window)
    else:
        layer_tokens = model.layers * context
    kv_heads = model.kv_heads or model.attention_heads or 0
    return 2 * kv_heads * (model.dim_per_head or 0) * layer_tokens * batch * kv_bytes


def estimate(
    model: ModelShape,
    *,
    mode: Mode = "inference",
    precision: str = "fp16",
    context: int = 4096,
    batch: int = 1,
    gpus_count: int = 1,
    kv_precision: str = "fp16",
    checkpointing: bool = True,
    lora_rank: int = 16,
    lora_targets: tuple[str, ...] = ("q", "k", "v", "o"),
    strategy: str | None = None,
) -> Estimate:
    """Memory needed to run (or fine-tune) ``model``, term by term."""
    params = model.params_b * 1e9
    est = Estimate(model.name, mode, precision, context, batch, max(1, gpus_count))
    if model.shape_from:
        est.assumptions.append(model.shape_from)
    if mode == "inference":
        bpp = BYTES_PER_PARAM[precision]
        weights = params * bpp
        est.terms["weights"] = weights / GB
        kv = kv_cache_bytes(model, context, batch, BYTES_PER_PARAM[kv_precision])
        if kv:
            est.terms["KV cache"] = kv / GB
        elif not model.has_kv_shape:
            est.assumptions.append("KV cache not counted: the model's attention shape is unknown")
        est.assumptions.append(
            f"{PRECISION_NAMES.get(precision, precision)} weights at {bpp * 8:.2f} bits per parameter"
        )
        est.assumptions.append(f"{context:,}-token context, batch {batch}, {kv_precision} KV cache")
    else:
        weights = training_terms(
            est,
            model,
            checkpointing=checkpointing,
            lora_rank=lora_rank,
            lora_targets=lora_targets,
            base=precision,
            strategy=strategy,
        )
    contexts = 1 if est.per_gpu_terms else est.gpus_count  # training terms are one GPU's
    est.terms["runtime overhead"] = contexts * CUDA_CONTEXT_GB + WORKSPACE_SHARE * weights / GB
    est.assumptions.append(
        f"runtime overhead: {CUDA_CONTEXT_GB} GB CUDA context per GPU + {WORKSPACE_SHARE:.0%} of the weights"
    )
    return est


def max_context(
    model: ModelShape,
    capacity_gb: float,
    *,
    precision: str = "fp16",
    kv_precision: str = "fp16",
    gpus_count: int = 1,
) -> int:
    """The longest context (batch 1) whose KV cache still fits next to the weights; 0 if none does."""
    base = estimate(model, precision=precision, context=0, gpus_count=gpus_count, kv_precision=kv_precision)
    free = capacity_gb * gpus_count - base.total_gb
    per_token = kv_cache_bytes(model, 1, 1, BYTES_PER_PARAM[kv_precision]) / GB
    if free <= 0 or per_token <= 0:
        return 0
    tokens = int(free / per_token)
    if model.sliding_window and tokens >= model.sliding_window:
        tokens = model.max_context or tokens
    limit = model.max_context or tokens
    return max(0, min(tokens, limit))
