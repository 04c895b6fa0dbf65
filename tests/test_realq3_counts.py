"""One card at several counts, no model named: "Is one 3090 or two 3090s possible to train your model?", "Can 7* 3090
be used for training?". The answer says what each count holds or trains, from the estimator
(bot/handlers/fit_per_count.py), instead of a verdict on the number of cards (bot/rules_same_card.py,
bot/rules_second.py)."""

from __future__ import annotations

import re

import pytest

from bot.engine import Engine
from bot.handlers.fit_memory import usable_gb
from bot.handlers.fit_reverse import largest_params_b, size_text

# (question, card, counts, training)
PER_COUNT = [
    # https://github.com/threedle/hyperfields/issues/2
    ("Is one 3090 gpu or two 3090 gpus is posible to train your model?", "rtx-3090", (1, 2), True),
    # https://github.com/tyhuang0428/CLIP2Point/issues/5
    ("I want to know if 8 RTX 3090 afford the trainig?", "rtx-3090", (8,), True),
    # https://github.com/HaoranZhuExplorer/adljepa/issues/1
    ("Can 7* 3090 be used for training?", "rtx-3090", (7,), True),
    # https://github.com/lyuchenyang/Macaw-LLM/issues/17
    ("Can I finetune it with my dataset with 4 * 3090?", "rtx-3090", (4,), True),
    # https://github.com/QwenLM/Qwen-VL/issues/357 (asked in Chinese: "can 2 4090 cards fine-tune?")
    ("can fine-tuning training be done on 2 4090 cards?", "rtx-4090", (2,), True),
    # own phrasings
    ("single or dual 4090 for training?", "rtx-4090", (1, 2), True),
    ("one 5090 or two for local llms?", "rtx-5090", (1, 2), False),
    ("one 4090 or two 4090s for llms?", "rtx-4090", (1, 2), False),
    ("1x or 2x 3090 for fine-tuning?", "rtx-3090", (1, 2), True),
    ("one or two 3090s for training?", "rtx-3090", (1, 2), True),
    ("two 4090s for llms?", "rtx-4090", (2,), False),
]


@pytest.mark.parametrize(("question", "card", "counts", "training"), PER_COUNT)
def test_each_count_gets_what_it_holds(
    engine: Engine, question: str, card: str, counts: tuple[int, ...], training: bool
) -> None:
    q = engine.parser.parse(question)
    assert q.kind == "fit", q.rule
    assert q.fit is not None and q.fit.counts_asked == counts and q.fit.model_id is None
    answer = engine.ask(question)
    assert answer.intent == "fits" and answer.gpus == [card]
    assert answer.fit is not None and answer.fit["gpus_count"] == max(counts)
    assert len(answer.bullets) == len(counts)
    for n, bullet in zip(counts, answer.bullets, strict=True):
        assert bullet.startswith(f"{n}× "), bullet
        if training:
            assert "QLoRA up to about" in bullet and "full training up to about" in bullet
        else:
            assert "Q4_K_M up to about" in bullet and "FP16 up to about" in bullet


def test_figures_are_the_estimators(engine: Engine) -> None:
    """Each line's sizes are the reverse fit's, at that count, against the card's usable memory."""
    answer = engine.ask("one 4090 or two 4090s for llms?")
    usable = usable_gb(engine.composer.context, engine.catalog.gpus["rtx-4090"])
    assert f"{usable:,.1f} GB usable" in answer.summary
    for n, bullet in zip((1, 2), answer.bullets, strict=True):
        params = largest_params_b(usable, "q4_k_m", n)
        assert params is not None and f"Q4_K_M up to about {size_text(params)}B" in bullet
    one, two = (float(re.search(r"Q4_K_M up to about ([\d.]+)B", b).group(1)) for b in answer.bullets)  # type: ignore[union-attr]
    assert two > 1.8 * one  # two cards hold about twice as big a model


def test_training_lines_shard_across_cards(engine: Engine) -> None:
    answer = engine.ask("Is one 3090 gpu or two 3090 gpus is posible to train your model?")
    assert "what each trains" in answer.title
    one, two = answer.bullets
    assert "sharded" not in one and "sharded (FSDP)" in two
    assert "24 GB" in one and "48 GB" in two


@pytest.mark.parametrize(
    "question",
    [
        "one or two 3090s for llama 70b?",  # a model: the setups with what each runs, and a verdict
        "is a second 3090 worth it?",  # worth: a verdict
        "2x 4090 slower than just one 4090?",  # speed: side by side
        "one or two 3090s for stable diffusion?",  # image work: the setups
        "2x 3090 worth it for llms?",  # worth: a verdict
        "I am using 8 RTX 4090 GPUs, 24GB each card, can I train and inference?",  # already a reverse fit
        "2x 3090 or one 4090 for training?",  # two cards: their setups
    ],
)
def test_not_per_count(engine: Engine, question: str) -> None:
    q = engine.parser.parse(question)
    assert q.fit is None or not q.fit.counts_asked, q.rule
