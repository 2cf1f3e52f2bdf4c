"""Conditional requests: etag_of, get_if_changed (304 -> None) and is_version_conflict, against
scripted servers and the sandbox (Genesys answers a stale If-Match with 400 invalidVers)."""

from __future__ import annotations

from typing import Any

import pytest

from PureCloudPlatformClientV2.models import ScimMetadata, ScimV2CreateUser, ScimV2Group, ScimV2User
from PureCloudPlatformClientV2.patch import Patch, etag_of, get_if_changed, is_version_conflict
from PureCloudPlatformClientV2.rest import (
    ApiException,
    BadRequestError,
    NotModifiedError,
)
from PureCloudPlatformClientV2.sandbox import Sandbox

from ..servers import Reply

USER = {"id": "u1", "userName": "jane@example.com", "active": True, "meta": {"version": "4"}}


@pytest.mark.parametrize(
    ("resource", "etag"),
    [
        (ScimV2User(id="u", meta=ScimMetadata(version="3")), '"3"'),
        (ScimV2Group(id="g", meta=ScimMetadata(version="12")), '"12"'),
        ({"meta": {"version": "5"}}, '"5"'),
        ({"meta": {"version": 6}}, '"6"'),
        ({"meta": {"version": '"7"'}}, '"7"'),
        ({"meta": {"version": 'W/"8"'}}, 'W/"8"'),
    ],
)
def test_etag_of_is_the_quoted_meta_version(resource: Any, etag: str) -> None:
    assert etag_of(resource) == etag


@pytest.mark.parametrize("resource", [ScimV2User(id="u"), ScimV2User(meta=ScimMetadata()), {},
                                      {"meta": {"version": ""}}, {"meta": {"version": 'a"b'}}, object()])
def test_etag_of_refuses_resources_without_a_usable_version(resource: Any) -> None:
    with pytest.raises(ValueError):
        etag_of(resource)


@pytest.mark.parametrize(
    ("etag", "sent"),
    [('"4"', '"4"'), ("4", '"4"'), (ScimV2User(meta=ScimMetadata(version="4")), '"4"')],
)
def test_get_if_changed_returns_none_on_304(serve: Any, etag: Any, sent: str) -> None:
    api, server = serve(script=[Reply(304, headers={"ETag": '"4"'})])
    assert get_if_changed(api.get_scim_v2_user, "u1", etag) is None
    assert server.requests[0].header("If-None-Match") == sent


def test_get_if_changed_without_etag_is_a_plain_get(serve: Any) -> None:
    api, server = serve(script=[Reply.json(USER), Reply(304)])
    assert get_if_changed(api.get_scim_v2_user, "u1", None) == ScimV2User.from_wire(USER)
    with pytest.raises(NotModifiedError):  # not asked conditionally: a 304 is an error, not "unchanged"
        get_if_changed(api.get_scim_v2_user, "u1", None)
    assert [r.header("If-None-Match") for r in server.requests] == [None, None]


def test_get_if_changed_returns_the_resource_when_it_changed(serve: Any) -> None:
    api, server = serve(script=[Reply.json(USER, headers={"ETag": '"4"'})])
    user = get_if_changed(api.get_scim_user, "u1", '"3"', attributes=["userName"])
    assert isinstance(user, ScimV2User) and user.meta.version == "4"
    (request,) = server.requests
    assert request.path == "/api/v2/scim/users/u1"
    assert request.header("If-None-Match") == '"3"' and request.query["attributes"] == "userName"


def test_get_if_changed_lets_other_errors_through(serve: Any) -> None:
    api, _ = serve(script=[Reply.json({"message": "gone", "status": 404}, status=404)])
    with pytest.raises(ApiException) as caught:
        get_if_changed(api.get_scim_v2_group, "g1", '"1"')
    assert caught.value.status == 404


@pytest.mark.parametrize(
    ("reply", "conflict"),
    [
        (Reply.json({"status": "400", "scimType": "invalidVers", "detail": "stale"}, status=400), True),
        (Reply.json({"status": "412", "detail": "precondition"}, status=412), True),
        (Reply.json({"status": "400", "scimType": "invalidValue"}, status=400), False),
        (Reply.json({"status": "409", "scimType": "uniqueness"}, status=409), False),
        (Reply.json({"message": "boom"}, status=500), False),
    ],
)
def test_is_version_conflict_recognises_both_dialects(serve: Any, reply: Reply, conflict: bool) -> None:
    api, _ = serve(script=[reply])
    with pytest.raises(ApiException) as caught:
        api.put_scim_v2_user("u1", ScimV2User(user_name="a@example.com"), if_match='"1"')
    assert is_version_conflict(caught.value) is conflict
    assert not is_version_conflict(ValueError("not an API error"))


def test_etag_flow_against_the_sandbox() -> None:
    with Sandbox(serve=False) as sandbox:
        api = sandbox.api
        user = api.post_scim_v2_users(ScimV2CreateUser(user_name="jane@example.com", display_name="Jane"))
        assert get_if_changed(api.get_scim_v2_user, user.id, user) is None

        changed = api.patch_scim_v2_user(user.id, Patch().replace("title", "Lead").build(), if_match=etag_of(user))
        fresh = get_if_changed(api.get_scim_v2_user, user.id, user)
        assert fresh is not None and fresh.title == "Lead" and etag_of(fresh) == etag_of(changed) != etag_of(user)

        with pytest.raises(BadRequestError) as stale:  # Genesys: 400 invalidVers, not 412
            api.put_scim_v2_user(user.id, user, if_match=etag_of(user))
        assert stale.value.scim_type == "invalidVers" and is_version_conflict(stale.value)

        group = api.get_scim_v2_groups('displayName eq "Support"').resources[0]
        assert get_if_changed(api.get_scim_v2_group, group.id, etag_of(group)) is None

