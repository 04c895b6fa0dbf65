"""A plain one-shot ask is read without argparse (bot/cli.py plain_ask): what it gives must be exactly what the
parser gives, and anything else (an option, '-', another command, help) goes to the parser."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import plain_ask
from bot.cli_args import COMMANDS, build_parser, command_first

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "words",
    [
        ["ask", "A4000 vs A6000"],
        ["ask", "A4000", "vs", "A6000"],
        ["ask", "can I run llama 3 70b in 4-bit on two 3090s?"],
        ["ask", "what's the 4090's tdp?", "and the 3090"],
        ["ask", "ask"],
        ["ask", "run"],
        ["ask", "ＲＴＸ 4090 显存"],
        ["ask", ""],
    ],
)
def test_a_plain_ask_reads_as_argparse_reads_it(words: list[str]) -> None:
    fast = plain_ask(words)
    assert fast is not None
    assert vars(fast) == vars(build_parser().parse_args(words))


@pytest.mark.parametrize(
    "words",
    [
        [],
        ["ask"],
        ["ask", "-"],
        ["ask", "--json", "a6k bandwidth"],
        ["ask", "a6k bandwidth", "--full"],
        ["ask", "-5 degrees"],
        ["--no-log", "ask", "a6k vram"],
        ["chat"],
        ["stats", "--json"],
        ["-h"],
    ],
)
def test_anything_else_goes_to_the_parser(words: list[str]) -> None:
    assert plain_ask(words) is None


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_parser_for_one_command_reads_it_as_the_whole_parser(command: str) -> None:
    samples = {
        "ask": [["ask", "--json", "x"], ["ask", "-", "--explain"], ["ask", "q", "--no-log", "--db", "d.sqlite3"]],
        "chat": [["chat"], ["chat", "--explain", "--specs", "s"]],
        "rig": [["rig", "show"], ["rig", "set", "2x", "3090"], ["rig", "clear"]],
        "run": [["run"], ["run", "-v"]],
        "sync": [["sync"], ["sync", "--guild", "123"]],
        "catalog": [["catalog", "check", "--strict"], ["catalog", "show", "rtx-a6000", "--json"], ["catalog", "list"]],
        "stats": [["stats"], ["stats", "--limit", "3", "--json"]],
    }[command]
    for words in samples:
        assert command_first(words) == command
        assert vars(build_parser(command).parse_args(words)) == vars(build_parser().parse_args(words))


def test_global_options_first_build_the_whole_parser() -> None:
    assert command_first(["--no-log", "ask", "x"]) is None
    assert command_first(["--db", "ask", "ask", "x"]) is None


def test_a_one_shot_ask_never_imports_argparse(tmp_path: Path) -> None:
    probe = (
        "import io, contextlib, sys\n"
        "from bot.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(['ask', 'A4000 vs A6000'])\n"
        "print(code, 'argparse' in sys.modules)\n"
    )
    env = {**os.environ, "GPUBOT_CACHE": str(tmp_path / "cache"), "GPUBOT_DB": str(tmp_path / "q.sqlite3")}
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=ROOT, check=True, timeout=120
    )
    assert out.stdout.split() == ["0", "False"], out.stderr
