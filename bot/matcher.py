"""Find GPUs and spec fields mentioned in free text.

Three passes over the normalised words of a question (:meth:`Matcher.find_gpus`; a
:class:`~bot.matcher_scan.Scan` holds the words, which of them a mention has taken, and the mentions found so far):

1. **Exact names** (``_exact_pass``). Runs of up to seven words are glued together (``rtx a 4000``
   -> ``rtxa4000``) and looked up among every GPU's id, name, name without vendor/brand and aliases.
   Confident, unless a variant qualifier follows (``rtx 2060 ti`` when there is no 2060 Ti): that is
   another card, so the name only becomes a suggestion.
2. **Partial names** (``_partial_pass``). Around each model number (``6000``, ``a100``, ``7900``)
   the longest window of free words is taken whose tokens all appear in some GPU's name. One GPU
   with nothing left over is confident (``3090`` is the RTX 3090, not the 3090 Ti); several equally
   good GPUs are an ambiguity to ask about (``rtx 6000``, ``a100``, ``h100``).
3. **Nearest names** (``_unknown_model``). A model-like word that matched nothing gets the closest
   catalog names as suggestions, never a confident answer: one wrong digit is a different GPU. It
   runs at the word where pass 2 found no window, so the word it takes bounds later windows.

Field names: :mod:`bot.fields_match`. The vocabulary (stop words, optional words, variant qualifiers,
canonical spellings): :mod:`bot.matcher_words`; the window search of pass 2: :mod:`bot.matcher_window`.
Word-level checks are memoised (the catalog is immutable).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from bot.catalog import GPU, Catalog, FieldDef
from bot.fields_match import FieldIndex, FieldMatch
from bot.matcher_scan import Scan, memoised
from bot.matcher_window import WindowSearch
from bot.matcher_words import (
    A_PREFIXES,
    CANON,
    LAPTOP_AFTER_LINKS,
    LAPTOP_LINKS,
    MAX_WINDOW,
    MEMORY,
    MODEL_SIZE,
    NOT_ANCHORS,
    NUMBER,
    OPTIONAL_WORDS,
    PLURAL_CUES,
    SERIES_WORDS,
    STOPWORDS,
    UNNAMED_VARIANTS,
    VARIANT_QUALIFIERS,
    canon_words,
    glued_word,
    model_like,
    subtokens,
)
from bot.mentions import GpuMention, MatchResult
from bot.text import compact, tokens

__all__ = ["FieldMatch", "GpuMention", "MatchResult", "Matcher"]

_LAPTOP = "laptop"
_GLUED = {w: glued_word(w) for w in CANON}  # each canonicalised word's glued spelling


class Matcher(WindowSearch):
    """Resolves GPU and field mentions against one :class:`Catalog`. Build once; thread-safe reads."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._exact: dict[str, str] = {}
        self._gpu_tokens: dict[str, frozenset[str]] = {}
        self._gpu_sig: dict[str, frozenset[str]] = {}
        self._by_token: dict[str, set[str]] = defaultdict(set)
        self._choice_keys: list[str] = []
        self._choice_ids: list[str] = []
        # Memos of pure functions of words (the catalog is immutable): words and windows repeat across questions.
        self._memo_candidates: dict[tuple[str, ...], tuple[list[str], frozenset[str]]] = {}
        self._memo_windows: dict[tuple[str, ...], bool] = {}
        self._memo_words: dict[str, str] = {}
        self._memo_anchors: dict[str, bool] = {}
        self._memo_loads: dict[str, tuple[int, int]] = {}
        self._memo_starts: dict[str, bool] = {}
        self._memo_suggest: dict[tuple[str, int], tuple[str, ...]] = {}
        self._memo_nameable: dict[str, bool] = {}
        self._build_gpu_index(catalog.gpus.values())
        self.field_index = FieldIndex(catalog.fields)
        self.field_phrases = self.field_index.phrases

    # -- index --------------------------------------------------------------------------------

    @staticmethod
    def _name_variants(gpu: GPU) -> set[str]:
        name = gpu.name.lower()
        variants = {name, gpu.id.replace("-", " ")}
        words = name.split()
        if words and words[0] == gpu.vendor.lower():
            variants.add(" ".join(words[1:]))
        trimmed = [w for w in words if w not in {gpu.vendor.lower(), "geforce", "generation", "edition"}]
        variants.add(" ".join(trimmed))
        return variants

    def _build_gpu_index(self, gpus: Iterable[GPU]) -> None:
        generated: dict[str, set[str]] = defaultdict(set)
        explicit: dict[str, str] = {}
        for gpu in gpus:
            for variant in self._name_variants(gpu):
                generated[compact(" ".join(canon_words(variant.split())))].add(gpu.id)
            for alias in gpu.aliases:
                explicit[compact(" ".join(canon_words(tokens(alias))))] = gpu.id
            name_tokens = subtokens(tokens(gpu.name)) + subtokens(gpu.id.split("-"))
            toks = set(name_tokens)
            mem = gpu.number("memory_gb")
            if mem is not None:
                toks.add(f"{mem:g}gb")
            self._gpu_tokens[gpu.id] = frozenset(toks)
            self._gpu_sig[gpu.id] = frozenset(t for t in toks if t not in OPTIONAL_WORDS and not MEMORY.match(t))
            for t in toks:
                self._by_token[t].add(gpu.id)
            for key in {compact(v) for v in self._name_variants(gpu)} | {compact(a) for a in gpu.aliases}:
                self._choice_keys.append(key)
                self._choice_ids.append(gpu.id)
        # A generated spelling shared by two GPUs names neither of them. A card's full name stays its own
        # even when a sibling differs only by memory ("RTX A2000" is the 6 GB card, "RTX A2000 12GB" the
        # other); a partial mention ("a2000", "3080") still asks.
        self._exact = {k: next(iter(ids)) for k, ids in generated.items() if len(ids) == 1}
        self._exact.update(explicit)
        self._exact_starts = frozenset(k[:n] for k in self._exact for n in range(1, len(k) + 1))
        # Product-line words that name a GPU without a number ("titan", "gaudi", "quadro").
        self._anchor_words = frozenset(
            t
            for t, ids in self._by_token.items()
            if t.isalpha() and len(t) >= 4 and len(ids) <= 4 and t not in OPTIONAL_WORDS | NOT_ANCHORS
        )
        self._vocab_words = sorted(t for t in self._by_token if t.isalpha() and len(t) >= 5 and t not in STOPWORDS)

    # -- GPUs ---------------------------------------------------------------------------------

    def _is_anchor(self, word: str) -> bool:
        return memoised(self._memo_anchors, word, lambda: self._is_anchor_uncached(word))

    def _is_anchor_uncached(self, word: str) -> bool:
        if MODEL_SIZE.match(word):
            return False  # "200b models" is a model size, not the B200
        subs = subtokens([word])
        if any(NUMBER.match(s) for s in subs):
            return True
        return any(s in self._anchor_words for s in subs)

    def _resolve(self, ranked: list[str], want: frozenset[str]) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
        """(the GPU, or the candidates to ask about, or names to suggest) for a partial name."""
        if len(ranked) == 1:
            # "rx 6800" when only the 6800 XT is known: a different product, so suggest, don't answer.
            if self._gpu_sig[ranked[0]] - want & VARIANT_QUALIFIERS:
                return None, (), (ranked[0],)
            return ranked[0], (), ()
        extras = [len(self._gpu_sig[g] - want) for g in ranked]
        best = extras[0]
        if extras.count(best) == 1 and best == 0:
            return ranked[0], (), ()
        # Not a variant the question did not name: "3060" is the 12 GB or the 8 GB card, not the Laptop GPU or
        # the Ti; "rtx 6000" is still any of four cards.
        plain = tuple(g for g in ranked if not (self._gpu_sig[g] - want) & UNNAMED_VARIANTS)
        if not plain:  # "3080 16gb": every 16 GB 3080 is a laptop GPU; the one with no unsaid "ti" is meant
            unsaid = [len((self._gpu_sig[g] - want) & UNNAMED_VARIANTS) for g in ranked]
            plain = tuple(g for g, n in zip(ranked, unsaid, strict=True) if n == min(unsaid))
            if len(plain) == 1:
                return plain[0], (), ()
        return None, plain if len(plain) > 1 else tuple(ranked), ()

    def suggest(self, text: str, limit: int = 5) -> list[str]:
        """The catalog GPUs whose names are closest to ``text`` (for "did you mean"); remembered per name."""
        key = compact(text)
        if not key:
            return []
        found: tuple[str, ...] = memoised(self._memo_suggest, (key, limit), lambda: self._suggest(key, limit))
        return list(found)

    def _suggest(self, key: str, limit: int) -> tuple[str, ...]:
        from rapidfuzz import fuzz, process  # imported when first needed: most questions never are fuzzy

        out: list[str] = []
        for _, _, idx in process.extract(key, self._choice_keys, scorer=fuzz.ratio, limit=limit * 4, score_cutoff=55):
            gid = self._choice_ids[idx]
            if gid not in out:
                out.append(gid)
            if len(out) == limit:
                break
        return tuple(out)

    def _depluralise(self, word: str, before: str = "") -> str:
        """ "3090s", "a6000s", "h100s" -> the model; "l40s" stays (the L40S is a GPU); "4080s" and
        "4070s" are how people write the SUPER cards, unless a count says they are plural ("two 4080s");
        "4070tis" is the 4070 Ti SUPER."""
        if word.endswith("tis") and word[:-3].isdigit() and self._candidates([word[:-3], "ti", "super"])[0]:
            return f"{word[:-3]}ti super"
        if len(word) < 3 or not word.endswith("s") or not word[-2].isdigit():
            return word
        number = word[:-1]
        if before not in PLURAL_CUES and number.isdigit() and self._candidates([number, "super"])[0]:
            return f"{number}super"
        subs = subtokens([word])
        if all(t in self._by_token for t in subs) and self._candidates([word])[0]:
            return word
        return word[:-1]

    def _correct_word(self, word: str) -> str:
        return memoised(self._memo_words, word, lambda: self._correct_word_uncached(word))

    def _correct_word_uncached(self, word: str) -> str:
        if len(word) < 5 or not word.isalpha() or word in STOPWORDS or word in self._by_token:
            return word
        from rapidfuzz import fuzz, process

        hit = process.extractOne(word, self._vocab_words, scorer=fuzz.ratio, score_cutoff=85)
        return hit[0] if hit else word

    def _prepare(self, words: Sequence[str]) -> list[str]:
        """The words with typos in name words corrected and plurals ("3090s") made singular."""
        memo = self._memo_words
        corrected = [memo.get(w) or self._correct_word(w) for w in words]
        # Only a word ending in "s" can be a plural ("3090s", "4070tis").
        return [
            self._depluralise(w, corrected[k - 1] if k else "") if w.endswith("s") else w
            for k, w in enumerate(corrected)
        ]

    def find_gpus(self, words: Sequence[str], limit: int | None = None) -> list[GpuMention]:
        """The GPU mentions in ``words``, in order: pass 1 (exact names), then 2 and 3 (partial, nearest). With a
        ``limit``, the partial pass stops once the first ``limit`` mentions are certain (there may be more)."""
        scan = Scan(self._prepare(words))
        self._exact_pass(scan)
        self._partial_pass(scan, limit)
        return sorted(scan.found, key=lambda m: m.start)

    # -- pass 1: exact spellings, longest first -------------------------------------------------

    def _exact_pass(self, scan: Scan) -> None:
        # glued_word(w), without a call for the common word: neither canonicalised nor holding a space
        glued = [_GLUED.get(w, w) if " " not in w else glued_word(w) for w in scan.words]
        starts = self._exact_starts
        i = 0  # the words before ``i`` are taken or passed
        # A word that starts no catalog spelling starts no exact name (the common case): only the others are tried.
        for k in [k for k, g in enumerate(glued) if g in starts]:
            hit = self._exact_at(scan.words, glued, k) if k >= i else None
            if hit is not None:
                mention = self._exact_mention(scan, k, k + hit[0], hit[1])
                scan.add(mention)
                i = mention.end

    def _exact_at(self, words: Sequence[str], glued: Sequence[str], i: int) -> tuple[int, str] | None:
        """(words taken, GPU id) for the longest exact spelling starting at word ``i``, or None. ``glued`` holds
        each word's canonical spelling; a spelling grows word by word while it still starts a catalog name."""
        word = words[i]
        if word in STOPWORDS and word != "a":
            return None
        if word == "a" and (i == 0 or words[i - 1] not in A_PREFIXES):
            return None  # the article; "rtx a 4000" is a name
        best: tuple[int, str] | None = None
        key = ""
        for size in range(1, min(MAX_WINDOW, len(words) - i) + 1):
            key += glued[i + size - 1]
            if key not in self._exact_starts:
                break
            gid = self._exact.get(key)
            if gid and not (word == "a" and size == 1):
                best = (size, gid)
        return best

    def _exact_mention(self, scan: Scan, start: int, end: int, gid: str) -> GpuMention:
        laptop_after = self._laptop_after(scan, start, end, gid)
        if laptop_after is not None:
            return laptop_after
        if scan.qualifier_at(end) and self._variant(gid, scan.words[end]):
            # "rtx 4000 ada sff", "rtx 4060 laptop": the variant, whatever the order of its words.
            ids = self._variant(gid, scan.words[end])
            text = scan.text(start, end + 1)
            if len(ids) == 1:
                return GpuMention(text, start, end + 1, gpu=ids[0])
            return GpuMention(text, start, end + 1, candidates=tuple(ids))
        if scan.qualifier_at(end):
            # "rtx 2060 ti" when there is no 2060 Ti: another card; suggest, don't answer.
            text = scan.text(start, end + 1)
            near = tuple(dict.fromkeys([*self.suggest(text, limit=3), gid]))
            return GpuMention(text, start, end + 1, suggestions=near)
        laptop = self._laptop_before(scan, start, end, gid)
        if laptop:  # "laptop rtx 5090", "a gaming laptop with a 4070": the Laptop GPU
            one = laptop[0] if len(laptop) == 1 else None
            return GpuMention(scan.text(start, end), start, end, gpu=one, candidates=tuple(laptop) if not one else ())
        sized = any(MEMORY.match(w) for w in scan.words[start : end + 1])  # "3060 12gb": its size is said
        sibling = None if sized else self._sized_sibling(gid, scan.words[start - 1] if start else "")
        if sibling is not None:  # "8gb rtx 3060": the 8 GB card, not the 12 GB one the name alone means
            return GpuMention(scan.text(start - 1, end), start - 1, end, gpu=sibling)
        return GpuMention(scan.text(start, end), start, end, gpu=gid)

    def _laptop_before(self, scan: Scan, start: int, end: int, gid: str) -> list[str]:
        """The Laptop GPU of ``gid`` when a laptop word comes just before its name ("laptop rtx 5090", "mobile 4080",
        "a laptop with an rtx 4070"), or its Laptop GPUs when there are several; else []."""
        k = start - 1
        while k >= 0 and start - k <= 3 and scan.words[k] in LAPTOP_LINKS:
            k -= 1
        if k < 0 or canon_words([scan.words[k]]) != [_LAPTOP] or _LAPTOP in self._gpu_sig[gid]:
            return []
        ids = [g for g in self._variant(gid, _LAPTOP) if _LAPTOP in self._gpu_sig[g]]
        size = scan.words[end] if end < len(scan.words) and MEMORY.match(scan.words[end]) else None
        sized = [g for g in ids if size in self._gpu_tokens[g]] if size else []
        return sized if len(sized) == 1 else ids

    def _laptop_after(self, scan: Scan, start: int, end: int, gid: str) -> GpuMention | None:
        """ "RTX 4060 8GB (Laptop)", "the 4060 on my laptop": the laptop GPU, the word after a size or a link."""
        words = scan.words
        k = end + 1 if end < len(words) and MEMORY.match(words[end]) else end
        while k < len(words) and k - end < 3 and words[k] in LAPTOP_AFTER_LINKS:
            k += 1
        after = k > end and k < len(words) and CANON.get(words[k], words[k])
        if not (ids := self._variant(gid, _LAPTOP) if after == _LAPTOP and _LAPTOP not in self._gpu_sig[gid] else []):
            return None
        one = ids[0] if len(ids) == 1 else None
        return GpuMention(scan.text(start, k + 1), start, k + 1, gpu=one, candidates=() if one else tuple(ids))

    def _variant(self, gid: str, qualifier: str) -> list[str]:
        """The catalog's variants of ``gid`` that carry ``qualifier`` ("sff", "laptop"), best first."""
        ranked, want = self._candidates([*sorted(self._gpu_sig[gid]), qualifier])
        return [g for g in ranked if len(self._gpu_sig[g] - want) == len(self._gpu_sig[ranked[0]] - want)]

    def _sized_sibling(self, gid: str, size: str) -> str | None:
        """The variant of ``gid`` with memory ``size`` ("8gb") when ``gid`` has another size, else None."""
        if not MEMORY.match(size) or size in self._gpu_tokens[gid]:
            return None
        hits = [g for g in self._by_token.get(size, ()) if self._gpu_sig[g] == self._gpu_sig[gid]]
        return hits[0] if len(hits) == 1 else None

    # -- passes 2 and 3: partial names around each model number, nearest names ------------------

    def _partial_pass(self, scan: Scan, limit: int | None = None) -> None:
        anchors, used, exact = self._memo_starts, scan.used, len(scan.found)
        # Only a model number or a product-line word can anchor a name (memoised per word): the others are passed.
        for a in [a for a, w in enumerate(scan.words) if (anchors[w] if w in anchors else self._can_anchor(w))]:
            if used[a] or not self._is_partial_start(scan, a):
                continue
            if limit is not None and scan.settled(a, exact, limit):
                break  # bounded work: names from here on come after the first ``limit``
            best = self._best_window(scan, a)
            mention = self._unknown_model(scan.words[a], a) if best is None else self._partial_mention(scan, *best)
            if mention is not None:
                scan.add(mention)

    def _is_partial_start(self, scan: Scan, a: int) -> bool:
        """Word ``a`` (free, and able to anchor a name: :meth:`_can_anchor`) starts a partial name here."""
        word = scan.words[a]
        # A brand word next to a name already found ("Quadro A4000") belongs to it.
        return self._word_load(word)[0] > 0 or not scan.next_to_found(a)

    def _can_anchor(self, word: str) -> bool:
        """The word can anchor a partial name: a model number or a product-line word (memoised per word)."""
        return memoised(self._memo_starts, word, lambda: self._can_anchor_uncached(word))

    def _can_anchor_uncached(self, word: str) -> bool:
        return word not in STOPWORDS and word not in self.field_phrases and self._is_anchor(word)

    def _partial_mention(
        self, scan: Scan, left: int, right: int, ranked: list[str], want: frozenset[str]
    ) -> GpuMention:
        before = scan.words[left - 1] if left else ""
        if before in SERIES_WORDS and not any(before in self._gpu_tokens[g] for g in ranked):
            # "rx 580 8gb" is no Arc A580: a series word the name lacks makes it another card.
            return GpuMention(scan.text(left - 1, right), left - 1, right)
        gid, cands, near = self._resolve(ranked, want)
        if (base := gid or next(iter(cands), None)) and (laptop := self._laptop_after(scan, left, right, base)):
            return laptop  # "the 4070 on my laptop", "a 3060 in my laptop"
        if gid is not None and scan.qualifier_at(right):
            # "rtx 2060 ti" when there is no 2060 Ti: the RTX 2060 is a different card.
            near, gid, cands = (gid,), None, ()
            right += 1
        return GpuMention(scan.text(left, right), left, right, gpu=gid, candidates=cands, suggestions=near)

    def _unknown_model(self, word: str, a: int) -> GpuMention | None:
        """Pass 3: a model-like word that no window matched; suggestions only, never a GPU."""
        if model_like(word, lambda: self._window_ok([word])):
            return GpuMention(word, a, a + 1, suggestions=tuple(self.suggest(word)))
        return None

    # -- fields -------------------------------------------------------------------------------

    def find_fields(self, words: Sequence[str], skip: Iterable[tuple[int, int]] = ()) -> list[FieldMatch]:
        return self.field_index.find(words, skip)

    def field_choices(self, text: str, limit: int = 25) -> list[FieldDef]:
        """Fields for a partly typed name: the exact match, then label/alias prefixes, key specs first."""
        return self.field_index.choices(text, limit)

    def field_list(self, text: str) -> list[str]:
        """Fields named in a comma-separated list ("memory, bandwidth, tdp"), in order, no repeats."""
        return self.field_index.field_list(text)

    def field(self, text: str) -> str | None:
        """Resolve a single field name (``vram`` -> ``memory_gb``), or None."""
        return self.field_index.field(text)

    # -- whole text ---------------------------------------------------------------------------

    def match(self, text: str | Sequence[str], limit: int | None = None) -> MatchResult:
        words = tokens(text) if isinstance(text, str) else list(text)
        mentions = self.find_gpus(words, limit)
        fields = self.find_fields(words, skip=[(m.start, m.end) for m in mentions])
        return MatchResult(words=words, mentions=mentions, fields=fields)

    def resolve(self, text: str) -> GpuMention | None:
        """The single best reading of ``text`` as one GPU name (used by slash-command options)."""
        if text in self.catalog.gpus:
            return GpuMention(text, 0, 1, gpu=text)
        mentions = self.find_gpus(tokens(text))
        return mentions[0] if mentions else None

    def autocomplete(self, text: str, limit: int = 25) -> list[GPU]:
        """GPUs for a partly typed name, best first (``a6k`` puts the RTX A6000 first)."""
        gpus = self.catalog.gpus
        if not text.strip():
            return list(gpus.values())[:limit]
        out: list[str] = []
        for mention in self.find_gpus(tokens(text)):
            for gid in ((mention.gpu,) if mention.gpu else ()) + mention.candidates:
                if gid not in out:
                    out.append(gid)
        for gid in self.suggest(text, limit=limit):
            if gid not in out:
                out.append(gid)
        return [gpus[g] for g in out[:limit]]
