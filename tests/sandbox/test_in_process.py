"""The in-process transport: it answers exactly what the socket server answers, faults and limits
included, and ApiClient treats its answers as network ones."""

from __future__ import annotations

import base64
import json
import re
import threading
from typing import Any, Iterator
from urllib.parse import quote

import pytest
import urllib3
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from PureCloudPlatformClientV2 import ScimV2CreateUser
from PureCloudPlatformClientV2.rest import ApiConnectionError, ApiException
from PureCloudPlatformClientV2.sandbox import Sandbox, fake
from PureCloudPlatformClientV2.sandbox.exchange import SERVER
from PureCloudPlatformClientV2.sandbox.in_process import IN_PROCESS_URL, InProcessTransport
from PureCloudPlatformClientV2.transport import HttpRequestOptions

from .conftest import PATCH_OP

TOKEN, SECRET = "equal-token", "equal-secret"
SEEDED = [user["id"] for user in fake.make_users(3)]
GROUP = fake.group_id("Sales")
VARYING_HEADERS = {"date", "inin-correlation-id", "content-length", "inin-ratelimit-reset"}
TIMES = {"created", "lastModified"}


# -- the same requests to both: random method, route, query, headers and body -----------------------
def _basic(secret: str) -> str:
    return "Basic " + base64.b64encode(f"sandbox-client:{secret}".encode()).decode()


prefixes = st.sampled_from(["/api/v2/scim/v2"] * 4 + ["/api/v2/scim"] * 2 + ["/api/v2/scim/v3", "/api/v2"])
resources = st.sampled_from(["/Users"] * 4 + ["/users", "/Groups", "/groups", "/ServiceProviderConfig",
                                              "/ResourceTypes", "/ResourceTypes/User", "/Schemas", "/Bulk", "/.search",
                                              "", "/users/.search"])
ids = st.sampled_from(["", "", "/created0", *(f"/{i}" for i in SEEDED), f"/{GROUP}", "/created0", "/created1",
                       "/no-such-id", "/a%20b", "/x/y"])
filters = st.sampled_from(['userName eq "p0@example.com"', "active eq false", "title pr", 'displayName co "a"',
                           'userName sw "P"', "userName eq", "emails[type eq", 'not (title pr)',
                           f'id eq "{SEEDED[0]}"', 'displayName eq "Sales"'])
queries = st.fixed_dictionaries({}, optional={
    "filter": filters, "count": st.sampled_from(["-1", "0", "1", "2", "200", "x"]),
    "startIndex": st.sampled_from(["0", "1", "2", "50"]), "attributes": st.sampled_from(["userName,title", "members"]),
    "excludedAttributes": st.sampled_from(["emails", "groups,title"]),
})
user_bodies = st.builds(
    lambda n, title, active: {"userName": f"p{n}@example.com", "displayName": f"P {n}", "title": title,
                              "active": active, "roles": [{"value": "Agent"}]},
    st.integers(0, 2), st.sampled_from(["Agent", "Lead", ""]), st.booleans())
patches = st.builds(lambda op, path, value: {"schemas": [PATCH_OP],
                                             "Operations": [{"op": op, "path": path, "value": value}]},
                    st.sampled_from(["replace", "add", "remove", "frobnicate"]),
                    st.sampled_from(["title", "active", "id", 'emails[type eq "work"].value', "members"]),
                    st.sampled_from(["Boss", False, "w@example.com", [{"value": SEEDED[1]}]]))
bodies = st.one_of(st.none(), user_bodies.map(json.dumps), patches.map(json.dumps),
                   st.sampled_from(['{"displayName": "Sales", "members": []}', "{not json", "x" * 3000,
                                    "grant_type=client_credentials", "grant_type=password"]))
authorizations = st.sampled_from([f"Bearer {TOKEN}", f"Bearer {TOKEN}", "Bearer wrong", None, "Basic", _basic(SECRET),
                                  _basic("bad")])
versions = st.sampled_from([None, None, None, '"1"', '"2"', 'W/"1"', "*", '"99"'])


@st.composite
def any_requests(draw: Any) -> dict[str, Any]:
    """Anything at all: most of these are refused somewhere (auth, route, method, body)."""
    oauth = draw(st.integers(0, 9)) == 0
    path = "/oauth/token" if oauth else draw(prefixes) + draw(resources) + draw(ids)
    method = draw(st.sampled_from(["GET", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]))
    return _request(draw, method, path, draw(authorizations), draw(bodies))


@st.composite
def scim_calls(draw: Any) -> dict[str, Any]:
    """What a SCIM client sends: a known route, the right kind of body, a valid token."""
    user = draw(st.sampled_from([*SEEDED, "created0", "created1"]))
    method, path, body = draw(st.sampled_from([
        ("POST", "/Users", user_bodies), ("GET", "/Users", st.none()), ("GET", f"/Users/{user}", st.none()),
        ("PUT", f"/Users/{user}", user_bodies), ("PATCH", f"/Users/{user}", patches),
        ("DELETE", f"/Users/{user}", st.none()), ("GET", "/Groups", st.none()), ("GET", f"/Groups/{GROUP}", st.none()),
        ("PATCH", f"/Groups/{GROUP}", patches), ("GET", "/ServiceProviderConfig", st.none())]))
    return _request(draw, method, draw(prefixes) + path, f"Bearer {TOKEN}", draw(body.map(_text)))


def _text(body: Any) -> str | None:
    return None if body is None else json.dumps(body)


def _request(draw: Any, method: str, path: str, authorization: str | None, body: str | None) -> dict[str, Any]:
    query = draw(queries)
    headers = {}
    for name, value in (("Authorization", authorization), ("If-Match", draw(versions)),
                        ("If-None-Match", draw(versions))):
        if value is not None:
            headers[name] = value
    if body is not None:
        form = body.startswith("grant")
        headers["Content-Type"] = "application/x-www-form-urlencoded" if form else "application/json"
    target = path + ("?" + "&".join(f"{k}={quote(v)}" for k, v in query.items()) if query else "")
    return {"method": method, "target": target, "headers": headers, "body": body}


class Side:
    """One sandbox and how a request reaches it; ids it generated are renamed created0, created1, ..."""

    def __init__(self, sandbox: Sandbox, host: str, send: Any) -> None:
        self.sandbox, self.host, self.send = sandbox, host, send
        self.created: list[str] = []

    def __call__(self, request: dict[str, Any]) -> tuple[int, list[tuple[str, str]], Any]:
        target = request["target"]
        for index, created in enumerate(self.created):
            target = target.replace(f"/created{index}", f"/{created}")
        status, headers, data = self.send(request["method"], self.host + target, request["headers"], request["body"])
        if request["method"] != "HEAD":
            assert dict((k.lower(), v) for k, v in headers).get("content-length", str(len(data))) == str(len(data))
        body = json.loads(data) if data else None
        if status == 201 and isinstance(body, dict):
            self.created.append(body["id"])
        return status, [(k, self._plain(v)) for k, v in headers if k.lower() not in VARYING_HEADERS], self._plain(body)

    def _plain(self, value: Any, key: str = "") -> Any:
        """The value with this side's generated ids, host, times and random tokens made neutral."""
        if isinstance(value, dict):
            return {k: self._plain(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self._plain(v) for v in value]
        if not isinstance(value, str):
            return value
        if key in TIMES or key in ("contextId", "access_token"):
            return f"<{key}>"
        for index, created in enumerate(self.created):
            value = value.replace(created, f"created{index}")
        return value.replace(self.host, "<host>")


@pytest.fixture(scope="module")
def pair() -> Iterator[tuple[Side, Side]]:
    common: dict[str, Any] = dict(seed=3, token=TOKEN, client_secret=SECRET, max_body_bytes=2048, fault_seed=7,
                                  error_429_rate=0.05, error_503_rate=0.05, retry_after=0)
    pool = urllib3.PoolManager(retries=False)

    def over_socket(method: str, url: str, headers: dict[str, str], body: str | None) -> Any:
        reply = pool.request(method, url, body=body, headers=headers, redirect=False)
        return reply.status, list(reply.headers.items()), reply.data

    with Sandbox(**common) as served, Sandbox(serve=False, **common) as in_process:
        transport = in_process.transport()

        def directly(method: str, url: str, headers: dict[str, str], body: str | None) -> Any:
            answer = transport.request(HttpRequestOptions(url, method, headers, body=body))
            return answer.status, list(answer.getheaders().items()), answer.raw_data

        yield Side(served, served.url, over_socket), Side(in_process, IN_PROCESS_URL, directly)
        pool.clear()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(scim_calls(), any_requests()), min_size=1, max_size=10))
def test_in_process_answers_what_the_socket_server_answers(pair: tuple[Side, Side],
                                                           sequence: list[dict[str, Any]]) -> None:
    for side in pair:
        side.sandbox.reset()
        side.created.clear()
    for request in sequence:
        socket_answer, in_process_answer = (side(request) for side in pair)
        assert in_process_answer == socket_answer, request
        event(f"status {socket_answer[0]}")


# -- the wire details ---------------------------------------------------------------------------------
def test_headers_match_http_server_in_name_order_and_server_value() -> None:
    with Sandbox(token=TOKEN) as served:  # one sandbox, reached both ways: the same data and host
        over_socket = urllib3.PoolManager(retries=False).request(
            "GET", served.scim_url + "/groups", headers={"Authorization": f"Bearer {TOKEN}"})
        directly = served.transport().request(
            HttpRequestOptions(served.scim_url + "/groups", "GET", {"Authorization": f"Bearer {TOKEN}"}))
        assert list(directly.getheaders()) == list(over_socket.headers) == [
            "Server", "Date", "Content-Type", "Content-Length", "inin-ratelimit-count", "inin-ratelimit-allowed",
            "inin-ratelimit-reset", "ININ-Correlation-Id"]
        assert directly.getheader("Server") == over_socket.headers["Server"] == SERVER
        assert directly.reason == over_socket.reason == "OK"
        assert json.loads(directly.data) == over_socket.json()


def test_the_host_header_comes_from_the_url_unless_given(in_process_sandbox: Sandbox) -> None:
    api = in_process_sandbox.api
    user = api.post_scim_v2_users(ScimV2CreateUser(user_name="h@example.com", display_name="H"))
    assert user.meta.location == f"{IN_PROCESS_URL}/api/v2/scim/v2/users/{user.id}"
    api.api_client.set_default_header("Host", "scim.example.com")
    assert api.get_scim_v2_user(user.id).meta.location.startswith("http://scim.example.com/api/v2/scim/v2/")


def test_head_leaves_the_body_out_and_keeps_its_length() -> None:
    with Sandbox() as served:  # the sandbox routes no HEAD: 405 with a SCIM error it does not send
        auth = {"Authorization": f"Bearer {served.token}"}
        over_socket = urllib3.PoolManager(retries=False).request("HEAD", served.scim_url + "/groups", headers=auth)
        directly = served.transport().request(HttpRequestOptions(served.scim_url + "/groups", "HEAD", auth))
    assert directly.status == over_socket.status == 405
    assert directly.raw_data == over_socket.data == b""
    assert directly.getheader("Content-Length") == over_socket.headers["Content-Length"] != "0"


# -- a sandbox without a server -----------------------------------------------------------------------
def test_serve_false_starts_no_thread_and_has_no_port() -> None:
    # Threads of earlier tests may end meanwhile, so compare sets: no thread appears that wasn't there.
    before = set(threading.enumerate())
    with Sandbox(seed=5, serve=False) as sandbox:
        assert sandbox.running and set(threading.enumerate()) <= before
        assert sandbox.api.get_scim_v2_users().total_results == 5
        assert isinstance(sandbox.api.api_client.http_client, InProcessTransport)
        assert sandbox.url == IN_PROCESS_URL and sandbox.scim_url == IN_PROCESS_URL + "/api/v2/scim/v2"
        with pytest.raises(RuntimeError, match="serve=False"):
            _ = sandbox.port
        with pytest.raises(RuntimeError, match="in_process=True"):
            sandbox.client(in_process=False)
        assert repr(sandbox) == "Sandbox(in-process, profile='rfc')"
    assert not sandbox.running


def test_a_serving_sandbox_offers_both_clients() -> None:
    with Sandbox(seed=2) as sandbox:
        assert not isinstance(sandbox.api.api_client.http_client, InProcessTransport)  # api stays on the socket
        with sandbox.client(in_process=True) as client:
            assert isinstance(client.http_client, InProcessTransport) and client.host == sandbox.url
            from PureCloudPlatformClientV2 import SCIMApi

            created = SCIMApi(client).post_scim_v2_users(ScimV2CreateUser(user_name="b@example.com", display_name="B"))
        assert sandbox.api.get_scim_v2_user(created.id).meta.location == created.meta.location  # one store


def test_a_stopped_sandbox_refuses_like_a_closed_port() -> None:
    sandbox = Sandbox(serve=False).start()
    client = sandbox.client()
    client.sleep = lambda seconds: None
    sandbox.stop()
    with pytest.raises(ApiConnectionError, match="not running") as refused:
        client.call_api("/api/v2/scim/v2/users", "GET", response_type="object")
    assert refused.value.sent is False


# -- ApiClient checks an in-process answer as a network one ---------------------------------------
def test_non_2xx_raise_api_exception_with_status_headers_and_body(in_process_sandbox: Sandbox) -> None:
    api = in_process_sandbox.api
    with pytest.raises(ApiException) as missing:
        api.get_scim_v2_user("no-such-id")
    assert missing.value.status == 404 and missing.value.reason == "Not Found"
    assert json.loads(missing.value.body)["detail"] == "User no-such-id not found"
    assert missing.value.headers is not None and "ININ-Correlation-Id" in missing.value.headers
    api.api_client.access_token = "wrong"
    with pytest.raises(ApiException) as unauthorized:
        api.get_scim_v2_users()
    assert unauthorized.value.status == 401 and json.loads(unauthorized.value.body)["code"] == "bad.credentials"


def test_if_none_match_gives_304_as_over_http(in_process_sandbox: Sandbox) -> None:
    api = in_process_sandbox.api
    user = api.post_scim_v2_users(ScimV2CreateUser(user_name="e@example.com", display_name="E"))
    with pytest.raises(ApiException) as unchanged:
        api.get_scim_v2_user(user.id, if_none_match=f'"{user.meta.version}"')
    assert unchanged.value.status == 304 and unchanged.value.headers["ETag"] == f'"{user.meta.version}"'


def test_client_credentials_in_process() -> None:
    with Sandbox(serve=False, token_lifetime=3600) as sandbox:
        client = sandbox.client()
        client.access_token = None
        client.get_client_credentials_token(sandbox.client_id, sandbox.client_secret)
        assert client.access_token and client.access_token != sandbox.token
        from PureCloudPlatformClientV2 import SCIMApi

        assert SCIMApi(client).get_scim_v2_groups().total_results == 4
        with pytest.raises(ApiException) as refused:
            sandbox.client().get_client_credentials_token(sandbox.client_id, "wrong")
        assert refused.value.status == 401 and json.loads(refused.value.body)["error"] == "invalid_client"


# -- faults and limits apply in-process ------------------------------------------------------------------
def test_latency_goes_through_the_faults_sleep() -> None:
    with Sandbox(serve=False, latency=0.25) as sandbox:
        slept: list[float] = []
        sandbox.app.faults.sleep = slept.append
        sandbox.api.get_scim_v2_groups()
        assert slept == [0.25]


def test_injected_429_is_retried_after_retry_after_then_raised() -> None:
    with Sandbox(serve=False, error_429_rate=1.0, retry_after=3) as sandbox:
        waits: list[float] = []
        sandbox.api.api_client.sleep = waits.append
        with pytest.raises(ApiException) as refused:
            sandbox.api.get_scim_v2_groups()
        assert refused.value.status == 429 and refused.value.headers["Retry-After"] == "3"
        assert waits == [3.0, 3.0, 3.0]  # the default max_retries, each honouring Retry-After


def test_injected_503_and_rate_limit() -> None:
    with Sandbox(serve=False, error_503_rate=1.0) as sandbox:
        sandbox.api.api_client.sleep = lambda seconds: None
        with pytest.raises(ApiException) as unavailable:
            sandbox.api.get_scim_v2_groups()
        assert unavailable.value.status == 503
    with Sandbox(serve=False, rate_limit=2) as sandbox:
        sandbox.api.api_client.sleep = lambda seconds: None
        assert [sandbox.api.get_scim_v2_groups().total_results for _ in range(2)] == [4, 4]
        with pytest.raises(ApiException) as limited:
            sandbox.api.get_scim_v2_groups()
        assert limited.value.status == 429 and limited.value.headers["inin-ratelimit-allowed"] == "2"


def test_a_body_over_the_limit_gets_413() -> None:
    with Sandbox(serve=False, max_body_bytes=200) as sandbox:
        with pytest.raises(ApiException) as refused:
            sandbox.api.post_scim_v2_users(ScimV2CreateUser(user_name="big@example.com", display_name="x" * 300))
        assert refused.value.status == 413 and refused.value.headers["Connection"] == "close"
        assert "Maximum bytes: 200" in json.loads(refused.value.body)["message"]


def test_log_requests_writes_one_line_per_request(capsys: pytest.CaptureFixture[str]) -> None:
    with Sandbox(serve=False, log_requests=True) as sandbox:
        sandbox.api.get_scim_v2_groups(count=1)
    line = capsys.readouterr().err.strip()
    assert re.fullmatch(r'in-process - "GET /api/v2/scim/v2/groups\?count=1 HTTP/1.1" 200 -', line), line
