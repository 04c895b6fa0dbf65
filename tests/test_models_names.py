"""Model names as people write them (bot/model_names.py): each rule with many phrasings.

The words after a model mention must not contradict the model read: a stated size picks the one sibling of that size,
a version or a variant the catalog lacks is never read as another model, quantisation and packaging words keep the
model, and counts, units, lists and other models after a name are not read as part of it.
"""

from __future__ import annotations

import pytest

from bot.engine import Engine
from tests.corpus.model_grade import load_mentions, reading


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_specs()


def _model(engine: Engine, text: str) -> str | None:
    ev = engine.parser.read(text)
    return ev.model.model.id if ev.model is not None else None


# -- a stated size that contradicts the alias found picks the one sibling of that size -----------------------------

SIBLINGS = [
    ("can i run deepseek r1 distill 32b on a 4070 ti super", "deepseek-r1-distill-qwen-32b"),
    ("deepseek r1 distill 14b on a 3060 12gb", "deepseek-r1-distill-qwen-14b"),
    ("DeepSeek R1 distill 70B in 4-bit on two 3090s", "deepseek-r1-distill-llama-70b"),
    ("I ran the Deepseek R1 8B model on an RTX 3050", "deepseek-r1-distill-llama-8b"),
    ("ollama run deepseek-r1:8b on a 4060", "deepseek-r1-distill-llama-8b"),
    ("deepseek r1 distill llama 8b vram", "deepseek-r1-distill-llama-8b"),
    ("deepseek r1 distill qwen 7b on a 2060", "deepseek-r1-distill-qwen-7b"),
    ("DeepSeek-R1-Distill-Qwen-14B-Q4_K_M.gguf on a 4070", "deepseek-r1-distill-qwen-14b"),
    ("will deepseek-r1-32b run on a 4090", "deepseek-r1-distill-qwen-32b"),
]


@pytest.mark.parametrize(("text", "expected"), SIBLINGS)
def test_a_stated_size_picks_the_sibling_of_that_size(engine: Engine, text: str, expected: str) -> None:
    assert _model(engine, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "deepseek r1 on 8x h100",
        "deepseek r1 671b in q4 on 8 h100s",
        "deepseek-r1:671b-q8_0",
        "DeepSeek-R1-UD-Q2_K_XL on 4x a800",
        "deepseek r1 8 h100s enough?",  # a count after the name, not a size
    ],
)
def test_the_name_that_agrees_keeps_its_model(engine: Engine, text: str) -> None:
    assert _model(engine, text) == "deepseek-r1"


def test_a_variant_several_siblings_share_is_not_guessed(engine: Engine) -> None:
    """ "deepseek r1 distill" names five models of different sizes: none is read, the fit answer asks."""
    assert _model(engine, "can I run deepseek r1 distill on a 3090") is None
    answer = engine.ask("can I run deepseek r1 distill on a 3090")
    assert answer.fit is None or answer.fit.get("model") != "deepseek-r1"


# -- a model the catalog lacks is never another one ------------------------------------------------------------------

UNLISTED = [
    "qwen2.5-vl-72b on 4x a100",
    "Qwen2.5-VL-7B-Instruct-AWQ on a 16gb card",
    "can I run qwen2.5 vl 32b instruct on a 5090",
    "llama3.2-vision:11b on a 3060",
    "llama 3.2 90b vision on 2x a6000",
    "qwen2.5-coder:7b on a 3060",
    "qwen2.5 coder 14b instruct q4 on a 4070",
    "qwen2.5-math-7b on a 3060",
    "mistral 7b instruct v0.2 on a 3060",
    "mistral-7b-instruct-v0.2.Q4_K_M.gguf",
    "Mistral-Small-3.1-24B-Instruct-2503 on a 4090",
    "microsoft/Phi-3-mini-128k-instruct on a 3060",
    "phi3:14b on a 4090",
    "qwen/Qwen1.5-72B-Chat on 8 a800",
    "qwen 1.5 72b chat on 2x a6000",
    "qwen1.5-32b on a 4090",
    "flux1-schnell-fp8 on a 3060",
    "flux schnell on a 4070",
    "whisper large v2 on a t4",
    "deepseek-r1:1.5b on a 1650",
    "meta-llama/Llama-3.2-11B-Vision-Instruct on a 3090",
    "qwen2.5 7b coder on a 3060",
    "gemma 7b it on a 3060",
    "code llama 7b on a 3060",  # a variant word before the family's name
    "distill llama 70b on 2x 3090",
    "llama guard 3 8b on a t4",
    "whisper large-v3-turbo on a t4",
]


@pytest.mark.parametrize("text", UNLISTED)
def test_a_model_the_catalog_lacks_is_never_read_as_another(engine: Engine, text: str) -> None:
    ev = engine.parser.read(text)
    assert ev.model is None, f"read as {ev.model.model.id}" if ev.model else ""
    assert ev.model_unlisted


@pytest.mark.parametrize(
    "text",
    ["can I run qwen2.5-vl-72b on 2x 3090", "mistral 7b instruct v0.2 q4 on a 3060", "qwen2.5-coder:14b on a 4070"],
)
def test_the_fit_answer_says_the_model_is_not_in_the_catalog(engine: Engine, text: str) -> None:
    answer = engine.ask(text)
    assert answer.fit is not None and answer.fit["model"] not in engine.models
    note = answer.notes[0]
    assert "is not in the model catalog" in note and "typical" in note


def test_without_a_size_the_answer_says_there_is_no_estimate(engine: Engine) -> None:
    answer = engine.ask("flux schnell on a 3060")
    assert any("is not in the model catalog, so there is no estimate" in n for n in answer.notes)


def test_explain_names_the_model_the_catalog_lacks(engine: Engine) -> None:
    explained = engine.explain("qwen2.5-vl-72b on 4x a100")
    kinds = {e["kind"]: e for e in explained["evidence"]}
    assert "model not in the catalog" in kinds


# -- versions are honoured -------------------------------------------------------------------------------------------

VERSIONS = [
    ("llama v3 8b instruct on a 3060", "llama-3-8b"),
    ("llama-v3 8b", "llama-3-8b"),
    ("llama 3 8b on a 3060", "llama-3-8b"),
    ("llama 3.1 8b on a 3060", "llama-3.1-8b"),
    ("llama3.3 70b on 2x 3090", "llama-3.3-70b"),
    ("llama 2 70b on 2x 3090", "llama-2-70b"),
    ("qwen 2.5 7b on a 3060", "qwen2.5-7b"),
    ("qwen 3 8b on a 3060", "qwen3-8b"),
    ("mistral 7b v0.1 on a 3060", "mistral-7b-v0.1"),
    ("mistral-7b-instruct-v0.3 on a 3060", "mistral-7b-v0.3"),
    ("whisper large v3 on a t4", "whisper-large-v3"),
    ("gemma 2 9b on a 3060", "gemma-2-9b"),
    ("gemma 3 12b on a 3060", "gemma-3-12b"),
    ("phi 3.5 mini on a 3060", "phi-3.5-mini"),
    ("mistral small 3 24b on a 4090", "mistral-small-3"),
]


@pytest.mark.parametrize(("text", "expected"), VERSIONS)
def test_versions_are_honoured(engine: Engine, text: str, expected: str) -> None:
    assert _model(engine, text) == expected


# -- tunes, packaging and quantisation tags keep the model -----------------------------------------------------------

SAME_MODEL = [
    ("Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf on a 3060", "llama-3.1-8b"),
    ("Qwen3-8B-abliterated-Q4_K_M.gguf on a 3060", "qwen3-8b"),
    ("google/gemma-3-4b-it-qat-q4_0-gguf on a t4", "gemma-3-4b"),
    ("unsloth/llama-3-8b-bnb-4bit on a t4", "llama-3-8b"),
    ("NousResearch/Nous-Hermes-2-Mixtral-8x7B-DPO on 2x 3090", "mixtral-8x7b"),
    ("llama-2-7b-chat.ggmlv3.q2_K.bin on a laptop 3080", "llama-2-7b"),
    ("mixtral-8x7b-instruct-v0.1.Q4_K_M.gguf on a 4090", "mixtral-8x7b"),
    ("Jinx-gpt-oss-20b-mxfp4 on an mi50", "gpt-oss-20b"),
    ("llama 3.1 8b instruct uncensored on a 3060", "llama-3.1-8b"),
    ("qwen2.5-coder:32b-instruct-q4_K_M on a 4090", "qwen2.5-coder-32b"),
    ("Qwen2.5 Coder Instruct 32B Q4_K_M on a 4090", "qwen2.5-coder-32b"),
    ("hf.co/unsloth/Qwen3-Coder-30B-A3B-Instruct-GGUF:Q4_K_M", "qwen3-coder-30b-a3b"),
    ("gemma-2-27b-it-IQ4_XS.gguf on a 4090", "gemma-2-27b"),
    ("Qwen3-30B-A3B-Q4_K_S.gguf on a 4090", "qwen3-30b-a3b"),
    ("flux1Dev_v10.safetensors on a 16gb card", "flux.1-dev"),
    ("qwen3:30b on a 5070 ti", "qwen3-30b-a3b"),
]


@pytest.mark.parametrize(("text", "expected"), SAME_MODEL)
def test_tunes_packaging_and_quant_tags_keep_the_model(engine: Engine, text: str, expected: str) -> None:
    assert _model(engine, text) == expected


# -- counts, units, lists and other models after a name are not part of it -------------------------------------------

NOT_PART = [
    ("mixtral 4 bit on a 3090", "mixtral-8x7b"),
    ("llama 3 70b 2 gpus enough?", "llama-3-70b"),
    ("qwen 72b 4bit on 2x 3090", "qwen2.5-72b"),
    ("Gemma3 4b, 12b, 27b models' context_length", "gemma-3-4b"),
    ("requirements for Llama2 7B, Llama2 13B, Llama2 70B", "llama-2-7b"),
    ("whisper + llama 8b on the same box", "whisper-large-v3"),
    ("gpt oss 20b 16gb enough", "gpt-oss-20b"),
    ("llama 3.1 8b 32k context on a 4090", "llama-3.1-8b"),
    ("flux dev 1024x1024 on a 3060", "flux.1-dev"),
    ("sd 1.5 lora training on a 2060", "stable-diffusion-1.5"),
    ("qwen2.5 7b flash attention on a 3060", "qwen2.5-7b"),
    ("mistral 7b v0.3 large context on a 3060", "mistral-7b-v0.3"),
    ("llama 3 8b lora rank 16 on a 3060", "llama-3-8b"),
]


@pytest.mark.parametrize(("text", "expected"), NOT_PART)
def test_counts_units_lists_and_other_models_are_not_part_of_a_name(engine: Engine, text: str, expected: str) -> None:
    assert _model(engine, text) == expected


# -- Ollama and GGUF tags: size and quantisation read ----------------------------------------------------------------

TAGS = [
    ("llama3.1:8b-instruct-q2_K on a 3060", "llama-3.1-8b", "q2_k"),
    ("qwen2.5-coder:32b-instruct-q4_K_M on a 4090", "qwen2.5-coder-32b", "q4_k_m"),
    ("Meta-Llama-3-8B-Instruct-Q8_0.gguf on a 3060", "llama-3-8b", "q8_0"),
    ("mistral-7b-instruct-v0.1.Q5_K_M.gguf on a 3060", "mistral-7b-v0.1", "q5_k_m"),
    ("llama-2-7b.Q4_0.gguf on a 3060", "llama-2-7b", "q4_0"),
    ("llama3.1:8b-instruct-fp16 on a 4090", "llama-3.1-8b", "fp16"),
    ("deepseek-r1:14b-qwen-distill-q8_0 on a 4090", "deepseek-r1-distill-qwen-14b", "q8_0"),
    ("TheBloke/Llama-2-70B-AWQ on 2x a6000", "llama-2-70b", "int4"),
]


@pytest.mark.parametrize(("text", "model", "precision"), TAGS)
def test_ollama_and_gguf_tags_give_model_and_precision(engine: Engine, text: str, model: str, precision: str) -> None:
    query = engine.parser.parse(text)
    assert query.fit is not None
    assert (query.fit.model_id, query.fit.precision) == (model, precision)


def test_corpus_readings_are_one_of_the_reading_kinds(engine: Engine) -> None:
    """The grader's reading is a catalog model, a bare size, "ask" or "none" for every labelled mention."""
    for entry in load_mentions()[:20]:
        got = reading(engine, str(entry["text"]))
        assert got in engine.models or got in ("ask", "none") or got.startswith("size ")


def test_a_follow_up_names_the_model_the_catalog_lacks_too(engine: Engine) -> None:
    from bot.conversation import Conversations, ConversationStore

    talk = Conversations(engine, ConversationStore(ttl_s=900, clock=lambda: 1000.0))
    talk.ask("k", "can I run llama 3.1 8b q4_k_m at 32k context on a 4090?")
    reply = talk.ask("k", "what about qwen2.5-vl-72b?")
    assert reply.query.fit is not None and reply.query.fit.unlisted == "qwen2.5 vl 72b"
    assert "is not in the model catalog" in reply.answer.notes[0]
    again = talk.ask("k", "and on a 3090?")
    assert again.query.fit is not None and again.query.fit.unlisted == "qwen2.5 vl 72b"
    back = talk.ask("k", "and qwen 2.5 14b?")
    assert back.query.fit is not None and (back.query.fit.model_id, back.query.fit.unlisted) == ("qwen2.5-14b", None)
