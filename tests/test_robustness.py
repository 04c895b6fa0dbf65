"""Bad input gets a clear answer; nothing crashes; the core stays free of discord."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest

from bot.engine import Engine
from bot.render import answer_json, render_json, render_text

HOSTILE = [
    "",
    " ",
    "\n\t",
    "?",
    "???",
    "@everyone",
    "@here what's the best gpu",
    "<@123456789> a6000 vram",
    "<@&987654321> a4000 vs a6000",
    "'; DROP TABLE queries; --",
    "a6000' OR '1'='1",
    "**bold** __a6000__ `code`",
    "```a4000 vs a6000```",
    "||spoiler a6k||",
    "\u202ea6000\u202c bandwidth",
    "\x00\x01\x02",
    "🤖🔥💯 4090?",
    "Ｈ１００ ＳＸＭ ｖｓ Ａ１００",
    "a" * 100_000,
    "4090 " * 5000,
    "rtx " * 3000,
    "\u200b" * 500 + "a6000",
    "ä" * 3000,
    "𝐫𝐭𝐱 𝐚𝟔𝟎𝟎𝟎",
    "<script>alert(1)</script>",
    "${jndi:ldap://x}",
    "%s%s%s%n",
    "{a.memory_gb}",
    "[link](https://example.com) a6000",
    "NaN",
    "inf",
    "-1",
    "1e309",
    "can I run a 0b model on a 4090",
    "run a 999999999b model on 64x h100 sxm",
    "llama 3 70b at 99999999k context on a6000",
    "qlora rank 0 llama 3 8b on a 4090",
    "max context for a 7b model on a 4090",
    "best card to run a 0.5b model",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_never_crashes(engine: Engine, text: str) -> None:
    answer = engine.ask(text)
    assert render_text(answer).strip()
    assert render_json(answer)
    assert answer.intent in {"lookup", "compare", "recommend", "fits", "faq", "clarify", "unknown"}


def test_math_bold_and_full_width_resolve(engine: Engine) -> None:
    assert engine.ask("𝐫𝐭𝐱 𝐚𝟔𝟎𝟎𝟎").gpus == ["rtx-a6000"]
    assert engine.ask("\u202ea6000\u202c bandwidth").gpus == ["rtx-a6000"]


def test_user_text_is_not_templated(engine: Engine) -> None:
    assert "48 GB" not in render_text(engine.ask("{a.memory_gb}"))


def test_random_fuzz(engine: Engine) -> None:
    rng = random.Random(1234)  # noqa: S311 - reproducible fuzz input, not crypto
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 -_.,$?!@#ＡＲＴＸ\u200b🙂"
    words = ["a6000", "vs", "rtx", "4090", "for", "training", "under", "$", "bandwidth", "or", "best", "ada"]
    for _ in range(500):
        if rng.random() < 0.5:
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        else:
            text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 12)))
        answer = engine.ask(text)
        assert render_text(answer)


def test_core_does_not_import_discord() -> None:
    code = (
        "import sys; import bot.engine, bot.cli, bot.storage, bot.render, bot.checks; "
        "bad = [m for m in sys.modules if m == 'discord' or m.startswith('discord.')]; "
        "assert not bad, bad"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr


def test_templated_questions_over_the_whole_catalog(engine: Engine) -> None:
    """Every GPU and model name in every question shape: an answer, and Discord embeds within limits."""
    from bot.render_discord import answer_embeds, pack_embeds

    rng = random.Random(7)  # noqa: S311 - reproducible inputs, not crypto
    names = [g.short_name for g in engine.catalog] + [m.name for m in engine.models.values()]
    fields = ["vram", "bandwidth", "tdp", "nvlink", "ecc", "fp16", "cuda cores", "price", "slots", "fp8"]
    templates = [
        "{a} vs {b}", "{a} {f}", "can I run {m} on {a}", "{m} on 2x {a} in 4 bit", "is {a} good for inference",
        "cheapest card with {f}", "{a} or {b} for rendering under $1000", "how much vram for {m} at 32k context",
        "max context for {m} on {a}", "qlora {m} on {a}", "what gpus have {f}", "{a}, {b} and {c} {f}",
        "most {f} per dollar", "which is newer {a} or {b}",
    ]  # fmt: skip
    for _ in range(600):
        question = rng.choice(templates).format(
            a=rng.choice(names), b=rng.choice(names), c=rng.choice(names), m=rng.choice(names), f=rng.choice(fields)
        )
        answer = engine.ask(question)
        assert render_text(answer) and answer_json(answer)["intent"] == answer.intent, question
        for message in pack_embeds(answer_embeds(answer)):
            assert len(message) <= 10 and sum(len(e) for e in message) <= 6000, question
            assert all(len(e.fields) <= 25 for e in message), question
