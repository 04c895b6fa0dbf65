"""The gpubot command, run in-process and as a real subprocess."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "queries.sqlite3"
    monkeypatch.setenv("GPUBOT_DB", str(db))
    monkeypatch.delenv("GPUBOT_SPECS", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env from the work tree
    return db


def test_ask_json(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "A4000 vs A6000", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["intent"] == "compare" and data["gpus"] == ["rtx-a4000", "rtx-a6000"]


def test_ask_words_are_joined(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "a6k", "bandwidth?"]) == 0
    assert "768 GB/s" in capsys.readouterr().out


def _batch(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], text: str) -> list[dict[str, Any]]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    assert main(["ask", "--json", "-"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def _help_answer(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """What `gpubot ask ""` answers: what a blank batch line gets."""
    assert main(["--no-log", "ask", "", "--json"]) == 0
    return dict(json.loads(capsys.readouterr().out))


def test_batch_mode_keeps_order(env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    questions = ["a6k bandwidth", "", "rtx 6000 specs", "A4000 vs A6000", "hello", "@everyone ```"]
    answers = _batch(monkeypatch, capsys, "\n".join(questions) + "\n")
    assert [a["question"] for a in answers] == questions
    assert [a["intent"] for a in answers] == ["lookup", "unknown", "clarify", "compare", "unknown", "unknown"]


@pytest.mark.parametrize(
    "text",
    [
        "\n\na6k bandwidth\nt4 vram\n",  # blank lines first
        "a6k bandwidth\n\n\nt4 vram\n",  # in the middle
        "a6k bandwidth\nt4 vram\n\n\n",  # at the end
        "a6k bandwidth\n   \n\t\nt4 vram",  # spaces and a tab; no newline after the last line
        "a6k bandwidth\r\n\r\n \r\nt4 vram\r\n",  # CRLF line endings
    ],
    ids=["start", "middle", "end", "whitespace", "crlf"],
)
def test_batch_output_lines_up_with_input_lines(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    help_answer = _help_answer(capsys)
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    lines = lines[:-1] if text.endswith("\n") else lines  # a final newline ends the last line
    answers = _batch(monkeypatch, capsys, text)
    assert [a["question"] for a in answers] == lines
    for line, answer in zip(lines, answers, strict=True):
        if line.strip():
            assert answer["intent"] == "lookup" and answer["gpus"], answer
        else:
            assert {**answer, "question": ""} == help_answer
    # Blank lines are not questions: only the two real ones are logged.
    assert main(["stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 2


def test_batch_answers_a_very_long_line_on_one_line(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    long_line = "a6000 vs a4000 " * 7000 + "\u2028 \x85 ```@everyone"
    answers = _batch(monkeypatch, capsys, f"\n{long_line}\nt4 vram\n")
    assert [a["question"] for a in answers] == ["", long_line, "t4 vram"]


def test_batch_text_mode_answers_blank_lines_too(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n a6k bandwidth\n  \n"))
    assert main(["ask", "-"]) == 0
    out = capsys.readouterr().out
    assert out.count("I can help with GPU questions") == 2 and "768 GB/s" in out
    assert out.index("I can help") < out.index("768 GB/s") < out.rindex("I can help")


def test_batch_from_a_real_stdin_splits_at_newlines_only(tmp_path: Path) -> None:
    """Through a pipe: CRLF endings are dropped, and a lone CR does not start a line (a consumer counting
    newlines sees as many lines as we answer)."""
    env = {**os.environ, "GPUBOT_DB": str(tmp_path / "q.sqlite3")}
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "-"],
        input=b"a6k bandwidth\r\n\r\nt4 vram\rx\n\n",
        cwd=tmp_path,
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    answers = [json.loads(line) for line in proc.stdout.decode("utf-8").split("\n")[:-1]]
    assert [a["question"] for a in answers] == ["a6k bandwidth", "", "t4 vram\rx", ""]


def test_question_shows_up_in_stats(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["ask", "a6k bandwidth"])
    main(["ask", "what is love"])
    capsys.readouterr()
    assert main(["stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["total"] == 2 and stats["by_intent"] == {"lookup": 1, "unknown": 1}
    assert stats["top_gpus"][0]["gpu"] == "rtx-a6000"
    assert stats["unanswered"][0]["question"] == "what is love"
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert "lookup" in out and "rtx-a6000" in out and "what is love" in out


def test_no_log_flag(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--no-log", "ask", "a6k bandwidth"])
    assert not env.exists()


def test_catalog_commands(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "check"]) == 0
    assert "ok:" in capsys.readouterr().out
    assert main(["catalog", "export", "--json"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["count"] >= 40 and len(exported["gpus"]) == exported["count"]
    assert all(g["sources"] for g in exported["gpus"])
    assert main(["catalog", "show", "a6k"]) == 0
    out = capsys.readouterr().out
    assert "RTX A6000" in out and "768 GB/s" in out and "Notes:" in out
    assert main(["catalog", "show", "rtx 6000"]) == 1
    assert "did you mean" in capsys.readouterr().err
    assert main(["catalog", "list"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == exported["count"] + 1  # and the header


def test_catalog_check_fails_on_a_broken_copy(env: Path, specs_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = specs_copy / "gpus" / "nvidia-rtx-ampere.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["gpus"][1]["specs"]["memory_bandwidth_gbs"] = "fast"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    assert main(["--specs", str(specs_copy), "catalog", "check"]) == 1
    err = capsys.readouterr().err
    assert "nvidia-rtx-ampere.yaml" in err and "rtx-a6000" in err and "memory_bandwidth_gbs" in err


def test_ask_with_broken_catalog_says_why(env: Path, specs_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (specs_copy / "fields.yaml").write_text("fields: [", encoding="utf-8")
    assert main(["--specs", str(specs_copy), "ask", "a6000"]) == 1
    assert "fields.yaml: invalid YAML" in capsys.readouterr().err


def test_chat(env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("rtx 6000 bandwidth\n2\nhelp\nquit\n"))
    monkeypatch.setenv("XDG_DATA_HOME", str(env.parent / "data"))
    assert main(["chat"]) == 0
    out = capsys.readouterr().out
    assert "Type a number (1-" in out and "  1. " in out
    assert "GB/s" in out  # the picked GPU's bandwidth
    assert "Try:" in out


def test_python_dash_m_in_a_subprocess(tmp_path: Path) -> None:
    env = {**os.environ, "GPUBOT_DB": str(tmp_path / "q.sqlite3")}
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "rtx 6000 specs", "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["intent"] == "clarify"


def test_catalog_add_template_lists_every_field(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.catalog import load_catalog

    assert main(["catalog", "add"]) == 0
    out = capsys.readouterr().out
    for key, fdef in load_catalog().fields.items():
        assert f"      {key}: null" in out
        if fdef.unit:
            assert f"[{fdef.unit}]" in out


def test_strict_check_names_gpu_and_fields(env: Path, specs_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--specs", str(specs_copy), "catalog", "check", "--strict"]) == 0
    capsys.readouterr()
    for key, factor in (("memory_bandwidth_gbs", 1.1), ("fp32_tflops", 0.9)):
        path = specs_copy / "gpus" / "nvidia-rtx-ampere.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        spec = data["gpus"][1]["specs"]
        original = spec[key]
        spec[key] = round(original * factor, 1)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        assert main(["--specs", str(specs_copy), "catalog", "check"]) == 0  # warnings only
        assert main(["--specs", str(specs_copy), "catalog", "check", "--strict"]) == 1
        err = capsys.readouterr().err
        assert "rtx-a6000" in err and key in err and "expected" in err
        spec[key] = original
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_show_sources(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "show", "rtx-a6000", "--sources"]) == 0
    out = capsys.readouterr().out
    assert "Sources:" in out and "nvidia.com" in out and "768 MHz" in out
    assert "Memory bandwidth" not in out  # sources and notes only


def test_a_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    """`gpubot catalog list | head -1`: the reader leaves early; no traceback, exit 0."""
    env = {**os.environ, "GPUBOT_DB": str(tmp_path / "q.sqlite3")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "catalog", "list"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, stderr
    assert "Traceback" not in stderr


def test_explain_shows_evidence_rule_and_request(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-log", "ask", "--explain", "a6k bandwidth?"]) == 0
    out = capsys.readouterr().out
    assert "'a6k' -> rtx-a6000" in out and "rule:      look-up" in out and '"kind": "lookup"' in out
    assert "768 GB/s" in out  # the answer follows


def test_explain_json_is_one_line_per_question(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("rtx 6000 specs\nA4000 vs A6000\n"))
    assert main(["--no-log", "ask", "--json", "--explain", "-"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [d["explain"]["rule"] for d in lines] == ["ambiguous name", "comparison"]
    assert lines[0]["explain"]["request"]["ambiguous"][0]["text"] == "rtx 6000"
    assert lines[1]["intent"] == "compare" and lines[1]["explain"]["request"]["kind"] == "compare"


def test_stats_count_questions_by_rule(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["ask", "a6k bandwidth"])
    main(["ask", "what is love"])
    capsys.readouterr()
    assert main(["stats", "--json"]) == 0
    by_rule = {r["rule"]: r["kind"] for r in json.loads(capsys.readouterr().out)["by_rule"]}
    assert by_rule["look-up"] == "lookup" and by_rule["nothing to go on"] == "unknown"
