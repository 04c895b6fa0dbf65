"""``gpubot rig set|show|clear``: the terminal's saved rig, a local profile that ``gpubot chat`` uses.

The profile is one JSON file in the user config directory (:func:`bot.rigs.default_rig_path`); nothing is
sent anywhere, and ``gpubot rig clear`` deletes the file.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.engine import Engine
    from bot.rigs import ProfileRigStore

__all__ = ["add_rig_parser", "profile_store", "rig_command"]

EXIT_OK, EXIT_ERROR = 0, 1


def add_rig_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rig = sub.add_parser("rig", help="your saved rig (a local profile used by gpubot chat): set, show or clear")
    actions = rig.add_subparsers(dest="action", metavar="ACTION", required=True)
    put = actions.add_parser("set", help='save your cards, e.g. gpubot rig set "2x 3090, 64 GB RAM"')
    put.add_argument("rig", nargs="+", help="your cards in plain words")
    actions.add_parser("show", help="show the saved rig")
    actions.add_parser("clear", help="delete the saved rig")


def profile_store(engine: Engine) -> ProfileRigStore:
    from bot.rigs import ProfileRigStore, default_rig_path  # imported by the rig commands and chat only

    return ProfileRigStore(default_rig_path(), engine.catalog)


def rig_command(args: argparse.Namespace, engine: Engine) -> int:
    from bot.rigs import RigError, parse_rig

    store = profile_store(engine)
    if args.action == "set":
        try:
            rig = parse_rig(engine.parser, " ".join(args.rig))
        except RigError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_ERROR
        store.set(rig)
        print(f"Saved your rig: {rig.describe(engine.catalog)} ({store.path})")
    elif args.action == "show":
        saved = store.get()
        print(f"Your saved rig: {saved.describe(engine.catalog)}" if saved else "No saved rig (gpubot rig set ...).")
    else:
        print("Deleted your saved rig." if store.clear() else "You had no saved rig.")
    return EXIT_OK
