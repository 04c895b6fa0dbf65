"""Saved rigs: the cards (and RAM) a person has, so "can I run llama 3 70b in 4-bit?" is answered for them.

A rig is read from free text ("2x 3090, 64 GB RAM") through the same evidence as questions, or built from a
GPU and a count. On Discord it is stored per user in the query log's database (:class:`RigStore`, table
``rigs``); in the terminal in a local profile (:class:`ProfileRigStore`, a JSON file in the user config
directory). A rig is personal data: ``/rig clear`` and ``gpubot rig clear`` delete it, and the statistics
never read it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.mentions import GpuMention, MatchResult

if TYPE_CHECKING:
    from bot.catalog import Catalog
    from bot.evidence import Evidence
    from bot.parser import QuestionParser
    from bot.request import Query

__all__ = ["ProfileRigStore", "Rig", "RigError", "RigStore", "apply_rig", "default_rig_path", "parse_rig"]

MAX_CARDS = 64
# "64gb ram", "128gb ddr5", "32gb of system memory": the computer's memory, not a card's.
_RAM = re.compile(r"\b(\d{1,4})gb (?:of )?(?:system |cpu |pc )?(?:ram|ddr\d?|dram|memory)\b")


class RigError(ValueError):
    """A rig that cannot be saved; the message says why, for the person who typed it."""


@dataclass(frozen=True, slots=True)
class Rig:
    """The asker's cards as (GPU id, count), in the order given, and the computer's RAM if said."""

    gpus: tuple[tuple[str, int], ...]
    ram_gb: float | None = None

    def describe(self, catalog: Catalog) -> str:
        """ "2× GeForce RTX 3090, 64 GB RAM"."""
        names = [(catalog.gpus[g].short_name, n) for g, n in self.gpus]
        parts = [f"{n}× {name}" if n > 1 else name for name, n in names]
        if self.ram_gb is not None:
            parts.append(f"{self.ram_gb:g} GB RAM")
        return ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {"gpus": [[g, n] for g, n in self.gpus], "ram_gb": self.ram_gb}

    @classmethod
    def from_json(cls, raw: Any, catalog: Catalog) -> Rig | None:
        """A stored rig; None when it is unreadable or names no card this catalog still has."""
        if not isinstance(raw, dict) or not isinstance(raw.get("gpus"), list):
            return None
        gpus = tuple(
            (str(item[0]), max(1, min(MAX_CARDS, int(item[1]))))
            for item in raw["gpus"]
            if isinstance(item, list) and len(item) == 2 and str(item[0]) in catalog.gpus and isinstance(item[1], int)
        )
        ram = raw.get("ram_gb")
        return cls(gpus, float(ram) if isinstance(ram, int | float) else None) if gpus else None


def parse_rig(parser: QuestionParser, text: str) -> Rig:
    """The rig ``text`` describes ("2x 3090, 64 GB RAM", "a 4090 and two 3090s"). Raises :class:`RigError`
    naming the problem: no card, a name that could be several cards, a name the catalog lacks."""
    ev = parser.read(text)
    match = ev.match
    if match.ambiguous:
        m = match.ambiguous[0]
        names = ", ".join(parser.catalog.gpus[c].name for c in m.candidates[:5])
        raise RigError(f"“{m.text}” could be several cards ({names}); say which one.")
    if match.unknown:
        m = match.unknown[0]
        near = ", ".join(parser.catalog.gpus[c].name for c in m.suggestions[:3] if c in parser.catalog.gpus)
        raise RigError(f"I don't know the card “{m.text}”" + (f" (did you mean {near}?)" if near else "."))
    ids = match.gpu_ids + [g for g in ev.gpus if g not in match.gpu_ids]
    if not ids:
        raise RigError("I couldn't find a GPU in that. Try “2x 3090, 64 GB RAM” or “RTX A6000”.")
    counts = {g: ev.counts.get(g, 1) for g in ids}
    counts[ids[0]] = max(counts[ids[0]], ev.first_count)
    ram = _RAM.search(ev.norm)
    return Rig(tuple((g, counts[g]) for g in ids), float(ram.group(1)) if ram else None)


def rig_of(gpu_id: str, count: int = 1, ram_gb: float | None = None) -> Rig:
    return Rig(((gpu_id, max(1, min(MAX_CARDS, count))),), ram_gb)


def apply_rig(parser: QuestionParser, ev: Evidence, fresh: Query, rig: Rig, *, own: bool) -> Query | None:
    """The request with the saved rig's cards, for a question about the asker's own cards ("my rig", "my gpu":
    ``own``) or a fit question that names no card and no memory size; None when the rig does not apply."""
    if ev.gpus or ev.match.mentions or ev.cloud:
        return None
    sized_fit = fresh.kind == "fit" and fresh.fit is not None and fresh.fit.capacity_gb is None
    if not (own or sized_fit):
        return None
    words = ev.match.words
    n = len(words)
    mentions = [*ev.match.mentions, *(GpuMention(g, n, n, gpu=g) for g, _ in rig.gpus)]
    match = MatchResult(words=words, mentions=mentions, fields=ev.match.fields)
    counts = {g: c for g, c in rig.gpus if c > 1}
    with_rig = dataclasses.replace(ev, match=match, counts=counts, first_count=rig.gpus[0][1], memo={})
    query = parser.decide(with_rig)
    if query.fit is not None and query.gpus:
        query.fit.gpus_count = rig.gpus[0][1] if query.gpus[0] == rig.gpus[0][0] else query.fit.gpus_count
    query.carried = {"rig": f"your saved rig ({rig.describe(parser.catalog)})"}
    query.rule = f"saved rig ({query.rule})"
    return query


# -- where rigs are kept --------------------------------------------------------------------------------------


class RigStore:
    """Rigs per Discord user in the query log's database (table ``rigs``, created by its migrations).

    Synchronous and thread-safe; the bot calls it through ``asyncio.to_thread``. Connects on first use."""

    def __init__(self, path: Path, catalog: Catalog) -> None:
        self.path = path
        self.catalog = catalog
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            from bot.logstore import LogStore  # the schema and its migrations live with the log

            store = LogStore(self.path)
            if not store.connect() or store.connection is None:
                raise sqlite3.OperationalError(f"rig store {self.path} unavailable")
            self._conn = store.connection
        return self._conn

    def get(self, user_id: int) -> Rig | None:
        with self._lock:
            row = self._connection().execute("SELECT rig FROM rigs WHERE user_id = ?", (user_id,)).fetchone()
        if row is None:
            return None
        with contextlib.suppress(ValueError):
            return Rig.from_json(json.loads(row[0]), self.catalog)
        return None

    def set(self, user_id: int, rig: Rig) -> None:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._lock:
            self._connection().execute(
                "INSERT INTO rigs (user_id, rig, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET rig = excluded.rig, updated_at = excluded.updated_at",
                (user_id, json.dumps(rig.to_json()), now),
            )

    def clear(self, user_id: int) -> bool:
        """Delete the user's rig; True if there was one."""
        with self._lock:
            cursor = self._connection().execute("DELETE FROM rigs WHERE user_id = ?", (user_id,))
        return cursor.rowcount > 0

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def default_rig_path() -> Path:
    """``rig.json`` in gpubot's user config directory (``$XDG_CONFIG_HOME/gpubot`` on Linux, via platformdirs)."""
    import platformdirs  # only for the rig commands and chat

    return Path(platformdirs.user_config_path("gpubot")) / "rig.json"


class ProfileRigStore:
    """The terminal's rig: one JSON file (written whole, through a temporary file and a rename)."""

    def __init__(self, path: Path, catalog: Catalog) -> None:
        self.path = path
        self.catalog = catalog

    def get(self) -> Rig | None:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return Rig.from_json(raw, self.catalog)

    def set(self, rig: Rig) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(rig.to_json()), encoding="utf-8")
        tmp.replace(self.path)

    def clear(self) -> bool:
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        return True
