"""Names read in their context: a GPU name inside a cloud instance's name, a misremembered brand word,
and CJK memory words. Phrasings are our own."""

from __future__ import annotations

import pytest

from bot.engine import Engine


def _request(engine: Engine, question: str) -> dict:  # type: ignore[type-arg]
    return engine.explain(question)["request"]  # type: ignore[no-any-return]


# -- a GPU's name inside an instance's name is that instance's GPU --------------------------------

IN_INSTANCE = [
    ("gcp a2-highgpu-1g vs g2-standard-8 for whisper", ["a100-40gb-sxm", "l4"]),
    ("is a2-highgpu-2g enough for llama 3 8b", ["a100-40gb-sxm"]),
    ("a2-ultragpu-1g or a3-highgpu-1g for training?", ["a100-80gb-sxm", "h100-sxm"]),
    ("a2-highgpu-1g memory bandwidth", ["a100-40gb-sxm"]),
]


@pytest.mark.parametrize(("question", "gpus"), IN_INSTANCE)
def test_a_name_inside_an_instance_name_is_the_instances_gpu(engine: Engine, question: str, gpus: list[str]) -> None:
    got = _request(engine, question).get("gpus", [])
    assert "a2" not in got  # the NVIDIA A2 is not what "a2-highgpu" means
    assert set(gpus) <= set(got)


@pytest.mark.parametrize("question", ["a2 specs", "nvidia a2 vs t4", "is the a2 good for inference"])
def test_a_name_on_its_own_is_still_the_card(engine: Engine, question: str) -> None:
    assert "a2" in _request(engine, question).get("gpus", [])


# -- a brand word misremembered still names the card ------------------------------------------

BRANDS = [
    ("gtx 4090 vram", "rtx-4090"),
    ("can one gtx4090 train this model?", "rtx-4090"),
    ("gtx 3090 ti vs rtx 4080 for stable diffusion", "rtx-3090-ti"),
    ("is a gtx 4070 ti enough for sdxl", "rtx-4070-ti"),
    ("rtx 1080 ti memory", "gtx-1080-ti"),
    ("gtx 1080 ti specs", "gtx-1080-ti"),
]


@pytest.mark.parametrize(("question", "gpu"), BRANDS)
def test_a_wrong_brand_word_still_names_the_card(engine: Engine, question: str, gpu: str) -> None:
    assert gpu in _request(engine, question).get("gpus", [])


# Names neither the catalog nor TechPowerUp's database (the long tail, tests/test_longtail.py) has; "gtx980" and
# "gtx970" are answered from the long tail since issue 14.
@pytest.mark.parametrize("question", ["my gtx9850 runs out of memory", "gtx1090 for llama?", "will an rtx995 do"])
def test_a_branded_number_outside_the_catalog_is_an_unknown_card(engine: Engine, question: str) -> None:
    req = _request(engine, question)
    assert req["kind"] in ("unknown", "clarify")  # "did you mean": never answered as another card
    assert req.get("unknown_names")
    assert not req.get("gpus")


# -- CJK memory words ---------------------------------------------------------------------------

CJK_MEMORY = [
    "微调qwen2.5 7b需要多少内存",
    "3090跑llama 3 8b需要多少内存？",
    "4090 24g 跑mistral 7b推理需要多少内存？",
    "4060 ti 16gb 内存够用吗",
    "llama 3 8b 需要多少記憶體",
]


@pytest.mark.parametrize("question", CJK_MEMORY)
def test_cjk_memory_questions_are_fit_questions(engine: Engine, question: str) -> None:
    assert _request(engine, question)["kind"] == "fit"


# -- a card "on my laptop" is the laptop GPU ----------------------------------------------------

LAPTOP_AFTER = [
    ("can the 4070 on my laptop run sdxl", "rtx-4070-laptop"),
    ("a 3060 in my laptop, can it train a lora", "rtx-3060-laptop"),
    ("what settings for the rtx 4060 8gb on the laptop", "rtx-4060-laptop"),
    ("the 4090 in my laptop vs a desktop 4090", "rtx-4090-laptop"),
    ("is the 4080 inside this laptop any good for llms", "rtx-4080-laptop"),
    ("4060 laptop vram", "rtx-4060-laptop"),
]


@pytest.mark.parametrize(("question", "gpu"), LAPTOP_AFTER)
def test_a_card_in_a_laptop_is_the_laptop_gpu(engine: Engine, question: str, gpu: str) -> None:
    assert gpu in _request(engine, question).get("gpus", [])


@pytest.mark.parametrize(
    ("question", "gpu"),
    [("i run the 3090 on my desktop, my laptop has nothing", "rtx-3090"), ("4070 or a laptop?", "rtx-4070")],
)
def test_a_laptop_named_apart_from_the_card_leaves_it_the_desktop_card(engine: Engine, question: str, gpu: str) -> None:
    assert _request(engine, question).get("gpus", [])[:1] == [gpu]


# -- a board partner's product name between a card and its size --------------------------------

PARTNERS = [
    ("rtx 4060 ti msi gaming x 8gb vs rtx 4060 ti msi gaming x 16gb", ["rtx-4060-ti-8gb", "rtx-4060-ti-16gb"]),
    ("asus tuf rtx 4060 ti oc 16gb vram", ["rtx-4060-ti-16gb"]),
    ("gigabyte rtx 3060 eagle oc 8gb specs", ["rtx-3060-8gb"]),
    ("zotac rtx 4060 ti twin edge 8gb or a 3060 12gb for sdxl", ["rtx-4060-ti-8gb", "rtx-3060"]),
]


@pytest.mark.parametrize(("question", "gpus"), PARTNERS)
def test_a_board_partner_name_leaves_the_card_and_its_size(engine: Engine, question: str, gpus: list[str]) -> None:
    req = _request(engine, question)
    assert req["kind"] != "clarify"
    assert set(gpus) <= set(req.get("gpus", []))


def test_a_partner_product_line_is_no_count(engine: Engine) -> None:
    req = _request(engine, "msi ventus 2x rtx 3060 12gb, can it run sdxl")
    assert req["gpus"] == ["rtx-3060"]
    assert req["fit"]["gpus_count"] == 1


# -- the numbers of a list are not counts -------------------------------------------------------

LISTS = [
    "help me choose: 1. rtx 3060 12gb 2. rtx 4060 ti 16gb 3. rtx 4070",
    "options:\n1) a4000\n2) a5000\n3) a6000\nwhich for blender?",
    "which one: 1. 3090 2. 4090",
    "candidates: 1) rtx 4070 super 2) rx 7800 xt",
]


@pytest.mark.parametrize("question", LISTS)
def test_list_numbers_are_not_counts(engine: Engine, question: str) -> None:
    req = _request(engine, question)
    assert len(req.get("gpus", [])) >= 2
    assert all(n == 1 for n in (req.get("counts") or {}).values())


@pytest.mark.parametrize(("question", "count"), [("2x 3090 or one 4090 for 70b", 2), ("is 4x a4000 enough for 70b", 4)])
def test_counts_stay_counts(engine: Engine, question: str, count: int) -> None:
    assert count in (_request(engine, question).get("counts") or {}).values()


# -- an out-of-memory message: a fit question on the card, whose sizes are allocations ------------

OOM = [
    ("on a g6e.xlarge: tried to allocate 13.20 GiB, is the instance too small for hunyuan video", None),
    ("tried to allocate 2.5 gib on my 3060 12gb running sdxl", 12.0),
    ("CUDA out of memory. Tried to allocate 20.00 GiB (GPU 0; 23.69 GiB total capacity; 6.81 GiB free)", 23.69),
    ("not enough vram on a 4060 for flux", None),
    ("insufficient gpu memory loading llama 3 8b on a t4", None),
]


@pytest.mark.parametrize(("question", "capacity"), OOM)
def test_out_of_memory_messages_are_fit_questions(engine: Engine, question: str, capacity: float | None) -> None:
    req = _request(engine, question)
    assert req["kind"] == "fit"
    assert (
        req["fit"].get("capacity_gb") in (capacity, None) if capacity is None else req["fit"]["capacity_gb"] == capacity
    )


# -- a number that counts cores, clocks or money is no GPU --------------------------------------

QUANTITIES = [
    ("the a6000 has 48gb but 6000 less cuda cores than a 4090, which for blender?", ["rtx-a6000", "rtx-4090"]),
    ("the 4090 has 16384 cuda cores, the 3090 fewer", ["rtx-4090", "rtx-3090"]),
    ("a5000 vs 3090: 8192 cores against 10496 shaders", ["rtx-a5000", "rtx-3090"]),
    ("is the 4080 worth 1200 dollars over the 4070 ti", ["rtx-4080", "rtx-4070-ti"]),
]


@pytest.mark.parametrize(("question", "gpus"), QUANTITIES)
def test_a_counted_number_is_no_gpu(engine: Engine, question: str, gpus: list[str]) -> None:
    req = _request(engine, question)
    assert req["kind"] not in ("clarify", "unknown")
    assert set(req.get("gpus", [])) == set(gpus)


@pytest.mark.parametrize("question", ["rtx 6000 specs", "6000 vram", "is the 6000 ada good for rendering"])
def test_a_number_naming_a_card_still_names_it(engine: Engine, question: str) -> None:
    req = _request(engine, question)
    assert req.get("gpus") or req.get("ambiguous")
