"""Launch MSRPs are labelled; an operator's current prices replace them in advice, and say so."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalog import Catalog, CatalogError
from bot.engine import Engine
from bot.prices import load_prices
from bot.render import render_text


def test_launch_price_is_labelled_with_its_year(engine: Engine) -> None:
    answer = engine.ask("a6000 price")
    assert "$4,650 (launch MSRP, 2020)" in render_text(answer)


def test_current_prices_are_used_and_named(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "prices.yaml"
    path.write_text(
        "as_of: 2026-11-01\nprices:\n  rtx-a6000: {usd: 3999, source: https://example.com/a6000}\n  rtx-a4000: 899\n",
        encoding="utf-8",
    )
    engine = Engine(catalog, load_prices(path, catalog))
    card = engine.ask("a6000 price")
    assert "$4,650 (launch MSRP, 2020)" in render_text(card)
    assert "$3,999 (current price as of 2026-11-01), https://example.com/a6000" in render_text(card)
    # A budget between the two prices: the current price decides.
    advice = engine.ask("a4000 or a6000 for training under $4200")
    assert advice.recommendation == "rtx-a6000"
    assert "current prices from prices.yaml" in render_text(advice)
    launch_only = Engine(catalog).ask("a4000 or a6000 for training under $4200")
    assert launch_only.recommendation == "rtx-a4000"  # the A6000's $4,650 MSRP is over the budget


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("prices:\n  rtx-a9000: 100\n", "rtx-a9000: prices: unknown GPU id"),
        ("prices:\n  rtx-a6000: -5\n", "rtx-a6000: usd: usd must be a positive number"),
        ("prices:\n  rtx-a6000: {usd: 10, as_of: yesterday}\n", "rtx-a6000: as_of"),
        ("nothing: here\n", "needs a `prices:` mapping"),
    ],
)
def test_bad_price_files_are_named(catalog: Catalog, tmp_path: Path, body: str, fragment: str) -> None:
    path = tmp_path / "prices.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_prices(path, catalog)
    assert "prices.yaml" in str(info.value) and fragment in str(info.value)
