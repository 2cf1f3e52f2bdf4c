"""No data loss: unknown enum values kept as sent, null enums as None, undeclared attributes
kept on the model and sent back unchanged, so GET-modify-PUT drops nothing."""

from __future__ import annotations

import copy

from PureCloudPlatformClientV2 import SCIMApi

from ..servers import Reply, ScriptedServer
from .conftest import recording_client

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CUSTOM = "urn:ietf:params:scim:schemas:extension:acme:2.0:User"
USER = {
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE, CUSTOM],
    "id": "u1", "userName": "jane@example.com", "displayName": "Jane", "active": True,
    "emails": [{"value": "jane@example.com", "type": "other", "primary": True, "display": "Jane (work)"},
               {"value": "j@example.org", "type": "holiday"}],
    "phoneNumbers": [{"value": "tel:+13175550123", "type": "satellite"}, {"value": "+1555", "type": None}],
    ENTERPRISE: {"division": "Home", "costCenter": "CC-9", "manager": {"value": "m1", "displayName": "Boss"}},
    CUSTOM: {"badge": 42, "tags": ["a", {"deep": [None, 1.5]}]},
    "nickName": "JJ", "x-vendor-flag": None,
    "meta": {"resourceType": "User", "version": "W/\"7\"", "location": "https://x/u1",
             "lastModified": "2024-05-06T07:08:09.123Z"},
}


def test_unknown_and_null_enums_are_kept(server: ScriptedServer) -> None:
    server.default = Reply.json(USER)
    user = SCIMApi(recording_client(server)).get_scim_v2_user("u1")
    assert [e.type for e in user.emails] == ["other", "holiday"]
    assert [p.type for p in user.phone_numbers] == ["satellite", None]


def test_get_modify_put_sends_back_everything_it_did_not_change(server: ScriptedServer) -> None:
    server.reply(Reply.json(USER))
    server.default = lambda request: Reply.json(request.json())
    api = SCIMApi(recording_client(server))
    user = api.get_scim_v2_user("u1")
    user.display_name = "Jane Doe"
    user.emails[0].primary = False
    api.put_scim_v2_user("u1", user, if_match=user.meta.version)
    sent = server.requests[1].json()
    expected = copy.deepcopy(USER)
    expected["displayName"], expected["emails"][0]["primary"] = "Jane Doe", False
    del expected["phoneNumbers"][1]["type"]  # a declared field that is null is simply not sent
    assert sent == expected
    assert server.requests[1].header("If-Match") == 'W/"7"'


def test_unknown_attributes_survive_a_round_trip_through_the_response(server: ScriptedServer) -> None:
    server.reply(Reply.json(USER))
    server.default = lambda request: Reply.json(request.json())
    api = SCIMApi(recording_client(server))
    first = api.get_scim_v2_user("u1")
    second = api.put_scim_v2_user("u1", first)
    assert second.to_wire() == first.to_wire() and second._extra == first._extra
