"""`sync users`, step 2: the directory as it is now, and the plan that makes it match the file.

The plan keeps a byte (its kind) and two numbers (the row of a manager it waits for, its wave)
per row; the actions are made again, from the rows read again, when they are shown or sent."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from ..usernames import look_alike_key, user_name_key
from . import columns as cols
from . import journal as journaling
from . import rows as rowfile
from .row_index import RowIndex

ACTIVE = cols.BY_NAME["active"]


@dataclass
class Directory:
    """Every user as read before planning, indexed the way Genesys tells users apart."""

    users: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> wire user
    by_name: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # user_name_key -> users
    by_look: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # look_alike_key -> users
    by_external: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def of(cls, items: Iterable[dict[str, Any]]) -> Directory:
        found = cls()
        for user in items:
            if user.get("id") in found.users:
                continue
            found.users[user["id"]] = user
            if user.get("userName"):
                found.by_name.setdefault(user_name_key(user["userName"]), []).append(user)
                found.by_look.setdefault(look_alike_key(user["userName"]), []).append(user)
            if user.get("externalId"):
                found.by_external.setdefault(user["externalId"], []).append(user)
        return found

    def named(self, user_name: str) -> tuple[dict[str, Any] | None, str | None]:
        """(the user Genesys knows by this userName or None, a problem).

        Refused: a userName that more than one account answers to, and one that matches an
        account only after Unicode folding (`sam@` vs the existing `ſam@`): taking that account
        would hand its id and roles to someone else, creating a second one would make two
        accounts that look the same."""
        hits = self.by_name.get(user_name_key(user_name), [])
        if len(hits) > 1:
            names = " and ".join(str(u.get("userName")) for u in hits)
            return None, f"userName {user_name} matches {len(hits)} accounts ({names}); refusing to choose"
        if not hits:
            alike = self.by_look.get(look_alike_key(user_name), [])
            if alike:
                names = " and ".join(f"{u.get('userName')} ({u.get('id')})" for u in alike)
                return None, (f"userName {user_name} matches the existing {names} only after Unicode folding; "
                              "Genesys treats them as different users, so this row is refused (fix the "
                              "row or rename that account)")
        return (hits[0] if hits else None), None

    def find(self, row: rowfile.Row, match: str) -> tuple[dict[str, Any] | None, str | None]:
        """(the user this row is about or None, a problem)."""
        if match == "externalId":
            hits = self.by_external.get(row.values["externalId"], [])
            if len(hits) > 1:
                names = ", ".join(u.get("userName", u["id"]) for u in hits)
                return None, f"externalId {row.values['externalId']} belongs to {len(hits)} users ({names})"
            if not hits:  # a new user: its userName must not be taken by a look-alike either
                return None, self.named(row.user_name)[1]
            return hits[0], None
        return self.named(row.user_name)

    def holder(self, key: str, match: str) -> dict[str, Any] | None:
        """The user `find` gives a row whose matching key is `key` (what it says without the
        row's values, for the row of a manager)."""
        hits = (self.by_external if match == "externalId" else self.by_name).get(key, [])
        return hits[0] if len(hits) == 1 else None

    def name_of(self, user_id: str) -> str:
        user = self.users.get(user_id)
        return user.get("userName", user_id) if user else user_id


class PendingManager:
    """A manager that this sync creates: its id is known once its row is done."""

    def __init__(self, position: int, number: int, user_name: str, label: str) -> None:
        self.position, self.number, self.user_name, self.label = position, number, user_name, label

    def __str__(self) -> str:
        return self.user_name


@dataclass(slots=True)
class Action:
    """One thing to do, made from a row read again from the file when it is shown or sent
    (a plan keeps only its kind and level per row)."""

    kind: str  # create | update | unchanged | deactivate
    row: rowfile.Row | None
    user: dict[str, Any] | None  # the existing user, as read when planning
    desired: dict[str, Any]  # the managed values; manager as an id or a PendingManager
    changed: list[tuple[cols.Column, Any, Any]] | None  # updates: what differs (None for creations)
    manages: bool = False  # another row of this sync names it as its manager: its id is needed
    key: str = ""  # the row's matching key and fingerprint, for the journal
    digest: str = ""
    tries: int = 0  # times the runner sent it (a row that could not connect is sent again)

    @property
    def diff(self) -> list[tuple[cols.Column, Any, Any]]:
        if self.changed is not None:
            return self.changed
        return [(c, None, self.desired[c.name]) for c in cols.COLUMNS if self.desired.get(c.name) is not None]

    @property
    def user_name(self) -> str:
        if self.row is not None:
            return self.row.user_name
        return str((self.user or {}).get("userName", ""))

    @property
    def label(self) -> str:
        return self.row.label if self.row is not None else "(not in the file)"


# A row's kind in a plan, one byte per row
CREATE, UPDATE, UNCHANGED, SKIPPED, REFUSED = range(5)
KINDS = {CREATE: "create", UPDATE: "update", UNCHANGED: "unchanged"}
NO_MANAGER = -1


class Plan:
    """What to do with each row (its kind, the row of the manager it waits for, its wave) and
    the users to deactivate; `changes()` and `waves()` read the rows again to make the actions."""

    def __init__(self, index: RowIndex, directory: Directory) -> None:
        self.index, self.directory = index, directory
        self.kinds = bytearray(len(index))
        self.pending = array("q", [NO_MANAGER]) * len(index)  # position of a manager this sync creates
        self.levels = array("q", [0]) * len(index)  # rows whose manager this sync creates run after it
        self.deactivations: list[dict[str, Any]] = []  # the users to deactivate, as read
        self.problems: list[str] = []
        self._managers: set[int] = set()

    def count(self, kind: str) -> int:
        if kind == "deactivate":
            return len(self.deactivations)
        code = {"skipped": SKIPPED, **{v: k for k, v in KINDS.items()}}[kind]
        return self.kinds.count(code)

    @property
    def skipped(self) -> int:
        return self.kinds.count(SKIPPED)

    @property
    def total(self) -> int:
        """Actions to run: every planned row and every deactivation."""
        return sum(self.kinds.count(code) for code in KINDS) + len(self.deactivations)

    def actions(self, level: int | None = None, *, changed_only: bool = False) -> Iterator[Action]:
        """The rows' actions in file order (those of one wave with `level`), read again."""
        for position, row in self.index.reread():
            kind = self.kinds[position]
            if kind not in KINDS or (level is not None and self.levels[position] != level) \
                    or (changed_only and kind == UNCHANGED):
                continue
            action, _, _ = _row_action(self, position, row)
            if action is None or action.kind != KINDS[kind]:  # the digest matched, so this is a bug
                raise AssertionError(f"{row.label} planned as {KINDS[kind]} is now {action and action.kind}")
            action.manages = position in self._managers
            action.key, action.digest = self.index.key(position), self.index.digest(position)
            yield action

    def deactivation_actions(self) -> list[Action]:
        return [Action("deactivate", None, user, {"active": False}, [(ACTIVE, True, False)])
                for user in self.deactivations]

    def changes(self) -> Iterator[Action]:
        """What a dry run shows: every change, the rows' in file order, then the deactivations."""
        yield from self.actions(changed_only=True)
        yield from self.deactivation_actions()

    def waves(self) -> list[Iterable[Action]]:
        """The rows by wave (a row waits for its manager's wave), then the deactivations."""
        levels = sorted({self.levels[p] for p, kind in enumerate(self.kinds) if kind in KINDS})
        waves: list[Iterable[Action]] = [self.actions(level) for level in levels]
        return waves + ([self.deactivation_actions()] if self.deactivations else [])


def make_plan(index: RowIndex, directory: Directory, match: str, *, done: dict[int, dict[str, Any]],
              deactivate_missing: bool) -> Plan:
    plan = Plan(index, directory)
    for position in range(len(index)):
        entry = done.get(index.numbers[position])
        if entry and entry.get("outcome") in journaling.DONE and entry.get("key") == index.key(position) \
                and entry.get("digest") == index.digest(position):
            plan.kinds[position] = SKIPPED
    found: list[str] = []  # problems finding the rows' users come first, as they always have
    for position, row in index.reread():
        if plan.kinds[position] == SKIPPED:
            continue
        action, problem, finding = _row_action(plan, position, row)
        found += [f"{row.label}: {finding}"] if finding else []
        if action is None:
            plan.kinds[position] = REFUSED
            plan.problems.append(f"{row.label}: {problem}")
            continue
        plan.kinds[position] = {"create": CREATE, "update": UPDATE, "unchanged": UNCHANGED}[action.kind]
        manager = action.desired.get("manager")
        if isinstance(manager, PendingManager):
            plan.pending[position] = manager.position
    plan.problems[:0] = found
    plan.problems += _assign_levels(plan)
    plan._managers = {p for p in plan.pending if p != NO_MANAGER}
    if deactivate_missing:
        for user in directory.users.values():
            if user.get("active") is False:
                continue
            key = user.get("externalId") if match == "externalId" else user_name_key(str(user.get("userName", "")))
            if key and index.position_of_key(key) is None:
                plan.deactivations.append(user)
    return plan


def _row_action(plan: Plan, position: int, row: rowfile.Row) -> tuple[Action | None, str | None, str | None]:
    """(the row's action or None, why there is none, a problem finding its user)."""
    directory, match = plan.directory, plan.index.match
    user, finding = directory.find(row, match)
    desired = row.values
    ref = desired.get("manager")
    if ref:
        manager, problem = _resolve_manager(ref, row, plan, user)
        if problem:
            return None, problem, finding
        if manager != ref:
            desired = {**desired, "manager": manager}
    if user is None:
        if not desired.get("displayName"):
            return None, f"displayName is needed to create {row.user_name}", finding
        return Action("create", row, None, desired, None), None, finding
    diff = cols.changes(user, desired)
    return Action("update" if diff else "unchanged", row, user, desired, diff), None, finding


def _resolve_manager(ref: str, row: rowfile.Row, plan: Plan, user: dict[str, Any] | None) -> tuple[Any, str | None]:
    directory, index = plan.directory, plan.index
    if "@" not in ref:
        if ref not in directory.users:
            return None, f"manager {ref} is not the id of an existing user"
        if user is not None and user["id"] == ref:
            return None, "a user cannot be their own manager"
        return ref, None
    if user_name_key(ref) == user_name_key(row.user_name):
        return None, "a user cannot be their own manager"
    manager, problem = directory.named(ref)
    if problem:
        return None, f"manager: {problem}"
    if manager is not None:
        return manager["id"], None
    other = index.position_of_user_name(ref)
    if other is None:
        return None, f"manager {ref} is neither an existing user nor a row of this file"
    if plan.kinds[other] == SKIPPED:
        return None, f"manager {ref} ({index.label(other)}) was finished by an earlier run but is not in Genesys"
    existing = directory.holder(index.key(other), index.match)
    if existing is not None:  # e.g. renamed by this sync (--match externalId)
        return existing["id"], None
    return PendingManager(other, index.numbers[other], index.user_names[other], index.label(other)), None


def _assign_levels(plan: Plan) -> list[str]:
    """Each row's wave: how many managers this sync creates above it. Rows without an action
    (a problem of their own, already reported) end a chain."""
    problems = []
    for position, kind in enumerate(plan.kinds):
        if kind not in KINDS:
            continue
        chain, current = [], position
        while plan.pending[current] != NO_MANAGER:
            chain.append(current)
            current = plan.pending[current]
            if plan.kinds[current] not in KINDS:
                break
            if current in chain:
                cycle = chain[chain.index(current):]
                problems.append("rows " + ", ".join(str(plan.index.numbers[p]) for p in cycle)
                                + ": managers form a cycle")
                break
        else:
            plan.levels[position] = len(chain)
    return list(dict.fromkeys(problems))
