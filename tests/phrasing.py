"""Phrasing rules for rendered answers: what reads like a machine, as checks (tests/test_phrasing.py).

Each rule takes the text of one rendered answer and returns what breaks it (empty: none). The rules are about
the class of problem, not one answer: "0 of N", "7 of 7 fields", a unit after "per $" twice, a capitalised field
label inside a sentence, an intro followed by another intro ("try one of these:" then "Try:"), a note among the
points, doubled words, template leftovers, "1 GPUs".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

__all__ = ["RULES", "broken", "label_rule"]

Rule = Callable[[str], list[str]]


def _find(pattern: str, flags: int = 0) -> Rule:
    compiled = re.compile(pattern, flags)

    def rule(text: str) -> list[str]:
        return [m.group(0) for m in compiled.finditer(text)]

    rule.__name__ = f"no {pattern!r}"
    return rule


def _n_of_n(text: str) -> list[str]:
    """ "7 of 7 fields": a count of everything reads like a machine; say "every"."""
    return [m.group(0) for m in re.finditer(r"\b(\d+) of (\d+) (?:fields|specs)\b", text) if m.group(1) == m.group(2)]


def _doubled(text: str) -> list[str]:
    return [m.group(0) for m in re.finditer(r"\b([A-Za-z]{2,}) \1\b", text) if m.group(1).lower() not in {"vs"}]


_PER = r"\bper (?:\$|dollar|watt|W|GB)(?!\w)"
_CLAUSE = r"(?:[^.;\n]|\.\d)*?"  # within one clause (a decimal point does not end it)
_AN = r"\b[Aa] (?:8[\d,.]*|11|18)(?!\d)"  # "an 8 GB", "an 11 GB", "an 18B", "an 80 GB", "an 8.5 GB"

RULES: dict[str, Rule] = {
    "zero of N": _find(r"\b0 of \d+\b"),
    "N of N": _n_of_n,
    "leads on N fields": _find(r"\bleads on \d+ of \d+"),
    "a unit after per $ twice": _find(_PER + _CLAUSE + _PER + _CLAUSE + _PER),
    "per $ then per dollar": _find(r"per \$" + _CLAUSE + r"\bper dollar\b"),
    "intro then Try:": _find(r":\s*\n+\s*Try:"),
    "a note as a point": _find(r"^[-•] Note:", re.M),
    "doubled word": _doubled,
    "template leftover": _find(r"\{[a-z_.]*\}|\bNone\b(?! of)|\bnan\b|(?<![\w`])\(\)"),
    "space before punctuation": _find(r"[a-z)] [,.;:](?=\s|$)", re.M),
    "double full stop": _find(r"(?<!\.)\.\.(?!\.)"),
    "one, plural": _find(r"\b1 (?:GPUs|cards|fields|notes|points|models|answers)\b"),
    "has N% lower Label": _find(r"% (?:lower|higher) [A-Z][a-z]"),
    "a before a vowel sound": _find(_AN),
}


def label_rule(labels: Iterable[str]) -> Rule:
    """A capitalised field label inside a sentence ("has the highest Memory", "if Launch price (MSRP)"): after a
    lowercase word, the label reads lowercase ("memory") unless it starts with an acronym ("FP32", "TDP")."""
    words = sorted({label for label in labels if label[:1].isupper() and label[1:2].islower()}, key=len, reverse=True)
    pattern = re.compile(
        r"\b(?:the|a|an|lower|higher|more|less|most|least|highest|lowest|if|on|by|no|and|or|with) ("
        + "|".join(map(re.escape, words))
        + r")(?!\w)"
    )

    def rule(text: str) -> list[str]:
        return [m.group(0) for m in pattern.finditer(text)]

    return rule


def broken(text: str, rules: dict[str, Rule]) -> list[str]:
    """Every rule ``text`` breaks, as "rule: what matched"."""
    return [f"{name}: {hit!r}" for name, rule in rules.items() for hit in rule(text)]
