"""Text normalisation shared by the catalog, the matcher and the question parser.

Everything people type goes through :func:`normalize` first: full-width and other compatibility
characters fold to ASCII (NFKC), zero-width and other format characters disappear, case folds,
and punctuation becomes spaces, so ``ＲＴＸ－Ａ４０００``, ``rtx\u200ba4000`` and ``RTX-A4000`` all read
``rtx a4000``.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["compact", "normalize", "split_alnum", "tokens"]

#: Longest question we look at; anything past it is ignored (Discord caps messages at 4000 anyway).
MAX_QUESTION_CHARS = 2000

_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−﹣－"), "-")
# Currency symbols other than $ become words before punctuation is dropped: "1500€" -> "1500 eur".
_CURRENCY_SIGNS = {ord("€"): " eur ", ord("£"): " gbp ", ord("¥"): " jpy ", ord("₹"): " inr "}
# Runs of characters other than letters, digits, "$" and "." become one space. A run that is a single space is left
# as it is (replacing it changes nothing): the pattern skips those, so most words cost no replacement.
_NON_WORD = re.compile(r"[^a-z0-9$.]{2,}|[^a-z0-9$. ]")
_DIGIT = re.compile(r"\d")
# A dot that is not between two digits ("\.(?!\d)|(?<!\d)\."), written to start with the dot so a search skips ahead.
_LONE_DOT = re.compile(r"\.(?!(?<=\d\.)\d)")
_SPACES = re.compile(r"\s+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_POSSESSIVE = re.compile(r"(?<=[a-z0-9])['’]s\b")
_ALNUM_BOUNDARY = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")
# "24 gb", "24gb", "24-gb" -> "24gb"; also tb and gib.
_SIZE = re.compile(r"(\d(?<!\w\d)\d*(?:\.\d+)?)\s*(gb|gib|tb)\b")
# How people write memory sizes: "24G", "16 gigs", "12 gig", "48 gigabytes" (not GCP's "a2-highgpu-8g").
_LOOSE_SIZE = re.compile(r"(\d(?<!\w\d)(?<!gpu \d)\d{0,2}(?:\.\d+)?)\s*(?:g|gig|gigs|gigabytes?|gbs|gbytes)\b")
# "2x24GB", "4x3090": a count glued to what it counts; "2 x 3090": the same, spaced.
# (not Mixtral's "8x7b", nor cloud sizes such as "g5.12xlarge")
_GLUED_COUNT = re.compile(r"(\d(?<!\w\d)\d?)\s*x\s*(?!\d+(?:\.\d+)?b\b|large\b|l\b)(?=\d|[a-z])")
# "4060ti16g", "4080super16gb": a memory size glued to the card's name.
_GLUED_SIZE = re.compile(r"(?<=\d)(ti|super|xtx|xt|ada)(\d{1,3}(?:gb|g))\b")
# "7b*8", "7b x 8": a mixture of experts written size first -> "8x7b".
_EXPERTS_REVERSED = re.compile(r"\b(\d{1,3})b\s*[*x×]\s*(\d{1,2})\b")
# "help me choose: 1. rtx 3060 ... 2. rtx 4060 ti": the numbers of a list, not counts of cards. A list starts with
# "1." or "1)" (at the start, on a new line, or after ":" or ";"); then every "2.", "3)"... is a mark. Without one,
# only a mark after ")" or "]" or a new line, or an "N)", is ("(342 usd) 2. rtx 4060 ti").
_LIST_START = re.compile(r"(?:^|(?<=[\n:;]))\s*1[.)]\s+(?=[a-z0-9])")
_LIST_ITEM = re.compile(r"(?:^|(?<=\s))\d{1,2}[.)]\s+(?=[a-z0-9])")
# What the size and count patterns need (a digit, then "g"/"t", or "x"): tests that start with a digit, so fast.
_SIZE_HINT = re.compile(r"\d\s*[gt]")
_COUNT_HINT = re.compile(r"\d\s*x")
# What a product of counts ("3*8*a100") and experts written size first ("7b*8") both have: a digit, then "*" or "x".
_PRODUCT_HINT = re.compile(r"\db?\s*[*x×]")
# What every list mark has, a digit before "." or ")": the rare character first, so a search skips ahead.
_LIST_HINT = re.compile(r"[.)](?<=\d.)")
_LIST_MARK = re.compile(r"(?:(?:^|(?<=[\n:;)\]]))\s*\d{1,2}[.)]|(?<=\s)\d{1,2}\))\s+(?=[a-z0-9])")
# "3*8*A100", "2x8xH100": nodes times GPUs per node, written as a product before the name -> "24x a100".
_COUNT_PRODUCT = re.compile(r"\b(\d{1,2})\s*[*x×]\s*(\d{1,2})\s*[*x×]\s*(?=[a-z])")
_COUNT_AFTER = re.compile(r"\bx\s+(\d{1,2})\b")  # "a6000 x 2" -> "a6000 x2"
# "2 * A100", "2*4090": a count times a name, the "*" written for "x" (before punctuation drops it).
_STAR_COUNT = re.compile(r"(?<![\w.])(\d{1,2})\s*\*\s*(?=[a-z])")
# "2 16gb a4000", "2 24gb rtx 3090": a small count before a size before a name with a number -> "2x 16gb a4000" (not
# a name's number, "3060 12gb", nor a list of sizes, "8/10 gb vram").
_COUNT_BEFORE_SIZE = re.compile(r"(?<![\w.])([2-8]) (?=\d{1,3}(?:\.\d+)?gb (?:[a-z]+ )?[a-z]*\d)")
# Bits per weight ("4.65 bpw", "4.0bpw", "4.65 bits per weight", "3.5 bit"): its whole bits, "4 bpw" (the lexicon's
# precisions read "N bpw" as the N-bit quantisation nearest it). Written to start with the digit.
_BPW = re.compile(r"(\d)(?<!\w\d)(?:\.\d+\s*(?:bpw|bits? per weight|bits?)|\s*(?:bpw|bits? per weight))\b")
# A time per step ("100 s/it", "1.41s/it", "3 sec/img") is seconds, never the "s" of a card's name ("100 s" read as
# the V100S): the unit becomes "sec". Only before a slash and a step word, so "2 3090s per node" keeps its plural.
_PER_STEP = re.compile(r"(\d)\s*(?:s|secs?)\s*/\s*(?=(?:it|its|iters?|iterations?|steps?|img|images?|frames?)\b)")
# "$1800-2200", "1.5-2k": a range of numbers, before the dash becomes a space (not "llama-3-70b", "2060-12gb").
# Patterns that would start with "\b" before a digit start with the digit instead, the word boundary checked
# behind it ("(?<!\w\d)"): a pattern that starts with a digit lets the search skip ahead (the same matches).
_RANGE = re.compile(r"(\$\s?\d[\d.]*k?|\d(?<!\w\d)\d{2,}(?:\.\d+)?k?)\s*[-–—~]\s*(?=\$?\s?\d+(?:\.\d+)?k?\b)")
# A range of memory sizes ("10-12 gigabyte gpus", "8-12gb") reads "10 to 12gb", never a count of cards ("10 12gb").
_SIZE_RANGE = re.compile(r"(?<![\w.])(\d{1,3})\s*[-–—~]\s*(?=\d{1,3}(?:\.\d+)?\s*(?:gb|gig|gib|g\b))")


def _strip_format_chars(text: str) -> str:
    # Cf = format characters: zero-width space/joiners, BOM, bidi controls, soft hyphen. None is ASCII: only the runs
    # of other characters are looked at, character by character.
    return _NON_ASCII_RUN.sub(_without_format_chars, text)


def _without_format_chars(run: re.Match[str]) -> str:
    return "".join(ch for ch in run.group() if unicodedata.category(ch) != "Cf")


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


# What the range and possessive patterns need: a pattern is skipped without it (one search, not a test per character).
_DASH = re.compile("[-–—~]")
_APOSTROPHE = re.compile("['’]")


def normalize(text: str) -> str:
    """Fold ``text`` to lowercase ASCII-ish words separated by single spaces.

    Keeps ``$`` and decimal points because prices ("$1,500") and versions ("8.6") need them;
    every other punctuation mark becomes a space.
    """
    text = text[:MAX_QUESTION_CHARS]
    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKC", text)
        text = _strip_format_chars(text).translate(_DASHES).translate(_CURRENCY_SIGNS).casefold()
    digits = _DIGIT.search(text) is not None
    if digits:
        if "," in text:  # thousands separators: "10,752" -> "10752" (not "24g,it")
            text = _THOUSANDS.sub("", text)
        if _PRODUCT_HINT.search(text) is not None:  # products of counts, experts written size first
            text = _COUNT_PRODUCT.sub(lambda m: f"{int(m.group(1)) * int(m.group(2))}x ", text)
            text = _EXPERTS_REVERSED.sub(r"\2x\1b", text)  # "7b*8" -> "8x7b"
            text = _STAR_COUNT.sub(r"\1x ", text) if "*" in text else text  # "2 * a100" -> "2x a100"
        if _DASH.search(text) is not None:
            text = _SIZE_RANGE.sub(r"\1 to ", _RANGE.sub(r"\1 to ", text))
        if "b" in text:  # bits per weight: "4.65 bpw" -> "4 bpw"
            text = _BPW.sub(r"\1 bpw", text)
        if "/" in text:  # a time per step: "100 s/it" is seconds, not a V100S
            text = _PER_STEP.sub(r"\1 sec ", text)
        if _LIST_HINT.search(text) is not None:  # a list mark is a number and "." or ")"
            text = (_LIST_ITEM if _LIST_START.search(text) else _LIST_MARK).sub(" ", text)
    # "the A4000's memory" -> "the a4000 memory"
    text = _POSSESSIVE.sub("", text) if _APOSTROPHE.search(text) is not None else text
    text = _NON_WORD.sub(" ", text)
    # A trailing full stop is punctuation, a dot between digits is a decimal point.
    text = _LONE_DOT.sub(" ", text) if "." in text else text
    if digits:  # sizes and counts are numbers: a question without digits has none
        if _SIZE_HINT.search(text) is not None:  # every size has a digit, then "g" or "t"
            text = _GLUED_SIZE.sub(r"\1 \2", text)
            text = _LOOSE_SIZE.sub(r"\1gb", text)
            text = _SIZE.sub(lambda m: m.group(1) + ("gb" if m.group(2) == "gib" else m.group(2)), text)
            text = _COUNT_BEFORE_SIZE.sub(r"\1x ", text)  # "2 16gb a4000" -> "2x 16gb a4000"
        text = _GLUED_COUNT.sub(r"\1x ", text) if _COUNT_HINT.search(text) is not None else text
        text = _COUNT_AFTER.sub(r"x\1", text) if "x " in text else text
    return " ".join(text.split())  # only spaces are left: the same as collapsing \s+


def tokens(text: str) -> list[str]:
    """Normalised words of ``text``."""
    norm = normalize(text)
    return norm.split(" ") if norm else []


def split_alnum(token: str) -> list[str]:
    """Split a word where letters meet digits: ``a6000`` -> ``a 6000``, ``mi300x`` -> ``mi 300 x``.

    Memory sizes stay whole (``24gb``), as do decimals (``8.6``).
    """
    if _SIZE.fullmatch(token) or re.fullmatch(r"\d+(?:\.\d+)?", token):
        return [token]
    return _ALNUM_BOUNDARY.sub(" ", token).split()


def compact(text: str) -> str:
    """Normalise and drop every space: ``RTX A4000`` and ``rtxa4000`` both give ``rtxa4000``."""
    return normalize(text).replace(" ", "")
