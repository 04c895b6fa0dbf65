"""GPU and field mentions: spellings, nicknames, unicode tricks, ambiguity and near misses."""

from __future__ import annotations

import pytest

from bot.engine import Engine

# (what people type, the one GPU it must resolve to)
RESOLVES = [
    ("rtx a4000", "rtx-a4000"),
    ("RTX A4000", "rtx-a4000"),
    ("rtxa4000", "rtx-a4000"),
    ("RTX-A4000", "rtx-a4000"),
    ("a4000", "rtx-a4000"),
    ("A4K", "rtx-a4000"),
    ("a5k", "rtx-a5000"),
    ("A5K", "rtx-a5000"),
    ("a4.5k", "rtx-a4500"),
    ("a5.5k", "rtx-a5500"),
    ("nvidia rtx a4000", "rtx-a4000"),
    ("rtx a 4000", "rtx-a4000"),
    ("ＲＴＸ Ａ４０００", "rtx-a4000"),
    ("rtx\u200ba4000", "rtx-a4000"),
    ("a4\u200b000", "rtx-a4000"),
    ("the A4000's", "rtx-a4000"),
    ("Quadro A4000", "rtx-a4000"),
    ("a6000", "rtx-a6000"),
    ("a6k", "rtx-a6000"),
    ("RTX A6000", "rtx-a6000"),
    ("rtx-a6000", "rtx-a6000"),
    ("Nvidia RTX A6000 48GB", "rtx-a6000"),
    ("Ａ６０００", "rtx-a6000"),
    ("a5000", "rtx-a5000"),
    ("a4500", "rtx-a4500"),
    ("a5500", "rtx-a5500"),
    ("a2000 12gb", "rtx-a2000-12gb"),
    ("rtx a2000 12 gb", "rtx-a2000-12gb"),
    ("rtx 6000 ada", "rtx-6000-ada"),
    ("RTX 6000 Ada Generation", "rtx-6000-ada"),
    ("6000 ada", "rtx-6000-ada"),
    ("rtx 4000 ada", "rtx-4000-ada"),
    ("rtx 4000 sff ada", "rtx-4000-sff-ada"),
    ("rtx 5000 ada", "rtx-5000-ada"),
    ("rtx 4500 ada", "rtx-4500-ada"),
    ("rtx 2000 ada", "rtx-2000-ada"),
    ("quadro rtx 6000", "quadro-rtx-6000"),
    ("Quadro RTX 8000", "quadro-rtx-8000"),
    ("rtx 8000", "quadro-rtx-8000"),
    ("quadro rtx 5000", "quadro-rtx-5000"),
    ("quadro rtx 4000", "quadro-rtx-4000"),
    ("rtx pro 6000 blackwell", "rtx-pro-6000-blackwell"),
    ("RTX PRO 6000", "rtx-pro-6000-blackwell"),
    ("pro 6000 max-q", "rtx-pro-6000-blackwell-max-q"),
    ("4090", "rtx-4090"),
    ("rtx 4090", "rtx-4090"),
    ("RTX4090", "rtx-4090"),
    ("geforce rtx 4090", "rtx-4090"),
    ("4090 24gb", "rtx-4090"),
    ("Nvidia GeForce RTX 4090", "rtx-4090"),
    ("４０９０", "rtx-4090"),
    ("3090", "rtx-3090"),
    ("rtx 3090", "rtx-3090"),
    ("3090ti", "rtx-3090-ti"),
    ("3090 ti", "rtx-3090-ti"),
    ("RTX 3090 Ti", "rtx-3090-ti"),
    ("3080 ti", "rtx-3080-ti"),
    ("3080 12gb", "rtx-3080-12gb"),
    ("3070", "rtx-3070"),
    ("3070 ti", "rtx-3070-ti"),
    ("3060 ti", "rtx-3060-ti"),
    ("rtx 3060", "rtx-3060"),
    ("4060 ti 16gb", "rtx-4060-ti-16gb"),
    ("4060ti 16 GB", "rtx-4060-ti-16gb"),
    ("4060 ti 8gb", "rtx-4060-ti-8gb"),
    ("4070 ti super", "rtx-4070-ti-super"),
    ("4070 super", "rtx-4070-super"),
    ("4070 ti", "rtx-4070-ti"),
    ("4070", "rtx-4070"),
    ("4080 super", "rtx-4080-super"),
    ("4080", "rtx-4080"),
    ("5090", "rtx-5090"),
    ("rtx 5080", "rtx-5080"),
    ("2080 ti", "rtx-2080-ti"),
    ("2080ti", "rtx-2080-ti"),
    ("titan rtx", "titan-rtx"),
    ("Titan RTX", "titan-rtx"),
    ("t4", "t4"),
    ("tesla t4", "t4"),
    ("Nvidia T4", "t4"),
    ("a10", "a10"),
    ("a40", "a40"),
    ("l4", "l4"),
    ("l40s", "l40s"),
    ("L40S", "l40s"),
    ("l40", "l40"),
    ("a100 80gb sxm", "a100-80gb-sxm"),
    ("A100 SXM4 80GB", "a100-80gb-sxm"),
    ("a100 40gb pcie", "a100-40gb-pcie"),
    ("a100 80gb pcie", "a100-80gb-pcie"),
    ("h100 sxm", "h100-sxm"),
    ("H100 SXM5", "h100-sxm"),
    ("h100 pcie", "h100-pcie"),
    ("h100 nvl", "h100-nvl"),
    ("h200 sxm", "h200-sxm"),
    ("v100 sxm2 32gb", "v100-sxm2-32gb"),
    ("tesla v100 pcie 16gb", "v100-pcie-16gb"),
    ("mi300x", "mi300x"),
    ("MI300X", "mi300x"),
    ("instinct mi300x", "mi300x"),
    ("w7900", "radeon-pro-w7900"),
    ("radeon pro w7900", "radeon-pro-w7900"),
    ("7900 xtx", "rx-7900-xtx"),
    ("rx 7900 xtx", "rx-7900-xtx"),
    ("RX7900XTX", "rx-7900-xtx"),
    ("7900xt", "rx-7900-xt"),
]

# (text, GPUs that must all be among the offered candidates)
AMBIGUOUS = [
    ("rtx 6000", {"rtx-a6000", "rtx-6000-ada", "quadro-rtx-6000"}),
    ("RTX 6000", {"rtx-a6000", "rtx-6000-ada", "quadro-rtx-6000", "rtx-pro-6000-blackwell"}),
    ("rtx 4000", {"rtx-a4000", "rtx-4000-ada", "quadro-rtx-4000"}),
    ("rtx 5000", {"rtx-a5000", "rtx-5000-ada", "quadro-rtx-5000"}),
    ("a100", {"a100-40gb-pcie", "a100-80gb-pcie", "a100-40gb-sxm", "a100-80gb-sxm"}),
    ("a100 80gb", {"a100-80gb-pcie", "a100-80gb-sxm"}),
    ("h100", {"h100-sxm", "h100-pcie"}),
    ("v100", {"v100-sxm2-32gb", "v100-pcie-16gb"}),
    ("4060 ti", {"rtx-4060-ti-8gb", "rtx-4060-ti-16gb"}),
    ("a2000", {"rtx-a2000", "rtx-a2000-12gb"}),
    ("7900", {"rx-7900-xtx", "rx-7900-xt", "radeon-pro-w7900"}),
]

# Model-like names that match nothing: no confident answer, suggestions instead.
UNKNOWN = ["rtx 4050 ti", "a7000", "rtx a600", "h300", "rtx 9090", "mi300", "rx 7800"]


def test_table_is_big_enough() -> None:
    assert len(RESOLVES) + len(AMBIGUOUS) + len(UNKNOWN) >= 80


@pytest.mark.parametrize(("text", "gpu_id"), RESOLVES)
def test_resolves(engine: Engine, text: str, gpu_id: str) -> None:
    mentions = engine.matcher.match(text).mentions
    assert [m.gpu for m in mentions] == [gpu_id], mentions


@pytest.mark.parametrize(("text", "gpu_id"), RESOLVES[::4])
def test_resolves_inside_a_sentence(engine: Engine, text: str, gpu_id: str) -> None:
    result = engine.matcher.match(f"what's the memory bandwidth of the {text} please?")
    assert result.gpu_ids == [gpu_id]
    assert result.field_keys == ["memory_bandwidth_gbs"]


@pytest.mark.parametrize(("text", "expected"), AMBIGUOUS)
def test_ambiguous_names_ask(engine: Engine, text: str, expected: set[str]) -> None:
    mentions = engine.matcher.match(text).mentions
    assert len(mentions) == 1 and mentions[0].gpu is None, mentions
    assert expected <= set(mentions[0].candidates)


@pytest.mark.parametrize("text", UNKNOWN)
def test_unknown_names_suggest(engine: Engine, text: str) -> None:
    result = engine.matcher.match(text)
    assert result.gpu_ids == []
    assert result.unknown and result.unknown[0].suggestions


def test_near_miss_suggests_the_neighbour(engine: Engine) -> None:
    mention = engine.matcher.match("rtx a600").unknown[0]
    assert "rtx-a6000" in mention.suggestions[:3]


@pytest.mark.parametrize(
    ("text", "near"),
    [("rx 7800", "rx-7800-xt"), ("mi300", "mi300x"), ("rtx 2060 ti", None), ("a5000 ada", "rtx-5000-ada")],
)
def test_a_different_variant_is_suggested_not_answered(engine: Engine, text: str, near: str | None) -> None:
    """Only the XT is in the catalog: "rx 7800" is another product, so the bot suggests, never answers."""
    result = engine.matcher.match(text)
    assert result.gpu_ids == []
    if near:
        assert result.unknown[0].suggestions[0] == near


@pytest.mark.parametrize(
    "text",
    [
        "llama 3 70b on 2 gpus",
        "32k context",
        "top 10 cards",
        "1440p gaming",
        "my 850w psu",
        "in 2024",
        "a 13b model",
    ],
)
def test_numbers_that_are_not_gpus(engine: Engine, text: str) -> None:
    result = engine.matcher.match(text)
    assert result.gpu_ids == [] and not result.ambiguous and not result.unknown, result.mentions


def test_two_gpus_in_order(engine: Engine) -> None:
    assert engine.matcher.match("a6000 vs a4000").gpu_ids == ["rtx-a6000", "rtx-a4000"]
    assert engine.matcher.match("a4000/a6000").gpu_ids == ["rtx-a4000", "rtx-a6000"]
    assert engine.matcher.match("3090, 4090 and 5090").gpu_ids == ["rtx-3090", "rtx-4090", "rtx-5090"]
    assert engine.matcher.match("is a 4090 better than a 3090 ti").gpu_ids == ["rtx-4090", "rtx-3090-ti"]


FIELDS = [
    ("vram", "memory_gb"),
    ("memory", "memory_gb"),
    ("VRAM", "memory_gb"),
    ("bw", "memory_bandwidth_gbs"),
    ("bandwidth", "memory_bandwidth_gbs"),
    ("memory bandwidth", "memory_bandwidth_gbs"),
    ("bandwith", "memory_bandwidth_gbs"),
    ("power", "tdp_w"),
    ("tdp", "tdp_w"),
    ("watts", "tdp_w"),
    ("cores", "cuda_cores"),
    ("cuda cores", "cuda_cores"),
    ("tensor cores", "tensor_cores"),
    ("rt cores", "rt_cores"),
    ("boost clock", "boost_clock_mhz"),
    ("base clock", "base_clock_mhz"),
    ("memroy", "memory_gb"),
    ("price", "launch_price_usd"),
    ("msrp", "launch_price_usd"),
    ("bus width", "memory_bus_bits"),
    ("memory bus width", "memory_bus_bits"),  # not the slot width too
    ("memory interface width", "memory_bus_bits"),
    ("memory type", "memory_type"),
    ("nvlink", "nvlink"),
    ("fp32", "fp32_tflops"),
    ("fp16", "fp16_tensor_tflops"),
    ("compute capability", "compute_capability"),
    ("slots", "slots"),
    ("length", "length_mm"),
    ("memory clock", "memory_data_rate_gbps"),
    ("transistors", "transistors_billion"),
    ("ecc", "ecc"),
]


@pytest.mark.parametrize(("text", "key"), FIELDS)
def test_fields(engine: Engine, text: str, key: str) -> None:
    assert engine.matcher.field(text) == key


def test_autocomplete_puts_the_nickname_first(engine: Engine) -> None:
    assert engine.matcher.autocomplete("a6k")[0].id == "rtx-a6000"
    assert engine.matcher.autocomplete("4090")[0].id == "rtx-4090"
    choices = engine.matcher.autocomplete("rtx 6000")
    assert {"rtx-a6000", "rtx-6000-ada", "quadro-rtx-6000"} <= {g.id for g in choices[:6]}
    assert len(engine.matcher.autocomplete("")) <= 25
    assert len(engine.matcher.autocomplete("rtx")) <= 25


@pytest.mark.parametrize(
    ("text", "gpus"),
    [
        ("best data center gpu for llm", []),
        ("does flex attention work on a 4090", ["rtx-4090"]),
        ("apache spark on a 4090", ["rtx-4090"]),
        ("dgx spark vram", ["dgx-spark"]),
        ("intel max 1100 vram", ["gpu-max-1100"]),
    ],
)
def test_common_words_in_gpu_names_do_not_name_gpus(engine: Engine, text: str, gpus: list[str]) -> None:
    """ "Data Center GPU Max", "Flex 170", "DGX Spark": their generic words alone are English, not GPUs."""
    assert engine.parser.parse(text).gpus == gpus


@pytest.mark.parametrize("question", ["rtx 3090 memory bus width", "what is the 4090's memory interface width?"])
def test_a_memory_bus_width_asks_no_slot_width(engine: Engine, question: str) -> None:
    assert engine.parser.parse(question).fields == ["memory_bus_bits"]
