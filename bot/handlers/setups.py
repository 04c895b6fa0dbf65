"""Setups compared, count × card: "2x 3090 or one 4090 for 70B?", "4x A4000 vs 1x A6000 for fine-tuning".

One column per setup: memory in total and per card, FP16 tensor, bandwidth, board power, price, NVLink
and slots; with a model, what each setup needs per card and the best plan it holds (the asked
precision or method, else the lightest that fits); the trade-offs of several cards against one; and a
verdict that follows from the numbers (:mod:`bot.handlers.setup_verdict`).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.answer import Answer, Row, Table
from bot.chart_data import memory_chart
from bot.estimator import ModelShape
from bot.handlers.context import (
    HandlerContext,
    add_notes,
    add_sources,
    current_prices,
    link_text,
    total,
    value,
)
from bot.handlers.fit_memory import band_text, budget_for, capacity_of
from bot.handlers.fit_options import cheapest_fits, fit_model, plan_label
from bot.handlers.fit_plan import FitPlan
from bot.handlers.setup_verdict import (
    Measure,
    Setup,
    Verdict,
    decide,
    field_measure,
    held_text,
    holding,
    ladder,
    measures_for,
    plan_name,
    price_measure,
    split_speed,
)
from bot.parser import Query

__all__ = ["setups"]

#: The table's rows from the catalog: (label, field, per card, lower is better).
_ROWS = (
    ("Memory in total", "memory_gb", False, False),
    ("Memory per card", "memory_gb", True, False),
    ("FP16 tensor in total", "fp16_tensor_tflops", False, False),
    ("Memory bandwidth per card", "memory_bandwidth_gbs", True, False),
    ("Board power in total", "tdp_w", False, True),
)
_KEYS = ("memory_gb", "fp16_tensor_tflops", "memory_bandwidth_gbs", "tdp_w", "launch_price_usd", "nvlink", "slots")


def setups(ctx: HandlerContext, q: Query) -> Answer:
    """The named setups side by side, what each holds of the model (if any), the trade-offs and the verdict."""
    # A card listed again is the single card: "2x 4090 slower than just 4090?" (bot.rules_same_card).
    rigs = [
        Setup(ctx.catalog.gpus[g], max(1, q.counts.get(g, 1) if g not in q.gpus[:i] else 1))
        for i, g in enumerate(q.gpus)
    ]
    model, model_id = fit_model(ctx, q.fit)
    a = Answer(
        question=q.text, intent=q.intent, title=" vs ".join(s.name for s in rigs), gpus=list(dict.fromkeys(q.gpus))
    )
    a.fields = list(_KEYS)
    asked_precision = q.fit is not None and (q.fit.precision is not None or q.fit.mode != "inference")
    asked: FitPlan | None = None
    if model is not None and q.fit is not None:
        steps = ladder(q.fit)
        room = budget_for(ctx, None, q.fit.mode)
        holdings = [holding(s.gpu, s.count, steps, model, model_id, capacity_of(ctx, s.gpu, room)) for s in rigs]
        rigs = [Setup(s.gpu, s.count, h) for s, h in zip(rigs, holdings, strict=True)]
        asked = holdings[0].asked
        label = plan_label(asked.model, asked.mode, asked.precision)
        a.title += f" to {label}" if asked_precision else f" for {model.name}"
    a.table = _table(ctx, a, rigs, asked_precision)
    measures = measures_for(ctx, a, rigs, q.workload or ("inference" if model else None), asked_precision)
    held = [s for s in rigs if s.holding is None or s.holding.holds]
    verdict = decide(measures, len(rigs)) if held else Verdict(None, ())
    a.recommendation = rigs[verdict.winner].gpu.id if verdict.winner is not None else None
    a.summary = _summary(rigs, verdict, q.intent)
    if asked is not None:
        _model_bullets(ctx, a, rigs, asked.model)
        if not held:
            a.bullets.extend(cheapest_fits(ctx, a, asked.model, asked.mode, asked.precision, asked.context))
    if verdict.winner is not None:
        a.bullets.extend(_gives_up(ctx, a, rigs, verdict.winner))
    a.bullets.extend(_trade_offs(ctx, a, rigs))
    current_prices(ctx, a, [s.gpu for s in rigs])
    _notes(ctx, q, a, rigs)
    add_sources(a, [s.gpu for s in rigs])
    return a


# -- the table --------------------------------------------------------------------------------


def _table(ctx: HandlerContext, a: Answer, rigs: Sequence[Setup], asked_precision: bool) -> Table:
    rows = [
        _row(label, key, field_measure(ctx, a, rigs, label, key, per_card, lower))
        for label, key, per_card, lower in _ROWS
    ]
    rows.append(_row("Price", "launch_price_usd", price_measure(ctx, a, rigs)))
    rows.append(Row("nvlink", "NVLink", tuple(_link(ctx, a, s) for s in rigs)))
    rows.append(Row("slots", "Slots in total", tuple(_slots(ctx, a, s) for s in rigs)))
    for s in rigs:
        if s.holding is not None:
            rows.extend(_model_rows(ctx, a, rigs, asked_precision))
            break
    return Table(tuple(s.name for s in rigs), tuple(s.gpu.id for s in rigs), tuple(rows))


def _row(label: str, key: str, m: Measure) -> Row:
    """A row with its winner: the one best score, when every score is known."""
    known = [x for x in m.scores if x is not None]
    best = max(known) if len(known) == len(m.scores) else None
    winner = m.scores.index(best) if best is not None and m.scores.count(best) == 1 else None
    return Row(key, label, m.shown, winner)


def _link(ctx: HandlerContext, a: Answer, s: Setup) -> str:
    shown = value(ctx, a, s.gpu, "nvlink")
    return shown if s.count == 1 else f"{shown} ({link_text(s.gpu)})"


def _slots(ctx: HandlerContext, a: Answer, s: Setup) -> str:
    """ "6 (2 × 3)"; an SXM or OAM module takes no PCIe slot."""
    summed = total(ctx, a, s.gpu, "slots", s.count)
    if summed is None:
        form = s.gpu.get("form_factor")
        if form and "module" in str(form):
            return f"none: {value(ctx, a, s.gpu, 'form_factor')} in a server board"
        return "unknown"
    return summed if s.count == 1 else f"{summed} ({s.count} × {value(ctx, a, s.gpu, 'slots')})"


def _model_rows(ctx: HandlerContext, a: Answer, rigs: Sequence[Setup], asked_precision: bool) -> list[Row]:
    """What each setup needs per card for the plan it holds, and whether it holds the asked one."""
    need, holds, speed = [], [], []
    for s in rigs:
        h = s.holding
        assert h is not None  # noqa: S101 - model rows only with a model
        need.append(f"about {h.plan.est.per_gpu_gb:,.1f} GB of {value(ctx, a, s.gpu, 'memory_gb')}")
        need[-1] += f" ({h.capacity:,.1f} GB usable)"
        holds.append(held_text(h, asked_precision))
        pace = split_speed(s)
        if pace is None:
            speed.append("—")
        else:
            speed.append(f"about {pace[0]:,.0f} tokens/s" + (f" (up to {pace[1]:,.0f})" if s.count > 1 else ""))
    rows = [Row("fit", "Holds the model", tuple(holds)), Row("fit", "Needs per card", tuple(need))]
    if any(x != "—" for x in speed):
        rows.append(Row("speed", "Decode speed (estimate)", tuple(speed)))
    return rows


# -- the verdict and the trade-offs -----------------------------------------------------------


def _summary(rigs: Sequence[Setup], verdict: Verdict, intent: str) -> str:
    if verdict.winner is None and not verdict.tied:
        return "None of these setups holds it, even with the lightest plan tried; see below for what would."
    if verdict.winner is None:
        names = " and ".join(rigs[i].name for i in verdict.tied)
        return f"On these numbers nothing separates the {names}: they tie on every measure weighed."
    win = rigs[verdict.winner]
    lead = f"Pick the {win.name}" if intent == "recommend" else f"On these numbers the {win.name} comes out ahead"
    if not verdict.decided_by:
        return lead + "."
    reasons = []
    for m, running in verdict.decided_by:
        order = [verdict.winner, *(i for i in running if i != verdict.winner)]
        each = "; ".join(f"{rigs[i].name}: {_lower_first(m.shown[i])}" for i in order)
        reasons.append(f"{m.what} ({each})")
    return f"{lead}. What decides is {', then '.join(reasons)}."


def _lower_first(text: str) -> str:
    """ "at best in Q4_K_M" inside a sentence; "FP16", "48 GB" stay as they are."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _gives_up(ctx: HandlerContext, a: Answer, rigs: Sequence[Setup], winner: int) -> list[str]:
    """What the winner gives up against each other setup: every measure the other does better on."""
    win = rigs[winner]
    aspects = [
        field_measure(ctx, a, rigs, label[0].lower() + label[1:], key, per_card, lower, terms=False)
        for label, key, per_card, lower in _ROWS
        if label[:2] != "FP"
    ]
    aspects.insert(2, field_measure(ctx, a, rigs, "FP16 tensor in total", "fp16_tensor_tflops", False, terms=False))
    aspects.append(price_measure(ctx, a, rigs, terms=False))
    out = []
    for i, other in enumerate(rigs):
        if i == winner:
            continue
        worse = [m for m in aspects if _beats(m, i, winner)]
        if not worse:
            continue
        parts = [f"{m.what} ({m.shown[winner]} vs {m.shown[i]})" for m in worse]
        line = f"What the {win.name} gives up against the {other.name}: {'; '.join(parts)}."
        if worse[0].what == "memory in total":
            line += f" The {other.name}'s extra memory holds bigger models or longer context, split across its cards."
        out.append(line)
    return out


def _beats(m: Measure, i: int, j: int) -> bool:
    a, b = m.scores[i], m.scores[j]
    return a is not None and b is not None and a > b


def _trade_offs(ctx: HandlerContext, a: Answer, rigs: Sequence[Setup]) -> list[str]:
    """Several cards against one: the split, the power, slots and power supply, and the simplicity of one."""
    out = []
    for s in (s for s in rigs if s.count > 1):
        out.append(
            f"{s.name}: a model bigger than one card's {value(ctx, a, s.gpu, 'memory_gb')} is split across the cards. "
            "A layer split (llama.cpp, or device_map in Transformers) runs the cards in turn, so it goes at about "
            "one card's speed; tensor parallel (vLLM) runs them together but exchanges activations at every "
            f"layer ({link_text(s.gpu)}), so every card needs PCIe lanes of its own."
        )
    if len({s.count for s in rigs}) > 1:
        power = [f"{s.name} {total(ctx, a, s.gpu, 'tdp_w', s.count) or 'unknown'}" for s in rigs]
        out.append(
            f"Board power: {', '.join(power)}. More cards need a motherboard with the slots and spacing for them, "
            "a case that cools them and a bigger power supply."
        )
    if any(s.count == 1 for s in rigs):
        out.append("One card is simpler: nothing to split, and every tool runs on it as it is.")
    return out


def _model_bullets(ctx: HandlerContext, a: Answer, rigs: Sequence[Setup], model: ModelShape) -> None:
    """Each setup's estimate with its terms, the decode speed's terms, and the JSON ``fit``."""
    for s in rigs:
        h = s.holding
        assert h is not None  # noqa: S101 - only with a model
        memory = value(ctx, a, s.gpu, "memory_gb")
        per = " per card" if s.count > 1 else ""
        asked = h.asked
        line = f"{s.name}: "
        if h.step > 0:
            line += f"{plan_name(asked)} needs about {asked.est.per_gpu_gb:,.1f} GB{per} of {memory}, too much. "
        if h.holds:
            tight = f" ({band_text(h.plan.est.per_gpu_gb, h.capacity)})" if h.verdict == "tight" else ""
            line += f"{plan_name(h.plan)} needs about {h.plan.est.per_gpu_gb:,.1f} GB{per} of {memory}{tight}: "
        elif h.plan is not asked:
            line += f"Even {plan_name(h.plan)} needs about {h.plan.est.per_gpu_gb:,.1f} GB{per}: "
        line += f"{h.plan.terms}" + (f", over {s.count} cards." if s.count > 1 else ".")
        a.bullets.append(line)
    _speed_terms(ctx, a, rigs)
    best = next((s for s in rigs if s.gpu.id == a.recommendation), rigs[0])
    _fit_json(a, best, model)


def _speed_terms(ctx: HandlerContext, a: Answer, rigs: Sequence[Setup]) -> None:
    parts = []
    for s in rigs:
        pace = split_speed(s)
        if pace is None or s.holding is None:
            continue
        bytes_read = s.holding.plan.est.terms.get("weights", 0.0) + s.holding.plan.est.terms.get("KV cache", 0.0)
        text = f"{s.name} about {pace[0]:,.0f} tokens/s ({value(ctx, a, s.gpu, 'memory_bandwidth_gbs')}"
        text += f" ÷ about {bytes_read:,.1f} GB"
        if s.count > 1:
            text += f"; about {pace[1]:,.0f} with tensor parallel, {s.count} cards' bandwidth less their all-reduces"
        parts.append(text + ")")
    if parts:
        a.bullets.append(
            "Decode speed for one sequence, a rough estimate (the bytes read per token ÷ the bandwidth reached, fitted "
            f"on public measurements, + a fixed time per layer; split by layers, one card works at a time): "
            f"{'; '.join(parts)}."
        )


def _fit_json(a: Answer, s: Setup, model: ModelShape) -> None:
    h = s.holding
    assert h is not None  # noqa: S101 - only with a model
    capacity = s.gpu.number("memory_gb")
    a.fit = {
        "model": h.plan.model_id or model.name,
        "params_b": model.params_b,
        "mode": h.plan.mode,
        "precision": h.plan.precision,
        "gpus_count": s.count,
        "required_gb": round(h.plan.est.total_gb, 1),
        "available_gb": None if capacity is None else round(capacity * s.count, 1),
        "fits": h.holds,
        "runtime": h.plan.budget.id,
        "strategy": h.plan.est.strategy,
        "usable_gb": round(h.capacity * s.count, 1),
        "margin_gb": round(h.capacity - h.plan.est.per_gpu_gb, 1),
        "terms": {name: round(gb, 2) for name, gb in h.plan.est.terms.items()},
        "tokens_per_s": None,
        "assumptions": list(h.plan.est.assumptions),
    }
    where = s.name if s.count > 1 else s.gpu.short_name
    a.chart = memory_chart(a.fit, f"{s.name}: {plan_name(h.plan)}", where)  # the pick's plan, not every setup


def _notes(ctx: HandlerContext, q: Query, a: Answer, rigs: Sequence[Setup]) -> None:
    first = rigs[0].holding
    if first is not None:
        a.notes.append("Memory estimate: " + "; ".join(first.asked.est.assumptions) + ".")
    a.notes.append(f"Prices are {ctx.prices.basis}.")
    for s in rigs:
        stack = ctx.catalog.software_for(s.gpu)
        if stack is not None and stack.id != "cuda":
            a.notes.append(f"Software for the {s.gpu.short_name}: {stack.about}")
        add_notes(ctx, a, s.gpu, _KEYS)
    if q.dropped:
        left = ", ".join(ctx.catalog.gpus[g].short_name for g in q.dropped)
        a.notes.append(f"I compare up to four setups at once; left out: {left}. Ask again with those.")
