"""specs/usable_memory.yaml and bot/usable_memory.py: reported totals per card, and the rule for the rest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.catalog import Catalog, CatalogError
from bot.usable_memory import QUOTE_MAX, Report, UsableMemory, load_usable_memory, rule_gb

SPECS = Path(__file__).resolve().parent.parent / "specs"

# How close the rule (marketed GB read as GiB, less 1/16 for ECC on GDDR) must come to each report.
# The rule is the card's whole memory; what a report shows is that less whatever the driver keeps:
# - a driver total (nvidia-smi, NVML, rocm-smi) is within 1.5%: most are within 0.5% (a few MiB to
#   a few hundred on HBM parts); the largest gaps are old drivers that printed the total after their
#   own reservation (RTX 3090 24268 of 24576 MiB on 455.23, -1.25%) and the H100 NVL (-0.96%).
# - a CUDA runtime total (PyTorch, deviceQuery) is within 4%: on Linux it also leaves out the driver's
#   reservation, 200-600 MiB whatever the card's size, so small cards show the largest share
#   (RTX 2060: 5.79 of 6 GiB, -3.5%). Windows drivers report the whole memory (0%).
DRIVER_TOLERANCE = 0.015
RUNTIME_TOLERANCE = 0.04
# The rule is an upper bound: no report shows more than it (up to rounding in the last printed digit).
ABOVE_RULE_TOLERANCE = 0.001


@pytest.fixture(scope="module")
def usable(catalog: Catalog) -> UsableMemory:
    return load_usable_memory(SPECS, catalog)


def _rule_error(usable: UsableMemory, report: Report) -> float:
    """Relative difference of the report from the rule, for the ECC state the report shows; when it does
    not show one, the closer of ECC on and off (a state the paste does not show is not guessed)."""
    states = {"on": [True], "off": [False], "not applicable": [False], "unknown": [True, False]}[report.ecc]
    errors = []
    for ecc_on in states:
        rule = usable.rule_gb(report.gpu, ecc_on)
        assert rule is not None
        errors.append((report.gb - rule) / rule)
    return min(errors, key=abs)


# --- the shipped file -------------------------------------------------------------------------------


def test_every_report_names_a_catalog_gpu_and_is_sourced(usable: UsableMemory, catalog: Catalog) -> None:
    assert len(usable.gpus_reported()) >= 30
    for report in usable.reports:
        assert report.gpu in catalog.gpus, report
        assert report.source.startswith(("https://", "http://")), report
        assert 0 < len(report.quote) <= QUOTE_MAX, report
        assert report.value > 0, report


def test_each_quote_shows_the_recorded_figure(usable: UsableMemory) -> None:
    """The quote is where the number comes from: it contains it as printed."""
    for report in usable.reports:
        shown = f"{report.value:.2f}" if report.unit == "GiB" else f"{report.value:.0f}"
        assert shown in report.quote, (report.gpu, shown, report.quote)


def test_driver_totals_agree_with_the_rule(usable: UsableMemory) -> None:
    errors = {(r.gpu, r.source): _rule_error(usable, r) for r in usable.reports if r.driver_total}
    assert len(errors) >= 25
    worst = max(errors.items(), key=lambda item: abs(item[1]))
    assert abs(worst[1]) <= DRIVER_TOLERANCE, worst


def test_runtime_totals_agree_with_the_rule(usable: UsableMemory) -> None:
    errors = {(r.gpu, r.source): _rule_error(usable, r) for r in usable.reports if not r.driver_total}
    assert len(errors) >= 15
    worst = max(errors.items(), key=lambda item: abs(item[1]))
    assert abs(worst[1]) <= RUNTIME_TOLERANCE, worst


def test_the_rule_is_an_upper_bound(usable: UsableMemory) -> None:
    above = [(r.gpu, r.source) for r in usable.reports if _rule_error(usable, r) > ABOVE_RULE_TOLERANCE]
    assert not above


def test_gddr_data_centre_cards_lose_a_sixteenth_with_ecc_on(usable: UsableMemory) -> None:
    """The evidence for the ECC share: each GDDR data-centre report sits at 15/16 of the marketed GiB."""
    for gpu in ("t4", "l4", "l40s", "a10", "a10g"):
        assert usable.ecc_on_by_default(gpu)
        report = usable.reported(gpu)
        assert report is not None and report.ecc == "on"
        whole = usable.rule_gb(gpu, ecc_on=False)
        assert whole is not None
        assert report.gb / whole == pytest.approx(15 / 16, abs=0.001), gpu


def test_ecc_defaults(usable: UsableMemory) -> None:
    for gpu in ("rtx-4090", "rtx-a6000", "rtx-6000-ada", "h100-sxm", "a100-80gb-sxm", "mi300x"):
        assert not usable.ecc_on_by_default(gpu), gpu
    # HBM: ECC on costs nothing, so the rule is the same either way.
    assert usable.rule_gb("h100-sxm", ecc_on=True) == usable.rule_gb("h100-sxm", ecc_on=False)


# --- exact values -----------------------------------------------------------------------------------


def test_exact_values(usable: UsableMemory) -> None:
    # Reported: MiB x 1,048,576 / 1e9.
    assert usable.usable_gb("t4") == pytest.approx(15360 * 2**20 / 1e9)  # 16.106 GB of a "16 GB" card
    assert usable.usable_gb("rtx-4090") == pytest.approx(24564 * 2**20 / 1e9)  # 25.757
    assert usable.usable_gb("h100-sxm") == pytest.approx(85.520809984)  # Modal's "85520809984 bytes"
    assert usable.usable_gb("mi300x") == pytest.approx(206.141652992)
    # The smallest driver total when drivers differ: the RTX 3090 on driver 455 (24268 MiB), not 24576.
    assert usable.usable_gb("rtx-3090") == pytest.approx(24268 * 2**20 / 1e9)
    # The rule, for cards without a report.
    assert usable.reported_gb("rtx-a6000") is None
    assert usable.usable_gb("rtx-a6000") == pytest.approx(48 * 2**30 / 1e9)  # 51.540, ECC off by default
    assert usable.usable_gb("h200-sxm") == pytest.approx(141 * 2**30 / 1e9)  # HBM3e: no ECC share
    assert rule_gb(16, "GDDR6", ecc_on=True) == pytest.approx(15360 * 2**20 / 1e9)  # = the T4's report
    assert rule_gb(24, "GDDR6X", ecc_on=False) == pytest.approx(25.769803776)
    assert usable.usable_gb("no-such-gpu") is None


def test_driver_totals_come_before_runtime_totals(usable: UsableMemory) -> None:
    report = usable.reported("rtx-a4000")
    assert report is not None and report.tool == "nvidia-smi"  # 16376 MiB, not PyTorch's 15.61 GiB
    report = usable.reported("rtx-3070")  # only PyTorch figures: the smallest
    assert report is not None and report.value == pytest.approx(7.76)


def test_cuda_context_facts(usable: UsableMemory) -> None:
    fact = usable.fact("cuda-context")
    assert fact is not None and fact.low_mib == 300 and fact.high_mib == 400
    for fact in usable.facts:
        assert fact.source.startswith("https://") and 0 < len(fact.quote) <= QUOTE_MAX


# --- validation -------------------------------------------------------------------------------------

GOOD: dict[str, Any] = {
    "gpu": "rtx-3090",
    "tool": "nvidia-smi",
    "value": 24576,
    "unit": "MiB",
    "ecc": "not applicable",
    "source": "https://example.org/report",
    "quote": "24576MiB",
}


def _load(tmp_path: Path, catalog: Catalog, data: dict[str, Any]) -> UsableMemory:
    (tmp_path / "usable_memory.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return load_usable_memory(tmp_path, catalog)


def test_a_good_entry_loads(tmp_path: Path, catalog: Catalog) -> None:
    usable = _load(tmp_path, catalog, {"reports": [GOOD]})
    assert usable.reported_gb("rtx-3090") == pytest.approx(25.769803776)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"gpu": "rtx-9999"}, "gpu"),
        ({"value": -24576}, "value"),
        ({"value": "24 GB"}, "value"),
        ({"value": True}, "value"),
        ({"unit": "MB"}, "unit"),
        ({"tool": "gpustat"}, "tool"),
        ({"ecc": "maybe"}, "ecc"),
        ({"os": "macos"}, "os"),
        ({"source": "a forum post"}, "source"),
        ({"quote": "x" * (QUOTE_MAX + 1)}, "quote"),
        ({"quote": ""}, "quote"),
        ({"note": 3}, "note"),
    ],
)
def test_a_broken_report_names_file_entry_and_field(
    tmp_path: Path, catalog: Catalog, change: dict[str, Any], field: str
) -> None:
    with pytest.raises(CatalogError) as caught:
        _load(tmp_path, catalog, {"reports": [GOOD, {**GOOD, **change}]})
    error = caught.value
    assert error.file.endswith("usable_memory.yaml")
    assert error.entry is not None and error.entry.startswith("reports[1]")
    assert error.field == field
    assert "usable_memory.yaml: reports[1]" in str(error) and field in str(error)


def test_unknown_keys_and_broken_facts_are_named(tmp_path: Path, catalog: Catalog) -> None:
    with pytest.raises(CatalogError, match=r"reports\[0\] \(rtx-3090\): unknown keys \['size'\]"):
        _load(tmp_path, catalog, {"reports": [{**GOOD, "size": 24}]})
    fact = {"id": "ctx", "text": "t", "source": "https://example.org", "quote": "q", "low_mib": 500, "high_mib": 300}
    with pytest.raises(CatalogError, match=r"facts\[0\] \(ctx\): high_mib: low_mib is above high_mib"):
        _load(tmp_path, catalog, {"reports": [GOOD], "facts": [fact]})
    with pytest.raises(CatalogError, match="unknown top-level keys"):
        _load(tmp_path, catalog, {"reports": [GOOD], "cards": []})


def test_without_the_file_the_rule_still_answers(tmp_path: Path, catalog: Catalog) -> None:
    usable = load_usable_memory(tmp_path, catalog)
    assert usable.reports == ()
    assert usable.usable_gb("t4") == pytest.approx(16 * 2**30 / 1e9 * 15 / 16)
