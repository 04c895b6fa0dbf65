"""Recommendations: score GPUs for a workload from their specs, price and power.

A workload (``specs/workloads.yaml``) weights the spec fields that decide its speed. Each GPU's
performance score is the weighted mean of its values scaled against the best candidate (1.0 =
best on every weighted field). Value (performance per launch dollar) and efficiency (per watt)
are scaled the same way and blended in by the workload's ``value_weight`` and
``efficiency_weight``; a budget question raises the value share. Memory-first work (LLMs,
fine-tuning: memory is the heaviest weight) counts value as memory per dollar unless the question sets a
memory floor, since a model that does not fit runs at a fraction of the speed and the card cheapest per
unit of speed tends to be the one with the least memory; and a budget amount already bounds the price,
so there it raises the value share less, to pick the most memory the budget buys.
Nothing is hard-coded per GPU:
the seed article's verdicts (A6000 for training large models, A4000 for budget inference) fall out
of these numbers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.catalog import GPU, Catalog
from bot.wording import noun

__all__ = ["Advice", "Scored", "Workload", "advise", "memory_first", "rank_by_field", "values_memory"]

BUDGET_VALUE_WEIGHT = 0.6  # the value share of a budget question
MEMORY_FIRST_BUDGET_VALUE_WEIGHT = 0.3  # ... for memory-first work when the budget is an amount


@dataclass(frozen=True, slots=True)
class Workload:
    name: str
    label: str
    weights: Mapping[str, float]
    value_weight: float
    efficiency_weight: float
    require: Mapping[str, Any]
    why: str

    @classmethod
    def from_catalog(cls, catalog: Catalog, name: str) -> Workload:
        raw = catalog.workloads[name]
        return cls(
            name=name,
            label=str(raw["label"]),
            weights={k: float(v) for k, v in raw["weights"].items()},
            value_weight=float(raw.get("value_weight", 0.0)),
            efficiency_weight=float(raw.get("efficiency_weight", 0.0)),
            require=dict(raw.get("require") or {}),
            why=str(raw.get("why", "")),
        )

    def combined(self, modifiers: Iterable[Workload]) -> Workload:
        """This workload with the constraints of ``modifiers`` on top ("inference, low power")."""
        mods = [m for m in modifiers if m.name != self.name]
        if not mods:
            return self
        require = dict(self.require)
        weights = dict(self.weights)
        for m in mods:
            require.update(m.require)
            for key, weight in m.weights.items():
                weights.setdefault(key, weight)
        return Workload(
            name=self.name,
            label=f"{self.label} ({', '.join(m.label for m in mods)})",
            weights=weights,
            value_weight=self.value_weight,
            efficiency_weight=max([self.efficiency_weight, *(m.efficiency_weight for m in mods)]),
            require=require,
            why=" ".join([self.why, *(m.why for m in mods)]),
        )


@dataclass(slots=True)
class Scored:
    gpu: GPU
    score: float
    perf: float
    value: float | None  # perf (memory, for memory-first work) per dollar, scaled; None without a price
    parts: dict[str, float] = field(default_factory=dict)  # field -> value scaled to the best candidate


@dataclass(slots=True)
class Advice:
    workload: Workload
    ranked: list[Scored]
    excluded: list[tuple[GPU, str]]
    value_focus: bool
    budget_usd: float | None
    violations: dict[str, list[str]] = field(default_factory=dict)  # named GPUs that break a requirement
    #: GPUs left out -> what each misses: the requirement fields, and "budget" for the price
    missed: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def best(self) -> Scored | None:
        return self.ranked[0] if self.ranked else None


def _requirement_failure(gpu: GPU, key: str, rule: Any, label: str, unit: str = "") -> str | None:
    if key == "vendor":
        return None if gpu.vendor.lower() == str(rule).lower() else f"not {rule}"
    value = gpu.get(key)
    if isinstance(rule, str):  # {market_segment: laptop}
        return None if str(value or "").lower() == rule.lower() else f"{label} {value or 'unknown'}, not {rule}"
    if isinstance(rule, bool):
        if value is None:
            return f"{label} unknown"
        return None if bool(value) == rule else f"no {label}" if rule else f"has {label}"
    if isinstance(rule, Mapping) and "one_of" in rule:  # {market_segment: {one_of: [consumer, workstation]}}
        allowed = [str(option) for option in rule["one_of"]]
        if str(value or "").lower() in (option.lower() for option in allowed):
            return None
        return f"{label} {value or 'unknown'}, not {' or '.join(allowed)}"
    if isinstance(rule, Mapping) and "contains" in rule:
        text = str(value or "").lower()
        return None if str(rule["contains"]).lower() in text else f"{label} is not {rule['contains']}"
    if isinstance(rule, Mapping):
        num = gpu.number(key)
        if num is None:
            return f"{label} unknown"
        u = f" {unit}" if unit else ""
        if "min" in rule and num < float(rule["min"]):
            return f"{label} {num:g}{u}, under the {float(rule['min']):g}{u} needed"
        if "max" in rule and num > float(rule["max"]):
            return f"{label} {num:g}{u}, over the limit of {float(rule['max']):g}{u}"
    return None


def meets(key: str, rule: Any) -> Callable[[GPU], bool]:
    """A test of one requirement, built once for a whole pool: ``meets(key, rule)(gpu)`` is
    ``_requirement_failure(gpu, key, rule, label) is None`` without building the reason."""
    if key == "vendor":
        vendor = str(rule).lower()
        return lambda g: g.vendor.lower() == vendor
    if isinstance(rule, str):
        wanted = rule.lower()
        return lambda g: str(g.get(key) or "").lower() == wanted
    if isinstance(rule, bool):
        return lambda g: (v := g.get(key)) is not None and bool(v) == rule
    if isinstance(rule, Mapping):
        return _meets_mapping(key, rule)
    return lambda g: True


def _meets_mapping(key: str, rule: Mapping[str, Any]) -> Callable[[GPU], bool]:
    if "one_of" in rule:
        allowed = {str(option).lower() for option in rule["one_of"]}
        return lambda g: str(g.get(key) or "").lower() in allowed
    if "contains" in rule:
        part = str(rule["contains"]).lower()
        return lambda g: part in str(g.get(key) or "").lower()
    low = float(rule["min"]) if "min" in rule else None
    high = float(rule["max"]) if "max" in rule else None
    return lambda g: (
        (n := g.number(key)) is not None and not ((low is not None and n < low) or (high is not None and n > high))
    )


def _scale(values: dict[str, float | None]) -> dict[str, float]:
    known = [v for v in values.values() if v is not None and v > 0]
    top = max(known) if known else 0.0
    return {k: (v / top if (v is not None and top > 0) else 0.0) for k, v in values.items()}


def _problems(
    catalog: Catalog, workload: Workload, gpu: GPU, budget_usd: float | None, usd: float | None
) -> dict[str, str]:
    """Why ``gpu`` breaks the workload's requirements or the budget: requirement field (or "budget") -> why."""
    problems = {}
    for key, rule in workload.require.items():
        fdef = catalog.fields.get(key)
        label, unit = (noun(fdef), fdef.unit) if fdef is not None else (key, "")
        failure = _requirement_failure(gpu, key, rule, label, unit)
        if failure:
            problems[key] = failure
    if budget_usd is not None:
        if usd is None:
            problems["budget"] = "no public price"
        elif usd > budget_usd:
            problems["budget"] = f"price ${usd:,.0f} is over the ${budget_usd:,.0f} budget"
    return problems


@dataclass(slots=True)
class _Screened:
    candidates: list[GPU] = field(default_factory=list)
    excluded: list[tuple[GPU, str]] = field(default_factory=list)
    violations: dict[str, list[str]] = field(default_factory=dict)
    missed: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def leave_out(self, gpu: GPU, problems: Mapping[str, str]) -> None:
        self.excluded.append((gpu, "; ".join(problems.values())))
        self.missed[gpu.id] = tuple(problems)


def _screen(
    catalog: Catalog,
    workload: Workload,
    pool: list[GPU],
    named: list[GPU],
    budget_usd: float | None,
    price_of: Callable[[GPU], float | None],
) -> _Screened:
    """The candidates, the GPUs left out (with why) and the named GPUs kept despite a requirement.

    From the whole catalog a GPU with any problem is left out; a GPU the question named stays unless it
    is over the budget (or has no price under one), and its problems are kept as violations.
    """
    out = _Screened()
    for gpu in pool:
        problems = _problems(catalog, workload, gpu, budget_usd, price_of(gpu))
        if problems and not named:
            out.leave_out(gpu, problems)
            continue
        if problems:
            out.violations[gpu.id] = list(problems.values())
            if budget_usd is not None and {"budget", "launch_price_usd"} & set(problems):
                out.leave_out(gpu, problems)
                continue
        out.candidates.append(gpu)
    return out


def memory_first(workload: Workload) -> bool:
    """The workload weighs memory capacity most (LLMs, fine-tuning): a model that does not fit runs slowly."""
    return max(workload.weights, key=lambda key: workload.weights[key]) == "memory_gb"


def values_memory(workload: Workload) -> bool:
    """Value counts memory per dollar: memory-first work with no memory floor (a model to hold, "16gb
    minimum"); a floor already guarantees the memory, and then value is speed per dollar."""
    return memory_first(workload) and "memory_gb" not in workload.require


def _budget_value_weight(workload: Workload, budget_usd: float | None) -> float:
    """The value share of a question about budget or value."""
    if memory_first(workload) and budget_usd is not None:
        return MEMORY_FIRST_BUDGET_VALUE_WEIGHT
    return BUDGET_VALUE_WEIGHT


def _rank(
    catalog: Catalog,
    workload: Workload,
    candidates: list[GPU],
    value_focus: bool,
    budget_usd: float | None,
    price_of: Callable[[GPU], float | None],
) -> list[Scored]:
    """Score the candidates (performance blended with value and efficiency), best first."""
    weights = workload.weights
    total = sum(weights.values())
    scaled = {key: _scale({g.id: catalog.comparable(g, key) for g in candidates}) for key in weights}
    perf = {g.id: sum(weights[k] * scaled[k][g.id] for k in weights) / total for g in candidates}
    per_dollar: dict[str, float | None] = {}
    per_watt: dict[str, float | None] = {}
    for g in candidates:
        usd, watts = price_of(g), g.number("tdp_w")
        worth = (g.number("memory_gb") or 0.0) if values_memory(workload) else perf[g.id]
        per_dollar[g.id] = worth / usd if usd else None
        per_watt[g.id] = perf[g.id] / watts if watts else None
    value_scaled = _scale(per_dollar)
    eff_scaled = _scale(per_watt)

    vw = workload.value_weight
    if value_focus:
        vw = max(vw, _budget_value_weight(workload, budget_usd))
    ew = workload.efficiency_weight
    pw = max(0.0, 1.0 - vw - ew)
    ranked = []
    for g in candidates:
        score = pw * perf[g.id] + vw * value_scaled[g.id] + ew * eff_scaled[g.id]
        ranked.append(
            Scored(
                gpu=g,
                score=score,
                perf=perf[g.id],
                value=value_scaled[g.id] if per_dollar[g.id] is not None else None,
                parts={k: scaled[k][g.id] for k in weights},
            )
        )
    ranked.sort(key=lambda s: (-s.score, s.gpu.id))
    return ranked


def advise(
    catalog: Catalog,
    workload_name: str,
    *,
    gpus: Iterable[str] = (),
    budget_usd: float | None = None,
    value_focus: bool = False,
    modifiers: Iterable[str] = (),
    price: Callable[[GPU], float | None] | None = None,
    require: Mapping[str, Any] | None = None,
) -> Advice:
    """Rank ``gpus`` (or the whole catalog) for a workload (plus modifiers) under a budget.

    ``price`` gives the price to judge budget and value by (default: the launch MSRP).
    """
    price_of = price or (lambda g: g.number("launch_price_usd"))
    workload = Workload.from_catalog(catalog, workload_name).combined(
        Workload.from_catalog(catalog, m) for m in modifiers
    )
    if require:
        workload = dataclasses.replace(workload, require={**workload.require, **require})
    named = [catalog.gpus[g] for g in gpus]
    screened = _screen(catalog, workload, named or list(catalog), named, budget_usd, price_of)
    ranked = _rank(catalog, workload, screened.candidates, value_focus, budget_usd, price_of)
    return Advice(workload, ranked, screened.excluded, value_focus, budget_usd, screened.violations, screened.missed)


def rank_by_field(
    catalog: Catalog,
    key: str,
    *,
    lowest: bool = False,
    gpus: Iterable[str] = (),
    budget_usd: float | None = None,
    require: Mapping[str, Any] | None = None,
    price: Callable[[GPU], float | None] | None = None,
    value: Callable[[GPU], float | None] | None = None,
) -> tuple[list[GPU], int]:
    """GPUs ordered by one field (most first, or least with ``lowest``); unknown values are left out.

    ``require`` filters like a workload's (``{"nvlink": True, "slots": {"max": 1}}``); ``value``
    replaces the field's value ("bandwidth per dollar"). Returns the ordered GPUs and how many were left
    out for an unknown value.
    """
    price_of = price or (lambda g: g.number("launch_price_usd"))
    pool = [catalog.gpus[g] for g in gpus] or list(catalog)
    if budget_usd is not None:
        pool = [g for g in pool if (p := price_of(g)) is not None and p <= budget_usd]
    for req_key, rule in (require or {}).items():
        pool = list(filter(meets(req_key, rule), pool))
    of = value or (lambda g: catalog.comparable(g, key))  # dual-issue FP32 at the common count
    # Each GPU's value once (a value per dollar costs a price look-up): the filter and the sort both read it.
    values = {g.id: of(g) for g in pool} if value is not None else {}
    known = [g for g in pool if (values[g.id] if value else g.get(key)) is not None]
    fdef = catalog.fields[key]

    def sort_key(g: GPU) -> tuple[float | str, str]:
        num = values[g.id] if value is not None else of(g)
        if num is not None:
            return (num if lowest else -num, g.id)
        return (str(g.get(key)), g.id)

    if value is not None or fdef.type in ("int", "float"):
        known.sort(key=sort_key)
    elif fdef.type == "date":
        known.sort(key=lambda g: (str(g.get(key)), g.id), reverse=not lowest)
    return known, len(pool) - len(known)
