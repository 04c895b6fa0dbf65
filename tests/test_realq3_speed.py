"""A speed the asker measured and doubts on one card, with no model of the catalog named: "On a 3090 ... bf16, 8bit or
4 bit all give me 4-7 tokens/second with any family of llama models. Anything I can tweak?" got the card's speed
checklist with no figure of what the card should do. Now the checklist is led by the estimator's decode speed on that
card (one stream, llama.cpp, every layer on the GPU) for a model of the family named (its newest of 7-9B), else a
typical 8B model, in each precision the question names (else 4-bit), set against the speed measured
(bot/handlers/speed_doubt.py). Speeds in seconds per iteration (an image pipeline's steps) get no token estimate."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.estimator import typical_shape
from bot.handlers.fit_options import variants
from bot.handlers.fit_plan import card_speed

# (question, card, measured tokens/s or None)
DOUBTED = [
    # https://github.com/oobabooga/textgen/issues/2410
    (
        "On a 3090 on windows, running a bf16 and or 8bit or 4 bit all give me a speed between 4-7 tokens/second when "
        "using any family of llama models. Is there anything I can tweak to get a faster response?",
        "rtx-3090",
        7.0,
    ),
    # https://github.com/ggml-org/llama.cpp/issues/1665
    ("Token generation speed less than 1/minute on A6000 machine (48GB VRAM, 32GB RAM)", "rtx-a6000", None),
    # https://github.com/jsgrad-org/jsgrad/pull/39
    ("I'm getting 2 tokens per second using all my gpu (rx 6600), seems slow", "tpu-radeon-rx-6600", 2.0),
    # https://github.com/quic/efficient-transformers/issues/78 (asked of an AI 100; here of a 4090)
    (
        "Token speed really slow, around 6 token/s for decode on my 4090, what are the possible reasons?",
        "rtx-4090",
        6.0,
    ),
    # own phrasings
    ("only 3 tokens/s on my 4090, is this normal?", "rtx-4090", 3.0),
    ("only 1.2 tokens per second on a tesla p40, how do I improve it?", "tesla-p40", 1.2),
    ("the L40S gives me 20 tok/s, is that expected?", "l40s", 20.0),
    ("why is my 3080 ti so slow? 8 tokens/s", "rtx-3080-ti", 8.0),
]


@pytest.mark.parametrize(("question", "card", "measured"), DOUBTED)
def test_the_checklist_leads_with_the_expected_speed(
    engine: Engine, question: str, card: str, measured: float | None
) -> None:
    answer = engine.ask(question)
    assert answer.intent == "faq" and answer.gpus == [card]
    assert answer.summary.startswith(f"By the estimator, the {engine.catalog.gpus[card].short_name} should generate")
    assert "usual causes" in answer.summary  # the checklist follows
    assert answer.fit is not None and answer.fit["tokens_per_s"] > 0
    assert answer.fit["measured_tokens_per_s"] == measured
    if measured is not None:
        assert f"you measure up to {measured:g} tokens/s, far below that" in answer.summary


def test_speed_is_the_estimators(engine: Engine) -> None:
    """No family named: a typical 8B model in 4-bit, the estimator's decode speed on the card."""
    answer = engine.ask("only 3 tokens/s on my 4090, is this normal?")
    shape = typical_shape(8.0)
    speed = card_speed(shape, variants(shape, "inference", "q4_k_m", 4096, 1), engine.catalog.gpus["rtx-4090"])
    assert speed is not None and answer.fit is not None
    assert answer.fit["tokens_per_s"] == round(speed.tokens_per_s, 1)


def test_each_precision_named_and_the_family(engine: Engine) -> None:
    answer = engine.ask(DOUBTED[0][0])
    assert answer.fit is not None and answer.fit["model"] == "llama-3.1-8b"  # the llama family's newest 7-9B
    speeds = [b for b in answer.bullets if b.startswith("Llama 3.1 8B in ")]
    assert len(speeds) == 3  # 4-bit, 8-bit, BF16: the lightest first, the fastest
    first, *rest = (float(b.split("about ")[1].split(" tokens/s")[0]) for b in speeds)
    assert all(first > r for r in rest)


def test_seconds_per_iteration_get_no_token_estimate(engine: Engine) -> None:
    """https://github.com/bytedance/InfiniteYou/issues/11: an image pipeline's 100 s/it, not tokens."""
    answer = engine.ask("I want to use it, but my video memory is only 12G. My RTX5080 only has 100 s/it, why.")
    assert answer.intent == "faq" and not answer.summary.startswith("By the estimator")
