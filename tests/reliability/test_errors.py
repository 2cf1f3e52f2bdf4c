"""Every failure of a call ends in ApiException (or a subclass) carrying what callers need."""

from __future__ import annotations

import pickle

import pytest

from PureCloudPlatformClientV2 import SCIMApi
from PureCloudPlatformClientV2.rest import (
    ApiConnectionError,
    ApiException,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    NotModifiedError,
    PreconditionFailedError,
    RateLimitError,
    ResponseFormatError,
    ServerError,
    UnauthorizedError,
)

from ..servers import Reply, ScriptedServer
from .conftest import closed_port, flavoured_client, recording_client

SCIM_ERROR = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "409",
              "scimType": "uniqueness", "detail": "userName is taken"}
PLATFORM_ERROR = {"message": "Rate limit exceeded", "code": "too.many.requests", "status": 429,
                  "contextId": "ctx-1", "details": [], "errors": []}


@pytest.mark.parametrize(("status", "kind"), [
    (400, BadRequestError), (401, UnauthorizedError), (403, ForbiddenError), (404, NotFoundError),
    (409, ConflictError), (412, PreconditionFailedError), (429, RateLimitError), (500, ServerError),
    (502, ServerError), (503, ServerError), (504, ServerError), (418, ApiException),
])
def test_each_status_family_has_its_class(flavour, server: ScriptedServer, fresh_configuration, status, kind) -> None:
    fresh_configuration.max_retries = 0
    server.reply(Reply.json(SCIM_ERROR, status, {"ININ-Correlation-Id": "corr-42"}))
    with pytest.raises(kind) as caught:
        flavour.api(flavoured_client(flavour, server)).get_scim_v2_user("u 1")
    error = caught.value
    assert type(error) is kind and isinstance(error, ApiException)
    assert (error.status, error.scim_type, error.detail) == (status, "uniqueness", "userName is taken")
    assert (error.correlation_id, error.method, error.path) == ("corr-42", "GET", "/api/v2/scim/v2/users/u%201")
    text = str(error)
    assert all(part in text for part in (f"({status})", "uniqueness", "userName is taken", "corr-42",
                                         "GET /api/v2/scim/v2/users/u%201"))


def test_304_is_not_modified(flavour, server: ScriptedServer) -> None:
    server.reply(Reply(304, headers={"ETag": '"3"'}))
    with pytest.raises(NotModifiedError) as caught:
        flavour.api(flavoured_client(flavour, server)).get_scim_v2_user("u1", if_none_match='"3"')
    assert caught.value.status == 304
    assert server.requests[0].header("If-None-Match") == '"3"'


def test_platform_error_body_is_parsed(flavour, server: ScriptedServer, fresh_configuration) -> None:
    fresh_configuration.max_retries = 0
    server.reply(Reply.json(PLATFORM_ERROR, 429))
    with pytest.raises(RateLimitError) as caught:
        flavour.api(flavoured_client(flavour, server)).get_scim_v2_users()
    assert caught.value.detail == "Rate limit exceeded" and caught.value.scim_type is None
    assert type(caught.value.error).__name__ == "ErrorBody" and caught.value.error.code == "too.many.requests"


def test_scim_error_is_available_as_a_model(flavour, server: ScriptedServer) -> None:
    server.reply(Reply.json({**SCIM_ERROR, "status": "400", "scimType": "invalidVers"}, 400))
    with pytest.raises(BadRequestError) as caught:
        flavour.api(flavoured_client(flavour, server)).delete_scim_v2_user("u1", if_match='"1"')
    assert type(caught.value.error).__name__ == "ScimError" and caught.value.error.scim_type == "invalidVers"


@pytest.mark.parametrize("body", [
    {**SCIM_ERROR, "status": 400, "scimType": "invalidVers", "detail": "version 1 is stale"},
    {"schemas": SCIM_ERROR["schemas"], "status": 400, "detail": "version 1 is stale", "scimType": "invalidVers"},
])
def test_a_scim_error_whose_status_is_a_number_is_decoded(server: ScriptedServer, body) -> None:
    # RFC 7644 makes status a string; some servers send 400. The model still holds a string.
    server.reply(Reply.json(body, 400))
    with pytest.raises(BadRequestError) as caught:
        SCIMApi(recording_client(server)).delete_scim_v2_user("u1", if_match='"1"')
    error = caught.value.error
    assert type(error).__name__ == "ScimError" and (error.status, error.scim_type) == ("400", "invalidVers")
    assert (caught.value.scim_type, caught.value.detail) == ("invalidVers", "version 1 is stale")


def test_a_scim_error_with_only_its_schema_and_status_is_a_scim_error() -> None:
    from PureCloudPlatformClientV2.transport import RESTResponse

    body = b'{"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": 503}'
    error = ApiException.from_response(RESTResponse(503, "Service Unavailable", body, {})).error
    assert type(error).__name__ == "ScimError" and error.status == "503"


@pytest.mark.parametrize(("reply", "kind", "expected"), [
    (Reply(200, b'{"id": "u1", "userName": "a', {"Content-Type": "application/json"}),
     ResponseFormatError, "expected JSON for ScimV2User, got application/json"),
    (Reply(200, b"<html><body>Gateway login</body></html>", {"Content-Type": "text/html; charset=utf-8"}),
     ResponseFormatError, "expected JSON for ScimV2User, got text/html"),
    (Reply(200, b""), ResponseFormatError, "expected JSON for ScimV2User, got an empty body"),
    (Reply.json([1, 2]), ResponseFormatError, "ScimV2User: expected a JSON object for ScimV2User, got array"),
    (Reply.json({"id": 7}), ResponseFormatError, "ScimV2User.id: expected str, got integer"),
    (Reply.json({"emails": [{"primary": "yes"}]}), ResponseFormatError,
     "ScimV2User.emails[0].primary: expected bool, got string"),
    (Reply.json({"meta": {"lastModified": "yesterday"}}), ResponseFormatError,
     "ScimV2User.meta.lastModified: not an ISO 8601 date-time"),
    (Reply(200, b"[" * 100_000 + b"]" * 100_000, {"Content-Type": "application/json"}),
     ResponseFormatError, "expected JSON for ScimV2User"),
    (Reply(raw=b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"id\""), ApiConnectionError, "connection broken"),
    (Reply(raw=b"SMTP ready\r\n\r\n"), ApiConnectionError, "connection broken"),
    (Reply(drop=True), ApiConnectionError, "connection broken"),
])
def test_bad_responses_raise_api_exceptions_naming_the_problem(flavour, server: ScriptedServer, fresh_configuration,
                                                                reply, kind, expected) -> None:
    fresh_configuration.max_retries = 0
    server.reply(reply)
    with pytest.raises(kind) as caught:
        flavour.api(flavoured_client(flavour, server)).get_scim_v2_user("u1")
    assert expected in str(caught.value)
    assert (caught.value.method, caught.value.path) == ("GET", "/api/v2/scim/v2/users/u1")


def test_html_error_page_is_a_server_error_with_its_body(flavour, server: ScriptedServer, fresh_configuration) -> None:
    fresh_configuration.max_retries = 0
    server.reply(Reply(502, b"<html>Bad gateway</html>", {"Content-Type": "text/html"}))
    with pytest.raises(ServerError) as caught:
        flavour.api(flavoured_client(flavour, server)).get_scim_v2_groups()
    assert caught.value.status == 502 and caught.value.scim_type is None and caught.value.error is None
    assert "<html>Bad gateway</html>" in str(caught.value)


@pytest.mark.parametrize("host", [f"http://127.0.0.1:{closed_port()}", "http://no-such-host.invalid"])
def test_refused_and_unresolvable_hosts_are_connection_errors(flavour, fresh_configuration, host: str) -> None:
    fresh_configuration.max_retries = 0
    with pytest.raises(ApiConnectionError) as caught:
        flavour.api(flavoured_client(flavour, host)).get_scim_v2_users()
    error = caught.value
    assert (error.status, error.sent, error.method, error.path) == (0, False, "GET", "/api/v2/scim/v2/users")
    assert "connection failed" in str(error) and "Request: GET /api/v2/scim/v2/users" in str(error)


def test_invalid_host_is_refused_without_retry(flavour, fresh_configuration) -> None:
    client = flavoured_client(flavour, "http://")
    with pytest.raises(ApiConnectionError, match="invalid URL"):
        flavour.api(client).get_scim_v2_users()
    assert client.sleep == []


def test_custom_http_client_failures_are_wrapped(server: ScriptedServer, fresh_configuration) -> None:
    from PureCloudPlatformClientV2 import AbstractHttpClient

    class Broken(AbstractHttpClient):
        def request(self, options):
            raise KeyError("boom")

    fresh_configuration.max_retries = 0
    client = recording_client(server)
    client.set_http_client(Broken())
    with pytest.raises(ApiConnectionError, match="KeyError"):
        SCIMApi(client).get_scim_v2_users()


def test_custom_http_client_responses_are_normalised(fresh_configuration) -> None:
    from PureCloudPlatformClientV2 import AbstractHttpClient

    class Canned(AbstractHttpClient):
        def request(self, options):
            return type("Resp", (), {"status": 404, "reason": "Not Found", "data": '{"detail": "gone"}',
                                     "getheaders": lambda self: {"inin-correlation-id": "c-9"}})()

    client = recording_client("http://unused.invalid")
    client.set_http_client(Canned())
    with pytest.raises(NotFoundError) as caught:
        SCIMApi(client).get_scim_v2_user("u1")
    assert (caught.value.detail, caught.value.correlation_id) == ("gone", "c-9")


def test_exceptions_survive_pickling(server: ScriptedServer, fresh_configuration) -> None:
    fresh_configuration.max_retries = 0
    server.reply(Reply.json(SCIM_ERROR, 409, {"ININ-Correlation-Id": "c-1"}))
    with pytest.raises(ConflictError) as caught:
        SCIMApi(recording_client(server)).post_scim_v2_users({"userName": "a", "displayName": "A"})
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is ConflictError and str(copy) == str(caught.value)
    refused = pickle.loads(pickle.dumps(ApiConnectionError("refused", sent=False)))
    assert (refused.status, refused.reason, refused.sent) == (0, "refused", False)


# -- answers without content -------------------------------------------------------------------
EMPTY_CALLS = {  # (verb, call, the model it declares)
    "POST": (lambda api: api.post_scim_v2_users({"userName": "jane@example.com"}), "ScimV2User"),
    "PUT": (lambda api: api.put_scim_v2_user("u1", {"userName": "jane@example.com"}), "ScimV2User"),
    "PATCH": (lambda api: api.patch_scim_v2_user("u1", {"Operations": [{"op": "remove", "path": "title"}]}),
              "ScimV2User"),
    "PATCH group": (lambda api: api.patch_scim_v2_group("g1", {"Operations": [{"op": "remove", "path": "members"}]}),
                    "ScimV2Group"),
    "DELETE": (lambda api: api.delete_scim_v2_user("u1"), "Empty"),
    "GET": (lambda api: api.get_scim_v2_user("u1"), "ScimV2User"),
}


@pytest.mark.parametrize("verb", EMPTY_CALLS)
@pytest.mark.parametrize("reply", [Reply(204), Reply(204, headers={"Content-Type": "application/scim+json"})],
                         ids=["204", "204 with a Content-Type"])
def test_204_no_content_gives_an_empty_instance_of_the_declared_model(server: ScriptedServer, verb, reply) -> None:
    # RFC 7644 §3.5.2 lets a PATCH answer 204; the official SDK returns an empty model for it.
    call, model = EMPTY_CALLS[verb]
    server.reply(reply)
    result = call(SCIMApi(recording_client(server)))
    assert type(result).__name__ == model and result.to_dict() == type(result)().to_dict()
    assert len(server.requests) == 1


@pytest.mark.parametrize("verb", ["POST", "PUT", "PATCH", "PATCH group", "DELETE"])
@pytest.mark.parametrize("status", [200, 201])
def test_a_write_answered_with_an_empty_body_gives_an_empty_model(server: ScriptedServer, verb, status) -> None:
    call, model = EMPTY_CALLS[verb]
    server.reply(Reply(status, b"", {"Content-Type": "application/scim+json"}))
    result = call(SCIMApi(recording_client(server)))
    assert type(result).__name__ == model and result.to_dict() == type(result)().to_dict()


def test_a_read_answered_200_with_an_empty_body_is_a_format_error_saying_so(server: ScriptedServer,
                                                                            fresh_configuration) -> None:
    # A GET promises the resource: an empty 200 means something in between lost it.
    fresh_configuration.max_retries = 0
    server.reply(Reply(200, b"", {"Content-Type": "application/scim+json"}))
    with pytest.raises(ResponseFormatError) as caught:
        EMPTY_CALLS["GET"][0](SCIMApi(recording_client(server)))
    assert "expected JSON for ScimV2User, got an empty body (application/scim+json)" in str(caught.value)
