"""A gateway (GatewayConfiguration, set_gateway, configuration.gateway_configuration) carries
both the token request and the API calls, under its path prefixes, with the official
normalisation; a real token request and SCIM call go through a path-prefix proxy to the sandbox."""

from __future__ import annotations

from typing import Iterator

import pytest

from PureCloudPlatformClientV2 import ApiClient, SCIMApi
from PureCloudPlatformClientV2.gateway_configuration import GatewayConfiguration
from PureCloudPlatformClientV2.models import ScimV2CreateUser
from PureCloudPlatformClientV2.rest import NotFoundError
from PureCloudPlatformClientV2.sandbox import Sandbox

from ..prefix_proxy import PrefixProxy
from .conftest import closed_port

NOWHERE = f"http://127.0.0.1:{closed_port()}"  # the region host: never reached while a gateway is set


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


@pytest.fixture
def proxy(sandbox: Sandbox) -> Iterator[PrefixProxy]:
    with PrefixProxy(sandbox.url, ["gw/login", "gw/scim/api"]) as running:
        yield running


def test_set_gateway_sends_the_token_request_and_the_calls_through_the_gateway(sandbox, proxy) -> None:
    client = ApiClient(host=NOWHERE)
    client.set_gateway(proxy.host, "http", proxy.port, "/gw/login/", "gw/scim/api/")
    with client:
        client.get_client_credentials_token(sandbox.client_id, sandbox.client_secret)
        api = SCIMApi(client)
        created = api.post_scim_v2_users(ScimV2CreateUser(user_name="gw@example.com", display_name="Gateway"))
        assert api.get_scim_v2_user(created.id).user_name == "gw@example.com"
    assert proxy.paths == ["/gw/login/oauth/token", "/gw/scim/api/api/v2/scim/v2/users",
                           f"/gw/scim/api/api/v2/scim/v2/users/{created.id}"]
    assert client.access_token and client.access_token != sandbox.token  # a real client-credentials token
    assert client.host == NOWHERE  # kept, but not used while the gateway is set


def test_the_configurations_gateway_applies_to_clients_without_their_own(sandbox, proxy, fresh_configuration) -> None:
    gateway = GatewayConfiguration(host=proxy.host, protocol="http", port=proxy.port,
                                   path_params_login="gw/login", path_params_api="gw/scim/api")
    fresh_configuration.host = NOWHERE
    fresh_configuration.gateway_configuration = gateway
    fresh_configuration.access_token = sandbox.token
    api = SCIMApi()
    assert api.api_client.gateway_configuration is gateway
    assert api.get_scim_v2_users(count=1).total_results >= 0
    assert proxy.paths == ["/gw/scim/api/api/v2/scim/v2/users?count=1"]
    gateway.path_params_api = "elsewhere"  # an edit of the object applies to the next call
    with pytest.raises(NotFoundError):  # the proxy serves nothing there
        api.get_scim_v2_users(count=1)
    assert proxy.paths[-1] == "/elsewhere/api/v2/scim/v2/users?count=1"
    own = ApiClient()
    own.access_token = sandbox.token
    own.gateway_configuration = None  # this client opts out: straight to its host
    own.host = sandbox.url
    with own:
        assert SCIMApi(own).get_scim_v2_users(count=1).total_results >= 0
    assert len(proxy.paths) == 2


@pytest.mark.parametrize(("settings", "api", "login"), [
    ({"host": "gw.example.com"}, "https://gw.example.com", "https://gw.example.com"),
    ({"host": "gw.example.com", "protocol": None, "port": None}, "https://gw.example.com", "https://gw.example.com"),
    ({"host": "gw.example.com", "protocol": "HTTP", "port": 8080}, "http://gw.example.com:8080",
     "http://gw.example.com:8080"),
    ({"host": "gw.example.com", "port": -5, "path_params_login": "/login/", "path_params_api": "api/"},
     "https://gw.example.com/api", "https://gw.example.com/login"),
    ({"host": "gw.example.com", "port": 0, "path_params_login": "a/b", "path_params_api": "/c"},
     "https://gw.example.com:0/c", "https://gw.example.com:0/a/b"),
])
def test_urls_follow_the_official_normalisation(settings, api, login) -> None:
    client = ApiClient(host="https://api.mypurecloud.ie")
    client.set_gateway(**settings)
    assert client.get_conf_url("api", client.host) == api
    assert client.get_conf_url("login", client.host) == login
    assert client.login_host() == login


def test_without_a_gateway_the_login_host_is_the_regions() -> None:
    client = ApiClient(host="https://api.mypurecloud.ie")
    assert client.get_conf_url("login", client.host) == "https://login.mypurecloud.ie"
    assert client.get_conf_url("api", client.host) == "https://api.mypurecloud.ie"


def test_the_official_attribute_values() -> None:
    gateway = GatewayConfiguration(host="gw.example.com", path_params_api="/api/", username="u", password="p-secret")
    assert (gateway.protocol, gateway.port, gateway.path_params_login, gateway.path_params_api) == ("https", -1, "",
                                                                                                   "/api")
    assert (gateway.username, gateway.password) == ("u", "p-secret")
    assert "p-secret" not in repr(gateway) and "gw.example.com" in repr(gateway)
    assert GatewayConfiguration(host="").host is None and GatewayConfiguration().urls() is None


@pytest.mark.parametrize(("settings", "error", "message"), [
    ({"host": "https://gw.example.com"}, ValueError, "no scheme"),
    ({"host": "gw.example.com/api"}, ValueError, "no path"),
    ({"host": 5}, TypeError, "host name"),
    ({"protocol": "ftp"}, ValueError, "'https' or 'http'"),
    ({"port": "443"}, TypeError, "port must be an int"),
    ({"port": 70000}, ValueError, "at most 65535"),
    ({"path_params_api": "api?x=1"}, ValueError, "plain path"),
])
def test_bad_gateway_settings_are_refused(settings, error, message) -> None:
    with pytest.raises(error, match=message):
        GatewayConfiguration(**settings)
    with pytest.raises(TypeError, match="GatewayConfiguration"):
        ApiClient().gateway_configuration = "gw.example.com"  # type: ignore[assignment]
