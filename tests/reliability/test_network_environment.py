"""Corporate networks: a proxy and a CA bundle from the environment (as curl, requests and
httpx read them), used only where the configuration sets none."""

from __future__ import annotations

import certifi
import pytest

from PureCloudPlatformClientV2 import SCIMApi
from PureCloudPlatformClientV2._netenv import EnvironmentProxies, environment_ca_bundle, environment_proxies
from PureCloudPlatformClientV2.rest import ApiConnectionError

from ..servers import Reply, ScriptedServer
from .conftest import Pki, recording_client, serving

USER = {"id": "u1", "userName": "jane@example.com"}
NETWORK_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "https_proxy", "http_proxy", "no_proxy",
                     "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE")
FAR_AWAY = "http://api.scim-test.invalid"  # never resolves: only a proxy can answer for it


@pytest.fixture
def environ(monkeypatch: pytest.MonkeyPatch, fresh_configuration) -> pytest.MonkeyPatch:
    """A clean network environment (this machine sets CA bundle variables of its own)."""
    for name in NETWORK_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_http_proxy_from_the_environment(server: ScriptedServer, environ, fresh_configuration) -> None:
    environ.setenv("HTTP_PROXY", server.url)
    server.reply(Reply.json(USER))
    assert SCIMApi(recording_client(FAR_AWAY)).get_scim_v2_user("u1").id == "u1"
    (request,) = server.requests
    assert request.target == FAR_AWAY + "/api/v2/scim/v2/users/u1"  # the absolute form a proxy gets


def test_lower_case_names_and_no_proxy(server: ScriptedServer, environ, fresh_configuration) -> None:
    environ.setenv("http_proxy", server.url)
    environ.setenv("no_proxy", "localhost, .scim-test.invalid")
    fresh_configuration.max_retries = 0
    with pytest.raises(ApiConnectionError):  # straight to a host that does not resolve
        SCIMApi(recording_client(FAR_AWAY)).get_scim_v2_user("u1")
    assert server.requests == []


def test_the_configured_proxy_wins_over_the_environment(server: ScriptedServer, environ,
                                                         fresh_configuration) -> None:
    with serving(default=Reply.json(USER)) as configured:
        environ.setenv("HTTP_PROXY", server.url)
        fresh_configuration.proxy = configured.url
        SCIMApi(recording_client(FAR_AWAY)).get_scim_v2_user("u1")
        assert len(configured.requests) == 1 and server.requests == []


def test_the_environment_is_read_when_the_snapshot_is_built(environ, fresh_configuration) -> None:
    assert fresh_configuration.snapshot().proxies is None
    environ.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    assert fresh_configuration.snapshot().proxies is None  # the snapshot is kept until a change
    fresh_configuration.max_retries = 2
    assert fresh_configuration.snapshot().proxies == EnvironmentProxies("http://proxy.example:3128")


def test_ca_bundle_from_the_environment(pki: Pki, environ, fresh_configuration) -> None:
    environ.setenv("SSL_CERT_FILE", pki.ca_file)
    with serving(tls=pki.server_context(), default=Reply.json(USER)) as server:
        assert SCIMApi(recording_client(server)).get_scim_v2_user("u1").id == "u1"
        fresh_configuration.ssl_ca_cert, fresh_configuration.max_retries = certifi.where(), 0  # configured: wins
        with pytest.raises(ApiConnectionError, match="TLS certificate not trusted"):
            SCIMApi(recording_client(server)).get_scim_v2_user("u1")


@pytest.mark.parametrize(("variables", "bundle"), [
    ({}, None), ({"CURL_CA_BUNDLE": "/c"}, "/c"), ({"SSL_CERT_FILE": "/s", "CURL_CA_BUNDLE": "/c"}, "/s"),
    ({"REQUESTS_CA_BUNDLE": "/r", "SSL_CERT_FILE": "/s"}, "/r"), ({"REQUESTS_CA_BUNDLE": " "}, None),
])
def test_which_ca_bundle_variable_wins(variables, bundle) -> None:
    assert environment_ca_bundle(variables) == bundle


@pytest.mark.parametrize(("no_proxy", "host", "port", "bypassed"), [
    ("", "api.mypurecloud.ie", 443, False),
    ("*", "api.mypurecloud.ie", 443, True),
    ("mypurecloud.ie", "api.mypurecloud.ie", 443, True),
    (".mypurecloud.ie", "api.mypurecloud.ie", 443, True),
    ("purecloud.ie", "api.mypurecloud.ie", 443, False),  # a suffix, not a domain
    ("mypurecloud.ie:8443", "api.mypurecloud.ie", 443, False),
    ("mypurecloud.ie:443", "api.mypurecloud.ie", 443, True),
    ("127.0.0.1, ::1", "127.0.0.1", 80, True),
])
def test_no_proxy_rules(no_proxy, host, port, bypassed) -> None:
    proxies = environment_proxies({"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": no_proxy})
    assert proxies is not None
    assert (proxies.proxy_for("https", host, port) is None) is bypassed
    assert environment_proxies({"NO_PROXY": "*"}) is None  # no proxy named: nothing to bypass
