"""The deadline: one call, retries, waits and the whole reading of each response included,
ends when `deadline` seconds have passed, however slowly the server answers."""

from __future__ import annotations

import json

import pytest
import urllib3

from PureCloudPlatformClientV2 import SCIMApi
from PureCloudPlatformClientV2.api_client import ApiClient
from PureCloudPlatformClientV2.configuration import DEFAULT_DEADLINE_S
from PureCloudPlatformClientV2.rest import ApiTimeoutError, ServerError
from PureCloudPlatformClientV2.settings import Settings

from ..servers import Reply, ScriptedServer
from .conftest import recording_client

USER = {"id": "u1", "userName": "jane@example.com"}
SLOW_BODY = json.dumps({**USER, "title": "x" * 1000}).encode()  # 1000+ bytes: a minute at a byte per 0.05 s


def slow_reply(interval: float = 0.05) -> Reply:
    return Reply(200, SLOW_BODY, {"Content-Type": "application/scim+json"}, trickle=interval)


def test_urllib3_timeouts_do_not_bound_a_trickling_read(server: ScriptedServer) -> None:
    # Why the deadline reads the body itself: urllib3's read timeout, even Timeout(total=...),
    # applies to each wait for data. A body trickled a byte per 0.1 s is read to the end
    # although it takes twice the "total" of 0.5 s.
    server.reply(Reply(200, b"0123456789", trickle=0.1))
    with urllib3.PoolManager() as pool:
        response = pool.request("GET", server.url + "/x", timeout=urllib3.Timeout(total=0.5), retries=False)
    assert response.data == b"0123456789"


def test_the_default_deadline(fresh_configuration) -> None:
    assert DEFAULT_DEADLINE_S == 120.0 == fresh_configuration.deadline == fresh_configuration.snapshot().deadline
    assert Settings().deadline == 120.0 and Settings(deadline=None).deadline is None


def test_a_trickling_server_is_cut_off_at_the_deadline(server: ScriptedServer, fresh_configuration) -> None:
    fresh_configuration.timeout, fresh_configuration.deadline = (5, 10), 0.6  # no single wait times out
    server.reply(slow_reply())
    client = recording_client(server)
    with pytest.raises(ApiTimeoutError) as caught:
        SCIMApi(client).get_scim_v2_user("u1")
    assert caught.value.reason.startswith("deadline: the call did not finish within its 0.6 s deadline")
    assert 0 < server.trickled < len(SLOW_BODY) and len(server.requests) == 1 and client.sleep == []
    assert (caught.value.method, caught.value.path) == ("GET", "/api/v2/scim/v2/users/u1")


def test_a_hanging_server_is_not_waited_for_past_the_deadline(server: ScriptedServer, fresh_configuration) -> None:
    # The read timeout (60 s) is cut to the time the call has left; the GET is not retried.
    fresh_configuration.deadline = 0.3
    server.reply(Reply(hang=True))
    client = recording_client(server)
    with pytest.raises(ApiTimeoutError) as caught:
        SCIMApi(client).get_scim_v2_user("u1")
    assert "0.3 s deadline" in caught.value.reason and "read timeout" in caught.value.reason
    assert len(server.requests) == 1 and client.sleep == []


def test_a_retry_whose_wait_would_pass_the_deadline_is_not_slept(server: ScriptedServer,
                                                                 fresh_configuration) -> None:
    fresh_configuration.deadline = 10
    server.reply(Reply(503, headers={"Retry-After": "30"}), Reply.json(USER))
    client = recording_client(server)
    with pytest.raises(ServerError) as caught:
        SCIMApi(client).get_scim_v2_user("u1")
    assert client.sleep == [] and len(server.requests) == 1
    assert "not retried, waiting 30.0 s would pass the call's 10 s deadline" in caught.value.reason
    assert "deadline" in str(caught.value)


def test_waits_that_fit_are_slept_and_count_against_the_deadline(server: ScriptedServer,
                                                                 fresh_configuration) -> None:
    # client.sleep records instead of sleeping, so the recorded 0.5 s did not pass: the
    # second retry still fits. With a real sleep the same waits would count.
    fresh_configuration.deadline = 60
    server.reply(Reply(503, headers={"Retry-After": "0.5"}), Reply(503, headers={"Retry-After": "0.5"}),
                 Reply.json(USER))
    client = recording_client(server)
    assert SCIMApi(client).get_scim_v2_user("u1").id == "u1" and client.sleep == [0.5, 0.5]


def test_a_real_wait_uses_up_the_deadline(server: ScriptedServer, fresh_configuration) -> None:
    import time

    fresh_configuration.deadline = 2
    server.reply(Reply(503, headers={"Retry-After": "1.2"}), Reply(503, headers={"Retry-After": "1.2"}))
    client = recording_client(server)
    client.sleep = time.sleep  # the first 1.2 s wait fits in 2 s; after it, a second cannot
    with pytest.raises(ServerError) as caught:
        SCIMApi(client).get_scim_v2_user("u1")
    assert len(server.requests) == 2 and "would pass the call's 2 s deadline" in caught.value.reason


def test_no_deadline_keeps_reading(server: ScriptedServer) -> None:
    server.reply(Reply(200, json.dumps(USER).encode(), {"Content-Type": "application/scim+json"}, trickle=0.01))
    client = ApiClient(host=server.url, settings=Settings(deadline=None))
    client.access_token = "t"
    try:
        assert SCIMApi(client).get_scim_v2_user("u1").id == "u1"
    finally:
        client.close()


def test_with_options_deadline(server: ScriptedServer) -> None:
    server.reply(slow_reply())
    client = recording_client(server).with_options(deadline=0.3, timeout=(5, 10))
    assert client.settings.deadline == 0.3
    with pytest.raises(ApiTimeoutError, match="0.3 s deadline"):
        SCIMApi(client).get_scim_v2_user("u1")


@pytest.mark.parametrize("bad", [0, -1, "10", float("inf"), float("nan"), True])
def test_invalid_deadlines_are_refused(server: ScriptedServer, fresh_configuration, bad) -> None:
    with pytest.raises(ValueError, match="deadline must be seconds > 0 or None"):
        ApiClient().with_options(deadline=bad)
    with pytest.raises(ValueError, match="deadline must be seconds > 0 or None"):
        Settings(deadline=bad)
    fresh_configuration.deadline = bad
    with pytest.raises(ValueError, match="configuration.deadline"):
        SCIMApi(recording_client(server)).get_scim_v2_users()
    assert server.requests == []


def test_the_connection_is_not_reused_after_a_cut_off_read(server: ScriptedServer, fresh_configuration) -> None:
    fresh_configuration.timeout, fresh_configuration.deadline = (5, 10), 0.3
    server.reply(slow_reply())
    client = recording_client(server)
    with pytest.raises(ApiTimeoutError):
        SCIMApi(client).get_scim_v2_user("u1")
    server.reply(Reply.json(USER))
    assert SCIMApi(client).get_scim_v2_user("u1").id == "u1"
    assert server.connections == 2  # the half-read one was closed, a new one made
