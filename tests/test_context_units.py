"""Contexts are read with their units: k is 1,024 tokens, m and million 1,048,576 (the convention of model configs)."""

from __future__ import annotations

import pytest

from bot.dimensions import context_tokens
from bot.engine import Engine
from bot.text import normalize


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("llama 4 scout at 1M context on 8x h200", 1_048_576),
        ("qwen2.5 7b 1m token context", 1_048_576),
        ("a 2 million token context", 2_097_152),
        ("10M context window", 10_485_760),
        ("32k context", 32_768),
        ("context of 8192", 8_192),
        ("context 128k", 131_072),
    ],
)
def test_context_units(text: str, tokens: int) -> None:
    assert context_tokens(normalize(text)) == tokens


def test_a_million_token_context_reaches_the_fit_request() -> None:
    query = Engine.from_specs().parser.parse("can i run llama 4 scout with 1m context on 8x h200 with sglang")
    assert query.fit is not None and query.fit.context == 1_048_576
