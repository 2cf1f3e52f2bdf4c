"""Code written as the official SDK docs show it calls all 30 SCIMApi methods; runs against the local Sandbox."""

from __future__ import annotations

import ast
import inspect
from typing import Any, Iterator

import pytest

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2.rest import ApiException
from PureCloudPlatformClientV2.sandbox import Sandbox

pytestmark = pytest.mark.usefixtures("fresh_configuration")  # these tests set the configuration on purpose

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """An in-process sandbox; the default client (what `SCIMApi()` uses) reaches it without a socket."""
    with Sandbox(serve=False) as running:
        PureCloudPlatformClientV2.configuration.api_client.set_http_client(running.transport())
        yield running


def new_user(user_name: str, display_name: str) -> PureCloudPlatformClientV2.ScimV2CreateUser:
    body = PureCloudPlatformClientV2.ScimV2CreateUser()
    body.user_name = user_name
    body.display_name = display_name
    email = PureCloudPlatformClientV2.ScimEmail()
    email.value = user_name
    email.type = "work"
    email.primary = True
    body.emails = [email]
    enterprise = PureCloudPlatformClientV2.ScimV2EnterpriseUser()
    enterprise.department = "Sales"
    body.urnietfparamsscimschemasextensionenterprise2_0_user = enterprise
    return body


def patch_body(request_class: Any, operation_class: Any, op: str, path: str, value: Any) -> Any:
    body = request_class()
    body.schemas = [PATCH_OP]
    operation = operation_class()
    operation.op = op
    operation.path = path
    operation.value = value
    body.operations = [operation]
    return body


def test_the_documented_style_drives_every_method(sandbox: Sandbox) -> None:
    # Configure OAuth2 access token for authorization: PureCloud OAuth
    PureCloudPlatformClientV2.configuration.access_token = sandbox.token
    PureCloudPlatformClientV2.configuration.host = sandbox.url

    # create an instance of the API class
    api_instance = PureCloudPlatformClientV2.SCIMApi()

    try:
        # Get SCIM Configuration
        config_v2 = api_instance.get_scim_v2_serviceproviderconfig()
        config = api_instance.get_scim_serviceproviderconfig()
        # Get the types of resources available
        types_v2 = api_instance.get_scim_v2_resourcetypes()
        types = api_instance.get_scim_resourcetypes()
        user_type = api_instance.get_scim_v2_resourcetype("User")
        group_type = api_instance.get_scim_resourcetype("Group")
        # Get the SCIM schemas
        schemas_v2 = api_instance.get_scim_v2_schemas()
        schemas = api_instance.get_scim_schemas()
        user_schema = api_instance.get_scim_v2_schema(USER_SCHEMA)
        group_schema = api_instance.get_scim_schema(GROUP_SCHEMA)

        # Create user
        jane = api_instance.post_scim_v2_users(new_user("jane.doe@example.com", "Jane Doe"))
        john = api_instance.post_scim_users(new_user("john.roe@example.com", "John Roe"))

        # Query Users
        found = api_instance.get_scim_v2_users('userName eq "jane.doe@example.com"')
        found_legacy = api_instance.get_scim_users(filter='userName eq "john.roe@example.com"', count=10)

        # Return User with specified ID
        jane = api_instance.get_scim_v2_user(jane.id)
        john = api_instance.get_scim_user(john.id, excluded_attributes=["groups"])

        # Update user with specified ID
        jane.title = "Team Lead"
        jane = api_instance.put_scim_v2_user(jane.id, jane, if_match=jane.meta.version)
        john.title = "Agent"
        john = api_instance.put_scim_user(john.id, john)

        # Patch user with specified ID
        jane = api_instance.patch_scim_v2_user(jane.id, patch_body(
            PureCloudPlatformClientV2.ScimV2PatchRequest, PureCloudPlatformClientV2.ScimV2PatchOperation,
            "replace", "displayName", "Jane Q. Doe"))
        john = api_instance.patch_scim_user(john.id, patch_body(
            PureCloudPlatformClientV2.ScimV2PatchRequest, PureCloudPlatformClientV2.ScimV2PatchOperation,
            "replace", "title", "Senior Agent"), if_match=john.meta.version)

        # Query Groups
        sales = api_instance.get_scim_v2_groups('displayName eq "Sales"').resources[0]
        support = api_instance.get_scim_groups(filter='displayName eq "Support"').resources[0]

        # Return Group with specified ID
        sales = api_instance.get_scim_v2_group(sales.id)
        support = api_instance.get_scim_group(support.id)

        # Update Group with specified ID
        sales = api_instance.patch_scim_v2_group(sales.id, patch_body(
            PureCloudPlatformClientV2.PatchRequest, PureCloudPlatformClientV2.PatchOperation,
            "add", "members", [{"value": jane.id}]))
        support = api_instance.patch_scim_group(support.id, patch_body(
            PureCloudPlatformClientV2.ScimV2PatchRequest, PureCloudPlatformClientV2.ScimV2PatchOperation,
            "add", "members", [{"value": john.id}]))
        member = PureCloudPlatformClientV2.ScimV2MemberReference()
        member.value = john.id
        sales.members.append(member)
        sales = api_instance.put_scim_v2_group(sales.id, sales, if_match=sales.meta.version)
        support.members = []
        support = api_instance.put_scim_group(support.id, support)

        # Soft delete user with specified ID
        john_deleted = api_instance.delete_scim_v2_user(john.id)
        jane_deleted = api_instance.delete_scim_user(jane.id, if_match=jane.meta.version)
    except ApiException as e:
        pytest.fail("Exception when calling SCIMApi: %s\n" % e)

    try:
        api_instance.get_scim_v2_user(jane.id)
        pytest.fail("a deleted user was returned")
    except ApiException as e:
        assert e.status == 404

    assert config_v2.patch.supported is True and config.etag.supported is True
    assert {t.name for t in types_v2.resources} >= {"User", "Group"} and types.total_results == types_v2.total_results
    assert (user_type.schema, group_type.schema) == (USER_SCHEMA, GROUP_SCHEMA)
    assert {USER_SCHEMA, GROUP_SCHEMA} <= {s.id for s in schemas_v2.resources} == {s.id for s in schemas.resources}
    assert (user_schema.id, group_schema.id) == (USER_SCHEMA, GROUP_SCHEMA)
    assert "userName" in {a.name for a in user_schema.attributes}
    assert [u.user_name for u in found.resources] == ["jane.doe@example.com"] and found.total_results == 1
    assert [u.id for u in found_legacy.resources] == [john.id]
    assert (jane.display_name, jane.title) == ("Jane Q. Doe", "Team Lead")
    assert (john.display_name, john.title) == ("John Roe", "Senior Agent")
    assert isinstance(jane.emails[0], PureCloudPlatformClientV2.ScimEmail) and jane.emails[0].type == "work"
    assert jane.urnietfparamsscimschemasextensionenterprise2_0_user.department == "Sales"
    assert jane.meta.last_modified.tzinfo is not None
    assert {m.value for m in sales.members} >= {jane.id, john.id}
    assert not support.members
    assert isinstance(john_deleted, PureCloudPlatformClientV2.Empty)
    assert isinstance(jane_deleted, PureCloudPlatformClientV2.Empty)


def test_a_current_version_is_reported_as_not_modified(sandbox: Sandbox) -> None:
    PureCloudPlatformClientV2.configuration.access_token = sandbox.token
    PureCloudPlatformClientV2.configuration.host = sandbox.url
    api_instance = PureCloudPlatformClientV2.SCIMApi()
    config = api_instance.get_scim_v2_serviceproviderconfig()
    group = api_instance.get_scim_v2_groups('displayName eq "Sales"').resources[0]
    try:
        api_instance.get_scim_v2_group(group.id, if_none_match=group.meta.version)
        pytest.fail("an unchanged group was returned again")
    except ApiException as e:
        assert e.status == 304
    assert config.etag.supported is True


def test_the_script_calls_all_30_methods() -> None:
    source = inspect.getsource(test_the_documented_style_drives_every_method)
    called = {node.func.attr for node in ast.walk(ast.parse(source))
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and isinstance(node.func.value, ast.Name) and node.func.value.id == "api_instance"}
    assert called == {name for name in vars(PureCloudPlatformClientV2.SCIMApi) if not name.startswith("_")}
