"""Settings of a run are no specs of the card: "I could not train it with a default batch size of 8 ... The graphics
card I use has 16GB memory in total" was read as the form-factor field ("size") and answered with a pick; "When I set
batch_size to 8 ... CUDA out of memory" with the form-factor FAQ. The lexicon's ``settings`` class (batch size, micro
batch size, tile size...) is cut to its first word before evidence is read (bot/evidence_said.py), and out of memory
in a memory size said, with no card named and nothing asked to buy, is what that memory trains
(bot/rules_fit.py oom_in_size)."""

from __future__ import annotations

import pytest

from bot.engine import Engine

# (question, memory the answer is about, mode)
IN_SIZE = [
    # https://github.com/traveller59/second.pytorch/issues/216
    (
        "I could not train it with a default batch size of 8, which looks very much like an out of memory issue. The "
        "graphics card I use has 16GB memory in total. Is there anything I might have missed?",
        16,
        "full",
    ),
    # https://github.com/ajbrock/BigGAN-PyTorch/issues/31
    (
        "A GPU VRAM is 6. Can it be trained? When I set batch_size to 8, num_G_accumulations to 256, it still remains "
        "CUDA out of memory.",
        6,
        "full",
    ),
    # own phrasings
    ("training runs out of memory with batch size 16 on my 24gb card, why?", 24, "full"),
    ("cuda oom at per_device_train_batch_size=4 with 12gb of vram", 12, "full"),
]


@pytest.mark.parametrize(("question", "memory", "mode"), IN_SIZE)
def test_out_of_memory_in_a_size_is_what_it_trains(engine: Engine, question: str, memory: int, mode: str) -> None:
    q = engine.parser.parse(question)
    assert q.kind == "fit", q.rule
    assert "form_factor" not in q.fields
    assert q.fit is not None and q.fit.capacity_gb == memory and q.fit.mode == mode
    answer = engine.ask(question)
    assert answer.intent == "fits" and answer.gpus == []
    assert f"fine-tune in {memory} GB" in answer.summary, answer.summary


# https://github.com/MIC-DKFZ/nnUNet/issues/384: two cards weighed for training, not their form factors
def test_batch_size_beside_two_cards_is_no_form_factor(engine: Engine) -> None:
    question = (
        "I might buy an RTX3080 recently, but its VRAM is only 10G, which is smaller than 2080TI. I don't know if this "
        "will result in a smaller batch size and thus a decrease in performance. Is VRAM important for training "
        "nn-UNet models?"
    )
    q = engine.parser.parse(question)
    assert "form_factor" not in q.fields and q.gpus == ["rtx-3080", "rtx-2080-ti"]
    assert q.workload == "training"


@pytest.mark.parametrize(
    "question",
    [
        "is the 4090 too big for my case? what size is it",  # the card's size is still asked
        "rtx 3090 size",
        "which gpu is the smallest size for an itx build",
    ],
)
def test_a_card_size_is_still_the_form_factor(engine: Engine, question: str) -> None:
    q = engine.parser.parse(question)
    assert "form_factor" in q.fields or q.faq == "form-factor", (q.rule, q.fields, q.faq)


@pytest.mark.parametrize(
    ("question", "batch"),
    [
        ("can I lora fine-tune llama 3 8b on a 3090 with batch size 4?", 4),
        ("fine-tune llama 3 8b, micro batch size 2, on a 4090", 2),
    ],
)
def test_the_batch_is_still_read_for_the_estimate(engine: Engine, question: str, batch: int) -> None:
    q = engine.parser.parse(question)
    assert q.fit is not None and q.fit.batch == batch


# Time said with "longer" is no card's length (lexicon words class time_longer): "is it a good idea to upgrade from an
# RTX 3090 Ti to an RTX pro 6000 ... Or should I wait a bit longer" was the two cards' lengths compared.
@pytest.mark.parametrize(
    ("question", "cards"),
    [
        # https://github.com/numz/ComfyUI-SeedVR2_VideoUpscaler/issues/498
        (
            "is it a good idea to upgrade from an RTX 3090 Ti to an RTX pro 6000 for SeedVR or any upcoming "
            "diffusion-based upscalers? Or should I wait a bit longer to upgrade to a different GPU?",
            ["rtx-3090-ti", "rtx-pro-6000-blackwell"],
        ),
        # own phrasings
        ("buy a 4090 now or wait a little longer for the 5090?", ["rtx-4090", "rtx-5090"]),
        ("is the rtx pro 6000 worth it over my 3090 ti, or should I wait a bit longer?", None),
    ],
)
def test_waiting_longer_asks_no_length(engine: Engine, question: str, cards: list[str] | None) -> None:
    q = engine.parser.parse(question)
    assert "length_mm" not in q.fields and q.kind != "property", (q.rule, q.fields)
    if cards is not None:
        assert q.gpus == cards


@pytest.mark.parametrize("question", ["the 4090 is longer than the 3090?", "which is longer, the 4090 or the 3090?"])
def test_a_card_longer_is_still_its_length(engine: Engine, question: str) -> None:
    assert "length_mm" in engine.parser.parse(question).fields
