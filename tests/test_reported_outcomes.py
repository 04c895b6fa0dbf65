"""The regression suite of issue 11: every real reported outcome (tests/estimates/reports.yaml, each with its public
source) gets the verdict people reported, and every measured decode speed is estimated within ±30%, except the
cases listed below, each with the mechanism the estimate does not model.

The cases are built by tests/estimates/cases.py, the same code ``benchmarks/bench_estimates.py`` prints from: the
plan ``gpubot ask`` makes for the question with the report's runtime named. A listed case that starts agreeing
fails too, so the tables only ever shrink by being updated.
"""

from __future__ import annotations

import pytest

from tests.estimates.cases import WITHIN, Case, Engine
from tests.estimates.load import load_reports

REPORTS = load_reports()

#: Reported outcomes the estimate gets wrong today: id -> the mechanism not modelled (one line each).
VERDICT_MISSES: dict[str, str] = {
    "vllm-2348-llama2-70b-fp16-8xv100": "utilization 1.0: the pool takes all the profiling run leaves",
    "vllm-2856-llama2-70b-awq-8xa10g": "0.2.7 captures graphs after the pool, in the 10% left: TP 8's graph memory",
    "vllm-17469-qwen3-30b-a3b-4xa10-vllm": "0.8.5 captures graphs after the pool, in the 10% left (eager fits)",
    # the request-to-token table is modelled (8.2 GB/GPU outside the share) but the 0.2 share leaves 28 GiB; a local-
    # attention buffer that grew with the context (SGLang PR 6273) may explain it, if 0.4.6.post5 predates the fix
    "sglang-6817-llama4-scout-8xh200-1m": "0.4.6.post5's other buffers outside mem_fraction_static at 1M tokens",
    # the warm-up prefill's logits are modelled (0.8 GB/GPU); the estimate still leaves 15 GB per GPU
    "tgi-734-llama2-70b-fp16-2xa100": "not the warm-up prefill ('very barely' fits): no mechanism found in v0.9.x",
    "rocm-vllm-397-llama2-70b-fp8-mi300x": "a 65,536-token batch at utilization 0.99: what runs in the 1% left",
    "xd-l3-8b-f16-4080-8k-oom": "estimated borderline, 0.6% under the card: llama.cpp's CUDA pool for temporaries",
    "ollama-9701-gemma3-27b-4090-spill": "Ollama 0.6.0's own Gemma 3 memory estimate (a release bug, per the thread)",
    # agreed only while the entry lacked its stated ZeRO-3 + CPU offload (costed as data-parallel, 80+ GB a GPU)
    "fastchat-1687-falcon40b-lora-8xa100-80": "ZeRO-3 offload: 80 GB of frozen weights in pinned RAM (host OOM?)",
}

#: Measured decode speeds the estimate misses by more than ±30% today: id -> the mechanism not modelled.
SPEED_MISSES: dict[str, str] = {
    # eager launches are modelled (327 µs a layer, fitted mostly on transformers on one H20): 42 tokens/s, not 20
    "vllm-17469-qwen3-30b-a3b-4xa10-eager": "eager TP over 4 PCIe A10s: NCCL all-reduces outside a CUDA graph",
    # MoE expert dispatch fits at 3 µs a MoE layer on the calibration MoE cases: no per-layer MoE constant explains it
    "vllm-17469-qwen3-30b-a3b-4xa10-sglang": "MoE tensor parallel over PCIe on A10s: all-reduce per layer",
    "xd-l2-70b-q40-2x3090": "llama.cpp's layer split across consumer cards (Dec 2023 build)",
    "xd-l2-70b-q40-4x4000ada": "llama.cpp's layer split across consumer cards (Dec 2023 build)",
    "xd-l2-70b-f16-6x4090": "llama.cpp's layer split across consumer cards (Dec 2023 build)",
    "mlcbench-llama2-7b-3090ti-exllama": "ExLlama v1's GPTQ kernel efficiency at a short context",
    "mlcbench-llama2-13b-3090ti-exllama": "ExLlama v1's GPTQ kernel efficiency at a short context",
    "ikllama-263-deepseek-r1-mixq-16x3090": "ik_llama.cpp across 16 cards: per-hop overhead of the split",
    "sglang-3656-deepseek-r1-16xh100-sglang": "DeepSeek MoE across 2 nodes: expert and tensor-parallel communication",
    "sglang-3656-deepseek-r1-16xh100-vllm": "DeepSeek MoE across 2 nodes: expert and tensor-parallel communication",
    "sglang-3196-deepseek-v3-8xh200": "DeepSeek MoE with MLA on 8 GPUs: communication, not bandwidth, bounds decode",
}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def _case(engine: Engine, report_id: str) -> Case:
    return engine.case(next(r for r in REPORTS if r.id == report_id))


def test_the_tables_name_real_reports() -> None:
    ids = {r.id for r in REPORTS}
    assert set(VERDICT_MISSES) <= {r.id for r in REPORTS if r.outcome}
    assert set(SPEED_MISSES) <= {r.id for r in REPORTS if r.tokens_per_s is not None}
    assert ids  # the suite has reports to check


def test_the_suite_is_the_size_the_issue_asks() -> None:
    """At least 50 reported outcomes and 25 measured speeds, each with a public source."""
    assert sum(r.outcome is not None for r in REPORTS) >= 50
    assert sum(r.tokens_per_s is not None for r in REPORTS) >= 25
    assert all(r.source.startswith("https://") for r in REPORTS)


@pytest.mark.parametrize("report_id", [r.id for r in REPORTS if r.outcome], ids=str)
def test_verdict_matches_the_reported_outcome(engine: Engine, report_id: str) -> None:
    c = _case(engine, report_id)
    said = (
        f"{report_id}: reported {c.report.outcome}, estimated {c.verdict} "
        f"({c.est.per_gpu_gb:.1f} GB per GPU vs {c.capacity_gb:.1f} GB)"
    )
    if report_id in VERDICT_MISSES:
        assert not c.agrees, f"{said}: now agrees, remove it from VERDICT_MISSES"
    else:
        assert c.agrees, said


@pytest.mark.parametrize("report_id", [r.id for r in REPORTS if r.tokens_per_s is not None], ids=str)
def test_speed_within_the_band(engine: Engine, report_id: str) -> None:
    c = _case(engine, report_id)
    error = c.speed_error
    said = f"{report_id}: estimated {c.tokens_per_s} tokens/s, measured {c.report.tokens_per_s:g} ({error})"
    within = error is not None and abs(error) <= WITHIN
    if report_id in SPEED_MISSES:
        assert not within, f"{said}: now within ±{WITHIN:.0%}, remove it from SPEED_MISSES"
    else:
        assert within, said
