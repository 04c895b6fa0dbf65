"""Load ``tests/estimates/reports.yaml``: real reported memory outcomes and measured decode speeds.

Every problem is reported as :class:`ReportError` naming the entry (its ``id``, or its position) and the field.
What the keys mean (a catalog model, a catalog GPU, a precision the estimator knows) is checked by
``tests/test_reports_data.py`` against the catalog; this module checks shape and types only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "MODES",
    "OUTCOMES",
    "REPORTS_PATH",
    "RUNTIMES",
    "Candidate",
    "Report",
    "ReportError",
    "load_candidates",
    "load_reports",
]

REPORTS_PATH = Path(__file__).with_name("reports.yaml")
MODES = ("inference", "full", "lora", "qlora")
OUTCOMES = ("fits", "oom")
RUNTIMES = (
    "vllm",
    "sglang",
    "tgi",
    "tensorrt-llm",
    "llama.cpp",
    "ollama",
    "lm-studio",
    "exllama",
    "mlc-llm",
    "transformers",
    "unsloth",
    "deepspeed",
    "litgpt",
    "llama-factory",
    "llama-recipes",
    "fastchat",
    "unknown",
)
MAX_QUOTE = 300
_FIELDS = (
    "id",
    "source",
    "quote",
    "model",
    "gpu",
    "count",
    "precision",
    "runtime",
    "mode",
    "context",
    "batch",
    "outcome",
    "tokens_per_s",
    "notes",
    "settings",
)
#: Runtime settings a report states that change how memory is taken (``settings:`` of an entry): the values a word
#: setting takes; the share-of-card settings (vLLM's gpu_memory_utilization, SGLang's mem_fraction_static) take a
#: fraction in (0, 1].
SETTINGS: dict[str, tuple[str, ...]] = {
    "split_mode": ("layer", "row"),
    # llama.cpp's flash attention as the report states it (-fa off, or a build before b6325, when it was off by default)
    "flash_attention": ("on", "off"),
    # the training strategy a report states (a DeepSpeed ZeRO-3 config, FSDP...), as bot/estimator_strategy.py names it
    # vLLM's --enforce-eager (no CUDA graphs)
    "enforce_eager": ("on", "off"),
    "strategy": ("ddp", "zero-1", "zero-2", "zero-3", "zero-3-offload", "fsdp-full-shard", "pipeline"),
}
FRACTIONS = ("gpu_memory_utilization", "mem_fraction_static")
#: The runtime's version as the report states it (a quoted "0.8.5": bot/estimator_vllm.py reads vLLM's by era,
#: bot/estimator_tgi.py TGI's).
VERSIONS = ("vllm_version", "tgi_version")
_VERSION = re.compile(r"^\d+\.\d+(\.\d+)?$")
#: Whole-number settings (vLLM's max_num_seqs; TGI's max_batch_prefill_tokens, the warm-up prefill's tokens).
COUNTS = ("max_num_seqs", "max_batch_prefill_tokens")


class ReportError(ValueError):
    """A problem in the reports file, naming the entry and the field."""

    def __init__(self, entry: str, field: str, message: str) -> None:
        super().__init__(f"{REPORTS_PATH.name}: entry {entry!r}, field {field!r}: {message}")
        self.entry = entry
        self.field = field


@dataclass(frozen=True, slots=True)
class Report:
    """One public report: a setup, and whether it loaded (and/or how fast it decoded)."""

    id: str
    source: str
    quote: str
    model: str
    gpu: str
    count: int
    precision: str
    runtime: str
    mode: str
    context: int | None
    batch: int | None
    outcome: str | None
    tokens_per_s: float | None
    notes: str = ""
    settings: tuple[tuple[str, str | float], ...] = ()  # runtime settings the report states (SETTINGS, FRACTIONS...)

    def setting(self, name: str) -> str | float | None:
        return dict(self.settings).get(name)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A reported model the catalog lacks (not counted), with where it was reported."""

    model: str
    config: str
    sources: tuple[str, ...]
    note: str = ""


def _text(raw: Mapping[str, Any], name: str, entry: str, *, required: bool = True) -> str:
    value = raw.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise ReportError(entry, name, "needs a non-empty string")
    return value


def _whole(raw: Mapping[str, Any], name: str, entry: str, *, optional: bool) -> int | None:
    value = raw.get(name)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ReportError(entry, name, "needs a whole number of at least 1" + (" or null" if optional else ""))
    return value


def _report(raw: Any, index: int) -> Report:
    entry = str(raw.get("id")) if isinstance(raw, Mapping) and raw.get("id") else f"#{index}"
    if not isinstance(raw, Mapping):
        raise ReportError(entry, "-", "each report is a mapping")
    unknown = sorted(set(raw) - set(_FIELDS))
    if unknown:
        raise ReportError(entry, unknown[0], "unknown field")
    source = _text(raw, "source", entry)
    if not source.startswith("https://"):
        raise ReportError(entry, "source", "needs an https:// URL")
    quote = _text(raw, "quote", entry)
    if len(quote) > MAX_QUOTE:
        raise ReportError(entry, "quote", f"longer than {MAX_QUOTE} characters")
    mode = _text(raw, "mode", entry)
    if mode not in MODES:
        raise ReportError(entry, "mode", f"one of {', '.join(MODES)}")
    runtime = _text(raw, "runtime", entry)
    if runtime not in RUNTIMES:
        raise ReportError(entry, "runtime", f"one of {', '.join(RUNTIMES)}")
    outcome = raw.get("outcome")
    if outcome is not None and outcome not in OUTCOMES:
        raise ReportError(entry, "outcome", "fits, oom or null")
    speed = raw.get("tokens_per_s")
    if speed is not None and (isinstance(speed, bool) or not isinstance(speed, int | float) or speed <= 0):
        raise ReportError(entry, "tokens_per_s", "a positive number or null")
    if outcome is None and speed is None:
        raise ReportError(entry, "outcome", "a report needs an outcome, a speed, or both")
    count = _whole(raw, "count", entry, optional=False)
    return Report(
        id=_text(raw, "id", entry),
        source=source,
        quote=quote,
        model=_text(raw, "model", entry),
        gpu=_text(raw, "gpu", entry),
        count=count or 1,
        precision=_text(raw, "precision", entry),
        runtime=runtime,
        mode=mode,
        context=_whole(raw, "context", entry, optional=True),
        batch=_whole(raw, "batch", entry, optional=True),
        outcome=outcome,
        tokens_per_s=float(speed) if speed is not None else None,
        notes=_text(raw, "notes", entry, required=False),
        settings=_settings(raw.get("settings"), entry),
    )


def _count_or_version(name: str, value: Any) -> bool:
    """A whole-number setting (COUNTS) at least 1, or a version setting (VERSIONS) written as a quoted version."""
    if name in COUNTS:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 1
    return name in VERSIONS and isinstance(value, str) and _VERSION.match(value) is not None


def _settings(raw: Any, entry: str) -> tuple[tuple[str, str | float], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        raise ReportError(entry, "settings", "a mapping of setting to value")
    out: list[tuple[str, str | float]] = []
    for name, value in raw.items():
        if name in FRACTIONS:
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
                raise ReportError(entry, "settings", f"{name} is a fraction in (0, 1]")
            out.append((str(name), float(value)))
        elif _count_or_version(name, value):
            out.append((str(name), value))
        elif name in SETTINGS and value in SETTINGS[name]:
            out.append((str(name), str(value)))
        else:
            known = ", ".join((*SETTINGS, *FRACTIONS, *COUNTS, *VERSIONS))
            raise ReportError(entry, "settings", f"unknown setting or value {name}: {value!r} (settings: {known})")
    return tuple(sorted(out))


def _read(path: Path) -> Mapping[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, Mapping) or not isinstance(data.get("reports"), list):
        raise ReportError("-", "reports", "the file needs a `reports:` list")
    return data


def load_reports(path: Path = REPORTS_PATH) -> list[Report]:
    """Every report, validated; ids are unique."""
    reports = [_report(raw, i) for i, raw in enumerate(_read(path)["reports"], 1)]
    seen: set[str] = set()
    for r in reports:
        if r.id in seen:
            raise ReportError(r.id, "id", "duplicate id")
        seen.add(r.id)
    return reports


def load_candidates(path: Path = REPORTS_PATH) -> list[Candidate]:
    """Models reported but missing from the catalog (not counted in the reports)."""
    out: list[Candidate] = []
    for i, raw in enumerate(_read(path).get("candidates") or [], 1):
        entry = str(raw.get("model")) if isinstance(raw, Mapping) and raw.get("model") else f"candidate #{i}"
        if not isinstance(raw, Mapping):
            raise ReportError(entry, "-", "each candidate is a mapping")
        sources = raw.get("sources")
        if not isinstance(sources, list) or not sources or not all(isinstance(s, str) for s in sources):
            raise ReportError(entry, "sources", "needs a list of URLs")
        out.append(
            Candidate(
                model=_text(raw, "model", entry),
                config=_text(raw, "config", entry),
                sources=tuple(sources),
                note=_text(raw, "note", entry, required=False),
            )
        )
    return out
