"""'Will it run on <card>?' with 'it' the thread's model, unnamed: what the card runs (the reverse fit for its
memory), on the card meant. 'Will it run on 3080 GTX 16GB VRAM?' named the 3080 Ti Laptop GPU too (the only other 16 GB
3080): a name whose every reading adds an unsaid variant word now resolves to the one that adds the fewest
(bot/matcher.py _resolve); 'Would It is usable for RTX 3060 VRAM 12 Gb?' and 'will this work on a 1080 ti?' were
look-ups ('usable for', 'will this work on': fit_asks in specs/lexicon.yaml)."""

from __future__ import annotations

import pytest

from bot.engine import Engine

# (question, card, its memory in GB)
ON_CARD = [
    # https://github.com/meta-llama/llama/issues/12
    ("Will it run on 3080 GTX 16GB VRAM?", "rtx-3080-laptop-16gb", 16),
    # https://github.com/p-e-w/heretic/issues/227
    ("Would It is usable for RTX 3060 VRAM 12 Gb?", "rtx-3060", 12),
    # https://github.com/zju3dv/AutoRecon/issues/4
    ("Is it possible to run the code on the RTX3060 12GB VRAM?", "rtx-3060", 12),
    # https://github.com/Wan-Video/Wan2.2/issues/144
    ("Does is work on RTX 3060 12 GiB variants? Like is this VRAM enough?", "rtx-3060", 12),
    # https://github.com/deepfakes/faceswap/issues/1337
    ("Is there any chance to make it work on a rtx 3060 with 12 vram?", "rtx-3060", 12),
    # https://github.com/dreamgaussian/dreamgaussian/issues/52
    ("Would testing on this also work on an RTX 2070 Super (also has 8 VRAM)?", "rtx-2070-super", 8),
    # https://github.com/sitzikbs/3dincaction/issues/1 (asked of running, not training)
    ("Is it possible to run this on a 3090?", "rtx-3090", 24),
    # own phrasings
    ("will this work on a 1080 ti?", "gtx-1080-ti", 11),
    ("does it work on a 4090?", "rtx-4090", 24),
    ("can it run on rtx 2080 ti 11gb?", "rtx-2080-ti", 11),
    ("would this run on my 4070 with 12gb?", "rtx-4070", 12),
]


@pytest.mark.parametrize(("question", "card", "memory"), ON_CARD)
def test_what_the_card_runs(engine: Engine, question: str, card: str, memory: int) -> None:
    answer = engine.ask(question)
    assert answer.intent == "fits", answer.intent
    assert answer.gpus == [card], answer.gpus
    assert answer.answered and answer.fit is not None and answer.fit["available_gb"] == memory
    assert answer.summary.startswith(f"The biggest model that runs in {memory} GB")
    assert any(b.startswith("Q4_K_M") and "up to about" in b for b in answer.bullets)


def test_the_reading_that_adds_no_unsaid_variant(engine: Engine) -> None:
    """Every 16 GB 3080 is a laptop GPU; with no "ti" said, the 3080 Laptop GPU 16GB."""
    assert engine.parser.parse("3080 16gb specs").gpus == ["rtx-3080-laptop-16gb"]


def test_still_asked_when_the_readings_differ_alike(engine: Engine) -> None:
    """ "3060": the 12 GB card or the 8 GB one, neither adds a variant word: still asked."""
    q = engine.parser.parse("3060 specs")
    assert q.kind == "clarify" and {m for a in q.ambiguous for m in a.candidates} == {"rtx-3060", "rtx-3060-8gb"}
