"""Why a card scores as it does for a workload, and what would make another the better choice."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.advisor import Advice, Scored
from bot.answer import Answer
from bot.catalog import GPU
from bot.handlers.context import HandlerContext, about_cards, fmt_ratio, lacks
from bot.wording import noun

__all__ = ["changes", "deciding", "fp32_convention", "relative"]


def relative(r: float) -> str:
    """``1.5×`` for more, ``72% of`` for less, ``same as`` for equal."""
    if abs(r - 1) < 0.005:
        return "same as"
    return fmt_ratio(r) if r > 1 else f"{r * 100:.0f}% of"


def deciding(ctx: HandlerContext, advice: Advice, s: Scored, other: Scored | None) -> str:
    """The specs the workload weighs, for ``s`` (each relative to ``other``'s when given); the same for the same
    specs and cards, so built once (:func:`~bot.handlers.context.about_cards`)."""
    keys = tuple(advice.workload.weights)
    gpus = (s.gpu,) if other is None else (s.gpu, other.gpu)
    return about_cards(ctx, ("deciding", keys, *(g.id for g in gpus)), gpus, lambda: _deciding(ctx, keys, s, other))


def _deciding(ctx: HandlerContext, keys: Sequence[str], s: Scored, other: Scored | None) -> str:
    parts = []
    for key in keys:
        fdef = ctx.catalog.fields[key]
        mine = ctx.catalog.comparable(s.gpu, key)
        missing = lacks(ctx, s.gpu, key)
        text = f"{fdef.label} {f'none (no {missing})' if missing else fdef.format_value(s.gpu.get(key))}"
        if other is not None and mine and (theirs := ctx.catalog.comparable(other.gpu, key)):
            text += f" ({relative(mine / theirs)} the {other.gpu.short_name})"
        parts.append(text)
    return "; ".join(parts)


def changes(ctx: HandlerContext, advice: Advice, pick: Scored, alt: Scored) -> list[str]:
    """What would make ``alt`` the better choice: where it beats the pick."""
    keys = ("launch_price_usd", "tdp_w", "slots", *advice.workload.weights, "memory_gb", "nvlink")
    wins = [text for key in dict.fromkeys(keys) if (text := _beats(ctx, key, pick.gpu, alt.gpu))]
    if not wins:
        return []
    said = wins[:3]
    listed = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " or " + said[-1]
    return [f"Pick the {alt.gpu.short_name} instead if {listed} matters more to you."]


def _beats(ctx: HandlerContext, key: str, mine_gpu: GPU, alt_gpu: GPU) -> str | None:
    """ "slot width (1 vs 2)" when ``alt_gpu`` is better than ``mine_gpu`` on ``key``; None otherwise."""
    fdef = ctx.catalog.fields[key]
    mine, theirs = mine_gpu.get(key), alt_gpu.get(key)
    if mine is None or theirs is None or mine == theirs or fdef.better is None:
        return None
    if fdef.type in ("int", "float"):
        mine_n, theirs_n = ctx.catalog.comparable(mine_gpu, key), ctx.catalog.comparable(alt_gpu, key)
        better = (theirs_n or 0) > (mine_n or 0) if fdef.better == "higher" else (theirs_n or 0) < (mine_n or 0)
    else:
        better = (theirs > mine) if fdef.better == "higher" else (theirs < mine)  # type: ignore[operator]
    return f"{noun(fdef)} ({fdef.format_value(theirs)} vs {fdef.format_value(mine)})" if better else None


def fp32_convention(ctx: HandlerContext, a: Answer, gpus: Sequence[GPU], keys: Iterable[str]) -> None:
    """Say so when a score compared a dual-issue FP32 figure at the common convention."""
    if "fp32_tflops" not in keys:
        return
    for gpu in gpus:
        quoted, single = gpu.number("fp32_tflops"), ctx.catalog.comparable(gpu, "fp32_tflops")
        if quoted is not None and single is not None and single != quoted:
            a.notes.append(
                f"{gpu.short_name}: the vendor's FP32 figure ({quoted:g} TFLOPS) counts dual issue, 4 FLOPs "
                f"per shader per clock; scores and ratios here count 2, as NVIDIA and Intel quote it "
                f"({single:.3g} TFLOPS)."
            )
