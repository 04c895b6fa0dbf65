"""What a Hugging Face Hub repository says about a model (:class:`HubRecord`: its ``config.json``, the parameter count
per dtype of its safetensors metadata, its GGUF files' sizes) and the estimator's model made from it.

Pure: the record is fetched and cached by :mod:`bot.hub`. Every number of the model comes from the record; what the
record lacks stays unknown (``None``), and what is derived (MoE active parameters) says so in the model's note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.estimator_shapes import ModelShape
from bot.estimator_weights import GGUF_MIXES
from bot.hub_ref import gguf_quant
from bot.models import ModelSpec

__all__ = ["HubRecord", "Unsupported", "hub_model", "hub_url"]

HUB = "https://huggingface.co"
_SPLIT = re.compile(r"-(\d{5})-of-(\d{5})\.gguf$", re.I)
# GGUF quantisations the estimator knows by name (bot.estimator.BYTES_PER_PARAM); a file of another type is listed.
_GGUF_KNOWN = ("q8_0", "q6_k", "q5_k_m", "q4_k_m", "q4_0", "q3_k_m", "q2_k", *GGUF_MIXES, "bf16", "f16", "f32")
_GGUF_AS = {"f16": "fp16", "f32": "fp32"}


class Unsupported(ValueError):
    """A config the estimator does not understand: the message names what is missing."""


def hub_url(repo_id: str) -> str:
    return f"{HUB}/{repo_id}"


@dataclass(frozen=True, slots=True)
class HubRecord:
    """One repository as the Hub described it when it was looked up (JSON-serialisable for the cache)."""

    repo_id: str
    sha: str | None = None
    gated: str | bool | None = None
    config: dict[str, Any] | None = None  # config.json (None: the repository has none, e.g. a GGUF repository)
    parameters: dict[str, int] = field(default_factory=dict)  # safetensors metadata: dtype -> parameters
    total: int | None = None  # safetensors metadata total
    files: dict[str, int] = field(default_factory=dict)  # file name -> bytes, for the GGUF files listed with a size
    base: str | None = None  # the repository the architecture came from (a GGUF repository's base model)
    note: str = ""  # why the record lacks what an estimate needs (a GGUF repository's base model was gated)

    def to_json(self) -> dict[str, Any]:
        return {
            "repo_id": self.repo_id,
            "sha": self.sha,
            "gated": self.gated,
            "config": self.config,
            "parameters": self.parameters,
            "total": self.total,
            "files": self.files,
            "base": self.base,
            "note": self.note,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> HubRecord:
        return cls(
            repo_id=str(raw["repo_id"]),
            sha=raw.get("sha"),
            gated=raw.get("gated"),
            config=raw.get("config"),
            parameters={str(k): int(v) for k, v in (raw.get("parameters") or {}).items()},
            total=raw.get("total"),
            files={str(k): int(v) for k, v in (raw.get("files") or {}).items()},
            base=raw.get("base"),
            note=str(raw.get("note") or ""),
        )

    @property
    def gguf_bytes(self) -> dict[str, int]:
        """Bytes per GGUF quantisation, split files (``-00001-of-00002.gguf``) summed; only complete sets."""
        sizes: dict[str, int] = {}
        parts: dict[str, set[int]] = {}
        expected: dict[str, int] = {}
        for name, size in self.files.items():
            if not name.lower().endswith(".gguf") or "mmproj" in name.lower():
                continue
            quant = gguf_quant(name.rsplit("/", 1)[-1]) or gguf_quant(name)
            if quant is None:
                continue
            split = _SPLIT.search(name)
            if split:
                parts.setdefault(quant, set()).add(int(split.group(1)))
                expected[quant] = int(split.group(2))
            sizes[quant] = sizes.get(quant, 0) + size
        return {q: b for q, b in sizes.items() if q not in expected or len(parts[q]) == expected[q]}


def _int(config: dict[str, Any], *keys: str) -> int | None:
    for key in keys:
        value = config.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return None


def _text_config(config: dict[str, Any]) -> dict[str, Any]:
    """Multimodal wrappers (Gemma 3, Llama 4, Mistral 3) keep the language model's numbers in ``text_config``."""
    inner = config.get("text_config")
    return {**config, **inner} if isinstance(inner, dict) else config


def _attention(cfg: dict[str, Any], layers: int, heads: int, kv_heads: int) -> dict[str, Any]:
    """Attention kind, sliding window and the layers that attend to the whole context."""
    if _int(cfg, "kv_lora_rank"):
        return {"attention": "mla", "sliding_window": None, "full_attention_layers": None}
    window = _int(cfg, "sliding_window")
    kinds = cfg.get("layer_types")
    pattern = _int(cfg, "sliding_window_pattern")
    if window and cfg.get("use_sliding_window") is not False and window < (_int(cfg, "max_position_embeddings") or 0):
        if isinstance(kinds, list) and kinds:
            full = sum(1 for k in kinds if k == "full_attention")
        elif pattern:
            full = layers // pattern  # Gemma 3: one global layer in every `pattern`
        else:
            full = 0  # every layer slides (Mistral 7B v0.1)
        return {"attention": "sliding", "sliding_window": window, "full_attention_layers": full or None}
    return {"attention": "gqa" if kv_heads < heads else "full", "sliding_window": None, "full_attention_layers": None}


def _active_b(cfg: dict[str, Any], total: float, layers: int, hidden: int) -> tuple[float | None, str]:
    """MoE active parameters: the total less the routed experts not used per token (3 matrices of hidden × expert
    width per expert, in every MoE layer). Derived from config.json, and said so."""
    experts = _int(cfg, "num_experts", "num_local_experts", "n_routed_experts")
    used = _int(cfg, "num_experts_per_tok", "experts_per_token", "moe_topk")
    width = _int(cfg, "moe_intermediate_size", "intermediate_size")
    if not (experts and used and width) or experts <= used:
        return None, ""
    moe_layers = layers - (_int(cfg, "first_k_dense_replace") or 0) + (_int(cfg, "num_nextn_predict_layers") or 0)
    active = total - (experts - used) * 3 * hidden * width * moe_layers
    if active <= 0:
        return None, ""
    note = f"MoE: {experts} experts, {used} per token; {active / 1e9:.2f}B active (derived from config.json)"
    return active / 1e9, note


def _native(record: HubRecord, cfg: dict[str, Any]) -> tuple[str | None, tuple[tuple[str, float], ...], float]:
    """Precision as released, billions per precision, and the parameter count the estimate uses (billions).

    FP8 checkpoints (DeepSeek V3) hold F8_E4M3 weights beside BF16 and F32 ones; MXFP4 checkpoints (gpt-oss) store
    the experts as U8 blocks, which the Hub counts one parameter per 4-bit value (gpt-oss-20b: 19,110,297,600 U8 =
    24 layers × 32 experts × 3 × 2880 × 2880, its MLP parameters), each at 4.25 bits with its block scale."""
    quant = cfg.get("quantization_config")
    method = str(quant.get("quant_method", "")).lower() if isinstance(quant, dict) else ""
    params = record.parameters
    total = (record.total or sum(params.values())) / 1e9
    as_precision = {"BF16": "bf16", "F16": "fp16", "F32": "fp32", "F8_E4M3": "fp8", "F8_E5M2": "fp8"}
    if method == "mxfp4" and "U8" in params:
        as_precision["U8"] = "mxfp4"
        native = "mxfp4"
    elif method == "fp8" and any(k.startswith("F8_") for k in params):
        native = "fp8"
    else:
        return None, (), total
    split: dict[str, float] = {}
    for dtype, count in params.items():
        precision = as_precision.get(dtype)
        if precision is None:
            raise Unsupported(f"its safetensors hold {dtype} tensors, which the estimate does not size")
        split[precision] = split.get(precision, 0.0) + count / 1e9
    return native, tuple(split.items()), total


def hub_model(record: HubRecord) -> ModelSpec:
    """The estimator's model for ``record``; :class:`Unsupported` when config.json lacks what an estimate needs."""
    if record.config is None and record.note:
        raise Unsupported(record.note)
    cfg = _text_config(record.config or {})
    layers, hidden = _int(cfg, "num_hidden_layers", "n_layer", "num_layers"), _int(cfg, "hidden_size", "n_embd")
    heads = _int(cfg, "num_attention_heads", "n_head")
    if not (layers and hidden and heads):
        missing = [
            k
            for k, v in (("num_hidden_layers", layers), ("hidden_size", hidden), ("num_attention_heads", heads))
            if not v
        ]
        raise Unsupported(f"its config.json has no {', '.join(missing)}")
    if not (record.total or record.parameters):
        raise Unsupported("its safetensors metadata gives no parameter count")
    kv_heads = _int(cfg, "num_key_value_heads") or heads
    native, split, params_b = _native(record, cfg)
    active, moe_note = _active_b(cfg, params_b * 1e9, layers, hidden)
    files = tuple((_GGUF_AS.get(q, q), b / 1e9) for q, b in record.gguf_bytes.items() if q in _GGUF_KNOWN)
    shape = ModelShape(
        name=record.repo_id,
        params_b=params_b,
        active_params_b=active,
        layers=layers,
        hidden_size=hidden,
        attention_heads=heads,
        kv_heads=kv_heads,
        head_dim=_int(cfg, "head_dim"),
        max_context=_int(cfg, "max_position_embeddings", "n_positions"),
        kv_lora_rank=_int(cfg, "kv_lora_rank"),
        qk_rope_head_dim=_int(cfg, "qk_rope_head_dim"),
        intermediate_size=_int(cfg, "intermediate_size"),
        vocab_size=_int(cfg, "vocab_size"),
        tied_embeddings=cfg.get("tie_word_embeddings") is True,
        native_precision=native,
        native_split_b=split,
        file_gb=files,
        **_attention(cfg, layers, heads, kv_heads),
    )
    sources = [hub_url(record.repo_id)] + ([hub_url(record.base)] if record.base else [])
    return ModelSpec(
        id=record.repo_id,
        name=record.repo_id,
        family="hub",
        kind="llm",
        aliases=(),
        sources=tuple(sources),
        shape=shape,
        note=moe_note,
    )
