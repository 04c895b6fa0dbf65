"""Memory estimates: will a model fit on a GPU? Pure functions; every term is returned, not just a total.

Formulas (all sizes in bytes, reported in GB = 1e9 bytes, the unit GPU vendors use):

- **Weights**: :mod:`bot.estimator_weights` — the published file size when known, else the model's mix as
  released (MXFP4 experts, FP8 blocks), else parameters × bytes per parameter of the precision (GGUF
  quantisations at their real average bits per weight, which include the block scales; the output layer at
  Q6_K as llama.cpp stores it).
- **KV cache** = 2 (K and V) × layers × KV heads × head dim × context × batch × bytes per element.
  Grouped-query attention uses the KV-head count; sliding-window layers cap the context at the window
  (hybrid models such as Gemma 2/3 keep the full context on their global layers); multi-head latent
  attention (DeepSeek) caches ``kv_lora_rank + qk_rope_head_dim`` values per
  token and layer instead of full K and V.
- **Runtime terms**: :mod:`bot.estimator_runtime` (the CUDA context per GPU, llama.cpp's compute buffer, vLLM's
  activation peak and CUDA graphs, bitsandbytes' 16-bit lm_head...), the named runtime's or the assumed one's
  (llama.cpp for inference, transformers for training); :mod:`bot.estimator_startup` adds what a serving runtime
  allocates at start-up (SGLang's request-to-token table, outside its ``mem_fraction_static``; TGI's warm-up logits);
  :mod:`bot.estimator_vllm` what vLLM keeps outside its ``gpu_memory_utilization`` share by version (CUDA graphs
  captured after the KV pool, the CUDA context before v0.2.5).
- **Training**: :mod:`bot.estimator_training` (AdamW, LoRA on a 16-, 8- or 4-bit base, activations with
  FlashAttention, logits) per GPU, spread by :mod:`bot.estimator_strategy` (DDP, ZeRO, FSDP, pipeline).
- **Multi-GPU**: weights, KV cache and optimizer state split evenly (tensor/pipeline parallel); each
  GPU carries its own runtime overhead.
- **Decode speed**: :mod:`bot.estimator_speed`.
The shapes (model, estimate) live in :mod:`bot.estimator_shapes`; this module re-exports them.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping

from bot.estimator_media import MEDIA_KINDS, Plan, diffusion_terms, speech_terms
from bot.estimator_runtime import (
    DEFAULT_INFERENCE,
    DEFAULT_MEDIA,
    DEFAULT_TRAINING,
    GGUF_MXFP4_LAYOUT,
    HOST_EMBEDDINGS,
    Budget,
    gguf_mxfp4_others,
    host_embedding_gb,
    runtime_terms,
)
from bot.estimator_shapes import CUDA_CONTEXT_GB, GB, TIGHT_SHARE, Estimate, Mode, ModelShape, typical_shape
from bot.estimator_speed import DecodeSpeed, decode_speed, decode_tokens_per_s
from bot.estimator_startup import startup_terms
from bot.estimator_tgi import tgi_terms
from bot.estimator_training import ADAM_BYTES_PER_PARAM, NF4_BYTES, TrainingRuntime, training_terms
from bot.estimator_vllm import VllmTerms, vllm_terms
from bot.estimator_weights import GGUF_MIXES, LINEAR_ONLY, MXFP4_BITS, is_native, weights_bytes

__all__ = [
    "ADAM_BYTES_PER_PARAM",
    "BYTES_PER_PARAM",
    "CUDA_CONTEXT_GB",
    "GB",
    "NF4_BYTES",
    "PRECISION_NAMES",
    "TIGHT_SHARE",
    "DecodeSpeed",
    "Estimate",
    "Mode",
    "ModelShape",
    "decode_speed",
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
    "mxfp4": MXFP4_BITS / 8,
    "int8": 1.0,
    "q8_0": 8.5 / 8,
    "q6_k": 6.5625 / 8,
    "q5_k_m": 5.69 / 8,
    "q4_k_m": 4.85 / 8,
    "q4_0": 4.5 / 8,
    "int4": 4.5 / 8,  # GPTQ/AWQ-style 4-bit with group scales, and GGUF Q4_0
    "nf4": 4.127 / 8,
    "q3_k_m": 3.91 / 8,
    # Q2_K files mix Q2_K with higher types (attention, ffn_down): llama.cpp's quantize table gives Llama-3-8B's
    # Q2_K as 2.96 GiB (tools/quantize/quantize.cpp, "Q2_K : 2.96G"), i.e. 2.93 bits per parameter besides the
    # Q6_K output layer (25.43e9 bits - 0.525e9 x 6.5625 over 7.505e9 parameters); the bare Q2_K block is 2.625.
    "q2_k": 2.93 / 8,
    # The other K-quant mixes and the I-quants: the bits per weight of every tensor but the output matrix, from the
    # published files of Llama-3.1-70B-Instruct (bartowski's GGUF table, llama.cpp b3472: the file size less the
    # output matrix at Q6_K, or Q5_K for the I-quants below 3.1 bits, over the other 69.5B parameters; IQ3_XXS and
    # IQ1_S from mradermacher's i1 files of the base model, IQ4_NL from Llama-3.1-8B's). With these, the formula
    # gives the published files of eleven other models within 4.5%, most within 2% (tests/test_gguf_iquants.py).
    "q5_k_s": 5.50 / 8,
    "q4_k_s": 4.54 / 8,
    "iq4_nl": 4.53 / 8,
    "iq4_xs": 4.26 / 8,
    "q3_k_l": 4.17 / 8,
    "iq3_m": 3.58 / 8,
    "q3_k_s": 3.46 / 8,
    "iq3_xs": 3.27 / 8,
    "iq3_xxs": 3.08 / 8,
    "iq2_m": 2.69 / 8,
    "iq2_s": 2.48 / 8,
    "iq2_xs": 2.35 / 8,
    "iq2_xxs": 2.11 / 8,
    "iq1_m": 1.84 / 8,
    "iq1_s": 1.68 / 8,
}
#: How precisions read in answers.
PRECISION_NAMES: Mapping[str, str] = {
    "fp32": "FP32",
    "fp16": "FP16",
    "bf16": "BF16",
    "fp8": "FP8",
    "mxfp4": "MXFP4",
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
    **{p: p.upper() for p in GGUF_MIXES},
}


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
    media: Plan | None = None,
    runtime: Budget | None = None,
    strategy: str | None = None,
    context_stated: bool = True,
) -> Estimate:
    """Memory needed to run (or fine-tune) ``model``, term by term. Image and speech models are costed by their own
    terms (:mod:`bot.estimator_media`); ``media`` says how an image pipeline is run (default: every part on the GPU,
    the text encoders at 16-bit, the denoiser at ``precision``). ``context_stated`` False: the question gave no
    context, so a runtime that sizes start-up tables for its own default (SGLang's --context-length, the model's
    maximum) sizes them for that."""
    est = Estimate(model.name, mode, precision, context, batch, max(1, gpus_count))
    budget = runtime or _assumed(model, mode)
    if model.shape_from:
        est.assumptions.append(model.shape_from)
    if mode == "inference" and model.kind in MEDIA_KINDS:
        weights = _media_terms(est, model, precision, kv_precision, media)
    elif mode == "inference":
        weights, how = weights_bytes(model, precision, BYTES_PER_PARAM, PRECISION_NAMES)
        est.terms["weights"] = weights / GB
        layout = _gguf_layout(est, model, budget, precision)
        host = _host_embeddings(est, model, budget, precision)
        if host:
            est.terms[HOST_EMBEDDINGS] = -host
        kv = kv_cache_bytes(model, context, batch, BYTES_PER_PARAM[kv_precision])
        if kv:
            est.terms["KV cache"] = kv / GB
        elif not model.has_kv_shape:
            est.assumptions.append("KV cache not counted: the model's attention shape is unknown")
        est.assumptions.extend(filter(None, (how, layout)))
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
            runtime=TrainingRuntime(
                budget.name,
                budget.loss_bytes,
                budget.loss_hidden_bytes,
                budget.offload_checkpoints,
                budget.train_checkpointing,
            ),
        )
    share_terms = _vllm_share(budget, mode, est.gpus_count)
    if not share_terms.graphs_inside:
        budget = dataclasses.replace(budget, graphs_gib=0.0)
    extra, notes = runtime_terms(
        budget,
        model,
        mode=mode,
        precision=precision,
        context=context,
        gpus=1 if est.per_gpu_terms else est.gpus_count,  # training terms are one GPU's
    )
    est.terms.update(extra)
    est.assumptions.extend(notes)
    if mode == "inference" and budget.allocation == "pool":
        served = model.served_context
        table = served if budget.table_at_model_max and not context_stated and served else context
        _startup(est, model, budget, context, table)
        _tgi(est, budget, context * batch)
        est.terms.update(share_terms.terms)
        est.assumptions.extend(share_terms.notes)
        est.outside_terms += share_terms.outside
    if mode == "inference" and budget.split_mode == "row" and est.gpus_count > 1 and "KV cache" in est.terms:
        est.main_gpu_terms = ("KV cache",)
        est.assumptions.append(f"{budget.name} row split: the whole KV cache on the main GPU")
    est.per_gpu_overhead_gb = budget.cuda_context_gb
    est.runtime = budget.id
    return est


def _startup(est: Estimate, model: ModelShape, budget: Budget, context: int, table: int) -> None:
    """A serving runtime's start-up allocations (:mod:`bot.estimator_startup`, its tables sized for the ``table``
    context it is configured with) and how it splits each card."""
    start = startup_terms(
        model,
        name=budget.name,
        context=table,
        gpus=est.gpus_count,
        req_table=budget.req_table,
        warmup_tokens=budget.warmup_tokens,
    )
    est.terms.update(start.terms)
    est.assumptions.extend(start.notes)
    est.outside_terms = start.outside
    est.share = budget.share(est.gpus_count)


def _tgi(est: Estimate, budget: Budget, tokens: int) -> None:
    """TGI's KV blocks past the context's own cache and its CUDA graphs, for the version asked about (the current
    release when none is; :mod:`bot.estimator_tgi`); ``tokens`` is what the context's KV cache holds."""
    if budget.tgi_share is None:
        return
    tgi = tgi_terms(
        budget.tgi_share,
        version=budget.version,
        kv_gb=est.terms.get("KV cache", 0.0),
        context=tokens,
        gpus=est.gpus_count,
    )
    est.terms.update(tgi.terms)
    est.assumptions.extend(tgi.notes)
    est.outside_terms += tgi.outside


def _vllm_share(budget: Budget, mode: Mode, gpus: int) -> VllmTerms:
    """What vLLM keeps outside its gpu_memory_utilization share for the version asked about (the current release
    when none is; :mod:`bot.estimator_vllm`); nothing for another runtime or a fine-tune."""
    if budget.vllm_share is None or mode != "inference":
        return VllmTerms()
    return vllm_terms(
        budget.vllm_share,
        version=budget.version,
        eager=budget.enforce_eager,
        gpus=gpus,
        context_gb=budget.cuda_context_gb,
    )


def _gguf_layout(est: Estimate, model: ModelShape, budget: Budget, precision: str) -> str:
    """A native-MXFP4 release run from llama.cpp's MXFP4_MOE GGUF: its non-MoE tensors in Q8_0, not 16-bit (a
    negative term, named); returns the assumption saying so ("" when it does not apply)."""
    others_b, kind = gguf_mxfp4_others(budget, model, precision)
    if not others_b:
        return ""
    est.terms[GGUF_MXFP4_LAYOUT] = others_b * (BYTES_PER_PARAM[kind] - BYTES_PER_PARAM["bf16"])
    return (
        f"{budget.name} loads it from its MXFP4_MOE GGUF: the MoE experts in MXFP4, the other {others_b:g}B "
        f"parameters (attention, embeddings, output) in {PRECISION_NAMES.get(kind, kind)}, not BF16 "
        f"({est.terms[GGUF_MXFP4_LAYOUT]:+.1f} GB; llama.cpp's src/llama-quant.cpp)"
    )


def _host_embeddings(est: Estimate, model: ModelShape, budget: Budget, precision: str) -> float:
    """GB of token embeddings the runtime keeps in system RAM (llama.cpp's input layer), named in the assumptions."""
    # formats that quantise the linear layers only, and mixed releases (gpt-oss: MXFP4 experts), keep them 16-bit;
    # a mixed release's MXFP4_MOE GGUF keeps them in its non-MoE type
    kind = gguf_mxfp4_others(budget, model, precision)[1]
    bpp = BYTES_PER_PARAM[kind or ("bf16" if precision in LINEAR_ONLY or is_native(model, precision) else precision)]
    host = host_embedding_gb(budget, model, bpp)
    if host:
        est.assumptions.append(f"{budget.name} keeps the token embeddings ({host:.2f} GB) in system RAM, not the GPU")
    return host


def _assumed(model: ModelShape, mode: Mode) -> Budget:
    """The runtime assumed with none named: llama.cpp for a language model, PyTorch for an image or speech model,
    transformers for training."""
    if mode != "inference":
        return DEFAULT_TRAINING
    return DEFAULT_MEDIA if model.kind in MEDIA_KINDS else DEFAULT_INFERENCE


def _media_terms(est: Estimate, model: ModelShape, precision: str, kv_precision: str, media: Plan | None) -> float:
    """An image pipeline's or a speech model's terms; returns the weights on the GPU in bytes."""
    bpp = BYTES_PER_PARAM[precision]
    if model.kind == "speech":
        gb = speech_terms(est, model, bpp, BYTES_PER_PARAM[kv_precision])
    elif model.components:
        gb = diffusion_terms(est, model, media or Plan(bpp))
    else:
        est.terms["weights"] = gb = model.params_b * bpp
    est.assumptions.append(f"{PRECISION_NAMES.get(precision, precision)} {_weights_of(model)} at {bpp * 8:.2f} bits")
    return gb * GB


def _weights_of(model: ModelShape) -> str:
    denoiser = next((c.name for c in model.components if c.role == "denoiser"), None)
    return f"{denoiser} weights" if denoiser else "weights"


#: With no context limit known for a model, the search for the longest context stops here (16M tokens).
CONTEXT_SEARCH_CAP = 1 << 24


@functools.lru_cache(maxsize=4096)
def max_context(
    model: ModelShape,
    capacity_gb: float,
    *,
    precision: str = "fp16",
    kv_precision: str = "fp16",
    gpus_count: int = 1,
    runtime: Budget | None = None,
) -> int:
    """The longest context (batch 1) whose estimate still fits ``capacity_gb`` per GPU; 0 if none does.

    A binary search over :func:`estimate` itself, so the answer can never contradict its own memory figure: hybrid
    models (sliding-window layers capped at the window, global layers growing with the context), MLA and every
    other term (the runtime's context-dependent buffers too) count exactly as they do in the estimate. The model's
    own limit caps it."""
    if not model.has_kv_shape:
        return 0

    def need(context: int) -> float:
        est = estimate(
            model,
            precision=precision,
            context=context,
            gpus_count=gpus_count,
            kv_precision=kv_precision,
            runtime=runtime,
        )
        # a table the runtime keeps outside its share that no longer fits there fails at any margin (SGLang's grows
        # with the context): past the capacity
        return est.per_gpu_gb if not est.beyond_share_gb(capacity_gb) else max(est.per_gpu_gb, capacity_gb) + 1.0

    limit = model.max_context or CONTEXT_SEARCH_CAP
    lo, hi = 1, limit
    need_lo, need_hi = need(lo), need(hi)
    if need_lo > capacity_gb:
        return 0
    if need_hi <= capacity_gb:
        return limit
    # need(lo) fits, need(hi) does not. The need is piecewise linear in the context (one kink at a sliding window),
    # so interpolating between the bracket's ends lands on the answer in a few steps; halving every other step keeps
    # the worst case logarithmic.
    step = 0
    while hi - lo > 1:
        if step % 2 == 0 and need_hi > need_lo:
            mid = lo + int((capacity_gb - need_lo) / (need_hi - need_lo) * (hi - lo))
        else:
            mid = (lo + hi) // 2
        mid = min(max(mid, lo + 1), hi - 1)
        at = need(mid)
        if at <= capacity_gb:
            lo, need_lo = mid, at
        else:
            hi, need_hi = mid, at
        step += 1
    return lo
