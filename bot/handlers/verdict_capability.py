"""What one card can do for a workload, in the terms people decide on: "is a P40 worth it for local LLMs?".

A rank among every card of the catalog says little about a card someone is about to buy (often used, often a
generation old). What decides is what it runs and how fast, so the verdict leads with that, from the estimator:

- LLMs and inference: the largest model of the catalog that runs on it at 4-bit (Q4_K_M), about how fast it
  generates with that model, and how big a model fits at 8-bit and at FP16;
- fine-tuning: the largest model it can fine-tune with QLoRA and with LoRA;
- training: a bullet, not the lead (what is trained may be no language model): the largest model it trains in
  full with mixed-precision AdamW, and how far LoRA and QLoRA reach beyond that;
- and the software it needs when its architecture is no longer supported by the current toolkits.

Every figure comes from the estimator (:mod:`bot.handlers.fit_reverse`, :mod:`bot.estimator_speed`), never a rule of
thumb; the card's usable memory is what the driver reports (or the rule's GiB-in-decimal-GB figure).
"""

from __future__ import annotations

from bot.answer import Answer
from bot.catalog import GPU
from bot.estimator import PRECISION_NAMES
from bot.handlers.context import HandlerContext, value
from bot.handlers.fit_memory import usable_gb
from bot.handlers.fit_options import variants
from bot.handlers.fit_plan import card_speed
from bot.handlers.fit_reverse import REVERSE_CONTEXT, largest_known_model, largest_params_b, size_text

__all__ = ["CAPABILITY_WORKLOADS", "capability", "software_caveat"]

#: The workloads whose verdict leads with what the card runs: language models (run, or fine-tuned).
CAPABILITY_WORKLOADS = frozenset({"llm", "inference", "fine_tuning", "training"})
#: The precision the verdict's headline model runs in: what people run on one card (llama.cpp's default quant).
HEADLINE_PRECISION = "q4_k_m"


def capability(ctx: HandlerContext, a: Answer, gpu: GPU, workload: str) -> str | None:
    """The sentence that leads the verdict on ``gpu`` for ``workload`` (bullets with the other precisions or
    methods are added to ``a``); None when the workload is not one of :data:`CAPABILITY_WORKLOADS` or the card's
    memory is unknown."""
    if workload not in CAPABILITY_WORKLOADS or not gpu.number("memory_gb"):
        return None
    room = usable_gb(ctx, gpu)
    memory = value(ctx, a, gpu, "memory_gb")
    if workload == "fine_tuning":
        return _fine_tuning(ctx, a, gpu, memory, room)
    if workload == "training":
        _training(a, memory, room)
        return None
    return _inference(ctx, a, gpu, memory, room)


def _inference(ctx: HandlerContext, a: Answer, gpu: GPU, memory: str, room: float) -> str | None:
    model = largest_known_model(ctx, HEADLINE_PRECISION, room, dense=True)  # a MoE's size says little of speed
    if model is None:
        return f"Its {memory} is too little for even a small language model at 4-bit."
    est = variants(model.shape, "inference", HEADLINE_PRECISION, REVERSE_CONTEXT, 1)
    barely = est.verdict(room) != "fits"  # within the estimate's margin: say so rather than promise it
    lead = (
        f"Its {memory} runs language models up to about the size of {model.name} in {_quant(HEADLINE_PRECISION)}"
        + (
            f", but only just (about {est.per_gpu_gb:,.1f} GB of the {room:,.1f} GB usable"
            if barely
            else f" (about {est.per_gpu_gb:,.1f} GB"
        )
        + f" at a {REVERSE_CONTEXT:,}-token context)"
    )
    speed = card_speed(model.shape, est, gpu)
    if speed is not None:
        value(ctx, a, gpu, "memory_bandwidth_gbs")
        lead += f", generating {speed.text()} with it by a rough estimate"
    for precision in ("q8_0", "fp16"):
        params = largest_params_b(room, precision)
        if params is not None:
            a.bullets.append(
                f"{PRECISION_NAMES.get(precision, precision)}: a typical dense model of up to about "
                f"{size_text(params)}B parameters fits ({REVERSE_CONTEXT:,}-token context, batch 1)."
            )
    return lead + "."


def _fine_tuning(ctx: HandlerContext, a: Answer, gpu: GPU, memory: str, room: float) -> str | None:
    sizes = {mode: largest_params_b(room, "fp16", 1, mode) for mode in ("qlora", "lora")}
    qlora = sizes["qlora"]
    if qlora is None:
        return f"Its {memory} is too little to fine-tune even a small language model, with QLoRA."
    lead = f"Its {memory} fine-tunes a typical dense model of up to about {size_text(qlora)}B parameters with QLoRA"
    lora = sizes["lora"]
    lead += f", about {size_text(lora)}B with LoRA" if lora is not None else ""
    return lead + f" ({REVERSE_CONTEXT:,}-token sequences, batch 1, gradient checkpointing)."


def _training(a: Answer, memory: str, room: float) -> None:
    """Training every weight (from scratch, or a full fine-tune: 16 bytes a parameter before activations), as a
    bullet: the ranking keeps the lead, since what is trained may be no language model at all."""
    full = largest_params_b(room, "fp16", 1, "full")
    if full is None:
        a.bullets.append(f"By memory: {memory} is too little to train every weight of even a small language model.")
        return
    tuned = [
        f"{name} up to about {size_text(params)}B"
        for mode, name in (("lora", "LoRA"), ("qlora", "QLoRA"))
        if (params := largest_params_b(room, "fp16", 1, mode)) is not None
    ]
    a.bullets.append(
        f"By memory: {memory} trains every weight of a typical dense language model of up to about "
        f"{size_text(full)}B parameters, from scratch or as a full fine-tune (mixed-precision AdamW, 16 bytes per "
        f"parameter; {REVERSE_CONTEXT:,}-token sequences, batch 1, gradient checkpointing)"
        + (f"; fine-tuning reaches further: {', '.join(tuned)}." if tuned else ".")
    )


def software_caveat(ctx: HandlerContext, gpu: GPU) -> str | None:
    """A line on the software ``gpu`` needs when current toolkits have dropped its architecture (the software
    stack's own summary, from ``specs/software.yaml``); None for a card current toolkits support."""
    stack = ctx.catalog.software_for(gpu)
    if stack is None or stack.compute_capability_below is None:
        return None
    return f"Software: {stack.about}"


def _quant(precision: str) -> str:
    """ "Q4_K_M, a 4-bit GGUF": the precision's name without nested brackets."""
    name = PRECISION_NAMES.get(precision, precision)
    short, _, kind = name.partition(" (")
    return f"{short}, a {kind.rstrip(')')}" if kind else short
