"""Decode speed: how many tokens per second one sequence generates.

Per generated token a GPU reads every active weight and the KV cache once, and launches a fixed set of kernels
per layer, so::

    time per token = bytes read per token ÷ effective bandwidth      (memory)
                   + layers × per-layer overhead                       (kernel launches, small ops)
                   + 2 × layers × all-reduce latency                   (tensor parallel only)
                   + MoE layers × expert dispatch                      (MoE models: router, top-k, grouped GEMMs)
                   + layers × eager launch time (+ an expert loop)     (no CUDA graphs: transformers, --enforce-eager)

- **Bytes read** = the active weights (MoE: the active experts, ``active_params_b``) + the KV cache at the
  context actually used (a benchmark at 512 tokens reads little KV; with no context stated, a short chat of
  :data:`CHAT_TOKENS` tokens).
- **Split** (several GPUs): a *layer split* (llama.cpp's and Ollama's default, ``--split-mode layer``;
  ExLlamaV2's ``gpu_split``) runs the layers one card after the other, so a token still reads every byte at one
  card's bandwidth; *tensor parallel* (vLLM, SGLang, TGI, TensorRT-LLM) divides the bytes across the cards but
  adds two all-reduces per layer (after attention and after the MLP, Megatron-LM's split,
  https://arxiv.org/abs/1909.08053 §3), at :data:`ALLREDUCE_US` per all-reduce over NVLink or PCIe.
- **Effective bandwidth and per-layer overhead** per memory class (HBM data-centre cards, GDDR cards) are
  fitted by weighted least squares on the measured single-GPU speeds in ``tests/estimates/reports.yaml`` (each
  with its public source): ``python benchmarks/fit_speed.py`` prints the fit and its residuals, and
  ``tests/test_estimator_speed.py`` checks the constants below are that fit. The fit's residual spread gives the
  band an answer shows (:data:`BAND`).
- **MoE dispatch and eager launches** (:mod:`bot.estimator_dispatch`): the time a MoE layer's routing and grouped
  expert kernels add, and, without CUDA graphs, each layer's kernel launches (and Hugging Face transformers' Python
  loop over every expert), fitted after the classes on the calibration MoE and eager cases.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.estimator_dispatch import EAGER_EXPERT_US, EAGER_LAYER_US, MOE_DISPATCH_US, dispatch_terms, moe_layers
from bot.estimator_runtime import GGUF_MXFP4_LAYOUT, HOST_EMBEDDINGS
from bot.estimator_shapes import Estimate, ModelShape

__all__ = [
    "ALLREDUCE_US",
    "BAND",
    "CHAT_TOKENS",
    "CLASSES",
    "TENSOR_PARALLEL_RUNTIMES",
    "DecodeSpeed",
    "Observation",
    "SpeedClass",
    "decode_speed",
    "decode_tokens_per_s",
    "fit_class",
    "memory_class",
    "split_for",
]

#: With no context stated, the KV cache read per token is that of a short chat (prompt + answer so far).
CHAT_TOKENS = 1024

#: One small-message all-reduce during decode, microseconds, by link. NVLink: ~6 us for 2 H100s with CUDA graphs
#: (NCCL all_reduce_perf, https://github.com/NVIDIA/nccl/issues/1259); PCIe: 19.4-24.2 us for 4-32 KB messages
#: across 4 GPUs inside a CUDA graph (https://github.com/haohervchb/sglang-V100/pull/2, NCCL over PCIe switches).
ALLREDUCE_US = {"nvlink": 6.0, "pcie": 20.0}

#: Runtimes that split a model across GPUs with tensor parallelism by default; the others split by layers.
#: vLLM --tensor-parallel-size, SGLang --tp, TGI --num-shard, TensorRT-LLM --tp_size.
TENSOR_PARALLEL_RUNTIMES = frozenset({"vllm", "sglang", "tgi", "tensorrt-llm"})


@dataclass(frozen=True, slots=True)
class SpeedClass:
    """One memory class's fitted constants: the share of the catalog bandwidth reached while decoding and the
    fixed time per layer per token, with the fit's residual spread (log of estimate ÷ measured)."""

    name: str
    efficiency: float
    layer_overhead_ms: float
    cases: int
    low: float  # 10th percentile of measured ÷ estimate
    high: float  # 90th percentile


#: Fitted by ``python benchmarks/fit_speed.py`` on the single-GPU speeds of tests/estimates/reports.yaml
#: (XiongjieDai/GPU-Benchmarks-on-LLM-Inference llama.cpp tables, mlc-ai/llm-perf-bench, dmatora/LLM-inference-speed-
#: benchmarks, Baseten's Mixtral TensorRT-LLM post, llama.cpp and LM Studio issues: each entry cites its source).
#: The fit (rounded): hbm 0.770 of the bandwidth + 145.5 us per layer over 6 cases (band 0.94-1.06); gddr 0.847 +
#: 52.7 us per layer over 30 cases (band 0.81-1.16), the bytes read leaving out the token embeddings llama.cpp keeps
#: in system RAM. Dense models decoded with CUDA graphs or llama.cpp only: the MoE cases (Mixtral TensorRT-LLM,
#: gpt-oss-20b LM Studio) and the eager ones (transformers) fit the terms of :mod:`bot.estimator_dispatch` instead,
#: after these. The HBM cases are llama.cpp (Dec 2023) on A100/H100 only: a serving runtime with CUDA graphs launches
#: less per layer, so treat HBM overheads as an upper bound (SGLang's Qwen3-30B-A3B on 4 H100s decodes at 219 tokens/s,
#: 4.6 ms, where 48 layers × 145.5 µs alone are 7.0 ms: tests/estimates/holdout3.yaml).
CLASSES: dict[str, SpeedClass] = {
    "hbm": SpeedClass("HBM data-centre cards", 0.77, 0.1455, 6, 0.94, 1.06),
    "gddr": SpeedClass("GDDR cards", 0.85, 0.0527, 30, 0.81, 1.16),
}

#: A band is shown when the fit's 10th-90th percentile spread is wider than this either way.
BAND = 0.15


def memory_class(memory_type: str | None) -> str:
    """ "hbm" for HBM2/2e/3/3e, else "gddr" (GDDR5/6/6X/7, LPDDR)."""
    return "hbm" if (memory_type or "").upper().startswith("HBM") else "gddr"


def split_for(runtime: str | None, gpus_count: int) -> str:
    """ "single", "layer" or "tensor": how ``runtime`` spreads one model over ``gpus_count`` GPUs by default."""
    if gpus_count <= 1:
        return "single"
    return "tensor" if (runtime or "") in TENSOR_PARALLEL_RUNTIMES else "layer"


@dataclass(frozen=True, slots=True)
class DecodeSpeed:
    """Tokens per second for one sequence, with a band and every term of the time per token (ms)."""

    tokens_per_s: float
    low: float
    high: float
    split: str
    terms_ms: dict[str, float] = field(default_factory=dict)
    assumptions: tuple[str, ...] = ()

    @property
    def banded(self) -> bool:
        return self.high / self.tokens_per_s - 1 > BAND or 1 - self.low / self.tokens_per_s > BAND

    def text(self) -> str:
        """ "about 45 tokens/s (likely 38-55)": the figure the answer's fit object carries (to one decimal),
        rounded once more, so 35.46 reads 36 in both rather than 35 in the text and 35.5 -> 36 in the object."""
        central = round(self.tokens_per_s, 1)
        if self.banded:
            return f"about {central:,.0f} tokens/s (likely {self.low:,.0f}–{self.high:,.0f})"
        return f"about {central:,.0f} tokens/s"


def bytes_read_gb(model: ModelShape, est: Estimate, context: int | None) -> tuple[float, float, int]:
    """GB read per generated token: the active weights (less the token embeddings a llama.cpp-based runtime keeps
    in system RAM, a row look-up) and the KV cache at ``context`` tokens (the estimate's KV term scaled to the
    context used; with no context, :data:`CHAT_TOKENS`)."""
    active = (model.active_params_b or model.params_b) / model.params_b
    weights = _mixed_release_read_gb(model, est)
    if weights is None:
        weights = (est.terms.get("weights", 0.0) + est.terms.get(HOST_EMBEDDINGS, 0.0)) * active
    used = min(context or CHAT_TOKENS, est.context) if est.context else 0
    kv = est.terms.get("KV cache", 0.0) * (used / est.context if est.context else 0.0)
    return weights, kv, used


def _mixed_release_read_gb(model: ModelShape, est: Estimate) -> float | None:
    """A mixed-precision MoE release run as released (gpt-oss: MXFP4 experts, BF16 attention and embeddings): the
    16-bit part is read whole per token but for the input embedding (a row look-up), and the rest of the active
    parameters (the routed experts) at the release's own bytes per parameter. None for other models."""
    split = dict(model.native_split_b)
    native_b = split.get(model.native_precision or "", 0.0)
    if not (native_b and model.active_params_b and est.precision == model.native_precision):
        return None
    dense_b = model.params_b - native_b
    embed_b = 0.0 if model.tied_embeddings else (model.vocab_size or 0) * (model.hidden_size or 0) / 1e9
    dense_read_b = max(dense_b - embed_b, 0.0)
    native_gb_per_b = (est.terms.get("weights", 0.0) - dense_b * 2) / native_b
    # llama.cpp's MXFP4_MOE GGUF stores the 16-bit part in Q8_0: its (negative) term gives the bytes it saves
    others_b = sum(b for p, b in split.items() if p != model.native_precision)
    dense_gb_per_b = 2 + est.terms.get(GGUF_MXFP4_LAYOUT, 0.0) / others_b if others_b else 2.0
    return max(model.active_params_b - dense_read_b, 0.0) * native_gb_per_b + dense_read_b * dense_gb_per_b


def decode_speed(
    model: ModelShape,
    est: Estimate,
    bandwidth_gbs: float,
    gpus_count: int = 1,
    *,
    memory_type: str | None = None,
    nvlink: bool = False,
    runtime: str | None = None,
    context: int | None = None,
    eager: bool = False,
) -> DecodeSpeed | None:
    """The decode speed of one sequence: memory time + per-layer overhead (+ all-reduces with tensor parallel, + MoE
    expert dispatch, + eager launches when ``eager``: no CUDA graphs). None when nothing is decoded token by token
    (training, no layers or bytes known)."""
    if est.mode != "inference" or bandwidth_gbs <= 0 or not model.layers:
        return None
    weights, kv, used = bytes_read_gb(model, est, context)
    if weights + kv <= 0:
        return None
    cls = CLASSES[memory_class(memory_type)]
    split = split_for(runtime, gpus_count)
    share = gpus_count if split == "tensor" else 1
    terms = {
        "memory": (weights + kv) / share / (cls.efficiency * bandwidth_gbs) * 1000,
        "per-layer overhead": model.layers * cls.layer_overhead_ms,
    }
    link = "nvlink" if nvlink else "pcie"
    if split == "tensor":
        terms["all-reduce"] = 2 * model.layers * ALLREDUCE_US[link] / 1000
    terms.update(dispatch_terms(model, runtime, eager=eager))
    point = 1000 / sum(terms.values())
    why = (
        f"{weights + kv:,.1f} GB read per token (active weights {weights:,.1f} GB + KV cache at {used:,} tokens"
        f"{'' if context else ', a short chat'}) at {cls.efficiency:.0%} of {bandwidth_gbs:,.0f} GB/s"
        + (f" ÷ {gpus_count} cards" if split == "tensor" else "")
        + f" = {terms['memory']:,.1f} ms, + {model.layers} layers × {cls.layer_overhead_ms * 1000:.0f} µs = "
        f"{terms['per-layer overhead']:,.1f} ms"
        + (f", + {2 * model.layers} all-reduces = {terms['all-reduce']:,.1f} ms" if split == "tensor" else "")
        + _dispatch_words(model, terms),
        f"{cls.name}: bandwidth share and per-layer time fitted on {cls.cases} public measurements",
        _split_words(split, gpus_count, link),
    )
    return DecodeSpeed(point, point * cls.low, point * cls.high, split, terms, tuple(w for w in why if w))


def _dispatch_words(model: ModelShape, terms: dict[str, float]) -> str:
    """ ", + 58 MoE layers × 3 µs expert dispatch = 0.2 ms, ...": the dispatch terms that apply, in words."""
    words = []
    if "MoE expert dispatch" in terms:
        words.append(
            f"{moe_layers(model)} MoE layers × {MOE_DISPATCH_US:.0f} µs expert dispatch = "
            f"{terms['MoE expert dispatch']:,.1f} ms"
        )
    if "eager kernel launches" in terms:
        words.append(
            f"{model.layers} layers × {EAGER_LAYER_US:.0f} µs eager kernel launches (no CUDA graphs) = "
            f"{terms['eager kernel launches']:,.1f} ms"
        )
    if "expert loop" in terms:
        words.append(
            f"{moe_layers(model)} MoE layers × {model.experts} experts looped × {EAGER_EXPERT_US:.0f} µs = "
            f"{terms['expert loop']:,.1f} ms"
        )
    return "".join(f", + {w}" for w in words)


def _split_words(split: str, gpus_count: int, link: str) -> str:
    if split == "layer":
        return f"{gpus_count} GPUs split by layers (llama.cpp/Ollama default): one card reads at a time"
    if split == "tensor":
        return (
            f"{gpus_count} GPUs in tensor parallel: 2 all-reduces per layer at {ALLREDUCE_US[link]:g} µs over "
            f"{'NVLink' if link == 'nvlink' else 'PCIe'}"
        )
    return ""


def decode_tokens_per_s(
    model: ModelShape,
    est: Estimate,
    bandwidth_gbs: float,
    gpus_count: int = 1,
    *,
    memory_type: str | None = None,
    nvlink: bool = False,
    runtime: str | None = None,
    context: int | None = None,
    eager: bool = False,
) -> float | None:
    """The point estimate of :func:`decode_speed` (tokens/s), or None: what the answer's ``fit`` JSON shows."""
    speed = decode_speed(
        model,
        est,
        bandwidth_gbs,
        gpus_count,
        memory_type=memory_type,
        nvlink=nvlink,
        runtime=runtime,
        context=context,
        eager=eager,
    )
    return speed.tokens_per_s if speed else None


# -- the fit ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Observation:
    """One measured single-GPU speed: seconds of memory at full bandwidth, layers, and the measured ms/token."""

    name: str
    memory_ms: float  # bytes read ÷ catalog bandwidth, ms
    layers: int
    measured_ms: float


def fit_class(name: str, rows: Sequence[Observation]) -> SpeedClass:
    """Weighted least squares of ``measured = memory_ms / efficiency + layers × overhead`` with relative errors
    (each row divided by its measured time), then the 10th/90th percentiles of measured ÷ fitted."""
    # Normal equations of min Σ((a·x + b·y - t)/t)², x = memory_ms, y = layers; a = 1/efficiency, b = overhead.
    sxx = sum((r.memory_ms / r.measured_ms) ** 2 for r in rows)
    syy = sum((r.layers / r.measured_ms) ** 2 for r in rows)
    sxy = sum(r.memory_ms * r.layers / r.measured_ms**2 for r in rows)
    sx = sum(r.memory_ms / r.measured_ms for r in rows)
    sy = sum(r.layers / r.measured_ms for r in rows)
    det = sxx * syy - sxy * sxy
    a = (sx * syy - sy * sxy) / det
    b = (sy * sxx - sx * sxy) / det
    ratios = sorted(r.measured_ms / (a * r.memory_ms + b * r.layers) for r in rows)
    return SpeedClass(name, 1 / a, b, len(rows), 1 / _quantile(ratios, 0.9), 1 / _quantile(ratios, 0.1))


def _quantile(values: Iterable[float], q: float) -> float:
    ordered = sorted(values)
    at = q * (len(ordered) - 1)
    lo, hi = math.floor(at), math.ceil(at)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (at - lo)
