"""Speed-pass rewrites that must keep their readings: patterns restarted on their first digit, guards that skip a
search, a field phrase grown word by word."""

from __future__ import annotations

import pytest

from bot.catalog import load_catalog
from bot.evidence_vendor import vendor_asked
from bot.fields_match import FieldIndex
from bot.text import normalize


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("24 gb card", "24gb card"),
        ("a 12 gig card", "a 12gb card"),
        ("16 gigs of vram", "16gb of vram"),
        ("a2-highgpu-8g", "a2 highgpu 8g"),  # a cloud size, not a memory size
        ("x24 gb", "x24 gb"),  # no word boundary before the number: not a size
        ("2x24GB", "2x 24gb"),
        ("4x3090", "4x 3090"),
        ("8x7b mixtral", "8x7b mixtral"),
        ("a4x3090", "a4x3090"),  # glued to a word: no count
        ("$1800-2200 budget", "$1800 to 2200 budget"),
        ("1500-2000 usd", "1500 to 2000 usd"),
        ("a1500-2000 usd", "a1500 2000 usd"),
        ("llama-3-70b", "llama 3 70b"),
        ("rtx 2060-12gb", "rtx 2060 12gb"),
    ],
)
def test_sizes_counts_and_ranges_read_as_before(text: str, want: str) -> None:
    assert normalize(text) == want


@pytest.mark.parametrize(
    ("norm", "want"),
    [
        ("nvidia only please", "NVIDIA"),
        ("is a cuda card a must", "NVIDIA"),
        ("i want an amd gpu", "AMD"),
        ("does rocm work", "AMD"),
        ("a radeon card for llms", "AMD"),
        ("from intel", "Intel"),
        ("best card for 70b", None),
        ("cuda 12 on a p40", None),
        ("nvidiaonly", None),
    ],
)
def test_vendor_asked(norm: str, want: str | None) -> None:
    assert vendor_asked(norm) == want


def test_field_phrases_take_the_longest_free_run() -> None:
    index = FieldIndex(load_catalog().fields)
    phrases = sorted(index.phrases, key=lambda p: -p.count(" "))
    long = next(p for p in phrases if " " in p)
    words = long.split(" ")
    found = index.find(["the", *words, "please"])
    assert [f.text for f in found][:1] == [long]
    # the run stops at a word a GPU name holds: the phrase is not read across it
    blocked = index.find(["the", *words], skip=[(len(words), len(words) + 1)])
    assert all(f.end <= len(words) for f in blocked)
