"""A synthetic catalog of N GPUs, generated from the real ones by varying names and values.

    from synthetic_catalog import write_synthetic_specs
    root = write_synthetic_specs(tmp_dir, 4000)   # a copy of specs/ whose gpus/ holds 4,000 GPUs

Every real GPU stays (FAQs, cloud instances and models refer to them); the rest are copies of real
ones with a new id and name ("NVIDIA GeForce RTX 4090 S17"), no aliases, and their memory, bandwidth,
compute, power and price scaled by a few percent, so rankings and filters have real work to do. The
result is loaded by the normal loader, which validates it as it validates ``specs/``.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

# Numeric fields scaled together (a faster variant is a bit faster everywhere); memory moves in steps.
_SCALED = (
    "fp32_tflops",
    "fp64_tflops",
    "fp16_tensor_tflops",
    "bf16_tensor_tflops",
    "fp8_tensor_tflops",
    "int8_tensor_tops",
    "tensor_tflops_sparse",
    "memory_bandwidth_gbs",
    "tdp_w",
    "launch_price_usd",
    "boost_clock_mhz",
)
_MEMORY_STEPS = (0.5, 1.0, 1.5, 2.0)


def _vary(raw: dict[str, Any], k: int, rng: random.Random) -> dict[str, Any]:
    specs = dict(raw["specs"])
    scale = rng.uniform(0.85, 1.15)
    for key in _SCALED:
        value = specs.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool) and value:
            specs[key] = round(value * scale, 1) if isinstance(value, float) else max(1, round(value * scale))
    memory = specs.get("memory_gb")
    if isinstance(memory, int | float) and memory:
        specs["memory_gb"] = max(1, round(memory * rng.choice(_MEMORY_STEPS)))
    out = {k2: v for k2, v in raw.items() if k2 not in ("aliases", "notes")}
    out["id"] = f"{raw['id']}-s{k}"
    out["name"] = f"{raw['name']} S{k}"
    out["specs"] = specs
    return out


def write_synthetic_specs(dest: Path, count: int = 4000, seed: int = 12) -> Path:
    """A copy of ``specs/`` under ``dest`` whose GPU files hold ``count`` GPUs in all; returns its path."""
    root = Path(dest) / "specs"
    shutil.copytree(ROOT / "specs", root)
    files = sorted((root / "gpus").glob("*.yaml"))
    data = {path: yaml.safe_load(path.read_text(encoding="utf-8")) for path in files}
    real = [(path, gpu) for path in files for gpu in data[path]["gpus"]]
    rng = random.Random(seed)
    for k in range(count - len(real)):
        path, gpu = real[k % len(real)]
        data[path]["gpus"].append(_vary(gpu, k // len(real) + 1, rng))
    for path in files:
        path.write_text(yaml.dump(data[path], Dumper=_Dumper, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return root
