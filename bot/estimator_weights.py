"""Weights memory: from the model's published files when known, else parameters × bits with the real mix.

In order of preference:

1. **A published file size** for that precision (``ModelShape.file_gb``, recorded in ``specs/models.yaml`` with
   its source: the Hugging Face repo's safetensors total, or a GGUF repo's file list).
2. **The model's own mix as released** (``native_split_b``): gpt-oss keeps its MoE experts in MXFP4 and
   attention and embeddings in BF16 (OpenAI's model card, table 1); DeepSeek V3/R1 and Kimi K2 ship FP8 with
   the embeddings and output head in BF16.
3. **FP8, INT8, NF4**: only the linear layers are quantised; the embedding and output matrices stay 16-bit
   (once when tied). **A GGUF K-quant below Q6_K**: llama.cpp stores the output matrix (vocabulary × hidden) in
   Q6_K whatever the mix (``llama_tensor_get_type_impl`` in src/llama-quant.cpp:
   https://github.com/ggml-org/llama.cpp/blob/master/src/llama-quant.cpp), the rest at the format's bits.
4. Parameters × bytes per parameter of the precision.

A pure function of the shape and precision; the caller passes the bytes-per-parameter table.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.estimator_shapes import GB, ModelShape

__all__ = ["GGUF_MIXES", "GGUF_OUTPUT_BITS", "MXFP4_BITS", "is_native", "weights_bytes"]

#: MXFP4 (OCP Microscaling Formats v1.0, section 5: FP4 E2M1 elements, one shared E8M0 scale per block of 32):
#: 4 + 8/32 = 4.25 bits per weight. https://www.opencompute.org/documents/ocp-microscaling-formats-mx-v1-0-spec-final-pdf
MXFP4_BITS = 4 + 8 / 32
#: The GGUF file types whose output matrix llama.cpp stores at another type, and that type's bits per weight: Q6_K
#: (6.5625), or Q5_K (5.5) for IQ1_S/M, IQ2_XXS/XS/S/M and IQ3_XXS (``llama_tensor_get_type_impl``); Q6_K and Q8_0
#: keep their own type.
GGUF_OUTPUT_BITS: Mapping[str, float] = {
    **dict.fromkeys(("q5_k_m", "q5_k_s", "q4_k_m", "q4_k_s", "q3_k_l", "q3_k_m", "q3_k_s", "q2_k"), 6.5625),
    **dict.fromkeys(("iq4_nl", "iq4_xs", "iq3_m", "iq3_xs"), 6.5625),
    **dict.fromkeys(("iq3_xxs", "iq2_m", "iq2_s", "iq2_xs", "iq2_xxs", "iq1_m", "iq1_s"), 5.5),
}
#: llama.cpp stores a tensor whose rows are no multiple of 256 (the K- and I-quants' block) in a type of 32-wide
#: blocks instead (``tensor_type_fallback`` in src/llama-quant.cpp): Q8_0 for Q6_K, Q5_1 for Q5_K, Q5_0 for Q4_K and
#: IQ4_NL (4.5 bits) for the I-quants, Q2_K and Q3_K. A dense model whose FFN width is no such multiple (Qwen2.5-72B's
#: 29,568) has every ffn_down that way: its files run 7-27% over the plain mix without this.
GGUF_FALLBACK_BITS: Mapping[str, float] = {
    "q6_k": 8.5,
    **dict.fromkeys(("q5_k_m", "q5_k_s"), 6.0),
    **dict.fromkeys(("q4_k_m", "q4_k_s"), 5.5),
    **{p: 4.5 for p in GGUF_OUTPUT_BITS if not p.startswith(("q4", "q5"))},
}
#: The K-quant and I-quant mixes named as llama.cpp names them (Q4_K_S, IQ4_XS, ...); the older ids have names of
#: their own in the answers.
GGUF_MIXES = tuple(p for p in GGUF_OUTPUT_BITS if p not in ("q5_k_m", "q4_k_m", "q3_k_m", "q2_k"))
#: Formats that quantise the linear layers only: the embedding and output matrices stay 16-bit (vLLM's FP8 skips
#: lm_head and embed_tokens; bitsandbytes int8/NF4 skips lm_head and never touches nn.Embedding:
#: https://docs.vllm.ai/en/latest/features/quantization/fp8.html,
#: https://huggingface.co/docs/transformers/main/en/quantization/bitsandbytes). Not "int4": it stands for AWQ/GPTQ
#: (16-bit embeddings) as well as GGUF Q4_0 and MLC's q4f16 (quantised embeddings), so it stays a plain average.
LINEAR_ONLY = frozenset({"fp8", "int8", "nf4"})
#: 16-bit formats of the same size: a published BF16 checkpoint gives the FP16 size too.
_SAME_BYTES = {"fp16": "bf16", "bf16": "fp16"}


def is_native(model: ModelShape, precision: str) -> bool:
    """The precision the model was released in (a mixed release: its headline format, "mxfp4", "fp8")."""
    return model.native_precision is not None and precision == model.native_precision


def weights_bytes(
    model: ModelShape, precision: str, bytes_per_param: Mapping[str, float], names: Mapping[str, str]
) -> tuple[float, str]:
    """Bytes of weights in ``precision`` and how they were counted (an assumption line for the answer)."""
    name = names.get(precision, precision)
    files = dict(model.file_gb)
    key = next((k for k in (precision, _SAME_BYTES.get(precision, "")) if k in files), None)
    if key is not None:
        return files[key] * GB, f"{name} weights: {files[key]:g} GB, the published {key.upper()} file size"
    params = model.params_b * 1e9
    if is_native(model, precision) and model.native_split_b:
        total = sum(b * 1e9 * bytes_per_param[p] for p, b in model.native_split_b)
        parts = ", ".join(f"{b:g}B parameters in {names.get(p, p)}" for p, b in model.native_split_b)
        return total, f"weights as released: {parts}"
    bpp = bytes_per_param[precision]
    if precision in LINEAR_ONLY and model.vocab_size and model.hidden_size:
        vocab = float(model.vocab_size * model.hidden_size) * (1 if model.tied_embeddings else 2)
        total = max(params - vocab, 0.0) * bpp + vocab * bytes_per_param["bf16"]
        return total, (
            f"{name} weights at {bpp * 8:.2f} bits per parameter, the embedding and output matrices "
            f"({vocab / 1e9:.2f}B parameters) in 16-bit as these formats keep them"
        )
    if precision in GGUF_OUTPUT_BITS and model.vocab_size and model.hidden_size:
        output = float(model.vocab_size * model.hidden_size)
        body = max(params - output, 0.0)
        bits = GGUF_OUTPUT_BITS[precision]
        total = body * bpp + output * bits / 8
        how = (
            f"{name} weights at {bpp * 8:.2f} bits per parameter, the output layer "
            f"({output / 1e9:.2f}B parameters) at {'Q6_K' if bits > 6 else 'Q5_K'} as llama.cpp stores it"
        )
        return _with_fallback(model, precision, bpp, total, how)
    return _with_fallback(model, precision, bpp, params * bpp, f"{name} weights at {bpp * 8:.2f} bits per parameter")


def _with_fallback(model: ModelShape, precision: str, bpp: float, total: float, how: str) -> tuple[float, str]:
    """``total`` with a dense model's ffn_down in its GGUF fallback type when the FFN width is no multiple of 256."""
    fallback = GGUF_FALLBACK_BITS.get(precision)
    width, layers, hidden = model.intermediate_size, model.layers, model.hidden_size
    if fallback is None or model.experts or not (width and layers and hidden) or width % 256 == 0:
        return total, how
    down = float(layers * hidden * width)
    return total + down * (fallback / 8 - bpp), (
        f"{how}; its ffn_down ({down / 1e9:.1f}B parameters, {width:,} wide: no multiple of 256) in llama.cpp's "
        f"fallback type of {fallback:g} bits"
    )
