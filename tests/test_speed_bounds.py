"""Speed-pass bounds that must not change a reading: the window search kept to words that can be in a GPU name, a
guard before the count-product patterns, value rankings that read each GPU's value once. Each is checked against
the plain version it replaced, over the corpus and generated phrasings."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import yaml

from bot.advisor import rank_by_field
from bot.engine import Engine
from bot.matcher import Matcher
from bot.matcher_words import MAX_WINDOW
from bot.prices import Price, PriceBook
from bot.text import normalize

_WORDS = [
    *("rtx", "a6000", "4090", "3090", "ti", "super", "24gb", "16gb", "laptop", "nvidia", "geforce", "radeon", "rx"),
    *("7900", "xtx", "a100", "80gb", "sxm", "pcie", "h100", "nvl", "quadro", "6000", "ada", "tesla", "p40", "mi50"),
    *("vs", "or", "and", "for", "my", "card", "cards", "gpu", "llama", "70b", "vram", "the", "2x", "titan", "arc"),
    *("b580", "a770", "l40s", "t4", "v100", "32gb", "5090", "4060", "8gb", "sff", "max", "q", "pro", "w7900", "s"),
]


def _questions() -> list[str]:
    corpus = Path(__file__).parent / "corpus" / "understanding.yaml"
    found = [str(e["q"]) for e in yaml.safe_load(corpus.read_text(encoding="utf-8"))["questions"]]
    rng = random.Random(10)  # noqa: S311 - test data, not secrets
    found += [" ".join(rng.choices(_WORDS, k=rng.randint(1, 14))) for _ in range(1500)]
    return found


def _unbounded_run(self: Matcher, words: list[str], a: int) -> tuple[int, int]:
    """The bounds the window search had before: MAX_WINDOW words each way, whatever the words."""
    return max(0, a - MAX_WINDOW + 1), min(len(words), a + MAX_WINDOW)


def test_window_search_bound_changes_no_mention(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows kept to the run of words whose tokens are in some GPU name find the same mentions as all windows."""
    matcher = engine.matcher
    questions = [q.split() for q in map(normalize, _questions())]
    bounded = [matcher.find_gpus(words) for words in questions]
    fresh = Matcher(engine.catalog)  # empty memos: nothing remembered from the bounded search
    monkeypatch.setattr(Matcher, "_nameable_run", _unbounded_run)
    for words, found in zip(questions, bounded, strict=True):
        assert fresh.find_gpus(words) == found, " ".join(words)


def test_a_window_with_a_word_of_no_gpu_name_has_no_candidates(engine: Engine) -> None:
    """What the bound relies on: a word with a significant token that no GPU name has rules every window out."""
    matcher = engine.matcher
    for words in (q.split() for q in map(normalize, _questions()[:600])):
        for k, word in enumerate(words):
            if not matcher._nameable(word):
                for left in range(max(0, k - 3), k + 1):
                    assert matcher._candidates(words[left : k + 2])[0] == [], words[left : k + 2]


_PRODUCTS = re.compile(r"\b(\d{1,2})\s*[*x×]\s*(\d{1,2})\s*[*x×]\s*(?=[a-z])")
_EXPERTS = re.compile(r"\b(\d{1,3})b\s*[*x×]\s*(\d{1,2})\b")


@pytest.mark.parametrize(
    "text",
    ["3*8*a100", "2x8xh100", "7b*8", "7b x 8", "8x7b", "3 * 8 * a100", "x7b", "24gb x 2", "12b×4", "no digits x y"],
)
def test_products_guard_misses_nothing(text: str) -> None:
    """Every text the count-product or reversed-experts pattern changes passes the guard before them."""
    from bot.text import _PRODUCT_HINT

    if _PRODUCTS.search(text) or _EXPERTS.search(text):
        assert _PRODUCT_HINT.search(text) is not None


def test_products_guard_over_the_corpus() -> None:
    from bot.text import _PRODUCT_HINT

    for q in _questions():
        low = q.lower()
        if _PRODUCTS.search(low) or _EXPERTS.search(low):
            assert _PRODUCT_HINT.search(low) is not None, q


def test_value_rankings_as_before(engine: Engine) -> None:
    """A ranking by a value per dollar orders and leaves out exactly what computing the value twice did."""
    catalog = engine.catalog
    prices = PriceBook({"rtx-4090": Price(1799.0, "current"), "rtx-3090": Price(800.0, "current")})
    for key in ("memory_gb", "memory_bandwidth_gbs", "fp32_tflops"):
        for lowest in (False, True):

            def per_dollar(g: object, key: str = key) -> float | None:
                top = catalog.comparable(g, key)  # type: ignore[arg-type]
                bottom = prices.usd(g)  # type: ignore[arg-type]
                return top / bottom if top is not None and bottom else None

            ranked, unknown = rank_by_field(catalog, key, lowest=lowest, price=prices.usd, value=per_dollar)
            known = [g for g in catalog if per_dollar(g) is not None]
            sign = 1 if lowest else -1
            known.sort(key=lambda g: (sign * per_dollar(g), g.id))  # type: ignore[operator]
            assert [g.id for g in ranked] == [g.id for g in known]
            assert unknown == len(catalog) - len(known)


def test_price_usd_is_the_price_in_usd(engine: Engine) -> None:
    prices = PriceBook({"rtx-4090": Price(1799.0, "current")})
    for gpu in engine.catalog:
        price = prices.price(gpu)
        assert prices.usd(gpu) == (price.usd if price else None), gpu.id


@pytest.mark.parametrize(
    "words",
    [
        ["colab", "google colab", "colaboratory", "colab pro", "colab pro+", "colab free"],
        ["a", "ab", "abc", "b", "x y", "x"],
        ["4090", "40", "4 0", "rtx", "r"],
        ["$5", "k"],  # a word that starts with no word character: written plainly
    ],
)
def test_whole_words_match_the_plain_alternation(words: list[str]) -> None:
    """The first-character grouping finds what ``\\b(?:longest|...|shortest)\\b`` finds, at the same places."""
    from bot.regex_words import whole_words

    ordered = sorted(set(words), key=len, reverse=True)
    plain = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in ordered) + r")\b")
    grouped = re.compile(whole_words(words))
    rng = random.Random(11)  # noqa: S311 - test data, not secrets
    pieces = [*words, "a", "x", "_", "é", "4", " ", ".", "$", "-", "colabs", "pro"]
    texts = [q.lower() for q in _questions()[:300]]
    texts += ["".join(rng.choice(pieces) + rng.choice(["", " ", "_", "."]) for _ in range(6)) for _ in range(3000)]
    for text in texts:
        assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)], text


def test_bare_size_as_before() -> None:
    """The model-size pattern written digit first finds what the ``\\b``-first pattern found."""
    from bot.models import _BARE_SIZE

    before = re.compile(r"\b(\d+(?:\.\d+)?)\s*b\b(?!\s*(?:it|yte))")
    texts = [normalize(q) for q in _questions()]
    texts += ["x7b", "a 7b", "7b", "1.5b", "v1.5b", "70 b", "8bit", "8 byte", "_7b", "$7b", "7.b", "13b,7b"]
    for text in texts:
        got, want = _BARE_SIZE.search(text), before.search(text)
        assert (got and (got.span(), got.group(1))) == (want and (want.span(), want.group(1))), text


def test_budget_cue_search_as_before(engine: Engine) -> None:
    dims = engine.parser.reader.dimensions
    for q in [*_questions(), "$", "under", "1500 eur", "£200", "nothing here"]:
        norm = normalize(q)
        assert (dims._cued.search(norm) is not None) == any(c in norm for c in dims._budget_cues), q


def _outside_texts(engine: Engine) -> list[str]:
    rng = random.Random(12)  # noqa: S311 - test data, not secrets
    words = [
        *("m3 max", "macbook", "on my cpu", "cpu only", "14900k", "9800x3d", "i7 13700", "ps5", "tpu v5e", "edge tpu"),
        *("jetson orin nano", "x elite", "ryzen ai 9", "ryzen 9 7950x", "intel", "the", "on", "a", "4090", "70b"),
        *("ipad", "phones", "xbox series x", "tt", "coral", "s", "12", "$", ".", "1.5", "7b", "x", "e", "m1"),
    ]
    texts = [normalize(q) for q in _questions()]
    texts += [" ".join(rng.choices(words, k=rng.randint(1, 8))) for _ in range(3000)]
    texts += ["".join(rng.choice(words) + rng.choice([" ", "", ".", "$", "_"]) for _ in range(4)) for _ in range(1000)]
    texts += ["ｍ３ max", "m3 max ½", "naïve m3 max", "٣ tpu", "MACBOOK", "Mac\u200bbook", "x\te", ""]
    return texts


def test_outside_index_finds_what_the_plain_search_finds(engine: Engine) -> None:
    """The index tries a question only where a head of some pattern starts a word: the same answer as one search of
    every pattern, over the corpus, generated phrasings and texts that are not normalised."""
    from bot.outside_index import OutsideIndex

    patterns = [o.pattern for o in engine.catalog.outside]
    index = OutsideIndex(patterns)
    assert index.indexed  # every pattern of specs/outside.yaml is read: the fast path is the one in use
    plain = re.compile("|".join(f"(?:{p.pattern})" for p in patterns))
    for text in _outside_texts(engine):
        assert index.any(text) == (plain.search(text) is not None), text


@pytest.mark.parametrize(
    ("pattern", "heads"),
    [
        (r"\b(?:mac|m[1-2] pro)\b", {"mac", "m1 ", "m2 "}),
        (r"\b(?<!edge )tpu v\d\b", {"tpu"}),
        (r"\bx(?: e)?\b", {"x e", "x"}),
        (r"\b(?:1[0-1]|[8-9])\d{2}k\b", {"100", "101", "108", "109", "110", "111", "118", "119", "800", "809", "999"}),
        (r"\ba\w*b\b", {"a"}),  # \w is not spelled out: the head stops before it
    ],
)
def test_outside_heads(pattern: str, heads: set[str]) -> None:
    from bot.outside_index import _word_heads

    found = _word_heads(re.compile(pattern))
    assert found is not None
    assert heads <= found
    assert all(len(h) <= 3 for h in found)


@pytest.mark.parametrize(
    "pattern",
    [r"(?:mac|imac)\b", r"\b.ac", r"\b(?:mac)?", r"\b[^a]pu", r"\b\$5", r"\b\w+ pro"],
)
def test_outside_patterns_the_index_cannot_read_are_searched_as_before(pattern: str) -> None:
    """Not ``\\b`` then known word characters: the index falls back to the plain search, with the same answers."""
    from bot.outside_index import OutsideIndex

    compiled = re.compile(pattern)
    index = OutsideIndex([compiled, re.compile(r"\bmacbook\b")])
    assert not index.indexed
    for text in ["mac", "imac", "a mac pro", "tpu", "$5", "macbook", "MAC", "x pro", ""]:
        assert index.any(text) == (re.search(f"(?:{pattern})|(?:\\bmacbook\\b)", text) is not None), text


def test_between_spaces_matches_the_plain_lookbehind_pattern(engine: Engine) -> None:
    from bot.regex_words import between_spaces

    reader = engine.parser.reader
    phrases = sorted(set(reader._workload_of), key=len, reverse=True)
    plain = re.compile(r"(?<= )(" + "|".join(re.escape(p) for p in phrases) + r")(?= )")
    grouped = re.compile(between_spaces(phrases))
    rng = random.Random(13)  # noqa: S311 - test data, not secrets
    texts = [f" {normalize(q)} " for q in _questions()]
    texts += [" " + " ".join(rng.choices([*phrases, "a", "for", "x"], k=5)) + " " for _ in range(2000)]
    for text in texts:
        assert [m.group(0) for m in grouped.finditer(text)] == [m.group(1) for m in plain.finditer(text)], text


def test_series_guard_misses_no_series_name(engine: Engine) -> None:
    from bot.series import _MARKER_HINT, _SERIES

    rng = random.Random(14)  # noqa: S311 - test data, not secrets
    pieces = ["rtx", "40", "30", "x", "xx", "s", "series", "gen", "7000", "16", "amd", "lineup", "4090", " ", "3090s"]
    texts = [" ".join(normalize(q).split()) for q in _questions()]
    texts += [" ".join(rng.choices(pieces, k=5)) for _ in range(3000)] + ["16x x cards", "rtx30xx", "rx 6000s"]
    for text in texts:
        if _SERIES.search(text):
            assert _MARKER_HINT.search(text), text


def test_cloud_name_guard_as_before(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    cloud = engine.parser.cloud
    rng = random.Random(15)  # noqa: S311 - test data, not secrets
    keys = sorted(cloud._keys)
    texts = [normalize(q) for q in _questions()]
    texts += [
        " ".join(rng.choices([*keys[:60], "a", "g", "p", "on", "aws", "xlarge", "2", "a2 highgpu"], k=5))
        for _ in range(2000)
    ]
    guarded = [cloud.find(t) for t in texts]
    monkeypatch.setattr(type(cloud), "_may_name", lambda self, words: True)
    assert [cloud.find(t) for t in texts] == guarded
    assert any(guarded)


def test_model_series_start_guard_as_before(engine: Engine) -> None:
    models = engine.parser.models
    assert models is not None
    keys = sorted(models._series_family)
    rng = random.Random(16)  # noqa: S311 - test data, not secrets
    texts = [normalize(q).split() for q in _questions()]
    texts += [rng.choices([*keys, "llama", "2", "qwen", "3", "the", "on"], k=6) for _ in range(2000)]
    for words in texts:
        plain = []
        for i, word in enumerate(words):
            for key in (word, word + words[i + 1] if i + 1 < len(words) else ""):
                if key in models._series_family and key not in plain:
                    plain.append(key)
        assert models._series_words(words) == plain, words


def test_size_and_code_guards_as_before() -> None:
    from bot.dimensions import _RANGE_HINT
    from bot.evidence_said import _ARCH_CODE
    from bot.evidence_sizes import gpu_sizes as _gpu_sizes

    plain_size = re.compile(r"\b(\d+(?:\.\d+)?)gb\b")
    ranges = re.compile(r"\$?\s?\d+(?:\.\d+)?\s*k?\s+(?:to|and)\s+\$?\s?\d")
    texts = [normalize(q) for q in _questions()]
    texts += [
        "24gb",
        "x24gb",
        "a 24gb card",
        "1.5gb",
        "v1.5gb",
        "sm86",
        "sm 120",
        "gfx1100",
        "$1800 to 2200",
        "2k and 3k",
    ]
    for text in texts:
        sizes = [float(m.group(1)) for m in plain_size.finditer(text)]
        if not sizes:
            assert _gpu_sizes(text) == []
        if _ARCH_CODE.search(text):
            assert "sm" in text or "gfx" in text
        if ranges.search(text):
            assert _RANGE_HINT.search(text), text


def test_formatted_values_remembered_as_computed(engine: Engine) -> None:
    """A value's text from the memo is the text computed afresh, for every card and field."""
    from bot.answer import Answer
    from bot.handlers.context import _value_text, value

    ctx = engine.composer.context
    catalog = engine.catalog
    for gpu in catalog:
        for key in catalog.fields:
            answer = Answer(question="q", intent="lookup", title="")
            first, again = value(ctx, answer, gpu, key), value(ctx, answer, gpu, key)
            assert first == again == _value_text(ctx, gpu, key)
            assert [(f.gpu, f.field) for f in answer.facts] == [(gpu.id, key)]  # cited once, as before


def test_model_series_as_computed(engine: Engine) -> None:
    """The remembered series of every model is the name before its size, without spaces, as computed afresh."""
    from bot.models import _NAME_SIZE

    for model in engine.models.values():
        name = normalize(model.name)
        found = _NAME_SIZE.search(name)
        assert model.series == model.series == (name[: found.start()].replace(" ", "") if found else ""), model.id


def _faq_reference(index: object, norm: str) -> tuple[object, list[str]]:
    """The FAQ match written plainly: every n-gram looked up, entries gathered by sorting every hit."""
    where, longest, entries = index._where, index._longest, index.entries  # type: ignore[attr-defined]
    words = norm.split()
    best: dict[tuple[int, int], tuple[int, int, str]] = {}
    for i in range(len(words)):
        for n in range(i + 1, min(i + longest, len(words)) + 1):
            for group, rank in where.get(" ".join(words[i:n]), ()):
                if group not in best or rank > best[group]:
                    best[group] = rank
    found: dict[int, list[str]] = {}
    for (e, _group), (_, _, phrase) in sorted(best.items()):
        found.setdefault(e, []).append(phrase)
    chosen, chosen_hits, chosen_score = None, [], (False, 0)
    for e, phrases in sorted(found.items()):
        entry = entries[e]
        if len(phrases) != len(entry.keywords):
            continue
        score = (not entry.generic, sum(len(p) + 2 for p in phrases))
        if score > chosen_score:
            chosen, chosen_hits, chosen_score = entry, phrases, score
    return chosen, chosen_hits


def test_faq_match_as_written_plainly(engine: Engine) -> None:
    index = engine.parser.reader._faqs
    phrases = sorted(index._where)
    rng = random.Random(17)  # noqa: S311 - test data, not secrets
    texts = [normalize(q) for q in _questions()]
    texts += [" ".join(rng.choices([*phrases, "a", "the", "4090", "is"], k=rng.randint(1, 7))) for _ in range(3000)]
    for text in texts:
        assert index.match(text) == _faq_reference(index, text), text


def _exact_pass_reference(self: Matcher, scan: object) -> None:
    """The exact pass as it was: every word visited in a while loop."""
    from bot.matcher import _GLUED
    from bot.matcher_words import glued_word

    words = scan.words  # type: ignore[attr-defined]
    glued = [_GLUED.get(w, w) if " " not in w else glued_word(w) for w in words]
    i = 0
    while i < len(words):
        hit = self._exact_at(words, glued, i) if glued[i] in self._exact_starts else None
        if hit is None:
            i += 1
            continue
        mention = self._exact_mention(scan, i, i + hit[0], hit[1])  # type: ignore[arg-type]
        scan.add(mention)  # type: ignore[attr-defined]
        i = mention.end


def _partial_pass_reference(self: Matcher, scan: object, limit: int | None = None) -> None:
    """The partial pass as it was: every word tested for an anchor inside the loop."""
    used, exact = scan.used, len(scan.found)  # type: ignore[attr-defined]
    for a, word in enumerate(scan.words):  # type: ignore[attr-defined]
        if not self._can_anchor(word) or used[a] or not self._is_partial_start(scan, a):  # type: ignore[arg-type]
            continue
        if limit is not None and scan.settled(a, exact, limit):  # type: ignore[attr-defined]
            break
        best = self._best_window(scan, a)  # type: ignore[arg-type]
        mention = self._unknown_model(scan.words[a], a) if best is None else self._partial_mention(scan, *best)  # type: ignore[attr-defined,arg-type]
        if mention is not None:
            scan.add(mention)  # type: ignore[attr-defined]


def test_name_passes_visit_the_same_words_as_before(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    matcher = engine.matcher
    questions = [q.split() for q in map(normalize, _questions())]
    found = [matcher.find_gpus(words, limit=limit) for words in questions for limit in (None, 2)]
    monkeypatch.setattr(Matcher, "_exact_pass", _exact_pass_reference)
    monkeypatch.setattr(Matcher, "_partial_pass", _partial_pass_reference)
    assert [matcher.find_gpus(words, limit=limit) for words in questions for limit in (None, 2)] == found


def _fields_reference(index: object, words: list[str], skip: list[tuple[int, int]]) -> list[object]:
    """FieldIndex.find as it was: every word visited in a while loop."""
    from bot.fields_match import _CODED_LEADS, FieldMatch

    n = len(words)
    used = [False] * n
    for start, end in skip:
        for k in range(start, min(end, n)):
            used[k] = True
    out: list[object] = []
    first, i = index._first_words, 0  # type: ignore[attr-defined]
    while i < n:
        word = words[i]
        short = word not in first and len(word) < 6 and word[:1] not in _CODED_LEADS
        hit = None if used[i] or short else index._at(words, i, used)  # type: ignore[attr-defined]
        if hit:
            size, key, phrase = hit
            out.append(FieldMatch(key, phrase, i, i + size))
            i += size
        else:
            i += 1
    return out


def test_field_search_visits_the_same_words_as_before(engine: Engine) -> None:
    index = engine.matcher.field_index
    rng = random.Random(18)  # noqa: S311 - test data, not secrets
    phrases = sorted(index.phrases)
    texts = [normalize(q).split() for q in _questions()]
    texts += [
        " ".join(rng.choices([*phrases, "a", "sm", "86", "3.35tb", "s", "128", "bit", "bandwith"], k=6)).split()
        for _ in range(2000)
    ]
    for words in texts:
        for skip in ([], [(0, 2)], [(1, 3), (4, 5)]):
            assert index.find(words, skip) == _fields_reference(index, words, skip), words


def test_punctuation_runs_and_list_hint_as_before() -> None:
    """Single spaces left in place give the text replacing every run gave; the list hint finds what ``\\d[.)]``
    finds."""
    from bot.text import _LIST_HINT, _NON_WORD

    plain_runs, plain_hint = re.compile(r"[^a-z0-9$.]+"), re.compile(r"\d[.)]")
    rng = random.Random(19)  # noqa: S311 - test data, not secrets
    pieces = ["a", "4090", " ", "  ", "?", ",", ".", "$", "-", "\n", "\t", " .", "1)", "2.", "é", "x", "(", "!!"]
    texts = [q.lower() for q in _questions()]
    texts += ["".join(rng.choices(pieces, k=rng.randint(0, 12))) for _ in range(5000)]
    for text in texts:
        assert _NON_WORD.sub(" ", text) == plain_runs.sub(" ", text), repr(text)
        assert (_LIST_HINT.search(text) is None) == (plain_hint.search(text) is None), repr(text)


def test_phrase_sets_may_occur_whenever_found(engine: Engine) -> None:
    """The word-key test before a phrase-set search never skips a text where the search finds a phrase."""
    from bot.lexicon import word_keys

    lex = engine.parser.lexicon
    sets = [*lex.words.values(), lex.precisions, lex.properties, lex.unsupported, lex.currencies]
    sets += [*lex.modes.values(), *lex.bounds.values()]
    phrases = sorted({p for s in sets for p in s.meaning})
    rng = random.Random(20)  # noqa: S311 - test data, not secrets
    texts = [normalize(q) for q in _questions()]
    for _ in range(3000):
        parts = [*rng.sample(phrases, 3), rng.choice(["x", "2", "$5", "12.4", "a.b", "sd.1"])]
        texts.append(" ".join(p + rng.choice(["", ".5", ".x", "$"]) for p in parts))
    for phrase_set in sets:
        for text in texts:
            if phrase_set.found(text):
                assert phrase_set.may_occur(word_keys(text)), (text, phrase_set.first(text))
