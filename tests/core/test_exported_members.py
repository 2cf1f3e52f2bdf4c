"""The public surface is deliberate (after httpx's tests/test_exported_members.py): each public
module lists its names in `__all__`, every listed name exists, and every class, function or
object a module defines is either listed or deliberately internal.

Deliberately internal means: a `_name`; an UPPER_CASE module constant (a setting, exported only
when listed); or a plain name in INTERNAL below, kept plain because other package modules use it.
The CLI's and the sandbox's own modules are implementation: their entry points (`cli.main`, the
`sandbox` package, the pytest plugin) are the public modules here.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from types import ModuleType

import pytest

import PureCloudPlatformClientV2

PACKAGE = Path(PureCloudPlatformClientV2.__file__).parent
PUBLIC_MODULES = [
    "PureCloudPlatformClientV2", "PureCloudPlatformClientV2.api_client", "PureCloudPlatformClientV2.apis",
    "PureCloudPlatformClientV2.apis.scim_api", "PureCloudPlatformClientV2.configuration",
    "PureCloudPlatformClientV2.environment", "PureCloudPlatformClientV2.filters", "PureCloudPlatformClientV2.logger",
    "PureCloudPlatformClientV2.models", "PureCloudPlatformClientV2.paging", "PureCloudPlatformClientV2.patch",
    "PureCloudPlatformClientV2.region_hosts", "PureCloudPlatformClientV2.rest", "PureCloudPlatformClientV2.transport",
    "PureCloudPlatformClientV2.sandbox", "PureCloudPlatformClientV2.sandbox.pytest_plugin",
    "PureCloudPlatformClientV2.cli", "PureCloudPlatformClientV2.urns", "PureCloudPlatformClientV2.scim_schema",
    "PureCloudPlatformClientV2.settings", "PureCloudPlatformClientV2.usernames", "PureCloudPlatformClientV2.pacing",
    # the official module paths
    "PureCloudPlatformClientV2.abstract_http_client", "PureCloudPlatformClientV2.default_http_client",
    "PureCloudPlatformClientV2.http_request_options", "PureCloudPlatformClientV2.purecloud_region_hosts",
    "PureCloudPlatformClientV2.api_null_value", "PureCloudPlatformClientV2.year_month",
    "PureCloudPlatformClientV2.gateway_configuration",
    "PureCloudPlatformClientV2.config_file",
    "PureCloudPlatformClientV2.aio", "PureCloudPlatformClientV2.aio.api_client",
    "PureCloudPlatformClientV2.aio.in_process", "PureCloudPlatformClientV2.aio.paging",
    "PureCloudPlatformClientV2.aio.scim_api", "PureCloudPlatformClientV2.aio.transport",
]
# The package builds its `__all__` on first access (`import *`), so a bare import loads no model.
LAZY_ALL = {"PureCloudPlatformClientV2"}
# Plain names that are not public API: helpers other modules of the package import.
INTERNAL = {
    "PureCloudPlatformClientV2.settings": {"host_url", "timeout_pair", "wait_seconds", "FrozenValue"},
    "PureCloudPlatformClientV2.logger": {"log", "log_exchange", "redact_body", "redact_headers", "redact_query"},
    "PureCloudPlatformClientV2.filters": {"literal"},
    "PureCloudPlatformClientV2.config_file": {"ConfigFileState"},
    # shared with the asyncio client (PureCloudPlatformClientV2.aio)
    "PureCloudPlatformClientV2.paging": {"PageWalk", "page_share", "walk_arguments"},
    "PureCloudPlatformClientV2.transport": {"headers_for", "redirect_target", "timeout_or_default"},
    "PureCloudPlatformClientV2.api_client": {"NO_RESPONSE", "as_response", "checked_headers", "early_renewal_failed",
                                             "log_failure", "retry_delay", "transport_for"},
}


def source_of(module: ModuleType) -> Path:
    return Path(module.__file__ or "")


def defined_names(module: ModuleType) -> set[str]:
    """Names a module's own top level defines (classes, functions, assignments), not imports."""
    names: set[str] = set()
    for node in ast.parse(source_of(module).read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def deliberately_internal(module: ModuleType, name: str) -> bool:
    return (name.startswith("_") or name.isupper() or name == "TYPE_CHECKING"
            or name in INTERNAL.get(module.__name__, ()))


def all_public_modules() -> list[str]:
    """Every module path without a `_` part, for the check that none is forgotten above."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not any(part.startswith("_") for part in parts):
            found.append(".".join(parts))
    return found


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_every_listed_name_exists(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None) if name in LAZY_ALL else module.__dict__.get("__all__")
    assert isinstance(exported, list), f"{name} has no __all__"
    assert len(set(exported)) == len(exported), f"{name}.__all__ lists a name twice"
    assert [n for n in exported if not hasattr(module, n)] == []


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_every_defined_name_is_listed_or_deliberately_internal(name: str) -> None:
    module = importlib.import_module(name)
    exported = set(module.__all__)
    unlisted = sorted(n for n in defined_names(module) - exported if not deliberately_internal(module, n))
    assert unlisted == [], f"{name}: add these to __all__, or make them private: {unlisted}"
    stale = sorted(INTERNAL.get(name, set()) - defined_names(module))
    assert stale == [], f"INTERNAL lists names {name} no longer defines: {stale}"


def test_every_public_module_outside_the_cli_and_sandbox_internals_is_checked() -> None:
    implementation = ("PureCloudPlatformClientV2.cli.", "PureCloudPlatformClientV2.sandbox.",
                      "PureCloudPlatformClientV2.models.")
    unchecked = [m for m in all_public_modules() if m not in PUBLIC_MODULES and not m.startswith(implementation)]
    assert unchecked == [], f"public modules missing from PUBLIC_MODULES: {unchecked}"


def test_the_package_names_resolve_and_star_import_gives_exactly_them() -> None:
    package = PureCloudPlatformClientV2
    models = importlib.import_module("PureCloudPlatformClientV2.models")
    names = set(package.__all__)
    assert [n for n in names if getattr(package, n, None) is None] == []
    assert set(package._LAZY) | set(package._MODULES) | set(models.__all__) <= names
    # what the official package's star import gives a SCIM script, besides the models
    assert {"ApiClient", "Configuration", "configuration", "SCIMApi", "PureCloudRegionHosts",
            "GatewayConfiguration", "ApiNullValue", "YearMonth", "api_client", "rest", "models"} <= names
    for name in models.__all__:
        assert getattr(package, name) is getattr(models, name)
    namespace: dict[str, object] = {}
    exec("from PureCloudPlatformClientV2 import *", namespace)
    assert set(namespace) - {"__builtins__"} == names


@pytest.mark.parametrize("name", [m for m in PUBLIC_MODULES if m != "PureCloudPlatformClientV2"])
def test_star_import_of_a_module_gives_its_listed_names(name: str) -> None:
    namespace: dict[str, object] = {}
    exec(f"from {name} import *", namespace)
    assert set(namespace) - {"__builtins__"} == set(importlib.import_module(name).__all__)
