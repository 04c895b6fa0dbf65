"""Tensor rules that no note can excuse: they follow from what the hardware is, not from a datasheet's rounding."""

from __future__ import annotations

from bot.catalog import GPU, Catalog
from bot.checks.formulas import TENSOR_FIELDS, architecture
from bot.checks.problem import Problem

__all__ = ["bf16_within_fp16", "needs_units", "sparse_headline", "tensor_formats", "tensor_ratios"]

RATIO_TOLERANCE = 0.02
SPARSE_TOLERANCE = 0.02
SPARSE = "tensor_tflops_sparse"


def needs_units(gpu: GPU, catalog: Catalog) -> list[Problem]:
    """Rule ``needs-units``: no tensor (RT) throughput on a GPU with 0 tensor (RT) cores (``needs:`` in fields.yaml)."""
    out = []
    for fdef in catalog.fields.values():
        value = gpu.get(fdef.key)
        if fdef.needs is None or value is None or gpu.number(fdef.needs) != 0:
            continue
        message = f"{fdef.key}={value} but {fdef.needs}=0: no such throughput without those units"
        out.append(Problem(gpu.file, gpu.id, (fdef.key, fdef.needs), "needs-units", message))
    return out


def tensor_formats(gpu: GPU, catalog: Catalog) -> list[Problem]:
    """Rule ``tensor-format``: FP8 (BF16, INT8...) figures only where the architecture has that format."""
    arch = architecture(gpu, catalog)
    if arch is None or "tensor_formats" not in arch:
        return []
    formats = list(arch["tensor_formats"])
    out = []
    for fmt, key in TENSOR_FIELDS.items():
        if gpu.get(key) is not None and fmt not in formats:
            message = f"{key}={gpu.get(key)} but {gpu.get('architecture')} has no {fmt.upper()} tensor format {formats}"
            out.append(Problem(gpu.file, gpu.id, (key, "architecture"), "tensor-format", message))
    return out


def bf16_within_fp16(gpu: GPU, catalog: Catalog) -> list[Problem]:
    """Rule ``bf16-le-fp16``: dense BF16 is never above dense FP16."""
    fp16, bf16 = gpu.number("fp16_tensor_tflops"), gpu.number("bf16_tensor_tflops")
    if fp16 is None or bf16 is None or bf16 <= fp16 * (1 + RATIO_TOLERANCE):
        return []
    message = f"bf16_tensor_tflops={bf16:g} is above fp16_tensor_tflops={fp16:g}"
    return [Problem(gpu.file, gpu.id, ("bf16_tensor_tflops", "fp16_tensor_tflops"), "bf16-le-fp16", message)]


def tensor_ratios(gpu: GPU, catalog: Catalog) -> list[Problem]:
    """Rule ``tensor-ratio``: each format's dense figure over FP16's is one the architecture declares."""
    fp16 = gpu.number("fp16_tensor_tflops")
    table = (architecture(gpu, catalog) or {}).get("tensor_ratios") or {}
    if not fp16:
        return []
    out = []
    for fmt, ratios in table.items():
        key = TENSOR_FIELDS[fmt]
        value = gpu.number(key)
        if value is None or any(abs(value / fp16 - r) <= RATIO_TOLERANCE * r for r in ratios):
            continue
        message = (
            f"{key}={value:g} is {value / fp16:.3g}x fp16_tensor_tflops={fp16:g}; "
            f"on {gpu.get('architecture')} it is {' or '.join(f'{r:g}x' for r in ratios)}"
        )
        out.append(Problem(gpu.file, gpu.id, (key, "fp16_tensor_tflops"), "tensor-ratio", message))
    return out


def sparse_headline(gpu: GPU, catalog: Catalog) -> list[Problem]:
    """Rule ``tensor-sparse``: every dense figure is at most the sparse headline, which is 2x one of them."""
    sparse = gpu.number(SPARSE)
    if sparse is None:
        return []
    dense = {key: v for key in TENSOR_FIELDS.values() if (v := gpu.number(key)) is not None}
    out = []
    for key, value in dense.items():
        if value > sparse * (1 + SPARSE_TOLERANCE / 4):
            message = f"dense {key}={value:g} is above the sparse headline {SPARSE}={sparse:g}"
            out.append(Problem(gpu.file, gpu.id, (key, SPARSE), "tensor-sparse", message))
    if dense and not any(abs(sparse - 2 * v) <= SPARSE_TOLERANCE * 2 * v for v in dense.values()):
        figures = ", ".join(f"{k}={v:g}" for k, v in dense.items())
        message = f"{SPARSE}={sparse:g} is not 2x any dense figure ({figures}); 2:4 sparsity doubles a dense rate"
        out.append(Problem(gpu.file, gpu.id, (SPARSE, *dense), "tensor-sparse", message))
    return out
