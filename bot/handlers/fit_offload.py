"""A language model that does not fit on the GPU can still run under llama.cpp (and Ollama, LM Studio): whole layers
stay in system RAM and run on the CPU (``-ngl``, Ollama's automatic split). The answer says about how many layers
fit on the GPU, how much then sits in RAM, whether the RAM the question states holds it, and what it costs: each
token reads the CPU's share from system RAM, far slower than GPU memory.

The split is the estimate's own terms, spread evenly over the layers (the weights and the KV cache, which llama.cpp
keeps with each layer); the CUDA context and the compute buffer stay on the GPU whatever the split.
"""

from __future__ import annotations

import dataclasses
import math

from bot.estimator import PRECISION_NAMES, Estimate
from bot.estimator_runtime import HOST_EMBEDDINGS
from bot.handlers.fit_plan import FitPlan, fit_plan
from bot.handlers.fit_precision import pick_precision, precision_label, quality_note

__all__ = ["below_3_bits", "offload_at_4_bit", "offload_bullet", "offload_split"]

#: The 2-bit I-quants offered when nothing down to Q2_K fits, largest first (llama.cpp's IQ2_M, IQ2_XS, IQ2_XXS).
_TWO_BIT = ("iq2_m", "iq2_xs", "iq2_xxs")

#: The estimate's terms that go with the layers (and so move to RAM with them).
_PER_LAYER_TERMS = frozenset({"weights", "KV cache", HOST_EMBEDDINGS})


def offload_split(est: Estimate, layers: int, capacity_gb: float, count: int) -> tuple[int, float] | None:
    """(layers on the GPUs, GB left for system RAM) for ``est`` on ``count`` GPUs of ``capacity_gb`` each; None
    when not even one layer fits beside what stays on the GPU, or every layer does."""
    if layers <= 0:
        return None
    with_layers = sum(gb for name, gb in est.terms.items() if name in _PER_LAYER_TERMS)
    fixed = sum(gb for name, gb in est.terms.items() if name not in _PER_LAYER_TERMS)
    per_layer = with_layers / layers
    on_gpu = math.floor((capacity_gb * count - fixed) / per_layer) if per_layer > 0 else 0
    if on_gpu < 1 or on_gpu >= layers:
        return None
    return on_gpu, with_layers - on_gpu * per_layer


def offload_bullet(s: FitPlan, capacity_gb: float, ram_gb: float | None, *, instead: str = "") -> str | None:
    """The partial offload a llama.cpp-based runtime would fall back to, as a bullet (``instead``: why this plan
    rather than the one answered, "To keep 4-bit quality"); None for other runtimes, for training or when the split
    cannot help."""
    if s.mode != "inference" or not s.budget.host_input_embeddings or not s.model.layers:
        return None  # host_input_embeddings: the llama.cpp-based runtimes, which split layers with the CPU
    split = offload_split(s.est, s.model.layers, capacity_gb, s.count)
    if split is None:
        return None
    on_gpu, in_ram = split
    how = f"{instead}, {s.budget.name} can run it" if instead else f"{s.budget.name} can still run it"
    gpus = "GPUs" if s.count > 1 else "GPU"
    line = (
        f"{how} in {precision_label(s.model, s.precision)} with part of the model in system RAM "
        f"({_setting(s, on_gpu)}): about {on_gpu} of its {s.model.layers} layers on the {gpus} and about "
        f"{in_ram:,.1f} GB in RAM"
    )
    if ram_gb is not None:
        line += (
            f", which your {ram_gb:g} GB of RAM holds"
            if ram_gb > in_ram
            else f", more than your {ram_gb:g} GB of RAM holds"
        )
    slower = "many times slower than GPU memory"
    return f"{line}. Every token then reads that share from system RAM through the CPU, {slower}."


def offload_at_4_bit(s: FitPlan, capacity_gb: float) -> str | None:
    """A model that fits only below 4-bit: the 4-bit plan with part of it in system RAM, as a bullet."""
    req = dataclasses.replace(s.req, precision=pick_precision(s.model))
    plan = fit_plan(req, s.model, s.model_id, s.count, budget=s.budget, vram_gib=s.vram_gib)
    return offload_bullet(plan, capacity_gb, s.req.ram_gb, instead="To keep 4-bit quality")


def below_3_bits(s: FitPlan, capacity_gb: float) -> str | None:
    """No precision asked and nothing down to Q2_K fits: the largest 2-bit I-quant that would, as a bullet (the
    GGUF runtimes only); None when none does or the question named a precision."""
    if s.full is None or s.mode != "inference" or not s.budget.host_input_embeddings:
        return None
    for precision in _TWO_BIT:
        req = dataclasses.replace(s.req, precision=precision)
        plan = fit_plan(req, s.model, s.model_id, s.count, budget=s.budget, vram_gib=s.vram_gib)
        if plan.est.total_gb < s.est.total_gb and plan.est.verdict(capacity_gb) != "does not fit":
            gpus = "GPUs" if s.count > 1 else "GPU"
            return (
                f"On the {gpus} alone it would fit only below 3 bits: in {PRECISION_NAMES[precision]} it needs about "
                f"{plan.est.per_gpu_gb:,.1f} GB{' per GPU' if s.count > 1 else ''}; {quality_note(s.model, precision)}."
            )
    return None


def _setting(s: FitPlan, on_gpu: int) -> str:
    """How the split is set: Ollama's own option, else llama.cpp's (which LM Studio and others expose too)."""
    if s.budget.id == "ollama":
        return f"Ollama splits on its own; its `num_gpu` option sets the layers, here {on_gpu}"
    return f"`-ngl {on_gpu}`; Ollama splits on its own"
