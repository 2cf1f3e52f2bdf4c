"""`sync users` guards (issue 14): userNames matched exactly as Genesys compares them, files
that must not be overwritten, one sync per journal, torn journal lines, a deactivation
threshold, server outages, SIGTERM, and bad input refused before anything is sent."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from PureCloudPlatformClientV2.sandbox import Sandbox

from .support import (
    Cli,
    all_users,
    base_env,
    create_user,
    journal_entries,
    make_rows,
    read_csv,
    state,
    users_by_name,
    write_csv,
)


# -- 1. identity: the server's comparison, never Unicode folding ----------------------------------
@pytest.mark.parametrize("existing, row", [("ſam@example.com", "sam@example.com"),  # long s
                                           ("ﬁnn@example.com", "finn@example.com"),  # ligature
                                           ("sam@example.com", "ſam@example.com")])
def test_a_row_that_matches_an_account_only_through_unicode_folding_is_refused(
        cli: Cli, tmp_path: Path, existing: str, row: str) -> None:
    admin = create_user(cli.sandbox, existing, roles=[{"value": "Supervisor"}])
    (tmp_path / "users.csv").write_text(f"userName,displayName\nkeep@example.com,Keep\n{row},New Hire\n",
                                        encoding="utf-8")
    before = state(cli.sandbox)
    result = cli("sync", "users", "users.csv")
    assert result.returncode == 2, result
    assert "nothing was sent" in result.stderr
    assert f"row 3: userName {row} matches the existing {existing} ({admin['id']}) only after Unicode folding" \
        in result.stderr
    assert state(cli.sandbox) == before
    assert [(u["userName"], u["displayName"]) for u in all_users(cli.sandbox)] == [(existing, admin["displayName"])]


def test_a_manager_named_through_unicode_folding_is_refused(cli: Cli, tmp_path: Path) -> None:
    create_user(cli.sandbox, "ſam@example.com")
    (tmp_path / "users.csv").write_text("userName,displayName,manager\nkat@example.com,Kat,sam@example.com\n",
                                        encoding="utf-8")
    result = cli("sync", "users", "users.csv")
    assert result.returncode == 2
    assert "row 2: manager: userName sam@example.com matches the existing ſam@example.com" in result.stderr


def test_two_rows_that_look_alike_are_refused(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "users.csv").write_text("userName,displayName\nsam@example.com,Sam\nſam@example.com,Sam 2\n",
                                        encoding="utf-8")
    result = cli("sync", "users", "users.csv")
    assert result.returncode == 2
    assert "row 3: userName ſam@example.com looks like sam@example.com on row 2" in result.stderr
    assert all_users(cli.sandbox) == []


def test_the_exact_account_is_still_found_next_to_a_look_alike(cli: Cli, tmp_path: Path) -> None:
    create_user(cli.sandbox, "ſam@example.com", title="Admin")
    sam = create_user(cli.sandbox, "Sam@example.com", title="Agent")
    (tmp_path / "users.csv").write_text("userName,title\nsam@example.com,Senior Agent\n", encoding="utf-8")
    assert cli.ok("sync", "users", "users.csv", "--json").json()["counts"]["updated"] == 1
    users = users_by_name(cli.sandbox)
    assert (users["sam@example.com"]["id"], users["sam@example.com"]["title"]) == (sam["id"], "Senior Agent")
    assert users["ſam@example.com"]["title"] == "Admin"


def test_users_get_by_name_never_answers_with_a_look_alike(cli: Cli) -> None:
    create_user(cli.sandbox, "ſam@example.com")
    result = cli("users", "get", "sam@example.com")
    assert result.returncode == 1 and "no user with userName sam@example.com" in result.stderr


# -- 2. files: input, journal, failures ---------------------------------------------------------------
@pytest.mark.parametrize("options", [["--journal", "users.csv"], ["--failures", "users.csv"],
                                     ["--failures", "./sub/../users.csv"], ["--journal", "link.csv"],
                                     ["--journal", "same.txt", "--failures", "same.txt"]])
def test_the_journal_and_the_failures_file_cannot_be_the_input(cli: Cli, tmp_path: Path,
                                                               options: list[str]) -> None:
    (tmp_path / "sub").mkdir()
    write_csv(tmp_path / "users.csv", make_rows(3))
    (tmp_path / "link.csv").symlink_to(tmp_path / "users.csv")
    text = (tmp_path / "users.csv").read_text()
    result = cli("sync", "users", "users.csv", *options)
    assert result.returncode == 2, result
    assert "is the input file" in result.stderr or "are the same file" in result.stderr
    assert (tmp_path / "users.csv").read_text() == text
    assert all_users(cli.sandbox) == []


def test_two_syncs_of_one_journal_cannot_run_at_once(cli: Cli, tmp_path: Path) -> None:
    from PureCloudPlatformClientV2.cli import journal as journaling

    write_csv(tmp_path / "users.csv", make_rows(3))
    held = journaling.Lock(str(tmp_path / "users.csv.sync-journal"))  # what a running sync holds
    try:
        result = cli("sync", "users", "users.csv")
        assert result.returncode == 2
        assert "another sync is running with the journal users.csv.sync-journal" in result.stderr
        assert all_users(cli.sandbox) == []
    finally:
        held.release()
    cli.ok("sync", "users", "users.csv")
    assert len(all_users(cli.sandbox)) == 3
    assert not (tmp_path / "users.csv.sync-journal.lock").exists()


def test_a_torn_journal_line_does_not_swallow_the_next_entry(cli: Cli, tmp_path: Path) -> None:
    write_csv(tmp_path / "users.csv", make_rows(30))
    journal = tmp_path / "users.csv.sync-journal"
    cli.ok("sync", "users", "users.csv", "--limit", "10")
    lines = journal.read_text().splitlines()
    assert len(lines) == 11  # the header and 10 rows
    journal.write_text("\n".join(lines[:10]) + "\n" + lines[10][:20])  # the last entry cut short
    resumed = cli.ok("sync", "users", "users.csv", "--resume", "--limit", "5", "--json")
    assert "users.csv.sync-journal line 11 is not a readable entry" in resumed.stderr
    after = journal.read_text().splitlines()
    assert after[10] == lines[10][:20]
    appended = [json.loads(line) for line in after[11:]]  # each on a line of its own
    assert [e["outcome"] for e in appended] == ["unchanged"] + ["created"] * 4  # the torn row checked again
    done = cli.ok("sync", "users", "users.csv", "--resume", "--json").json()
    assert done["counts"]["skipped"] == 9 + 5
    assert len(all_users(cli.sandbox)) == 30


def test_a_stale_failures_file_is_removed_by_a_later_clean_run(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "users.csv").write_text("userName,displayName,division\na@example.com,A,Mars\n")
    assert cli("sync", "users", "users.csv").returncode == 1
    assert (tmp_path / "users.failed.csv").exists()
    (tmp_path / "users.csv").write_text("userName,displayName,division\na@example.com,A,EMEA\n")
    done = cli.ok("sync", "users", "users.csv")
    assert "removed users.failed.csv, left by an earlier run (no row failed this time)" in done.stdout
    assert not (tmp_path / "users.failed.csv").exists()


# -- 3. --deactivate-missing: a threshold and a confirmation -----------------------------------------
@pytest.fixture
def twenty(cli: Cli, tmp_path: Path) -> Path:
    for i in range(20):
        create_user(cli.sandbox, f"u{i:02d}@example.com")
    return write_csv(tmp_path / "one.csv", [{"userName": "u00@example.com", "displayName": "U00"}])


def test_deactivating_more_than_the_maximum_share_is_refused(cli: Cli, twenty: Path) -> None:
    plan = cli.ok("sync", "users", "one.csv", "--deactivate-missing", "--dry-run")
    assert "to deactivate      19  (95% of 20 active users; --max-deactivate-share 10%: too many, a real run " \
           "refuses)" in plan.stdout
    before = state(cli.sandbox)
    result = cli("sync", "users", "one.csv", "--deactivate-missing", "--yes")
    assert result.returncode == 2
    assert ("--deactivate-missing would deactivate 19 of 20 active users (95%), more than "
            "--max-deactivate-share 10%; nothing was sent") in result.stderr
    assert state(cli.sandbox) == before
    done = cli.ok("sync", "users", "one.csv", "--deactivate-missing", "--yes", "--max-deactivate-share", "95",
                  "--json").json()
    assert done["counts"]["deactivated"] == 19


def test_deactivating_needs_a_confirmation(cli: Cli, twenty: Path) -> None:
    rows = [{"userName": f"u{i:02d}@example.com", "displayName": f"U{i:02d}"} for i in range(19)]
    write_csv(twenty, rows)
    before = state(cli.sandbox)
    result = cli("sync", "users", "one.csv", "--deactivate-missing")  # stdin is not a terminal
    assert result.returncode == 2
    assert "Deactivate 1 active user that one.csv does not list (5% of 20): give --yes to confirm" in result.stderr
    assert state(cli.sandbox) == before
    done = cli.ok("sync", "users", "one.csv", "--deactivate-missing", "--yes", "--json").json()
    assert done["counts"]["deactivated"] == 1
    assert [u["userName"] for u in all_users(cli.sandbox) if not u["active"]] == ["u19@example.com"]


# -- 4. CSV cells a spreadsheet would run ----------------------------------------------------------------
DANGEROUS = {"displayName": '=HYPERLINK("http://evil.example/","click")', "title": "+cmd|' /C calc'!A0",
             "department": "@SUM(1+1)", "employeeNumber": "-5", "externalId": "'=already quoted"}


def _dangerous_user(sandbox: Sandbox) -> None:
    from .support import ENTERPRISE

    create_user(sandbox, "ada@example.com", displayName=DANGEROUS["displayName"], title=DANGEROUS["title"],
                externalId=DANGEROUS["externalId"], phoneNumbers=[{"type": "work", "value": "+13175550100"}],
                **{ENTERPRISE: {"department": DANGEROUS["department"], "employeeNumber": "-5"}})


def test_csv_exports_neutralise_formulas_and_sync_reads_them_back(cli: Cli, tmp_path: Path) -> None:
    _dangerous_user(cli.sandbox)
    cli.ok("export", "users", "--out", "org.csv")
    [row] = read_csv(tmp_path / "org.csv")
    assert (row["displayName"], row["title"], row["department"]) == (
        "'" + DANGEROUS["displayName"], "'" + DANGEROUS["title"], "'" + DANGEROUS["department"])
    assert (row["employeeNumber"], row["phone"], row["externalId"]) == ("-5", "+13175550100", "''=already quoted")
    listed = cli.ok("users", "list", "--csv", "--attributes", "displayName,title").csv()
    assert (listed[0]["displayName"], listed[0]["title"]) == ("'" + DANGEROUS["displayName"], "'" + DANGEROUS["title"])
    raw = cli.ok("users", "list", "--csv", "--raw", "--attributes", "displayName").csv()
    assert raw[0]["displayName"] == DANGEROUS["displayName"]

    with Sandbox() as target:
        Cli(target, tmp_path).ok("sync", "users", "org.csv")
        [copy] = all_users(target)
        assert copy["displayName"] == DANGEROUS["displayName"] and copy["title"] == DANGEROUS["title"]
        assert copy["externalId"] == DANGEROUS["externalId"]
    assert cli.ok("sync", "users", "org.csv", "--json").json()["counts"]["unchanged"] == 1


def test_raw_and_bom_exports(cli: Cli, tmp_path: Path) -> None:
    import csv

    _dangerous_user(cli.sandbox)
    cli.ok("export", "users", "--out", "raw.csv", "--raw", "--bom")
    assert (tmp_path / "raw.csv").read_bytes().startswith(b"\xef\xbb\xbfid,userName,")
    with open(tmp_path / "raw.csv", encoding="utf-8-sig", newline="") as stream:
        [row] = list(csv.DictReader(stream))
    assert (row["displayName"], row["title"]) == (DANGEROUS["displayName"], DANGEROUS["title"])


# -- 7. a server outage: pause, probe, resume, nothing twice ----------------------------------------------
def _journal_lines(path: Path) -> int:
    try:
        return len(path.read_text().splitlines())
    except FileNotFoundError:
        return 0


def test_a_sync_waits_out_a_server_outage_and_applies_every_row_once(tmp_path: Path) -> None:
    db, token = str(tmp_path / "org.sqlite"), "outage-test-token"
    rows = make_rows(400)
    write_csv(tmp_path / "users.csv", rows)
    first = Sandbox(db=db, token=token, latency=0.004).start()
    port = first.port
    env = base_env(GENESYSCLOUD_API_HOST=first.url, GENESYSCLOUD_ACCESS_TOKEN=token)
    sync = subprocess.Popen([sys.executable, "-m", "PureCloudPlatformClientV2.cli", "sync", "users", "users.csv",
                             "--workers", "4", "--max-retries", "0", "--outage-wait", "120", "--json"],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8")
    second = None
    try:
        journal = tmp_path / "users.csv.sync-journal"
        deadline = time.monotonic() + 120
        while _journal_lines(journal) < 100:  # a condition, polled: the sync is under way
            assert sync.poll() is None and time.monotonic() < deadline, "the sync ended before the outage"
            time.sleep(0.01)
        first.stop()
        assert sync.stderr is not None
        seen = []
        for line in sync.stderr:  # blocks until the sync says it is waiting
            seen.append(line)
            if "the server is not answering" in line:
                break
        assert any("sync paused, checking again for up to 120 s" in line for line in seen), seen
        second = Sandbox(db=db, token=token, port=port).start()
        out, err = sync.communicate(timeout=180)
        assert sync.returncode == 0, "".join(seen) + err
        report = json.loads(out)
        assert "the server answers again after" in err
        assert report["outages"] >= 1 and report["counts"]["failed"] == 0
        assert report["counts"]["created"] + report["counts"]["unchanged"] + report["counts"]["updated"] == 400
        names = [u["userName"] for u in all_users(second)]
        assert sorted(names) == sorted(r["userName"] for r in rows)  # each exactly once
        again = Cli(second, tmp_path).ok("sync", "users", "users.csv", "--json").json()
        assert again["counts"]["unchanged"] == 400  # and each with its values
    finally:
        if sync.poll() is None:
            sync.kill()
            sync.wait()
        first.stop()
        if second is not None:
            second.stop()


# -- 8. SIGTERM is an interruption like SIGINT -------------------------------------------------------------
def test_sigterm_journals_the_rows_in_flight_and_exits_143(cli: Cli, tmp_path: Path) -> None:
    write_csv(tmp_path / "users.csv", make_rows(300))
    first = cli("sync", "users", "users.csv", "--interrupt-after", "100", "--interrupt-signal", "TERM", "--json")
    assert first.returncode == 143, first.stderr
    report = first.json()
    assert (report["status"], report["signal"]) == ("interrupted", "SIGTERM")
    entries = journal_entries(tmp_path / "users.csv.sync-journal")
    assert len(entries) == report["counts"]["created"] == len(all_users(cli.sandbox)) >= 100
    resumed = cli.ok("sync", "users", "users.csv", "--resume", "--json").json()
    assert resumed["counts"]["created"] == 300 - len(entries)
    assert len(all_users(cli.sandbox)) == 300


# -- bad input: a clear error, exit 2, nothing sent -----------------------------------------------------------
def test_a_csv_cell_over_the_field_limit_names_its_row(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "users.csv").write_text("userName,displayName\na@example.com,A\nb@example.com," + "x" * 200_000 + "\n")
    result = cli("sync", "users", "users.csv")
    assert result.returncode == 2
    assert "row 3: not readable as CSV: field larger than field limit (131072)" in result.stderr
    assert all_users(cli.sandbox) == []


def test_deeply_nested_json_is_refused(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "users.json").write_text("[" * 100_000 + "]" * 100_000)
    result = cli("sync", "users", "users.json")
    assert result.returncode == 2 and "the JSON is nested too deeply to read" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("key", ["", " ", ".", ".."])
def test_users_get_refuses_empty_and_dot_ids(cli: Cli, key: str) -> None:
    result = cli("users", "get", key)
    assert result.returncode == 2 and f"{key!r} is not a user id or name" in result.stderr


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "0"])
def test_timeout_must_be_finite_and_positive(cli: Cli, value: str) -> None:
    result = cli("users", "list", "--timeout", value)
    assert result.returncode == 2 and "is not a number of seconds > 0" in result.stderr


def test_a_token_with_a_line_break_is_a_usage_error(cli: Cli) -> None:
    result = cli("users", "list", "--host", cli.sandbox.url, "--token", "abc\r\nX: y")
    assert result.returncode == 2
    assert "the access token contains a line break" in result.stderr and "Traceback" not in result.stderr
