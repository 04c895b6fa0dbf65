"""Terminal renderers: an :class:`~bot.answer.Answer` as plain text or JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from bot.glance import glance, hidden_text

if TYPE_CHECKING:
    from bot.answer import Answer, Row, Table

__all__ = ["answer_json", "render_json", "render_table", "render_text"]


def render_table(table: Table, rows: Sequence[Row] | None = None) -> list[str]:
    """A fixed-width table: field, one column per GPU, and a winner marker ``*`` (``rows``: these of its rows)."""
    header = ["", *table.columns]
    lines = [header]
    for row in table.rows if rows is None else rows:
        cells = [c + (" *" if row.winner == i and len(table.columns) > 1 else "") for i, c in enumerate(row.cells)]
        lines.append([row.label, *cells])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for n, line in enumerate(lines):
        out.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return out


def _numbered(answer: Answer) -> list[str]:
    """The bullets, those about a choice ("RTX A6000 (48 GB, …): 768 GB/s") under the choice's number, then the
    choices no bullet is about, numbered too: each choice is listed once."""
    numbers = {c.label: i for i, c in enumerate(answer.choices, 1)}
    shown: set[str] = set()
    lines = []
    for bullet in answer.bullets:
        label = next((lb for lb in numbers if bullet == lb or bullet.startswith(lb + ":")), None)
        lines.append(f"- {bullet}" if label is None else f"  {numbers[label]}. {bullet}")
        shown.add(label or "")
    return lines + [f"  {n}. {label}" for label, n in numbers.items() if label not in shown]


def render_text(answer: Answer, *, full: bool = False, numbered: bool = False) -> str:
    """The answer as plain text: the verdict first, then what decides it (:mod:`bot.glance`; ``full``: all).
    With ``numbered`` (the interactive chat), its choices are a numbered list the asker can pick from by typing a
    number."""
    view = glance(answer, full=full)
    parts: list[str] = [answer.title]
    if answer.summary:
        parts.append(answer.summary)
    if answer.table is not None and view.rows:
        table_lines = render_table(answer.table, view.rows)
        if len(answer.table.columns) > 1 and any(r.winner is not None for r in view.rows):
            table_lines.append("(* = better)")
        parts.append("\n".join(table_lines))
    if answer.choices and numbered:
        parts.append("\n".join(_numbered(answer)))
        parts.append(f"Type a number (1-{len(answer.choices)}) to pick one, or ask something else.")
    elif view.bullets:
        parts.append("\n".join(f"- {b}" for b in view.bullets))
    if answer.choices and not numbered:
        parts.append("Ask again with one of these names, e.g. “" + answer.choices[0].label.split(" (")[0] + "”.")
    if answer.examples:
        parts.append("Try:\n" + "\n".join(f"  {e}" for e in answer.examples))
    if view.notes:
        parts.append("\n".join(f"Note: {n}" for n in view.notes))
    if more := hidden_text(view):
        parts.append(f"Not shown: {more} (--full shows everything).")
    if answer.sources:
        parts.append("Sources: " + " ".join(answer.sources))
    return "\n\n".join(parts)


def answer_json(answer: Answer) -> dict[str, Any]:
    """The public JSON shape of an answer: exactly these keys, in this order."""
    return {
        "question": answer.question,
        "intent": answer.intent,
        "gpus": list(answer.gpus),
        "fields": list(answer.fields),
        "text": render_text(answer, full=True),
        "facts": [f.to_json() for f in answer.facts],
        "recommendation": answer.recommendation,
        "choices": [c.gpu for c in answer.choices],
        "fit": answer.fit,
    }


# Characters that str.splitlines() and some JSON-lines readers treat as line breaks and json.dumps
# leaves raw with ensure_ascii=False; escaped, the object stays on one line for any reader.
_LINE_BREAKS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def render_json(answer: Answer) -> str:
    """The answer as one line of JSON (the same value ``answer_json`` gives)."""
    return json.dumps(answer_json(answer), ensure_ascii=False).translate(_LINE_BREAKS)


def render_explain(explained: Mapping[str, Any]) -> str:
    """How a question was read (:meth:`bot.engine.Engine.explain`), as a few lines of text."""
    lines = [f"read as:   {explained['normalised']!r}"]
    lines += [f"  {m['kind']:<22} {m['text']!r} -> {m['value']}" for m in explained["evidence"]]
    lines.append(f"rule:      {explained['rule']}")
    lines.append(f"request:   {json.dumps(explained['request'], ensure_ascii=False)}")
    carried = explained["request"].get("carried")
    if carried:  # a follow-up in a conversation: the slots taken from the last question
        lines.append("from context: " + "; ".join(f"{k}: {v}" for k, v in carried.items()))
    return "\n".join(lines)
