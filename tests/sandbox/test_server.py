"""The sandbox over real HTTP: users, groups, lists, filters, PATCH, ETags, routes, auth and OAuth."""

from __future__ import annotations

import http.client
import json
import uuid
from typing import Any

import pytest

from PureCloudPlatformClientV2.sandbox import Sandbox

from .conftest import ENTERPRISE, GENESYS, Http, user_body

SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


def scim_error(response: Any, status: int, scim_type: str | None = None) -> dict[str, Any]:
    assert response.status == status, response.data
    body = response.json()
    assert body["schemas"] == [SCIM_ERROR] and body["status"] == str(status)  # status is a string
    if scim_type:
        assert body["scimType"] == scim_type
    return body  # type: ignore[no-any-return]


def error_body(response: Any, status: int) -> dict[str, Any]:
    assert response.status == status, response.data
    body = response.json()
    assert set(body) >= {"message", "code", "status", "contextId", "details", "errors"}
    assert body["status"] == status  # an integer in Genesys' ErrorBody
    return body  # type: ignore[no-any-return]


# -- users: create, read, replace -----------------------------------------------------------
def test_create_answers_201_with_location_etag_and_the_user(http: Http) -> None:
    response = http.post("/users", user_body(title="Agent", roles=[{"value": "Agent"}]))
    assert response.status == 201
    user = response.json()
    assert response.headers["Location"] == user["meta"]["location"]
    assert response.headers["ETag"] == '"1"' and user["meta"]["version"] == "1"
    assert user["meta"]["resourceType"] == "User" and user["meta"]["lastModified"].endswith("Z")
    assert uuid.UUID(user["id"]) and user["active"] is True and user["title"] == "Agent"
    assert http.get(f"/users/{user['id']}").json() == user


@pytest.mark.parametrize("missing", ["userName", "displayName"])
def test_create_requires_username_and_displayname(http: Http, missing: str) -> None:
    body = user_body()
    del body[missing]
    assert missing in scim_error(http.post("/users", body), 400, "invalidValue")["detail"]


def test_username_must_be_an_email_unless_lenient(http: Http) -> None:
    scim_error(http.post("/users", user_body(userName="not-an-email")), 400, "invalidValue")
    with Sandbox(lenient_usernames=True) as lenient:
        assert Http(lenient).post("/users", user_body(userName=str(uuid.uuid4()))).status == 201


def test_duplicate_username_is_409_uniqueness_ignoring_case(http: Http) -> None:
    http.create_user(userName="Dup@Example.com")
    scim_error(http.post("/users", user_body(userName="dup@example.COM")), 409, "uniqueness")
    other = http.create_user()
    scim_error(http.put(f"/users/{other['id']}", user_body(userName="dup@example.com")), 409, "uniqueness")


def test_get_unknown_user_is_404(http: Http) -> None:
    scim_error(http.get(f"/users/{uuid.uuid4()}"), 404)


def test_put_is_a_full_replace(http: Http) -> None:
    user = http.create_user(title="Agent", roles=[{"value": "Agent"}], externalId="x1")
    response = http.put(f"/users/{user['id']}", {"userName": user["userName"], "displayName": "Renamed"})
    replaced = response.json()
    assert response.status == 200 and response.headers["ETag"] == '"2"'
    assert replaced["displayName"] == "Renamed" and replaced["id"] == user["id"]
    assert "title" not in replaced and "roles" not in replaced and "externalId" not in replaced


def test_read_only_attributes_are_ignored_on_write(http: Http) -> None:
    sales = http.group_id("Sales")
    user = http.create_user(id="mine", meta={"version": "99"}, groups=[{"value": sales}],
                            emails=[{"type": "other", "value": "spoof@example.com"}])
    assert user["id"] != "mine" and user["meta"]["version"] == "1" and "groups" not in user
    assert user["emails"] == [{"value": user["userName"], "type": "other"}]  # mirrors userName


def test_password_is_accepted_and_never_returned(http: Http) -> None:
    user = http.create_user(password="S3cret!pass")
    assert "password" not in user
    assert b"S3cret" not in http.get(f"/users/{user['id']}").data
    assert b"S3cret" not in http.get("/users").data
    patched = http.patch(f"/users/{user['id']}", [{"op": "replace", "path": "password", "value": "N3w!pass"}])
    assert patched.status == 200 and "password" not in patched.json()


@pytest.mark.parametrize("attributes", [
    {"roles": [{"value": "Astronaut"}]},
    {GENESYS: {"routingSkills": [{"name": "Juggling", "proficiency": 3}]}},
    {GENESYS: {"routingSkills": [{"name": "sales", "proficiency": 3}]}},  # skill names are case-sensitive
    {GENESYS: {"routingLanguages": [{"name": "Klingon", "proficiency": 3}]}},
    {GENESYS: {"routingSkills": [{"name": "Sales", "proficiency": 7}]}},
    {ENTERPRISE: {"division": "Atlantis"}},
    {ENTERPRISE: {"manager": {"value": "no-such-user"}}},
    {ENTERPRISE: {"dateHire": "last tuesday"}},
    {"emails": [{"type": "home", "value": "a@b.com"}]},
    {"phoneNumbers": [{"type": "fax", "value": "+1"}]},
    {"active": "maybe"},
])
def test_invalid_values_are_400_invalid_value(http: Http, attributes: dict[str, Any]) -> None:
    scim_error(http.post("/users", user_body(**attributes)), 400, "invalidValue")


def test_a_full_genesys_user_round_trips(http: Http) -> None:
    boss = http.create_user()
    user = http.create_user(
        roles=[{"value": "agent"}], externalId="Ext-1", phoneNumbers=[{"type": "mobile", "value": "+13175550100"}],
        emails=[{"type": "work", "value": "work@example.com", "primary": True}], name={"givenName": "ignored"},
        **{ENTERPRISE: {"division": "emea", "department": "Care", "employeeNumber": "E1",
                        "dateHire": "2020-02-03T10:00:00Z", "manager": boss["id"]},
           GENESYS: {"routingSkills": [{"name": "Sales", "proficiency": 4.5}],
                     "routingLanguages": [{"name": "French", "proficiency": 2}],
                     "externalIds": [{"authority": "hr", "value": "42"}]}})
    assert user["roles"] == [{"value": "Agent"}]  # role and division names take the catalog's spelling
    assert "name" not in user  # Genesys has no name attribute
    assert user[ENTERPRISE]["division"] == "EMEA" and user[ENTERPRISE]["dateHire"] == "2020-02-03"
    assert user[ENTERPRISE]["manager"]["value"] == boss["id"]
    assert user[ENTERPRISE]["manager"]["$ref"].endswith(f"/users/{boss['id']}")
    assert user[GENESYS]["routingSkills"] == [{"name": "Sales", "proficiency": 4.5}]
    assert {"authority": "x-pc:scimv2:v1", "value": "Ext-1"} in user[GENESYS]["externalIds"]
    assert set(user["schemas"]) == {"urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE, GENESYS}


def test_a_user_cannot_manage_themselves(http: Http) -> None:
    user = http.create_user()
    response = http.patch(f"/users/{user['id']}", [{"op": "add", "path": f"{ENTERPRISE}:manager",
                                                    "value": {"value": user["id"]}}])
    scim_error(response, 400, "invalidValue")


# -- soft delete and revival ---------------------------------------------------------------------
def test_delete_is_soft_and_hides_the_user(http: Http) -> None:
    user = http.create_user()
    response = http.delete(f"/users/{user['id']}")
    assert response.status == 204 and response.data == b""
    scim_error(http.get(f"/users/{user['id']}"), 404)
    scim_error(http.delete(f"/users/{user['id']}"), 404)
    assert user["id"] not in json.dumps(http.get("/users").json())
    assert http.get("/users", params={"filter": "active eq false"}).json()["totalResults"] == 0
    assert http.sandbox.store.get("users", user["id"]).deleted  # type: ignore[union-attr]  # still stored


def test_post_with_a_deleted_username_revives_the_account_without_its_roles(http: Http) -> None:
    user = http.create_user(roles=[{"value": "Supervisor"}])
    http.delete(f"/users/{user['id']}")
    revived = http.post("/users", {"userName": user["userName"], "displayName": "Back"})
    assert revived.status == 201
    body = revived.json()
    assert body["id"] == user["id"] and "roles" not in body and body["meta"]["version"] == "3"


def test_delete_removes_group_membership(http: Http) -> None:
    user = http.create_user()
    sales = http.group_id("Sales")
    http.patch(f"/groups/{sales}", [{"op": "add", "path": "members", "value": [{"value": user["id"]}]}])
    http.delete(f"/users/{user['id']}")
    assert user["id"] not in json.dumps(http.get(f"/groups/{sales}").json())


# -- ETags -------------------------------------------------------------------------------------
def test_every_write_increments_the_version(http: Http) -> None:
    user = http.create_user()
    path = f"/users/{user['id']}"
    second = http.patch(path, [{"op": "replace", "path": "title", "value": "Lead"}])
    third = http.put(path, {**user_body(), "userName": user["userName"]})
    assert [r.headers["ETag"] for r in (second, third)] == ['"2"', '"3"']
    assert third.json()["meta"]["version"] == "3"


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_stale_if_match_is_400_invalid_vers_like_genesys(http: Http, method: str) -> None:
    user = http.create_user()
    path = f"/users/{user['id']}"
    body = {"PUT": {**user_body(), "userName": user["userName"]},
            "PATCH": {"Operations": [{"op": "replace", "path": "title", "value": "x"}]}, "DELETE": None}[method]
    scim_error(http.request(method, path, json=body, headers={"If-Match": '"7"'}), 400, "invalidVers")
    ok = http.request(method, path, json=body, headers={"If-Match": 'W/"1"'})
    assert ok.status in (200, 204)


def test_if_none_match_gives_304_for_user_group_and_config(http: Http) -> None:
    user = http.create_user()
    sales = http.group_id("Sales")
    for path in (f"/users/{user['id']}", f"/groups/{sales}", "/serviceproviderconfig"):
        etag = http.get(path).headers["ETag"]
        fresh = http.get(path, headers={"If-None-Match": etag})
        assert fresh.status == 304 and fresh.data == b"" and fresh.headers["ETag"] == etag
        assert http.get(path, headers={"If-None-Match": '"999"'}).status == 200


# -- lists, paging, projection ----------------------------------------------------------------------
def test_unfiltered_list_shows_only_active_users(http: Http) -> None:
    active, inactive = http.create_user(), http.create_user(active=False)
    listed = http.get("/users").json()
    assert [u["id"] for u in listed["Resources"]] == [active["id"]] and listed["totalResults"] == 1
    found = http.get("/users", params={"filter": "active eq false"}).json()["Resources"]
    assert [u["id"] for u in found] == [inactive["id"]]


def test_paging() -> None:
    with Sandbox(seed=60, max_count=40) as seeded:
        http = Http(seeded)
        total = seeded.store.count("users", active_only=True)
        first = http.get("/users").json()
        assert first["itemsPerPage"] == 25 and first["startIndex"] == 1 and first["totalResults"] == total
        ids = []
        start = 1
        while start <= total:
            page = http.get("/users", params={"startIndex": start, "count": 10}).json()
            ids += [u["id"] for u in page["Resources"]]
            start += page["itemsPerPage"]
        assert len(ids) == len(set(ids)) == total
        only_total = http.get("/users", params={"count": 0}).json()
        assert only_total["Resources"] == [] and only_total["totalResults"] == total
        beyond = http.get("/users", params={"startIndex": total + 5}).json()
        assert beyond["Resources"] == [] and beyond["itemsPerPage"] == 0 and beyond["startIndex"] == total + 5
        assert http.get("/users", params={"count": 1000}).json()["itemsPerPage"] == 40  # clamped to max_count
        assert http.get("/users", params={"startIndex": 0, "count": 1}).json()["startIndex"] == 1
        scim_error(http.get("/users", params={"count": "ten"}), 400, "invalidValue")


def test_list_order_is_creation_order(http: Http) -> None:
    made = [http.create_user()["id"] for _ in range(5)]
    assert [u["id"] for u in http.get("/users").json()["Resources"]] == made


def test_optional_genesys_429_for_big_unpruned_pages() -> None:
    with Sandbox(page_limit_429=True) as strict:
        http = Http(strict)
        assert http.get("/users", params={"count": 25}).status == 200
        refused = http.get("/users", params={"count": 26})
        error_body(refused, 429)
        assert refused.headers["Retry-After"]
        assert http.get("/users", params={"count": 26, "excludedAttributes": "roles"}).status == 200


def test_attributes_projection_keeps_always_returned_attributes(http: Http) -> None:
    user = http.create_user(title="Lead", **{ENTERPRISE: {"division": "EMEA", "department": "Care"}})
    one = http.get(f"/users/{user['id']}", params={"attributes": f"displayName,{ENTERPRISE}:division"}).json()
    assert set(one) == {"schemas", "id", "userName", "active", "meta", "displayName", ENTERPRISE}
    assert one[ENTERPRISE] == {"division": "EMEA"}
    listed = http.get("/users", params={"attributes": "emails.value"}).json()["Resources"][0]
    assert listed["emails"] == [{"value": user["userName"]}]


def test_excluded_attributes_cannot_remove_always_returned_ones(http: Http) -> None:
    user = http.create_user(title="Lead", **{ENTERPRISE: {"department": "Care"}})
    got = http.get(f"/users/{user['id']}", params={"excludedAttributes": f"title,id,userName,{ENTERPRISE}"}).json()
    assert "title" not in got and ENTERPRISE not in got and ENTERPRISE not in got["schemas"]
    assert got["id"] == user["id"] and got["userName"] == user["userName"]
    group = http.get("/groups", params={"excludedAttributes": "members,displayName"}).json()["Resources"][0]
    assert set(group) == {"schemas", "id", "meta"}


# -- filters ---------------------------------------------------------------------------------------
def test_filters_end_to_end(http: Http) -> None:
    a = http.create_user(userName="ann@example.com", externalId="AbC", title="Agent",
                         **{ENTERPRISE: {"division": "EMEA", "employeeNumber": "77"}})
    b = http.create_user(userName="bob@example.com", externalId="abc", title="Lead")

    def ids(text: str) -> list[str]:
        response = http.get("/users", params={"filter": text})
        assert response.status == 200, response.data
        return [u["id"] for u in response.json()["Resources"]]

    assert ids('userName eq "ANN@example.com"') == [a["id"]]
    assert ids("userName eq ann@example.com") == [a["id"]]  # Genesys writes values unquoted
    assert ids('externalId eq "abc"') == [b["id"]]  # externalId is caseExact
    assert ids(f'id eq "{b["id"]}"') == [b["id"]]
    assert ids('title eq "Agent" or title eq "Lead"') == [a["id"], b["id"]]
    assert ids("division eq EMEA") == [a["id"]]  # Genesys' short names for extension attributes
    assert ids("employeeNumber eq 77") == [a["id"]]
    assert ids("email eq bob@example.com") == [b["id"]]
    assert ids(f'{ENTERPRISE}:division eq "EMEA"') == [a["id"]]


@pytest.mark.parametrize("text", ['userName eq', 'userName zz "x"', '(userName eq "x"', 'userName eq "x" and'])
def test_invalid_filter_is_400_invalid_filter(http: Http, text: str) -> None:
    scim_error(http.get("/users", params={"filter": text}), 400, "invalidFilter")


def test_strict_profile_accepts_only_documented_filters() -> None:
    with Sandbox(profile="genesys-strict") as strict:
        http = Http(strict)
        assert http.get("/users", params={"filter": "userName eq a@example.com"}).status == 200
        scim_error(http.get("/users", params={"filter": 'userName sw "a"'}), 400, "invalidFilter")


def test_group_filter_by_lower_case_attribute_name(http: Http) -> None:
    found = http.get("/groups", params={"filter": "displayname eq Sales"}).json()
    assert [g["displayName"] for g in found["Resources"]] == ["Sales"]


def test_filtered_schemas_is_403(http: Http) -> None:
    scim_error(http.get("/schemas", params={"filter": 'id eq "x"'}), 403)


# -- PATCH ---------------------------------------------------------------------------------------
def test_patch_paths(http: Http) -> None:
    user = http.create_user(title="Agent", emails=[{"type": "work", "value": "old@example.com"}])
    path = f"/users/{user['id']}"
    response = http.patch(path, [
        {"op": "Replace", "path": "title", "value": "Lead"},  # Entra capitalises op
        {"op": "replace", "path": 'emails[type eq "work"].value', "value": "new@example.com"},
        {"op": "add", "path": "phoneNumbers", "value": [{"type": "mobile", "value": "+13175550199"}]},
        {"op": "add", "path": f"{GENESYS}:routingSkills", "value": [{"name": "Billing", "proficiency": 2}]},
        {"op": "replace", "path": f"{ENTERPRISE}:department", "value": "Care"},
    ])
    assert response.status == 200, response.data
    patched = response.json()
    assert patched["title"] == "Lead" and patched["meta"]["version"] == "2"
    assert {"type": "work", "value": "new@example.com"} in patched["emails"]
    assert patched["phoneNumbers"] == [{"type": "mobile", "value": "+13175550199"}]
    assert patched[GENESYS]["routingSkills"] == [{"name": "Billing", "proficiency": 2.0}]
    assert patched[ENTERPRISE]["department"] == "Care"
    removed = http.patch(path, [{"op": "remove", "path": "title"}]).json()
    assert "title" not in removed
    inactive = http.patch(path, [{"op": "replace", "value": {"active": False}}]).json()
    assert inactive["active"] is False
    assert http.get(path).json() == inactive


def test_patch_refusals(http: Http) -> None:
    path = f"/users/{http.create_user()['id']}"
    scim_error(http.patch(path, [{"op": "add", "path": "groups", "value": [{"value": "x"}]}]), 400, "mutability")
    scim_error(http.patch(path, [{"op": "replace", "path": "roles", "value": [{"value": "Pilot"}]}]),
               400, "invalidValue")
    scim_error(http.request("PATCH", path, json={"schemas": []}), 400, "invalidSyntax")
    scim_error(http.patch(f"/users/{uuid.uuid4()}", [{"op": "remove", "path": "title"}]), 404)


def test_group_membership_by_patch_shows_in_user_groups(http: Http) -> None:
    user = http.create_user()
    sales, support = http.group_id("Sales"), http.group_id("Support")
    added = http.patch(f"/groups/{sales}", [{"op": "add", "path": "members", "value": [{"value": user["id"]}]}])
    assert added.status == 200
    member = added.json()["members"][0]
    assert member == {"value": user["id"], "type": "User", "$ref": member["$ref"]}
    assert member["$ref"].endswith(f"/users/{user['id']}")
    http.patch(f"/groups/{support}", [{"op": "add", "path": "members", "value": [{"value": user["id"]}]}])
    groups = http.get(f"/users/{user['id']}").json()["groups"]
    assert [g["value"] for g in groups] == [sales, support]
    assert groups[0]["$ref"].endswith(f"/groups/{sales}")
    http.patch(f"/groups/{sales}", [{"op": "remove", "path": f'members[value eq "{user["id"]}"]'}])
    assert [g["value"] for g in http.get(f"/users/{user['id']}").json()["groups"]] == [support]


def test_group_put_and_member_checks(http: Http) -> None:
    users = [http.create_user()["id"] for _ in range(2)]
    sales = http.group_id("Sales")
    response = http.put(f"/groups/{sales}", {"displayName": "Sales", "members": [{"value": u} for u in users]})
    assert response.status == 200 and [m["value"] for m in response.json()["members"]] == users
    assert response.headers["ETag"] == '"2"'
    for bad in ([{"value": "nobody"}], [{"value": http.group_id("Support")}]):
        scim_error(http.put(f"/groups/{sales}", {"displayName": "Sales", "members": bad}), 400, "invalidValue")
    scim_error(http.put(f"/groups/{sales}", {"displayName": "support"}), 409, "uniqueness")


def test_groups_cannot_be_created_or_deleted(http: Http) -> None:
    assert "cannot be created" in scim_error(http.post("/groups", {"displayName": "New"}), 405)["detail"]
    refused = http.delete(f"/groups/{http.group_id('Sales')}")
    scim_error(refused, 405)
    assert refused.headers["Allow"] == "GET, PATCH, PUT"
    assert http.get("/groups").json()["totalResults"] == 4


# -- routes, headers, errors -------------------------------------------------------------------------
@pytest.mark.parametrize("prefix", ["/api/v2/scim/v2", "/api/v2/scim"])
@pytest.mark.parametrize("segment", ["users", "Users", "groups", "Groups", "serviceproviderconfig",
                                     "ServiceProviderConfig", "resourcetypes", "ResourceTypes", "schemas", "Schemas"])
def test_both_prefixes_and_any_letter_case(http: Http, prefix: str, segment: str) -> None:
    response = http.get(f"{prefix}/{segment}")
    assert response.status == 200, response.data
    assert response.headers["Content-Type"].startswith("application/scim+json")


def test_every_response_carries_correlation_and_rate_limit_headers(http: Http) -> None:
    for response in (http.get("/users"), http.get("/nowhere"), http.get("/users", token=None)):
        assert uuid.UUID(response.headers["ININ-Correlation-Id"])
        assert {"inin-ratelimit-count", "inin-ratelimit-allowed", "inin-ratelimit-reset"} <= set(
            k.lower() for k in response.headers)


@pytest.mark.parametrize("token", [None, "wrong"])
def test_missing_or_wrong_token_is_401_error_body(http: Http, token: str | None) -> None:
    error_body(http.get("/users", token=token), 401)


@pytest.mark.parametrize("path", ["/serviceproviderconfig", "/resourcetypes", "/schemas"])
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_discovery_is_get_only(http: Http, path: str, method: str) -> None:
    response = http.request(method, path, json={})
    scim_error(response, 405)  # the SCIM service answers, in its error dialect
    assert response.headers["Allow"] == "GET"


def test_unsupported_methods_on_users_are_405_scim_errors(http: Http) -> None:
    assert scim_error(http.put("/users", {}), 405)["detail"] == "HTTP PUT is not supported on /api/v2/scim/v2/users"
    scim_error(http.post(f"/users/{uuid.uuid4()}", {}), 405)


@pytest.mark.parametrize("path", ["/nowhere", "/Bulk", "/.search", "/users/.search", "/Me", "/users/a/b",
                                  "/serviceproviderconfig/x"])
def test_unknown_routes_under_the_scim_prefix_are_404_scim_errors(http: Http, path: str) -> None:
    assert scim_error(http.get(path), 404)["detail"].startswith("No resource at /api/v2/scim/v2/")


@pytest.mark.parametrize("path", ["/api/v2/other", "/oauth/nowhere", "/api/v2/scimx"])
def test_unknown_routes_outside_the_scim_prefix_are_404_error_body(http: Http, path: str) -> None:
    error_body(http.get(path), 404)  # the platform answers those, not the SCIM service


def test_the_token_endpoint_answers_405_as_the_platform(http: Http) -> None:
    refused = http.get("/oauth/token", token=None)
    error_body(refused, 405)
    assert refused.headers["Allow"] == "POST"


def test_malformed_json_is_400_invalid_syntax(http: Http) -> None:
    response = http.request("POST", "/users", body=b"{not json", headers={"Content-Type": "application/json"})
    scim_error(response, 400, "invalidSyntax")
    scim_error(http.request("POST", "/users", body=b"[1]"), 400, "invalidSyntax")


def test_too_large_body_is_413() -> None:
    with Sandbox(max_body_bytes=1000) as small:
        refused = Http(small).post("/users", user_body(title="x" * 2000))
        body = error_body(refused, 413)
        assert body["contextId"] == refused.headers["ININ-Correlation-Id"]
        assert "Maximum bytes: 1000" in body["message"] and refused.headers["Connection"] == "close"


def test_discovery_documents(http: Http) -> None:
    types = http.get("/resourcetypes").json()["Resources"]
    assert {t["id"]: t["endpoint"] for t in types} == {"User": "/users", "Group": "/groups"}
    assert http.get("/resourcetypes/user").json()["schema"] == "urn:ietf:params:scim:schemas:core:2.0:User"
    ids = {s["id"] for s in http.get("/schemas").json()["Resources"]}
    assert {ENTERPRISE, GENESYS, "urn:ietf:params:scim:schemas:core:2.0:Group"} <= ids and len(ids) == 7
    genesys = http.get(f"/schemas/{GENESYS}").json()
    skills = next(a for a in genesys["attributes"] if a["name"] == "routingSkills")
    assert skills["subAttributes"][0]["canonicalValues"] == ["Sales", "Support", "Billing", "Spanish Support"]
    spc = http.get("/serviceproviderconfig").json()
    assert spc["patch"]["supported"] and spc["etag"]["supported"] and not spc["bulk"]["supported"]
    scim_error(http.get("/schemas/urn:nope"), 404)
    scim_error(http.get("/resourcetypes/Nope"), 404)


def test_keep_alive_serves_several_requests_on_one_connection(sandbox: Sandbox) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=5)
    try:
        for _ in range(3):
            connection.request("GET", "/api/v2/scim/v2/users", headers={"Authorization": f"Bearer {sandbox.token}"})
            response = connection.getresponse()
            assert response.status == 200 and response.getheader("Content-Length")
            response.read()
    finally:
        connection.close()


# -- OAuth ------------------------------------------------------------------------------------------
def _token_request(http: Http, user: str, password: str, grant: str = "client_credentials") -> Any:
    import base64

    basic = base64.b64encode(f"{user}:{password}".encode()).decode()
    return http.request("POST", "/oauth/token", body=f"grant_type={grant}", token=None,
                        headers={"Authorization": f"Basic {basic}",
                                 "Content-Type": "application/x-www-form-urlencoded"})


def test_client_credentials_tokens(http: Http) -> None:
    sandbox = http.sandbox
    first, second = (_token_request(http, sandbox.client_id, sandbox.client_secret) for _ in range(2))
    assert first.status == 200 and first.headers["Content-Type"].startswith("application/json")
    body = first.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 86400
    assert body["access_token"] != second.json()["access_token"]
    for token in (body["access_token"], second.json()["access_token"]):
        assert http.get("/users", token=token).status == 200


def test_token_endpoint_refusals(http: Http) -> None:
    bad = _token_request(http, http.sandbox.client_id, "wrong")
    assert bad.status == 401 and bad.json()["error"] == "invalid_client"
    grant = _token_request(http, http.sandbox.client_id, http.sandbox.client_secret, grant="password")
    assert grant.status == 400 and grant.json()["error"] == "unsupported_grant_type"


def test_issued_tokens_expire() -> None:
    now = [1000.0]
    with Sandbox(token_lifetime=300) as short:
        short.app.tokens.clock = lambda: now[0]
        http = Http(short)
        token = _token_request(http, short.client_id, short.client_secret).json()["access_token"]
        assert http.get("/users", token=token).status == 200
        now[0] += 301
        error_body(http.get("/users", token=token), 401)
        assert http.get("/users").status == 200  # the fixed sandbox token never expires


def test_chunked_request_bodies_are_read(sandbox: Sandbox) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=5)
    body = json.dumps(user_body()).encode()
    try:
        connection.request("POST", "/api/v2/scim/v2/users", body=iter([body[:10], body[10:]]), encode_chunked=True,
                           headers={"Authorization": f"Bearer {sandbox.token}", "Content-Type": "application/json"})
        response = connection.getresponse()
        assert response.status == 201, response.read()
    finally:
        connection.close()


def test_a_bad_content_length_is_400_and_closes(sandbox: Sandbox) -> None:
    import socket

    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=5) as raw:
        raw.sendall(b"POST /api/v2/scim/v2/users HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n")
        reply = b""
        while chunk := raw.recv(4096):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 400") and b"Connection: close" in reply


def test_head_and_options_are_405(http: Http) -> None:
    assert http.request("HEAD", "/users").status == 405
    assert http.request("OPTIONS", "/users").status == 405


def test_option_changes_apply_to_a_running_sandbox(http: Http) -> None:
    scim_error(http.post("/users", user_body(userName="plain-name")), 400, "invalidValue")
    http.sandbox.options.lenient_usernames = True
    assert http.post("/users", user_body(userName="plain-name")).status == 201
