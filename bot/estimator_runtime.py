"""Runtime budgets: how each inference or training runtime takes GPU memory (``specs/runtimes.yaml``).

One :class:`Budget` per runtime, precomputed once from the data (:func:`build_budgets`), never per question:

- **pool** (vLLM, SGLang, TGI): the runtime uses a fraction of the card's total memory (vLLM's
  ``gpu_memory_utilization`` 0.9, SGLang's ``mem_fraction_static`` by card size, TGI's by version:
  :mod:`bot.estimator_tgi`); inside it sit the weights, the peak of the profiling pass (vLLM: the larger of the
  forward pass's, as its logs print it, and the dummy sampling step's over max_num_seqs requests, counted from its
  code) and CUDA graphs, and a KV pool that must hold at least one sequence of ``max_model_len``, which defaults to
  the model's maximum context: a classic cause of out-of-memory at start.
- **full_context** (llama.cpp, Ollama, LM Studio, koboldcpp): the KV cache of the whole context (times parallel
  slots) at load, plus llama.cpp's compute buffer (Ollama's rule, checked against printed figures).
- **max_seq_len** (ExLlamaV2, TabbyAPI): the cache for ``max_seq_len`` (default: the model's maximum) at load.
- **dynamic** (transformers, bitsandbytes, DeepSpeed, FSDP): memory as PyTorch allocates it; bitsandbytes keeps
  ``lm_head`` in 16-bit.

Every runtime adds its CUDA context per GPU (the ``cuda-context`` fact of ``specs/usable_memory.yaml``).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from bot.estimator_shapes import GB, ModelShape, Share
from bot.estimator_startup import ReqTable
from bot.estimator_tgi import TgiShare, tgi_share_of
from bot.estimator_vllm import VllmShare
from bot.estimator_weights import MXFP4_BITS
from bot.runtimes import Runtime, Runtimes, usable_fraction
from bot.runtimes_buffer import MASK_BYTES_FLASH, llamacpp_compute_buffer_mib, llamacpp_flash_buffer_mib

__all__ = [
    "CUDA_CONTEXT_MIB",
    "DEFAULT_INFERENCE",
    "DEFAULT_MEDIA",
    "DEFAULT_TRAINING",
    "GGUF_MXFP4_LAYOUT",
    "HOST_EMBEDDINGS",
    "Budget",
    "build_budgets",
    "capacity_gb",
    "compute_buffer_note",
    "default_context",
    "gguf_mxfp4_others",
    "host_embedding_gb",
    "mxfp4_padding_gb",
    "on_card",
    "runtime_terms",
    "sampler_peak_gb",
    "with_version",
]

MIB = 2**20
GIB = 2**30
#: The term (negative, GB) for the token-embedding matrix a llama.cpp-based runtime leaves in system RAM: counted in
#: the weights (the file holds it), never on the GPU, and never read whole while decoding.
HOST_EMBEDDINGS = "token embeddings kept in system RAM"
#: The term (negative, GB) for a native-MXFP4 release run from llama.cpp's MXFP4_MOE GGUF: its non-MoE tensors
#: (attention, embeddings, output) are stored in Q8_0 there, not in the release's BF16.
GGUF_MXFP4_LAYOUT = "GGUF layout: non-MoE tensors in Q8_0"
#: A CUDA context takes 300-400 MiB since CUDA 11.7's lazy loading; the upper figure, so no estimate promises
#: memory the context takes. https://github.com/pytorch/pytorch/issues/20532 (specs/usable_memory.yaml, fact
#: ``cuda-context``: tests check the two agree).
CUDA_CONTEXT_MIB = 400.0
#: llama.cpp's physical batch (``--ubatch-size``), which the compute buffer scales with; and the smallest context
#: ``--fit`` sets when the context is left unset (llama-server README, specs/runtimes.yaml ``ubatch_size``/``fit_ctx``).
LLAMACPP_UBATCH = 512
LLAMACPP_FIT_CTX = 4096
#: Precisions bitsandbytes loads (8-bit LLM.int8(), 4-bit NF4), which keep ``lm_head`` in 16-bit.
BNB_PRECISIONS = frozenset({"int8", "nf4"})


@dataclass(frozen=True, slots=True, eq=False)
class Budget:
    """What a runtime takes besides weights and KV cache, and how much of the card it lets itself use."""

    id: str
    name: str
    allocation: str  # pool | full_context | max_seq_len | dynamic
    fraction: float | None = None  # share of the card's usable memory it uses (None: all of it)
    fraction_name: str = ""  # "gpu_memory_utilization", "mem_fraction_static", ...
    sglang_tiers: tuple[tuple[float | None, float, float], ...] = ()  # SGLang: the fraction depends on the card
    activation_gib: float = 0.0  # pool runtimes: the profiling pass's activation peak (observed), per GPU
    graphs_gib: float = 0.0  # pool runtimes: CUDA graph capture (observed), per GPU
    ctx_tiers: tuple[tuple[float, int], ...] = ()  # Ollama: default context by total VRAM (GiB)
    model_max_context: bool = False  # an unset context means the model's maximum (max_model_len, max_seq_len)
    compute_buffer: bool = False  # llama.cpp's compute buffer
    # llama.cpp's compute buffer with flash attention on (the runtime's own default, else off), and why (the answer's)
    flash_attention: bool = False
    flash_attention_why: str = "the runtime's own default is not recorded: the larger buffer"
    mask_bytes: float = MASK_BYTES_FLASH  # flash attention: bytes of attention mask per context x micro-batch token
    host_input_embeddings: bool = False  # llama.cpp, Ollama: the token-embedding matrix stays in system RAM
    split_mode: str = "layer"  # llama.cpp on several GPUs: "layer" (each GPU its layers' KV) or "row" (KV on GPU 0)
    mxfp4_padding: tuple[int, int] | None = None  # vLLM's Marlin MXFP4 MoE layout: hidden, expert-width multiples
    # llama.cpp and its front ends load a native-MXFP4 release from its MXFP4_MOE GGUF: the non-MoE tensors' type
    gguf_mxfp4_others: str = ""
    # vLLM's profiling run samples max_num_seqs dummy requests: bytes per request and vocabulary entry at its peak, and
    # the default max_num_seqs (on most cards; on cards of LARGE_CARD_GIB or more but A100s: max_num_seqs_large)
    sampler_bytes: float = 0.0
    max_num_seqs: int = 0
    max_num_seqs_large: int = 0
    context_setting: str = "the context length"  # what the runtime calls its context limit (max_model_len...)
    req_table: ReqTable | None = None  # SGLang: the request-to-token table's sizing rule (bot.estimator_startup)
    warmup_tokens: int = 0  # TGI: the warm-up prefill's tokens, whose logits over the vocabulary it materialises
    table_at_model_max: bool = False  # SGLang: --context-length defaults to the model's maximum (its table's width)
    cuda_context_gb: float = CUDA_CONTEXT_MIB * MIB / GB
    # vLLM: what its profile counts by version (bot.estimator_vllm), the version asked about ("": the current
    # release) and --enforce-eager (no CUDA graphs)
    vllm_share: VllmShare | None = None
    # TGI: how its KV blocks and CUDA graphs are sized by version (bot.estimator_tgi)
    tgi_share: TgiShare | None = None
    version: str = ""
    enforce_eager: bool = False
    # Training runtimes' defaults (specs/runtimes.yaml): the micro-batch (0: none stated, 1 assumed), activation
    # checkpointing on one GPU (None: on, the recipes' default), whether checkpoints go to system RAM (Unsloth),
    # the strategy on several GPUs (None: data-parallel) and the loss's bytes per token and vocabulary entry (0:
    # transformers' 14) or, for a fused linear cross-entropy, per token and hidden unit.
    train_micro_batch: int = 0
    train_checkpointing: bool | None = None
    offload_checkpoints: bool = False
    train_strategy: str | None = None
    loss_bytes: float = 0.0
    loss_hidden_bytes: float = 0.0  # a fused linear cross-entropy (Liger): bytes per token and hidden unit

    def fraction_of(self, usable_gb: float, parallel: int = 1) -> float:
        """The share of a card of ``usable_gb`` the runtime uses by default (1.0: all of it)."""
        if self.sglang_tiers:
            total_gib = usable_gb * GB / GIB
            for below, base, per_gpu in self.sglang_tiers:
                if below is None or total_gib < below:
                    return round((total_gib - (base + per_gpu * parallel)) / total_gib, 3)
        return self.fraction if self.fraction is not None else 1.0

    def share(self, parallel: int = 1) -> Share:
        """How the runtime splits each card (what it leaves outside its share), for an estimate's verdict."""
        return Share(self.fraction, self.sglang_tiers, parallel)


#: The budgets an estimate assumes when no runtime is given: llama.cpp-style local inference and transformers for
#: training (specs/runtimes.yaml ``assumed``); :func:`build_budgets` builds the same from the data.
DEFAULT_INFERENCE = Budget(
    "llama.cpp",
    "llama.cpp",
    "full_context",
    compute_buffer=True,
    flash_attention=True,
    flash_attention_why="llama.cpp's default since b6325",
    host_input_embeddings=True,
    gguf_mxfp4_others="q8_0",
)
DEFAULT_TRAINING = Budget("transformers", "Hugging Face transformers (with bitsandbytes)", "dynamic")
#: Image and speech models with no runtime named: PyTorch as diffusers, ComfyUI or Whisper run it (memory as
#: PyTorch allocates it, no compute buffer of llama.cpp's).
DEFAULT_MEDIA = Budget("pytorch", "PyTorch (diffusers, ComfyUI, Whisper)", "dynamic")


def _values(runtime: Runtime, name: str) -> list[float]:
    return [float(p.value) for p in runtime.history(name) if isinstance(p.value, int | float)]


def _reserved_mib(runtime: Runtime) -> float:
    """The memory a runtime sets aside per GPU for the context structures, where it says (Ollama: 457 MiB)."""
    param = runtime.param("minimum_memory")
    return float(param.value) if param is not None and isinstance(param.value, int | float) else 0.0


def _budget(runtime: Runtime, base: Runtime | None, cuda_context_gb: float) -> Budget:
    """One runtime's budget; a front end (LM Studio, koboldcpp, text-generation-webui) takes its first loader's."""
    rt = base or runtime
    allocation = rt.kv_allocation
    fraction = usable_fraction(rt, 0.0) if rt.id != "sglang" else None
    tgi_share, fraction_name = tgi_share_of(rt), ""
    if tgi_share is not None:
        fraction = tgi_share.fraction("")
        fraction_name = tgi_share.fraction_name("")
    tiers = rt.param("mem_fraction_static_reserve")
    ctx = rt.param("num_ctx")
    return Budget(
        id=runtime.id,
        name=runtime.name,
        allocation=allocation,
        fraction=fraction,
        fraction_name=fraction_name
        or next(
            (n for n in ("gpu_memory_utilization", "mem_fraction_static", "cuda_memory_fraction") if rt.param(n)),
            "mem_fraction_static" if tiers else "",
        ),
        sglang_tiers=tuple((t[0], float(t[1]), float(t[2])) for t in tiers.value) if tiers else (),
        activation_gib=max(_values(rt, "observed_activation_peak"), default=0.0),
        graphs_gib=max(_values(rt, "observed_cuda_graph_memory"), default=0.0),
        ctx_tiers=tuple((float(a), int(c)) for a, c in ctx.value) if ctx and isinstance(ctx.value, list) else (),
        model_max_context=any(
            p.value == "model maximum" for p in rt.params if p.name in ("max_model_len", "max_seq_len")
        ),
        compute_buffer=allocation == "full_context",
        **_flash_attention(runtime, rt),
        host_input_embeddings=_flag(runtime, base, "input_layer_on_cpu"),
        split_mode=str(getattr(rt.param("split_mode"), "value", "layer")),
        mxfp4_padding=_pair(rt, "mxfp4_moe_padding"),
        gguf_mxfp4_others=_text(runtime, base, "mxfp4_moe_gguf_others"),
        sampler_bytes=max(_values(rt, "sampler_profile_bytes"), default=0.0),
        max_num_seqs=int(min(_values(rt, "max_num_seqs"), default=0)),
        max_num_seqs_large=int(max(_values(rt, "max_num_seqs"), default=0)),
        context_setting=next(
            (
                n
                for n in ("max_model_len", "max_total_tokens", "max_seq_len", "ctx_size", "num_ctx", "context_length")
                if rt.param(n)
            ),
            "the context length",
        ),
        cuda_context_gb=_reserved_mib(rt) * MIB / GB if _reserved_mib(rt) else cuda_context_gb,
        req_table=_req_table(rt),
        warmup_tokens=int(max(_values(rt, "warmup_prefill_tokens")[:1], default=0)),
        table_at_model_max=getattr(rt.param("context_length"), "value", None) == "model maximum",
        vllm_share=_vllm_share(rt),
        tgi_share=tgi_share,
        **_training_defaults(rt),
    )


#: The switch a llama.cpp-based runtime names flash attention by (llama.cpp's ``flash_attn``, Ollama's
#: ``flash_attention``); ``auto`` and ``on`` turn it on where the backend supports it (CUDA, ROCm, Metal, Vulkan).
FLASH_SWITCHES = ("flash_attn", "flash_attention")
FLASH_ON = frozenset({"auto", "on"})


def _flash_attention(runtime: Runtime, loader: Runtime) -> dict[str, Any]:
    """Whether the runtime's compute buffer is sized with flash attention on, by its own default (the newest version
    in the data, its first entry), and since which version (``note``: ``since ...``). A front end whose own default is
    not recorded (LM Studio, koboldcpp, text-generation-webui) keeps the buffer without, the larger one."""
    param = next((p for p in map(runtime.param, FLASH_SWITCHES) if p is not None), None)
    mask = loader.param("kq_mask_bytes_flash_attention")
    out: dict[str, Any] = {"mask_bytes": float(mask.value)} if mask is not None else {}
    if param is None:
        return out
    why = f"{runtime.name}'s {param.note}" if param.note else f"{runtime.name}'s default"
    return {**out, "flash_attention": str(param.value) in FLASH_ON, "flash_attention_why": why}


def _pair(rt: Runtime, name: str) -> tuple[int, int] | None:
    param = rt.param(name)
    if param is None or not isinstance(param.value, list) or len(param.value) != 2:
        return None
    return int(param.value[0]), int(param.value[1])


def _req_table(rt: Runtime) -> ReqTable | None:
    """SGLang's request-to-token table rule, the version answers assume (the first entry)."""
    param = rt.param("req_to_token_table")
    if param is None or not isinstance(param.value, list) or len(param.value) != 5:
        return None
    return ReqTable(*(int(v) for v in param.value))


def _vllm_share(rt: Runtime) -> VllmShare | None:
    """vLLM's eras of what its profile counts, the graphs' stated size (its lower end) and the current release."""
    eras, stated, current = (
        rt.param("vllm_share_eras"),
        rt.param("cuda_graph_memory_stated"),
        rt.param("current_version"),
    )
    if eras is None or stated is None or current is None:
        return None
    return VllmShare.from_rows(eras.value, float(min(stated.value)), str(current.value))


def with_version(budget: Budget, version: str) -> Budget:
    """The budget for the runtime's release ``version`` (vLLM's profile, TGI's KV blocks and share of the card)."""
    if (tgi := budget.tgi_share) is None:
        return dataclasses.replace(budget, version=version)
    return dataclasses.replace(
        budget, version=version, fraction=tgi.fraction(version), fraction_name=tgi.fraction_name(version)
    )


def _flag(runtime: Runtime, base: Runtime | None, name: str) -> bool:
    """A yes/no param of the runtime, else of the runtime it loads models with (a front end's)."""
    for rt in (runtime, base):
        param = rt.param(name) if rt is not None else None
        if param is not None:
            return param.value is True
    return False


def _text(runtime: Runtime, base: Runtime | None, name: str) -> str:
    """A word param of the runtime, else of the runtime it loads models with (a front end's); "" when neither has it."""
    for rt in (runtime, base):
        param = rt.param(name) if rt is not None else None
        if param is not None and isinstance(param.value, str):
            return param.value
    return ""


def _training_defaults(rt: Runtime) -> dict[str, Any]:
    """A training runtime's defaults (micro-batch, checkpointing, strategy, loss) from its params."""
    out: dict[str, Any] = {}
    micro = rt.param("micro_batch_size")
    if micro is not None and isinstance(micro.value, int):
        out["train_micro_batch"] = micro.value
    ckpt = rt.param("activation_checkpointing")
    if ckpt is not None and isinstance(ckpt.value, bool):
        out["train_checkpointing"] = ckpt.value
    offload = rt.param("gradient_checkpointing")
    out["offload_checkpoints"] = offload is not None and offload.value == "offload"
    strategy = rt.param("multi_gpu_strategy")
    if strategy is not None:
        out["train_strategy"] = str(strategy.value)
    for name, key in (("loss_bytes_per_logit", "loss_bytes"), ("loss_bytes_per_hidden", "loss_hidden_bytes")):
        loss = rt.param(name)
        if loss is not None and isinstance(loss.value, int | float):
            out[key] = float(loss.value)
    return out


def build_budgets(runtimes: Runtimes, cuda_context_mib: float = CUDA_CONTEXT_MIB) -> Mapping[str, Budget]:
    """Every runtime's budget by id, built once (a front end takes its first loader's budget)."""
    ctx_gb = cuda_context_mib * MIB / GB
    out = {}
    for rt in runtimes.runtimes:
        base = runtimes.get(rt.runs[0]) if rt.runs else None
        out[rt.id] = _budget(rt, base, ctx_gb)
    return MappingProxyType(out)


def _served_context_why(budget: Budget, model: ModelShape) -> str:
    """Why a server runs with the model's own context: its maximum, or its config's where rope scaling reaches more."""
    setting = budget.context_setting
    if model.config_context and model.max_context and model.config_context < model.max_context:
        return (
            f"{setting} {model.config_context:,} (the model config's max_position_embeddings, {budget.name}'s "
            f"default; its {model.max_context:,} needs rope scaling turned on)"
        )
    if model.config_context and model.config_context != model.max_context:
        why = f"the model config's max_position_embeddings, {budget.name}'s default"
        return f"{setting} {model.config_context:,} ({why})"
    return f"{setting} {model.served_context:,} (the model's maximum, {budget.name}'s default)"


def default_context(budget: Budget, model: ModelShape, mode: str, total_vram_gib: float | None) -> tuple[int, str]:
    """The context a runtime runs with when the question states none, and why (for the answer's assumptions)."""
    if mode != "inference":
        return min(model.max_context or 2048, 2048), "2,048-token training sequences"
    if budget.model_max_context and model.served_context:
        return model.served_context, _served_context_why(budget, model)
    if budget.ctx_tiers and total_vram_gib is not None:
        ctx = next((c for at_least, c in budget.ctx_tiers if total_vram_gib >= at_least), LLAMACPP_FIT_CTX)
        ctx = min(ctx, model.served_context or ctx)  # Ollama clamps num_ctx to the GGUF's trained context
        return ctx, f"{ctx:,}-token context (Ollama's default for {total_vram_gib:.0f} GiB of VRAM, v0.15.5 and later)"
    ctx = min(model.served_context or LLAMACPP_FIT_CTX, LLAMACPP_FIT_CTX)
    if budget.compute_buffer:
        return ctx, f"{ctx:,}-token context (llama-server's --fit lowers an unset context to as little as 4,096)"
    return ctx, f"{ctx:,}-token context (none stated)"


def host_embedding_gb(budget: Budget, model: ModelShape, bytes_per_param: float) -> float:
    """GB of the token-embedding matrix a llama.cpp-based runtime keeps in system RAM (its input layer stays on the
    CPU); 0 for other runtimes, and for a tied model, whose output layer on the GPU is that same matrix."""
    if not (budget.host_input_embeddings and model.vocab_size and model.hidden_size) or model.tied_embeddings:
        return 0.0
    return model.vocab_size * model.hidden_size * bytes_per_param / GB


def gguf_mxfp4_others(budget: Budget, model: ModelShape, precision: str) -> tuple[float, str]:
    """A native-MXFP4 release (gpt-oss) run from llama.cpp's MXFP4_MOE GGUF: the billions of parameters outside the
    MoE experts, which that GGUF stores in ``budget.gguf_mxfp4_others`` (Q8_0) instead of the release's 16-bit, and
    that type; (0, "") when it does not apply (another runtime, precision or model)."""
    split = dict(model.native_split_b)
    if not (budget.gguf_mxfp4_others and precision == "mxfp4" and model.native_precision == "mxfp4"):
        return 0.0, ""
    others_b = sum(b for p, b in split.items() if p != "mxfp4")
    return (others_b, budget.gguf_mxfp4_others) if split.get("mxfp4") and others_b else (0.0, "")


def mxfp4_padding_gb(budget: Budget, model: ModelShape, precision: str, tensor_parallel: int) -> float:
    """GB the runtime's MXFP4 MoE kernel layout adds to the experts, for the whole job (vLLM's Marlin: the hidden size
    padded to a multiple of 256 and each GPU's share of the expert width to a multiple of 128); 0 when it does not
    apply."""
    experts_b = dict(model.native_split_b).get("mxfp4", 0.0)
    if not (
        budget.mxfp4_padding and precision == "mxfp4" and experts_b and model.hidden_size and model.intermediate_size
    ):
        return 0.0
    hidden_to, width_to = budget.mxfp4_padding
    width = model.intermediate_size / max(tensor_parallel, 1)
    grown = _round_up(model.hidden_size, hidden_to) / model.hidden_size * _round_up(width, width_to) / width
    return experts_b * 1e9 * MXFP4_BITS / 8 * (grown - 1) / GB


def _round_up(value: float, multiple: int) -> float:
    return math.ceil(value / multiple) * multiple


#: vLLM's larger defaults (max_num_seqs 1024) apply on cards of this much memory or more, A100s excepted
#: (vllm/engine/arg_utils.py, specs/runtimes.yaml ``max_num_seqs``).
LARGE_CARD_GIB = 70.0


def on_card(budget: Budget, usable_gb: float, gpu_id: str) -> Budget:
    """The budget with the defaults the runtime picks for this card (vLLM: max_num_seqs 1024 on 70 GiB or more,
    A100s excepted)."""
    large = usable_gb * GB / GIB >= LARGE_CARD_GIB and "a100" not in gpu_id
    if not (large and budget.max_num_seqs_large > budget.max_num_seqs):
        return budget
    return dataclasses.replace(budget, max_num_seqs=budget.max_num_seqs_large)


def sampler_peak_gb(budget: Budget, model: ModelShape) -> float:
    """GB at the peak of the profiling run's dummy sampling step: max_num_seqs requests x the vocabulary x the
    bytes each entry takes there (FP32 logits, the sort's values and indices, the softmax)."""
    if not (budget.sampler_bytes and budget.max_num_seqs and model.vocab_size):
        return 0.0
    return budget.max_num_seqs * model.vocab_size * budget.sampler_bytes / GB


def capacity_gb(budget: Budget, usable_gb: float, gpus: int = 1) -> float:
    """The memory per GPU the runtime lets itself use on a card of ``usable_gb``."""
    return usable_gb * budget.fraction_of(usable_gb, gpus)


def _compute_buffer_gb(budget: Budget, model: ModelShape, context: int) -> float:
    """llama.cpp's compute buffer per GPU: with flash attention (the logits or the mask of one micro-batch) or without
    (Ollama's rule: the attention scores of one micro-batch over the whole context)."""
    if not (model.hidden_size and model.attention_heads):
        return 0.0
    ctx, vocab = max(context, 1), model.vocab_size or 0
    if budget.flash_attention:
        mib = llamacpp_flash_buffer_mib(model.hidden_size, vocab, ctx, LLAMACPP_UBATCH, budget.mask_bytes)
    else:
        mib = llamacpp_compute_buffer_mib(model.hidden_size, model.attention_heads, vocab, ctx, LLAMACPP_UBATCH)
    return mib * MIB / GB


def compute_buffer_note(budget: Budget) -> str:
    """How the answer names the compute buffer's assumption."""
    why = f" ({budget.flash_attention_why})" if budget.flash_attention_why else ""
    if budget.flash_attention:
        return (
            f"{budget.name}, flash attention on{why}: compute buffer of one 512-token micro-batch's logits or "
            "attention mask, no attention-score matrix"
        )
    return f"{budget.name}, flash attention off{why}: compute buffer holds the attention scores (Ollama's rule)"


def _profiling_peak(budget: Budget, model: ModelShape, gpus: int, terms: dict[str, float], notes: list[str]) -> None:
    """The profiling run's peak per GPU (the larger of the forward pass's, as logs print it, and the dummy sampling
    step's) and the CUDA graphs."""
    forward = budget.activation_gib * GIB / GB
    sampler = sampler_peak_gb(budget, model)
    name = "activations and CUDA graphs" if budget.graphs_gib else "activations"
    terms[name] = gpus * (max(forward, sampler) + budget.graphs_gib * GIB / GB)
    peak = (
        f"the dummy sampling step's, {budget.max_num_seqs:,} requests x {model.vocab_size:,} vocabulary entries x "
        f"{budget.sampler_bytes:g} bytes ({sampler:.1f} GB)"
        if sampler > forward
        else f"the forward pass's, {budget.activation_gib:.2f} GiB as vLLM's logs print it"
    )
    graphs = f" + CUDA graphs {budget.graphs_gib:.2f} GiB" if budget.graphs_gib else ""
    notes.append(f"profiling peak {peak}{graphs} per GPU")


def runtime_terms(
    budget: Budget,
    model: ModelShape,
    *,
    mode: str,
    precision: str,
    context: int,
    gpus: int,
) -> tuple[dict[str, float], list[str]]:
    """The runtime's own terms for the whole job (GB; one GPU's for a training estimate, ``gpus`` 1) and the
    assumptions behind them. bitsandbytes' 16-bit ``lm_head`` is no term of its own: the weights
    (:mod:`bot.estimator_weights`) and a quantised training base (:mod:`bot.estimator_training`) already keep the
    embedding and output matrices in 16-bit."""
    terms = {"CUDA context": gpus * budget.cuda_context_gb}
    notes = [f"{budget.name}: CUDA context {budget.cuda_context_gb:.2f} GB per GPU"]
    buffer = _compute_buffer_gb(budget, model, context) if budget.compute_buffer and mode == "inference" else 0.0
    if buffer:
        terms["compute buffer"] = gpus * buffer
        notes.append(f"{compute_buffer_note(budget)}; KV cache for the whole context allocated at load")
    padding = mxfp4_padding_gb(budget, model, precision, gpus) if mode == "inference" else 0.0
    if padding:
        terms["MXFP4 kernel padding"] = padding
        notes.append(
            f"{budget.name} lays the MXFP4 experts out for its Marlin kernel (GPUs without native FP4), padded: "
            f"{padding:.1f} GB more"
        )
    if budget.allocation == "pool" and mode == "inference":
        if budget.activation_gib or budget.graphs_gib:
            _profiling_peak(budget, model, gpus, terms, notes)
        notes.append("the KV pool must hold at least one full-length sequence")
    if budget.allocation == "dynamic" and precision in BNB_PRECISIONS and model.vocab_size:
        notes.append("bitsandbytes keeps lm_head in 16-bit (counted with the weights)")
    return terms, notes
