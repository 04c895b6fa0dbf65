"""The shapes a memory estimate works on: a model's architecture (:class:`ModelShape`) and the estimate
itself (:class:`Estimate`, every term in GB = 1e9 bytes, the unit GPU vendors use)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from bot.wording import an

__all__ = [
    "CUDA_CONTEXT_GB",
    "GB",
    "TIGHT_SHARE",
    "Component",
    "Estimate",
    "Mode",
    "ModelShape",
    "Share",
    "typical_shape",
]

GB = 1e9
GIB = 2**30
CUDA_CONTEXT_GB = 0.8
#: The margin band, "borderline: within the estimate's ±10%": the median distance from the boundary of the real
#: reports the estimate gets wrong (benchmarks/bench_estimates.py prints the derivation: 8 inference
#: disagreements within ±25% of the boundary, median 9.5%, rounded up).
TIGHT_SHARE = 0.10

Mode = Literal["inference", "full", "lora", "qlora"]


@dataclass(frozen=True, slots=True)
class Component:
    """One part of an image model's pipeline (``specs/models.yaml`` ``components``): its role and size."""

    name: str
    role: str  # denoiser | text_encoder | vae
    params_b: float
    width: int | None = None  # denoiser: activation width (UNet first block channels, transformer hidden size)
    arch: str | None = None  # denoiser: unet | sd3 | dit (its working-memory family)


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
    # config.json's max_position_embeddings where it differs from the documented context (which may need rope
    # scaling the released config leaves off): what a server defaulting to the model's maximum (vLLM, SGLang) serves
    config_context: int | None = None
    attention: str = "full"
    sliding_window: int | None = None
    full_attention_layers: int | None = None  # hybrid models: layers that attend to the whole context
    kv_lora_rank: int | None = None
    qk_rope_head_dim: int | None = None
    intermediate_size: int | None = None
    # MoE: routed experts per MoE layer (config.json num_local_experts / num_experts / n_routed_experts) and how many
    # layers are MoE (None: every layer; DeepSeek V3's first_k_dense_replace 3 leaves 58 of 61)
    experts: int | None = None
    moe_layers: int | None = None
    shape_from: str = ""  # set when the shape is assumed, not the model's own
    kind: str = "llm"  # llm | diffusion | speech | encoder | vision (specs/models.yaml)
    components: tuple[Component, ...] = ()  # image models: denoiser, text encoders, VAE
    resolution: int | None = None  # image models: native side in pixels
    encoder_positions: int | None = None  # encoder-decoder (Whisper): encoder frames the decoder cross-attends to
    # the output layer's rows (llama.cpp's logits buffer, the 16-bit lm_head; training: logits are sequence × vocab)
    vocab_size: int | None = None
    tied_embeddings: bool = False  # config.json tie_word_embeddings: one vocabulary matrix serves input and output
    # As released (:mod:`bot.estimator_weights`): the checkpoint's own precision ("mxfp4", "fp8"; None: 16-bit),
    # where mixed the billions of parameters held in each precision, and published file sizes (precision, GB).
    native_precision: str | None = None
    native_split_b: tuple[tuple[str, float], ...] = ()
    file_gb: tuple[tuple[str, float], ...] = ()

    @property
    def served_context(self) -> int | None:
        """The context a server that defaults to the model's maximum runs with: the released config's."""
        return self.config_context or self.max_context

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


@dataclass(frozen=True, slots=True)
class Share:
    """How a pool runtime splits each card: the share it takes (``fraction``, or SGLang's reserve by card size,
    ``tiers`` of (below GiB, reserved GiB, reserved GiB per GPU of ``parallel``)) and so what it leaves outside."""

    fraction: float | None = None
    tiers: tuple[tuple[float | None, float, float], ...] = ()
    parallel: int = 1

    def left_gb(self, capacity_gb: float) -> float:
        """GB per GPU the runtime leaves outside its share, on a card where that share is ``capacity_gb``: with a
        fixed fraction f, capacity x (1 - f) / f; with SGLang's tiers, the reserve of the tier whose card size
        (capacity + reserve) falls in it."""
        for below, base, per_gpu in self.tiers:
            reserved_gib = base + per_gpu * self.parallel
            if below is None or capacity_gb * GB / GIB + reserved_gib < below:
                return reserved_gib * GIB / GB
        f = self.fraction if self.fraction is not None else 1.0
        return capacity_gb * (1 - f) / f if 0 < f < 1 else 0.0


@dataclass(slots=True)
class Estimate:
    model: str
    mode: Mode
    precision: str
    context: int
    batch: int
    gpus_count: int
    terms: dict[str, float] = field(default_factory=dict)  # GB per term, whole job (per GPU when per_gpu_terms)
    per_gpu_overhead_gb: float = CUDA_CONTEXT_GB
    runtime: str = ""  # the runtime whose budget the estimate follows (bot.estimator_runtime)
    assumptions: list[str] = field(default_factory=list)
    #: Training: how the job is spread over GPUs ("ddp", "zero-3", "fsdp-full-shard", "pipeline"; "single" on one).
    strategy: str | None = None
    #: A term is left out because it cannot be sized (an image model's training activations): the total is a floor.
    floor: bool = False
    #: True when ``terms`` are what the fullest GPU holds (training: replicas and shards are not even splits).
    per_gpu_terms: bool = False
    #: Terms held whole by the main GPU instead of split across the GPUs (llama.cpp's ``--split-mode row`` keeps the
    #: KV cache and the compute buffer on the main GPU): the fullest GPU holds them all.
    main_gpu_terms: tuple[str, ...] = ()
    #: Terms each GPU holds outside the runtime's share of the card (SGLang's request-to-token table is allocated
    #: after its KV pool filled mem_fraction_static): not in :attr:`per_gpu_gb`; :meth:`verdict` holds them against
    #: what :attr:`share` leaves.
    outside_terms: tuple[str, ...] = ()
    share: Share | None = None

    @property
    def total_gb(self) -> float:
        """The whole job: every GPU's share (data-parallel replicas each count)."""
        held = sum(self.terms.values())
        return held * self.gpus_count if self.per_gpu_terms else held

    @property
    def per_gpu_gb(self) -> float:
        """What the fullest GPU must hold: an even share of the job plus its own CUDA context (training: its own
        terms); the terms the main GPU holds whole (:attr:`main_gpu_terms`) count whole."""
        if self.per_gpu_terms:
            return sum(self.terms.values())
        contexts = self.gpus_count * self.per_gpu_overhead_gb
        whole = sum(self.terms.get(t, 0.0) for t in self.main_gpu_terms) if self.gpus_count > 1 else 0.0
        outside = sum(self.terms.get(t, 0.0) for t in self.outside_terms)
        return (self.total_gb - contexts - whole - outside) / self.gpus_count + whole + self.per_gpu_overhead_gb

    @property
    def outside_per_gpu_gb(self) -> float:
        """What each GPU holds outside the runtime's share (:attr:`outside_terms`, whole-job terms split evenly)."""
        return sum(self.terms.get(t, 0.0) for t in self.outside_terms) / self.gpus_count

    def beyond_share_gb(self, capacity_gb: float) -> float:
        """GB per GPU of :attr:`outside_terms` that do not fit in what the runtime leaves outside its share."""
        if not self.outside_terms:
            return 0.0
        left = self.share.left_gb(capacity_gb) if self.share is not None else 0.0
        return max(0.0, self.outside_per_gpu_gb - left)

    def verdict(self, capacity_gb: float) -> Literal["fits", "tight", "does not fit"]:
        """Against what the runtime may use per GPU. A pool runtime fills its whole share with KV blocks, so a term
        that must live outside the share and does not fit there fails however much the share had to spare."""
        need = self.per_gpu_gb
        if need > capacity_gb or self.beyond_share_gb(capacity_gb) > 0:
            return "does not fit"
        if need > capacity_gb * (1 - TIGHT_SHARE):
            return "tight"
        return "fits"


#: Typical dense decoder shapes by size, for "a 13B model" with no catalog entry (Llama-style, GQA from 34B), each
#: the shape of a Llama model (its config.json, specs/models.yaml) with that model's vocabulary and config context
#: (max_position_embeddings, what a runtime that defaults to the model's context serves): Llama 3.2 1B and 3B, Llama 2
#: 7B, Llama 3 8B, Llama 2 13B, Code Llama 34B (vocab_size 32000, max_position_embeddings 16384,
#: https://huggingface.co/codellama/CodeLlama-34b-hf/blob/main/config.json), Llama 3 70B, Llama 3.1 405B.
TYPICAL_SHAPES: tuple[tuple[float, int, int, int, int, int, int], ...] = (
    # params_b, layers, hidden, heads, kv_heads, vocab, config context
    # GPT-2 small (https://huggingface.co/openai-community/gpt2/blob/main/config.json, n_positions 1024)
    (0.124, 12, 768, 12, 12, 50257, 1024),
    (1.0, 16, 2048, 32, 8, 128256, 131072),
    (3.0, 28, 3072, 24, 8, 128256, 131072),
    (7.0, 32, 4096, 32, 32, 32000, 4096),
    (8.0, 32, 4096, 32, 8, 128256, 8192),
    (13.0, 40, 5120, 40, 40, 32000, 4096),
    (34.0, 48, 8192, 64, 8, 32000, 16384),
    (70.0, 80, 8192, 64, 8, 128256, 8192),
    (405.0, 126, 16384, 128, 8, 128256, 131072),
)


def typical_shape(params_b: float) -> ModelShape:
    """A model of ``params_b`` billion parameters shaped like the nearest common dense LLM."""
    size, layers, hidden, heads, kv, vocab, served = min(
        TYPICAL_SHAPES, key=lambda row: abs(math.log(row[0] / params_b))
    )
    return ModelShape(
        name=f"{an(f'{params_b:g}')} {params_b:g}B-parameter model",
        params_b=params_b,
        layers=layers,
        hidden_size=hidden,
        attention_heads=heads,
        kv_heads=kv,
        head_dim=hidden // heads,
        vocab_size=vocab,
        config_context=served,  # the limit stays unknown (max_context None): only what a runtime serves by default
        attention="gqa" if kv < heads else "full",
        shape_from=f"shaped like a typical {size:g}B model ({layers} layers, hidden {hidden}, {kv} KV heads)",
    )
