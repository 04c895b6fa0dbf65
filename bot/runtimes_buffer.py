"""llama.cpp's compute buffer, with and without flash attention (``specs/runtimes.yaml``).

llama.cpp sizes its compute buffer for the worst-case graph of one micro-batch (``n_ubatch`` tokens, 512 by default)
against the whole context. Without flash attention that graph materialises the attention scores, n_ubatch x n_ctx x
n_head in f32, which grows with the context (Ollama's estimate, ``compute_buffer`` in the data, checked against printed
figures). With flash attention the scores never exist: what is left is the logits of one micro-batch and the attention
mask (n_ctx x n_ubatch in f32, plus the f16 copy flash attention reads), so the buffer stays small at long contexts.
llama.cpp turns flash attention on by default (``-fa auto``) since release b6325 (PR #15434, 2025-08-30); Ollama passes
``--flash-attn auto`` to llama-server since v0.30.0. Pure functions; the figures they use are in the data.
"""

from __future__ import annotations

__all__ = ["MASK_BYTES_FLASH", "MIB", "llamacpp_compute_buffer_mib", "llamacpp_flash_buffer_mib"]

MIB = 1024 * 1024
#: Bytes per (context token x micro-batch token) of the attention mask under flash attention: the f32 mask llama.cpp
#: builds (``ggml_new_tensor_4d(ctx0, GGML_TYPE_F32, n_kv, n_tokens/n_stream, 1, n_stream)``) and the f16 copy flash
#: attention reads (``ggml_cast(ctx0, inp->self_kq_mask, GGML_TYPE_F16)``), src/llama-graph.cpp
#: (specs/runtimes.yaml, llama.cpp ``kq_mask_bytes_flash_attention``: tests check the two agree).
MASK_BYTES_FLASH = 6


def llamacpp_compute_buffer_mib(n_embd: int, n_head: int, n_vocab: int, n_ctx: int, n_ubatch: int = 512) -> float:
    """llama.cpp's compute buffer for a fully offloaded llama-architecture model without flash attention, in MiB:
    the larger of the attention scores of one micro-batch (n_ubatch x n_ctx x n_head in f32, plus a few rows of
    n_embd) and the logits of one micro-batch. The rule is Ollama's estimate (``compute_buffer`` in the data)."""
    attention = 4 * n_ubatch * (1 + 4 * n_embd + n_ctx * (1 + n_head))
    return max(attention, _logits(n_embd, n_vocab, n_ubatch)) / MIB


def llamacpp_flash_buffer_mib(
    n_embd: int, n_vocab: int, n_ctx: int, n_ubatch: int = 512, mask_bytes: float = MASK_BYTES_FLASH
) -> float:
    """llama.cpp's compute buffer with flash attention on, in MiB: the larger of the logits of one micro-batch (the
    same term as without) and the attention mask of one micro-batch against the whole context (``mask_bytes`` per
    context x micro-batch token); no attention-score matrix."""
    mask = mask_bytes * n_ubatch * n_ctx
    return max(mask, _logits(n_embd, n_vocab, n_ubatch)) / MIB


def _logits(n_embd: int, n_vocab: int, n_ubatch: int) -> int:
    """The output of one micro-batch: its hidden states and its logits over the vocabulary, in f32."""
    return 4 * n_ubatch * (n_embd + n_vocab)
