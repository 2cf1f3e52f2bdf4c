"""The CLI at scale: the sync sends the requests its plan needs and no more, counted per row
in the report; it paces by the rate-limit headers by default (no 429s); exports stream their
rows to disk as pages arrive."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any, Iterator

import pytest

from PureCloudPlatformClientV2.cli import export, output
from PureCloudPlatformClientV2.sandbox import Sandbox

from .support import Cli, write_csv


def report(result: Any) -> dict[str, Any]:
    return json.loads(result.stdout)


def people(count: int, **extra: str) -> list[dict[str, str]]:
    return [{"userName": f"user{i}@example.com", "displayName": f"User {i}", "title": "Agent", **extra}
            for i in range(count)]


def test_the_sync_sends_one_request_per_change_and_none_per_unchanged_row(cli: Cli, tmp_path: Path) -> None:
    rows = people(30)
    write_csv(tmp_path / "users.csv", rows)
    first = report(cli.ok("sync", "users", "users.csv", "--json", "--page-size", "7"))["requests"]
    # the directory: one page of the (empty) active users, one of the inactive ones
    assert first["directory"] == 2 and first["total"] == 2 + 30
    assert first["rows"]["create"] == {"rows": 30, "requests": 30, "perRow": 1.0}
    changed = [dict(r, title="Lead") if i < 10 else r for i, r in enumerate(rows) if i < 25]
    write_csv(tmp_path / "changed.csv", changed)
    second = report(cli.ok("sync", "users", "changed.csv", "--json", "--page-size", "7", "--deactivate-missing",
                           "--yes", "--max-deactivate-share", "20"))["requests"]
    assert second["directory"] == 5 + 1  # 30 active users in pages of 7, and the empty inactive pass
    assert second["rows"] == {"create": {"rows": 0, "requests": 0, "perRow": None},
                              "update": {"rows": 10, "requests": 10, "perRow": 1.0},
                              "unchanged": {"rows": 15, "requests": 0, "perRow": 0.0},
                              "deactivate": {"rows": 5, "requests": 5, "perRow": 1.0}}
    assert second["total"] == 6 + 15 and second["token"] == 0
    again = cli.ok("sync", "users", "changed.csv", "--page-size", "7").stdout
    # 25 active users in 4 pages, the 5 deactivated in one; nothing to change
    assert "5 requests sent: 5 reading the directory; per row: unchanged 0.00" in again


def test_a_paced_sync_of_several_windows_gets_no_429(tmp_path: Path) -> None:
    # 20 requests per 3-second window; 42 requests: three windows (about 6 s of real time)
    with Sandbox(rate_limit=20, rate_limit_window=3) as sandbox:
        refused = []
        admit = sandbox.app.faults.admit

        def counting(headers: dict[str, str]) -> None:
            try:
                admit(headers)
            except Exception as error:
                refused.append(error)
                raise

        sandbox.app.faults.admit = counting  # type: ignore[method-assign]
        cli = Cli(sandbox, tmp_path)
        write_csv(tmp_path / "users.csv", people(40))
        done = report(cli.ok("sync", "users", "users.csv", "--json", "--workers", "4"))
        assert done["counts"]["created"] == 40 and done["rateLimited"] == 0
        assert refused == [] and done["requests"]["total"] == 42  # no 429, so no request sent twice
        write_csv(tmp_path / "more.csv", [dict(p, title="Lead") for p in people(40)])
        unpaced = report(cli.ok("sync", "users", "more.csv", "--json", "--workers", "4", "--no-pacing"))
        assert unpaced["counts"]["updated"] == 40
        assert refused and unpaced["requests"]["total"] > 42  # the same job unpaced meets the limit


def test_pace_text() -> None:
    assert output.pace_text(None) == "paced: -"
    assert output.pace_text(295.4) == "paced: 295 req/min"
    assert output.pace_text(6e10) == "paced: no limit"


def test_the_json_export_is_written_as_pages_arrive_in_json_dumps_layout() -> None:
    written = io.StringIO()
    seen: list[str] = []

    def pages() -> Iterator[list[dict[str, Any]]]:
        for n in range(3):
            seen.append(written.getvalue())  # what was written before page n was asked for
            yield [{"id": f"u{n}", "name": "Zoë", "tags": [n, {"deep": None}]}, {"id": f"v{n}"}]

    assert export.write_json_array(written, pages()) == 6
    assert seen[0] == "" and '"u0"' in seen[1] and '"v1"' in seen[2]
    items = [item for n in range(3) for item in ({"id": f"u{n}", "name": "Zoë", "tags": [n, {"deep": None}]},
                                                 {"id": f"v{n}"})]
    assert written.getvalue() == json.dumps(items, indent=2, ensure_ascii=False) + "\n"
    empty = io.StringIO()
    assert export.write_json_array(empty, iter([[]])) == 0 and empty.getvalue() == "[]\n"


def test_csv_rows_name_managers_that_come_on_later_pages() -> None:
    enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

    def user(n: int, manager: str | None) -> dict[str, Any]:
        found: dict[str, Any] = {"id": f"id-{n}", "userName": f"u{n}@example.com", "displayName": f"U{n}"}
        if manager:
            found[enterprise] = {"manager": {"value": manager}}
        return found

    pages = [[user(0, "id-3"), user(1, "id-0")], [user(2, "unknown-id")], [user(3, None)]]
    rows = list(export.user_rows_by_name(iter(pages)))
    assert [(r["id"], r["manager"]) for r in rows] == [("id-0", "u3@example.com"), ("id-1", "u0@example.com"),
                                                      ("id-2", "unknown-id"), ("id-3", "")]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_an_export_to_stdout_that_fails_partway_prints_nothing(tmp_path: Path, fmt: str) -> None:
    # fault seed 2: the first two requests pass, the third (the third page) gets 503
    with Sandbox(seed=150, error_503_rate=0.5, fault_seed=2) as sandbox:
        result = Cli(sandbox, tmp_path)("export", "users", "--format", fmt, "--page-size", "50", "--max-retries", "0")
    assert result.returncode == 1 and "503" in result.stderr
    assert result.stdout == "" and list(tmp_path.iterdir()) == []
