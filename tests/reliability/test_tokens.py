"""Client-credentials tokens: fetched once, renewed before expiry or once after a 401, under one
lock for all threads (tasks, for the asyncio client: each test runs on both, see the `flavour`
fixture); a persistent 401 ends after at most one refresh."""

from __future__ import annotations

import base64
import threading
from typing import Any

import pytest

from PureCloudPlatformClientV2.rest import ApiConnectionError, ResponseFormatError, ServerError, UnauthorizedError

from ..servers import RecordedRequest, Reply
from .conftest import TokenService, api_requests, flavoured_client, serving, token_requests

USER = {"id": "u1", "userName": "jane@example.com"}


def accepts(*tokens: str):
    """An API that answers 200 to the given bearer tokens and 401 to anything else."""
    def answer(request: RecordedRequest) -> Reply:
        if request.header("Authorization") in {f"Bearer {t}" for t in tokens}:
            return Reply.json(USER)
        return Reply.json({"message": "Invalid token", "status": 401}, 401)
    return answer


def logged_in(flavour, server: Any, client_id: str = "cid", secret: str = "csecret"):
    client = flavoured_client(flavour, server, token=None)
    client.get_client_credentials_token(client_id, secret)
    return client


def test_client_credentials_grant(flavour, ) -> None:
    with serving(default=TokenService(accepts("tok-1"))) as server:
        client = logged_in(flavour, server, "my-id", "my-secret")
        assert flavour.api(client).get_scim_v2_user("u1").id == "u1"
    (grant,) = token_requests(server)
    assert grant.method == "POST" and grant.body == b"grant_type=client_credentials"
    assert grant.header("Authorization") == "Basic " + base64.b64encode(b"my-id:my-secret").decode()
    assert grant.header("Content-Type") == "application/x-www-form-urlencoded"
    assert api_requests(server)[0].header("Authorization") == "Bearer tok-1"


def test_login_host_is_derived_from_the_api_host(flavour, ) -> None:
    client = flavoured_client(flavour, "https://api.mypurecloud.ie")
    assert client.login_host() == "https://login.mypurecloud.ie"


def test_a_401_triggers_one_refresh_and_one_retry(flavour, ) -> None:
    with serving(default=TokenService(accepts("tok-2"))) as server:
        client = logged_in(flavour, server)
        assert flavour.api(client).get_scim_v2_user("u1").id == "u1"
    assert [r.header("Authorization") for r in api_requests(server)] == ["Bearer tok-1", "Bearer tok-2"]
    assert len(token_requests(server)) == 2


def test_a_persistent_401_ends_after_one_refresh(flavour, ) -> None:
    with serving(default=TokenService(accepts())) as server:
        client = logged_in(flavour, server)
        with pytest.raises(UnauthorizedError) as caught:
            flavour.api(client).get_scim_v2_user("u1")
    assert caught.value.detail == "Invalid token"
    assert [r.path for r in server.requests] == ["/oauth/token", "/api/v2/scim/v2/users/u1",
                                                 "/oauth/token", "/api/v2/scim/v2/users/u1"]


def test_a_401_without_credentials_is_raised_at_once(flavour, server) -> None:
    server.default = accepts()
    with pytest.raises(UnauthorizedError):
        flavour.api(flavoured_client(flavour, server, token="static")).get_scim_v2_user("u1")
    assert len(server.requests) == 1


def test_refresh_can_be_turned_off(flavour, fresh_configuration) -> None:
    fresh_configuration.should_refresh_access_token = False
    with serving(default=TokenService(accepts(), expires_in=1)) as server:
        client = logged_in(flavour, server)
        with pytest.raises(UnauthorizedError):
            flavour.api(client).get_scim_v2_user("u1")
    assert len(token_requests(server)) == 1 and len(api_requests(server)) == 1


def test_concurrent_401s_share_one_token_fetch(flavour, ) -> None:
    both_rejected = threading.Barrier(2, timeout=5)
    answer = accepts("tok-2")

    def api(request: RecordedRequest) -> Reply:
        if request.header("Authorization") == "Bearer tok-1":
            both_rejected.wait()  # both calls hold tok-1 before either learns it is bad
        return answer(request)

    with serving(default=TokenService(api)) as server:
        client = logged_in(flavour, server)
        results = flavour.concurrently(flavour.api(client), 2, lambda api: api.get_scim_v2_user("u1"))
    assert [user.id for user in results] == ["u1", "u1"]
    assert len(token_requests(server)) == 2  # the login and exactly one refresh
    sent = sorted(r.header("Authorization") for r in api_requests(server))
    assert sent == ["Bearer tok-1"] * 2 + ["Bearer tok-2"] * 2


def test_a_token_about_to_expire_is_renewed_before_the_next_call(flavour, ) -> None:
    lifetimes = {1: 30, 2: 3600}  # 30 s is inside the 60 s renewal margin
    with serving(default=TokenService(accepts("tok-2"), expires_in=lambda n: lifetimes.get(n, 3600))) as server:
        client = logged_in(flavour, server)
        api = flavour.api(client)
        api.get_scim_v2_user("u1")
        api.get_scim_v2_user("u1")
    assert [r.path for r in server.requests] == ["/oauth/token", "/oauth/token", "/api/v2/scim/v2/users/u1",
                                                 "/api/v2/scim/v2/users/u1"]
    assert {r.header("Authorization") for r in api_requests(server)} == {"Bearer tok-2"}


def test_expiry_renewal_is_shared_by_all_threads(flavour, ) -> None:
    lifetimes = {1: 30}
    with serving(default=TokenService(accepts("tok-2"), expires_in=lambda n: lifetimes.get(n, 3600))) as server:
        client = logged_in(flavour, server)
        results = flavour.concurrently(flavour.api(client), 12, lambda api: api.get_scim_v2_user("u1"))
    assert [user.id for user in results] == ["u1"] * 12 and len(token_requests(server)) == 2


def test_a_failed_early_renewal_keeps_the_still_valid_token(flavour, fresh_configuration) -> None:
    fresh_configuration.max_retries = 0
    service = TokenService(accepts("tok-1"), expires_in=30)
    with serving(default=service) as server:
        client = logged_in(flavour, server)
        server.reply(Reply(503))  # the renewal attempt fails; tok-1 is valid for ~30 s more
        assert flavour.api(client).get_scim_v2_user("u1").id == "u1"
    assert [r.path for r in server.requests][-2:] == ["/oauth/token", "/api/v2/scim/v2/users/u1"]


@pytest.mark.parametrize(("reply", "kind"), [
    (Reply.json({"error": "invalid_client", "description": "bad secret"}, 401), UnauthorizedError),
    (Reply(503), ServerError),
    (Reply.json({"token": "tok-X", "expires_in": 10}), ResponseFormatError),
    (Reply(200, b"<html>login</html>", {"Content-Type": "text/html"}), ResponseFormatError),
    (Reply(drop=True), ApiConnectionError),
])
def test_token_endpoint_failures(flavour, server, fresh_configuration, reply: Reply, kind) -> None:
    fresh_configuration.max_retries = 0
    server.reply(reply)
    with pytest.raises(kind) as caught:
        flavoured_client(flavour, server, token=None).get_client_credentials_token("cid", "csecret")
    assert caught.value.path == "/oauth/token" and "csecret" not in str(caught.value)
    assert "tok-X" not in str(caught.value)  # a malformed token response is not echoed
