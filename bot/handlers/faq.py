"""Answers that are not about specs or picks: FAQ entries filled from the catalog, what software runs
where, the glossary, "which GPU do you mean?" (clarify) and questions the bot cannot place (unknown)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.answer import Answer
from bot.catalog import GPU, FaqEntry
from bot.catalog_faq import PRICE
from bot.handlers.context import HandlerContext, add_sources, fmt_ratio, price_text, value
from bot.handlers.general import fill_general
from bot.handlers.request_slots import is_blank
from bot.handlers.software_notes import format_notes, library_notes
from bot.handlers.speed_doubt import expected_speeds
from bot.parser import SOFTWARE_FAQ, Query

__all__ = ["EXAMPLES", "faq", "unknown"]

#: Questions offered when the bot cannot place one.
EXAMPLES = (
    "A4000 vs A6000",
    "a6k bandwidth?",
    "rtx 4090 vram and tdp",
    "compare 3090, 4090 and 5090 memory bandwidth",
    "A4000 or A6000 for training?",
    "best single-slot card under $1500",
    "which gpu has the most memory?",
    "is the A6000 worth the price?",
)
#: FAQ template placeholders: ``{a}``, ``{b.memory_gb}``, ``{a.memory_gb/price}``, ``{a.tdp_w*1.5}``,
#: ``{ratio.memory_gb}``, ``{diff.memory_gb}``; ``price`` is the price answers judge by (see
#: :data:`bot.catalog_faq.PRICE`), and ``{prices}`` says which prices those are.
_PLACEHOLDER = re.compile(r"\{(?:(a|b)(?:\.(\w+)(?:([*/])(\w+(?:\.\d+)?))?)?|(ratio|diff)\.(\w+)|(prices))\}")


# -- faq --------------------------------------------------------------------------------------


def faq(ctx: HandlerContext, q: Query) -> Answer:
    """An FAQ entry, its placeholders filled with the entry's GPUs (or the two the question names)."""
    entry = q.faq
    if entry is None:  # the parser only sends FAQ questions with an entry
        return unknown(ctx, q)
    if entry.id == SOFTWARE_FAQ and (q.general or set(q.gpus) != set(entry.gpus)):
        return _software(ctx, q, entry)
    if q.general and entry.general is not None:  # "what is nvlink": not about the seed article's cards
        return _general(ctx, q, entry, entry.general.question, entry.general.answer)
    if entry.one is not None and q.gpus and (len(q.gpus) != 2 or not entry.gpus):
        a = _each(ctx, q, entry, entry.one.question, entry.one.answer)
        if q.fit is not None and q.fit.speed_asked and len(q.gpus) == 1:  # "only 4-7 tokens/s on my 3090"
            expected_speeds(ctx, q, a, ctx.catalog.gpus[q.gpus[0]])
        return a
    if not entry.gpus:  # a glossary entry: text, its examples from the whole catalog
        return _general(ctx, q, entry, entry.question, entry.answer)
    gpus = [ctx.catalog.gpus[g] for g in (q.gpus if len(q.gpus) == 2 else entry.gpus)]
    if entry.order_by and len(gpus) == 2:
        number = _number_of(ctx, entry.order_by)
        gpus.sort(key=lambda g: (number(g) is None, number(g) or 0.0))
    a = Answer(question=q.text, intent="faq", title=entry.question, gpus=[g.id for g in gpus])
    if len(q.gpus) == 2 and set(q.gpus) != set(entry.gpus):
        a.title = f"{entry.question} (for the {gpus[0].short_name} and {gpus[1].short_name})"
    a.summary = _fill(ctx, a, entry, gpus)
    a.fields = sorted({f.field for f in a.facts}, key=list(ctx.catalog.fields).index)
    add_sources(a, gpus)
    return a


def _each(ctx: HandlerContext, q: Query, entry: FaqEntry, title: str, template: str) -> Answer:
    """The entry's one-card answer for each named card ("pros and cons of the 4090"): one card in the summary,
    several one bullet each."""
    gpus = [ctx.catalog.gpus[g] for g in q.gpus]
    a = Answer(question=q.text, intent="faq", title=title.replace("{a}", _names(gpus)), gpus=[g.id for g in gpus])
    texts = [_fill(ctx, a, entry, [gpu], template) for gpu in gpus]
    if len(texts) == 1:
        a.summary = texts[0]
    else:
        a.bullets.extend(texts)
    a.fields = sorted({f.field for f in a.facts}, key=list(ctx.catalog.fields).index)
    add_sources(a, gpus)
    a.sources.extend(u for u in entry.sources if u not in a.sources)
    return a


def _general(ctx: HandlerContext, q: Query, entry: FaqEntry, title: str, template: str) -> Answer:
    """A general answer: no GPU of the question's, examples from the whole catalog (cited), the entry's sources."""
    a = Answer(question=q.text, intent="faq", title=title)
    a.summary = fill_general(ctx, a, template)
    a.fields = sorted({f.field for f in a.facts}, key=list(ctx.catalog.fields).index)
    a.sources.extend(u for u in entry.sources if u not in a.sources)
    return a


def _software(ctx: HandlerContext, q: Query, entry: FaqEntry) -> Answer:
    """What runs on each named GPU (or, with none named, on each vendor's), from ``specs/software.yaml``; a library
    or a number format the question names leads, per card."""
    gpus = [] if q.general else [ctx.catalog.gpus[g] for g in q.gpus]
    a = Answer(question=q.text, intent="faq", title=entry.question, gpus=[g.id for g in gpus])
    sources = _software_general(ctx, q, entry, a) if not gpus else []
    for group in _same_software(ctx, gpus):
        stack = ctx.catalog.software_for(group[0])
        if stack is None:
            a.bullets.append(f"{_names(group)}: I have no software notes for {group[0].vendor} GPUs.")
            continue

        def fill(m: re.Match[str], group: list[GPU] = group) -> str:
            key = m.group(1)
            if key == "gpu":
                return _names(group)
            shown = [value(ctx, a, gpu, key) for gpu in group]  # each card's value cited; they share one
            return shown[0]

        a.bullets.append(re.sub(r"\{(\w+)\}", fill, stack.text))
        sources.extend(stack.sources)
    libraries, notes = library_notes(ctx, a, q.libraries, gpus)
    formats = format_notes(ctx, a, q) if gpus else []
    if len(a.bullets) == 1 and gpus:
        a.title = f"What software runs on the {_names(gpus)}?"
        a.summary, a.bullets = a.bullets[0], []
    elif gpus:
        a.title = "What software runs on these GPUs?"
    if notes:  # the library asked about leads; the card's stack follows
        _lead_with(a, f"Does {' or '.join(lib.name for lib in libraries)} run on the {_names(gpus)}?", notes)
    if formats:  # the formats named lead: "bfloat16 ... on a V100" hears whether Volta computes BF16
        _lead_with(a, f"{' and '.join(f.upper() for f in q.formats)} on the {_names(gpus)}", formats)
    a.fields = sorted({f.field for f in a.facts}, key=list(ctx.catalog.fields).index)
    add_sources(a, gpus)
    a.sources.extend(u for u in dict.fromkeys(sources) if u not in a.sources)
    return a


def _software_general(ctx: HandlerContext, q: Query, entry: FaqEntry, a: Answer) -> list[str]:
    """No GPU named: each vendor's stacks (only the vendor asked about, "stable diffusion on amd?"); their sources."""
    sources: list[str] = []
    a.title = "Which software runs on which GPUs?"
    if entry.general is not None:
        a.title = entry.general.question
        a.summary = fill_general(ctx, a, entry.general.answer)
    for each in reversed(ctx.catalog.software):  # the file lists the most specific first; NVIDIA ends it
        if q.vendor is None or each.vendor == q.vendor:
            a.bullets.append(each.about)
            sources.extend(each.sources)
    if q.vendor is not None and a.bullets:  # the vendor's stacks are the answer, not the overview
        a.title = f"What AI software runs on {q.vendor} GPUs?"
        a.summary, a.bullets = a.bullets[0], a.bullets[1:]
    return sources


def _lead_with(a: Answer, title: str, lines: list[str]) -> None:
    """``lines`` lead the answer under ``title``; what it said before follows them."""
    a.title = title
    a.bullets = [*lines[1:], *([a.summary] if a.summary else []), *a.bullets]
    a.summary = lines[0]


def _same_software(ctx: HandlerContext, gpus: Sequence[GPU]) -> list[list[GPU]]:
    """The GPUs grouped by the software answer they get (one stack, one compute capability), in order:
    the cards of a series ("a V100") share one bullet."""
    groups: dict[tuple[str | None, object], list[GPU]] = {}
    for gpu in gpus:
        stack = ctx.catalog.software_for(gpu)
        groups.setdefault((stack.id if stack else gpu.vendor, gpu.get("compute_capability")), []).append(gpu)
    return list(groups.values())


def _names(gpus: Sequence[GPU]) -> str:
    names = [g.short_name for g in gpus]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _fill(ctx: HandlerContext, a: Answer, entry: FaqEntry, gpus: Sequence[GPU], template: str | None = None) -> str:
    """The entry's answer (or ``template``) with every placeholder replaced by a cited catalog value."""
    by_name = {"a": gpus[0], "b": gpus[-1]}

    def repl(m: re.Match[str]) -> str:
        who, key, op, arg, func, fkey, prices = m.groups()
        if prices:
            return ctx.prices.basis
        if func:
            return _between(ctx, a, func, fkey, by_name["a"], by_name["b"])
        gpu = by_name[who]
        if key is None:
            return gpu.short_name
        if key == PRICE and op is None:
            return price_text(ctx, a, gpu)
        if key not in ctx.catalog.fields and key != PRICE:
            raise KeyError(f"faq {entry.id}: unknown field {key!r}")
        if op is None:
            return value(ctx, a, gpu, key)
        return _derived(ctx, a, gpu, key, op, arg)

    return _PLACEHOLDER.sub(repl, entry.answer if template is None else template)


def _between(ctx: HandlerContext, a: Answer, func: str, key: str, first: GPU, second: GPU) -> str:
    """``{ratio.key}`` (second / first) or ``{diff.key}`` (the absolute difference)."""
    number = _number_of(ctx, key)
    x, y = number(first), number(second)
    _cite(ctx, a, first, key)
    _cite(ctx, a, second, key)
    if x is None or y is None:
        return "an unknown amount"
    if func == "ratio":
        return fmt_ratio(y / x) if x else "unknown"
    return f"${abs(y - x):,.0f}" if key == PRICE else ctx.catalog.fields[key].format_value(abs(y - x))


def _number_of(ctx: HandlerContext, key: str) -> Callable[[GPU], float | None]:
    """A field's number per GPU; for ``price``, the price answers judge by."""
    return ctx.prices.usd if key == PRICE else (lambda gpu: gpu.number(key))


def _cite(ctx: HandlerContext, a: Answer, gpu: GPU, key: str) -> None:
    """Cite the value behind a placeholder (a price that is the launch MSRP cites the catalog's field)."""
    if key == PRICE:
        price_text(ctx, a, gpu)
    else:
        value(ctx, a, gpu, key)


def _derived(ctx: HandlerContext, a: Answer, gpu: GPU, key: str, op: str, arg: str) -> str:
    """``{a.key/other_key}`` (a value per another, with units) or ``{a.key*1.5}`` (a value scaled)."""
    number = _number_of(ctx, key)(gpu)
    _cite(ctx, a, gpu, key)
    if arg in ctx.catalog.fields or arg == PRICE:
        other = _number_of(ctx, arg)(gpu)
        _cite(ctx, a, gpu, arg)
        if number is None or not other:
            return "unknown"
        unit = "$" if key == PRICE else ctx.catalog.fields[key].unit
        per = "USD" if arg == PRICE else ctx.catalog.fields[arg].unit or arg
        per = "$" if per == "USD" else per
        return f"{number / other:.3g} {unit}/{per}".replace("/$", " per $")
    if number is None:
        return "unknown"
    factor = float(arg)
    result = number / factor if op == "/" else number * factor
    return f"{result:.3g}"


# -- clarify and unknown ----------------------------------------------------------------------


def unknown(ctx: HandlerContext, q: Query) -> Answer:
    """Hardware outside the catalog, a name nothing is close to, or no GPU or topic at all: say so."""
    a = Answer(question=q.text, intent="unknown", title="I can help with GPU questions", answered=False)
    if q.outside is not None:
        a.title = "Not in my catalog"
        a.summary = q.outside.reply
    elif q.unknown_names:
        a.summary = f"I don't know a GPU called “{q.unknown_names[0].text}”, and nothing in the catalog is close."
    elif is_blank(q):
        a.summary = "Ask me about a GPU: specs, comparisons or which card to pick for a job."
    else:
        a.summary = f"I couldn't tell which GPU or topic that is about (I know {len(ctx.catalog)} GPUs)."
    a.examples = list(EXAMPLES)
    return a
