"""A question about one property of named cards: "which draws less power, the A5000 or the A4500?".

The answer leads with the property asked, in the direction asked ("the RTX A4500 draws less: 200 W vs
230 W"), over the side-by-side rows of those fields. A property the catalog holds no data on
("which is quieter?") gets an honest "I have no data on noise" and the specs that bear on it.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.answer import Answer, Row
from bot.catalog import GPU, FieldDef
from bot.handlers.context import HandlerContext
from bot.handlers.specs import compare, lookup
from bot.parser import Query
from bot.wording import noun

__all__ = ["property_answer"]

_WORDS = {  # field -> (word for more, word for less) where "higher"/"lower" reads badly
    "release_date": ("is newer", "is older"),
    "launch_price_usd": ("was more expensive at launch", "was cheaper at launch"),
    "tdp_w": ("draws more power", "draws less power"),
    "slots": ("is thicker", "is thinner"),
    "length_mm": ("is longer", "is shorter"),
    "memory_gb": ("has more memory", "has less memory"),
    "process_nm": ("is on the larger node", "is on the smaller node"),
}


def property_answer(ctx: HandlerContext, q: Query) -> Answer:
    """The asked property side by side, led by the card that has more (or less) of it."""
    if q.unsupported is not None:
        return _unsupported(ctx, q)
    a = compare(ctx, q) if len(q.gpus) >= 2 else lookup(ctx, q)
    if a.table is None:
        return a
    gpus = [ctx.catalog.gpus[g] for g in q.gpus]
    lines = [_lead(ctx, row, gpus, q.property_more if i == 0 else None) for i, row in enumerate(a.table.rows)]
    first = a.table.rows[0] if a.table.rows else None
    if first is not None and len(gpus) >= 2:
        a.recommendation = _leader(ctx, first, gpus, q.property_more)
    a.title = f"{' vs '.join(g.short_name for g in gpus)}: {', '.join(r.label for r in a.table.rows)}"
    a.summary = " ".join(line for line in lines if line) or a.summary
    return a


def _leaders(ctx: HandlerContext, row: Row, gpus: Sequence[GPU], more: bool | None) -> list[int] | None:
    """The cards with the most (or least) of the row's field; None when not every card's value is known."""
    fdef = ctx.catalog.fields[row.field]
    known = [(i, v) for i, v in enumerate(_values(ctx, fdef, gpus)) if v is not None]
    if len(known) < len(gpus) or fdef.type == "bool":
        return None
    if more is None:
        more = fdef.better != "lower"
    top = (max if more else min)(v for _, v in known)
    return [i for i, v in known if v == top]


def _leader(ctx: HandlerContext, row: Row, gpus: Sequence[GPU], more: bool | None) -> str | None:
    """The one card that answers "which": the only leader on the asked property, or None."""
    leaders = _leaders(ctx, row, gpus, more)
    return gpus[leaders[0]].id if leaders and len(leaders) == 1 else None


def _lead(ctx: HandlerContext, row: Row, gpus: Sequence[GPU], more: bool | None) -> str:
    """One sentence on who has more (``more`` True) or less of a field, with the figures."""
    fdef = ctx.catalog.fields[row.field]
    if fdef.type == "bool":
        return _yes_no(row, gpus)
    leaders = _leaders(ctx, row, gpus, more)
    if leaders is None:
        return f"{fdef.label}: I don't know it for every card here ({_cells(row, gpus)})."
    if more is None:
        more = fdef.better != "lower"
    if len(leaders) == len(gpus):
        return f"They are the same on {noun(fdef)}: {_cells(row, gpus)}."
    names = " and the ".join(gpus[i].short_name for i in leaders)
    return f"The {names} {_phrase(fdef, more)}: {_cells(row, gpus)}."


def _values(ctx: HandlerContext, fdef: FieldDef, gpus: Sequence[GPU]) -> list[float | None]:
    """Comparable values: numbers on one convention across vendors; dates as a sortable number."""
    if fdef.type == "date":
        return [_date_number(g.get(fdef.key)) for g in gpus]
    return [ctx.catalog.comparable(g, fdef.key) for g in gpus]


def _date_number(value: object) -> float | None:
    """ "2020-10-05" -> 20201005, "2020-10" -> 20201000 (a month sorts before its days)."""
    if value is None:
        return None
    digits = str(value).replace("-", "")
    return float(digits.ljust(8, "0")) if digits.isdigit() else None


def _phrase(fdef: FieldDef, more: bool) -> str:
    words = _WORDS.get(fdef.key)
    if words:
        return words[0] if more else words[1]
    return f"has the {'higher' if more else 'lower'} {noun(fdef)}"


def _yes_no(row: Row, gpus: Sequence[GPU]) -> str:
    have = [g.short_name for g, c in zip(gpus, row.cells, strict=True) if c.lower().startswith("yes")]
    lack = [g.short_name for g, c in zip(gpus, row.cells, strict=True) if c.lower().startswith("no")]
    parts = []
    if have:
        parts.append(f"{' and '.join(have)}: {row.label} yes")
    if lack:
        parts.append(f"{' and '.join(lack)}: no")
    return ("; ".join(parts) or f"{row.label}: {_cells(row, gpus)}") + "."


def _cells(row: Row, gpus: Sequence[GPU]) -> str:
    return " vs ".join(f"{c} ({g.short_name})" for c, g in zip(row.cells, gpus, strict=True))


def _unsupported(ctx: HandlerContext, q: Query) -> Answer:
    """No data on the property asked: say so, and show what the catalog knows that bears on it."""
    prop = q.unsupported
    assert prop is not None  # noqa: S101 - checked by the caller
    related = [k for k in prop.related if k in ctx.catalog.fields]
    q.fields = related
    a = compare(ctx, q) if len(q.gpus) >= 2 else lookup(ctx, q)
    a.title = f"{' vs '.join(ctx.catalog.gpus[g].short_name for g in q.gpus)}: {prop.label}"
    labels = ", ".join(noun(ctx.catalog.fields[k]) for k in related)
    a.summary = (
        f"I have no data on {prop.label}: my catalog holds vendor specifications, and {prop.label} depends on the "
        f"cooler, the case and the board partner. What I do know that bears on it: {labels}. " + a.summary
    ).strip()
    return a
