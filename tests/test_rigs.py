"""Saved rigs (bot/rigs.py): reading one from free text, using it for "my rig" and card-less fit questions, and
keeping it in SQLite (Discord) or a local profile (the terminal); gpubot rig and gpubot chat end to end."""

from __future__ import annotations

import io
import json
import sqlite3
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.conversation import Conversations
from bot.engine import Engine
from bot.logstore import LogStore
from bot.rigs import ProfileRigStore, Rig, RigError, RigStore, parse_rig, rig_of


@pytest.mark.parametrize(
    ("text", "gpus", "ram"),
    [
        ("2x 3090, 64 GB RAM", (("rtx-3090", 2),), 64.0),
        ("two 3090s", (("rtx-3090", 2),), None),
        ("RTX A6000", (("rtx-a6000", 1),), None),
        ("a 4090 and two 3090s, 128gb ddr5", (("rtx-4090", 1), ("rtx-3090", 2)), 128.0),
        ("4x a4000 with 32 GB of system memory", (("rtx-a4000", 4),), 32.0),
        ("rtx 4090 24gb", (("rtx-4090", 1),), None),
    ],
)
def test_parse_rig(engine: Engine, text: str, gpus: tuple[tuple[str, int], ...], ram: float | None) -> None:
    rig = parse_rig(engine.parser, text)
    assert (rig.gpus, rig.ram_gb) == (gpus, ram)


@pytest.mark.parametrize(
    ("text", "says"),
    [("64 GB RAM", "couldn't find a GPU"), ("rtx 6000", "could be several"), ("rtx a600", "don't know the card")],
)
def test_parse_rig_refuses_with_a_reason(engine: Engine, text: str, says: str) -> None:
    with pytest.raises(RigError, match=says):
        parse_rig(engine.parser, text)


def test_rig_json_round_trip(engine: Engine) -> None:
    rig = parse_rig(engine.parser, "a 4090 and two 3090s, 64gb ram")
    assert Rig.from_json(json.loads(json.dumps(rig.to_json())), engine.catalog) == rig
    assert Rig.from_json({"gpus": [["no-such-gpu", 2]]}, engine.catalog) is None
    assert Rig.from_json("garbage", engine.catalog) is None
    assert rig.describe(engine.catalog) == "GeForce RTX 4090, 2× GeForce RTX 3090, 64 GB RAM"


RIG = rig_of("rtx-3090", 2)


@pytest.mark.parametrize(
    ("question", "kind", "count"),
    [
        ("can I run llama 3 70b in 4-bit?", "fit", 2),
        ("will qwen 2.5 32b fit?", "fit", 2),
        ("can I fine tune llama 3.1 8b with qlora?", "fit", 2),
        ("can my rig run llama 3 70b?", "fit", 2),
        ("my gpu specs", "lookup", None),
        ("is my setup good for training?", "verdict", None),
    ],
)
def test_the_saved_rig_answers_questions_about_the_askers_cards(
    engine: Engine, question: str, kind: str, count: int | None
) -> None:
    talk = Conversations(engine)
    reply = talk.ask("k", question, rig=RIG)
    q = reply.query
    assert q.kind == kind and q.gpus == ["rtx-3090"], (question, q.kind, q.rule)
    assert q.rule.startswith("saved rig") and q.carried == {"rig": "your saved rig (2× GeForce RTX 3090)"}
    assert reply.answer.summary.startswith("Using your saved rig (2× GeForce RTX 3090):")
    if count is not None:
        assert q.fit is not None and q.fit.gpus_count == count


@pytest.mark.parametrize(
    "question",
    [
        "can I run llama 3 70b on a 4090?",  # a card named: that card
        "is 24gb enough for llama 3 8b?",  # a memory size named: that size
        "A4000 vs A6000",
        "what is nvlink",
        "best gpu for training under $1500",
    ],
)
def test_the_saved_rig_stays_out_of_other_questions(engine: Engine, question: str) -> None:
    talk = Conversations(engine)
    q = talk.ask("k", question, rig=RIG).query
    fresh = engine.parser.parse(question)
    assert not q.rule.startswith("saved rig") and (q.kind, q.gpus) == (fresh.kind, fresh.gpus)


def test_a_fit_answer_for_the_rig_says_so_and_is_for_two_3090s(engine: Engine) -> None:
    reply = Conversations(engine).ask("k", "can I run llama 3 70b in 4-bit?", rig=RIG)
    assert reply.answer.fit is not None and reply.answer.fit["gpus_count"] == 2
    assert reply.answer.gpus == ["rtx-3090"] and "saved rig" in reply.answer.summary


def test_rig_store_in_the_query_log_database(tmp_path: Path, engine: Engine) -> None:
    db = tmp_path / "q.sqlite3"
    store = RigStore(db, engine.catalog)
    assert store.get(1) is None
    store.set(1, RIG)
    store.set(2, rig_of("rtx-a6000"))
    store.set(1, rig_of("rtx-4090", 3))  # replaces
    assert store.get(1) == rig_of("rtx-4090", 3) and store.get(2) == rig_of("rtx-a6000")
    assert store.clear(1) and not store.clear(1)
    store.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT user_id FROM rigs").fetchall() == [(2,)]
    log = LogStore.open(db)  # the log's own store opens the same, migrated database
    try:
        assert log.stats().total == 0  # statistics never read rigs
    finally:
        log.close()


def test_profile_store(tmp_path: Path, engine: Engine) -> None:
    store = ProfileRigStore(tmp_path / "cfg" / "rig.json", engine.catalog)
    assert store.get() is None and not store.clear()
    store.set(RIG)
    assert store.get() == RIG
    (tmp_path / "cfg" / "rig.json").write_text("{not json", encoding="utf-8")
    assert store.get() is None
    assert store.clear() and store.get() is None


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GPUBOT_DB", str(tmp_path / "q.sqlite3"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("GPUBOT_SPECS", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "config" / "gpubot" / "rig.json"


def test_gpubot_rig_set_show_clear(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rig", "show"]) == 0
    assert "No saved rig" in capsys.readouterr().out
    assert main(["rig", "set", "2x", "3090,", "64", "GB", "RAM"]) == 0
    assert "Saved your rig: 2× GeForce RTX 3090, 64 GB RAM" in capsys.readouterr().out
    assert json.loads(cli_env.read_text(encoding="utf-8")) == {"gpus": [["rtx-3090", 2]], "ram_gb": 64.0}
    assert main(["rig", "show"]) == 0
    assert "2× GeForce RTX 3090" in capsys.readouterr().out
    assert main(["rig", "set", "rtx 6000"]) == 1
    assert "could be several" in capsys.readouterr().err
    assert main(["rig", "clear"]) == 0
    assert not cli_env.exists() and "Deleted" in capsys.readouterr().out


def _chat(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *lines: str, args: list[str]) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in lines)))
    assert main(["--no-log", "chat", *args]) == 0
    return capsys.readouterr().out


def test_chat_follow_ups_and_the_saved_rig(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rig", "set", "2x 3090"]) == 0
    capsys.readouterr()
    out = _chat(
        monkeypatch,
        capsys,
        "can I run llama 3 70b in 4-bit?",
        "what about at 32k?",
        "and the A6000?",
        "A4000 vs A6000",
        "and the power?",
        "quit",
        args=[],
    )
    answers = out.split("gpu> ")[1:]
    assert "Using your saved rig (2× GeForce RTX 3090):" in answers[0] and "2× GeForce RTX 3090" in answers[0]
    assert "Llama 3 70B, 4-bit, on 2× GeForce RTX 3090 — 32k context:" in answers[1]
    assert "Llama 3 70B, 4-bit, 32k context — on the RTX A6000:" in answers[2]
    assert "140 W" in answers[4] and "300 W" in answers[4]  # the A4000's and the A6000's power


def test_chat_explain_shows_what_came_from_context(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _chat(monkeypatch, capsys, "a6000 bandwidth", "and the A5000?", args=["--explain"])
    assert "rule:      follow-up (look-up)" in out
    assert "from context: fields: Memory bandwidth" in out


def test_one_shot_ask_ignores_the_previous_question(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-log", "ask", "--json", "can I run llama 3 70b in 4-bit on a 3090?"]) == 0
    capsys.readouterr()
    assert main(["--no-log", "ask", "--json", "and the A5000?"]) == 0
    assert json.loads(capsys.readouterr().out)["intent"] == "lookup"
