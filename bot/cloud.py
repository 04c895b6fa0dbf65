"""Cloud instances named instead of a GPU: "a g5.xlarge", "p4d.24xlarge", "ND96asr v4", "VM.GPU.A10.1".

``specs/cloud.yaml`` lists instance families per provider, each size with its GPUs per instance, the
GPU as a catalog id (or null with a reply, for accelerators outside the catalog) and the provider's
pages as sources. :func:`load_cloud` validates the file against the catalog's GPU ids and builds a
:class:`CloudIndex`, whose :meth:`CloudIndex.find` finds instance names in a normalised question with
dictionary look-ups over its words (no I/O, no regular expression per name).

Names match however the parts are separated: ``g5.xlarge``, ``G5.XLARGE``, ``g5 xlarge`` and
``g5xlarge`` are one key. A short family name on its own ("g5", "a2", "p5") is an ordinary-looking
token, so it counts only beside a provider word ("aws g5", "gcp a2"), an instance word ("a g5
instance", "a2 vms"), "on/in <provider>" after it, or another mention of the same provider in the
question ("g5 or g6 instances"); never right after a GPU brand ("nvidia a2").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.catalog import CatalogError, read_yaml
from bot.cloud_hosted import Hosted, load_hosted
from bot.text import normalize

__all__ = ["CloudIndex", "CloudInstance", "CloudMention", "Provider", "load_cloud"]

FILE = "cloud.yaml"

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_URL_RE = re.compile(r"^https?://\S+$")
_FRACTION_RE = re.compile(r"^([1-9]\d*)\s*/\s*([1-9]\d*)$")
_TOKEN = re.compile(r"[^ .]+")
#: A lone name like "g5", "a2", "p5": reads like a GPU or a model name unless the context says cloud.
_SHORT = re.compile(r"[a-z]\d{1,2}")
_INSTANCE_WORD = re.compile(
    r" (?:instances?|vms?|virtual machines?|machines?|machine types?|nodes?|box(?:es)?|servers?|family|series|"
    r"shapes?|sizes?|types?)\b"
)
_VENDOR_BEFORE = re.compile(r"(?:^|\s)(?:nvidia|tesla|rtx|quadro|geforce|radeon|amd|intel|instinct|arc)\s$")

_ENTRY_KEYS = {"id", "provider", "names", "family", "sizes", "count", "gpu", "note", "reply", "sources"}
_PROVIDER_KEYS = {"name", "words"}


@dataclass(frozen=True, slots=True)
class Provider:
    id: str
    name: str
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CloudInstance:
    """One instance type ("g5.xlarge") or a whole family ("g5", count unknown when its sizes differ).

    ``count`` is whole GPUs per instance (None: unknown, or a share of one GPU: see ``fraction``);
    ``gpu`` is a catalog id, or None for an accelerator outside the catalog, with ``reply`` saying so.
    """

    id: str
    provider: str
    names: tuple[str, ...]
    gpu: str | None
    count: int | None
    note: str = ""
    reply: str = ""
    sources: tuple[str, ...] = ()
    fraction: Fraction | None = None  # a share of one GPU (Azure NV6ads_A10_v5: 1/6)
    series: str = ""  # the family entry's id; equal to ``id`` for the family itself

    @property
    def is_family(self) -> bool:
        return self.id == self.series


@dataclass(frozen=True, slots=True)
class CloudMention:
    """An instance named in a normalised question: ``norm[start:end] == text``."""

    instance: CloudInstance
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class CloudIndex:
    """Every instance in ``cloud.yaml``, and a finder for their names in normalised text."""

    providers: Mapping[str, Provider]
    instances: tuple[CloudInstance, ...]
    _keys: Mapping[str, tuple[CloudInstance, ...]] = field(repr=False)
    _short: frozenset[str] = field(repr=False)
    _max_tokens: int = field(repr=False, default=1)
    _before: Mapping[str, re.Pattern[str]] = field(repr=False, default_factory=dict)
    _after: Mapping[str, re.Pattern[str]] = field(repr=False, default_factory=dict)
    _prefixes: frozenset[str] = field(repr=False, default=frozenset())  # every start of a key: a fast first test
    hosted: tuple[Hosted, ...] = ()  # hosted notebooks ("colab") and the GPU variants they offer

    def hosted_in(self, norm: str) -> list[Hosted]:
        """The hosted-notebook services a normalised question names ("p100 on colab pro")."""
        return [h for h in self.hosted if h.pattern.search(norm)]

    def __len__(self) -> int:
        return len(self.instances)

    def __iter__(self) -> Iterator[CloudInstance]:
        return iter(self.instances)

    def get(self, instance_id: str) -> CloudInstance | None:
        return next((i for i in self.instances if i.id == instance_id), None)

    def lookup(self, name: str) -> tuple[CloudInstance, ...]:
        """The instances a name stands for, however it is typed (no context rule): ``lookup("G5.XLARGE")``."""
        return self._keys.get(_key(normalize(name)), ())

    def find(self, norm: str) -> list[CloudMention]:
        """Instance names in ``norm`` (already :func:`bot.text.normalize`-d), in order of appearance.

        A family name shared by several entries ("a2": A2 Standard and A2 Ultra) gives one mention per
        entry, all with the same span, so the caller can ask which one was meant.
        """
        if not norm or not self._may_name(norm.replace(".", " ").split()):
            return []  # no word starts an instance name: most questions
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(norm)]
        found: list[tuple[int, int, str]] = []
        i = 0
        prefixes = self._prefixes
        while i < len(tokens):
            hit = self._longest(tokens, i) if tokens[i][2] in prefixes else None  # most words start no name
            if hit is None:
                i += 1
                continue
            n, key = hit
            found.append((tokens[i][0], tokens[i + n - 1][1], key))
            i += n
        return self._mentions(norm, found)

    def _may_name(self, words: list[str]) -> bool:
        """Some word is a name, or starts one that the next word continues: a run that spells a name starts so."""
        prefixes = self._prefixes
        if prefixes.isdisjoint(words):
            return False
        last = len(words) - 1
        return any(
            w in prefixes and (w in self._keys or (k < last and w + words[k + 1] in prefixes))
            for k, w in enumerate(words)
        )

    def _longest(self, tokens: list[tuple[int, int, str]], i: int) -> tuple[int, str] | None:
        # The longest run of words that spells a key; a run grows only while it still starts one.
        best, key = None, ""
        for n in range(1, min(self._max_tokens, len(tokens) - i) + 1):
            key += tokens[i + n - 1][2]
            if key not in self._prefixes:
                break
            if key in self._keys:
                best = (n, key)
        return best

    def _mentions(self, norm: str, found: list[tuple[int, int, str]]) -> list[CloudMention]:
        sure = {self._keys[key][0].provider for start, end, key in found if self._in_context(norm, start, end, key)}
        out: list[CloudMention] = []
        for start, end, key in found:
            group = self._keys[key]
            if key in self._short and (group[0].provider not in sure or _after_brand(norm, start)):
                continue
            out.extend(CloudMention(inst, start, end, norm[start:end]) for inst in group)
        return out

    def _in_context(self, norm: str, start: int, end: int, key: str) -> bool:
        """A name that stands on its own, or a short one with a provider or instance word beside it."""
        if key not in self._short:
            return True
        if _after_brand(norm, start):
            return False
        provider = self._keys[key][0].provider
        return bool(
            self._before[provider].search(norm, max(0, start - 40), start)
            or _INSTANCE_WORD.match(norm, end)
            or self._after[provider].match(norm, end)
        )


def _after_brand(norm: str, start: int) -> bool:
    """ "nvidia a2", "rtx a2": a GPU name, not Google's A2 machines."""
    return bool(_VENDOR_BEFORE.search(norm, max(0, start - 12), start))


# A size's "xlarge" as people shorten it ("g5.48xl", "p4d.24xl"): after a digit, at the end of the name.
_XLARGE = re.compile(r"(?<=\d)xlarge$")


def _key(norm: str) -> str:
    """Spaces and dots between a name's parts don't matter: ``g5 xlarge`` and ``g5xlarge`` are one key."""
    return norm.replace(" ", "").replace(".", "")


def _fail(path: Path, message: str, entry: str | None = None, fld: str | None = None) -> CatalogError:
    return CatalogError(path, message, entry=entry, field=fld)


def _text_list(raw: dict[str, Any], key: str, path: Path, entry: str, *, required: bool) -> tuple[str, ...]:
    value = raw.get(key)
    if value is None and not required:
        return ()
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(path, "must be a non-empty list of text", entry, key)
    return tuple(value)


def _load_providers(data: dict[str, Any], path: Path) -> dict[str, Provider]:
    raw = data.get("providers")
    if not isinstance(raw, dict) or not raw:
        raise _fail(path, "needs a `providers:` mapping")
    out: dict[str, Provider] = {}
    for pid, spec in raw.items():
        if not isinstance(spec, dict):
            raise _fail(path, "each provider must be a mapping", str(pid))
        unknown = set(spec) - _PROVIDER_KEYS
        if unknown:
            raise _fail(path, f"unknown keys {sorted(unknown)}", str(pid))
        if not isinstance(spec.get("name"), str) or not spec["name"].strip():
            raise _fail(path, "needs a name", str(pid), "name")
        words = tuple(normalize(w) for w in _text_list(spec, "words", path, str(pid), required=True))
        out[str(pid)] = Provider(str(pid), spec["name"], words)
    return out


def _parse_count(value: Any, path: Path, entry: str, fld: str) -> tuple[int | None, Fraction | None]:
    """A whole number of GPUs, or a share of one written "1/6"."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value, None
    m = _FRACTION_RE.match(value) if isinstance(value, str) else None
    if m:
        share = Fraction(int(m.group(1)), int(m.group(2)))
        if share.denominator == 1:
            return share.numerator, None
        if share < 1:
            return None, share
    raise _fail(
        path, f"GPUs per instance must be a positive whole number or a share like 1/6, not {value!r}", entry, fld
    )


@dataclass
class _Builder:
    """Collects instances and name keys, rejecting any name that is already taken."""

    path: Path
    gpu_ids: Collection[str]
    providers: dict[str, Provider]
    instances: list[CloudInstance] = field(default_factory=list)
    keys: dict[str, list[CloudInstance]] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)  # key -> entry id
    family_owner: dict[str, str] = field(default_factory=dict)  # shared family key -> provider
    ids: set[str] = field(default_factory=set)

    def entry(self, raw: Any) -> None:
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise _fail(self.path, "each instance needs an `id`")
        eid: str = raw["id"]
        unknown = set(raw) - _ENTRY_KEYS
        if unknown:
            raise _fail(self.path, f"unknown keys {sorted(unknown)}", eid)
        if not _ID_RE.match(eid):
            raise _fail(self.path, "ids are lowercase words joined by '-'", eid, "id")
        if eid in self.ids:
            raise _fail(self.path, "duplicate id", eid, "id")
        self.ids.add(eid)
        base = self._base(raw, eid)
        sizes = self._sizes(raw, base)
        family_count = self._family_count(raw, eid, sizes)
        family = replace(base, count=family_count[0], fraction=family_count[1])
        self._add(family, family.names, eid, "names")
        for inst in sizes:
            self._add(inst, inst.names, eid, "sizes")
        for name in _text_list(raw, "family", self.path, eid, required=False):
            self._add_family(family, name, eid)

    def _base(self, raw: dict[str, Any], eid: str) -> CloudInstance:
        provider = raw.get("provider")
        if provider not in self.providers:
            raise _fail(self.path, f"unknown provider {provider!r} (one of {sorted(self.providers)})", eid, "provider")
        sources = _text_list(raw, "sources", self.path, eid, required=True)
        bad = [url for url in sources if not _URL_RE.match(url)]
        if bad:
            raise _fail(self.path, f"not a URL: {bad[0]!r}", eid, "sources")
        gpu = raw.get("gpu", "missing")
        if gpu == "missing":
            raise _fail(self.path, "needs `gpu:` (a catalog id, or null for hardware outside the catalog)", eid, "gpu")
        if gpu is not None and gpu not in self.gpu_ids:
            raise _fail(self.path, f"{gpu!r} is not a GPU id in the catalog", eid, "gpu")
        reply = " ".join(str(raw.get("reply") or "").split())
        if (gpu is None) != bool(reply):
            message = (
                "needs a reply (the GPU is outside the catalog)" if gpu is None else "a reply is only for gpu: null"
            )
            raise _fail(self.path, message, eid, "reply")
        note = " ".join(str(raw.get("note") or "").split())
        names = _text_list(raw, "names", self.path, eid, required="sizes" not in raw)
        return CloudInstance(eid, str(provider), names, gpu, None, note, reply, sources, None, eid)

    def _sizes(self, raw: dict[str, Any], base: CloudInstance) -> list[CloudInstance]:
        sizes = raw.get("sizes")
        if sizes is None:
            return []
        if not isinstance(sizes, dict) or not sizes:
            raise _fail(self.path, "must map each size name to its GPUs per instance", base.id, "sizes")
        out = []
        for name, value in sizes.items():
            count, share = _parse_count(value, self.path, base.id, "sizes")
            slug = re.sub(r"[ .]+", "-", normalize(str(name)))
            out.append(replace(base, id=f"{base.id}/{slug}", names=(str(name),), count=count, fraction=share))
        return out

    def _family_count(
        self, raw: dict[str, Any], eid: str, sizes: list[CloudInstance]
    ) -> tuple[int | None, Fraction | None]:
        if "count" in raw:
            if sizes:
                raise _fail(self.path, "give `count` or `sizes`, not both", eid, "count")
            return _parse_count(raw["count"], self.path, eid, "count")
        shapes = {(s.count, s.fraction) for s in sizes}
        return shapes.pop() if len(shapes) == 1 else (None, None)

    def _add(self, inst: CloudInstance, names: tuple[str, ...], eid: str, fld: str) -> None:
        self.instances.append(inst)
        for name in names:
            key = _key(normalize(name))
            if not key:
                raise _fail(self.path, f"name {name!r} is empty after normalisation", eid, fld)
            owner = self.owners.setdefault(key, eid)
            if owner != eid or key in self.keys:
                raise _fail(self.path, f"duplicate name {name!r} (also {owner})", eid, fld)
            self.keys[key] = [inst]
            short = _XLARGE.sub("xl", key)  # "g5.48xl" as people shorten "g5.48xlarge"
            if short != key and short not in self.owners:
                self.owners[short] = eid
                self.keys[short] = [inst]

    def _add_family(self, family: CloudInstance, name: str, eid: str) -> None:
        key = _key(normalize(name))
        if not key or (key in self.owners and key not in self.family_owner):
            raise _fail(self.path, f"family name {name!r} is empty or also an instance name", eid, "family")
        if self.family_owner.setdefault(key, family.provider) != family.provider:
            raise _fail(self.path, f"family name {name!r} is shared across providers", eid, "family")
        self.owners.setdefault(key, eid)
        self.keys.setdefault(key, []).append(family)


def _word_alternation(words: Collection[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def load_cloud(specs_dir: Path, gpu_ids: Collection[str]) -> CloudIndex:
    """Load and validate ``specs_dir/cloud.yaml``; raise :class:`CatalogError` naming file, entry, field.

    A specs folder without the file gives an empty index.
    """
    path = Path(specs_dir) / FILE
    if not path.exists():
        return CloudIndex(MappingProxyType({}), (), MappingProxyType({}), frozenset())
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise _fail(path, "needs `providers:` and `instances:`")
    unknown = set(data) - {"providers", "instances", "hosted"}
    if unknown:
        raise _fail(path, f"unknown top-level keys {sorted(unknown)}")
    if not isinstance(data.get("instances"), list):
        raise _fail(path, "needs an `instances:` list")
    builder = _Builder(path, gpu_ids, _load_providers(data, path))
    for raw in data["instances"]:
        builder.entry(raw)
    keys = {key: tuple(group) for key, group in builder.keys.items()}
    short = frozenset(key for key in keys if _SHORT.fullmatch(key) or key in builder.family_owner)
    max_tokens = max((len(_TOKEN.findall(normalize(n))) for i in builder.instances for n in i.names), default=1)
    before = {pid: re.compile(rf"(?:^|\s)(?:{_word_alternation(p.words)})\s$") for pid, p in builder.providers.items()}
    after = {
        pid: re.compile(rf" (?:on|in|from|at|with|using|via) (?:the )?(?:{_word_alternation(p.words)})\b")
        for pid, p in builder.providers.items()
    }
    return CloudIndex(
        providers=MappingProxyType(builder.providers),
        instances=tuple(builder.instances),
        _keys=MappingProxyType(keys),
        _short=short,
        _max_tokens=max_tokens,
        _before=MappingProxyType(before),
        _after=MappingProxyType(after),
        _prefixes=frozenset(key[:k] for key in keys for k in range(1, len(key) + 1)),
        hosted=load_hosted(data, path, gpu_ids),
    )
