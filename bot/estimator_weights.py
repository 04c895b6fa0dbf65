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

__all__ = ["GGUF_OUTPUT_Q6K", "MXFP4_BITS", "is_native", "weights_bytes"]

#: MXFP4 (OCP Microscaling Formats v1.0, section 5: FP4 E2M1 elements, one shared E8M0 scale per block of 32):
#: 4 + 8/32 = 4.25 bits per weight. https://www.opencompute.org/documents/ocp-microscaling-formats-mx-v1-0-spec-final-pdf
MXFP4_BITS = 4 + 8 / 32
#: K-quants whose output tensor llama.cpp raises to Q6_K (Q6_K and Q8_0 keep their own type).
GGUF_OUTPUT_Q6K = frozenset({"q5_k_m", "q4_k_m", "q3_k_m", "q2_k"})
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
    if precision in GGUF_OUTPUT_Q6K and model.vocab_size and model.hidden_size:
        output = float(model.vocab_size * model.hidden_size)
        body = max(params - output, 0.0)
        total = body * bpp + output * bytes_per_param["q6_k"]
        return total, (
            f"{name} weights at {bpp * 8:.2f} bits per parameter, the output layer "
            f"({output / 1e9:.2f}B parameters) at Q6_K as llama.cpp stores it"
        )
    return params * bpp, f"{name} weights at {bpp * 8:.2f} bits per parameter"
