"""Secrets (token, client secret, cookies, passwords, filter values) never reach repr/str,
exception text or log records; logging adds no handlers and touches no other logger."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from PureCloudPlatformClientV2 import ApiClient, SCIMApi
from PureCloudPlatformClientV2.configuration import Configuration
from PureCloudPlatformClientV2.logger import LogFormat, LogLevel, _JsonFormatter
from PureCloudPlatformClientV2.models import ScimV2CreateUser, ScimV2PatchRequest
from PureCloudPlatformClientV2.rest import ApiException

from ..servers import RecordedRequest, Reply
from .conftest import TokenService, recording_client, serving

CLIENT_SECRET = "client-SECRET-0451"
TOKEN_PREFIX = "tok-"  # TokenService hands out tok-1, tok-2, ...
COOKIE = "COOKIE-SECRET-77"
SERVER_COOKIE = "SERVER-COOKIE-SECRET-88"
PASSWORD = "PASSWORD-SECRET-99"
PATCH_PASSWORD = "PATCH-PASSWORD-SECRET-11"
FILTER_VALUE = "filter-SECRET@example.com"
PROXY_SECRET = "PROXY-SECRET-33"
SECRETS = [CLIENT_SECRET, TOKEN_PREFIX, COOKIE, SERVER_COOKIE, PASSWORD, PATCH_PASSWORD, PROXY_SECRET]
USER = {"id": "u1", "userName": "jane@example.com", "displayName": "Jane"}


def misbehaving_api(request: RecordedRequest) -> Reply:
    """429 once per listing, a 401 for the first user read, a 500 for PUT; cookies everywhere."""
    cookie = {"Set-Cookie": f"session={SERVER_COOKIE}; HttpOnly", "ININ-Correlation-Id": "c-1"}
    seen = [r for r in misbehaving_api.requests if r.method == request.method and r.path == request.path]
    misbehaving_api.requests.append(request)
    if request.method == "GET" and request.path.endswith("/users") and not seen:
        return Reply.json({"message": "slow down"}, 429, {**cookie, "Retry-After": "1"})
    if request.method == "GET" and request.path.endswith("/u1") and not seen:
        return Reply.json({"message": "expired"}, 401, cookie)
    if request.method == "PUT":
        return Reply.json({"message": "boom", "status": 500}, 500, cookie)
    if request.method == "DELETE":
        return Reply(drop=True)
    if request.path.endswith("/users") and request.method == "GET":
        return Reply.json({"totalResults": 1, "Resources": [USER]}, headers=cookie)
    return Reply.json(USER, headers=cookie)


def exercise(server) -> list[ApiException]:
    """Success, retries, a token fetch and refresh, failures: everything that logs."""
    client = recording_client(server, token=None)
    client.cookie = f"session={COOKIE}"
    client.get_client_credentials_token("client-id", CLIENT_SECRET)
    api = SCIMApi(client)
    api.get_scim_v2_users(f'userName eq "{FILTER_VALUE}"', count=5)
    api.post_scim_v2_users(ScimV2CreateUser(user_name="a@example.com", display_name="A", password=PASSWORD))
    patch = ScimV2PatchRequest(schemas=["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                               operations=[{"op": "replace", "path": "password", "value": PATCH_PASSWORD}])
    api.patch_scim_v2_user("u1", patch)
    api.get_scim_v2_user("u1")  # 401, refresh, retry
    errors = []
    for failing in (lambda: api.put_scim_v2_user("u1", USER), lambda: api.delete_scim_v2_user("u1")):
        try:
            failing()
        except ApiException as error:
            errors.append(error)
    assert [type(e).__name__ for e in errors] == ["ServerError", "ApiConnectionError"]
    return errors


def record_text(record: logging.LogRecord) -> str:
    return " ".join([record.getMessage(), repr(vars(record)), _JsonFormatter().format(record),
                     logging.Formatter("%(message)s").format(record)])


@pytest.mark.parametrize("log_format", [LogFormat.TEXT, LogFormat.JSON])
def test_no_secret_reaches_any_log_record(caplog, package_logger, fresh_configuration, log_format) -> None:
    settings = fresh_configuration.logger
    settings.log_level, settings.log_format = LogLevel.LTrace, log_format
    settings.log_request_body = settings.log_response_body = True
    caplog.set_level(1)
    misbehaving_api.requests = []
    with serving(default=TokenService(misbehaving_api)) as server:
        errors = exercise(server)
    ours = [r for r in caplog.records if r.name.startswith("PureCloudPlatformClientV2")]
    assert len(ours) >= 8 and any(r.levelno == logging.ERROR for r in ours)
    for record in caplog.records:  # urllib3's own records included
        text = record_text(record)
        assert not [s for s in SECRETS if s in text], text
    for record in ours:  # urllib3 logs full URLs at DEBUG; ours never carry the filter
        assert FILTER_VALUE not in record_text(record) and "filter-SECRET" not in record_text(record)
    bodies = [r.http.get("requestBody") for r in ours if getattr(r, "http", {}).get("requestBody")]
    assert {"userName": "a@example.com", "displayName": "A", "password": "[REDACTED]"} in bodies
    assert any("[REDACTED]" in json.dumps(b) and "Operations" in b for b in bodies)  # the PATCH value
    for error in errors:
        assert not [s for s in SECRETS if s in str(error) + repr(error)]


def test_repr_and_str_hide_secrets(server, fresh_configuration) -> None:
    config = fresh_configuration
    config.access_token = "tok-global"
    client = recording_client(server, token="tok-client")
    client.cookie = f"session={COOKIE}"
    server.default = TokenService(lambda r: Reply.json(USER))
    client.get_client_credentials_token("client-id", CLIENT_SECRET)
    user = ScimV2CreateUser(user_name="a", password=PASSWORD)
    config.proxy_username, config.proxy_password = "proxy-user", PROXY_SECRET
    snapshot = config.snapshot()
    assert snapshot.transport.proxy_password == PROXY_SECRET and snapshot.access_token == "tok-global"
    proxied = snapshot.transport.replace(proxy=f"http://proxy-user:{PROXY_SECRET}@proxy.example.com:3128")
    shown = [repr(client), str(client), repr(client._tokens.credentials), repr(config), str(config), repr(user),
             str(user), user.to_json(), user.to_str(), repr(snapshot), str(snapshot), repr(client.settings),
             repr(proxied)]
    assert "proxy.example.com:3128" in repr(proxied)
    assert not [s for s in SECRETS if any(s in text for text in shown)]
    assert user.to_wire()["password"] == PASSWORD and user.password == PASSWORD  # still sent


def test_exception_text_hides_request_credentials_and_response_cookies(server) -> None:
    server.reply(Reply.json({"message": "nope"}, 403, {"Set-Cookie": f"s={SERVER_COOKIE}"}))
    client = recording_client(server, token="tok-abc")
    client.cookie = f"session={COOKIE}"
    with pytest.raises(ApiException) as caught:
        SCIMApi(client).get_scim_v2_users(f'userName eq "{FILTER_VALUE}"')
    text = str(caught.value) + repr(caught.value)
    assert not [s for s in [*SECRETS, FILTER_VALUE] if s in text]
    assert caught.value.headers["Set-Cookie"] == f"s={SERVER_COOKIE}"  # still available to code


def test_logging_is_silent_and_unconfigured_by_default(tmp_path: Path) -> None:
    # A fresh interpreter: pytest itself installs handlers on the root logger.
    script = textwrap.dedent("""
        import json, logging, sys
        import urllib3  # adds its own NullHandler on import; compare from here
        root_before = (list(logging.root.handlers), logging.root.level)
        urllib3_logger = logging.getLogger("urllib3")
        urllib3_before = [urllib3_logger.level, list(urllib3_logger.handlers), urllib3_logger.propagate]
        from tests.servers import ScriptedServer, Reply
        import PureCloudPlatformClientV2 as P
        with ScriptedServer(default=Reply.json({"id": "u1"})) as server:
            server.reply(Reply.json({"message": "no"}, 404))
            client = P.ApiClient(host=server.url)
            client.access_token = "t"
            api = P.SCIMApi(client)
            try:
                api.get_scim_v2_user("missing")
            except P.ApiException:
                pass
            api.get_scim_v2_user("u1")
            client.close()
        ours = logging.getLogger("PureCloudPlatformClientV2")
        ours.warning("could not renew the access token early: as the client logs it")  # no stderr
        print(json.dumps({"handlers": [type(h).__name__ for h in ours.handlers], "level": ours.level,
                          "propagate": ours.propagate,
                          "root": (list(logging.root.handlers), logging.root.level) == root_before,
                          "urllib3": [urllib3_logger.level, list(urllib3_logger.handlers),
                                      urllib3_logger.propagate] == urllib3_before}))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).parents[2])
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"handlers": ["NullHandler"], "level": 0, "propagate": True, "root": True,
                                       "urllib3": True}
    # neither a failed call nor a warning (a failed early token renewal) prints through
    # logging's last-resort handler: the package logger has a NullHandler, as libraries should
    assert done.stderr == ""


def test_official_console_and_file_settings_add_only_our_handlers(tmp_path: Path, package_logger,
                                                                  fresh_configuration) -> None:
    root_handlers = list(logging.root.handlers)
    settings = fresh_configuration.logger
    settings.log_to_console = True
    settings.log_to_console = True  # idempotent: still one console handler
    settings.log_file_path = str(tmp_path / "sdk.log")
    assert len(package_logger.handlers) == 3 and logging.root.handlers == root_handlers  # with the NullHandler
    settings.log_level, settings.log_format = LogLevel.LDebug, LogFormat.JSON
    settings.log_request_body = True
    with serving(default=Reply.json(USER)) as server:
        client = recording_client(server, token="tok-file")
        SCIMApi(client).post_scim_v2_users(ScimV2CreateUser(user_name="a", password=PASSWORD))
    settings.log_to_console, settings.log_file_path = False, None
    assert [type(h).__name__ for h in package_logger.handlers] == ["NullHandler"]
    entry = json.loads((tmp_path / "sdk.log").read_text().splitlines()[-1])
    assert entry["method"] == "POST" and entry["requestBody"]["password"] == "[REDACTED]"
    assert entry["requestHeaders"]["Authorization"] == "[REDACTED]"
    assert "tok-file" not in (tmp_path / "sdk.log").read_text()
