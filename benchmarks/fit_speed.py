"""Fit the decode-speed constants of ``bot/estimator_speed.py`` on the measured speeds in tests/estimates/reports.yaml.

Single-GPU reports only (a split across cards adds terms the fit should not absorb), one fit per memory class (HBM,
GDDR): ``measured ms/token = bytes read ÷ (efficiency × bandwidth) + layers × per-layer overhead``, least squares on
relative error. Prints the fitted constants, the residual band and every case; ``tests/test_estimator_speed.py``
checks that the constants in the module are this fit.

python benchmarks/fit_speed.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.catalog import load_catalog  # noqa: E402
from bot.estimator_speed import Observation, SpeedClass, bytes_read_gb, fit_class, memory_class  # noqa: E402
from bot.models import load_models  # noqa: E402
from tests.estimates.load import load_reports  # noqa: E402


def observations() -> dict[str, list[Observation]]:
    """The single-GPU measured speeds, by memory class."""
    from tests.estimates.cases import plan  # the same plan the benchmark and `gpubot ask` make

    catalog = load_catalog(ROOT / "specs")
    gpus = {g.id: g for g in catalog}
    models = dict(load_models(ROOT / "specs"))
    rows: dict[str, list[Observation]] = {"hbm": [], "gddr": []}
    for r in load_reports():
        if r.tokens_per_s is None or r.count != 1:
            continue
        spec, gpu = models[r.model], gpus[r.gpu]
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


if __name__ == "__main__":
    main()
