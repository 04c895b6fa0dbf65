"""TGI's KV blocks and CUDA graphs at start-up, by version (bot/estimator_tgi.py, specs/runtimes.yaml ``tgi_kv_eras``
and the entries after it, each quoting TGI's own code at a release tag's commit)."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest

from bot.estimator import GB, estimate, kv_cache_bytes, max_context
from bot.estimator_runtime import build_budgets, capacity_gb, with_version
from bot.estimator_tgi import (
    FIXED,
    GRAPHS_AFTER_BLOCKS,
    GRAPHS_OUTSIDE,
    KV_BLOCKS,
    KV_HEADROOM,
    OF_FREE,
    OF_TOTAL,
    fixed_tokens,
)
from bot.models import load_models
from bot.runtimes import load_runtimes

SPECS = Path(__file__).resolve().parent.parent / "specs"
RUNTIMES = load_runtimes(SPECS)
BUDGETS = build_budgets(RUNTIMES)
TGI = BUDGETS["tgi"]
MODELS = {k: v.shape for k, v in dict(load_models(SPECS)).items()}
#: The published figure the graphs take per GPU (PR 2450's log: 222 MB for the six default sizes).
GRAPH_GB = 0.222


def _share() -> Any:
    assert TGI.tgi_share is not None
    return TGI.tgi_share


@pytest.mark.parametrize(
    ("version", "rule", "value", "graphs"),
    [
        ("0.9.0", FIXED, 16000, False),
        ("0.9.3", FIXED, 16000, False),
        ("0.9.4", OF_FREE, 1.0, False),
        ("1.0.0", OF_FREE, 1.0, False),
        ("1.4.1", OF_FREE, 0.95, False),
        ("2.2.0", OF_FREE, 0.95, True),
        ("2.3.1", OF_FREE, 0.95, True),
        ("2.4.0", OF_FREE, 0.9, True),
        ("3.0.0", OF_TOTAL, 0.95, True),
        ("3.2.3", OF_TOTAL, 0.93, True),
        ("3.3.0", OF_TOTAL, 0.9, True),
        ("", OF_TOTAL, 0.9, True),  # the current release
    ],
)
def test_each_release_sizes_its_kv_blocks_as_its_code_does(version: str, rule: str, value: float, graphs: bool) -> None:
    era = _share().era(version)
    assert (era.rule, era.value, era.graphs) == (rule, value, graphs)


@pytest.mark.parametrize(
    "name",
    [
        "tgi_kv_eras",
        "max_batch_total_tokens",
        "kv_share_of_free_memory",
        "kv_reserve_of_total_memory",
        "tgi_wiggle_room",
        "cuda_graphs",
        "cuda_graphs_after_kv_blocks",
        "current_version",
    ],
)
def test_each_tgi_mechanism_cites_its_file_at_a_commit(name: str) -> None:
    rt = RUNTIMES.get("tgi")
    assert rt is not None and rt.history(name)
    for param in rt.history(name):
        repo, _, rest = param.source.removeprefix("https://github.com/").partition("/blob/")
        commit, _, path = rest.partition("/")
        assert repo == "huggingface/text-generation-inference"
        assert len(commit) == 40 and all(ch in "0123456789abcdef" for ch in commit) and path
        assert param.quote and param.versions


def test_the_eras_table_agrees_with_the_quoted_entries() -> None:
    rt = RUNTIMES.get("tgi")
    assert rt is not None
    eras = _share().eras
    shares = {float(p.value) for p in rt.history("kv_share_of_free_memory")}
    assert shares == {e.value for e in eras if e.rule == OF_FREE}
    fixed = rt.param("max_batch_total_tokens")
    assert fixed is not None and [e.value for e in eras if e.rule == FIXED] == [fixed.value]
    reserve, wiggle = rt.param("kv_reserve_of_total_memory"), rt.param("tgi_wiggle_room")
    assert reserve is not None and wiggle is not None
    assert _share().era("").value == pytest.approx(1 - float(reserve.value)) == wiggle.value
    assert _share().graph_gb == pytest.approx(GRAPH_GB)


@pytest.mark.parametrize(("model", "gpus"), [("llama-2-70b", 8), ("llama-3.1-8b", 1), ("mistral-7b-v0.3", 2)])
@pytest.mark.parametrize("context", [4096, 2048, 20000])
def test_tgi_09_allocates_max_batch_total_tokens_of_kv_blocks(model: str, gpus: int, context: int) -> None:
    """v0.9.0-v0.9.3: ceil(max(16,000, context) / 16) + 10 blocks of 16 tokens, whatever the card."""
    shape = MODELS[model]
    est = estimate(shape, context=context, gpus_count=gpus, runtime=with_version(TGI, "0.9.3"))
    tokens = (math.ceil(max(16000, context) / 16) + 10) * 16
    assert fixed_tokens(16000, context) == tokens
    whole = kv_cache_bytes(shape, tokens, 1, 2) / GB
    assert est.terms["KV cache"] + est.terms.get(KV_BLOCKS, 0.0) == pytest.approx(whole)
    assert GRAPHS_AFTER_BLOCKS not in est.terms and GRAPHS_OUTSIDE not in est.terms
    assert any("TGI 0.9.3 allocates KV blocks" in a for a in est.assumptions)


@pytest.mark.parametrize(("model", "gpus"), [("llama-3.1-8b", 1), ("llama-2-70b", 2), ("llama-3.1-405b", 8)])
@pytest.mark.parametrize(("version", "share"), [("2.2.0", 0.95), ("2.4.1", 0.9)])
def test_graphs_after_the_blocks_need_free_memory_the_share_leaves(
    model: str, gpus: int, version: str, share: float
) -> None:
    """v2.0-v2.4: the blocks take a share s of what is free after the warm-up and the graphs live in the rest, so
    what must be free is the larger of KV / s and graphs / (1 - s)."""
    est = estimate(MODELS[model], context=4096, gpus_count=gpus, runtime=with_version(TGI, version))
    kv, graphs = est.terms["KV cache"], gpus * GRAPH_GB
    assert est.terms[GRAPHS_AFTER_BLOCKS] == pytest.approx(graphs, rel=1e-3)
    free = kv + graphs + est.terms.get(KV_HEADROOM, 0.0)
    assert free == pytest.approx(max(kv / share, graphs / (1 - share)), rel=1e-3)
    assert not est.outside_terms


@pytest.mark.parametrize("version", ["0.9.4", "1.0.0", "1.4.0"])
def test_tgi_1_turns_all_free_memory_into_blocks_and_captures_no_graphs(version: str) -> None:
    est = estimate(MODELS["llama-2-70b"], context=4096, gpus_count=2, runtime=with_version(TGI, version))
    assert not {KV_HEADROOM, KV_BLOCKS, GRAPHS_AFTER_BLOCKS, GRAPHS_OUTSIDE} & set(est.terms)
    assert any("all the memory free" in a for a in est.assumptions)


@pytest.mark.parametrize(("version", "wiggle"), [("", 0.9), ("3.3.7", 0.9), ("3.1.0", 0.93), ("3.0.2", 0.95)])
@pytest.mark.parametrize("usable", [24.1, 25.8, 85.9])
def test_tgi_3_keeps_part_of_the_card_out_of_its_blocks(version: str, wiggle: float, usable: float) -> None:
    """v3: the blocks take what is free less (1 - TGI_WIGGLE_ROOM) x the card's total: TGI's share of the card is
    TGI_WIGGLE_ROOM, and the graphs are held outside it."""
    budget = with_version(TGI, version) if version else TGI
    assert capacity_gb(budget, usable) == pytest.approx(usable * wiggle)
    assert budget.fraction_name == "cuda_memory_fraction x TGI_WIGGLE_ROOM"
    est = estimate(MODELS["llama-3.1-8b"], context=4096, runtime=budget)
    assert est.outside_terms == (GRAPHS_OUTSIDE,)
    assert est.terms[GRAPHS_OUTSIDE] == pytest.approx(GRAPH_GB, rel=1e-3)
    assert est.beyond_share_gb(capacity_gb(budget, usable)) == 0.0
    named = "the current release; no version named" if not version else f"TGI {version}:"
    assert any(named in a for a in est.assumptions)


@pytest.mark.parametrize("version", ["", "2.2.0", "0.9.3", "1.0.0"])
@pytest.mark.parametrize(("model", "usable", "gpus"), [("llama-3.1-8b", 25.8, 1), ("qwen2.5-7b", 24.1, 2)])
def test_the_longest_context_with_tgi_never_contradicts_its_memory(
    version: str, model: str, usable: float, gpus: int
) -> None:
    budget = with_version(TGI, version) if version else TGI
    shape = MODELS[model]
    capacity = capacity_gb(budget, usable)
    longest = max_context(shape, capacity, gpus_count=gpus, runtime=budget)
    assert longest > 0
    at = estimate(shape, context=longest, gpus_count=gpus, runtime=budget)
    assert at.verdict(capacity) != "does not fit"
    if longest < (shape.max_context or 0):
        past = estimate(shape, context=longest + 1, gpus_count=gpus, runtime=budget)
        assert past.verdict(capacity) == "does not fit"


@pytest.mark.parametrize(
    ("question", "term", "says"),
    [
        ("llama 2 70b on 8x a10g with tgi 0.9.3", KV_BLOCKS, "TGI 0.9.3 allocates KV blocks"),
        ("can I serve llama 3.1 405b fp8 on 8x h100 sxm with tgi v2.2.0", GRAPHS_AFTER_BLOCKS, "TGI 2.2.0: 95%"),
        ("llama 2 70b on 2x a100 80gb with text generation inference", GRAPHS_OUTSIDE, "no version named"),
        ("mistral 7b on a 4090 with tgi", GRAPHS_OUTSIDE, "TGI_WIGGLE_ROOM 0.9"),
    ],
)
def test_the_answer_names_tgis_terms_and_version(engine: Any, question: str, term: str, says: str) -> None:
    from bot.render import answer_json

    answer = answer_json(engine.ask(question))
    fit = answer["fit"]
    assert fit["runtime"] == "tgi"
    assert term in fit["terms"] and term in answer["text"]
    assert any(says in a for a in fit["assumptions"])


@pytest.mark.parametrize(
    "question",
    [
        "can I serve qwen3 30b a3b on 4x a10 with vllm",
        "vllm gpu_memory_utilization 1.0 llama 70b on 8 v100",
        "llama 2 70b on 2x a100 80gb with tgi",
        "max context for llama 3.1 8b on a 4090 with tgi",
        "max context for llama 3.1 8b on a 4090 with tgi 2.2.0",
    ],
)
def test_no_serving_answer_contradicts_itself(engine: Any, question: str) -> None:
    """A verdict and its margin agree, and the need the text states (a longest context's too) is within what it says
    the runtime may use exactly when it fits."""
    from bot.render import answer_json

    answer = answer_json(engine.ask(question))
    fit = answer["fit"]
    assert fit is not None
    if fit["fits"] is None:  # several cards the name could be: each judged in the text, none contradicting
        assert "It depends on which" in answer["text"]
        return
    assert fit["fits"] == (fit["margin_gb"] >= 0)
    said = re.search(r"(\d+\.\d) GB(?: per GPU)? of (?:the )?(\d+\.\d) GB", answer["text"])
    assert said is not None
    need, may_use = float(said.group(1)), float(said.group(2))
    assert (need <= may_use) == fit["fits"]
