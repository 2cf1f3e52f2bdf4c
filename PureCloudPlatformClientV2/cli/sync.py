"""`sync users FILE`: make Genesys match a CSV or JSON file of users.

1. read and check the whole file (bad rows: exit 2, nothing sent);
2. read every user once (active and inactive) and plan: create, update (only the changed
   attributes), leave unchanged, and with --deactivate-missing deactivate the users the file
   does not list; plan-level problems (unknown manager, ...) also stop here with exit 2
   (sync_plan.py);
3. run the plan on a thread pool (--workers) that halves its concurrency when a 429 gets past
   the SDK's own retries, journaling each finished row so that --resume can skip it
   (sync_run.py).

This module holds the command itself and its reports.

Creating is idempotent: users are looked up before, and a 409 on create turns into an update
of the user that holds the userName (e.g. one created by an interrupted earlier run).
"""

from __future__ import annotations

import csv
import json
import os
import signal
from typing import Any

import click
from rich.progress import ProgressColumn
from rich.text import Text

from . import columns as cols
from . import journal as journaling
from . import output, rows as rowfile, scim
from .connection import Connection, connection_options
from .sync_plan import Action, Directory, PendingManager, make_plan
from .sync_run import Failure, Runner

OUTCOMES = ("created", "updated", "unchanged", "deactivated", "failed")


@click.group()
def sync() -> None:
    """Make Genesys match a file of users."""


# -- reporting ------------------------------------------------------------------------------
def _shown(col: cols.Column, value: Any, directory: Directory) -> str:
    if value is None:
        return "(none)"
    if col.name == "manager" and isinstance(value, str):
        return directory.name_of(value)
    return col.text(value) if not isinstance(value, PendingManager) else str(value)


def change_lines(action: Action, directory: Directory) -> list[str]:
    if action.kind == "create":
        head = f"+ create      {action.user_name} ({action.label})"
        return [head] + [f"    {c.name}: {_shown(c, new, directory)}" for c, _, new in action.diff]
    if action.kind == "deactivate":
        return [f"- deactivate  {action.user_name} (not in the file)"]
    head = f"~ update      {action.user_name} ({action.label})"
    return [head] + [f"    {c.name}: {_shown(c, old, directory)} -> {_shown(c, new, directory)}"
                     for c, old, new in action.diff]


def change_record(action: Action, directory: Directory) -> dict[str, Any]:
    record: dict[str, Any] = {"action": action.kind, "userName": action.user_name}
    if action.row is not None:
        record["row"] = action.row.number
    if action.user is not None:
        record["id"] = action.user.get("id")
    record["changes"] = {c.name: {"from": None if old is None else _shown(c, old, directory),
                                  "to": None if new is None else _shown(c, new, directory)}
                         for c, old, new in action.diff}
    return record


def write_failures(path: str, kind: str, header: list[str], failures: list[Failure]) -> None:
    failed_rows = [f for f in failures if f.action.row is not None]
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8", newline="") as stream:
        if kind == "json":
            items = []
            for failure in failed_rows:
                source = failure.action.row.source  # type: ignore[union-attr]
                items.append({**source, "error": failure.error} if isinstance(source, dict) else source)
            json.dump(items, stream, indent=2, ensure_ascii=False)
            stream.write("\n")
        else:
            names = [h for h in header if h.lower() != "error"] + ["error"]
            writer = csv.DictWriter(stream, fieldnames=names, extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
            for failure in failed_rows:
                source = {k: v for k, v in failure.action.row.source.items() if k.lower() != "error"}  # type: ignore[union-attr]
                writer.writerow({**source, "error": f"{failure.action.label}: {failure.error}"})
    os.replace(temporary, path)


def failures_path(input_path: str, kind: str) -> str:
    stem, _ = os.path.splitext(input_path)
    return f"{stem}.failed.{kind}"


def _problems(path: str, problems: list[str], where: str) -> click.exceptions.Exit:
    count = len(problems)
    lines = [f"error: {path}: {output.plural(count, 'problem')} {where}; nothing was sent:"]
    lines += [f"  {p}" for p in problems]
    output.note("\n".join(lines))
    return click.exceptions.Exit(2)


# -- the command ------------------------------------------------------------------------------
@sync.command("users")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@click.option("--match", type=click.Choice(["userName", "externalId"]), default="userName", show_default=True,
              help="What identifies a row's user.")
@click.option("--dry-run", is_flag=True, help="Print the plan and a per-user diff; change nothing.")
@click.option("--deactivate-missing", is_flag=True,
              help="Deactivate active users the file does not list (never done by default).")
@click.option("--workers", type=click.IntRange(1, 32), default=4, show_default=True,
              help="Rows in flight at once (lowered automatically while rate limited).")
@click.option("--resume", is_flag=True, help="Skip the rows an interrupted earlier run finished (see the journal).")
@click.option("--limit", type=click.IntRange(min=1), metavar="N",
              help="Stop after N rows, as if interrupted (resume with --resume).")
@click.option("--journal", "journal_path", metavar="PATH", help="Journal file (default: FILE.sync-journal).")
@click.option("--failures", "failures_file", metavar="PATH",
              help="Where failed rows go (default: FILE's name with .failed.csv or .failed.json).")
@click.option("--page-size", type=click.IntRange(1, 100), default=scim.DEFAULT_PAGE_SIZE, show_default=True,
              help="Users per request while reading the directory.")
@output.format_options(formats=("json",), help={"json": "Print the plan or the report as JSON."})
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--interrupt-after", type=click.IntRange(min=1), hidden=True,
              help="Test hook: deliver SIGINT to this process after N rows finish.")
@connection_options
def sync_users(path: str, match: str, dry_run: bool, deactivate_missing: bool, workers: int, resume: bool,
               limit: int | None, journal_path: str | None, failures_file: str | None, page_size: int,
               fmt: str, quiet: bool, interrupt_after: int | None, connection: Connection) -> None:
    """Create, update and (optionally) deactivate users so that Genesys matches FILE (CSV or JSON).

    Only the columns in the file are managed. Bad rows are reported with their row numbers
    before anything is sent (exit 2). Failed rows are written to a file you can sync again.
    """
    from .export import fetch_all

    as_json = fmt == "json"

    try:
        rows, kind, header = rowfile.read(path, match)
    except rowfile.InputError as error:
        raise _problems(path, error.problems, "in the file") from None
    if deactivate_missing and not rows:
        raise click.UsageError("--deactivate-missing with a file of no users would deactivate everyone")
    journal_path = journal_path or journaling.default_path(path)
    done: dict[int, dict[str, Any]] = {}
    if resume:
        try:
            done = journaling.load(journal_path, match)
        except journaling.JournalError as error:
            raise click.UsageError(str(error)) from None
        if not done and not as_json:
            output.note(f"no journal at {journal_path}: starting from the first row")
    elif os.path.exists(journal_path) and not dry_run:
        output.note(f"note: replacing the journal of an unfinished earlier run ({journal_path}); "
                    "--resume would have skipped its finished rows")

    api = connection.api
    users = fetch_all(api.get_scim_v2_users, [None, "active eq false"], "reading users", page_size=page_size,
                      quiet=quiet, attributes=cols.ATTRIBUTES)
    directory = Directory.of(users)
    plan = make_plan(rows, directory, match, done=done, deactivate_missing=deactivate_missing)
    if plan.problems:
        raise _problems(path, plan.problems, "found while planning")
    counts = {"create": plan.count("create"), "update": plan.count("update"),
              "unchanged": plan.count("unchanged"), "deactivate": plan.count("deactivate"),
              "skipped": len(plan.skipped)}

    if dry_run:
        changed = [a for a in plan.actions if a.kind != "unchanged"]
        if as_json:
            output.print_json({"input": path, "match": match, "dryRun": True, "rows": len(rows), "plan": counts,
                               "changes": [change_record(a, directory) for a in changed]})
            return
        click.echo(_plan_summary(path, len(rows), match, counts, dry_run=True))
        for action in changed:
            click.echo("\n".join(change_lines(action, directory)))
        return

    if not as_json and not quiet:
        output.note(_plan_summary(path, len(rows), match, counts, dry_run=False))
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with SIGINT ignored
    journal = journaling.Journal(journal_path, match, path, append=resume)
    total = sum(len(w) for w in plan.waves())
    bar = output.progress(quiet, _RateColumn(), _ErrorsColumn())
    task = bar.add_task("syncing", total=total, errors=0) if bar is not None else None
    errors = [0]

    def on_done(outcome: str) -> None:
        if outcome == "failed":
            errors[0] += 1
        if bar is not None:
            bar.update(task, advance=1, errors=errors[0])

    runner = Runner(api, match, journal, workers=workers, limit=limit, interrupt_after=interrupt_after,
                    on_done=on_done)
    try:
        if bar is not None:
            bar.start()
        status = runner.run(plan.waves())
    finally:
        if bar is not None:
            bar.stop()
        journal.close()
    runner.failures.sort(key=lambda f: f.action.row.number if f.action.row is not None else 1 << 62)
    failed_rows = [f for f in runner.failures if f.action.row is not None]
    written = None
    if failed_rows:
        written = failures_file or failures_path(path, kind)
        write_failures(written, kind, header, runner.failures)
    finished = status == "done" and not runner.failures
    if finished:
        journal.remove()
    report = {"input": path, "match": match, "dryRun": False, "rows": len(rows), "status": status,
              "counts": {o: runner.counts.get(o, 0) for o in OUTCOMES} | {"skipped": len(plan.skipped),
                                                                         "notRun": total - runner.finished},
              "rateLimited": runner.limiter.throttled, "lowestConcurrency": runner.limiter.lowest,
              "failures": [{"row": f.action.row.number if f.action.row else None, "label": f.action.label,
                            "userName": f.action.user_name, "error": f.error} for f in runner.failures],
              "failuresFile": written, "journal": None if finished else journal_path}
    if as_json:
        output.print_json(report)
    else:
        click.echo(_report_text(report, workers))
    if status == "interrupted":
        raise click.exceptions.Exit(130)
    if runner.failures:
        raise click.exceptions.Exit(1)


def _plan_summary(path: str, rows: int, match: str, counts: dict[str, int], *, dry_run: bool) -> str:
    head = (f"{'Plan (dry run, nothing sent)' if dry_run else 'Plan'} for {path}: {output.plural(rows, 'row')}, "
            f"matched by {match}")
    lines = [head, f"  to create      {counts['create']:>6}", f"  to update      {counts['update']:>6}",
             f"  unchanged      {counts['unchanged']:>6}", f"  to deactivate  {counts['deactivate']:>6}"]
    if counts["skipped"]:
        lines.append(f"  skipped        {counts['skipped']:>6}  (finished by an earlier run)")
    return "\n".join(lines)


def _report_text(report: dict[str, Any], workers: int) -> str:
    counts = report["counts"]
    status = {"done": "done", "limit": "stopped at --limit", "interrupted": "interrupted"}[report["status"]]
    lines = [f"Sync of {report['input']}: {status}"]
    for name in ("created", "updated", "unchanged", "deactivated", "failed"):
        lines.append(f"  {name:<12} {counts[name]:>6}")
    if counts["skipped"]:
        lines.append(f"  {'skipped':<12} {counts['skipped']:>6}  (finished by an earlier run)")
    if counts["notRun"]:
        lines.append(f"  {'not run':<12} {counts['notRun']:>6}  (run again with --resume to continue)")
    if report["rateLimited"]:
        lines.append(f"rate limited {output.plural(report['rateLimited'], 'time')} beyond the SDK's retries; "
                     f"concurrency went down to {report['lowestConcurrency']} of {workers}")
    if report["failures"]:
        where = f", written to {report['failuresFile']} (fix and sync that file)" if report["failuresFile"] else ""
        count = len(report["failures"])
        lines.append(f"{output.plural(count, 'failure')}{where}:")
        lines += [f"  {f['label']}  {f['userName']}  {f['error']}" for f in report["failures"]]
    if report["journal"]:
        lines.append(f"journal kept at {report['journal']}; --resume skips the rows it lists as done")
    return "\n".join(lines)


class _RateColumn(ProgressColumn):
    """Rows per second."""

    def render(self, task: Any) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:5.1f} rows/s" if speed else "  -.- rows/s")


class _ErrorsColumn(ProgressColumn):
    """Failed rows so far."""

    def render(self, task: Any) -> Text:
        errors = task.fields.get("errors", 0)
        return Text(f"{errors} errors", style="red" if errors else "")
