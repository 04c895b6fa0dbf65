"""Like with like: what a card really offers a runtime, and the margin an estimate leaves on it.

A card's usable memory is what its driver reports (``specs/usable_memory.yaml``), else the rule (marketed GiB in
decimal GB, less ECC's 1/16 on GDDR data-centre cards); a runtime that takes a fraction of the card (vLLM, SGLang)
gets that fraction of it. Every fit verdict compares the estimate's need per GPU with this figure.
"""

from __future__ import annotations

from bot.catalog import GPU
from bot.estimator import TIGHT_SHARE, Estimate, ModelShape, estimate, max_context
from bot.estimator_media import MEDIA_KINDS
from bot.estimator_runtime import DEFAULT_INFERENCE, DEFAULT_MEDIA, DEFAULT_TRAINING, Budget, capacity_gb
from bot.handlers.context import HandlerContext
from bot.usable_memory import rule_gb

__all__ = [
    "band_text",
    "budget_for",
    "capacity_of",
    "marketed_usable_gb",
    "nearest_settings",
    "outside_text",
    "usable_gb",
    "usable_text",
]

#: The 8-bit KV cache people switch to (vLLM --kv-cache-dtype fp8, llama.cpp -ctk/-ctv q8_0) when the cache is large.
KV_8BIT = "fp8"


def budget_for(ctx: HandlerContext, runtime: str | None, mode: str, kind: str = "llm") -> Budget:
    """The named runtime's budget, else the one the data assumes for the workload (llama.cpp / transformers); an
    image or speech model (``kind``) run with none named: PyTorch's (diffusers, ComfyUI, Whisper)."""
    if runtime and runtime in ctx.budgets:
        return ctx.budgets[runtime]
    if mode == "inference" and kind in MEDIA_KINDS:
        return DEFAULT_MEDIA
    workload = "inference" if mode == "inference" else "training"
    assumed = ctx.runtimes.assumed_for(workload) if ctx.runtimes else None
    if assumed is not None and assumed.id in ctx.budgets:
        return ctx.budgets[assumed.id]
    return DEFAULT_INFERENCE if workload == "inference" else DEFAULT_TRAINING


def marketed_usable_gb(memory_gb: float) -> float:
    """A bare size ("is 24gb enough"): read as a marketed size, GiB in decimal GB (no ECC)."""
    return rule_gb(memory_gb, "", False)


def usable_gb(ctx: HandlerContext, gpu: GPU) -> float:
    """Decimal GB the card offers a process: the driver's figure, else the rule's."""
    found = ctx.usable.usable_gb(gpu.id)
    return found if found is not None else marketed_usable_gb(gpu.number("memory_gb") or 0.0)


def capacity_of(ctx: HandlerContext, gpu: GPU, budget: Budget, count: int = 1) -> float:
    """The memory per GPU ``budget``'s runtime lets itself use on ``gpu``."""
    return capacity_gb(budget, usable_gb(ctx, gpu), count)


def usable_text(ctx: HandlerContext, gpu: GPU, budget: Budget, count: int = 1) -> str:
    """ "24 GB card: 25.8 GB usable as the driver reports; vLLM's gpu_memory_utilization 0.9 leaves 23.2 GB"."""
    marketed = gpu.number("memory_gb") or 0.0
    usable = usable_gb(ctx, gpu)
    how = "as the driver reports" if ctx.usable.reported(gpu.id) else "by the rule (GiB in decimal GB"
    if not ctx.usable.reported(gpu.id):
        how += ", less ECC's 1/16)" if ctx.usable.ecc_on_by_default(gpu.id) else ")"
    line = f"{marketed:g} GB card: {usable:,.1f} GB usable {how}"
    fraction = budget.fraction_of(usable, count)
    if fraction < 1.0:
        line += f"; {budget.name}'s {budget.fraction_name} {fraction:g} leaves {usable * fraction:,.1f} GB"
    return line


def band_text(need: float, capacity: float, per: str = "", est: Estimate | None = None) -> str:
    """The margin an estimate leaves: to spare, borderline (within the estimate's ±band), or short by how much; with
    ``est``, first whether what the runtime keeps outside its share fits there (the pool fills the share itself)."""
    beyond = est.beyond_share_gb(capacity) if est is not None else 0.0
    if beyond:
        return f"the share itself holds it, but what the runtime keeps outside its share is {beyond:,.1f} GB short{per}"
    band = f"within the estimate's ±{TIGHT_SHARE:.0%}"
    if need <= capacity * (1 - TIGHT_SHARE):
        return f"fits with ~{capacity - need:,.1f} GB to spare{per}"
    if need <= capacity:
        return f"borderline: {capacity - need:,.1f} GB to spare{per}, {band}"
    if need <= capacity * (1 + TIGHT_SHARE):
        return f"borderline: {need - capacity:,.1f} GB short{per}, {band}"
    return f"short by {need - capacity:,.1f} GB{per}: needs {need:,.1f} GB of {capacity:,.1f} GB usable"


def nearest_settings(
    ctx: HandlerContext,
    model: ModelShape,
    est: Estimate,
    budget: Budget,
    capacity: float,
    *,
    context_stated: bool,
    kv_precision: str,
) -> list[str]:
    """Inference that does not fit: the nearest runtime settings that would (a shorter max_model_len where the runtime
    sizes its cache for the model's whole context, an 8-bit KV cache, llama.cpp instead of a server's reserve)."""
    out: list[str] = []
    kv = est.terms.get("KV cache", 0.0)
    if budget.model_max_context and not context_stated and kv:
        longest = max_context(
            model,
            capacity,
            precision=est.precision,
            kv_precision=kv_precision,
            gpus_count=est.gpus_count,
            runtime=budget,
        )
        if longest > 0:
            out.append(
                f"{budget.name} reserves KV cache for the model's whole context ({est.context:,} tokens) unless told "
                f"otherwise, a common cause of out-of-memory at start: set {budget.context_setting} to about "
                f"{longest:,} or less."
            )
    plan = {"precision": est.precision, "context": est.context, "batch": est.batch, "gpus_count": est.gpus_count}
    if kv > 1 and kv_precision in ("fp16", "bf16"):
        smaller = estimate(model, **plan, kv_precision=KV_8BIT, runtime=budget)  # type: ignore[arg-type]
        if smaller.verdict(capacity) != "does not fit":
            out.append(f"With an 8-bit KV cache (FP8 / q8_0) it would fit: about {smaller.per_gpu_gb:,.1f} GB.")
    fallback = ctx.budgets.get("llama.cpp", DEFAULT_INFERENCE)
    if budget.allocation == "pool" and fallback is not budget:
        local = estimate(model, **plan, kv_precision=kv_precision, runtime=fallback)  # type: ignore[arg-type]
        room = capacity / budget.fraction_of(capacity)
        if local.verdict(room) != "does not fit":
            out.append(
                f"llama.cpp (no pool reserve, the same context) would fit: about {local.per_gpu_gb:,.1f} GB of "
                f"{room:,.1f} GB usable."
            )
    return out


def outside_text(est: Estimate, capacity: float) -> str | None:
    """The sentence for a verdict lost outside the runtime's share (SGLang's request-to-token table is allocated
    after its KV pool fills mem_fraction_static), or None when nothing is held there or it fits."""
    beyond = est.beyond_share_gb(capacity)
    if not beyond or est.share is None:
        return None
    names = " and ".join(est.outside_terms)
    left = est.share.left_gb(capacity)
    return (
        f"Outside the runtime's share: the {names} takes {est.outside_per_gpu_gb:,.1f} GB per GPU after the KV pool "
        f"has filled its share, and only {left:,.1f} GB is left there ({beyond:,.1f} GB short): "
        f"{OUTSIDE_ADVICE.get(est.runtime, OUTSIDE_ADVICE['sglang'])}"
    )


#: What shrinks the memory a runtime keeps outside its share, or makes room for it.
OUTSIDE_ADVICE = {
    "sglang": "a shorter context length (--context-length, which defaults to the model's maximum) or fewer running "
    "requests (--max-running-requests) shrinks it.",
    "vllm": "a lower --gpu-memory-utilization leaves more room for it, and --enforce-eager captures no CUDA graphs.",
}
