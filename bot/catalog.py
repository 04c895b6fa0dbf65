"""The GPU catalog: spec-field definitions, GPUs and FAQ entries loaded from ``specs/``.

Loaded once at start, validated whole, immutable afterwards. Every validation error names the
file, the GPU (or entry) and the field, and keeps the original exception as its cause.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import math
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import yaml

from bot.text import compact

__all__ = [
    "GPU",
    "Catalog",
    "CatalogError",
    "FaqEntry",
    "FieldDef",
    "Note",
    "find_specs_dir",
    "format_value",
    "load_catalog",
]

log = logging.getLogger(__name__)

# The C loader is several times faster; fall back quietly where libyaml is missing.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

FieldType = Literal["int", "float", "str", "bool", "date"]
Better = Literal["higher", "lower"] | None
Value = int | float | str | bool | None

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?$")
_URL_RE = re.compile(r"^https?://\S+$")
_FIELD_TYPES = ("int", "float", "str", "bool", "date")
_GROUPS = ("identity", "compute", "memory", "power", "board", "software")


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

    def get(self, key: str) -> Value:
        return self.specs.get(key)

    def number(self, key: str) -> float | None:
        """A numeric spec as float, or None when unknown or not numeric."""
        value = self.specs.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return float(value)

    def notes_for(self, key: str) -> list[Note]:
        return [n for n in self.notes if n.field == key]

    @property
    def short_name(self) -> str:
        """The name without the vendor prefix: ``RTX A6000``, ``GeForce RTX 4090``."""
        for prefix in (f"{self.vendor} ",):
            if self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name

    @property
    def source(self) -> str:
        return self.sources[0]


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


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def find_specs_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Where ``specs/`` lives: an explicit path, ``$GPUBOT_SPECS``, the wheel, or the clone."""
    candidates: list[Path] = []
    if explicit:
        return Path(explicit)
    if env := os.environ.get("GPUBOT_SPECS"):
        return Path(env)
    here = Path(__file__).resolve().parent
    candidates.append(here / "specs")  # installed wheel: specs/ is packaged inside bot/
    candidates.append(here.parent / "specs")  # a clone or an editable install
    for path in candidates:
        if (path / "fields.yaml").is_file():
            return path
    raise CatalogError(candidates[-1], "cannot find the specs folder (set GPUBOT_SPECS or --specs)")


def _cache_dir() -> Path | None:
    """Where parsed specs files are cached ($GPUBOT_CACHE, else the user cache dir); None turns it off."""
    configured = os.environ.get("GPUBOT_CACHE")
    if configured is not None:
        return Path(configured) if configured.strip() and configured.strip() != "0" else None
    try:
        import platformdirs
    except ImportError:  # pragma: no cover - a runtime dependency
        return None
    return Path(platformdirs.user_cache_path("gpubot")) / "specs"


def read_yaml(path: Path) -> Any:
    """Parse a specs file, with names in the error. Parsed files are cached as JSON by content hash, so
    an unchanged file loads without re-parsing YAML (dates come back as ISO strings, which every loader
    accepts); a changed file has a new hash and is parsed afresh."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise CatalogError(path, "file not found") from exc
    cache_dir = _cache_dir()
    cached = cache_dir / f"{hashlib.blake2b(raw, digest_size=16).hexdigest()}.json" if cache_dir else None
    if cached is not None:
        with contextlib.suppress(OSError, ValueError):
            return json.loads(cached.read_bytes())
    try:
        data = yaml.load(raw, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise CatalogError(path, f"invalid YAML{where}: {getattr(exc, 'problem', exc)}") from exc
    if cached is not None:
        with contextlib.suppress(OSError, TypeError, ValueError):
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(data, default=_json_default), encoding="utf-8")
            tmp.replace(cached)
            _prune(cached.parent)
        data = json.loads(json.dumps(data, default=_json_default))  # the same shape a cache hit gives
    return data


CACHE_FILES = 64


def _prune(folder: Path) -> None:
    """Keep the cache small: the newest CACHE_FILES parsed files."""
    files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in files[CACHE_FILES:]:
        stale.unlink(missing_ok=True)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def _expect(cond: bool, path: Path, message: str, entry: str | None = None, fld: str | None = None) -> None:
    if not cond:
        raise CatalogError(path, message, entry=entry, field=fld)


def check_keys(raw: dict[str, Any], allowed: set[str], required: tuple[str, ...], path: Path, name: str) -> None:
    """No keys beyond ``allowed``; every ``required`` key holds non-empty text."""
    unknown = set(raw) - allowed
    _expect(not unknown, path, f"unknown keys {sorted(unknown)}", name)
    for key in required:
        value = raw.get(key)
        _expect(isinstance(value, str) and value.strip() != "", path, f"`{key}` is required", name, key)


def _str_list(raw: Any, path: Path, entry: str, fld: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    _expect(isinstance(raw, list), path, "must be a list of strings", entry, fld)
    out = []
    for item in raw:
        _expect(isinstance(item, str | int) and str(item).strip() != "", path, f"bad item {item!r}", entry, fld)
        out.append(str(item).strip())
    return tuple(out)


def _load_fields(path: Path) -> dict[str, FieldDef]:
    data = read_yaml(path)
    _expect(isinstance(data, dict) and isinstance(data.get("fields"), list), path, "needs a `fields:` list")
    allowed = {"key", "label", "aliases", "type", "unit", "better", "format", "group", "key_spec", "help", "needs"}
    fields: dict[str, FieldDef] = {}
    for i, raw in enumerate(data["fields"]):
        entry = raw.get("key") if isinstance(raw, dict) else None
        name = str(entry or f"#{i + 1}")
        _expect(isinstance(raw, dict), path, "each field must be a mapping", name)
        _expect(
            isinstance(entry, str) and bool(_ID_RE.match(entry.replace("_", "-"))),
            path,
            "`key` must be snake_case",
            name,
            "key",
        )
        unknown = set(raw) - allowed
        _expect(not unknown, path, f"unknown keys {sorted(unknown)}", name)
        _expect(entry not in fields, path, "duplicate field key", name, "key")
        _expect(raw.get("type") in _FIELD_TYPES, path, f"`type` must be one of {_FIELD_TYPES}", name, "type")
        _expect(
            raw.get("better") in ("higher", "lower", None),
            path,
            "`better` must be higher, lower or null",
            name,
            "better",
        )
        _expect(raw.get("group", "identity") in _GROUPS, path, f"`group` must be one of {_GROUPS}", name, "group")
        _expect(
            isinstance(raw.get("label"), str) and raw["label"].strip() != "",
            path,
            "needs a label",
            name,
            "label",
        )
        fmt = raw.get("format", "") or ""
        if fmt:
            try:
                format(1 if fmt.endswith("d") else 1.5, fmt)
            except ValueError as exc:
                raise CatalogError(path, f"bad format spec {fmt!r}", entry=name, field="format") from exc
        fields[name] = FieldDef(
            key=name,
            label=raw["label"],
            type=raw["type"],
            aliases=tuple(a.lower() for a in _str_list(raw.get("aliases"), path, name, "aliases")),
            unit=str(raw.get("unit") or ""),
            better=raw.get("better"),
            format=fmt,
            group=raw.get("group", "identity"),
            key_spec=bool(raw.get("key_spec", False)),
            help=str(raw.get("help") or ""),
            needs=raw.get("needs"),
        )
    for fdef in fields.values():
        _expect(
            fdef.needs is None or (fdef.needs in fields and fields[fdef.needs].type == "int"),
            path,
            f"`needs` must name a count field, not {fdef.needs!r}",
            fdef.key,
            "needs",
        )
    seen: dict[str, str] = {}
    for fdef in fields.values():
        for alias in (fdef.key.replace("_", " "), fdef.label.lower(), *fdef.aliases):
            key = compact(alias)
            other = seen.setdefault(key, fdef.key)
            _expect(
                other == fdef.key,
                path,
                f"alias {alias!r} also belongs to field {other!r}",
                fdef.key,
                "aliases",
            )
    return fields


def _coerce(fdef: FieldDef, value: Any, path: Path, gpu_id: str) -> Value:
    """Check one spec value against its field definition and return it in canonical form."""
    if value is None:
        return None
    key = f"specs.{fdef.key}"
    kind = fdef.type
    if kind == "bool":
        _expect(isinstance(value, bool), path, f"expected true/false, got {value!r}", gpu_id, key)
        return bool(value)
    if kind == "int":
        _expect(
            isinstance(value, int) and not isinstance(value, bool),
            path,
            f"expected a whole number{f' in {fdef.unit}' if fdef.unit else ''}, got {value!r}",
            gpu_id,
            key,
        )
        _expect(value >= 0, path, f"must not be negative, got {value!r}", gpu_id, key)
        return int(value)
    if kind == "float":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        _expect(
            ok,
            path,
            f"expected a number{f' in {fdef.unit}' if fdef.unit else ''}, got {value!r}",
            gpu_id,
            key,
        )
        _expect(
            math.isfinite(value) and value >= 0,
            path,
            f"must be a finite, non-negative number, got {value!r}",
            gpu_id,
            key,
        )
        return value if isinstance(value, int) else float(value)
    if kind == "date":
        if isinstance(value, dt.date):
            return value.isoformat()
        _expect(
            isinstance(value, str) and bool(_DATE_RE.match(value)),
            path,
            f"expected a date YYYY-MM-DD (or YYYY-MM), got {value!r}",
            gpu_id,
            key,
        )
        try:
            dt.date.fromisoformat(value if len(value) == 10 else f"{value}-01")
        except ValueError as exc:
            raise CatalogError(path, f"not a real date: {value!r}", entry=gpu_id, field=key) from exc
        return str(value)
    _expect(
        isinstance(value, str) and value.strip() != "",
        path,
        f'expected text, got {value!r} (quote numbers that are really text, like "8.6")',
        gpu_id,
        key,
    )
    return str(value).strip()


def _load_note(note: Any, fields: Mapping[str, FieldDef], path: Path, gpu_id: str) -> Note:
    """One entry of a GPU's ``notes:``: ``text``, an optional ``field``, and the exception it backs."""
    _expect(
        isinstance(note, dict) and isinstance(note.get("text"), str), path, "each note needs `text:`", gpu_id, "notes"
    )
    unknown = set(note) - {"field", "text", "value", "convention"}
    _expect(not unknown, path, f"unknown note keys {sorted(unknown)}", gpu_id, "notes")
    nfield = note.get("field")
    _expect(nfield is None or nfield in fields, path, f"note names unknown field {nfield!r}", gpu_id, "notes")
    backs = "value" in note or "convention" in note
    _expect(not backs or nfield is not None, path, "a note with `value` or `convention` needs `field`", gpu_id, "notes")
    value: Value = None
    if "value" in note:
        _expect(note["value"] is not None, path, f"{nfield}: `value` must not be null", gpu_id, "notes")
        try:
            value = _coerce(fields[str(nfield)], note["value"], path, gpu_id)
        except CatalogError as exc:
            raise CatalogError(path, f"{nfield}: `value`: {exc.reason}", entry=gpu_id, field="notes") from exc
    convention = note.get("convention")
    _expect(
        convention is None or convention in NOTE_CONVENTIONS,
        path,
        f"{nfield}: `convention` must be one of {NOTE_CONVENTIONS}, not {convention!r}",
        gpu_id,
        "notes",
    )
    return Note(text=note["text"].strip(), field=nfield, value=value, convention=convention)


def _load_gpu_file(path: Path, fields: Mapping[str, FieldDef]) -> list[GPU]:
    data = read_yaml(path)
    _expect(
        isinstance(data, dict) and isinstance(data.get("gpus"), list),
        path,
        "needs `family:` and a `gpus:` list",
    )
    family = data.get("family")
    _expect(isinstance(family, str) and family.strip() != "", path, "needs a `family:` name")
    allowed = {"id", "name", "vendor", "aliases", "sources", "specs", "notes"}
    gpus = []
    for i, raw in enumerate(data["gpus"]):
        gpu_id = raw.get("id") if isinstance(raw, dict) else None
        name = str(gpu_id or f"GPU #{i + 1}")
        _expect(isinstance(raw, dict), path, "each GPU must be a mapping", name)
        _expect(
            isinstance(gpu_id, str) and bool(_ID_RE.match(gpu_id)),
            path,
            "`id` must be lowercase words joined by '-'",
            name,
            "id",
        )
        check_keys(raw, allowed, ("name", "vendor"), path, name)
        sources = _str_list(raw.get("sources"), path, name, "sources")
        _expect(bool(sources), path, "needs at least one source (datasheet URL)", name, "sources")
        for url in sources:
            _expect(bool(_URL_RE.match(url)), path, f"not a URL: {url!r}", name, "sources")
        specs_raw = raw.get("specs")
        _expect(isinstance(specs_raw, dict), path, "needs a `specs:` mapping", name, "specs")
        specs: dict[str, Value] = {}
        for key, value in specs_raw.items():
            _expect(key in fields, path, "unknown spec field (see specs/fields.yaml)", name, f"specs.{key}")
            specs[key] = _coerce(fields[key], value, path, name)
        notes = []
        notes_raw = raw.get("notes") or []
        _expect(isinstance(notes_raw, list), path, "must be a list", name, "notes")
        for note in notes_raw:
            notes.append(_load_note(note, fields, path, name))
        gpus.append(
            GPU(
                id=name,
                name=raw["name"].strip(),
                vendor=raw["vendor"].strip(),
                family=family.strip(),
                file=path.name,
                aliases=tuple(a.lower() for a in _str_list(raw.get("aliases"), path, name, "aliases")),
                sources=sources,
                specs=MappingProxyType(specs),
                notes=tuple(notes),
            )
        )
    return gpus


def _load_faqs(path: Path, fields: Mapping[str, FieldDef], gpus: Mapping[str, GPU]) -> tuple[FaqEntry, ...]:
    if not path.exists():
        return ()
    data = read_yaml(path)
    _expect(isinstance(data, dict) and isinstance(data.get("faqs"), list), path, "needs a `faqs:` list")
    allowed = {"id", "question", "answer", "keywords", "gpus", "order_by", "intent", "workload", "fields"}
    out: list[FaqEntry] = []
    seen: set[str] = set()
    for i, raw in enumerate(data["faqs"]):
        faq_id = raw.get("id") if isinstance(raw, dict) else None
        name = str(faq_id or f"FAQ #{i + 1}")
        _expect(isinstance(raw, dict), path, "each FAQ must be a mapping", name)
        _expect(
            isinstance(faq_id, str) and bool(_ID_RE.match(faq_id)),
            path,
            "`id` must be lowercase-dashed",
            name,
            "id",
        )
        _expect(faq_id not in seen, path, "duplicate FAQ id", name, "id")
        seen.add(name)
        check_keys(raw, allowed, ("question", "answer"), path, name)
        faq_gpus = _str_list(raw.get("gpus"), path, name, "gpus")
        for gid in faq_gpus:
            _expect(gid in gpus, path, f"unknown GPU id {gid!r}", name, "gpus")
        order_by = raw.get("order_by")
        _expect(order_by is None or order_by in fields, path, f"unknown field {order_by!r}", name, "order_by")
        _expect(
            bool(faq_gpus) or not re.search(r"\{(?:a|b|ratio|diff)\b", str(raw["answer"])),
            path,
            "an answer with placeholders needs `gpus`",
            name,
            "answer",
        )
        faq_fields = _str_list(raw.get("fields"), path, name, "fields")
        for key in faq_fields:
            _expect(key in fields, path, f"unknown field {key!r}", name, "fields")
        intent = raw.get("intent", "faq")
        _expect(intent in ("faq", "recommend"), path, "`intent` must be faq or recommend", name, "intent")
        out.append(
            FaqEntry(
                id=name,
                question=raw["question"].strip(),
                answer=raw["answer"].strip(),
                keywords=tuple(k.lower() for k in _str_list(raw.get("keywords"), path, name, "keywords")),
                gpus=faq_gpus,
                order_by=order_by,
                intent=intent,
                workload=raw.get("workload"),
                fields=faq_fields,
            )
        )
    return tuple(out)


def _load_workloads(path: Path, fields: Mapping[str, FieldDef]) -> dict[str, Mapping[str, Any]]:
    if not path.exists():
        return {}
    data = read_yaml(path)
    _expect(
        isinstance(data, dict) and isinstance(data.get("workloads"), dict),
        path,
        "needs a `workloads:` mapping",
    )
    out: dict[str, Mapping[str, Any]] = {}
    allowed = {
        "label",
        "keywords",
        "weights",
        "value_weight",
        "efficiency_weight",
        "require",
        "why",
        "modifier",
    }
    for name, raw in data["workloads"].items():
        _expect(isinstance(raw, dict), path, "each workload must be a mapping", name)
        unknown = set(raw) - allowed
        _expect(not unknown, path, f"unknown keys {sorted(unknown)}", name)
        weights = raw.get("weights") or {}
        _expect(isinstance(weights, dict) and bool(weights), path, "needs `weights:`", name, "weights")
        for key, weight in weights.items():
            _expect(key in fields, path, f"unknown field {key!r}", name, "weights")
            _expect(
                isinstance(weight, int | float) and weight > 0,
                path,
                f"weight for {key} must be > 0",
                name,
                "weights",
            )
        for key in raw.get("require") or {}:
            _expect(key in fields, path, f"unknown field {key!r}", name, "require")
        _expect(isinstance(raw.get("label"), str), path, "needs a label", name, "label")
        out[name] = MappingProxyType(dict(raw))
    return out


def _load_software(path: Path, fields: Mapping[str, FieldDef]) -> tuple[SoftwareStack, ...]:
    if not path.exists():
        return ()
    data = read_yaml(path)
    _expect(isinstance(data, dict) and isinstance(data.get("stacks"), list), path, "needs a `stacks:` list")
    out: list[SoftwareStack] = []
    allowed = {"id", "vendor", "architectures", "compute_capability_below", "text", "about", "sources"}
    for raw in data["stacks"]:
        _expect(isinstance(raw, dict) and isinstance(raw.get("id"), str), path, "each stack needs an `id`")
        sid = raw["id"]
        check_keys(raw, allowed, ("vendor", "text", "about"), path, sid)
        sources = raw.get("sources") or []
        _expect(
            isinstance(sources, list) and bool(sources) and all(isinstance(u, str) for u in sources),
            path,
            "needs a list of `sources`",
            sid,
            "sources",
        )
        for key in re.findall(r"\{(\w+)\}", raw["text"]):
            _expect(key == "gpu" or key in fields, path, f"unknown placeholder {{{key}}}", sid, "text")
        below = raw.get("compute_capability_below")
        _expect(
            below is None or bool(re.fullmatch(r"\d+\.\d", str(below))),
            path,
            'must be a compute capability such as "7.5"',
            sid,
            "compute_capability_below",
        )
        out.append(
            SoftwareStack(
                id=sid,
                vendor=raw["vendor"],
                text=" ".join(raw["text"].split()),
                about=" ".join(raw["about"].split()),
                sources=tuple(sources),
                architectures=frozenset(raw.get("architectures") or ()),
                compute_capability_below=None if below is None else float(below),
            )
        )
    return tuple(out)


# Tensor number formats an architecture may declare (``tensor_formats`` in architectures.yaml).
TENSOR_FORMATS = ("tf32", "fp16", "bf16", "fp8", "fp6", "fp4", "int8", "int4")


def _load_architecture(name: str, raw: Any, path: Path) -> Mapping[str, Any]:
    allowed = {
        "vendor",
        "cores_per_sm",
        "tensor_per_sm",
        "rt_per_sm",
        "fp32_per_clock",
        "tensor_formats",
        "tensor_rates",
        "tensor_ratios",
    }
    _expect(isinstance(raw, dict), path, "each architecture must be a mapping", name)
    unknown = set(raw) - allowed
    _expect(not unknown, path, f"unknown keys {sorted(unknown)}", name)
    _expect(raw.get("fp32_per_clock", 2) in (2, 4), path, "must be 2 or 4", name, "fp32_per_clock")
    formats = raw.get("tensor_formats", [])
    _expect(
        isinstance(formats, list) and set(formats) <= set(TENSOR_FORMATS),
        path,
        f"must be a list of {TENSOR_FORMATS}",
        name,
        "tensor_formats",
    )
    for key in ("tensor_rates", "tensor_ratios"):
        table = raw.get(key, {})
        _expect(isinstance(table, dict), path, "must map a format to a list of numbers", name, key)
        for fmt, numbers in table.items():
            _expect(fmt in formats, path, f"{fmt!r} is not in this architecture's tensor_formats", name, key)
            ok = isinstance(numbers, list) and all(isinstance(n, int | float) and n > 0 for n in numbers)
            _expect(ok, path, f"{fmt}: must be a list of positive numbers", name, key)
    return MappingProxyType(dict(raw))


def _load_architectures(path: Path) -> tuple[dict[str, Mapping[str, Any]], dict[str, tuple[float, float]]]:
    """Per-architecture rules and, under ``memory_types:``, each memory type's per-pin data-rate range (Gbps)."""
    if not path.exists():
        return {}, {}
    data = read_yaml(path)
    _expect(isinstance(data, dict) and isinstance(data.get("architectures"), dict), path, "needs `architectures:`")
    out = {str(name): _load_architecture(str(name), raw, path) for name, raw in data["architectures"].items()}
    memory: dict[str, tuple[float, float]] = {}
    for name, span in (data.get("memory_types") or {}).items():
        ok = isinstance(span, list) and len(span) == 2 and all(isinstance(n, int | float) for n in span)
        _expect(ok and span[0] <= span[1], path, "must be [lowest, highest] Gbps per pin", str(name), "memory_types")
        memory[str(name)] = (float(span[0]), float(span[1]))
    return out, memory


def _load_outside(path: Path) -> tuple[Outside, ...]:
    if not path.exists():
        return ()
    data = read_yaml(path)
    _expect(isinstance(data, dict) and isinstance(data.get("outside"), list), path, "needs an `outside:` list")
    out: list[Outside] = []
    for raw in data["outside"]:
        _expect(isinstance(raw, dict) and isinstance(raw.get("id"), str), path, "each entry needs an `id`")
        check_keys(raw, {"id", "pattern", "reply"}, ("pattern", "reply"), path, raw["id"])
        try:
            pattern = re.compile(raw["pattern"])
        except re.error as exc:
            raise CatalogError(path, f"bad regular expression: {exc}", entry=raw["id"], field="pattern") from exc
        out.append(Outside(raw["id"], pattern, " ".join(raw["reply"].split())))
    return tuple(out)


def load_catalog(specs_dir: str | os.PathLike[str] | None = None) -> Catalog:
    """Load and validate everything under ``specs_dir``; raise :class:`CatalogError` on the first problem."""
    root = find_specs_dir(specs_dir)
    if not root.is_dir():
        raise CatalogError(root, "specs folder not found")
    fields = _load_fields(root / "fields.yaml")
    gpu_dir = root / "gpus"
    files = sorted(gpu_dir.glob("*.yaml")) if gpu_dir.is_dir() else []
    if not files:
        raise CatalogError(gpu_dir, "no GPU files (*.yaml) found")
    gpus: dict[str, GPU] = {}
    owners: dict[str, tuple[str, str]] = {}  # compact alias -> (gpu id, file)
    for path in files:
        for gpu in _load_gpu_file(path, fields):
            if gpu.id in gpus:
                raise CatalogError(path, f"duplicate id (also in {gpus[gpu.id].file})", entry=gpu.id, field="id")
            gpus[gpu.id] = gpu
            for alias in {gpu.id.replace("-", " "), gpu.name.lower(), *gpu.aliases}:
                key = compact(alias)
                if not key:
                    raise CatalogError(
                        path, f"alias {alias!r} is empty after normalisation", entry=gpu.id, field="aliases"
                    )
                owner = owners.setdefault(key, (gpu.id, path.name))
                if owner[0] != gpu.id:
                    raise CatalogError(
                        path,
                        f"alias {alias!r} also names {owner[0]} ({owner[1]})",
                        entry=gpu.id,
                        field="aliases",
                    )
    faqs = _load_faqs(root / "faq.yaml", fields, gpus)
    workloads = _load_workloads(root / "workloads.yaml", fields)
    software = _load_software(root / "software.yaml", fields)
    architectures, memory_types = _load_architectures(root / "architectures.yaml")
    outside = _load_outside(root / "outside.yaml")
    log.debug("loaded %d GPUs, %d fields, %d FAQs from %s", len(gpus), len(fields), len(faqs), root)
    return Catalog(
        root=root,
        fields=MappingProxyType(fields),
        gpus=MappingProxyType(gpus),
        faqs=faqs,
        workloads=MappingProxyType(workloads),
        software=software,
        architectures=MappingProxyType(architectures),
        outside=outside,
        memory_types=MappingProxyType(memory_types),
    )
