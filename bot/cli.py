"""The ``gpubot`` command: ask questions, chat, inspect the catalog and the query log."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, TextIO, cast

from bot.catalog_model import CatalogError
from bot.cli_chat import log_entry, may_search
from bot.config import Settings
from bot.engine_cache import cached_engine
from bot.logstore import LogStore

# Imported where used, not here: the engine cache restores compiled patterns before the modules that compile
# them load, and asyncio is imported only by the commands that run an event loop.
if TYPE_CHECKING:
    import argparse

    from bot.answer import Answer
    from bot.engine import Engine
    from bot.hub_ask import HubAsk

__all__ = ["main", "plain_ask"]

log = logging.getLogger("gpubot")

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


#: What argparse gives ``gpubot ask WORDS...`` besides the question (tests/test_cli_args.py holds them equal).
_ASK_DEFAULTS: dict[str, object] = {
    "specs": None,
    "db": None,
    "prices": None,
    "no_log": False,
    "verbose": 0,
    "json": False,
    "explain": False,
    "full": False,
    "chart": None,
}


def plain_ask(words: Sequence[str]) -> argparse.Namespace | None:
    """``gpubot ask WORDS...`` with no option and no word starting with "-": the arguments argparse would read, without
    importing it or building the parser (about 6 ms of a one-shot ask); None for anything else."""
    if len(words) < 2 or words[0] != "ask" or any(w.startswith("-") for w in words[1:]):
        return None
    return cast("argparse.Namespace", SimpleNamespace(command="ask", question=list(words[1:]), **_ASK_DEFAULTS))


def _setup_logging(settings: Settings, verbose: int) -> None:
    level = logging.DEBUG if verbose > 1 else logging.INFO if verbose == 1 else settings.log_level
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def _settings(args: argparse.Namespace) -> Settings:
    base = Settings.from_env()
    return dataclasses.replace(
        base,
        specs_dir=Path(args.specs) if args.specs else base.specs_dir,
        prices_path=Path(args.prices) if args.prices else base.prices_path,
        db_path=Path(args.db) if args.db else base.db_path,
        query_log=base.query_log and not args.no_log,
    )


# -- ask / chat -------------------------------------------------------------------------------


def _emit(answer: Answer, as_json: bool, out: TextIO, full: bool = False) -> None:
    from bot.render import render_json, render_text

    out.write((render_json(answer) if as_json else render_text(answer, full=full)) + "\n")
    if not as_json:
        out.write("\n")
    out.flush()


def _explain(engine: Engine, question: str, answer: Answer, as_json: bool, out: TextIO) -> None:
    """The answer with how its question was read: the answer's JSON object with an ``explain`` key
    (still one line per question), or a few lines of text before the answer."""
    import json

    from bot.render import answer_json, render_explain, render_text

    explained = engine.explain(question)
    if as_json:
        out.write(json.dumps({**answer_json(answer), "explain": explained}, ensure_ascii=False) + "\n")
    else:
        out.write(render_explain(explained) + "\n\n" + render_text(answer) + "\n\n")
    out.flush()


def _batch_lines(stdin: TextIO) -> Iterator[str]:
    """Every input line, blank ones too, without its line ending (``\n`` or ``\r\n``)."""
    for line in stdin:
        yield line.removesuffix("\n").removesuffix("\r")


def _ask(
    engine: Engine,
    settings: Settings,
    questions: Sequence[str],
    as_json: bool,
    stdin: TextIO | None,
    explain: bool = False,
    full: bool = False,
    chart: str | None = None,
) -> int:
    """Answer each question; from stdin, one answer per input line, so output line N answers input line N
    (with --json). A blank line gets the answer to an empty question (the help) and is not logged. The log
    is written synchronously (no event loop)."""
    store = LogStore(settings.database) if settings.query_log else None
    try:
        lines = _batch_lines(stdin) if stdin is not None else iter(questions)
        hub: HubAsk | None = None
        for n, question in enumerate(lines, 1):
            timed = engine.ask_timed(question) if "/" not in question else None
            if timed is None or may_search(question, timed.answer):
                # a Hugging Face model id or URL, or a model name the catalog lacks: the Hub is asked (bot/hub_ask.py)
                from bot.hub_ask import HubAsk

                hub = hub or HubAsk(engine)
                timed = hub.ask_timed(question)
            if explain:
                _explain(engine, question, timed.answer, as_json, sys.stdout)
            else:
                _emit(timed.answer, as_json, sys.stdout, full)
            if chart:
                from bot.render_chart import write_chart  # matplotlib only when a chart is asked for

                write_chart(timed.answer, chart, n if stdin is not None else None, sys.stderr)
            if store is not None and (stdin is None or question.strip()):
                store.submit(log_entry(question, timed.answer, timed.latency_ms))
                store.flush_if_due()  # in batch mode, every few hundred rows or every second
    finally:
        if store is not None:
            store.close()
    return EXIT_OK


# -- stats ----------------------------------------------------------------------------------


def _stats(args: argparse.Namespace, settings: Settings) -> int:
    store = LogStore(settings.database)  # reads never wait for a bot writing the same log (WAL)
    try:
        stats = store.stats(limit=max(1, args.limit))
    finally:
        store.close()
    if args.json:
        import json

        print(json.dumps(stats.to_json(), ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"Questions logged: {stats.total}  ({settings.database})")
    if stats.by_source:
        print("By source: " + ", ".join(f"{s} {n}" for s, n in stats.by_source))
    if stats.votes_up or stats.votes_down:  # one vote per user per answer (a second click takes it back)
        print(f"Feedback: 👍 {stats.votes_up}  👎 {stats.votes_down}")
    if stats.by_intent:
        print("By intent:")
        for intent, n in stats.by_intent:
            print(f"  {intent:<10} {n}")
    if stats.by_rule:
        print("By rule (request kind):")
        for rule, kind, n in stats.by_rule:
            print(f"  {rule or '(before rules were logged)':<28} {kind or '-':<10} {n}")
    if stats.top_gpus:
        print("Top GPUs:")
        for gid, n in stats.top_gpus:
            print(f"  {gid:<28} {n}")
    if stats.unanswered:
        print("Recent unanswered questions:")
        for when, intent, question in stats.unanswered:
            print(f"  {when[:19]}  [{intent}]  {' '.join(question.split())[:100]}")
    return EXIT_OK


# -- discord ----------------------------------------------------------------------------------

SETUP_HINT = "error: DISCORD_TOKEN is not set (see .env.example); to ask questions without Discord, run: gpubot chat"


def _discord(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    if not settings.discord_token:
        print(SETUP_HINT, file=sys.stderr)
        return EXIT_USAGE
    from bot.discord_run import run_command  # discord is imported only from here on

    return run_command(args.command, settings, engine, guild_id=getattr(args, "guild", None))


# -- entry point ------------------------------------------------------------------------------


def _dotenv_file() -> Path | None:
    """The ``.env`` that python-dotenv's ``load_dotenv()`` would find from here (this folder, then each parent),
    looked for without importing it: most starts have none."""
    here = Path(__file__).resolve().parent
    return next((d / ".env" for d in (here, *here.parents) if (d / ".env").is_file()), None)


def entry() -> None:
    """The ``gpubot`` command (and ``python -m bot``): :func:`main`, then the process's exit."""
    raise SystemExit(main(exit_after_ask=True))


def _exit_now(code: int) -> None:
    """End a one-shot ask at once: the answer is printed and flushed and its log row written and closed, so
    what is left is the interpreter freeing the engine object by object (about 15 ms), which nobody waits for."""
    logging.shutdown()
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None, *, exit_after_ask: bool = False) -> int:
    if (dotenv := _dotenv_file()) is not None:
        with contextlib.suppress(ImportError):
            from dotenv import load_dotenv

            load_dotenv(dotenv)
    words = sys.argv[1:] if argv is None else list(argv)
    args = plain_ask(words)
    if args is None:  # any other command, an option, or help: argparse reads it
        from bot.cli_args import build_parser, command_first

        parser = build_parser(command_first(words))
        args = parser.parse_args(words)
        if args.command is None:
            parser.print_help()
            return EXIT_USAGE
    settings = _settings(args)
    if exit_after_ask and args.command == "ask":
        import gc

        gc.disable()  # the process ends with this answer (see _exit_now): there is no garbage worth collecting
    _setup_logging(settings, args.verbose)
    with contextlib.suppress(AttributeError, ValueError):
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    try:
        code = _dispatch(args, settings)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        if exit_after_ask and args.command == "ask":
            _exit_now(code)
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `gpubot stats | head`: the reader left; stop quietly, for every command
        # Point fd 1 at /dev/null so the final flush at exit has somewhere to go.
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "catalog":
        from bot.cli_catalog import catalog_command

        return catalog_command(args, settings)
    if args.command == "stats":
        return _stats(args, settings)
    try:
        engine = cached_engine(settings.specs_dir, settings.prices_path)  # built and validated when not cached
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if args.command in {"run", "sync"}:
        return _discord(args, settings, engine)
    if args.command == "ask":
        from_stdin = args.question == ["-"]
        if from_stdin:  # lines end at "\n" only (a "\r" before it is dropped), as a consumer counts them
            with contextlib.suppress(AttributeError, ValueError):
                sys.stdin.reconfigure(newline="\n")  # type: ignore[union-attr]
        stdin = sys.stdin if from_stdin else None
        return _ask(engine, settings, [" ".join(args.question)], args.json, stdin, args.explain, args.full, args.chart)
    import asyncio  # an event loop for chat only: asking starts without it

    if args.command == "rig":
        from bot.cli_rig import rig_command

        return rig_command(args, engine)
    from bot.cli_chat import run_chat

    return asyncio.run(run_chat(engine, settings, args.explain))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
