"""Declared exceptions: the value or convention a note backs, and notes that no longer match the catalog."""

from __future__ import annotations

from bot.catalog import GPU, Catalog, Note, Value
from bot.checks.problem import Problem

__all__ = ["backed", "same_value", "stale_notes", "unconfirmed"]


def same_value(a: Value, b: Value) -> bool:
    """Equal, with numbers compared as numbers (48 and 48.0 are the same value)."""
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool | str):
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))
    return a == b


def _values(gpu: GPU, key: str) -> list[Note]:
    return [n for n in gpu.notes_for(key) if n.value is not None]


def backed(gpu: GPU, key: str) -> bool:
    """A note on ``key`` vouches for exactly the value the catalog holds."""
    return any(same_value(n.value, gpu.get(key)) for n in _values(gpu, key))


def unconfirmed(gpu: GPU, key: str) -> bool:
    """A note on ``key`` declares that no public source gives it (so null is deliberate)."""
    return any(n.convention == "unconfirmed" for n in gpu.notes_for(key))


def stale_notes(gpu: GPU, catalog: Catalog) -> list[Problem]:
    """Rule ``note-value``: a note's declared value is the catalog's value; ``unconfirmed`` goes with null."""
    out = []
    for note in gpu.notes:
        key = str(note.field)
        stored = gpu.get(key)
        if note.value is not None and not same_value(note.value, stored):
            out.append(
                Problem(
                    gpu.file,
                    gpu.id,
                    (key,),
                    "note-value",
                    f"{key}={stored} but its note backs {note.value}; fix the value or the note",
                )
            )
        if note.convention == "unconfirmed" and stored is not None:
            message = f"{key}={stored} but its note says no source confirms it; drop the note or the value"
            out.append(Problem(gpu.file, gpu.id, (key,), "note-value", message))
    return out
