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
import gc
import io
import logging
import os
import pickle
import stat
import sys
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

try:  # what hashlib.blake2b is, without hashlib loading OpenSSL for its other algorithms
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python without the built-in module
    from hashlib import blake2b

from bot import regex_cache
from bot.catalog_files import cache_dir, find_specs_dir
from bot.engine_pickle import Pickler, Unpickler

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
        unpickler = Unpickler(io.BytesIO(body))
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
        pickler = Pickler(buf)
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


def _crc(body: bytes | memoryview) -> bytes:
    return zlib.crc32(body).to_bytes(_DIGEST, "big")
