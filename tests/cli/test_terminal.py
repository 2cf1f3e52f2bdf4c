"""The CLI as people use it in a terminal and a shell: pipes closed early, output flags that
contradict each other, options before the command, tables on narrow terminals, --debug,
unreachable hosts, shell completion, plurals and the progress bar."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from PureCloudPlatformClientV2.cli import output
from PureCloudPlatformClientV2.sandbox import Sandbox

from .support import Cli, base_env, create_user, read_csv, run_cli, run_in_terminal

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
CLI = [sys.executable, "-m", "PureCloudPlatformClientV2.cli"]


@pytest.fixture
def refusing_port() -> Iterator[int]:
    """A port bound but not listening: every connection to it is refused."""
    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))
        yield bound.getsockname()[1]


# -- a reader that stops early -------------------------------------------------------------------
@pytest.mark.parametrize("read_first_line", [True, False], ids=["head -1", "closed at once"])
def test_a_closed_pipe_ends_quietly_with_0(read_first_line: bool) -> None:
    # 500 users as JSON are far more than a pipe holds, so the CLI meets the closed pipe
    child = subprocess.Popen([*CLI, "users", "list", "--sandbox-seed", "500", "--json"], env=base_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    if read_first_line:
        assert child.stdout.readline() == b"[\n"
    child.stdout.close()
    stderr = child.stderr.read().decode()
    assert child.wait(timeout=120) == 0, stderr
    assert "Error" not in stderr and "Traceback" not in stderr and "Broken pipe" not in stderr
    assert stderr.strip().splitlines() == ["using a local sandbox in memory (its data ends with this command; "
                                           "--sandbox-db FILE keeps it)"]


# -- output flags --------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [["users", "list", "--json", "--csv"], ["--json", "--csv", "users", "list"],
                                  ["groups", "list", "--table", "--json"], ["users", "get", "x@example.com", "--csv",
                                                                            "--table"]])
def test_contradicting_output_flags_are_a_usage_error(cli: Cli, args: list[str]) -> None:
    result = cli(*args)
    assert result.returncode == 2
    assert "contradict each other: give one output format" in result.stderr
    assert result.stdout == ""


def test_output_flags_before_the_command_and_the_commands_own_wins(cli: Cli) -> None:
    create_user(cli.sandbox, "ada@example.com")
    assert [u["userName"] for u in cli.ok("--json", "users", "list").json()] == ["ada@example.com"]
    assert [r["userName"] for r in cli.ok("--json", "users", "list", "--csv").csv()] == ["ada@example.com"]
    assert cli.ok("--csv", "export", "users").csv()[0]["userName"] == "ada@example.com"
    refused = cli("--csv", "sync", "users", str(cli.cwd / "nothing.csv"))
    assert refused.returncode == 2


def test_a_format_the_command_does_not_have_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("userName,displayName\nada@example.com,Ada\n", encoding="utf-8")
    result = cli("--csv", "sync", "users", str(path))
    assert result.returncode == 2
    assert "purecloud-scim sync users has no --csv output (it has --table, --json)" in result.stderr
    assert cli.ok("--json", "sync", "users", str(path), "--dry-run").json()["dryRun"] is True


# -- connection options before the command -------------------------------------------------------
def test_connection_options_work_before_the_command(sandbox: Sandbox) -> None:
    create_user(sandbox, "ada@example.com")
    result = run_cli("--host", sandbox.url, "--token", sandbox.token, "users", "list", "--csv")
    assert result.returncode == 0, result.stderr
    assert [r["userName"] for r in result.csv()] == ["ada@example.com"]
    seeded = run_cli("--sandbox-seed", "3", "--json", "users", "list")
    assert seeded.returncode == 0, seeded.stderr
    assert len(seeded.json()) == 3


def test_the_commands_own_connection_option_wins_over_the_groups(sandbox: Sandbox) -> None:
    result = run_cli("--host", sandbox.url, "--token", "wrong", "users", "list", "--token", sandbox.token)
    assert result.returncode == 0, result.stderr
    refused = run_cli("--host", sandbox.url, "--token", sandbox.token, "users", "list", "--token", "wrong")
    assert refused.returncode == 1 and "error: 401" in refused.stderr


def test_options_of_both_levels_combine_and_are_checked_together(sandbox: Sandbox) -> None:
    result = run_cli("--sandbox", "users", "list", "--token", "t")
    assert result.returncode == 2
    assert "--sandbox cannot be combined" in result.stderr


# -- tables on a terminal ------------------------------------------------------------------------
@pytest.mark.parametrize("columns", [80, 130, 170])
def test_ids_and_user_names_are_never_broken_in_a_terminal(cli: Cli, columns: int) -> None:
    names = ["felix.okafor.0@example.com", "ingrid.kowalski.5@example.com", "wei@example.com"]
    ids = [create_user(cli.sandbox, name, displayName="Ingrid Kowalski-Montgomery", title="Senior Sales Representative",
                       externalId=f"ext-{i}-5487ce1e-af19-422a")["id"] for i, name in enumerate(names)]
    result = run_in_terminal("users", "list", "--attributes", "displayName,title,externalId", env=cli.env,
                             columns=columns)
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    for name, user_id in zip(names, ids):  # each whole, on one line, where it can be double-clicked
        assert any(re.search(rf"(^|\s){re.escape(name)}(\s|$)", line) for line in lines), result.stdout
        assert any(re.search(rf"(^|\s){user_id}(\s|$)", line) for line in lines), result.stdout
    in_rows = [line for line in lines if any(user_id in line for user_id in ids)]
    if columns == 170:  # room for everything: one line per user, nothing cut
        assert len(in_rows) == 3 and all(name in line for name, line in zip(names, in_rows))
        assert "…" not in result.stdout
    elif columns == 130:  # the other columns give way, cut with an ellipsis
        assert len(in_rows) == 3 and "…" in result.stdout
    else:  # too narrow even for that: each user as a block of name  value lines
        assert len(in_rows) == 3 and all(line.split()[0] == "id" for line in in_rows)
    assert lines[-1] == "3 users"


def test_table_widths_keep_identifiers_whole_or_give_up() -> None:
    rows = [{"userName": "a" * 20, "displayName": "b" * 30, "title": "c" * 4, "id": "d" * 36}]
    columns = ["userName", "displayName", "title", "id"]
    assert output.column_widths(rows, columns, 200) == {"userName": 20, "displayName": 30, "title": 5, "id": 36}
    narrow = output.column_widths(rows, columns, 80)
    assert narrow is not None and narrow["userName"] == 20 and narrow["id"] == 36
    assert sum(narrow.values()) + 3 * output.GAP <= 80 and narrow["title"] == 5
    assert output.column_widths(rows, columns, 60) is None


# -- --debug -------------------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["--debug", "--debug before", "env"])
def test_debug_prints_each_request_and_response_redacted(sandbox: Sandbox, how: str) -> None:
    create_user(sandbox, "ada@example.com")
    env = base_env(GENESYSCLOUD_API_HOST=sandbox.url, GENESYSCLOUD_ACCESS_TOKEN=sandbox.token)
    args = ["users", "get", "ada@example.com"]
    if how == "--debug":
        args.append("--debug")
    elif how == "--debug before":
        args.insert(0, "--debug")
    else:
        env["PURECLOUD_SCIM_DEBUG"] = "1"
    result = run_cli(*args, env=env)
    assert result.returncode == 0, result.stderr
    assert re.search(rf"^> GET {re.escape(sandbox.url)}/api/v2/scim/v2/users\?filter=\[REDACTED\]&count=\d+$",
                     result.stderr, re.M)
    assert "> Authorization: [REDACTED]" in result.stderr
    assert re.search(r"^< 200 \(\d+\.\d ms\)$", result.stderr, re.M)
    assert re.search(r"^< ININ-Correlation-Id: ", result.stderr, re.M | re.I)
    assert sandbox.token not in result.stderr and "ada@example.com" not in result.stderr
    assert "ada@example.com" in result.stdout  # stdout stays the command's output


def test_without_debug_no_exchange_is_printed(cli: Cli) -> None:
    result = cli.ok("users", "list", PURECLOUD_SCIM_DEBUG="0")
    assert "> GET" not in result.stderr and result.stderr == ""


# -- an API that cannot be reached ---------------------------------------------------------------
def test_a_refused_connection_says_what_is_retried_and_ends_in_a_plain_sentence(refusing_port: int) -> None:
    result = run_cli("users", "list", "--host", f"http://127.0.0.1:{refusing_port}", "--token", "t",
                     "--max-retries", "2")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    address = f"127.0.0.1:{refusing_port}"
    assert [re.sub(r"in \d+\.\d s", "in N s", line) for line in lines[:2]] == [
        f"connection refused by {address}; retrying in N s (1 of 2)",
        f"connection refused by {address}; retrying in N s (2 of 2)"]
    assert lines[2] == f"error: cannot reach {address}: the connection was refused (after 2 retries)."
    assert lines[3].startswith("  Check the host and port (--host, --region, GENESYSCLOUD_API_HOST")
    assert len(lines) == 4 and "HTTPConnection" not in result.stderr and "Errno" not in result.stderr


def test_debug_shows_the_details_of_a_connection_failure(refusing_port: int) -> None:
    result = run_cli("users", "list", "--host", f"http://127.0.0.1:{refusing_port}", "--token", "t",
                     "--max-retries", "0", "--debug")
    assert result.returncode == 1
    assert "debug: GET /api/v2/scim/v2/users?startIndex=1&count=100 -> failed: connection failed:" in result.stderr
    assert "Connection refused" in result.stderr


def test_a_host_name_that_does_not_resolve_is_named() -> None:
    result = run_cli("users", "list", "--host", "https://nosuch.invalid", "--token", "t", "--max-retries", "1")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert re.fullmatch(r"cannot resolve nosuch\.invalid; retrying in \d+\.\d s \(1 of 1\)", lines[0])
    assert lines[1] == "error: cannot reach nosuch.invalid:443: its host name cannot be resolved (after 1 retry)."
    assert "Check the host name" in lines[2]


def test_a_server_error_that_is_retried_is_reported_while_it_happens(tmp_path: Path) -> None:
    with Sandbox(error_503_rate=1.0, fault_seed=1) as failing:
        result = run_cli("users", "list", "--host", failing.url, "--token", failing.token, "--max-retries", "1")
    assert result.returncode == 1
    assert re.match(r"GET /api/v2/scim/v2/users answered 503; retrying in \d+\.\d s \(1 of 1\)\n", result.stderr)
    assert "error: 503" in result.stderr


# -- shell completion ----------------------------------------------------------------------------
def _completion_script(shell: str) -> str:
    done = subprocess.run(CLI, env=base_env(_PURECLOUD_SCIM_COMPLETE=f"{shell}_source"), capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_bash_completion_script_loads_and_completes(tmp_path: Path) -> None:
    script = tmp_path / "purecloud-scim.bash"
    script.write_text(_completion_script("bash"), encoding="utf-8")
    assert subprocess.run(["bash", "-n", str(script)], capture_output=True, timeout=30).returncode == 0
    defined = subprocess.run(["bash", "-c", f"source {script} && complete -p purecloud-scim && "
                                            "declare -F _purecloud_scim_completion"],
                             capture_output=True, text=True, timeout=30)
    assert defined.returncode == 0, defined.stderr
    assert "-F _purecloud_scim_completion purecloud-scim" in defined.stdout
    words = subprocess.run(CLI, env=base_env(_PURECLOUD_SCIM_COMPLETE="bash_complete",
                                             COMP_WORDS="purecloud-scim users l", COMP_CWORD="2"),
                           capture_output=True, text=True, timeout=60)
    assert words.stdout.split() == ["plain,list"]


@pytest.mark.parametrize("shell, marks", [("zsh", ["#compdef purecloud-scim", "_purecloud_scim_completion"]),
                                          ("fish", ["complete --no-files --command purecloud-scim",
                                                    "_purecloud_scim_completion"])])
def test_zsh_and_fish_completion_scripts(shell: str, marks: list[str], tmp_path: Path) -> None:
    text = _completion_script(shell)
    for mark in marks:
        assert mark in text
    assert "_PURECLOUD_SCIM_COMPLETE=" + shell + "_complete" in text.replace('"', "")
    if shutil.which(shell):  # the shell itself, where installed, parses it
        script = tmp_path / f"completion.{shell}"
        script.write_text(text, encoding="utf-8")
        assert subprocess.run([shell, "-n", str(script)], capture_output=True, timeout=30).returncode == 0


# -- words ---------------------------------------------------------------------------------------
def test_plurals() -> None:
    assert [output.plural(n, "row") for n in (0, 1, 2)] == ["0 rows", "1 row", "2 rows"]
    assert output.plural(1, "retry", "retries") == "1 retry" and output.plural(3, "retry", "retries") == "3 retries"


def test_messages_count_in_words(cli: Cli, tmp_path: Path) -> None:
    from PureCloudPlatformClientV2.cli.sync import _report_text

    create_user(cli.sandbox, "ada@example.com")
    assert cli.ok("export", "users", "--out", str(tmp_path / "u.csv")).stderr == "exported 1 user to " \
        f"{tmp_path / 'u.csv'}\n"
    assert read_csv(tmp_path / "u.csv")[0]["userName"] == "ada@example.com"
    counts = {name: 0 for name in ("created", "updated", "unchanged", "deactivated", "failed", "skipped", "notRun")}
    text = _report_text({"input": "f.csv", "status": "done", "counts": counts, "rateLimited": 1, "lowestConcurrency": 2,
                         "failures": [], "journal": None, "outages": 2, "staleFailuresFileRemoved": None,
                         "failuresFile": None}, workers=4)
    assert "rate limited 1 time beyond the SDK's retries" in text and "paused 2 times" in text
    assert "(s)" not in text


# -- the progress bar ----------------------------------------------------------------------------
def test_the_progress_total_is_known_from_the_start_and_never_jumps(cli: Cli, tmp_path: Path) -> None:
    for i in range(5):
        create_user(cli.sandbox, f"active{i}@example.com")
    for i in range(3):
        create_user(cli.sandbox, f"gone{i}@example.com", active=False)
    out = tmp_path / "all.csv"
    result = run_in_terminal("export", "users", "--include-inactive", "--page-size", "2", "--out", str(out),
                             env=cli.env, columns=100)
    assert result.returncode == 0, result.stdout
    frames = re.findall(r"users .*?(\d+)/(\d+)", result.stdout)
    assert len(frames) >= 4, result.stdout  # one per page at least
    assert {total for _done, total in frames} == {"8"}, result.stdout
    done = [int(d) for d, _total in frames]
    assert done == sorted(done) and done[-1] == 8
    assert len(read_csv(out)) == 8


def test_a_connection_failure_is_told_once_in_short_errors() -> None:
    # The transport's reason already starts with "connection failed"; the failures file and
    # the sync's report used to print "connection failed: connection failed: ...".
    from PureCloudPlatformClientV2.rest import ApiConnectionError, ApiTimeoutError

    refused = ApiConnectionError("connection failed: [Errno 111] Connection refused", sent=False)
    assert output.short_error(refused) == "connection failed: [Errno 111] Connection refused"
    timed_out = ApiTimeoutError("read timeout: Read timed out.")
    assert output.short_error(timed_out) == "connection failed: read timeout: Read timed out."


def test_a_trickling_server_ends_at_the_deadline_with_a_plain_sentence() -> None:
    # --timeout bounds each wait for data; a server sending a byte every 0.2 s never trips it.
    from ..servers import Reply, ScriptedServer

    body = b'{"Resources": [], "totalResults": 0, "padding": "' + b"x" * 500 + b'"}'
    with ScriptedServer(default=Reply(200, body, {"Content-Type": "application/scim+json"}, trickle=0.2)) as slow:
        result = run_cli("users", "list", "--host", slow.url, "--token", "t", "--timeout", "10", "--deadline", "1")
        assert len(slow.requests) == 1 and slow.trickled < len(body)
    assert result.returncode == 1
    address = slow.url.split("//")[1]
    assert result.stderr.splitlines()[0] == f"error: cannot reach {address}: it did not answer in time for the deadline."
    assert "--deadline" in result.stderr
