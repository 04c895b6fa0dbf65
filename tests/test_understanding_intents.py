"""Questions whose words say more than one thing: what they ask, read right, each class with many phrasings.

Phrasings are our own, in the style of public threads. Each test reads the request through ``Engine.explain`` and,
where it matters, the answer.
"""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.render import answer_json


def _read(engine: Engine, question: str) -> tuple[dict, dict]:  # type: ignore[type-arg]
    explained = engine.explain(question)
    return explained["request"], answer_json(engine.ask(question))


# -- codes and figures name their field --------------------------------------------------------

FIELD_BY_FORM = [
    ("is the rtx 3060 sm_86?", "rtx-3060", "compute_capability"),
    ("sm_89 - is that the 4090?", "rtx-4090", "compute_capability"),
    ("is the a4000 sm_86 or sm_80", "rtx-a4000", "compute_capability"),
    ("h100 pcie has 2 TB/s of bandwidth, right?", "h100-pcie", "memory_bandwidth_gbs"),
    ("someone said the 4090 does 1008 GB/s, true?", "rtx-4090", "memory_bandwidth_gbs"),
    ("the 4090 has a core clock of 2.5 ghz?", "rtx-4090", "boost_clock_mhz"),
    ("is the 4060 ti 128 bit?", "rtx-4060-ti-16gb", "memory_bus_bits"),
    ("the 3060 ti is 256-bit, right?", "rtx-3060-ti", "memory_bus_bits"),
]


@pytest.mark.parametrize(
    "question", ["can i run llama 3 8b in 4 bit on a 4090", "16 bit or 8 bit on a 3090 for qwen 7b"]
)
def test_a_precision_in_bits_is_no_bus_width(engine: Engine, question: str) -> None:
    assert "memory_bus_bits" not in _read(engine, question)[0].get("fields", [])


@pytest.mark.parametrize(("question", "gpu", "field"), FIELD_BY_FORM)
def test_a_code_or_figure_names_its_field(engine: Engine, question: str, gpu: str, field: str) -> None:
    request, answer = _read(engine, question)
    assert gpu in answer["gpus"] and field in answer["fields"], (request, answer["fields"])
    assert "sm_count" not in request["fields"] or "sm" in question.replace("sm_", "").replace("sm8", "")


@pytest.mark.parametrize("question", ["what sm count does the 4090 have", "a4000 streaming multiprocessors"])
def test_the_sm_count_is_still_the_sm_count(engine: Engine, question: str) -> None:
    assert "sm_count" in _read(engine, question)[0]["fields"]


@pytest.mark.parametrize(
    "question",
    [
        "the TU116 cards don't support 4bit since they have 0 tensor cores?",
        "AD102 vs GA102: is the 4090 faster than the 3090?",
        "my GP102 card (the 1080 ti), does it have tensor cores?",
    ],
)
def test_chip_codes_are_not_unknown_cards(engine: Engine, question: str) -> None:
    assert not _read(engine, question)[0].get("unknown_names")


# -- a series named as a group, and variants that share the asked field ------------------------


@pytest.mark.parametrize(
    "question", ["do the 30xx cards support bf16?", "do rtx 40 series cards support fp8?", "do the 16xx cards do fp16?"]
)
def test_a_series_asked_about_a_format_is_one_look_up(engine: Engine, question: str) -> None:
    request, answer = _read(engine, question)
    assert request["kind"] == "formats" and answer["intent"] == "lookup" and len(answer["gpus"]) >= 2


@pytest.mark.parametrize(
    ("question", "family"),
    [
        ("which has the wider bus, the 4060 ti or the 3070?", {"rtx-4060-ti-8gb", "rtx-4060-ti-16gb"}),
        ("which draws less power, the 4060 ti or 3060 ti?", {"rtx-4060-ti-8gb", "rtx-4060-ti-16gb"}),
        ("whats the wider memory bus, 4060 ti or 3060 ti", {"rtx-4060-ti-8gb", "rtx-4060-ti-16gb"}),
    ],
)
def test_a_property_of_a_family_answers_for_every_variant(engine: Engine, question: str, family: set[str]) -> None:
    answer = _read(engine, question)[1]
    assert answer["intent"] == "compare" and family <= set(answer["gpus"])


# -- a yes/no on one card's feature -------------------------------------------------------------

FEATURE = [
    ("does the 3090 support p2p? people say the 4090 dropped it", "rtx-3090", "nvlink"),
    ("I run 8 3090s. Does the RTX 3090 support peer to peer? The 4090 does not support it", "rtx-3090", "nvlink"),
    ("is the a6000 ecc? my 3090 isn't", "rtx-a6000", "ecc"),
    ("can the rtx a5000 do nvlink, i read the 4080 can't", "rtx-a5000", "nvlink"),
    ("does the 4090 have ecc", "rtx-4090", "ecc"),
    ("does the a6000 support nvlink", "rtx-a6000", "nvlink"),
]


@pytest.mark.parametrize(("question", "gpu", "field"), FEATURE)
def test_a_feature_of_one_card_is_looked_up(engine: Engine, question: str, gpu: str, field: str) -> None:
    request, answer = _read(engine, question)
    assert answer["intent"] == "lookup" and answer["gpus"] == [gpu] and field in answer["fields"], request


def test_a_feature_weighed_between_cards_stays_a_comparison(engine: Engine) -> None:
    answer = _read(engine, "is the a6000 or the 3090 better with nvlink?")[1]
    assert answer["intent"] == "compare" and {"rtx-a6000", "rtx-3090"} <= set(answer["gpus"])


# -- error messages about compute capability ----------------------------------------------------

ERRORS = [
    (
        "ValueError: Bfloat16 is only supported on GPUs with compute capability of at least 8.0. Your Tesla T4 GPU "
        "has compute capability 7.5. (running qwen 7b)",
        "t4",
    ),
    ("FlashAttention only supports Ampere GPUs or newer. my 2080 ti has compute capability 7.5, llama 2 7b", None),
    ("RuntimeError: bf16 is not supported, compute capability 7.0 on my v100 for qwen 7b", None),
]


@pytest.mark.parametrize(("question", "gpu"), ERRORS)
def test_a_compute_capability_error_is_a_software_answer(engine: Engine, question: str, gpu: str | None) -> None:
    request, answer = _read(engine, question)
    assert request["kind"] == "software" and answer["intent"] == "faq"
    assert "compute_capability" in answer["fields"]
    if gpu:
        assert answer["gpus"] == [gpu]


def test_an_out_of_memory_error_stays_a_fit(engine: Engine) -> None:
    question = "CUDA out of memory on my 3090 running llama 2 13b, compute capability 8.6 is supported"
    assert _read(engine, question)[0]["kind"] == "fit"


# -- the rest of the machine --------------------------------------------------------------------

SYSTEM = [
    "does a faster cpu help if the whole llm fits in vram",
    "does the cpu matter for stable diffusion if everything is on the gpu?",
    "what cpu should i pair with a 4090 for training",
    "how much system ram and which cpu for the rest of the build with a 3090?",
    "with a 30xx card, what are good specs for the rest of the hardware (cpu, ram)?",
    "will a better cpu speed up inference when the model already fits on the gpu",
    "best cpu for a 4x 4090 build?",
]


@pytest.mark.parametrize("question", SYSTEM)
def test_the_rest_of_the_system_gets_the_general_answer(engine: Engine, question: str) -> None:
    request, answer = _read(engine, question)
    assert request["kind"] == "faq" and request.get("faq") == "rest-of-system", request
    assert answer["intent"] == "faq" and answer["gpus"] == []


@pytest.mark.parametrize(
    "question", ["can i run llama 3 8b on a ryzen 7950x cpu?", "i have a 5900x cpu and a 3090, can it run qwen 32b?"]
)
def test_a_model_with_a_cpu_named_is_not_the_system_answer(engine: Engine, question: str) -> None:
    assert _read(engine, question)[0].get("faq") != "rest-of-system"


# -- NVLink asked to pool memory ----------------------------------------------------------------

POOLING = [
    ("with 2x 3090 and nvlink do i get 48gb of pooled memory?", "rtx-3090"),
    ("can two 4090s pool their vram over nvlink?", "rtx-4090"),
    ("if i link 2 rtx a6000 with nvlink do i get 96gb vram?", "rtx-a6000"),
    ("2x 2080 ti 11gb with nvlink = 22gb vram? can my software use that?", "rtx-2080-ti"),
    ("could this run on two 3090s with nvlink and 48gb pooled memory instead of an a100?", "rtx-3090"),
]


@pytest.mark.parametrize(("question", "gpu"), POOLING)
def test_nvlink_pooling_is_the_nvlink_answer(engine: Engine, question: str, gpu: str) -> None:
    request, answer = _read(engine, question)
    assert request.get("faq") == "nvlink" and answer["intent"] == "faq" and answer["gpus"] == [gpu], request
    assert "nvlink" in answer["fields"] and "does not merge" in answer["text"]


def test_nvlink_with_a_model_stays_a_fit(engine: Engine) -> None:
    question = "two 3090 with nvlink combined vram 48gb, would that work for a 70b model?"
    assert _read(engine, question)[0]["kind"] == "fit"


# -- outside hardware asked about, catalog cards as where it runs -------------------------------

OUTSIDE_ASKED = [
    "it runs fine on my 4090, would it work on a jetson orin nano?",
    "works on an a10g in the cloud; can i run it on a raspberry pi 5?",
    "I tested the model on an A10G and it takes 20 seconds. Would it run on an aarch64 board like the Jetson AGX Orin?",
]


@pytest.mark.parametrize("question", OUTSIDE_ASKED)
def test_outside_device_asked_is_named(engine: Engine, question: str) -> None:
    request, answer = _read(engine, question)
    assert request["kind"] == "outside" and answer["intent"] == "unknown"


@pytest.mark.parametrize(
    "question",
    [
        "m4 max vs 4090",
        "I've got an M2 Max macbook but want a desktop. would a 4090 run qwen 2.5 32b q4?",
        "I have colab: v100, t4 or tpu, which should I use?",
    ],
)
def test_a_catalog_card_asked_beside_outside_hardware_is_answered(engine: Engine, question: str) -> None:
    assert _read(engine, question)[1]["intent"] != "unknown"


# -- a GPU or none; a cloud instance's variant; a card the catalog lacks in a choice -------------


@pytest.mark.parametrize(
    ("question", "gpu"),
    [
        ("cpu only or a used 3090 for running local llms, which is faster?", "rtx-3090"),
        ("should i get a 13600k and no gpu, or a cheaper cpu and an rtx 3060 12gb for llama.cpp?", "rtx-3060"),
        ("for stable diffusion: a 7950x without a gpu, or a 4070?", "rtx-4070"),
    ],
)
def test_a_gpu_or_none_is_a_verdict_on_the_card(engine: Engine, question: str, gpu: str) -> None:
    request, answer = _read(engine, question)
    assert request["kind"] == "verdict" and answer["intent"] == "recommend" and gpu in answer["gpus"], request


@pytest.mark.parametrize(
    ("question", "gpu"),
    [
        ("aws p5.48xlarge, is that the h100 sxm or pcie?", "h100-sxm"),
        ("gcp a3-highgpu-8g: h100 sxm or h100 pcie?", "h100-sxm"),
        ("azure ND H100 v5 - is it the PCIe or the SXM h100?", "h100-sxm"),
    ],
)
def test_a_cloud_instance_asked_for_its_variant_is_looked_up(engine: Engine, question: str, gpu: str) -> None:
    answer = _read(engine, question)[1]
    assert answer["intent"] == "lookup" and answer["gpus"] == [gpu]


@pytest.mark.parametrize(
    ("question", "gpu", "unknown"),
    [
        ("should i get a quadro m4000 or a gtx 1080 for stable diffusion?", "gtx-1080", "m4000"),
        ("should i get a quadro m4000 or a gtx 1080 for blender?", "gtx-1080", "m4000"),
        (
            "I want to buy a new gpu: would a Quadro M4000 be better than a GTX 1080 for stable diffusion, which one?",
            "gtx-1080",
            "m4000",
        ),
    ],
)
def test_a_card_the_catalog_lacks_in_a_choice(engine: Engine, question: str, gpu: str, unknown: str) -> None:
    answer = _read(engine, question)[1]
    assert answer["intent"] == "recommend" and gpu in answer["gpus"] and unknown in answer["text"].lower()


def test_a_card_the_catalog_lacks_compared_still_asks(engine: Engine) -> None:
    # a name TechPowerUp's database lacks too: "m40 vs 3090" is answered from the long tail (tests/test_longtail.py)
    assert _read(engine, "xq40 vs 3090")[1]["intent"] == "unknown"


# -- choices argued with specs, and figures quoted ----------------------------------------------

ARGUED = [
    (
        "for blender rendering rt cores matter more than vram, the a6000 has fewer cuda cores than the 4090, "
        "and it costs $3000 more",
        "cuda_cores",
    ),
    (
        "for training memory matters more than cores; a6000 has 48gb but fewer cuda cores than the 4090, "
        "is it worth spending $2000 more",
        "cuda_cores",
    ),
]


@pytest.mark.parametrize(("question", "field"), ARGUED)
def test_a_choice_argued_with_specs_is_a_verdict(engine: Engine, question: str, field: str) -> None:
    answer = _read(engine, question)[1]
    assert answer["intent"] == "recommend" and {"rtx-a6000", "rtx-4090"} <= set(answer["gpus"])
    assert field in answer["fields"]


QUOTED = [
    "the 4090 costs $1,600 and has 24 GB, the a6000 costs $4,500 with 48 GB, the numbers seem off?",
    "3090 sells for $800 used with 24gb and a 4090 goes for $1800, how do they compare?",
    '"the A5000 is priced at $2,250 with 24 GB and the A6000 is priced at $4,650 with 48 GB" - is that right?',
]


@pytest.mark.parametrize("question", QUOTED)
def test_figures_quoted_for_named_cards_are_a_comparison(engine: Engine, question: str) -> None:
    request, answer = _read(engine, question)
    assert answer["intent"] == "compare" and request.get("budget_usd") is None, request


@pytest.mark.parametrize(
    "question", ["best gpu under $1500", "the 4090 costs $1600, which is better for training, the 4090 or the a6000?"]
)
def test_a_budget_or_a_choice_stays_a_recommendation(engine: Engine, question: str) -> None:
    assert _read(engine, question)[1]["intent"] == "recommend"


@pytest.mark.parametrize("question", ["14900k for llm?", "would a 13600k alone run llama 3 8b ok?"])
def test_a_cpu_named_by_its_model_number_is_outside_the_catalog(engine: Engine, question: str) -> None:
    request, answer = _read(engine, question)
    assert request.get("outside") == "cpu" and answer["intent"] == "unknown"


def test_a_gpu_or_none_notes_what_a_cpu_can_do(engine: Engine) -> None:
    answer = _read(engine, "should i get the 12600k and no gpu, or a slower cpu and a 4070, for llama.cpp?")[1]
    assert answer["intent"] == "recommend" and "not CPUs" in answer["text"]


# -- a correction names the card asked about; a claim for a workload is a comparison -------------

CORRECTED = [
    ("W7800 benchmarks? You mean the W7900, the 3-slot card with 48GB, right?", "radeon-pro-w7900", "memory_gb"),
    ("a6000 specs? you mean the rtx 6000 ada, right?", "rtx-6000-ada", None),
    ("the a5000 tdp - sorry, I meant the a4500, is it 200w?", "rtx-a4500", None),
]


@pytest.mark.parametrize(("question", "gpu", "field"), CORRECTED)
def test_the_card_a_correction_names_is_looked_up(engine: Engine, question: str, gpu: str, field: str | None) -> None:
    answer = _read(engine, question)[1]
    assert answer["intent"] == "lookup" and answer["gpus"] == [gpu]
    assert field is None or field in answer["fields"]


CLAIMED = [
    "on the p40 I got half the speed of the t4 in stable diffusion, will the p40 ever be faster than the t4?",
    "the p40 is way slower than the 3090 for llama.cpp, will that change?",
    "is the 4090 much faster than the 3090 for training?",
]


@pytest.mark.parametrize("question", CLAIMED)
def test_a_claim_about_named_cards_for_a_workload_is_a_comparison(engine: Engine, question: str) -> None:
    assert _read(engine, question)[1]["intent"] == "compare"


def test_a_claim_with_a_choice_asked_is_a_recommendation(engine: Engine) -> None:
    question = "is the 4090 faster than the 3090 for training, which should i buy?"
    assert _read(engine, question)[1]["intent"] == "recommend"


# -- a card described with its own memory is still a verdict -----------------------------------

DESCRIBED = [
    ("can i train the model with a laptop gpu? i have rtx 3060 (laptop version) with 6gb vram", "rtx-3060-laptop"),
    ("is a 3090 with 24gb vram good for llms", "rtx-3090"),
    ("is a p40 with 24gb of memory worth it for llms", "tesla-p40"),
    ("my 4060 with 8gb vram, is it ok for stable diffusion?", "rtx-4060"),
    ("would an a4000 with its 16gb vram be good for training", "rtx-a4000"),
]


@pytest.mark.parametrize(("question", "gpu_id"), DESCRIBED)
def test_a_card_described_with_its_memory_gets_a_verdict(engine: Engine, question: str, gpu_id: str) -> None:
    """ "with 6gb vram" states the card's memory (a limit read from the same words): no look-up of it."""
    answer = _read(engine, question)[1]
    assert answer["intent"] == "recommend" and answer["gpus"][0] == gpu_id, (answer["intent"], answer["gpus"])


@pytest.mark.parametrize(
    "question", ["is the 4090 good for training? how much vram does it have", "a6000 48gb vram for training, price?"]
)
def test_a_field_asked_beside_a_workload_is_still_looked_up(engine: Engine, question: str) -> None:
    assert _read(engine, question)[1]["intent"] == "lookup"
