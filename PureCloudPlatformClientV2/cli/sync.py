"""`sync users FILE`: make Genesys match a CSV or JSON file of users.

1. read and check the whole file (bad rows: exit 2, nothing sent);
2. read every user once (active and inactive) and plan: create, update (only the changed
   attributes), leave unchanged, and with --deactivate-missing deactivate the users the file
   does not list; plan-level problems (unknown manager, ...) also stop here with exit 2;
3. run the plan on a thread pool (--workers) that halves its concurrency when a 429 gets past
   the SDK's own retries, journaling each finished row so that --resume can skip it.

Creating is idempotent: users are looked up before, and a 409 on create turns into an update
of the user that holds the userName (e.g. one created by an interrupted earlier run).
"""

from __future__ import annotations

import csv
import json
import os
import signal
import threading
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import click
from rich.progress import ProgressColumn
from rich.text import Text

from . import columns as cols
from . import journal as journaling
from . import output, rows as rowfile, scim
from .connection import Connection, connection_options

RATE_LIMIT_ATTEMPTS = scim.RATE_LIMIT_ATTEMPTS  # per row, after the SDK's own retries
VERSION_ATTEMPTS = 3  # re-reads after a concurrent change (400 invalidVers)
RAISE_AFTER_SUCCESSES = 20  # concurrency grows back by one after this many rows without a 429
ACTIVE = cols.BY_NAME["active"]
OUTCOMES = ("created", "updated", "unchanged", "deactivated", "failed")


@click.group()
def sync() -> None:
    """Make Genesys match a file of users."""


# -- the directory as it is now -------------------------------------------------------------
@dataclass
class Directory:
    users: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> wire user
    by_name: dict[str, dict[str, Any]] = field(default_factory=dict)  # casefolded userName -> user
    by_external: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def of(cls, items: Iterable[dict[str, Any]]) -> Directory:
        found = cls()
        for user in items:
            if user.get("id") in found.users:
                continue
            found.users[user["id"]] = user
            if user.get("userName"):
                found.by_name[user["userName"].casefold()] = user
            if user.get("externalId"):
                found.by_external.setdefault(user["externalId"], []).append(user)
        return found

    def find(self, row: rowfile.Row, match: str) -> tuple[dict[str, Any] | None, str | None]:
        """(the user this row is about or None, a problem)."""
        if match == "externalId":
            hits = self.by_external.get(row.values["externalId"], [])
            if len(hits) > 1:
                names = ", ".join(u.get("userName", u["id"]) for u in hits)
                return None, f"externalId {row.values['externalId']} belongs to {len(hits)} users ({names})"
            return (hits[0] if hits else None), None
        return self.by_name.get(row.user_name.casefold()), None

    def name_of(self, user_id: str) -> str:
        user = self.users.get(user_id)
        return user.get("userName", user_id) if user else user_id


class PendingManager:
    """A manager that this sync creates: its id is known once its row is done."""

    def __init__(self, row: rowfile.Row) -> None:
        self.row = row

    def __str__(self) -> str:
        return self.row.user_name


@dataclass
class Action:
    kind: str  # create | update | unchanged | deactivate
    row: rowfile.Row | None
    user: dict[str, Any] | None  # the existing user, as read when planning
    desired: dict[str, Any]  # the managed values; manager as an id or a PendingManager
    diff: list[tuple[cols.Column, Any, Any]]
    level: int = 0  # rows whose manager this sync creates run after that manager

    @property
    def user_name(self) -> str:
        if self.row is not None:
            return self.row.user_name
        return str((self.user or {}).get("userName", ""))

    @property
    def label(self) -> str:
        return self.row.label if self.row is not None else "(not in the file)"


@dataclass
class Plan:
    actions: list[Action]
    skipped: list[rowfile.Row]  # finished by an earlier run (--resume)
    problems: list[str]

    def count(self, kind: str) -> int:
        return sum(1 for a in self.actions if a.kind == kind)

    def waves(self) -> list[list[Action]]:
        rows = [a for a in self.actions if a.kind != "deactivate"]
        levels = sorted({a.level for a in rows})
        waves = [[a for a in rows if a.level == level] for level in levels]
        last = [a for a in self.actions if a.kind == "deactivate"]
        return waves + ([last] if last else [])


def make_plan(rows: list[rowfile.Row], directory: Directory, match: str, *, done: dict[int, dict[str, Any]],
              deactivate_missing: bool) -> Plan:
    problems: list[str] = []
    skipped, live = [], []
    for row in rows:
        entry = done.get(row.number)
        if entry and entry.get("outcome") in journaling.DONE and entry.get("key") == row.key \
                and entry.get("digest") == row.digest:
            skipped.append(row)
        else:
            live.append(row)
    existing: dict[int, dict[str, Any] | None] = {}
    for row in live:
        user, problem = directory.find(row, match)
        if problem:
            problems.append(f"{row.label}: {problem}")
        existing[row.number] = user
    in_file = {row.user_name.casefold(): row for row in rows}
    actions: list[Action] = []
    by_row: dict[int, Action] = {}
    for row in live:
        user = existing[row.number]
        desired = dict(row.values)
        ref = desired.get("manager")
        if ref:
            manager, problem = _resolve_manager(ref, row, directory, in_file, existing, user)
            if problem:
                problems.append(f"{row.label}: {problem}")
                continue
            desired["manager"] = manager
        if user is None:
            if not desired.get("displayName"):
                problems.append(f"{row.label}: displayName is needed to create {row.user_name}")
                continue
            diff = [(c, None, desired[c.name]) for c in cols.COLUMNS if desired.get(c.name) is not None]
            action = Action("create", row, None, desired, diff)
        else:
            diff = cols.changes(user, desired)
            action = Action("update" if diff else "unchanged", row, user, desired, diff)
        actions.append(action)
        by_row[row.number] = action
    problems += _assign_levels(actions, by_row)
    if deactivate_missing:
        keys = {row.key for row in rows}
        for user in directory.users.values():
            if user.get("active") is False:
                continue
            key = user.get("externalId") if match == "externalId" else str(user.get("userName", "")).casefold()
            if key and key not in keys:
                actions.append(Action("deactivate", None, user, {"active": False}, [(ACTIVE, True, False)]))
    return Plan(actions, skipped, problems)


def _resolve_manager(ref: str, row: rowfile.Row, directory: Directory, in_file: dict[str, rowfile.Row],
                     existing: dict[int, dict[str, Any] | None],
                     user: dict[str, Any] | None) -> tuple[Any, str | None]:
    if "@" not in ref:
        if ref not in directory.users:
            return None, f"manager {ref} is not the id of an existing user"
        if user is not None and user["id"] == ref:
            return None, "a user cannot be their own manager"
        return ref, None
    if ref.casefold() == row.user_name.casefold():
        return None, "a user cannot be their own manager"
    manager = directory.by_name.get(ref.casefold())
    if manager is not None:
        return manager["id"], None
    other = in_file.get(ref.casefold())
    if other is None:
        return None, f"manager {ref} is neither an existing user nor a row of this file"
    if other.number not in existing:
        return None, f"manager {ref} ({other.label}) was finished by an earlier run but is not in Genesys"
    if existing[other.number] is not None:  # e.g. renamed by this sync (--match externalId)
        return existing[other.number]["id"], None  # type: ignore[index]
    return PendingManager(other), None


def _assign_levels(actions: list[Action], by_row: dict[int, Action]) -> list[str]:
    problems = []
    for action in actions:
        chain, current = [], action
        while isinstance(current.desired.get("manager"), PendingManager):
            chain.append(current)
            current = by_row.get(current.desired["manager"].row.number)  # type: ignore[assignment]
            if current is None:
                break  # the manager's row has a problem of its own, already reported
            if current in chain:
                cycle = chain[chain.index(current):]
                problems.append("rows " + ", ".join(a.label.split()[-1] for a in cycle) + ": managers form a cycle")
                break
        else:
            action.level = len(chain)
    return list(dict.fromkeys(problems))


# -- running it -----------------------------------------------------------------------------
class Limiter:
    """At most `limit` rows at once; a 429 that got past the SDK halves the limit and pauses
    everyone for Retry-After; the limit grows back by one after a run of successes."""

    def __init__(self, limit: int) -> None:
        self.maximum = self.limit = self.lowest = limit
        self.active = 0
        self.throttled = 0
        self._resume_at = 0.0
        self._streak = 0
        self._cond = threading.Condition()

    def acquire(self) -> None:
        with self._cond:
            while True:
                pause = self._resume_at - time.monotonic()
                if pause > 0:
                    self._cond.wait(pause)
                elif self.active < self.limit:
                    self.active += 1
                    return
                else:
                    self._cond.wait()

    def release(self) -> None:
        with self._cond:
            self.active -= 1
            self._cond.notify_all()

    def throttle(self, error: Any, attempt: int) -> None:
        with self._cond:
            self.throttled += 1
            self.limit = max(1, self.limit // 2)
            self.lowest = min(self.lowest, self.limit)
            self._streak = 0
            wait = scim.rate_limit_wait(error, attempt)
            self._resume_at = max(self._resume_at, time.monotonic() + wait)
            self._cond.notify_all()

    def succeeded(self) -> None:
        with self._cond:
            self._streak += 1
            if self._streak >= RAISE_AFTER_SUCCESSES and self.limit < self.maximum:
                self.limit += 1
                self._streak = 0
                self._cond.notify_all()


@dataclass
class Failure:
    action: Action
    error: str


class Runner:
    """Runs a plan's waves; `on_done(outcome)` hears each finished action (main thread)."""

    def __init__(self, api: Any, match: str, journal: journaling.Journal | None, *, workers: int,
                 limit: int | None, interrupt_after: int | None, on_done: Callable[[str], None]) -> None:
        self.api, self.match, self.journal = api, match, journal
        self.workers, self.limit, self.interrupt_after = workers, limit, interrupt_after
        self.on_done = on_done
        self.limiter = Limiter(workers)
        self.counts: Counter[str] = Counter()
        self.failures: list[Failure] = []
        self.ids: dict[int, str] = {}  # row number -> user id, for managers created by this sync
        self.started = self.finished = 0
        self.status = "done"

    # main thread -------------------------------------------------------------------------
    def run(self, waves: list[list[Action]]) -> str:
        inflight: dict[Future[tuple[str, str | None, str | None]], Action] = {}
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="sync") as pool:
            try:
                for wave in waves:
                    if wave and wave[0].kind == "deactivate" and self.status != "done":
                        break  # deactivate only after every row was handled
                    pending = iter(wave)
                    while True:
                        while len(inflight) < self.workers * 2 and self.status == "done":
                            action = next(pending, None)
                            if action is None:
                                break
                            if self.limit is not None and self.started >= self.limit and action.kind != "deactivate":
                                self.status = "limit"  # rows are left: stop as if interrupted
                                break
                            self.started += 1
                            inflight[pool.submit(self.perform, action)] = action
                        if not inflight:
                            break
                        finished, _ = wait(list(inflight), timeout=0.5, return_when=FIRST_COMPLETED)
                        for future in finished:
                            self._finished(inflight.pop(future), future.result())
            except KeyboardInterrupt:
                self.status = "interrupted"
                if inflight:
                    output.note(f"interrupted: letting {len(inflight)} row(s) in flight finish "
                                "(Ctrl-C again to stop waiting)")
                try:
                    for future in list(inflight):
                        self._finished(inflight.pop(future), future.result(), interruptible=False)
                except KeyboardInterrupt:
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise
        return self.status

    def _finished(self, action: Action, result: tuple[str, str | None, str | None],
                  interruptible: bool = True) -> None:
        outcome, user_id, error = result
        self.finished += 1
        self.counts[outcome] += 1
        if user_id and action.row is not None:
            self.ids[action.row.number] = user_id
        if outcome == "failed":
            self.failures.append(Failure(action, error or "failed"))
        self.on_done(outcome)
        if interruptible and self.interrupt_after is not None and self.finished == self.interrupt_after:
            signal.raise_signal(signal.SIGINT)  # test hook: a real Ctrl-C at a known point

    # worker threads ------------------------------------------------------------------------
    def perform(self, action: Action) -> tuple[str, str | None, str | None]:
        from ..rest import ApiException, RateLimitError

        outcome: tuple[str, str | None, str | None]
        for attempt in range(RATE_LIMIT_ATTEMPTS):
            self.limiter.acquire()
            try:
                outcome = self._do(action)
            except RateLimitError as error:
                if attempt + 1 == RATE_LIMIT_ATTEMPTS:
                    outcome = ("failed", None, output.short_error(error))
                    break
                self.limiter.throttle(error, attempt)
                continue
            except (ApiException, scim.NotFound, _RowFailure) as error:
                outcome = ("failed", None, output.short_error(error))
            except Exception as error:  # a bug must not lose the journal of the other rows
                outcome = ("failed", None, f"{type(error).__name__}: {error}")
            finally:
                self.limiter.release()
            if outcome[0] != "failed":
                self.limiter.succeeded()
            break
        self._journal(action, *outcome)
        return outcome

    def _journal(self, action: Action, outcome: str, user_id: str | None, error: str | None) -> None:
        if self.journal is None:
            return
        if action.row is not None:
            self.journal.record(action.row.number, action.row.key, action.row.digest, outcome,
                                user_id=user_id, error=error)
        else:
            self.journal.record(0, "deactivate:" + str((action.user or {}).get("id")), "", outcome,
                                user_id=user_id, error=error)

    def _resolved(self, action: Action) -> dict[str, Any]:
        values = dict(action.desired)
        manager = values.get("manager")
        if isinstance(manager, PendingManager):
            manager_id = self.ids.get(manager.row.number)
            if manager_id is None:
                raise _RowFailure(f"manager {manager} ({manager.row.label}) was not created")
            values["manager"] = manager_id
        return values

    def _do(self, action: Action) -> tuple[str, str | None, str | None]:
        if action.kind == "deactivate":
            assert action.user is not None
            return self._update(action.user, {"active": False}, deactivating=True)
        values = self._resolved(action)
        if action.kind == "create":
            return self._create(values)
        assert action.user is not None
        return self._update(action.user, values, fallback_create=True)

    def _create(self, values: dict[str, Any]) -> tuple[str, str | None, str | None]:
        from ..models import ScimV2CreateUser
        from ..rest import ConflictError

        try:
            created = self.api.post_scim_v2_users(ScimV2CreateUser.from_wire(cols.creation_body(values)))
            return "created", created.id, None
        except ConflictError as conflict:
            # the userName is taken: by an earlier, interrupted run of this sync, or a concurrent writer
            found = self.api.get_scim_v2_users(scim.eq("userName", values["userName"]), count=1,
                                               attributes=cols.ATTRIBUTES).resources or []
            if not found:
                raise conflict from None
            user = found[0].to_wire()
            if self.match == "externalId" and user.get("externalId") != values.get("externalId"):
                raise _RowFailure(f"userName {values['userName']} belongs to another user "
                                  f"(externalId {user.get('externalId') or 'none'})") from None
            return self._update(user, values)

    def _update(self, user: dict[str, Any], values: dict[str, Any], *, fallback_create: bool = False,
                deactivating: bool = False) -> tuple[str, str | None, str | None]:
        from ..rest import BadRequestError, NotFoundError

        for attempt in range(VERSION_ATTEMPTS):
            diff = cols.changes(user, values)
            if not diff:
                return "unchanged", user["id"], None
            try:
                self.api.patch_scim_v2_user(user["id"], scim.patch_body(cols.patch_operations(diff)),
                                            if_match=scim.etag(user))
                return ("deactivated" if deactivating else "updated"), user["id"], None
            except BadRequestError as error:
                if error.scim_type != "invalidVers" or attempt + 1 == VERSION_ATTEMPTS:
                    raise
            except NotFoundError:
                if not fallback_create:
                    raise
                return self._create(values)  # deleted since it was read
            user = self.api.get_scim_v2_user(user["id"], attributes=cols.ATTRIBUTES).to_wire()
        raise AssertionError("unreachable")


class _RowFailure(Exception):
    """A row that cannot be done for a reason of its own (not an API error)."""


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
    lines = [f"error: {path}: {count} problem{'' if count == 1 else 's'} {where}; nothing was sent:"]
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
@click.option("--json", "as_json", is_flag=True, help="Print the plan or the report as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--interrupt-after", type=click.IntRange(min=1), hidden=True,
              help="Test hook: deliver SIGINT to this process after N rows finish.")
@connection_options
def sync_users(path: str, match: str, dry_run: bool, deactivate_missing: bool, workers: int, resume: bool,
               limit: int | None, journal_path: str | None, failures_file: str | None, page_size: int,
               as_json: bool, quiet: bool, interrupt_after: int | None, connection: Connection) -> None:
    """Create, update and (optionally) deactivate users so that Genesys matches FILE (CSV or JSON).

    Only the columns in the file are managed. Bad rows are reported with their row numbers
    before anything is sent (exit 2). Failed rows are written to a file you can sync again.
    """
    from .export import fetch_all

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
    head = (f"{'Plan (dry run, nothing sent)' if dry_run else 'Plan'} for {path}: {rows} row{'' if rows == 1 else 's'}, "
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
        lines.append(f"rate limited {report['rateLimited']} time(s) beyond the SDK's retries; "
                     f"concurrency went down to {report['lowestConcurrency']} of {workers}")
    if report["failures"]:
        where = f", written to {report['failuresFile']} (fix and sync that file)" if report["failuresFile"] else ""
        count = len(report["failures"])
        lines.append(f"{count} failure{'' if count == 1 else 's'}{where}:")
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
