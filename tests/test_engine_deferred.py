"""Parts of a cached engine read on first use (bot/engine_pickle.py's Deferred): the memory parts (what each card
offers, the runtimes' budgets) are built and validated with the engine, kept as bytes in the cache, and read only
by an answer that needs them; answers are the same either way."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from bot import engine_cache
from bot.engine_pickle import Deferred, dumps, loads
from bot.render import render_json

ROOT = Path(__file__).resolve().parent.parent
MEMORY_MODULES = ("bot.runtimes", "bot.estimator_runtime", "bot.estimator_startup", "bot.usable_memory")


def test_a_deferred_part_is_read_once_and_equal() -> None:
    part = Deferred({"budget": (0.9, 8192), "names": ["vllm", "sglang"]})
    assert part.loaded
    again = loads(dumps(part))
    assert isinstance(again, Deferred)
    states = [again.loaded, again.get() == {"budget": (0.9, 8192), "names": ["vllm", "sglang"]}, again.loaded]
    assert states == [False, True, True]  # bytes, then read (and equal), then kept
    assert again.get() is again.get()  # read once, then kept


def test_a_deferred_part_obeys_the_restricted_reader() -> None:
    """The part's bytes are read like the engine's: a name outside bot (and a few plain types) is refused."""
    foreign = Deferred(None)
    foreign._blob = pickle.dumps(os.getcwd)
    with pytest.raises(pickle.UnpicklingError):
        foreign.get()


@pytest.mark.parametrize(
    "question",
    [
        "llama 3 70b on 2x 3090",
        "can I run qwen 2.5 32b on a 4090 with vllm at 16k context?",
        "how much vram do i need to fine-tune llama 3 8b with qlora",
        "rtx 4090 usable memory",
        "how many 4090s do i need for llama 405b?",
    ],
)
def test_a_cached_engine_reads_the_memory_part_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, question: str
) -> None:
    monkeypatch.setenv("GPUBOT_CACHE", str(tmp_path / "cache"))
    built = engine_cache.cached_engine()
    loaded = engine_cache.cached_engine()
    assert loaded is not built
    assert not loaded.composer.context._memory.loaded
    assert render_json(loaded.ask(question)) == render_json(built.ask(question))


def test_a_one_shot_comparison_never_imports_the_memory_modules(tmp_path: Path) -> None:
    probe = (
        "import io, contextlib, json, sys\n"
        "from bot.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(['ask', 'A4000 vs A6000'])\n"
        "    code += main(['ask', 'A4000 vs A6000'])\n"
        f"print(json.dumps({{'code': code, 'loaded': [m for m in {MEMORY_MODULES!r} if m in sys.modules]}}))\n"
    )
    env = {**os.environ, "GPUBOT_CACHE": str(tmp_path / "cache"), "GPUBOT_DB": str(tmp_path / "q.sqlite3")}
    subprocess.run(
        [sys.executable, "-m", "bot", "ask", "warm the cache"], env=env, cwd=ROOT, check=True, capture_output=True
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=ROOT, check=True, timeout=120
    )
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == {"code": 0, "loaded": []}
