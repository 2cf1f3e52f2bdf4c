"""`sync users FILE`: make Genesys match a CSV or JSON file of users.

1. read and check the whole file (bad rows: exit 2, nothing sent), keeping a few fields per
   row (row_index.py); the file is read again whenever the rows' values are needed (to plan,
   to print a dry run, to send each wave, to write the failures file), and a file that changed
   since it was checked stops the sync (exit 2) before a row that differs is sent;
2. read every user once (active and inactive) and plan: create, update (only the changed
   attributes), leave unchanged, and with --deactivate-missing deactivate the users the file
   does not list; plan-level problems (unknown manager, ...) also stop here with exit 2
   (sync_plan.py);
3. run the plan on a thread pool (--workers) that halves its concurrency when a 429 gets past
   the SDK's own retries and pauses while the server is unreachable (--outage-wait),
   journaling each finished row so that --resume can skip it (sync_run.py).

Guards before anything is sent: the journal and the failures file must not be the input
file (or each other); one sync per journal at a time (an OS lock); --deactivate-missing
deactivates at most --max-deactivate-share of the active users, and only once confirmed
(a prompt on a terminal, else --yes).

SIGINT and SIGTERM both stop the sync the same way: the rows in flight finish and are
journaled, the failures file is written, and the exit status is 130 (SIGINT) or 143
(SIGTERM), the shells' 128 + signal number.

This module holds the command itself and its reports.

Creating is idempotent: users are looked up before, and a 409 on create turns into an update
of the user that holds the userName (e.g. one created by an interrupted earlier run).
"""

from __future__ import annotations

import contextlib
import csv
import os
import signal
import sys
from typing import Any, Iterable

import click
from rich.progress import ProgressColumn
from rich.text import Text

from . import cells as csvcells
from . import columns as cols
from . import journal as journaling
from . import output, row_index, scim
from . import rows as rowfile
from .connection import Connection, connection_options
from .export import write_json_array
from .row_index import FileChanged, RowIndex
from .sync_plan import Action, Directory, PendingManager, make_plan
from .sync_run import Failure, Runner

OUTCOMES = ("created", "updated", "unchanged", "deactivated", "failed")
DEFAULT_MAX_DEACTIVATE_SHARE = 10.0  # percent of the active users
DEFAULT_OUTAGE_WAIT = 300.0  # seconds


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


def write_failures(path: str, index: RowIndex, failures: list[Failure]) -> None:
    """The failed rows as a file of the input's kind that `sync users` takes (CSV cells
    neutralised against formula injection, as in exports; sync reads them back unchanged).
    Their original cells are read again from the input (FileChanged if it is not the one
    synced: the failures file is then not written)."""
    failed = {f.row: f for f in failures if f.row is not None}
    header = index.header
    rows = ((row, failed[row.number]) for _, row in index.reread() if row.number in failed)
    temporary = path + ".tmp"
    try:
        with open(temporary, "w", encoding="utf-8", newline="") as stream:
            if index.kind == "json":
                items = (({**row.source, "error": failure.error} if isinstance(row.source, dict) else row.source)
                         for row, failure in rows)
                write_json_array(stream, ([item] for item in items))
            else:
                names = [h for h in header if h.lower() != "error"] + ["error"]
                writer = csv.DictWriter(stream, fieldnames=names, extrasaction="ignore", lineterminator="\n")
                writer.writeheader()
                for row, failure in rows:
                    source = {k: v for k, v in row.cells(header).items() if k.lower() != "error"}
                    source["error"] = f"{failure.label}: {failure.error}"
                    writer.writerow({k: csvcells.neutralise(v) for k, v in source.items()})
    except BaseException:  # the input changed (or the disk is full): leave no half-written file
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    os.replace(temporary, path)


def check_paths(path: str, journal_path: str, failures_file: str) -> None:
    """The journal and the failures file are written and deleted: neither may be the input
    (a symlink or a hard link to it included), nor each other."""
    def same(a: str, b: str) -> bool:
        if os.path.realpath(a) == os.path.realpath(b):
            return True
        try:
            return os.path.samefile(a, b)
        except OSError:  # one of them does not exist yet
            return False

    for option, other in (("--journal", journal_path), ("--failures", failures_file)):
        if same(path, other):
            raise click.UsageError(f"{option} {other} is the input file; it would be overwritten or deleted")
    if same(journal_path, failures_file):
        raise click.UsageError(f"--journal and --failures are the same file ({journal_path})")


def deactivation_check(count: int, active: int, max_share: float) -> dict[str, Any]:
    """What --deactivate-missing would do, as reported by dry runs and checked by real runs."""
    share = 100.0 * count / active if active else 0.0
    return {"count": count, "activeUsers": active, "share": round(share, 1), "maxShare": max_share,
            "refused": count > 0 and share > max_share}


def _deactivation_line(check: dict[str, Any]) -> str:
    text = (f"{check['share']:g}% of {check['activeUsers']} active users; "
            f"--max-deactivate-share {check['maxShare']:g}%")
    return f"{text}: too many, a real run refuses" if check["refused"] else text


def confirm_deactivation(check: dict[str, Any], yes: bool, path: str) -> None:
    """Refuse over the share (exit 2); else ask on a terminal unless --yes (exit 2 if not)."""
    if check["refused"]:
        output.note(f"error: {path}: --deactivate-missing would deactivate {check['count']} of "
                    f"{check['activeUsers']} active users ({check['share']:g}%), more than "
                    f"--max-deactivate-share {check['maxShare']:g}%; nothing was sent. Check that the file "
                    "lists everyone, or raise --max-deactivate-share.")
        raise click.exceptions.Exit(2)
    if yes or not check["count"]:
        return
    question = (f"Deactivate {check['count']} active user{'' if check['count'] == 1 else 's'} that {path} "
                f"does not list ({check['share']:g}% of {check['activeUsers']})?")
    if not sys.stdin.isatty():
        output.note(f"error: {question[:-1]}: give --yes to confirm (there is no terminal to ask on); "
                    "nothing was sent")
        raise click.exceptions.Exit(2)
    if not click.confirm(question, default=False, err=True):
        output.note("not confirmed: nothing was sent")
        raise click.exceptions.Exit(2)


def remove_stale(path: str) -> bool:
    """Remove a failures file an earlier run left (this run has no failures to put in it)."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        return False
    return True


def failures_path(input_path: str, kind: str) -> str:
    stem, _ = os.path.splitext(input_path)
    return f"{stem}.failed.{kind}"


def _changed(error: Exception | str, *, sent: bool) -> click.exceptions.Exit:
    """The input changed after it was checked: stop (exit 2) rather than send rows nobody checked."""
    if sent:
        output.note(f"error: {error}: stopped; only rows as they were checked were sent, each is journaled "
                    "(--resume plans the file as it is now and skips them)")
    else:
        output.note(f"error: {error}; nothing was sent")
    return click.exceptions.Exit(2)


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
              help="Deactivate active users the file does not list (never done by default; asks first).")
@click.option("--max-deactivate-share", type=click.FloatRange(0, 100), default=DEFAULT_MAX_DEACTIVATE_SHARE,
              show_default=True, metavar="PERCENT",
              help="Refuse --deactivate-missing when it would deactivate more than this share of the active users.")
@click.option("--yes", "-y", is_flag=True, help="Deactivate without asking (needed when there is no terminal).")
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
@click.option("--outage-wait", type=click.FloatRange(min=0), default=DEFAULT_OUTAGE_WAIT, show_default=True,
              metavar="SECONDS",
              help="When the server stops answering, pause and wait this long for it before stopping (0: fail "
                   "the rows instead).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--interrupt-after", type=click.IntRange(min=1), hidden=True,
              help="Test hook: deliver SIGINT to this process after N rows finish.")
@click.option("--interrupt-signal", type=click.Choice(["INT", "TERM"]), default="INT", hidden=True,
              help="Test hook: the signal --interrupt-after delivers.")
@connection_options
def sync_users(path: str, match: str, dry_run: bool, deactivate_missing: bool, max_deactivate_share: float,
               yes: bool, workers: int, resume: bool, limit: int | None, journal_path: str | None,
               failures_file: str | None, page_size: int, fmt: str, outage_wait: float, quiet: bool,
               interrupt_after: int | None, interrupt_signal: str, connection: Connection) -> None:
    """Create, update and (optionally) deactivate users so that Genesys matches FILE (CSV or JSON).

    Only the columns in the file are managed. Bad rows are reported with their row numbers
    before anything is sent (exit 2). Failed rows are written to a file you can sync again.
    """
    as_json = fmt == "json"
    journal_path = journal_path or journaling.default_path(path)
    kind = "json" if rowfile.is_json_file(path) else "csv"
    failures_file = failures_file or failures_path(path, kind)
    check_paths(path, journal_path, failures_file)
    try:
        rows = row_index.check(path, match)
    except rowfile.InputError as error:
        raise _problems(path, error.problems, "in the file") from None
    if deactivate_missing and not len(rows):
        raise click.UsageError("--deactivate-missing with a file of no users would deactivate everyone")
    lock = None
    if not dry_run:
        try:
            lock = journaling.Lock(journal_path)
        except journaling.Busy as busy:
            output.note(f"error: {busy}")
            raise click.exceptions.Exit(2) from None
    try:
        _sync(connection, path, rows, match=match, dry_run=dry_run,
              deactivate_missing=deactivate_missing, max_deactivate_share=max_deactivate_share, yes=yes,
              workers=workers, resume=resume, limit=limit, journal_path=journal_path, failures_file=failures_file,
              page_size=page_size, as_json=as_json, outage_wait=outage_wait, quiet=quiet,
              interrupt_after=interrupt_after, interrupt_signal=getattr(signal, "SIG" + interrupt_signal))
    finally:
        if lock is not None:
            lock.release()


def _sync(connection: Connection, path: str, rows: RowIndex, *,
          match: str, dry_run: bool, deactivate_missing: bool, max_deactivate_share: float, yes: bool,
          workers: int, resume: bool, limit: int | None, journal_path: str, failures_file: str, page_size: int,
          as_json: bool, outage_wait: float, quiet: bool, interrupt_after: int | None,
          interrupt_signal: int) -> None:
    from .export import fetch_all

    done: dict[int, dict[str, Any]] = {}
    if resume:
        try:
            done = journaling.load(journal_path, match, warn=output.note)
        except journaling.JournalError as error:
            raise click.UsageError(str(error)) from None
        if not done and not as_json:
            output.note(f"no journal at {journal_path}: starting from the first row")
    elif os.path.exists(journal_path) and not dry_run:
        output.note(f"note: replacing the journal of an unfinished earlier run ({journal_path}); "
                    "--resume would have skipped its finished rows")

    api = connection.api
    meter = connection.meter
    sent_before = meter.mine() if meter is not None else 0
    users = fetch_all(api.get_scim_v2_users, [None, "active eq false"], "reading users", page_size=page_size,
                      quiet=quiet, attributes=cols.ATTRIBUTES, pacer=_pacer(connection))
    directory_requests = meter.mine() - sent_before if meter is not None else 0
    directory = Directory.of(users)
    del users
    try:
        plan = make_plan(rows, directory, match, done=done, deactivate_missing=deactivate_missing)
    except FileChanged as error:
        raise _changed(error, sent=False) from None
    if plan.problems:
        raise _problems(path, plan.problems, "found while planning")
    counts = {"create": plan.count("create"), "update": plan.count("update"),
              "unchanged": plan.count("unchanged"), "deactivate": plan.count("deactivate"),
              "skipped": plan.skipped}
    active = sum(1 for u in directory.users.values() if u.get("active") is not False)
    deactivation = deactivation_check(counts["deactivate"], active, max_deactivate_share) \
        if deactivate_missing else None

    if dry_run:
        try:
            if as_json:
                head = {"input": path, "match": match, "dryRun": True, "rows": len(rows), "plan": counts}
                if deactivation is not None:
                    head["deactivation"] = deactivation
                _print_json_with_list(head, "changes", (change_record(a, directory) for a in plan.changes()))
                return
            click.echo(_plan_summary(path, len(rows), match, counts, dry_run=True, deactivation=deactivation))
            for action in plan.changes():
                click.echo("\n".join(change_lines(action, directory)))
        except FileChanged as error:
            raise _changed(error, sent=False) from None
        return
    if deactivation is not None:
        confirm_deactivation(deactivation, yes, path)

    if not as_json and not quiet:
        output.note(_plan_summary(path, len(rows), match, counts, dry_run=False, deactivation=deactivation))
    received: list[int] = []

    def stop(signum: int, _frame: Any) -> None:
        received.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, stop)  # even if started with SIGINT ignored
    signal.signal(signal.SIGTERM, stop)  # `kill`, a service manager, a container stop: as Ctrl-C
    journal = journaling.Journal(journal_path, match, path, append=resume)
    total = plan.total
    pacer = _pacer(connection)
    bar = output.progress(quiet, _RateColumn(), _ErrorsColumn(), *([output.pace_column(pacer)] if pacer else []))
    task = bar.add_task("syncing", total=total, errors=0) if bar is not None else None
    errors = [0]

    def on_done(outcome: str) -> None:
        if outcome == "failed":
            errors[0] += 1
        if bar is not None:
            bar.update(task, advance=1, errors=errors[0])

    runner = Runner(api, match, journal, workers=workers, limit=limit, interrupt_after=interrupt_after,
                    on_done=on_done, outage_wait=outage_wait, interrupt_signal=interrupt_signal, meter=meter)
    try:
        if bar is not None:
            bar.start()
        status = runner.run(plan.waves())
    except KeyboardInterrupt:  # a second signal while the rows in flight were finishing
        journal.close()
        raise click.exceptions.Exit(128 + int(received[-1] if received else signal.SIGINT)) from None
    finally:
        if bar is not None:
            bar.stop()
        journal.close()
    runner.failures.sort(key=lambda f: f.row if f.row is not None else 1 << 62)
    failed_rows = [f for f in runner.failures if f.row is not None]
    written = removed = None
    change = runner.change
    if failed_rows and change is None:
        try:
            write_failures(failures_file, rows, runner.failures)
            written = failures_file
        except FileChanged as error:
            change = str(error)
    elif not failed_rows and remove_stale(failures_file):
        removed = failures_file
    finished = status == "done" and not runner.failures
    if finished:
        journal.remove()
    report = {"input": path, "match": match, "dryRun": False, "rows": len(rows), "status": status,
              "counts": {o: runner.counts.get(o, 0) for o in OUTCOMES} | {"skipped": plan.skipped,
                                                                         "notRun": total - runner.finished},
              "rateLimited": runner.limiter.throttled, "lowestConcurrency": runner.limiter.lowest,
              "outages": runner.outages,
              "requests": request_report(directory_requests, runner, meter),
              "failures": [{"row": f.row, "label": f.label, "userName": f.user_name, "error": f.error}
                           for f in runner.failures],
              "failuresFile": written, "staleFailuresFileRemoved": removed,
              "journal": None if finished else journal_path}
    if status == "interrupted":
        report["signal"] = signal.Signals(received[-1] if received else signal.SIGINT).name
    if change is not None:
        report["inputChanged"] = change
    if as_json:
        output.print_json(report)
    else:
        click.echo(_report_text(report, workers))
    if change is not None:
        raise _changed(change, sent=True)
    if status == "interrupted":
        raise click.exceptions.Exit(128 + int(received[-1] if received else signal.SIGINT))
    if runner.failures or status == "unreachable":
        raise click.exceptions.Exit(1)


def _pacer(connection: Connection) -> Any:
    """The client's pacer when the connection paces its requests (--pacing, the default)."""
    return connection.api.api_client.pacer if connection.pacing else None


def request_report(directory: int, runner: Runner, meter: Any) -> dict[str, Any]:
    """What the sync sent: reading the directory, and per kind of row its rows and requests
    (retries included; token requests apart). The least a plan needs is 1 request per create,
    update and deactivate and none per unchanged row."""
    rows = {kind: {"rows": runner.rows.get(kind, 0), "requests": runner.requests.get(kind, 0),
                   "perRow": round(runner.requests.get(kind, 0) / runner.rows[kind], 2) if runner.rows.get(kind)
                   else None}
            for kind in ("create", "update", "unchanged", "deactivate")}
    return {"total": meter.total if meter is not None else None, "directory": directory,
            "token": meter.tokens if meter is not None else None, "rows": rows}


def _requests_line(requests: dict[str, Any]) -> str:
    per_row = ", ".join(f"{kind} {figures['perRow']:.2f}" for kind, figures in requests["rows"].items()
                        if figures["rows"])
    tokens = f", token {requests['token']}" if requests.get("token") else ""
    return (f"{output.plural(requests['total'], 'request')} sent: {requests['directory']} reading the directory"
            f"{tokens}" + (f"; per row: {per_row}" if per_row else ""))


def _print_json_with_list(head: dict[str, Any], name: str, items: Iterable[Any]) -> None:
    """`head` with `name` set to a list of `items`, printed as print_json would, but an item at
    a time: a plan of 200,000 changes is never one string in memory."""
    first = True
    text = output.json_text({**head, name: []})
    cut = text.rindex("[]")
    for item in items:
        click.echo((text[:cut] + "[\n") if first else ",\n", nl=False)
        first = False
        click.echo("\n".join("    " + line for line in output.json_text(item).splitlines()), nl=False)
    click.echo(text if first else "\n  ]" + text[cut + 2:])


def _plan_summary(path: str, rows: int, match: str, counts: dict[str, int], *, dry_run: bool,
                  deactivation: dict[str, Any] | None = None) -> str:
    head = (f"{'Plan (dry run, nothing sent)' if dry_run else 'Plan'} for {path}: {output.plural(rows, 'row')}, "
            f"matched by {match}")
    share = f"  ({_deactivation_line(deactivation)})" if deactivation and deactivation["count"] else ""
    lines = [head, f"  to create      {counts['create']:>6}", f"  to update      {counts['update']:>6}",
             f"  unchanged      {counts['unchanged']:>6}", f"  to deactivate  {counts['deactivate']:>6}{share}"]
    if counts["skipped"]:
        lines.append(f"  skipped        {counts['skipped']:>6}  (finished by an earlier run)")
    return "\n".join(lines)


def _report_text(report: dict[str, Any], workers: int) -> str:
    counts = report["counts"]
    status = {"done": "done", "limit": "stopped at --limit", "interrupted": f"interrupted ({report.get('signal')})",
              "unreachable": "stopped: the server did not answer within --outage-wait",
              "changed": "stopped: the file changed since it was checked"}[report["status"]]
    lines = [f"Sync of {report['input']}: {status}"]
    for name in ("created", "updated", "unchanged", "deactivated", "failed"):
        lines.append(f"  {name:<12} {counts[name]:>6}")
    if counts["skipped"]:
        lines.append(f"  {'skipped':<12} {counts['skipped']:>6}  (finished by an earlier run)")
    if counts["notRun"]:
        lines.append(f"  {'not run':<12} {counts['notRun']:>6}  (run again with --resume to continue)")
    requests = report.get("requests")
    if requests and requests["total"] is not None:
        lines.append(_requests_line(requests))
    if report["rateLimited"]:
        lines.append(f"rate limited {output.plural(report['rateLimited'], 'time')} beyond the SDK's retries; "
                     f"concurrency went down to {report['lowestConcurrency']} of {workers}")
    if report["failures"]:
        where = f", written to {report['failuresFile']} (fix and sync that file)" if report["failuresFile"] else ""
        count = len(report["failures"])
        lines.append(f"{output.plural(count, 'failure')}{where}:")
        lines += [f"  {f['label']}  {f['userName']}  {f['error']}" for f in report["failures"]]
    if report["outages"]:
        lines.append(f"paused {output.plural(report['outages'], 'time')} while the server did not answer")
    if report["staleFailuresFileRemoved"]:
        lines.append(f"removed {report['staleFailuresFileRemoved']}, left by an earlier run (no row failed this time)")
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
