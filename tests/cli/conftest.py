"""Fixtures for the CLI tests: a fresh sandbox per test, started in the test process, and a
`cli` runner pointed at it."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from PureCloudPlatformClientV2.sandbox import Sandbox

from .support import Cli


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


@pytest.fixture
def cli(sandbox: Sandbox, tmp_path: Path) -> Cli:
    return Cli(sandbox, tmp_path)
