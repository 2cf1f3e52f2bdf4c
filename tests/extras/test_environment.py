"""Configuration from GENESYSCLOUD_* variables: only on request, checked, never leaking secrets."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2 import ApiClient, PureCloudRegionHosts, SCIMApi
from PureCloudPlatformClientV2.configuration import Configuration
from PureCloudPlatformClientV2.environment import (
    EnvironmentConfigError,
    EnvironmentSettings,
    client_from_environment,
    read_environment,
)
from PureCloudPlatformClientV2.sandbox import Sandbox

from ..servers import Reply

pytestmark = pytest.mark.usefixtures("fresh_configuration")  # these tests set the configuration on purpose

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cr3t-VALUE"
TOKEN = "tok-VALUE"
EMPTY_LIST = Reply.json({"totalResults": 0, "Resources": []})


@pytest.mark.parametrize(
    ("environ", "host", "token", "client_id"),
    [
        ({}, None, None, None),
        ({"GENESYSCLOUD_REGION": "eu-west-1"}, "https://api.mypurecloud.ie", None, None),
        ({"GENESYSCLOUD_REGION": " EU_CENTRAL_1 "}, "https://api.mypurecloud.de", None, None),
        ({"GENESYSCLOUD_REGION": PureCloudRegionHosts.ap_southeast_2}, "https://api.mypurecloud.com.au", None, None),
        ({"GENESYSCLOUD_REGION": "api.usw2.pure.cloud"}, "https://api.usw2.pure.cloud", None, None),
        # base paths, as Genesys' own CLI takes them (the region's host without "api.")
        ({"GENESYSCLOUD_REGION": "mypurecloud.ie"}, "https://api.mypurecloud.ie", None, None),
        ({"GENESYSCLOUD_REGION": "usw2.pure.cloud"}, "https://api.usw2.pure.cloud", None, None),
        ({"GENESYSCLOUD_REGION": " MyPureCloud.com.au "}, "https://api.mypurecloud.com.au", None, None),
        ({"GENESYSCLOUD_REGION": "use2.us-gov-pure.cloud"}, "https://api.use2.us-gov-pure.cloud", None, None),
        ({"GENESYSCLOUD_API_HOST": "http://127.0.0.1:8999/"}, "http://127.0.0.1:8999", None, None),
        ({"GENESYSCLOUD_API_HOST": "api.mypurecloud.jp"}, "https://api.mypurecloud.jp", None, None),
        ({"GENESYSCLOUD_API_HOST": "http://[::1]:9000", "GENESYSCLOUD_REGION": "eu-west-1"}, "http://[::1]:9000", None, None),
        ({"GENESYSCLOUD_REGION": "", "GENESYSCLOUD_ACCESS_TOKEN": "  "}, None, None, None),
        ({"GENESYSCLOUD_ACCESS_TOKEN": f" {TOKEN}\n"}, None, TOKEN, None),
        ({"GENESYSCLOUD_OAUTHCLIENT_ID": "cid", "GENESYSCLOUD_OAUTHCLIENT_SECRET": SECRET}, None, None, "cid"),
    ],
)
def test_reads_the_variables(environ: dict[str, Any], host: str | None, token: str | None, client_id: str | None) -> None:
    settings = read_environment(environ)
    assert (settings.host, settings.access_token, settings.client_id) == (host, token, client_id)
    assert settings.client_secret == (SECRET if client_id else None)


@pytest.mark.parametrize(
    ("environ", "variable"),
    [
        ({"GENESYSCLOUD_REGION": "mars-north-1"}, "GENESYSCLOUD_REGION"),
        ({"GENESYSCLOUD_REGION": "example.com"}, "GENESYSCLOUD_REGION"),  # not a Genesys base path
        ({"GENESYSCLOUD_REGION": 42}, "GENESYSCLOUD_REGION"),
        ({"GENESYSCLOUD_API_HOST": "ftp://files.example"}, "GENESYSCLOUD_API_HOST"),
        ({"GENESYSCLOUD_API_HOST": "https://api.mypurecloud.ie/api/v2"}, "GENESYSCLOUD_API_HOST"),
        ({"GENESYSCLOUD_API_HOST": "https://user:VALUE@api.mypurecloud.ie"}, "GENESYSCLOUD_API_HOST"),
        ({"GENESYSCLOUD_API_HOST": "http://user:VALUE@127.0.0.1:99999"}, "GENESYSCLOUD_API_HOST"),
        ({"GENESYSCLOUD_REGION": "https://user:VALUE@api.mypurecloud.ie/x"}, "GENESYSCLOUD_REGION"),
        ({"GENESYSCLOUD_API_HOST": "https://api.mypurecloud.ie?x=1"}, "GENESYSCLOUD_API_HOST"),
        ({"GENESYSCLOUD_API_HOST": "http://127.0.0.1:99999"}, "GENESYSCLOUD_API_HOST"),
        ({"GENESYSCLOUD_API_HOST": "https://"}, "GENESYSCLOUD_API_HOST"),
        ({"GENESYSCLOUD_ACCESS_TOKEN": f"{TOKEN} extra"}, "GENESYSCLOUD_ACCESS_TOKEN"),
        ({"GENESYSCLOUD_ACCESS_TOKEN": f"{TOKEN}\r\nX-Injected: 1"}, "GENESYSCLOUD_ACCESS_TOKEN"),
        ({"GENESYSCLOUD_OAUTHCLIENT_SECRET": SECRET}, "GENESYSCLOUD_OAUTHCLIENT_ID"),
        ({"GENESYSCLOUD_OAUTHCLIENT_ID": "cid"}, "GENESYSCLOUD_OAUTHCLIENT_SECRET"),
        ({"GENESYSCLOUD_OAUTHCLIENT_ID": "cid", "GENESYSCLOUD_OAUTHCLIENT_SECRET": " ",
          "GENESYSCLOUD_ACCESS_TOKEN": TOKEN}, "GENESYSCLOUD_OAUTHCLIENT_SECRET"),
        ({"GENESYSCLOUD_OAUTHCLIENT_ID": "c:id", "GENESYSCLOUD_OAUTHCLIENT_SECRET": SECRET}, "GENESYSCLOUD_OAUTHCLIENT_ID"),
        ({"GENESYSCLOUD_OAUTHCLIENT_ID": "cid", "GENESYSCLOUD_OAUTHCLIENT_SECRET": f"{SECRET}\x00"},
         "GENESYSCLOUD_OAUTHCLIENT_SECRET"),
    ],
)
def test_bad_values_name_the_variable_and_never_show_secrets(environ: dict[str, Any], variable: str) -> None:
    with pytest.raises(EnvironmentConfigError) as caught:
        read_environment(environ)
    assert caught.value.variable == variable
    assert str(caught.value).startswith(variable + ": ")
    assert "VALUE" not in str(caught.value)  # neither the token nor the secret
    assert isinstance(caught.value, ValueError)


def test_settings_repr_redacts_secrets() -> None:
    shown = repr(EnvironmentSettings("https://h", TOKEN, "cid", SECRET))
    assert "cid" in shown and "https://h" in shown and "VALUE" not in shown


def test_client_from_environment_with_a_token_makes_no_token_request(serve: Any) -> None:
    _, server = serve(default=EMPTY_LIST)
    with client_from_environment({"GENESYSCLOUD_API_HOST": server.url, "GENESYSCLOUD_ACCESS_TOKEN": TOKEN}) as client:
        SCIMApi(client).get_scim_v2_users()
    (request,) = server.requests
    assert request.path == "/api/v2/scim/v2/users"
    assert request.header("Authorization") == f"Bearer {TOKEN}"


def test_client_from_environment_with_credentials_fetches_a_token(serve: Any) -> None:
    _, server = serve(script=[Reply.json({"access_token": "fetched", "expires_in": 3600}), EMPTY_LIST])
    environ = {"GENESYSCLOUD_API_HOST": server.url, "GENESYSCLOUD_OAUTHCLIENT_ID": "cid",
               "GENESYSCLOUD_OAUTHCLIENT_SECRET": SECRET}
    with client_from_environment(environ) as client:
        SCIMApi(client).get_scim_v2_users()
    token_request, call = server.requests
    assert (token_request.method, token_request.path) == ("POST", "/oauth/token")
    assert token_request.header("Authorization") == "Basic " + base64.b64encode(f"cid:{SECRET}".encode()).decode()
    assert call.header("Authorization") == "Bearer fetched"


def test_client_from_environment_needs_credentials() -> None:
    with pytest.raises(EnvironmentConfigError, match="GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET"):
        client_from_environment({"GENESYSCLOUD_REGION": "eu-west-1"})


def test_client_from_environment_follows_configuration_host_without_a_host_variable(serve: Any) -> None:
    _, server = serve(default=EMPTY_LIST)
    PureCloudPlatformClientV2.configuration.host = server.url
    with client_from_environment({"GENESYSCLOUD_ACCESS_TOKEN": TOKEN}) as client:
        assert client.host == server.url
        SCIMApi(client).get_scim_v2_users()
    assert len(server.requests) == 1


def test_client_credentials_against_the_sandbox() -> None:
    with Sandbox(seed=3) as sandbox:
        environ = {"GENESYSCLOUD_API_HOST": sandbox.url, "GENESYSCLOUD_OAUTHCLIENT_ID": sandbox.client_id,
                   "GENESYSCLOUD_OAUTHCLIENT_SECRET": sandbox.client_secret}
        with client_from_environment(environ) as client:
            assert client.access_token and client.access_token != sandbox.token
            assert SCIMApi(client).get_scim_v2_users(count=0).total_results >= 2


def test_client_from_environment_reads_os_environ_by_default(monkeypatch: pytest.MonkeyPatch, serve: Any) -> None:
    _, server = serve(default=EMPTY_LIST)
    monkeypatch.setenv("GENESYSCLOUD_API_HOST", server.url)
    monkeypatch.setenv("GENESYSCLOUD_ACCESS_TOKEN", TOKEN)
    with client_from_environment() as client:
        assert client.host == server.url and client.access_token == TOKEN


# -- Configuration ------------------------------------------------------------------------
def test_load_environment_sets_host_and_token(serve: Any) -> None:
    _, server = serve(default=EMPTY_LIST)
    config = Configuration().load_environment({"GENESYSCLOUD_API_HOST": server.url, "GENESYSCLOUD_ACCESS_TOKEN": TOKEN})
    assert config is PureCloudPlatformClientV2.configuration
    assert (config.host, config.access_token) == (server.url, TOKEN)
    SCIMApi().get_scim_v2_users()
    assert server.requests[0].header("Authorization") == f"Bearer {TOKEN}"
    assert "VALUE" not in repr(config)


def test_load_environment_with_credentials_authenticates_the_default_client(serve: Any) -> None:
    _, server = serve(script=[Reply.json({"access_token": "fetched", "expires_in": 3600}), EMPTY_LIST])
    config = Configuration()
    config.load_environment({"GENESYSCLOUD_API_HOST": server.url, "GENESYSCLOUD_OAUTHCLIENT_ID": "cid",
                             "GENESYSCLOUD_OAUTHCLIENT_SECRET": SECRET})
    assert config.access_token is None
    SCIMApi().get_scim_v2_users()
    assert [r.path for r in server.requests] == ["/oauth/token", "/api/v2/scim/v2/users"]
    assert server.requests[1].header("Authorization") == "Bearer fetched"


def test_load_environment_leaves_unset_settings_alone() -> None:
    config = Configuration()
    config.host, config.access_token = "https://api.mypurecloud.de", "mine"
    config.load_environment({"GENESYSCLOUD_REGION": ""})
    assert (config.host, config.access_token) == ("https://api.mypurecloud.de", "mine")
    config.load_environment({"GENESYSCLOUD_REGION": "us-west-2"})
    assert (config.host, config.access_token) == ("https://api.usw2.pure.cloud", "mine")


def test_load_environment_refuses_bad_values_without_changing_anything() -> None:
    config = Configuration()
    with pytest.raises(EnvironmentConfigError, match="GENESYSCLOUD_OAUTHCLIENT_ID"):
        config.load_environment({"GENESYSCLOUD_REGION": "eu-west-1", "GENESYSCLOUD_OAUTHCLIENT_SECRET": SECRET})
    assert config.host == "https://api.mypurecloud.com"


def test_configuration_host_accepts_a_region() -> None:
    config = Configuration()
    config.host = PureCloudRegionHosts.eu_west_1
    assert config.host == "https://api.mypurecloud.ie"
    assert ApiClient().host == "https://api.mypurecloud.ie"
    assert "host='https://api.mypurecloud.ie'" in repr(config)
    with pytest.raises(TypeError):
        config.host = 42  # type: ignore[assignment]


def test_nothing_is_read_from_the_environment_at_import() -> None:
    script = (
        "import sys, PureCloudPlatformClientV2 as p\n"
        "c = p.configuration\n"
        "print(c.host, c.access_token)\n"
        "print(sorted(m for m in ('paging', 'filters', 'patch', 'environment')"
        " if 'PureCloudPlatformClientV2.' + m in sys.modules))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), GENESYSCLOUD_REGION="eu-west-1", GENESYSCLOUD_ACCESS_TOKEN=TOKEN,
               GENESYSCLOUD_API_HOST="http://127.0.0.1:1")
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["https://api.mypurecloud.com None", "[]"]


def test_an_api_client_accepts_a_region_as_its_host() -> None:
    from PureCloudPlatformClientV2 import ApiClient, PureCloudRegionHosts

    client = ApiClient(host=PureCloudRegionHosts.eu_west_1)
    assert client.host == "https://api.mypurecloud.ie"
    client.host = PureCloudRegionHosts.ap_southeast_2
    assert client.login_host() == "https://login.mypurecloud.com.au"
    with pytest.raises(TypeError, match="ApiClient host"):
        ApiClient(host=42)  # type: ignore[arg-type]
