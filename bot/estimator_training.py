"""Training terms of a memory estimate: full fine-tuning (mixed-precision AdamW), LoRA and QLoRA, per GPU.

Every term is what one GPU holds (``Estimate.per_gpu_terms``), because the strategy decides it:

- **Training state** (ZeRO paper, https://arxiv.org/abs/1910.02054, and ``specs/runtimes.yaml`` `training`): mixed
  precision AdamW keeps 16-bit weights (2 bytes), 16-bit gradients (2) and FP32 master weights plus two FP32
  moments (12): 16 bytes per trained parameter. LoRA trains only the adapters; the frozen base is held at its own
  precision: 16-bit, 8-bit (LLM.int8, one byte a weight, https://arxiv.org/abs/2208.07339) or 4-bit NF4 with double
  quantisation (QLoRA: 4 + 0.127 bits, https://arxiv.org/abs/2305.14314). bitsandbytes quantises only linear
  layers and keeps ``lm_head`` in 16-bit (``specs/runtimes.yaml``, transformers `bnb_skipped_modules`), and the input
  embedding is no linear layer: both vocabulary matrices stay 16-bit.
- **Strategy** (:mod:`bot.estimator_strategy`): plain data-parallel (DDP) keeps a whole copy per GPU; ZeRO-1/2/3 and
  FSDP shard the parts their docs name; a naive pipeline (``device_map="auto"``) splits the layers.
- **Activations** (Korthikanti et al. 2022, https://arxiv.org/abs/2205.05198): 34·h bytes per token and layer plus
  5·a·s for the attention-score matrix. FlashAttention / PyTorch SDPA never store the s×s scores (memory linear in
  the sequence, https://arxiv.org/abs/2205.14135), and transformers uses SDPA by default
  (https://huggingface.co/docs/transformers/perf_infer_gpu_one#pytorch-scaled-dot-product-attention): the s² term
  is dropped. With gradient checkpointing only each layer's input (2·h bytes a token) is kept, plus one layer
  recomputed in full. Checkpointing is assumed on unless the question turns it off, and the answer says so: it
  is the default of the recipes people fine-tune with (LLaMA-Factory ``disable_gradient_checkpointing: False``,
  https://github.com/hiyouga/LLaMA-Factory/blob/main/src/llamafactory/hparams/model_args.py; PEFT's
  ``prepare_model_for_kbit_training(model, use_gradient_checkpointing=True)`` for QLoRA,
  https://github.com/huggingface/peft/blob/main/src/peft/utils/other.py; Unsloth's
  ``use_gradient_checkpointing="unsloth"``, https://docs.unsloth.ai/get-started/fine-tuning-llms-guide), while a
  plain transformers ``Trainer`` defaults to ``gradient_checkpointing=False``
  (https://huggingface.co/docs/transformers/main_classes/trainer#transformers.TrainingArguments).
- **Logits**: the loss materialises sequence × vocabulary scores. transformers computes them in 16-bit, upcasts
  them to FP32 (``logits = logits.float()`` in ``ForCausalLMLoss``,
  https://github.com/huggingface/transformers/blob/main/src/transformers/loss/loss_utils.py), keeps the FP32
  log-softmax for the backward pass and builds an FP32 gradient: 2 + 4 + 4 + 4 = 14 bytes per token and
  vocabulary entry. Checked against Cut Cross-Entropy (https://arxiv.org/abs/2411.09009): 28 GB for the classifier
  head of Gemma 2 2B at 8,192 tokens × 256,000 entries, i.e. 13.4 bytes each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.estimator_shapes import GB, Estimate, ModelShape
from bot.estimator_strategy import LIVE_PARAMETERS, OFFLOADED, SHARDS, STRATEGY_NAMES, held_share, strategy_for

__all__ = [
    "ADAM_BYTES_PER_PARAM",
    "BASE_BYTES",
    "LOGITS_BYTES",
    "NF4_BYTES",
    "PART_BYTES",
    "TrainingRuntime",
    "activation_bytes",
    "logits_bytes",
    "offloaded_bytes",
    "training_terms",
]

#: Bytes per trained parameter by part (specs/runtimes.yaml `training: bytes_per_param`, the ZeRO paper).
PART_BYTES: Mapping[str, float] = {"weights": 2.0, "gradients": 2.0, "optimizer": 12.0}
ADAM_BYTES_PER_PARAM = sum(PART_BYTES.values())  # 16
NF4_BYTES = (4 + 0.127) / 8  # QLoRA paper, section 3: 4-bit NF4 + 0.127 bits of double-quantised constants
#: Bytes per frozen base weight by the base precision a LoRA is trained on.
BASE_BYTES: Mapping[str, float] = {"fp16": 2.0, "bf16": 2.0, "int8": 1.0, "nf4": NF4_BYTES}
BASE_NAMES: Mapping[str, str] = {
    "fp16": "16-bit",
    "bf16": "16-bit",
    "int8": "8-bit (LLM.int8)",
    "nf4": "4-bit NF4 (QLoRA)",
}


@dataclass(frozen=True, slots=True)
class TrainingRuntime:
    """What a training runtime changes in these terms (specs/runtimes.yaml, through ``Budget``): the loss's bytes per
    token and vocabulary entry (0: transformers' ``LOGITS_BYTES``) or per token and hidden unit for a fused linear
    cross-entropy, checkpoints offloaded to system RAM, and its default for checkpointing on one GPU (None: on)."""

    name: str = "transformers"
    loss_bytes: float = 0.0
    loss_hidden_bytes: float = 0.0  # a fused linear cross-entropy: bytes per token and hidden unit (Liger)
    offload_checkpoints: bool = False
    checkpointing: bool | None = None


#: Bytes per token and vocabulary entry for the loss: 16-bit logits, FP32 upcast, FP32 log-softmax, FP32 gradient.
LOGITS_BYTES = 2 + 4 + 4 + 4
#: Korthikanti et al. 2022, table 2: activation bytes per token and layer, in units of the hidden size.
ACTIVATION_BYTES_PER_HIDDEN = 34
#: Bytes a checkpointed layer keeps per token, in units of the hidden size (its 16-bit input).
CHECKPOINT_BYTES_PER_HIDDEN = 2


def activation_bytes(model: ModelShape, seq: int, batch: int, checkpointing: bool, offload: bool = False) -> float:
    """Activations of one micro-batch with FlashAttention/SDPA (no s×s scores), over every layer on the GPU. With
    the checkpoints offloaded to system RAM (Unsloth), the GPU keeps the layer being recomputed and the one
    checkpoint in transit."""
    if not (model.layers and model.hidden_size):
        return 0.0
    h, layers = model.hidden_size, model.layers
    full_layer = ACTIVATION_BYTES_PER_HIDDEN * h * seq * batch
    checkpoint = CHECKPOINT_BYTES_PER_HIDDEN * h * seq * batch
    if checkpointing:
        return (1 if offload else layers) * checkpoint + full_layer
    return layers * full_layer


def offloaded_bytes(model: ModelShape, seq: int, batch: int) -> float:
    """The checkpointed layer inputs an offloading runtime keeps in system RAM instead."""
    return float((model.layers or 0) * CHECKPOINT_BYTES_PER_HIDDEN * (model.hidden_size or 0) * seq * batch)


def logits_bytes(model: ModelShape, seq: int, batch: int, per: float = LOGITS_BYTES) -> float:
    """The loss's sequence × vocabulary tensors at ``per`` bytes an entry (0 when the vocabulary is unknown)."""
    return float(seq * batch * (model.vocab_size or 0) * per)


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


def frozen_base_bytes(model: ModelShape, base: str) -> float:
    """The frozen base at ``base`` precision; quantised bases keep both vocabulary matrices in 16-bit."""
    params = model.params_b * 1e9
    per = BASE_BYTES.get(base, 2.0)
    if per >= 2.0 or not (model.vocab_size and model.hidden_size):
        return params * per
    vocab = min(2.0 * model.vocab_size * model.hidden_size, params)  # input embedding + lm_head
    return (params - vocab) * per + vocab * 2.0


def _state_terms(est: Estimate, trained: float, strategy: str, gpus: int) -> None:
    """Weights, gradients and AdamW state of ``trained`` parameters, each held whole or as a shard."""
    names = {
        "weights": "weights (16-bit)",
        "gradients": "gradients",
        "optimizer": "AdamW state (FP32 master + 2 moments)",
    }
    for part, per in PART_BYTES.items():
        if part not in OFFLOADED.get(strategy, ()):
            est.terms[names[part]] = trained * per * held_share(strategy, part, gpus) / GB


def _lora_terms(est: Estimate, model: ModelShape, base: str, adapters: float, strategy: str, gpus: int) -> float:
    share = held_share(strategy, "weights", gpus)
    if strategy in ("zero-3", "zero-3-offload") and BASE_BYTES.get(base, 2.0) < 2.0:
        # bitsandbytes does not work with DeepSpeed's zero.Init: each GPU loads the whole quantised model before
        # ZeRO-3 shards it (https://github.com/deepspeedai/DeepSpeed/issues/5660). FSDP loads on the CPU instead
        # (PEFT 0.10 / Answer.AI FSDP + QLoRA).
        share = 1.0
        est.assumptions.append(
            "ZeRO-3 with a bitsandbytes-quantised base: each GPU first loads the whole quantised model "
            "(no zero.Init), so the base is counted whole; FSDP loads it on the CPU and shards it"
        )
    weights = frozen_base_bytes(model, base) * share
    if share:
        est.terms[f"frozen base weights ({BASE_NAMES.get(base, base)})"] = weights / GB
    state = sum(per * held_share(strategy, part, gpus) for part, per in PART_BYTES.items())
    est.terms["adapters, gradients and AdamW state"] = adapters * state / GB
    return weights


def training_terms(
    est: Estimate,
    model: ModelShape,
    *,
    checkpointing: bool,
    lora_rank: int,
    lora_targets: tuple[str, ...],
    base: str = "fp16",
    strategy: str | None = None,
    runtime: TrainingRuntime | None = None,
) -> float:
    """Add what each GPU holds to fine-tune ``model`` (``est.mode``: full, lora or qlora) to ``est``; returns the
    bytes of weights one GPU holds. ``base`` is the frozen base's precision for LoRA; ``strategy`` how the job is
    spread over ``est.gpus_count`` GPUs (None: plain data-parallel, named as an assumption); ``runtime`` the
    training runtime's loss and checkpoint offloading (None: transformers')."""
    gpus, mode = est.gpus_count, est.mode
    chosen = strategy_for(strategy, gpus)
    est.strategy, est.per_gpu_terms = chosen, True
    params = model.params_b * 1e9
    if mode == "full":
        _state_terms(est, params, chosen, gpus)
        weights = params * PART_BYTES["weights"] * held_share(chosen, "weights", gpus)
        est.assumptions.append(
            "full fine-tune, mixed precision AdamW: 16 bytes per parameter (16-bit weights and gradients, "
            "FP32 master weights and two moments)"
        )
    else:
        base = "nf4" if mode == "qlora" else base
        weights = _lora_terms(est, model, base, _lora_params(model, lora_rank, lora_targets), chosen, gpus)
        kind = "QLoRA" if mode == "qlora" else "LoRA"
        est.assumptions.append(
            f"{kind} rank {lora_rank} on {', '.join(lora_targets)}; {BASE_NAMES.get(base, base)} frozen base"
        )
    per = BASE_BYTES.get(base, 2.0) if mode != "full" else 2.0
    weights = max(weights, _gathered(est, model, chosen, per)) + _working_set(est, model, chosen, per, gpus)
    _micro_batch_terms(est, model, chosen, gpus, checkpointing, runtime or TrainingRuntime())
    est.assumptions.append(_strategy_assumption(chosen, gpus, strategy is None))
    return weights


def _gathered(est: Estimate, model: ModelShape, strategy: str, per: float) -> float:
    """ZeRO-3 with the weights offloaded: a GPU holds the parameters it gathers at once, at most
    stage3_max_live_parameters of them (the whole model when smaller), at ``per`` bytes; the state in system RAM is
    said. 0 for other strategies."""
    offloaded = OFFLOADED.get(strategy, ())
    if "weights" not in offloaded:
        return 0.0
    params = model.params_b * 1e9
    gathered = min(params, LIVE_PARAMETERS) * per
    est.terms["gathered weights (ZeRO-3 offload)"] = gathered / GB
    est.assumptions.append(
        f"ZeRO-3 offload: {', '.join(offloaded)} in system RAM; each GPU gathers at most "
        f"{LIVE_PARAMETERS:.0e} parameters at a time (stage3_max_live_parameters), {gathered / GB:,.1f} GB"
    )
    return gathered


#: FSDP's default ``backward_prefetch`` (BACKWARD_PRE) "holds the current set of parameters, next set of parameters,
#: and current set of gradients in memory" at its peak (torch/distributed/fsdp/api.py, BackwardPrefetch): two
#: wrapped units (a decoder layer each under the transformer auto-wrap policy that accelerate and the recipes use).
FSDP_UNITS_GATHERED = 2


def _layer_params(model: ModelShape) -> float:
    """One decoder layer's parameters: the model's without its vocabulary matrices, over its layers (0: unknown)."""
    if not model.layers:
        return 0.0
    params = model.params_b * 1e9
    vocab = (model.vocab_size or 0) * (model.hidden_size or 0) * (1 if model.tied_embeddings else 2)
    return max(params - vocab, 0.0) / model.layers


def _working_set(est: Estimate, model: ModelShape, strategy: str, per: float, gpus: int) -> float:
    """What a weight-sharding strategy gathers whole on each GPU while it computes, on top of the GPU's shard:
    ZeRO-3 at most stage3_max_live_parameters, FSDP two wrapped layers (and the current one's gradients for a full
    fine-tune). 0 when the weights are not sharded (one GPU, or a quantised base ZeRO-3 loads whole)."""
    if gpus <= 1 or "weights" not in SHARDS.get(strategy, ()) or strategy in OFFLOADED or strategy == "pipeline":
        return 0.0
    if strategy == "zero-3":
        if per < 2.0:  # the quantised base is counted whole already (_lora_terms)
            return 0.0
        gathered = min(model.params_b * 1e9, LIVE_PARAMETERS) * per
        est.terms["gathered weights (ZeRO-3)"] = gathered / GB
        est.assumptions.append(
            f"ZeRO-3 gathers up to {LIVE_PARAMETERS:.0e} parameters at a time (stage3_max_live_parameters) "
            f"beside each GPU's shard: {gathered / GB:,.1f} GB"
        )
        return gathered
    layer = _layer_params(model)
    gathered = layer * FSDP_UNITS_GATHERED * per + (layer * PART_BYTES["gradients"] if est.mode == "full" else 0.0)
    if gathered:
        est.terms["gathered layers (FSDP)"] = gathered / GB
        est.assumptions.append(
            "FSDP gathers the current and the next decoder layer whole (backward_prefetch BACKWARD_PRE, its default)"
            + (" with the current layer's gradients" if est.mode == "full" else "")
            + f": {gathered / GB:,.1f} GB beside each GPU's shard"
        )
    return gathered


def _micro_batch_terms(
    est: Estimate, model: ModelShape, strategy: str, gpus: int, checkpointing: bool, rt: TrainingRuntime
) -> None:
    """Activations and logits of one micro-batch: whole on every data-parallel GPU; split by layers in a pipeline,
    with the logits on its last GPU."""
    seq, batch = est.context, est.batch
    layers_share = 1 / gpus if strategy == "pipeline" else 1.0
    offload = checkpointing and rt.offload_checkpoints
    if not (model.layers and model.hidden_size):  # an image or audio model: no transformer shape to size them by
        est.assumptions.append(
            "activations not estimated: they depend on the resolution (or audio length), the batch and gradient "
            "checkpointing, so the figure is a floor"
        )
        est.floor = True
        _loss_terms(est, model, seq * batch, rt)
        return
    est.terms["activations"] = activation_bytes(model, seq, batch, checkpointing, offload) * layers_share / GB
    est.assumptions.append(
        f"sequence {seq:,} tokens, micro-batch {batch}, FlashAttention/SDPA attention (no s² scores), "
        f"gradient checkpointing {_checkpointing_said(checkpointing, rt)}"
    )
    if offload:
        est.assumptions.append(
            f"{rt.name} offloads the checkpointed layer inputs to system RAM: "
            f"{offloaded_bytes(model, seq, batch) / GB:,.1f} GB of RAM, not VRAM"
        )
    _loss_terms(est, model, seq * batch, rt)


def _loss_terms(est: Estimate, model: ModelShape, tokens: int, rt: TrainingRuntime) -> None:
    """The loss: sequence × vocabulary tensors (transformers: 14 bytes an entry; Unsloth: the 16-bit logits with
    their gradient in place), or a fused linear cross-entropy's chunk bounded to tokens × hidden (Liger)."""
    if not model.vocab_size:
        est.assumptions.append("logits not counted: the model's vocabulary size is unknown")
        return
    if rt.loss_hidden_bytes and model.hidden_size:
        est.terms["logits (loss)"] = tokens * model.hidden_size * rt.loss_hidden_bytes / GB
        est.assumptions.append(
            f"logits: {rt.name}'s fused linear cross-entropy never holds the {model.vocab_size:,}-entry logits of "
            f"every token: a chunk bounded to tokens × hidden ({tokens:,} × {model.hidden_size:,}) plus its input "
            f"gradient, {rt.loss_hidden_bytes:g} bytes each"
        )
        return
    per = rt.loss_bytes or LOGITS_BYTES
    est.terms["logits (loss)"] = logits_bytes(model, tokens, 1, per) / GB
    if rt.loss_bytes:
        est.assumptions.append(
            f"logits: {tokens:,} tokens × {model.vocab_size:,} vocabulary × {per:g} bytes ({rt.name}'s loss "
            "keeps the 16-bit logits and writes their gradient in place, no FP32 copies)"
        )
    else:
        est.assumptions.append(
            f"logits: {tokens:,} tokens × {model.vocab_size:,} vocabulary × {LOGITS_BYTES} bytes "
            "(16-bit, FP32 upcast, log-softmax and gradient; a fused or chunked loss as in Unsloth or Liger needs less)"
        )


def _checkpointing_said(checkpointing: bool, rt: TrainingRuntime) -> str:
    if not checkpointing:
        return f"off ({rt.name}'s default on one GPU)" if rt.checkpointing is False else "off"
    if rt.offload_checkpoints:
        return f'on, offloaded to system RAM ({rt.name}: use_gradient_checkpointing="unsloth")'
    return (
        "on (the default in LLaMA-Factory, Unsloth and PEFT's QLoRA preparation; a plain transformers Trainer "
        "defaults to off)"
    )


def _strategy_assumption(strategy: str, gpus: int, defaulted: bool) -> str:
    if gpus == 1:
        return "one GPU holds everything"
    said = STRATEGY_NAMES[strategy]
    return f"{gpus} GPUs, {said}" + (" (assumed: no strategy named)" if defaulted else "")
