"""Loading the catalog's smaller files, checked (an error names the file, the entry and the field):
``specs/libraries.yaml`` (:mod:`bot.software_libs`) and ``specs/models_uncovered.yaml`` (:mod:`bot.models_uncovered`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.catalog_files import check_keys, expect, read_yaml
from bot.catalog_model import FieldDef
from bot.models_uncovered import UncoveredModel
from bot.software_libs import Library, SupportRule
from bot.text import normalize

__all__ = ["load_libraries", "load_uncovered"]

_CC = re.compile(r"\d+\.\d")


def load_libraries(path: Path, fields: Mapping[str, FieldDef]) -> tuple[Library, ...]:
    """``specs/libraries.yaml``, checked; none when the file is absent."""
    if not path.exists():
        return ()
    data = read_yaml(path)
    expect(isinstance(data, dict) and isinstance(data.get("libraries"), list), path, "needs a `libraries:` list")
    out = [_library(raw, path, fields) for raw in data["libraries"]]
    ids = [lib.id for lib in out]
    dup = next((i for i in ids if ids.count(i) > 1), None)
    expect(dup is None, path, f"library {dup!r} is listed twice", dup)
    return tuple(out)


def _strings(raw: dict[str, Any], key: str, path: Path, lid: str) -> list[str]:
    """A library's non-empty list of strings under ``key`` (its names, its sources), or the file, entry and field."""
    value: Any = raw.get(key)
    ok = isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)
    expect(ok, path, f"needs a list of `{key}`", lid, key)  # raises unless ok
    return [str(v) for v in value]


def _library(raw: Any, path: Path, fields: Mapping[str, FieldDef]) -> Library:
    expect(isinstance(raw, dict) and isinstance(raw.get("id"), str), path, "each library needs an `id`")
    lid = raw["id"]
    check_keys(raw, {"id", "name", "names", "support", "sources"}, ("name",), path, lid)
    names, sources = _strings(raw, "names", path, lid), _strings(raw, "sources", path, lid)
    rules = raw.get("support")
    expect(isinstance(rules, list) and bool(rules), path, "needs a list of `support` rules", lid, "support")
    phrases = sorted({normalize(n) for n in names}, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b")
    support = tuple(_rule(r, path, lid, fields) for r in rules)
    return Library(id=lid, name=raw["name"], pattern=pattern, support=support, sources=tuple(sources))


def _rule(raw: Any, path: Path, lid: str, fields: Mapping[str, FieldDef]) -> SupportRule:
    expect(isinstance(raw, dict), path, "each support rule is a mapping", lid, "support")
    allowed = {"vendor", "text", "compute_capability_at_least", "compute_capability_below", "architectures"}
    check_keys(raw, allowed, ("vendor", "text"), path, lid)
    for key in re.findall(r"\{(\w+)\}", raw["text"]):
        expect(key == "gpu" or key in fields, path, f"unknown placeholder {{{key}}}", lid, "support")
    bounds = []
    for key in ("compute_capability_at_least", "compute_capability_below"):
        value = raw.get(key)
        expect(
            value is None or bool(_CC.fullmatch(str(value))),
            path,
            'must be a compute capability such as "7.5"',
            lid,
            key,
        )
        bounds.append(float(value) if value is not None else None)
    archs = raw.get("architectures") or []
    expect(
        isinstance(archs, list) and all(isinstance(a, str) for a in archs), path, "must be a list", lid, "architectures"
    )
    return SupportRule(
        vendor=raw["vendor"],
        text=" ".join(raw["text"].split()),
        at_least=bounds[0],
        below=bounds[1],
        architectures=frozenset(archs),
    )


def load_uncovered(path: Path) -> tuple[UncoveredModel, ...]:
    """``specs/models_uncovered.yaml``, checked; none when the file is absent."""
    if not path.exists():
        return ()
    data = read_yaml(path)
    expect(isinstance(data, dict) and isinstance(data.get("models"), list), path, "needs a `models:` list")
    out: list[UncoveredModel] = []
    for raw in data["models"]:
        expect(isinstance(raw, dict) and isinstance(raw.get("id"), str), path, "each model needs an `id`")
        mid = raw["id"]
        check_keys(raw, {"id", "name", "kind", "names", "source"}, ("name", "kind", "source"), path, mid)
        expect(all(m.id != mid for m in out), path, f"model {mid!r} is listed twice", mid)
        names = raw.get("names")
        expect(
            isinstance(names, list) and bool(names) and all(isinstance(n, str) and n.strip() for n in names),
            path,
            "needs a list of `names`",
            mid,
            "names",
        )
        expect(str(raw["source"]).startswith("https://"), path, "must be a https:// address", mid, "source")
        phrases = sorted({normalize(n) for n in names}, key=len, reverse=True)
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b")
        out.append(
            UncoveredModel(
                id=mid, name=raw["name"], kind=" ".join(raw["kind"].split()), pattern=pattern, source=raw["source"]
            )
        )
    return tuple(out)
