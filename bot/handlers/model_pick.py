"""The pick that must hold a model: "best card under $2000 for fine-tuning 7B models?".

Memory first (only cards with enough count), then the workload's scoring or, for "cheapest", the
price. Falls back to lighter setups (lower precision, LoRA, QLoRA) when nothing within the
constraints holds the requested one, and says so.
"""

from __future__ import annotations

from bot.advisor import Scored, rank_by_field
from bot.answer import Answer
from bot.estimator import ModelShape
from bot.estimator_strategy import SHARDING, STRATEGY_SHORT
from bot.handlers.cloud_pick import cloud_pick
from bot.handlers.context import (
    MARKET_NONE,
    HandlerContext,
    Limits,
    best_within,
    market_segments,
    pick_limits,
    price_text,
    wants_laptop,
)
from bot.handlers.fit_help import fits_help
from bot.handlers.fit_options import fit_model, held_with, plan_label, variants
from bot.handlers.fit_precision import pick_precision
from bot.handlers.pick import VALUE_FOCUS, workload_pick
from bot.handlers.ranking import rank
from bot.handlers.request_slots import asks_cheapest
from bot.parser import FitRequest, Query

__all__ = ["model_pick"]

# How a non-CUDA card runs the usual tools, for one-line mentions (the full text is in specs/software.yaml).
_STACK_HINT = {"rocm": "runs through ROCm", "xpu": "runs through PyTorch's XPU device", "cuda-legacy": "needs CUDA 12"}

Plan = tuple[str, str]  # (mode, precision)


def model_pick(ctx: HandlerContext, q: Query) -> Answer:
    """The best (or cheapest) card that holds the model, for the asked setup or the lightest that fits."""
    req = q.fit
    assert req is not None  # noqa: S101 - only questions with a fit request come here
    if req.instances:
        return cloud_pick(ctx, q)  # "what size ec2 instance do i need for gpt-j 6b"
    model, model_id = fit_model(ctx, req)
    if model is None:
        return fits_help(ctx, q)
    plans = _plans(req, model, model_id is not None and ctx.models[model_id].kind == "llm")
    context = req.context or (2048 if req.mode != "inference" else 4096)
    cheapest = asks_cheapest(q)
    tried: list[str] = []
    for mode, precision in plans:
        est = variants(model, mode, precision, context, 1)
        held = held_with(ctx, req, precision, context)
        need = est.per_gpu_gb + sum(gb for _, gb in held)
        # cards offer their marketed GB as GiB: the need in GiB is the marketed size that holds it (ECC aside)
        limits = {**q.limits, "memory_gb": {"min": round(need * 1e9 / 2**30, 1)}}
        sub = _holding(q, limits, cheapest)
        answer = rank(ctx, sub) if sub.rank_field else workload_pick(ctx, sub)
        if sub.rank_field and answer.table is not None and answer.table.gpu_ids:
            answer.recommendation = answer.table.gpu_ids[0]
            spread = SHARDING[0] if mode != "inference" else None  # training: a pair helps only when sharded
            pair_need = variants(model, mode, precision, context, 2, strategy=spread).per_gpu_gb
            _pair_instead(ctx, answer, limits, pair_need, spread)
        label = plan_label(model, mode, precision) + _together(est.per_gpu_gb, held)
        if answer.recommendation:
            lead = f"To {label} you need about {need:,.1f} GB of GPU memory, so only cards with at least that count."
            if tried:
                lead = f"{_nothing_within(ctx, q)} can {tried[0]}. " + lead
            answer.title = f"{'Cheapest' if sub.rank_field else 'Best'} GPU to {label}"
            answer.summary = (
                lead
                + " "
                + answer.summary.replace(
                    VALUE_FOCUS, " Among the cards that hold it, performance per launch dollar weighs more."
                )
            )
            answer.notes.append("Memory estimate: " + "; ".join(est.assumptions) + ".")
            answer.fields = ["memory_gb", *[f for f in answer.fields if f != "memory_gb"]]
            if ctx.prices.usd(ctx.catalog.gpus[answer.recommendation]) is None and not wants_laptop(q):
                later = plans[plans.index((mode, precision)) + 1 :]
                _lighter_on_a_priced_card(ctx, q, answer, model, later, context)
            return answer
        tried.append(f"{label} (about {need:,.1f} GB)")
    answer.summary = "No GPU within those constraints holds it: " + "; ".join(tried) + "."
    return answer


def _nothing_within(ctx: HandlerContext, q: Query) -> str:
    """ "Nothing within your constraints", or the market the pick was made in when that is all that limits it."""
    constrained = q.limits or q.budget_usd is not None or q.vendor or q.require_true or q.modifiers
    segments = market_segments(ctx, q)
    return "Nothing within your constraints" if constrained or not segments else MARKET_NONE[segments]


def _together(own_gb: float, held: list[tuple[str, float]]) -> str:
    """ " (about 4.7 GB) and Llama 3.1 8B (about 17.6 GB) at the same time": the plan's label continued."""
    if not held:
        return ""
    others = " and ".join(f"{name} (about {gb:,.1f} GB)" for name, gb in held)
    return f" (about {own_gb:,.1f} GB) and {others} at the same time"


def _plans(req: FitRequest, model: ModelShape, llm: bool) -> list[Plan]:
    """The asked setup, then lighter ones: lower precisions for inference, LoRA then QLoRA for training. No
    precision asked for a catalog language model: cards are sized for the lowest precision that keeps 4-bit
    quality (Q4_K_M, or the model's own MXFP4/FP8 when smaller), not FP16. A bare size ("14b models") may be a
    diffusion or video model with no GGUF release: 16-bit first, as before."""
    if req.mode == "inference" and req.precision is None and llm:
        return [(req.mode, pick_precision(model))]
    if req.mode == "inference":
        return [(req.mode, p) for p in dict.fromkeys([req.precision or "fp16", "int8", "q4_k_m"])]
    ladder = {"full": ["full", "lora", "qlora"], "lora": ["lora", "qlora"], "qlora": ["qlora"]}[req.mode]
    return [(m, "nf4" if m == "qlora" else "fp16") for m in ladder]


def _holding(q: Query, limits: Limits, cheapest: bool) -> Query:
    """The question as a plain recommendation among cards with enough memory (by price when "cheapest")."""
    sub = Query(
        text=q.text,
        intent="recommend",
        workload=q.workload,
        modifiers=list(q.modifiers),
        budget_usd=q.budget_usd,
        value_focus=q.value_focus,
        limits=limits,
        require_true=list(q.require_true),
        vendor=q.vendor,
        budget_currency=q.budget_currency,
        buyable=q.buyable,
        laptop=q.laptop,
    )
    if cheapest:
        # "cheapest card that can run llama 3 70b in 4 bit": by price among the cards that hold it
        sub.rank_field, sub.rank_lowest = "launch_price_usd", True
    return sub


def _pair_instead(
    ctx: HandlerContext, answer: Answer, limits: Limits, pair_need: float, spread: str | None = None
) -> None:
    """Two cheaper cards that hold it between them, when the pair costs less than the one card."""
    assert answer.recommendation is not None  # noqa: S101 - set by the caller
    pair = rank_by_field(
        ctx.catalog,
        "launch_price_usd",
        lowest=True,
        gpus=ctx.priced,
        budget_usd=None,
        require={**limits, "memory_gb": {"min": round(pair_need * 1e9 / 2**30, 1)}},
        price=ctx.prices.usd,
    )[0]
    single = ctx.prices.usd(ctx.catalog.gpus[answer.recommendation])
    if pair and single and 2 * (ctx.prices.usd(pair[0]) or 0) < single:
        answer.bullets.append(
            f"Two {pair[0].short_name} cards hold it split across them"
            f"{f' with {STRATEGY_SHORT[spread]}' if spread else ''} (about {pair_need:,.1f} GB "
            f"each) for {price_text(ctx, answer, pair[0])} apiece."
        )


def _lighter_on_a_priced_card(
    ctx: HandlerContext, q: Query, answer: Answer, model: ModelShape, plans: list[Plan], context: int
) -> None:
    """Only server parts hold it: say what a lighter setup needs on a card one can buy."""
    for mode, precision in plans:
        need = variants(model, mode, precision, context, 1).per_gpu_gb
        lighter = _priced_pick(ctx, q, need)
        if lighter is not None:
            stack = ctx.catalog.software_for(lighter.gpu)
            hint = _STACK_HINT.get(stack.id, "") if stack else ""
            answer.bullets.append(
                f"To {plan_label(model, mode, precision)} instead (about {need:,.1f} GB): "
                f"the {lighter.gpu.short_name} ({price_text(ctx, answer, lighter.gpu)}"
                f"{'; ' + hint if hint else ''})."
            )


def _priced_pick(ctx: HandlerContext, q: Query, need_gb: float) -> Scored | None:
    """The best card with a public price that holds ``need_gb``, within the question's constraints."""
    limits = {**q.limits, "memory_gb": {"min": round(need_gb * 1e9 / 2**30, 1)}}  # marketed GB are GiB
    workload = q.workload or "general"
    advice = ctx.advise(workload, ctx.priced, q.budget_usd, True, tuple(q.modifiers), pick_limits(ctx, q, limits))
    return best_within(advice)
