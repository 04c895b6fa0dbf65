"""The matcher's vocabulary: words that never tell GPUs apart, stop words, variant qualifiers and the
spellings folded before matching, plus the small word helpers both the index and the scan use.

Data, not decisions: :mod:`bot.matcher` reads these to find GPU names in a question.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

from bot.text import normalize, split_alnum

__all__ = [
    "A_PREFIXES",
    "BRAND_WORDS",
    "CANON",
    "LAPTOP_AFTER_LINKS",
    "LAPTOP_LINKS",
    "MAX_WINDOW",
    "MEMORY",
    "MODELISH",
    "MODEL_SIZE",
    "NOT_ANCHORS",
    "NOT_MODEL_SUFFIX",
    "NUMBER",
    "OPTIONAL_WORDS",
    "PLURAL_CUES",
    "SERIES_WORDS",
    "STOPWORDS",
    "UNNAMED_VARIANTS",
    "VARIANT_QUALIFIERS",
    "canon_words",
    "glued_word",
    "is_qualifier",
    "model_like",
    "model_number",
    "one_slip",
    "subtokens",
]

#: Words that never distinguish one GPU from another.
OPTIONAL_WORDS = frozenset(
    [
        "nvidia",
        "geforce",
        "amd",
        "intel",
        "radeon",
        "tesla",
        "gpu",
        "gpus",
        "graphics",
        "card",
        "cards",
        "generation",
        "edition",
        "workstation",
        "rtx",
        "gtx",  # "gtx 4090", "gtx 3060": the brand misremembered, the number still names the card
        "founders",
        "fe",
        "the",
    ]
)
#: Words that separate mentions and never start one.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "vs",
        "versus",
        "v",
        "vs.",
        "with",
        "without",
        "for",
        "on",
        "in",
        "of",
        "to",
        "from",
        "than",
        "is",
        "are",
        "was",
        "be",
        "it",
        "its",
        "my",
        "i",
        "me",
        "what",
        "whats",
        "which",
        "how",
        "much",
        "many",
        "does",
        "do",
        "can",
        "could",
        "should",
        "would",
        "will",
        "about",
        "between",
        "compare",
        "comparison",
        "difference",
        "differences",
        "better",
        "best",
        "worse",
        "good",
        "get",
        "buy",
        "pick",
        "choose",
        "specs",
        "spec",
        "specifications",
        "sheet",
        "full",
        "all",
        "key",
        "info",
        "information",
        "details",
        "detail",
        "tell",
        "show",
        "give",
        "please",
        "us",
        "vram",
        "memory",
        "bandwidth",
        "power",
        "price",
        "cost",
        "tdp",
        "cores",
    ]
)
#: Suffixes that make a different product: a name that differs only by one of these is not a match.
#: (Not "a", "max" or "s": "is the 4090 a good card", "a4000 max power" and "the A4000's" are English.)
VARIANT_QUALIFIERS = frozenset(["ti", "super", "xt", "xtx", "x", "d", "q", "sff", "gre", "le", "ada", "laptop"])
#: Words in GPU names that are too common in questions to name a GPU on their own.
NOT_ANCHORS = frozenset(
    [
        *("super", "ultra", "active", "passive", "embedded", "mobile", "edition", "server", "blackwell"),
        *("data", "center", "flex", "spark"),  # "data center gpus", "flex attention", "apache spark"
        "laptop",  # "best gpu for a laptop"
    ]
)
#: Platform/variant spellings folded before matching (applies to names and to questions alike).
CANON = {
    "sxm2": "sxm",
    "sxm3": "sxm",
    "sxm4": "sxm",
    "sxm5": "sxm",
    "sxm6": "sxm",
    "pci": "pcie",
    "pcie4": "pcie",
    "pcie5": "pcie",
    "maxq": "max q",
    "gen": "generation",
    # A laptop GPU shares its number with a different desktop card: "4070 mobile" is the 4070 Laptop GPU.
    "mobile": "laptop",
    "notebook": "laptop",
}
NUMBER = re.compile(r"^\d+$")
MEMORY = re.compile(r"^\d+(?:\.\d+)?(?:gb|tb)$")
#: Words that look like a model name: letters+digits with at most a short suffix; excludes
#: sizes and units like 70b, 32k, 1440p, 300w.
MODELISH = re.compile(r"^(?:[a-z]{1,5})?\d{2,5}(?:[a-z]{1,3})?$")
NOT_MODEL_SUFFIX = re.compile(r"\d(?:b|m|k|p|w|mm|cm|nm|mhz|ghz|hz|fps|gb|tb|ms|s|x|th|st|nd|rd)$")
MAX_WINDOW = 7  # "NVIDIA GeForce RTX 3070 Ti Laptop GPU"
#: Words before a lone "a" that make it part of a name ("rtx a 4000"), not the article.
A_PREFIXES = frozenset(["rtx", "nvidia", "quadro"])
#: Words before "4080s" that make it a plural rather than the 4080 SUPER.
PLURAL_CUES = (
    frozenset(
        [
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "dual",
            "quad",
            "multiple",
            "several",
            "both",
            "all",
            "some",
            "few",
            "many",
            "those",
            "these",
            "more",
        ]
    )
    | frozenset(str(n) for n in range(2, 65))
    | frozenset(f"{n}x" for n in range(2, 65))
)


def is_qualifier(word: str) -> bool:
    """ "ti", "super", "laptop" (or "mobile") after a name: another product than the name alone."""
    return CANON.get(word, word) in VARIANT_QUALIFIERS


def canon_words(words: Iterable[str]) -> list[str]:
    out: list[str] = []
    for w in words:
        out.extend(CANON.get(w, w).split())
    return out


def subtokens(words: Iterable[str]) -> list[str]:
    out: list[str] = []
    for w in words:
        out.extend(_word_subtokens(w))
    return out


@functools.lru_cache(maxsize=8192)
def _word_subtokens(word: str) -> tuple[str, ...]:
    """One word's canonical pieces ("a6000" -> "a", "6000"); words repeat across questions, so memoised."""
    out: list[str] = []
    for w in canon_words([word]):
        out.extend(canon_words(split_alnum(w)))
    return tuple(out)


#: Words between a laptop word and the GPU it has: "a laptop with an rtx 4070", "gaming laptop w a 4060".
LAPTOP_LINKS = frozenset(["with", "w", "a", "an", "the", "its", "gpu", "nvidia", "geforce"])
#: Words between a GPU and the laptop it is in: "the 4060 on my laptop", "a 3070 in the laptop".
LAPTOP_AFTER_LINKS = frozenset(["on", "in", "inside", "the", "my", "a", "an", "this", "our", "your", "gpu"])
#: Brand words that make a short number a card's model number ("gtx 980", "rtx 980"), though they never tell
#: one catalog card from another ("gtx 4090" is the RTX 4090).
BRAND_WORDS = frozenset(["gtx", "rtx"])
#: Product-series words: a partial name right after one of these must contain it ("rx 580" is not the Arc A580).
SERIES_WORDS = frozenset(["rx", "gtx", "rtx", "arc", "quadro", "tesla", "titan", "instinct", "radeon", "geforce"])
#: Variants a partial name never means unless it says so: "3060" is not the 3060 Ti or the Laptop GPU.
UNNAMED_VARIANTS = frozenset(["laptop", "ti", "super", "xt", "xtx", "gre", "d", "le", "sff"])
#: A model's size in parameters ("7b", "200b", "1.5b"): never part of a GPU's name.
MODEL_SIZE = re.compile(r"^\d+(?:\.\d+)?b$")


# Words of a name that are not its model number ("rtx", "geforce"...).
_SERIES_PARTS = frozenset(
    ["nvidia", "geforce", "rtx", "gtx", "quadro", "tesla", "amd", "radeon", "rx", "pro", "instinct", "intel", "arc"]
)


def model_number(name: str) -> str:
    """ "RTX A6000" -> "a6000", "rx 7800" -> "7800", "Radeon RX 7800 XT" -> "7800xt"."""
    return "".join(p for w in normalize(name).split() for p in split_alnum(w) if p not in _SERIES_PARTS)


def one_slip(a: str, b: str) -> bool:
    """``b`` is ``a`` with one character added or dropped, or two neighbours swapped (not one changed)."""
    if abs(len(a) - len(b)) == 1:
        short, long_ = sorted((a, b), key=len)
        return any(long_[:k] + long_[k + 1 :] == short for k in range(len(long_)))
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    return False


def model_like(word: str, window_ok: Callable[[], bool]) -> bool:
    """A word shaped like a model number ("rtx980", "m40") that no catalog name matched: an unknown card. Not a
    year nor a size ("2024", "70b"); a glued brand word ("gtx980") makes even a short number a card."""
    is_year = word.isdigit() and 1990 <= int(word) <= 2039
    if not MODELISH.match(word) or NOT_MODEL_SUFFIX.search(word) or is_year:
        return False
    return bool(BRAND_WORDS.intersection(subtokens([word]))) or window_ok()


@functools.lru_cache(maxsize=8192)
def glued_word(word: str) -> str:
    """A word's canonical spelling, glued: "sxm4" -> "sxm", "mobile" -> "laptop"."""
    return "".join(canon_words([word]))
