"""The terminal as a newcomer meets it: help, numbered choices in chat, options anywhere, a sorted catalog list,
and the operator's price file in every answer that shows or ranks by price (issue 13, item 6)."""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.catalog import Catalog
from bot.cli import main
from bot.cli_args import build_parser
from bot.engine import Engine
from bot.prices import load_prices
from bot.render import render_text


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "queries.sqlite3"
    monkeypatch.setenv("GPUBOT_DB", str(db))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("GPUBOT_SPECS", raising=False)
    monkeypatch.delenv("GPUBOT_PRICES", raising=False)
    monkeypatch.chdir(tmp_path)
    return db


def _chat(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *lines: str) -> list[str]:
    """Run the chat loop over ``lines`` (its real input and output streams); the text after each prompt."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in lines)))
    assert main(["--no-log", "chat"]) == 0
    return capsys.readouterr().out.split("gpu> ")[1:]


# -- help --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question", ["help", "Help!", "?", "what can you do?", "How do I use this?", "commands", "hi", "examples"]
)
def test_help_requests_get_the_examples(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    text = render_text(answer)
    assert "couldn't tell" not in text
    assert "Ask me about a GPU" in text and "A4000 vs A6000" in text


@pytest.mark.parametrize(
    "question",
    ["help me pick a gpu for llama 70b", "can you help with a4000 vs a6000", "hi, is a 3090 good for sdxl?"],
)
def test_a_question_that_asks_for_help_with_something_is_answered(engine: Engine, question: str) -> None:
    assert engine.ask(question).rule != "empty"


def test_chat_help_adds_the_chat_commands(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _chat(monkeypatch, capsys, "help", "quit")
    assert "Ask me about a GPU" in out[0] and "type a number to pick" in out[0]
    assert "couldn't tell" not in out[0]


# -- numbered choices --------------------------------------------------------------------------


def test_choices_are_numbered_in_the_list(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _chat(monkeypatch, capsys, "rtx 6000 bandwidth", "3", "quit")
    assert "  1. Quadro RTX 6000 (24 GB" in out[0] and "  3. RTX A6000 (48 GB" in out[0]
    assert "- Quadro RTX 6000" not in out[0]  # each choice once, with its number
    assert "RTX A6000" in out[1] and "768 GB/s" in out[1]


@pytest.mark.parametrize("typed", ["0", "99", "12"])
def test_a_number_out_of_range_keeps_the_choice_open(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], typed: str
) -> None:
    out = _chat(monkeypatch, capsys, "a100 vram", typed, "4", "quit")
    assert "Pick a number from 1 to 4" in out[1]
    assert "A100 80GB SXM4" in out[2] and "80 GB" in out[2]


def test_two_ambiguous_names_are_asked_one_after_the_other(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _chat(monkeypatch, capsys, "h100 vs a100", "3", "4", "quit")
    assert "“h100” and “a100”" in out[0]
    assert "“a100” could be several GPUs" in out[1] and "H100" not in out[1].split("\n\n")[2]
    assert out[2].startswith("H100 SXM5 vs A100 80GB SXM4")


def test_a_number_with_no_open_choice_is_a_question(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _chat(monkeypatch, capsys, "a6000 vram", "2", "quit")
    assert "Pick a number" not in out[1]


# -- options ----------------------------------------------------------------------------------


def _actions(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.Action]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from ((f"{name} {where}", a) for where, a in _actions(sub))
        else:
            yield parser.prog, action


def test_every_option_has_help_text() -> None:
    missing = [f"{where}: {a.dest}" for where, a in _actions(build_parser()) if a.option_strings and not a.help]
    assert missing == []


def test_help_shows_examples_one_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    lines = capsys.readouterr().out.splitlines()
    examples = lines[lines.index("examples:") + 1 :]
    assert len(examples) >= 4 and all(line.startswith("  gpubot ") for line in examples if line)


def test_global_options_work_after_the_subcommand(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prices = tmp_path / "p.yaml"
    prices.write_text("as_of: 2026-11-01\nprices:\n  rtx-a6000: 3000\n", encoding="utf-8")
    assert main(["ask", "--no-log", "--prices", str(prices), "a6000 price"]) == 0
    assert "$3,000 (current price" in capsys.readouterr().out
    assert main(["ask", "a6000 price", "--prices", str(prices), "--no-log"]) == 0
    assert "$3,000 (current price" in capsys.readouterr().out
    assert main(["--prices", str(prices), "ask", "--no-log", "a6000 price"]) == 0  # before and after: both fine
    assert "$3,000 (current price" in capsys.readouterr().out
    assert not env.exists()  # --no-log after the subcommand was honoured


def test_catalog_list_is_sorted_under_a_header(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "NAME", "MEMORY"]
    names = [line[33:85].strip() for line in lines[1:]]
    vendors = [n.split()[0] for n in names]
    assert vendors == sorted(vendors, key=str.lower)
    assert names == sorted(names, key=lambda n: (n.split()[0].lower(), n.lower()))


def test_catalog_list_by_vendor_any_case(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "list", "--vendor", "intel"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert rows and all(" Intel " in row for row in rows)


def test_unknown_vendor_is_an_error(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "list", "--vendor", "nvida"]) == 2
    captured = capsys.readouterr()
    assert "no vendor 'nvida'" in captured.err and "NVIDIA" in captured.err and captured.out == ""


# -- prices -----------------------------------------------------------------------------------


@pytest.fixture
def priced(catalog: Catalog, tmp_path: Path) -> Engine:
    path = tmp_path / "prices.yaml"
    path.write_text("as_of: 2026-11-01\nprices:\n  rtx-a6000: 3000\n  rtx-a4000: 700\n", encoding="utf-8")
    return Engine(catalog, load_prices(path, catalog))


def test_price_per_gb_uses_the_current_price(priced: Engine) -> None:
    text = render_text(priced.ask("A4000 vs A6000 price per GB"))
    assert "$43.75 (RTX A4000)" in text and "$62.50 (RTX A6000)" in text  # 700/16, 3000/48
    assert "Price per GB: " in text  # the unit said once, first


def test_lookup_of_a_price_leads_with_the_current_price(priced: Engine) -> None:
    summary = priced.ask("a6000 price").summary
    assert summary.startswith("RTX A6000 — Price: $3,000 (current price as of 2026-11-01)")
    assert "$4,650" in summary  # the launch MSRP, still shown


def test_worth_it_is_judged_at_current_prices(priced: Engine, engine: Engine) -> None:
    text = priced.ask("is the A6000 worth the price?").summary
    assert "$3,000 (current price" in text and "(4.29× as much)" in text and "launch MSRPs otherwise" in text
    assert "per $ FP32 per dollar" not in text  # the unit once
    launch = engine.ask("is the A6000 worth the price?").summary
    assert "$4,650 (launch MSRP, 2020)" in launch and "launch MSRPs, not today's street prices" in launch


def test_rankings_by_price_use_the_current_price(priced: Engine) -> None:
    answer = priced.ask("cheapest card with 48gb")
    assert answer.recommendation == "rtx-a6000"  # $3,000 now, under the $3,999 cards
    assert "$3,000 (current price" in answer.summary
    assert answer.table is not None and answer.table.columns == ("Price",)


def test_cheapest_per_gb_ranks_by_current_price(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "prices.yaml"
    path.write_text("prices:\n  rtx-a6000: 500\n", encoding="utf-8")  # far under every other card per GB
    answer = Engine(catalog, load_prices(path, catalog)).ask("cheapest price per gb")
    assert answer.recommendation == "rtx-a6000"
