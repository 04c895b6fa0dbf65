"""Fit questions phrased in Chinese and SD-community shorthand for SDXL, each with several phrasings of our own."""

from __future__ import annotations

import pytest

from bot.engine import Engine


def _request(engine: Engine, question: str) -> dict:  # type: ignore[type-arg]
    return engine.explain(question)["request"]  # type: ignore[no-any-return]


# -- Chinese "can I train / fine-tune on this card?" is a fit question ---------------------------

CHINESE_TRAIN = [
    ("能用免费Colab的T4训练吗？", "t4", "training"),
    ("在4090上能训练吗", "rtx-4090", "training"),
    ("4060可以训练lora吗", "rtx-4060", "training"),
    ("L40S 能微调吗", "l40s", "fine_tuning"),
    ("用3090可以微调7b模型吗？", "rtx-3090", "fine_tuning"),
    ("4090訓練嗎", "rtx-4090", "training"),
]


@pytest.mark.parametrize(("question", "gpu", "workload"), CHINESE_TRAIN)
def test_chinese_train_on_a_card_is_a_fit(engine: Engine, question: str, gpu: str | None, workload: str) -> None:
    request = _request(engine, question)
    assert request["kind"] == "fit"
    assert request.get("workload") == workload
    if gpu is not None:
        assert request["gpus"] == [gpu]


def test_chinese_training_speed_is_not_a_fit(engine: Engine) -> None:
    assert _request(engine, "4090训练速度怎么样")["kind"] != "fit"


# -- "an XL LoRA", "pony xl": SDXL -----------------------------------------------------------

SDXL_SHORTHAND = [
    ("should I be able to train an XL LoRA with 16gb vram?", "lora"),
    ("can a 3060 12gb train xl loras", "lora"),
    ("will pony xl run on 8gb vram", "inference"),
    ("rtx 4060 for juggernaut xl?", "inference"),
    ("is 12gb enough for illustrious xl", "inference"),
    ("how much vram to make an xl checkpoint finetune", "full"),
]


@pytest.mark.parametrize(("question", "mode"), SDXL_SHORTHAND)
def test_sdxl_shorthand_names_sdxl(engine: Engine, question: str, mode: str) -> None:
    request = _request(engine, question)
    assert request["kind"] == "fit"
    assert request["fit"]["model_id"] == "sdxl-1.0"
    assert request["fit"]["mode"] == mode


@pytest.mark.parametrize("question", ["what is the xl version of the 4090", "rtx 4090 xl?", "xl case for a 4090"])
def test_xl_alone_names_no_model(engine: Engine, question: str) -> None:
    assert "model_id" not in (_request(engine, question).get("fit") or {})
