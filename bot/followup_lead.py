"""What a follow-up carried over from the last request, said in its answer: "Llama 3.1 8B, Q4_K_M, 32k context — on
the RTX A5000:" (:func:`carried_lead`), from each filled slot of a request as an answer reads it (:func:`describe`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from bot.estimator import PRECISION_NAMES
from bot.request import FitRequest, Query, budget_text

if TYPE_CHECKING:
    from bot.catalog import Catalog
    from bot.models import ModelSpec

__all__ = ["carried_lead", "carried_over", "describe"]


def _names(catalog: Catalog, gpus: list[str], joiner: str = ", ") -> str:
    return joiner.join(catalog.gpus[g].short_name for g in gpus if g in catalog.gpus)


def describe(catalog: Catalog, models: Mapping[str, ModelSpec], q: Query) -> dict[str, str]:
    """Each filled slot of a request as it reads in an answer, in the order a lead says them."""
    if q.fit is not None and q.kind == "fit":
        return _describe_fit(catalog, models, q, q.fit)
    out: dict[str, str] = {}
    if q.workload is not None and q.workload in catalog.workloads:
        out["workload"] = f"for {catalog.workloads[q.workload]['label']}"
    if q.budget_usd is not None:
        out["budget"] = f"under {budget_text(q)}"
    if q.vendor is not None:
        out["vendor"] = f"{q.vendor} only"
    if q.fields and q.kind != "psu":  # a power-supply answer reads the fields it needs, not ones asked
        out["fields"] = ", ".join(catalog.fields[f].label for f in q.fields if f in catalog.fields)
    if q.gpus:
        out["gpus"] = _names(catalog, q.gpus, " vs " if q.kind in ("compare", "property", "setup") else ", ")
    return out


def _describe_fit(catalog: Catalog, models: Mapping[str, ModelSpec], q: Query, fit: FitRequest) -> dict[str, str]:
    out: dict[str, str] = {}
    if fit.model_id is not None:
        model = models.get(fit.model_id)
        out["model"] = model.name if model is not None else fit.model_id
    elif fit.params_b is not None:
        out["model"] = f"a {fit.params_b:g}B model"
    if fit.precision is not None:
        out["precision"] = PRECISION_NAMES.get(fit.precision, fit.precision).split(" (")[0]
    if fit.context is not None:
        out["context"] = f"{fit.context // 1024}k context" if fit.context % 1024 == 0 else f"{fit.context} tokens"
    if fit.mode != "inference":
        out["mode"] = {"full": "full fine-tune", "lora": "LoRA", "qlora": "QLoRA"}.get(fit.mode, fit.mode)
    if fit.runtime is not None:
        out["runtime"] = f"with {fit.runtime}"
    names = _names(catalog, q.gpus)
    if names:
        out["gpus"] = f"on {fit.gpus_count}× {names}" if fit.gpus_count > 1 else f"on the {names}"
    elif q.ambiguous:  # "on a 3060": each variant
        out["gpus"] = f"on the {q.ambiguous[0].text.upper()}"
    elif fit.capacity_gb is not None:
        out["gpus"] = (
            f"in {fit.gpus_count}× {fit.capacity_gb:g} GB" if fit.gpus_count > 1 else f"in {fit.capacity_gb:g} GB"
        )
    return out


def carried_over(catalog: Catalog, models: Mapping[str, ModelSpec], previous: Query, merged: Query) -> dict[str, str]:
    """The slots of ``merged`` that read the same as in ``previous``: what came from context."""
    before = describe(catalog, models, previous)
    return {k: v for k, v in describe(catalog, models, merged).items() if before.get(k) == v}


def carried_lead(catalog: Catalog, models: Mapping[str, ModelSpec], q: Query) -> str:
    """ "Llama 3.1 8B, Q4_K_M, 32k context — on the RTX A5000:": what was carried over, then what changed."""
    if not q.carried:
        return ""
    if "rig" in q.carried:
        return f"Using {q.carried['rig']}:"
    said = describe(catalog, models, q)
    changed = [v for k, v in said.items() if k not in q.carried]
    head = ", ".join(q.carried.values())
    return f"{head} — {', '.join(changed)}:" if changed else f"{head}:"
