"""`sync users`, step 2: the directory as it is now, and the plan that makes it match the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from ..usernames import look_alike_key, user_name_key
from . import columns as cols
from . import journal as journaling
from . import rows as rowfile

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

    def name_of(self, user_id: str) -> str:
        user = self.users.get(user_id)
        return user.get("userName", user_id) if user else user_id


class PendingManager:
    """A manager that this sync creates: its id is known once its row is done."""

    def __init__(self, row: rowfile.Row) -> None:
        self.row = row

    def __str__(self) -> str:
        return self.row.user_name


@dataclass(slots=True)
class Action:
    """One thing to do. Per row a plan holds this and its Row (values, original cells, key,
    fingerprint), nothing more: `desired` is the row's own values unless the manager had to be
    resolved, and a creation's diff is derived when shown."""

    kind: str  # create | update | unchanged | deactivate
    row: rowfile.Row | None
    user: dict[str, Any] | None  # the existing user, as read when planning
    desired: dict[str, Any]  # the managed values; manager as an id or a PendingManager
    changed: list[tuple[cols.Column, Any, Any]] | None  # updates: what differs (None for creations)
    level: int = 0  # rows whose manager this sync creates run after that manager

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
    in_file = {row.key if match == "userName" else user_name_key(row.user_name): row for row in rows}
    actions: list[Action] = []
    by_row: dict[int, Action] = {}
    for row in live:
        user = existing[row.number]
        desired = row.values
        ref = desired.get("manager")
        if ref:
            manager, problem = _resolve_manager(ref, row, directory, in_file, existing, user)
            if problem:
                problems.append(f"{row.label}: {problem}")
                continue
            if manager != ref:
                desired = {**desired, "manager": manager}
        if user is None:
            if not desired.get("displayName"):
                problems.append(f"{row.label}: displayName is needed to create {row.user_name}")
                continue
            action = Action("create", row, None, desired, None)
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
            key = user.get("externalId") if match == "externalId" else user_name_key(str(user.get("userName", "")))
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
    if user_name_key(ref) == user_name_key(row.user_name):
        return None, "a user cannot be their own manager"
    manager, problem = directory.named(ref)
    if problem:
        return None, f"manager: {problem}"
    if manager is not None:
        return manager["id"], None
    other = in_file.get(user_name_key(ref))
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
