"""How a comparison reads at a glance: the verdict in a sentence or two, and the fields that decide it.

"The RTX A6000 is ahead on most specs: 3× the memory (48 GB vs 16 GB), 1.71× the memory bandwidth (768 GB/s
vs 448 GB/s) and 2.02× the FP16 tensor (dense) (154.8 TFLOPS vs 76.7 TFLOPS). The RTX A4000 costs less at launch
($1,000 vs $4,650), draws less power (140 W vs 300 W) and takes fewer slots (1 vs 2)."
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.answer import Row
from bot.catalog import GPU, Catalog, FieldDef
from bot.handlers.context import fmt_ratio
from bot.wording import an, noun

__all__ = [
    "DECISIVE_FIELDS",
    "LOOKUP_FIRST",
    "MAX_WINS_SAID",
    "decisive",
    "digest",
    "leader_summary",
    "telling",
    "win_ratio",
]

#: The fields that decide most comparisons, most telling first; the rest follow in table order.
DECISIVE_FIELDS = (
    "memory_gb",
    "memory_bandwidth_gbs",
    "fp16_tensor_tflops",
    "fp32_tflops",
    "launch_price_usd",
    "tdp_w",
    "slots",
    "nvlink",
)
#: The fields that tell most about one card, first in a look-up that asks for none.
LOOKUP_FIRST = (
    "architecture",
    "memory_gb",
    "memory_bandwidth_gbs",
    "fp16_tensor_tflops",
    "fp32_tflops",
    "tdp_w",
    "launch_price_usd",
    "release_date",
)
#: At most this many wins named per card in the summary.
MAX_WINS_SAID = 3

# field -> what the card with less of it does (a lower value is better for these)
_LESS = {
    "tdp_w": "draws less power",
    "launch_price_usd": "costs less at launch",
    "slots": "takes fewer slots",
    "length_mm": "is shorter",
    "process_nm": "is on the smaller node",
}


def telling(keys: Sequence[str]) -> list[str]:
    """One card's fields, the most telling first (:data:`LOOKUP_FIRST`), then the rest in order."""
    first = [k for k in LOOKUP_FIRST if k in keys]
    return first + [k for k in keys if k not in first]


def decisive(rows: Sequence[Row], asked: Sequence[str]) -> list[str]:
    """The rows' fields in the order that decides the question: the asked ones as asked; else the
    :data:`DECISIVE_FIELDS`, then the others, leaving out fields on which every card reads the same."""
    if asked:
        return [r.field for r in rows if r.field in asked]
    differ = [r for r in rows if len(set(r.cells)) > 1]
    first = [f for f in DECISIVE_FIELDS if any(r.field == f for r in differ)]
    return first + [r.field for r in differ if r.field not in first]


def win_ratio(fdef: FieldDef, winner: GPU, loser: GPU, best: float, other: float, texts: tuple[str, str]) -> str | None:
    """ "RTX A6000 has 3× the memory of the RTX A4000", "RTX A4000 draws 53% less power than the RTX A6000 (140 W
    vs 300 W)"; None when the values are equal or not both positive. ``texts``: the winner's and loser's cells."""
    if other <= 0 or best <= 0 or best == other:
        return None
    name, rival = winner.short_name, loser.short_name
    if fdef.better == "higher":
        return f"{name} has {fmt_ratio(best / other)} the {noun(fdef)} of the {rival}."
    pct = f"{(1 - best / other) * 100:.0f}%"
    shown = f"({texts[0]} vs {texts[1]})"
    if fdef.key == "slots":
        return f"{name} takes fewer slots than the {rival} {shown}."
    less = {"tdp_w": f"draws {pct} less power", "launch_price_usd": f"cost {pct} less at launch"}.get(fdef.key)
    return f"{name} {less or f'has {pct} lower {noun(fdef)}'} than the {rival} {shown}."


def _plain(catalog: Catalog, gpu: GPU, key: str) -> str:
    """The bare value as a sentence quotes it ("$1,000", "48 GB"), without the table's annotations; at the
    single-issue count where the vendor's figure counts dual issue (what the comparison compares)."""
    fdef, raw, single = catalog.fields[key], gpu.get(key), catalog.comparable(gpu, key)
    if single is not None and fdef.type in ("int", "float") and single != gpu.number(key):
        return f"{fdef.format_value(round(single, 1))} single-issue"
    return fdef.format_value(raw)


def _win_phrase(catalog: Catalog, row: Row, gpus: Sequence[GPU]) -> str:
    """What the row's winner has over the others: "3× the memory (48 GB vs 16 GB)", "draws less power (140 W vs
    300 W)"; with three or more cards "the most memory (48 GB)"."""
    fdef = catalog.fields[row.field]
    assert row.winner is not None  # noqa: S101 - only won rows are phrased
    win = gpus[row.winner]
    others = [g for i, g in enumerate(gpus) if i != row.winner]
    values = f"{_plain(catalog, win, row.field)} vs {_plain(catalog, others[0], row.field)}"
    if fdef.type == "bool":
        return f"has {noun(fdef)}"
    if fdef.better == "lower":
        less = _LESS.get(fdef.key, f"the lower {noun(fdef)}")
        return f"{less} ({values})" if len(gpus) == 2 else f"{less} ({_plain(catalog, win, row.field)})"
    best, other = catalog.comparable(win, row.field), catalog.comparable(others[0], row.field)
    if len(gpus) == 2 and best and other and other > 0 and best != other:
        return f"{fmt_ratio(best / other)} the {noun(fdef)} ({values})"
    most = "most" if fdef.key == "memory_gb" or not fdef.unit else "highest"
    return f"the {most} {noun(fdef)} ({_plain(catalog, win, row.field)})"


def _join(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def leader_summary(catalog: Catalog, rows: Sequence[Row], gpus: Sequence[GPU]) -> str:
    """Who is ahead and on what that matters, then what each other card wins; empty with no winner at all.

    "Ahead on every spec that has a winner" when no other card wins any, "ahead on most specs" when it wins more
    than all the others together (of two or more: "on the most specs" when more than each other), else no claim
    of being ahead: each card's wins, side by side."""
    wins = [[r for r in rows if r.winner == i] for i in range(len(gpus))]
    if not any(wins):
        return ""
    lead = max(range(len(gpus)), key=lambda i: len(wins[i]))
    others = [len(wins[i]) for i in range(len(gpus)) if i != lead]
    if not any(others):
        extent = "is ahead on every spec that has a winner"
    elif len(wins[lead]) > sum(others):
        extent = "is ahead on most specs"
    elif all(len(wins[lead]) > n for n in others):
        extent = "is ahead on the most specs"
    else:
        extent = ""
    sentences = [_card_sentence(catalog, gpus, lead, wins[lead], extent)]
    for i in (i for i in range(len(gpus)) if i != lead and wins[i]):
        sentences.append(_card_sentence(catalog, gpus, i, wins[i], ""))
    return " ".join(sentences)


def _card_sentence(catalog: Catalog, gpus: Sequence[GPU], index: int, won: Sequence[Row], lead: str) -> str:
    """ "The RTX A6000 is ahead on most specs: 3× the memory (...); it also costs less at launch (...)";
    "The RTX A4000 costs less at launch (...) and has the most RT cores (84)"."""
    order = {f: n for n, f in enumerate(DECISIVE_FIELDS)}
    said = sorted(won, key=lambda r: order.get(r.field, len(order)))[:MAX_WINS_SAID]
    phrases = [_win_phrase(catalog, r, gpus) for r in said]
    name = f"The {gpus[index].short_name}"
    if lead:
        nouns, verbs = [p for p in phrases if not _is_verb(p)], [p for p in phrases if _is_verb(p)]
        if not nouns:
            return f"{name} {lead}: it {_join(verbs)}."
        also = f"; it also {_join(verbs)}" if verbs else ""
        return f"{name} {lead}: {_join(nouns)}{also}."
    clauses: list[str] = []
    for phrase in phrases:  # "has" once before a run of things it has
        if _is_verb(phrase) or (clauses and clauses[-1].startswith("has ")):
            clauses.append(phrase)
        else:
            clauses.append("has " + phrase)
    return f"{name} {_join(clauses)}."


def _is_verb(phrase: str) -> bool:
    return phrase.split(" ", 1)[0] in {"draws", "costs", "takes", "is", "has"}


def digest(catalog: Catalog, gpu: GPU) -> str:
    """One card in a sentence, from what the catalog knows: "The RTX A6000 is an Ampere card with 48 GB of GDDR6
    at 768 GB/s, 154.8 TFLOPS of dense FP16 tensor compute and 38.7 TFLOPS FP32, drawing 300 W; it launched in
    2020 at $4,650." Unknown values are left out; empty when nothing is known."""

    def known(key: str) -> str | None:
        raw = gpu.get(key)
        return None if raw is None or key not in catalog.fields else catalog.fields[key].format_value(raw)

    arch, memory, kind, bandwidth = (
        known("architecture"),
        known("memory_gb"),
        known("memory_type"),
        known("memory_bandwidth_gbs"),
    )
    has = []
    if memory:
        has.append(f"{memory}{f' of {kind}' if kind else ''}{f' at {bandwidth}' if bandwidth else ''}")
    if tensor := known("fp16_tensor_tflops"):
        has.append(f"{tensor} of dense FP16 tensor compute")
    if fp32 := known("fp32_tflops"):
        has.append(f"{fp32} FP32")
    card = f"{an(arch)} {arch} card" if arch else "a card"
    sentence = f"The {gpu.short_name} is {card}" + (f" with {_join(has)}" if has else "")
    if power := known("tdp_w"):
        sentence += f", drawing {power}"
    date, price = gpu.get("release_date"), gpu.get("launch_price_usd")
    if date or price is not None:
        year = f" in {str(date)[:4]}" if date else ""
        cost = f" at {catalog.fields['launch_price_usd'].format_value(price)}" if price is not None else ""
        sentence += f"; it launched{year}{cost}"
    return sentence + "." if has or arch else ""
