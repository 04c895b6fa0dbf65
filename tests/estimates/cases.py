"""Each public report (tests/estimates/reports.yaml) turned into the estimate ``gpubot ask`` would make for it.

Shared by the benchmark (``benchmarks/bench_estimates.py``, which prints agreement) and the regression suite
(``tests/test_reported_outcomes.py``, which asserts it), so both judge the same path: the plan a fit question
builds (``bot.handlers.fit_plan.fit_plan``: the precision and context defaults, then ``bot.estimator.estimate``)
with the report's runtime as if the question named it (its budget from specs/runtimes.yaml; runtimes the data does
not model get the assumed one), held against the memory that runtime may use of the card's usable memory
(specs/usable_memory.yaml); measured speeds through ``bot.estimator.decode_tokens_per_s``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.catalog import GPU, load_catalog
from bot.estimator import Estimate, estimate
from bot.estimator_dispatch import runs_eager
from bot.estimator_media import MEDIA_KINDS
from bot.estimator_runtime import Budget, build_budgets, capacity_gb, on_card, with_version
from bot.handlers.fit_plan import card_speed, default_budget, fit_plan
from bot.models import ModelSpec, load_models
from bot.request import FitRequest
from bot.runtimes import load_runtimes
from bot.usable_memory import load_usable_memory
from tests.estimates.load import Report

__all__ = ["RUNTIME_IDS", "STRATEGY_OF_RUNTIME", "WITHIN", "Case", "Engine", "budget_of", "eager_of", "plan"]

SPECS = Path(__file__).resolve().parents[2] / "specs"
WITHIN = 0.30  # a speed estimate "within ±30%" of the measured one
#: The training strategy a report's runtime names, as the question would read it (specs/lexicon.yaml: "deepspeed"
#: with no stage is ZeRO-3; "fsdp" is full shard); other runtimes leave the default (data-parallel).
STRATEGY_OF_RUNTIME = {"deepspeed": "zero-3", "fsdp": "fsdp-full-shard"}
#: The reports' runtime names that are runtimes.yaml ids under another name.
RUNTIME_IDS = {"exllama": "exllamav2"}


@dataclass(frozen=True, slots=True)
class Case:
    """One report, the estimate for it, the memory its runtime may use, and the speed estimate (None: none)."""

    report: Report
    est: Estimate
    capacity_gb: float
    verdict: str  # fits | tight | does not fit
    tokens_per_s: float | None = None

    @property
    def estimated(self) -> str:
        return "oom" if self.verdict == "does not fit" else "fits"

    @property
    def agrees(self) -> bool:
        return self.report.outcome == self.estimated

    @property
    def speed_error(self) -> float | None:
        """(estimate - measured) / measured, when both exist."""
        measured = self.report.tokens_per_s
        if not (measured and self.tokens_per_s):
            return None
        return (self.tokens_per_s - measured) / measured


def budget_of(report: Report, budgets: Mapping[str, Budget], assumed: Budget | None = None) -> Budget:
    """The report's runtime budget, as if the question named it; the assumed one for runtimes the data lacks
    (``assumed``: the one ``gpubot ask`` assumes for the model, else llama.cpp or transformers); with the settings the
    report states (llama.cpp's split mode, the share of the card a server takes)."""
    name = RUNTIME_IDS.get(report.runtime, report.runtime)
    fallback = "llama.cpp" if report.mode == "inference" else "transformers"
    budget = budgets.get(name) or assumed or budgets[fallback]
    flash = report.setting("flash_attention")
    if flash in ("on", "off") and budget.compute_buffer:
        budget = dataclasses.replace(budget, flash_attention=flash == "on", flash_attention_why="as reported")
    split = report.setting("split_mode")
    if isinstance(split, str):
        budget = dataclasses.replace(budget, split_mode=split)
    share = report.setting("gpu_memory_utilization") or report.setting("mem_fraction_static")
    if isinstance(share, float):
        budget = dataclasses.replace(budget, fraction=share, sglang_tiers=())
    version = report.setting("vllm_version") or report.setting("tgi_version")
    if isinstance(version, str):
        budget = with_version(budget, version)
    if report.setting("enforce_eager") == "on":
        budget = dataclasses.replace(budget, enforce_eager=True)
    seqs = report.setting("max_num_seqs")
    if isinstance(seqs, int):
        budget = dataclasses.replace(budget, max_num_seqs=seqs)
    prefill = report.setting("max_batch_prefill_tokens")
    if isinstance(prefill, int) and budget.warmup_tokens:
        budget = dataclasses.replace(budget, warmup_tokens=prefill)
    return budget


def plan(report: Report, spec: ModelSpec, budget: Budget | None = None, vram_gib: float | None = None) -> Estimate:
    """The estimate ``gpubot ask`` would make for this setup under ``budget``'s runtime (None: the assumed one);
    an inference batch > 1 is re-run with the same plan (a question's batch sets a fine-tune's micro-batch)."""
    training = report.mode != "inference"
    req = FitRequest(
        model_id=spec.id,
        mode=report.mode,
        precision=report.precision,
        context=report.context,
        gpus_count=report.count,
        runtime=budget.id if budget else None,
        strategy=_strategy(report),
        batch=report.batch if training else None,
    )
    est = fit_plan(req, spec.shape, spec.id, report.count, budget=budget, vram_gib=vram_gib).est
    if not training and report.batch and report.batch > 1:
        est = estimate(
            spec.shape,
            mode=est.mode,
            precision=est.precision,
            context=est.context,
            batch=report.batch,
            gpus_count=report.count,
            runtime=budget,
            strategy=est.strategy,
        )
    return est


def _strategy(report: Report) -> str | None:
    """The training strategy the report states (``settings: strategy``), else the one its runtime names."""
    stated = report.setting("strategy")
    return stated if isinstance(stated, str) else STRATEGY_OF_RUNTIME.get(report.runtime)


class Engine:
    """The catalog, models, usable memory and runtime budgets, loaded once; :meth:`case` judges one report."""

    def __init__(self, specs: Path = SPECS) -> None:
        catalog = load_catalog(specs)
        self.models: dict[str, ModelSpec] = dict(load_models(specs))
        self.gpus: dict[str, GPU] = {g.id: g for g in catalog}
        self.usable = load_usable_memory(specs, catalog)
        fact = self.usable.fact("cuda-context")
        extra = (fact.high_mib,) if fact and fact.high_mib else ()
        self.budgets = dict(build_budgets(load_runtimes(specs), *extra))

    def case(self, r: Report) -> Case:
        card = self.usable.usable_gb(r.gpu) or 0.0
        spec = self.models[r.model]
        # an image or speech model with no runtime the data models gets PyTorch's, as a question would
        assumed = default_budget(spec.shape, r.mode) if spec.shape.kind in MEDIA_KINDS else None
        budget = budget_of(r, {k: on_card(b, card, r.gpu) for k, b in self.budgets.items()}, assumed)
        est = plan(r, spec, budget, card * r.count * 1e9 / 2**30)
        capacity = capacity_gb(budget, card, r.count)
        return Case(r, est, capacity, est.verdict(capacity), self._speed(r, spec, est))

    def cases(self, reports: Sequence[Report]) -> list[Case]:
        return [self.case(r) for r in reports]

    def _speed(self, r: Report, spec: ModelSpec, est: Estimate) -> float | None:
        if r.tokens_per_s is None:
            return None
        gpu = self.gpus[r.gpu]
        speed = card_speed(spec.shape, est, gpu, r.count, runtime=r.runtime, context=r.context, eager=eager_of(r))
        return speed.tokens_per_s if speed else None


def eager_of(report: Report) -> bool:
    """Whether the report's runtime decoded without CUDA graphs: transformers, vLLM ``--enforce-eager`` or a vLLM
    release before v0.2.6 (:func:`bot.estimator_dispatch.runs_eager`), from the settings the report states."""
    version = report.setting("vllm_version")
    return runs_eager(
        report.runtime,
        enforce_eager=report.setting("enforce_eager") == "on",
        version=version if isinstance(version, str) else "",
    )
