"""Discord markup is removed before a question is read (bot/markup.py, pure text)."""

from __future__ import annotations

import pytest

from bot.markup import strip_markup


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<:a6000:123456789012345678> vram?", "  vram?"),
        ("<a:h100:123456789012345678>h100 vram", " h100 vram"),
        ("<@123456789012345678> <@!123456789012345678> a6k", "    a6k"),
        ("<@&123456789012345678> in <#123456789012345678>", "  in  "),
        ("see </faq:123456789012345678> at <t:1700000000:R>", "see   at  "),
        ("rtx <3 a6000 < 4090 > 3090", "rtx <3 a6000 < 4090 > 3090"),  # not markup: kept
        ("", ""),
    ],
)
def test_markup_is_replaced_by_a_space(raw: str, expected: str) -> None:
    assert strip_markup(raw) == expected
