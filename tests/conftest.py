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
