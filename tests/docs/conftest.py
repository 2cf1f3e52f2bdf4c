"""The documentation's examples set the process-wide configuration, as the official SDK's do."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _examples_set_the_configuration(fresh_configuration: object) -> None:
    """Every test here gets a configuration reset around it (see tests/conftest.py)."""
