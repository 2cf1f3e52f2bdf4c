"""Transport: timeouts on every request, redirects without credentials across origins, and
connections released by close()."""

from __future__ import annotations

import json
import socket
import threading

import pytest

from PureCloudPlatformClientV2 import DefaultHttpClient, HttpRequestOptions, SCIMApi
from PureCloudPlatformClientV2.configuration import DEFAULT_TIMEOUT_S
from PureCloudPlatformClientV2.rest import ApiConnectionError, ApiException, ApiTimeoutError

from ..servers import Reply, ScriptedServer
from .conftest import flavoured_client, recording_client, serving

USER = {"id": "u1", "userName": "jane@example.com"}


# -- timeouts ---------------------------------------------------------------------------
def test_default_timeout_is_finite_connect_and_read(fresh_configuration) -> None:
    assert fresh_configuration.timeout == DEFAULT_TIMEOUT_S == (10.0, 60.0)
    assert fresh_configuration.timeouts() == (10.0, 60.0)


@pytest.mark.parametrize("timeout", [0.2, (5, 0.2), [5, 0.2]])
def test_a_hanging_server_ends_in_a_timeout(flavour, server: ScriptedServer, fresh_configuration, timeout) -> None:
    fresh_configuration.timeout, fresh_configuration.max_retries = timeout, 0
    server.reply(Reply(hang=True))
    with pytest.raises(ApiTimeoutError) as caught:
        flavour.api(flavoured_client(flavour, server)).get_scim_v2_user("u1")
    assert (caught.value.status, caught.value.sent) == (0, True) and "read timeout" in str(caught.value)


def test_a_changed_timeout_applies_to_the_next_call(flavour, server: ScriptedServer, fresh_configuration) -> None:
    fresh_configuration.max_retries = 0
    server.default = Reply.json(USER)
    api = flavour.api(flavoured_client(flavour, server))
    fresh_configuration.timeout = [5, 60]
    api.get_scim_v2_user("u1")  # checked and remembered
    fresh_configuration.timeout[1] = 0.2  # a list changed in place is read again
    server.reply(Reply(hang=True))
    with pytest.raises(ApiTimeoutError):
        api.get_scim_v2_user("u1")
    fresh_configuration.timeout = (5, 0)  # a new value is checked again
    with pytest.raises(ValueError, match="timeout"):
        api.get_scim_v2_user("u1")


def test_connect_timeout(flavour, fresh_configuration) -> None:
    # A listener whose backlog is full drops new SYNs, so connect() waits until the timeout.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        fillers = [socket.socket() for _ in range(4)]
        for filler in fillers:
            filler.setblocking(False)
            filler.connect_ex(listener.getsockname())
        fresh_configuration.timeout, fresh_configuration.max_retries = (0.2, 5), 0
        client = flavoured_client(flavour, f"http://127.0.0.1:{listener.getsockname()[1]}")
        try:
            with pytest.raises(ApiTimeoutError) as caught:
                flavour.api(client).get_scim_v2_users()
        finally:
            for filler in fillers:
                filler.close()
    assert caught.value.sent is False and "connect timeout" in str(caught.value)


def test_per_call_request_timeout(server: ScriptedServer, fresh_configuration) -> None:
    fresh_configuration.max_retries = 0
    server.reply(Reply(hang=True))
    with pytest.raises(ApiTimeoutError):
        recording_client(server).call_api("/api/v2/scim/v2/users", "GET", response_type="ScimUserListResponse",
                                          _request_timeout=0.2)


def test_default_http_client_applies_its_own_timeout_to_requests_without_one(server: ScriptedServer) -> None:
    # The transport reads no global settings: a request without a timeout gets the client's
    # own (and a client without one the default (10, 60), so no request waits forever).
    server.reply(Reply(hang=True))
    http = DefaultHttpClient(timeout=0.2)
    try:
        with pytest.raises(ApiTimeoutError):
            http.request(HttpRequestOptions(server.url + "/x", "GET"))
    finally:
        http.close()


@pytest.mark.parametrize("bad", [0, -1, "10", None, (1, 2, 3), (1, 0), True])
def test_invalid_timeouts_are_refused_before_sending(flavour, server: ScriptedServer, fresh_configuration, bad) -> None:
    fresh_configuration.timeout = bad
    with pytest.raises(ValueError, match="timeout"):
        flavour.api(flavoured_client(flavour, server)).get_scim_v2_users()
    assert server.requests == []


# -- redirects --------------------------------------------------------------------------
def test_cross_origin_redirect_drops_authorization_and_cookie(flavour, server: ScriptedServer) -> None:
    with serving(default=Reply.json(USER)) as other:
        server.reply(Reply(307, headers={"Location": other.url + "/elsewhere"}))
        client = flavoured_client(flavour, server, token="secret-token")
        client.cookie = "session=abc"
        assert flavour.api(client).get_scim_v2_user("u1").id == "u1"
        moved = other.requests[0]
    assert server.requests[0].header("Authorization") == "Bearer secret-token"
    assert moved.path == "/elsewhere" and moved.header("Authorization") is None and moved.header("Cookie") is None


def test_same_origin_redirect_keeps_authorization(flavour, server: ScriptedServer) -> None:
    server.reply(Reply(308, headers={"Location": "/api/v2/scim/v2/users/u2"}), Reply.json(USER))
    flavour.api(flavoured_client(flavour, server, token="tok")).put_scim_v2_user("u1", USER)
    moved = server.requests[1]
    assert (moved.method, moved.path, moved.json()) == ("PUT", "/api/v2/scim/v2/users/u2", USER)
    assert moved.header("Authorization") == "Bearer tok"


def test_303_turns_into_a_get_without_body(flavour, server: ScriptedServer) -> None:
    server.reply(Reply(303, headers={"Location": "/done"}), Reply.json(USER))
    flavour.api(flavoured_client(flavour, server)).post_scim_v2_users({"userName": "a"})
    assert (server.requests[1].method, server.requests[1].body, server.requests[1].header("Content-Type")) == (
        "GET", b"", None)


@pytest.mark.parametrize("location", ["file:///etc/passwd", None])
def test_unfollowable_redirects_raise(flavour, server: ScriptedServer, location) -> None:
    server.default = Reply(302, headers={"Location": location} if location else {})
    with pytest.raises(ApiException) as caught:
        flavour.api(flavoured_client(flavour, server)).get_scim_v2_user("u1")
    assert caught.value.status == 302 and len(server.requests) == 1


def test_redirect_loops_end(flavour, server: ScriptedServer) -> None:
    server.default = Reply(302, headers={"Location": "/again"})
    with pytest.raises(ApiException) as caught:
        flavour.api(flavoured_client(flavour, server)).get_scim_v2_user("u1")
    assert caught.value.status == 302 and len(server.requests) == 6  # the call and 5 redirects


# -- connections ------------------------------------------------------------------------
@pytest.mark.parametrize("own_agent", [False, True])
def test_close_releases_pooled_connections(own_agent: bool) -> None:
    import urllib3

    body = json.dumps(USER).encode()
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(5)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        client = recording_client(url)
        if own_agent:  # the pool stays referenced (as a traceback cycle can), so only close() frees it
            agent = urllib3.PoolManager(retries=False)
            held = agent.connection_from_url(url)
            client.set_http_client(DefaultHttpClient(https_agent=agent))
        results: list[object] = []
        caller = threading.Thread(target=lambda: results.append(SCIMApi(client).get_scim_v2_user("u1")))
        caller.start()
        connection, _ = listener.accept()
        with connection:
            connection.settimeout(5)
            request = b""
            while b"\r\n\r\n" not in request:
                request += connection.recv(4096)
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                               b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
            caller.join(5)
            assert len(results) == 1  # the call finished; its connection stays pooled (keep-alive)
            client.close()
            assert connection.recv(1) == b""  # the server sees the client hang up
    if own_agent:
        assert held.pool is None  # closed, not merely forgotten


def test_keep_alive_reuses_one_connection(server: ScriptedServer) -> None:
    server.default = Reply.json(USER)
    api = SCIMApi(recording_client(server))
    for _ in range(5):
        api.get_scim_v2_user("u1")
    assert server.connections == 1 and len(server.requests) == 5


def test_connection_errors_carry_no_urllib3_types(fresh_configuration) -> None:
    fresh_configuration.max_retries = 0
    with serving(default=Reply(drop=True)) as dropping:
        with pytest.raises(ApiConnectionError) as caught:
            SCIMApi(recording_client(dropping)).get_scim_v2_users()
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
