"""How a built engine becomes bytes and back (for :mod:`bot.engine_cache`), and the parts of it that are read
only when first used (:class:`Deferred`).

The reader is restricted: a pickled engine may name the modules of :mod:`bot` and a few plain types, nothing
else. Frozen dataclasses with slots (the catalog's thousands of notes and cards) are written as their field
values and rebuilt without looking their fields up again for each object.

A :class:`Deferred` part (the runtimes' budgets, what each card offers) is pickled into bytes of its own
inside the engine's file and unpickled the first time an answer asks for it: a one-shot ``gpubot ask`` that
compares two cards never imports the modules those parts are made of. A part is always built and validated
with the rest of the engine; only its reading is put off.
"""

from __future__ import annotations

import copyreg
import dataclasses
import functools
import gc
import io
import pickle
import re
import types
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from bot import regex_cache

__all__ = ["Deferred", "Pickler", "Unpickler", "dumps", "loads"]

T = TypeVar("T")

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


def _proxy(mapping: dict[Any, Any]) -> Mapping[Any, Any]:
    """Rebuilds a read-only mapping (``MappingProxyType`` does not pickle by itself)."""
    return types.MappingProxyType(mapping)


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


@functools.cache
def _slot_setters(cls: type) -> tuple[Callable[[object, object], None], ...]:
    """Each field's slot ``__set__``, in field order: what ``object.__setattr__`` reaches, looked up once per class
    (a frozen class's own ``__setattr__`` refuses)."""
    return tuple(getattr(cls, name).__set__ for name in _frozen_fields(cls) or ())


def _frozen(cls: type, values: tuple[Any, ...]) -> Any:
    """Rebuilds a frozen dataclass with slots as dataclasses' own ``__setstate__`` does, without looking its
    fields up again for each of the catalog's thousands of objects."""
    obj: Any = object.__new__(cls)
    for setter, value in zip(_slot_setters(cls), values, strict=True):
        setter(obj, value)
    return obj


class Pickler(pickle.Pickler):
    """Writes engines: read-only mappings, compiled patterns (as their compiled code) and frozen dataclasses."""

    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.dispatch_table = {
            **copyreg.dispatch_table,
            types.MappingProxyType: _reduce_proxy,
            re.Pattern: regex_cache.reduce_pattern,
        }

    def reducer_override(self, obj: Any) -> Any:
        names = _frozen_fields(type(obj)) if dataclasses.is_dataclass(obj) and not isinstance(obj, type) else None
        if names is None:
            return NotImplemented
        return _frozen, (type(obj), tuple(getattr(obj, name) for name in names))


class Unpickler(pickle.Unpickler):
    """Reads engines, refusing anything outside :mod:`bot` but a few plain types: unpickling runs code."""

    def find_class(self, module: str, name: str) -> Any:
        if module != "bot" and not module.startswith("bot.") and (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of an engine")
        return super().find_class(module, name)


def dumps(obj: object) -> bytes:
    """``obj`` as the engine cache writes it."""
    buf = io.BytesIO()
    Pickler(buf).dump(obj)
    return buf.getvalue()


def loads(data: bytes | memoryview) -> Any:
    """What :func:`dumps` wrote, read with the restricted :class:`Unpickler` (the collector paused: reading
    makes many objects and no garbage)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return Unpickler(io.BytesIO(data)).load()
    finally:
        if collecting:
            gc.enable()


class Deferred(Generic[T]):
    """A part of the engine read when first used. Built engines hold the value itself; an engine read from the
    cache holds the part's bytes until :meth:`get` is first called."""

    __slots__ = ("_blob", "_value")

    def __init__(self, value: T) -> None:
        self._value: T | None = value
        self._blob: bytes | None = None

    def get(self) -> T:
        """The part, unpickled now if it was not yet."""
        blob = self._blob
        if blob is not None:
            self._value = loads(blob)
            self._blob = None
        return self._value  # type: ignore[return-value]  # set from the value or the bytes, never left None

    @property
    def loaded(self) -> bool:
        """Whether the part has been read (a built engine's parts always are)."""
        return self._blob is None

    def __reduce__(self) -> tuple[Any, ...]:
        return _deferred, (dumps(self.get()),)


def _deferred(blob: bytes) -> Deferred[Any]:
    """A :class:`Deferred` read from an engine cache: its part stays bytes until first used."""
    part: Deferred[Any] = Deferred(None)
    part._blob = blob
    return part
