"""The model catalog (``specs/models.yaml``) and finding model mentions in questions."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeGuard

from bot.catalog import CatalogError, check_keys, read_yaml
from bot.estimator_shapes import ModelShape
from bot.estimator_weights import weights_bytes
from bot.model_components import FIELDS as MEDIA_FIELDS
from bot.model_components import media_fields
from bot.model_names import NameRuns
from bot.text import compact, normalize

__all__ = ["ModelIndex", "ModelMention", "ModelReading", "ModelSpec", "load_models"]

_ID_RE = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")
#: The whole-number shape fields (config.json's), each a positive integer or absent; MoE: experts and MoE layers.
_SHAPE_INTS = ("layers", "hidden_size", "attention_heads", "kv_heads", "head_dim", "vocab_size", "max_context")
_MORE_INTS = ("config_context", "sliding_window", "full_attention_layers", "kv_lora_rank", "qk_rope_head_dim")
_INT_FIELDS = (*_SHAPE_INTS, *_MORE_INTS, "intermediate_size", "experts", "moe_layers")
_ALLOWED = {
    "id",
    "name",
    "family",
    "kind",
    "aliases",
    "params_b",
    "active_params_b",
    "attention",
    "release_date",
    "sources",
    "note",
    "native_precision",
    "native_split_b",
    "tied_embeddings",
    "weights_gb",
    "weights_sources",
    *_INT_FIELDS,
    *MEDIA_FIELDS,
}
_ATTENTION = ("full", "gqa", "sliding", "mla")
_KINDS = ("llm", "diffusion", "speech", "encoder", "vision")
_NAME_SIZE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)b\b")  # "72b" in "qwen2.5 72b", not "8x7b"
_SIZE_WORD = re.compile(r"^(\d+(?:\.\d+)?)b$")


def _size_word(word: str) -> str | None:
    """ "70b" -> "70": a word that is a model size, else None."""
    m = _SIZE_WORD.match(word) if word.endswith("b") else None
    return m.group(1) if m else None


# "\b(\d+(?:\.\d+)?)..." written to start with the digit, its word boundary checked behind it: a search skips ahead.
_BARE_SIZE = re.compile(r"(\d(?<!\w\d)\d*(?:\.\d+)?)\s*b\b(?!\s*(?:it|yte))")


@functools.lru_cache(maxsize=4096)
def _series_of(name: str) -> str:
    """:attr:`ModelSpec.series` of a model named ``name`` (a pure function of the name; answers ask it of every
    model, so it is remembered)."""
    norm = normalize(name)
    found = _NAME_SIZE.search(norm)
    return norm[: found.start()].replace(" ", "") if found else ""


@dataclass(frozen=True, slots=True)
class ModelSpec:
    id: str
    name: str
    family: str
    kind: str
    aliases: tuple[str, ...]
    sources: tuple[str, ...]
    shape: ModelShape
    note: str = ""
    released: str = ""  # ISO date, for "the newest Qwen 72B" when a question names no version

    @property
    def params_b(self) -> float:
        return self.shape.params_b

    @property
    def series_name(self) -> str:
        """ "Qwen2.5" for Qwen2.5 7B: how the series reads (the name itself when it has no size)."""
        found = _NAME_SIZE.search(self.name.lower())
        return self.name[: found.start()].strip() if found else self.name

    @property
    def series(self) -> str:
        """ "qwen2.5" for Qwen2.5 7B: the name before its size, without spaces ("" when the name has no size)."""
        return _series_of(self.name)


@dataclass(frozen=True, slots=True)
class ModelMention:
    text: str
    model: ModelSpec


@dataclass(frozen=True, slots=True)
class ModelReading:
    """The model a question names, or none with the name of one the catalog lacks ("qwen2.5 vl 72b"): the words
    after a mention that say another model are read (:mod:`bot.model_names`)."""

    mention: ModelMention | None
    unlisted: str | None = None


def _err(path: Path, message: str, entry: str | None = None, fld: str | None = None) -> CatalogError:
    return CatalogError(path, message, entry=entry, field=fld)


def _positive(value: Any) -> TypeGuard[int | float]:
    return not isinstance(value, bool) and isinstance(value, int | float) and value > 0


def _sizes(raw: dict[str, Any], path: Path, name: str) -> tuple[float, float | None, dict[str, int | None]]:
    """``params_b``, ``active_params_b`` and the whole-number shape fields, validated."""
    params = raw.get("params_b")
    if not _positive(params):
        raise _err(path, f"`params_b` must be a positive number of billions, got {params!r}", name, "params_b")
    active = raw.get("active_params_b")
    if active is not None and not _positive(active):
        raise _err(path, f"`active_params_b` must be a positive number, got {active!r}", name, "active_params_b")
    ints: dict[str, int | None] = {}
    for key in _INT_FIELDS:
        value = raw.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
            raise _err(path, f"expected a positive whole number, got {value!r}", name, key)
        ints[key] = value
    return float(params), float(active) if active is not None else None, ints


def _provenance(raw: dict[str, Any], path: Path, name: str) -> tuple[list[str], Any, list[Any]]:
    """``sources``, ``release_date`` and ``aliases``, validated."""
    sources = raw.get("sources") or []
    if (
        not isinstance(sources, list)
        or not sources
        or not all(isinstance(u, str) and u.startswith("http") for u in sources)
    ):
        raise _err(path, "needs a list of source URLs (model card or config.json)", name, "sources")
    date = raw.get("release_date")
    if date is not None and not isinstance(date, dt.date):
        try:
            dt.date.fromisoformat(str(date) if len(str(date)) == 10 else f"{date}-01")
        except ValueError as exc:
            raise _err(path, f"not a date: {date!r}", name, "release_date") from exc
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list):
        raise _err(path, "must be a list", name, "aliases")
    return sources, date, aliases


def _tied(raw: dict[str, Any], path: Path, name: str) -> bool:
    tied = raw.get("tied_embeddings", False)
    if not isinstance(tied, bool):
        raise _err(path, f"must be true or false, got {tied!r}", name, "tied_embeddings")
    return tied


def _native(
    raw: dict[str, Any], path: Path, name: str, params: float
) -> tuple[str | None, tuple[tuple[str, float], ...]]:
    """``native_precision`` and ``native_split_b`` (billions per precision, adding up to ``params_b``), validated."""
    from bot.estimator import BYTES_PER_PARAM  # when loading: a start from the engine cache needs no estimator

    native = raw.get("native_precision")
    if native is not None and native not in BYTES_PER_PARAM:
        raise _err(path, f"unknown precision {native!r}", name, "native_precision")
    split = raw.get("native_split_b") or {}
    if not isinstance(split, dict) or any(p not in BYTES_PER_PARAM or not _positive(b) for p, b in split.items()):
        raise _err(path, "must map known precisions to positive billions of parameters", name, "native_split_b")
    if split and (native not in split or abs(sum(split.values()) - params) > 0.02 * params):
        raise _err(path, f"must include {native!r} and add up to params_b ({params:g})", name, "native_split_b")
    return native, tuple((str(p), float(b)) for p, b in split.items())


def _files(raw: dict[str, Any], path: Path, name: str, shape: ModelShape) -> tuple[tuple[str, float], ...]:
    """``weights_gb``: published file sizes per precision, cited in ``weights_sources``; each within 25% of what the
    estimator's formula gives without it (parameters × bits with the format's layout), which catches a size typed for
    the wrong model or unit."""
    from bot.estimator import BYTES_PER_PARAM, PRECISION_NAMES

    sizes = raw.get("weights_gb") or {}
    if not isinstance(sizes, dict):
        raise _err(path, "must map precisions to GB", name, "weights_gb")
    sources = raw.get("weights_sources") or []
    if sizes and (not isinstance(sources, list) or not all(str(u).startswith("http") for u in sources) or not sources):
        raise _err(path, "published sizes need their source URLs", name, "weights_sources")
    for precision, gb in sizes.items():
        if precision not in BYTES_PER_PARAM or not _positive(gb):
            raise _err(path, f"{precision!r}: needs a known precision and a positive size", name, "weights_gb")
        expected = weights_bytes(shape, precision, BYTES_PER_PARAM, PRECISION_NAMES)[0] / 1e9
        if not 0.75 * expected <= gb <= 1.25 * expected:
            raise _err(path, f"{precision}: {gb} GB is far from {expected:.1f} GB (params x bits)", name, "weights_gb")
    return tuple((str(p), float(gb)) for p, gb in sizes.items())


def _model(raw: Any, path: Path, index: int) -> ModelSpec:
    name = str(raw.get("id") if isinstance(raw, dict) else None) or f"model #{index}"
    if not isinstance(raw, dict):
        raise _err(path, "each model must be a mapping", name)
    check_keys(raw, _ALLOWED, ("name", "family", "kind"), path, name)
    if not isinstance(raw.get("id"), str) or not _ID_RE.match(raw["id"]):
        raise _err(path, "`id` must be lowercase words joined by '-'", name, "id")
    if raw["kind"] not in _KINDS:
        raise _err(path, f"`kind` must be one of {_KINDS}", name, "kind")
    params, active, ints = _sizes(raw, path, name)
    attention = raw.get("attention") or "full"
    if attention not in _ATTENTION:
        raise _err(path, f"`attention` must be one of {_ATTENTION}", name, "attention")
    sources, date, aliases = _provenance(raw, path, name)
    native, split = _native(raw, path, name, params)
    shape = ModelShape(
        name=raw["name"],
        params_b=params,
        active_params_b=active,
        attention=attention,
        layers=ints["layers"],
        hidden_size=ints["hidden_size"],
        attention_heads=ints["attention_heads"],
        kv_heads=ints["kv_heads"],
        head_dim=ints["head_dim"],
        max_context=ints["max_context"],
        config_context=ints["config_context"],
        sliding_window=ints["sliding_window"],
        full_attention_layers=ints["full_attention_layers"],
        kv_lora_rank=ints["kv_lora_rank"],
        qk_rope_head_dim=ints["qk_rope_head_dim"],
        intermediate_size=ints["intermediate_size"],
        experts=ints["experts"],
        moe_layers=ints["moe_layers"],
        **media_fields(raw, path, name, params),
        vocab_size=ints["vocab_size"],
        tied_embeddings=_tied(raw, path, name),
        native_precision=native,
        native_split_b=split,
    )
    shape = dataclasses.replace(shape, file_gb=_files(raw, path, name, shape))
    return ModelSpec(
        id=raw["id"],
        name=raw["name"].strip(),
        family=raw["family"],
        kind=raw["kind"],
        aliases=tuple(str(a).lower() for a in aliases),
        sources=tuple(sources),
        shape=shape,
        note=str(raw.get("note") or ""),
        released=str(date or ""),
    )


def load_models(specs: Path) -> Mapping[str, ModelSpec]:
    """Load and validate ``models.yaml``; an absent file gives no models."""
    path = specs / "models.yaml"
    if not path.exists():
        return MappingProxyType({})
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("models"), list):
        raise _err(path, "needs a `models:` list")
    models: dict[str, ModelSpec] = {}
    owners: dict[str, str] = {}
    for i, raw in enumerate(data["models"], 1):
        model = _model(raw, path, i)
        if model.id in models:
            raise _err(path, "duplicate id", model.id, "id")
        models[model.id] = model
        for alias in {model.id, model.name.lower(), *model.aliases}:
            key = compact(alias)
            if owners.setdefault(key, model.id) != model.id:
                raise _err(path, f"alias {alias!r} also names {owners[key]}", model.id, "aliases")
    return MappingProxyType(models)


class ModelIndex:
    """Finds the model a question names: a catalog model, or a bare size ("a 13b model")."""

    def __init__(self, models: Mapping[str, ModelSpec]) -> None:
        self.models = models
        self._exact: dict[str, str] = {}
        for model in models.values():
            for alias in {model.id, model.name.lower(), *model.aliases}:
                self._exact[compact(alias)] = model.id
        self._max_words = max((len(normalize(a).split()) for a in self._all_names()), default=1)
        self._starts = frozenset(k[:n] for k in self._exact for n in range(1, len(k) + 1))
        # "qwen 72b", "llama 70b": the family's newest model of that size (names carry the size: "Qwen2.5 72B").
        self._newest: dict[tuple[str, str], str] = {}
        for model in sorted(models.values(), key=lambda m: m.released):
            for size in _NAME_SIZE.findall(model.name.lower()):
                self._newest[(model.family, size)] = model.id
        # "llama2 ... 13b", "qwen 2.5 ... 7b": a versioned family (the name before its size) and a size far apart.
        self._series: dict[tuple[str, str], str] = {}
        for model in sorted(models.values(), key=lambda m: m.released):
            name = normalize(model.name)
            for found in _NAME_SIZE.finditer(name):
                series = name[: found.start()].replace(" ", "")
                if series:
                    self._series[(series, found.group(1))] = model.id
        self._series_family = {series: models[mid].family for (series, _), mid in self._series.items()}
        self._series_starts = frozenset(s[:k] for s in self._series_family for k in range(1, len(s) + 1))
        # A family of one model names it ("flux lora", "whisper on a 3060"); larger families need a size.
        by_family: dict[str, list[str]] = {}
        for model in models.values():
            by_family.setdefault(model.family, []).append(model.id)
        self.families = tuple(sorted(by_family))
        self._family_words = tuple((f, f" {f.replace('-', ' ')} ") for f in self.families)  # as found in a question
        self._only_model = {f.replace("-", " "): ids[0] for f, ids in by_family.items() if len(ids) == 1}
        self._names = NameRuns(models)

    def sibling(self, model_id: str, params_b: float) -> str | None:
        """The model of ``model_id``'s series with ``params_b`` in its name ("what about the 8b?" after Llama 3 70B:
        Llama 3 8B), else the one model of its family with that size ("the 14b distill" after DeepSeek-R1); None
        when there is none, or several."""
        model, size = self.models.get(model_id), f"{params_b:g}"
        if model is None:
            return None
        name = normalize(model.name)
        series = name[: found.start()] if (found := _NAME_SIZE.search(name)) else name
        if (same := self._series.get((series.replace(" ", ""), size))) is not None:
            return same
        sized = [m.id for m in self.models.values() if size in _NAME_SIZE.findall(normalize(m.name))]
        family = [mid for mid in sized if self.models[mid].family == model.family]
        return family[0] if len(family) == 1 else None

    def _all_names(self) -> list[str]:
        return [a for m in self.models.values() for a in (m.id, m.name, *m.aliases)]

    def find(self, words: Sequence[str], context: Callable[[list[str]], bool] | None = None) -> ModelMention | None:
        """The model asked about (see :meth:`read`)."""
        return self.read(words, context).mention

    def read(self, words: Sequence[str], context: Callable[[list[str]], bool] | None = None) -> ModelReading:
        """The model asked about. ``context`` tells whether the words before a mention make it the asker's own
        ("I train SD 1.5 LoRAs on my 2060; will SDXL LoRAs ever be possible?": SDXL is asked about). The words after
        the mention must not say another model ("deepseek r1 distill 32b", "qwen2.5 vl 72b")."""
        found = self._found(words, context)
        if found is None:
            return ModelReading(None, self._names.unlisted(words))
        mention, start, end = found
        check = self._names.check(words, start, end, mention.model.id)
        if check.model_id == mention.model.id:
            return ModelReading(mention)
        if check.model_id is not None:
            return ModelReading(ModelMention(check.text, self.models[check.model_id]))
        return ModelReading(None, check.unlisted)

    def _found(
        self, words: Sequence[str], context: Callable[[list[str]], bool] | None
    ) -> tuple[ModelMention, int, int] | None:
        """The mention found, and where it starts and ends among ``words``."""
        exact = self._longest_exact(words, context)
        if exact is not None:
            return exact
        sizes = [_size_word(w) for w in words]  # "70b" -> "70", else None
        # Both readings below need a size word: without one (most questions), neither is looked for.
        for i, word in enumerate(words[:-1] if any(sizes) else ()):
            for j in range(i + 1, min(i + 3, len(words))):
                size = sizes[j]
                model_id = self._newest.get((word, size)) if size else None
                if model_id:  # the mention is the family's word: those after it are read as the name
                    return ModelMention(f"{word} {words[j]}", self.models[model_id]), i, i + 1
            # The size first: "70b llama2", "13b qwen2.5" name "llama2 70b", "qwen2.5 13b".
            model_id = self._exact.get(words[i + 1] + word) if sizes[i] else None
            if model_id:
                return ModelMention(f"{word} {words[i + 1]}", self.models[model_id]), i, i + 2
        return self._family_and_size(words, [s for s in sizes if s]) or self._family_of_one(words)

    def _longest_exact(
        self, words: Sequence[str], context: Callable[[list[str]], bool] | None = None
    ) -> tuple[ModelMention, int, int] | None:
        """The longest run of words that spells a model, leftmost among equals; runs grow only while they still
        start a spelling. A model named after a context cue ("i run sd 1.5") gives way to another model named."""
        best: tuple[int, int, str] | None = None  # (words, start, model id)
        found = self._exact_runs(words)
        if context is not None and len({mid for _, _, mid in found}) > 1:
            asked = [f for f in found if not context(list(words[max(0, f[1] - 6) : f[1]]))]
            found = asked or found
        for size, i, model_id in found:
            if best is None or size > best[0]:
                best = (size, i, model_id)
        if best is None:
            return None
        size, i, model_id = best
        return ModelMention(" ".join(words[i : i + size]), self.models[model_id]), i, i + size

    def _exact_runs(self, words: Sequence[str]) -> list[tuple[int, int, str]]:
        """Every run of words that spells a model, longest at each start: (words, start, model id)."""
        runs: list[tuple[int, int, str]] = []
        starts, reach = self._starts, 0  # reach: where the runs so far end, at the furthest
        for i in [i for i, word in enumerate(words) if word in starts]:  # most words start no spelling
            best: tuple[int, int, str] | None = None
            key = ""
            for size in range(1, min(self._max_words, len(words) - i) + 1):
                key += words[i + size - 1]
                if key not in self._starts:
                    break
                model_id = self._exact.get(key)
                if model_id:
                    best = (size, i, model_id)
            if best is not None and reach < best[0] + i:
                runs.append(best)  # not a run inside an earlier one
                reach = best[0] + i
        return runs

    def _family_and_size(self, words: Sequence[str], sizes: list[str]) -> tuple[ModelMention, int, int] | None:
        """A family and a size (``sizes``: the words' model sizes, in order) anywhere in the question, in any
        order: "the 120b model of gpt-oss", "7b model (llama-2 chatbot)": the family's newest model of that size."""
        if not sizes:
            return None
        for series in self._series_words(words):
            model_id = next((self._series[(series, s)] for s in sizes if (series, s) in self._series), None)
            if model_id:
                at = _first_at(words, series)
                return ModelMention(f"{series} {self.models[model_id].params_b:g}b", self.models[model_id]), at, at + 1
        padded = f" {' '.join(words)} "
        for family, spaced in self._family_words:
            if spaced not in padded:
                continue
            model_id = next((self._newest[(family, s)] for s in sizes if (family, s) in self._newest), None)
            if model_id:
                at, model = _first_at(words, spaced.strip()), self.models[model_id]
                return ModelMention(f"{family} {model.params_b:g}b", model), at, at + len(spaced.split())
        return None

    def all_named(self, words: Sequence[str]) -> list[ModelSpec]:
        """Every model the words name, in order: "whisper + llama 8b" names Whisper large-v3 and Llama 3.1 8B."""
        at = [(i, mid) for _, i, mid in self._exact_runs(words)]
        for i, word in enumerate(words[:-1]):
            size = _SIZE_WORD.match(words[i + 1])
            model_id = self._newest.get((word, size.group(1))) if size else None
            at += [(i, model_id)] if model_id else []
        for family, model_id in self._only_model.items():
            spelled = family.split()
            at += [(i, model_id) for i in range(len(words)) if list(words[i : i + len(spelled)]) == spelled]
        return [self.models[m] for m in dict.fromkeys(mid for _, mid in sorted(at))]

    def _series_words(self, words: Sequence[str]) -> list[str]:
        """The versioned families named, one word or two ("llama2", "llama 2", "qwen 2.5"), in order."""
        found = []
        family, starts = self._series_family, self._series_starts
        for i, word in enumerate(words):
            if word not in starts:
                continue  # no series name starts with this word: neither it nor it glued to the next is one
            for key in (word, word + words[i + 1] if i + 1 < len(words) else ""):
                if key in family and key not in found:
                    found.append(key)
        return found

    def _family_of_one(self, words: Sequence[str]) -> tuple[ModelMention, int, int] | None:
        padded = f" {' '.join(words)} "
        for family, model_id in self._only_model.items():
            if f" {family} " in padded:
                at = _first_at(words, family)
                return ModelMention(family, self.models[model_id]), at, at + len(family.split())
        return None

    def family(self, norm: str) -> str | None:
        """A model family the question names ("stable diffusion", "gemma"; the first alphabetically), or a
        versioned family's series ("qwen2.5", "llama2": :attr:`ModelSpec.series`)."""
        # a versioned name first ("llama 3" is Llama 3, not every Llama), then a family
        series = self._series_words(norm.split())
        if series:
            return series[0]
        padded = f" {norm} "
        return next((f for f, spaced in self._family_words if spaced in padded), None)

    @staticmethod
    def bare_size(norm: str) -> float | None:
        """ "a 13b model" -> 13.0 (billions of parameters)."""
        m = _BARE_SIZE.search(norm)
        return float(m.group(1)) if m else None


def _first_at(words: Sequence[str], spelled: str) -> int:
    """Where ``spelled`` (one word, two words glued as in "qwen 2.5" -> "qwen2.5", or words with spaces) first stands
    among ``words``; 0 when it is not found word for word."""
    parts = spelled.split()
    for i in range(len(words)):
        if list(words[i : i + len(parts)]) == parts or (len(parts) == 1 and "".join(words[i : i + 2]) == spelled):
            return i
    return 0
