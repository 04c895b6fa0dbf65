"""Issue 11, items 1, 2 and 6: native precision, the best precision first when none is asked, and weights
from the published file sizes (with the real mix when no size is recorded)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from bot.catalog import CatalogError
from bot.engine import Engine
from bot.estimator import BYTES_PER_PARAM, estimate
from bot.handlers.fit_precision import best_precision, pick_precision, precision_ladder
from bot.models import ModelSpec, load_models
from bot.render import render_json, render_text

SPECS = Path(__file__).resolve().parent.parent / "specs"
GIB = 2**30 / 1e9


@pytest.fixture(scope="module")
def models() -> dict[str, ModelSpec]:
    return dict(load_models(SPECS))


def _json(engine: Engine, question: str) -> dict:  # type: ignore[type-arg]
    return json.loads(render_json(engine.ask(question)))  # type: ignore[no-any-return]


def _weights(models: dict[str, ModelSpec], model_id: str, precision: str) -> float:
    return estimate(models[model_id].shape, precision=precision).terms["weights"]


# -- 1. native precision --------------------------------------------------------------------------------


def test_mxfp4_is_4_25_bits_per_weight() -> None:
    # OCP MX v1.0: FP4 E2M1 elements with one E8M0 scale per 32 -> 4 + 8/32 bits
    assert BYTES_PER_PARAM["mxfp4"] * 8 == pytest.approx(4.25)


@pytest.mark.parametrize(
    ("model_id", "checkpoint_gib"),
    # gpt-oss model card (arXiv 2508.10925), table 1: checkpoint size 12.8 GiB / 60.8 GiB
    [("gpt-oss-20b", 12.8), ("gpt-oss-120b", 60.8)],
)
def test_gpt_oss_as_released_matches_the_published_checkpoint(
    models: dict[str, ModelSpec], model_id: str, checkpoint_gib: float
) -> None:
    assert _weights(models, model_id, "mxfp4") == pytest.approx(checkpoint_gib * GIB, rel=0.02)


@pytest.mark.parametrize(
    ("model_id", "native"),
    [("gpt-oss-20b", "mxfp4"), ("deepseek-r1", "fp8"), ("deepseek-v3", "fp8"), ("kimi-k2", "fp8")],
)
def test_models_released_quantised_record_their_native_precision(
    models: dict[str, ModelSpec], model_id: str, native: str
) -> None:
    shape = models[model_id].shape
    assert shape.native_precision == native
    assert sum(b for _, b in shape.native_split_b) == pytest.approx(shape.params_b, rel=0.02)


def test_dense_16_bit_models_have_no_native_quantisation(models: dict[str, ModelSpec]) -> None:
    assert models["llama-3-70b"].shape.native_precision is None
    assert precision_ladder(models["llama-3-70b"].shape)[0] == "fp16"


@pytest.mark.parametrize(
    ("question", "precision", "fits"),
    [
        ("gpt-oss 20b on a 16 GB card", "mxfp4", True),  # issue 11's own example: was "No, 44.8 GB" in FP16
        ("can gpt-oss 120b run on one h100 sxm?", "mxfp4", True),
        ("kimi k2 on 8x h200 sxm", "fp8", True),
        ("gpt-oss 120b in mxfp4 on one h100 sxm", "mxfp4", True),  # "mxfp4" in the question is understood
        ("gpt-oss 20b in fp16 on a 16 GB card", "fp16", False),  # a stated precision is answered as asked
    ],
)
def test_native_precision_is_the_default(engine: Engine, question: str, precision: str, fits: bool) -> None:
    data = _json(engine, question)
    assert data["fit"]["precision"] == precision and data["fit"]["fits"] is fits, data["text"]
    if precision != "fp16":
        assert f"native {precision.upper()} (as released)" in data["text"]


def test_a_native_checkpoint_is_costed_from_its_split(engine: Engine) -> None:
    text = render_text(engine.ask("gpt-oss 20b on a 16 GB card"))
    assert "19.12B parameters in MXFP4, 1.8B parameters in BF16" in text


# -- 2. unstated precision: the best that fits ------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "precision"),
    [
        ("can I run llama 3 70b on two 3090s", "q4_k_m"),
        ("can I run llama 3 70b on one h100 nvl", "q8_0"),
        ("llama 3 8b on a 4090", "fp16"),  # 16-bit fits: no lower precision chosen
        # room to spare before a borderline fit: Q5_K_M would need 24.6 GB of the 25.8 GB a 24 GB card offers
        ("qwen2.5 32b on a 4090", "q4_k_m"),
        ("mixtral 8x7b on an a6000", "q6_k"),  # the published Q8_0 file (49.6 GB) is borderline on 51.5 usable
        # FP8 as released, 84.6 GB per GPU of 85.2 usable with llama.cpp's compute buffer: borderline
        ("deepseek r1 on 8x a100 80gb sxm", "q6_k"),
    ],
)
def test_unstated_precision_leads_with_the_best_that_fits(engine: Engine, question: str, precision: str) -> None:
    data = _json(engine, question)
    assert data["fit"]["precision"] == precision and data["fit"]["fits"] is True, data["text"]
    if precision not in ("fp16", "fp8"):  # the native precision fits as released: no lower one is chosen
        assert data["text"].split("\n\n")[1].startswith("Yes, ")
        assert " it would need about " in data["text"] and "No precision was asked" in data["text"]


@pytest.mark.parametrize(
    ("question", "tighter"),
    [
        ("qwen2.5 32b on a 4090", "Q5_K_M"),
        ("qwen2.5 14b on a 4060 ti 16gb", "Q8_0 (8-bit GGUF)"),
        ("gemma 2 9b on a 3060 12gb", "Q8_0 (8-bit GGUF)"),
        ("deepseek r1 on 8x a100 80gb sxm", "its native FP8 (as released)"),
    ],
)
def test_room_to_spare_before_a_borderline_fit(engine: Engine, question: str, tighter: str) -> None:
    """A better precision that fits only within the estimate's margin is passed over for one with room, and named."""
    data = _json(engine, question)
    assert "Borderline" not in data["text"] and "borderline:" not in data["text"]
    assert "with room to spare: " in data["text"] and f"; {tighter} would be borderline." in data["text"]


def test_stated_precision_is_answered_exactly(engine: Engine) -> None:
    data = _json(engine, "can I run llama 3 70b in fp16 on two 3090s")
    assert data["fit"]["precision"] == "fp16" and data["fit"]["fits"] is False
    assert "No precision was asked" not in data["text"]


def test_below_4_bit_only_when_nothing_else_fits_and_it_says_quality_suffers(engine: Engine) -> None:
    data = _json(engine, "qwen2.5 32b on a 16gb card")
    assert data["fit"]["precision"] in ("q3_k_m", "q2_k") and "quality suffers" in data["text"]


def test_when_nothing_fits_it_says_not_even_4_bit(engine: Engine) -> None:
    data = _json(engine, "llama 3.1 405b on a 12gb 3060")
    assert data["fit"]["precision"] == "q4_k_m" and data["fit"]["fits"] is False
    assert "No, not even in Q4_K_M" in data["text"]


def test_an_ambiguous_card_gets_each_variant_its_best_precision(engine: Engine) -> None:
    # Llama 3 8B: Q8_0 (8.55 GB) fits the 12 GB 3060, not the 8 GB one, which holds Q6_K. (Mistral 7B v0.3's
    # published Q8_0 file, 7.70 GB, leaves the 8 GB card 0.7 MB of its 8.59 GB: borderline, so Q6_K with room.)
    answer = engine.ask("llama 3 8b on my 3060")
    lines = {b.split(" (")[0]: b for b in answer.bullets}
    assert "in Q8_0" in lines["GeForce RTX 3060"] and "in Q6_K" in lines["GeForce RTX 3060 8GB"]
    mistral = {b.split(" (")[0]: b for b in engine.ask("mistral 7b on my 3060").bullets}
    assert "yes, in Q6_K" in mistral["GeForce RTX 3060 8GB"]


def test_best_precision_walks_the_ladder_in_order(models: dict[str, ModelSpec]) -> None:
    shape = models["llama-3-70b"].shape
    tried: list[str] = []
    assert best_precision(shape, lambda p: tried.append(p) or p == "q5_k_m") == ("q5_k_m", True)
    assert tried == ["fp16", "q8_0", "q6_k", "q5_k_m"]


def test_a_model_released_in_mxfp4_skips_the_formats_that_weigh_more(models: dict[str, ModelSpec]) -> None:
    ladder = precision_ladder(models["gpt-oss-20b"].shape)
    assert ladder[0] == "mxfp4" and "q8_0" not in ladder and "q6_k" not in ladder


@pytest.mark.parametrize(
    ("question", "precision_name"),
    [
        ("cheapest card that can run llama 3 70b", "Q4_K_M"),
        ("best gpu to run gpt-oss 120b", "native MXFP4"),
        ("cheapest card that can run llama 3 70b in fp16", "FP16"),
    ],
)
def test_picks_size_cards_for_the_same_policy(engine: Engine, question: str, precision_name: str) -> None:
    answer = engine.ask(question)
    assert precision_name in answer.title + answer.summary.split(".")[0], answer.title


def test_pick_precision_keeps_4_bit_quality(models: dict[str, ModelSpec]) -> None:
    assert pick_precision(models["llama-3-70b"].shape) == "q4_k_m"
    assert pick_precision(models["gpt-oss-120b"].shape) == "mxfp4"


def test_setups_hold_the_model_in_its_native_precision_first(engine: Engine) -> None:
    text = render_text(engine.ask("2x 3090 vs 4090 for gpt-oss 20b"))
    assert "native MXFP4 (as released)" in text


# -- 6. weights from real file sizes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model_id", "precision", "gb"),
    [
        # llama.cpp tools/quantize/quantize.cpp QUANT_OPTIONS: 4.58G (GiB) Q4_K_M, 7.96G Q8_0 @ Llama-3-8B
        ("llama-3-8b", "q4_k_m", 4.58 * GIB),
        ("llama-3-8b", "q8_0", 7.96 * GIB),
        # bartowski's Llama 3.1 70B GGUF list: Q4_K_M 42.52 GB, Q6_K 57.89 GB
        ("llama-3.1-70b", "q4_k_m", 42.52),
        ("llama-3.3-70b", "q6_k", 57.89),
        # bartowski/Qwen_Qwen3-32B-GGUF: bf16 65.53 GB (the FP16 size too)
        ("qwen3-32b", "fp16", 65.53),
        # MaziyarPanahi's Mixtral 8x7B GGUF file list: Q4_K_M 28.4 GB; bartowski's Gemma 2 27B: Q8_0 28.93 GB
        ("mixtral-8x7b", "q4_k_m", 28.4),
        ("gemma-2-27b", "q8_0", 28.93),
    ],
)
def test_published_file_sizes_are_used(models: dict[str, ModelSpec], model_id: str, precision: str, gb: float) -> None:
    assert _weights(models, model_id, precision) == pytest.approx(gb, rel=0.005)


@pytest.mark.parametrize(
    ("model_id", "precision", "published_gb"),
    [("llama-3-8b", "q4_k_m", 4.58 * GIB), ("llama-3.1-70b", "q4_k_m", 42.52), ("llama-3.1-70b", "q3_k_m", 34.27)],
)
def test_the_gguf_mix_comes_close_to_published_sizes_without_them(
    models: dict[str, ModelSpec], model_id: str, precision: str, published_gb: float
) -> None:
    """With the sizes removed, parameters × bits with the output layer at Q6_K lands within 3%."""
    shape = dataclasses.replace(models[model_id].shape, file_gb=())
    assert estimate(shape, precision=precision).terms["weights"] == pytest.approx(published_gb, rel=0.03)


def test_the_output_layer_is_counted_at_q6_k(models: dict[str, ModelSpec]) -> None:
    shape = dataclasses.replace(models["qwen2.5-7b"].shape, file_gb=())
    assert shape.vocab_size and shape.hidden_size
    output = shape.vocab_size * shape.hidden_size
    expected = ((shape.params_b * 1e9 - output) * BYTES_PER_PARAM["q4_k_m"] + output * BYTES_PER_PARAM["q6_k"]) / 1e9
    assert estimate(shape, precision="q4_k_m").terms["weights"] == pytest.approx(expected)
    assert estimate(shape, precision="q8_0").terms["weights"] == pytest.approx(shape.params_b * 8.5 / 8)


def _break(specs: Path, model_id: str, line: str) -> None:
    path = specs / "models.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index(f"  - id: {model_id}\n")
    note = text.index("    note:", at)
    path.write_text(text[:note] + line + text[note:], encoding="utf-8")


@pytest.mark.parametrize(
    ("model_id", "line", "field"),
    [
        ("qwen3-14b", "    weights_gb: {q4_k_m: 40.0}\n    weights_sources: [https://example.org]\n", "weights_gb"),
        ("qwen3-14b", "    weights_gb: {q4_k_m: 9.0}\n", "weights_sources"),
        ("qwen2.5-7b", "    native_precision: fp5\n", "native_precision"),
        ("qwen2.5-7b", "    native_precision: fp8\n    native_split_b: {fp8: 3.0, bf16: 0.5}\n", "native_split_b"),
    ],
)
def test_bad_precision_data_is_rejected_naming_the_field(
    specs_copy: Path, model_id: str, line: str, field: str
) -> None:
    _break(specs_copy, model_id, line)
    with pytest.raises(CatalogError) as err:
        load_models(specs_copy)
    assert field in str(err.value) and model_id in str(err.value)


@pytest.mark.parametrize(("model_id", "copies"), [("llama-3-70b", 2), ("qwen2.5-7b", 2), ("llama-3.2-3b", 1)])
def test_fp8_and_bitsandbytes_keep_embeddings_and_output_in_16_bit(
    models: dict[str, ModelSpec], model_id: str, copies: int
) -> None:
    """vLLM FP8 and bitsandbytes quantise the linear layers only; a tied vocabulary matrix is stored once."""
    shape = models[model_id].shape
    assert shape.tied_embeddings is (copies == 1)
    vocab = shape.vocab_size * shape.hidden_size * copies  # type: ignore[operator]
    for precision in ("fp8", "int8", "nf4"):
        bpp = BYTES_PER_PARAM[precision]
        expected = ((shape.params_b * 1e9 - vocab) * bpp + vocab * 2) / 1e9
        assert estimate(shape, precision=precision).terms["weights"] == pytest.approx(expected)


def test_int4_stays_a_plain_average(models: dict[str, ModelSpec]) -> None:
    """ "int4" covers AWQ/GPTQ (16-bit embeddings) and GGUF Q4_0 / MLC (quantised ones): no mix is assumed."""
    shape = models["llama-2-7b"].shape
    assert estimate(shape, precision="int4").terms["weights"] == pytest.approx(shape.params_b * 4.5 / 8)


def test_tied_embeddings_must_be_a_boolean(specs_copy: Path) -> None:
    _break(specs_copy, "qwen2.5-7b", "    tied_embeddings: maybe\n")
    with pytest.raises(CatalogError, match="tied_embeddings"):
        load_models(specs_copy)


def test_a_family_is_listed_in_each_models_own_precision(engine: Engine) -> None:
    answer = engine.ask("is 16gb enough for gpt-oss")
    assert "their native MXFP4 (as released)" in answer.summary and "Q4_K_M" not in answer.summary
    # of 17.2 GB usable; llama.cpp (assumed) loads it from its MXFP4_MOE GGUF, non-MoE tensors in Q8_0
    assert any(b.startswith("gpt-oss-20b: 12.4 GB, fits") for b in answer.bullets)
    assert "FP16 / Q4_K_M" in engine.ask("is 8gb enough for llama").summary
