"""Endpoint parameters are declared with their method (role, wire name, kind, doc); a method
whose parameters and declarations disagree fails when its class is defined, naming both."""

from __future__ import annotations

import importlib.util
from pathlib import Path as FilePath
from typing import Any

import pytest

from PureCloudPlatformClientV2._endpoint import Body, Header, Parameter, Path, Query, operation
from PureCloudPlatformClientV2.apis import scim_api
from PureCloudPlatformClientV2.apis.scim_api import COUNT, START_INDEX, USER_ID, SCIMApi
from PureCloudPlatformClientV2.models import ScimGroupListResponse

from ..servers import ScriptedServer

ROOT = FilePath(__file__).resolve().parents[2]
DOC = "A documented parameter"


def define(*declarations: Any, path: str = "/things/{thingId}") -> type:
    """A class with one method `get_thing(thing_id, *, count=None)` declared by `declarations`."""

    class Things:
        @operation("GET", path, *declarations, summary="Get a thing")
        def get_thing(self, thing_id: str, *, count: int | None = None) -> ScimGroupListResponse:
            """A thing."""

    return Things


def test_matching_declarations_define_the_method() -> None:
    endpoint = define(Path("thingId", doc=DOC), Query("count", int, doc=DOC)).get_thing.endpoint
    assert endpoint.path_params == {"thingId": "thing_id"} and endpoint.query_params == {"count": "count"}
    request = endpoint.build(endpoint.bind(("a/b",), {"count": 3}))
    assert (request.method, request.path, request.query) == ("GET", "/things/a%2Fb", "?count=3")


@pytest.mark.parametrize(
    ("declarations", "message"),
    [
        ((Path("thingId", doc=DOC),), "Things.get_thing: parameter `count` has no declaration"),
        ((Path("thingId", doc=DOC), Query("count", int)), "Things.get_thing: parameter `count` has no doc"),
        ((Path("thingId", doc=DOC), Query("count", int, doc="  ")), "parameter `count` has no doc"),
        ((Path("thingId", doc=DOC), Parameter("count", int, doc=DOC)),
         "Things.get_thing: parameter `count` has no known role"),
        ((Path("thingId", doc=DOC), "count"), "Things.get_thing: 'count' is not a parameter declaration"),
        ((Path("thingId", doc=DOC), Query("count", int, doc=DOC), Header("If-Match", doc=DOC)),
         "Things.get_thing: `if_match` is declared .* but the method has no such parameter"),
        ((Path("thingId", doc=DOC), Query("count", int, doc=DOC), Query("count", int, doc=DOC)),
         "parameter `count` is declared twice"),
        ((Path("thingId", doc=DOC), Query("count", str, doc=DOC)),
         "parameter `count` is annotated 'int \\| None' but declared str"),
        ((Path("thingId", doc=DOC), Query("count", float, doc=DOC)),
         "parameter `count`: a query parameter is one of int, str, list\\[str\\], not <class 'float'>"),
        ((Path("thingId", doc=DOC), Header("count", int, doc=DOC)),
         "parameter `count`: a header parameter is one of str"),
        ((Query("thingId", doc=DOC), Query("count", int, doc=DOC)),
         "the path placeholders \\['thingId'\\] and the Path declarations \\[\\] differ"),
    ],
    ids=["undeclared", "no-doc", "blank-doc", "no-role", "not-a-declaration", "declared-not-taken", "twice",
         "kind-vs-annotation", "unknown-kind", "kind-not-for-role", "placeholder-not-a-path"],
)
def test_disagreeing_declarations_fail_at_class_definition(declarations: tuple[Any, ...], message: str) -> None:
    with pytest.raises(TypeError, match=message):
        define(*declarations)


def test_a_role_class_of_ones_own_is_refused() -> None:
    class Cookie(Parameter):
        role = "cookie"

    with pytest.raises(TypeError, match="parameter `count` has no known role \\(Cookie\\)"):
        define(Path("thingId", doc=DOC), Cookie("count", int, doc=DOC))


def test_a_body_must_be_annotated_with_models() -> None:
    with pytest.raises(TypeError, match="parameter `body` is annotated 'str' but declared model"):
        class Things:
            @operation("POST", "/things", Body(doc=DOC), summary="Make a thing")
            def post_thing(self, body: str) -> None:
                """A thing."""


def test_python_names_derive_from_wire_names_unless_given() -> None:
    assert [Query("excludedAttributes").name, Header("If-None-Match").name, Path("userId").name] == [
        "excluded_attributes", "if_none_match", "user_id"]
    assert Query("q", name="query").name == "query"


def test_every_scim_api_parameter_is_a_shared_module_declaration() -> None:
    """One declaration per parameter across the 30 methods: the same name is the same object."""
    shared = {id(value) for value in vars(scim_api).values() if isinstance(value, Parameter)}
    by_name: dict[str, set[int]] = {}
    for method in vars(SCIMApi).values():
        for name, declared in getattr(method, "endpoint").declared.items() if hasattr(method, "endpoint") else ():
            by_name.setdefault(name, set()).add(id(declared))
    assert all(len(ids) == 1 for ids in by_name.values()), by_name
    assert set().union(*by_name.values()) <= shared


# -- adding an endpoint ------------------------------------------------------------------------
class Extended(SCIMApi):  # no docstring: the docs keep SCIMApi's
    # What adding an endpoint takes: its declaration, reusing the shared parameters.

    @operation("GET", "/api/v2/scim/v2/users/{userId}/groups", USER_ID, START_INDEX, COUNT,
               summary="Query a user's groups", permissions=("directory:group:edit",))
    def get_scim_v2_user_groups(self, user_id: str, *, start_index: int | None = None,
                                count: int | None = None) -> ScimGroupListResponse:
        """The groups a user is a member of."""


def test_an_added_endpoint_needs_only_its_declaration(server: ScriptedServer, api: SCIMApi) -> None:
    """No table elsewhere names parameters: the declaration alone sends, checks and documents it."""
    extended = Extended(api.api_client)
    result = extended.get_scim_v2_user_groups("u 1", start_index=2, count=5)
    assert isinstance(result, ScimGroupListResponse)
    (sent,) = server.requests
    assert (sent.method, sent.target) == ("GET", "/api/v2/scim/v2/users/u%201/groups?startIndex=2&count=5")
    with pytest.raises(TypeError, match="`count` must be an int"):
        extended.get_scim_v2_user_groups("u1", count=5.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="`count` must be an int or a string of digits"):
        extended.get_scim_v2_user_groups("u1", count="5; drop")  # type: ignore[arg-type]
    doc = Extended.get_scim_v2_user_groups.__doc__ or ""
    assert f"    count: {COUNT.doc}" in doc and "Wraps GET /api/v2/scim/v2/users/{userId}/groups" in doc


def test_an_added_endpoint_changes_the_generated_docs_by_its_own_row_and_section() -> None:
    """...and the regenerated docs/SCIMApi.md (the freshness test fails until it is committed).
    Mirroring the official SDK, tests/core/spec.py's facts (shared/spec) must list it too, or
    test_compat's method-set test fails; nothing else in the package changes."""
    spec = importlib.util.spec_from_file_location("gendocs", ROOT / "tools" / "gendocs.py")
    assert spec and spec.loader
    gendocs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gendocs)
    committed = (ROOT / "docs" / "SCIMApi.md").read_text(encoding="utf-8")
    assert gendocs.render_api() == committed
    extended = gendocs.render_api(Extended)
    row = "| [**get_scim_v2_user_groups**](#get_scim_v2_user_groups) | Query a user's groups |\n"
    head, _, sections = extended.partition('<a name="')
    parts = sections.split('\n<a name="')
    (added,) = [p for p in parts if p.startswith("get_scim_v2_user_groups")]
    assert row in head and "| **count** | **int** | " + COUNT.doc in added
    without = head.replace(row, "") + '<a name="' + "\n<a name=\"".join(p for p in parts if p is not added)
    assert without == committed


def test_a_twin_path_must_have_the_same_placeholders() -> None:
    from PureCloudPlatformClientV2._endpoint import same_at

    with pytest.raises(TypeError, match="same_at\\(SCIMApi.get_scim_v2_user, '/elsewhere/{id}'\\): the path "
                                        "placeholders \\['id'\\] and the Path declarations \\['userId'\\] differ"):
        class Twin(SCIMApi):
            get_user_elsewhere = same_at(SCIMApi.get_scim_v2_user, "/elsewhere/{id}")
