"""Corporate networks from the command line: --proxy and --ca-bundle (flags win over the
environment), and an OAuth refusal that explains itself."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from PureCloudPlatformClientV2.sandbox import Sandbox

from ..servers import Reply, ScriptedServer
from .support import base_env, run_cli

USER_ID = "0b7a3c1e-5d2f-4e8a-9c6b-1a2b3c4d5e6f"
USER = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": USER_ID, "userName": "ada@example.com",
        "displayName": "Ada", "active": True, "meta": {"version": "1"}}
FAR_AWAY = "http://scim-test.invalid"  # never resolves: only a proxy can carry the request


def test_proxy_flag_sends_every_request_through_the_proxy() -> None:
    with ScriptedServer(default=Reply.json(USER)) as proxy:
        result = run_cli("users", "get", USER_ID, "--json", "--host", FAR_AWAY, "--token", "t",
                         "--proxy", proxy.url)
        assert result.returncode == 0, result.stderr
        assert result.json()["userName"] == "ada@example.com"
        assert [r.target for r in proxy.requests] == [f"{FAR_AWAY}/api/v2/scim/v2/users/{USER_ID}"]
        assert proxy.requests[0].header("Authorization") == "Bearer t"


def test_proxy_flag_before_the_command_and_over_the_environment() -> None:
    with ScriptedServer(default=Reply.json(USER)) as proxy, ScriptedServer(default=Reply.json(USER)) as other:
        env = base_env(HTTP_PROXY=other.url, http_proxy=other.url)
        result = run_cli("--proxy", proxy.url, "users", "get", USER_ID, "--host", FAR_AWAY, "--token", "t", env=env)
        assert result.returncode == 0, result.stderr
        assert len(proxy.requests) == 1 and other.requests == []


@pytest.mark.parametrize("value", ["ftp://proxy.example.com", "proxy.example.com:3128", "http://", "http://h:port"])
def test_a_bad_proxy_is_a_usage_error(value: str) -> None:
    result = run_cli("users", "get", USER_ID, "--host", FAR_AWAY, "--token", "t", "--proxy", value)
    assert result.returncode == 2 and "--proxy" in result.stderr, result.stderr


def test_ca_bundle_flag_trusts_the_named_certificates(tmp_path: Path) -> None:
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    bundle = tmp_path / "corporate-ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    with ScriptedServer(tls=context, default=Reply.json(USER)) as server:
        args = ("users", "get", USER_ID, "--host", server.url, "--token", "t", "--max-retries", "0")
        refused = run_cli(*args)
        assert refused.returncode == 1 and "certificate" in refused.stderr.lower(), refused.stderr
        trusted = run_cli(*args, "--ca-bundle", str(bundle))
        assert trusted.returncode == 0, trusted.stderr
        assert "ada@example.com" in trusted.stdout


def test_a_missing_ca_bundle_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("users", "get", USER_ID, "--host", FAR_AWAY, "--token", "t",
                     "--ca-bundle", str(tmp_path / "missing.pem"))
    assert result.returncode == 2 and "--ca-bundle" in result.stderr, result.stderr


def test_a_refused_oauth_client_shows_the_servers_words_and_the_region_hint() -> None:
    with Sandbox() as sandbox:
        result = run_cli("users", "list", "--host", sandbox.url, "--client-id", sandbox.client_id,
                         "--client-secret", "not-the-secret")
    assert result.returncode == 1
    assert "OAuth error: invalid_client" in result.stderr
    assert "description:" in result.stderr
    assert "an OAuth client belongs to one region" in result.stderr
    assert "not-the-secret" not in result.stderr


def test_a_slow_answer_is_announced_while_the_command_waits() -> None:
    with ScriptedServer(default=Reply(hang=True)) as server:
        result = run_cli("users", "get", "ada@example.com", "--host", server.url, "--token", "t",
                         "--max-retries", "0", "--timeout", "7", timeout=60)
    assert result.returncode == 1
    waiting = [line for line in result.stderr.splitlines() if line.startswith("still waiting for ")]
    assert waiting and waiting[0].startswith(f"still waiting for GET {server.url}/api/v2/scim/v2/users (5 s;")
    assert not [line for line in waiting if "ada@example.com" in line]  # the query (a filter) is never shown
