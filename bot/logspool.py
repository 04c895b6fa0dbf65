"""Rows a process could not write before it ended, kept in a file beside the database for the next one.

A one-shot ``gpubot ask`` during a lock longer than its wait, or a bot stopped while its disk is full,
saves its queued rows as ``<database>.pending-<pid>-<random>.jsonl`` (written to a temporary name, then
renamed, so a half-written file is never read). The next process that opens the log claims each file by
renaming it (only one process can), inserts its rows in one transaction and deletes it; if the insert
fails, the file is put back for a later process.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

__all__ = ["claim", "load", "release", "save"]

Row = tuple[str, tuple[Any, ...]]  # (table, values)


def _pattern(db: Path) -> str:
    return f"{db.name}.pending-*.jsonl"


def save(db: Path, rows: list[Row]) -> Path | None:
    """Write ``rows`` to a new spool file beside ``db``; None when that is impossible too (full, read-only)."""
    if not rows:
        return None
    import uuid  # only when rows must wait in a file: its import (platform and all) is not paid at every start

    name = f"{db.name}.pending-{os.getpid()}-{uuid.uuid4().hex[:12]}.jsonl"
    final, temp = db.with_name(name), db.with_name(name + ".tmp")
    try:
        with temp.open("w", encoding="utf-8") as out:
            for table, values in rows:
                out.write(json.dumps({"table": table, "values": list(values)}, ensure_ascii=False) + "\n")
        os.replace(temp, final)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
        return None
    return final


def claim(db: Path) -> list[Path]:
    """Take every spool file of ``db`` for this process (renamed, so no other process takes it too)."""
    claimed = []
    for path in sorted(db.parent.glob(_pattern(db))):
        mine = path.with_name(f"{path.name}.claimed-{os.getpid()}")
        with contextlib.suppress(OSError):  # another process was first
            os.replace(path, mine)
            claimed.append(mine)
    return claimed


def load(path: Path) -> list[Row]:
    """The rows of a claimed file (a line that does not parse is skipped: it was never a whole row)."""
    rows: list[Row] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(ValueError, KeyError, TypeError):
            item = json.loads(line)
            rows.append((str(item["table"]), tuple(item["values"])))
    return rows


def release(path: Path, *, done: bool) -> None:
    """Delete a claimed file whose rows are in the database, or give it back for a later process."""
    with contextlib.suppress(OSError):
        if done:
            path.unlink()
        else:
            os.replace(path, path.with_name(path.name.rsplit(".claimed-", 1)[0]))
