"""Max context for hybrid attention (issue 11, item 8): the longest context an answer gives can never contradict
its own memory figure. For every model in specs/models.yaml with sliding-window layers (Gemma 2/3, gpt-oss,
Llama 4's chunked attention, Mistral's window), on several cards and precisions, the estimate at the returned
context fits and at 1% more it does not, unless the model's own limit binds."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.estimator import estimate, kv_cache_bytes, max_context
from bot.models import ModelSpec, load_models

SPECS = Path(__file__).resolve().parent.parent / "specs"
MODELS = dict(load_models(SPECS))
HYBRID = sorted(m for m, spec in MODELS.items() if spec.shape.sliding_window)
CARDS_GB = (8.0, 12.0, 16.0, 24.0, 48.0, 80.0)
PRECISIONS = ("fp16", "int8", "q4_k_m")


def _need(spec: ModelSpec, context: int, precision: str, count: int = 1) -> float:
    return estimate(spec.shape, precision=precision, context=context, gpus_count=count).per_gpu_gb


def test_the_catalog_has_hybrid_models() -> None:
    # the families item 8 names are in the catalog; a rename here should fail loudly, not skip the checks below
    names = " ".join(HYBRID)
    assert all(family in names for family in ("gemma-2", "gemma-3", "gpt-oss", "llama-4"))


@pytest.mark.parametrize("model_id", HYBRID)
@pytest.mark.parametrize("capacity", CARDS_GB)
@pytest.mark.parametrize("precision", PRECISIONS)
def test_the_longest_context_fits_and_one_percent_more_does_not(model_id: str, capacity: float, precision: str) -> None:
    spec = MODELS[model_id]
    longest = max_context(spec.shape, capacity, precision=precision)
    if longest == 0:
        assert _need(spec, 1, precision) > capacity  # not even one token: the weights alone are too big
        return
    assert _need(spec, longest, precision) <= capacity
    more = math.ceil(longest * 1.01)
    limit = spec.shape.max_context
    if limit is not None and more > limit:
        assert longest == limit or _need(spec, longest + 1, precision) > capacity
    else:
        assert _need(spec, more, precision) > capacity
        assert _need(spec, longest + 1, precision) > capacity  # and it is the longest, to the token


@pytest.mark.parametrize("model_id", ["gemma-3-27b", "gpt-oss-120b", "llama-4-scout"])
def test_several_gpus_the_same(model_id: str) -> None:
    spec = MODELS[model_id]
    for count in (2, 4):
        longest = max_context(spec.shape, 24.0, precision="q4_k_m", gpus_count=count)
        if 0 < longest < (spec.shape.max_context or 0):
            assert _need(spec, longest, "q4_k_m", count) <= 24.0 < _need(spec, longest + 1, "q4_k_m", count)


def test_past_the_window_only_the_global_layers_grow() -> None:
    """Gemma 3 27B: 10 of 62 layers global (config.json sliding_window_pattern 6), window 1024: past the window
    each token adds the KV of the global layers only."""
    shape = MODELS["gemma-3-27b"].shape
    window = shape.sliding_window or 0
    full = shape.full_attention_layers or 0
    per_layer_token = 2 * (shape.kv_heads or 0) * (shape.dim_per_head or 0) * 2.0  # K and V, fp16
    grow = kv_cache_bytes(shape, window + 1000) - kv_cache_bytes(shape, window)
    assert grow == pytest.approx(full * 1000 * per_layer_token)
    below = kv_cache_bytes(shape, window) - kv_cache_bytes(shape, window - 1000)
    assert below == pytest.approx((shape.layers or 0) * 1000 * per_layer_token)


def test_a_hybrid_model_is_not_given_its_own_limit_when_the_card_cannot_hold_it() -> None:
    """The old shortcut: past the window, the model's whole context was returned. Gemma 3 27B in 4-bit on a 24 GB
    card holds tens of thousands of tokens, not its 131,072."""
    shape = MODELS["gemma-3-27b"].shape
    longest = max_context(shape, 24.0, precision="q4_k_m")
    assert shape.sliding_window is not None and shape.sliding_window < longest < (shape.max_context or 0)


def test_fast() -> None:
    import time

    shape = MODELS["gemma-3-27b"].shape
    start = time.perf_counter()
    for _ in range(100):
        max_context(shape, 24.0, precision="q4_k_m")
    assert (time.perf_counter() - start) / 100 < 0.001


@pytest.mark.parametrize(
    "question",
    [
        "max context for gemma 3 27b in 4 bit on a 4090",
        "max context for gemma 2 27b in 8 bit on an a6000",
        "max context for gpt-oss 120b in 4 bit on 2x h100 sxm",
        "max context for llama 4 scout in 4 bit on an h100 sxm",
    ],
)
def test_the_answer_never_contradicts_its_memory_figure(engine: Engine, question: str) -> None:
    fit = engine.ask(question).fit
    assert fit is not None
    if fit["fits"]:
        assert fit["required_gb"] <= fit["usable_gb"]  # like with like: what the cards really offer
