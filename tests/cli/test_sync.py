"""`sync users FILE` against a live sandbox: creation, idempotence, only-changed updates,
dry runs, bad input, interruption and resume, failures files, rate limiting."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from PureCloudPlatformClientV2.sandbox import Sandbox

from .support import (
    COLUMNS,
    ENTERPRISE,
    GENESYS,
    Cli,
    all_users,
    create_user,
    journal_entries,
    make_rows,
    read_csv,
    state,
    users_by_name,
    write_csv,
)

BIG = 2000


def flat(user: dict[str, Any], names: dict[str, str]) -> dict[str, str]:
    """A wire user in the CSV columns, computed here independently of the CLI's own code."""
    enterprise, genesys = user.get(ENTERPRISE, {}), user.get(GENESYS, {})

    def typed(attr: str, kind: str) -> str:
        return next((i["value"] for i in user.get(attr, []) if i.get("type") == kind), "")

    def levels(items: list[dict[str, Any]]) -> str:
        return ";".join(sorted(f"{i['name']}:{i['proficiency']:g}" for i in items))

    manager = enterprise.get("manager", {}).get("value", "")
    return {"userName": user["userName"], "displayName": user["displayName"], "title": user.get("title", ""),
            "active": "true" if user["active"] else "false", "email": typed("emails", "work"),
            "phone": typed("phoneNumbers", "work"), "mobile": typed("phoneNumbers", "mobile"),
            "externalId": user.get("externalId", ""), "department": enterprise.get("department", ""),
            "division": enterprise.get("division", ""), "employeeNumber": enterprise.get("employeeNumber", ""),
            "manager": names.get(manager, manager), "dateHire": enterprise.get("dateHire", ""),
            "roles": ";".join(sorted(r["value"] for r in user.get("roles", []))),
            "skills": levels(genesys.get("routingSkills", [])),
            "languages": levels(genesys.get("routingLanguages", []))}


def normalized(row: dict[str, str]) -> dict[str, str]:
    """An input row as `flat` shows it (sorted lists, Home as the default division)."""
    out = {name: row.get(name, "") for name in COLUMNS}
    out["roles"] = ";".join(sorted(r for r in out["roles"].split(";") if r))
    for name in ("skills", "languages"):
        out[name] = ";".join(sorted(f"{n}:{float(p):g}" for n, p in
                                    (part.rsplit(":", 1) for part in out[name].split(";") if part)))
    out["active"] = out["active"] or "true"
    out["division"] = out["division"] or "Home"
    return out


def directory_as_rows(sandbox: Sandbox) -> dict[str, dict[str, str]]:
    users = all_users(sandbox)
    names = {u["id"]: u["userName"] for u in users}
    return {u["userName"]: flat(u, names) for u in users}


def report(result: Any) -> dict[str, Any]:
    return result.json()  # type: ignore[no-any-return]


@pytest.fixture
def big_csv(tmp_path: Path) -> tuple[Path, list[dict[str, str]]]:
    rows = make_rows(BIG)
    return write_csv(tmp_path / "users.csv", rows), rows


# -- the full run ---------------------------------------------------------------------------
def test_sync_of_2000_rows_creates_exactly_them_and_a_second_run_changes_nothing(
        cli: Cli, big_csv: tuple[Path, list[dict[str, str]]]) -> None:
    path, rows = big_csv
    first = report(cli.ok("sync", "users", path.name, "--workers", "4", "--json"))
    assert first["status"] == "done"
    assert first["counts"] == {"created": BIG, "updated": 0, "unchanged": 0, "deactivated": 0, "failed": 0,
                               "skipped": 0, "notRun": 0}
    assert first["failures"] == [] and first["journal"] is None and first["failuresFile"] is None
    assert not (cli.cwd / "users.csv.sync-journal").exists()
    assert directory_as_rows(cli.sandbox) == {row["userName"]: normalized(row) for row in rows}

    before = state(cli.sandbox)
    second = report(cli.ok("sync", "users", path.name, "--workers", "4", "--json"))
    assert second["counts"]["created"] == second["counts"]["updated"] == 0
    assert second["counts"]["unchanged"] == BIG
    assert state(cli.sandbox) == before


def test_text_report_and_plan(cli: Cli, tmp_path: Path) -> None:
    write_csv(tmp_path / "few.csv", make_rows(3))
    result = cli.ok("sync", "users", "few.csv")
    assert result.stdout.splitlines() == [
        "Sync of few.csv: done", "  created           3", "  updated           0", "  unchanged         0",
        "  deactivated       0", "  failed            0",
        "5 requests sent: 2 reading the directory; per row: create 1.00"]
    assert "Plan for few.csv: 3 rows, matched by userName" in result.stderr


# -- updates --------------------------------------------------------------------------------
def test_only_changed_attributes_are_updated(cli: Cli, tmp_path: Path) -> None:
    rows = make_rows(20)
    write_csv(tmp_path / "users.csv", rows)
    cli.ok("sync", "users", "users.csv")
    sb = cli.sandbox
    versions = {u["userName"]: u["meta"]["version"] for u in all_users(sb)}

    rows[1]["title"] = "Changed Title"                     # changed
    rows[2]["department"] = ""                              # cleared
    rows[3]["roles"] = ";".join(reversed(rows[3]["roles"].split(";")))  # same roles, other order
    assert rows[9]["skills"] == "Billing:4.5;Support:2"
    rows[9]["skills"] = "Support:2.0;Billing:4.5"          # same skills, other order and spelling
    rows[5]["active"] = "false"                             # deactivated by the file
    rows[6]["email"] = rows[6]["email"].upper()             # same address, other case
    rows[8]["division"] = ""                                # empty division: left as it is
    write_csv(tmp_path / "users.csv", rows)

    plan = report(cli.ok("sync", "users", "users.csv", "--dry-run", "--json"))
    assert {c["userName"]: c["changes"] for c in plan["changes"]} == {
        "user00001@example.com": {"title": {"from": "Senior Agent", "to": "Changed Title"}},
        "user00002@example.com": {"department": {"from": "Billing", "to": None}},
        "user00005@example.com": {"active": {"from": "true", "to": "false"}}}
    done = report(cli.ok("sync", "users", "users.csv", "--json"))
    assert (done["counts"]["updated"], done["counts"]["unchanged"]) == (3, 17)
    after = {u["userName"]: u for u in all_users(sb)}
    bumped = {name for name, user in after.items() if user["meta"]["version"] != versions[name]}
    assert bumped == {"user00001@example.com", "user00002@example.com", "user00005@example.com"}
    assert after["user00002@example.com"][ENTERPRISE].get("department") is None
    assert after["user00005@example.com"]["active"] is False
    assert after["user00008@example.com"][ENTERPRISE]["division"] == "Americas"


def test_only_the_columns_in_the_file_are_managed(cli: Cli, tmp_path: Path) -> None:
    create_user(cli.sandbox, "ada@example.com", title="Agent", externalId="E-1",
                phoneNumbers=[{"type": "work", "value": "+13175550100"}], **{ENTERPRISE: {"department": "Sales"}})
    (tmp_path / "titles.csv").write_text("userName,title\nada@example.com,Senior Agent\n")
    assert report(cli.ok("sync", "users", "titles.csv", "--json"))["counts"]["updated"] == 1
    ada = users_by_name(cli.sandbox)["ada@example.com"]
    assert (ada["title"], ada["externalId"], ada["phoneNumbers"][0]["value"], ada[ENTERPRISE]["department"]) == (
        "Senior Agent", "E-1", "+13175550100", "Sales")


@pytest.mark.parametrize("match", ["userName", "externalId"])
def test_deactivate_missing_only_when_asked(cli: Cli, tmp_path: Path, match: str) -> None:
    sb = cli.sandbox
    for name, ext in (("keep", "E-1"), ("gone", "E-2"), ("noext", None)):
        create_user(sb, f"{name}@example.com", **({"externalId": ext} if ext else {}))
    create_user(sb, "old@example.com", externalId="E-3", active=False)
    (tmp_path / "users.csv").write_text("userName,displayName,externalId\nkeep@example.com,Keep,E-1\n"
                                        "new@example.com,New,E-4\n")
    default = report(cli.ok("sync", "users", "users.csv", "--match", match, "--json"))
    assert default["counts"]["deactivated"] == 0
    assert all(u["active"] for u in all_users(sb) if u["userName"] != "old@example.com")
    asked = report(cli.ok("sync", "users", "users.csv", "--match", match, "--deactivate-missing", "--yes",
                          "--max-deactivate-share", "50", "--json"))
    expected = {"gone@example.com", "noext@example.com"} if match == "userName" else {"gone@example.com"}
    assert asked["counts"]["deactivated"] == len(expected)
    inactive = {u["userName"] for u in all_users(sb) if not u["active"]}
    assert inactive == expected | {"old@example.com"}


def test_match_by_external_id_renames_users(cli: Cli, tmp_path: Path) -> None:
    ada = create_user(cli.sandbox, "ada@example.com", externalId="E-1")
    (tmp_path / "users.csv").write_text("userName,externalId\nada.lovelace@example.com,E-1\n")
    done = report(cli.ok("sync", "users", "users.csv", "--match", "externalId", "--json"))
    assert (done["counts"]["updated"], done["counts"]["created"]) == (1, 0)
    assert users_by_name(cli.sandbox)["ada.lovelace@example.com"]["id"] == ada["id"]


# -- dry run ----------------------------------------------------------------------------------
@pytest.mark.parametrize("as_json", [False, True])
def test_dry_run_prints_the_plan_and_sends_no_writes(cli: Cli, tmp_path: Path, as_json: bool) -> None:
    sb = cli.sandbox
    create_user(sb, "ada@example.com", displayName="Ada", title="Agent")
    create_user(sb, "alan@example.com", displayName="Alan")
    (tmp_path / "users.csv").write_text("userName,displayName,title,manager\nada@example.com,Ada,Senior Agent,\n"
                                        "kat@example.com,Kat,,ada@example.com\n")
    before = state(sb)
    result = cli.ok("sync", "users", "users.csv", "--dry-run", "--deactivate-missing",
                    *(["--json"] if as_json else []))
    assert state(sb) == before
    assert not (tmp_path / "users.csv.sync-journal").exists()
    if as_json:
        plan = report(result)
        assert plan["plan"] == {"create": 1, "update": 1, "unchanged": 0, "deactivate": 1, "skipped": 0}
        assert plan["deactivation"] == {"count": 1, "activeUsers": 2, "share": 50.0, "maxShare": 10.0,
                                        "refused": True}
        assert [(c["action"], c["userName"]) for c in plan["changes"]] == [
            ("update", "ada@example.com"), ("create", "kat@example.com"), ("deactivate", "alan@example.com")]
    else:
        assert result.stdout.splitlines() == [
            "Plan (dry run, nothing sent) for users.csv: 2 rows, matched by userName",
            "  to create           1", "  to update           1", "  unchanged           0",
            "  to deactivate       1  (50% of 2 active users; --max-deactivate-share 10%: too many,"
            " a real run refuses)",
            "~ update      ada@example.com (row 2)", "    title: Agent -> Senior Agent",
            "+ create      kat@example.com (row 3)", "    userName: kat@example.com", "    displayName: Kat",
            "    manager: ada@example.com",
            "- deactivate  alan@example.com (not in the file)"]


# -- bad input ----------------------------------------------------------------------------------
BAD_FILES = {
    "missing userName": ("userName,displayName\n,Nobody\n", ["row 2: userName is required"]),
    "userName not an e-mail": ("userName,displayName\nada,Ada\n", ["row 2: userName 'ada' is not an e-mail address"]),
    "bad work e-mail": ("userName,displayName,email\nada@example.com,Ada,ada@\n",
                        ["row 2: email 'ada@' is not an e-mail address"]),
    "unknown column": ("userName,displayName,shoeSize\nada@example.com,Ada,42\n", ["row 1: unknown column 'shoeSize'"]),
    "no userName column": ("displayName\nAda\n", ["row 1: the userName column is missing"]),
    "several bad rows": ("userName,displayName,active,dateHire,skills,phone\n"
                         "ok@example.com,Ok,true,2024-01-31,Sales:3,+13175550100\n"
                         "a@example.com,A,maybe,,,\n"
                         "b@example.com,B,,2024-13-01,,\n"
                         "c@example.com,C,,,Sales:9,\n"
                         "d@example.com,D,,,,555-CALL-NOW\n"
                         "A@EXAMPLE.COM,A again,,,,\n"
                         "e@example.com,E\n",
                         ["row 3: active must be true or false, not 'maybe'",
                          "row 4: dateHire must be a date as YYYY-MM-DD, not '2024-13-01'",
                          "row 5: skills: proficiency of 'Sales' must be between 0 and 5, not 9",
                          "row 6: phone '555-CALL-NOW' is not a phone number",
                          "row 8: 2 cells, but the header has 6 columns",
                          "row 7: userName A@EXAMPLE.COM is also on row 3"]),
    "json unknown field": ('[{"userName": "ada@example.com", "displayName": "Ada", "shoeSize": 42}]',
                           ["item 1: unknown field 'shoeSize'"]),
    "json not a list": ('{"userName": "ada@example.com"}', ["expected a JSON array of users"]),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_rows_are_reported_with_row_numbers_before_anything_is_sent(cli: Cli, tmp_path: Path,
                                                                        case: str) -> None:
    text, problems = BAD_FILES[case]
    name = "input.json" if case.startswith("json") else "input.csv"
    (tmp_path / name).write_text(text, encoding="utf-8")
    before = state(cli.sandbox)
    result = cli("sync", "users", name)
    assert result.returncode == 2
    assert "nothing was sent" in result.stderr
    for problem in problems:
        assert problem in result.stderr
    assert result.stdout == ""
    assert state(cli.sandbox) == before
    assert not (tmp_path / f"{name}.sync-journal").exists()


@pytest.mark.parametrize("text, problem", [
    ("userName,displayName,manager\nada@example.com,Ada,boss@example.com\n",
     "row 2: manager boss@example.com is neither an existing user nor a row of this file"),
    ("userName,displayName,manager\na@example.com,A,b@example.com\nb@example.com,B,a@example.com\n",
     "rows 2, 3: managers form a cycle"),
    ("userName,title\nnew@example.com,Agent\n", "row 2: displayName is needed to create new@example.com"),
    ("userName,displayName,externalId\nada@example.com,Ada,\n",
     "row 2: externalId is required with --match externalId"),
    ("userName,displayName\nada@example.com,Ada\n", "row 1: the externalId column is missing"),
])
def test_problems_found_while_planning_also_stop_before_any_write(cli: Cli, tmp_path: Path, text: str,
                                                                  problem: str) -> None:
    (tmp_path / "users.csv").write_text(text)
    before = state(cli.sandbox)
    match = ["--match", "externalId"] if "externalId" in problem else []
    result = cli("sync", "users", "users.csv", *match)
    assert result.returncode == 2 and problem in result.stderr, result.stderr
    assert state(cli.sandbox) == before


# -- interruption and resume ------------------------------------------------------------------
@pytest.mark.parametrize("how", ["limit", "sigint"])
def test_an_interrupted_sync_resumes_without_redoing_or_duplicating(
        cli: Cli, big_csv: tuple[Path, list[dict[str, str]]], how: str) -> None:
    path, rows = big_csv
    journal = cli.cwd / "users.csv.sync-journal"
    if how == "limit":
        first = cli.ok("sync", "users", path.name, "--limit", "700", "--json")
        assert report(first)["status"] == "limit"
        assert report(first)["counts"]["created"] == 700
    else:
        first = cli("sync", "users", path.name, "--interrupt-after", "500", "--json")
        assert first.returncode == 130, first.stderr
        assert report(first)["status"] == "interrupted"
    entries = journal_entries(journal)
    done = {e["row"] for e in entries}
    assert len(done) == len(entries) == report(first)["counts"]["created"] >= 500
    assert {e["outcome"] for e in entries} == {"created"}
    created_so_far = users_by_name(cli.sandbox)
    assert len(created_so_far) == len(done)  # every request sent was journaled
    assert {e["key"] for e in entries} == set(created_so_far)

    resumed = report(cli.ok("sync", "users", path.name, "--resume", "--json"))
    assert resumed["counts"]["skipped"] == len(done)
    assert resumed["counts"]["created"] == BIG - len(done)
    assert resumed["counts"]["failed"] == resumed["counts"]["updated"] == 0
    assert not journal.exists()
    assert directory_as_rows(cli.sandbox) == {row["userName"]: normalized(row) for row in rows}


def test_resume_after_a_crash_that_lost_journal_entries_creates_no_duplicates(cli: Cli, tmp_path: Path) -> None:
    write_csv(tmp_path / "users.csv", make_rows(300))
    journal = tmp_path / "users.csv.sync-journal"
    cli.ok("sync", "users", "users.csv", "--limit", "200")
    lines = journal.read_text().splitlines()
    # the crash: the server created 200 users, but only 80 entries reached the disk, the last one torn
    journal.write_text("\n".join(lines[:81]) + "\n" + lines[81][:25])
    resumed = report(cli.ok("sync", "users", "users.csv", "--resume", "--json"))
    assert resumed["counts"] == {"created": 100, "updated": 0, "unchanged": 120, "deactivated": 0, "failed": 0,
                                 "skipped": 80, "notRun": 0}
    assert len(all_users(cli.sandbox)) == 300


def test_resume_redoes_rows_edited_since(cli: Cli, tmp_path: Path) -> None:
    rows = make_rows(10)
    write_csv(tmp_path / "users.csv", rows)
    cli.ok("sync", "users", "users.csv", "--limit", "5")
    rows[0]["title"] = "Edited"
    write_csv(tmp_path / "users.csv", rows)
    resumed = report(cli.ok("sync", "users", "users.csv", "--resume", "--json"))
    assert (resumed["counts"]["skipped"], resumed["counts"]["updated"], resumed["counts"]["created"]) == (4, 1, 5)
    assert users_by_name(cli.sandbox)["user00000@example.com"]["title"] == "Edited"


def test_a_limit_as_large_as_the_file_is_a_complete_run(cli: Cli, tmp_path: Path) -> None:
    write_csv(tmp_path / "users.csv", make_rows(10))
    done = report(cli.ok("sync", "users", "users.csv", "--limit", "10", "--json"))
    assert (done["status"], done["counts"]["created"], done["journal"]) == ("done", 10, None)


def test_resume_refuses_a_journal_of_another_match(cli: Cli, tmp_path: Path) -> None:
    write_csv(tmp_path / "users.csv", make_rows(10))
    cli.ok("sync", "users", "users.csv", "--limit", "3")
    result = cli("sync", "users", "users.csv", "--resume", "--match", "externalId")
    assert result.returncode == 2 and "--match userName, not externalId" in result.stderr


def test_a_create_that_meets_an_existing_user_updates_it_instead(tmp_path: Path) -> None:
    """The 409 path: the user appeared after the directory was read (a concurrent writer).
    The runner is called in this process, so the sandbox is reached in-process."""
    from PureCloudPlatformClientV2.cli import row_index
    from PureCloudPlatformClientV2.cli.sync_plan import Directory, make_plan
    from PureCloudPlatformClientV2.cli.sync_run import Runner

    write_csv(tmp_path / "users.csv", [{"userName": "ada@example.com", "displayName": "Ada", "title": "Agent"}])
    rows = row_index.check(str(tmp_path / "users.csv"), "userName")
    plan = make_plan(rows, Directory.of([]), "userName", done={}, deactivate_missing=False)
    assert [a.kind for a in plan.actions()] == ["create"]
    with Sandbox(serve=False) as sandbox:
        existing = create_user(sandbox, "ADA@example.com", displayName="Ada", title="Intern")
        runner = Runner(sandbox.api, "userName", None, workers=2, limit=None, interrupt_after=None,
                        on_done=lambda _: None)
        assert runner.run(plan.waves()) == "done"
        assert runner.counts == Counter({"updated": 1})
        assert [(u["id"], u["title"]) for u in all_users(sandbox)] == [(existing["id"], "Agent")]


# -- failures -----------------------------------------------------------------------------------
def test_failed_rows_are_reported_and_written_to_a_file_that_sync_accepts(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "users.csv").write_text(
        "userName,displayName,division,roles\n"
        "a@example.com,A,Home,employee\nb@example.com,B,Mars,employee\nc@example.com,C,EMEA,Astronaut\n"
        "d@example.com,D,Americas,\n")
    result = cli("sync", "users", "users.csv")
    assert result.returncode == 1
    assert "2 failures, written to users.failed.csv" in result.stdout
    assert "row 3  b@example.com  400 invalidValue: division 'Mars' does not exist (correlation id " in result.stdout
    assert "journal kept at users.csv.sync-journal" in result.stdout
    failed = read_csv(tmp_path / "users.failed.csv")
    assert [(r["userName"], r["division"], r["roles"]) for r in failed] == [("b@example.com", "Mars", "employee"),
                                                                            ("c@example.com", "EMEA", "Astronaut")]
    assert failed[0]["error"].startswith("row 3: 400 invalidValue")
    assert set(users_by_name(cli.sandbox)) == {"a@example.com", "d@example.com"}

    fixed = (tmp_path / "users.failed.csv").read_text().replace(",Mars,", ",EMEA,").replace("Astronaut", "Agent")
    (tmp_path / "users.failed.csv").write_text(fixed)
    again = report(cli.ok("sync", "users", "users.failed.csv", "--json"))
    assert again["counts"]["created"] == 2
    assert set(users_by_name(cli.sandbox)) == {"a@example.com", "b@example.com", "c@example.com", "d@example.com"}


def test_server_failures_are_retried_by_syncing_the_failures_file(tmp_path: Path) -> None:
    with Sandbox(error_503_rate=0.2, fault_seed=11) as sb:  # a POST refused with 503 is not resent
        cli = Cli(sb, tmp_path)
        write_csv(tmp_path / "users.csv", make_rows(200))
        first = cli("sync", "users", "users.csv", "--max-retries", "10", "--json")  # GETs get through
        failures = report(first)["counts"]["failed"]
        assert first.returncode == 1 and failures > 0, first
        assert all("503" in f["error"] for f in report(first)["failures"]), first
        sb.options.error_503_rate = 0.0
        again = report(cli.ok("sync", "users", "users.failed.csv", "--json"))
        assert again["counts"]["created"] == failures, again
        assert len(all_users(sb)) == 200


def test_sync_backs_off_when_rate_limited(tmp_path: Path) -> None:
    with Sandbox(error_429_rate=0.3, retry_after=0, fault_seed=5) as sb:
        cli = Cli(sb, tmp_path)
        write_csv(tmp_path / "users.csv", make_rows(300))
        done = report(cli.ok("sync", "users", "users.csv", "--max-retries", "0", "--workers", "4", "--json"))
        assert done["counts"]["created"] == 300 and done["counts"]["failed"] == 0
        assert done["rateLimited"] > 0 and done["lowestConcurrency"] < 4
        names = [u["userName"] for u in all_users(sb)]
        assert len(names) == len(set(names)) == 300


# -- other inputs --------------------------------------------------------------------------------
def test_json_rows(cli: Cli, tmp_path: Path) -> None:
    items = [{"userName": "ada@example.com", "displayName": "Ada", "active": False, "roles": ["employee", "Agent"],
              "skills": {"Sales": 3}, "languages": [{"name": "English", "proficiency": 5}]},
             {"userName": "kat@example.com", "displayName": "Kat", "manager": "ada@example.com"}]
    (tmp_path / "users.json").write_text(json.dumps(items))
    assert report(cli.ok("sync", "users", "users.json", "--json"))["counts"]["created"] == 2
    rows = directory_as_rows(cli.sandbox)
    assert (rows["ada@example.com"]["active"], rows["ada@example.com"]["roles"], rows["ada@example.com"]["skills"],
            rows["ada@example.com"]["languages"]) == ("false", "Agent;employee", "Sales:3", "English:5")
    assert rows["kat@example.com"]["manager"] == "ada@example.com"


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_export_synced_into_an_empty_org_reproduces_it(tmp_path: Path, fmt: str) -> None:
    with Sandbox(seed=150) as source, Sandbox() as target:
        Cli(source, tmp_path).ok("export", "users", "--include-inactive", "--out", f"org.{fmt}")
        done = report(Cli(target, tmp_path).ok("sync", "users", f"org.{fmt}", "--json"))
        assert done["counts"]["created"] == 150 and done["counts"]["failed"] == 0
        assert directory_as_rows(target) == directory_as_rows(source)
        again = report(Cli(target, tmp_path).ok("sync", "users", f"org.{fmt}", "--json"))
        assert again["counts"]["unchanged"] == 150
