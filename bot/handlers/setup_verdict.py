"""What decides between setups (count × card): the measures the verdict weighs, and the verdict.

A setup is ``count`` of one card. With a model, each setup holds the first plan of a ladder it can
(the asked precision or training method, then lighter ones), and a setup that holds none loses. The
measures are then weighed in order; the first that separates the setups still in the running decides
between them, and a measure with an unknown value for any of them is passed over.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from bot.answer import Answer
from bot.catalog import GPU
from bot.estimator import BYTES_PER_PARAM, ModelShape, decode_tokens_per_s
from bot.handlers.context import HandlerContext, total, total_price, value
from bot.handlers.fit_options import LOWER_PRECISIONS
from bot.handlers.fit_plan import FitPlan, fit_plan
from bot.handlers.fit_precision import precision_label, precision_ladder
from bot.parser import FitRequest

__all__ = [
    "Holding",
    "Measure",
    "Setup",
    "Verdict",
    "decide",
    "field_measure",
    "held_text",
    "holding",
    "ladder",
    "measures_for",
    "plan_name",
    "price_measure",
    "split_speed",
]

#: Workloads whose work does not split one model across cards: memory per card decides what fits.
_PER_CARD_WORKLOADS = ("image_generation", "rendering")
#: Workloads that decode tokens: every token reads the weights, so memory bandwidth sets the speed (the workloads'
#: own weights in specs/workloads.yaml put it after memory for LLMs and inference).
_BANDWIDTH_WORKLOADS = ("inference", "llm")
#: Workloads that train: splitting a model over cards costs speed and PCIe traffic at every step.
_TRAINING_WORKLOADS = ("training", "fine_tuning")
_LIGHTER_TRAINING = {"full": ("lora", "qlora"), "lora": ("qlora",)}
_METHOD = {"full": "a full fine-tune", "lora": "LoRA", "qlora": "QLoRA"}


@dataclass(frozen=True, slots=True)
class Holding:
    """How a setup holds the model: the first plan of the ladder that fits (``step``), or none."""

    plan: FitPlan  # the plan it holds; the lightest tried when it holds none
    request: FitRequest  # the request that plan answers
    step: int  # index in the ladder; the ladder's length when it holds none
    verdict: str  # fits | tight | does not fit
    asked: FitPlan  # the asked plan on this setup
    capacity: float = 0.0  # GB per card the plan's runtime may use (the card's usable memory, bot.handlers.fit_memory)

    @property
    def holds(self) -> bool:
        return self.verdict != "does not fit"


@dataclass(frozen=True, slots=True)
class Setup:
    """``count`` of one card: "2× GeForce RTX 3090"."""

    gpu: GPU
    count: int
    holding: Holding | None = None  # with a model: the best plan it holds

    @property
    def name(self) -> str:
        return f"{self.count}× {self.gpu.short_name}"

    def number(self, key: str, per_card: bool = False) -> float | None:
        """The card's ``key``, times the count unless ``per_card``; None when unknown."""
        number = self.gpu.number(key)
        return None if number is None else number * (1 if per_card else self.count)


@dataclass(frozen=True, slots=True)
class Measure:
    """One thing the verdict weighs: a score per setup (higher is better; None: unknown) and how it reads."""

    what: str  # "memory in total"
    scores: tuple[float | None, ...]
    shown: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Verdict:
    """The winning setup (an index; None for a tie or when none holds the model) and what decided it: each
    measure that narrowed the field, with the setups still in the running when it was weighed."""

    winner: int | None
    decided_by: tuple[tuple[Measure, tuple[int, ...]], ...]
    tied: tuple[int, ...] = ()


# -- the model on each setup ------------------------------------------------------------------


def plan_name(plan: FitPlan) -> str:
    """ "Q4_K_M (4-bit GGUF)" for inference, "QLoRA" for training."""
    if plan.mode == "inference":
        return precision_label(plan.model, plan.precision)
    return _METHOD[plan.mode]


def ladder(req: FitRequest) -> list[FitRequest]:
    """The asked plan, then lighter ones: lower precisions for inference, LoRA then QLoRA for training."""
    if req.mode != "inference":
        lighter = _LIGHTER_TRAINING.get(req.mode, ())
        return [req, *(dataclasses.replace(req, mode=mode, precision=None) for mode in lighter)]
    steps = [req]
    smallest = BYTES_PER_PARAM.get(req.precision or "fp16", 2.0)
    for precision in LOWER_PRECISIONS:
        if BYTES_PER_PARAM[precision] < smallest:  # one precision per size: FP8 and 8-bit weigh the same
            steps.append(dataclasses.replace(req, precision=precision))
            smallest = BYTES_PER_PARAM[precision]
    return steps


def holding(
    gpu: GPU,
    count: int,
    steps: Sequence[FitRequest],
    model: ModelShape,
    model_id: str | None,
    capacity: float | None = None,
) -> Holding:
    """The first plan of ``steps`` that ``count`` of ``gpu`` hold, against ``capacity`` GB per card (what the runtime
    may use of the card's usable memory; the catalog's memory when not given); no precision asked: the model's own
    ladder (:func:`bot.handlers.fit_precision.precision_ladder`), as a single fit question answers."""
    room = capacity if capacity is not None else gpu.number("memory_gb") or 0.0
    if steps and steps[0].mode == "inference" and steps[0].precision is None:
        steps = [steps[0], *(dataclasses.replace(steps[0], precision=p) for p in precision_ladder(model)[1:])]
    asked = plan = fit_plan(steps[0], model, model_id, count)
    for step, req in enumerate(steps):
        for spread in _spreads(req, gpu, count):
            plan = asked if step == 0 and spread is req else fit_plan(spread, model, model_id, count)
            verdict = plan.est.verdict(room)
            if verdict != "does not fit":
                return Holding(plan, spread, step, verdict, asked, room)
    return Holding(plan, steps[-1], len(steps), "does not fit", asked, room)


def _spreads(req: FitRequest, gpu: GPU, count: int) -> list[FitRequest]:
    """Training on several cards with no strategy named: a full copy on each (data-parallel), then the job spread
    over the cards: sharded with FSDP over NVLink, else split by layers over PCIe."""
    if req.mode == "inference" or count < 2 or req.strategy:
        return [req]
    return [req, dataclasses.replace(req, strategy="fsdp-full-shard" if gpu.get("nvlink") else "pipeline")]


def split_speed(setup: Setup) -> tuple[float, float] | None:
    """Inference: decode tokens/s for one sequence, split by layers (one card's bandwidth at a time) and
    with tensor parallel (every card's, less two all-reduces per layer); None without an estimate."""
    h = setup.holding
    bandwidth = setup.gpu.number("memory_bandwidth_gbs")
    if h is None or not h.holds or not bandwidth:
        return None
    memory, nvlink = str(setup.gpu.get("memory_type") or ""), bool(setup.gpu.get("nvlink"))
    layer, tensor = (
        decode_tokens_per_s(
            h.plan.model, h.plan.est, bandwidth, setup.count, memory_type=memory, nvlink=nvlink, runtime=runtime
        )
        for runtime in ("llama.cpp", "vllm")
    )
    return (layer, tensor) if layer and tensor else None


_SPLIT_OVER_PCIE = "the model is split over PCIe: count on one card working at a time"


def _how_it_trains(setup: Setup) -> str:
    """Training on several cards: data parallel when each holds the whole job; sharded (FSDP/ZeRO) when the
    cards share NVLink; else the split goes over PCIe at every step, and only one card's work is sure."""
    h = setup.holding
    if setup.count == 1 or h is None or not h.holds:
        return ""
    alone = fit_plan(h.request, h.plan.model, h.plan.model_id, 1)
    if alone.est.verdict(h.capacity) != "does not fit":
        return "a full copy on each card: data parallel"
    if setup.gpu.get("nvlink"):
        return "the model is sharded over NVLink with FSDP or ZeRO: every card works"
    return _SPLIT_OVER_PCIE


# -- measures ---------------------------------------------------------------------------------


def field_measure(
    ctx: HandlerContext,
    a: Answer,
    setups: Sequence[Setup],
    what: str,
    key: str,
    per_card: bool,
    lower: bool = False,
    terms: bool = True,
) -> Measure:
    """A catalog field per card or in total (with its terms, "48 GB (2 × 24 GB)", unless not ``terms``);
    the cells cite the card's value."""
    scores = []
    shown = []
    for s in setups:
        number = s.number(key, per_card)
        scores.append(None if number is None else (-number if lower else number))
        if per_card or s.count == 1:
            shown.append(value(ctx, a, s.gpu, key))
            continue
        summed = total(ctx, a, s.gpu, key, s.count) or "unknown"
        shown.append(f"{summed} ({s.count} × {value(ctx, a, s.gpu, key)})" if terms and number is not None else summed)
    return Measure(what, tuple(scores), tuple(shown))


def price_measure(ctx: HandlerContext, a: Answer, setups: Sequence[Setup], terms: bool = True) -> Measure:
    """The price of every card of the setup, lower is better: "$2,998 at launch MSRP (2 × $1,499)"."""
    scores: list[float | None] = []
    shown = []
    for s in setups:
        usd = ctx.prices.usd(s.gpu)
        scores.append(None if usd is None else -usd * s.count)
        text = total_price(ctx, a, s.gpu, s.count) or "no public price"
        shown.append(f"{text} ({s.count} × ${usd:,.0f})" if terms and usd is not None and s.count > 1 else text)
    return Measure("price", tuple(scores), tuple(shown))


def _cards(setups: Sequence[Setup]) -> Measure:
    return Measure(
        "fewer cards",
        tuple(-float(s.count) for s in setups),
        tuple(f"{s.count} card{'s' * (s.count > 1)}" for s in setups),
    )


def held_text(h: Holding, asked_precision: bool) -> str:
    """ "Yes, in FP16", "At best in Q4_K_M (4-bit GGUF), tight", "Only with QLoRA", "No, not even in Q2_K"."""
    if not h.holds:
        return f"No, not even {'with' if h.plan.mode != 'inference' else 'in'} {plan_name(h.plan)}"
    how = "with" if h.plan.mode != "inference" else "in"
    if h.step == 0:
        lead = f"Yes, {how}"
    else:
        lead = "Only " + how if asked_precision or h.plan.mode != "inference" else "At best in"
    return f"{lead} {plan_name(h.plan)}" + (", tight" if h.verdict == "tight" else "")


def _holds(setups: Sequence[Setup], asked_precision: bool) -> Measure:
    """The plan each setup holds: the asked one beats a lighter one, and a comfortable fit a tight one."""
    scores: list[float | None] = []
    shown = []
    for s in setups:
        h = s.holding
        assert h is not None  # noqa: S101 - only with a model
        scores.append(None if s.gpu.number("memory_gb") is None else -(2.0 * h.step + (h.verdict == "tight")))
        shown.append(held_text(h, asked_precision))
    return Measure("what each holds", tuple(scores), tuple(shown))


def _model_speed(ctx: HandlerContext, a: Answer, setups: Sequence[Setup]) -> Measure:
    """The speed a setup is sure to give: decode split by layers for inference; for training, every card's
    FP16 tensor when each holds a full copy or the cards share NVLink, else one card's (:func:`_how_it_trains`)."""
    scores: list[float | None] = []
    shown = []
    for s in setups:
        h = s.holding
        assert h is not None  # noqa: S101 - only with a model
        if h.plan.mode == "inference":
            speed = split_speed(s)
            scores.append(speed[0] if speed else None)
            shown.append(f"about {speed[0]:,.0f} tokens/s" if speed else "unknown")
            continue
        tensor = s.number("fp16_tensor_tflops", per_card=True)
        how = _how_it_trains(s)
        n = 1 if how == _SPLIT_OVER_PCIE else s.count
        scores.append(None if tensor is None else tensor * n)
        per_card = value(ctx, a, s.gpu, "fp16_tensor_tflops")
        shown.append(f"{n} × {per_card} ({how})" if s.count > 1 and n > 1 else per_card + (f" ({how})" if how else ""))
    inference = setups[0].holding is not None and setups[0].holding.plan.mode == "inference"
    what = "decode speed for one sequence" if inference else "the FP16 tensor you can count on"
    return Measure(what, tuple(scores), tuple(shown))


def measures_for(
    ctx: HandlerContext, a: Answer, setups: Sequence[Setup], workload: str | None, asked_precision: bool = False
) -> list[Measure]:
    """The measures in the order they decide, for a model (if each setup holds one) or a workload."""
    power = field_measure(ctx, a, setups, "board power", "tdp_w", per_card=False, lower=True)
    price = price_measure(ctx, a, setups)
    if setups and setups[0].holding is not None:
        plan = setups[0].holding.plan
        speech = plan.model_id is not None and ctx.models[plan.model_id].kind == "speech"
        if plan.mode == "inference" and (plan.model.components or speech):
            # An image pipeline: no tokens to decode; denoising is compute-bound, so the card's compute decides
            # (FP32 where a card has no published tensor figure). A speech model (Whisper) spends its time in the
            # encoder, a batch over 1,500 audio frames per 30 s window: compute-bound too, its small decoder aside.
            compute = [
                field_measure(ctx, a, setups, "FP16 tensor per card", "fp16_tensor_tflops", per_card=True),
                field_measure(ctx, a, setups, "FP32 per card", "fp32_tflops", per_card=True),
            ]
            return [_holds(setups, asked_precision), *compute, price, power, _cards(setups)]
        return [_holds(setups, asked_precision), _model_speed(ctx, a, setups), price, power, _cards(setups)]
    memory_per_card = field_measure(ctx, a, setups, "memory per card", "memory_gb", per_card=True)
    tensor_per_card = field_measure(ctx, a, setups, "FP16 tensor per card", "fp16_tensor_tflops", per_card=True)
    if workload in _PER_CARD_WORKLOADS:
        # One image or scene per card: memory per card decides what fits; more cards work in parallel.
        if workload == "rendering":
            speed = field_measure(ctx, a, setups, "FP32 in total", "fp32_tflops", per_card=False)
        else:
            speed = tensor_per_card
        return [memory_per_card, speed, price, power]
    if workload in _TRAINING_WORKLOADS:
        # Training splits a model across cards only at a cost: the memory each card has decides first.
        return [memory_per_card, tensor_per_card, _cards(setups), price, power]
    if workload == "computer_vision":
        tensor = field_measure(ctx, a, setups, "FP16 tensor in total", "fp16_tensor_tflops", per_card=False)
        return [tensor, memory_per_card, price, power]
    memory = field_measure(ctx, a, setups, "memory in total", "memory_gb", per_card=False)
    if workload in _BANDWIDTH_WORKLOADS:
        speed = field_measure(ctx, a, setups, "memory bandwidth per card", "memory_bandwidth_gbs", per_card=True)
    else:
        speed = tensor_per_card
    return [memory, speed, _cards(setups), price, power]


def decide(measures: Sequence[Measure], count: int) -> Verdict:
    """Weigh ``measures`` in order over ``count`` setups: each keeps only the best of those still in."""
    alive = list(range(count))
    decided: list[tuple[Measure, tuple[int, ...]]] = []
    for m in measures:
        if len(alive) == 1:
            break
        scores = [m.scores[i] for i in alive]
        if any(s is None for s in scores):
            continue
        best = max(s for s in scores if s is not None)
        kept = [i for i in alive if m.scores[i] == best]
        if len(kept) < len(alive):
            decided.append((m, tuple(alive)))
            alive = kept
    if len(alive) > 1:
        return Verdict(None, tuple(decided), tuple(alive))
    return Verdict(alive[0], tuple(decided))
