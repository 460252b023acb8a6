"""Shared test fixtures."""

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def shared_reference() -> Path:
    """Folder of public reference data beside the project (../shared/reference)."""
    path = SHARED / "reference"
    if not path.is_dir():
        pytest.skip("../shared/reference is not present beside the checkout")
    return path


@pytest.fixture
def isolated_cache(tmp_path, monkeypatch) -> Path:
    """An empty na62lab cache (``NA62LAB_CACHE``) for one test, so cached tables of other tests or of the user
    are never read.  Test modules that build dump tables use it for every test:
    ``pytestmark = pytest.mark.usefixtures("isolated_cache")``."""
    path = tmp_path / "cache"
    monkeypatch.setenv("NA62LAB_CACHE", str(path))
    return path


def pytest_configure(config):
    """Whole suite with xdist workers (``make test``): compile the kaon-mode kernels once, two groups at once,
    before the workers start, instead of every worker compiling all of them on a cold cache
    (:func:`na62lab.kernels.prepare`; returns at once when they are cached)."""
    whole = config.args_source != pytest.Config.ArgsSource.ARGS
    workers = getattr(config.option, "numprocesses", None)
    if whole and workers and not hasattr(config, "workerinput"):
        from na62lab.kernels import prepare

        prepare("kaon", workers=2)
