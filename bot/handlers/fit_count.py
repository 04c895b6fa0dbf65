"""How many cards a model needs: "how many 4090s do I need for llama 405b?", "how many h100s to fine-tune a 70b?".

The answer leads with the fewest cards of the kind named that hold it, found with the estimator at every count (a
tensor-parallel runtime — vLLM, SGLang, TGI — splits over a power of two), and goes on as a fit answer for that
many. With no precision asked it counts for the lowest precision that keeps 4-bit quality (Q4_K_M, or the model's
own when smaller) and says what the model's own precision would take; a fine-tune shards its weights across the
cards (FSDP) unless the question names another strategy.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

from bot.catalog import GPU
from bot.estimator_runtime import Budget
from bot.estimator_speed import TENSOR_PARALLEL_RUNTIMES
from bot.estimator_strategy import SHARDING
from bot.handlers.clarify import meant
from bot.handlers.context import HandlerContext
from bot.handlers.fit_memory import capacity_of, usable_gb
from bot.handlers.fit_plan import FitPlan, fit_plan
from bot.handlers.fit_precision import native_precision, pick_precision, precision_label
from bot.parser import Query

__all__ = ["MAX_CARDS", "CountedPlan", "as_typed", "common_name", "counted_cards", "fewest_cards", "smallest_first"]

#: The most cards a count is searched up to (a few 8-GPU nodes).
MAX_CARDS = 64


@dataclasses.dataclass(frozen=True, slots=True)
class CountedPlan:
    """The fewest cards that hold the model, the plan for that many, and the sentence that leads the answer."""

    gpu: GPU
    count: int
    plan: FitPlan
    lead: str
    counted: tuple[str, ...] = ()  # every card counted (an ambiguous name's candidates), the plan's first


def fewest_cards(ctx: HandlerContext, s: FitPlan, cards: list[GPU]) -> CountedPlan | None:
    """The fewest of each of ``cards`` (one card, or the candidates of an ambiguous name, least memory first) that
    hold ``s``'s model, led by the first's plan: at the asked precision, else the model's own when it needs no
    more cards than the lowest that keeps 4-bit quality, else that one. None when more than :data:`MAX_CARDS`
    would be needed."""
    if not cards:
        return None  # "how many gpus for llama 70b": no card to count
    precision, other = _precisions(ctx, s, cards[0])
    found = [(gpu, _fewest(ctx, s, gpu, precision)) for gpu in cards]
    counted = [(gpu, c) for gpu, c in found if c is not None]
    if not counted:
        return None
    gpu, (count, plan) = counted[0]
    how = f" in {precision_label(s.model, precision)}" if s.mode == "inference" else ""
    per_card = f": about {plan.est.per_gpu_gb:,.1f} GB per card" if len(cards) == 1 else ""
    if len(cards) == 1 and _borderline_below(ctx, s, gpu, precision, count):
        per_card += f" ({count - 1} would hold it only just, within the estimate's margin)"
    lead = f"You need {_how_many(counted)} to {s.verb} {s.model.name}{how}{per_card}."
    if other is not None:
        more = _fewest(ctx, s, gpu, other)
        label = precision_label(s.model, other)
        where = f" of the {gpu.short_name}" if len(cards) > 1 else ""
        lead += (
            f" In {label} it would take {more[0]}{where}."
            if more
            else f" In {label} not even {MAX_CARDS}{where} would hold it."
        )
    return CountedPlan(gpu, count, plan, lead, tuple(g.id for g, _ in counted))


def smallest_first(gpu: GPU) -> tuple[float, float, str]:
    """Least memory first, then least bandwidth: the order an ambiguous name's candidates are weighed in."""
    return (gpu.number("memory_gb") or 0.0, gpu.number("memory_bandwidth_gbs") or 0.0, gpu.id)


def as_typed(gpus: list[GPU], typed: str, end: int) -> int:
    """Which card to report when the answer holds for all: of those with the memory of the reported ``end``
    (least memory for a fit, most for none), the one whose name has the most of the typed words as whole words
    ("v100 32gb": a Tesla V100, not the V100S), else the one at the end."""
    words = set(typed.lower().replace("-", " ").split())
    memory = gpus[end].number("memory_gb")

    def typed_words(gpu: GPU) -> int:
        return len(words & set(f"{gpu.name} {gpu.short_name}".lower().replace("-", " ").split()))

    tied = [i for i, g in enumerate(gpus) if g.number("memory_gb") == memory]
    best = max(typed_words(gpus[i]) for i in tied)
    at_end = range(len(gpus))[end]
    return at_end if typed_words(gpus[at_end]) == best else next(i for i in tied if typed_words(gpus[i]) == best)


def _precisions(ctx: HandlerContext, s: FitPlan, gpu: GPU) -> tuple[str, str | None]:
    """The precision to count for, and the other one to mention (None: none)."""
    if s.mode != "inference":
        return s.precision, None
    if s.req.precision:
        return s.req.precision, None
    own, low = native_precision(s.model), pick_precision(s.model)
    if own == low:
        return own, None
    at_own, at_low = _fewest(ctx, s, gpu, own), _fewest(ctx, s, gpu, low)
    if at_own is not None and at_low is not None and at_own[0] == at_low[0]:
        return own, None  # as many cards either way: the model's own precision, at full quality
    return low, own


def _how_many(counted: list[tuple[GPU, tuple[int, FitPlan]]]) -> str:
    """ "11× GeForce RTX 4090", "one GeForce RTX 4090", "9× H100 PCIe or H100 SXM5, or 8× H100 NVL"."""
    by_count: dict[int, list[str]] = {}
    for gpu, (count, _) in counted:
        by_count.setdefault(count, []).append(gpu.short_name)
    parts = [(f"{count}× " if count > 1 else "one ") + " or ".join(names) for count, names in sorted(by_count.items())]
    return ", or ".join(parts)


def _fewest(ctx: HandlerContext, s: FitPlan, gpu: GPU, precision: str) -> tuple[int, FitPlan] | None:
    """The smallest count (from a lower bound the one-card estimate gives) whose plan fits on ``gpu`` with room to
    spare; a borderline one only when no count up to the limit fits comfortably."""
    one = _plan(s, precision, 1, gpu, ctx)
    room = usable_gb(ctx, gpu)
    start = max(1, math.floor(one.est.total_gb / room)) if room > 0 else 1
    tight: tuple[int, FitPlan] | None = None
    for count in _counts(s.budget, start):
        plan = one if count == 1 else _plan(s, precision, count, gpu, ctx)
        verdict = plan.est.verdict(capacity_of(ctx, gpu, plan.budget, count))
        if verdict == "fits":
            return count, plan
        if verdict != "does not fit" and tight is None:
            tight = count, plan
    return tight


def _borderline_below(ctx: HandlerContext, s: FitPlan, gpu: GPU, precision: str, count: int) -> bool:
    """Whether one card fewer than ``count`` holds it, but only within the estimate's margin."""
    if count <= 1:
        return False
    fewer = _plan(s, precision, count - 1, gpu, ctx)
    return fewer.est.verdict(capacity_of(ctx, gpu, fewer.budget, count - 1)) == "tight"


def _counts(budget: Budget, start: int) -> list[int]:
    """The counts to try from ``start``: every one, or powers of two for a tensor-parallel runtime."""
    if budget.id in TENSOR_PARALLEL_RUNTIMES:
        return [n for n in (2**k for k in range(7)) if n >= start]
    return list(range(start, MAX_CARDS + 1))


def _plan(s: FitPlan, precision: str, count: int, gpu: GPU, ctx: HandlerContext) -> FitPlan:
    inference = s.mode == "inference"
    strategy = s.req.strategy or (None if inference or count == 1 else SHARDING[0])
    req = dataclasses.replace(
        s.req, precision=precision if inference else s.req.precision, strategy=strategy, gpus_count=count
    )
    vram = usable_gb(ctx, gpu) * count * 1e9 / 2**30
    return fit_plan(req, s.model, s.model_id, count, budget=s.budget, vram_gib=vram)


def counted_cards(ctx: HandlerContext, q: Query, gpu: GPU | None) -> list[GPU]:
    """The cards a count is asked of: the one named, or an ambiguous name's candidates (least memory first)."""
    if gpu is not None:
        return [gpu]
    if not q.ambiguous:
        return []
    return sorted((ctx.catalog.gpus[g] for g in meant(ctx, q, q.ambiguous[0])), key=smallest_first)


def common_name(ctx: HandlerContext, q: Query, counted: CountedPlan) -> str:
    """The card counted, or what an ambiguous name's candidates share ("H100" of H100 PCIe, SXM5 and NVL)."""
    if q.gpus or not q.ambiguous:
        return counted.gpu.short_name
    names = [ctx.catalog.gpus[g].short_name.split() for g in meant(ctx, q, q.ambiguous[0])]
    shared = [w[0] for w in itertools.takewhile(lambda w: len(set(w)) == 1, zip(*names, strict=False))]
    return " ".join(shared) or q.ambiguous[0].text
