"""The public surface matches the official SDK 269.0.0, fact by fact from tests/data/official_sdk.json."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2 import models
from PureCloudPlatformClientV2._endpoint import KIND_NAMES
from PureCloudPlatformClientV2._model import resolve, swagger_type_of
from PureCloudPlatformClientV2.apis.scim_api import SCIMApi

from ..servers import ScriptedServer
from .spec import load_spec, spec_methods, spec_models

METHODS = spec_methods()
MODELS = spec_models()
# The documented older signature (seed SCIMApi.md): the list methods take `filter` first, positionally.
FILTER_FIRST = {"get_scim_users", "get_scim_v2_users", "get_scim_groups"}
# The official get_scim_v2_groups requires `filter`; here it is optional, so every official call still works.
REQUIRED_ONLY_OFFICIALLY = {("get_scim_v2_groups", "filter")}
# The official delete methods declare `object` (they answer 204); here they return `Empty`, as the seed documents.
RETURN_DEVIATIONS = {"delete_scim_user": "Empty", "delete_scim_v2_user": "Empty"}
EXTRA_MODELS = ("ScimListResponse", "PatchRequest", "PatchOperation")
BANNED_AT_IMPORT = ("urllib3", "certifi", "json", "typing", "inspect", "sqlite3", "httpx", "anyio", "asyncio")
BANNED_BEFORE_FIRST_REQUEST = ("urllib3", "certifi", "sqlite3", "httpx", "anyio", "asyncio")
PACKAGE_DIR = Path(PureCloudPlatformClientV2.__file__).parent


def expected_positional(name: str) -> list[str]:
    positional = METHODS[name]["positional_args"]
    return ["filter", *positional] if name in FILTER_FIRST else positional


def example_arguments(spec: dict[str, Any]) -> dict[str, Any]:
    """A valid value for every parameter the official method accepts (callback aside)."""
    values = {"int": 2, "list[str]": ["userName", "emails"], "str": 'userName eq "x"'}
    args: dict[str, Any] = {p["name"]: "id-1" for p in spec["path_params"]}
    args.update({p["name"]: values[p["type"]] for p in spec["query_params"]})
    args.update({p["name"]: '"7"' for p in spec["header_params"]})
    if spec["body"]:
        args["body"] = getattr(models, spec["body"]["type"])()
    return args


def split_call(name: str, args: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """The official call form: positional arguments in order, the rest as keywords."""
    keywords = dict(args)
    return [keywords.pop(p) for p in METHODS[name]["positional_args"]], keywords


# -- SCIMApi methods ----------------------------------------------------------------------
def test_scimapi_has_exactly_the_official_methods() -> None:
    public = {name for name in vars(SCIMApi) if not name.startswith("_")}
    assert public == set(METHODS)
    assert len(public) == load_spec()["method_count"] == 30


@pytest.mark.parametrize("name", sorted(METHODS))
def test_endpoint_matches_the_official_wire_facts(name: str) -> None:
    spec, method = METHODS[name], getattr(SCIMApi, name)
    endpoint = method.endpoint
    assert (endpoint.method, endpoint.path) == (spec["http_method"], spec["path"])
    assert list(endpoint.positional) == expected_positional(name)
    assert set(endpoint.parameters) | {"callback"} == set(spec["accepted_kwargs"])
    assert endpoint.path_params == {p["wire"]: p["name"] for p in spec["path_params"]}
    assert endpoint.query_params == {p["name"]: p["wire"] for p in spec["query_params"]}
    assert endpoint.header_params == {p["name"]: p["wire"] for p in spec["header_params"]}
    roles = {p["name"]: role for role in ("path", "query", "header") for p in spec[f"{role}_params"]}
    if spec["body"]:
        roles["body"] = "body"
    assert {name: declared.role for name, declared in endpoint.declared.items()} == roles
    for param in spec["path_params"] + spec["query_params"] + spec["header_params"]:
        assert swagger_type_of(endpoint.annotations[param["name"]])[0] == param["type"], param["name"]
        declared = endpoint.declared[param["name"]]
        assert (declared.wire, KIND_NAMES[declared.kind]) == (param["wire"], param["type"]), param["name"]
    if spec["body"]:
        accepted = [t.strip() for t in endpoint.annotations["body"].split("|")]
        assert spec["body"]["type"] in accepted
    else:
        assert "body" not in endpoint.parameters
    assert endpoint.return_type == method.__annotations__["return"]
    assert endpoint.return_type == RETURN_DEVIATIONS.get(name, spec["return_type"])
    assert method.__name__ == name and method.__doc__ and spec["path"] in method.__doc__


@pytest.mark.parametrize("positional", [True, False], ids=["positional", "keywords"])
@pytest.mark.parametrize("name", sorted(METHODS))
def test_every_official_argument_and_callback_is_accepted(server: ScriptedServer, api: SCIMApi, name: str,
                                                         positional: bool) -> None:
    spec = METHODS[name]
    args = example_arguments(spec)
    call_args, call_kwargs = split_call(name, args) if positional else ([], args)
    results: list[Any] = []
    thread = getattr(api, name)(*call_args, **call_kwargs, callback=results.append)
    thread.join(timeout=10)
    assert len(results) == 1
    assert type(results[0]) is resolve(RETURN_DEVIATIONS.get(name, spec["return_type"]))
    (sent,) = server.requests
    assert sent.method == spec["http_method"]
    expected_path = spec["path"]
    for param in spec["path_params"]:
        expected_path = expected_path.replace("{" + param["wire"] + "}", args[param["name"]])
    assert sent.path == expected_path
    assert set(sent.query) == {p["wire"] for p in spec["query_params"]}
    for param in spec["header_params"]:
        assert sent.header(param["wire"]) == '"7"'
    assert (sent.header("Content-Type") is not None) == (spec["body"] is not None)


REQUIRED = [(name, param) for name, spec in sorted(METHODS.items()) for param in spec["required_checks"]
            if (name, param) not in REQUIRED_ONLY_OFFICIALLY]


@pytest.mark.parametrize(("name", "missing"), REQUIRED)
def test_none_for_a_required_argument_raises_before_sending(server: ScriptedServer, api: SCIMApi, name: str,
                                                            missing: str) -> None:
    args = example_arguments(METHODS[name])
    args[missing] = None
    call_args, call_kwargs = split_call(name, args)
    with pytest.raises(ValueError, match=f"`{missing}`"):
        getattr(api, name)(*call_args, **call_kwargs)
    assert server.requests == []


@pytest.mark.parametrize("name", sorted(METHODS))
def test_unknown_keywords_and_extra_positionals_raise_type_error(server: ScriptedServer, api: SCIMApi,
                                                                 name: str) -> None:
    call_args, call_kwargs = split_call(name, example_arguments(METHODS[name]))
    with pytest.raises(TypeError, match="unexpected keyword argument 'no_such_option'"):
        getattr(api, name)(*call_args, **call_kwargs, no_such_option=1)
    too_many = ["x"] * (len(expected_positional(name)) + 1)
    with pytest.raises(TypeError, match="positional"):
        getattr(api, name)(*too_many)
    assert server.requests == []


@pytest.mark.parametrize("call", [(), (None,)], ids=["omitted", "none"])
def test_groups_filter_is_optional_unlike_the_official_sdk(server: ScriptedServer, api: SCIMApi,
                                                            call: tuple[Any, ...]) -> None:
    api.get_scim_v2_groups(*call)
    assert [r.target for r in server.requests] == ["/api/v2/scim/v2/groups"]


# -- models -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(MODELS))
def test_model_matches_the_official_fields(name: str) -> None:
    fields = MODELS[name]["fields"]
    cls = getattr(models, name)
    assert getattr(PureCloudPlatformClientV2, name) is cls
    assert list(cls.swagger_types.items()) == [(f["attr"], f["type"]) for f in fields]
    assert list(cls.attribute_map.items()) == [(f["attr"], f["json"]) for f in fields]
    enums = {f.attr: list(f.allowed_values) for f in cls.fields if f.allowed_values}
    assert enums == {f["attr"]: f["enum"] for f in fields if f["enum"]}
    instance = cls()  # the official constructors take no arguments
    assert instance.swagger_types == cls.swagger_types and instance.attribute_map == cls.attribute_map
    assert all(getattr(instance, f["attr"]) is None for f in fields)


def test_models_package_lists_the_official_models_and_the_documented_extras() -> None:
    assert set(models.__all__) == set(MODELS) | set(EXTRA_MODELS)
    assert set(models.__all__) <= set(dir(PureCloudPlatformClientV2))


@pytest.mark.parametrize("name", ["ScimUserListResponse", "ScimGroupListResponse"])
def test_typed_list_responses_are_scim_list_responses(name: str) -> None:
    cls = getattr(models, name)
    assert issubclass(cls, models.ScimListResponse)
    assert cls.attribute_map == models.ScimListResponse.attribute_map


def test_older_patch_request_has_the_same_wire_form() -> None:
    assert models.PatchRequest.attribute_map == models.ScimV2PatchRequest.attribute_map
    assert models.PatchOperation.attribute_map == models.ScimV2PatchOperation.attribute_map
    assert issubclass(models.PatchOperation, models.ScimV2PatchOperation)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_official_per_model_module_paths_import(name: str) -> None:
    import importlib

    module = importlib.import_module(f"PureCloudPlatformClientV2.models.{MODELS[name]['module']}")
    assert getattr(module, name) is getattr(models, name)


# -- runtime facts --------------------------------------------------------------------------
def test_region_hosts_are_the_official_ones() -> None:
    runtime = load_spec()["runtime"]
    regions = PureCloudPlatformClientV2.PureCloudRegionHosts
    assert {r.name: r.get_api_host() for r in regions} == runtime["region_hosts"]
    assert len(regions) == 18
    assert PureCloudPlatformClientV2.Configuration().host == runtime["default_host"]


def test_default_headers_are_the_official_ones_with_a_user_agent_of_our_own() -> None:
    # A deliberate difference: the User-Agent names this package (and says it is compatible
    # with the official one), so Genesys and proxies can tell the two apart.
    import sys

    client = PureCloudPlatformClientV2.ApiClient()
    official = load_spec()["runtime"]["client_default_headers"]
    assert set(client.default_headers) == set(official) == {"User-Agent"}
    python = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert client.user_agent == (f"purecloud-scim/{PureCloudPlatformClientV2.__version__} "
                                 f"({official['User-Agent']} compatible) Python/{python}")
    client.user_agent = "my-sync/1.0"
    assert client.default_headers == {"User-Agent": "my-sync/1.0"}


def test_public_surface(fresh_configuration) -> None:
    from PureCloudPlatformClientV2.api_client import ApiClient
    from PureCloudPlatformClientV2.rest import ApiException

    package = PureCloudPlatformClientV2
    assert package.configuration is package.Configuration() is package.Configuration()
    assert package.ApiException is ApiException and issubclass(ApiException, Exception)
    assert package.SCIMApi is SCIMApi and package.ApiClient is ApiClient
    assert package.apis.SCIMApi is SCIMApi
    assert package._version.OFFICIAL_SDK_VERSION == load_spec()["sdk_version"]
    assert isinstance(SCIMApi().api_client, ApiClient)
    assert SCIMApi().api_client is package.configuration.api_client
    for missing in ("NoSuchModel", "no_such_name"):
        with pytest.raises(AttributeError):
            getattr(package, missing)


# -- import hygiene (a fresh interpreter: no site, so nothing is preloaded) -----------------------
HYGIENE_SCRIPT = r"""
import _thread, os, sys
sys.path.insert(0, sys.argv[1])
opened = []
sys.addaudithook(lambda event, args: opened.append(os.fsdecode(args[0]))
                 if event == "open" and isinstance(args[0], (str, bytes)) else None)
baseline = set(sys.modules)

def handlers():
    if "logging" not in sys.modules:
        return []
    import logging
    loggers = [("root", logging.root), *logging.root.manager.loggerDict.items()]
    # a NullHandler (the package's own, as the logging HOWTO advises libraries) prints nothing
    return [name for name, logger in loggers
            if any(not isinstance(h, logging.NullHandler) for h in getattr(logger, "handlers", []))]

import PureCloudPlatformClientV2
report = {"baseline": sorted(baseline), "stdlib": os.path.dirname(os.__file__),
          "import": {"modules": sorted(set(sys.modules) - baseline), "threads": _thread._count(),
                     "opened": list(opened), "handlers": handlers()}}
PureCloudPlatformClientV2.SCIMApi()
PureCloudPlatformClientV2.ScimV2User(user_name="a@example.com").to_wire()
report["api"] = {"modules": sorted(set(sys.modules) - baseline), "threads": _thread._count(),
                 "handlers": handlers()}
print(repr(report))
"""


@pytest.fixture(scope="module")
def hygiene() -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-I", "-S", "-c", HYGIENE_SCRIPT, str(PACKAGE_DIR.parent)],
                          capture_output=True, text=True, timeout=60, check=True)
    report: dict[str, Any] = ast.literal_eval(done.stdout.strip().splitlines()[-1])
    assert not set(BANNED_AT_IMPORT) & set(report["baseline"]), "the check needs a clean interpreter"
    return report


def test_import_loads_no_heavy_or_io_modules(hygiene: dict[str, Any]) -> None:
    loaded = set(hygiene["import"]["modules"])
    assert "PureCloudPlatformClientV2" in loaded
    assert loaded & set(BANNED_AT_IMPORT) == set()


def test_import_starts_no_threads_and_adds_no_log_handlers(hygiene: dict[str, Any]) -> None:
    assert hygiene["import"]["threads"] == 0
    assert hygiene["import"]["handlers"] == []


def test_import_opens_only_package_files_and_stdlib_modules(hygiene: dict[str, Any]) -> None:
    def allowed(path: str) -> bool:
        where = Path(path).resolve()
        if where.is_relative_to(PACKAGE_DIR.resolve()):
            return True
        return where.is_relative_to(Path(hygiene["stdlib"]).resolve()) and where.suffix in (".py", ".pyc")

    opened = hygiene["import"]["opened"]
    assert opened, "the audit hook saw no imports at all"
    assert [path for path in opened if not allowed(path)] == []


def test_using_the_api_before_a_request_loads_no_transport(hygiene: dict[str, Any]) -> None:
    assert set(hygiene["api"]["modules"]) & set(BANNED_BEFORE_FIRST_REQUEST) == set()
    assert hygiene["api"]["threads"] == 0
    assert hygiene["api"]["handlers"] == []
