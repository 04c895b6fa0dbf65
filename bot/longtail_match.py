"""Long-tail GPU names in a question: what the curated matcher left unknown, read against TechPowerUp's database.

Runs after :class:`~bot.matcher.Matcher` and only on what it could not place: a mention it found nothing for
("m4000", "rx 580 8gb"), or a free word shaped like a card's model number next to a series word ("gtx 960",
"r9 290x", "vega 64"), which the curated matcher never reads as a name. A question without either never opens the
database. The rule is the curated matcher's:

* Every significant word of the mention must be a word of the card's name (no fuzzy numbers: "gtx 9600" is no
  GTX 960); words of a name are compared as a multiset, so "m4000m" (two m's) is the mobile card, "m4000" not.
* The card whose name has nothing left over wins ("gtx 960": not the 960M, the 960A or the OEM boards);
  series words ("quadro", "rx", "pro"...) left over do not count, so "k80" is the Tesla K80, but two cards that
  differ only by series ("m4000": Quadro or FirePro) are asked about. Cards differing only by memory size
  ("gtx 1060": 3, 5 or 6 GB) are asked about unless the size is said ("gtx 1060 6gb").
* A mention that no name holds whole gets the nearest names as suggestions, never an answer; a stated memory size
  the card does not come in makes it a suggestion too.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.bounds import MAX_MENTIONS
from bot.catalog_model import GPU
from bot.longtail import Entry, LongTail, is_longtail, longtail_of
from bot.matcher_words import MEMORY, MODEL_SIZE, STOPWORDS
from bot.mentions import GpuMention, MatchResult
from bot.text import split_alnum, tokens

__all__ = ["LongTailIndex", "LongTailReader", "longtail_reader", "name_pieces"]

#: Words that never tell two cards apart (vendors, brands, fillers).
OPTIONAL = frozenset(
    ["nvidia", "geforce", "amd", "ati", "radeon", "intel", "graphics", "gpu", "card", "founders", "edition", "fe"]
)
#: Series words: left over in a name they do not count ("k80" is the Tesla K80), said they must be in it.
SERIES = frozenset(
    [
        *("gtx", "gts", "gt", "rtx", "rx", "r5", "r7", "r9", "hd", "quadro", "tesla", "titan", "firepro", "instinct"),
        *("vega", "arc", "nvs", "grid", "pro", "iris", "uhd", "xe", "mobility", "fx"),
    ]
)
#: Series words that make a bare number a card's model number ("gtx 960", "vega 64", "hd 7970").
_ANCHORING = SERIES - {"pro", "gt", "xe", "fx", "grid"}
#: Words a curated name may leave unsaid that make another card ("gtx 1660" is not the GTX 1660 SUPER).
VARIANT_WORDS = frozenset(["ti", "super", "xt", "xtx", "gre", "le", "se", "+d", "+x", "max", "q", "sff"])
#: Words after a curated card's name that may make it another card ("gtx 1070 max-q", "titan black").
TRAILING = frozenset(["max", "maxq", "q", "mobile", "black", "z", "oem", "se", "le", "gso", "mxm", "ultra", "boost"])
#: Words that name a vendor's brand: a name said with one is that vendor's card.
_VENDOR_OF = {
    **dict.fromkeys(["geforce", "nvidia", "quadro", "tesla"], "NVIDIA"),
    **dict.fromkeys(["radeon", "amd", "firepro", "ati"], "AMD"),
    **dict.fromkeys(["intel", "arc"], "Intel"),
}
_CANON = {"laptop": "mobile", "notebook": "mobile", "maxq": "max q"}
_LAPTOP_REACH = 12
_DESKTOP = frozenset(["desktop", "desktops", "pc", "tower", "workstation"])
_MEMO = 65536  # windows remembered
_MAX_ANCHORS = 4 * MAX_MENTIONS  # places looked at in one question (the names kept are capped after)
_MAX_SIDE = 4  # words taken on each side of an anchor: "nvidia geforce gtx 1060 6gb mobile"
_BESIDE = 3  # words beside a curated name read with it: "rtx 2070 max-q refresh"
_MAX_CHOICES = 6  # more cards than this that fit a mention equally: too vague to ask about
_NUMBERED = re.compile(r"\d{2,5}")
_MODELISH = re.compile(r"^(?:[a-z]{1,5})?\d{2,5}(?:[a-z]{1,3})?$")


@functools.lru_cache(maxsize=4096)
def _pieces(word: str) -> tuple[str, ...]:
    """A word's pieces: "m4000" -> m, 4000; a single letter right after the number is a suffix, told apart from a
    prefix ("4000m" -> 4000, +m: the Quadro 4000M is not the Quadro M4000)."""
    out: list[str] = []
    for w in _CANON.get(word, word).split():
        parts = [w] if MEMORY.match(w) else split_alnum(w)
        for k, p in enumerate(parts):
            p = _CANON.get(p, p)
            out.append(f"+{p}" if _suffix(p, parts[k - 1] if k else "") else p)
    return tuple(out)


_NAME_SIZE = re.compile(r"\b(\d+(?:\.\d+)?) ?(?:(gb|tb)|g)\b")
_NAME_SPLIT = re.compile(r"[^a-z0-9.]+")


def _name_words(name: str) -> list[str]:
    """A database name's words as :func:`bot.text.tokens` gives them ("GTX 1060 6 GB" -> gtx, 1060, 6gb), for the
    plain ASCII names of the database, without its general normalisation."""
    text = _NAME_SIZE.sub(lambda m: f"{m.group(1)}{m.group(2) or 'gb'}", name.lower())
    return [w.strip(".") for w in _NAME_SPLIT.split(text) if w.strip(".")]


def _suffix(piece: str, before: str) -> bool:
    return len(piece) == 1 and piece.isalpha() and before.isdigit()


def _significant(words: Iterable[str]) -> tuple[Counter[str], str | None]:
    """(the name's significant pieces as a multiset, its memory size word or None); a lone letter after a number
    word is its suffix ("4000 m" is "4000m")."""
    pieces: Counter[str] = Counter()
    memory = None
    previous = ""
    for w in words:
        parts = _pieces(w)
        if len(parts) == 1 and _suffix(parts[0], previous):
            parts = (f"+{parts[0]}",)
        for p in parts:
            if MEMORY.match(p):
                memory = p
            elif p not in OPTIONAL:
                pieces[p] += 1
        previous = parts[-1] if parts else ""
    return pieces, memory


@dataclass(frozen=True, slots=True)
class _Name:
    entry: Entry
    pieces: Counter[str]
    memories: frozenset[str]  # the memory sizes it comes in: its own, and one its name says


@dataclass(frozen=True, slots=True)
class Reading:
    """What a window of words names: one card, several to ask about, or suggestions."""

    gpu: str | None = None
    candidates: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return self.gpu is not None or bool(self.candidates)


@dataclass
class LongTailIndex:
    """The long tail's names by piece, built on first use."""

    names: list[_Name] = field(default_factory=list)
    by_piece: dict[str, list[int]] = field(default_factory=dict)
    memo: dict[tuple[tuple[str, ...], bool], Reading] = field(default_factory=dict)

    @classmethod
    def build(cls, entries: Iterable[Entry]) -> LongTailIndex:
        index = cls()
        for entry in entries:
            pieces, said = _significant(_name_words(entry.said))
            if not pieces:
                continue
            memories = {said} if said else set()
            if entry.memory_gb:
                memories.add(f"{entry.memory_gb:g}gb")
            k = len(index.names)
            index.names.append(_Name(entry, pieces, frozenset(memories)))
            for p in pieces:
                index.by_piece.setdefault(p, []).append(k)
        return index

    def knows(self, word: str) -> bool:
        return all(
            p in self.by_piece or f"+{p}" in self.by_piece or p in OPTIONAL or MEMORY.match(p) for p in _pieces(word)
        )

    def read(self, words: Sequence[str], *, numbered: bool = True) -> Reading:
        """What ``words`` name; with ``numbered``, only a name with a model number ("titan" alone is no reading).
        Remembered per window (bounded): windows repeat across questions."""
        key = (tuple(words), numbered)
        found = self.memo.get(key)
        if found is None:
            found = self._read(words, numbered=numbered)
            if len(self.memo) < _MEMO:
                self.memo[key] = found
        return found

    def _read(self, words: Sequence[str], *, numbered: bool) -> Reading:
        want, memory = _significant(words)
        if not want or (numbered and not any(_NUMBERED.fullmatch(p) for p in want)):
            return Reading()
        pool = self._pool(want)
        if not pool:
            return Reading()
        brands = {_VENDOR_OF[w] for w in words if w in _VENDOR_OF}
        if len(brands) == 1:  # "geforce 6800 xt": not the Radeon RX 6800 XT
            pool = [n for n in pool if _vendor(n.entry.vendor) in brands]
        sized = [n for n in pool if memory is None or memory in n.memories]
        ranked = sorted(sized, key=lambda n: (_extra(n, want), n.entry.name))
        zero = list(dict.fromkeys(n.entry.id for n in ranked if _extra(n, want) == 0))
        if len(zero) == 1:
            return Reading(gpu=zero[0])
        if 1 < len(zero) <= _MAX_CHOICES:
            return Reading(candidates=tuple(zero))
        near = sorted(pool, key=lambda n: (_extra(n, want), n.entry.name))
        return Reading(suggestions=tuple(dict.fromkeys(n.entry.id for n in near))[:5])

    def _pool(self, want: Counter[str]) -> list[_Name]:
        rarest = min(want, key=lambda p: len(self.by_piece.get(p, ())))
        return [
            n
            for n in (self.names[k] for k in self.by_piece.get(rarest, ()))
            if all(n.pieces[p] >= c for p, c in want.items())
        ]


def _suffixed(name: Counter[str], said: Counter[str]) -> bool:
    """``name`` is what was ``said`` with one-letter suffixes ("+x") and series words added."""
    extra = name - said
    return not said - name and bool(extra) and all(p.startswith("+") or p in SERIES for p in extra)


def _vendor(vendor: str | None) -> str | None:
    return "AMD" if vendor == "ATI" else vendor


def name_pieces(name: str) -> set[str]:
    """The pieces of a database name, as the index holds them (``specs/longtail/words.txt`` lists them all)."""
    return set(_significant(_name_words(name))[0])


def _laptop_before(words: Sequence[str], start: int) -> bool:
    """A laptop word before a name, in the words since the question's last "desktop" ("I have a gaming laptop with
    24GB of RAM and an Nvidia GTX 1650": the mobile GPU), up to :data:`_LAPTOP_REACH` words back."""
    for k in range(start - 1, max(-1, start - _LAPTOP_REACH - 1), -1):
        word = _CANON.get(words[k], words[k])
        if word == "mobile":
            return True
        if word in _DESKTOP:
            return False
    return False


def _drops_series(words: Sequence[str], start: int, end: int) -> bool:
    return any(p in SERIES for w in words[start:end] for p in _pieces(w))


def _extra(name: _Name, want: Counter[str]) -> int:
    """How many pieces of ``name`` the mention does not say, series words aside."""
    return sum(c for p, c in (name.pieces - want).items() if p not in SERIES)


class LongTailReader:
    """Adds long-tail cards to a curated :class:`MatchResult` (see the module's docstring)."""

    def __init__(self, longtail: LongTail, not_a_name: Callable[[str], object]) -> None:
        self.longtail = longtail
        self._not_a_name = not_a_name
        self._index: LongTailIndex | None = None
        self._curated_pieces: dict[str, Counter[str]] = {}
        self._numbered_words: dict[str, bool] = {}
        self._memo: dict[tuple[object, ...], bool] = {}  # _extends and _said_beyond, per words and cards

    def __getstate__(self) -> dict[str, object]:  # pickled (the engine cache) without the built index
        return {**self.__dict__, "_index": None, "_curated_pieces": {}, "_numbered_words": {}, "_memo": {}}

    def __setstate__(self, state: dict[str, object]) -> None:
        for key, value in state.items():
            setattr(self, key, value)

    @property
    def index(self) -> LongTailIndex:
        if self._index is None:
            self._index = LongTailIndex.build(self.longtail.entries())
        return self._index

    def apply(self, match: MatchResult) -> MatchResult:
        """``match`` with long-tail cards in place of the unknown mentions they are, and added where the curated
        matcher saw no name; unchanged (and the database unread) when nothing in it could be a card."""
        anchors, partial = self._anchors(match), self._partial(match)
        if not (anchors or partial) or not self.longtail.available:
            return match
        words = match.words
        placed = [m for m in match.mentions if m.gpu is not None or m.ambiguous]
        unknown = [m for m in match.mentions if m not in placed]
        placed = [
            self._instead(words, m, partial[(m.start, m.end)]) if (m.start, m.end) in partial else m for m in placed
        ]
        taken = {k for m in placed for k in range(m.start, m.end)}
        out = list(placed)
        done: set[int] = set()
        spans = {k: m for m in unknown for k in range(m.start, m.end)}
        for a in anchors[:_MAX_ANCHORS]:  # bounded work, whatever the question repeats
            if a in done:
                continue
            said = spans.get(a)
            found = self._mention(words, a, taken, (said.start, said.end) if said else (a, a + 1))
            if found is None:
                continue
            found = self._with_variants(found, said.suggestions if said else ())
            if all(w.isdigit() for w in words[found.start : found.end]):
                continue  # a bare number ("what about 1500?", "zorblax 9000"): no name was said, nothing to answer
            out = [m for m in out if m.end <= found.start or m.start >= found.end]
            out.append(found)
            taken.update(range(found.start, found.end))
            done.update(range(found.start, found.end))
        kept = [m for m in unknown if not any(k in done for k in range(m.start, m.end))]
        match.mentions = sorted(out + kept, key=lambda m: m.start)
        return match

    def _partial(self, match: MatchResult) -> dict[tuple[int, int], tuple[int, int]]:
        """Curated cards read from part of what was said, where the long tail may hold the card meant, each with the
        words to read instead: the curated name has a variant word the question did not say ("gtx 1660": the SUPER),
        or words beside it that long-tail names have and the curated name lacks ("quadro fx 5500", "gtx 1070 max-q",
        "titan black", "geforce 6800 xt", "quadro rtx 6000 passive"). Reads at most the small word list."""
        out = {}
        named = {k for m in match.mentions for k in range(m.start, m.end)}
        for m in match.mentions:
            ids = (m.gpu,) if m.gpu else m.candidates
            if not ids or any(is_longtail(g) for g in ids):
                continue
            left, right = self._beside(match.words, named, m, ids)
            said = tuple(match.words[m.start : m.end])
            if (left, right) != (m.start, m.end) or self._remembered(self._said_beyond, said, ids):
                out[(m.start, m.end)] = (left, right)
            elif self._remembered(self._variant_unsaid, said, ids):  # most curated names have no variant word
                out[(m.start, m.end)] = (m.start, m.end)
        return out

    def _beside(self, words: Sequence[str], named: set[int], m: GpuMention, ids: tuple[str, ...]) -> tuple[int, int]:
        """The span of ``m`` with up to three words on each side (none of them ``named``) that may make it a
        long-tail card's name."""
        left, right = m.start, m.end
        while (
            left > 0 and m.start - left < _BESIDE and left - 1 not in named and self._extends_ids(words[left - 1], ids)
        ):
            left -= 1
        while (
            right < len(words)
            and right - m.end < _BESIDE
            and right not in named
            and self._extends_ids(words[right], ids)
        ):
            right += 1
        return left, right

    def _extends_ids(self, word: str, ids: tuple[str, ...]) -> bool:
        return self._remembered(self._extends, word, ids)

    def _variant_unsaid(self, words: Sequence[str], ids: tuple[str, ...]) -> bool:
        """Every card has a variant word that ``words`` do not say ("gtx 1660": the SUPER)."""
        said = _significant(words)[0] if all(self._variant_words(g) for g in ids) else None
        return said is not None and all(self._variant_words(g) - said.keys() for g in ids)

    def _remembered(self, read: Callable[[Any, tuple[str, ...]], bool], said: Any, ids: tuple[str, ...]) -> bool:
        """``read(said, ids)``, remembered (bounded): the long tail and the catalog are immutable."""
        key = (read.__name__, said, ids)
        if (found := self._memo.get(key)) is None:
            found = read(said, ids)
            if len(self._memo) < _MEMO:
                self._memo[key] = found
        return found

    def _said_beyond(self, words: Sequence[str], ids: tuple[str, ...]) -> bool:
        """The curated matcher's own words say more than its cards' names: a brand none of them has ("geforce 6800
        xt"), a memory size none has ("rtx 3050 4 gb"), or words of long-tail names they lack ("v100 sxm3")."""
        brands = {_VENDOR_OF[w] for w in words if w in _VENDOR_OF}
        if brands and all(_vendor(self.longtail.curated_vendor(g)) not in brands for g in ids):
            return True
        said, memory = _significant(words)
        if memory is not None and all(memory != self.longtail.curated_memory(g) for g in ids):
            return True
        beyond = [p for p in said if all(p not in self._pieces_of(g) for g in ids)]
        known = self.longtail.words() if beyond else frozenset()
        return bool(beyond) and all(p in known for p in beyond)

    def _extends(self, word: str, ids: tuple[str, ...]) -> bool:
        """``word`` beside a curated name may belong to a long-tail name instead: a variant word ("max", "black"), a
        brand none of the curated cards has ("geforce" beside the RX 6800 XT), or a word of long-tail names that the
        curated names lack ("fx", "passive", "sdi")."""
        if word in STOPWORDS or word.isdigit():
            return False
        if word in TRAILING:
            return True
        if MEMORY.match(word):  # a size none of the curated cards has: "rtx 3080 ti 20gb"
            return all(word != self.longtail.curated_memory(g) for g in ids)
        brand = _VENDOR_OF.get(word)
        if brand is not None and all(_vendor(self.longtail.curated_vendor(g)) != brand for g in ids):
            return True
        pieces = _pieces(word)
        known = self.longtail.words()
        if not all(p in known or f"+{p}" in known for p in pieces):
            return False
        return all(any(p not in OPTIONAL and p not in self._pieces_of(g) for p in pieces) for g in ids)

    def _pieces_of(self, gpu_id: str) -> Counter[str]:
        """A curated card's name as pieces (remembered: the catalog is immutable)."""
        found = self._curated_pieces.get(gpu_id)
        if found is None:
            found = self._curated_pieces[gpu_id] = _significant(tokens(self.longtail.curated_name(gpu_id) or ""))[0]
        return found

    def _variant_words(self, gpu_id: str) -> frozenset[str]:
        return VARIANT_WORDS.intersection(self._pieces_of(gpu_id))

    def _instead(self, words: Sequence[str], m: GpuMention, span: tuple[int, int]) -> GpuMention:
        """The long-tail card (or cards, to ask about) that ``span`` names whole, in place of the curated ``m``."""
        left, right = span
        reading = self.index.read(words[left:right], numbered=False)  # a curated name was found here
        text = " ".join(words[left:right])
        if reading.gpu is not None and is_longtail(reading.gpu) and reading.gpu not in m.candidates:
            return GpuMention(text, left, right, gpu=reading.gpu)  # only a card the catalog lacks takes its place
        if reading.candidates and all(is_longtail(g) for g in reading.candidates):
            return GpuMention(text, left, right, candidates=reading.candidates)
        return m

    def _with_variants(self, found: GpuMention, near: tuple[str, ...]) -> GpuMention:
        """A long-tail card whose name the curated matcher found curated variants of ("mi300": the long tail's MI300,
        the catalog's MI300X) is only a suggestion beside them ("did you mean"), not the answer."""
        if found.gpu is None or not near:
            return found
        said = _significant(found.text.split())[0]
        # a one-letter suffix is how people shorten a family's name; a word ("rx 6700", not the 6700 XT) is not
        variants = [g for g in near if not is_longtail(g) and _suffixed(self._pieces_of(g), said)]
        if not variants:
            return found
        return GpuMention(found.text, found.start, found.end, suggestions=(*variants, found.gpu))

    def _anchors(self, match: MatchResult) -> list[int]:
        """Word indices where a long-tail name may be: each unknown mention's words, and free words shaped like a
        model number beside a series word. No data is read to find them."""
        words = match.words
        out = [k for m in match.mentions if m.gpu is None and not m.ambiguous for k in range(m.start, m.end)]
        if not out and SERIES_ANCHOR.isdisjoint(words):
            return []  # the common case: no unknown name and no series word (a glued one, "gtx960", is an unknown name)
        taken = {k for m in match.mentions if m.gpu is not None or m.ambiguous for k in range(m.start, m.end)}
        numbered = self._numbered_words
        for k, word in enumerate(words):
            is_numbered = numbered.get(word)
            if is_numbered is None:
                is_numbered = self._numbered(word)
                if len(numbered) < _MEMO:  # remembered per word, bounded
                    numbered[word] = is_numbered
            if not is_numbered or k in taken or k in out:
                continue
            near = words[max(0, k - 2) : k] + words[k + 1 : k + 2]
            if SERIES_ANCHOR.intersection(split_alnum(word)) or SERIES_ANCHOR.intersection(near):
                out.append(k)
        return sorted(k for k in set(out) if self._numbered(words[k]) and not bool(self._not_a_name(words[k])))

    @staticmethod
    def _numbered(word: str) -> bool:
        """A word that can carry a card's model number: not a size, a model's parameter count or a year."""
        if not any(c.isdigit() for c in word):
            return False
        if MEMORY.match(word) or MODEL_SIZE.match(word) or word in STOPWORDS:
            return False
        if word.isdigit():
            return 2 <= len(word) <= 5 and not 1990 <= int(word) <= 2039
        return any(_NUMBERED.fullmatch(p) for p in split_alnum(word)) and len(word) <= 12

    def _mention(self, words: Sequence[str], a: int, taken: set[int], said: tuple[int, int]) -> GpuMention | None:
        """The long-tail reading of the words around anchor ``a``: the longest window (holding all of ``said``, the
        words the curated matcher took for a name) that some card's name holds whole."""
        index = self.index
        lo, hi = said
        while lo > 0 and a - lo < _MAX_SIDE and self._free(words, lo - 1, taken) and index.knows(words[lo - 1]):
            lo -= 1
        while hi < len(words) and hi - a <= _MAX_SIDE and self._free(words, hi, taken) and index.knows(words[hi]):
            hi += 1
        best: tuple[tuple[int, int], int, int, Reading] | None = None
        for left in range(lo, said[0] + 1):
            for right in range(said[1], hi + 1):
                if _drops_series(words, lo, left) or _drops_series(words, right, hi):
                    continue  # a series word said beside the name is part of it: "rx 5900 xt" is no FX 5900 XT
                reading = index.read(words[left:right])
                if not (reading.found or reading.suggestions):
                    continue
                score = (right - left, int(reading.found))
                if best is None or score > best[0]:
                    best = (score, left, right, reading)
        if best is None:
            return None
        _, left, right, reading = best
        if reading.found and _laptop_before(words, left):  # "a laptop with a gtx 1650": the mobile GPU
            mobile = index.read([*words[left:right], "mobile"])
            reading = mobile if mobile.found else reading
        return GpuMention(
            " ".join(words[left:right]),
            left,
            right,
            gpu=reading.gpu,
            candidates=reading.candidates,
            suggestions=reading.suggestions,
        )

    @staticmethod
    def _free(words: Sequence[str], k: int, taken: set[int]) -> bool:
        return k not in taken and words[k] not in STOPWORDS


SERIES_ANCHOR = _ANCHORING


def longtail_reader(gpus: Mapping[str, GPU], not_a_name: Callable[[str], object]) -> LongTailReader | None:
    """The reader for a catalog's long tail, or None when the catalog has none."""
    tail = longtail_of(gpus)
    return None if tail is None else LongTailReader(tail, not_a_name)
