"""`sync users` in bounded memory: the plan keeps a few fields per row and reads the file
again for the values (printing a dry run, sending, the failures file); a file that changed
since it was checked is refused before a row that was not checked is sent."""

from __future__ import annotations

import gc
import json
import os
import tracemalloc
from pathlib import Path

import pytest

from PureCloudPlatformClientV2.cli import row_index
from PureCloudPlatformClientV2.cli.position_table import PositionTable
from PureCloudPlatformClientV2.cli.row_index import FileChanged
from PureCloudPlatformClientV2.cli.sync_plan import Directory, make_plan
from PureCloudPlatformClientV2.cli.sync_run import Runner
from PureCloudPlatformClientV2.sandbox import Sandbox

from .support import (
    Cli,
    all_users,
    create_user,
    journal_entries,
    make_rows,
    read_csv,
    run_in_terminal,
    state,
    write_csv,
)

# before the row index, a plan held ~3,300 bytes per row (parsed values, cells, key, digest, action)
MOST_BYTES_PER_ROW = 300


def _planned_bytes(tmp_path: Path, count: int) -> float:
    """Python memory a checked and planned file of `count` new users keeps, per row."""
    path = write_csv(tmp_path / f"users{count}.csv", make_rows(count))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        index = row_index.check(str(path), "userName")
        plan = make_plan(index, Directory.of([]), "userName", done={}, deactivate_missing=False)
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert plan.count("create") == count and not plan.problems
    return kept


def test_a_plan_keeps_a_few_bytes_per_row_not_its_values(tmp_path: Path) -> None:
    small, large = _planned_bytes(tmp_path, 2000), _planned_bytes(tmp_path, 8000)
    per_row = (large - small) / 6000
    assert per_row < MOST_BYTES_PER_ROW, f"{per_row:.0f} bytes per row"


def test_a_plan_holds_no_cells_or_values(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "users.csv", make_rows(50))
    index = row_index.check(str(path), "userName")
    plan = make_plan(index, Directory.of([]), "userName", done={}, deactivate_missing=False)
    strings, seen, reach = [], set(), [index, plan]
    while reach:  # every object the plan and the index hold, but the directory and classes
        held = reach.pop()
        if id(held) in seen or isinstance(held, (type, Directory)):
            continue
        seen.add(id(held))
        if isinstance(held, str):
            strings.append(held)
        else:
            reach += gc.get_referents(held)
    # per row, only its userName: no cell, no parsed value, no action
    assert sorted(s for s in strings if "@" in s) == [f"user{i:05d}@example.com" for i in range(50)]
    others = set(strings) - set(index.user_names) - {str(path), "userName", "csv", *index.header}
    assert [len(s) for s in others] == [64]  # the file's sha256, to tell that it changed
    assert index.header == list(make_rows(1)[0])


# -- the dry run's output, as the plan that kept every row printed it ------------------------------
MIXED = ("userName,displayName,title,manager,roles\n"
         "ada@example.com,Ada,Senior Agent,,employee\n"
         "bob@example.com,Bob,Agent,,\n"
         "\n"
         "lee@example.com,Lee,Agent,Kat@Example.com,employee;Agent\n"
         "kat@example.com,Kat,,ada@example.com,\n")


@pytest.fixture
def mixed(cli: Cli, tmp_path: Path) -> dict[str, str]:
    users = {name: create_user(cli.sandbox, f"{name}@example.com", displayName=name.title(),
                               **({"title": "Agent"} if name != "alan" else {}))
             for name in ("ada", "alan", "bob")}
    (tmp_path / "mixed.csv").write_text(MIXED, encoding="utf-8")
    return {name: user["id"] for name, user in users.items()}


def test_a_dry_run_prints_what_it_printed_before(cli: Cli, mixed: dict[str, str]) -> None:
    # create (one whose manager this sync creates), update, unchanged, deactivate; a blank line
    result = cli.ok("sync", "users", "mixed.csv", "--dry-run", "--deactivate-missing")
    assert result.stdout == (
        "Plan (dry run, nothing sent) for mixed.csv: 4 rows, matched by userName\n"
        "  to create           2\n  to update           1\n  unchanged           1\n"
        "  to deactivate       1  (33.3% of 3 active users; --max-deactivate-share 10%: too many, a real run "
        "refuses)\n"
        "~ update      ada@example.com (row 2)\n    title: Agent -> Senior Agent\n    roles: (none) -> employee\n"
        "+ create      lee@example.com (row 5)\n    userName: lee@example.com\n    displayName: Lee\n"
        "    title: Agent\n    manager: kat@example.com\n    roles: employee;Agent\n"
        "+ create      kat@example.com (row 6)\n    userName: kat@example.com\n    displayName: Kat\n"
        "    manager: ada@example.com\n"
        "- deactivate  alan@example.com (not in the file)\n")
    plan = cli.ok("sync", "users", "mixed.csv", "--dry-run", "--deactivate-missing", "--json").json()
    assert plan["plan"] == {"create": 2, "update": 1, "unchanged": 1, "deactivate": 1, "skipped": 0}
    assert [(c["action"], c["userName"], c.get("row"), c.get("id")) for c in plan["changes"]] == [
        ("update", "ada@example.com", 2, mixed["ada"]), ("create", "lee@example.com", 5, None),
        ("create", "kat@example.com", 6, None), ("deactivate", "alan@example.com", None, mixed["alan"])]
    assert plan["changes"][1]["changes"]["manager"] == {"from": None, "to": "kat@example.com"}


# -- a file that changes between the passes ---------------------------------------------------------
@pytest.mark.parametrize("edit", ["a title", "touched only"])
def test_a_file_changed_while_the_sync_asks_is_refused_and_nothing_is_sent(cli: Cli, tmp_path: Path,
                                                                          edit: str) -> None:
    for i in range(20):
        create_user(cli.sandbox, f"u{i:02d}@example.com")
    rows = [{"userName": f"u{i:02d}@example.com", "displayName": f"U{i:02d}", "title": "Agent"} for i in range(19)]
    path = write_csv(tmp_path / "users.csv", rows)
    before = state(cli.sandbox)

    def change() -> None:
        if edit == "a title":
            path.write_text(path.read_text().replace("Agent", "Admin", 1))
        else:
            os.utime(path, ns=(os.stat(path).st_atime_ns, os.stat(path).st_mtime_ns + 1_000_000_000))

    result = run_in_terminal("sync", "users", "users.csv", "--deactivate-missing", "--quiet", env=cli.env,
                             cwd=tmp_path, timeout=120, answer=("Deactivate 1 active user", change))
    code, shown = result.returncode, result.stdout
    assert code == 2, shown
    assert "error: users.csv changed since it was checked: stopped" in shown
    assert "stopped: the file changed since it was checked" in shown
    assert state(cli.sandbox) == before  # not a row updated, nobody deactivated
    assert journal_entries(tmp_path / "users.csv.sync-journal") == []


def test_a_file_changed_while_it_is_sent_stops_before_the_rows_that_differ(tmp_path: Path) -> None:
    """The runner in this process, the sandbox in-process: the file is rewritten once the first
    row is done, so the rows read after that differ from the ones planned."""
    rows = [{"userName": f"user{i}@example.com", "displayName": f"User {i}", "title": "Agent"} for i in range(3000)]
    path = write_csv(tmp_path / "users.csv", rows)
    index = row_index.check(str(path), "userName")
    plan = make_plan(index, Directory.of([]), "userName", done={}, deactivate_missing=False)
    edited = []

    def on_done(_: str) -> None:
        if not edited:
            path.write_text(path.read_text().replace("Agent", "Admin"))
            edited.append(True)

    with Sandbox(serve=False) as sandbox:
        runner = Runner(sandbox.api, "userName", None, workers=1, limit=None, interrupt_after=None, on_done=on_done)
        assert runner.run(plan.waves()) == "changed"
        assert runner.change is not None and "users.csv changed since it was checked" in runner.change
        created = all_users(sandbox)
    assert 1 <= len(created) < 3000
    assert {u["title"] for u in created} == {"Agent"}  # only rows as they were checked were sent


def test_reading_a_changed_file_again_raises(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "users.csv", make_rows(5))
    index = row_index.check(str(path), "userName")
    assert [p for p, _ in index.reread()] == [0, 1, 2, 3, 4]
    text = path.read_text()
    path.write_text(text.replace("Agent", "Lead"))
    with pytest.raises(FileChanged, match="changed since it was checked"):
        list(index.reread())
    path.unlink()
    with pytest.raises(FileChanged, match="cannot be read again"):
        list(index.reread())


# -- the failures file still holds the original cells ----------------------------------------------
def test_the_failures_file_holds_the_original_cells_of_csv_and_json(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "users.csv").write_text(
        "id,userName,displayName,division,error\n"
        "x1,a@example.com,  A  ,Home,old\nx2,b@example.com,'=B,Mars,older\n", encoding="utf-8")
    assert cli("sync", "users", "users.csv").returncode == 1
    [failed] = read_csv(tmp_path / "users.failed.csv")
    assert {k: v for k, v in failed.items() if k != "error"} == {
        "id": "x2", "userName": "b@example.com", "displayName": "'=B", "division": "Mars"}
    assert failed["error"].startswith("row 3: 400 invalidValue: division 'Mars' does not exist")

    items = [{"userName": "c@example.com", "displayName": "C", "division": "Mars", "id": "kept", "error": "old"},
             {"userName": "d@example.com", "displayName": "D"}]
    (tmp_path / "users.json").write_text(json.dumps(items), encoding="utf-8")
    assert cli("sync", "users", "users.json").returncode == 1
    [item] = json.loads((tmp_path / "users.failed.json").read_text(encoding="utf-8"))
    assert {k: v for k, v in item.items() if k != "error"} == {k: v for k, v in items[0].items() if k != "error"}
    assert item["error"].startswith("400 invalidValue: division 'Mars' does not exist")


# -- duplicates found through hashes -----------------------------------------------------------------
@pytest.mark.parametrize("match", ["userName", "externalId"])
def test_duplicates_far_apart_are_named_with_their_rows(cli: Cli, tmp_path: Path, match: str) -> None:
    rows = make_rows(1500)
    rows[1400]["userName"] = "USER00007@example.com"
    rows[1450]["externalId"] = rows[3]["externalId"]
    rows[1499]["userName"] = "ｕser00011@example.com"  # fullwidth u: a look-alike of row 13
    write_csv(tmp_path / "users.csv", rows)
    result = cli("sync", "users", "users.csv", "--match", match)
    assert result.returncode == 2 and "nothing was sent" in result.stderr
    problems = [line.strip() for line in result.stderr.splitlines()[1:]]
    assert problems == [
        "row 1402: userName USER00007@example.com is also on row 9",
        "row 1501: userName ｕser00011@example.com looks like user00011@example.com on row 13 (different users to "
        "Genesys, the same after Unicode folding)",
        "row 1452: externalId E000003 is also on row 5"]
    assert all_users(cli.sandbox) == []


def test_a_position_table_gives_every_position_of_a_hash_earliest_first() -> None:
    table = PositionTable()
    earlier = [table.add(h) for h in (5, 7, 5, 5 + 16, 5)]  # 5 and 21 meet in a table of 16 slots
    assert earlier == [[], [], [0], [], [0, 2]]
    for h in range(1000, 3000):  # grows several times
        table.add(h * 7919)
    assert list(table.find(5)) == [0, 2, 4] and list(table.find(21)) == [3]
    assert list(table.find(1500 * 7919)) == [5 + 500] and list(table.find(6)) == []
