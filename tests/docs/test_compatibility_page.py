"""docs/compatibility.md cannot go stale: every name in the official surface facts
(tests/data/official_sdk.json) appears on it, methods with their official parameters in order,
and it lists exactly the scripts in tests/official_scripts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "compatibility.md"
SURFACE = json.loads((ROOT / "tests" / "data" / "official_sdk.json").read_text(encoding="utf-8"))["surface"]
SCRIPTS = ROOT / "tests" / "official_scripts"


def page() -> str:
    return PAGE.read_text(encoding="utf-8")


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", page(), re.M | re.S)
    assert match, f"docs/compatibility.md has no section {title!r}"
    return match.group(1)


def signature(owner: str, method: str, parameters: list[str]) -> str:
    name = owner if method == "__init__" else method
    return f"`{name}({', '.join(parameters)})"


@pytest.mark.parametrize("module", SURFACE["modules"])
def test_every_official_module_has_a_row(module: str) -> None:
    assert f"| `{module}` |" in section("Modules")


@pytest.mark.parametrize(("owner", "method"), [(owner, method) for owner in ("ApiClient", "Configuration")
                                               for method in SURFACE[owner]])
def test_every_official_method_is_listed_with_its_parameters(owner: str, method: str) -> None:
    assert signature(owner, method, SURFACE[owner][method]) in section(owner)


@pytest.mark.parametrize("attribute", SURFACE["configuration_attributes"])
def test_every_official_configuration_attribute_is_listed(attribute: str) -> None:
    assert f"`{attribute}`" in section("Configuration")


def test_the_page_lists_exactly_the_scripts_that_are_run() -> None:
    listed = set(re.findall(r"^\| `(\w+)\.py` \|", section("The scripts"), re.M))
    present = {path.stem for path in SCRIPTS.glob("*.py")} - {"__init__", "support", "test_scripts"}
    assert listed == present


def test_the_documentation_index_links_the_page() -> None:
    assert "(compatibility.md)" in (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
