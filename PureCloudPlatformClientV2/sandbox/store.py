"""SQLite storage for users, groups and the seeded name catalog (roles, skills, languages, divisions)."""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Iterator

from ..usernames import user_name_key

KINDS = ("users", "groups")
CATALOG_KINDS = ("roles", "skills", "languages", "divisions")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,   -- creation order = list order
    id TEXT NOT NULL UNIQUE,
    name_key TEXT NOT NULL,                  -- usernames.user_name_key(userName)
    active INTEGER NOT NULL DEFAULT 1,
    deleted INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL,
    last_modified TEXT NOT NULL,
    data TEXT NOT NULL                       -- the stored attributes as JSON
);
-- userName is unique among users that are not deleted; deleted ones keep theirs for revival
CREATE UNIQUE INDEX IF NOT EXISTS users_live_name ON users(name_key) WHERE deleted = 0;
CREATE TABLE IF NOT EXISTS groups (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    name_key TEXT NOT NULL UNIQUE,           -- lower-cased displayName
    active INTEGER NOT NULL DEFAULT 1,
    deleted INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL,
    last_modified TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS catalog (
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (kind, name)
);
"""


@dataclass(frozen=True)
class Record:
    """One stored user or group: bookkeeping columns plus the attributes in `data`."""

    id: str
    name_key: str
    version: int
    last_modified: str
    data: dict[str, Any]
    active: bool = True
    deleted: bool = False
    seq: int = 0

    def but(self, **changes: Any) -> Record:
        return replace(self, **changes)


class Conflict(Exception):
    """A uniqueness constraint refused the write."""


class DatabaseUnusable(OSError):
    """The `db` file cannot be opened, read or written (read-only file or folder, not a database).

    An OSError, like the port already in use, so that starting the sandbox fails with one sentence."""

    def __init__(self, path: str, error: sqlite3.Error) -> None:
        hint = {"SQLITE_READONLY": "the file is read-only",
                "SQLITE_CANTOPEN": "the file or its folder cannot be written (a read-only folder, or a folder "
                                   "given as the file)",
                "SQLITE_NOTADB": "the file is not an SQLite database"}.get(getattr(error, "sqlite_errorname", ""))
        super().__init__(f"cannot use the sandbox database {path!r}: {error}" + (f" ({hint})" if hint else ""))


class Store:
    """One SQLite connection shared by all request threads and guarded by a re-entrant lock.

    `path=None` keeps everything in memory. Each `transaction()` is one SQLite transaction;
    holding the lock across it makes read-check-write sequences (If-Match, uniqueness) atomic.
    """

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self.lock = threading.RLock()
        self._depth = 0
        try:
            self._db = sqlite3.connect(path or ":memory:", check_same_thread=False, isolation_level=None)
        except sqlite3.Error as error:
            raise DatabaseUnusable(path or ":memory:", error) from None
        self._db.row_factory = sqlite3.Row
        try:
            with self.lock:
                self._db.executescript(_SCHEMA)
                if path:
                    self._prove_writable()
        except sqlite3.Error as error:
            self._db.close()
            raise DatabaseUnusable(path or ":memory:", error) from None

    def _prove_writable(self) -> None:
        """Write once now (the header's user_version, unchanged), so that a read-only file or
        folder fails at start rather than as a 500 on every write."""
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.execute(f"PRAGMA user_version = {version}")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- transactions ----------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Store]:
        with self.lock:
            outer = self._depth == 0
            if outer:
                self._db.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._depth -= 1
                if outer:
                    self._db.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self._db.execute("COMMIT")

    def close(self) -> None:
        with self.lock:
            self._db.close()

    # -- users and groups ----------------------------------------------------------------------
    def get(self, kind: str, resource_id: str) -> Record | None:
        rows = self._query(f"SELECT * FROM {_table(kind)} WHERE id = ?", (resource_id,))
        return rows[0] if rows else None

    def find_by_name(self, kind: str, name: str, *, deleted: bool = False) -> Record | None:
        """The most recent record with this userName/displayName (case-insensitive)."""
        rows = self._query(f"SELECT * FROM {_table(kind)} WHERE name_key = ? AND deleted = ? ORDER BY seq DESC LIMIT 1",
                           (user_name_key(name), int(deleted)))
        return rows[0] if rows else None

    def all(self, kind: str, *, include_deleted: bool = False, active_only: bool = False,
            offset: int = 0, limit: int = -1) -> list[Record]:
        """Records in creation order; `offset`/`limit` page in SQL so large lists stay cheap."""
        where = " WHERE deleted = 0" if not include_deleted else " WHERE 1 = 1"
        where += " AND active = 1" if active_only else ""
        return self._query(f"SELECT * FROM {_table(kind)}{where} ORDER BY seq LIMIT ? OFFSET ?", (limit, offset))

    def count(self, kind: str, *, active_only: bool = False) -> int:
        where = " AND active = 1" if active_only else ""
        with self.lock:
            return int(self._db.execute(f"SELECT COUNT(*) FROM {_table(kind)} WHERE deleted = 0{where}").fetchone()[0])

    def fingerprint(self, kind: str) -> str:
        """Changes whenever a record of `kind` is added, removed or written with a new version."""
        sql = f"SELECT count(*), group_concat(id || ':' || version || ':' || last_modified) FROM {_table(kind)}"
        with self.lock:
            count, joined = self._db.execute(sql).fetchone()
        return f"{count}|{joined}"

    def insert(self, kind: str, record: Record) -> Record:
        with self.transaction():
            try:
                cursor = self._db.execute(
                    f"INSERT INTO {_table(kind)} (id, name_key, active, deleted, version, last_modified, data)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)", _columns(record))
            except sqlite3.IntegrityError as error:
                raise Conflict(str(error)) from None
            return record.but(seq=int(cursor.lastrowid or 0))

    def update(self, kind: str, record: Record) -> Record:
        with self.transaction():
            try:
                self._db.execute(
                    f"UPDATE {_table(kind)} SET id = ?, name_key = ?, active = ?, deleted = ?, version = ?,"
                    " last_modified = ?, data = ? WHERE id = ?", _columns(record) + (record.id,))
            except sqlite3.IntegrityError as error:
                raise Conflict(str(error)) from None
            return record

    def clear(self) -> None:
        """Remove every user, group and catalog name (for `Sandbox.reset`)."""
        with self.transaction():
            for table in KINDS + ("catalog",):
                self._db.execute(f"DELETE FROM {table}")

    # -- catalog of names SCIM refers to but cannot create ------------------------------------
    def catalog(self, kind: str) -> list[str]:
        with self.lock:
            rows = self._db.execute("SELECT name FROM catalog WHERE kind = ? ORDER BY rowid", (kind,)).fetchall()
        return [row[0] for row in rows]

    def add_catalog(self, kind: str, names: list[str]) -> None:
        if kind not in CATALOG_KINDS:
            raise ValueError(f"catalog kind must be one of {CATALOG_KINDS}")
        with self.transaction():
            self._db.executemany("INSERT OR IGNORE INTO catalog (kind, name) VALUES (?, ?)",
                                 [(kind, name) for name in names])

    def _query(self, sql: str, params: tuple[Any, ...]) -> list[Record]:
        with self.lock:
            rows = self._db.execute(sql, params).fetchall()
        return [Record(id=r["id"], name_key=r["name_key"], version=r["version"], last_modified=r["last_modified"],
                       data=json.loads(r["data"]), active=bool(r["active"]), deleted=bool(r["deleted"]),
                       seq=r["seq"]) for r in rows]


def _table(kind: str) -> str:
    if kind not in KINDS:  # table names cannot be bound parameters, so only known ones pass
        raise ValueError(f"unknown kind {kind!r}")
    return kind


def _columns(record: Record) -> tuple[Any, ...]:
    return (record.id, record.name_key, int(record.active), int(record.deleted), record.version,
            record.last_modified, json.dumps(record.data, separators=(",", ":")))
