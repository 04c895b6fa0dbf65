"""The typed request a question becomes: what kind of answer it needs, and the slots to answer it from.

The rules (:mod:`bot.rules`) build one :class:`Query` per question from its evidence; slash commands
build them directly; one handler per :data:`Kind` turns it into an answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from bot.catalog import FaqEntry, Outside
    from bot.lexicon import Unsupported
    from bot.matcher import GpuMention, MatchResult

__all__ = ["INTENT_OF", "MAX_COMPARE", "SOFTWARE_FAQ", "FitRequest", "Intent", "Kind", "Query", "budget_text"]

#: The public intent of an answer (the JSON ``intent``).
Intent = Literal["lookup", "compare", "recommend", "fits", "faq", "clarify", "unknown"]
#: The request kinds, finer than intents: each has its handler.
Kind = Literal[
    "lookup",
    "compare",
    "property",
    "formats",
    "psu",
    "setup",
    "rank",
    "list",
    "pick",
    "verdict",
    "fit",
    "fit_pick",
    "faq",
    "software",
    "clarify",
    "outside",
    "unknown",
]

MAX_COMPARE = 4
SOFTWARE_FAQ = "software"  # the FAQ entry whose answer depends on each GPU's vendor (specs/software.yaml)


@dataclass(slots=True)
class FitRequest:
    """The slots of a "will it fit" question."""

    model_id: str | None = None  # a catalog model, or None with params_b for "a 13b model"
    params_b: float | None = None
    unlisted: str | None = None  # a model named that the catalog lacks ("qwen2.5 vl 72b"): said in the answer
    mode: str = "inference"  # inference | full | lora | qlora
    precision: str | None = None  # None: fp16 for inference
    context: int | None = None
    gpus_count: int = 1
    max_context: bool = False  # "max context for X on Y"
    kv_precision: str | None = None  # "fp8 kv cache"
    checkpointing: bool | None = None  # "without gradient checkpointing": False; None: the runtime's default (on)
    flash_attention: bool | None = None  # "-fa off", "without flash attention": False; None: the runtime's default
    lora_rank: int | None = None  # "rank 64"
    lora_all_linear: bool = False  # "all linear layers": q, k, v, o, gate, up, down
    capacity_gb: float | None = None  # "is 24gb enough for ...": a memory size instead of a GPU
    held_with: tuple[str, ...] = ()  # "whisper + llama 8b on the same box": other models held at the same time
    lora_assumed: bool = False  # "fine-tune on a 3060": no method named, LoRA on a small card (full shown too)
    runtime: str | None = None  # "with vllm", "in ollama": a runtime id of specs/runtimes.yaml (None: assumed)
    batch: int | None = None  # "batch size 4": the micro-batch per GPU (training)
    strategy: str | None = None  # training across GPUs: ddp | zero-1 | zero-2 | zero-3 | fsdp-full-shard | pipeline
    speed_asked: bool = False  # "how many tokens/s ...": the answer leads with the decode speed
    count_asked: bool = False  # "how many 4090s do i need for ...": the answer leads with the fewest cards
    need: tuple[float, str] | None = None  # "it needs more than 12 GB": the model's need as said (size, bound)
    instances: tuple[tuple[str, str, int], ...] = ()  # "what ec2 instance for gpt-j 6b": (name, gpu id, GPUs) each
    measured_tps: float | None = None  # "only 4-7 tokens/s on my 3090": the speed the asker measured (the highest)
    precisions: tuple[str, ...] = ()  # every precision named ("bf16, 8bit or 4 bit"), where one answer weighs them all
    counts_asked: tuple[int, ...] = ()  # "one 3090 or two 3090s to train?", no model: what each count holds
    combined: bool = False  # "on a 3090 + a 3060": different cards named together hold the model as one rig
    ram_gb: float | None = None  # "32gb of ram": the computer's memory, for a model split with the CPU
    enforce_eager: bool = False  # "--enforce-eager", "eager mode": vLLM captures no CUDA graphs
    memory_share: float | None = None  # "gpu_memory_utilization 0.95": the share of each card a server takes
    runtime_version: str | None = None  # "vllm 0.8.5": the runtime's release (None: the current one)
    oom_reported: bool = False  # "torch.cuda.OutOfMemoryError on 2x l40s": it ran out of memory as the asker ran it


@dataclass(slots=True)
class Query:
    """What a question asks, in slots a handler answers from without reading the question again."""

    text: str
    intent: Intent
    gpus: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    all_fields: bool = False
    workload: str | None = None
    modifiers: list[str] = field(default_factory=list)
    budget_usd: float | None = None
    value_focus: bool = False
    rank_field: str | None = None
    rank_lowest: bool = False
    rank_per: str | None = None  # "bandwidth per dollar": rank by rank_field / this field
    dropped: list[str] = field(default_factory=list)  # GPUs named beyond the four a comparison shows
    require_true: list[str] = field(default_factory=list)  # yes/no fields that must hold ("with nvlink")
    limits: dict[str, dict[str, float]] = field(default_factory=dict)  # {"memory_gb": {"min": 24}}
    listing: bool = False  # "which gpus have nvlink": every match, not one pick
    vendor: str | None = None  # "nvidia only", "an amd card"
    fit: FitRequest | None = None
    faq: FaqEntry | None = None
    ambiguous: list[GpuMention] = field(default_factory=list)
    unknown_names: list[GpuMention] = field(default_factory=list)
    outside: Outside | None = None  # hardware the catalog does not cover ("m4 max", "tpu v5")
    counts: dict[str, int] = field(default_factory=dict)  # "a 4090 or two 3090s": {"rtx-3090": 2}
    match: MatchResult | None = None
    kind: Kind = "unknown"  # the request kind: which handler answers it
    rule: str = ""  # the rule that built it (``--explain``, the query log)
    property_more: bool | None = None  # "which draws less power": the direction asked (True: more)
    unsupported: Unsupported | None = None  # "which is quieter": a property the catalog has no data on
    budget_currency: str | None = None  # "800 euros": the currency the budget was given in
    family: str | None = None  # a model family named without a size ("is 8gb enough for stable diffusion")
    cheapest: bool = False  # "cheapest card that can run llama 3 70b": rank the cards that hold it by price
    libraries: list[str] = field(default_factory=list)  # libraries asked about by name ("flash attention 2"): ids
    general: bool = False  # a general question (no card named): the FAQ's general answer, not the seed article's
    buyable: bool = False  # pick among cards people buy for a workstation (no data-centre parts) unless asked
    laptop: bool = False  # "best laptop gpu for ml": laptop GPUs only (laptop prices are set per laptop)
    formats: list[str] = field(default_factory=list)  # "does the 5090 support fp4": tensor formats asked about
    cloud: list[str] = field(default_factory=list)  # cloud instances named ("g5.xlarge"), ids in specs/cloud.yaml
    # A family name answered for its variants ("p100" beside a T4): (the name, its variants, those answered for).
    variants: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)
    names_capped: bool = False  # more GPU names than are considered (bot.bounds): the answer says so
    carried: dict[str, str] = field(default_factory=dict)  # slots a follow-up took from context (bot.followup)
    # The asker's own card: "a good upgrade from my 1080 ti" (the pick must beat it), "i have a 2060 ... a 4060 ti
    # or a 3090?" (the choice is compared with it)
    upgrade_from: str | None = None
    # Cards named by vendor and memory ("geforce 8gb or radeon 16gb"): (the option as written, the card it was read as)
    options: list[tuple[str, str]] = field(default_factory=list)
    bar: bool = False  # a card named as a bar the pick goes past ("anything faster than a 3090?"), not the asker's
    psu_watts: float | None = None  # "is an 850w psu enough for a 4090": the supply the answer judges
    ratio_asked: bool = False  # "how much faster is the 5090 than the 4090 for llms": a pick leads with the ratio
    slower_said: str | None = None  # "my 4080 is slower than my 3060, why?": the card said slower (rtx-4080), first
    slower_factor: float | None = None  # "running around 30x slower on my laptop rtx 5090": 30.0
    # The cards the answer settled on (its pick, a ranking's first, the card judged), set when a conversation keeps
    # the request: what "and its bandwidth?" or "can it run llama 3 70b?" points back to (bot.followup).
    about: list[str] = field(default_factory=list)
    owned: list[str] = field(default_factory=list)  # the asker's own cards, named as context ("I have a 3060, ...")


#: The public intent of each request kind.
INTENT_OF: dict[str, Intent] = {
    "lookup": "lookup",
    "compare": "compare",
    "property": "compare",
    "formats": "lookup",
    "psu": "lookup",
    "setup": "compare",
    "rank": "recommend",
    "list": "recommend",
    "pick": "recommend",
    "verdict": "recommend",
    "fit": "fits",
    "fit_pick": "recommend",
    "faq": "faq",
    "software": "faq",
    "clarify": "clarify",
    "outside": "unknown",
    "unknown": "unknown",
}


def budget_text(q: Query) -> str:
    """The budget as asked: "$1,500", or "800 EUR" for a budget in another currency."""
    if q.budget_usd is None:
        return ""
    if q.budget_currency and q.budget_currency != "usd":
        return f"{q.budget_usd:,.0f} {q.budget_currency.upper()}"
    return f"${q.budget_usd:,.0f}"
