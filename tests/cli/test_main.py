"""The CLI as a program: entry points, connection settings, exit codes, the optional extra."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from PureCloudPlatformClientV2 import __version__
from PureCloudPlatformClientV2.sandbox import Sandbox

from .support import ROOT, Cli, base_env, create_user, run_cli

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@pytest.mark.parametrize("args", [["--help"], ["users", "--help"], ["sync", "users", "--help"], ["--version"]])
def test_help_and_version_exit_0(args: list[str]) -> None:
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    assert "purecloud-scim" in result.stdout
    if args == ["--version"]:
        assert __version__ in result.stdout


def test_main_function_returns_the_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    from PureCloudPlatformClientV2.cli import main

    assert main(["--version"]) == 0
    assert main(["users", "frobnicate"]) == 2
    assert "No such command" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["users", "list"], "no credentials"),
    (["users", "frobnicate"], "No such command"),
    (["users", "list", "--sandbox", "--limit", "-1"], "--limit"),
    (["users", "list", "--sandbox", "--token", "t"], "--sandbox cannot be combined"),
    (["users", "list", "--region", "mars-1", "--token", "t"], "unknown Genesys Cloud region"),
    (["users", "list", "--client-id", "only-the-id"], "--client-id and --client-secret go together"),
    (["users", "update", "someone@example.com", "--sandbox"], "nothing to change"),
    (["users", "create", "--sandbox", "--user-name", "a@example.com"], "missing --display-name"),
    (["users", "create", "--sandbox", "--user-name", "a@example.com", "--display-name", "A", "--email", "nope"],
     "not an e-mail address"),
    (["sync", "users", "no-such-file.csv", "--sandbox"], "does not exist"),
])
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = run_cli(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr


def test_api_error_exits_1_with_status_scim_type_detail_and_correlation_id(cli: Cli) -> None:
    create_user(cli.sandbox, "ada@example.com")
    result = cli("users", "create", "--user-name", "ada@example.com", "--display-name", "Ada again")
    assert result.returncode == 1
    assert "409" in result.stderr
    assert "scimType: uniqueness" in result.stderr
    assert "detail: userName ada@example.com is already taken" in result.stderr
    assert re.search(r"correlation id: " + UUID, result.stderr)


@pytest.mark.parametrize("args, expected", [
    (["users", "list", "--filter", "title eq"], ["400", "scimType: invalidFilter"]),
    (["users", "get", "0d6bd1de-5ee1-4c4d-9d2b-5f1a7a50e0f5"], ["no user with id"]),
    (["users", "get", "nobody@example.com"], ["no user with userName nobody@example.com"]),
    (["groups", "get", "No Such Group"], ["no group"]),
])
def test_failed_lookups_and_refused_requests_exit_1(cli: Cli, args: list[str], expected: list[str]) -> None:
    result = cli(*args)
    assert result.returncode == 1
    for text in expected:
        assert text in result.stderr


def test_wrong_token_exits_1_with_401(cli: Cli) -> None:
    result = cli("users", "list", GENESYSCLOUD_ACCESS_TOKEN="not-the-token")
    assert result.returncode == 1
    assert "error: 401" in result.stderr


def test_unreachable_host_exits_1(tmp_path: Path) -> None:
    with Sandbox() as stopped:
        url = stopped.url  # a port that is free again once this sandbox stops
    result = run_cli("users", "list", "--host", url, "--token", "t", "--max-retries", "0")
    assert result.returncode == 1
    assert "error: cannot reach 127.0.0.1:" in result.stderr  # the words changed with issue 17


@pytest.mark.parametrize("how", ["env-token", "flag-token", "flag-client-credentials", "env-client-credentials"])
def test_connection_from_flags_or_environment(sandbox: Sandbox, how: str) -> None:
    create_user(sandbox, "ada@example.com")
    env, args = base_env(), ["users", "list", "--csv"]
    if how == "env-token":
        env.update(GENESYSCLOUD_API_HOST=sandbox.url, GENESYSCLOUD_ACCESS_TOKEN=sandbox.token)
    elif how == "flag-token":
        args += ["--host", sandbox.url, "--token", sandbox.token]
    elif how == "flag-client-credentials":
        args += ["--host", sandbox.url, "--client-id", sandbox.client_id, "--client-secret", sandbox.client_secret]
    else:
        env.update(GENESYSCLOUD_API_HOST=sandbox.url, GENESYSCLOUD_OAUTHCLIENT_ID=sandbox.client_id,
                   GENESYSCLOUD_OAUTHCLIENT_SECRET=sandbox.client_secret)
    result = run_cli(*args, env=env)
    assert result.returncode == 0, result.stderr
    assert [row["userName"] for row in result.csv()] == ["ada@example.com"]


def test_flags_win_over_the_environment(sandbox: Sandbox) -> None:
    env = base_env(GENESYSCLOUD_API_HOST="http://127.0.0.1:9", GENESYSCLOUD_ACCESS_TOKEN="wrong")
    result = run_cli("users", "list", "--host", sandbox.url, "--token", sandbox.token, env=env)
    assert result.returncode == 0, result.stderr


def test_sandbox_db_keeps_data_across_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "scim.db")
    created = run_cli("users", "create", "--sandbox-db", db, "--user-name", "ada@example.com",
                      "--display-name", "Ada Lovelace", "--json")
    assert created.returncode == 0, created.stderr
    listed = run_cli("users", "list", "--sandbox-db", db, "--json")
    assert [u["id"] for u in listed.json()] == [created.json()["id"]]
    in_memory = run_cli("users", "list", "--sandbox", "--json")
    assert in_memory.json() == []
    seeded = run_cli("users", "list", "--sandbox-seed", "7", "--json", "--limit", "0")
    assert len(seeded.json()) == 7


def test_missing_extra_prints_a_one_line_hint_and_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "click"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('No module named click', name='click')\n")
    env = base_env(PYTHONPATH=f"{tmp_path}{os.pathsep}{ROOT}")
    result = run_cli("users", "list", env=env)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "purecloud-scim needs its optional dependencies (click): pip install 'purecloud-scim[cli]'"]


def test_importing_the_library_loads_neither_the_cli_nor_its_libraries() -> None:
    code = ("import sys, PureCloudPlatformClientV2 as p; p.SCIMApi; p.ApiClient; p.ScimV2User; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('click', 'rich') "
            "or m.startswith('PureCloudPlatformClientV2.cli')]; print(bad)")
    done = subprocess.run([sys.executable, "-c", code], env=base_env(), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
