"""The reported-outcomes data file is well formed: sources, known catalog keys, an outcome or a speed.

Only the data is checked here, not whether today's estimator agrees with it
(``python benchmarks/bench_estimates.py`` prints that).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalog import load_catalog
from bot.estimator import BYTES_PER_PARAM
from bot.models import load_models
from tests.estimates.load import Report, ReportError, load_candidates, load_reports

SPECS = Path(__file__).resolve().parent.parent / "specs"
REPORTS = load_reports()


@pytest.fixture(scope="module")
def catalog_keys() -> tuple[set[str], set[str]]:
    catalog = load_catalog(SPECS)
    return set(load_models(SPECS)), {g.id for g in catalog}


def test_counts_meet_the_issue() -> None:
    outcomes = [r for r in REPORTS if r.outcome]
    assert len(outcomes) >= 50
    assert {r.outcome for r in outcomes} == {"fits", "oom"}
    assert sum(r.outcome == "oom" for r in outcomes) >= 20
    assert sum(r.tokens_per_s is not None for r in REPORTS) >= 25


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r.id)
def test_entry_is_complete(report: Report, catalog_keys: tuple[set[str], set[str]]) -> None:
    models, gpus = catalog_keys
    assert report.source.startswith("https://"), report.id
    assert report.quote.strip(), report.id
    assert report.model in models, f"{report.id}: unknown model {report.model!r}"
    assert report.gpu in gpus, f"{report.id}: unknown gpu {report.gpu!r}"
    assert report.precision in BYTES_PER_PARAM, f"{report.id}: precision {report.precision!r}"
    assert report.outcome or report.tokens_per_s, report.id
    if report.tokens_per_s is not None:
        assert report.mode == "inference", f"{report.id}: speeds are decode speeds"
        assert report.outcome != "oom", f"{report.id}: a measured speed means it ran"


def test_ids_are_lowercase_and_unique() -> None:
    ids = [r.id for r in REPORTS]
    assert len(ids) == len(set(ids))
    assert all(i == i.lower() and " " not in i for i in ids)


def test_candidates_are_not_catalog_models(catalog_keys: tuple[set[str], set[str]]) -> None:
    models, _ = catalog_keys
    candidates = load_candidates()
    assert candidates
    assert all(c.model not in models and all(s.startswith("https://") for s in c.sources) for c in candidates)


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
