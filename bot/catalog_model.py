"""The catalog's data model: spec-field definitions, GPUs, FAQ entries and the whole :class:`Catalog`.

Plain immutable dataclasses and value formatting; loading and validation live in ``bot.catalog``,
which re-exports every name here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from bot.models_uncovered import UncoveredModel
from bot.software_libs import Library

__all__ = [
    "GPU",
    "Better",
    "Catalog",
    "CatalogError",
    "FaqEntry",
    "FieldDef",
    "FieldType",
    "GeneralAnswer",
    "Note",
    "Outside",
    "SoftwareStack",
    "Value",
    "format_value",
]

FieldType = Literal["int", "float", "str", "bool", "date"]
Better = Literal["higher", "lower"] | None
Value = int | float | str | bool | None


class CatalogError(Exception):
    """A specs file is missing or wrong. ``str()`` names file, entry and field."""

    def __init__(self, file: str | Path, message: str, *, entry: str | None = None, field: str | None = None) -> None:
        self.file = str(file)
        self.entry = entry
        self.field = field
        self.reason = message
        where = self.file
        if entry:
            where += f": {entry}"
        if field:
            where += f": {field}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, slots=True)
class FieldDef:
    key: str
    label: str
    type: FieldType
    aliases: tuple[str, ...] = ()
    unit: str = ""
    better: Better = None
    format: str = ""
    group: str = "identity"
    key_spec: bool = False
    help: str = ""
    needs: str | None = None  # a count field; when a GPU has none of those units, this field does not apply

    def format_value(self, value: Value) -> str:
        """``value`` with its unit, as people read it (``48 GB``, ``10,752``, ``Yes``)."""
        return format_value(self, value)


# Named conventions a note may declare instead of a value (``convention:``); see CONTRIBUTING.md.
#   unconfirmed  the field is null on purpose: no public source gives the value (an NVLink bandwidth...)
NOTE_CONVENTIONS = ("unconfirmed",)


@dataclass(frozen=True, slots=True)
class Note:
    """A note shown with answers. ``value`` or ``convention``, when given, is the exception the note backs:
    the truth checks accept that exact value (or convention) for ``field`` and nothing else."""

    text: str
    field: str | None = None
    value: Value = None
    convention: str | None = None


_PLAIN_NUMBERS = (int, float)  # exactly these types (not bool, a subclass of int)


@dataclass(frozen=True, slots=True)
class GPU:
    id: str
    name: str
    vendor: str
    family: str
    file: str
    aliases: tuple[str, ...]
    sources: tuple[str, ...]
    specs: Mapping[str, Value]
    notes: tuple[Note, ...] = ()
    #: The name without the vendor prefix (``RTX A6000``, ``GeForce RTX 4090``): answers say it again and again.
    short_name: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        name, cut = self.name, len(self.vendor) + 1
        short = name[cut:] if name.startswith(f"{self.vendor} ") else name
        object.__setattr__(self, "short_name", short)

    def get(self, key: str) -> Value:
        return self.specs.get(key)

    def number(self, key: str) -> float | None:
        """A numeric spec as float, or None when unknown or not numeric."""
        value = self.specs.get(key)
        if type(value) in _PLAIN_NUMBERS:  # the common case, tested first
            return float(value)  # type: ignore[arg-type]
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return float(value)

    def notes_for(self, key: str) -> list[Note]:
        return [n for n in self.notes if n.field == key]

    @property
    def source(self) -> str:
        return self.sources[0]


@dataclass(frozen=True, slots=True)
class GeneralAnswer:
    """An FAQ entry's answer for questions that name no GPU: its own title, and a template whose examples come
    from the whole catalog (``bot.catalog_faq.GENERAL_PLACEHOLDER``)."""

    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class FaqEntry:
    id: str
    question: str
    answer: str
    keywords: tuple[str, ...] = ()
    gpus: tuple[str, ...] = ()
    order_by: str | None = None
    intent: Literal["faq", "recommend"] = "faq"
    workload: str | None = None
    fields: tuple[str, ...] = ()  # looked up instead when the question names GPUs (glossary entries)
    general: GeneralAnswer | None = None  # the answer when the question names no GPU (entries with `gpus`)
    sources: tuple[str, ...] = ()  # where the answer's facts come from (beyond the catalog's GPU sources)
    one: GeneralAnswer | None = None  # the question and answer about any one card named ({a} placeholders only)
    generic: bool = False  # matched only when no other entry is ("is ecc worth it": the ECC entry, not value)


@dataclass(frozen=True, slots=True)
class SoftwareStack:
    """What runs on a group of GPUs (``specs/software.yaml``): CUDA, ROCm, XPU, Gaudi."""

    id: str
    vendor: str
    text: str
    about: str
    sources: tuple[str, ...]
    architectures: frozenset[str] = frozenset()
    compute_capability_below: float | None = None

    def applies(self, gpu: GPU) -> bool:
        if gpu.vendor != self.vendor:
            return False
        if self.architectures and gpu.get("architecture") not in self.architectures:
            return False
        if self.compute_capability_below is not None:
            try:
                cc = float(str(gpu.get("compute_capability")))  # a string such as "6.1"
            except ValueError:
                return False
            return cc < self.compute_capability_below
        return True


@dataclass(frozen=True, slots=True)
class Outside:
    """Hardware the catalog does not cover (``specs/outside.yaml``) and what to say about it."""

    id: str
    pattern: re.Pattern[str]
    reply: str


@dataclass(frozen=True)
class Catalog:
    """Everything in ``specs/``, validated. Treat as read-only; the mappings are proxies."""

    root: Path
    fields: Mapping[str, FieldDef]
    gpus: Mapping[str, GPU]
    faqs: tuple[FaqEntry, ...] = ()
    workloads: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: MappingProxyType({}))
    software: tuple[SoftwareStack, ...] = ()
    libraries: tuple[Library, ...] = ()  # libraries asked about by name (specs/libraries.yaml): which cards they run on
    uncovered_models: tuple[UncoveredModel, ...] = ()  # models named that are not estimated (models_uncovered.yaml)
    architectures: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: MappingProxyType({}))
    outside: tuple[Outside, ...] = ()
    # memory type -> (lowest, highest) per-pin data rate in Gbps of shipping parts (architectures.yaml)
    memory_types: Mapping[str, tuple[float, float]] = field(default_factory=lambda: MappingProxyType({}))

    def comparable(self, gpu: GPU, key: str) -> float | None:
        """``key`` on the convention shared across vendors, for scoring.

        AMD quotes RDNA 3/4 and CDNA 3/4 FP32 with dual issue (4 FLOPs per shader per clock,
        ``fp32_per_clock`` in ``specs/architectures.yaml``); NVIDIA and Intel count 2. Scores compare
        FP32 at 2, so a quoted 61.4 TFLOPS counts as 30.7.
        """
        value = gpu.number(key)
        if key == "fp32_tflops" and value is not None:
            arch = self.architectures.get(str(gpu.get("architecture")), {})
            value = value * 2 / float(arch.get("fp32_per_clock", 2))
        return value

    def software_for(self, gpu: GPU) -> SoftwareStack | None:
        """The first software stack in ``specs/software.yaml`` that applies to ``gpu``."""
        return next((stack for stack in self.software if stack.applies(gpu)), None)

    def __iter__(self) -> Iterator[GPU]:
        return iter(self.gpus.values())

    def __len__(self) -> int:
        return len(self.gpus)

    def gpu(self, gpu_id: str) -> GPU:
        return self.gpus[gpu_id]

    @property
    def key_fields(self) -> list[FieldDef]:
        return [f for f in self.fields.values() if f.key_spec]

    def faq(self, faq_id: str) -> FaqEntry:
        for entry in self.faqs:
            if entry.id == faq_id:
                return entry
        raise KeyError(faq_id)


# ---------------------------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------------------------


def format_value(fdef: FieldDef, value: Value) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        if fdef.format:
            number = value
            if fdef.format.endswith("d"):
                number = round(value)
            text = format(number, fdef.format)
        else:
            text = f"{value:g}"
        if fdef.unit == "USD":
            return f"${text}"
        return f"{text} {fdef.unit}".strip()
    return f"{value} {fdef.unit}".strip() if fdef.unit else str(value)
