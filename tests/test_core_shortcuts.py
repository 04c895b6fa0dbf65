"""Shortcuts that skip work per question must not change a reading: each is checked against the plain step it
skips, over the labelled corpus and generated phrasings that hold the words the shortcut looks for."""

from __future__ import annotations

import copy
import random
import unicodedata
from pathlib import Path

import pytest
import yaml

from bot.engine import Engine
from bot.evidence import Reader
from bot.matcher import GpuMention, MatchResult
from bot.text import _strip_format_chars

_CARDS = ["3090", "rtx 4090", "a6000", "the 7900 xtx", "two 3060s", "p40", "rtx a4000", "h100", "gtx 1080 ti"]
_FILLERS = ["i have", "currently", "right now", "vs", "or", "and", "for training", "my old", "at work", "which is", "?"]
_FILLERS += ["upgraded from", "i m using", "if i bought", "a", "what about", "already", "specs", "i run", "now"]


def _questions() -> list[str]:
    corpus = Path(__file__).parent / "corpus" / "understanding.yaml"
    found = [str(e["q"]) for e in yaml.safe_load(corpus.read_text(encoding="utf-8"))["questions"]]
    rng = random.Random(12)  # noqa: S311 - test data, not secrets
    for _ in range(1500):
        parts = rng.choices(_CARDS, k=rng.randint(1, 3)) + rng.choices(_FILLERS, k=rng.randint(0, 3))
        rng.shuffle(parts)
        found.append(" ".join(parts))
    return found


def _pairs() -> list[tuple[str, str]]:
    return [("3090", "a6000"), ("rtx 4090", "h100")]


def test_context_shortcut_sets_aside_what_the_plain_search_does(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    reader = engine.parser.reader
    seen: list[tuple[MatchResult, list[GpuMention]]] = []
    drop = Reader._drop_context

    def recording(self: Reader, match: MatchResult) -> list[GpuMention]:
        before = copy.copy(match)
        context = drop(self, match)
        seen.append((before, context))
        return context

    monkeypatch.setattr(Reader, "_drop_context", recording)
    words = engine.parser.lexicon.words
    cued = [f"{cue} a {c}, {d} specs" for cue in words["context_cues"].meaning for c, d in _pairs()]
    cued += [f"a {c} {cue}, what about the {d}" for cue in words["context_after"].meaning for c, d in _pairs()]
    for q in _questions() + cued:
        reader.read(q)
    monkeypatch.setattr(Reader, "_drop_context", drop)
    monkeypatch.setattr(Reader, "_may_have_context", lambda self, match: True)
    assert sum(bool(context) for _, context in seen) > 100, "the phrasings hold context"
    for match, context in seen:
        assert reader._drop_context(copy.copy(match)) == context, " ".join(match.words)


def test_format_characters_stripped_as_character_by_character() -> None:
    """Only runs of non-ASCII characters are looked at: every format character (Cf) is one of them."""
    format_chars = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
    assert format_chars and all(ord(c) > 0x7F for c in format_chars)
    rng = random.Random(12)  # noqa: S311 - test data, not secrets
    pool = [*format_chars, *"abc 123ＲＴＸ－Ａ４０００é—’€\u3000"]
    pool += [chr(rng.randrange(0x80, 0x3000)) for _ in range(200)]
    for _ in range(5000):
        text = "".join(rng.choices(pool, k=rng.randint(0, 30)))
        assert _strip_format_chars(text) == "".join(c for c in text if unicodedata.category(c) != "Cf"), repr(text)
