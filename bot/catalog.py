"""The GPU catalog: spec-field definitions, GPUs and FAQ entries loaded from ``specs/``.

The data model is in ``bot.catalog_model`` and file reading in ``bot.catalog_files``; this module
validates and assembles the catalog and re-exports the names the rest of the bot imports from here.
Loaded once at start, validated whole, immutable afterwards. Every validation error names the
file, the GPU (or entry) and the field, and keeps the original exception as its cause.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.catalog_arch import load_architectures
from bot.catalog_extras import load_libraries, load_uncovered
from bot.catalog_faq import load_faqs
from bot.catalog_files import check_keys, expect, find_specs_dir, read_yaml, str_list
from bot.catalog_model import (
    GPU,
    NOTE_CONVENTIONS,
    Catalog,
    CatalogError,
    FaqEntry,
    FieldDef,
    GeneralAnswer,
    Note,
    Outside,
    SoftwareStack,
    Value,
    format_value,
)
from bot.longtail import GpuTable, LongTail
from bot.text import compact

__all__ = [
    "GPU",
    "Catalog",
    "CatalogError",
    "FaqEntry",
    "FieldDef",
    "GeneralAnswer",
    "Note",
    "Outside",
    "SoftwareStack",
    "Value",
    "check_keys",
    "find_specs_dir",
    "format_value",
    "load_catalog",
    "read_yaml",
]

log = logging.getLogger(__name__)

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?$")
_URL_RE = re.compile(r"^https?://\S+$")
_FIELD_TYPES = ("int", "float", "str", "bool", "date")
_GROUPS = ("identity", "compute", "memory", "power", "board", "software")


def _load_fields(path: Path) -> dict[str, FieldDef]:
    data = read_yaml(path)
    expect(isinstance(data, dict) and isinstance(data.get("fields"), list), path, "needs a `fields:` list")
    allowed = {"key", "label", "aliases", "type", "unit", "better", "format", "group", "key_spec", "help", "needs"}
    fields: dict[str, FieldDef] = {}
    for i, raw in enumerate(data["fields"]):
        entry = raw.get("key") if isinstance(raw, dict) else None
        name = str(entry or f"#{i + 1}")
        expect(isinstance(raw, dict), path, "each field must be a mapping", name)
        expect(
            isinstance(entry, str) and bool(_ID_RE.match(entry.replace("_", "-"))),
            path,
            "`key` must be snake_case",
            name,
            "key",
        )
        unknown = set(raw) - allowed
        expect(not unknown, path, f"unknown keys {sorted(unknown)}", name)
        expect(entry not in fields, path, "duplicate field key", name, "key")
        expect(raw.get("type") in _FIELD_TYPES, path, f"`type` must be one of {_FIELD_TYPES}", name, "type")
        expect(
            raw.get("better") in ("higher", "lower", None),
            path,
            "`better` must be higher, lower or null",
            name,
            "better",
        )
        expect(raw.get("group", "identity") in _GROUPS, path, f"`group` must be one of {_GROUPS}", name, "group")
        expect(
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
            aliases=tuple(a.lower() for a in str_list(raw.get("aliases"), path, name, "aliases")),
            unit=str(raw.get("unit") or ""),
            better=raw.get("better"),
            format=fmt,
            group=raw.get("group", "identity"),
            key_spec=bool(raw.get("key_spec", False)),
            help=str(raw.get("help") or ""),
            needs=raw.get("needs"),
        )
    for fdef in fields.values():
        expect(
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
            expect(
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
        expect(isinstance(value, bool), path, f"expected true/false, got {value!r}", gpu_id, key)
        return bool(value)
    if kind == "int":
        expect(
            isinstance(value, int) and not isinstance(value, bool),
            path,
            f"expected a whole number{f' in {fdef.unit}' if fdef.unit else ''}, got {value!r}",
            gpu_id,
            key,
        )
        expect(value >= 0, path, f"must not be negative, got {value!r}", gpu_id, key)
        return int(value)
    if kind == "float":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        expect(
            ok,
            path,
            f"expected a number{f' in {fdef.unit}' if fdef.unit else ''}, got {value!r}",
            gpu_id,
            key,
        )
        expect(
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
        expect(
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
    expect(
        isinstance(value, str) and value.strip() != "",
        path,
        f'expected text, got {value!r} (quote numbers that are really text, like "8.6")',
        gpu_id,
        key,
    )
    return str(value).strip()


def _load_note(note: Any, fields: Mapping[str, FieldDef], path: Path, gpu_id: str) -> Note:
    """One entry of a GPU's ``notes:``: ``text``, an optional ``field``, and the exception it backs."""
    ok = isinstance(note, dict) and isinstance(note.get("text"), str)
    expect(ok, path, "each note needs `text:`", gpu_id, "notes")
    unknown = set(note) - {"field", "text", "value", "convention"}
    expect(not unknown, path, f"unknown note keys {sorted(unknown)}", gpu_id, "notes")
    nfield = note.get("field")
    expect(nfield is None or nfield in fields, path, f"note names unknown field {nfield!r}", gpu_id, "notes")
    backs = "value" in note or "convention" in note
    expect(not backs or nfield is not None, path, "a note with `value` or `convention` needs `field`", gpu_id, "notes")
    value: Value = None
    if "value" in note:
        expect(note["value"] is not None, path, f"{nfield}: `value` must not be null", gpu_id, "notes")
        try:
            value = _coerce(fields[str(nfield)], note["value"], path, gpu_id)
        except CatalogError as exc:
            raise CatalogError(path, f"{nfield}: `value`: {exc.reason}", entry=gpu_id, field="notes") from exc
    convention = note.get("convention")
    known = convention is None or convention in NOTE_CONVENTIONS
    expect(
        known, path, f"{nfield}: `convention` must be one of {NOTE_CONVENTIONS}, not {convention!r}", gpu_id, "notes"
    )
    return Note(text=note["text"].strip(), field=nfield, value=value, convention=convention)


def _load_gpu_file(path: Path, fields: Mapping[str, FieldDef]) -> list[GPU]:
    data = read_yaml(path)
    expect(
        isinstance(data, dict) and isinstance(data.get("gpus"), list),
        path,
        "needs `family:` and a `gpus:` list",
    )
    family = data.get("family")
    expect(isinstance(family, str) and family.strip() != "", path, "needs a `family:` name")
    allowed = {"id", "name", "vendor", "aliases", "sources", "specs", "notes"}
    gpus = []
    shared: dict[Note, Note] = {}  # one object per distinct note: a family's cards repeat theirs (about a third)
    for i, raw in enumerate(data["gpus"]):
        gpu_id = raw.get("id") if isinstance(raw, dict) else None
        name = str(gpu_id or f"GPU #{i + 1}")
        expect(isinstance(raw, dict), path, "each GPU must be a mapping", name)
        expect(
            isinstance(gpu_id, str) and bool(_ID_RE.match(gpu_id)),
            path,
            "`id` must be lowercase words joined by '-'",
            name,
            "id",
        )
        check_keys(raw, allowed, ("name", "vendor"), path, name)
        sources = str_list(raw.get("sources"), path, name, "sources")
        expect(bool(sources), path, "needs at least one source (datasheet URL)", name, "sources")
        for url in sources:
            expect(bool(_URL_RE.match(url)), path, f"not a URL: {url!r}", name, "sources")
        specs_raw = raw.get("specs")
        expect(isinstance(specs_raw, dict), path, "needs a `specs:` mapping", name, "specs")
        specs: dict[str, Value] = {}
        for key, value in specs_raw.items():
            expect(key in fields, path, "unknown spec field (see specs/fields.yaml)", name, f"specs.{key}")
            specs[key] = _coerce(fields[key], value, path, name)
        notes_raw = raw.get("notes") or []
        expect(isinstance(notes_raw, list), path, "must be a list", name, "notes")
        notes = [shared.setdefault(n, n) for n in (_load_note(note, fields, path, name) for note in notes_raw)]
        gpus.append(
            GPU(
                id=name,
                name=raw["name"].strip(),
                vendor=raw["vendor"].strip(),
                family=family.strip(),
                file=path.name,
                aliases=tuple(a.lower() for a in str_list(raw.get("aliases"), path, name, "aliases")),
                sources=sources,
                specs=MappingProxyType(specs),
                notes=tuple(notes),
            )
        )
    return gpus


def _load_workloads(path: Path, fields: Mapping[str, FieldDef]) -> dict[str, Mapping[str, Any]]:
    if not path.exists():
        return {}
    data = read_yaml(path)
    expect(
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
        expect(isinstance(raw, dict), path, "each workload must be a mapping", name)
        unknown = set(raw) - allowed
        expect(not unknown, path, f"unknown keys {sorted(unknown)}", name)
        weights = raw.get("weights") or {}
        expect(isinstance(weights, dict) and bool(weights), path, "needs `weights:`", name, "weights")
        for key, weight in weights.items():
            expect(key in fields, path, f"unknown field {key!r}", name, "weights")
            expect(
                isinstance(weight, int | float) and weight > 0,
                path,
                f"weight for {key} must be > 0",
                name,
                "weights",
            )
        for key in raw.get("require") or {}:
            expect(key in fields, path, f"unknown field {key!r}", name, "require")
        expect(isinstance(raw.get("label"), str), path, "needs a label", name, "label")
        out[name] = MappingProxyType(dict(raw))
    return out


def _load_software(path: Path, fields: Mapping[str, FieldDef]) -> tuple[SoftwareStack, ...]:
    if not path.exists():
        return ()
    data = read_yaml(path)
    expect(isinstance(data, dict) and isinstance(data.get("stacks"), list), path, "needs a `stacks:` list")
    out: list[SoftwareStack] = []
    allowed = {"id", "vendor", "architectures", "compute_capability_below", "text", "about", "sources"}
    for raw in data["stacks"]:
        expect(isinstance(raw, dict) and isinstance(raw.get("id"), str), path, "each stack needs an `id`")
        sid = raw["id"]
        check_keys(raw, allowed, ("vendor", "text", "about"), path, sid)
        sources = raw.get("sources") or []
        expect(
            isinstance(sources, list) and bool(sources) and all(isinstance(u, str) for u in sources),
            path,
            "needs a list of `sources`",
            sid,
            "sources",
        )
        for key in re.findall(r"\{(\w+)\}", raw["text"]):
            expect(key == "gpu" or key in fields, path, f"unknown placeholder {{{key}}}", sid, "text")
        below = raw.get("compute_capability_below")
        expect(
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


def _load_outside(path: Path) -> tuple[Outside, ...]:
    if not path.exists():
        return ()
    data = read_yaml(path)
    expect(isinstance(data, dict) and isinstance(data.get("outside"), list), path, "needs an `outside:` list")
    out: list[Outside] = []
    for raw in data["outside"]:
        expect(isinstance(raw, dict) and isinstance(raw.get("id"), str), path, "each entry needs an `id`")
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
    faqs = load_faqs(root / "faq.yaml", fields, gpus)
    workloads = _load_workloads(root / "workloads.yaml", fields)
    software = _load_software(root / "software.yaml", fields)
    libraries = load_libraries(root / "libraries.yaml", fields)
    uncovered = load_uncovered(root / "models_uncovered.yaml")
    architectures, memory_types = load_architectures(root / "architectures.yaml")
    outside = _load_outside(root / "outside.yaml")
    log.debug("loaded %d GPUs, %d fields, %d FAQs from %s", len(gpus), len(fields), len(faqs), root)
    curated = MappingProxyType(gpus)
    return Catalog(
        root=root,
        fields=MappingProxyType(fields),
        gpus=GpuTable(curated, LongTail(root, curated)),  # the long tail is read on first use (bot.longtail)
        faqs=faqs,
        workloads=MappingProxyType(workloads),
        software=software,
        libraries=libraries,
        uncovered_models=uncovered,
        architectures=MappingProxyType(architectures),
        outside=outside,
        memory_types=MappingProxyType(memory_types),
    )
