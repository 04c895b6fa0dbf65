"""The reader's shortcuts (tests that skip a pattern or a scan when its trigger words are absent) never change what
is read: each gated step gives what the full step gives, over many phrasings and over the corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import bot.dimensions
from bot.engine import Engine
from bot.text import normalize

PHRASES = [
    "best gpu under $1500",
    "budget of around 2k eur for a 4090",
    "between $1800 and $2200 for training",
    "1.5-2k budget, 24gb at least",
    "around 800 euros, best gpu for llms?",
    "max 200w and at least 16gb vram",
    "no more than 1000 bucks",
    "intel data center gpu max 1100 specs",
    "a 4090 under 450 watts",
    "cheapest card with 24gb or more",
    "i have 2000 usd",
    "within 3000 quid",
    "up to 5 lakh rupees",
    "what is a tensor core",
    "a6000 vs a5000 and a4000",
    "rtx 3090 to 4090 upgrade worth it",
    "tried to allocate 2.5gb. 5.15gb is free",
    "1. rtx 3060 2. rtx 4060 ti 3) rx 7600",
    "version 8.6 vs 9.0. which is it.",
    "16gb cards under 300w, 2x 24gb or 48gb+?",
    "",
]


def _questions() -> list[str]:
    corpus = Path(__file__).parent / "corpus" / "understanding.yaml"
    return [str(e["q"]) for e in yaml.safe_load(corpus.read_text(encoding="utf-8"))["questions"]] + PHRASES


def _lone_dots_reference(text: str) -> str:
    return re.sub(r"\.(?!\d)|(?<!\d)\.", " ", text)


@pytest.mark.parametrize("text", ["8.6", "a. b", ".5", "5.", "1.2.3", "v1.x", "...", "3090. 4090.5"])
def test_lone_dots_as_before(text: str) -> None:
    from bot.text import _LONE_DOT

    assert _LONE_DOT.sub(" ", text) == _lone_dots_reference(text)


def test_limits_gates_change_nothing(engine: Engine) -> None:
    dims = engine.parser.reader.dimensions
    for question in _questions():
        norm = normalize(question)
        found: dict[str, dict[str, float]] = {}
        text = norm
        for key, bound, pattern in dims._limit_res:  # the full step, ungated
            m = pattern.search(text)
            if m:
                found.setdefault(key, {})[bound] = float(next(g for g in m.groups() if g))
                text = text[: m.start()] + " " + text[m.end() :]
        assert dims.limits(norm) == (found, text), question


def test_budget_gates_change_nothing(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    dims = engine.parser.reader.dimensions
    texts = [dims.limits(normalize(q))[1] for q in _questions()]
    gated = [dims.budget(t) for t in texts]
    always = re.compile("")  # a test every text passes: the full step
    monkeypatch.setattr(bot.dimensions, "_DIGIT", always)
    monkeypatch.setattr(bot.dimensions, "_RANGE_HINT", always)
    monkeypatch.setattr(dims, "_cued", always)
    assert [dims.budget(t) for t in texts] == gated
    assert any(amount is not None for amount, _ in gated)


def test_requirement_tests_agree_with_the_reasons(engine: Engine) -> None:
    from bot.advisor import _requirement_failure, meets

    rules: list[tuple[str, object]] = [
        ("vendor", "NVIDIA"),
        ("vendor", "amd"),
        ("nvlink", True),
        ("nvlink", False),
        ("ecc", True),
        ("market_segment", "laptop"),
        ("market_segment", {"one_of": ["consumer", "workstation"]}),
        ("memory_gb", {"min": 24}),
        ("memory_gb", {"max": 16}),
        ("memory_gb", {"min": 12, "max": 24}),
        ("tdp_w", {"max": 200}),
        ("slots", {"max": 1}),
        ("memory_type", {"contains": "hbm"}),
        ("architecture", {"contains": "Ada"}),
    ]
    for spec in engine.catalog.workloads.values():
        rules += list((spec.get("require") or {}).items())
    for key, rule in rules:
        test = meets(key, rule)
        for gpu in engine.catalog:
            assert test(gpu) == (_requirement_failure(gpu, key, rule, key) is None), (key, rule, gpu.id)


def test_phrase_sets_find_what_the_plain_alternation_finds(engine: Engine) -> None:
    """Every phrase set of the lexicon, grouped by first character, finds exactly what the plain alternation
    ``(?<![a-z0-9$.])(?:longest|...|shortest)(?![a-z0-9$])`` finds."""
    import random

    lex = engine.parser.lexicon
    sets = [*lex.words.values(), lex.precisions, lex.properties, lex.unsupported, lex.currencies]
    sets += [*lex.modes.values(), *lex.bounds.values()]
    phrases = sorted({p for s in sets for p in s.meaning})
    rng = random.Random(5)  # noqa: S311 - test data, not secrets
    texts = [normalize(q) for q in _questions()]
    for _ in range(3000):
        parts = [*rng.sample(phrases, 3), rng.choice(["x", "2", "$5", "12.4", "a.b"])]
        texts.append("".join(p + rng.choice([" ", "", ".", "$", "  "]) for p in parts))
    for phrase_set in sets:
        ordered = sorted(phrase_set.meaning, key=len, reverse=True)
        body = "|".join(re.escape(p) for p in ordered)
        plain = re.compile(rf"(?<![a-z0-9$.])(?:{body})(?![a-z0-9$])")
        for text in texts:
            expected = [(m.start(), m.group(0)) for m in plain.finditer(text)]
            assert [(h.start, h.text) for h in phrase_set.finditer(text)] == expected, text
