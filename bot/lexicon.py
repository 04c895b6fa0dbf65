"""The vocabulary of questions (``specs/lexicon.yaml``), loaded once, validated, compiled for fast lookup.

Every phrase is normalised like a question and matched as whole words; one compiled alternation per
class finds every hit with its span in a single pass. A mistake in the file raises
:class:`~bot.catalog.CatalogError` naming the file, the entry and the field.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.catalog import CatalogError, check_keys, read_yaml
from bot.text import normalize

__all__ = ["ClassFinder", "Hit", "Lexicon", "PhraseSet", "Property", "Unsupported", "load_lexicon", "word_keys"]

_SECTIONS = {
    "words",
    "precisions",
    "kv_precisions",
    "modes",
    "properties",
    "unsupported",
    "currencies",
    "bounds",
    "not_names",
}
# Sections a lexicon may leave out.
_OPTIONAL = {"foreign", "followups"}  # followups: read by bot/followup_words.py
_MODES = ("qlora", "lora", "full")


@dataclass(frozen=True, slots=True)
class Hit:
    """One phrase found in a normalised question: what it means, the words, and where."""

    value: str
    text: str
    start: int
    end: int


class PhraseSet:
    """Phrases (normalised) that each mean a value; finds them as whole words, longest first."""

    def __init__(self, phrases: Mapping[str, str], *, whole_words: bool = True) -> None:
        self.meaning = dict(phrases)
        self._firsts = frozenset(p.split(" ", 1)[0] for p in self.meaning)  # each phrase's first word
        ordered = sorted(self.meaning, key=len, reverse=True)
        body = "|".join(re.escape(p) for p in ordered) or r"(?!x)x"
        self._re = re.compile(rf"(?:{_by_first_char(ordered)})(?![a-z0-9$])" if whole_words and ordered else body)

    def replace(self, text: str) -> str:
        """``text`` with every phrase replaced by its meaning, spaced apart."""
        return self._re.sub(lambda m: f" {self.meaning[m.group(0)]} ", text)

    def without_last_word(self, text: str) -> str:
        """``text`` with every phrase's last word dropped ("train batch size of 8" -> "train batch of 8")."""
        return self._re.sub(lambda m: m.group(0).rsplit(" ", 1)[0], text)

    def strip(self, text: str) -> str:
        """``text`` without any of the phrases, single-spaced."""
        return " ".join(self._re.sub(" ", text).split())

    def __contains__(self, phrase: str) -> bool:
        return phrase in self.meaning

    def may_occur(self, keys: frozenset[str]) -> bool:
        """Whether a phrase can be found in the text whose :func:`word_keys` are ``keys``: a phrase starts at a word
        and its first word is that word, or (a phrase of one word) the word's start before a "." ("sd" of "sd.1")."""
        return not self._firsts.isdisjoint(keys)

    def finditer(self, norm: str) -> Iterator[Hit]:
        for m in self._re.finditer(norm):
            yield Hit(self.meaning[m.group(0)], m.group(0), m.start(), m.end())

    def first(self, norm: str) -> Hit | None:
        """The earliest hit (the longest phrase at that place): the first that :meth:`finditer` yields."""
        m = self._re.search(norm)
        return Hit(self.meaning[m.group(0)], m.group(0), m.start(), m.end()) if m is not None else None

    def found(self, norm: str) -> bool:
        return self._re.search(norm) is not None

    def values(self, norm: str) -> list[str]:
        """Every value named, in order of appearance, without repeats."""
        return list(dict.fromkeys(h.value for h in self.finditer(norm)))


def word_keys(norm: str) -> frozenset[str]:
    """The words of a normalised text, and each word's starts that end before a "." in it: where a phrase's first word
    can match (:meth:`PhraseSet.may_occur`)."""
    words = norm.split(" ")
    keys = set(words)
    for word in words:
        if "." in word:
            keys.update(word[:k] for k, c in enumerate(word) if c == ".")
    return frozenset(keys)


def _by_first_char(ordered: list[str]) -> str:
    """The alternation of ``ordered`` (longest first) as whole words, grouped by first character: each group starts
    with its character and then looks behind it for a word character, ``c(?<![a-z0-9$.]c)(?:rest|...)``, which
    matches what ``(?<![a-z0-9$.])(?:phrase|...)`` does, but lets a search skip to the characters that start a
    phrase (a pattern that starts with a lookbehind is tried at every position)."""
    groups: dict[str, list[str]] = {}
    for phrase in ordered:
        groups.setdefault(phrase[0], []).append(phrase[1:])
    alternatives = ("|".join(re.escape(rest) for rest in rests) for rests in groups.values())
    return "|".join(f"{re.escape(c)}(?<![a-z0-9$.].)(?:{alts})" for c, alts in zip(groups, alternatives, strict=True))


class ClassFinder:
    """Every word class a text has, in one scan: every run of words that is a phrase ("which gpus" is listing,
    its "which" which_what) adds the classes that phrase belongs to."""

    def __init__(self, words: Mapping[str, PhraseSet]) -> None:
        owners: dict[str, set[str]] = {}
        for name, phrases in words.items():
            for phrase in phrases.meaning:
                owners.setdefault(phrase, set()).add(name)
        self._classes = {phrase: frozenset(names) for phrase, names in owners.items()}
        self._max_words = max((p.count(" ") + 1 for p in self._classes), default=1)
        # Every run of words a phrase starts with: a run that is none of these ends the search from its start.
        self._starts = frozenset(" ".join(p.split(" ")[:k]) for p in self._classes for k in range(1, p.count(" ") + 2))

    def classes(self, text: str) -> set[str]:
        """The classes of every phrase among the text's runs of up to a few words (texts are normalised: single
        spaces between words)."""
        found: set[str] = set()
        words = text.split(" ")
        lookup = self._classes.get
        starts = self._starts
        for i in [i for i, word in enumerate(words) if word in starts]:  # most words start no phrase
            run = words[i]
            j = i + 1
            while run in starts:
                hit = lookup(run)
                if hit:
                    found |= hit
                if j >= len(words) or j - i >= self._max_words:
                    break
                run = f"{run} {words[j]}"
                j += 1
        return found


@dataclass(frozen=True, slots=True)
class Property:
    """A comparative on a spec field: ``more`` is True for "more memory", False for "less power"."""

    field: str
    more: bool


@dataclass(frozen=True, slots=True)
class Unsupported:
    """A property the catalog has no data on ("quieter"), and the fields that bear on it."""

    id: str
    label: str
    related: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Lexicon:
    words: Mapping[str, PhraseSet]
    precisions: PhraseSet
    kv_precisions: Mapping[str, str]
    modes: Mapping[str, PhraseSet]
    properties: PhraseSet  # value: "field:more" / "field:less"
    unsupported: PhraseSet  # value: the unsupported property's id
    unsupported_info: Mapping[str, Unsupported]
    currencies: PhraseSet  # value: currency code
    bounds: Mapping[str, PhraseSet]
    not_names: re.Pattern[str]  # words that look like a model number but never name a GPU
    classes: ClassFinder  # all of ``words`` at once
    foreign: PhraseSet | None = None  # words in scripts without spaces (显存, 跑) -> English words

    def translate(self, text: str) -> str:
        """ "4090 24g可以跑吗" -> "4090 24g 可以 run 吗": words of other scripts the lexicon knows, in English,
        before normalising drops every character outside ASCII."""
        if self.foreign is None or text.isascii():
            return text
        return self.foreign.replace(text)

    def is_not_a_name(self, text: str) -> bool:
        return self.not_names.fullmatch(text) is not None

    def property_of(self, hit: Hit) -> Property:
        key, direction = hit.value.rsplit(":", 1)
        return Property(key, direction == "more")


def _err(path: Path, message: str, entry: str | None = None, fld: str | None = None) -> CatalogError:
    return CatalogError(path, message, entry=entry, field=fld)


def _phrases(raw: Any, path: Path, entry: str, fld: str) -> list[str]:
    if not isinstance(raw, list) or not raw:
        raise _err(path, "must be a non-empty list of phrases", entry, fld)
    out: list[str] = []
    for item in raw:
        text = normalize(str(item)) if item != "$" else "$"
        if not isinstance(item, str | int) or not text:
            raise _err(path, f"{item!r} is not a phrase", entry, fld)
        out.append(text)
    return out


def _phrase_set(groups: Mapping[str, list[str]], path: Path, section: str) -> PhraseSet:
    """One PhraseSet from {value: [phrases]}; a phrase may mean only one value."""
    owner: dict[str, str] = {}
    for value, phrases in groups.items():
        for phrase in phrases:
            if owner.get(phrase, value) != value:
                raise _err(path, f"phrase {phrase!r} means both {owner[phrase]!r} and {value!r}", section, value)
            owner[phrase] = value
    return PhraseSet(owner)


def _mapping(raw: Mapping[str, Any], key: str, path: Path) -> Mapping[str, Any]:
    value = raw.get(key)
    if not isinstance(value, dict):
        raise _err(path, f"'{key}' must be a mapping", key)
    return value


def _load_properties(raw: Any, path: Path, fields: Collection[str]) -> dict[str, list[str]]:
    if not isinstance(raw, list):
        raise _err(path, "'properties' must be a list", "properties")
    groups: dict[str, list[str]] = {}
    for n, item in enumerate(raw):
        name = str(item.get("field")) if isinstance(item, dict) else f"#{n + 1}"
        if not isinstance(item, dict):
            raise _err(path, "each property is a mapping", name)
        check_keys(item, {"field", "more", "less"}, ("field",), path, name)
        if fields and item["field"] not in fields:
            raise _err(path, f"unknown spec field {item['field']!r}", name, "field")
        for direction in ("more", "less"):
            if direction in item:
                groups[f"{item['field']}:{direction}"] = _phrases(item[direction], path, name, direction)
    return groups


def _load_unsupported(raw: Any, path: Path, fields: Collection[str]) -> tuple[dict[str, list[str]], dict[str, Any]]:
    if not isinstance(raw, list):
        raise _err(path, "'unsupported' must be a list", "unsupported")
    groups: dict[str, list[str]] = {}
    info: dict[str, Unsupported] = {}
    for n, item in enumerate(raw):
        name = str(item.get("id")) if isinstance(item, dict) else f"#{n + 1}"
        if not isinstance(item, dict):
            raise _err(path, "each entry is a mapping", name)
        check_keys(item, {"id", "label", "phrases", "related"}, ("id", "label"), path, name)
        related = tuple(item.get("related") or ())
        unknown = [k for k in related if fields and k not in fields]
        if unknown:
            raise _err(path, f"unknown spec field {unknown[0]!r}", name, "related")
        groups[name] = _phrases(item["phrases"], path, name, "phrases")
        info[name] = Unsupported(name, str(item["label"]), related)
    return groups, info


def _load_modes(raw: Mapping[str, Any], path: Path) -> dict[str, PhraseSet]:
    modes = _mapping(raw, "modes", path)
    unknown = set(modes) - set(_MODES)
    if unknown:
        raise _err(path, f"unknown mode {sorted(unknown)[0]!r} (one of {', '.join(_MODES)})", "modes")
    return {m: PhraseSet(dict.fromkeys(_phrases(modes[m], path, "modes", m), m)) for m in _MODES if m in modes}


def load_lexicon(specs: Path, fields: Collection[str] = ()) -> Lexicon:
    """Load ``specs/lexicon.yaml``; ``fields`` (the catalog's field keys) checks property fields."""
    path = specs / "lexicon.yaml"
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise _err(path, "the file must be a mapping of sections")
    check_keys(raw, _SECTIONS | _OPTIONAL, (), path, "lexicon")
    missing = sorted(_SECTIONS - set(raw))
    if missing:
        raise _err(path, f"section '{missing[0]}' is missing", missing[0])
    words = {
        name: PhraseSet(dict.fromkeys(_phrases(phrases, path, "words", name), name))
        for name, phrases in _mapping(raw, "words", path).items()
    }
    precisions = {p: _phrases(v, path, "precisions", p) for p, v in _mapping(raw, "precisions", path).items()}
    kv = {normalize(str(k)): str(v) for k, v in _mapping(raw, "kv_precisions", path).items()}
    bad_kv = [v for v in kv.values() if v not in precisions]
    if bad_kv:
        raise _err(path, f"unknown precision {bad_kv[0]!r}", "kv_precisions")
    unsupported, info = _load_unsupported(raw["unsupported"], path, fields)
    currencies = {c: _phrases(v, path, "currencies", c) for c, v in _mapping(raw, "currencies", path).items()}
    bounds = {
        b: PhraseSet(dict.fromkeys(_phrases(v, path, "bounds", b), b)) for b, v in _mapping(raw, "bounds", path).items()
    }
    return Lexicon(
        words=words,
        precisions=_phrase_set(precisions, path, "precisions"),
        kv_precisions=kv,
        modes=_load_modes(raw, path),
        properties=_phrase_set(_load_properties(raw["properties"], path, fields), path, "properties"),
        unsupported=_phrase_set(unsupported, path, "unsupported"),
        unsupported_info=info,
        currencies=_phrase_set(currencies, path, "currencies"),
        bounds=bounds,
        not_names=_not_names(raw["not_names"], path),
        classes=ClassFinder(words),
        foreign=_foreign(raw.get("foreign"), path),
    )


def _foreign(raw: Any, path: Path) -> PhraseSet | None:
    """{english: [words in another script]}: matched anywhere (those scripts put no spaces between words)."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _err(path, "'foreign' must be a mapping of English words to lists of words", "foreign")
    owner: dict[str, str] = {}
    for english, words in raw.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words) or not words:
            raise _err(path, "must be a non-empty list of words", "foreign", str(english))
        for word in (w.strip() for w in words):
            if owner.setdefault(word, str(english)) != str(english):
                raise _err(path, f"{word!r} means both {owner[word]!r} and {english!r}", "foreign", str(english))
    return PhraseSet(owner, whole_words=False)


def _not_names(raw: Any, path: Path) -> re.Pattern[str]:
    if not isinstance(raw, list) or not all(isinstance(p, str) and p for p in raw):
        raise _err(path, "must be a list of regular expressions", "not_names")
    for n, pattern in enumerate(raw, start=1):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise _err(path, f"pattern {pattern!r} is not a regular expression ({exc})", f"not_names #{n}") from exc
    return re.compile("|".join(f"(?:{p})" for p in raw))
