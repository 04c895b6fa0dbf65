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
- **Training** (mixed precision, AdamW): full fine-tuning keeps FP16 weights and gradients (2 + 2
  bytes), FP32 master weights (4) and two FP32 Adam moments (4 + 4): 16 bytes per parameter.
  Activations per layer and token follow Korthikanti et al. (2022): 34·h + 5·a·s bytes without
  recomputation; with gradient checkpointing only each layer's input (2·h bytes) is kept, plus one
  layer's full activations. LoRA trains adapter matrices (rank r on the target modules) with AdamW on
  a frozen FP16 base; QLoRA keeps the base in 4-bit NF4 (4.127 bits per weight with double
  quantisation, from the QLoRA paper).
- **Multi-GPU**: weights, KV cache and optimizer state split evenly (tensor/pipeline parallel); each
  GPU carries its own runtime overhead.
- **Decode speed** ≈ efficiency × memory bandwidth ÷ bytes read per generated token (the active
  weights plus the KV cache), an estimate that ignores compute limits and batching.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "BYTES_PER_PARAM",
    "PRECISION_NAMES",
    "Estimate",
    "ModelShape",
    "decode_tokens_per_s",
    "estimate",
    "kv_cache_bytes",
    "max_context",
    "typical_shape",
]

GB = 1e9
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
CUDA_CONTEXT_GB = 0.8
WORKSPACE_SHARE = 0.05
TIGHT_SHARE = 0.10  # within 10% of capacity: "tight"
DECODE_EFFICIENCY = 0.6
ADAM_BYTES_PER_PARAM = 16.0  # fp16 weights + fp16 grads + fp32 master + two fp32 moments
NF4_BYTES = 4.127 / 8

Mode = Literal["inference", "full", "lora", "qlora"]


@dataclass(frozen=True, slots=True)
class ModelShape:
    """What the estimate needs to know about a model."""

    name: str
    params_b: float
    active_params_b: float | None = None
    layers: int | None = None
    hidden_size: int | None = None
    attention_heads: int | None = None
    kv_heads: int | None = None
    head_dim: int | None = None
    max_context: int | None = None
    attention: str = "full"
    sliding_window: int | None = None
    full_attention_layers: int | None = None  # hybrid models: layers that attend to the whole context
    kv_lora_rank: int | None = None
    qk_rope_head_dim: int | None = None
    intermediate_size: int | None = None
    shape_from: str = ""  # set when the shape is assumed, not the model's own

    @property
    def has_kv_shape(self) -> bool:
        return bool(self.layers and (self.kv_heads or self.attention_heads) and self.dim_per_head)

    @property
    def dim_per_head(self) -> int | None:
        if self.head_dim:
            return self.head_dim
        if self.hidden_size and self.attention_heads:
            return self.hidden_size // self.attention_heads
        return None


@dataclass(slots=True)
class Estimate:
    model: str
    mode: Mode
    precision: str
    context: int
    batch: int
    gpus_count: int
    terms: dict[str, float] = field(default_factory=dict)  # GB per term, whole job
    per_gpu_overhead_gb: float = CUDA_CONTEXT_GB
    assumptions: list[str] = field(default_factory=list)

    @property
    def total_gb(self) -> float:
        return sum(self.terms.values())

    @property
    def per_gpu_gb(self) -> float:
        """What each GPU must hold: an even share of the job plus its own CUDA context."""
        contexts = self.gpus_count * self.per_gpu_overhead_gb
        return (self.total_gb - contexts) / self.gpus_count + self.per_gpu_overhead_gb

    def verdict(self, capacity_gb: float) -> Literal["fits", "tight", "does not fit"]:
        need = self.per_gpu_gb
        if need > capacity_gb:
            return "does not fit"
        if need > capacity_gb * (1 - TIGHT_SHARE):
            return "tight"
        return "fits"


#: Typical dense decoder shapes by size, for "a 13B model" with no catalog entry (Llama-style, GQA from 34B).
TYPICAL_SHAPES: tuple[tuple[float, int, int, int, int], ...] = (
    # params_b, layers, hidden, heads, kv_heads
    (1.0, 16, 2048, 32, 8),
    (3.0, 28, 3072, 24, 8),
    (7.0, 32, 4096, 32, 32),
    (8.0, 32, 4096, 32, 8),
    (13.0, 40, 5120, 40, 40),
    (34.0, 48, 8192, 64, 8),
    (70.0, 80, 8192, 64, 8),
    (405.0, 126, 16384, 128, 8),
)


def typical_shape(params_b: float) -> ModelShape:
    """A model of ``params_b`` billion parameters shaped like the nearest common dense LLM."""
    size, layers, hidden, heads, kv = min(TYPICAL_SHAPES, key=lambda row: abs(math.log(row[0] / params_b)))
    return ModelShape(
        name=f"a {params_b:g}B-parameter model",
        params_b=params_b,
        layers=layers,
        hidden_size=hidden,
        attention_heads=heads,
        kv_heads=kv,
        head_dim=hidden // heads,
        attention="gqa" if kv < heads else "full",
        shape_from=f"shaped like a typical {size:g}B model ({layers} layers, hidden {hidden}, {kv} KV heads)",
    )


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


def _activation_bytes(model: ModelShape, seq: int, batch: int, checkpointing: bool) -> float:
    if not (model.layers and model.hidden_size and model.attention_heads):
        return 0.0
    h, a, layers = model.hidden_size, model.attention_heads, model.layers
    full_layer = (34 * h + 5 * a * seq) * seq * batch
    if checkpointing:
        return layers * 2 * h * seq * batch + full_layer
    return layers * full_layer


def _lora_params(model: ModelShape, rank: int, targets: tuple[str, ...]) -> float:
    """Adapter parameters: rank × (in + out) for each targeted projection in every layer."""
    if not (model.layers and model.hidden_size):
        # Without the shape, use the common rule of thumb: rank 16 on attention ≈ 0.2% of the model.
        return model.params_b * 1e9 * 0.002 * rank / 16
    h = model.hidden_size
    kv_dim = (model.kv_heads or model.attention_heads or 1) * (model.dim_per_head or h)
    inter = model.intermediate_size or 4 * h
    dims = {
        "q": (h, h),
        "k": (h, kv_dim),
        "v": (h, kv_dim),
        "o": (h, h),
        "gate": (h, inter),
        "up": (h, inter),
        "down": (inter, h),
    }
    per_layer = sum(rank * (i + o) for t, (i, o) in dims.items() if t in targets)
    return model.layers * per_layer


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
    elif mode == "full":
        est.terms["weights, gradients and AdamW state"] = params * ADAM_BYTES_PER_PARAM / GB
        est.terms["activations"] = _activation_bytes(model, context, batch, checkpointing) / GB
        est.assumptions.append(
            "full fine-tune, mixed precision AdamW: 16 bytes per parameter (fp16 weights and gradients, "
            "fp32 master weights and two moments)"
        )
        est.assumptions.append(
            f"sequence {context:,} tokens, batch {batch}, gradient checkpointing {'on' if checkpointing else 'off'}"
        )
        weights = params * 2
    else:
        base_bytes = NF4_BYTES if mode == "qlora" else 2.0
        weights = params * base_bytes
        est.terms["frozen base weights"] = weights / GB
        adapters = _lora_params(model, lora_rank, lora_targets)
        est.terms["adapters, gradients and AdamW state"] = adapters * ADAM_BYTES_PER_PARAM / GB
        est.terms["activations"] = _activation_bytes(model, context, batch, checkpointing) / GB
        base = "4-bit NF4 (QLoRA)" if mode == "qlora" else "fp16"
        est.assumptions.append(
            f"{mode.upper() if mode == 'qlora' else 'LoRA'} rank {lora_rank} on {', '.join(lora_targets)}; "
            f"{base} frozen base"
        )
        est.assumptions.append(
            f"sequence {context:,} tokens, batch {batch}, gradient checkpointing {'on' if checkpointing else 'off'}"
        )
    est.terms["runtime overhead"] = est.gpus_count * CUDA_CONTEXT_GB + WORKSPACE_SHARE * weights / GB
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


def decode_tokens_per_s(model: ModelShape, est: Estimate, bandwidth_gbs: float, gpus_count: int = 1) -> float | None:
    """A rough decode speed: efficiency × bandwidth ÷ bytes read per token."""
    if est.mode != "inference" or bandwidth_gbs <= 0:
        return None
    active = (model.active_params_b or model.params_b) / model.params_b
    per_token_gb = est.terms.get("weights", 0.0) * active + est.terms.get("KV cache", 0.0)
    if per_token_gb <= 0:
        return None
    return DECODE_EFFICIENCY * bandwidth_gbs * gpus_count / per_token_gb
