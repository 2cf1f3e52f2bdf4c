"""The sandbox reads the SCIM description (scim_schema.py): an attribute declared on a model and
described there is stored, returned, listed in /schemas, filtered and patched with no sandbox
change; the sandbox's own rules name only described attributes."""

from __future__ import annotations

from typing import Any, Iterator

import pytest

from PureCloudPlatformClientV2 import scim_schema
from PureCloudPlatformClientV2._model import REGISTRY
from PureCloudPlatformClientV2.models import ScimV2User
from PureCloudPlatformClientV2.sandbox import groups, users
from PureCloudPlatformClientV2.scim_schema import Attribute, ResourceType, Schema
from PureCloudPlatformClientV2.urns import USER_URN

from .conftest import Http, user_body


def described(kind: str, key: str) -> bool:
    resource = scim_schema.RESOURCE_TYPES[kind]
    urn, _, name = key.rpartition(":")
    schema = resource.extension(urn) if urn else resource.schema
    return schema is not None and schema.attribute(name) is not None


@pytest.mark.parametrize("kind, table", [("User", users.RULES), ("User", users.COMPUTED),
                                         ("Group", groups.RULES), ("Group", groups.COMPUTED)])
def test_the_sandbox_rules_name_described_attributes(kind: str, table: dict[str, Any]) -> None:
    assert [key for key in table if not described(kind, key)] == []


@pytest.fixture
def nicknamed(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[ScimV2User]]:
    """A model change (two fields more on the user) plus its one description entry each, in
    place of the User resource type; yields the changed model."""

    class NicknamedUser(ScimV2User):
        nick_name: str | None = None
        aliases: list[str] | None = None

    user = scim_schema.RESOURCE_TYPES["User"]
    schema = Schema(USER_URN, "User", NicknamedUser, user.schema.attributes + (
        Attribute("nickName", description="What colleagues call the user."),
        Attribute("aliases", case_exact=True)), common=user.schema.common)
    monkeypatch.setitem(scim_schema.RESOURCE_TYPES, "User",
                        ResourceType(user.name, user.endpoint, user.description, schema, user.extensions))
    try:
        yield NicknamedUser
    finally:
        del REGISTRY["NicknamedUser"]


def test_a_described_model_field_is_stored_returned_listed_filtered_and_patched(
        http: Http, nicknamed: type[ScimV2User]) -> None:
    created = http.post("/users", user_body(nickName="Ada", aliases=["countess"]))
    assert created.status == 201, created.data
    user = created.json()
    assert user["nickName"] == "Ada" and user["aliases"] == ["countess"]
    assert http.get(f"/users/{user['id']}").json()["nickName"] == "Ada"
    # getattr: nick_name is declared on the test's subclass only, not on the ScimV2User type of `nicknamed`
    assert getattr(nicknamed.from_wire(user), "nick_name") == "Ada"  # noqa: B009  # and the SDK model reads it

    listed = {a["name"]: a for a in http.get(f"/schemas/{USER_URN}").json()["attributes"]}
    assert listed["nickName"] == {"name": "nickName", "type": "string", "multiValued": False,
                                  "description": "What colleagues call the user.", "required": False,
                                  "caseExact": False, "mutability": "readWrite", "returned": "default",
                                  "uniqueness": "none"}
    assert listed["aliases"]["multiValued"] is True and listed["aliases"]["caseExact"] is True

    found = http.get("/users", params={"filter": 'nickName eq "ADA"'}).json()  # caseExact false
    assert [u["id"] for u in found["Resources"]] == [user["id"]]
    assert http.get("/users", params={"filter": 'aliases eq "COUNTESS"'}).json()["totalResults"] == 0

    patched = http.patch(f"/users/{user['id']}", [{"op": "replace", "path": "nickName", "value": "Lady Ada"},
                                                 {"op": "add", "path": "aliases", "value": "enchantress"}])
    assert patched.status == 200, patched.data
    assert patched.json()["nickName"] == "Lady Ada"
    assert patched.json()["aliases"] == ["countess", "enchantress"]  # multi-valued: add appends

    bad = http.post("/users", user_body(nickName=7))
    assert bad.status == 400 and bad.json()["detail"] == "nickName must be a string"
    only = http.get(f"/users/{user['id']}", params={"attributes": "nickName"}).json()
    assert set(only) == {"schemas", "id", "userName", "active", "meta", "nickName"}


def test_without_the_description_the_field_is_neither_stored_nor_listed(http: Http) -> None:
    user = http.create_user(nickName="Ada")
    assert "nickName" not in user and "nickName" not in http.get(f"/users/{user['id']}").json()
    assert "nickName" not in {a["name"] for a in http.get(f"/schemas/{USER_URN}").json()["attributes"]}
