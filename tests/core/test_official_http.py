"""The official HTTP layer and the smaller official behaviours, against the scripted server:
rest.RESTClientObject, pre/post request hooks, HttpRequestOptions, last_response per thread,
ApiNullValue, case-insensitive error headers, to_json datetimes, numeric strings, and the
configuration's credential helpers."""

from __future__ import annotations

import datetime as dt
import pickle
import threading
from typing import Any

import pytest

from PureCloudPlatformClientV2 import ApiNullValue, YearMonth
from PureCloudPlatformClientV2.api_client import ApiClient
from PureCloudPlatformClientV2.apis.scim_api import SCIMApi
from PureCloudPlatformClientV2.configuration import Configuration
from PureCloudPlatformClientV2.default_http_client import DefaultHttpClient
from PureCloudPlatformClientV2.http_request_options import HttpRequestOptions
from PureCloudPlatformClientV2.models import ScimEmail, ScimMetadata, ScimV2CreateUser, ScimV2User
from PureCloudPlatformClientV2.rest import ApiException, HTTPHeaders, NotFoundError, RESTClientObject, RESTResponse

from ..servers import Reply, ScriptedServer


# -- rest.RESTClientObject ------------------------------------------------------------------------
def test_rest_client_object_sends_the_official_way(server: ScriptedServer) -> None:
    server.reply(Reply.json({"ok": True}), Reply.json({"id": "u1"}, 201), Reply(204))
    rest = RESTClientObject()
    try:
        got = rest.GET(server.url + "/a", headers={"Authorization": "Bearer t"}, query_params={"count": 5})
        created = rest.POST(server.url + "/b", body={"userName": "x"}, query_params={"q": "a b"})
        rest.DELETE(server.url + "/c")
    finally:
        rest.close()
    assert isinstance(got, RESTResponse) and got.status == 200 and got.data == '{"ok": true}'
    assert created.status == 201 and created.getheader("content-type") == "application/scim+json"
    first, second, third = server.requests
    assert (first.method, first.target, first.header("Authorization")) == ("GET", "/a?count=5", "Bearer t")
    assert (second.method, second.target, second.json()) == ("POST", "/b?q=a+b", {"userName": "x"})
    assert second.header("Content-Type") == "application/json"
    assert (third.method, third.body) == ("DELETE", b"")


def test_rest_client_object_raises_api_exception_and_sends_forms(server: ScriptedServer) -> None:
    server.reply(Reply.json({"message": "no"}, 404), Reply.json({}))
    with _closing(DefaultHttpClient()) as http:
        with pytest.raises(NotFoundError) as missing:
            http.rest_client.GET(server.url + "/gone")
        http.rest_client.POST(server.url + "/token", headers={"Content-Type": "application/x-www-form-urlencoded"},
                              post_params={"grant_type": "client_credentials"})
        with pytest.raises(ValueError, match="body parameter cannot be used with post_params"):
            http.rest_client.POST(server.url + "/x", body={"a": 1}, post_params={"b": 2})
    assert missing.value.status == 404
    assert server.requests[1].body == b"grant_type=client_credentials"
    assert len(server.requests) == 2


class _closing:
    def __init__(self, client: DefaultHttpClient) -> None:
        self.client = client

    def __enter__(self) -> DefaultHttpClient:
        return self.client

    def __exit__(self, *exc: object) -> None:
        self.client.close()


# -- hooks and HttpRequestOptions -------------------------------------------------------------
def test_hooks_see_each_request_and_response_and_may_change_them(server: ScriptedServer, client: ApiClient) -> None:
    seen: list[Any] = []

    def before(options: HttpRequestOptions) -> None:  # returns None: the changed options are sent
        seen.append((options.method, options.url))
        options.headers["X-Trace"] = "t-1"

    def after(response: RESTResponse) -> RESTResponse:
        seen.append(response.status)
        return response

    http = client.get_http_client()
    assert http is client.http_client
    http.set_pre_request_hook(before)
    http.set_post_request_hook(after)
    user = SCIMApi(client).get_scim_v2_user("u1")
    assert isinstance(user, ScimV2User)
    assert seen == [("GET", server.url + "/api/v2/scim/v2/users/u1"), 200]
    assert server.requests[0].header("X-Trace") == "t-1"


def test_a_pre_hook_may_replace_the_options(server: ScriptedServer) -> None:
    with _closing(DefaultHttpClient()) as http:
        http.set_pre_request_hook(lambda options: HttpRequestOptions(url=options.url + "/moved", method="PUT"))
        http.request(HttpRequestOptions(url=server.url + "/x", method="get"))
        http.pre_hook = lambda options: 42
        with pytest.raises(TypeError, match="pre-request hook returned int"):
            http.request(HttpRequestOptions(url=server.url + "/x", method="GET"))
    assert [(r.method, r.target) for r in server.requests] == [("PUT", "/x/moved")]


class Recorder:
    def hook(self, options: Any) -> None:
        """A bound method: one positional argument (the official check refuses these)."""


@pytest.mark.parametrize("hook", [None, "text", lambda: None, lambda a, b: None, lambda *, a: None],
                         ids=["none", "str", "no-argument", "two-arguments", "keyword-only"])
def test_hooks_must_take_exactly_one_positional_argument(hook: Any) -> None:
    http = DefaultHttpClient()
    with pytest.raises(ValueError, match=r"preHook must be a function that accepts \(http_request_options\)"):
        http.set_pre_request_hook(hook)
    with pytest.raises(ValueError, match=r"postHook must be a function that accepts \(RESTResponse\)"):
        http.set_post_request_hook(hook)
    assert http.pre_hook is None and http.post_hook is None
    http.set_pre_request_hook(Recorder().hook)
    http.set_post_request_hook(lambda response, extra=None: None)
    assert http.pre_hook is not None and http.post_hook is not None


def test_http_request_options_take_the_official_keywords(server: ScriptedServer) -> None:
    options = HttpRequestOptions(url=server.url + "/q", method="post", headers={"A": "1"},
                                 query_params={"count": "2"}, post_params={"k": "v"}, body=None, timeout=5)
    assert (options.method, options.timeout, options.headers) == ("POST", 5, {"A": "1"})
    with _closing(DefaultHttpClient()) as http:
        http.request(options)
    (sent,) = server.requests
    assert (sent.target, sent.body, sent.header("Content-Type")) == (
        "/q?count=2", b"k=v", "application/x-www-form-urlencoded")
    with pytest.raises(ValueError, match="url"):
        HttpRequestOptions(url="", method="GET")
    with pytest.raises(ValueError, match="unsupported HTTP method 'FETCH'"):
        options.method = "FETCH"
    with pytest.raises(ValueError, match="The 'timeout' property"):
        DefaultHttpClient().set_timeout("soon")  # type: ignore[arg-type]


# -- last_response ----------------------------------------------------------------------------
def test_last_response_is_kept_per_thread(server: ScriptedServer, client: ApiClient) -> None:
    server.default = lambda request: Reply.json({"id": request.path.rsplit("/", 1)[1]})
    api = SCIMApi(client)
    api.get_scim_v2_user("main")
    seen: dict[str, str] = {}
    started = threading.Barrier(2)

    def worker(name: str) -> None:
        started.wait()
        api.get_scim_v2_user(name)
        seen[name] = client.last_response.data if client.last_response else ""

    threads = [threading.Thread(target=worker, args=(n,)) for n in ("t1", "t2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {"t1": '{"id": "t1"}', "t2": '{"id": "t2"}'}
    assert client.last_response is not None and client.last_response.data == '{"id": "main"}'
    assert client.with_options(timeout=5).last_response is None  # a new client, its own record


# -- ApiNullValue ------------------------------------------------------------------------------
def test_api_null_value_is_sent_as_json_null(server: ScriptedServer, client: ApiClient) -> None:
    body = ScimV2CreateUser(user_name="a@example.com", title=ApiNullValue(),
                            emails=[ScimEmail(value="a@example.com", type=ApiNullValue())])
    SCIMApi(client).post_scim_v2_users(body)
    assert server.requests[0].json() == {"userName": "a@example.com", "title": None,
                                         "emails": [{"value": "a@example.com", "type": None}]}
    assert client.sanitize_for_serialization({"x": ApiNullValue(), "y": [ApiNullValue(), 1]}) == {
        "x": None, "y": [None, 1]}
    assert ScimV2User(title=ApiNullValue()).to_dict()["title"] is None


def test_api_null_value_is_one_instance() -> None:
    assert ApiNullValue() is ApiNullValue() is pickle.loads(pickle.dumps(ApiNullValue()))
    assert isinstance(ApiNullValue(), type(ApiNullValue()))
    assert ApiNullValue().to_dict() is None and ApiNullValue().to_json() is None


def test_year_month_is_checked_and_sent_as_text() -> None:
    assert ApiClient().sanitize_for_serialization({"month": YearMonth(2024, 5)}) == {"month": "2024-05"}
    assert YearMonth.from_date(dt.date(2023, 12, 9)).to_date() == dt.date(2023, 12, 1)
    assert YearMonth(2024, 5) == YearMonth(2024, 5) != YearMonth(2024, 6)
    with pytest.raises(ValueError, match="Month must be between 1 and 12"):
        YearMonth(2024, 13)


# -- smaller differences ---------------------------------------------------------------------
def test_error_headers_are_looked_up_without_regard_to_case(server: ScriptedServer, api: SCIMApi) -> None:
    server.reply(Reply.json({"message": "x"}, 404, {"ININ-Correlation-Id": "c-1"}))
    with pytest.raises(ApiException) as failure:
        api.get_scim_v2_user("u1")
    headers = failure.value.headers
    assert isinstance(headers, HTTPHeaders)
    assert headers["inin-correlation-id"] == headers["ININ-Correlation-Id"] == "c-1"
    assert "inin-correlation-id" in headers and "ININ-Correlation-Id" in list(headers)
    assert pickle.loads(pickle.dumps(failure.value)).headers["inin-correlation-id"] == "c-1"


def test_to_json_writes_iso_8601_datetimes() -> None:
    when = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    text = ScimV2User(meta=ScimMetadata(last_modified=when)).to_json()
    assert '"last_modified": "2024-01-02T03:04:05+00:00"' in text


@pytest.mark.parametrize(("given", "sent"), [("5", "5"), (5, "5"), ("+7", "7")])
def test_numbers_given_as_digit_strings_are_sent_as_officially(server: ScriptedServer, api: SCIMApi,
                                                              given: Any, sent: str) -> None:
    api.get_scim_v2_users(count=given, start_index="2")
    assert server.requests[0].query == {"count": sent, "startIndex": "2"}


@pytest.mark.parametrize("garbage", ["5; drop", "", "five", "1e3", " 5"])
def test_other_strings_for_numbers_are_refused_before_sending(server: ScriptedServer, api: SCIMApi,
                                                             garbage: str) -> None:
    with pytest.raises(ValueError, match="`count` must be an int or a string of digits"):
        api.get_scim_v2_users(count=garbage)
    assert server.requests == []


def test_configuration_credential_helpers(fresh_configuration: Configuration) -> None:
    config = fresh_configuration
    assert (config.username, config.password, config.api_key, config.api_key_prefix, config.temp_folder_path) == (
        "", "", {}, {}, None)
    config.username, config.password = "user", "secret-pw"
    assert config.get_basic_auth_token() == "Basic dXNlcjpzZWNyZXQtcHc="
    assert config.get_api_key_with_prefix("Authorization") is None
    config.api_key["Authorization"] = "jwt-value"
    assert config.get_api_key_with_prefix("Authorization") == "jwt-value"
    config.api_key_prefix["Authorization"] = "Bearer"
    assert config.get_api_key_with_prefix("Authorization") == "Bearer jwt-value"
    config.access_token = "global"
    settings = config.auth_settings()
    assert settings["PureCloud OAuth"]["value"] == "Bearer global"
    assert config.auth_settings("own")["PureCloud OAuth"]["value"] == "Bearer own"
    assert settings["Guest Chat JWT"] == {"type": "api_key", "in": "header", "key": "Authorization",
                                          "value": "Bearer jwt-value"}
    shown = repr(config)
    assert "secret-pw" not in shown and "jwt-value" not in shown and "global" not in shown


def test_official_client_helpers(fresh_configuration: Configuration, tmp_path: Any) -> None:
    client = ApiClient()
    client.access_token = "own-token"
    headers: dict[str, str] = {}
    client.update_params_for_auth(headers, {}, ["PureCloud OAuth", "No such auth"])
    assert headers == {"Authorization": "Bearer own-token"}
    assert client.to_path_value(["a", "b"]) == "a,b" and client.to_path_value(True) == "true"
    assert client.select_header_accept(["application/scim+json", "application/json"]) == "application/json"
    assert client.select_header_accept([]) is None
    assert client.select_header_content_type(["Application/SCIM+json"]) == "application/scim+json"
    assert client.sanitize_params_for_serialization({"a": 1, "b": None}) == {"a": 1}
    upload = tmp_path / "users.csv"
    upload.write_bytes(b"a,b\n")
    assert client.prepare_post_parameters({"k": "v"}, {"file": str(upload)}) == [
        ("k", "v"), ("file", ("users.csv", b"a,b\n", "text/csv"))]
