"""Truth checks over a loaded catalog: numbers that must agree with each other and with the architecture.

Schema validation (types, unknown keys, duplicates) happens while loading; these checks catch values that
are well-typed but wrong, the kind a typo, a sparse figure in a dense field or a neighbour card's number
produces. ``gpubot catalog check`` prints them as warnings; ``--strict`` makes them fail.

A note never switches a check off. A note that explains a deviation from a formula says which value it
backs (``value:``) or which convention (``convention: unconfirmed``); the check accepts exactly that
value, and a note whose value no longer matches the catalog is itself an error. CONTRIBUTING.md lists
every rule by the name the messages use.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.catalog import GPU, Catalog
from bot.checks.backing import stale_notes
from bot.checks.board import interconnect, memory_rate, plausible_ranges, release_date
from bot.checks.formulas import fp32_and_bandwidth, tensor_rates, units_per_sm
from bot.checks.problem import Problem
from bot.checks.tensor import bf16_within_fp16, needs_units, sparse_headline, tensor_formats, tensor_ratios

__all__ = ["RULES", "Problem", "check_catalog", "check_gpu"]

Rule = Callable[[GPU, Catalog], list[Problem]]

# Every rule, in the order problems are reported for one GPU.
RULES: tuple[Rule, ...] = (
    stale_notes,
    units_per_sm,
    fp32_and_bandwidth,
    needs_units,
    tensor_formats,
    bf16_within_fp16,
    tensor_ratios,
    sparse_headline,
    tensor_rates,
    interconnect,
    memory_rate,
    plausible_ranges,
    release_date,
)


def check_gpu(gpu: GPU, catalog: Catalog) -> list[Problem]:
    """Every problem with one GPU (``catalog`` gives the field and architecture definitions)."""
    return [problem for rule in RULES for problem in rule(gpu, catalog)]


def check_catalog(catalog: Catalog) -> list[Problem]:
    return [problem for gpu in catalog for problem in check_gpu(gpu, catalog)]
