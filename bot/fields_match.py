"""Find spec fields named in free text: ``vram`` -> ``memory_gb``, ``bandwith`` -> ``memory_bandwidth_gbs``.

An exact phrase lookup over every field's key, label and aliases (longest phrase first), then a
typo-tolerant pass for longer single words. :class:`bot.matcher.Matcher` builds one index and
answers its field questions through it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.catalog import FieldDef
from bot.text import tokens

__all__ = ["FieldIndex", "FieldMatch"]

# Ordinary words one typo away from a field's name, never read as that typo ("slower" is not "blower").
_REAL_WORDS = frozenset(["slower", "computer", "computers", "flower", "lowers"])
_MEMO_LIMIT = 20_000  # typo lookups remembered before the memo starts afresh
# Codes and figures that name a field by their form, over one or two words: "sm 86" (a CUDA target) asks for the
# compute capability, not the SM count; "3.35tb s" (a figure in TB/s or GB/s) quotes a memory bandwidth; "128 bit" a
# bus width (never a precision: those are 4 to 32 bits).
_CODED = (
    (re.compile(r"sm ?\d{2,3}a?"), "compute_capability"),
    (re.compile(r"(?<!\d)\d+(?:\.\d+)?[tg]b s"), "memory_bandwidth_gbs"),  # (?<!\d): linear in a search too
    (
        re.compile(r"(?:64|96|128|160|192|256|320|352|384|448|512|1024|2048|3072|4096|5120|6144|8192) bit"),
        "memory_bus_bits",
    ),
)
_CODED_LEADS = frozenset("s0123456789")
_CODED_ENDS = frozenset(["s", "bit"])  # the second word of a two-word code that does not start with "sm"


@dataclass(frozen=True, slots=True)
class FieldMatch:
    key: str
    text: str
    start: int
    end: int


class FieldIndex:
    """The phrases that name each field of one catalog. Build once; thread-safe reads."""

    def __init__(self, fields: Mapping[str, FieldDef]) -> None:
        self.fields = fields
        self._phrases: dict[str, str] = {}
        for fdef in fields.values():
            for phrase in (fdef.key.replace("_", " "), fdef.label.lower(), *fdef.aliases):
                key = " ".join(tokens(phrase))
                if key:
                    self._phrases.setdefault(key, fdef.key)
        self.phrases = frozenset(self._phrases)
        self._max_words = max((len(p.split()) for p in self._phrases), default=1)
        self._words = sorted({p for p in self._phrases if " " not in p and len(p) >= 6})
        self._first_words = frozenset(p.split(" ")[0] for p in self._phrases)
        # Every phrase's runs of first words: a run that starts no phrase ends the search from its first word.
        self._starts = frozenset(" ".join(p.split(" ")[:k]) for p in self._phrases for k in range(1, p.count(" ") + 2))
        self._near_memo: dict[str, str] = {}

    def _at(self, words: Sequence[str], i: int, used: Sequence[bool]) -> tuple[int, str, str] | None:
        """(words taken, field key, text) for a field named at word ``i``, or None."""
        coded = self._coded(words, i, used) if words[i][:1] in _CODED_LEADS else None
        if coded:
            return coded
        if words[i] in self._first_words:
            found = self._longest_at(words, i, used)
            if found:
                return found
        if len(words[i]) >= 6 and words[i].isalpha() and words[i] not in _REAL_WORDS:
            near = self._near(words[i])
            if near:
                return 1, self._phrases[near], words[i]
        return None

    def _longest_at(self, words: Sequence[str], i: int, used: Sequence[bool]) -> tuple[int, str, str] | None:
        """The longest phrase of free words at word ``i``: the run grows only while it starts a phrase."""
        best, phrase, last = None, words[i], min(self._max_words, len(words) - i)
        for size in range(1, last + 1):
            if size > 1:
                phrase = f"{phrase} {words[i + size - 1]}"
            if used[i + size - 1] or phrase not in self._starts:
                break
            key = self._phrases.get(phrase)
            if key:
                best = (size, key, phrase)
        return best

    def _coded(self, words: Sequence[str], i: int, used: Sequence[bool]) -> tuple[int, str, str] | None:
        """A code or figure that names its field by its form ("sm 86", "sm86", "3.35tb s")."""
        for size in (2, 1):
            if i + size > len(words) or any(used[i : i + size]):
                continue
            if not (words[i].startswith("sm") if size == 1 else words[i] == "sm" or words[i + 1] in _CODED_ENDS):
                continue  # no code has this form: skip the patterns (every word with a digit comes here)
            text = " ".join(words[i : i + size])
            key = next((k for pattern, k in _CODED if k in self.fields and pattern.fullmatch(text)), None)
            if key:
                return size, key, text
        return None

    def _near(self, word: str) -> str:
        """The one-word phrase ``word`` is a typo of, or ""; remembered per word (the phrases never change)."""
        hit = self._near_memo.get(word)
        if hit is None:
            if len(self._near_memo) > _MEMO_LIMIT:
                self._near_memo.clear()
            from rapidfuzz import process  # imported when first needed
            from rapidfuzz.distance import OSA

            best = process.extractOne(word, self._words, scorer=OSA.normalized_similarity, score_cutoff=0.8)
            hit = self._near_memo[word] = best[0] if best else ""
        return hit

    def find(self, words: Sequence[str], skip: Iterable[tuple[int, int]] = ()) -> list[FieldMatch]:
        """Every field named in ``words``, left to right, outside the ``skip`` spans (GPU names)."""
        n = len(words)
        used = [False] * n
        for start, end in skip:
            for k in range(start, min(end, n)):
                used[k] = True
        out: list[FieldMatch] = []
        first, i = self._first_words, 0  # the words before ``i`` are taken or passed
        # Only a phrase's first word, a code or figure ("sm 86", "128 bit") or a long word (a typo of one) can name a
        # field: only those words are tried.
        for k in [k for k, w in enumerate(words) if w in first or len(w) >= 6 or w[:1] in _CODED_LEADS]:
            hit = self._at(words, k, used) if k >= i and not used[k] else None
            if hit:
                size, key, phrase = hit
                out.append(FieldMatch(key, phrase, k, k + size))
                i = k + size
        return out

    def choices(self, text: str, limit: int = 25) -> list[FieldDef]:
        """Fields for a partly typed name: the exact match, then label/alias prefixes, key specs first."""
        wanted = text.strip().lower()
        exact = self.field(text) if wanted else None

        def starts(f: FieldDef) -> bool:
            return f.label.lower().startswith(wanted) or any(a.startswith(wanted) for a in f.aliases)

        ordered = sorted(
            self.fields.values(), key=lambda f: (f.key != exact, not (wanted and starts(f)), not f.key_spec, f.label)
        )
        if wanted:
            ordered = [
                f
                for f in ordered
                if f.key == exact or wanted in f.label.lower() or any(wanted in a for a in f.aliases) or wanted in f.key
            ]
        return ordered[:limit]

    def field_list(self, text: str) -> list[str]:
        """Fields named in a comma-separated list ("memory, bandwidth, tdp"), in order, no repeats."""
        keys: list[str] = []
        for part in re.split(r"[,;/|+]|\band\b", text):
            for found in self.find(tokens(part)):
                if found.key not in keys:
                    keys.append(found.key)
        return keys

    def field(self, text: str) -> str | None:
        """Resolve a single field name (``vram`` -> ``memory_gb``), or None."""
        found = self.find(tokens(text))
        if found:
            return found[0].key
        key = " ".join(tokens(text)).replace(" ", "_")
        return key if key in self.fields else None
