"""How each runtime really places memory (issue 11): llama.cpp's input layer in system RAM, its row split's KV
cache on the main GPU, its MXFP4_MOE GGUF of a native-MXFP4 release (non-MoE tensors in Q8_0), vLLM's padded MXFP4
expert layout, DeepSpeed ZeRO-3 with CPU offload, and the report settings the regression suite applies.
Each mechanism is sourced in specs/runtimes.yaml; these tests check it with several models, cards and GPU counts."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from bot.estimator import BYTES_PER_PARAM, GB, estimate, max_context
from bot.estimator_runtime import (
    DEFAULT_INFERENCE,
    GGUF_MXFP4_LAYOUT,
    HOST_EMBEDDINGS,
    build_budgets,
    mxfp4_padding_gb,
    on_card,
    sampler_peak_gb,
)
from bot.estimator_speed import bytes_read_gb
from bot.estimator_startup import (
    REQ_TABLE,
    WARMUP_LOGITS,
    req_to_token_bytes,
    running_requests,
    warmup_logits_bytes,
)
from bot.estimator_strategy import LIVE_PARAMETERS, OFFLOADED, SHARDS
from bot.handlers.fit_memory import outside_text
from bot.models import load_models
from bot.runtimes import load_runtimes
from bot.runtimes_buffer import MASK_BYTES_FLASH, llamacpp_compute_buffer_mib, llamacpp_flash_buffer_mib
from tests.estimates.cases import budget_of
from tests.estimates.load import Report, ReportError, _settings

SPECS = Path(__file__).resolve().parent.parent / "specs"
MODELS = {k: v.shape for k, v in dict(load_models(SPECS)).items()}
BUDGETS = build_budgets(load_runtimes(SPECS))
GIB = 2**30


# -- llama.cpp keeps the token embeddings in system RAM -------------------------------------------------------------


@pytest.mark.parametrize("runtime", ["llama.cpp", "ollama", "lm-studio", "koboldcpp"])
@pytest.mark.parametrize(
    ("model", "precision"),
    [
        ("llama-3-8b", "fp16"),
        ("llama-3-8b", "q4_k_m"),
        ("mistral-7b-v0.3", "q8_0"),
        ("qwen2.5-7b", "q6_k"),
        ("llama-2-70b", "q4_0"),
        ("qwen2.5-7b", "int8"),
    ],
)
def test_llamacpp_runtimes_leave_untied_token_embeddings_in_system_ram(
    runtime: str, model: str, precision: str
) -> None:
    shape = MODELS[model]
    assert not shape.tied_embeddings and shape.vocab_size and shape.hidden_size
    est = estimate(shape, precision=precision, context=4096, runtime=BUDGETS[runtime])
    bpp = BYTES_PER_PARAM["bf16" if precision == "int8" else precision]  # 8-bit keeps embeddings in 16-bit
    assert est.terms[HOST_EMBEDDINGS] == pytest.approx(-shape.vocab_size * shape.hidden_size * bpp / GB)
    assert est.per_gpu_gb == pytest.approx(sum(est.terms.values()))
    assert any("system RAM" in a for a in est.assumptions)


@pytest.mark.parametrize("model", ["llama-3.2-1b", "llama-3.2-3b", "qwen2.5-0.5b", "gemma-2-9b"])
def test_a_tied_model_keeps_its_one_vocabulary_matrix_on_the_gpu(model: str) -> None:
    """Its output layer, on the GPU, is that same matrix (llama.cpp duplicates it there)."""
    assert MODELS[model].tied_embeddings
    est = estimate(MODELS[model], precision="q8_0", context=4096, runtime=BUDGETS["llama.cpp"])
    assert HOST_EMBEDDINGS not in est.terms


@pytest.mark.parametrize("runtime", ["vllm", "sglang", "tgi", "exllamav2", "transformers"])
def test_other_runtimes_keep_the_embeddings_on_the_gpu(runtime: str) -> None:
    est = estimate(MODELS["llama-3-8b"], precision="fp16", context=4096, runtime=BUDGETS[runtime])
    assert HOST_EMBEDDINGS not in est.terms


# -- llama.cpp --split-mode row: the KV cache on the main GPU -------------------------------------------------------


@pytest.mark.parametrize("gpus", [2, 3, 4, 6])
@pytest.mark.parametrize(
    ("model", "precision", "context"), [("llama-2-70b", "q4_0", 4096), ("llama-3-70b", "fp16", 8192)]
)
def test_row_split_puts_the_whole_kv_cache_on_the_main_gpu(gpus: int, model: str, precision: str, context: int) -> None:
    layer = BUDGETS["llama.cpp"]
    row = dataclasses.replace(layer, split_mode="row")
    by_layer = estimate(MODELS[model], precision=precision, context=context, gpus_count=gpus, runtime=layer)
    by_row = estimate(MODELS[model], precision=precision, context=context, gpus_count=gpus, runtime=row)
    kv = by_layer.terms["KV cache"]
    assert by_row.total_gb == pytest.approx(by_layer.total_gb)  # the same memory, placed differently
    assert by_row.per_gpu_gb - by_layer.per_gpu_gb == pytest.approx(kv * (gpus - 1) / gpus)


def test_row_split_on_one_gpu_changes_nothing() -> None:
    row = dataclasses.replace(BUDGETS["llama.cpp"], split_mode="row")
    one = estimate(MODELS["llama-3-8b"], precision="q4_k_m", context=8192, runtime=row)
    assert one.per_gpu_gb == pytest.approx(sum(one.terms.values()))


def test_llamacpp_defaults_to_the_layer_split() -> None:
    assert BUDGETS["llama.cpp"].split_mode == "layer"


# -- vLLM's Marlin layout of MXFP4 experts ---------------------------------------------------------------------------


def test_vllm_loads_gpt_oss_120b_in_what_its_log_printed() -> None:
    """vLLM issue 23278 (an H100, the Marlin kernel): 'Model loading took 65.9651 GiB'; the checkpoint is 60.8 GiB."""
    est = estimate(MODELS["gpt-oss-120b"], precision="mxfp4", context=4096, runtime=BUDGETS["vllm"])
    loaded = (est.terms["weights"] + est.terms["MXFP4 kernel padding"]) * GB / GIB
    assert loaded == pytest.approx(65.97, rel=0.01)
    assert est.terms["weights"] * GB / GIB == pytest.approx(60.7, abs=0.1)


@pytest.mark.parametrize(("gpus", "width"), [(1, 2944), (2, 1536), (4, 768), (8, 384)])
def test_the_padding_follows_each_gpus_share_of_the_expert_width(gpus: int, width: int) -> None:
    shape = MODELS["gpt-oss-120b"]
    assert shape.hidden_size == 2880 and shape.intermediate_size == 2880
    experts_gb = dict(shape.native_split_b)["mxfp4"] * 4.25 / 8
    grown = 3072 / 2880 * width / (2880 / gpus)
    assert mxfp4_padding_gb(BUDGETS["vllm"], shape, "mxfp4", gpus) == pytest.approx(experts_gb * (grown - 1))


@pytest.mark.parametrize(
    ("model", "precision", "runtime"),
    [
        ("gpt-oss-120b", "mxfp4", "llama.cpp"),
        ("gpt-oss-20b", "q8_0", "vllm"),
        ("llama-3-70b", "fp8", "vllm"),
        ("mixtral-8x7b", "int4", "vllm"),
    ],
)
def test_no_padding_where_the_marlin_mxfp4_layout_is_not_used(model: str, precision: str, runtime: str) -> None:
    assert mxfp4_padding_gb(BUDGETS[runtime], MODELS[model], precision, 1) == 0.0


# -- vLLM's profiling run samples max_num_seqs dummy requests --------------------------------------------------------

#: Bytes per request and vocabulary entry alive at the native sampler's peak (the scatter in _apply_top_k_top_p), as
#: specs/runtimes.yaml ``sampler_profile_bytes`` counts them from vLLM's code: 16-bit logits, their FP32 copy, the
#: sort's values and int64 indices, the top-p softmax, its cumulative sum, the bool mask, scatter's result.
SAMPLER_TENSORS = {"logits": 2, "fp32": 4, "sorted": 4, "indices": 8, "probs": 4, "cumsum": 4, "mask": 1, "scatter": 4}


def test_the_sampler_bytes_are_the_tensors_the_code_keeps_alive() -> None:
    assert BUDGETS["vllm"].sampler_bytes == sum(SAMPLER_TENSORS.values())


@pytest.mark.parametrize("model", ["llama-3-8b", "qwen3-8b", "gpt-oss-120b", "llama-2-70b", "mistral-7b-v0.1"])
@pytest.mark.parametrize("seqs", [1, 16, 256, 1024])
def test_the_sampler_peak_is_requests_times_vocabulary_times_bytes(model: str, seqs: int) -> None:
    shape = MODELS[model]
    budget = dataclasses.replace(BUDGETS["vllm"], max_num_seqs=seqs)
    assert shape.vocab_size
    expected = seqs * shape.vocab_size * sum(SAMPLER_TENSORS.values()) / GB
    assert sampler_peak_gb(budget, shape) == pytest.approx(expected)


def test_the_sampler_check_agrees_with_vllms_printed_peak_for_llama_3_8b() -> None:
    """PR 10511's log: 1.26 GiB for Llama 3 8B at 256 sequences; the tensors alone come to 0.95 GiB, below it by
    less than torch.sort's own workspace (the values and indices once more, 12 bytes an entry)."""
    peak_gib = sampler_peak_gb(BUDGETS["vllm"], MODELS["llama-3-8b"]) * GB / GIB
    assert 0.9 < peak_gib < 1.26 < peak_gib * (31 + 12) / 31


@pytest.mark.parametrize(
    ("gpu", "usable_gb", "seqs"),
    [
        ("h100-sxm", 85.0, 1024),
        ("h200-sxm", 150.0, 1024),
        ("mi300x", 205.0, 1024),
        ("a100-80gb-sxm", 85.0, 256),
        ("rtx-4090", 25.8, 256),
        ("l40s", 48.3, 256),
        ("a10", 24.1, 256),
    ],
)
def test_vllm_picks_1024_sequences_on_cards_of_70_gib_or_more_but_a100s(gpu: str, usable_gb: float, seqs: int) -> None:
    assert on_card(BUDGETS["vllm"], usable_gb, gpu).max_num_seqs == seqs


@pytest.mark.parametrize("runtime", ["llama.cpp", "ollama", "sglang", "tgi", "exllamav2", "transformers"])
def test_only_vllm_has_the_dummy_sampling_step(runtime: str) -> None:
    assert sampler_peak_gb(on_card(BUDGETS[runtime], 85.0, "h100-sxm"), MODELS["gpt-oss-120b"]) == 0.0


@pytest.mark.parametrize(("model", "seqs", "bigger"), [("gpt-oss-120b", 1024, True), ("llama-2-7b", 256, False)])
def test_the_profiling_peak_is_the_larger_of_the_forward_pass_and_the_sampler(
    model: str, seqs: int, bigger: bool
) -> None:
    """A 201k vocabulary at 1,024 sequences outgrows the forward pass's peak; a 32k one at 256 does not."""
    budget = dataclasses.replace(BUDGETS["vllm"], max_num_seqs=seqs)
    est = estimate(MODELS[model], precision="bf16", context=4096, runtime=budget)
    forward = budget.activation_gib * GIB / GB + budget.graphs_gib * GIB / GB
    sampler = sampler_peak_gb(budget, MODELS[model])
    assert (sampler > budget.activation_gib * GIB / GB) is bigger
    term = est.terms["activations and CUDA graphs"]
    assert term == pytest.approx(max(forward, sampler + budget.graphs_gib * GIB / GB))
    assert any(("sampling step" in a) is bigger for a in est.assumptions if "profiling peak" in a)


# -- the settings a report states ------------------------------------------------------------------------------------


def test_report_settings_are_checked() -> None:
    assert _settings({"flash_attention": "off"}, "x") == (("flash_attention", "off"),)
    assert _settings({"split_mode": "row", "gpu_memory_utilization": 0.95, "max_num_seqs": 16}, "x") == (
        ("gpu_memory_utilization", 0.95),
        ("max_num_seqs", 16),
        ("split_mode", "row"),
    )
    for bad in (
        {"split_mode": "rows"},
        {"gpu_memory_utilization": 1.5},
        {"max_num_seqs": 0},
        {"max_num_seqs": 2.5},
        {"flash_attention": True},  # YAML's bare off/on are booleans: the file quotes them
        {"flash_attention": "auto"},  # a report states what ran, on or off
        ["row"],
    ):
        with pytest.raises(ReportError):
            _settings(bad, "x")


# -- decode reads of a mixed MoE release --------------------------------------------------------------------------


@pytest.mark.parametrize(("model", "routed"), [("gpt-oss-20b", 4 / 32), ("gpt-oss-120b", 4 / 128)])
def test_a_mixed_moe_release_reads_its_16_bit_part_whole_and_the_routed_experts(model: str, routed: float) -> None:
    """gpt-oss (model card table 1): attention and unembedding in BF16 are read every token, the input embedding is a
    row look-up, and of the MXFP4 experts only the 4 routed per token (of 32 or 128) are read."""
    from bot.estimator_speed import bytes_read_gb

    shape = MODELS[model]
    est = estimate(shape, precision="mxfp4", context=4096, runtime=BUDGETS["vllm"])
    weights, _, _ = bytes_read_gb(shape, est, 512)
    split = dict(shape.native_split_b)
    embed_b = (shape.vocab_size or 0) * (shape.hidden_size or 0) / 1e9
    expected = (split["bf16"] - embed_b) * 2 + split["mxfp4"] * routed * 4.25 / 8
    assert weights == pytest.approx(expected, rel=0.02)


# -- the per-card defaults reach the answer ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "seqs"),
    [
        ("can I run gpt-oss 120b on an h100 sxm with vllm at 128k context", 1024),
        ("qwen3 8b on an h200 sxm with vllm", 1024),
        ("qwen3 8b on an a100 80gb sxm with vllm", 256),
        ("llama 3 8b on a 4090 with vllm", 256),
        ("llama 3 8b on an l40s with vllm", 256),
    ],
)
def test_a_named_card_gets_vllms_max_num_seqs_for_it(engine: Any, question: str, seqs: int) -> None:
    from bot.render import answer_json

    fit = answer_json(engine.ask(question))["fit"]
    shape = MODELS["gpt-oss-120b" if "gpt-oss" in question else "qwen3-8b" if "qwen3" in question else "llama-3-8b"]
    budget = dataclasses.replace(BUDGETS["vllm"], max_num_seqs=seqs)
    profile = max(budget.activation_gib * GIB / GB, sampler_peak_gb(budget, shape)) + budget.graphs_gib * GIB / GB
    assert fit["terms"]["activations and CUDA graphs"] == pytest.approx(profile, abs=0.01)


def test_each_candidate_of_an_ambiguous_card_gets_its_own_defaults(engine: Any) -> None:
    """'h100': the PCIe and SXM cards (80 GB) and the NVL (94 GB) all pass vLLM's 70 GiB line, so the need said up
    front is the one at 1,024 sequences, not at 256."""
    from bot.render import render_text

    text = render_text(engine.ask("can I run gpt-oss 120b on an h100 with vllm at 128k context"))
    budget = on_card(BUDGETS["vllm"], 85.0, "h100-sxm")
    assert budget.max_num_seqs == 1024
    est = estimate(MODELS["gpt-oss-120b"], precision="mxfp4", context=131072, runtime=budget)
    assert f"needs about {est.per_gpu_gb:,.1f} GB" in text


# -- start-up allocations counted from the runtimes' source (bot/estimator_startup.py) -------------------------------

REQ_RULE = BUDGETS["sglang"].req_table


@pytest.mark.parametrize("gpus", [1, 2, 8])
@pytest.mark.parametrize(
    ("model", "context"),
    [("llama-3.1-8b", 131072), ("qwen2.5-7b", 32768), ("mistral-7b-v0.3", 8192), ("llama-4-scout", 1_000_000)],
)
def test_sglangs_request_to_token_table_is_counted_exactly_on_every_gpu(model: str, context: int, gpus: int) -> None:
    """(max_running_requests + 1) rows of context_len + 4 int32 entries, whole on each tensor-parallel rank, outside
    mem_fraction_static: shown as a term, never in the share's per-GPU need."""
    est = estimate(MODELS[model], context=context, gpus_count=gpus, runtime=BUDGETS["sglang"])
    per_gpu = 2049 * (context + 4) * 4
    assert est.terms[REQ_TABLE] == pytest.approx(gpus * per_gpu / GB)
    assert est.outside_per_gpu_gb == pytest.approx(per_gpu / GB)
    assert est.per_gpu_gb == pytest.approx(sum(v for k, v in est.terms.items() if k != REQ_TABLE) / gpus)
    assert any("request-to-token table" in a for a in est.assumptions)


def test_the_table_grows_with_the_context_and_the_running_requests() -> None:
    assert REQ_RULE is not None
    sizes = [req_to_token_bytes(REQ_RULE, ctx, 2048) for ctx in (4096, 32768, 131072, 1_000_000)]
    assert sizes == sorted(sizes) and len(set(sizes)) == 4
    rows = [req_to_token_bytes(REQ_RULE, 32768, n) for n in (2048, 3000, 4096)]
    assert rows == sorted(rows) and len(set(rows)) == 3


@pytest.mark.parametrize(
    ("pool_tokens", "context", "requests"),
    [
        (None, 131072, 2048),  # pool unknown: the lower bound
        (100_000, 131072, 2048),  # a pool of under four contexts: the floor
        (5 * 32768, 32768, 2560),  # five contexts: 5 x 512
        (100 * 8192, 8192, 4096),  # many contexts: the cap
    ],
)
def test_max_running_requests_follows_sglangs_default(pool_tokens: int | None, context: int, requests: int) -> None:
    assert REQ_RULE is not None
    assert running_requests(REQ_RULE, context, pool_tokens) == requests


def test_the_table_rule_reproduces_the_80_gib_allocation_sglang_printed() -> None:
    """Issue 5755: Llama 4 Scout at its default 10,485,760-token context, 'Tried to allocate 80.04 GiB' (a check of
    the rule on a report that is not in the regression suite)."""
    assert REQ_RULE is not None and MODELS["llama-4-scout"].max_context == 10_485_760
    assert round(req_to_token_bytes(REQ_RULE, 10_485_760, 2048) / GIB, 2) == 80.04


def test_the_2024_rule_is_kept_as_history() -> None:
    history = load_runtimes(SPECS).get("sglang").history("req_to_token_table")  # type: ignore[union-attr]
    assert [p.value for p in history] == [[2048, 4096, 1, 4, 4], [2048, 5120, 0, 8, 4]]
    assert all("/blob/" in p.source and len(p.source.split("/blob/")[1].split("/")[0]) == 40 for p in history)


@pytest.mark.parametrize(
    ("model", "context", "usable_gb"),
    [("llama-3.1-8b", 131072, 85.9), ("qwen2.5-7b", 131072, 51.5), ("mistral-7b-v0.3", 32768, 25.8)],
)
def test_the_table_must_fit_in_what_mem_fraction_static_leaves(model: str, context: int, usable_gb: float) -> None:
    """The same estimate fits when the fraction leaves room for the table and does not when it leaves less, whatever
    the share's own margin."""
    per_gpu = 2049 * (context + 4) * 4 / GB
    for fraction, leaves_room in ((0.9, True), (1 - 0.5 * per_gpu / usable_gb, False)):
        budget = dataclasses.replace(BUDGETS["sglang"], fraction=fraction, sglang_tiers=())
        est = estimate(MODELS[model], precision="q4_k_m", context=context, runtime=budget)
        capacity = usable_gb * fraction
        assert est.share is not None
        assert est.share.left_gb(capacity) == pytest.approx(usable_gb * (1 - fraction))
        assert est.beyond_share_gb(capacity) == pytest.approx(max(0.0, per_gpu - usable_gb * (1 - fraction)))
        if est.per_gpu_gb < capacity * 0.9:
            assert (est.verdict(capacity) != "does not fit") == leaves_room


@pytest.mark.parametrize(("usable_gib", "gpus", "reserved_gib"), [(79.1, 1, 10.0), (79.1, 8, 13.5), (139.8, 8, 16.0)])
def test_sglangs_default_share_leaves_its_tier_reserve(usable_gib: float, gpus: int, reserved_gib: float) -> None:
    budget = BUDGETS["sglang"]
    usable = usable_gib * GIB / GB
    capacity = usable * budget.fraction_of(usable, gpus)
    assert budget.share(gpus).left_gb(capacity) == pytest.approx(reserved_gib * GIB / GB, rel=1e-3)


@pytest.mark.parametrize("gpus", [1, 2, 4])
@pytest.mark.parametrize("model", ["llama-3.1-8b", "llama-2-70b", "gemma-2-9b", "qwen2.5-7b", "mistral-7b-v0.3"])
def test_tgis_warm_up_materialises_the_prefill_logits(model: str, gpus: int) -> None:
    """max_batch_prefill_tokens (4,096, capped by the model's context) x the vocabulary in 16-bit, gathered whole on
    each GPU beside its own shard."""
    shape = MODELS[model]
    assert shape.vocab_size and shape.max_context
    est = estimate(shape, context=2048, gpus_count=gpus, runtime=BUDGETS["tgi"])
    tokens = min(4096, shape.max_context)
    per_gpu = tokens * shape.vocab_size * 2 * (1 + (1 / gpus if gpus > 1 else 0))
    assert est.terms[WARMUP_LOGITS] == pytest.approx(gpus * per_gpu / GB)
    assert warmup_logits_bytes(shape, tokens, gpus) == pytest.approx(per_gpu)
    assert WARMUP_LOGITS not in est.outside_terms  # inside TGI's share: the KV blocks are sized after it


def test_a_bigger_vocabulary_costs_tgi_more_at_warm_up() -> None:
    small, large = (
        estimate(MODELS[m], context=2048, runtime=BUDGETS["tgi"]).terms[WARMUP_LOGITS]
        for m in ("mistral-7b-v0.3", "llama-3.1-8b")
    )
    assert large == pytest.approx(small * 128256 / 32768)


@pytest.mark.parametrize("runtime", ["vllm", "llama.cpp", "ollama", "exllamav2", "transformers"])
def test_other_runtimes_have_neither_start_up_term(runtime: str) -> None:
    est = estimate(MODELS["llama-3.1-8b"], context=8192, runtime=BUDGETS[runtime])
    assert REQ_TABLE not in est.terms and WARMUP_LOGITS not in est.terms and not est.outside_terms


@pytest.mark.parametrize(("fraction", "says"), [(0.99, True), (0.9, False)])
def test_the_answer_says_when_the_table_does_not_fit_outside_the_share(fraction: float, says: bool) -> None:
    budget = dataclasses.replace(BUDGETS["sglang"], fraction=fraction, sglang_tiers=())
    est = estimate(MODELS["llama-3.1-8b"], precision="q4_k_m", context=131072, runtime=budget)
    text = outside_text(est, 85.9 * fraction)
    assert (text is not None) == says
    if text:
        assert "request-to-token table" in text and "short" in text


@pytest.mark.parametrize("fraction", [0.995, 0.992, 0.99])
def test_the_longest_context_keeps_the_table_inside_what_the_share_leaves(fraction: float) -> None:
    """The longest context never contradicts the verdict: at it the table still fits outside the share, one step
    past the answer it no longer does (or the share itself is full)."""
    budget = dataclasses.replace(BUDGETS["sglang"], fraction=fraction, sglang_tiers=())
    shape = MODELS["llama-3.1-8b"]
    capacity = 85.9 * fraction
    longest = max_context(shape, capacity, precision="q4_k_m", runtime=budget)
    assert 0 < longest < (shape.max_context or 0)
    at = estimate(shape, precision="q4_k_m", context=longest, runtime=budget)
    past = estimate(shape, precision="q4_k_m", context=longest + 1, runtime=budget)
    assert at.verdict(capacity) != "does not fit"
    assert past.verdict(capacity) == "does not fit"


@pytest.mark.parametrize(
    ("question", "fits", "term"),
    [
        ("llama 4 scout with a 2000000 token context on 8x h100 sxm using sglang", False, REQ_TABLE),
        ("llama 4 scout with a 1000000 token context on 8x h100 sxm using sglang", True, REQ_TABLE),
        ("llama 3.1 8b with a 32768 token context on one h100 sxm using sglang", True, REQ_TABLE),
        ("llama 3 8b on a 4090 with tgi", True, WARMUP_LOGITS),
        ("mistral 7b v0.3 on 2x rtx 3090 with text generation inference", True, WARMUP_LOGITS),
    ],
)
def test_the_answer_names_the_start_up_terms(engine: Any, question: str, fits: bool, term: str) -> None:
    """By name in the fit's terms and in the text, with the rule in the assumptions; a verdict lost outside the
    share says so instead of a margin to spare."""
    from bot.render import answer_json

    answer = answer_json(engine.ask(question))
    fit = answer["fit"]
    assert term in fit["terms"] and term in answer["text"]
    assert fit["fits"] is fits
    if not fits:
        assert fit["margin_gb"] < 0 and "outside its share" in answer["text"] and "to spare" not in answer["text"]


@pytest.mark.parametrize(
    ("runtime", "name"),
    [
        ("sglang", "req_to_token_table"),
        ("sglang", "req_to_token_outside_fraction"),
        ("sglang", "context_length"),
        ("tgi", "warmup_prefill_tokens"),
        ("tgi", "warmup_prefill_logprobs"),
        ("tgi", "warmup_then_kv_blocks"),
    ],
)
def test_each_start_up_mechanism_cites_a_file_at_a_commit(runtime: str, name: str) -> None:
    """Repository, path and a 40-hex commit in the source URL, and the code's own words quoted."""
    rt = load_runtimes(SPECS).get(runtime)
    assert rt is not None
    for param in rt.history(name):
        repo, _, rest = param.source.removeprefix("https://github.com/").partition("/blob/")
        commit, _, path = rest.partition("/")
        assert repo == rt.repo.removeprefix("https://github.com/")
        assert len(commit) == 40 and all(ch in "0123456789abcdef" for ch in commit) and path
        assert len(param.quote) > 40


@pytest.mark.parametrize(
    ("question", "table_context", "fits"),
    [
        # no context stated: --context-length defaults to the model's maximum, and the table is that wide
        ("llama 4 scout on 8x h100 sxm with sglang", 10_485_760, False),  # issue 5755's 80.04 GiB per GPU
        ("llama 3.1 8b on a 4090 with sglang", 131_072, True),
        # the released config's max_position_embeddings where the documented 131,072 needs YaRN turned on
        ("qwen2.5 7b on an l40s with sglang", 32_768, True),
        # a stated context is the one the server is launched with
        ("llama 3.1 8b with a 8192 token context on a 4090 with sglang", 8192, True),
    ],
)
def test_sglangs_table_is_as_wide_as_its_context_length_setting(
    engine: Any, question: str, table_context: int, fits: bool
) -> None:
    from bot.render import answer_json

    answer = answer_json(engine.ask(question))
    fit = answer["fit"]
    per_gpu = 2049 * (table_context + 4) * 4 / GB
    assert fit["terms"][REQ_TABLE] == pytest.approx(per_gpu * fit["gpus_count"], abs=0.01)
    assert fit["fits"] is fits
    if not fits:
        assert "--context-length" in answer["text"]


def test_the_table_default_is_sglangs_alone() -> None:
    assert BUDGETS["sglang"].table_at_model_max and BUDGETS["sglang"].context_setting == "context_length"
    assert not any(b.table_at_model_max for k, b in BUDGETS.items() if k != "sglang")


# -- llama.cpp's MXFP4_MOE GGUF: a native-MXFP4 release's non-MoE tensors in Q8_0 -----------------------------------


def _others_b(model: str) -> float:
    return sum(b for p, b in MODELS[model].native_split_b if p != "mxfp4")


@pytest.mark.parametrize("runtime", ["llama.cpp", "lm-studio", "koboldcpp", "text-generation-webui"])
@pytest.mark.parametrize("model", ["gpt-oss-20b", "gpt-oss-120b"])
@pytest.mark.parametrize("context", [4096, 32768])
def test_gguf_runtimes_load_a_native_mxfp4_release_with_q8_0_non_moe_tensors(
    runtime: str, model: str, context: int
) -> None:
    """llama-quant.cpp's MXFP4_MOE: MoE tensors MXFP4, every other tensor Q8_0; the token embeddings llama.cpp leaves
    in system RAM are Q8_0 too. Front ends take their loader's layout."""
    shape, others = MODELS[model], _others_b(model)
    est = estimate(shape, precision="mxfp4", context=context, runtime=BUDGETS[runtime])
    q8, bf16 = BYTES_PER_PARAM["q8_0"], BYTES_PER_PARAM["bf16"]
    assert est.terms[GGUF_MXFP4_LAYOUT] == pytest.approx(others * (q8 - bf16))
    experts = dict(shape.native_split_b)["mxfp4"]
    assert est.terms["weights"] + est.terms[GGUF_MXFP4_LAYOUT] == pytest.approx(
        experts * BYTES_PER_PARAM["mxfp4"] + others * q8
    )
    assert shape.vocab_size and shape.hidden_size
    assert est.terms[HOST_EMBEDDINGS] == pytest.approx(-shape.vocab_size * shape.hidden_size * q8 / GB)
    assert est.per_gpu_gb == pytest.approx(sum(est.terms.values()))
    assert any("MXFP4_MOE GGUF" in a for a in est.assumptions)


def test_the_assumed_budget_takes_llamacpps_layout() -> None:
    """A question with no runtime named (the Hub's models too) is costed as llama.cpp's data says."""
    data = BUDGETS["llama.cpp"]
    assert DEFAULT_INFERENCE.gguf_mxfp4_others == data.gguf_mxfp4_others == "q8_0"
    assert DEFAULT_INFERENCE.host_input_embeddings == data.host_input_embeddings


def test_the_gguf_layout_matches_a_published_mxfp4_moe_file() -> None:
    """An MXFP4_MOE GGUF of the gpt-oss-20b architecture is 12.1 GB (specs/runtimes.yaml mxfp4_moe_gguf_others);
    the release's BF16 layout would be 13.8."""
    est = estimate(MODELS["gpt-oss-20b"], precision="mxfp4", context=4096, runtime=BUDGETS["llama.cpp"])
    assert est.terms["weights"] + est.terms[GGUF_MXFP4_LAYOUT] == pytest.approx(12.1, abs=0.05)


@pytest.mark.parametrize("runtime", ["ollama", "vllm", "sglang", "transformers"])
@pytest.mark.parametrize("model", ["gpt-oss-20b", "gpt-oss-120b"])
def test_other_runtimes_load_the_release_as_published(runtime: str, model: str) -> None:
    """Ollama's own engine, vLLM, SGLang and transformers load the safetensors: BF16 outside the experts."""
    est = estimate(MODELS[model], precision="mxfp4", context=4096, runtime=BUDGETS[runtime])
    assert GGUF_MXFP4_LAYOUT not in est.terms


@pytest.mark.parametrize(
    ("model", "precision"),
    [("gpt-oss-20b", "q8_0"), ("gpt-oss-20b", "fp16"), ("gpt-oss-120b", "q4_k_m"), ("llama-3-8b", "q4_k_m")],
)
def test_the_gguf_layout_is_only_for_a_native_mxfp4_release(model: str, precision: str) -> None:
    est = estimate(MODELS[model], precision=precision, context=4096, runtime=BUDGETS["llama.cpp"])
    assert GGUF_MXFP4_LAYOUT not in est.terms


@pytest.mark.parametrize("model", ["gpt-oss-20b", "gpt-oss-120b"])
def test_a_gguf_release_reads_its_q8_0_part_per_token(model: str) -> None:
    """Decoding reads the dense part whole: at Q8_0 under llama.cpp, at BF16 where the release is loaded as is."""
    shape = MODELS[model]
    gguf = estimate(shape, precision="mxfp4", context=4096, runtime=BUDGETS["llama.cpp"])
    as_is = estimate(shape, precision="mxfp4", context=4096, runtime=BUDGETS["ollama"])
    dense_b = shape.params_b - dict(shape.native_split_b)["mxfp4"]
    dense_read_b = dense_b - shape.vocab_size * shape.hidden_size / 1e9  # type: ignore[operator]
    saved = dense_read_b * (BYTES_PER_PARAM["bf16"] - BYTES_PER_PARAM["q8_0"])
    assert bytes_read_gb(shape, as_is, 1024)[0] - bytes_read_gb(shape, gguf, 1024)[0] == pytest.approx(saved)


@pytest.mark.parametrize(
    ("question", "layout"),
    [
        ("gpt-oss 20b on a 16gb 4060 ti with llama.cpp", True),
        ("gpt-oss 120b on an rtx pro 6000 in lm studio", True),
        ("gpt-oss 120b on an rtx pro 6000 with ollama", False),
        ("gpt-oss 20b on an l4 with vllm", False),
    ],
)
def test_the_gguf_layout_shows_by_name_in_the_answer(engine: Any, question: str, layout: bool) -> None:
    from bot.render import answer_json

    answer = answer_json(engine.ask(question))
    assert (GGUF_MXFP4_LAYOUT in answer["fit"]["terms"]) is layout
    assert (GGUF_MXFP4_LAYOUT in answer["text"]) is layout


# -- DeepSpeed ZeRO-3 with CPU offload: the training state in system RAM ----------------------------------------------


@pytest.mark.parametrize(
    ("model", "gpus"), [("llama-3-8b", 8), ("llama-3-8b", 1), ("qwen2.5-14b", 4), ("llama-2-70b", 8)]
)
def test_zero3_offload_keeps_the_training_state_in_system_ram(model: str, gpus: int) -> None:
    """offload_optimizer and offload_param to cpu: no weights, gradients or AdamW state on the GPUs, only the at most
    stage3_max_live_parameters (1e9) 16-bit parameters gathered at once; it offloads on one GPU too."""
    shape = MODELS[model]
    est = estimate(shape, mode="full", precision="fp16", context=1024, gpus_count=gpus, strategy="zero-3-offload")
    assert est.strategy == "zero-3-offload"
    assert not {"weights (16-bit)", "gradients", "AdamW state (FP32 master + 2 moments)"} & set(est.terms)
    gathered = min(shape.params_b * 1e9, LIVE_PARAMETERS) * 2 / GB
    assert est.terms["gathered weights (ZeRO-3 offload)"] == pytest.approx(gathered)
    plain = estimate(shape, mode="full", precision="fp16", context=1024, gpus_count=max(gpus, 2), strategy="zero-3")
    assert est.per_gpu_gb < plain.per_gpu_gb
    assert any("system RAM" in a and "stage3_max_live_parameters" in a for a in est.assumptions)


@pytest.mark.parametrize(("mode", "precision", "whole"), [("lora", "bf16", False), ("qlora", "nf4", True)])
def test_zero3_offload_with_a_lora_base(mode: str, precision: str, whole: bool) -> None:
    """A 16-bit frozen base is offloaded like the rest; a bitsandbytes base is loaded whole on every GPU first
    (no zero.Init, DeepSpeed issue 5660), as with plain ZeRO-3."""
    shape = MODELS["llama-3.1-8b"]
    est = estimate(shape, mode=mode, precision=precision, context=2048, gpus_count=4, strategy="zero-3-offload")
    assert any(k.startswith("frozen base weights") for k in est.terms) is whole
    assert "gathered weights (ZeRO-3 offload)" in est.terms


def test_the_offload_strategy_mirrors_specs_runtimes() -> None:
    strategies = {s.id: s for s in load_runtimes(SPECS).training.strategies}
    assert set(strategies["zero-3-offload"].shards) == set(SHARDS["zero-3-offload"]) == set(OFFLOADED["zero-3-offload"])
    assert "Offload optimizer states, gradients, parameters" in strategies["zero-3-offload"].quote


@pytest.mark.parametrize(
    ("question", "strategy"),
    [
        ("full fine tune llama 3 8b on 8x 3090 with zero 3 offload", "zero-3-offload"),
        ("full finetune qwen2.5 14b on 4x a6000 with zero3 cpu offload", "zero-3-offload"),
        ("full fine tune llama 3 8b on 8x 3090 with deepspeed zero 3", "zero-3"),
        ("full fine tune llama 3 8b on 8x 3090 with deepspeed", "zero-3"),
    ],
)
def test_a_question_naming_zero3_offload_gets_it(engine: Any, question: str, strategy: str) -> None:
    from bot.render import answer_json

    answer = answer_json(engine.ask(question))
    assert answer["fit"]["strategy"] == strategy
    assert ("gathered weights (ZeRO-3 offload)" in answer["fit"]["terms"]) is (strategy == "zero-3-offload")


# -- Sharded weights: what ZeRO-3 and FSDP gather whole beside each GPU's shard --------------------------------------


@pytest.mark.parametrize(("model", "gpus"), [("llama-3-8b", 8), ("qwen2.5-14b", 4), ("llama-2-70b", 8)])
def test_zero3_gathers_up_to_its_live_parameters_beside_the_shard(model: str, gpus: int) -> None:
    """stage3_max_live_parameters (1e9) 16-bit parameters gathered at once, on top of a GPU's 1/N of the state."""
    shape = MODELS[model]
    est = estimate(shape, mode="full", precision="fp16", context=1024, gpus_count=gpus, strategy="zero-3")
    gathered = min(shape.params_b * 1e9, LIVE_PARAMETERS) * 2 / GB
    assert est.terms["gathered weights (ZeRO-3)"] == pytest.approx(gathered)
    assert est.terms["weights (16-bit)"] == pytest.approx(shape.params_b * 1e9 * 2 / gpus / GB)
    assert any("stage3_max_live_parameters" in a for a in est.assumptions)


@pytest.mark.parametrize(
    ("model", "mode", "precision", "per"),
    [
        ("llama-2-70b", "lora", "bf16", 2.0),
        ("llama-3.1-8b", "full", "bf16", 2.0),
        ("llama-2-70b", "qlora", "nf4", (4 + 0.127) / 8),
        ("qwen2.5-32b", "lora", "bf16", 2.0),
    ],
)
def test_fsdp_gathers_two_layers_beside_the_shard(model: str, mode: str, precision: str, per: float) -> None:
    """BACKWARD_PRE (FSDP's default) holds the current and the next wrapped layer whole, and for a full fine-tune
    the current layer's gradients: a layer is the model without its vocabulary matrices over its layers."""
    shape = MODELS[model]
    est = estimate(shape, mode=mode, precision=precision, context=1024, gpus_count=4, strategy="fsdp-full-shard")
    assert shape.layers and shape.vocab_size and shape.hidden_size
    vocab = shape.vocab_size * shape.hidden_size * (1 if shape.tied_embeddings else 2)
    layer = (shape.params_b * 1e9 - vocab) / shape.layers
    expected = layer * 2 * per + (layer * 2.0 if mode == "full" else 0.0)
    assert est.terms["gathered layers (FSDP)"] == pytest.approx(expected / GB)
    assert any("BACKWARD_PRE" in a for a in est.assumptions)


@pytest.mark.parametrize(
    ("gpus", "strategy", "mode", "precision"),
    [
        (1, "zero-3", "full", "fp16"),  # one GPU: nothing sharded, nothing gathered
        (4, "ddp", "lora", "bf16"),  # a whole copy per GPU
        (4, "zero-2", "full", "bf16"),  # weights not sharded
        (4, "zero-3", "qlora", "nf4"),  # the bitsandbytes base is loaded whole on every GPU already
    ],
)
def test_no_working_set_where_the_weights_are_whole(gpus: int, strategy: str, mode: str, precision: str) -> None:
    est = estimate(
        MODELS["llama-3-8b"], mode=mode, precision=precision, context=1024, gpus_count=gpus, strategy=strategy
    )
    assert not {"gathered weights (ZeRO-3)", "gathered layers (FSDP)"} & set(est.terms)


def test_the_working_set_is_in_the_answer(engine: Any) -> None:
    from bot.render import answer_json

    answer = answer_json(engine.ask("lora fine tune llama 2 70b on 4x a100 80gb with fsdp"))
    assert "gathered layers (FSDP)" in answer["fit"]["terms"]
    assert "BACKWARD_PRE" in answer["text"]


# -- llama.cpp's compute buffer with flash attention on by default (b6325), without it before --------------------------
#
# Printed figures the two rules are checked against, each with its source. Without flash attention the buffer holds
# the attention scores of one 512-token micro-batch over the whole context (n_ubatch x n_ctx x n_head in f32); with it
# (llama.cpp's default since b6325, Ollama's since v0.30.0) only the micro-batch's logits or its attention mask.
GPT_OSS_20B = {"n_embd": 2880, "n_head": 64, "n_vocab": 201088}  # config.json of openai/gpt-oss-20b

FLASH_OFF_PRINTED = [
    # (shape, n_ctx, printed MiB, relative tolerance, source)
    # ik_llama.cpp (a llama.cpp fork) loading gpt-oss-20b-mxfp4.gguf at -c 131072 (KV "CUDA0 KV buffer size = 6144.00
    # MiB" = 131,072 x 24 layers x 2,048 bytes) could not allocate its score-matrix buffer: "ggml_gallocr_reserve_n:
    # failed to allocate CUDA0 buffer of size 17752270848" (16,929.88 MiB).
    (GPT_OSS_20B, 131072, 17752270848 / 2**20, 0.02, "https://github.com/ikawrakow/ik_llama.cpp/issues/822"),
    # A 32-layer 7B (4096 wide, 32 heads, 32,768 vocabulary) at -c 32768, flash_attn = 0: "CUDA0 compute buffer size =
    # 2144.00 MiB"; at -c 2048: 164.00 MiB (specs/runtimes.yaml compute_buffer samples).
    (
        {"n_embd": 4096, "n_head": 32, "n_vocab": 32768},
        32768,
        2144.0,
        0.001,
        "https://github.com/fedora-copr/logdetective/pull/106",
    ),
    (
        {"n_embd": 4096, "n_head": 32, "n_vocab": 32768},
        2048,
        164.0,
        0.001,
        "https://github.com/fedora-copr/logdetective/pull/106",
    ),
]


@pytest.mark.parametrize(("shape", "n_ctx", "printed", "tolerance", "source"), FLASH_OFF_PRINTED)
def test_without_flash_attention_the_buffer_is_the_score_matrix(
    shape: dict[str, int], n_ctx: int, printed: float, tolerance: float, source: str
) -> None:
    assert source.startswith("https://")
    assert llamacpp_compute_buffer_mib(**shape, n_ctx=n_ctx) == pytest.approx(printed, rel=tolerance)


def test_with_flash_attention_a_short_context_prints_the_logits_term() -> None:
    # Ollama's own fixture of a llama-server (flash attention auto) load of Llama 3.2 3B Q4_K_M, 4,096 tokens
    # ("MTL0 KV buffer size = 448.00 MiB" = 4,096 x 28 layers x 4,096 bytes): "MTL0 compute buffer size = 256.50 MiB"
    # https://github.com/ollama/ollama/blob/fb30760996871fa9460115c753afd2c60d4ab0f7/llm/llama_server_test.go
    assert llamacpp_flash_buffer_mib(3072, 128256, 4096) == pytest.approx(256.50, abs=0.01)


@pytest.mark.parametrize("n_ctx", [8192, 32768, 65536, 131072])
def test_gpt_oss_20b_with_flash_attention_stays_small_where_the_scores_would_not(n_ctx: int) -> None:
    """gpt-oss-20b at -c 65536 with -fa on (llama.cpp b6699, experts on the CPU) took 3.3 GB of VRAM in all, its KV
    cache 1.5 GiB of it; the score matrix alone would be 8 GB (https://github.com/ikawrakow/ik_llama.cpp/issues/822:
    "when loading with 65536 ctx, ik_llama.cpp uses 5GB, llama.cpp uses 3.3GB of VRAM")."""
    flash = llamacpp_flash_buffer_mib(GPT_OSS_20B["n_embd"], GPT_OSS_20B["n_vocab"], n_ctx)
    scores = llamacpp_compute_buffer_mib(**GPT_OSS_20B, n_ctx=n_ctx)
    assert flash < 1024 < scores if n_ctx >= 32768 else flash < scores
    if n_ctx == 65536:
        assert flash * 2**20 / GB < 3.3 - 1.5 * GIB / GB < scores * 2**20 / GB


@pytest.mark.parametrize("model", ["llama-3.1-8b", "llama-3.2-3b", "qwen2.5-7b", "mistral-7b-v0.3", "llama-3-70b"])
@pytest.mark.parametrize("context", [4096, 32768, 131072])
def test_the_flash_attention_buffer_is_the_larger_of_logits_and_mask(model: str, context: int) -> None:
    shape = MODELS[model]
    assert shape.hidden_size and shape.vocab_size
    est = estimate(shape, precision="q4_k_m", context=context, runtime=DEFAULT_INFERENCE)
    logits = 4 * 512 * (shape.hidden_size + shape.vocab_size)
    mask = MASK_BYTES_FLASH * 512 * context
    assert est.terms["compute buffer"] == pytest.approx(max(logits, mask) / GB)
    off = estimate(shape, precision="q4_k_m", context=context, runtime=replace_flash(DEFAULT_INFERENCE, False))
    assert off.terms["compute buffer"] >= est.terms["compute buffer"]
    assert off.terms["KV cache"] == est.terms["KV cache"]  # the whole context's KV cache is allocated either way


def replace_flash(budget: Any, on: bool) -> Any:
    return dataclasses.replace(budget, flash_attention=on, flash_attention_why="test")


def test_the_mask_bytes_agree_with_the_data() -> None:
    llamacpp = load_runtimes(SPECS).get("llama.cpp")
    assert llamacpp is not None
    param = llamacpp.param("kq_mask_bytes_flash_attention")
    assert param is not None and param.value == MASK_BYTES_FLASH
    assert "GGML_TYPE_F32" in param.quote and "GGML_TYPE_F16" in param.quote


@pytest.mark.parametrize(
    ("runtime", "on", "why"),
    [
        ("llama.cpp", True, "b6325"),
        ("ollama", True, "v0.30.0"),
        # front ends whose own flash-attention default is not recorded keep the larger buffer
        ("lm-studio", False, "not recorded"),
        ("koboldcpp", False, "unless --flashattention"),  # its own launcher's default (a 2024-10 snapshot)
        ("text-generation-webui", False, "not recorded"),
    ],
)
def test_each_runtime_takes_its_own_flash_attention_default(runtime: str, on: bool, why: str) -> None:
    budget = BUDGETS[runtime]
    assert budget.flash_attention is on
    assert why in budget.flash_attention_why


def test_the_assumed_budget_is_the_data_s_llamacpp() -> None:
    built = BUDGETS["llama.cpp"]
    assert DEFAULT_INFERENCE.flash_attention is built.flash_attention is True
    assert DEFAULT_INFERENCE.flash_attention_why == built.flash_attention_why
    assert DEFAULT_INFERENCE.mask_bytes == built.mask_bytes


def test_the_default_change_is_recorded_with_its_history() -> None:
    llamacpp = load_runtimes(SPECS).get("llama.cpp")
    assert llamacpp is not None
    history = [p.value for p in llamacpp.history("flash_attn")]
    assert history[0] == "auto" and history[-1] == "off"
    assert any("15434" in p.versions for p in llamacpp.history("flash_attn"))


@pytest.mark.parametrize(
    ("question", "on"),
    [
        ("can I run gpt-oss 20b with 128k context on a 4090 with llama.cpp?", True),
        ("llama 3.1 8b q4_k_m at 128k context on a 3090", True),
        ("llama 3.1 8b q4_k_m at 128k context on a 3090 with -fa off", False),
        ("llama 3.1 8b q4_k_m at 128k context on a 3090 without flash attention", False),
        ("qwen2.5 7b q4_k_m at 64k context on a 4090 in ollama", True),
        ("qwen2.5 7b q4_k_m at 64k context on a 4090 in ollama, no flash attention", False),
        ("mistral 7b q8_0 at 32k on a 3060 12gb in lm studio", False),
    ],
)
def test_the_answer_names_the_flash_attention_assumption(engine: Any, question: str, on: bool) -> None:
    fit = engine.ask(question).fit
    assert fit is not None
    said = [a for a in fit["assumptions"] if "flash attention" in a]
    assert len(said) == 1 and ("flash attention on" in said[0]) is on
    assert "compute buffer" in fit["terms"]


@pytest.mark.parametrize("context", ["32k", "64k", "128k"])
def test_saying_fa_off_costs_the_score_matrix_back(engine: Any, context: str) -> None:
    base = f"llama 3.1 8b q4_k_m at {context} context on a 4090"
    on = engine.ask(base).fit
    off = engine.ask(base + " with -fa off").fit
    assert on is not None and off is not None
    assert off["terms"]["compute buffer"] > 4 * on["terms"]["compute buffer"]
    assert off["terms"]["KV cache"] == on["terms"]["KV cache"]


@pytest.mark.parametrize("flash", ["on", "off"])
def test_a_reports_flash_attention_setting_sets_the_buffer(flash: str) -> None:
    """A report of an older build or of -fa off keeps the score-matrix buffer; one of -fa on gets the small one."""
    report = Report(
        id="x",
        source="https://example.org",
        quote="q",
        model="llama-3.1-8b",
        gpu="rtx-3090",
        count=1,
        precision="q4_k_m",
        runtime="llama.cpp",
        mode="inference",
        context=32768,
        batch=None,
        outcome="fits",
        tokens_per_s=None,
        settings=(("flash_attention", flash),),
    )
    budget = budget_of(report, BUDGETS)
    assert budget.flash_attention is (flash == "on") and budget.flash_attention_why == "as reported"
    est = estimate(MODELS["llama-3.1-8b"], precision="q4_k_m", context=32768, runtime=budget)
    scores = llamacpp_compute_buffer_mib(4096, 32, 128256, 32768) * 2**20 / GB
    assert (est.terms["compute buffer"] == pytest.approx(scores)) is (flash == "off")
