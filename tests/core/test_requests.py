"""Every SCIMApi method sends exactly the official request and returns typed models (real loopback HTTP)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import pytest

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2 import __version__
from PureCloudPlatformClientV2.api_client import DEFAULT_USER_AGENT, ApiClient
from PureCloudPlatformClientV2.apis.scim_api import SCIMApi
from PureCloudPlatformClientV2.models import (
    Empty,
    Manager,
    PatchOperation,
    PatchRequest,
    ScimConfigResourceType,
    ScimConfigResourceTypeSchemaExtension,
    ScimEmail,
    ScimGenesysUserExternalId,
    ScimMetadata,
    ScimPhoneNumber,
    ScimServiceProviderConfigAuthenticationScheme,
    ScimServiceProviderConfigFilterFeature,
    ScimUserExtensions,
    ScimUserRole,
    ScimUserRoutingLanguage,
    ScimUserRoutingSkill,
    ScimV2CreateUser,
    ScimV2EnterpriseUser,
    ScimV2Group,
    ScimV2GroupReference,
    ScimV2MemberReference,
    ScimV2PatchOperation,
    ScimV2PatchRequest,
    ScimV2SchemaAttribute,
    ScimV2SchemaDefinition,
    ScimV2User,
)
from PureCloudPlatformClientV2.rest import ApiException

from ..servers import RecordedRequest, Reply, ScriptedServer
from .conftest import scripted

USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GENESYS = "urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User"
PATCH_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
LIST_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
BASE = "https://api.mypurecloud.com/api/v2/scim/v2"
TRANSPORT_HEADERS = {"host", "accept-encoding", "content-length", "connection"}
WHEN = "2024-05-06T07:08:09.123Z"

USER = {
    "schemas": [USER_URN, ENTERPRISE, GENESYS],
    "id": "u-1", "active": True, "userName": "jane@example.com", "displayName": "Jane Doe", "title": "Agent",
    "emails": [{"value": "jane@example.com", "type": "work", "primary": True}],
    "phoneNumbers": [{"value": "tel:+13175550123;ext=4567", "type": "mobile"}],
    "groups": [{"value": "g-1", "$ref": f"{BASE}/Groups/g-1", "type": "Group"}],
    "roles": [{"value": "employee"}],
    ENTERPRISE: {"division": "Home", "department": "Sales", "employeeNumber": "42", "dateHire": "2020-01-31",
                 "manager": {"value": "u-2", "$ref": f"{BASE}/Users/u-2"}},
    GENESYS: {"routingSkills": [{"name": "Billing", "proficiency": 4.5}],
              "routingLanguages": [{"name": "French", "proficiency": 3}],
              "externalIds": [{"authority": "hr", "value": "E-7"}]},
    "meta": {"resourceType": "User", "lastModified": WHEN, "location": f"{BASE}/Users/u-1", "version": 'W/"5"'},
}
GROUP = {
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "g-1", "displayName": "Sales",
    "members": [{"value": "u-1", "$ref": f"{BASE}/Users/u-1", "type": "User"}],
    "meta": {"resourceType": "Group", "lastModified": WHEN, "location": f"{BASE}/Groups/g-1", "version": 'W/"2"'},
}
SERVICE_PROVIDER_CONFIG = {
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
    "patch": {"supported": True}, "filter": {"supported": True, "maxResults": 25}, "etag": {"supported": True},
    "sort": {"supported": False}, "changePassword": {"supported": True},
    "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
    "authenticationSchemes": [{"name": "OAuth Bearer Token", "type": "oauthbearertoken", "primary": True}],
    "meta": {"resourceType": "ServiceProviderConfig", "lastModified": WHEN},
}
RESOURCE_TYPE = {
    "id": "User", "name": "User", "endpoint": "/Users", "schema": USER_URN,
    "schemaExtensions": [{"schema": ENTERPRISE, "required": False}, {"schema": GENESYS, "required": False}],
    "meta": {"resourceType": "ResourceType", "location": f"{BASE}/ResourceTypes/User"},
}
SCHEMA = {
    "id": USER_URN, "name": "User",
    "attributes": [{"name": "emails", "type": "complex", "multiValued": True, "mutability": "readWrite",
                    "subAttributes": [{"name": "value", "type": "string", "caseExact": False}]}],
}


def page(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [LIST_URN], "totalResults": len(resources), "startIndex": 1,
            "itemsPerPage": len(resources), "Resources": list(resources)}


NEW_USER = ScimV2CreateUser(
    user_name="a+b@example.com", display_name="A B", password="S3cret!pass", active=True,
    emails=[ScimEmail(value="a+b@example.com", type="work", primary=True)],
    phone_numbers=[ScimPhoneNumber(value="+13175550123", type="work")],
    urnietfparamsscimschemasextensionenterprise2_0_user=ScimV2EnterpriseUser(
        division="Home", manager=Manager(value="u-2")),
    urnietfparamsscimschemasextensiongenesyspurecloud2_0_user=ScimUserExtensions(
        routing_skills=[ScimUserRoutingSkill(name="Billing", proficiency=4.5)],
        routing_languages=[ScimUserRoutingLanguage(name="French", proficiency=3)],
        external_ids=[ScimGenesysUserExternalId(authority="hr", value="E-7")]),
)
NEW_USER_WIRE = {
    "userName": "a+b@example.com", "displayName": "A B", "password": "S3cret!pass", "active": True,
    "emails": [{"value": "a+b@example.com", "type": "work", "primary": True}],
    "phoneNumbers": [{"value": "+13175550123", "type": "work"}],
    ENTERPRISE: {"division": "Home", "manager": {"value": "u-2"}},
    GENESYS: {"routingSkills": [{"name": "Billing", "proficiency": 4.5}],
              "routingLanguages": [{"name": "French", "proficiency": 3}],
              "externalIds": [{"authority": "hr", "value": "E-7"}]},
}
REPLACED_USER = ScimV2User(
    id="u-1", user_name="jane@example.com", display_name="Jane Roe", active=False, title=None,
    groups=[ScimV2GroupReference(value="g-1", ref=f"{BASE}/Groups/g-1")], roles=[ScimUserRole(value="employee")],
    meta=ScimMetadata(last_modified=dt.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=dt.timezone.utc)),
)
REPLACED_USER_WIRE = {
    "id": "u-1", "userName": "jane@example.com", "displayName": "Jane Roe", "active": False,
    "groups": [{"value": "g-1", "$ref": f"{BASE}/Groups/g-1"}], "roles": [{"value": "employee"}],
    "meta": {"lastModified": WHEN},
}
USER_PATCH = ScimV2PatchRequest(schemas=[PATCH_URN], operations=[
    ScimV2PatchOperation(op="replace", path="active", value=False),
    ScimV2PatchOperation(op="add", path=f"{ENTERPRISE}:department", value="Sales"),
])
USER_PATCH_WIRE = {"schemas": [PATCH_URN], "Operations": [
    {"op": "replace", "path": "active", "value": False},
    {"op": "add", "path": f"{ENTERPRISE}:department", "value": "Sales"},
]}
GROUP_PATCH_WIRE = {"schemas": [PATCH_URN], "Operations": [
    {"op": "add", "path": "members", "value": [{"value": "u-1"}]},
    {"op": "remove", "path": 'members[value eq "u-9"]'},
]}
MEMBERS = ScimV2Group(display_name="Sales", members=[ScimV2MemberReference(value="u-1", type="User",
                                                                           ref=f"{BASE}/Users/u-1")])
MEMBERS_WIRE = {"displayName": "Sales", "members": [{"value": "u-1", "type": "User", "$ref": f"{BASE}/Users/u-1"}]}
USER_TYPES = {"emails.0": ScimEmail, "phone_numbers.0": ScimPhoneNumber, "groups.0": ScimV2GroupReference,
              "urnietfparamsscimschemasextensionenterprise2_0_user.manager": Manager,
              "urnietfparamsscimschemasextensiongenesyspurecloud2_0_user.routing_skills.0": ScimUserRoutingSkill,
              "meta": ScimMetadata, "meta.last_modified": dt.datetime}


@dataclass
class Case:
    """One v2 call; its `/api/v2/scim/...` twin (the name without `_v2`) must send the same."""

    method: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    verb: str
    path: str  # after the prefix, percent-encoded as sent
    query: str  # the exact raw query string
    reply: Reply
    returns: type
    nested: dict[str, type] = field(default_factory=dict)
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


CASES = [
    Case("get_scim_v2_users", ('userName eq "a+b@x.com"',), {"count": 5, "attributes": ["userName", "emails"]},
         "GET", "/users", "filter=userName%20eq%20%22a%2Bb%40x.com%22&count=5&attributes=userName%2Cemails",
         Reply.json(page(USER)), PureCloudPlatformClientV2.ScimUserListResponse,
         {"resources.0": ScimV2User, **{f"resources.0.{k}": v for k, v in USER_TYPES.items()}}),
    Case("get_scim_v2_user", ("a/b c?#%",), {"excluded_attributes": ["groups", "roles"], "if_none_match": 'W/"4"'},
         "GET", "/users/a%2Fb%20c%3F%23%25", "excludedAttributes=groups%2Croles", Reply.json(USER), ScimV2User,
         USER_TYPES, headers={"if-none-match": 'W/"4"'}),
    Case("post_scim_v2_users", (NEW_USER,), {}, "POST", "/users", "", Reply.json(USER, 201), ScimV2User,
         USER_TYPES, body=NEW_USER_WIRE),
    Case("put_scim_v2_user", ("u-1", REPLACED_USER), {"if_match": 'W/"5"'}, "PUT", "/users/u-1", "",
         Reply.json(USER), ScimV2User, USER_TYPES, body=REPLACED_USER_WIRE, headers={"if-match": 'W/"5"'}),
    Case("patch_scim_v2_user", ("u-1", USER_PATCH), {}, "PATCH", "/users/u-1", "", Reply.json(USER), ScimV2User,
         USER_TYPES, body=USER_PATCH_WIRE),
    Case("delete_scim_v2_user", ("u-1",), {"if_match": 'W/"5"'}, "DELETE", "/users/u-1", "", Reply(204), Empty,
         headers={"if-match": 'W/"5"'}),
    Case("get_scim_v2_groups", (), {"filter": 'displayName eq "Sales & Support"', "start_index": 26, "count": 25},
         "GET", "/groups", "filter=displayName%20eq%20%22Sales%20%26%20Support%22&startIndex=26&count=25",
         Reply.json(page(GROUP)), PureCloudPlatformClientV2.ScimGroupListResponse,
         {"resources.0": ScimV2Group, "resources.0.members.0": ScimV2MemberReference,
          "resources.0.meta.last_modified": dt.datetime}),
    Case("get_scim_v2_group", ("g 1",), {"attributes": ["displayName"], "if_none_match": '"2"'}, "GET",
         "/groups/g%201", "attributes=displayName", Reply.json(GROUP), ScimV2Group,
         {"members.0": ScimV2MemberReference, "meta": ScimMetadata}, headers={"if-none-match": '"2"'}),
    Case("put_scim_v2_group", ("g-1", MEMBERS), {"if_match": '"2"'}, "PUT", "/groups/g-1", "", Reply.json(GROUP),
         ScimV2Group, {"members.0": ScimV2MemberReference}, body=MEMBERS_WIRE, headers={"if-match": '"2"'}),
    Case("patch_scim_v2_group", ("g-1", GROUP_PATCH_WIRE), {}, "PATCH", "/groups/g-1", "", Reply.json(GROUP),
         ScimV2Group, {"members.0": ScimV2MemberReference}, body=GROUP_PATCH_WIRE),
    Case("get_scim_v2_serviceproviderconfig", (), {"if_none_match": '"1"'}, "GET", "/serviceproviderconfig", "",
         Reply.json(SERVICE_PROVIDER_CONFIG), PureCloudPlatformClientV2.ScimServiceProviderConfig,
         {"filter": ScimServiceProviderConfigFilterFeature, "filter.max_results": int,
          "authentication_schemes.0": ScimServiceProviderConfigAuthenticationScheme,
          "meta.last_modified": dt.datetime}, headers={"if-none-match": '"1"'}),
    Case("get_scim_v2_resourcetypes", (), {}, "GET", "/resourcetypes", "", Reply.json(page(RESOURCE_TYPE)),
         PureCloudPlatformClientV2.ScimConfigResourceTypesListResponse,
         {"resources.0": ScimConfigResourceType,
          "resources.0.schema_extensions.1": ScimConfigResourceTypeSchemaExtension}),
    Case("get_scim_v2_resourcetype", ("User",), {}, "GET", "/resourcetypes/User", "", Reply.json(RESOURCE_TYPE),
         ScimConfigResourceType, {"schema_extensions.0": ScimConfigResourceTypeSchemaExtension, "meta": ScimMetadata}),
    Case("get_scim_v2_schemas", (), {"filter": 'name eq "User"'}, "GET", "/schemas",
         "filter=name%20eq%20%22User%22", Reply.json(page(SCHEMA)), PureCloudPlatformClientV2.ScimV2SchemaListResponse,
         {"resources.0": ScimV2SchemaDefinition, "resources.0.attributes.0.sub_attributes.0": ScimV2SchemaAttribute}),
    Case("get_scim_v2_schema", (USER_URN,), {}, "GET",
         "/schemas/urn%3Aietf%3Aparams%3Ascim%3Aschemas%3Acore%3A2.0%3AUser", "", Reply.json(SCHEMA),
         ScimV2SchemaDefinition, {"attributes.0": ScimV2SchemaAttribute}),
]
PREFIXES = {"v2": "/api/v2/scim/v2", "legacy": "/api/v2/scim"}


def dig(value: Any, path: str) -> Any:
    """`resources.0.emails.0` -> value.resources[0].emails[0]."""
    for part in path.split("."):
        value = value[int(part)] if part.isdigit() else getattr(value, part)
    return value


def sdk_headers(request: RecordedRequest) -> dict[str, str]:
    """The headers the SDK chose (lower-cased names), without those urllib3 adds itself."""
    return {k.lower(): v for k, v in request.headers.items() if k.lower() not in TRANSPORT_HEADERS}


def test_the_table_covers_every_method() -> None:
    names = {case.method for case in CASES} | {case.method.replace("_v2", "") for case in CASES}
    assert names == {name for name in vars(SCIMApi) if not name.startswith("_")}


@pytest.mark.parametrize("prefix", sorted(PREFIXES))
@pytest.mark.parametrize("case", CASES, ids=[case.method for case in CASES])
def test_method_sends_the_exact_request_and_returns_typed_models(server: ScriptedServer, api: SCIMApi, case: Case,
                                                                 prefix: str) -> None:
    server.reply(case.reply)
    name = case.method if prefix == "v2" else case.method.replace("_v2", "")
    result = getattr(api, name)(*case.args, **case.kwargs)

    (sent,) = server.requests
    assert sent.method == case.verb
    assert sent.path == PREFIXES[prefix] + case.path
    assert sent.raw_query == case.query
    expected = {"authorization": "Bearer test-token", "accept": "application/json",
                "user-agent": DEFAULT_USER_AGENT, "purecloud-sdk": __version__, **case.headers}
    if case.body is not None:
        expected["content-type"] = "application/json"
    assert sdk_headers(sent) == expected
    assert (sent.json() if sent.body else None) == case.body
    assert type(result) is case.returns
    for path, kind in case.nested.items():
        found = dig(result, path)
        assert type(found) is kind, path
        assert kind is not dt.datetime or found.utcoffset() == dt.timedelta(0)


def patch_request_body() -> PatchRequest:
    return PatchRequest(schemas=[PATCH_URN], operations=[
        PatchOperation(op="add", path="members", value=[{"value": "u-1"}]),
        PatchOperation(op="remove", path='members[value eq "u-9"]')])


def scim_v2_patch_request_body() -> ScimV2PatchRequest:
    request = ScimV2PatchRequest()  # the official style: no-argument constructor, then attributes
    request.schemas = [PATCH_URN]
    first, second = ScimV2PatchOperation(), ScimV2PatchOperation()
    first.op, first.path, first.value = "add", "members", [{"value": "u-1"}]
    second.op, second.path = "remove", 'members[value eq "u-9"]'
    request.operations = [first, second]
    return request


@pytest.mark.parametrize("method", ["patch_scim_group", "patch_scim_v2_group"])
@pytest.mark.parametrize("make_body", [patch_request_body, scim_v2_patch_request_body, lambda: GROUP_PATCH_WIRE],
                         ids=["PatchRequest", "ScimV2PatchRequest", "dict"])
def test_group_patch_accepts_every_patch_body_form(server: ScriptedServer, api: SCIMApi, method: str,
                                                   make_body: Any) -> None:
    server.reply(Reply.json(GROUP))
    group = getattr(api, method)("g-1", make_body())
    assert server.requests[0].json() == GROUP_PATCH_WIRE
    assert isinstance(group, ScimV2Group) and group.members[0].value == "u-1"


def test_a_user_read_then_written_back_is_sent_unchanged(server: ScriptedServer, api: SCIMApi) -> None:
    stored = {**USER, "urn:example:custom:1.0:User": {"badge": 7}, "nickName": "JD"}  # not in the model
    server.reply(Reply.json(stored), Reply.json(stored))
    user = api.get_scim_v2_user("u-1")
    api.put_scim_v2_user(user.id, user, if_match=user.meta.version)
    assert server.requests[1].json() == stored
    assert server.requests[1].header("If-Match") == 'W/"5"'


def test_per_call_headers_win_over_default_headers(server: ScriptedServer, client: ApiClient) -> None:
    client.set_default_header("If-Match", "x")
    client.set_default_header("X-Tenant", "blue")
    api = SCIMApi(client)
    api.put_scim_v2_user("u-1", ScimV2User(user_name="a@b.c"), if_match='"5"')
    api.get_scim_v2_user("u-1")
    assert [r.header("If-Match") for r in server.requests] == ['"5"', "x"]
    assert [r.header("X-Tenant") for r in server.requests] == ["blue", "blue"]


def test_host_and_token_are_read_from_configuration_at_call_time(server: ScriptedServer, fresh_configuration) -> None:
    config = PureCloudPlatformClientV2.configuration
    config.access_token = "configured-token"
    with scripted() as other, ApiClient() as client:
        api = SCIMApi(client)
        for target in (server, other):
            config.host = target.url + "/"
            api.get_scim_v2_user("u-1")
    for target in (server, other):
        (sent,) = target.requests
        assert (sent.path, sent.header("Authorization")) == ("/api/v2/scim/v2/users/u-1", "Bearer configured-token")


def test_default_scimapi_uses_the_configuration(server: ScriptedServer, fresh_configuration) -> None:
    PureCloudPlatformClientV2.configuration.host = server.url
    PureCloudPlatformClientV2.configuration.access_token = "configured-token"
    server.reply(Reply.json(USER))
    api = PureCloudPlatformClientV2.SCIMApi()
    user = api.get_scim_v2_user("u-1")
    api.api_client.close()  # before the server stops (the configuration's client outlives this test's fixtures)
    assert user.user_name == "jane@example.com"
    assert server.requests[0].header("Authorization") == "Bearer configured-token"


class ResponseLike:
    """What the official deserialize() reads: .data, .status, .getheader(), .getheaders()."""

    def __init__(self, data: Any, status: int = 200) -> None:
        self.data, self.status = json.dumps(data), status
        self._headers = {"Content-Type": "application/scim+json"}

    def getheader(self, name: str, default: str | None = None) -> str | None:
        return self._headers.get(name, default)

    def getheaders(self) -> dict[str, str]:
        return dict(self._headers)


@pytest.mark.parametrize(("data", "type_name", "path", "kind"), [
    (USER, "ScimV2User", "emails.0", ScimEmail),
    (page(USER), "ScimUserListResponse", "resources.0.meta.last_modified", dt.datetime),
    ([USER["emails"][0]], "list[ScimEmail]", "0", ScimEmail),
])
def test_deserialize_a_response_like_object(data: Any, type_name: str, path: str, kind: type) -> None:
    result = ApiClient().deserialize(ResponseLike(data), type_name)
    assert type(dig(result, path)) is kind


def test_sanitize_for_serialization_gives_the_wire_form() -> None:
    client = ApiClient()
    assert client.sanitize_for_serialization(NEW_USER) == NEW_USER_WIRE
    assert client.sanitize_for_serialization(REPLACED_USER) == REPLACED_USER_WIRE
    mixed = [MEMBERS, {"when": dt.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=dt.timezone.utc)}, None, 3]
    assert client.sanitize_for_serialization(mixed) == [MEMBERS_WIRE, {"when": WHEN}, None, 3]


def test_call_api_reads_and_returns_data_only(server: ScriptedServer, client: ApiClient) -> None:
    server.reply(Reply.json(USER))
    user = client.call_api("/api/v2/scim/v2/users/{userId}", "GET", path_params={"userId": "a b"},
                           query_params=[("attributes", "userName")], header_params={"If-None-Match": '"1"'},
                           response_type="ScimV2User", auth_settings=["PureCloud OAuth"],
                           _return_http_data_only=True)
    (sent,) = server.requests
    assert sent.target == "/api/v2/scim/v2/users/a%20b?attributes=userName"
    assert (sent.header("If-None-Match"), sent.header("Authorization")) == ('"1"', "Bearer test-token")
    assert type(user) is ScimV2User and user.emails[0].type == "work"


def test_call_api_sends_a_body_and_can_return_status_and_headers(server: ScriptedServer, client: ApiClient) -> None:
    server.reply(Reply.json(USER, 201, {"ININ-Correlation-Id": "c-1"}))
    user, status, headers = client.call_api("/api/v2/scim/v2/users", "POST", body=NEW_USER,
                                            response_type="ScimV2User", _return_http_data_only=False)
    assert server.requests[0].json() == NEW_USER_WIRE
    assert (type(user), status, headers["ININ-Correlation-Id"]) == (ScimV2User, 201, "c-1")


def test_client_credentials_token_is_fetched_and_used(server: ScriptedServer) -> None:
    server.reply(Reply.json({"access_token": "tok-1", "token_type": "bearer", "expires_in": 86399}),
                 Reply.json(USER))
    with ApiClient(host=server.url) as client:
        assert client.get_client_credentials_token("my-id", "my-secret") is client
        SCIMApi(client).get_scim_v2_user("u-1")
    token_request, call = server.requests
    assert (token_request.method, token_request.target) == ("POST", "/oauth/token")
    assert token_request.header("Authorization") == "Basic " + base64.b64encode(b"my-id:my-secret").decode()
    assert token_request.header("Content-Type") == "application/x-www-form-urlencoded"
    assert token_request.body == b"grant_type=client_credentials"
    assert call.header("Authorization") == "Bearer tok-1"


@pytest.mark.parametrize("via_configuration", [False, True], ids=["client-host", "configuration-host"])
@pytest.mark.parametrize(("host", "login"), [
    ("https://api.mypurecloud.ie", "https://login.mypurecloud.ie"),
    ("https://api.usw2.pure.cloud/", "https://login.usw2.pure.cloud"),
    ("http://127.0.0.1:8999", "http://127.0.0.1:8999"),
])
def test_login_host(host: str, login: str, via_configuration: bool, fresh_configuration) -> None:
    if via_configuration:
        PureCloudPlatformClientV2.configuration.host = host
    client = ApiClient() if via_configuration else ApiClient(host=host)
    assert client.login_host() == login


UTC = dt.timezone.utc


@pytest.mark.parametrize(("sent", "parsed", "written"), [
    (WHEN, dt.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=UTC), WHEN),
    ("2024-05-06T09:08:09.123+02:00", dt.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=UTC), WHEN),
    ("2024-05-06T07:08:09Z", dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC), "2024-05-06T07:08:09.000Z"),
])
def test_datetimes_are_aware_and_written_as_utc_milliseconds(sent: str, parsed: dt.datetime, written: str) -> None:
    meta = ScimMetadata.from_wire({"lastModified": sent})
    assert meta.last_modified == parsed and meta.last_modified.utcoffset() is not None  # same instant, aware
    assert meta.to_wire() == {"lastModified": written}


@pytest.mark.parametrize("status", [400, 401, 404, 409, 429, 500])
def test_error_statuses_raise_api_exception_with_the_response(server: ScriptedServer, client: ApiClient,
                                                              status: int) -> None:
    error = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": str(status), "detail": "no"}
    api = SCIMApi(client.with_options(max_retries=0))  # one answer per call, even for 429
    server.reply(Reply.json(error, status, {"ININ-Correlation-Id": "c-9"}))
    with pytest.raises(ApiException) as raised:
        api.get_scim_v2_user("u-1", if_none_match='"1"')
    assert (raised.value.status, json.loads(raised.value.body)) == (status, error)
    assert raised.value.headers["ININ-Correlation-Id"] == "c-9"
    assert len(server.requests) == 1


def test_a_response_of_the_wrong_shape_raises_naming_the_field(server: ScriptedServer, api: SCIMApi) -> None:
    server.reply(Reply.json({**USER, "emails": [{"value": 5}]}))
    with pytest.raises(ApiException) as raised:
        api.get_scim_v2_user("u-1")
    assert raised.value.status == 200
    assert "ScimV2User.emails[0].value" in str(raised.value)
