"""specs/runtimes.yaml and bot/runtimes.py: every figure sourced, names found however typed, mistakes named by file,
entry and field, and the budget functions against the sources' own numbers."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.catalog import CatalogError
from bot.runtimes import (
    KINDS,
    KV_ALLOCATIONS,
    Runtimes,
    cache_bytes_per_element,
    kv_allocation,
    llamacpp_compute_buffer_mib,
    load_runtimes,
    ollama_default_context,
    sharded_bytes_per_param,
    usable_fraction,
)
from tests.conftest import SPECS

URL = re.compile(r"^https?://\S+$")


@pytest.fixture(scope="module")
def runtimes() -> Runtimes:
    return load_runtimes(SPECS)


def _get(runtimes: Runtimes, runtime_id: str) -> Any:
    found = runtimes.get(runtime_id)
    assert found is not None, runtime_id
    return found


# --- the data ----------------------------------------------------------------------------------------------------


def test_every_figure_has_a_source_and_the_sources_words(runtimes: Runtimes) -> None:
    for rt in runtimes.runtimes:
        assert URL.match(rt.repo), rt.id
        assert rt.kind in KINDS and rt.kv_allocation in KV_ALLOCATIONS, rt.id
        for p in rt.params:
            assert URL.match(p.source), f"{rt.id}: {p.name}"
            assert len(p.quote) >= 10, f"{rt.id}: {p.name}: quote the source"
            assert p.unit, f"{rt.id}: {p.name}"
            assert p.value not in (None, ""), f"{rt.id}: {p.name}"
    rule = runtimes.compute_buffer
    assert URL.match(rule.source) and rule.quote
    for s in rule.samples:
        assert URL.match(s.source) and f"{s.printed_mib:.2f} MiB" in s.quote, s.model
    assert URL.match(runtimes.training.source) and runtimes.training.quote
    for strategy in runtimes.training.strategies:
        assert URL.match(strategy.source) and strategy.quote, strategy.id
    assert URL.match(runtimes.reference_source)


def test_the_runtimes_the_issue_names_are_all_there(runtimes: Runtimes) -> None:
    ids = {r.id for r in runtimes.runtimes}
    assert {"vllm", "sglang", "tgi", "llama.cpp", "ollama", "lm-studio", "exllamav2", "transformers"} <= ids


def test_a_changed_default_lists_each_version_and_answers_assume_the_first(runtimes: Runtimes) -> None:
    vllm = _get(runtimes, "vllm")
    assert [p.value for p in vllm.history("gpu_memory_utilization")] == [0.9, 0.92]
    assert all(p.versions for p in vllm.history("gpu_memory_utilization"))
    ollama = _get(runtimes, "ollama")
    assert len(ollama.history("num_ctx")) == 3
    assert all(p.versions for p in ollama.history("num_ctx"))


def test_the_assumed_runtime_is_named_with_a_reason(runtimes: Runtimes) -> None:
    inference = runtimes.assumed_for("inference")
    training = runtimes.assumed_for("training")
    assert inference is not None and inference.id == "llama.cpp"
    assert training is not None and training.id == "transformers"
    assert all(a.reason for a in runtimes.assumed.values())
    assert runtimes.assumed_for("rendering") is None


def test_bitsandbytes_nf4_constants_match_the_qlora_paper(runtimes: Runtimes) -> None:
    bnb = _get(runtimes, "transformers")
    plain, double = bnb.param("nf4_constants_bits"), bnb.param("nf4_double_quant_constants_bits")
    assert plain is not None and double is not None
    assert plain.value == 32 / 64
    assert double.value == round(8 / 64 + 32 / (64 * 256), 3)
    assert bnb.param("bnb_skipped_modules") is not None


def test_front_ends_name_the_runtimes_they_load(runtimes: Runtimes) -> None:
    webui = _get(runtimes, "text-generation-webui")
    assert set(webui.runs) == {"llama.cpp", "exllamav2", "transformers"}
    assert _get(runtimes, "lm-studio").runs == ("llama.cpp",)


# --- names -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "runtime_id"),
    [
        ("vllm", "vllm"),
        ("vLLM", "vllm"),
        ("sglang", "sglang"),
        ("TGI", "tgi"),
        ("text-generation-inference", "tgi"),
        ("llama.cpp", "llama.cpp"),
        ("llamacpp", "llama.cpp"),
        ("llama-cpp", "llama.cpp"),
        ("llama-server", "llama.cpp"),
        ("Ollama", "ollama"),
        ("LM Studio", "lm-studio"),
        ("lmstudio", "lm-studio"),
        ("lm-studio", "lm-studio"),
        ("koboldcpp", "koboldcpp"),
        ("exl2", "exllamav2"),
        ("ExLlamaV2", "exllamav2"),
        ("TabbyAPI", "exllamav2"),
        ("text-generation-webui", "text-generation-webui"),
        ("oobabooga", "text-generation-webui"),
        ("hf transformers", "transformers"),
        ("bnb", "transformers"),
        ("bitsandbytes", "transformers"),
        ("ZeRO-3", "deepspeed"),
        ("FSDP", "fsdp"),
        ("unsloth", "unsloth"),
    ],
)
def test_names_are_found_however_typed(runtimes: Runtimes, typed: str, runtime_id: str) -> None:
    found = runtimes.find(typed)
    assert found is not None and found.id == runtime_id


@pytest.mark.parametrize("typed", ["", "mlx", "pytorch lightning", "rtx 4090"])
def test_other_names_are_not_runtimes(runtimes: Runtimes, typed: str) -> None:
    assert runtimes.find(typed) is None


# --- the budgets -------------------------------------------------------------------------------------------------


def test_usable_fraction_of_total_memory(runtimes: Runtimes) -> None:
    assert usable_fraction(_get(runtimes, "vllm"), 24) == 0.9
    assert usable_fraction(_get(runtimes, "tgi"), 24) == 1.0
    sglang = _get(runtimes, "sglang")
    # server_args.py: a 24 GiB card reserves 2.8 + 1/10 GiB; an 80 GiB card 9.5 + 1/2; B200-class 32 GiB flat.
    assert usable_fraction(sglang, 24) == round((24 - 2.9) / 24, 3)
    assert usable_fraction(sglang, 80) == round((80 - 10) / 80, 3)
    assert usable_fraction(sglang, 80, parallel=8) == round((80 - 13.5) / 80, 3)
    assert usable_fraction(sglang, 180) == round((180 - 32) / 180, 3)
    for local in ("llama.cpp", "ollama", "exllamav2", "transformers"):
        assert usable_fraction(_get(runtimes, local), 24) is None, local


def test_kv_allocation_per_runtime(runtimes: Runtimes) -> None:
    expected = {"vllm": "pool", "sglang": "pool", "tgi": "pool", "llama.cpp": "full_context"}
    expected |= {"ollama": "full_context", "exllamav2": "max_seq_len", "transformers": "dynamic"}
    for runtime_id, shape in expected.items():
        assert kv_allocation(_get(runtimes, runtime_id)) == shape


@pytest.mark.parametrize(
    ("vram_gib", "ctx"), [(8, 4096), (16, 4096), (24, 32768), (23, 32768), (48, 262144), (80, 262144)]
)
def test_ollama_default_context_by_vram(runtimes: Runtimes, vram_gib: float, ctx: int) -> None:
    assert ollama_default_context(_get(runtimes, "ollama"), vram_gib) == ctx


def test_ollama_default_context_is_none_for_other_runtimes(runtimes: Runtimes) -> None:
    assert ollama_default_context(_get(runtimes, "vllm"), 24) is None


def test_the_compute_buffer_rule_matches_every_printed_figure(runtimes: Runtimes) -> None:
    rule = runtimes.compute_buffer
    assert rule.runtime == "llama.cpp" and rule.flash_attention is False
    assert len(rule.samples) >= 4
    for s in rule.samples:
        predicted = llamacpp_compute_buffer_mib(s.n_embd, s.n_head, s.n_vocab, s.n_ctx, s.n_ubatch)
        assert abs(predicted - s.printed_mib) <= rule.tolerance_mib, f"{s.model}: {predicted:.2f} vs {s.printed_mib}"


def test_the_compute_buffer_grows_with_context_and_micro_batch() -> None:
    small = llamacpp_compute_buffer_mib(4096, 32, 128256, 4096)
    assert llamacpp_compute_buffer_mib(4096, 32, 128256, 32768) > 7 * small
    assert llamacpp_compute_buffer_mib(4096, 32, 128256, 4096, n_ubatch=1024) == pytest.approx(2 * small, rel=1e-3)
    # A tiny context: the logits of one micro-batch are the larger buffer.
    assert llamacpp_compute_buffer_mib(4096, 32, 128256, 16) == pytest.approx(4 * 512 * (4096 + 128256) / 2**20)


@pytest.mark.parametrize(
    ("mode", "expected"),
    # cache.py: FP16 2 bytes, FP8 1; Q4 half a byte, Q6 K at 8 bits and V at 4, Q8 a byte; Q modes add one FP16 scale
    # per 32 elements.
    [("fp16", 2.0), ("fp8", 1.0), ("q4", 0.5 + 2 / 32), ("q6", 0.75 + 2 / 32), ("q8", 1 + 2 / 32), ("q5", None)],
)
def test_exllamav2_cache_bytes_per_element(runtimes: Runtimes, mode: str, expected: float | None) -> None:
    assert cache_bytes_per_element(_get(runtimes, "exllamav2"), mode) == expected


def test_cache_bytes_are_none_where_the_data_has_none(runtimes: Runtimes) -> None:
    assert cache_bytes_per_element(_get(runtimes, "vllm"), "fp16") is None


def test_full_context_runtimes_show_the_allocation_at_load(runtimes: Runtimes) -> None:
    llama = _get(runtimes, "llama.cpp")
    at_load = llama.param("kv_allocated_at_load")
    assert at_load is not None and at_load.value is True
    # f16 KV of the same model: 256 MiB at 2048 tokens, 4096 MiB at 32768 - sixteen times the context, sixteen times
    # the memory, before any prompt.
    assert "256.00 MiB" in at_load.quote and "4096.00 MiB" in at_load.quote
    assert _get(runtimes, "ollama").param("num_parallel_scales_memory") is not None


@pytest.mark.parametrize(
    ("strategy", "gpus", "expected"),
    [
        ("ddp", 8, 16.0),
        ("zero-1", 8, 2 + 2 + 12 / 8),
        ("zero-2", 8, 2 + (2 + 12) / 8),
        ("zero-3", 8, 16 / 8),
        ("fsdp-full-shard", 4, 16 / 4),
        ("zero-3", 1, 16.0),
    ],
)
def test_sharded_training_bytes_per_parameter(runtimes: Runtimes, strategy: str, gpus: int, expected: float) -> None:
    assert sharded_bytes_per_param(runtimes.training, strategy, gpus) == pytest.approx(expected)


def test_sharding_needs_a_known_strategy_and_a_gpu(runtimes: Runtimes) -> None:
    assert sharded_bytes_per_param(runtimes.training, "zero-4", 8) is None
    assert sharded_bytes_per_param(runtimes.training, "zero-3", 0) is None


def test_unsloth_reference_points_grow_with_size(runtimes: Runtimes) -> None:
    points = runtimes.reference_points
    assert [p.params_b for p in points] == sorted(p.params_b for p in points)
    assert all(p.qlora_gb < p.lora_gb for p in points)
    eight_b = next(p for p in points if p.params_b == 8)
    assert (eight_b.qlora_gb, eight_b.lora_gb) == (6, 22)


# --- mistakes are named ------------------------------------------------------------------------------------------


def _vllm(data: dict[str, Any]) -> dict[str, Any]:
    return next(r for r in data["runtimes"] if r["id"] == "vllm")


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        _vllm(data)["params"][0][key] = value

    return edit


def _drop(key: str) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        del _vllm(data)["params"][0][key]

    return edit


def _entry(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        _vllm(data)[key] = value

    return edit


def _sample(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        data["compute_buffer"]["samples"][0][key] = value

    return edit


def _section(name: str) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        del data[name]

    return edit


def _assume(runtime: str) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        data["assumed"]["inference"]["runtime"] = runtime

    return edit


def _shards(parts: list[str]) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        data["training"]["strategies"][0]["shards"] = parts

    return edit


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_drop("source"), "runtimes.yaml: vllm: gpu_memory_utilization: source: must be non-empty text"),
        (_set("source", "the vLLM docs"), "runtimes.yaml: vllm: gpu_memory_utilization: source: must be a URL"),
        (_drop("quote"), "runtimes.yaml: vllm: gpu_memory_utilization: quote: must be non-empty text"),
        (_set("value", None), "runtimes.yaml: vllm: gpu_memory_utilization: value: `value` is required"),
        (_drop("unit"), "runtimes.yaml: vllm: params[0]: unit: `unit` is required"),
        (_set("colour", "red"), "runtimes.yaml: vllm: params[0]: unknown keys ['colour']"),
        (_entry("kind", "cloud"), "runtimes.yaml: vllm: kind: must be one of"),
        (_entry("kv_allocation", "paged"), "runtimes.yaml: vllm: kv_allocation: must be one of"),
        (_entry("repo", "github"), "runtimes.yaml: vllm: repo: must be a URL"),
        (_entry("aliases", ["ollama"]), "runtimes.yaml: vllm: aliases: 'ollama' is already a name of ollama"),
        (_entry("aliases", ["LM-Studio"]), "runtimes.yaml: vllm: aliases: 'LM-Studio' is already a name of lm-studio"),
        (_entry("runs", ["mlx"]), "runtimes.yaml: vllm: runs: unknown runtime 'mlx'"),
        (_entry("params", None), "runtimes.yaml: vllm: params: must be a list"),
        (_entry("id", "vLLM!"), "runtimes.yaml: vLLM!: id: ids are lowercase words"),
        (_sample("printed_mib", "164"), "runtimes.yaml: compute_buffer: samples[0]: printed_mib: must be a number"),
        (_sample("n_ctx", 2048.5), "runtimes.yaml: compute_buffer: samples[0]: n_ctx: must be a whole number"),
        (_section("training"), "runtimes.yaml: training: section 'training' is missing"),
        (_assume("mlx"), "runtimes.yaml: assumed: inference: runtime: unknown runtime 'mlx'"),
        (_shards(["activations"]), "runtimes.yaml: training: strategies[0]: shards: unknown part 'activations'"),
    ],
)
def test_a_mistake_names_file_entry_and_field(
    tmp_path: Path, edit: Callable[[dict[str, Any]], None], message: str
) -> None:
    data = yaml.safe_load((SPECS / "runtimes.yaml").read_text(encoding="utf-8"))
    edit(data)
    (tmp_path / "runtimes.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_runtimes(tmp_path)
    assert message in str(err.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"runtimes\.yaml: file not found"):
        load_runtimes(tmp_path)
