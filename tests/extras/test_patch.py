"""patch.Patch: the PATCH bodies it builds, what it refuses, what reaches the server, and what the
sandbox makes of them."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import pytest

from PureCloudPlatformClientV2.filters import F
from PureCloudPlatformClientV2.models import (
    PatchRequest,
    ScimEmail,
    ScimUserRoutingSkill,
    ScimV2CreateUser,
    ScimV2PatchRequest,
)
from PureCloudPlatformClientV2.paging import iterate
from PureCloudPlatformClientV2.patch import PATCH_OP_URN, Patch, enterprise, genesys, path
from PureCloudPlatformClientV2.sandbox import Sandbox

from ..servers import Reply

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GENESYS = "urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User"


def test_builds_the_patchop_body_in_wire_form() -> None:
    body = (Patch().replace("title", "Lead").add("members", [{"value": "u1"}])
            .remove('members[value eq "id"]').build())
    assert isinstance(body, ScimV2PatchRequest)
    assert body.to_wire() == {
        "schemas": [PATCH_OP_URN],
        "Operations": [
            {"op": "replace", "path": "title", "value": "Lead"},
            {"op": "add", "path": "members", "value": [{"value": "u1"}]},
            {"op": "remove", "path": 'members[value eq "id"]'},
        ],
    }


def test_build_patch_request_gives_the_older_model_with_the_same_wire_form() -> None:
    patch = Patch().add_members("u1", "u2").remove_members("u3")
    legacy = patch.build_patch_request()
    assert isinstance(legacy, PatchRequest)
    assert legacy.to_wire() == patch.build().to_wire()


@pytest.mark.parametrize(
    ("patch", "operations"),
    [
        (Patch().add_members("u1", "u2"),
         [{"op": "add", "path": "members", "value": [{"value": "u1"}, {"value": "u2"}]}]),
        (Patch().remove_members("u1", 'q"x'), [{"op": "remove", "path": 'members[value eq "u1"]'},
                                              {"op": "remove", "path": r'members[value eq "q\"x"]'}]),
        (Patch().deactivate(), [{"op": "replace", "path": "active", "value": False}]),
        (Patch().activate(), [{"op": "replace", "path": "active", "value": True}]),
        (Patch().replace(enterprise("department"), "Sales"),
         [{"op": "replace", "path": f"{ENTERPRISE}:department", "value": "Sales"}]),
        (Patch().add(genesys("routingSkills"), [ScimUserRoutingSkill(name="Sales", proficiency=4.5)]),
         [{"op": "add", "path": f"{GENESYS}:routingSkills", "value": [{"name": "Sales", "proficiency": 4.5}]}]),
        (Patch().replace(path("emails", F("type").eq("work"), "value"), "j@x.com"),
         [{"op": "replace", "path": 'emails[type eq "work"].value', "value": "j@x.com"}]),
        (Patch().remove(F("emails").where(F("type").eq("work"))), [{"op": "remove", "path": 'emails[type eq "work"]'}]),
        (Patch().replace(path(enterprise("manager"), sub="value"), "m1"),
         [{"op": "replace", "path": f"{ENTERPRISE}:manager.value", "value": "m1"}]),
        (Patch().add("emails", [ScimEmail(value="a@x.com", type="work")]),
         [{"op": "add", "path": "emails", "value": [{"value": "a@x.com", "type": "work"}]}]),
        (Patch().replace(None, {"title": "Lead", "active": True}),
         [{"op": "replace", "value": {"title": "Lead", "active": True}}]),
        (Patch().replace("x", dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)),
         [{"op": "replace", "path": "x", "value": "2024-01-02T03:04:05.000Z"}]),
        (Patch().replace(F("name.givenName"), "Jo"), [{"op": "replace", "path": "name.givenName", "value": "Jo"}]),
    ],
)
def test_helpers_make_the_documented_operations(patch: Patch, operations: list[dict[str, Any]]) -> None:
    assert patch.build().to_wire()["Operations"] == operations
    assert patch.operations == operations
    assert len(patch) == len(operations)


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: Patch().build(), ValueError),
        (lambda: Patch().replace("title eq x", "y"), ValueError),
        (lambda: Patch().replace(F("title").eq("x"), "y"), ValueError),
        (lambda: Patch().remove('members[value eq "x"'), ValueError),
        (lambda: Patch().remove('members[value eq "x"].'), ValueError),
        (lambda: Patch().remove(""), ValueError),
        (lambda: Patch().remove(None), ValueError),
        (lambda: Patch().remove(42), TypeError),
        (lambda: Patch().add(None, "not an object"), ValueError),
        (lambda: Patch().replace("title", None), ValueError),
        (lambda: Patch().replace("title", object()), TypeError),
        (lambda: Patch().add_members(), ValueError),
        (lambda: Patch().add_members(""), ValueError),
        (lambda: Patch().remove_members(None), ValueError),
        (lambda: path("emails", F("type").eq("work"), "bad sub"), ValueError),
        (lambda: path("emails.value", F("type").eq("work")), ValueError),
        (lambda: path("name.givenName", sub="x"), ValueError),
    ],
)
def test_mistakes_fail_where_they_are_made(make: Callable[[], Any], error: type) -> None:
    with pytest.raises(error):
        make()


def test_operations_is_a_copy_and_repr_lists_them() -> None:
    patch = Patch().replace("title", "Lead").remove("nickName")
    patch.operations[0]["value"] = "changed"
    assert patch.operations[0]["value"] == "Lead"
    assert repr(patch) == "Patch(replace title, remove nickName)"


@pytest.mark.parametrize(("method", "kind"), [("patch_scim_v2_group", "build"),
                                              ("patch_scim_group", "build_patch_request"),
                                              ("patch_scim_v2_user", "build"), ("patch_scim_user", "build")])
def test_the_body_reaches_the_server_as_built(serve: Any, method: str, kind: str) -> None:
    api, server = serve(default=Reply.json({"id": "g1"}))
    patch = Patch().add_members("u1").remove_members("u2").replace(enterprise("department"), "Sales")
    getattr(api, method)("g1", getattr(patch, kind)(), if_match='"7"')
    (request,) = server.requests
    assert request.method == "PATCH"
    assert request.json() == patch.build().to_wire()
    assert request.header("If-Match") == '"7"'


def test_the_sandbox_applies_user_patches() -> None:
    with Sandbox(serve=False) as sandbox:
        api = sandbox.api
        user = api.post_scim_v2_users(ScimV2CreateUser(
            user_name="jane@example.com", display_name="Jane",
            emails=[ScimEmail(value="jane@example.com", type="other"),
                    ScimEmail(value="old@corp.example", type="work")]))
        patched = api.patch_scim_v2_user(user.id, (
            Patch().replace("title", "Lead")
            .replace(enterprise("department"), "Support")
            .add(genesys("routingSkills"), [{"name": "Sales", "proficiency": 3.0}])
            .replace(path("emails", F("type").eq("work"), "value"), "new@corp.example")
        ).build())
        assert patched.title == "Lead"
        assert patched.urnietfparamsscimschemasextensionenterprise2_0_user.department == "Support"
        skills = patched.urnietfparamsscimschemasextensiongenesyspurecloud2_0_user.routing_skills
        assert [(s.name, s.proficiency) for s in skills] == [("Sales", 3.0)]
        assert {(e.type, e.value) for e in patched.emails} == {("other", "jane@example.com"),
                                                              ("work", "new@corp.example")}

        gone = api.patch_scim_v2_user(user.id, Patch().deactivate().build())
        assert gone.active is False
        assert user.id not in {u.id for u in iterate(api.get_scim_v2_users)}


def test_the_sandbox_applies_membership_patches() -> None:
    with Sandbox(serve=False) as sandbox:
        api = sandbox.api
        ids = [api.post_scim_v2_users(ScimV2CreateUser(user_name=f"u{i}@example.com", display_name=f"U{i}")).id
               for i in range(3)]
        sales = api.get_scim_v2_groups(F("displayName").eq("Sales")).resources[0]
        api.patch_scim_v2_group(sales.id, Patch().add_members(*ids).build())
        after = api.patch_scim_v2_group(sales.id, Patch().remove_members(ids[0], ids[2]).build_patch_request())
        assert [m.value for m in after.members or []] == [ids[1]]
        assert [g.value for g in api.get_scim_v2_user(ids[1]).groups or []] == [sales.id]
