"""`users list|get|create|update|patch|deactivate` against a live sandbox."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .support import ENTERPRISE, GENESYS, Cli, create_user, users_by_name


@pytest.fixture
def people(cli: Cli) -> dict[str, dict[str, Any]]:
    sb = cli.sandbox
    boss = create_user(sb, "grace@example.com", displayName="Grace Hopper", title="Director", externalId="E-1")
    made = {"grace": boss}
    made["ada"] = create_user(sb, "ada@example.com", displayName="Ada Lovelace", title="Agent", externalId="E-2",
                              emails=[{"type": "work", "value": "ada.work@example.com"}],
                              roles=[{"value": "Agent"}],
                              **{ENTERPRISE: {"department": "Sales", "manager": {"value": boss["id"]}}})
    made["alan"] = create_user(sb, "alan@example.com", displayName="Alan Turing", title="Agent", active=False)
    return made


def test_list_shows_active_users_as_a_table_by_default(cli: Cli, people: dict[str, Any]) -> None:
    lines = cli.ok("users", "list").stdout.splitlines()
    assert lines[0].split() == ["userName", "displayName", "title", "active", "id"]
    assert set(lines[1]) == {"─"}
    assert lines[2].split()[:3] == ["grace@example.com", "Grace", "Hopper"]
    assert lines[3].split()[0] == "ada@example.com" and people["ada"]["id"] in lines[3]
    assert lines[-1] == "2 users"


@pytest.mark.parametrize("fmt", ["--json", "--csv"])
def test_list_for_scripts(cli: Cli, people: dict[str, Any], fmt: str) -> None:
    result = cli.ok("users", "list", fmt)
    if fmt == "--json":
        users = result.json()
        assert [u["id"] for u in users] == [people["grace"]["id"], people["ada"]["id"]]
        assert users[1][ENTERPRISE]["manager"]["value"] == people["grace"]["id"]
    else:
        rows = result.csv()
        assert [(r["userName"], r["title"], r["active"], r["id"]) for r in rows] == [
            ("grace@example.com", "Director", "true", people["grace"]["id"]),
            ("ada@example.com", "Agent", "true", people["ada"]["id"])]


@pytest.mark.parametrize("args, expected", [
    (["--username", "ADA@example.com"], ["ada@example.com"]),
    (["--email", "ada.work@example.com"], ["ada@example.com"]),
    (["--external-id", "E-1"], ["grace@example.com"]),
    (["--inactive"], ["alan@example.com"]),
    (["--filter", 'title eq "Agent"'], ["ada@example.com", "alan@example.com"]),
    (["--filter", 'title eq "Agent"', "--inactive"], ["alan@example.com"]),
    (["--filter", 'displayName sw "A"', "--username", "alan@example.com"], ["alan@example.com"]),
    (["--username", 'no"body@example.com'], []),
])
def test_list_filters(cli: Cli, people: dict[str, Any], args: list[str], expected: list[str]) -> None:
    found = cli.ok("users", "list", "--json", *args).json()
    assert [u["userName"] for u in found] == expected


def test_list_limit_says_when_more_exist(cli: Cli, people: dict[str, Any]) -> None:
    table = cli.ok("users", "list", "--limit", "1")
    assert table.stdout.splitlines()[-1] == "1 of 2 users shown (--limit 1); --limit 0 shows all"
    script = cli.ok("users", "list", "--limit", "1", "--page-size", "1", "--csv")
    assert len(script.csv()) == 1
    assert "1 of 2 users listed" in script.stderr


@pytest.mark.parametrize("attributes, present, absent", [
    ("title", {"title"}, {"displayName", "emails", ENTERPRISE}),
    ("department,manager", {ENTERPRISE}, {"title", "displayName"}),
    ("emails,displayName", {"emails", "displayName"}, {"title", ENTERPRISE}),
])
def test_attributes_select_what_comes_back(cli: Cli, people: dict[str, Any], attributes: str, present: set[str],
                                           absent: set[str]) -> None:
    ada = cli.ok("users", "list", "--username", "ada@example.com", "--attributes", attributes, "--json").json()[0]
    assert {"id", "userName", "active"} | present <= set(ada)
    assert not absent & set(ada)
    table = cli.ok("users", "list", "--username", "ada@example.com", "--attributes", attributes).stdout
    header = table.splitlines()[0].split()
    assert header[0] == "userName" and header[-1] == "id"


@pytest.mark.parametrize("key", ["id", "userName"])
@pytest.mark.parametrize("fmt", ["--table", "--json", "--csv"])
def test_get_by_id_or_username(cli: Cli, people: dict[str, Any], key: str, fmt: str) -> None:
    ada = people["ada"]
    result = cli.ok("users", "get", ada["id"] if key == "id" else ada["userName"], fmt)
    if fmt == "--json":
        assert result.json()["id"] == ada["id"]
    elif fmt == "--csv":
        row = result.csv()[0]
        assert (row["id"], row["email"], row["department"], row["manager"], row["roles"]) == (
            ada["id"], "ada.work@example.com", "Sales", people["grace"]["id"], "Agent")
    else:
        fields = dict(line.split(None, 1) for line in result.stdout.splitlines())
        assert fields["id"] == ada["id"]
        assert fields["displayName"] == "Ada Lovelace"
        assert fields["department"] == "Sales"
        assert fields["version"] == ada["meta"]["version"]


def test_create_with_every_field_option(cli: Cli, people: dict[str, Any]) -> None:
    result = cli.ok("users", "create", "--json", "--user-name", "kat@example.com", "--display-name",
                    "Katherine Johnson", "--title", "Analyst", "--email", "kat.work@example.com", "--phone",
                    "+13175550100", "--mobile", "+13175550199", "--external-id", "E-9", "--department", "Research",
                    "--division", "emea", "--employee-number", "9", "--manager", "grace@example.com", "--date-hire",
                    "2024-03-01", "--roles", "employee;Agent", "--skills", "Sales:3;Billing:4.5", "--languages",
                    "English:5", "--active", "true")
    created = result.json()
    assert "created kat@example.com" in result.stderr
    stored = users_by_name(cli.sandbox)["kat@example.com"]
    assert stored["id"] == created["id"]
    assert stored["title"] == "Analyst" and stored["externalId"] == "E-9"
    assert {(e["type"], e["value"]) for e in stored["emails"]} == {("work", "kat.work@example.com"),
                                                                    ("other", "kat@example.com")}
    assert {(p["type"], p["value"]) for p in stored["phoneNumbers"]} == {("work", "+13175550100"),
                                                                          ("mobile", "+13175550199")}
    enterprise = stored[ENTERPRISE]
    assert (enterprise["department"], enterprise["division"], enterprise["employeeNumber"],
            enterprise["dateHire"], enterprise["manager"]["value"]) == (
        "Research", "EMEA", "9", "2024-03-01", people["grace"]["id"])
    assert [r["value"] for r in stored["roles"]] == ["employee", "Agent"]
    assert sorted((s["name"], s["proficiency"]) for s in stored[GENESYS]["routingSkills"]) == [
        ("Billing", 4.5), ("Sales", 3.0)]
    assert stored[GENESYS]["routingLanguages"] == [{"name": "English", "proficiency": 5.0}]


def test_create_from_a_json_body(cli: Cli, tmp_path: Any) -> None:
    body = {"userName": "kat@example.com", "displayName": "Kat", "title": "From the file",
            ENTERPRISE: {"department": "Research"}}
    created = cli.ok("users", "create", "--body", "-", "--title", "From the option", "--json",
                     stdin=json.dumps(body)).json()
    assert (created["title"], created[ENTERPRISE]["department"]) == ("From the option", "Research")


def test_update_sends_only_what_changed_with_if_match(cli: Cli, people: dict[str, Any]) -> None:
    ada = people["ada"]
    result = cli.ok("users", "update", "ada@example.com", "--title", "Senior Agent", "--department", "",
                    "--roles", "agent", "--json")
    updated = result.json()
    assert "updated ada@example.com: title, department" in result.stderr  # roles differ only in case
    assert int(updated["meta"]["version"]) == int(ada["meta"]["version"]) + 1
    assert updated["title"] == "Senior Agent"
    assert "department" not in updated[ENTERPRISE]
    assert updated[ENTERPRISE]["manager"]["value"] == people["grace"]["id"]
    assert [e["value"] for e in updated["emails"] if e["type"] == "work"] == ["ada.work@example.com"]
    again = cli.ok("users", "update", ada["id"], "--title", "Senior Agent")
    assert "no changes" in again.stderr
    assert users_by_name(cli.sandbox)["ada@example.com"]["meta"]["version"] == updated["meta"]["version"]


def test_update_with_a_stale_if_match_fails_with_invalid_vers(cli: Cli, people: dict[str, Any]) -> None:
    result = cli("users", "update", "ada@example.com", "--title", "X", "--if-match", "999")
    assert result.returncode == 1
    assert "scimType: invalidVers" in result.stderr
    assert users_by_name(cli.sandbox)["ada@example.com"]["title"] == "Agent"


def test_patch_sends_raw_operations(cli: Cli, people: dict[str, Any], tmp_path: Any) -> None:
    ops = tmp_path / "ops.json"
    ops.write_text(json.dumps([{"op": "add", "path": "roles", "value": [{"value": "Supervisor"}]}]))
    result = cli.ok("users", "patch", "ada@example.com", "--operations", str(ops), "--remove", "title",
                    "--set", 'phoneNumbers[type eq "mobile"].value=+13175550199', "--set", "active=false",
                    "--add", f"{ENTERPRISE}:employeeNumber=\"0042\"", "--json")
    patched = result.json()
    assert "patched ada@example.com (5 operations)" in result.stderr
    assert "title" not in patched and patched["active"] is False
    assert [r["value"] for r in patched["roles"]] == ["Agent", "Supervisor"]
    assert {"type": "mobile", "value": "+13175550199"} in patched["phoneNumbers"]
    assert patched[ENTERPRISE]["employeeNumber"] == "0042"


@pytest.mark.parametrize("args, message", [
    (["--set", "title"], "expected PATH=VALUE"),
    ([], "no operations"),
])
def test_patch_usage_errors(cli: Cli, people: dict[str, Any], args: list[str], message: str) -> None:
    result = cli("users", "patch", "ada@example.com", *args)
    assert result.returncode == 2 and message in result.stderr


def test_deactivate_keeps_the_user_but_hides_it_from_the_default_list(cli: Cli, people: dict[str, Any]) -> None:
    result = cli.ok("users", "deactivate", "ada@example.com", people["alan"]["id"], "--csv")
    assert "deactivated ada@example.com" in result.stderr
    assert "alan@example.com is already inactive" in result.stderr
    assert [(r["userName"], r["active"]) for r in result.csv()] == [("ada@example.com", "false"),
                                                                    ("alan@example.com", "false")]
    assert [u["userName"] for u in cli.ok("users", "list", "--json").json()] == ["grace@example.com"]
    ada = users_by_name(cli.sandbox)["ada@example.com"]
    assert ada["active"] is False and [r["value"] for r in ada["roles"]] == ["Agent"]


def test_deactivate_reports_each_failure_and_exits_1(cli: Cli, people: dict[str, Any]) -> None:
    result = cli("users", "deactivate", "nobody@example.com", "ada@example.com")
    assert result.returncode == 1
    assert "nobody@example.com: error: no user with userName nobody@example.com" in result.stderr
    assert users_by_name(cli.sandbox)["ada@example.com"]["active"] is False
