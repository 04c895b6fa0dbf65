"""Comparisons and fit counts as people write them in issue threads (our own phrasings).

- A claim that one named card is faster or better than another is a comparison, even under an issue's
  "Support for ..." title; a support question that names a library stays a support question.
- "3*8*A100", "2x8xH100": nodes times GPUs per node is the product, the number of GPUs.
"""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.text import normalize


def _request(engine: Engine, question: str) -> dict:  # type: ignore[type-arg]
    return engine.explain(question)["request"]  # type: ignore[no-any-return]


CLAIMS_UNDER_SUPPORT = [
    ("support for the a10g, is it faster than the t4?", ["a10g", "t4"]),
    ("Support for L4: is it really 2x faster than a T4?", ["l4", "t4"]),
    ("support of the 4090 -- is it better than the 3090 or not", ["rtx-4090", "rtx-3090"]),
    ("Add support for A10G. It is much quicker than T4 in my tests, right?", ["a10g", "t4"]),
]


@pytest.mark.parametrize(("question", "gpus"), CLAIMS_UNDER_SUPPORT)
def test_a_claim_between_named_cards_is_a_comparison(engine: Engine, question: str, gpus: list[str]) -> None:
    req = _request(engine, question)
    assert req["kind"] == "compare", req
    assert set(gpus) <= set(req["gpus"])


SUPPORT_STILL = [
    "support for pytorch on the 7900 xtx, is it slower than the 4090?",
    "flash attention is not supported on the t4",
]


@pytest.mark.parametrize("question", SUPPORT_STILL)
def test_a_named_library_keeps_a_support_question(engine: Engine, question: str) -> None:
    assert _request(engine, question)["kind"] == "software"


COUNT_PRODUCTS = [
    ("3*8*A100", "24x a100"),
    ("2x8xH100 80gb", "16x h100 80gb"),
    ("4 x 8 x h100", "32x h100"),
    ("2×4×l40s", "8x l40s"),
]


@pytest.mark.parametrize(("text", "norm"), COUNT_PRODUCTS)
def test_nodes_times_gpus_is_one_count(text: str, norm: str) -> None:
    assert normalize(text) == norm


NOT_PRODUCTS = ["2x24gb", "8x7b", "2x 8x7b", "4x3090", "3x 8 a100"]


@pytest.mark.parametrize("text", NOT_PRODUCTS)
def test_other_counts_are_left_alone(text: str) -> None:
    assert normalize(text) == normalize(text.replace("×", "x")) and "24x" not in normalize(text)


FIT_PRODUCTS = [
    ("can I fine tune llama 2 70b on 3*8*A100 80gb?", 24),
    ("is 2x8xH100 enough to full finetune llama 3 70b", 16),
    ("llama 3 70b on a 2 x 4 x a6000 cluster, will it fit?", 8),
]


@pytest.mark.parametrize(("question", "count"), FIT_PRODUCTS)
def test_a_fit_on_nodes_counts_every_gpu(engine: Engine, question: str, count: int) -> None:
    req = _request(engine, question)
    assert req["kind"] == "fit", req
    assert req["fit"]["gpus_count"] == count
