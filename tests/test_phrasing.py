"""Every answer template, rendered with real catalog data by the text and Discord renderers, read against the
phrasing rules (tests/phrasing.py), and laid out to be read at a glance: the verdict first, at most eight fields
and two notes before "show all", nothing lost behind it.

The questions: every golden question (tests/golden/questions.txt: the test suite's, the benchmarks' and the
labelled corpus's, ~1,700), plus comparisons, look-ups and rankings generated over a spread of the catalog. A
test checks that every kind of request (every template family of bot.composer.HANDLERS) is among them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.answer import Answer
from bot.catalog import Catalog
from bot.composer import HANDLERS
from bot.engine import Engine
from bot.glance import MAX_FIELDS, MAX_NOTES, glance
from bot.prices import load_prices
from bot.render import render_text
from bot.render_discord import SHOW_ALL, answer_embeds
from tests.phrasing import RULES, broken, label_rule

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "questions.txt"


def _generated(engine: Engine) -> Iterator[str]:
    """Comparisons, look-ups and rankings over a spread of the catalog and of its numeric fields."""
    catalog = engine.catalog
    ids = sorted(catalog.gpus)
    spread = [catalog.gpus[g].short_name for g in ids[:: max(1, len(ids) // 24)]]
    for a, b in itertools.combinations(spread[:12], 2):
        yield f"{a} vs {b}"
    for a, b, c in itertools.combinations(spread[12:18], 3):
        yield f"{a} vs {b} vs {c}"
    for name in spread:
        yield f"{name} specs"
        yield f"{name} full specs"
    for fdef in catalog.fields.values():
        if fdef.better in ("higher", "lower") and fdef.type in ("int", "float"):
            yield f"which gpu has the highest {fdef.label.lower()}?"
            yield f"which gpu has the lowest {fdef.label.lower()}?"
            yield f"best {fdef.label.lower()} per dollar"


@pytest.fixture(scope="module")
def answers(engine: Engine) -> list[Answer]:
    questions = [q for q in GOLDEN.read_text(encoding="utf-8").splitlines() if q.strip()]
    questions += list(_generated(engine))
    return [engine.ask(q) for q in dict.fromkeys(questions)]


@pytest.fixture(scope="module")
def rules(engine: Engine) -> dict[str, object]:
    return {**RULES, "capitalised label inside a sentence": label_rule(f.label for f in engine.catalog.fields.values())}


def test_every_template_family_is_read(answers: list[Answer]) -> None:
    kinds = {a.kind for a in answers}
    assert set(HANDLERS) <= kinds, f"no question answered by: {sorted(set(HANDLERS) - kinds)}"
    assert len(answers) > 1500


def _discord_text(answer: Answer, full: bool) -> str:
    parts = []
    for embed in answer_embeds(answer, full, chart="chart.png"):
        parts += [embed.title or "", embed.description or ""]
        parts += [f"{f.name}\n{f.value}" for f in embed.fields]
    return "\n\n".join(parts)


def _renderings(answer: Answer) -> dict[str, str]:
    return {
        "text": render_text(answer),
        "text, full": render_text(answer, full=True),
        "discord": _discord_text(answer, False),
        "discord, full": _discord_text(answer, True),
    }


def test_every_answer_reads_like_a_person_wrote_it(answers: list[Answer], rules: dict[str, object]) -> None:
    problems: list[str] = []
    for answer in answers:
        for where, text in _renderings(answer).items():
            problems += [f"{answer.question[:70]!r} ({where}): {p}" for p in broken(text, rules)]  # type: ignore[arg-type]
    assert not problems, f"{len(problems)} phrasing problems:\n" + "\n".join(sorted(set(problems))[:40])


PRICED_QUESTIONS = (
    "A4000 vs A6000 price per GB",
    "a6000 price",
    "is the A6000 worth the price?",
    "cheapest price per gb",
    "cheapest gpu with at least 24gb vram",
    "best card for inference under $2000",
    "4090 vs 5090",
    "which was cheaper, 3090 or 4090?",
    "best bandwidth per dollar",
)


def test_answers_at_an_operators_current_prices_read_well(
    catalog: Catalog, tmp_path: Path, rules: dict[str, object]
) -> None:
    """The same rules with a price file: "Price" replaces the launch MSRP in sentences and tables."""
    prices = tmp_path / "prices.yaml"
    listed = ("rtx-a6000: 3000", "rtx-a4000: 700", "rtx-3090: 800", "rtx-4090: 1800", "rtx-5090: 2600")
    prices.write_text("as_of: 2026-11-01\nprices:\n" + "".join(f"  {p}\n" for p in listed), encoding="utf-8")
    priced = Engine(catalog, load_prices(prices, catalog))
    problems = [
        f"{q!r} ({where}): {p}"
        for q in PRICED_QUESTIONS
        for where, text in _renderings(priced.ask(q)).items()
        for p in broken(text, rules)  # type: ignore[arg-type]
    ]
    assert not problems, "\n".join(problems)


def test_the_rules_catch_what_the_issue_quotes(rules: dict[str, object]) -> None:
    """Each rule fails on the machine-like phrasing the issue quotes (so a rule that cannot fail is seen)."""
    quoted = {
        "RTX A4000 has 50% lower Slot width than the RTX A6000 (1 vs 2)": "has N% lower Label",
        "So per dollar the RTX A4000 is the better value (0.0192 TFLOPS per $ vs 0.00832 TFLOPS per $ FP32 per "
        "dollar).": "per $ then per dollar",
        "RTX A6000 leads on 7 of 7 fields with a clear winner.": "N of N",
        "It fits on 0 of 4 cards.": "zero of N",
        "I know 230 GPUs; try one of these:\n\nTry:\n  a6000 vram": "intro then Try:",
        "- Note: GeForce RTX 4060 Ti 16GB: price $499 is over the $491 budget.": "a note as a point",
        "The GB10 (DGX Spark) has the highest Memory: 128 GB.": "capitalised label inside a sentence",
        "Pick the RTX A4000 instead if Launch price (MSRP) ($1,000 vs $4,650) matter more to you.": (
            "capitalised label inside a sentence"
        ),
        "A 8 GB card offers about 8.6 GB.": "a before a vowel sound",
        "the the card": "doubled word",
        "needs {memory_gb} GB": "template leftover",
        "left out 1 GPUs": "one, plural",
    }
    for text, rule in quoted.items():
        assert any(p.startswith(rule + ":") for p in broken(text, rules)), (rule, text)  # type: ignore[arg-type]
    fine = "The RTX A6000 is ahead on every spec that has a winner: 3× the memory (48 GB vs 16 GB)."
    assert not broken(fine, rules)  # type: ignore[arg-type]


# -- at a glance ------------------------------------------------------------------------------


def _field_count(answer: Answer, full: bool = False) -> int:
    return sum(len(e.fields) for e in answer_embeds(answer, full))


def test_replies_show_at_most_eight_fields_and_two_notes_before_show_all(answers: list[Answer]) -> None:
    for answer in answers:
        if answer.full:  # "full specs": the question asked for everything
            continue
        assert _field_count(answer) <= MAX_FIELDS, answer.question
        description = "\n".join(e.description or "" for e in answer_embeds(answer))
        assert description.count("Note:") <= MAX_NOTES, answer.question
        assert len(re.findall(r"^Note:", render_text(answer), re.M)) <= MAX_NOTES, answer.question


def test_nothing_is_lost_behind_show_all(answers: list[Answer]) -> None:
    for answer in answers:
        view, whole = glance(answer), glance(answer, full=True)
        rows = len(answer.table.rows) if answer.table is not None else 0
        assert len(view.rows) + view.hidden_rows == rows == len(whole.rows)
        assert len(view.notes) + view.hidden_notes == len(answer.notes) == len(whole.notes)
        assert len(view.bullets) + view.hidden_bullets == (len(whole.bullets) if answer.full else len(answer.bullets))
        full_text = render_text(answer, full=True)
        assert all(b in full_text for b in answer.bullets) and all(n in full_text for n in answer.notes)
        if view.hidden:
            assert SHOW_ALL in "".join(e.description or "" for e in answer_embeds(answer)), answer.question
            assert "--full shows everything" in render_text(answer), answer.question


def test_a_comparison_leads_with_its_verdict_and_decisive_fields(engine: Engine) -> None:
    answer = engine.ask("A4000 vs A6000")
    first = answer_embeds(answer)[0]
    assert (first.description or "").startswith("The RTX A6000 is ahead on most specs: 3× the memory (48 GB vs 16 GB)")
    assert len(first.fields) == MAX_FIELDS
    assert [f.name for f in first.fields[:3]] == ["Memory", "Memory bandwidth", "FP16 tensor (dense)"]
    assert "Architecture" not in [f.name for f in first.fields]  # the same on both: it decides nothing
    everything = answer_embeds(answer, True)
    assert sum(len(e.fields) for e in everything) > MAX_FIELDS + 8  # every row, and the notes


@pytest.mark.parametrize(
    "question", ["a4000 vs a6000 memory and bandwidth", "which has more vram, 7900xtx or 4080s", "3090 vs 4090 tdp"]
)
def test_asked_fields_are_all_shown_with_how_far_apart(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert answer.table is not None
    assert len(glance(answer).rows) == len(answer.table.rows)  # only the fields asked: all of them
