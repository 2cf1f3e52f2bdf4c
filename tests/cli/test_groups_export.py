"""`groups ...` and `export users|groups` against a live sandbox."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from PureCloudPlatformClientV2.sandbox import Sandbox

from .support import ENTERPRISE, Cli, all_users, create_user, group_id, member_ids, read_csv, run_in_terminal

GROUPS = ["Sales", "Support", "Engineering", "Managers"]  # seeded by every sandbox


@pytest.mark.parametrize("fmt", ["--table", "--json", "--csv"])
def test_groups_list(cli: Cli, fmt: str) -> None:
    ada = create_user(cli.sandbox, "ada@example.com")
    cli.ok("groups", "add-member", "Sales", ada["id"])
    result = cli.ok("groups", "list", fmt)
    if fmt == "--json":
        found = result.json()
        assert [g["displayName"] for g in found] == GROUPS
        assert found[0]["members"][0]["value"] == ada["id"]
    elif fmt == "--csv":
        assert [(r["displayName"], r["memberCount"], r["members"]) for r in result.csv()] == [
            ("Sales", "1", ada["id"]), ("Support", "0", ""), ("Engineering", "0", ""), ("Managers", "0", "")]
    else:
        lines = result.stdout.splitlines()
        assert lines[0].split() == ["displayName", "members", "externalId", "id"]
        assert lines[2].split()[:3] == ["Sales", "1", group_id(cli.sandbox, "Sales")]
        assert lines[-1] == "4 groups"


@pytest.mark.parametrize("args, expected", [(["--name", "support"], ["Support"]),
                                            (["--filter", 'displayName sw "S"'], ["Sales", "Support"])])
def test_groups_list_filters(cli: Cli, args: list[str], expected: list[str]) -> None:
    assert [g["displayName"] for g in cli.ok("groups", "list", "--json", *args).json()] == expected


def test_add_and_remove_members_by_username_or_id(cli: Cli) -> None:
    sb = cli.sandbox
    ada, alan = create_user(sb, "ada@example.com"), create_user(sb, "alan@example.com")
    added = cli.ok("groups", "add-member", "Sales", "ada@example.com", alan["id"])
    assert "added 2 members to Sales; it has 2" in added.stderr
    assert member_ids(sb, "Sales") == {ada["id"], alan["id"]}
    again = cli.ok("groups", "add-member", group_id(sb, "Sales"), "ada@example.com")
    assert "ada@example.com is already a member of Sales" in again.stderr
    shown = cli.ok("groups", "get", "Sales", "--members").stdout
    assert "members  2" in re.sub(r" +", "  ", shown)
    assert "ada@example.com" in shown and alan["id"] in shown
    removed = cli.ok("groups", "remove-member", "Sales", "ada@example.com")
    assert "removed 1 member from Sales; it has 1" in removed.stderr
    assert member_ids(sb, "Sales") == {alan["id"]}
    not_member = cli.ok("groups", "remove-member", "Sales", "ada@example.com")
    assert "ada@example.com is not a member of Sales" in not_member.stderr


def test_membership_change_of_an_unknown_user_exits_1_and_changes_nothing(cli: Cli) -> None:
    create_user(cli.sandbox, "ada@example.com")
    result = cli("groups", "add-member", "Sales", "ada@example.com", "nobody@example.com")
    assert result.returncode == 1 and "no user with userName nobody@example.com" in result.stderr
    assert member_ids(cli.sandbox, "Sales") == set()


@pytest.mark.parametrize("fmt", ["--json", "--csv"])
def test_groups_get(cli: Cli, fmt: str) -> None:
    ada = create_user(cli.sandbox, "ada@example.com")
    cli.ok("groups", "add-member", "Support", "ada@example.com")
    result = cli.ok("groups", "get", "Support", fmt)
    if fmt == "--json":
        assert [m["value"] for m in result.json()["members"]] == [ada["id"]]
    else:
        assert result.csv() == [{"id": group_id(cli.sandbox, "Support"), "displayName": "Support",
                                 "externalId": "", "memberCount": "1", "members": ada["id"]}]


# -- export ----------------------------------------------------------------------------------
@pytest.fixture
def seeded() -> Any:
    with Sandbox(seed=230) as sb:  # generated users: managers, roles, skills, some inactive
        yield sb


def _cli(sandbox: Sandbox, tmp_path: Path) -> Cli:
    return Cli(sandbox, tmp_path)


@pytest.mark.parametrize("include_inactive", [False, True])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_users_matches_the_directory(seeded: Sandbox, tmp_path: Path, fmt: str,
                                            include_inactive: bool) -> None:
    cli = _cli(seeded, tmp_path)
    args = ["export", "users", "--format", fmt, "--out", f"users.{fmt}", "--page-size", "37"]
    result = cli.ok(*args, *(["--include-inactive"] if include_inactive else []))
    everyone = all_users(seeded)
    expected = [u for u in everyone if include_inactive or u["active"]]
    assert 0 < len([u for u in everyone if not u["active"]]) < len(everyone)
    assert f"exported {len(expected)} users to users.{fmt}" in result.stderr
    assert result.stdout == ""
    if fmt == "json":
        exported = json.loads((tmp_path / "users.json").read_text(encoding="utf-8"))
        assert {u["id"]: u for u in exported} == {u["id"]: u for u in expected}
        return
    rows = read_csv(tmp_path / "users.csv")
    names = {u["id"]: u["userName"] for u in expected}
    assert [r["id"] for r in rows] == [u["id"] for u in expected]
    for row, user in zip(rows, expected):
        enterprise = user.get(ENTERPRISE, {})
        manager = enterprise.get("manager", {}).get("value", "")
        assert row["userName"] == user["userName"] and row["displayName"] == user["displayName"]
        assert row["title"] == user.get("title", "")
        assert row["active"] == ("true" if user["active"] else "false")
        assert row["externalId"] == user.get("externalId", "")
        assert row["division"] == enterprise["division"]
        assert row["manager"] == names.get(manager, manager)
        assert row["roles"] == ";".join(r["value"] for r in user.get("roles", []))
        assert row["phone"] == next((p["value"] for p in user.get("phoneNumbers", []) if p["type"] == "work"), "")


def test_export_to_stdout_and_format_from_extension(seeded: Sandbox, tmp_path: Path) -> None:
    cli = _cli(seeded, tmp_path)
    to_stdout = cli.ok("export", "users", "--format", "json", "--quiet")
    assert len(to_stdout.json()) == len([u for u in all_users(seeded) if u["active"]])
    cli.ok("export", "users", "--out", "everyone.json")
    assert json.loads((tmp_path / "everyone.json").read_text()) == to_stdout.json()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_groups(seeded: Sandbox, tmp_path: Path, fmt: str) -> None:
    cli = _cli(seeded, tmp_path)
    cli.ok("export", "groups", "--out", f"groups.{fmt}")
    expected = [g.to_wire() for g in seeded.api.get_scim_v2_groups(None, count=100).resources]
    if fmt == "json":
        assert json.loads((tmp_path / "groups.json").read_text()) == expected
    else:
        rows = read_csv(tmp_path / "groups.csv")
        assert [(r["id"], r["displayName"], r["members"].split(";") if r["members"] else []) for r in rows] == [
            (g["id"], g["displayName"], [m["value"] for m in g.get("members", [])]) for g in expected]
        assert sum(int(r["memberCount"]) for r in rows) > 0


def test_failed_export_leaves_no_partial_file(cli: Cli, tmp_path: Path) -> None:
    result = cli("export", "users", "--out", "users.csv", GENESYSCLOUD_ACCESS_TOKEN="wrong")
    assert result.returncode == 1
    assert list(tmp_path.iterdir()) == []


def test_progress_bar_only_on_a_terminal(seeded: Sandbox, tmp_path: Path) -> None:
    cli = _cli(seeded, tmp_path)
    total = len([u for u in all_users(seeded) if u["active"]])
    shown = run_in_terminal("export", "users", "--out", "a.csv", "--page-size", "50", env=cli.env, cwd=tmp_path)
    assert shown.returncode == 0
    assert re.search(rf"users .*{total}/{total}", shown.stdout), shown.stdout
    quiet = run_in_terminal("export", "users", "--out", "b.csv", "--quiet", env=cli.env, cwd=tmp_path)
    assert quiet.returncode == 0 and quiet.stdout.strip() == ""
    piped = cli.ok("export", "users", "--out", "c.csv")
    assert piped.stderr.strip() == f"exported {total} users to c.csv"
