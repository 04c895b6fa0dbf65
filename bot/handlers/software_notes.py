"""What a library the question names says about each card (``specs/libraries.yaml``): "flash attention 2 on a 2080
Ti?" hears that FlashAttention-2 needs Ampere, not only that CUDA supports the card. Used by the software answer."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.answer import Answer
from bot.catalog import GPU
from bot.handlers import hardware
from bot.handlers.context import HandlerContext, value
from bot.parser import Query
from bot.software_libs import Library, SupportRule

__all__ = ["format_notes", "library_notes"]

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def library_notes(
    ctx: HandlerContext, a: Answer, named: Sequence[str], gpus: Sequence[GPU]
) -> tuple[list[Library], list[str]]:
    """The libraries ``named`` (ids, the request's) and one line per library and group of cards that share its rule
    (values cited in ``a``); the libraries' sources are added to ``a``."""
    libraries = [lib for lib in ctx.catalog.libraries if lib.id in named] if gpus else []
    lines: list[str] = []
    for lib in libraries:
        groups: dict[tuple[int, tuple[object, ...]], tuple[SupportRule, list[GPU]]] = {}
        for gpu in gpus:
            rule = lib.rule_for(gpu)
            if rule is not None:  # cards share a line when the rule and every value it shows are the same
                shown = tuple(gpu.get(k) for k in _PLACEHOLDER.findall(rule.text) if k != "gpu")
                groups.setdefault((id(rule), shown), (rule, []))[1].append(gpu)
        for rule, cards in groups.values():
            lines.append(_fill(ctx, a, rule.text, cards))
        a.sources.extend(u for u in lib.sources if u not in a.sources)
    return libraries, lines


def _fill(ctx: HandlerContext, a: Answer, template: str, cards: list[GPU]) -> str:
    def one(m: re.Match[str]) -> str:
        key = m.group(1)
        if key == "gpu":
            return _joined([g.short_name for g in cards])
        return value(ctx, a, cards[0], key)  # the cards of a group show the same values

    return _PLACEHOLDER.sub(one, template)


def format_notes(ctx: HandlerContext, a: Answer, q: Query) -> list[str]:
    """Whether each card's tensor units compute the floating-point formats the question names ("bfloat16 is only
    supported on compute capability 8.0 ... but it runs on my V100?"): the format answer's lines, its facts, notes
    and sources carried into ``a``."""
    if not q.formats or not q.gpus:
        return []
    sub = hardware.formats(ctx, q)
    a.facts.extend(f for f in sub.facts if f not in a.facts)
    a.notes.extend(n for n in sub.notes if n not in a.notes)
    a.sources.extend(u for u in sub.sources if u not in a.sources)
    lines = [sub.summary] if sub.summary else list(sub.bullets)
    merged: dict[str, list[str]] = {}  # "V100 PCIe 16GB, BF16: no, ..." x4 -> one line naming the four
    for line in lines:
        name, sep, rest = line.partition(", ")
        merged.setdefault(rest if sep else line, []).append(name if sep else "")
    return [_joined(names) + ", " + rest if names[0] else rest for rest, names in merged.items()]


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
