"""Numeric dimensions of a question (Duckling-style): budgets, budget ranges, limits, contexts and counts.

Each dimension is a small set of patterns whose groups build a typed value; the words they use (currencies,
bound phrases) come from ``specs/lexicon.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.lexicon import Lexicon
from bot.matcher import GpuMention, MatchResult

_SIZE_RE = re.compile(r"\b(\d+(?:\.\d+)?)gb\b")

__all__ = ["GPUS_PER_NODE", "Dimensions", "context_tokens", "count_word", "counted_size", "mention_count"]

_NUMBER = r"(\d+(?:\.\d+)?)"
_DIGIT = re.compile(r"\d")
# What both range patterns hold: a number, "to" or "and", a number ("1.5k to 2k", "$1800 and $2200").
_RANGE_HINT = re.compile(r"\d\s*k?\s+(?:to|and)\s+\$?\s?\d")
_WATTS_HINT = re.compile(r"\d\s*w")  # every power limit has a number of watts
# The bound words of the budget pattern without a "$" ("under 1500", "max 2k eur"); see Dimensions._budget_pattern.
_BUDGET_WORDS: tuple[str, ...] = ("under", "below", "less than", "cheaper than", "budget", "up to", "within")
_BUDGET_WORDS += ("at most", "no more than", "max", "spend")
_NOT_A_PRICE_UNIT = r"(?!\s*(?:w|watts?|gb|tb|mhz|ghz|mm|nm|gbps|tflops|slots?)\b)"
# "32k context", "context of 8192", "1m token context", "a 2 million token context": k is 1,024 tokens (the
# convention of model configs: "128k" = 131,072), m and million 1,048,576 ("10m" = 10,485,760, Llama 4 Scout's).
_CONTEXT_RE = re.compile(
    rf"\b{_NUMBER}\s*(k|m|million)?\s*(?:token|tokens)?\s*(?:context|ctx|context window|context length)\b"
    rf"|\b(?:context|ctx)(?: length| window)?(?: of)?\s*{_NUMBER}\s*(k|m|million)?\b"
)
_CONTEXT_UNIT = {"k": 1024, "m": 1024 * 1024, "million": 1024 * 1024}
_NUMBER_WORDS = {"one": 1, "single": 1, "a": 1, "two": 2, "dual": 2, "pair": 2, "three": 3, "four": 4, "quad": 4}
_NUMBER_WORDS |= {"five": 5, "six": 6, "eight": 8}
# "2x 24gb", "two 24gb cards", "dual 16gb gpus", "4 x 80gb", "24gb x2": a count of GPUs of one memory size.
_COUNTED_SIZE = re.compile(
    rf"\b(?:x?(\d{{1,2}})x?|({'|'.join(_NUMBER_WORDS)}))\s+(\d+(?:\.\d+)?)gb\b|\b(\d+(?:\.\d+)?)gb\s+x(\d{{1,2}})\b"
)
# "2 gpus each having 40 gb", "8 gpu card with 12 GB memory", "4x GPUs with 16GB each", "3 cards 16gb each", "4 GPUs
# w/ 24GB": the count, then each one's size.
_COUNT_THEN_SIZE = re.compile(
    rf"\b(?:x?(\d{{1,2}})x?|({'|'.join(_NUMBER_WORDS)}))\s+(?:graphics\s+)?(?:gpus?|cards?|gpu\s+cards?)\s+"
    r"(?:each\s+)?(?:(?:having|with|of|has|have|w)\s+)?(?:about\s+|around\s+)?(\d+(?:\.\d+)?)gb\b"
)
_COUNT_WORD = re.compile(rf"^(?:x?(\d{{1,2}})x?|({'|'.join(_NUMBER_WORDS)}))$")


def count_word(word: str) -> int | None:
    """ "2x", "x8", "two", "dual" -> how many; None for any other word."""
    m = _COUNT_WORD.match(word)
    if m is None:
        return None
    return int(m.group(1)) if m.group(1) else _NUMBER_WORDS[m.group(2)]


# "3090 + 3060", "a 4090+3090", "rtx 3090 + rtx 3060 12gb": a "+" between two names with numbers (not "Colab+").
# Every quantifier is bounded (a name is short), so the search is linear in the text whatever its runs of digits.
_PLUS_JOIN = re.compile(r"\d\w{0,12}\s{0,3}\+\s{0,3}(?:[a-z]{1,12}\s{1,3}){0,2}[a-z]{0,12}\d", re.IGNORECASE)


def joined_by_plus(text: str) -> bool:
    """Whether ``text`` (as written) joins two card names with a "+": "a 3090 + a 3060"."""
    return "+" in text and _PLUS_JOIN.search(text) is not None


def counted_size(norm: str) -> tuple[int, float] | None:
    """ "2x 24gb", "2 gpus each having 40gb" -> (2, 24.0): how many GPUs, and the memory of each; None without a count
    before a size."""
    for m in _COUNTED_SIZE.finditer(norm):
        digits, word, size, size_after, count_after = m.groups()
        count = int(digits or count_after) if (digits or count_after) else _NUMBER_WORDS[word]
        gb = float(size or size_after)
        if 1 < count <= 64 and gb > 0:
            return count, gb
    for m in _COUNT_THEN_SIZE.finditer(norm):  # "2 gpus each having 40gb"
        count = int(m.group(1)) if m.group(1) else _NUMBER_WORDS[m.group(2)]
        if 1 < count <= 64 and float(m.group(3)) > 0:
            return count, float(m.group(3))
    return None


class Dimensions:
    """The numeric patterns, compiled once from the lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._budget_re = self._budget_pattern()
        self._range_re = self._range_pattern()
        self._limit_res = self._limit_patterns()
        # Words one of which every budget has (a "$", a bound word, a currency, "budget"): a question with none
        # skips the long budget pattern, which most questions do.
        money = [p for p in lexicon.currencies.meaning if p != "$"]
        self._budget_cues = ("$", *_BUDGET_WORDS, *money)
        # The same test in one search: any cue anywhere (a plain alternation of literals, so a search skips ahead).
        self._cued = re.compile("|".join(re.escape(c) for c in sorted(self._budget_cues, key=len, reverse=True)))

    def _budget_pattern(self) -> re.Pattern[str]:
        # Each alternative holds "$", a currency, "budget" or one of _BUDGET_WORDS (kept in step with them). A number
        # the pattern starts with starts after a non-digit: tried inside a run of digits, it failed from each digit
        # (quadratic: "eur 111...1" took 380 ms), and a match found there is found from the run's first digit.
        money = "|".join(
            re.escape(p) for p in sorted(self.lexicon.currencies.meaning, key=len, reverse=True) if p != "$"
        )
        return re.compile(
            r"(?:(?:under|below|less than|cheaper than|max|maximum|budget(?: of| is)?(?: around| about| roughly)?|"
            r"up to|within|at most|<|for|"
            r"around|about|no more than|for less than)\s*)?\$\s?(\d+(?:\.\d+)?)\s*(k)?"
            r"|(?:under|below|less than|cheaper than|budget(?: of| is)?(?: around| about| roughly)?|up to|within|"
            r"at most|no more than|"
            r"(?<!gpu )(?<!intel )max)\s+"  # not "Intel Data Center GPU Max 1100"
            rf"(\d+(?:\.\d+)?)\s*(k)?\b{_NOT_A_PRICE_UNIT}"
            rf"\s*(?:{money})?|(?<!\d)(\d+(?:\.\d+)?)\s*(k)?\s*(?:{money})\b"
            r"|(?<!\d)(\d+(?:\.\d+)?)\s*(k)?\s+budget"
            # "i have 5k to spend", "willing to spend 2000 on a gpu", "spending around 800"
            r"|(?<!\d)(\d+(?:\.\d+)?)\s*(k)?\s+to spend\b"
            r"|\bspend(?:ing)?\s+(?:up to\s+|around\s+|about\s+|roughly\s+|maybe\s+)?(\d+(?:\.\d+)?)\s*(k)?\b"
            rf"{_NOT_A_PRICE_UNIT}(?!\s*(?:hours?|hrs?|days?|weeks?|months?|years?|minutes?|mins?|seconds?)\b)"
        )

    def _range_pattern(self) -> re.Pattern[str]:
        money = "|".join(re.escape(p) for p in self.lexicon.currencies.meaning if p != "$")
        amount = r"(\d+(?:\.\d+)?)\s*(k)?"
        return re.compile(
            rf"(?:between\s+)?\$\s?{amount}\s+(?:to|and)\s+\$?\s?{amount}"
            rf"|(?:between\s+)?(?<!\d){amount}\s+(?:to|and)\s+{amount}\s*(?:{money}|budget)\b"
        )

    def _limit_patterns(self) -> tuple[tuple[str, str, re.Pattern[str]], ...]:
        at_least = "|".join(re.escape(p) for p in self.lexicon.bounds["at_least"].meaning)
        at_most = "|".join(re.escape(p) for p in self.lexicon.bounds["at_most"].meaning)
        least, most = rf"(?:{at_least}|>=?)", rf"(?:{at_most}|<=?)"
        memory_min = re.compile(
            # "24gb or more", "16gb+", "16gb plus" (not "a 4060 ti 16gb plus a 3060": another card)
            rf"\b{least}\s*(\d+(?:\.\d+)?)gb\b"
            r"|\b(\d+(?:\.\d+)?)gb\s*(?:or more|(?:plus|\+)(?!\s*(?:a|an|one|my|another|\d)\b)|min|minimum)"
            r"|\b(\d+(?:\.\d+)?)gb\s+(?:of\s+)?(?:vram\s+)?(?:card|cards|gpu|gpus|accelerator|accelerators)\b"
            # "the cheapest way to get 96gb vram", "cards with 48gb of vram" (not "v100 pcie 16gb vram": a name)
            r"|\b(?:get|with|need|needs|want|wants)\s+(?:a\s+|an\s+)?(\d+(?:\.\d+)?)gb\s+(?:of\s+)?"
            r"(?:vram|video memory|gpu memory)\b"
        )
        return (
            ("memory_gb", "min", memory_min),
            ("memory_gb", "max", re.compile(rf"\b{most}\s*(\d+(?:\.\d+)?)gb\b")),
            # "under 300w", and "300w max", "300 w or less", "300w tops" (the bound after the figure)
            (
                "tdp_w",
                "max",
                re.compile(
                    rf"\b{most}\s*(\d+)\s*(?:w|watts?)\b"
                    r"|\b(\d+)\s*(?:w|watts?)\s+(?:max|maximum|or less|or lower|tops|at most|limit)\b"
                ),
            ),
            ("tdp_w", "min", re.compile(r"\b(?:at least|over|more than|above)\s*(\d+)\s*(?:w|watts?)\b")),
        )

    def limits(self, norm: str) -> tuple[dict[str, dict[str, float]], str]:
        """Numeric constraints ("at least 24gb", "under 200w") and the text with them blanked out."""
        found: dict[str, dict[str, float]] = {}
        hints = {"memory_gb": "gb" in norm, "tdp_w": _WATTS_HINT.search(norm) is not None}  # what each limit needs
        if not (hints["memory_gb"] or hints["tdp_w"]):
            return found, norm
        for key, bound, pattern in self._limit_res:
            m = pattern.search(norm) if hints[key] else None
            if m:
                value = next(g for g in m.groups() if g)
                found.setdefault(key, {})[bound] = float(value)
                norm = norm[: m.start()] + " " + norm[m.end() :]
        return found, norm

    def budget(self, norm: str) -> tuple[float | None, str]:
        """The budget (as a number; a range gives its top), and the text with the budget phrase blanked out."""
        if not _DIGIT.search(norm):
            return None, norm  # every budget has a number
        r = self._range_re.search(norm) if _RANGE_HINT.search(norm) else None  # "to" or "and" between numbers
        if r is not None:
            _, low_k, high, high_k = _range(r)
            amount = float(high) * (1000 if high_k or (low_k and float(high) < 50) else 1)
            if amount >= 50:
                return amount, norm[: r.start()] + " " + norm[r.end() :]
        cued = self._cued.search(norm) is not None  # any(cue in norm for cue in self._budget_cues)
        m = (
            next((m for m in self._budget_re.finditer(norm) if not self._price_stated(norm, m.start())), None)
            if cued
            else None
        )
        if not m:
            return None, norm
        groups = m.groups()
        for value, kilo in zip(groups[0::2], groups[1::2], strict=True):
            if value:
                amount = float(value) * (1000 if kilo else 1)
                if amount < 50:  # "$5" is not a GPU budget; "1.5k" is.
                    return None, norm
                return amount, norm[: m.start()] + " " + norm[m.end() :]
        return None, norm

    def _price_stated(self, norm: str, start: int) -> bool:
        """An amount a card costs ("the 3090 costs $1300", "msrp $1599"), not a budget: a price word just before."""
        return self.lexicon.words["price_stated"].found(
            " ".join(norm[:start].rsplit(None, 2)[-2:])
        )  # the last two words, not all

    def budget_currency(self, norm: str) -> str | None:
        hit = self.lexicon.currencies.first(norm)
        return hit.value if hit is not None else None


def _range(m: re.Match[str]) -> tuple[str, str | None, str, str | None]:
    """(low, its k, high, its k) of a matched budget range, whichever alternative matched."""
    groups = m.groups()
    first = groups[:4] if groups[0] is not None else groups[4:]
    return first[0] or "0", first[1], first[2] or "0", first[3]


def context_tokens(norm: str) -> int | None:
    m = _CONTEXT_RE.search(norm)
    if not m:
        return None
    value, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    return int(float(value) * _CONTEXT_UNIT.get(unit or "", 1))


# "batch size 4", "bs 8", "micro batch 2", "per device train batch size 8", "batch of 16": the (micro-)batch.
_BATCH_RE = re.compile(
    r"\b(?:micro batch size|micro batch|batch size|batch|bs)\s+(?:of\s+)?(\d{1,3})\b(?!\s*(?:gb|k\b|tokens))"
)


def batch_size(norm: str) -> int | None:
    """The batch (per GPU, for training the micro-batch) a question states, or None."""
    m = _BATCH_RE.search(norm)
    return max(1, int(m.group(1))) if m else None


# -- counts of GPUs -------------------------------------------------------------------------


# "(2 GPUs)", "a 4-GPU setup", "an 8 card rig": the count said apart from the name.
_GPUS_STATED = re.compile(
    r"\b(\d{1,2})\s*(?:x\s*)?(?:gpus|cards|(?:gpu|card)\s+(?:setup|rig|server|machine|node|box|system|build|config))\b"
)


def first_count(match: MatchResult) -> int:
    """ "2x 3090", "two a6000s", "8 h100 sxm", "a6000 x2": how many of the first GPU."""
    for mention in match.mentions[:1]:
        in_nodes = _in_nodes(match.words, mention) if not _NODES.isdisjoint(match.words) else None
        before = in_nodes or _count_before(match.words, mention.start)  # "three a100 nodes": 24
        after = count_word(match.words[mention.end]) if mention.end < len(match.words) else None
        value = before if before is not None else after
        if value is not None:
            return max(1, min(64, value))
    stated = _GPUS_STATED.search(" ".join(match.words))  # "... on A800 (2 GPUs)": the count said elsewhere
    return max(1, min(64, int(stated.group(1)))) if stated and _one_card(match) else 1


_GLUED_AFTER = re.compile(r"x\d{1,2}")  # "a6000 x2": the count after the name


def _one_card(match: MatchResult) -> bool:
    """One card named, resolved or not yet ("on A800 (2 GPUs)": an A800 whichever it is), so a stated count is its."""
    named = {m.gpu or " ".join(sorted(m.candidates)) for m in match.mentions if m.gpu or m.ambiguous}
    return len(named) == 1


def gpu_counts(match: MatchResult) -> dict[str, int]:
    """How many of each GPU named, when more than one: "two 3090s", "2x a6000", "a6000 x2"."""
    counts: dict[str, int] = {}
    nodes = not _NODES.isdisjoint(match.words)  # without "node(s)", no GPU is counted in nodes (most questions)
    for mention in match.mentions:
        if mention.gpu is None:
            continue
        value = _mention_count(match, mention, nodes)
        if value > 1:
            counts[mention.gpu] = value
    return counts


def mention_count(match: MatchResult, mention: GpuMention) -> int:
    """How many of the card one mention names ("2x 3060", "3060 x2"), resolved or not; 1 when none is said."""
    return _mention_count(match, mention, not _NODES.isdisjoint(match.words))


def _mention_count(match: MatchResult, mention: GpuMention, nodes: bool) -> int:
    after = match.words[mention.end] if mention.end < len(match.words) else ""
    glued = count_word(after) if _GLUED_AFTER.fullmatch(after) else None
    in_nodes = _in_nodes(match.words, mention) if nodes else None
    return min(64, in_nodes or _count_before(match.words, mention.start) or glued or 1)


def _count_before(words: list[str], start: int) -> int | None:
    """A count just before a GPU name, over words that only describe it: "4 gpu mi50", "2x 24gb titan rtx"."""
    for k in range(start - 1, max(-1, start - 4), -1):
        word = words[k]
        value = count_word(word)
        if value is not None:
            # "these three: a6000, l40, 6000 ada" lists three cards; it does not count A6000s.
            return None if k and words[k - 1] in _LIST_LEADS else value
        if word not in _COUNTED_WORDS and not _SIZE_RE.fullmatch(word):
            return None
    return None


# Words before a number word that make it the length of a list, not a count of one card.
_LIST_LEADS = frozenset(["these", "those", "the", "all", "of", "between"])

# Words between a count and the GPU it counts ("4 gpu mi50", "2 x the 3090").
_COUNTED_WORDS = frozenset(
    ["gpu", "gpus", "card", "cards", "of", "the", "x", "nvidia", "amd", "used", "new", "refurbished", "secondhand"]
)  # "two used 3090s", "2 new 4090s"


# -- nodes of GPUs ------------------------------------------------------------------------
# "three A100 nodes", "2 nodes of H100s", "four A100 nodes, each with 8 80GB GPUs": the GPUs in them, not the nodes. A
# node is one server; unless the question says how many GPUs it holds ("each with 4 gpus", "8 gpus per node", "nodes
# of 4x a100"), it holds GPUS_PER_NODE (the eight-GPU HGX/DGX baseboard data-centre GPUs ship on).

GPUS_PER_NODE = 8
_NODES = frozenset(["node", "nodes"])
_NODE_FILLERS = frozenset(["the", "of", "with", "gpu", "gpus", "x"])
# "each with 8 gpus", "each with 8 80gb gpus", "8 gpus per node", "8 gpus each", "with 8 gpus in each"
_PER_NODE = re.compile(
    r"\beach (?:with|has|having|of) (\d{1,2})\b|\b(\d{1,2}) (?:\d+gb )?(?:gpus|cards) (?:per node|each|in each)\b"
)


def _in_nodes(words: Sequence[str], m: GpuMention) -> int | None:
    """The GPUs in the nodes mention ``m`` is named in ("three a100 nodes": 24), or None when it is in none."""
    before = _nodes_before(words, m.start)
    nodes = before if before is not None else _nodes_around(words, m)
    if nodes is None:
        return None
    per = _PER_NODE.search(" ".join(words[m.end : m.end + 12]))
    if per is not None:
        each = int(per.group(1) or per.group(2))
    else:  # "2 nodes of 4x a100": the count before the name is per node
        each = (_count_word_before(words, m.start) if before is not None else None) or GPUS_PER_NODE
    return min(64, nodes * each)


def _nodes_around(words: Sequence[str], m: GpuMention) -> int | None:
    """ "three a100 nodes": a count before the name and "nodes" right after it."""
    if m.end >= len(words) or words[m.end] not in _NODES:
        return None
    k = m.start - 1
    while k >= 0 and words[k] in _NODE_FILLERS:
        k -= 1
    return count_word(words[k]) if k >= 0 else None  # "a node of h100s": one node


def _nodes_before(words: Sequence[str], start: int) -> int | None:
    """ "2 nodes of 8x h100", "two nodes with a100s": a count and "nodes" a few words before the name."""
    for k in range(start - 1, max(-1, start - 5), -1):
        if words[k] in _NODES and k:
            return count_word(words[k - 1])
    return None


def _count_word_before(words: Sequence[str], start: int) -> int | None:
    """ "nodes of 4x a100": the GPUs per node, said just before the name."""
    if start and words[start - 1] not in _NODES:
        value = count_word(words[start - 1])
        return value if words[start - 1] not in ("a", "one") else None
    return None
