"""One card at several counts, no model named: "Is one 3090 or two 3090s possible to train your model?", "one 4090 or
two 4090s for llms?".

What decides between one card and two of it is what each setup holds, so each count gets a line from the estimator
(:func:`bot.handlers.fit_reverse.largest_params_b`): for running models, the largest typical dense model per precision
and the largest language model of the catalog at 4-bit; for training, the largest model per training method (weights
sharded with FSDP across several cards). Never a rule of thumb, and never a model the question did not name as the
subject: the models are examples of the size.
"""

from __future__ import annotations

from bot.answer import Answer
from bot.catalog import GPU
from bot.estimator import PRECISION_NAMES
from bot.estimator_strategy import SHARDING, STRATEGY_SHORT
from bot.handlers.context import HandlerContext, value
from bot.handlers.fit_memory import usable_gb
from bot.handlers.fit_reverse import (
    REVERSE_CONTEXT,
    REVERSE_MODES,
    REVERSE_PRECISIONS,
    largest_known_model,
    largest_params_b,
    reverse_slots,
    size_text,
)
from bot.parser import Query

__all__ = ["per_count"]

_MODE_NAMES = {"full": "full training", "lora": "LoRA", "qlora": "QLoRA"}
#: The precision whose largest known model each inference line names (what people run on a card: llama.cpp's default).
_HEADLINE = "q4_k_m"


def per_count(ctx: HandlerContext, q: Query, gpu: GPU, counts: tuple[int, ...]) -> Answer:
    """What ``counts`` of ``gpu`` each run (or train, when the question asks for training), from the estimator."""
    mode = q.fit.mode if q.fit is not None else "inference"
    training = mode in REVERSE_MODES
    a = Answer(question=q.text, intent="fits", title="", gpus=[gpu.id])
    a.fields = ["memory_gb"]
    memory = value(ctx, a, gpu, "memory_gb")
    room = usable_gb(ctx, gpu)
    setups = " or ".join(f"{n}×" for n in counts)
    verb = "trains" if training else "runs"
    each = "each setup" if len(counts) > 1 else "they" if counts[0] > 1 else "it"
    subject = "each" if len(counts) > 1 else each
    a.title = f"{setups} {gpu.short_name}: what {subject} {verb.removesuffix('s') if subject == 'they' else verb}"
    terms = (
        f"{REVERSE_CONTEXT:,}-token sequences, batch 1, gradient checkpointing, mixed-precision AdamW"
        if training
        else f"inference, {REVERSE_CONTEXT:,}-token context, batch 1"
    )
    a.summary = (
        f"By memory ({memory} per card, {room:,.1f} GB usable; {terms}), the largest typical dense model {each} {verb}:"
    )
    for n in counts:
        a.bullets.append(_training_line(gpu, n, room) if training else _inference_line(ctx, gpu, n, room))
    a.notes.append(_how_cards_add_up(training))
    a.notes.append(
        "Sizes assume a typical dense language model; what your model needs depends on its size and settings: "
        "name it for every term of the estimate."
    )
    a.fit = reverse_slots(gpu.number("memory_gb") or 0.0, max(counts), mode)
    return a


def _setup(gpu: GPU, n: int) -> str:
    total = (gpu.number("memory_gb") or 0.0) * n
    return f"{n}× {gpu.short_name} ({total:g} GB)"


def _inference_line(ctx: HandlerContext, gpu: GPU, n: int, room: float) -> str:
    sizes = []
    for precision in reversed(REVERSE_PRECISIONS):  # 4-bit first: what people run
        params = largest_params_b(room, precision, n)
        name = PRECISION_NAMES.get(precision, precision).split(" (")[0]
        sizes.append(f"{name} up to about {size_text(params)}B" if params is not None else f"{name} nothing")
    line = f"{_setup(gpu, n)}: {', '.join(sizes)}"
    model = largest_known_model(ctx, _HEADLINE, room, n, dense=True)
    if model is not None:
        line += f" (at 4-bit, as big as {model.name})"
    return line + "."


def _training_line(gpu: GPU, n: int, room: float) -> str:
    sizes = []
    for mode in REVERSE_MODES:
        params = largest_params_b(room, "fp16", n, mode)
        sizes.append(f"{_MODE_NAMES[mode]} up to about {size_text(params)}B" if params is not None else "")
    found = [s for s in sizes if s]
    body = ", ".join(found) if found else "too little for even a small model"
    return f"{_setup(gpu, n)}{', weights sharded (' + STRATEGY_SHORT[SHARDING[0]] + ')' if n > 1 else ''}: {body}."


def _how_cards_add_up(training: bool) -> str:
    if training:
        return (
            "A model that fits on one card trains on two about twice as fast (data parallel, a copy on each); "
            "a bigger one needs its weights, gradients and optimizer state sharded across the cards (FSDP or "
            "DeepSpeed ZeRO-3)."
        )
    return (
        "Two cards hold a model about twice as big, split across them; a layer split (llama.cpp, Ollama) runs "
        "at about one card's speed, tensor parallel (vLLM) faster."
    )
