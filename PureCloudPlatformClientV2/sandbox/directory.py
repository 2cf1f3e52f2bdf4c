"""Directory: the users and groups operations (validation, versions, If-Match, soft delete, seeding)."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from ..urns import ENTERPRISE_USER_URN
from ..usernames import user_name_key
from . import fake, filters, groups, listing, lookups, patching, schemas, users
from .errors import ScimError, invalid_value, not_found
from .options import SandboxOptions
from .store import CATALOG_KINDS, Conflict, Record, Store

DEFAULT_CATALOG = {"roles": fake.ROLES, "skills": fake.SKILLS, "languages": fake.LANGUAGES,
                   "divisions": fake.DIVISIONS}


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def etag_matches(header: str, version: int) -> bool:
    """True when an If-Match/If-None-Match list names this version (`"3"`, `W/"3"` or `*`)."""
    for tag in header.split(","):
        tag = tag.strip()
        tag = tag[2:] if tag.startswith("W/") else tag
        if tag == "*" or tag.strip('"') == str(version):
            return True
    return False


def _check_if_match(if_match: str | None, record: Record) -> None:
    # Genesys answers a stale If-Match with 400 invalidVers, not RFC 7644's 412
    if if_match and not etag_matches(if_match, record.version):
        raise ScimError(400, f"If-Match {if_match} does not match the current version \"{record.version}\"",
                        "invalidVers")


def operations(body: Any) -> list[dict[str, Any]]:
    """The `Operations` of a PatchOp body (key matched case-insensitively)."""
    ops = next((v for k, v in body.items() if k.lower() == "operations"), None) if isinstance(body, dict) else None
    if not isinstance(ops, list) or not ops or not all(isinstance(op, dict) for op in ops):
        raise ScimError(400, "A PATCH body needs a non-empty Operations list of objects", "invalidSyntax")
    return ops


class Directory:
    """Users and groups over a Store; every write is one transaction (read, check, write)."""

    def __init__(self, store: Store, options: SandboxOptions | None = None) -> None:
        self.store = store
        self.options = options or SandboxOptions()  # read at each call, so changes apply live
        self._membership: tuple[str, dict[str, list[str]]] | None = None
        store.file_under(lookups.keys_of)

    # -- lookups ---------------------------------------------------------------------------
    def catalog(self) -> dict[str, list[str]]:
        return {kind: self.store.catalog(kind) for kind in CATALOG_KINDS}

    def _user_exists(self, user_id: str) -> bool:
        record = self.store.get("users", user_id)
        return record is not None and not record.deleted

    def _group_exists(self, group_id: str) -> bool:
        return self.store.get("groups", group_id) is not None

    def _live(self, kind: str, resource_id: str) -> Record:
        record = self.store.get(kind, resource_id)
        if record is None or record.deleted:
            raise not_found("User" if kind == "users" else "Group", resource_id)
        return record

    def _groups_by_user(self) -> dict[str, list[str]]:
        """user id -> ids of the groups they are in; rebuilt only when some group changed,
        since parsing big member lists on every user read is the sandbox's main cost."""
        key = self.store.fingerprint("groups")
        cached = self._membership
        if cached is not None and cached[0] == key:
            return cached[1]
        membership: dict[str, list[str]] = {}
        for group in self.store.all("groups"):
            for member in groups.member_ids(group):
                membership.setdefault(member, []).append(group.id)
        self._membership = (key, membership)
        return membership

    def _normalize_user(self, body: Any, *, lenient: bool | None = None) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise ScimError(400, "The body must be a JSON object", "invalidSyntax")
        return users.normalize(body, self.catalog(), user_exists=self._user_exists,
                               lenient_usernames=self.options.lenient_usernames if lenient is None else lenient)

    # -- users -----------------------------------------------------------------------------------
    def render_user(self, record: Record, base: str, membership: dict[str, list[str]] | None = None) -> dict[str, Any]:
        membership = self._groups_by_user() if membership is None else membership
        return users.render(record, base, membership.get(record.id, []))

    def get_user(self, user_id: str, base: str) -> tuple[dict[str, Any], int]:
        record = self._live("users", user_id)
        return self.render_user(record, base), record.version

    def list_users(self, query: listing.ListQuery, base: str) -> dict[str, Any]:
        """A page of users. Unfiltered (only active users, as Genesys lists them) and
        `active eq true|false` are counted and paged by the store; a filter the lookups can
        narrow renders only the records they find; any other renders every live user."""
        membership = self._groups_by_user()
        active = True if query.filter is None else lookups.active_only(query.filter)
        if active is not None:
            total = self.store.total("users", active)
            records = self.store.window("users", active, query.start_index - 1, query.count)
            return listing.page([self.render_user(r, base, membership) for r in records], total, query, "User")
        rendered = [self.render_user(r, base, membership) for r in self._candidates("users", query.filter)]
        matched = listing.select(rendered, query, "User")
        return listing.page(listing.window(matched, query), len(matched), query, "User")

    def _candidates(self, kind: str, node: filters.Node) -> list[Record]:
        """The live records a filter could match, before the filter itself decides: those filed
        under its lookup keys (lookups.py), or all."""
        keys = lookups.keys_for(kind, node)
        return self.store.all(kind) if keys is None else self.store.find_by_keys(kind, keys)

    def create_user(self, body: Any, base: str) -> tuple[dict[str, Any], int]:
        """201 semantics; a deleted user with the same userName is revived (same id, old roles gone)."""
        with self.store.transaction():
            data = self._normalize_user(body)
            name = data["userName"]
            if self.store.find_by_name("users", name) is not None:
                raise ScimError(409, f"userName {name} is already taken", "uniqueness")
            dead = self.store.find_by_name("users", name, deleted=True)
            if dead is not None:
                record = self.store.update("users", dead.but(
                    name_key=user_name_key(name), data=data, active=data["active"], deleted=False,
                    version=dead.version + 1, last_modified=now()))
            else:
                record = self.store.insert("users", Record(
                    id=str(uuid.uuid4()), name_key=user_name_key(name), version=1, last_modified=now(), data=data,
                    active=data["active"]))
            return self.render_user(record, base), record.version

    def replace_user(self, user_id: str, body: Any, if_match: str | None, base: str) -> tuple[dict[str, Any], int]:
        with self.store.transaction():
            record = self._live("users", user_id)
            _check_if_match(if_match, record)
            return self._save_user(record, self._normalize_user(body), base)

    def patch_user(self, user_id: str, body: Any, if_match: str | None, base: str) -> tuple[dict[str, Any], int]:
        ops = operations(body)
        with self.store.transaction():
            record = self._live("users", user_id)
            _check_if_match(if_match, record)
            patched = _apply("User", self.render_user(record, base), ops)
            return self._save_user(record, self._normalize_user(patched), base)

    def _save_user(self, record: Record, data: dict[str, Any], base: str) -> tuple[dict[str, Any], int]:
        manager = data.get(ENTERPRISE_USER_URN, {}).get("manager", {}).get("value")
        if manager == record.id:
            raise invalid_value("A user cannot be their own manager")
        other = self.store.find_by_name("users", data["userName"])
        if other is not None and other.id != record.id:
            raise ScimError(409, f"userName {data['userName']} is already taken", "uniqueness")
        saved = self.store.update("users", record.but(name_key=user_name_key(data["userName"]), data=data,
                                                      active=data["active"], version=record.version + 1,
                                                      last_modified=now()))
        return self.render_user(saved, base), saved.version

    def delete_user(self, user_id: str, if_match: str | None) -> None:
        """Soft delete: hidden from GET and lists, removed from groups, revivable by POST."""
        with self.store.transaction():
            record = self._live("users", user_id)
            _check_if_match(if_match, record)
            self.store.update("users", record.but(deleted=True, version=record.version + 1, last_modified=now()))
            for group in self.store.all("groups"):
                if user_id in groups.member_ids(group):
                    members = [m for m in group.data["members"] if m["value"] != user_id]
                    self._store_group(group, {**group.data, "members": members})

    # -- groups ------------------------------------------------------------------------------------
    def get_group(self, group_id: str, base: str) -> tuple[dict[str, Any], int]:
        record = self._live("groups", group_id)
        return groups.render(record, base), record.version

    def list_groups(self, query: listing.ListQuery, base: str) -> dict[str, Any]:
        if query.filter is None:
            records = self.store.window("groups", None, query.start_index - 1, query.count)
            return listing.page([groups.render(r, base) for r in records], self.store.total("groups"), query, "Group")
        rendered = [groups.render(r, base) for r in self._candidates("groups", query.filter)]
        matched = listing.select(rendered, query, "Group")
        return listing.page(listing.window(matched, query), len(matched), query, "Group")

    def replace_group(self, group_id: str, body: Any, if_match: str | None, base: str) -> tuple[dict[str, Any], int]:
        with self.store.transaction():
            record = self._live("groups", group_id)
            _check_if_match(if_match, record)
            saved = self._store_group(record, self._normalize_group(body))
            return groups.render(saved, base), saved.version

    def patch_group(self, group_id: str, body: Any, if_match: str | None, base: str) -> tuple[dict[str, Any], int]:
        ops = operations(body)
        with self.store.transaction():
            record = self._live("groups", group_id)
            _check_if_match(if_match, record)
            patched = _apply("Group", groups.render(record, base), ops)
            saved = self._store_group(record, self._normalize_group(patched))
            return groups.render(saved, base), saved.version

    def _normalize_group(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise ScimError(400, "The body must be a JSON object", "invalidSyntax")
        return groups.normalize(body, user_exists=self._user_exists, group_exists=self._group_exists)

    def _store_group(self, record: Record, data: dict[str, Any]) -> Record:
        try:
            return self.store.update("groups", record.but(name_key=data["displayName"].lower(), data=data,
                                                          version=record.version + 1, last_modified=now()))
        except Conflict:
            raise ScimError(409, f"A group named {data['displayName']} already exists", "uniqueness") from None

    # -- seeding -------------------------------------------------------------------------------------
    def seed_defaults(self) -> None:
        """Catalog names and the four groups, unless a persisted database already has them."""
        with self.store.transaction():
            for kind, names in DEFAULT_CATALOG.items():
                if not self.store.catalog(kind):
                    self.store.add_catalog(kind, list(names))
            for name in fake.GROUPS:
                if self.store.find_by_name("groups", name) is None and not self._group_exists(fake.group_id(name)):
                    self.store.insert("groups", Record(id=fake.group_id(name), name_key=name.lower(), version=1,
                                                       last_modified=now(), data={"displayName": name}))

    def seed_users(self, count: int) -> int:
        """Add generated users (fake.make_users) that are not there yet; returns how many were added."""
        added: dict[str, list[str]] = {}
        new: dict[str, Record] = {}  # id -> record, inserted together (a manager comes before its reports)
        names: set[str] = set()
        exists = lambda user_id: user_id in new or self._user_exists(user_id)  # noqa: E731
        with self.store.transaction():
            catalog = self.catalog()
            for user in fake.make_users(count):
                name = user["userName"].lower()
                if (user["id"] in new or name in names or self.store.get("users", user["id"])
                        or self.store.find_by_name("users", user["userName"])):
                    continue
                data = users.normalize(user, catalog, user_exists=exists, lenient_usernames=True)
                new[user["id"]] = Record(id=user["id"], name_key=user_name_key(data["userName"]), version=1,
                                         last_modified=now(), data=data, active=data["active"])
                names.add(name)
                for ref in user["groups"]:
                    added.setdefault(ref["value"], []).append(user["id"])
            self.store.insert_many("users", new.values())
            for group_id, member_ids in added.items():
                group = self.store.get("groups", group_id)
                if group is not None:
                    members = group.data.get("members", []) + [{"value": m, "type": "User"} for m in member_ids]
                    self._store_group(group, {**group.data, "members": members})
        return len(new)


def _apply(kind: str, resource: dict[str, Any], ops: list[dict[str, Any]]) -> dict[str, Any]:
    try:
        return patching.apply_operations(resource, ops, read_only=lambda path: schemas.is_read_only(kind, path),
                                         multi_valued=lambda name: schemas.is_multi_valued(kind, name))
    except patching.PatchError as error:
        raise ScimError(400, error.detail, error.scim_type) from None
