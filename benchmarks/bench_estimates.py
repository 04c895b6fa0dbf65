"""Today's memory and speed estimates against real public reports (tests/estimates/reports.yaml).

Each report is run (tests/estimates/cases.py, shared with the regression suite tests/test_reported_outcomes.py,
which asserts what this prints) through the same plan ``gpubot ask`` builds for a fit question
(``bot.handlers.fit_plan.fit_plan``: the precision and context defaults, then ``bot.estimator.estimate``) with the
report's runtime as if the question named it (its budget from specs/runtimes.yaml; runtimes the data does not model
get the assumed one), held against the memory that runtime may use on the card's usable memory
(specs/usable_memory.yaml), and for measured speeds through ``bot.estimator.decode_tokens_per_s``.
A benchmark, not a test: it prints, it asserts nothing.

python benchmarks/bench_estimates.py            # agreement, every disagreement, the speed error distribution
python benchmarks/bench_estimates.py --all      # ... and every agreeing case too
python benchmarks/bench_estimates.py --held-out # held-out v1 (tests/estimates/holdout.yaml): never used to calibrate,
                                                # but its misses were studied for mechanisms: now a development set
python benchmarks/bench_estimates.py --held-out 2  # held-out v2 (tests/estimates/holdout2.yaml), collected before that
                                                # study and never looked at to change the estimator: the honest figure
python benchmarks/bench_estimates.py --held-out 3  # held-out v3 (tests/estimates/holdout3.yaml): MoE and eager decode
                                                # speeds chosen before the MoE dispatch / eager terms were fitted
python benchmarks/bench_estimates.py --held-out 4  # held-out v4 (tests/estimates/holdout4.yaml): GGUF I-quant and
                                                # K_S/K_L runs collected before any estimate for them was looked at
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.estimator import TIGHT_SHARE, Estimate  # noqa: E402
from tests.estimates.cases import WITHIN, Case, Engine  # noqa: E402
from tests.estimates.load import Report, load_reports  # noqa: E402

HELD_OUT = ROOT / "tests" / "estimates" / "holdout.yaml"
#: The held-out sets by the number ``--held-out`` takes.
HELD_OUT_SETS = {
    1: HELD_OUT,
    2: ROOT / "tests" / "estimates" / "holdout2.yaml",
    3: ROOT / "tests" / "estimates" / "holdout3.yaml",
    4: ROOT / "tests" / "estimates" / "holdout4.yaml",
}
#: A case is "near the boundary" when its need lies within this factor of what the runtime may use (either side):
#: the cases a careful estimate must get right, as opposed to a 140 GB model on a 24 GB card.
NEAR = 1.33


def terms(est: Estimate) -> str:
    return "; ".join(f"{name} {gb:,.1f}" for name, gb in est.terms.items())


def setup(r: Report) -> str:
    ctx = f"ctx {r.context:,}" if r.context else "ctx default"
    return f"{r.model} {r.mode} {r.precision} on {r.count}x {r.gpu}, {r.runtime}, {ctx}"


def verdicts(cases: list[Case], show_all: bool) -> None:
    judged = [c for c in cases if c.report.outcome]
    agree = [c for c in judged if c.agrees]
    if not judged:
        print("Verdict agreement: no outcomes (a speed-only set)")
        return
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
    near = [c for c in judged if 1 / NEAR <= c.est.per_gpu_gb / c.capacity_gb <= NEAR]
    print(
        f"  near the boundary (need within x{NEAR} of the memory the runtime may use): "
        f"{sum(c.agrees for c in near)}/{len(near)} agree; the other {len(judged) - len(near)}: "
        f"{sum(c.agrees for c in judged if c not in near)}/{len(judged) - len(near)}"
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
    share = c.est.share
    outside = (
        f" (+ {c.est.outside_per_gpu_gb:,.1f} GB outside the share, which leaves {share.left_gb(c.capacity_gb):,.1f})"
        if c.est.outside_terms and share is not None
        else ""
    )
    return (
        f"- {r.id}: reported {r.outcome} -> {c.verdict}; {c.est.per_gpu_gb:,.1f} GB per GPU vs "
        f"{c.capacity_gb:,.1f} GB{outside}  [{setup(r)}]\n    terms: {terms(c.est)}"
        + (f"\n    notes: {r.notes}" if r.notes else "")
    )


def speeds(cases: list[Case]) -> None:
    rows = [c for c in cases if c.report.tokens_per_s is not None]
    scored = [(c.report, c.tokens_per_s or 0.0, c.speed_error) for c in rows if c.speed_error is not None]
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
    for c in rows:
        if c.speed_error is None:
            print(
                f"- {c.report.id}: no estimate (the plan does not fit, or no speed for this mode)  [{setup(c.report)}]"
            )


#: Beyond this distance from the boundary a wrong verdict is a missing mechanism, not the estimate's spread.
MECHANISM = 0.25


def buffers(cases: list[Case]) -> None:
    """The cases with llama.cpp's compute buffer, by how it was sized: with flash attention (the runtime's default)
    or without (the report states -fa off or an older build, or the front end's default is not flash attention)."""
    judged = [c for c in cases if c.report.outcome and "compute buffer" in c.est.terms]
    for state in ("on", "off"):
        group = [c for c in judged if any(f"flash attention {state}" in a for a in c.est.assumptions)]
        stated = sum(c.report.setting("flash_attention") == state for c in group)
        print(
            f"llama.cpp compute buffer, flash attention {state}: {len(group)} cases ({stated} as the report states), "
            f"{sum(c.agrees for c in group)} agree"
        )


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
        "--held-out",
        type=int,
        nargs="?",
        const=1,
        choices=sorted(HELD_OUT_SETS),
        help="a held-out set instead: 1 (tests/estimates/holdout.yaml, the default), 2, 3 or 4 (holdout2/3/4.yaml)",
    )
    args = parser.parse_args()
    reports = load_reports(HELD_OUT_SETS[args.held_out]) if args.held_out else load_reports()
    cases = Engine(ROOT / "specs").cases(reports)
    outcomes = [r for r in reports if r.outcome]
    print(
        f"{len(reports)} reports: {len(outcomes)} outcomes ({sum(r.outcome == 'fits' for r in outcomes)} loaded, "
        f"{sum(r.outcome == 'oom' for r in outcomes)} OOM), {sum(r.tokens_per_s is not None for r in reports)} speeds"
    )
    print()
    verdicts(cases, args.all)
    print()
    buffers(cases)
    print()
    band(cases)
    print()
    speeds(cases)


if __name__ == "__main__":
    main()
