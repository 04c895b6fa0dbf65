"""Reading ``specs/``: where the folder is, YAML files parsed once and cached by content hash, and the
checks every specs loader shares (errors name file, entry and field)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from bot.catalog_model import CatalogError
from bot.config import user_dir

__all__ = ["CACHE_FILES", "cache_dir", "check_keys", "expect", "find_specs_dir", "read_yaml", "str_list"]


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


def cache_dir() -> Path | None:
    """Where parsed specs files are cached ($GPUBOT_CACHE, else the user cache dir); None turns it off."""
    configured = os.environ.get("GPUBOT_CACHE")
    if configured is not None:
        return Path(configured) if configured.strip() and configured.strip() != "0" else None
    return user_dir("cache") / "specs"


def read_yaml(path: Path) -> Any:
    """Parse a specs file, with names in the error. Parsed files are cached as JSON by content hash, so
    an unchanged file loads without re-parsing YAML (dates come back as ISO strings, which every loader
    accepts); a changed file has a new hash and is parsed afresh."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise CatalogError(path, "file not found") from exc
    import hashlib  # here: a start from the engine cache reads no YAML

    folder = cache_dir()
    cached = folder / f"{hashlib.blake2b(raw, digest_size=16).hexdigest()}.json" if folder else None
    if cached is not None:
        with contextlib.suppress(OSError, ValueError):
            return json.loads(cached.read_bytes())
    import yaml  # here, not at the top: a start from the engine cache parses no YAML

    # The C loader is several times faster; fall back quietly where libyaml is missing.
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(raw, Loader=loader)  # noqa: S506 - a SafeLoader subclass
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


def expect(cond: bool, path: Path, message: str, entry: str | None = None, fld: str | None = None) -> None:
    """Raise a :class:`CatalogError` naming file, entry and field unless ``cond``."""
    if not cond:
        raise CatalogError(path, message, entry=entry, field=fld)


def check_keys(raw: dict[str, Any], allowed: set[str], required: tuple[str, ...], path: Path, name: str) -> None:
    """No keys beyond ``allowed``; every ``required`` key holds non-empty text."""
    unknown = set(raw) - allowed
    expect(not unknown, path, f"unknown keys {sorted(unknown)}", name)
    for key in required:
        value = raw.get(key)
        expect(isinstance(value, str) and value.strip() != "", path, f"`{key}` is required", name, key)


def str_list(raw: Any, path: Path, entry: str, fld: str) -> tuple[str, ...]:
    """A list of non-empty strings (numbers become text), or () when absent."""
    if raw is None:
        return ()
    expect(isinstance(raw, list), path, "must be a list of strings", entry, fld)
    out = []
    for item in raw:
        expect(isinstance(item, str | int) and str(item).strip() != "", path, f"bad item {item!r}", entry, fld)
        out.append(str(item).strip())
    return tuple(out)
