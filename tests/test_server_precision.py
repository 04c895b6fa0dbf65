"""A tensor-parallel server (SGLang, TGI, TensorRT-LLM; vLLM when a context is stated) with no precision asked is
answered in the best precision it loads: its 8-bit and 4-bit checkpoints (W8A8, AWQ, GPTQ), never a GGUF file; and
"max_model_len" asks for the longest context, with the lower precision that leaves room when none does as released."""

from __future__ import annotations

import pytest

from bot.engine import Engine

_GGUF = ("Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q3_K_M", "Q2_K", "IQ")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_specs()


@pytest.mark.parametrize(
    ("question", "precision"),
    [
        ("can sglang serve llama 3.1 8b on a t4", "int8"),
        ("qwen2.5 32b on a 4090 with sglang", "int4"),
        ("tgi llama 3 70b on 2x a6000", "int8"),
        ("llama 3.1 8b on a 3060 12gb with vllm at 8k context", "int4"),  # 8-bit would be borderline
    ],
)
def test_a_server_is_answered_in_a_precision_it_loads(engine: Engine, question: str, precision: str) -> None:
    answer = engine.ask(question)
    assert answer.fit is not None and answer.fit["precision"] == precision, (question, answer.fit)
    assert not any(name in answer.summary.split(":")[0] for name in _GGUF), answer.summary


def test_llama_cpp_keeps_the_gguf_ladder(engine: Engine) -> None:
    answer = engine.ask("can i run qwen2.5 32b on a 4090")
    assert answer.fit is not None and answer.fit["precision"] in ("q4_k_m", "q5_k_m", "q6_k"), answer.fit


@pytest.mark.parametrize(
    "question",
    [
        "vllm qwen2.5 7b on a 3060 12gb max model len?",
        "what max_model_len can i set for llama 3.1 8b on a 4090 with vllm",
        "max seq len for mistral nemo on a 16gb card with vllm",
    ],
)
def test_max_model_len_asks_for_the_longest_context(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert answer.title.startswith("Longest context"), (question, answer.title)
    if "does not fit" in answer.summary:  # as released: the lower precision vLLM loads, and how long
        assert any(b.startswith(("In 8-bit about", "In 4-bit about")) for b in answer.bullets), answer.bullets
