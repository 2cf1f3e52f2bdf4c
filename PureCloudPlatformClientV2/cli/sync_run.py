"""`sync users`, step 3: running the plan on a thread pool that backs off on rate limits and
waits out a server outage.

Outages: a row whose requests could not connect (ApiConnectionError, status 0) is not
journaled but queued again. When OUTAGE_AFTER rows in a row fail that way the server is taken
to be down: nothing more is sent, the rows in flight finish, and the server is checked with
growing pauses (1 s, 2 s, ... 30 s; each check is a GET that the SDK itself retries) for at
most `outage_wait` seconds; when it answers, the queued rows go first. A row sent again is
planned again from what the server holds now: a create looks its userName up first (the
first POST may have been applied before the connection broke; a create is never sent twice
for one user), an update re-reads the user when its If-Match version went stale.
"""

from __future__ import annotations

import signal
import threading
import time
from collections import Counter, deque
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from . import columns as cols
from . import journal as journaling
from . import output, scim
from .row_index import FileChanged
from .sync_plan import Action, PendingManager

RATE_LIMIT_ATTEMPTS = scim.RATE_LIMIT_ATTEMPTS  # per row, after the SDK's own retries
VERSION_ATTEMPTS = 3  # re-reads after a concurrent change (400 invalidVers)
RAISE_AFTER_SUCCESSES = 20  # concurrency grows back by one after this many rows without a 429
OUTAGE_AFTER = 3  # rows in a row that could not connect: the server is down, pause
ROW_CONNECTION_ATTEMPTS = 5  # tries of one row that cannot connect, counting tries after outages
PROBE_FIRST_S, PROBE_CAP_S = 1.0, 30.0  # pauses between checks of a server that is down


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
    """A row or deactivation that failed (its cells are read again for the failures file)."""

    row: int | None  # the row number; None for a deactivation
    label: str
    user_name: str
    error: str


class Runner:
    """Runs a plan's waves; `on_done(outcome)` hears each finished action (main thread).

    `status` ends as done, limit (--limit reached), interrupted (SIGINT/SIGTERM),
    unreachable (the server stayed down longer than `outage_wait`) or changed (the input file
    is not the one planned; `change` says how)."""

    def __init__(self, api: Any, match: str, journal: journaling.Journal | None, *, workers: int,
                 limit: int | None, interrupt_after: int | None, on_done: Callable[[str], None],
                 outage_wait: float = 0.0, interrupt_signal: int = signal.SIGINT, meter: Any = None) -> None:
        self.api, self.match, self.journal = api, match, journal
        self.meter = meter  # a metering.Meter: what each row cost in requests
        self.workers, self.limit, self.interrupt_after = workers, limit, interrupt_after
        self.interrupt_signal = interrupt_signal
        self.on_done = on_done
        self.outage_wait = outage_wait
        self.limiter = Limiter(workers)
        self.counts: Counter[str] = Counter()
        self.requests: Counter[str] = Counter()  # action kind -> requests its rows sent (retries included)
        self.rows: Counter[str] = Counter()  # action kind -> rows finished
        self.failures: list[Failure] = []
        self.ids: dict[int, str] = {}  # row number -> user id, for the managers this sync creates
        self.started = self.finished = 0
        self.status = "done"
        self.outages = 0  # how many times the sync paused for the server
        self.change: str | None = None  # status "changed": how the input file changed
        self._requests_lock = threading.Lock()
        self._unreachable_streak = 0
        self._last_connection_error = ""

    # main thread -------------------------------------------------------------------------
    def run(self, waves: list[Iterable[Action]]) -> str:
        inflight: dict[Future[tuple[str, str | None, str | None]], Action] = {}
        retry: deque[Action] = deque()  # rows that could not connect, sent again first
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="sync") as pool:
            try:
                for wave in waves:
                    pending = iter(wave)
                    while True:
                        while (len(inflight) < self.workers * 2 and self.status == "done"
                               and self._unreachable_streak < OUTAGE_AFTER):
                            action = retry.popleft() if retry else self._next(pending)
                            if action is None:
                                break
                            if not action.tries:
                                if (self.limit is not None and self.started >= self.limit
                                        and action.kind != "deactivate"):
                                    self.status = "limit"  # rows are left: stop as if interrupted
                                    break
                                self.started += 1
                            action.tries += 1
                            inflight[pool.submit(self.perform, action, action.tries)] = action
                        if not inflight:
                            if self._unreachable_streak >= OUTAGE_AFTER and self.status == "done":
                                if self._wait_for_server(len(retry)):
                                    continue
                                self.status = "unreachable"
                                for action in retry:
                                    outcome = ("failed", None, f"server unreachable: {self._last_connection_error}")
                                    self._journal(action, *outcome)
                                    self._finished(action, outcome)
                            break
                        finished, _ = wait(list(inflight), timeout=0.5, return_when=FIRST_COMPLETED)
                        for future in finished:
                            action = inflight.pop(future)
                            result = future.result()
                            if result[0] == "unreachable":
                                self._unreachable_streak += 1
                                self._last_connection_error = result[2] or "connection failed"
                                retry.append(action)
                            else:
                                self._unreachable_streak = 0
                                self._finished(action, result)
                    if self.status != "done":
                        break  # the next wave (managers' reports, then deactivations) waits for this one
            except KeyboardInterrupt:
                self.status = "interrupted"
                if inflight:
                    output.note(f"interrupted: letting {output.plural(len(inflight), 'row')} in flight finish "
                                "(interrupt again to stop waiting)")
                try:
                    for future in list(inflight):
                        action = inflight.pop(future)
                        result = future.result()
                        if result[0] != "unreachable":  # else not journaled: --resume does it again
                            self._finished(action, result, interruptible=False)
                except KeyboardInterrupt:
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise
        return self.status

    def _next(self, actions: Iterator[Action]) -> Action | None:
        """The next action of a wave, None at its end or once the input file changed (the
        actions are made from the file, read again: a row that differs from the one planned
        is never sent)."""
        try:
            return next(actions, None)
        except FileChanged as error:
            self.status, self.change = "changed", str(error)
            return None

    def _wait_for_server(self, queued: int) -> bool:
        """Pause while the server does not answer; False once `outage_wait` is spent."""
        self.outages += 1
        began = time.monotonic()
        output.note(f"the server is not answering ({self._unreachable_streak} rows in a row: "
                    f"{self._last_connection_error}); sync paused, checking again for up to "
                    f"{self.outage_wait:g} s (--outage-wait)")
        pause = PROBE_FIRST_S
        while True:
            left = self.outage_wait - (time.monotonic() - began)
            if left <= 0:
                output.note(f"the server did not answer for {self.outage_wait:g} s: stopping "
                            "(run again with --resume to continue)")
                return False
            time.sleep(min(pause, left))
            if self._answers():
                output.note(f"the server answers again after {time.monotonic() - began:.1f} s: resuming "
                            f"({queued} row{'' if queued == 1 else 's'} to send again)")
                self._unreachable_streak = 0
                return True
            output.note(f"  still no answer after {time.monotonic() - began:.1f} s")
            pause = min(pause * 2, PROBE_CAP_S)

    def _answers(self) -> bool:
        from ..rest import ApiException

        try:
            self.api.get_scim_v2_serviceproviderconfig()
        except ApiException as error:
            return error.status != 0  # any HTTP answer (even an error) means it is up
        return True

    def _finished(self, action: Action, result: tuple[str, str | None, str | None],
                  interruptible: bool = True) -> None:
        outcome, user_id, error = result
        self.finished += 1
        self.counts[outcome] += 1
        self.rows[action.kind] += 1
        if user_id and action.row is not None and action.manages:
            self.ids[action.row.number] = user_id
        if outcome == "failed":
            self.failures.append(Failure(action.row.number if action.row is not None else None, action.label,
                                         action.user_name, error or "failed"))
        self.on_done(outcome)
        if interruptible and self.interrupt_after is not None and self.finished == self.interrupt_after:
            signal.raise_signal(self.interrupt_signal)  # test hook: a real Ctrl-C or kill at a known point

    # worker threads ------------------------------------------------------------------------
    def perform(self, action: Action, attempt_number: int = 1) -> tuple[str, str | None, str | None]:
        outcome: tuple[str, str | None, str | None]
        sent_before = self.meter.mine() if self.meter is not None else 0
        try:
            outcome = self._perform(action, attempt_number)
        finally:
            if self.meter is not None:
                with self._requests_lock:
                    self.requests[action.kind] += self.meter.mine() - sent_before
        if outcome[0] != "unreachable":  # a row queued again is journaled when it finishes
            self._journal(action, *outcome)
        return outcome

    def _perform(self, action: Action, attempt_number: int) -> tuple[str, str | None, str | None]:
        from ..rest import ApiConnectionError, ApiException, RateLimitError

        outcome: tuple[str, str | None, str | None]
        for attempt in range(RATE_LIMIT_ATTEMPTS):
            self.limiter.acquire()
            try:
                outcome = self._do(action, again=attempt_number > 1)
            except RateLimitError as error:
                if attempt + 1 == RATE_LIMIT_ATTEMPTS:
                    outcome = ("failed", None, output.short_error(error))
                    break
                self.limiter.throttle(error, attempt)
                continue
            except ApiConnectionError as error:
                waits = self.outage_wait > 0 and error.retryable and attempt_number < ROW_CONNECTION_ATTEMPTS
                outcome = ("unreachable", None, str(error.reason)) if waits else \
                    ("failed", None, output.short_error(error))
            except (ApiException, scim.NotFound, _RowFailure) as error:
                outcome = ("failed", None, output.short_error(error))
            except Exception as error:  # a bug must not lose the journal of the other rows
                outcome = ("failed", None, f"{type(error).__name__}: {error}")
            finally:
                self.limiter.release()
            if outcome[0] not in ("failed", "unreachable"):
                self.limiter.succeeded()
            break
        return outcome

    def _journal(self, action: Action, outcome: str, user_id: str | None, error: str | None) -> None:
        if self.journal is None:
            return
        if action.row is not None:
            self.journal.record(action.row.number, action.key, action.digest, outcome,
                                user_id=user_id, error=error)
        else:
            self.journal.record(0, "deactivate:" + str((action.user or {}).get("id")), "", outcome,
                                user_id=user_id, error=error)

    def _resolved(self, action: Action) -> dict[str, Any]:
        values = dict(action.desired)
        manager = values.get("manager")
        if isinstance(manager, PendingManager):
            manager_id = self.ids.get(manager.number)
            if manager_id is None:
                raise _RowFailure(f"manager {manager} ({manager.label}) was not created")
            values["manager"] = manager_id
        return values

    def _do(self, action: Action, again: bool = False) -> tuple[str, str | None, str | None]:
        if action.kind == "deactivate":
            assert action.user is not None
            return self._update(action.user, {"active": False}, deactivating=True)
        values = self._resolved(action)
        if action.kind == "create":
            if again:  # the first POST may have been applied before its connection broke
                user = self._named(values["userName"])
                if user is not None:
                    return self._adopt(user, values)
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
            user = self._named(values["userName"])
            if user is None:
                raise conflict from None
            return self._adopt(user, values)

    def _named(self, user_name: str) -> dict[str, Any] | None:
        """The user holding this userName by the server's rule (not a look-alike), or None."""
        try:
            return scim.user_named(self.api, user_name, attributes=cols.ATTRIBUTES)
        except scim.NotFound:
            return None

    def _adopt(self, user: dict[str, Any], values: dict[str, Any]) -> tuple[str, str | None, str | None]:
        """A row to create whose user exists already: update that user instead."""
        if self.match == "externalId" and user.get("externalId") != values.get("externalId"):
            raise _RowFailure(f"userName {values['userName']} belongs to another user "
                              f"(externalId {user.get('externalId') or 'none'})")
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
