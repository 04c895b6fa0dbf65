"""How a training job is spread over several GPUs, and which share of each part of the training state a GPU holds.

The sharding rules mirror ``specs/runtimes.yaml`` (`training: strategies`, each with its source and quote; a test
checks they agree): plain data-parallel (PyTorch DDP) keeps a whole replica per GPU; DeepSpeed ZeRO-1 shards the
optimizer state, ZeRO-2 also the gradients, ZeRO-3 also the weights (https://arxiv.org/abs/1910.02054); FSDP
FULL_SHARD shards all three. A naive pipeline (transformers/accelerate ``device_map="auto"``, "model parallel")
puts a share of the layers, with their weights, gradients and optimizer state, on each GPU
(https://huggingface.co/docs/transformers/v4.38.0/en/perf_train_gpu_many, "Naive Model Parallelism"). ZeRO-3 with
CPU offload (``offload_optimizer`` and ``offload_param`` set to cpu, LLaMA-Factory's ``ds_z3_offload_config.json``)
keeps the optimizer state, gradients and weights in system RAM ("ZeRO Stage 3 Offload - Offload optimizer states,
gradients, parameters and optionally activations to CPU", specs/runtimes.yaml); a GPU gathers at most
``stage3_max_live_parameters`` 16-bit parameters at a time (1e9, DeepSpeed's default and that config's value).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

__all__ = [
    "DEFAULT_STRATEGY",
    "LIVE_PARAMETERS",
    "OFFLOADED",
    "SHARDING",
    "SHARDS",
    "STRATEGY_NAMES",
    "STRATEGY_SHORT",
    "STRATEGY_WORDS",
    "held_share",
    "shard_label",
    "strategy_for",
    "strategy_named",
]

#: The strategy assumed for several GPUs when the question names none: what ``torchrun``/``accelerate launch``
#: give a training script with no DeepSpeed or FSDP config.
DEFAULT_STRATEGY = "ddp"
#: The strategies that shard the weights: what to offer when a whole copy per GPU does not fit.
#: FSDP first: it also shards a bitsandbytes-quantised base, which ZeRO-3 loads whole on every GPU first.
SHARDING = ("fsdp-full-shard", "zero-3")

#: The parts of the training state each strategy shards across GPUs (``specs/runtimes.yaml``; pipeline added).
SHARDS: Mapping[str, tuple[str, ...]] = {
    "single": (),
    "ddp": (),
    "zero-1": ("optimizer",),
    "zero-2": ("optimizer", "gradients"),
    "zero-3": ("optimizer", "gradients", "weights"),
    "fsdp-full-shard": ("optimizer", "gradients", "weights"),
    "pipeline": ("optimizer", "gradients", "weights"),
    "zero-3-offload": ("optimizer", "gradients", "weights"),
}
#: The parts a strategy keeps in system RAM instead of on the GPUs (ZeRO-3 offload: all three).
OFFLOADED: Mapping[str, tuple[str, ...]] = {"zero-3-offload": ("optimizer", "gradients", "weights")}
#: ZeRO-3's ``stage3_max_live_parameters``: the parameters a GPU holds gathered at once before releasing them
#: (DeepSpeed's default, and 1e9 in LLaMA-Factory's examples/deepspeed/ds_z3_offload_config.json).
LIVE_PARAMETERS = 1e9
STRATEGY_NAMES: Mapping[str, str] = {
    "single": "one GPU",
    "ddp": "data-parallel (DDP): each GPU holds a full copy",
    "zero-1": "DeepSpeed ZeRO-1: optimizer state sharded, each GPU holds the full weights and gradients",
    "zero-2": "DeepSpeed ZeRO-2: optimizer state and gradients sharded, each GPU holds the full weights",
    "zero-3": "DeepSpeed ZeRO-3: weights, gradients and optimizer state sharded",
    "fsdp-full-shard": "FSDP full shard: weights, gradients and optimizer state sharded",
    "pipeline": "naive pipeline (device_map auto): the layers split across the GPUs, one working at a time",
    "zero-3-offload": (
        "DeepSpeed ZeRO-3 with CPU offload: weights, gradients and optimizer state in system RAM, each GPU gathering "
        "at most 1e9 parameters at a time (stage3_max_live_parameters)"
    ),
}
#: Short names for answers ("with ZeRO-3 across 4 GPUs").
STRATEGY_SHORT: Mapping[str, str] = {
    "single": "one GPU",
    "ddp": "data-parallel (DDP)",
    "zero-1": "ZeRO-1",
    "zero-2": "ZeRO-2",
    "zero-3": "ZeRO-3",
    "fsdp-full-shard": "FSDP",
    "pipeline": "a layer split (device_map auto)",
    "zero-3-offload": "ZeRO-3 with CPU offload",
}


def strategy_for(named: str | None, gpus: int) -> str:
    """The strategy an estimate uses: "single" on one GPU (but for an offloading one, which offloads there too),
    else the one named, else plain data-parallel."""
    if gpus <= 1:
        return named if named is not None and named in OFFLOADED else "single"
    if named is None or named not in SHARDS or named == "single":
        return DEFAULT_STRATEGY
    return named


def held_share(strategy: str, part: str, gpus: int) -> float:
    """The share of ``part`` (weights, gradients, optimizer) one GPU holds under ``strategy`` (0: in system RAM)."""
    if part in OFFLOADED.get(strategy, ()):
        return 0.0
    return 1 / gpus if gpus > 1 and part in SHARDS.get(strategy, ()) else 1.0


#: The word classes (``specs/lexicon.yaml``) that name each strategy, most specific first: "deepspeed zero 2" is
#: ZeRO-2, DeepSpeed with no stage is ZeRO-3 (the stage that shards the weights), "accelerate" alone is DDP.
STRATEGY_WORDS: tuple[tuple[str, str], ...] = (
    ("strategy_zero3_offload", "zero-3-offload"),
    ("strategy_zero1", "zero-1"),
    ("strategy_zero2", "zero-2"),
    ("strategy_fsdp", "fsdp-full-shard"),
    ("strategy_pipeline", "pipeline"),
    ("strategy_zero3", "zero-3"),
    ("strategy_ddp", "ddp"),
)


def strategy_named(has: Callable[[str], bool]) -> str | None:
    """The strategy a question names (``has`` tells whether it has a word class), or None."""
    return next((strategy for cls, strategy in STRATEGY_WORDS if has(cls)), None)


def shard_label(mode: str, precision: str) -> str:
    """How answers name the sharding they offer: FSDP alone for a quantised LoRA base (ZeRO-3 loads it whole on
    every GPU first, DeepSpeed issue 5660), else either."""
    quantised = mode == "qlora" or (mode == "lora" and precision == "int8")
    return "FSDP" if quantised else "FSDP or ZeRO-3"
