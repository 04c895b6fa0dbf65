"""The verdict on one long-tail card (a card the curated catalog lacks, from TechPowerUp's database): it is not
ranked against the catalog, since most of what the ranking weighs (tensor throughput, price) is unknown for it;
the answer gives the values the workload weighs that the database has, and says what is unknown."""

from __future__ import annotations

from bot.advisor import Advice, memory_first
from bot.answer import Answer
from bot.catalog import GPU
from bot.handlers.context import HandlerContext, add_sources, value

__all__ = ["longtail_verdict"]


def longtail_verdict(ctx: HandlerContext, a: Answer, advice: Advice, gpu: GPU) -> Answer:
    wl = advice.workload
    a.summary = (
        f"The {gpu.short_name} is not in the curated catalog, so it is not ranked for {wl.label}: its values come "
        f"from TechPowerUp's database, which lacks most of what the ranking weighs. {wl.why}"
    )
    keys = [k for k in wl.weights if k in ctx.catalog.fields]
    known = [k for k in keys if gpu.get(k) is not None]
    unknown = [ctx.catalog.fields[k].label for k in keys if gpu.get(k) is None]
    if known:
        shown = "; ".join(f"{ctx.catalog.fields[k].label} {value(ctx, a, gpu, k)}" for k in known)
        a.bullets.append(f"{gpu.short_name}: {shown}.")
    if unknown:
        a.bullets.append(f"Unknown for it: {', '.join(unknown)}.")
    if memory_first(wl):
        a.bullets.append(f"Ask whether a model fits, e.g. “llama 3 8b on a {gpu.short_name}”.")
    if advice.ranked:
        a.bullets.append(f"The top pick in the curated catalog is the {advice.ranked[0].gpu.short_name}.")
    a.recommendation = None
    add_sources(a, [gpu])
    return a
