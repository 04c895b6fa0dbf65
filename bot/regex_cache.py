"""Compiled regular expressions carried from one start to the next, for :mod:`bot.engine_cache`.

Once the engine itself is cached, compiling the vocabulary's and the parser's patterns is most of what a
start still does (about 60% of a cached ``gpubot ask``): Python keeps no compiled pattern across runs.
CPython does keep compiled patterns in ``re``'s own cache, keyed by pattern and flags, and every
``re.compile`` looks there first. :func:`snapshot` records, for each pattern in that cache, the code the
compiler made of it; :func:`restore` puts patterns rebuilt from that code back into the cache, so the
``re.compile`` calls of the imports and of the unpickled engine find them instead of parsing them again.

This reads CPython internals (``re._cache``, ``re._parser``, ``re._compiler``, ``_sre.compile``), so it is
careful: the engine cache's key holds the exact Python version, so code is only ever restored by the
version that made it; on another implementation, or if anything does not look as expected, both
functions do nothing and patterns compile as usual. Nothing but the speed of a start depends on it.
"""

from __future__ import annotations

import re
import sys
from typing import Any

__all__ = ["Snapshot", "rebuild", "reduce_pattern", "restore", "snapshot"]

#: (pattern, flags as passed, flags compiled, code, groups, group index, index group) per pattern.
Snapshot = list[tuple[str, int, int, list[int], int, dict[str, int], tuple[str | None, ...]]]


def _internals() -> tuple[dict[Any, Any], Any, Any, Any] | None:
    if sys.implementation.name != "cpython":
        return None
    try:
        import _sre  # type: ignore[import-not-found]

        cache, parser, compiler = re._cache, re._parser, re._compiler  # type: ignore[attr-defined]
    except (ImportError, AttributeError):
        return None
    if not isinstance(cache, dict) or not callable(getattr(compiler, "_code", None)):
        return None
    return cache, parser, compiler, _sre


def _compiled(pattern: str, flags: int) -> tuple[Any, ...] | None:
    """What ``_sre.compile`` takes to rebuild ``pattern`` without parsing it, or None."""
    found = _internals()
    if found is None:
        return None
    _, parser, compiler, _ = found
    try:
        parsed = parser.parse(pattern, flags)
        code = [int(op) for op in compiler._code(parsed, flags)]  # opcodes are int subclasses
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
    except Exception:  # an internal that changed shape
        return None
    return pattern, flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def snapshot() -> Snapshot:
    """The compiled code of every text pattern in ``re``'s cache now ([] where that cannot be read)."""
    found = _internals()
    if found is None:
        return []
    out: Snapshot = []
    for kind, pattern, flags in list(found[0]):
        if kind is str and isinstance(flags, int) and (args := _compiled(pattern, flags)) is not None:
            out.append((pattern, flags, *args[1:]))
    return out


def reduce_pattern(pattern: re.Pattern[Any]) -> tuple[Any, ...]:
    """How a pickled engine stores a compiled pattern: with its code, so loading it compiles nothing."""
    args = _compiled(pattern.pattern, pattern.flags) if isinstance(pattern.pattern, str) else None
    return (rebuild, args) if args is not None else (re.compile, (pattern.pattern, pattern.flags))


def rebuild(
    pattern: str, flags: int, code: list[int], groups: int, groupindex: Any, indexgroup: Any
) -> re.Pattern[str]:
    """A pattern from :func:`reduce_pattern`'s code; compiled as usual where that code is not taken."""
    found = _internals()
    if found is not None:
        try:
            compiled: re.Pattern[str] = found[3].compile(pattern, flags, code, groups, groupindex, indexgroup)
        except Exception:  # noqa: S110 - compiled below
            pass
        else:
            return compiled
    return re.compile(pattern, flags)


def restore(patterns: Snapshot) -> int:
    """Put the patterns of a :func:`snapshot` made by this Python into ``re``'s cache; how many went in."""
    found = _internals()
    if found is None:
        return 0
    cache, _, _, sre = found
    room = max(0, int(getattr(re, "_MAXCACHE", 512)) - len(cache))
    done = 0
    for pattern, flags, compiled_flags, code, groups, groupindex, indexgroup in patterns[:room]:
        try:
            cache[str, pattern, flags] = sre.compile(pattern, compiled_flags, code, groups, groupindex, indexgroup)
        except Exception:  # noqa: S112 - code this build does not take: that pattern compiles as usual
            continue
        done += 1
    return done
