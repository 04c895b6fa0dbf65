"""A spec per dollar or per watt: "bandwidth per dollar", "4090 vs 5090 price per GB"."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.answer import Answer
from bot.catalog import GPU
from bot.handlers.context import HandlerContext, value

__all__ = ["field_label", "per_label", "per_text", "per_unit", "per_value", "ratio_bullet"]


def per_value(ctx: HandlerContext, key: str, per: str) -> Callable[[GPU], float | None]:
    """``key`` per dollar (current price where listed, else launch MSRP) or per watt of board power; a price
    divided by a spec ("price per GB") is the same price."""

    def amount(gpu: GPU, k: str) -> float | None:
        return ctx.prices.usd(gpu) if k == "launch_price_usd" else ctx.catalog.comparable(gpu, k)

    def ratio(gpu: GPU) -> float | None:
        top = amount(gpu, key)
        bottom = ctx.prices.usd(gpu) if per == "launch_price_usd" else gpu.number(per)
        return top / bottom if top is not None and bottom else None

    return ratio


def field_label(ctx: HandlerContext, key: str) -> str:
    """A field's label; a price is "Price" when the operator lists current prices (it is then no launch MSRP)."""
    return "Price" if key == "launch_price_usd" and ctx.prices.current else ctx.catalog.fields[key].label


def per_unit(ctx: HandlerContext, per: str) -> str:
    """The unit divided by: ``$``, ``W``, ``GB``."""
    return "$" if per == "launch_price_usd" else ctx.catalog.fields[per].unit


def per_label(ctx: HandlerContext, per: str) -> str:
    """The unit divided by, as words: ``dollar``, ``watt``, ``GB``."""
    return {"launch_price_usd": "dollar", "tdp_w": "watt"}.get(per) or ctx.catalog.fields[per].unit


def per_text(ctx: HandlerContext, answer: Answer, gpu: GPU, key: str, per: str) -> str:
    """``gpu``'s ``key`` per ``per``, formatted; both values are cited."""
    fdef = ctx.catalog.fields[key]
    ratio = per_value(ctx, key, per)(gpu)
    value(ctx, answer, gpu, key)
    value(ctx, answer, gpu, per)
    unit = per_unit(ctx, per)
    if ratio is None:
        return "unknown"
    if key == "launch_price_usd":
        return f"${ratio:,.2f} per {unit}"
    return f"{ratio:.3g} {fdef.unit} per {unit}".replace("  ", " ")


def ratio_bullet(ctx: HandlerContext, answer: Answer, key: str | None, per: str | None, gpus: Sequence[GPU]) -> None:
    """ "Launch price per GB: $66.63 (GeForce RTX 4090) vs $62.47 (GeForce RTX 5090)" and who wins, first."""
    if key is None or per is None:
        return
    texts = [per_text(ctx, answer, g, key, per) for g in gpus]
    unit = per_unit(ctx, per)
    line = f"{field_label(ctx, key)} per {unit}: " + " vs ".join(
        f"{t} ({g.short_name})" for t, g in zip(texts, gpus, strict=True)
    )
    line += _per_unit_winner(ctx, key, per, gpus)
    if per == "launch_price_usd" or key == "launch_price_usd":
        line += f" ({ctx.prices.basis})"
    answer.bullets.insert(0, line + ".")


def _per_unit_winner(ctx: HandlerContext, key: str, per: str, gpus: Sequence[GPU]) -> str:
    """ "; the GeForce RTX 5090 costs the least per GB", or nothing with fewer than two known."""
    values = [(v, g) for g in gpus if (v := per_value(ctx, key, per)(g)) is not None]
    if len(values) < 2:
        return ""
    label = field_label(ctx, key)
    if ctx.catalog.fields[key].better == "lower":
        best = min(values, key=lambda x: x[0])[1]
        verdict = "costs the least" if key == "launch_price_usd" else f"has the lowest {label}"
    else:
        best = max(values, key=lambda x: x[0])[1]
        verdict = f"gives the most {label}"
    return f"; the {best.short_name} {verdict} per {per_unit(ctx, per)}"
