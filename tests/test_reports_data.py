"""The reported-outcomes data files are well formed: sources, known catalog keys, an outcome or a speed.

Six files share one schema: ``tests/estimates/reports.yaml`` (the calibration set), ``tests/estimates/holdout.yaml``
(held-out v1, never used for calibration; its misses were later studied, so it is now a development set),
``tests/estimates/holdout2.yaml`` (held-out v2, collected before that study and never used to change the estimator:
the honest check that the estimator generalises), ``tests/estimates/holdout3.yaml`` (held-out v3, MoE / eager decode
speeds) and ``tests/estimates/holdout4.yaml`` (held-out v4, GGUF I-quant and K_S/K_L runs). Every data check runs over
all of them.

Only the data is checked here, not whether today's estimator agrees with it
(``python benchmarks/bench_estimates.py`` prints that for the calibration set).
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import NamedTuple

import pytest

from bot.catalog import load_catalog
from bot.estimator import BYTES_PER_PARAM
from bot.models import load_models
from tests.estimates.load import REPORTS_PATH, Report, ReportError, load_candidates, load_reports

SPECS = Path(__file__).resolve().parent.parent / "specs"
HOLDOUT_PATH = REPORTS_PATH.with_name("holdout.yaml")
HOLDOUT2_PATH = REPORTS_PATH.with_name("holdout2.yaml")
HOLDOUT3_PATH = REPORTS_PATH.with_name("holdout3.yaml")
HOLDOUT4_PATH = REPORTS_PATH.with_name("holdout4.yaml")


class Minimums(NamedTuple):
    """How many entries a data file must hold."""

    entries: int
    outcomes: int
    fits: int
    oom: int
    speeds: int


#: Each data file, with the counts it must meet (the calibration issue's for reports.yaml, the held-out brief's for
#: holdout.yaml: at least 40 reports, 30 outcomes with both loaded and OOM well represented, 12 decode speeds).
DATA_FILES: dict[str, tuple[Path, Minimums]] = {
    "reports": (REPORTS_PATH, Minimums(entries=50, outcomes=50, fits=20, oom=20, speeds=25)),
    "holdout": (HOLDOUT_PATH, Minimums(entries=40, outcomes=30, fits=10, oom=10, speeds=12)),
    # held-out v2's brief: at least 30 new outcomes, and any measured speeds
    "holdout2": (HOLDOUT2_PATH, Minimums(entries=30, outcomes=30, fits=10, oom=10, speeds=3)),
    # held-out v3 (the MoE / eager speed study): speeds only, no memory verdicts
    "holdout3": (HOLDOUT3_PATH, Minimums(entries=5, outcomes=0, fits=0, oom=0, speeds=5)),
    # held-out v4 (GGUF I-quants and K_S/K_L mixes): 19 entries, 17 outcomes (13 fits, 4 OOM/spill), 11 speeds
    "holdout4": (HOLDOUT4_PATH, Minimums(entries=17, outcomes=15, fits=11, oom=3, speeds=9)),
}
LOADED: dict[str, list[Report]] = {name: load_reports(path) for name, (path, _) in DATA_FILES.items()}
ALL_REPORTS: list[tuple[str, Report]] = [(name, r) for name, reports in LOADED.items() for r in reports]


@pytest.fixture(scope="module")
def catalog_keys() -> tuple[set[str], set[str]]:
    catalog = load_catalog(SPECS)
    return set(load_models(SPECS)), {g.id for g in catalog}


@pytest.mark.parametrize("name", list(DATA_FILES))
def test_counts_meet_the_issue(name: str) -> None:
    reports = LOADED[name]
    minimums = DATA_FILES[name][1]
    outcomes = [r for r in reports if r.outcome]
    assert len(reports) >= minimums.entries
    assert len(outcomes) >= minimums.outcomes
    if minimums.oom:
        assert {r.outcome for r in outcomes} == {"fits", "oom"}
    assert sum(r.outcome == "fits" for r in outcomes) >= minimums.fits
    assert sum(r.outcome == "oom" for r in outcomes) >= minimums.oom
    assert sum(r.tokens_per_s is not None for r in reports) >= minimums.speeds


@pytest.mark.parametrize(("name", "report"), ALL_REPORTS, ids=[f"{name}:{r.id}" for name, r in ALL_REPORTS])
def test_entry_is_complete(name: str, report: Report, catalog_keys: tuple[set[str], set[str]]) -> None:
    models, gpus = catalog_keys
    where = f"{name}: {report.id}"
    assert report.source.startswith("https://"), where
    assert report.quote.strip(), where
    assert report.model in models, f"{where}: unknown model {report.model!r}"
    assert report.gpu in gpus, f"{where}: unknown gpu {report.gpu!r}"
    assert report.precision in BYTES_PER_PARAM, f"{where}: precision {report.precision!r}"
    assert report.outcome or report.tokens_per_s, where
    if report.tokens_per_s is not None:
        assert report.mode == "inference", f"{where}: speeds are decode speeds"
        assert report.outcome != "oom", f"{where}: a measured speed means it ran"


@pytest.mark.parametrize("name", list(DATA_FILES))
def test_ids_are_lowercase_and_unique(name: str) -> None:
    ids = [r.id for r in LOADED[name]]
    assert len(ids) == len(set(ids))
    assert all(i == i.lower() and " " not in i for i in ids)


def _thread(url: str) -> str:
    """A source's thread: the URL without its fragment or query (two comments of one issue are one source)."""
    return url.split("#", 1)[0].split("?", 1)[0].rstrip("/")


@pytest.mark.parametrize(("one", "other"), list(itertools.combinations(DATA_FILES, 2)))
def test_sets_share_no_source(one: str, other: str) -> None:
    """Held out means held out: no thread (source URL) and no id of one set appears in another."""
    shared_sources = {_thread(r.source) for r in LOADED[one]} & {_thread(r.source) for r in LOADED[other]}
    assert not shared_sources, sorted(shared_sources)
    shared_ids = {r.id for r in LOADED[one]} & {r.id for r in LOADED[other]}
    assert not shared_ids, sorted(shared_ids)


@pytest.mark.parametrize(
    "path",
    [HOLDOUT_PATH, HOLDOUT2_PATH, HOLDOUT3_PATH, HOLDOUT4_PATH],
    ids=["holdout", "holdout2", "holdout3", "holdout4"],
)
def test_holdout_says_it_is_held_out(path: Path) -> None:
    header = path.read_text(encoding="utf-8").split("\nreports:", 1)[0]
    assert "HELD-OUT" in header
    assert "NEVER used to calibrate" in header


def test_candidates_are_not_catalog_models(catalog_keys: tuple[set[str], set[str]]) -> None:
    models, _ = catalog_keys
    candidates = load_candidates()
    assert candidates
    assert all(c.model not in models and all(s.startswith("https://") for s in c.sources) for c in candidates)
    assert all(c.model not in models for c in load_candidates(HOLDOUT_PATH))
    assert all(c.model not in models for c in load_candidates(HOLDOUT2_PATH))
    assert all(c.model not in models for c in load_candidates(HOLDOUT4_PATH))


def test_errors_name_entry_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "reports.yaml"
    bad.write_text(
        "reports:\n  - {id: x, source: 'http://a', quote: q, model: m, gpu: g, count: 1, precision: fp16,"
        " runtime: vllm, mode: inference, context: null, batch: null, outcome: fits, tokens_per_s: null}\n",
        encoding="utf-8",
    )
    with pytest.raises(ReportError) as err:
        load_reports(bad)
    assert (err.value.entry, err.value.field) == ("x", "source")
    bad.write_text(
        "reports:\n  - {id: y, source: 'https://a', quote: q, model: m, gpu: g, count: 0, precision: fp16,"
        " runtime: vllm, mode: inference, context: null, batch: null, outcome: null, tokens_per_s: null}\n",
        encoding="utf-8",
    )
    with pytest.raises(ReportError) as err:
        load_reports(bad)
    assert (err.value.entry, err.value.field) == ("y", "outcome")
