"""Hypothesis strategies for adversarial questions, up to Discord's 4,000-character limit.

Shared by the property test (tests/test_adversarial.py: answers stay well-formed, the names considered stay
within the cap) and the benchmark (benchmarks/bench_adversarial.py: the worst and p99 time per family).
Each family is a strategy of whole questions; :data:`KNOWN_WORST` are the inputs that were once slow.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from bot.catalog import Catalog
from bot.cloud import load_cloud
from bot.models import load_models

__all__ = ["DISCORD_LIMIT", "KNOWN_WORST", "families", "lexicon_phrases", "repeat_to"]

#: The longest message Discord accepts (with Nitro); questions are generated up to it.
DISCORD_LIMIT = 4000

#: Inputs that took from 40 ms to a second before answering was bounded (issue 12).
KNOWN_WORST = {
    "'4090 ' to 2,000 characters": ("4090 " * 400)[:2000],
    "'4090' to 2,000 characters": ("4090" * 500)[:2000],
    "1,750 digits": "7" * 1750,
    "'rtx 6000 ' to 4,000": ("rtx 6000 " * 450)[:DISCORD_LIMIT],
    "'h100 ' to 4,000": ("h100 " * 800)[:DISCORD_LIMIT],
    "'a100 80gb ' to 4,000": ("a100 80gb " * 400)[:DISCORD_LIMIT],
    "'1,' to 4,000": "1," * 2000,
    "'1-' to 4,000": "1-" * 2000,
}

_SEPARATORS = ["", " ", ", ", " vs ", " or ", " and ", "\n", "/", "-", " x ", "; ", " | ", ". "]
_PARTIALS = ["4090", "3090", "a100", "h100", "rtx 6000", "a6000", "a100 80gb", "3060", "mi50", "p100", "v100", "a4000"]
_CHATTY = [
    "i",
    "have",
    "a",
    "so",
    "my",
    "and",
    "the",
    "but",
    "is",
    "it",
    "worth",
    "to",
    "for",
    "with",
    "on",
    "at",
    "running",
    "train",
    "training",
    "inference",
    "llm",
    "model",
    "vram",
    "memory",
    "bandwidth",
    "budget",
    "cheap",
    "fast",
    "slow",
    "thanks",
    "please",
    "help",
    "anyone",
    "know",
    "which",
    "should",
    "buy",
    "get",
    "upgrade",
    "from",
    "used",
    "new",
    "price",
    "under",
    "around",
    "about",
    "maybe",
    "really",
    "just",
    "also",
    "than",
    "more",
    "less",
    "better",
    "worse",
    "best",
]
_SIZE_UNITS = [
    "{n}gb",
    "{n} gb",
    "${n}",
    "{n}$",
    "{n} euros",
    "{d}x {n}",
    "{d}x{n}gb",
    "{n}x",
    "x{d}",
    "{n}k context",
    "${n}-{m}",
    "{d}.{d}-{d}k",
    "{n} gigs",
    "{d}b*{d}",
    "{d}*{d}*a100",
    "{n},{m}",
    "under ${n}",
    "at least {n}gb",
    "{n}w",
    "{d}) ",
    "{d}. ",
]
# Characters that change how text normalises or looks: zero-width, bidi, combining marks, full-width and
# mathematical letters, Cyrillic look-alikes, CJK words from the lexicon, emoji, a line separator.
_TRICKS = [
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u202e",
    "\u0301",
    "\u00ad",
    "\u2028",
    "ｒｔｘ４０９０",
    "𝐚𝟔𝟎𝟎𝟎",
    "а6000",  # Cyrillic a
    "Ｈ１００",
    "显存",
    "可以跑吗",
    "🙂",
    "🔥",
    "ä",
    "ß",
    "ﬁ",
    "Ⅸ",
    "①",
]


def repeat_to(unit: str, length: int) -> str:
    """``unit`` repeated to ``length`` characters (cut there)."""
    if not unit:
        return ""
    return (unit * (length // len(unit) + 1))[:length]


def lexicon_phrases(root: Path) -> list[str]:
    """Every phrase in ``specs/lexicon.yaml`` (word classes, precisions, modes, properties, currencies...)."""
    data = yaml.safe_load((root / "lexicon.yaml").read_text(encoding="utf-8"))
    out: dict[str, None] = {}

    def walk(node: Any) -> None:
        if isinstance(node, str):
            out[node] = None
        elif isinstance(node, dict):
            for key, value in node.items():
                out[str(key)] = None
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    return [p for p in out if p.strip()]


def _names(catalog: Catalog) -> list[str]:
    spellings = {g.name for g in catalog.gpus.values()} | {g.short_name for g in catalog.gpus.values()}
    spellings |= {a for g in catalog.gpus.values() for a in g.aliases}
    return sorted(spellings | set(_PARTIALS))


def _models_and_instances(catalog: Catalog) -> list[str]:
    """Model names and aliases, and cloud instance names, as people write them."""
    models = load_models(catalog.root)
    cloud = load_cloud(catalog.root, catalog.gpus.keys())
    spellings = {m.name for m in models.values()} | {a for m in models.values() for a in m.aliases}
    spellings |= {name for i in cloud.instances for name in i.names}
    return sorted(spellings)


def _lengths(low: int = 1) -> st.SearchStrategy[int]:
    # Mostly long (the slow paths grow with length), sometimes short.
    return st.one_of(st.integers(min_value=low, max_value=DISCORD_LIMIT), st.sampled_from([2000, 3000, DISCORD_LIMIT]))


def _repeated(units: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(lambda u, sep, n: repeat_to(u + sep, n), units, st.sampled_from(_SEPARATORS), _lengths())


def _joined(words: st.SearchStrategy[str], max_words: int) -> st.SearchStrategy[str]:
    return st.lists(words, min_size=1, max_size=max_words).map(lambda ws: " ".join(ws)[:DISCORD_LIMIT])


def _size_unit(template: str, n: int, m: int, d: int) -> str:
    return template.format(n=n, m=m, d=d)


def families(catalog: Catalog) -> dict[str, st.SearchStrategy[str]]:
    """The adversarial families, each a strategy of questions of at most :data:`DISCORD_LIMIT` characters."""
    names = st.sampled_from(_names(catalog))
    phrases = st.sampled_from(lexicon_phrases(catalog.root))
    digits = st.text(alphabet="0123456789", min_size=1, max_size=12)
    digit_runs = st.one_of(
        st.builds(lambda n: "7" * n, st.integers(1, DISCORD_LIMIT)),
        _repeated(st.builds(lambda d, c: d + c, digits, st.sampled_from(["", ",", ".", "-", "x", "*", "$", "k", "b"]))),
    )
    sizes = st.builds(
        _size_unit, st.sampled_from(_SIZE_UNITS), st.integers(0, 99999), st.integers(0, 99999), st.integers(0, 99)
    )
    tricky_name = st.builds(
        lambda name, trick, k: name[:k] + trick + name[k:], names, st.sampled_from(_TRICKS), st.integers(0, 12)
    )
    others = st.sampled_from(_models_and_instances(catalog))
    mixed = st.one_of(names, phrases, st.sampled_from(_CHATTY), sizes, others)
    tricks = st.sampled_from(_TRICKS)
    return {
        "repeated names": _repeated(names),
        "digit runs": digit_runs,
        "unicode tricks": st.one_of(_repeated(tricky_name), _joined(st.one_of(tricky_name, tricks), 800)),
        "long chatty text": _joined(mixed, 900),
        "many sizes and prices": st.one_of(_joined(sizes, 900), _repeated(sizes)),
        "lexicon words repeated": _repeated(phrases),
        "models and cloud names": st.one_of(_repeated(others), _joined(st.one_of(others, names), 900)),
        "any text": st.text(max_size=DISCORD_LIMIT),
    }


def every_lexicon_phrase_repeated(root: Path) -> Iterator[tuple[str, str]]:
    """(phrase, the phrase repeated to the limit) for every lexicon phrase: the sweep the benchmark runs."""
    for phrase in lexicon_phrases(root):
        yield phrase, repeat_to(phrase + " ", DISCORD_LIMIT)


__all__ += ["every_lexicon_phrase_repeated"]
