"""Button state and votes in a real SQLite file, and the buttons' ids (no Discord connection needed)."""

from __future__ import annotations

import itertools
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import discord
import pytest

from bot import logspool
from bot.answer import Answer, Choice
from bot.button_store import ButtonState, ButtonStore
from bot.buttons_db import AnswerRecord, VoteEntry
from bot.cli import main
from bot.discord_buttons import CUSTOM_ID_LIMIT, DYNAMIC_ITEMS, build_view, present
from bot.engine import Engine
from bot.logstore import MIGRATIONS, FeedbackEntry, LogEntry, LogStore
from bot.storage import QueryLog


def _state(key: str = "k3y-AbC_", **over: Any) -> ButtonState:
    base: dict[str, Any] = {
        "key": key,
        "author_id": 1191169417543680002,
        "question": "rtx 6000 specs",
        "intent": "clarify",
        "gpus": ["rtx-a6000"],
        "choices": [("rtx-a6000", "RTX A6000"), ("rtx-6000-ada", "RTX 6000 Ada")],
        "all_specs": True,
    }
    base.update(over)
    return ButtonState(**base)


def test_state_round_trips_through_json() -> None:
    pages = [[{"title": "p1", "fields": [{"name": "Memory", "value": "48 GB", "inline": True}]}], [{"title": "p2"}]]
    state = _state(pages=pages, messages=[1, 2], ephemeral=True)
    again = ButtonState.from_json(state.to_json())
    assert again == state and again.page_count == 2
    # A field a later version added is ignored, not an error.
    assert ButtonState.from_json(json.dumps({**json.loads(state.to_json()), "new": 1})) == state


async def test_state_survives_a_new_process(tmp_path: Path) -> None:
    db = tmp_path / "q.sqlite3"
    qlog = await QueryLog.open(db)
    ButtonStore(qlog).remember(_state())
    await qlog.close()
    qlog = await QueryLog.open(db)
    fresh = ButtonStore(qlog)
    assert await fresh.recall("k3y-AbC_") == _state()
    assert await fresh.recall("unknown") is None
    await qlog.close()


@pytest.mark.parametrize("name", ["q.sqlite3", "with space #1?.sqlite3"])
async def test_state_is_read_back_from_a_relative_or_odd_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.chdir(tmp_path)
    qlog = await QueryLog.open(Path(name))
    ButtonStore(qlog).remember(_state())
    await qlog.flush()
    assert await ButtonStore(qlog).recall("k3y-AbC_") == _state()
    await qlog.close()


async def test_without_a_log_state_lives_in_memory_only() -> None:
    store = ButtonStore(None)
    store.remember(_state())
    assert await store.recall("k3y-AbC_") == _state()
    assert await ButtonStore(None).recall("k3y-AbC_") is None
    assert await store.vote("k3y-AbC_", 5, 1, question="q", intent="lookup") == "added"
    assert await store.vote("k3y-AbC_", 5, 1, question="q", intent="lookup") == "removed"


async def test_memory_is_bounded(tmp_path: Path) -> None:
    qlog = await QueryLog.open(tmp_path / "q.sqlite3")
    store = ButtonStore(qlog, capacity=3)
    for i in range(10):
        store.remember(_state(key=f"key{i:04d}"))
    assert len(store._states) == 3
    await qlog.flush()
    assert await store.recall("key0000") == _state(key="key0000")  # read back from the database
    await qlog.close()


@pytest.mark.parametrize("clicks", list(itertools.product((1, -1), repeat=4)))
async def test_votes_follow_the_clicks(tmp_path: Path, clicks: tuple[int, ...]) -> None:
    """Any sequence of clicks leaves the vote a simple model predicts, in memory and in SQLite."""
    db = tmp_path / "q.sqlite3"
    qlog = await QueryLog.open(db)
    store = ButtonStore(qlog)
    expected = 0
    for vote in clicks:
        outcome = await store.vote("key1", 7, vote, question="q", intent="compare")  # type: ignore[arg-type]
        want = "removed" if expected == vote else "changed" if expected else "added"
        expected = 0 if expected == vote else vote
        assert outcome == want
    await qlog.flush()
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT answer, user_id, vote FROM feedback").fetchall()
    assert rows == ([("key1", 7, expected)] if expected else [])
    stats = await qlog.stats()
    assert (stats.votes_up, stats.votes_down) == (int(expected == 1), int(expected == -1))
    await qlog.close()


def test_migration_keeps_earlier_votes(tmp_path: Path) -> None:
    """A log from before one vote per user (schema 3, one row per click) upgrades with its rows counted."""
    db = tmp_path / "old.sqlite3"
    with sqlite3.connect(db) as conn:
        for script in MIGRATIONS[:3]:
            conn.executescript(script)
        conn.execute("PRAGMA user_version = 3")
        for vote in (1, 1, -1):  # the same user clicked three times, as the old buttons allowed
            conn.execute(
                "INSERT INTO feedback (at, source, user_id, question, intent, vote) "
                "VALUES ('t', 'discord', 9, 'q', 'x', ?)",
                (vote,),
            )
    store = LogStore.open(db)
    store.submit(VoteEntry("key1", 9, 1, "q", "lookup"))
    store.submit(VoteEntry("key1", 9, -1, "q", "lookup"))
    store.submit(FeedbackEntry("old-style", "lookup", 1, user_id=9))
    assert store.flush()
    stats = store.stats()
    store.close()
    assert (stats.votes_up, stats.votes_down) == (3, 2)
    assert store.schema_version() == len(MIGRATIONS)


def test_rows_that_could_not_be_written_are_spooled_and_written_later(tmp_path: Path) -> None:
    db = tmp_path / "q.sqlite3"
    LogStore.open(db).close()
    entries = [
        AnswerRecord("key1", 3, "a4000 vs a6000", "compare", _state(key="key1").to_json()),
        VoteEntry("key1", 3, 1, "a4000 vs a6000", "compare"),
        VoteEntry("key1", 4, -1, "a4000 vs a6000", "compare"),
        VoteEntry("key1", 4, 0),  # taken back
        LogEntry("a4000 vs a6000", "compare"),
    ]
    assert logspool.save(db, [(e.table, e.row()) for e in entries]) is not None
    store = LogStore.open(db)  # writes the spooled rows
    store.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT key, user_id FROM answers").fetchall() == [("key1", 3)]
        assert conn.execute("SELECT answer, user_id, vote FROM feedback").fetchall() == [("key1", 3, 1)]
        assert conn.execute("SELECT COUNT(*) FROM queries").fetchone()[0] == 1


def test_gpubot_stats_counts_the_votes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "q.sqlite3"
    monkeypatch.setenv("GPUBOT_DB", str(db))
    store = LogStore.open(db)
    for user, vote in ((1, 1), (2, 1), (3, -1)):
        store.submit(VoteEntry("key1", user, vote))  # type: ignore[arg-type]
    store.submit(VoteEntry("key1", 2, 0))
    store.close()
    assert main(["stats"]) == 0
    assert "Feedback: 👍 1  👎 1" in capsys.readouterr().out
    assert main(["stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["feedback"] == {"up": 1, "down": 1}


# -- custom ids -------------------------------------------------------------------------------------


class _Host:
    def __init__(self) -> None:
        self.buttons = ButtonStore(None)


def _custom_ids(view: discord.ui.View) -> list[str]:
    return [item.custom_id for item in view.children if isinstance(item, discord.ui.DynamicItem)]


def _templates_matching(custom_id: str) -> list[str]:
    return [cls.__name__ for cls in DYNAMIC_ITEMS if cls.__discord_ui_compiled_template__.fullmatch(custom_id)]


@pytest.mark.parametrize("pages", [None, 2, 30])
@pytest.mark.parametrize("ephemeral", [False, True])
def test_every_id_fits_and_matches_one_template(pages: int | None, ephemeral: bool) -> None:
    long_ids = [("x" * 120, "A GPU with a very long id"), ("rtx-pro-6000-blackwell-max-q", "RTX PRO 6000 Max-Q")]
    choices = long_ids + [(f"gpu-{i}", f"GPU {i}") for i in range(25)]
    state = _state(
        author_id=2**63 - 1,
        choices=choices,
        pages=[[{"title": str(n)}] for n in range(pages)] if pages else None,
        ephemeral=ephemeral,
    )
    for page in range(1, (pages or 1) + 1):
        view = build_view(state, page=page)
        custom_ids = _custom_ids(view)
        assert len(custom_ids) == len(set(custom_ids)) == len(view.children) <= 25
        for custom_id in custom_ids:
            assert len(custom_id) <= CUSTOM_ID_LIMIT, custom_id
            assert len(_templates_matching(custom_id)) == 1, custom_id
        rows = view.to_components()
        assert len(rows) <= 5 and all(len(r["components"]) <= 5 for r in rows)
        assert (
            any(c.endswith(":" + str(state.author_id)) and c.startswith("gpubot:del:") for c in custom_ids) != ephemeral
        )
    # The id too long for a custom_id is picked by its index among the choices.
    assert any(re.fullmatch(r"gpubot:pick:#0:.*", c) for c in _custom_ids(build_view(state)))


@pytest.mark.parametrize("legacy", ["gpubot:pick:rtx-a6000", "gpubot:all", "gpubot:vote:1", "gpubot:vote:-1"])
def test_ids_from_before_answer_keys_still_match_one_template(legacy: str) -> None:
    assert len(_templates_matching(legacy)) == 1


@pytest.mark.parametrize(
    "question",
    [
        "rtx 6000 specs",
        "a4000 vs a6000",
        "compare h100 sxm, a100 80gb sxm, mi300x and h200 sxm all specs",
        "t4 vram",
        "best pizza?",
    ],
)
def test_present_saves_what_the_buttons_need(engine: Engine, question: str) -> None:
    host = _Host()
    answer = engine.ask(question)
    messages, view, state = present(host, answer, author_id=42)  # type: ignore[arg-type]
    assert host.buttons._states[state.key] is state
    assert state.question == question and state.choices == [(c.gpu, c.label) for c in answer.choices]
    picks = [c for c in _custom_ids(view) if c.startswith("gpubot:pick:")]
    assert len(picks) == min(len(answer.choices), 20)
    if state.pages:  # one message, the first page; the rest behind ▶
        assert len(messages) == 1 and [e.to_dict() for e in messages[0]] == state.pages[0]
        assert any(c.startswith("gpubot:next:") for c in _custom_ids(view))


def test_a_page_shows_every_row_once(engine: Engine) -> None:
    answer: Answer = engine.all_specs(["h100-sxm", "a100-80gb-sxm", "mi300x", "h200-sxm"], question="all")
    _, _, state = present(_Host(), answer, author_id=1, full=True)  # type: ignore[arg-type]
    assert state.pages and answer.table is not None
    names = [f["name"] for page in state.pages for e in page for f in e.get("fields", []) if f["name"] != "Note"]
    assert names == [row.label for row in answer.table.rows]
    assert not state.all_specs  # the full answer has no "Show all" button of its own


def test_choices_keep_their_labels() -> None:
    answer = Answer(question="q", intent="clarify", title="t", choices=[Choice("rtx-a6000", "RTX A6000 (48 GB)")])
    _, view, _ = present(_Host(), answer, author_id=1)  # type: ignore[arg-type]
    labels = [item.item.label for item in view.children if isinstance(item, discord.ui.DynamicItem)]
    assert "RTX A6000 (48 GB)" in labels


def test_old_button_state_is_pruned_and_votes_stay(tmp_path: Path) -> None:
    import datetime as dt

    from bot.buttons_db import prune_answers

    db = tmp_path / "q.sqlite3"
    store = LogStore(db)
    now = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
    for key, days in (("old-key1", 400), ("mid-key2", 100), ("new-key3", 1)):
        store.submit(
            AnswerRecord(
                key=key, user_id=1, question="q", intent="lookup", state="{}", at=now - dt.timedelta(days=days)
            )
        )
    store.submit(VoteEntry("old-key1", 7, 1, "q", "lookup"))
    assert store.flush()
    conn = sqlite3.connect(db)
    assert prune_answers(conn, 0, now) == 0  # 0 keeps everything
    assert prune_answers(conn, 180, now) == 1
    assert [r[0] for r in conn.execute("SELECT key FROM answers ORDER BY key")] == ["mid-key2", "new-key3"]
    assert conn.execute("SELECT COUNT(*) FROM feedback WHERE answer = 'old-key1'").fetchone()[0] == 1
    conn.close()


async def test_the_store_prunes_off_the_loop_and_copes_without_a_database(tmp_path: Path) -> None:
    assert await ButtonStore(None).prune(180) is None  # no query log: nothing to prune
    qlog = await QueryLog.open(tmp_path / "q.sqlite3")
    try:
        store = ButtonStore(qlog)
        await qlog.flush()
        assert await store.prune(180) == 0
    finally:
        await qlog.close()
