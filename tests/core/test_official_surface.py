"""The official package's module layout and the ApiClient/Configuration surface, fact by fact
from tests/data/official_sdk.json ("surface")."""

from __future__ import annotations

import ast
import inspect
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2.api_client import ApiClient
from PureCloudPlatformClientV2.configuration import Configuration

from .test_compat import BANNED_AT_IMPORT

SURFACE = json.loads((Path(__file__).parents[1] / "data" / "official_sdk.json").read_text())["surface"]
PACKAGE_DIR = Path(PureCloudPlatformClientV2.__file__).parent

# Official modules not here, with the reason.
MODULES_LEFT_OUT = {"utils": "the official helper module of YearMonth.to_json; no script imports it"}
# The official module that is no module here: the name is the Configuration instance, as officially.
INSTANCE_NOT_MODULE = {"configuration"}
OUR_MODULES = {"region_hosts"}

# Names the other issue-13 parts were to add (compat-oauth: the grants; compat-config: gateway, TLS,
# config file), while they were missing; empty now that every part is merged.
PROVIDED_BY_OTHER_PARTS: set[tuple[str, str]] = set()  # every part has landed
# Parameters that differ on purpose: (class, method) -> the official names we do not take, and why.
PARAMETER_EXCEPTIONS: dict[tuple[str, str], dict[str, str]] = {}
# Our extra parameters are fine as long as the official ones come first, in order.


def official_methods(cls_name: str) -> dict[str, list[str]]:
    return {name: params for name, params in SURFACE[cls_name].items()
            if (cls_name, name) not in PROVIDED_BY_OTHER_PARTS}


def parameters_of(cls: type, name: str) -> list[str]:
    names = list(inspect.signature(getattr(cls, name)).parameters)
    return [n for n in names if n != "self"]


@pytest.mark.parametrize("cls", [ApiClient, Configuration], ids=["ApiClient", "Configuration"])
def test_every_official_method_exists_with_the_official_parameters(cls: type) -> None:
    missing, wrong = [], {}
    for name, official in official_methods(cls.__name__).items():
        if not callable(getattr(cls, name, None)):
            missing.append(name)
            continue
        ours = parameters_of(cls, name)
        allowed = PARAMETER_EXCEPTIONS.get((cls.__name__, name), {})
        expected = [p for p in official if p not in allowed]
        if ours[: len(expected)] != expected:
            wrong[name] = (official, ours)
    assert missing == [] and wrong == {}


def test_every_official_configuration_attribute_exists(fresh_configuration: Configuration) -> None:
    expected = {a for a in SURFACE["configuration_attributes"]
                if ("configuration", a) not in PROVIDED_BY_OTHER_PARTS}
    assert [a for a in sorted(expected) if not hasattr(fresh_configuration, a)] == []


def test_the_other_parts_list_names_only_the_official_surface_still_missing(fresh_configuration: Configuration) -> None:
    """When a part lands, its names leave PROVIDED_BY_OTHER_PARTS (this fails until they do)."""
    for owner, name in PROVIDED_BY_OTHER_PARTS:
        if owner == "configuration":
            assert name in SURFACE["configuration_attributes"]
            present = hasattr(fresh_configuration, name)
        else:
            assert name in SURFACE[owner]
            present = hasattr({"ApiClient": ApiClient, "Configuration": Configuration}[owner], name)
        assert not present, f"{owner}.{name} exists now: take it out of PROVIDED_BY_OTHER_PARTS"


# -- the module layout ------------------------------------------------------------------------
def test_every_official_module_is_here_or_deliberately_left_out() -> None:
    official = set(SURFACE["modules"])
    files = {p.stem for p in PACKAGE_DIR.glob("*.py")}
    assert official - files == set(MODULES_LEFT_OUT)
    assert set(PureCloudPlatformClientV2._MODULES) == official - set(MODULES_LEFT_OUT) - INSTANCE_NOT_MODULE \
        | {"models", "apis"} | OUR_MODULES


LAYOUT_SCRIPT = r"""
import sys
sys.path.insert(0, sys.argv[1])
names = sys.argv[2].split(",")
import PureCloudPlatformClientV2 as package
report = {"after_import": sorted(sys.modules), "has_all": "__all__" in vars(package)}
resolved = {name: type(getattr(package, name)).__name__ for name in names}
report["resolved"] = resolved
report["after_modules"] = sorted(sys.modules)
report["user"] = package.models.scim_v2_user.ScimV2User.__name__
report["instance"] = type(package.configuration).__name__
report["classes"] = {name: getattr(package, module).__dict__[name].__name__ for module, name in [
    ("abstract_http_client", "AbstractHttpClient"), ("default_http_client", "DefaultHttpClient"),
    ("http_request_options", "HttpRequestOptions"), ("purecloud_region_hosts", "PureCloudRegionHosts"),
    ("api_null_value", "ApiNullValue"), ("year_month", "YearMonth"),
    ("gateway_configuration", "GatewayConfiguration"), ("rest", "RESTClientObject"), ("rest", "RESTResponse"),
    ("api_client", "ApiClient"), ("logger", "Logger")]}
print(repr(report))
"""


@pytest.fixture(scope="module")
def layout() -> dict[str, Any]:
    names = ",".join(PureCloudPlatformClientV2._MODULES)
    done = subprocess.run([sys.executable, "-I", "-S", "-c", LAYOUT_SCRIPT, str(PACKAGE_DIR.parent), names],
                          capture_output=True, text=True, timeout=60, check=True)
    report: dict[str, Any] = ast.literal_eval(done.stdout.strip().splitlines()[-1])
    return report


def test_a_bare_import_reaches_every_official_module_as_an_attribute(layout: dict[str, Any]) -> None:
    assert set(layout["resolved"].values()) == {"module"}
    assert layout["user"] == "ScimV2User"
    assert layout["instance"] == "Configuration"
    assert all(name == value for name, value in layout["classes"].items())


def test_a_bare_import_loads_no_model_urllib3_or_star_list(layout: dict[str, Any]) -> None:
    loaded = set(layout["after_import"])
    assert loaded & set(BANNED_AT_IMPORT) == set()
    assert not any(m.startswith("PureCloudPlatformClientV2.models") for m in loaded)
    assert not layout["has_all"]  # built only when `import *` asks


def test_resolving_the_modules_loads_no_transport(layout: dict[str, Any]) -> None:
    assert not any(m.split(".")[0] in ("urllib3", "certifi") for m in layout["after_modules"])


def test_star_import_gives_the_official_names_for_scim() -> None:
    namespace: dict[str, Any] = {}
    exec("from PureCloudPlatformClientV2 import *", namespace)
    from PureCloudPlatformClientV2 import models

    expected = {"ApiClient", "Configuration", "configuration", "SCIMApi", "PureCloudRegionHosts",
                "GatewayConfiguration", "ApiNullValue", "YearMonth", *models.__all__}
    assert expected <= set(namespace)
    assert namespace["configuration"] is Configuration()
    assert namespace["ScimV2User"] is models.ScimV2User
    assert namespace["rest"] is PureCloudPlatformClientV2.rest


def test_region_hosts_have_the_official_attributes() -> None:
    from PureCloudPlatformClientV2.purecloud_region_hosts import PureCloudRegionHosts

    region = PureCloudRegionHosts.eu_west_1
    assert region.apihost == region.get_api_host() == region.value == "https://api.mypurecloud.ie"
    assert PureCloudPlatformClientV2.PureCloudRegionHosts is PureCloudRegionHosts
