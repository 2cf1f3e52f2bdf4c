"""The sandbox's SCIM PATCH engine (PureCloudPlatformClientV2.sandbox.patching)."""

from __future__ import annotations

import copy
from typing import Any, Dict, List

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from PureCloudPlatformClientV2.sandbox.patching import PatchError, apply_operations

CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GEN = "urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User"


def user() -> Dict[str, Any]:
    return {
        "schemas": [CORE],
        "id": "u-1",
        "userName": "jane@example.com",
        "displayName": "Jane",
        "active": True,
        "title": "Agent",
        "emails": [{"type": "other", "value": "jane@example.com"}],
        "phoneNumbers": [{"type": "work", "value": "+15550100"}],
        "groups": [{"value": "g-1"}],
        "meta": {"resourceType": "User", "version": "3", "lastModified": "2024-05-01T10:00:00.000Z"},
    }


def group() -> Dict[str, Any]:
    return {"id": "g-1", "displayName": "Sales", "members": [{"value": "u-1", "type": "User"}, {"value": "u-2"}]}


def read_only(path: str) -> bool:
    return path in ("id", "meta", "meta.version", "groups", "username")


def patch(resource: Dict[str, Any], *operations: Dict[str, Any]) -> Dict[str, Any]:
    return apply_operations(resource, list(operations), read_only=read_only)


def refused(scim_type: str, resource: Dict[str, Any], *operations: Dict[str, Any]) -> str:
    with pytest.raises(PatchError) as caught:
        patch(resource, *operations)
    assert caught.value.scim_type == scim_type, caught.value.detail
    return caught.value.detail


# -- add -------------------------------------------------------------------------------------------

def test_add_sets_a_single_valued_attribute() -> None:
    assert patch(user(), {"op": "add", "path": "nickName", "value": "JJ"})["nickName"] == "JJ"
    assert patch(user(), {"op": "add", "path": "title", "value": "Lead"})["title"] == "Lead"


def test_add_appends_to_multi_valued_without_duplicates() -> None:
    result = patch(user(), {"op": "add", "path": "emails", "value": [
        {"type": "work", "value": "jw@work.example"}, {"type": "other", "value": "jane@example.com"}]})
    assert result["emails"] == [{"type": "other", "value": "jane@example.com"},
                                {"type": "work", "value": "jw@work.example"}]
    # the same address with another type is a different element
    result = patch(user(), {"op": "add", "path": "emails", "value": {"type": "work", "value": "jane@example.com"}})
    assert len(result["emails"]) == 2


def test_add_creates_a_known_multi_valued_attribute_as_a_list() -> None:
    assert patch(user(), {"op": "add", "path": "roles", "value": {"value": "employee"}})["roles"] == [
        {"value": "employee"}]


def test_add_merges_into_a_complex_attribute() -> None:
    resource = dict(user(), name={"givenName": "Jane", "familyName": "Doe"})
    assert patch(resource, {"op": "add", "path": "name", "value": {"givenName": "J"}})["name"] == {
        "givenName": "J", "familyName": "Doe"}


def test_add_without_path_merges_an_object_including_extension_urns() -> None:
    result = patch(user(), {"op": "add", "value": {
        "nickName": "JJ", "emails": [{"type": "work", "value": "w@x"}],
        ENT: {"department": "Sales", "manager": {"value": "m-1"}},
        f"{ENT}:employeeNumber": "42"}})
    assert result["nickName"] == "JJ"
    assert result["emails"][-1] == {"type": "work", "value": "w@x"}
    assert result[ENT] == {"department": "Sales", "manager": {"value": "m-1"}, "employeeNumber": "42"}
    assert result["schemas"] == [CORE, ENT]


def test_group_member_add_and_remove() -> None:
    added = patch(group(), {"op": "Add", "path": "members", "value": [{"value": "u-3"}, {"value": "u-1"}]})
    assert [m["value"] for m in added["members"]] == ["u-1", "u-2", "u-3"]
    removed = patch(group(), {"op": "remove", "path": 'members[value eq "u-1"]'})
    assert removed["members"] == [{"value": "u-2"}]
    azure = patch(group(), {"op": "Remove", "path": "members", "value": [{"value": "u-2"}, {"value": "u-9"}]})
    assert azure["members"] == [{"value": "u-1", "type": "User"}]
    emptied = patch(group(), {"op": "remove", "path": "members"})
    assert "members" not in emptied
    last = patch(group(), {"op": "remove", "path": 'members[value eq "u-1" or value eq "u-2"]'})
    assert "members" not in last  # RFC 7644: no values left means unassigned


def test_replace_members_replaces_the_list() -> None:
    result = patch(group(), {"op": "replace", "path": "members", "value": [{"value": "u-7"}, {"value": "u-7"}]})
    assert result["members"] == [{"value": "u-7"}]


# -- replace ---------------------------------------------------------------------------------------

def test_replace_sets_and_op_is_case_insensitive() -> None:
    for op in ("replace", "Replace", "REPLACE"):
        assert patch(user(), {"op": op, "path": "displayName", "value": "Janet"})["displayName"] == "Janet"


def test_attribute_names_are_case_insensitive_and_keep_their_spelling() -> None:
    result = patch(user(), {"op": "replace", "path": "DISPLAYNAME", "value": "Janet"})
    assert result["displayName"] == "Janet" and "DISPLAYNAME" not in result
    result = patch(user(), {"op": "replace", "path": 'EMAILS[TYPE eq "other"].VALUE', "value": "j@x"})
    assert result["emails"] == [{"type": "other", "value": "j@x"}]


def test_entra_no_path_replace() -> None:
    result = patch(user(), {"op": "Replace", "value": {"active": False, "displayName": "J"}})
    assert result["active"] is False and result["displayName"] == "J"
    # Entra has sent booleans as text
    assert patch(user(), {"op": "Replace", "path": "active", "value": "False"})["active"] is False
    assert patch(user(), {"op": "Replace", "value": {"active": "True"}})["active"] is True


def test_replace_the_sub_attribute_of_matching_elements() -> None:
    resource = dict(user(), emails=[{"type": "other", "value": "a@x"}, {"type": "work", "value": "b@x"}])
    result = patch(resource, {"op": "replace", "path": 'emails[type eq "work"].value', "value": "c@x"})
    assert result["emails"] == [{"type": "other", "value": "a@x"}, {"type": "work", "value": "c@x"}]


def test_replace_with_a_filter_that_matches_nothing_creates_the_element() -> None:
    result = patch(user(), {"op": "replace", "path": 'phoneNumbers[type eq "mobile"].value', "value": "+1555"})
    assert result["phoneNumbers"] == [{"type": "work", "value": "+15550100"}, {"type": "mobile", "value": "+1555"}]
    result = patch(user(), {"op": "Add", "path": 'emails[type eq "work"].value', "value": "w@x"})
    assert result["emails"][-1] == {"type": "work", "value": "w@x"}
    result = patch(user(), {"op": "replace", "path": 'addresses[type eq "work" and primary eq true]',
                            "value": {"locality": "Paris"}})
    assert result["addresses"] == [{"type": "work", "primary": True, "locality": "Paris"}]


def test_replace_with_a_filter_that_cannot_describe_an_element_is_no_target() -> None:
    refused("noTarget", user(), {"op": "replace", "path": 'phoneNumbers[type ne "work"].value', "value": "+1"})
    refused("noTarget", user(), {"op": "replace", "path": 'phoneNumbers[type eq "a" or type eq "b"].value',
                                 "value": "+1"})


def test_replace_matching_elements_whole() -> None:
    result = patch(user(), {"op": "replace", "path": 'phoneNumbers[type eq "work"]', "value": {"value": "+2"}})
    assert result["phoneNumbers"] == [{"type": "work", "value": "+2"}]
    result = patch(user(), {"op": "add", "path": 'phoneNumbers[type eq "work"]', "value": {"primary": True}})
    assert result["phoneNumbers"] == [{"type": "work", "value": "+15550100", "primary": True}]


def test_extension_paths() -> None:
    result = patch(user(),
                   {"op": "add", "path": f"{ENT}:department", "value": "Sales"},
                   {"op": "replace", "path": f"{ENT}:manager", "value": {"value": "m-1"}},
                   {"op": "add", "path": f"{GEN}:routingSkills", "value": [{"name": "Support", "proficiency": 4}]})
    assert result[ENT] == {"department": "Sales", "manager": {"value": "m-1"}}
    assert result[GEN] == {"routingSkills": [{"name": "Support", "proficiency": 4}]}
    assert result["schemas"] == [CORE, ENT, GEN]
    result = patch(result, {"op": "replace", "path": f"{ENT}:manager.value", "value": "m-2"},
                   {"op": "add", "path": f"{GEN}:routingSkills", "value": [{"name": "Sales", "proficiency": 2}]})
    assert result[ENT]["manager"] == {"value": "m-2"}
    assert len(result[GEN]["routingSkills"]) == 2
    result = patch(result, {"op": "remove", "path": f'{GEN}:routingSkills[name eq "Support"]'},
                   {"op": "remove", "path": f"{ENT}:manager"})
    assert result[GEN]["routingSkills"] == [{"name": "Sales", "proficiency": 2}]
    assert result[ENT] == {"department": "Sales"}


def test_extension_urn_key_spelling_is_kept() -> None:
    resource = dict(user(), **{ENT.lower(): {"department": "A"}})
    result = patch(resource, {"op": "replace", "path": f"{ENT}:department", "value": "B"})
    assert result[ENT.lower()] == {"department": "B"} and ENT not in result


def test_entra_manager_as_a_bare_id() -> None:
    result = patch(user(), {"op": "Add", "path": f"{ENT}:manager", "value": "m-9"})
    assert result[ENT]["manager"] == {"value": "m-9"}


def test_whole_extension_as_the_path() -> None:
    result = patch(user(), {"op": "add", "path": ENT, "value": {"department": "Ops", "division": "Home"}})
    assert result[ENT] == {"department": "Ops", "division": "Home"}
    result = patch(result, {"op": "remove", "path": ENT})
    assert ENT not in result and ENT not in result["schemas"]


def test_core_urn_qualified_paths_address_the_resource_itself() -> None:
    assert patch(user(), {"op": "replace", "path": f"{CORE}:displayName", "value": "X"})["displayName"] == "X"


def test_replace_with_null_unassigns() -> None:
    assert "title" not in patch(user(), {"op": "replace", "path": "title", "value": None})


# -- remove ----------------------------------------------------------------------------------------

def test_remove_needs_a_path() -> None:
    refused("noTarget", user(), {"op": "remove"})
    refused("noTarget", user(), {"op": "remove", "path": ""})


def test_remove_attribute_sub_attribute_and_elements() -> None:
    assert "title" not in patch(user(), {"op": "remove", "path": "title"})
    assert "nickName" not in patch(user(), {"op": "remove", "path": "nickName"})  # absent: nothing to do
    resource = dict(user(), name={"givenName": "J", "familyName": "D"})
    assert patch(resource, {"op": "remove", "path": "name.givenName"})["name"] == {"familyName": "D"}
    assert "name" not in patch(resource, {"op": "remove", "path": "name.givenName"},
                               {"op": "remove", "path": "name.familyName"})
    result = patch(user(), {"op": "remove", "path": 'phoneNumbers[type eq "work"].value'})
    assert result["phoneNumbers"] == [{"type": "work"}]
    assert "phoneNumbers" not in patch(user(), {"op": "remove", "path": 'phoneNumbers[type eq "work"]'})
    same = patch(user(), {"op": "remove", "path": 'phoneNumbers[type eq "home"]'})
    assert same == user()
    assert patch(user(), {"op": "remove", "path": f"{ENT}:department"}) == user()


# -- refusals --------------------------------------------------------------------------------------

@pytest.mark.parametrize("operation", [
    {"op": "replace", "path": "id", "value": "x"},
    {"op": "remove", "path": "meta"},
    {"op": "replace", "path": "meta.version", "value": "9"},
    {"op": "add", "path": "groups", "value": [{"value": "g-2"}]},
    {"op": "remove", "path": 'groups[value eq "g-1"]'},
    {"op": "replace", "value": {"id": "other"}},
    {"op": "replace", "path": "USERNAME", "value": "x@y"},
])
def test_read_only_attributes_are_refused(operation: Dict[str, Any]) -> None:
    refused("mutability", user(), operation)


def test_a_no_path_merge_may_echo_read_only_values_unchanged() -> None:
    result = patch(user(), {"op": "replace", "value": {"id": "u-1", "displayName": "X"}})
    assert result["id"] == "u-1" and result["displayName"] == "X"


@pytest.mark.parametrize("operation,scim_type", [
    ({"op": "add", "path": "emails[type eq", "value": "x"}, "invalidPath"),
    ({"op": "add", "path": "a b", "value": "x"}, "invalidPath"),
    ({"op": "add", "path": 3, "value": "x"}, "invalidPath"),
    ({"op": "add", "path": "emails.value", "value": "x"}, "invalidPath"),
    ({"op": "add", "path": 'title[value eq "x"]', "value": "x"}, "invalidPath"),
    ({"op": "add", "path": "title.x", "value": "x"}, "invalidPath"),
    ({"op": "replace", "value": {'emails[type eq "work"]': "x"}}, "invalidPath"),
    ({"op": "add", "path": "title"}, "invalidValue"),
    ({"op": "add", "value": "x"}, "invalidValue"),
    ({"op": "add", "value": ["x"]}, "invalidValue"),
    ({"op": "add", "path": 'emails[type eq "work"]', "value": "x"}, "invalidValue"),
    ({"op": "add", "path": ENT, "value": "x"}, "invalidValue"),
    ({"op": "move", "path": "title", "value": "x"}, "invalidSyntax"),
    ({"path": "title", "value": "x"}, "invalidSyntax"),
    ("add", "invalidSyntax"),
])
def test_malformed_operations(operation: Any, scim_type: str) -> None:
    detail = refused(scim_type, user(), operation)
    assert detail.startswith("Operations[0]: ")


def test_empty_or_non_list_operations() -> None:
    with pytest.raises(PatchError) as caught:
        apply_operations(user(), [])
    assert caught.value.scim_type == "invalidValue"
    with pytest.raises(PatchError) as caught:
        apply_operations(user(), {"op": "add"})  # type: ignore[arg-type]
    assert caught.value.scim_type == "invalidSyntax"


def test_error_names_the_failing_operation() -> None:
    detail = refused("mutability", user(), {"op": "add", "path": "title", "value": "x"},
                     {"op": "replace", "path": "id", "value": "x"})
    assert detail == "Operations[1]: id is read-only"


def test_input_is_not_mutated_and_output_shares_nothing() -> None:
    original, operations = user(), [{"op": "add", "path": "emails", "value": [{"type": "work", "value": "w@x"}]},
                                     {"op": "replace", "path": 'phoneNumbers[type eq "work"].value', "value": "+2"}]
    before, ops_before = copy.deepcopy(original), copy.deepcopy(operations)
    result = apply_operations(original, operations)
    assert original == before and operations == ops_before
    result["emails"][-1]["value"] = "changed"
    assert operations == ops_before


# -- property tests --------------------------------------------------------------------------------

JSON = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5)),
                    lambda inner: st.one_of(st.lists(inner, max_size=3),
                                            st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                    max_leaves=8)
PATHS = st.one_of(
    st.sampled_from(["title", "displayName", "active", "emails", "emails.value", 'emails[type eq "work"]',
                     'emails[type eq "work"].value', 'emails[value co "x"].type', "name.givenName", "members",
                     'members[value eq "u-1"]', "id", "meta.version", "groups", f"{ENT}:manager",
                     f"{ENT}:manager.value", ENT, f"{GEN}:routingSkills", CORE, "a[", "", "x y", "urn:x"]),
    st.text(max_size=12), st.integers())
OPERATIONS = st.fixed_dictionaries(
    {"op": st.one_of(st.sampled_from(["add", "Add", "replace", "Replace", "remove", "REMOVE", "move"]), JSON)},
    optional={"path": PATHS, "value": JSON})
RESOURCES = st.one_of(st.builds(user), st.builds(group),
                      st.dictionaries(st.sampled_from(["title", "emails", "name", "members", ENT, "schemas"]),
                                      JSON, max_size=4))


@settings(max_examples=500)
@given(RESOURCES, st.lists(st.one_of(OPERATIONS, JSON), max_size=4))
def test_random_operations_only_ever_raise_patch_error_and_never_mutate(
        resource: Dict[str, Any], operations: List[Any]) -> None:
    before, ops_before = copy.deepcopy(resource), copy.deepcopy(operations)
    try:
        result = apply_operations(resource, operations, read_only=read_only)
    except PatchError as error:
        assert error.scim_type in ("invalidPath", "noTarget", "invalidValue", "mutability", "invalidSyntax")
    else:
        assert isinstance(result, dict) and result is not resource
    assert resource == before and operations == ops_before
