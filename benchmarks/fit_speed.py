"""Fit the decode-speed constants of ``bot/estimator_speed.py`` on the measured speeds in tests/estimates/reports.yaml.

First the memory classes, on single-GPU reports of dense models run with CUDA graphs or llama.cpp (a split across
cards, MoE dispatch and eager launches add terms the class fit should not absorb), one fit per memory class (HBM,
GDDR): ``measured ms/token = bytes read ÷ (efficiency × bandwidth) + layers × per-layer overhead``, least squares on
relative error. Then, with those constants, the dispatch terms of ``bot/estimator_dispatch.py``, each a one-constant
least squares on the relative error of what the earlier terms leave: the MoE expert dispatch per MoE layer on the
MoE reports decoded with graphs (any GPU count), the eager launch time per layer on the eager reports (transformers,
vLLM --enforce-eager or before v0.2.6) without an expert loop, then the expert loop on the transformers MoE reports.
Prints the fitted constants, the residual band and every case; ``tests/test_estimator_speed.py`` checks that the
constants in the modules are this fit.

python benchmarks/fit_speed.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.catalog import load_catalog  # noqa: E402
from bot.estimator_dispatch import EXPERT_LOOP_RUNTIMES, moe_layers  # noqa: E402
from bot.estimator_shapes import ModelShape  # noqa: E402
from bot.estimator_speed import Observation, SpeedClass, bytes_read_gb, fit_class, memory_class  # noqa: E402
from bot.handlers.fit_plan import card_speed  # noqa: E402
from bot.models import load_models  # noqa: E402
from tests.estimates.load import Report, load_reports  # noqa: E402

#: The terms each dispatch constant is fitted on (bot/estimator_dispatch.py's names).
DISPATCH_TERMS = ("MoE expert dispatch", "eager kernel launches", "expert loop")


def observations() -> dict[str, list[Observation]]:
    """The single-GPU measured speeds, by memory class."""
    from tests.estimates.cases import eager_of, plan  # the same plan the benchmark and `gpubot ask` make

    catalog = load_catalog(ROOT / "specs")
    gpus = {g.id: g for g in catalog}
    models = dict(load_models(ROOT / "specs"))
    rows: dict[str, list[Observation]] = {"hbm": [], "gddr": []}
    for r in load_reports():
        if r.tokens_per_s is None or r.count != 1 or eager_of(r):
            continue
        spec, gpu = models[r.model], gpus[r.gpu]
        if moe_layers(spec.shape):
            continue
        est = plan(r, spec)
        weights, kv, _ = bytes_read_gb(spec.shape, est, r.context)
        bandwidth = gpu.number("memory_bandwidth_gbs") or 0.0
        if not spec.shape.layers or bandwidth <= 0:
            continue
        row = Observation(r.id, (weights + kv) / bandwidth * 1000, spec.shape.layers, 1000 / r.tokens_per_s)
        rows[memory_class(str(gpu.get("memory_type") or ""))].append(row)
    return rows


def fits() -> dict[str, SpeedClass]:
    names = {"hbm": "HBM data-centre cards", "gddr": "GDDR cards"}
    return {key: fit_class(names[key], rows) for key, rows in observations().items()}


def _dispatch_rows() -> list[tuple[Report, float, dict[str, float]]]:
    """Every calibration speed: the report, its measured ms/token and the estimate's terms (ms)."""
    from tests.estimates.cases import Engine, eager_of

    engine = Engine(ROOT / "specs")
    rows = []
    for r in load_reports():
        if r.tokens_per_s is None:
            continue
        spec = engine.models[r.model]
        case = engine.case(r)
        speed = card_speed(
            spec.shape, case.est, engine.gpus[r.gpu], r.count, runtime=r.runtime, context=r.context, eager=eager_of(r)
        )
        if speed is not None:
            rows.append((r, 1000 / r.tokens_per_s, dict(speed.terms_ms)))
    return rows


def _one_constant(rows: list[tuple[float, float, float]]) -> float:
    """min Σ((base + n·x − t)/t)² over x ≥ 0 for rows (t measured ms, base the other terms' ms, n the term's count in
    thousands): x is then microseconds per count."""
    num = sum(n * (t - base) / t**2 for t, base, n in rows)
    den = sum(n * n / t**2 for t, _, n in rows)
    return max(num / den, 0.0) if den else 0.0


def dispatch_fits() -> dict[str, tuple[float, int]]:
    """The dispatch constants (µs) fitted in turn on the calibration reports, with how many cases each used: each
    term on the cases it applies to, the earlier terms at their fitted values and the later ones left out."""
    models = dict(load_models(ROOT / "specs"))
    fitted: dict[str, tuple[float, int]] = {}
    rows = _dispatch_rows()
    for at, term in enumerate(DISPATCH_TERMS):
        picked = []
        for r, measured, terms in rows:
            counts = _counts(r, models[r.model].shape)
            if counts[term] and _fits_on(term, counts):
                base = sum(v for k, v in terms.items() if k not in DISPATCH_TERMS)
                base += sum(counts[k] * fitted[k][0] / 1000 for k in DISPATCH_TERMS[:at])
                picked.append((measured, base, counts[term] / 1000))
        fitted[term] = (_one_constant(picked), len(picked))
    return fitted


def _fits_on(term: str, counts: dict[str, int]) -> bool:
    """Whether a case applying ``term`` is one it is fitted on: the MoE dispatch on cases decoded with graphs (the
    eager ones' launches would swamp it), the eager launch time on cases without an expert loop (likewise)."""
    if term == "MoE expert dispatch":
        return not counts["eager kernel launches"]
    if term == "eager kernel launches":
        return not counts["expert loop"]
    return True


def _counts(r: Report, shape: ModelShape) -> dict[str, int]:
    """How many times each dispatch term applies to a report: MoE layers, layers decoded eagerly, MoE layers × experts
    looped over (as bot.estimator_dispatch.dispatch_terms applies them)."""
    from tests.estimates.cases import eager_of

    eager, moe = eager_of(r), moe_layers(shape)
    loops = eager and r.runtime in EXPERT_LOOP_RUNTIMES and bool(shape.experts)
    return {
        "MoE expert dispatch": moe,
        "eager kernel launches": (shape.layers or 0) if eager else 0,
        "expert loop": moe * (shape.experts or 0) if loops else 0,
    }


def main() -> None:
    rows = observations()
    for key, cls in fits().items():
        print(
            f"{key}: efficiency {cls.efficiency:.3f}, per-layer overhead {cls.layer_overhead_ms * 1000:.1f} us, "
            f"{cls.cases} cases, measured/estimate speed band {cls.low:.3f}..{cls.high:.3f} (10th-90th percentile)"
        )
        for r in rows[key]:
            fitted = r.memory_ms / cls.efficiency + r.layers * cls.layer_overhead_ms
            error = fitted / r.measured_ms - 1
            print(f"  {r.name:45} measured {r.measured_ms:6.1f} ms, fitted {fitted:6.1f} ms ({error:+.0%})")
    for term, (us, cases) in dispatch_fits().items():
        print(f"{term}: {us:.1f} us over {cases} cases")


if __name__ == "__main__":
    main()
