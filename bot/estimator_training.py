"""Training terms of a memory estimate: full fine-tuning (mixed-precision AdamW), LoRA and QLoRA.

Full fine-tuning keeps FP16 weights and gradients (2 + 2 bytes), FP32 master weights (4) and two FP32
Adam moments (4 + 4): 16 bytes per parameter. Activations per layer and token follow Korthikanti et al.
(2022): 34·h + 5·a·s bytes without recomputation; with gradient checkpointing only each layer's input
(2·h bytes) is kept, plus one layer's full activations. LoRA trains adapter matrices (rank r on the
target modules) with AdamW on a frozen FP16 base; QLoRA keeps the base in 4-bit NF4 (4.127 bits per
weight with double quantisation, from the QLoRA paper).
"""

from __future__ import annotations

from bot.estimator_shapes import GB, Estimate, ModelShape

__all__ = ["ADAM_BYTES_PER_PARAM", "NF4_BYTES", "training_terms"]

ADAM_BYTES_PER_PARAM = 16.0  # fp16 weights + fp16 grads + fp32 master + two fp32 moments
NF4_BYTES = 4.127 / 8


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


def training_terms(
    est: Estimate,
    model: ModelShape,
    *,
    checkpointing: bool,
    lora_rank: int,
    lora_targets: tuple[str, ...],
) -> float:
    """Add the terms of fine-tuning ``model`` (``est.mode``: full, lora or qlora) to ``est``; the weights' bytes."""
    params, mode, context, batch = model.params_b * 1e9, est.mode, est.context, est.batch
    steps = f"sequence {context:,} tokens, batch {batch}, gradient checkpointing {'on' if checkpointing else 'off'}"
    if mode == "full":
        est.terms["weights, gradients and AdamW state"] = params * ADAM_BYTES_PER_PARAM / GB
        est.terms["activations"] = _activation_bytes(model, context, batch, checkpointing) / GB
        est.assumptions.append(
            "full fine-tune, mixed precision AdamW: 16 bytes per parameter (fp16 weights and gradients, "
            "fp32 master weights and two moments)"
        )
        est.assumptions.append(steps)
        return params * 2
    weights = params * (NF4_BYTES if mode == "qlora" else 2.0)
    est.terms["frozen base weights"] = weights / GB
    adapters = _lora_params(model, lora_rank, lora_targets)
    est.terms["adapters, gradients and AdamW state"] = adapters * ADAM_BYTES_PER_PARAM / GB
    est.terms["activations"] = _activation_bytes(model, context, batch, checkpointing) / GB
    base = "4-bit NF4 (QLoRA)" if mode == "qlora" else "fp16"
    est.assumptions.append(
        f"{mode.upper() if mode == 'qlora' else 'LoRA'} rank {lora_rank} on {', '.join(lora_targets)}; "
        f"{base} frozen base"
    )
    est.assumptions.append(steps)
    return weights
