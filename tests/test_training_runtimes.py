"""Runtime-aware training defaults (issue 11): Unsloth's 16-bit in-place loss and checkpoints offloaded to system
RAM, LitGPT's micro-batch 4 with no activation checkpointing on one GPU (FSDP with checkpointing on several), each
from specs/runtimes.yaml with its source; with no runtime named, transformers' terms as before. Also: a vLLM report
with no context is estimated at the model's maximum (max_model_len), the way ``gpubot ask`` answers it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.engine import Engine
from bot.estimator_runtime import Budget, build_budgets
from bot.estimator_training import CHECKPOINT_BYTES_PER_HIDDEN, LOGITS_BYTES, activation_bytes
from bot.handlers.fit_plan import fit_plan
from bot.models import load_models
from bot.render import render_json
from bot.request import FitRequest
from bot.runtimes import load_runtimes
from tests.estimates.cases import Engine as Cases
from tests.estimates.load import load_reports

ROOT = Path(__file__).resolve().parent.parent
MODELS = load_models(ROOT / "specs")
RUNTIMES = load_runtimes(ROOT / "specs")
BUDGETS = build_budgets(RUNTIMES)
MODEL_IDS = ("llama-3-8b", "mistral-7b-v0.1", "llama-2-7b", "qwen2.5-coder-32b")


def _est(model_id: str, mode: str, runtime: str | None, count: int = 1, **kw: Any):  # type: ignore[no-untyped-def]
    spec = MODELS[model_id]
    req = FitRequest(model_id=model_id, mode=mode, gpus_count=count, runtime=runtime, **kw)
    budget: Budget | None = BUDGETS[runtime] if runtime else None
    return fit_plan(req, spec.shape, spec.id, count, budget=budget).est


def _fit(engine: Engine, question: str) -> dict[str, Any]:
    data = json.loads(render_json(engine.ask(question)))
    assert data["intent"] == "fits", data
    return data["fit"]  # type: ignore[no-any-return]


# -- the data --------------------------------------------------------------------------------------


def test_the_budgets_carry_the_sourced_defaults() -> None:
    unsloth, litgpt, hf = BUDGETS["unsloth"], BUDGETS["litgpt"], BUDGETS["transformers"]
    assert unsloth.loss_bytes == RUNTIMES.get("unsloth").param("loss_bytes_per_logit").value == 2  # type: ignore[union-attr]
    assert unsloth.offload_checkpoints and not litgpt.offload_checkpoints
    assert litgpt.train_micro_batch == 4 and litgpt.train_checkpointing is False
    assert litgpt.train_strategy == "fsdp-full-shard"
    assert (hf.loss_bytes, hf.train_micro_batch, hf.train_checkpointing, hf.train_strategy) == (0.0, 0, None, None)
    for rt in ("unsloth", "litgpt"):
        for p in RUNTIMES.get(rt).params:  # type: ignore[union-attr]
            assert p.source.startswith("https://") and p.quote


# -- Unsloth ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("model_id", MODEL_IDS)
@pytest.mark.parametrize("mode", ["lora", "qlora"])
def test_unsloth_loss_keeps_16_bit_logits_only(model_id: str, mode: str) -> None:
    hf, un = _est(model_id, mode, None), _est(model_id, mode, "unsloth")
    assert un.terms["logits (loss)"] == pytest.approx(hf.terms["logits (loss)"] * 2 / LOGITS_BYTES)
    assert any("writes their gradient in place" in a for a in un.assumptions)


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_unsloth_offloads_checkpoints_to_system_ram(model_id: str) -> None:
    shape = MODELS[model_id].shape
    hf, un = _est(model_id, "qlora", None), _est(model_id, "qlora", "unsloth")
    moved = (shape.layers or 0) - 1
    offloaded = moved * CHECKPOINT_BYTES_PER_HIDDEN * (shape.hidden_size or 0) * 2048 / 1e9
    assert hf.terms["activations"] - un.terms["activations"] == pytest.approx(offloaded)
    assert any("system RAM" in a and "not VRAM" in a for a in un.assumptions)
    # The same weights and state: only the loss and the activations change.
    assert {k: v for k, v in un.terms.items() if k not in ("logits (loss)", "activations", "CUDA context")} == {
        k: v for k, v in hf.terms.items() if k not in ("logits (loss)", "activations", "CUDA context")
    }


def test_offloading_never_applies_without_checkpointing() -> None:
    shape = MODELS["llama-3-8b"].shape
    assert activation_bytes(shape, 2048, 1, False, offload=True) == activation_bytes(shape, 2048, 1, False)
    un = _est("llama-3-8b", "qlora", "unsloth", checkpointing=False)
    assert not any("system RAM" in a for a in un.assumptions)


# -- LitGPT ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_litgpt_defaults_micro_batch_4_without_checkpointing_on_one_gpu(model_id: str) -> None:
    est = _est(model_id, "lora", "litgpt")
    assert est.batch == 4
    shape = MODELS[model_id].shape
    assert est.terms["activations"] == pytest.approx(activation_bytes(shape, 2048, 4, False) / 1e9)
    assert any("LitGPT's defaults: micro-batch 4, no activation checkpointing on one GPU" in a for a in est.assumptions)


@pytest.mark.parametrize("count", [2, 4])
def test_litgpt_on_several_gpus_is_fsdp_with_checkpointing(count: int) -> None:
    est = _est("llama-2-7b", "lora", "litgpt", count)
    assert est.strategy == "fsdp-full-shard"
    shape = MODELS["llama-2-7b"].shape
    assert est.terms["activations"] == pytest.approx(activation_bytes(shape, 2048, 4, True) / 1e9)
    assert any(f"FSDP with activation checkpointing on {count} GPUs" in a for a in est.assumptions)


def test_what_the_question_says_beats_the_runtime_default() -> None:
    est = _est("llama-2-7b", "lora", "litgpt", batch=1, checkpointing=True)
    assert est.batch == 1 and not any("LitGPT's defaults" in a for a in est.assumptions)
    plain = _est("llama-2-7b", "lora", None)
    assert _est("llama-2-7b", "lora", "litgpt", batch=1, checkpointing=True).terms["activations"] == pytest.approx(
        plain.terms["activations"]
    )


def test_no_runtime_named_keeps_transformers(engine: Engine) -> None:
    fit = _fit(engine, "can I qlora llama 3 8b on a 4090")
    assert fit["runtime"] == "transformers"
    assert any("no runtime named: assumed" in a for a in fit["assumptions"])
    assert any("× 14 bytes" in a for a in fit["assumptions"])


@pytest.mark.parametrize(
    ("question", "runtime", "fits"),
    [
        ("can I lora fine-tune llama 2 7b at 4096 context on an rtx a6000 with litgpt", "litgpt", False),
        ("can I lora fine-tune llama 2 7b at 4096 context on an rtx a6000", "transformers", True),
        ("can I qlora llama 3 8b on a 4060 ti 16gb with unsloth", "unsloth", True),
    ],
)
def test_questions_name_the_runtime_and_its_terms(engine: Engine, question: str, runtime: str, fits: bool) -> None:
    fit = _fit(engine, question)
    assert fit["runtime"] == runtime and fit["fits"] is fits


# -- vLLM / SGLang with no context stated ----------------------------------------------------------


def test_vllm_reports_without_context_are_costed_at_the_models_maximum() -> None:
    """vLLM's max_model_len defaults to the model's maximum and its KV pool must hold one such sequence."""
    cases = Cases()
    checked = 0
    for r in load_reports():
        if r.runtime != "vllm" or r.context or r.mode != "inference":
            continue
        c = cases.case(r)
        assert c.est.context == MODELS[r.model].shape.max_context, r.id
        assert any("the model's maximum" in a for a in c.est.assumptions), r.id
        checked += 1
    assert checked >= 1


def test_the_bench_case_is_what_ask_answers(engine: Engine) -> None:
    fit = _fit(engine, "can I run qwen3 30b a3b in bf16 on 4x a10 with vllm")
    c = Cases().case(
        next(r for r in load_reports() if r.id == "vllm-17469-qwen3-30b-a3b-4xa10-vllm").__class__(
            id="x",
            source="https://example.org",
            quote="-",
            model="qwen3-30b-a3b",
            gpu="a10",
            count=4,
            precision="bf16",
            runtime="vllm",
            mode="inference",
            context=None,
            batch=None,
            outcome="fits",
            tokens_per_s=None,
        )
    )
    assert fit["terms"]["KV cache"] == pytest.approx(c.est.terms["KV cache"], abs=0.01)
    assert any("max_model_len 32,768 (the model's maximum" in a for a in fit["assumptions"])


# -- Liger Kernel ----------------------------------------------------------------------------------


@pytest.mark.parametrize("model_id", MODEL_IDS)
@pytest.mark.parametrize("mode", ["lora", "qlora", "full"])
def test_liger_fused_loss_is_bounded_by_tokens_times_hidden(model_id: str, mode: str) -> None:
    shape = MODELS[model_id].shape
    hf, lg = _est(model_id, mode, None), _est(model_id, mode, "liger-kernel")
    assert lg.terms["logits (loss)"] == pytest.approx(2048 * (shape.hidden_size or 0) * 4 / 1e9)
    assert lg.terms["logits (loss)"] < hf.terms["logits (loss)"] / 10
    assert lg.terms["activations"] == pytest.approx(hf.terms["activations"])  # only the loss changes
    assert any("fused linear cross-entropy" in a for a in lg.assumptions)


def test_liger_is_understood_in_a_question(engine: Engine) -> None:
    fit = _fit(engine, "can I qlora llama 3 8b on a 3060 12gb with liger")
    assert fit["runtime"] == "liger-kernel" and fit["terms"]["logits (loss)"] < 0.1
