"""“Which GPU do you mean?”: an ambiguous name ("h100", "rtx 6000") or a near miss ("rtx a600").

The bot asks only when the candidates would get different answers. When a look-up or comparison asks
for fields that have the same values on every candidate ("h800 tdp": 350 W on both?), it answers for
the first candidate and notes which others the answer also covers. Otherwise it asks, and lists each
candidate's values for the asked fields so the person can choose with them in front of them. Picking a
choice asks the whole question again with that GPU (``Engine.choose``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from bot.answer import Answer, Choice
from bot.catalog import GPU
from bot.handlers import specs
from bot.handlers.context import HandlerContext, value
from bot.matcher import GpuMention
from bot.parser import Query
from bot.request import MAX_COMPARE

__all__ = ["MAX_CHOICES", "clarify", "describe", "meant", "variant_names", "variants_note"]

#: Candidates offered at most (Discord shows a button for each).
MAX_CHOICES = 8
_LAPTOP = "laptop"  # the market segment of laptop GPUs (specs/fields.yaml)
_MEMORY = "memory_gb"


def clarify(ctx: HandlerContext, q: Query) -> Answer:
    """The look-up or comparison itself when every candidate gives the same answer; else which one?"""
    if q.ambiguous and q.fields:
        # "which has the wider bus, 4060 ti or 3060 ti?": a property asked answers for every variant, alike or not
        tries = (_each_candidate, _same_on_all) if q.property_more is not None else (_same_on_all, _each_candidate)
        for attempt in tries:
            answer = attempt(ctx, q)
            if answer is not None:
                return answer
    return _ask(ctx, q)


# -- the candidates ---------------------------------------------------------------------------


def meant(ctx: HandlerContext, q: Query, mention: GpuMention) -> list[str]:
    """The candidates the question can mean: those within its limits ("1 A100 80GB GPU" reads as an A100 with
    at least 80 GB), and laptop GPUs only when it says laptop; all of them when that would leave none."""
    ids = list(mention.candidates)
    within = [g for g in ids if _within(ctx.catalog.gpus[g], q.limits)]
    ids = within or ids
    if q.laptop:
        return ids
    desktop = [g for g in ids if ctx.catalog.gpus[g].get("market_segment") != _LAPTOP]
    return desktop or ids


def _within(gpu: GPU, limits: dict[str, dict[str, float]]) -> bool:
    for key, bounds in limits.items():
        number = gpu.number(key)
        if number is None or number < bounds.get("min", number) or number > bounds.get("max", number):
            return False
    return True


def variant_names(gpus: Sequence[GPU], conjunction: str = "and") -> str:
    """ "H100 NVL, PCIe and SXM5" (the shared words said once), or "RTX A6000 and RTX 6000 Ada"."""
    names = [g.short_name.split() for g in gpus]
    if not names:
        return ""
    shared = 0
    while all(len(n) > shared + 1 and n[shared] == names[0][shared] for n in names):
        shared += 1
    if shared:
        rest = [" ".join(n[shared:]) for n in names]
        return " ".join(names[0][:shared]) + " " + _and(rest, conjunction)
    return _and([g.short_name for g in gpus], conjunction)


def _and(items: Sequence[str], conjunction: str = "and") -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def describe(ctx: HandlerContext, gpu: GPU) -> str:
    """ "RTX A6000 (48 GB, 2020, workstation)"."""
    bits = []
    mem = gpu.get("memory_gb")
    if mem is not None:
        bits.append(ctx.catalog.fields["memory_gb"].format_value(mem))
    date = gpu.get("release_date")
    if date:
        bits.append(str(date)[:4])
    seg = gpu.get("market_segment")
    if seg:
        bits.append(str(seg))
    return f"{gpu.short_name} ({', '.join(bits)})" if bits else gpu.short_name


# -- the same answer on every candidate -------------------------------------------------------


def _same_on_all(ctx: HandlerContext, q: Query) -> Answer | None:
    """The look-up or comparison for each ambiguous name's first candidate, when the asked fields have the
    same values on all its candidates; None when any differ (or the comparison would be too wide)."""
    chosen: dict[int, list[str]] = {}
    for mention in q.ambiguous:
        ids = meant(ctx, q, mention)
        gpus = [ctx.catalog.gpus[g] for g in ids]
        if not all(_same(gpus, key) for key in q.fields):
            return None
        chosen[mention.start] = ids
    order = _in_mention_order(q, {start: ids[0] for start, ids in chosen.items()})
    if not 1 <= len(order) <= MAX_COMPARE:
        return None
    if len(order) > 1:
        a = specs.compare(ctx, dataclasses.replace(q, intent="compare", kind="compare", gpus=order, ambiguous=[]))
    else:
        a = specs.lookup(ctx, dataclasses.replace(q, intent="lookup", kind="lookup", gpus=order, ambiguous=[]))
    named: dict[tuple[str, ...], str] = {}  # a name said twice ("instead of A100? ... A100") is noted once
    for mention in q.ambiguous:
        named.setdefault(tuple(chosen[mention.start]), mention.text)
    verb = "is" if len(q.fields) == 1 else "are"
    a.notes[:0] = [
        f"“{text}” could be the {variant_names([ctx.catalog.gpus[g] for g in ids])}; the {_labels(ctx, q.fields)} "
        f"{verb} the same on all of them, so this answers for the {ctx.catalog.gpus[ids[0]].short_name}."
        for ids, text in named.items()
    ]
    return a


# -- every candidate side by side -------------------------------------------------------------


def _each_candidate(ctx: HandlerContext, q: Query) -> Answer | None:
    """The comparison with every candidate of each ambiguous name, when the question asks which card has more or
    less of a property and all of them fit in one table ("does the A100 have more bandwidth than the L40S?": each
    A100 against the L40S answers it, whichever A100 was meant). A candidate with no value for that property
    cannot answer it and is left out. None for one card, when they would not fit, or when the question talks
    about memory ("four 3060s (48gb) vs an a6000, same vram"): variants mostly differ by it, so ask."""
    if q.property_more is None or _MEMORY in q.fields or _MEMORY in q.limits:
        return None
    every = {mention.start: meant(ctx, q, mention) for mention in q.ambiguous}
    if len(q.gpus) + len({tuple(ids) for ids in every.values()}) < 2:
        return None  # one card asked about ("h100 tdp"): which one is the question
    known = {
        start: [g for g in ids if ctx.catalog.gpus[g].get(q.fields[0]) is not None] or ids
        for start, ids in every.items()
    }
    order = _in_mention_order(q, {start: ids[0] for start, ids in known.items()})
    for ids in known.values():
        at = order.index(ids[0])
        order[at + 1 : at + 1] = [g for g in ids[1:] if g not in order]
    if len(order) > MAX_COMPARE:
        return None
    a = specs.compare(ctx, dataclasses.replace(q, intent="compare", kind="compare", gpus=order, ambiguous=[]))
    named: dict[tuple[str, ...], tuple[str, list[str]]] = {}
    for mention in q.ambiguous:
        named.setdefault(tuple(every[mention.start]), (mention.text, known[mention.start]))
    a.notes[:0] = [_each_note(ctx, q, text, list(ids), shown) for ids, (text, shown) in named.items()]
    return a


def _each_note(ctx: HandlerContext, q: Query, text: str, ids: list[str], shown: list[str]) -> str:
    """ "“a100 80gb” could be the A100 80GB PCIe and SXM4, which differ here, so this shows each of them."."""
    said = f"“{text}” could be the {variant_names([ctx.catalog.gpus[g] for g in ids])}"
    if len(shown) == len(ids):
        return f"{said}, which differ here, so this shows each of them."
    which = variant_names([ctx.catalog.gpus[g] for g in shown])
    return f"{said}; only the {which} {'has' if len(shown) == 1 else 'have'} a known {_labels(ctx, q.fields[:1])}."


def variants_note(ctx: HandlerContext, text: str, every: Sequence[str], shown: Sequence[str]) -> str:
    """ "“p100” could be the Tesla P100 PCIe 12 GB, PCIe 16 GB and SXM2 16 GB, so this answers for each of them.":
    ``shown`` are the variants answered for; none when one answer holds for all of them."""
    said = f"“{text}” could be the {variant_names([ctx.catalog.gpus[g] for g in every])}"
    if not shown:  # "can a v100 do bf16": one architecture, one answer
        return f"{said}; they share one architecture, so this answer holds for each of them."
    if len(shown) == len(every):
        return f"{said}, so this answers for each of them."
    known = variant_names([ctx.catalog.gpus[g] for g in shown])
    return f"{said}; only the {known} {'has' if len(shown) == 1 else 'have'} a known value for what is asked."


def _same(gpus: Sequence[GPU], key: str) -> bool:
    """Every GPU has the same known value for ``key`` (unknown on all is no answer to give once for all)."""
    first = gpus[0].get(key)
    return first is not None and all(g.get(key) == first for g in gpus)


def _in_mention_order(q: Query, picked: dict[int, str]) -> list[str]:
    """The GPUs the question compares, in the order named, each ambiguous name replaced by its pick."""
    order: list[str] = []
    mentions = q.match.mentions if q.match is not None else []
    for m in mentions:
        gid = picked.get(m.start) if m.ambiguous else (m.gpu if m.gpu in q.gpus else None)
        if gid is not None and gid not in order:
            order.append(gid)
    order.extend(g for g in [*q.gpus, *picked.values()] if g not in order)
    return order


# -- asking -----------------------------------------------------------------------------------


def _ask(ctx: HandlerContext, q: Query) -> Answer:
    """The candidates to choose from, with their values for the fields asked."""
    a = Answer(
        question=q.text, intent="clarify", title="Which GPU do you mean?", gpus=list(q.gpus), fields=list(q.fields)
    )
    if q.ambiguous:
        names, ids = _every_ambiguous(ctx, q)
        differing = _differing(ctx, q, ids)
        a.summary = f"{_and(names)} could {'each ' if len(names) > 1 else ''}be several GPUs"
        if differing:
            a.summary += f", and their {_labels(ctx, differing)} {'differ' if len(differing) > 1 else 'differs'}"
        a.summary += ". "
        a.summary += (
            "Which one do you mean?"
            if len(names) == 1
            else "Which ones do you mean? Pick one; I'll ask for the other next."
        )
    else:
        mention = q.unknown_names[0]
        ids = list(mention.suggestions)
        a.summary = f"I don't know a GPU called “{mention.text}”. Did you mean one of these?"
        a.answered = False
    for gid in ids[:MAX_CHOICES]:
        gpu = ctx.catalog.gpus[gid]
        label = describe(ctx, gpu)
        a.choices.append(Choice(gid, label))
        asked = "; ".join(f"{ctx.catalog.fields[k].label} {value(ctx, a, gpu, k)}" for k in q.fields)
        a.bullets.append(f"{label}: {asked}" if asked else label)
    return a


def _every_ambiguous(ctx: HandlerContext, q: Query) -> tuple[list[str], list[str]]:
    """Each ambiguous name (quoted, once) and the candidates of all of them, in the order named: "h100 vs a100"
    offers the H100s and the A100s (picking one answers its own name; ``Engine.choose`` then asks about the other)."""
    names: list[str] = []
    ids: list[str] = []
    for mention in q.ambiguous:
        new = [g for g in meant(ctx, q, mention) if g not in ids]
        if new:
            names.append(f"“{mention.text}”")
            ids.extend(new)
    return names, ids


def _differing(ctx: HandlerContext, q: Query, ids: Sequence[str]) -> list[str]:
    """The asked fields with different known values on the candidates (a value known on some only is not
    said to differ)."""
    gpus = [ctx.catalog.gpus[g] for g in ids]
    return [k for k in q.fields if len({repr(g.get(k)) for g in gpus if g.get(k) is not None}) > 1]


def _labels(ctx: HandlerContext, keys: Sequence[str]) -> str:
    """ "memory bandwidth and TDP": field labels as they read mid-sentence ("" for none)."""
    labels = [ctx.catalog.fields[k].label for k in keys]
    return (
        _and([label if label[1:2].isupper() else label[:1].lower() + label[1:] for label in labels]) if labels else ""
    )
