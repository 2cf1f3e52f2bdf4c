"""Retries: 429 and connections that failed before sending for every verb (honouring
Retry-After), 502/503/504 and dropped connections for idempotent verbs only, bounded waits;
POST and PATCH are never resent once they may have arrived.
Each behaviour test runs on both clients (the `flavour` fixture: sync and asyncio)."""

from __future__ import annotations

import email.utils
import os
import time

import pytest

from PureCloudPlatformClientV2 import ApiClient, SCIMApi
from PureCloudPlatformClientV2._retry import BACKOFF_CAP_S, RetryPolicy, parse_retry_after
from PureCloudPlatformClientV2.rest import ApiConnectionError, ApiTimeoutError, RateLimitError, ServerError
from PureCloudPlatformClientV2.settings import Settings, TransportSettings

from ..servers import Reply, ScriptedServer
from .conftest import Sleeps, closed_port, flavoured_client, serving

USER = {"id": "u1", "userName": "jane@example.com", "displayName": "Jane"}
BODY = {"userName": "jane@example.com", "displayName": "Jane"}
PATCH = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
         "Operations": [{"op": "remove", "path": "title"}]}
CALLS = {  # verb -> a call of that verb
    "GET": lambda api: api.get_scim_v2_user("u1"),
    "PUT": lambda api: api.put_scim_v2_user("u1", USER),
    "DELETE": lambda api: api.delete_scim_v2_user("u1"),
    "POST": lambda api: api.post_scim_v2_users(BODY),
    "PATCH": lambda api: api.patch_scim_v2_user("u1", PATCH),
}
OK = {"DELETE": Reply(204)}


def run(flavour, server: ScriptedServer, verb: str, *replies: Reply, then_ok: bool = True):
    """Script `replies` (then a success); make one `verb` call; return (client, result or error)."""
    server.reply(*replies, *[OK.get(verb, Reply.json(USER))] * then_ok)
    client = flavoured_client(flavour, server)
    try:
        return client, CALLS[verb](flavour.api(client))
    except Exception as error:  # noqa: BLE001  # the tests assert on the kind
        return client, error


@pytest.mark.parametrize("verb", CALLS)
def test_429_is_retried_for_every_verb_honouring_retry_after(flavour, server: ScriptedServer, verb: str) -> None:
    client, result = run(flavour, server, verb, Reply.json({}, 429, {"Retry-After": "7"}))
    assert not isinstance(result, Exception)
    assert client.sleep == [7.0] and [r.method for r in server.requests] == [verb, verb]


def test_retry_after_as_http_date(flavour, server: ScriptedServer) -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    client, result = run(flavour, server, "GET", Reply.json({}, 429, {"Retry-After": when}))
    assert not isinstance(result, Exception) and len(client.sleep) == 1
    assert 27 <= client.sleep[0] <= 30  # the date has one-second resolution


def test_retry_after_beyond_max_retry_wait_is_raised_not_slept(flavour, server: ScriptedServer,
                                                               fresh_configuration) -> None:
    fresh_configuration.max_retry_wait = 60
    client, result = run(flavour, server, "GET", Reply.json({}, 429, {"Retry-After": "120"}))
    assert isinstance(result, RateLimitError) and result.retry_after == 120
    assert client.sleep == [] and len(server.requests) == 1


def test_429_without_retry_after_backs_off_within_bounds_then_raises(flavour, server: ScriptedServer) -> None:
    client, result = run(flavour, server, "POST", *[Reply.json({}, 429)] * 4)
    assert isinstance(result, RateLimitError)
    assert len(server.requests) == 4 and len(client.sleep) == 3  # max_retries = 3 by default
    for attempt, waited in enumerate(client.sleep):
        assert 0 <= waited <= 0.5 * 2**attempt


@pytest.mark.parametrize("status", [502, 503, 504])
@pytest.mark.parametrize("verb", ["GET", "PUT", "DELETE"])
def test_gateway_errors_are_retried_for_idempotent_verbs(flavour, server: ScriptedServer, verb: str,
                                                         status: int) -> None:
    client, result = run(flavour, server, verb, Reply(status), Reply(status, headers={"Retry-After": "2"}))
    assert not isinstance(result, Exception)
    assert len(server.requests) == 3 and len(client.sleep) == 2 and client.sleep[1] == 2


@pytest.mark.parametrize("status", [502, 503, 504])
@pytest.mark.parametrize("verb", ["POST", "PATCH"])
def test_gateway_errors_are_not_retried_for_post_and_patch(flavour, server: ScriptedServer, verb: str,
                                                           status: int) -> None:
    client, result = run(flavour, server, verb, Reply(status, headers={"Retry-After": "1"}))
    assert isinstance(result, ServerError) and result.status == status
    assert len(server.requests) == 1 and client.sleep == []


@pytest.mark.parametrize("status", [500, 501, 400, 404, 409])
def test_other_failures_are_not_retried(flavour, server: ScriptedServer, status: int) -> None:
    client, result = run(flavour, server, "GET", Reply(status))
    assert result.status == status and len(server.requests) == 1 and client.sleep == []


@pytest.mark.parametrize("verb", ["POST", "PATCH"])
def test_post_and_patch_are_not_resent_after_a_dropped_connection(flavour, server: ScriptedServer, verb: str) -> None:
    client, result = run(flavour, server, verb, Reply(drop=True))
    assert isinstance(result, ApiConnectionError) and result.sent and result.status == 0
    assert len(server.requests) == 1 and client.sleep == []


@pytest.mark.parametrize("verb", ["GET", "PUT", "DELETE"])
def test_idempotent_verbs_are_resent_after_a_dropped_connection(flavour, server: ScriptedServer, verb: str) -> None:
    truncated = Reply(raw=b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n{")
    client, result = run(flavour, server, verb, Reply(drop=True), truncated)
    assert not isinstance(result, Exception)
    assert len(server.requests) == 3 and len(client.sleep) == 2


@pytest.mark.parametrize("verb", CALLS)
def test_refused_connections_are_retried_for_every_verb(flavour, fresh_configuration, verb: str) -> None:
    # A refused connection never carried the request: resending a POST cannot duplicate it.
    client = flavoured_client(flavour, f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(ApiConnectionError) as caught:
        CALLS[verb](flavour.api(client))
    assert not caught.value.sent and len(client.sleep) == 3


@pytest.mark.parametrize("verb", ["POST", "PATCH"])
def test_post_and_patch_are_resent_after_a_failed_tls_handshake(verb: str, pki) -> None:
    # A TLS server that refuses the handshake (it wants a client certificate; TLS 1.2, so the
    # refusal comes during the handshake): nothing was sent, so even a POST is retried.
    import ssl

    context = pki.server_context(require_client_cert=True)
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    with serving(tls=context) as tls_server:
        client = ApiClient(host=tls_server.url, settings=Settings(transport=TransportSettings(ca_cert=pki.ca_file)))
        client.access_token, client.sleep = "test-token", Sleeps()
        with pytest.raises(ApiConnectionError) as caught:
            CALLS[verb](SCIMApi(client))
        assert tls_server.requests == []
    assert caught.value.sent is False and caught.value.retryable and "TLS" in caught.value.reason
    assert len(client.sleep) == 3
    client.close()


def test_read_timeouts_are_retried_for_get_only(flavour, server: ScriptedServer, fresh_configuration) -> None:
    fresh_configuration.timeout = 0.2
    client, result = run(flavour, server, "GET", Reply(hang=True))
    assert not isinstance(result, Exception) and len(server.requests) == 2
    client, result = run(flavour, server, "POST", Reply(hang=True))
    assert isinstance(result, ApiTimeoutError) and client.sleep == [] and len(server.requests) == 3


@pytest.mark.parametrize("max_retries", [0, 1, 5])
def test_max_retries_bounds_the_attempts(flavour, server: ScriptedServer, fresh_configuration,
                                         max_retries: int) -> None:
    fresh_configuration.max_retries = max_retries
    server.default = Reply(503)
    client, result = run(flavour, server, "GET", then_ok=False)
    assert isinstance(result, ServerError)
    assert len(server.requests) == max_retries + 1 and len(client.sleep) == max_retries


def test_backoff_never_exceeds_max_retry_wait(flavour, server: ScriptedServer, fresh_configuration) -> None:
    fresh_configuration.max_retries, fresh_configuration.max_retry_wait = 8, 1.5
    server.default = Reply(503)
    client, _ = run(flavour, server, "GET", then_ok=False)
    assert len(client.sleep) == 8 and all(0 <= w <= 1.5 for w in client.sleep)


# -- the pure decision ------------------------------------------------------------------
@pytest.mark.parametrize(("header", "seconds"), [
    ("7", 7.0), (" 12 ", 12.0), ("1.5", 1.5), ("0", 0.0), ("", None), (None, None), ("soon", None),
    ("-3", None), ("nan", None), ("inf", None), ("1e9", None),
    ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # in the past: retry now
])
def test_parse_retry_after(header, seconds) -> None:
    assert parse_retry_after(header) == seconds


@pytest.mark.parametrize("local_zone", ["UTC", "America/New_York", "Asia/Kolkata"])
def test_parse_retry_after_date_without_zone_is_utc_whatever_the_local_zone(local_zone: str) -> None:
    future = email.utils.formatdate(time.time() + 100, usegmt=True).replace("GMT", "-0000")
    saved = os.environ.get("TZ")
    os.environ["TZ"] = local_zone
    time.tzset()
    try:
        assert 97 <= parse_retry_after(future) <= 100
    finally:
        if saved is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved
        time.tzset()


@pytest.mark.parametrize(("method", "status", "retried"), [
    ("POST", 429, True), ("PATCH", 429, True), ("POST", 503, False),
    ("PUT", 503, True), ("DELETE", 504, True), ("GET", 500, False),
    ("POST", None, False), ("PATCH", None, False),
    ("GET", None, True), ("PUT", None, True),
])
def test_retry_decision_table(method, status, retried) -> None:
    delay = RetryPolicy(max_retries=3, max_wait=60, rng=lambda: 1.0).delay(method, 0, status)
    assert (delay is not None) is retried


def test_backoff_is_exponential_with_full_jitter_and_capped() -> None:
    assert [RetryPolicy(rng=lambda: 1.0).backoff(n) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, BACKOFF_CAP_S]
    assert RetryPolicy(rng=lambda: 0.0).backoff(3) == 0.0
