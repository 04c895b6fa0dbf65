"""Inference and training runtimes and their memory budgets (``specs/runtimes.yaml``), loaded and checked.

Each runtime takes memory its own way: vLLM and SGLang set aside a fraction of the card and fill what the weights and
a profiling pass leave with a KV pool; llama.cpp and Ollama allocate the KV cache for the whole context at load plus a
compute buffer; ExLlamaV2 allocates its cache for ``max_seq_len``. Every figure in the file carries its source and the
source's own words; :func:`load_runtimes` raises :class:`~bot.catalog.CatalogError` naming file, entry and field on a
mistake. The small pure functions below turn the data into the budget of one runtime shape each; they return None
where the data holds nothing for that runtime.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.catalog import CatalogError, check_keys, read_yaml
from bot.runtimes_buffer import llamacpp_compute_buffer_mib
from bot.text import normalize

__all__ = [
    "Param",
    "Runtime",
    "Runtimes",
    "cache_bytes_per_element",
    "kv_allocation",
    "llamacpp_compute_buffer_mib",
    "load_runtimes",
    "ollama_default_context",
    "sharded_bytes_per_param",
    "usable_fraction",
]

FILE = "runtimes.yaml"
KINDS = frozenset({"server", "local", "training", "frontend"})
KV_ALLOCATIONS = frozenset({"pool", "full_context", "max_seq_len", "dynamic"})
TRAINING_PARTS = ("weights", "gradients", "optimizer")
MIB = 1024 * 1024

_SECTIONS = {"assumed", "runtimes", "compute_buffer", "training", "reference_points"}
_RUNTIME_KEYS = {"id", "name", "kind", "aliases", "repo", "kv_allocation", "runs", "note", "params"}
_PARAM_KEYS = {"name", "value", "unit", "source", "quote", "versions", "note"}
_SAMPLE_KEYS = {"model", "n_embd", "n_head", "n_vocab", "n_ctx", "n_ubatch", "printed_mib", "source", "quote", "note"}
_RULE_KEYS = {"runtime", "flash_attention", "source", "quote", "tolerance_mib", "samples"}
_TRAINING_KEYS = {"bytes_per_param", "source", "quote", "quote_from", "strategies"}
_STRATEGY_KEYS = {"id", "shards", "source", "quote"}
_REFERENCE_KEYS = {"source", "quote", "english_page", "rows"}
_ROW_KEYS = {"params_b", "qlora_gb", "lora_gb"}
_ID_RE = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")
_URL_RE = re.compile(r"^https?://\S+$")


@dataclass(frozen=True, slots=True)
class Param:
    """One budget figure: its value (a number, a flag, text, or a small table), unit, and where it comes from."""

    name: str
    value: Any
    unit: str
    source: str
    quote: str
    versions: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Runtime:
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    repo: str
    kv_allocation: str
    params: tuple[Param, ...] = ()
    runs: tuple[str, ...] = ()  # a front end: the runtimes it loads models with
    note: str = ""

    def param(self, name: str) -> Param | None:
        """The figure answers assume for ``name``: the first entry of that name (later ones are other versions)."""
        return next((p for p in self.params if p.name == name), None)

    def history(self, name: str) -> tuple[Param, ...]:
        """Every entry of ``name``, in file order (the assumed one first)."""
        return tuple(p for p in self.params if p.name == name)


@dataclass(frozen=True, slots=True)
class Sample:
    """A compute-buffer size llama.cpp printed, with the model shape and settings it was printed for."""

    model: str
    n_embd: int
    n_head: int
    n_vocab: int
    n_ctx: int
    n_ubatch: int
    printed_mib: float
    source: str
    quote: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class ComputeBufferRule:
    runtime: str
    flash_attention: bool
    source: str
    quote: str
    tolerance_mib: float
    samples: tuple[Sample, ...]


@dataclass(frozen=True, slots=True)
class Strategy:
    """A data-parallel training strategy and the parts of the training state it shards across GPUs."""

    id: str
    shards: tuple[str, ...]
    source: str
    quote: str


@dataclass(frozen=True, slots=True)
class Training:
    bytes_per_param: Mapping[str, float]
    source: str
    quote: str
    strategies: tuple[Strategy, ...]

    def strategy(self, strategy_id: str) -> Strategy | None:
        return next((s for s in self.strategies if s.id == strategy_id), None)


@dataclass(frozen=True, slots=True)
class ReferencePoint:
    """Published minimum fine-tuning VRAM for a model size (unsloth's table)."""

    params_b: float
    qlora_gb: float
    lora_gb: float


@dataclass(frozen=True, slots=True)
class Assumed:
    workload: str
    runtime: str
    reason: str


@dataclass(frozen=True, slots=True)
class Runtimes:
    runtimes: tuple[Runtime, ...]
    assumed: Mapping[str, Assumed]
    compute_buffer: ComputeBufferRule
    training: Training
    reference_points: tuple[ReferencePoint, ...]
    reference_source: str
    _by_name: Mapping[str, str]

    def get(self, runtime_id: str) -> Runtime | None:
        return next((r for r in self.runtimes if r.id == runtime_id), None)

    def find(self, text: str) -> Runtime | None:
        """The runtime ``text`` names (an id or an alias, however it is typed: ``LM-Studio``, ``llama.cpp``)."""
        runtime_id = self._by_name.get(normalize(text))
        return self.get(runtime_id) if runtime_id else None

    def names(self) -> dict[str, str]:
        """Every name (id or alias, normalised) to its runtime's id."""
        return dict(self._by_name)

    def assumed_for(self, workload: str) -> Runtime | None:
        """The runtime an answer assumes for ``workload`` (``inference`` or ``training``) when none is named."""
        chosen = self.assumed.get(workload)
        return self.get(chosen.runtime) if chosen else None


def usable_fraction(runtime: Runtime, total_gib: float, parallel: int = 1) -> float | None:
    """The share of a card's total memory the runtime lets itself use by default (weights + KV pool + its own
    buffers), or None when the data holds no such fraction for it.

    vLLM: ``gpu_memory_utilization``; SGLang: ``mem_fraction_static`` by its memory-tier rule (``parallel`` is tensor x
    pipeline parallel size), falling back to its tensor-parallel table; TGI: ``cuda_memory_fraction``.
    """
    if runtime.id == "sglang":
        return _sglang_fraction(runtime, total_gib, parallel)
    for name in ("gpu_memory_utilization", "cuda_memory_fraction"):
        param = runtime.param(name)
        if param is not None:
            return float(param.value)
    return None


def _sglang_fraction(runtime: Runtime, total_gib: float, parallel: int) -> float | None:
    tiers = runtime.param("mem_fraction_static_reserve")
    if tiers is not None and total_gib > 0:
        for below, base, per_gpu in tiers.value:
            if below is None or total_gib < below:
                reserved = float(base) + float(per_gpu) * parallel
                return round((total_gib - reserved) / total_gib, 3)
    table = runtime.param("mem_fraction_static_by_tp")
    if table is None:
        return None
    return next((float(share) for at_least, share in table.value if parallel >= at_least), None)


def ollama_default_context(runtime: Runtime, total_vram_gib: float) -> int | None:
    """Ollama's default context for a machine with ``total_vram_gib`` of GPU memory (its newest rule: a tier table),
    or the flat default of the version the data puts first; None for other runtimes."""
    param = runtime.param("num_ctx")
    if param is None:
        return None
    if isinstance(param.value, int | float):
        return int(param.value)
    return next((int(ctx) for at_least, ctx in param.value if total_vram_gib >= at_least), None)


def cache_bytes_per_element(runtime: Runtime, mode: str) -> float | None:
    """Bytes per cached K or V element (the mean of K and V) in a cache ``mode`` (``fp16``, ``q4``...), scales
    included; None for a runtime or mode the data does not give."""
    storage = runtime.param("storage_bytes")
    if storage is None or mode not in storage.value:
        return None
    k_bytes, v_bytes = storage.value[mode]
    scales = runtime.param("q_cache_scale_bytes")
    extra = float(scales.value) if scales is not None and mode.startswith("q") else 0.0
    return (float(k_bytes) + float(v_bytes)) / 2 + extra


def kv_allocation(runtime: Runtime) -> str:
    """How the runtime takes KV-cache memory: ``pool``, ``full_context``, ``max_seq_len`` or ``dynamic``."""
    return runtime.kv_allocation


def sharded_bytes_per_param(training: Training, strategy_id: str, gpus: int) -> float | None:
    """Training-state bytes per parameter on each GPU: the parts the strategy shards are divided over ``gpus``, the
    rest is whole on every GPU (ZeRO-3 / FSDP full shard: 16 / N for mixed-precision Adam). None for an unknown
    strategy or a GPU count below one."""
    strategy = training.strategy(strategy_id)
    if strategy is None or gpus < 1:
        return None
    return sum(b / gpus if part in strategy.shards else b for part, b in training.bytes_per_param.items())


def _err(path: Path, message: str, entry: str | None = None, fld: str | None = None) -> CatalogError:
    return CatalogError(path, message, entry=entry, field=fld)


def _text(raw: Any, path: Path, entry: str, fld: str, *, required: bool = True) -> str:
    if raw is None and not required:
        return ""
    if not isinstance(raw, str) or not raw.strip():
        raise _err(path, "must be non-empty text", entry, fld)
    return " ".join(raw.split())


def _url(raw: Any, path: Path, entry: str, fld: str) -> str:
    text = _text(raw, path, entry, fld)
    if not _URL_RE.match(text):
        raise _err(path, f"must be a URL, not {text!r}", entry, fld)
    return text


def _number(raw: Any, path: Path, entry: str, fld: str, *, integer: bool = False) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or raw < 0 or (integer and not isinstance(raw, int)):
        raise _err(path, f"must be a {'whole ' if integer else ''}number of at least 0, not {raw!r}", entry, fld)
    return float(raw)


def _texts(raw: Any, path: Path, entry: str, fld: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _err(path, "must be a list", entry, fld)
    return tuple(_text(item, path, entry, fld) for item in raw)


def _param(raw: Any, path: Path, entry: str, index: int) -> Param:
    where = f"{entry}: params[{index}]"
    if not isinstance(raw, dict):
        raise _err(path, "must be a mapping", where)
    check_keys(raw, _PARAM_KEYS, ("name", "unit"), path, where)
    name = _text(raw["name"], path, where, "name")
    if "value" not in raw or raw["value"] is None or raw["value"] == "":
        raise _err(path, "`value` is required (leave a figure out rather than guess it)", f"{entry}: {name}", "value")
    return Param(
        name=name,
        value=raw["value"],
        unit=_text(raw["unit"], path, f"{entry}: {name}", "unit"),
        source=_url(raw.get("source"), path, f"{entry}: {name}", "source"),
        quote=_text(raw.get("quote"), path, f"{entry}: {name}", "quote"),
        versions=_text(raw.get("versions"), path, f"{entry}: {name}", "versions", required=False),
        note=_text(raw.get("note"), path, f"{entry}: {name}", "note", required=False),
    )


def _runtime(raw: Any, path: Path, index: int) -> Runtime:
    if not isinstance(raw, dict):
        raise _err(path, "must be a mapping", f"runtimes[{index}]")
    rid = raw.get("id")
    entry = rid if isinstance(rid, str) and rid else f"runtimes[{index}]"
    check_keys(raw, _RUNTIME_KEYS, ("id", "name", "kind", "repo", "kv_allocation"), path, entry)
    if not _ID_RE.match(entry):
        raise _err(path, "ids are lowercase words joined by '-' or '.'", entry, "id")
    if raw["kind"] not in KINDS:
        raise _err(path, f"must be one of {sorted(KINDS)}", entry, "kind")
    if raw["kv_allocation"] not in KV_ALLOCATIONS:
        raise _err(path, f"must be one of {sorted(KV_ALLOCATIONS)}", entry, "kv_allocation")
    params = raw.get("params")
    if not isinstance(params, list):
        raise _err(path, "must be a list (empty when no figure is known)", entry, "params")
    return Runtime(
        id=entry,
        name=_text(raw["name"], path, entry, "name"),
        kind=raw["kind"],
        aliases=_texts(raw.get("aliases"), path, entry, "aliases"),
        repo=_url(raw["repo"], path, entry, "repo"),
        kv_allocation=raw["kv_allocation"],
        params=tuple(_param(p, path, entry, i) for i, p in enumerate(params)),
        runs=_texts(raw.get("runs"), path, entry, "runs"),
        note=_text(raw.get("note"), path, entry, "note", required=False),
    )


def _sample(raw: Any, path: Path, index: int) -> Sample:
    where = f"compute_buffer: samples[{index}]"
    if not isinstance(raw, dict):
        raise _err(path, "must be a mapping", where)
    check_keys(raw, _SAMPLE_KEYS, ("model", "source", "quote"), path, where)
    ints = {k: int(_number(raw.get(k), path, where, k, integer=True)) for k in ("n_embd", "n_head", "n_vocab", "n_ctx")}
    return Sample(
        model=_text(raw["model"], path, where, "model"),
        n_ubatch=int(_number(raw.get("n_ubatch"), path, where, "n_ubatch", integer=True)),
        printed_mib=_number(raw.get("printed_mib"), path, where, "printed_mib"),
        source=_url(raw["source"], path, where, "source"),
        quote=_text(raw["quote"], path, where, "quote"),
        note=_text(raw.get("note"), path, where, "note", required=False),
        **ints,
    )


def _compute_buffer(raw: Any, path: Path) -> ComputeBufferRule:
    where = "compute_buffer"
    if not isinstance(raw, dict):
        raise _err(path, "must be a mapping", where)
    check_keys(raw, _RULE_KEYS, ("runtime", "source", "quote"), path, where)
    if not isinstance(raw.get("flash_attention"), bool):
        raise _err(path, "must be true or false", where, "flash_attention")
    samples = raw.get("samples")
    if not isinstance(samples, list) or not samples:
        raise _err(path, "must list the printed figures the rule is checked against", where, "samples")
    return ComputeBufferRule(
        runtime=raw["runtime"],
        flash_attention=raw["flash_attention"],
        source=_url(raw["source"], path, where, "source"),
        quote=_text(raw["quote"], path, where, "quote"),
        tolerance_mib=_number(raw.get("tolerance_mib"), path, where, "tolerance_mib"),
        samples=tuple(_sample(s, path, i) for i, s in enumerate(samples)),
    )


def _strategy(raw: Any, path: Path, index: int) -> Strategy:
    where = f"training: strategies[{index}]"
    if not isinstance(raw, dict):
        raise _err(path, "must be a mapping", where)
    check_keys(raw, _STRATEGY_KEYS, ("id", "source", "quote"), path, where)
    shards = _texts(raw.get("shards"), path, where, "shards")
    unknown = [s for s in shards if s not in TRAINING_PARTS]
    if unknown:
        raise _err(path, f"unknown part {unknown[0]!r} (one of {list(TRAINING_PARTS)})", where, "shards")
    return Strategy(
        id=raw["id"],
        shards=shards,
        source=_url(raw["source"], path, where, "source"),
        quote=_text(raw["quote"], path, where, "quote"),
    )


def _training(raw: Any, path: Path) -> Training:
    where = "training"
    if not isinstance(raw, dict):
        raise _err(path, "must be a mapping", where)
    check_keys(raw, _TRAINING_KEYS, ("source", "quote"), path, where)
    parts = raw.get("bytes_per_param")
    if not isinstance(parts, dict) or set(parts) != set(TRAINING_PARTS):
        raise _err(path, f"must give bytes for exactly {list(TRAINING_PARTS)}", where, "bytes_per_param")
    strategies = raw.get("strategies")
    if not isinstance(strategies, list):
        raise _err(path, "must be a list", where, "strategies")
    return Training(
        bytes_per_param=MappingProxyType(
            {k: _number(parts[k], path, where, f"bytes_per_param: {k}") for k in TRAINING_PARTS}
        ),
        source=_url(raw["source"], path, where, "source"),
        quote=_text(raw["quote"], path, where, "quote"),
        strategies=tuple(_strategy(s, path, i) for i, s in enumerate(strategies)),
    )


def _reference(raw: Any, path: Path) -> tuple[tuple[ReferencePoint, ...], str]:
    where = "reference_points"
    if not isinstance(raw, dict):
        raise _err(path, "must be a mapping", where)
    check_keys(raw, _REFERENCE_KEYS, ("source", "quote"), path, where)
    rows = raw.get("rows")
    if not isinstance(rows, list):
        raise _err(path, "must be a list", where, "rows")
    points = []
    for i, row in enumerate(rows):
        at = f"{where}: rows[{i}]"
        if not isinstance(row, dict):
            raise _err(path, "must be a mapping", at)
        check_keys(row, _ROW_KEYS, (), path, at)
        points.append(ReferencePoint(*(_number(row.get(k), path, at, k) for k in ("params_b", "qlora_gb", "lora_gb"))))
    return tuple(points), _url(raw["source"], path, where, "source")


def _assumed(raw: Any, path: Path, ids: set[str]) -> dict[str, Assumed]:
    if not isinstance(raw, dict) or not raw:
        raise _err(path, "must map a workload to the runtime assumed for it", "assumed")
    out = {}
    for workload, body in raw.items():
        where = f"assumed: {workload}"
        if not isinstance(body, dict):
            raise _err(path, "must be a mapping", where)
        check_keys(body, {"runtime", "reason"}, ("runtime", "reason"), path, where)
        if body["runtime"] not in ids:
            raise _err(path, f"unknown runtime {body['runtime']!r}", where, "runtime")
        out[str(workload)] = Assumed(str(workload), body["runtime"], _text(body["reason"], path, where, "reason"))
    return out


def _names(runtimes: tuple[Runtime, ...], path: Path) -> dict[str, str]:
    """Every id, then every alias, normalised, to its runtime: an alias that is already a name (another entry's id
    or alias, or its own id) is an error naming the alias's entry."""
    names = {normalize(rt.id): rt.id for rt in runtimes}
    for rt in runtimes:
        for alias in rt.aliases:
            key = normalize(alias)
            if not key:
                raise _err(path, f"{alias!r} normalises to nothing", rt.id, "aliases")
            if key in names:
                raise _err(path, f"{alias!r} is already a name of {names[key]}", rt.id, "aliases")
            names[key] = rt.id
    return names


def _check_links(runtimes: tuple[Runtime, ...], rule: ComputeBufferRule, path: Path) -> None:
    ids: set[str] = set()
    for rt in runtimes:
        if rt.id in ids:
            raise _err(path, "duplicate id", rt.id, "id")
        ids.add(rt.id)
    for rt in runtimes:
        unknown = [r for r in rt.runs if r not in ids]
        if unknown:
            raise _err(path, f"unknown runtime {unknown[0]!r}", rt.id, "runs")
    if rule.runtime not in ids:
        raise _err(path, f"unknown runtime {rule.runtime!r}", "compute_buffer", "runtime")


def load_runtimes(specs: Path) -> Runtimes:
    """Load and check ``specs/runtimes.yaml``."""
    path = specs / FILE
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise _err(path, "the file must be a mapping of sections")
    check_keys(raw, _SECTIONS, (), path, "runtimes.yaml")
    missing = sorted(_SECTIONS - set(raw))
    if missing:
        raise _err(path, f"section '{missing[0]}' is missing", missing[0])
    entries = raw["runtimes"]
    if not isinstance(entries, list) or not entries:
        raise _err(path, "must be a non-empty list", "runtimes")
    runtimes = tuple(_runtime(r, path, i) for i, r in enumerate(entries))
    rule = _compute_buffer(raw["compute_buffer"], path)
    _check_links(runtimes, rule, path)
    points, reference_source = _reference(raw["reference_points"], path)
    return Runtimes(
        runtimes=runtimes,
        assumed=MappingProxyType(_assumed(raw["assumed"], path, {r.id for r in runtimes})),
        compute_buffer=rule,
        training=_training(raw["training"], path),
        reference_points=points,
        reference_source=reference_source,
        _by_name=MappingProxyType(_names(runtimes, path)),
    )
