"""specs/cloud.yaml loads against the catalog; instance names resolve to the right GPU and count; ordinary
GPU questions name no instance; a broken file names file, entry and field."""

from __future__ import annotations

import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.catalog import Catalog, CatalogError
from bot.cloud import CloudIndex, load_cloud
from bot.text import normalize

SPECS = Path(__file__).resolve().parent.parent / "specs"


@pytest.fixture(scope="module")
def cloud(catalog: Catalog) -> CloudIndex:
    return load_cloud(SPECS, catalog.gpus.keys())


def _one(cloud: CloudIndex, text: str) -> tuple[str | None, int | None]:
    mentions = cloud.find(normalize(text))
    assert len(mentions) == 1, (text, [m.instance.id for m in mentions])
    return mentions[0].instance.gpu, mentions[0].instance.count


def test_every_entry_loads_with_a_catalog_gpu_and_sources(cloud: CloudIndex, catalog: Catalog) -> None:
    assert len(cloud) >= 150
    families = [i for i in cloud if i.is_family]
    assert len(families) >= 50
    assert {i.provider for i in cloud} == {"aws", "gcp", "azure", "oci", "lambda"}
    for inst in cloud:
        assert inst.sources and all(url.startswith("https://") for url in inst.sources), inst.id
        if inst.gpu is None:
            assert inst.reply, inst.id
        else:
            assert inst.gpu in catalog.gpus, inst.id
            assert not inst.reply, inst.id
        assert inst.count is None or inst.count >= 1


# (what people type, catalog GPU, GPUs per instance; None when the family's sizes differ)
SPELLINGS = [
    ("AWS g5.xlarge", "a10g", 1),
    ("g5 xlarge", "a10g", 1),
    ("G5.XLARGE", "a10g", 1),
    ("g5xlarge", "a10g", 1),
    ("g5.12xlarge", "a10g", 4),
    ("g5.48xlarge", "a10g", 8),
    ("a g5 instance", "a10g", None),
    ("g6e.12xlarge", "l40s", 4),
    ("g6e.xlarge", "l40s", 1),
    ("g6e", "l40s", None),
    ("g6.48xlarge", "l4", 8),
    ("g6 instances", "l4", None),
    ("gr6.8xlarge", "l4", 1),
    ("gr6", "l4", 1),
    ("g4dn.xlarge", "t4", 1),
    ("g4dn.metal", "t4", 8),
    ("g4dn", "t4", None),
    ("p3.2xlarge", "v100-sxm2-16gb", 1),
    ("p3.16xlarge", "v100-sxm2-16gb", 8),
    ("p3dn.24xlarge", "v100-sxm2-32gb", 8),
    ("p4d.24xlarge", "a100-40gb-sxm", 8),
    ("p4d", "a100-40gb-sxm", 8),
    ("p4de", "a100-80gb-sxm", 8),
    ("p5.48xlarge", "h100-sxm", 8),
    ("p5.4xlarge", "h100-sxm", 1),
    ("aws p5", "h100-sxm", None),
    ("p5e", "h200-sxm", 8),
    ("p5en.48xlarge", "h200-sxm", 8),
    ("p6-b200.48xlarge", "b200", 8),
    ("a2-highgpu-1g", "a100-40gb-sxm", 1),
    ("a2-highgpu-8g", "a100-40gb-sxm", 8),
    ("a2-megagpu-16g", "a100-40gb-sxm", 16),
    ("a2-ultragpu-8g", "a100-80gb-sxm", 8),
    ("a3-highgpu-8g", "h100-sxm", 8),
    ("a3-megagpu", "h100-sxm", 8),
    ("a3-megagpu-8g", "h100-sxm", 8),
    ("a3 ultra", "h200-sxm", 8),
    ("a4-highgpu-8g", "b200", 8),
    ("a4x-highgpu-4g", "gb200", 4),
    ("g2-standard-4", "l4", 1),
    ("g2-standard-24", "l4", 2),
    ("g2-standard-96", "l4", 8),
    ("NC24ads A100 v4", "a100-80gb-pcie", 1),
    ("Standard_NC96ads_A100_v4", "a100-80gb-pcie", 4),
    ("NC A100 v4", "a100-80gb-pcie", None),
    ("ND96asr v4", "a100-40gb-sxm", 8),
    ("Standard_ND96amsr_A100_v4", "a100-80gb-sxm", 8),
    ("ND H100 v5", "h100-sxm", 8),
    ("Standard_ND96isr_H100_v5", "h100-sxm", 8),
    ("ND MI300X v5", "mi300x", 8),
    ("NC40ads H100 v5", "h100-nvl", 1),
    ("NCasT4_v3", "t4", None),
    ("Standard_NC64as_T4_v3", "t4", 4),
    ("NV36ads A10 v5", "a10", 1),
    ("NV72ads_A10_v5", "a10", 2),
    ("BM.GPU.A100-v2.8", "a100-80gb-sxm", 8),
    ("bm gpu a100 v2 8", "a100-80gb-sxm", 8),
    ("BM.GPU4.8", "a100-40gb-sxm", 8),
    ("BM.GPU.H100.8", "h100-sxm", 8),
    ("VM.GPU.A10.1", "a10", 1),
    ("vm.gpu.a10.2", "a10", 2),
    ("gpu_1x_a10", "a10", 1),
    ("gpu_8x_h100_sxm5", "h100-sxm", 8),
    ("gpu_1x_a6000", "rtx-a6000", 1),
    ("gpu_1x_gh200", "gh200", 1),
]


def test_enough_spellings() -> None:
    assert len(SPELLINGS) >= 40


@pytest.mark.parametrize(("text", "gpu", "count"), SPELLINGS)
def test_spelling_resolves(cloud: CloudIndex, text: str, gpu: str, count: int | None) -> None:
    assert _one(cloud, f"what gpu is in {text}?") == (gpu, count)


def test_mention_span_is_the_name(cloud: CloudIndex) -> None:
    norm = normalize("How much VRAM does an AWS g5.12xlarge have?")
    [m] = cloud.find(norm)
    assert (m.text, norm[m.start : m.end]) == ("g5.12xlarge", "g5.12xlarge")  # a dot between digits stays
    assert m.instance.id == "aws-g5/g5-12xlarge" and m.instance.series == "aws-g5"


def test_fractional_gpu_is_a_share_with_a_note(cloud: CloudIndex) -> None:
    [m] = cloud.find(normalize("Standard_NV6ads_A10_v5 for stable diffusion?"))
    assert (m.instance.gpu, m.instance.count, m.instance.fraction) == ("a10", None, Fraction(1, 6))
    assert "share" in m.instance.note
    [half] = cloud.find(normalize("nv18ads a10 v5"))
    assert half.instance.fraction == Fraction(1, 2)


def test_a_shared_family_name_gives_every_candidate(cloud: CloudIndex) -> None:
    ids = [m.instance.id for m in cloud.find(normalize("is an a2 instance enough for llama 70b"))]
    assert ids == ["gcp-a2-highgpu", "gcp-a2-megagpu", "gcp-a2-ultragpu"]
    gpus = {m.instance.gpu for m in cloud.find(normalize("a3 vms on gcp"))}
    assert gpus == {"h100-sxm", "h200-sxm"}


def test_hardware_outside_the_catalog_has_a_reply(cloud: CloudIndex) -> None:
    for text in ("p2.xlarge", "g3.4xlarge", "inf2.xlarge", "trn1.32xlarge", "dl1.24xlarge", "g4ad.xlarge", "g5g"):
        [m] = cloud.find(normalize(text))
        assert m.instance.gpu is None and m.instance.reply, text


@pytest.mark.parametrize(
    "text",
    [
        "g5 or g6 instances?",
        "aws g5 vs g6",
        "g5 on aws",
        "the g6 family",
        "ec2 g6",
        "g5 vms",
        "gcp a2",
        "a2 on google cloud",
    ],
)
def test_short_family_names_in_cloud_context(cloud: CloudIndex, text: str) -> None:
    assert cloud.find(normalize(text)), text


NOT_INSTANCES = [
    "rtx a2000",
    "rtx a2000 12gb vs a4000",
    "a2 vs t4",
    "nvidia a2 specs",
    "nvidia a2 instance",
    "a2 or a10 for inference?",
    "a3 model",
    "is the a3 good",
    "rtx p5000",
    "quadro p5000 vs p6000",
    "p5 vs p6",
    "g2",
    "g5 and g6",
    "is a g5 good",
    "a100 vs h100 sxm",
    "h100 80gb price",
    "8x a100 sxm",
    "1x h100 80gb",
    "rtx 4090 24gb",
    "a10g vs l4",
    "t4 16gb for whisper",
    "l40s vs a6000",
    "4x 3090 for training",
    "gpu for a 7b model",
    "best gpu under $2000",
    "mi300x vs h100",
    "can i run llama 3 70b on two 3090s",
    "what is nvlink",
    "p40 cuda 13?",
    "a4 paper size",
    "radeon pro w7900",
    "intel arc a770",
]


def test_enough_non_instances() -> None:
    assert len(NOT_INSTANCES) >= 20


@pytest.mark.parametrize("text", NOT_INSTANCES)
def test_ordinary_gpu_questions_name_no_instance(cloud: CloudIndex, text: str) -> None:
    assert cloud.find(normalize(text)) == [], text


def test_catalog_gpu_names_are_never_instances(cloud: CloudIndex, catalog: Catalog) -> None:
    for gpu in catalog:
        for name in (gpu.name, *gpu.aliases):
            assert cloud.find(normalize(f"{name} specs")) == [], name


def test_lookup_ignores_context_and_separators(cloud: CloudIndex) -> None:
    assert [i.id for i in cloud.lookup("G5.XLARGE")] == ["aws-g5/g5-xlarge"]
    assert [i.gpu for i in cloud.lookup("g5")] == ["a10g"]
    assert cloud.lookup("rtx 4090") == ()
    assert cloud.get("aws-p4d") is not None and cloud.get("nope") is None


def test_find_is_fast(cloud: CloudIndex) -> None:
    norm = normalize("Is an AWS g5.12xlarge or a p4d.24xlarge better than 2x RTX 4090 for fine-tuning llama 3 8b?")
    start = time.perf_counter()
    for _ in range(200):
        cloud.find(norm)
    assert (time.perf_counter() - start) / 200 < 0.0005


def test_missing_file_is_an_empty_index(tmp_path: Path) -> None:
    assert len(load_cloud(tmp_path, {"t4"})) == 0
    assert load_cloud(tmp_path, {"t4"}).find("g5 xlarge") == []


# ---- a broken file names file, entry and field


def _broken(tmp_path: Path, catalog: Catalog, edit: Any) -> None:
    data = yaml.safe_load((SPECS / "cloud.yaml").read_text(encoding="utf-8"))
    edit(data)
    (tmp_path / "cloud.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    load_cloud(tmp_path, catalog.gpus.keys())


def _entry(data: dict[str, Any], entry_id: str) -> dict[str, Any]:
    return next(e for e in data["instances"] if e["id"] == entry_id)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: _entry(d, "aws-g5").update(gpu="a10gx"), r"cloud\.yaml: aws-g5: gpu: 'a10gx' is not a GPU id"),
        (lambda d: _entry(d, "aws-g5").update(colour="red"), r"cloud\.yaml: aws-g5: unknown keys \['colour'\]"),
        (lambda d: _entry(d, "aws-g5").pop("sources"), r"cloud\.yaml: aws-g5: sources: must be a non-empty list"),
        (lambda d: _entry(d, "aws-g5").update(sources=["aws.amazon.com"]), r"aws-g5: sources: not a URL"),
        (lambda d: _entry(d, "aws-g6").update(names=["G5"]), r"cloud\.yaml: aws-g6: names: duplicate name 'G5'"),
        (
            lambda d: _entry(d, "aws-g6").update(sizes={"g5.xlarge": 1}),
            r"cloud\.yaml: aws-g6: sizes: duplicate name 'g5\.xlarge'",
        ),
        (lambda d: _entry(d, "aws-g5").update(sizes={"g5.xlarge": 0}), r"aws-g5: sizes: GPUs per instance must be"),
        (lambda d: _entry(d, "aws-g5").update(sizes={"g5.xlarge": "7/6"}), r"aws-g5: sizes: GPUs per instance"),
        (lambda d: _entry(d, "aws-p2").pop("reply"), r"cloud\.yaml: aws-p2: reply: needs a reply"),
        (lambda d: _entry(d, "aws-g5").update(reply="x"), r"aws-g5: reply: a reply is only for gpu: null"),
        (lambda d: _entry(d, "aws-g5").pop("gpu"), r"cloud\.yaml: aws-g5: gpu: needs `gpu:`"),
        (lambda d: _entry(d, "aws-g5").update(provider="ibm"), r"aws-g5: provider: unknown provider 'ibm'"),
        (lambda d: _entry(d, "aws-g6").update(id="aws-g5"), r"cloud\.yaml: aws-g5: id: duplicate id"),
        (lambda d: _entry(d, "aws-p5").update(count=8), r"aws-p5: count: give `count` or `sizes`, not both"),
        (lambda d: _entry(d, "aws-g6").update(family=["g5"]), r"aws-g6: family: family name 'g5'"),
        (lambda d: d.update(extra=1), r"cloud\.yaml: unknown top-level keys \['extra'\]"),
        (lambda d: d["providers"]["aws"].pop("words"), r"cloud\.yaml: aws: words: must be a non-empty list"),
    ],
)
def test_broken_file_names_file_entry_and_field(tmp_path: Path, catalog: Catalog, edit: Any, message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        _broken(tmp_path, catalog, edit)


def test_invalid_yaml_is_named(tmp_path: Path, catalog: Catalog) -> None:
    (tmp_path / "cloud.yaml").write_text("instances: [\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"cloud\.yaml: invalid YAML"):
        load_cloud(tmp_path, catalog.gpus.keys())
