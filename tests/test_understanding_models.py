"""Which model, mode and memory a fit question is about, with many phrasings of our own per class.

- a versioned family ("llama2", "qwen 2.5") and a size far apart name the family's model of that size;
- of two models named, the one asked about wins over the one the asker already runs;
- "fine-tuning" with no method named, on a card of 24 GB or less, is LoRA, with the full fine-tune shown;
- fit questions phrased as something else: a tool and a training method in front, a memory amount that "won't work".
"""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.render import render_text


def _request(engine: Engine, question: str) -> dict:  # type: ignore[type-arg]
    return engine.explain(question)["request"]  # type: ignore[no-any-return]


def _fit(engine: Engine, question: str) -> dict:  # type: ignore[type-arg]
    request = _request(engine, question)
    assert request["kind"] in ("fit", "fit_pick"), (question, request)
    return request["fit"]  # type: ignore[no-any-return]


# -- a versioned family and a size far apart ----------------------------------------------------

FAR_APART = [
    ("how many a100s to fine tune a 13b model? i want to train llama2 on a new language", "llama-2-13b"),
    ("i want llama2 for chat. will the 70b one run on 2x 3090 in 4 bit?", "llama-2-70b"),
    ("13b on a 4090 in 8 bit, it's the llama 2 chat model", "llama-2-13b"),
    ("qwen2.5 is what we use. does the 32b fit on an a6000 in int4?", "qwen2.5-32b"),
    ("the 14b of qwen 2.5, can my 3090 run it?", "qwen2.5-14b"),
    ("planning on gemma2 for this, the 27b in q4 on a 4090?", "gemma-2-27b"),
    ("llama 3 on a 3090, the 70b one in 4 bit", "llama-3-70b"),
    ("llama3.1 is the plan; is a 4090 enough for the 8b?", "llama-3.1-8b"),
]


@pytest.mark.parametrize(("question", "model"), FAR_APART)
def test_a_versioned_family_and_a_size_apart_name_that_model(engine: Engine, question: str, model: str) -> None:
    assert _fit(engine, question).get("model_id") == model


@pytest.mark.parametrize(
    ("question", "family"),
    [
        ("does unsloth support qwen2.5 with qlora on a 4090", "qwen2.5"),
        ("train llama2 on a new language, which gpu?", "llama2"),
        ("gemma2 on a 3060?", "gemma2"),
        ("does the 4090 run llama 3", "llama3"),
        ("is gemma ok on a 3060", "gemma"),
    ],
)
def test_a_versioned_family_word_names_the_family_series(engine: Engine, question: str, family: str) -> None:
    assert engine.parser.reader.read(question).family == family


# -- two models: the one asked about wins over the asker's own -----------------------------------

ASKED_MODEL = [
    ("I can train SD 1.5 LoRAs on my 2060 super; will training SDXL LoRAs ever be possible on it?", "sdxl-1.0"),
    ("i'm able to train sd1.5 loras locally on my 3060 8gb, would an sdxl lora fit on it?", "sdxl-1.0"),
    ("i run llama 3 8b on my 3060 just fine, could it handle qwen2.5 14b?", "qwen2.5-14b"),
    ("i'm running mistral 7b on a 4070 right now. would llama 3 70b in 4 bit fit on it?", "llama-3-70b"),
    ("currently using gemma 2 9b on my 3090, can it run gemma 2 27b in q4?", "gemma-2-27b"),
    ("can my 4090 run sdxl? i already run sd 1.5 fine", "sdxl-1.0"),
    ("i have been using qwen2.5 7b; is 24gb enough for qwen2.5 32b at 4 bit?", "qwen2.5-32b"),
]


@pytest.mark.parametrize(("question", "model"), ASKED_MODEL)
def test_the_model_asked_about_wins_over_the_one_already_run(engine: Engine, question: str, model: str) -> None:
    assert _fit(engine, question).get("model_id") == model


@pytest.mark.parametrize(
    ("question", "model"),
    [
        ("llama 3 8b or qwen2.5 7b on a 3060 12gb?", "llama-3-8b"),  # no asker's own model: the first, as before
        ("sdxl1 lora on an 8gb card?", "sdxl-1.0"),
        ("sdxl 1 on a 6gb gpu", "sdxl-1.0"),
    ],
)
def test_without_a_context_cue_the_first_model_stays(engine: Engine, question: str, model: str) -> None:
    assert _fit(engine, question).get("model_id") == model


# -- fine-tuning with no method named on a small card: LoRA, with the full fine-tune shown -------

LORA_ASSUMED = [
    "can a geforce rtx 3060 be used for fine-tuning the model?",
    "fine-tune llama 3 8b on my 4090",
    "is a 4060 ti 16gb ok for finetuning mistral 7b",
    "could i finetune qwen2.5 1.5b on a 3090",
    "fine tuning a 7b model on a 12gb card, possible?",
    "can i fine-tune gemma 2 2b on an rtx 3080",
]


@pytest.mark.parametrize("question", LORA_ASSUMED)
def test_unnamed_fine_tuning_on_a_small_card_is_lora(engine: Engine, question: str) -> None:
    fit = _fit(engine, question)
    assert fit["mode"] == "lora" and fit.get("lora_assumed") is True
    text = render_text(engine.ask(question))
    assert "Full fine-tune" in text or "a full fine-tune would" in text


FULL_KEPT = [
    ("full finetune llama 2 7b on a6000?", "full"),
    ("full parameter fine tuning of a 13b model on 8x a100 80gb", "full"),
    ("fine-tune llama 3 8b on an h100", "full"),  # 80 GB: a full fine-tune is what is asked
    ("fully fine tune qwen2.5 1.5b on a 3090", "full"),
    ("lora fine tune llama 3 8b on a 3090", "lora"),
    ("qlora llama 2 13b on a 4060 ti 16gb", "qlora"),
    ("8 bit qlora of qwen2.5 7b on a 4090", "lora"),  # LoRA on an 8-bit base, not the 4-bit QLoRA
]


@pytest.mark.parametrize(("question", "mode"), FULL_KEPT)
def test_a_named_method_or_a_big_card_keeps_its_mode(engine: Engine, question: str, mode: str) -> None:
    fit = _fit(engine, question)
    assert fit["mode"] == mode and not fit.get("lora_assumed")


# -- fit questions phrased as something else ------------------------------------------------------

PHRASED_OTHERWISE = [
    "Does unsloth support for Qwen2.5 8 bit qlora on RTX4090?",
    "does axolotl support gemma2 lora on a 3090",
    "can llama-factory do qwen2.5 qlora on my 4060 ti?",
    "is llama2 finetuning with peft supported on a 3060 12gb",
    "someone told me that if the gpu is less than 8 gb it won't work, is that true?",
    "they say under 6gb vram it will not work. really?",
    "with less than 12 gb of vram it doesn't work?",
]


@pytest.mark.parametrize("question", PHRASED_OTHERWISE)
def test_fit_questions_phrased_as_something_else(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert answer.intent == "fits", (question, _request(engine, question))


@pytest.mark.parametrize(
    "question",
    [
        "does the 4090 support fp8?",  # a tensor format, no model: not a fit
        "gpus with less than 8 gb of vram",  # a list, no "won't work"
        "does nvlink work with 2x 3090?",
    ],
)
def test_not_every_support_or_work_question_is_a_fit(engine: Engine, question: str) -> None:
    assert engine.ask(question).intent != "fits"


# -- the card stated later is the variant meant ---------------------------------------------------

STATED_VARIANT = [
    (
        "V100 doesn't support int4? I have 1 V100 32G, llama 33b needs 24G in int4 but my gpu errors, what can i do?",
        {"v100-pcie-32gb", "v100-sxm2-32gb"},
    ),
    ("a100 keeps running out of memory with a 70b in 8 bit, it's an a100 40gb, what can i do", {"a100-40gb-pcie"}),
    ("can the a100 hold qwen2.5 72b in fp16? mine is the a100 80gb", {"a100-80gb-pcie", "a100-80gb-sxm"}),
]


@pytest.mark.parametrize(("question", "variants"), STATED_VARIANT)
def test_a_short_name_then_the_full_one_is_that_variant(engine: Engine, question: str, variants: set[str]) -> None:
    request = _request(engine, question)
    assert request["kind"] == "fit", request
    named = set(request.get("gpus", [])) | {g for m in request.get("ambiguous", []) for g in m["candidates"]}
    assert variants <= named and all("40gb" not in g for g in named) != ("40gb" in question), named


@pytest.mark.parametrize(
    ("question", "short"),
    [("v100 vs v100 32gb for training", "v100"), ("is the a100 or the a100 80gb better for llama 70b", "a100")],
)
def test_a_full_name_after_a_comparison_word_is_another_card(engine: Engine, question: str, short: str) -> None:
    mentions = engine.parser.reader.read(question).match.mentions
    first = next(m for m in mentions if m.text == short)
    assert any("16gb" in g or "40gb" in g for g in first.candidates)  # not narrowed to the later name's variant


# -- several models held at once: the need is their sum -----------------------------------------

HELD_TOGETHER = [
    ("recommend a cheap gpu for whisper + llama 8b on the same box", "whisper-large-v3", {"llama-3.1-8b"}),
    ("best card to run sdxl and qwen2.5 7b at the same time", "sdxl-1.0", {"qwen2.5-7b"}),
    ("which gpu should i buy for llama 3 8b alongside whisper", "llama-3-8b", {"whisper-large-v3"}),
    ("cheapest gpu that holds flux dev and whisper simultaneously", "flux.1-dev", {"whisper-large-v3"}),
]


@pytest.mark.parametrize(("question", "first", "others"), HELD_TOGETHER)
def test_a_pick_for_models_held_together_holds_their_sum(
    engine: Engine, question: str, first: str, others: set[str]
) -> None:
    fit = _fit(engine, question)
    assert {fit.get("model_id"), *fit.get("held_with", ())} == {first, *others}  # the longest name leads
    answer = engine.ask(question)
    assert answer.recommendation is not None
    need = sum(_alone(engine, m) for m in [first, *others])
    assert (engine.catalog.gpus[answer.recommendation].number("memory_gb") or 0) >= need


def _alone(engine: Engine, model_id: str) -> float:
    """What one model needs alone, from the engine's own answer about it, at the precision picks are sized for
    (language models in Q4_K_M, image and speech models in 16-bit: bot/handlers/model_pick.py)."""
    model = engine.models[model_id]
    precision = "q4_k_m" if model.kind == "llm" else "fp16"
    fit = engine.ask(f"how much vram for {model.name} in {precision}").fit
    assert fit is not None and fit["required_gb"]
    return float(fit["required_gb"])


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("can a 3090 run whisper and llama 3 8b in q4 at the same time", "which fits in 24 GB"),
        ("is 8gb enough for llama 3 8b in q4 and whisper on the same machine", "which does not fit in 8 GB"),
    ],
)
def test_a_fit_for_models_held_together_gives_their_sum(engine: Engine, question: str, verdict: str) -> None:
    assert verdict in render_text(engine.ask(question))


def test_one_model_named_holds_nothing_else(engine: Engine) -> None:
    assert not _fit(engine, "best gpu for llama 3 8b and nothing else on the same box").get("held_with")


# -- more fit questions phrased as something else ------------------------------------------------

MORE_PHRASINGS = [
    # a low-memory workaround named: a fit in that memory
    "is there a way to make sd webui work without --lowvram on a 2gb vram card?",
    "comfyui only runs with --lowvram on my 4gb gpu, can I avoid it?",
    "do i need --medvram on a 6gb card for sdxl",
    # which settings to use on a card: what runs in its memory
    "what parameters should be used for the rtx 4060 8gb laptop?",
    "which settings should i use on a 3060 12gb",
    "best settings for my rtx 3070?",
]


@pytest.mark.parametrize("question", MORE_PHRASINGS)
def test_more_fit_questions_phrased_otherwise(engine: Engine, question: str) -> None:
    assert engine.ask(question).intent == "fits", _request(engine, question)


@pytest.mark.parametrize(
    "question",
    [
        "what are the rtx 4060 laptop's specs?",  # a look-up
        "best gpu under $1000 for this project, minimum requirements?",  # a budget: a pick
        "what settings does the 4090 have for tdp",  # a spec field named
    ],
)
def test_settings_and_requirements_that_are_not_fits(engine: Engine, question: str) -> None:
    assert engine.ask(question).intent != "fits", _request(engine, question)


# -- one card at two counts: setups compared -------------------------------------------------------

SAME_CARD = [
    ("2 x 4090 slower than just 4090!? 8b at q8", "rtx-4090", 2, "compare"),
    ("is 4x 3090 any faster than a single 3090 for llama 3 70b in 4 bit?", "rtx-3090", 4, "compare"),
    ("2x a6000 vs one a6000 for a 70b model", "rtx-a6000", 2, None),
    ("is it worth adding a second 3090? 2x 3090 or just one 3090 for 70b", "rtx-3090", 2, "recommend"),
]


@pytest.mark.parametrize(("question", "gpu", "count", "intent"), SAME_CARD)
def test_one_card_at_two_counts_compares_the_setups(
    engine: Engine, question: str, gpu: str, count: int, intent: str | None
) -> None:
    request = _request(engine, question)
    assert request["kind"] == "setup" and request["gpus"] == [gpu, gpu] and request["counts"] == {gpu: count}
    answer = engine.ask(question)
    assert answer.gpus == [gpu] and intent in (None, answer.intent)
    name = engine.catalog.gpus[gpu].short_name
    assert f"{count}× {name} vs 1× {name}" in answer.title


@pytest.mark.parametrize(
    "question",
    ["can 2x 4090 run llama 3 70b in 4 bit?", "2x 3090 for 70b, enough?", "a 4090 or two 3090s for 70b"],
)
def test_a_counted_card_alone_is_not_two_setups_of_it(engine: Engine, question: str) -> None:
    request = _request(engine, question)
    assert request["kind"] != "setup" or len(set(request["gpus"])) == len(request["gpus"])
