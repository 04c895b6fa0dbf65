"""The shipped catalog loads and checks clean; broken copies fail naming file, GPU and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.catalog import Catalog, CatalogError, load_catalog
from bot.catalog_faq import PRICE
from bot.checks import check_catalog
from bot.text import compact

REQUIRED_IDS = [
    "rtx-a4000",
    "rtx-a6000",
    "rtx-6000-ada",
    "quadro-rtx-6000",
    "rtx-pro-6000-blackwell",
    "rtx-4090",
    "rtx-4060-ti-16gb",
    "a100-80gb-sxm",
    "a100-40gb-pcie",
    "h100-sxm",
    "h100-pcie",
    "l40s",
    "t4",
    "v100-sxm2-32gb",
    "h200-sxm",
    "rtx-2080-ti",
    "titan-rtx",
    "rtx-a2000-12gb",
    "mi300x",
    "radeon-pro-w7900",
    "rx-7900-xtx",
]


def test_shipped_catalog_loads(catalog: Catalog) -> None:
    assert len(catalog) >= 40
    for gpu in catalog:
        assert gpu.sources, gpu.id
        assert all(url.startswith("https://") for url in gpu.sources), gpu.id


@pytest.mark.parametrize("gpu_id", REQUIRED_IDS)
def test_required_ids_exist(catalog: Catalog, gpu_id: str) -> None:
    assert gpu_id in catalog.gpus


def test_shipped_catalog_is_consistent(catalog: Catalog) -> None:
    assert [str(p) for p in check_catalog(catalog)] == []


def test_catalog_is_immutable(catalog: Catalog) -> None:
    gpu = catalog.gpus["rtx-a4000"]
    with pytest.raises(TypeError):
        gpu.specs["memory_gb"] = 99  # type: ignore[index]
    with pytest.raises(TypeError):
        catalog.gpus["x"] = gpu  # type: ignore[index]
    with pytest.raises(AttributeError):
        gpu.name = "x"  # type: ignore[misc]


def test_seed_specs_are_present(catalog: Catalog) -> None:
    """Every spec the seed article lists for the A4000/A6000 is in the catalog (datasheet values)."""
    a4, a6 = catalog.gpus["rtx-a4000"], catalog.gpus["rtx-a6000"]
    expected = {
        "cuda_cores": (6144, 10752),
        "tensor_cores": (192, 336),
        "rt_cores": (48, 84),
        "memory_gb": (16, 48),
        "memory_bus_bits": (256, 384),
        "memory_bandwidth_gbs": (448, 768),
        "tdp_w": (140, 300),
        "boost_clock_mhz": (1560, 1800),
        "base_clock_mhz": (735, 1410),
        "slots": (1, 2),
        "transistors_billion": (17.4, 28.3),
        "process_nm": (8, 8),
        "code_name": ("GA104", "GA102"),
        "compute_capability": ("8.6", "8.6"),
        "memory_type": ("GDDR6", "GDDR6"),
        "nvlink": (False, True),
        "ecc": (True, True),
        "interface": ("PCIe 4.0 x16", "PCIe 4.0 x16"),
        "release_date": ("2021-04-12", "2020-10-05"),
    }
    for key, (v4, v6) in expected.items():
        assert a4.get(key) == v4, key
        assert a6.get(key) == v6, key
    seed_keys = [
        "rt_tflops",
        "tensor_tflops_sparse",
        "max_power_w",
        "power_connectors",
        "display_outputs",
        "max_resolution",
        "directx",
        "opengl",
        "vulkan",
        "opencl",
        "shader_model",
        "cooling",
        "length_mm",
        "height_mm",
        "form_factor",
        "texture_fill_rate_gtexels",
        "operating_temp",
        "launch_price_usd",
        "market_segment",
        "architecture",
        "memory_data_rate_gbps",
    ]
    for key in seed_keys:
        assert a4.get(key) is not None and a6.get(key) is not None, key
    # The seed's contradictions are kept as notes next to the datasheet value.
    assert a6.notes_for("base_clock_mhz") and "768" in a6.notes_for("base_clock_mhz")[0].text
    assert a4.notes_for("memory_data_rate_gbps") and "14" in a4.notes_for("memory_data_rate_gbps")[0].text


def test_no_alias_names_two_gpus(catalog: Catalog) -> None:
    owners: dict[str, str] = {}
    for gpu in catalog:
        for alias in (gpu.name, *gpu.aliases):
            key = compact(alias)
            assert owners.setdefault(key, gpu.id) == gpu.id, (alias, owners[key], gpu.id)


def _edit(specs: Path, file: str, fn) -> Path:  # type: ignore[no-untyped-def]
    path = specs / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _gpu(data: dict, gpu_id: str) -> dict:  # type: ignore[type-arg]
    return next(g for g in data["gpus"] if g["id"] == gpu_id)


BROKEN = [
    # (description, edit function, expected fragments of the message)
    (
        "wrong type",
        lambda d: _gpu(d, "rtx-a6000")["specs"].update(memory_gb="48GB"),
        ["rtx-a6000", "specs.memory_gb", "expected a number"],
    ),
    (
        "unknown field",
        lambda d: _gpu(d, "rtx-a6000")["specs"].update(vram_size=48),
        ["rtx-a6000", "specs.vram_size", "unknown spec field"],
    ),
    (
        "negative",
        lambda d: _gpu(d, "rtx-a4000")["specs"].update(tdp_w=-140),
        ["rtx-a4000", "specs.tdp_w", "negative"],
    ),
    (
        "bool as text",
        lambda d: _gpu(d, "rtx-a4000")["specs"].update(nvlink="no"),
        ["rtx-a4000", "specs.nvlink", "true/false"],
    ),
    (
        "bad date",
        lambda d: _gpu(d, "rtx-a4000")["specs"].update(release_date="April 2021"),
        ["rtx-a4000", "specs.release_date", "YYYY-MM-DD"],
    ),
    (
        "impossible date",
        lambda d: _gpu(d, "rtx-a4000")["specs"].update(release_date="2021-02-30"),
        ["rtx-a4000", "specs.release_date", "not a real date"],
    ),
    (
        "no sources",
        lambda d: _gpu(d, "rtx-a4000").update(sources=[]),
        ["rtx-a4000", "sources", "at least one source"],
    ),
    (
        "bad url",
        lambda d: _gpu(d, "rtx-a4000").update(sources=["datasheet"]),
        ["rtx-a4000", "sources", "not a URL"],
    ),
    ("unknown key", lambda d: _gpu(d, "rtx-a4000").update(colour="green"), ["rtx-a4000", "unknown keys"]),
    ("bad id", lambda d: _gpu(d, "rtx-a4000").update(id="RTX A4000"), ["RTX A4000", "id"]),
    (
        "duplicate id",
        lambda d: d["gpus"].append(dict(_gpu(d, "rtx-a4000"), aliases=[], name="Other")),
        ["rtx-a4000", "duplicate id"],
    ),
    (
        "alias clash",
        lambda d: _gpu(d, "rtx-a4000")["aliases"].append("A6K"),
        ["rtx-a4000", "aliases", "rtx-a6000"],
    ),
    ("missing name", lambda d: _gpu(d, "rtx-a4000").pop("name"), ["rtx-a4000", "name", "required"]),
    (
        "note on unknown field",
        lambda d: _gpu(d, "rtx-a4000")["notes"].append({"field": "nope", "text": "x"}),
        ["rtx-a4000", "notes", "nope"],
    ),
    (
        "note value of the wrong type",
        lambda d: _gpu(d, "rtx-a4000")["notes"].append({"field": "tdp_w", "value": "140 W", "text": "x"}),
        ["rtx-a4000", "notes", "tdp_w: `value`", "whole number"],
    ),
    (
        "note convention unknown",
        lambda d: _gpu(d, "rtx-a4000")["notes"].append({"field": "tdp_w", "convention": "roughly", "text": "x"}),
        ["rtx-a4000", "notes", "convention", "unconfirmed"],
    ),
    (
        "text field as number",
        lambda d: _gpu(d, "rtx-a4000")["specs"].update(compute_capability=8.6),
        ["rtx-a4000", "specs.compute_capability", "quote numbers"],
    ),
]


@pytest.mark.parametrize(("what", "edit", "fragments"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_gpu_file_is_named(specs_copy: Path, what: str, edit, fragments: list[str]) -> None:  # type: ignore[no-untyped-def]
    path = _edit(specs_copy, "gpus/nvidia-rtx-ampere.yaml", edit)
    with pytest.raises(CatalogError) as info:
        load_catalog(specs_copy)
    message = str(info.value)
    assert path.name in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_invalid_yaml_names_line(specs_copy: Path) -> None:
    path = specs_copy / "gpus" / "nvidia-rtx-ampere.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"nvidia-rtx-ampere\.yaml: invalid YAML \(line \d+") as info:
        load_catalog(specs_copy)
    assert info.value.__cause__ is not None


def test_broken_field_definition(specs_copy: Path) -> None:
    _edit(specs_copy, "fields.yaml", lambda d: d["fields"][0].update(type="text"))
    with pytest.raises(CatalogError, match=r"fields\.yaml: architecture: type"):
        load_catalog(specs_copy)


def test_broken_faq(specs_copy: Path) -> None:
    _edit(specs_copy, "faq.yaml", lambda d: d["faqs"][1].update(gpus=["rtx-a9000"]))
    with pytest.raises(CatalogError, match=r"faq\.yaml: memory-capacity: gpus: unknown GPU id 'rtx-a9000'"):
        load_catalog(specs_copy)


def test_faq_placeholders_name_real_fields(catalog: Catalog) -> None:
    for entry in catalog.faqs:
        for key in re.findall(r"\{(?:a|b|ratio|diff)\.(\w+)", entry.answer):
            assert key in catalog.fields or key == PRICE, (entry.id, key)


@pytest.mark.parametrize("placeholder", ["{a.vram_gb}", "{ratio.cost}", "{a.fp32_tflops/msrp}"])
def test_a_faq_placeholder_naming_no_field_stops_loading(specs_copy: Path, placeholder: str) -> None:
    path = specs_copy / "faq.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("The {a} costs {a.price}", f"The {{a}} costs {placeholder}", 1), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"faq\.yaml.*price-value.*unknown field"):
        load_catalog(specs_copy)


def test_consistency_check_catches_a_wrong_number(specs_copy: Path) -> None:
    _edit(
        specs_copy,
        "gpus/nvidia-rtx-ampere.yaml",
        lambda d: _gpu(d, "rtx-a6000")["specs"].update(memory_bandwidth_gbs=845, fp32_tflops=42.6),
    )
    problems = [str(p) for p in check_catalog(load_catalog(specs_copy))]
    assert any("rtx-a6000" in p and "memory_bandwidth_gbs" in p for p in problems)
    assert any("rtx-a6000" in p and "fp32_tflops" in p for p in problems)


def test_parsed_specs_cache(tmp_path: Path, specs_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unchanged file loads from the cache; a changed one is parsed afresh; both give the same catalog."""
    monkeypatch.setenv("GPUBOT_CACHE", str(tmp_path / "cache"))
    first = load_catalog(specs_copy)
    cached = sorted((tmp_path / "cache").glob("*.json"))
    assert cached  # written on the first load
    again = load_catalog(specs_copy)
    assert again.gpus["rtx-a6000"] == first.gpus["rtx-a6000"]
    _edit(specs_copy, "gpus/nvidia-rtx-ampere.yaml", lambda d: _gpu(d, "rtx-a6000")["specs"].update(tdp_w=299))
    changed = load_catalog(specs_copy)
    assert changed.gpus["rtx-a6000"].get("tdp_w") == 299
    monkeypatch.setenv("GPUBOT_CACHE", "0")
    assert load_catalog(specs_copy).gpus["rtx-a6000"].get("tdp_w") == 299


def test_broken_software_stack_is_named(specs_copy: Path) -> None:
    _edit(specs_copy, "software.yaml", lambda d: d["stacks"][2].update(text="{gpu} has {warp_size} lanes"))
    with pytest.raises(CatalogError, match=r"software\.yaml: rocm: text: unknown placeholder \{warp_size\}"):
        load_catalog(specs_copy)


def test_every_gpu_has_a_software_stack(catalog: Catalog) -> None:
    assert all(catalog.software_for(gpu) is not None for gpu in catalog), "a GPU without software notes"


def test_field_needs_names_a_count(specs_copy: Path) -> None:
    _edit(
        specs_copy,
        "fields.yaml",
        lambda d: next(f for f in d["fields"] if f["key"] == "rt_tflops").update(needs="architecture"),
    )
    with pytest.raises(CatalogError, match=r"fields\.yaml: rt_tflops: needs: `needs` must name a count field"):
        load_catalog(specs_copy)


def test_architecture_fp32_convention_is_2_or_4(specs_copy: Path) -> None:
    _edit(specs_copy, "architectures.yaml", lambda d: d["architectures"]["RDNA 3"].update(fp32_per_clock=3))
    with pytest.raises(CatalogError, match=r"architectures\.yaml: RDNA 3: fp32_per_clock: must be 2 or 4"):
        load_catalog(specs_copy)


def test_glossary_faq_cannot_use_placeholders(specs_copy: Path) -> None:
    def edit(d):  # type: ignore[no-untyped-def]
        next(f for f in d["faqs"] if f["id"] == "vram")["answer"] = "The {a} has {a.memory_gb}."

    _edit(specs_copy, "faq.yaml", edit)
    with pytest.raises(CatalogError, match=r"faq\.yaml: vram: answer: an answer with placeholders needs `gpus`"):
        load_catalog(specs_copy)


def test_broken_outside_pattern_is_named(specs_copy: Path) -> None:
    _edit(specs_copy, "outside.yaml", lambda d: d["outside"][0].update(pattern="(unclosed"))
    with pytest.raises(CatalogError, match=r"outside\.yaml: apple-silicon: pattern: bad regular expression"):
        load_catalog(specs_copy)
