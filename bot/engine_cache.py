"""A built engine kept on disk, so a one-shot ``gpubot ask`` starts without parsing YAML, validating the
catalog or building the indexes again.

The engine is built exactly as without the cache (:func:`build_engine`: the same loading and the same
validation) and then pickled into the parsed-specs cache folder (``$GPUBOT_CACHE``, else the user cache
dir; ``GPUBOT_CACHE=0`` turns both caches off). The file's name is a hash of everything the engine is
made from: the content of every file under ``specs/``, the prices file, the size and modification time of
every module of :mod:`bot`, the Python version and :data:`FORMAT`; a change to any of them means a new
name, so a stale engine is never read. The file carries a CRC-32 of its body and is read only when that
checks out, it belongs to this user (or root) and others may not write it, and it names nothing outside
:mod:`bot` but a few plain types; anything else (unreadable,
corrupt, truncated, another version) falls back to building, quietly. Writes go to a temporary file
renamed into place, so processes sharing the folder never see half a file, and a read-only folder only
means the engine is built each time.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import functools
import gc
import io
import logging
import os
import pickle
import re
import stat
import sys
import types
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

try:  # what hashlib.blake2b is, without hashlib loading OpenSSL for its other algorithms
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python without the built-in module
    from hashlib import blake2b

from bot import regex_cache
from bot.catalog_files import cache_dir, find_specs_dir

if TYPE_CHECKING:
    from bot.engine import Engine

__all__ = ["FORMAT", "KEEP", "build_engine", "cached_engine", "engine_key"]

log = logging.getLogger(__name__)

#: Bumped when the file layout changes (the code's own changes show in the key through the modules' stats).
FORMAT = 3
#: Engines kept in the folder (one per specs folder and prices file in use); older ones are removed.
KEEP = 4
_MAGIC = b"GPUBOT-ENGINE\n"
_DIGEST = 4  # a CRC-32 of the body: catches a torn or damaged file (trust is the owner and mode check)
_BOT = Path(__file__).resolve().parent
#: What a pickled engine may name besides the modules of :mod:`bot`; anything else is refused.
_ALLOWED = frozenset(
    {
        *(("builtins", n) for n in ("getattr", "set", "frozenset", "slice", "complex")),
        *(("collections", n) for n in ("OrderedDict", "defaultdict", "deque", "Counter")),
        *(("datetime", n) for n in ("date", "datetime", "timedelta")),
        *(("pathlib", n) for n in ("PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath")),
        ("copyreg", "_reconstructor"),
        ("decimal", "Decimal"),
        ("fractions", "Fraction"),
        ("re", "_compile"),
        ("re", "compile"),
    }
)


def build_engine(
    specs_dir: str | os.PathLike[str] | None = None, prices_path: str | os.PathLike[str] | None = None
) -> Engine:
    """The engine from ``specs/`` and an optional prices file, validated: what every cache miss does."""
    from bot.catalog import load_catalog
    from bot.engine import Engine
    from bot.prices import load_prices

    catalog = load_catalog(specs_dir)
    return Engine(catalog, load_prices(Path(prices_path) if prices_path else None, catalog))


def engine_key(specs: Path, prices_path: Path | None) -> str:
    """A hash of everything a built engine depends on (see the module's docstring)."""
    h = blake2b(f"{FORMAT} {sys.version} {sys.implementation.cache_tag}".encode(), digest_size=20)
    for path in sorted(p for p in specs.rglob("*") if p.is_file()):
        h.update(b"\0specs\0" + path.relative_to(specs).as_posix().encode() + b"\0" + path.read_bytes())
    if prices_path is not None:
        h.update(b"\0prices\0" + str(prices_path).encode() + b"\0" + prices_path.read_bytes())
    for name, st in sorted(_modules(str(_BOT), "")):
        h.update(f"\0code\0{name}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return h.hexdigest()


def _modules(folder: str, prefix: str) -> list[tuple[str, os.stat_result]]:
    """Every ``.py`` file under ``folder``, named from ``folder``, with its stat (``__pycache__`` skipped)."""
    found: list[tuple[str, os.stat_result]] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(".py") and entry.is_file():
                found.append((prefix + entry.name, entry.stat()))
            elif entry.is_dir() and entry.name != "__pycache__":
                found += _modules(entry.path, f"{prefix}{entry.name}/")
    return found


def cached_engine(
    specs_dir: str | os.PathLike[str] | None = None, prices_path: str | os.PathLike[str] | None = None
) -> Engine:
    """The engine for ``specs_dir`` and ``prices_path``, read from the cache when an identical one was built
    before, else built (validated as always) and stored for the next start. Raises what building raises."""
    folder = cache_dir()
    if folder is None:
        return build_engine(specs_dir, prices_path)
    prices = Path(prices_path) if prices_path else None
    try:
        path = folder / f"engine-{engine_key(find_specs_dir(specs_dir), prices)}.pickle"
    except OSError:  # a file vanished or cannot be read: building says what is wrong with it
        return build_engine(specs_dir, prices_path)
    engine = _read(path)
    if engine is None:
        engine = build_engine(specs_dir, prices_path)
        _write(path, engine)
    return engine


# -- the file -----------------------------------------------------------------------------------


def _trusted(st: os.stat_result) -> bool:
    """A regular file of this user (or root) that nobody else may write: unpickling runs its code."""
    if not stat.S_ISREG(st.st_mode):
        return False
    if os.name != "posix":  # pragma: no cover - the user cache dir is private there
        return True
    return st.st_uid in (0, os.getuid()) and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read(path: Path) -> Engine | None:
    try:
        with path.open("rb") as f:
            if not _trusted(os.fstat(f.fileno())):
                log.debug("engine cache %s: not trusted (owner or mode); building", path)
                return None
            data = f.read()
    except OSError:
        return None  # absent (the usual miss) or unreadable
    head, body = data[: len(_MAGIC) + _DIGEST], memoryview(data)[len(_MAGIC) + _DIGEST :]
    if head != _MAGIC + _crc(body):
        log.debug("engine cache %s: damaged; building", path)
        return None
    collecting = gc.isenabled()
    gc.disable()  # unpickling makes some 40,000 objects and no garbage: collecting meanwhile is wasted time
    try:
        unpickler = _Unpickler(io.BytesIO(body))
        regex_cache.restore(unpickler.load())
        engine = unpickler.load()
    except Exception as exc:  # any failure to load means: build it
        log.debug("engine cache %s: cannot load (%s); building", path, exc)
        return None
    finally:
        if collecting:
            gc.enable()
    from bot.engine import Engine

    return engine if isinstance(engine, Engine) else None


def _write(path: Path, engine: Engine) -> None:
    buf = io.BytesIO()
    try:
        pickler = _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = {
            **copyreg.dispatch_table,
            types.MappingProxyType: _reduce_proxy,
            re.Pattern: regex_cache.reduce_pattern,
        }
        pickler.dump(regex_cache.snapshot())  # read first, so the engine's patterns need no compiling
        pickler.dump(engine)
    except (pickle.PicklingError, TypeError, AttributeError) as exc:  # a new unpicklable part: still answers
        # Info, not a warning on every start: tests/test_engine_cache.py fails first, where it is fixed.
        log.info("engine cache: cannot store the engine (%s); every start builds it", exc)
        return
    body = buf.getvalue()
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # only when writing

        fd, tmp = tempfile.mkstemp(prefix=".engine-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(_MAGIC + _crc(body) + body)
        os.replace(tmp, path)
        tmp = None
        _prune(path.parent)
    except OSError as exc:  # a read-only or full folder: build each time, answer all the same
        log.debug("engine cache %s: cannot write (%s)", path, exc)
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _prune(folder: Path) -> None:
    """Keep the newest :data:`KEEP` engines."""
    engines = sorted(folder.glob("engine-*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for stale in engines[KEEP:]:
        with contextlib.suppress(OSError):
            stale.unlink()


def _proxy(mapping: dict[Any, Any]) -> Mapping[Any, Any]:
    """Rebuilds a read-only mapping (``MappingProxyType`` does not pickle by itself)."""
    return types.MappingProxyType(mapping)


def _crc(body: bytes | memoryview) -> bytes:
    return zlib.crc32(body).to_bytes(_DIGEST, "big")


def _reduce_proxy(proxy: types.MappingProxyType[Any, Any]) -> tuple[Any, ...]:
    return _proxy, (dict(proxy),)


@functools.cache
def _frozen_fields(cls: type) -> tuple[str, ...] | None:
    """The fields of a frozen dataclass with slots that pickles the dataclasses way, else None."""
    params = getattr(cls, "__dataclass_params__", None)
    setstate = getattr(getattr(cls, "__setstate__", None), "__qualname__", "")
    if params is None or not params.frozen or "__slots__" not in vars(cls) or setstate != "_dataclass_setstate":
        return None
    return tuple(f.name for f in dataclasses.fields(cls))


def _frozen(cls: type, values: tuple[Any, ...]) -> Any:
    """Rebuilds a frozen dataclass with slots as dataclasses' own ``__setstate__`` does, without looking its
    fields up again for each of the catalog's thousands of objects."""
    obj: Any = object.__new__(cls)
    for name, value in zip(_frozen_fields(cls) or (), values, strict=True):
        object.__setattr__(obj, name, value)
    return obj


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        names = _frozen_fields(type(obj)) if dataclasses.is_dataclass(obj) and not isinstance(obj, type) else None
        if names is None:
            return NotImplemented
        return _frozen, (type(obj), tuple(getattr(obj, name) for name in names))


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module != "bot" and not module.startswith("bot.") and (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of an engine")
        return super().find_class(module, name)
