"""The shape of the code: modules small enough to read, no import cycles, every module placed.

The import rules themselves are contracts in pyproject.toml (``lint-imports`` in .ci/run); these tests
name a whole cycle when there is one, and keep the core contract's module list complete.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "cogs")
MAX_LINES = 500

# TEMPORARY: the modules over the limit today, being rewritten. Remove each entry when its module is
# split; the test fails for an entry that is no longer needed, so the list only shrinks.
OVER_THE_LIMIT: frozenset[str] = frozenset()


def _modules() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_modules_stay_under_the_line_limit() -> None:
    too_long = {
        p.relative_to(ROOT).as_posix(): n
        for p in _modules()
        if (n := _lines(p)) > MAX_LINES and p.relative_to(ROOT).as_posix() not in OVER_THE_LIMIT
    }
    assert not too_long, f"modules over {MAX_LINES} lines (split them): {too_long}"


def test_the_allow_list_only_holds_modules_still_over_the_limit() -> None:
    present = {p.relative_to(ROOT).as_posix(): _lines(p) for p in _modules()}
    stale = sorted(name for name in OVER_THE_LIMIT if present.get(name, 0) <= MAX_LINES)
    assert not stale, f"under {MAX_LINES} lines or gone now: remove {stale} from OVER_THE_LIMIT"


# The Discord front end, and the entry points that start it lazily: every other module in bot/ is core.
FRONT_END = frozenset(
    {
        "bot.client",
        "bot.discord_backlog",
        "bot.discord_button_kit",
        "bot.discord_buttons",
        "bot.discord_chart",
        "bot.discord_delivery",
        "bot.discord_pages",
        "bot.discord_run",
        "bot.discord_views",
        "bot.render_discord",
    }
)
ENTRY_POINTS = frozenset({"bot.cli", "bot.__main__"})


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES)


def test_no_import_cycles(graph: grimp.ImportGraph) -> None:
    cycles: set[str] = set()
    for package in PACKAGES:
        modules = graph.find_children(package)
        for importer in modules:
            for imported in graph.find_modules_directly_imported_by(importer) & modules:
                back = graph.find_shortest_chain(importer=imported, imported=importer)
                if back:
                    cycle = [importer, *back]
                    start = cycle.index(min(cycle[:-1]))  # one spelling per cycle, from its first module
                    cycles.add(" -> ".join([*cycle[start:-1], *cycle[:start], cycle[start]]))
    assert not cycles, "import cycles:\n" + "\n".join(sorted(cycles))


def test_the_core_contract_names_every_core_module(graph: grimp.ImportGraph) -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}
    listed = set(contracts["core"]["source_modules"])
    core = graph.find_children("bot") - FRONT_END - ENTRY_POINTS
    assert listed == core, (
        f"add to the core contract in pyproject.toml: {sorted(core - listed)}; "
        f"remove: {sorted(listed - core)} (or name a new front-end module in FRONT_END here)"
    )
