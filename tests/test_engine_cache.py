"""The engine cache (bot/engine_cache.py) and the fast one-shot `gpubot ask`: a cached engine answers as a
built one does, any change under specs/ means a new engine, and a damaged, foreign or unwritable cache
falls back to building."""

from __future__ import annotations

import json
import os
import pickle
import re
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

from bot import engine_cache, regex_cache
from bot.engine import Engine
from bot.render import render_json

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ("A4000 vs A6000", "a6k bandwidth?", "best card for inference under $2000", "llama 3 70b on 2x 3090")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("GPUBOT_CACHE", str(folder))
    return folder


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every engine built (a cache miss) is recorded here."""
    seen: list[object] = []
    real = engine_cache.build_engine

    def counting(*args: object) -> Engine:
        seen.append(args)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(engine_cache, "build_engine", counting)
    return seen


def _engine_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("engine-*.pickle"))


def _set_tdp(specs: Path, watts: int) -> None:
    path = specs / "gpus" / "nvidia-rtx-ampere.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    next(g for g in data["gpus"] if g["id"] == "rtx-a6000")["specs"]["tdp_w"] = watts
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_a_cached_engine_answers_as_a_built_one(cache: Path, specs_copy: Path, builds: list[object]) -> None:
    built = engine_cache.cached_engine(specs_copy)
    assert len(builds) == 1 and len(_engine_files(cache)) == 1
    loaded = engine_cache.cached_engine(specs_copy)
    assert len(builds) == 1, "the second start reads the cache"
    for question in QUESTIONS:
        assert render_json(loaded.ask(question)) == render_json(built.ask(question))


def test_any_change_under_specs_means_a_new_engine(cache: Path, specs_copy: Path, builds: list[object]) -> None:
    family = specs_copy / "gpus" / "nvidia-rtx-ampere.yaml"
    original = family.read_bytes()
    assert engine_cache.cached_engine(specs_copy).catalog.gpus["rtx-a6000"].get("tdp_w") == 300
    _set_tdp(specs_copy, 299)
    assert engine_cache.cached_engine(specs_copy).catalog.gpus["rtx-a6000"].get("tdp_w") == 299
    (specs_copy / "notes.txt").write_text("a new file counts too", encoding="utf-8")
    engine_cache.cached_engine(specs_copy)
    assert len(builds) == 3
    family.write_bytes(original)  # back to the first content: the first engine again
    (specs_copy / "notes.txt").unlink()
    assert engine_cache.cached_engine(specs_copy).catalog.gpus["rtx-a6000"].get("tdp_w") == 300
    assert len(builds) == 3


def test_a_prices_file_is_part_of_the_key(cache: Path, specs_copy: Path, tmp_path: Path) -> None:
    prices = tmp_path / "prices.yaml"
    prices.write_text("prices:\n  rtx-a6000: 4200\n", encoding="utf-8")
    assert engine_cache.cached_engine(specs_copy, prices).prices.current["rtx-a6000"].usd == 4200
    prices.write_text("prices:\n  rtx-a6000: 3900\n", encoding="utf-8")
    assert engine_cache.cached_engine(specs_copy, prices).prices.current["rtx-a6000"].usd == 3900


def test_an_invalid_catalog_is_never_cached(cache: Path, specs_copy: Path) -> None:
    from bot.catalog import CatalogError

    (specs_copy / "fields.yaml").write_text("fields: [", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(CatalogError, match=r"fields\.yaml"):
            engine_cache.cached_engine(specs_copy)
    assert not _engine_files(cache)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda raw: raw[:-100] + bytes(b ^ 0xFF for b in raw[-100:]), id="flipped"),
        pytest.param(lambda raw: b"", id="empty"),
        pytest.param(lambda raw: b"not an engine at all", id="garbage"),
    ],
)
def test_a_damaged_cache_falls_back_to_building(cache: Path, specs_copy: Path, builds: list[object], damage) -> None:
    engine_cache.cached_engine(specs_copy)
    [path] = _engine_files(cache)
    path.write_bytes(damage(path.read_bytes()))
    engine = engine_cache.cached_engine(specs_copy)
    assert len(builds) == 2
    assert engine.ask("A4000 vs A6000").gpus == ["rtx-a4000", "rtx-a6000"]
    engine_cache.cached_engine(specs_copy)  # the rebuilt engine was stored again
    assert len(builds) == 2


def _forge(path: Path, payload: bytes) -> None:
    path.write_bytes(engine_cache._MAGIC + engine_cache._crc(payload) + payload)


def test_a_cache_naming_foreign_code_is_refused(cache: Path, specs_copy: Path, builds: list[object]) -> None:
    engine_cache.cached_engine(specs_copy)
    [path] = _engine_files(cache)
    _forge(path, pickle.dumps([]) + pickle.dumps(os.getcwd))  # a well-formed file that names os.getcwd
    assert isinstance(engine_cache.cached_engine(specs_copy), Engine)
    assert len(builds) == 2


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_cache_file_others_may_write_is_not_read(cache: Path, specs_copy: Path, builds: list[object]) -> None:
    engine_cache.cached_engine(specs_copy)
    [path] = _engine_files(cache)
    path.chmod(0o666)
    engine_cache.cached_engine(specs_copy)
    assert len(builds) == 2


def test_an_unwritable_cache_folder_still_answers(tmp_path: Path, specs_copy: Path, monkeypatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("GPUBOT_CACHE", str(blocker / "cache"))  # cannot be created
    assert engine_cache.cached_engine(specs_copy).ask("a6k bandwidth?").gpus == ["rtx-a6000"]


def test_a_read_only_cache_folder_still_answers(cache: Path, specs_copy: Path, monkeypatch, builds) -> None:
    def read_only(*_args: object, **_kwargs: object) -> tuple[int, str]:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    for _ in range(2):
        assert engine_cache.cached_engine(specs_copy).ask("a6k bandwidth?").gpus == ["rtx-a6000"]
    assert len(builds) == 2 and not _engine_files(cache)
    assert not list(cache.glob(".engine-*"))  # no temporary file left behind


def test_the_cache_off_builds_every_time(specs_copy: Path, monkeypatch, builds) -> None:
    monkeypatch.setenv("GPUBOT_CACHE", "0")
    engine_cache.cached_engine(specs_copy)
    engine_cache.cached_engine(specs_copy)
    assert len(builds) == 2


def test_old_engines_are_pruned(cache: Path, specs_copy: Path) -> None:
    for watts in range(290, 290 + engine_cache.KEEP + 2):
        _set_tdp(specs_copy, watts)
        engine_cache.cached_engine(specs_copy)
    assert len(_engine_files(cache)) == engine_cache.KEEP


@pytest.mark.parametrize(
    "pattern", [r"\b(\d+(?:\.\d+)?)\s*(gb|gib|tb)\b", r"(?P<brand>rtx|gtx) ?(?P<num>\d{3,4})", r"(?i)ＲＴＸ|显存", r"x"]
)
def test_patterns_rebuilt_from_their_code_are_the_same(pattern: str) -> None:
    compiled = re.compile(pattern)
    rebuilt = pickle.loads(pickle.dumps(regex_cache.reduce_pattern(compiled)[1]))  # noqa: S301 - our own bytes
    again = regex_cache.rebuild(*rebuilt)
    assert again == compiled  # same pattern, flags and compiled code
    assert again.groupindex == compiled.groupindex
    text = "2x RTX 3090 24gb, rtx 4090 and 48 GB; ＲＴＸ 显存"
    assert [m.groups() for m in again.finditer(text)] == [m.groups() for m in compiled.finditer(text)]


def _ask_in_subprocess(tmp_path: Path, cache: Path) -> dict[str, object]:
    probe = (
        "import json, sys\n"
        "parsed = []\n"
        "def hook(event, args):\n"
        "    if event == 'open' and str(args[0]).endswith('.json'):\n"
        "        parsed.append(args[0])\n"
        "sys.addaudithook(hook)\n"
        "from bot.cli import main\n"
        "code = main(['ask', 'A4000 vs A6000'])\n"
        "heavy = ('asyncio', 'aiosqlite', 'discord', 'yaml', 'rapidfuzz')\n"
        "loaded = sorted(m for m in heavy if m in sys.modules)\n"
        "print(json.dumps({'code': code, 'loaded': loaded, 'parsed_specs_read': len(parsed)}))\n"
    )
    env = {**os.environ, "GPUBOT_CACHE": str(cache), "GPUBOT_DB": str(tmp_path / "q.sqlite3")}
    env.pop("GPUBOT_QUERY_LOG", None)
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=ROOT, check=True, timeout=120
    )
    assert "RTX A6000" in proc.stdout
    assert proc.stderr == ""
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def test_a_one_shot_ask_starts_without_an_event_loop_and_logs(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = _ask_in_subprocess(tmp_path, cache)  # builds the engine (parses YAML) and stores it
    assert cold["code"] == 0
    assert not {"asyncio", "aiosqlite", "discord"} & set(cold["loaded"])  # type: ignore[arg-type]
    assert cold["parsed_specs_read"] > 0
    warm = _ask_in_subprocess(tmp_path, cache)
    # Once the engine is cached: no YAML, no rapidfuzz, and not one parsed specs file read again.
    assert warm == {"code": 0, "loaded": [], "parsed_specs_read": 0}
    with sqlite3.connect(tmp_path / "q.sqlite3") as db:
        rows = db.execute("SELECT question, intent, source FROM queries").fetchall()
    assert rows == [("A4000 vs A6000", "compare", "cli")] * 2


def test_every_handler_name_resolves() -> None:
    """The composer imports handler modules by name, when first needed: every name must lead to a function."""
    from bot.composer import BY_INTENT, HANDLERS, handler

    for name in {*HANDLERS.values(), *BY_INTENT.values()}:
        assert callable(handler(name)), name


def test_the_one_shot_log_write_never_raises(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """``gpubot ask``'s synchronous write (bot.logstore): rows written and the database migrated; a database that
    cannot even be created is reported in the log, never raised."""
    from bot.logstore import LogEntry, LogStore

    entry = LogEntry(question="a6k bandwidth?", intent="lookup")
    store = LogStore(tmp_path / "q.sqlite3")
    store.submit(entry)
    store.submit(entry)
    store.close()
    with sqlite3.connect(tmp_path / "q.sqlite3") as db:
        assert db.execute("SELECT COUNT(*), MAX(question) FROM queries").fetchone() == (2, "a6k bandwidth?")
        assert db.execute("PRAGMA user_version").fetchone()[0] > 0  # created and migrated
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    broken = LogStore(blocker / "q.sqlite3")
    broken.submit(entry)
    broken.close(wait_s=0.1)  # cannot be created: reported, not raised
    assert any(r.levelname == "WARNING" for r in caplog.records if r.name.startswith("bot."))
