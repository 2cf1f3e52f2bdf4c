"""Settings as values: the configuration's snapshot follows its changes, TLS changes reach new
connections, `with_options` shares the pool and tokens, one retry policy states the rule, and
nothing below ApiClient imports the configuration."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from PureCloudPlatformClientV2 import SCIMApi
from PureCloudPlatformClientV2._retry import RetryPolicy
from PureCloudPlatformClientV2.api_client import ApiClient
from PureCloudPlatformClientV2.configuration import Configuration
from PureCloudPlatformClientV2.logger import LogLevel
from PureCloudPlatformClientV2.rest import ApiConnectionError, ServerError
from PureCloudPlatformClientV2.settings import Settings, TransportSettings

from ..servers import Reply
from .conftest import Pki, TokenService, api_requests, recording_client, serving, token_requests

USER = {"id": "u1", "userName": "jane@example.com"}
PACKAGE = Path(__file__).resolve().parents[2] / "PureCloudPlatformClientV2"


# -- the snapshot -------------------------------------------------------------------------
def test_the_snapshot_is_kept_until_a_setting_changes(fresh_configuration: Configuration) -> None:
    first = fresh_configuration.snapshot()
    assert fresh_configuration.snapshot() is first  # nothing changed: no rebuild
    fresh_configuration.max_retries = 7
    fresh_configuration.host = "https://api.mypurecloud.ie/"
    second = fresh_configuration.snapshot()
    assert (second.retry.max_retries, second.host, first.retry.max_retries) == (7, "https://api.mypurecloud.ie", 3)
    fresh_configuration.timeout = [5, 30]
    assert fresh_configuration.snapshot().timeout == (5.0, 30.0)
    fresh_configuration.timeout[1] = 2  # a list changed in place is noticed
    assert fresh_configuration.snapshot().timeout == (5.0, 2.0)
    fresh_configuration.logger.log_request_body = True  # the logger's settings are part of it
    assert fresh_configuration.snapshot().logging.request_body is True
    assert fresh_configuration.snapshot().transport is first.transport  # unchanged: the very same value
    fresh_configuration.verify_ssl, fresh_configuration.ssl_ca_cert = False, "/tmp/ca.pem"
    assert fresh_configuration.snapshot().transport == TransportSettings(verify_ssl=False, ca_cert="/tmp/ca.pem")


def test_the_snapshot_is_frozen() -> None:
    settings = Settings()
    with pytest.raises(AttributeError, match="frozen"):
        settings.host = "https://elsewhere"  # type: ignore[misc]
    assert settings.replace(timeout=5).timeout == (5.0, 5.0) and settings.timeout == (10.0, 60.0)
    with pytest.raises(ValueError, match="timeout must be seconds > 0"):
        settings.replace(timeout=0)
    with pytest.raises(TypeError, match="no setting colour"):
        settings.replace(colour="blue")


def test_changes_between_calls_apply_to_the_next_call(server, fresh_configuration: Configuration) -> None:
    fresh_configuration.max_retries = 0
    server.reply(Reply(503), Reply(503), Reply.json(USER))
    api = SCIMApi(recording_client(server))
    with pytest.raises(ServerError):
        api.get_scim_v2_user("u1")
    fresh_configuration.max_retries = 1
    assert api.get_scim_v2_user("u1").id == "u1"  # the second 503 was retried
    fresh_configuration.logger.log_level = LogLevel.LNone  # any change: the snapshot is renewed
    assert len(server.requests) == 3


def test_a_client_with_its_own_settings_ignores_the_configuration(server, fresh_configuration) -> None:
    fresh_configuration.max_retries, fresh_configuration.host = 0, "http://127.0.0.1:9"
    server.reply(Reply(503), Reply.json(USER))
    client = ApiClient(settings=Settings(host=server.url, retry=RetryPolicy(max_retries=1, rng=lambda: 0.0)))
    client.access_token, client.sleep = "tok", lambda seconds: None
    with client:
        assert SCIMApi(client).get_scim_v2_user("u1").id == "u1"
    assert len(server.requests) == 2 and server.requests[0].header("Authorization") == "Bearer tok"
    with pytest.raises(TypeError, match="settings must be a Settings"):
        ApiClient(settings={"host": server.url})  # type: ignore[arg-type]


# -- TLS changes reach new connections ------------------------------------------------------
def test_a_ca_bundle_set_after_a_first_connection_is_used_by_the_next(pki: Pki, fresh_configuration) -> None:
    fresh_configuration.max_retries = 0
    with serving(tls=pki.server_context(), default=Reply.json(USER)) as server:
        api = SCIMApi(recording_client(server))
        with pytest.raises(ApiConnectionError, match="certificate"):  # certifi does not know the test CA
            api.get_scim_v2_user("u1")
        fresh_configuration.ssl_ca_cert = pki.ca_file
        assert api.get_scim_v2_user("u1").id == "u1"
        fresh_configuration.verify_ssl = True  # set again, unchanged: the pool (and connection) stays
        assert api.get_scim_v2_user("u1").id == "u1"
    assert (len(server.requests), server.connections) == (2, 2)


def test_a_client_certificate_set_later_is_presented_on_the_next_connection(pki: Pki, fresh_configuration) -> None:
    fresh_configuration.ssl_ca_cert, fresh_configuration.max_retries = pki.ca_file, 0
    with serving(tls=pki.server_context(require_client_cert=True), default=Reply.json(USER)) as server:
        api = SCIMApi(recording_client(server))
        with pytest.raises(ApiConnectionError):
            api.get_scim_v2_user("u1")
        fresh_configuration.cert_file, fresh_configuration.key_file = pki.client_cert, pki.client_key
        assert api.get_scim_v2_user("u1").id == "u1"
    assert len(server.requests) == 1


def test_a_transport_is_built_from_its_own_settings(pki: Pki) -> None:
    from PureCloudPlatformClientV2 import DefaultHttpClient, HttpRequestOptions

    with serving(tls=pki.server_context(), default=Reply.json(USER)) as server:
        http = DefaultHttpClient(settings=TransportSettings(ca_cert=pki.ca_file))
        try:
            assert http.request(HttpRequestOptions(server.url + "/x", "GET")).status == 200
            with pytest.raises(ApiConnectionError, match="certificate"):  # a request asking for other TLS
                http.request(HttpRequestOptions(server.url + "/x", "GET", transport=TransportSettings()))
        finally:
            http.close()


# -- with_options ---------------------------------------------------------------------------
def test_with_options_shares_the_pool_and_leaves_the_original_unchanged(server) -> None:
    server.reply(Reply(503), Reply.json(USER), Reply(503))
    client = recording_client(server)
    quick = client.with_options(max_retries=0, timeout=(2, 5))
    assert quick.http_client is client.http_client and quick.sleep is client.sleep
    assert (quick.settings.retry.max_retries, quick.settings.timeout) == (0, (2.0, 5.0))
    assert (client.settings.retry.max_retries, client.settings.timeout) == (3, (10.0, 60.0))
    assert SCIMApi(client).get_scim_v2_user("u1").id == "u1"  # the original retries the 503
    with pytest.raises(ServerError):
        SCIMApi(quick).get_scim_v2_user("u1")  # the new one does not
    assert len(server.requests) == 3 and server.connections == 1  # one pooled connection for both


def test_with_options_follows_the_configuration_for_settings_it_does_not_replace(fresh_configuration) -> None:
    quick = ApiClient().with_options(max_retries=0)
    fresh_configuration.timeout, fresh_configuration.max_retry_wait = 3, 9
    assert (quick.settings.timeout, quick.settings.retry.max_wait, quick.settings.retry.max_retries) == (
        (3.0, 3.0), 9, 0)
    assert quick.with_options(timeout=1).settings.retry.max_retries == 0  # options accumulate


def test_with_options_shares_the_token(server) -> None:
    server.default = TokenService(lambda request: Reply.json(USER) if request.header(
        "Authorization") == "Bearer tok-2" else Reply(401))
    client = recording_client(server, token=None)
    client.get_client_credentials_token("id", "secret")  # tok-1
    other = client.with_options(timeout=5)
    assert SCIMApi(other).get_scim_v2_user("u1").id == "u1"  # 401 with tok-1, renewed to tok-2
    assert client.access_token == other.access_token == "tok-2"
    assert SCIMApi(client).get_scim_v2_user("u1").id == "u1"  # the original uses tok-2 at once
    assert len(token_requests(server)) == 2 and len(api_requests(server)) == 3


@pytest.mark.parametrize(("options", "error", "message"), [
    ({"verify_ssl": False}, TypeError, "unknown option.*verify_ssl"),
    ({"timeout": 0}, ValueError, "with_options timeout must be seconds > 0"),
    ({"max_retries": -1}, ValueError, "max_retries must be an int >= 0"),
    ({"max_retries": 1.5}, ValueError, "max_retries must be an int >= 0"),
    ({"max_retry_wait": "60"}, ValueError, "max_retry_wait must be seconds >= 0"),
    ({"retry": 3}, TypeError, "retry must be a RetryPolicy"),
])
def test_with_options_refuses_bad_options(options, error, message) -> None:
    with pytest.raises(error, match=message):
        ApiClient().with_options(**options)


# -- the retry policy -----------------------------------------------------------------------
METHODS = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "POST", "PATCH"]


def expected_retry(method: str, status: int | None, sent: bool = True) -> bool:
    """The rule, written out independently of the policy."""
    if status == 429 or (status is None and not sent):
        return True
    return method in ("GET", "HEAD", "PUT", "DELETE", "OPTIONS") and status in (None, 502, 503, 504)


@given(method=st.sampled_from(METHODS), status=st.none() | st.integers(100, 599),
       attempt=st.integers(0, 12), max_retries=st.integers(0, 6), max_wait=st.floats(0, 100),
       jitter=st.floats(0, 1, exclude_max=True), sent=st.booleans())
def test_retry_policy_without_retry_after(method, status, attempt, max_retries, max_wait, jitter, sent) -> None:
    policy = RetryPolicy(max_retries=max_retries, max_wait=max_wait, rng=lambda: jitter)
    delay = policy.delay(method, attempt, status, sent=sent)
    if attempt >= max_retries or not expected_retry(method, status, sent):
        assert delay is None
    else:
        assert delay == min(jitter * min(8.0, 0.5 * 2.0**attempt), max_wait)
    assert policy.delay(method, attempt, status, retryable=False, sent=sent) is None  # e.g. an untrusted certificate


@given(method=st.sampled_from(METHODS), status=st.sampled_from([429, 502, 503, 504]),
       asked=st.integers(0, 200), max_wait=st.integers(0, 100))
def test_retry_policy_honours_retry_after_up_to_the_maximum_wait(method, status, asked, max_wait) -> None:
    policy = RetryPolicy(max_retries=3, max_wait=max_wait, rng=lambda: pytest.fail("no jitter with Retry-After"))
    delay = policy.delay(method, 0, status, {"retry-after": str(asked)})
    if not expected_retry(method, status) or asked > max_wait:
        assert delay is None
    else:
        assert delay == asked


def test_the_policy_describes_what_it_retries_and_the_docs_say_the_same() -> None:
    described = RetryPolicy.describe()
    assert "429" in described and "502/503/504" in described and "500" not in described.replace("502", "")
    docs = " ".join((PACKAGE.parent / "docs" / "reliability.md").read_text(encoding="utf-8").split())
    assert described in docs
    import click

    from PureCloudPlatformClientV2.cli.connection import connection_options

    @click.command()
    @connection_options
    def command(connection: object) -> None:
        """A stand-in command."""

    (help_text,) = [param.help for param in command.params if param.name == "max_retries"]
    assert help_text == f"Retries after {described} (default 5)."


# -- the import graph -----------------------------------------------------------------------
# config_file is the configuration's own file reader: it sets configuration settings
ABOVE_API_CLIENT = {"PureCloudPlatformClientV2", "PureCloudPlatformClientV2.configuration",
                    "PureCloudPlatformClientV2.api_client", "PureCloudPlatformClientV2.environment",
                    # the asyncio client is an ApiClient's peer (it follows the configuration);
                    # in_process serves the sandbox
                    "PureCloudPlatformClientV2.aio", "PureCloudPlatformClientV2.aio.api_client",
                    "PureCloudPlatformClientV2.aio.scim_api", "PureCloudPlatformClientV2.aio.in_process",
                    "PureCloudPlatformClientV2.config_file"}
ABOVE_PREFIXES = ("PureCloudPlatformClientV2.apis", "PureCloudPlatformClientV2.cli",
                  "PureCloudPlatformClientV2.sandbox")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every package module `path` imports, at the top or inside functions (relative or not)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # `from . import _retry`
    return {m for m in found if m.startswith("PureCloudPlatformClientV2")}


def test_nothing_below_api_client_imports_the_configuration() -> None:
    graph = {module_name(path): imports_of(path) for path in PACKAGE.rglob("*.py")}
    below = {m for m in graph if m not in ABOVE_API_CLIENT and not m.startswith(ABOVE_PREFIXES)}
    assert {"PureCloudPlatformClientV2.transport", "PureCloudPlatformClientV2.rest", "PureCloudPlatformClientV2._retry",
            "PureCloudPlatformClientV2.settings", "PureCloudPlatformClientV2.logger",
            "PureCloudPlatformClientV2._model", "PureCloudPlatformClientV2.models",
            "PureCloudPlatformClientV2.aio.transport",
            "PureCloudPlatformClientV2.aio.paging"} <= below
    offenders = {}
    for module in below:
        reached, todo = set(), [module]
        while todo:  # everything it imports, directly or through other package modules
            for imported in graph.get(todo.pop(), set()):
                if imported not in reached:
                    reached.add(imported)
                    todo.append(imported)
        wrong = reached & {"PureCloudPlatformClientV2.configuration", "PureCloudPlatformClientV2.api_client"}
        if wrong:
            offenders[module] = sorted(wrong)
    assert offenders == {}
    assert "PureCloudPlatformClientV2.configuration" in graph["PureCloudPlatformClientV2.api_client"]  # the check sees
