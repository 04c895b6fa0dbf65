"""The answer handlers keep their shape: small modules, imports one way, and the raw question read in one place."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import get_args

import pytest

from bot.composer import BY_INTENT, HANDLERS
from bot.parser import Intent
from bot.request import Kind

HANDLERS_DIR = Path(__file__).resolve().parent.parent / "bot" / "handlers"
MODULES = sorted(p for p in HANDLERS_DIR.glob("*.py") if p.name != "__init__.py")


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imports(path: Path) -> set[str]:
    """The ``bot.*`` modules ``path`` imports."""
    out: set[str] = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot"):
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names if node.module == "bot.handlers")
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("bot"))
    return out


def test_every_request_kind_and_intent_has_one_handler() -> None:
    assert set(HANDLERS) == set(get_args(Kind))
    assert set(BY_INTENT) == set(get_args(Intent))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_module_is_small(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 500


def test_imports_go_one_way() -> None:
    graph = {f"bot.handlers.{p.stem}": {m for m in _imports(p) if m.startswith("bot.handlers.")} for p in MODULES}
    assert not graph["bot.handlers.context"], "context imports nothing from the handlers"
    for path in MODULES:
        assert "bot.composer" not in _imports(path), f"{path.name} imports the composer"
    done: set[str] = set()

    def visit(node: str, stack: tuple[str, ...]) -> None:
        assert node not in stack, "import cycle: " + " -> ".join((*stack, node))
        if node not in done:
            for dep in graph.get(node, ()):
                visit(dep, (*stack, node))
            done.add(node)

    for node in graph:
        visit(node, ())


def _raw_text_reads(path: Path) -> list[int]:
    """Lines that read ``<query>.text`` other than to echo it (``question=q.text``, ``text=q.text``)."""
    tree = _tree(path)
    echoed = {
        id(kw.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for kw in node.keywords
        if kw.arg in ("question", "text")
    }
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr == "text"
        and isinstance(node.value, ast.Name)
        and node.value.id in ("q", "query")
        and id(node) not in echoed
    ]


@pytest.mark.parametrize("path", [p for p in MODULES if p.name != "request_slots.py"], ids=lambda p: p.name)
def test_raw_question_is_read_only_in_request_slots(path: Path) -> None:
    assert _raw_text_reads(path) == [], "read the raw question through bot/handlers/request_slots.py"
