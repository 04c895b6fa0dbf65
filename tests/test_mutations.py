"""Mutation test: plausible wrong edits across every GPU family must each fail the strict checks.

Each mutation changes one GPU in memory (the catalog is never re-read) the way a careless editor would:
a typo x10 or /10, the first two digits swapped, the sparse headline in a dense field, the neighbouring
card's value, a tensor format the architecture lacks, or a flag that contradicts the numbers. The strict
checks must reject at least 95% of them with a problem naming the GPU, the edited field and a rule, and
the shipped catalog must pass untouched.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from types import MappingProxyType
from typing import NamedTuple

from bot.catalog import GPU, Catalog, Value
from bot.checks import check_catalog, check_gpu

# Fields a rule ties to others; a wrong value there is what the checks exist to catch.
CHECKED = (
    "fp32_tflops",
    "memory_bandwidth_gbs",
    "fp16_tensor_tflops",
    "bf16_tensor_tflops",
    "fp8_tensor_tflops",
    "int8_tensor_tops",
    "tensor_tflops_sparse",
    "cuda_cores",
    "tensor_cores",
    "memory_data_rate_gbps",
)
MISSING_FORMAT = {"fp8": "fp8_tensor_tflops", "bf16": "bf16_tensor_tflops"}


class Mutation(NamedTuple):
    gpu: str
    field: str
    value: Value
    kind: str


def _swap_first_digits(value: float) -> float | None:
    text = f"{value:g}"
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    if len(digits) < 2 or text[digits[0]] == text[digits[1]]:
        return None
    chars = list(text)
    chars[digits[0]], chars[digits[1]] = chars[digits[1]], chars[digits[0]]
    swapped = float("".join(chars))
    return swapped if swapped > 0 else None


def _typos(gpu: GPU) -> Iterator[Mutation]:
    for key in CHECKED:
        value = gpu.get(key)
        if not isinstance(value, int | float) or isinstance(value, bool) or not value:
            continue
        as_int = isinstance(value, int)
        yield Mutation(gpu.id, key, value * 10, "x10")
        yield Mutation(gpu.id, key, value // 10 if as_int else value / 10, "/10")
        swapped = _swap_first_digits(float(value))
        if swapped is not None and not (as_int and swapped != int(swapped)):
            yield Mutation(gpu.id, key, int(swapped) if as_int else swapped, "swapped digits")


def _sparse_for_dense(gpu: GPU) -> Iterator[Mutation]:
    sparse = gpu.get("tensor_tflops_sparse")
    for key in ("fp16_tensor_tflops", "bf16_tensor_tflops"):
        if sparse is not None and gpu.get(key) is not None and gpu.get(key) != sparse:
            yield Mutation(gpu.id, key, sparse, "sparse for dense")


def _flags(gpu: GPU, catalog: Catalog) -> Iterator[Mutation]:
    if gpu.get("nvlink") is False:
        yield Mutation(gpu.id, "nvlink", True, "nvlink without bandwidth")
    if gpu.get("nvlink") is True and gpu.get("nvlink_bandwidth_gbs") is not None:
        yield Mutation(gpu.id, "nvlink", False, "bandwidth without nvlink")
    for count in ("tensor_cores", "rt_cores"):
        needing = [f.key for f in catalog.fields.values() if f.needs == count and gpu.get(f.key) is not None]
        if gpu.number(count) and needing:
            yield Mutation(gpu.id, count, 0, "no units but throughput")
    arch = catalog.architectures.get(str(gpu.get("architecture")), {})
    fp16 = gpu.number("fp16_tensor_tflops")
    for fmt, key in MISSING_FORMAT.items():
        if fp16 and fmt not in arch.get("tensor_formats", [fmt]) and gpu.get(key) is None:
            yield Mutation(gpu.id, key, round(fp16 * (2 if fmt == "fp8" else 1), 1), "format the architecture lacks")


def _neighbours(catalog: Catalog) -> Iterator[Mutation]:
    gpus = list(catalog)
    for before, gpu in itertools.pairwise(gpus):
        if before.family != gpu.family:
            continue
        for key in ("fp32_tflops", "memory_bandwidth_gbs", "fp16_tensor_tflops", "cuda_cores"):
            theirs, ours = before.get(key), gpu.get(key)
            if theirs is not None and ours is not None and theirs != ours:
                yield Mutation(gpu.id, key, theirs, "neighbour's value")


def mutations(catalog: Catalog) -> list[Mutation]:
    out: list[Mutation] = []
    for gpu in catalog:
        out += [*_typos(gpu), *_sparse_for_dense(gpu), *_flags(gpu, catalog)]
    return out + list(_neighbours(catalog))


def _caught(catalog: Catalog, mutation: Mutation) -> bool:
    gpu = catalog.gpus[mutation.gpu]
    changed = dataclasses.replace(gpu, specs=MappingProxyType({**gpu.specs, mutation.field: mutation.value}))
    return any(p.gpu == mutation.gpu and mutation.field in p.fields and p.rule for p in check_gpu(changed, catalog))


def test_shipped_catalog_has_no_false_alarm(catalog: Catalog) -> None:
    assert [str(p) for p in check_catalog(catalog)] == []


def test_mutations_are_rejected(catalog: Catalog) -> None:
    generated = mutations(catalog)
    families = {g.family for g in catalog}
    assert len(generated) >= 200
    assert {catalog.gpus[m.gpu].family for m in generated} == families  # every family is exercised
    missed = [m for m in generated if not _caught(catalog, m)]
    rate = 1 - len(missed) / len(generated)
    print(f"mutation test: {len(generated) - len(missed)} of {len(generated)} wrong edits rejected ({rate:.1%})")
    assert rate >= 0.95, "\n".join(f"{m.kind}: {m.gpu}.{m.field} = {m.value}" for m in missed)
