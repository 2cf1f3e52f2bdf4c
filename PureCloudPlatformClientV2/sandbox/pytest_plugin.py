"""pytest fixtures `scim_sandbox` (fresh per test), `scim_sandbox_session` (one per session) and
`scim_sandbox_in_process` (fresh per test, no socket)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

import pytest

if TYPE_CHECKING:
    from . import Sandbox

__all__ = ["scim_sandbox", "scim_sandbox_in_process", "scim_sandbox_session"]


@pytest.fixture
def scim_sandbox() -> Iterator[Sandbox]:
    """A fresh, empty sandbox (seeded catalog and groups) for one test; stopped afterwards."""
    from . import Sandbox

    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture(scope="session")
def scim_sandbox_session() -> Iterator[Sandbox]:
    """One sandbox shared by the whole session; call `.reset()` to empty it between tests."""
    from . import Sandbox

    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def scim_sandbox_in_process() -> Iterator[Sandbox]:
    """A fresh sandbox that serves no socket: `.api` reaches it in-process (see docs/sandbox.md)."""
    from . import Sandbox

    with Sandbox(serve=False) as sandbox:
        yield sandbox
