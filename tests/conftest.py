from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.catalog import Catalog, load_catalog
from bot.engine import Engine
from tests.fake_hub import FakeHub

SPECS = Path(__file__).resolve().parent.parent / "specs"


def pytest_configure(config: pytest.Config) -> None:
    """Parsed-specs cache in a temporary folder, never the user's cache (subprocesses inherit it)."""
    import os
    import tempfile

    os.environ["GPUBOT_CACHE"] = tempfile.mkdtemp(prefix="gpubot-cache-")
    # No test reaches the real Hugging Face Hub: lookups go to a closed loopback port unless a test starts the
    # fake Hub (tests/fake_hub.py) and points HF_ENDPOINT at it; no token of the developer's is sent.
    os.environ["HF_ENDPOINT"] = "http://127.0.0.1:9"
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_HUB_OFFLINE"):
        os.environ.pop(name, None)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(SPECS)


@pytest.fixture(scope="session")
def engine(catalog: Catalog) -> Engine:
    return Engine(catalog)


@pytest.fixture(scope="module")
def hub() -> Iterator[FakeHub]:
    """The fake Hugging Face Hub on loopback (tests/fake_hub.py), one per test module that asks for it."""
    with FakeHub() as server:
        yield server


@pytest.fixture
def specs_copy(tmp_path: Path) -> Path:
    """A private copy of specs/ that a test may break."""
    dest = tmp_path / "specs"
    shutil.copytree(SPECS, dest)
    return dest


@pytest.fixture(autouse=True)
def _quiet_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
