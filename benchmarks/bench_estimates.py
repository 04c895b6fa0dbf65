"""Today's memory and speed estimates against real public reports (tests/estimates/reports.yaml).

Each report is run through the same plan ``gpubot ask`` builds for a fit question
(``bot.handlers.fit_plan.fit_plan``: the precision and context defaults, then ``bot.estimator.estimate``) with the
report's runtime as if the question named it (its budget from specs/runtimes.yaml; runtimes the data does not model
get the assumed one), held against the memory that runtime may use on the card's usable memory
(specs/usable_memory.yaml), and for measured speeds through ``bot.estimator.decode_tokens_per_s``.
A benchmark, not a test: it prints, it asserts nothing.

python benchmarks/bench_estimates.py            # agreement, every disagreement, the speed error distribution
python benchmarks/bench_estimates.py --all      # ... and every agreeing case too
python benchmarks/bench_estimates.py --held-out # the held-out reports (tests/estimates/holdout.yaml), never used
                                                # to calibrate anything: how well the estimate generalises
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.catalog import GPU, load_catalog  # noqa: E402
from bot.estimator import TIGHT_SHARE, Estimate, decode_tokens_per_s, estimate  # noqa: E402
from bot.estimator_runtime import Budget, build_budgets, capacity_gb  # noqa: E402
from bot.handlers.fit_plan import fit_plan  # noqa: E402
from bot.models import ModelSpec, load_models  # noqa: E402
from bot.request import FitRequest  # noqa: E402
from bot.runtimes import load_runtimes  # noqa: E402
from bot.usable_memory import load_usable_memory  # noqa: E402
from tests.estimates.load import Report, load_reports  # noqa: E402

HELD_OUT = ROOT / "tests" / "estimates" / "holdout.yaml"
WITHIN = 0.30  # a speed estimate "within ±30%" of the measured one
#: The training strategy a report's runtime names, as the question would read it (specs/lexicon.yaml: "deepspeed"
#: with no stage is ZeRO-3; "fsdp" is full shard); other runtimes leave the default (data-parallel).
STRATEGY_OF_RUNTIME = {"deepspeed": "zero-3", "fsdp": "fsdp-full-shard"}


@dataclass(frozen=True, slots=True)
class Case:
    report: Report
    est: Estimate
    capacity_gb: float
    verdict: str  # fits | tight | does not fit

    @property
    def estimated(self) -> str:
        return "oom" if self.verdict == "does not fit" else "fits"

    @property
    def agrees(self) -> bool:
        return self.report.outcome == self.estimated


#: The reports' runtime names that are runtimes.yaml ids under another name.
RUNTIME_IDS = {"exllama": "exllamav2"}


def budget_of(report: Report, budgets: dict[str, Budget]) -> Budget:
    """The report's runtime budget, as if the question named it; the assumed one for runtimes the data lacks."""
    name = RUNTIME_IDS.get(report.runtime, report.runtime)
    assumed = "llama.cpp" if report.mode == "inference" else "transformers"
    return budgets.get(name) or budgets[assumed]


def plan(report: Report, spec: ModelSpec, budget: Budget | None = None, vram_gib: float | None = None) -> Estimate:
    """The estimate ``gpubot ask`` would make for this setup (batch > 1 re-run with the same plan), under
    ``budget``'s runtime (None: the assumed one)."""
    req = FitRequest(
        model_id=spec.id,
        mode=report.mode,
        precision=report.precision,
        context=report.context,
        gpus_count=report.count,
        runtime=budget.id if budget else None,
        strategy=STRATEGY_OF_RUNTIME.get(report.runtime),
    )
    est = fit_plan(req, spec.shape, spec.id, report.count, budget=budget, vram_gib=vram_gib).est
    if report.batch and report.batch > 1:
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


def terms(est: Estimate) -> str:
    return "; ".join(f"{name} {gb:,.1f}" for name, gb in est.terms.items())


def setup(r: Report) -> str:
    ctx = f"ctx {r.context:,}" if r.context else "ctx default"
    return f"{r.model} {r.mode} {r.precision} on {r.count}x {r.gpu}, {r.runtime}, {ctx}"


def verdicts(cases: list[Case], show_all: bool) -> None:
    judged = [c for c in cases if c.report.outcome]
    agree = [c for c in judged if c.agrees]
    print(f"Verdict agreement: {len(agree)}/{len(judged)} ({len(agree) / len(judged):.0%})")
    for outcome in ("fits", "oom"):
        group = [c for c in judged if c.report.outcome == outcome]
        hits = sum(c.agrees for c in group)
        print(f"  reported {outcome:4}: {hits}/{len(group)} estimated the same")
    tight = [c for c in judged if c.verdict == "tight"]
    print(
        f"  estimated 'borderline' (within {TIGHT_SHARE:.0%} below): {len(tight)}, of which reported OOM: "
        f"{sum(c.report.outcome == 'oom' for c in tight)}"
    )
    print()
    print("Disagreements (id: reported -> estimated; need per GPU vs available per GPU; terms in GB for the job):")
    for c in sorted((c for c in judged if not c.agrees), key=lambda c: (c.report.outcome or "", c.report.id)):
        print(_case_line(c))
    if show_all:
        print()
        print("Agreements:")
        for c in sorted(agree, key=lambda c: c.report.id):
            print(_case_line(c))


def _case_line(c: Case) -> str:
    r = c.report
    return (
        f"- {r.id}: reported {r.outcome} -> {c.verdict}; {c.est.per_gpu_gb:,.1f} GB per GPU vs "
        f"{c.capacity_gb:,.1f} GB  [{setup(r)}]\n    terms: {terms(c.est)}"
        + (f"\n    notes: {r.notes}" if r.notes else "")
    )


def speeds(cases: list[Case], gpus: dict[str, GPU], models: dict[str, ModelSpec]) -> None:
    rows: list[tuple[Report, float | None]] = []
    for c in cases:
        r = c.report
        if r.tokens_per_s is None:
            continue
        gpu = gpus[r.gpu]
        bandwidth = gpu.number("memory_bandwidth_gbs") or 0.0
        speed = decode_tokens_per_s(
            models[r.model].shape,
            c.est,
            bandwidth,
            r.count,
            memory_type=str(gpu.get("memory_type") or ""),
            nvlink=bool(gpu.get("nvlink")),
            runtime=r.runtime,
            context=r.context,
        )
        rows.append((r, speed))
    scored: list[tuple[Report, float, float]] = []
    for r, speed in rows:
        if speed and r.tokens_per_s:
            scored.append((r, speed, (speed - r.tokens_per_s) / r.tokens_per_s))
    print(f"Decode speed: {len(scored)} of {len(rows)} measured speeds have an estimate")
    if not scored:
        return
    errors = [abs(e) for _, _, e in scored]
    print(
        f"  median |error| {statistics.median(errors):.0%}; within ±{WITHIN:.0%}: "
        f"{sum(e <= WITHIN for e in errors)}/{len(errors)}; "
        f"over-estimates {sum(e > 0 for _, _, e in scored)}, under-estimates {sum(e < 0 for _, _, e in scored)}"
    )
    for label, several in (("single GPU", False), ("several GPUs", True)):
        part = [abs(e) for r, _, e in scored if (r.count > 1) == several]
        if part:
            print(f"  {label}: median |error| {statistics.median(part):.0%} over {len(part)}")
    by_runtime = Counter(r.runtime for r, _, _ in scored)
    for runtime, n in sorted(by_runtime.items()):
        part = [e for r, _, e in scored if r.runtime == runtime]
        print(f"  {runtime}: median error {statistics.median(part):+.0%} over {n}")
    print()
    print("Each case (estimate vs measured, tokens/s):")
    for r, speed, err in sorted(scored, key=lambda t: -abs(t[2])):
        print(f"- {r.id}: {speed:,.1f} vs {r.tokens_per_s:g} ({err:+.0%})  [{setup(r)}]")
    for r, none in rows:
        if not none:
            print(f"- {r.id}: no estimate (the plan does not fit, or no speed for this mode)  [{setup(r)}]")


#: Beyond this distance from the boundary a wrong verdict is a missing mechanism, not the estimate's spread.
MECHANISM = 0.25


def band(cases: list[Case]) -> None:
    """The margin band answers quote (``TIGHT_SHARE``): the median distance from the boundary, |need / capacity - 1|,
    of the inference reports whose verdict the estimate gets wrong, leaving out misses more than MECHANISM off (a
    mechanism the estimate lacks, listed under the disagreements); rounded up to a whole percent."""
    near = sorted(
        abs(c.est.per_gpu_gb / c.capacity_gb - 1)
        for c in cases
        if c.report.outcome and not c.agrees and c.report.mode == "inference"
    )
    spread = [d for d in near if d <= MECHANISM]
    if spread:
        n = math.ceil(statistics.median(spread) * 100) / 100
        print(
            f"Margin band: the {len(spread)} inference disagreements within ±{MECHANISM:.0%} of the boundary lie a "
            f"median {statistics.median(spread):.1%} from it: band ±{n:.0%} (TIGHT_SHARE is {TIGHT_SHARE:.0%}); "
            f"{len(near) - len(spread)} inference misses lie further out"
        )
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--all", action="store_true", help="list agreeing cases too")
    parser.add_argument(
        "--held-out", action="store_true", help="the held-out reports instead (tests/estimates/holdout.yaml)"
    )
    args = parser.parse_args()
    catalog = load_catalog(ROOT / "specs")
    models = dict(load_models(ROOT / "specs"))
    gpus = {g.id: g for g in catalog}
    reports = load_reports(HELD_OUT) if args.held_out else load_reports()
    usable = load_usable_memory(ROOT / "specs", catalog)
    fact = usable.fact("cuda-context")
    budgets = dict(build_budgets(load_runtimes(ROOT / "specs"), *((fact.high_mib,) if fact and fact.high_mib else ())))
    cases = []
    for r in reports:
        budget = budget_of(r, budgets)
        card = usable.usable_gb(r.gpu) or 0.0
        est = plan(r, models[r.model], budget, card * r.count * 1e9 / 2**30)
        capacity = capacity_gb(budget, card, r.count)
        cases.append(Case(r, est, capacity, est.verdict(capacity)))
    outcomes = [r for r in reports if r.outcome]
    print(
        f"{len(reports)} reports: {len(outcomes)} outcomes ({sum(r.outcome == 'fits' for r in outcomes)} loaded, "
        f"{sum(r.outcome == 'oom' for r in outcomes)} OOM), {sum(r.tokens_per_s is not None for r in reports)} speeds"
    )
    print()
    verdicts(cases, args.all)
    print()
    band(cases)
    print()
    speeds(cases, gpus, models)


if __name__ == "__main__":
    main()
