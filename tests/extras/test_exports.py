"""The helpers are reachable from the package (lazily) as well as from their modules."""

from __future__ import annotations

import pytest

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2 import environment, filters, paging, patch


@pytest.mark.parametrize(
    ("name", "module"),
    [("iterate", paging), ("F", filters), ("Patch", patch), ("etag_of", patch), ("get_if_changed", patch),
     ("client_from_environment", environment)],
)
def test_top_level_names_are_the_module_objects(name: str, module: object) -> None:
    assert getattr(PureCloudPlatformClientV2, name) is getattr(module, name)
    assert name in PureCloudPlatformClientV2.__all__ and name in dir(PureCloudPlatformClientV2)


@pytest.mark.parametrize("module", [paging, filters, patch, environment])
def test_every_module_lists_only_what_it_defines(module: object) -> None:
    assert all(hasattr(module, name) for name in module.__all__)  # type: ignore[attr-defined]
