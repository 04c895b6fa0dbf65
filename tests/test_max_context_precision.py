"""The longest context asked with no precision (bot/handlers/fit_context.py): given in the best precision that fits
(as a fit answer chooses it), with how much longer the lowest 4-bit precision would go; its memory figure never
exceeds the card; an asked precision is answered as asked. Asked as a follow-up too, and a fine-tune's time is
said not to be estimated rather than 'it has to fit first'."""

from __future__ import annotations

import pytest

from bot.conversation import Conversations, ConversationStore
from bot.engine import Engine


@pytest.mark.parametrize(
    "question",
    [
        "max context for llama 3 70b on 2x 3090",
        "max context for qwen 2.5 32b on a 4090",
        "longest context for llama 3.1 8b on a 3060 12gb",
        "how much context can mixtral get on a 4090",
        "max context for gemma 2 27b on a 3090",
    ],
)
def test_the_longest_context_is_given_in_the_best_precision_that_fits(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    fit = answer.fit or {}
    assert answer.title.startswith("Longest context"), answer.title
    assert fit.get("fits") is True and fit["margin_gb"] >= 0, answer.summary  # the figure shown fits the card
    assert "does not fit" not in answer.summary
    assert any(b.startswith("No precision was asked, so this is the best one that fits") for b in answer.bullets)


def test_an_asked_precision_is_answered_as_asked(engine: Engine) -> None:
    answer = engine.ask("max context for llama 3 70b in fp16 on 2x 3090")
    assert "in FP16 does not fit" in answer.summary
    assert not any(b.startswith("No precision was asked") for b in answer.bullets)


@pytest.mark.parametrize(
    "follow_up",
    ["how much context can I get?", "what is the max context I can use", "and the longest context?"],
)
def test_the_longest_context_as_a_follow_up_keeps_the_card_and_model(engine: Engine, follow_up: str) -> None:
    talk = Conversations(engine, ConversationStore(ttl_s=900))
    talk.ask("k", "llama 3 70b on 2x 3090")
    reply = talk.ask("k", follow_up)
    q = reply.query
    assert q.fit is not None and q.fit.max_context and q.gpus == ["rtx-3090"] and q.fit.gpus_count == 2, q.rule
    assert "does not fit" not in reply.answer.summary


@pytest.mark.parametrize(
    "question",
    [
        "how long does it take to qlora llama 3 8b on a 4090?",
        "how long would it take to lora fine-tune mistral 7b on a 3090",
        "how fast is a qlora of llama 3 8b on a 4090",
    ],
)
def test_a_fine_tune_s_time_is_said_not_to_be_estimated(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert "has to fit first" not in answer.summary
    assert answer.summary.startswith("I don't estimate training time"), answer.summary[:120]


@pytest.mark.parametrize(
    ("question", "size", "count"),
    [
        ("what's the max context i can run llama 3.1 8b q4 with on 8gb", 8.0, 1),
        ("max context for qwen2.5 14b on a 16gb card", 16.0, 1),
        ("how much context can i fit with llama 3 8b on 2x 24gb", 24.0, 2),
        ("longest context for mistral nemo at q4_k_m with 12gb vram", 12.0, 1),
    ],
)
def test_the_longest_context_on_a_bare_size(engine: Engine, question: str, size: float, count: int) -> None:
    """A memory size instead of a card ("on 8gb") gets the longest context too; it used to get a fit answer at the
    default context, as if no longest context had been asked."""
    answer = engine.ask(question)
    fit = answer.fit or {}
    assert answer.title.startswith("Longest context") and f"{size:g} GB" in answer.title, answer.title
    assert fit["available_gb"] == size * count and fit["fits"] is True and fit["margin_gb"] >= 0, fit
    tokens = int(answer.summary.split(" tokens")[0].removeprefix("About ").replace(",", ""))
    assert tokens > 4096, answer.summary
