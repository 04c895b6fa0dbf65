"""Truth checks: careless edits next to a note fail ``gpubot catalog check --strict``; the shipped catalog passes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.catalog import load_catalog
from bot.checks import check_catalog
from bot.cli import main


def _set_spec(specs: Path, file: str, gpu_id: str, key: str, value: str) -> None:
    """Edit one spec line of one GPU in the YAML text, as a person would."""
    path = specs / "gpus" / file
    text = path.read_text(encoding="utf-8")
    start = re.search(rf"^\s*- id: {re.escape(gpu_id)}\s*$", text, re.M)
    assert start is not None, gpu_id
    end = re.compile(r"^\s*- id: ", re.M).search(text, start.end())
    stop = end.start() if end else len(text)
    block, count = re.subn(rf"^(\s*{key}):.*$", rf"\1: {value}", text[start.end() : stop], count=1, flags=re.M)
    assert count == 1, (gpu_id, key)
    path.write_text(text[: start.end()] + block + text[stop:], encoding="utf-8")


# The five careless edits: each passed `gpubot catalog check --strict` while a note switched checks off.
CARELESS_EDITS = [
    # (file, GPU, field, new value, rule the message must name)
    ("nvidia-datacenter.yaml", "a100-80gb-sxm", "fp32_tflops", "91.5", "fp32"),  # the GPU has an FP32 note
    ("nvidia-datacenter.yaml", "h100-sxm", "fp16_tensor_tflops", "1979", "tensor-ratio"),  # the sparse headline
    ("nvidia-datacenter.yaml", "a100-80gb-sxm", "fp8_tensor_tflops", "624", "tensor-format"),  # Ampere has no FP8
    ("nvidia-geforce.yaml", "rtx-4090", "nvlink", "true", "nvlink"),  # with no NVLink bandwidth
    ("nvidia-legacy.yaml", "gtx-1080-ti", "fp16_tensor_tflops", "22.7", "needs-units"),  # with tensor_cores: 0
]


@pytest.fixture
def no_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GPUBOT_SPECS", raising=False)
    monkeypatch.chdir(tmp_path)


def test_shipped_catalog_passes_strict(no_env: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "check", "--strict"]) == 0
    assert "warnings" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("file", "gpu_id", "key", "value", "rule"), CARELESS_EDITS, ids=[f"{e[1]}.{e[2]}" for e in CARELESS_EDITS]
)
def test_careless_edit_fails_strict_check(
    no_env: None,
    specs_copy: Path,
    capsys: pytest.CaptureFixture[str],
    file: str,
    gpu_id: str,
    key: str,
    value: str,
    rule: str,
) -> None:
    _set_spec(specs_copy, file, gpu_id, key, value)
    assert main(["--specs", str(specs_copy), "catalog", "check", "--strict"]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    named = [e for e in errors if f": {gpu_id}: " in e and key in e and f"[{rule}]" in e]
    assert named, errors


def test_a_note_backs_only_its_value(specs_copy: Path) -> None:
    """The H100's FP16 note backs 989.4 (rated at ~1830 MHz, not the 1980 MHz boost): another value fails."""
    catalog = load_catalog(specs_copy)
    assert [n.value for n in catalog.gpus["h100-sxm"].notes_for("fp16_tensor_tflops")] == [989.4]
    _set_spec(specs_copy, "nvidia-datacenter.yaml", "h100-sxm", "fp16_tensor_tflops", "998.4")  # swapped digits
    problems = [p for p in check_catalog(load_catalog(specs_copy)) if p.gpu == "h100-sxm"]
    assert {p.rule for p in problems} >= {"note-value"}


def test_unconfirmed_means_null(specs_copy: Path) -> None:
    _set_spec(specs_copy, "intel-more.yaml", "gpu-max-1100", "nvlink_bandwidth_gbs", "53")
    problems = [str(p) for p in check_catalog(load_catalog(specs_copy)) if p.gpu == "gpu-max-1100"]
    assert any("nvlink_bandwidth_gbs" in p and "[note-value]" in p for p in problems), problems
