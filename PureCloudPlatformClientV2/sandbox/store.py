"""SQLite storage for users, groups and the seeded name catalog (roles, skills, languages, divisions).

Lists cost the same per page at any size: the live and live-active records are counted in a
`tallies` row the triggers keep, pages are read from an index in creation order, and a page
that follows the one before it (a client walking the list) starts after that page's last
record (a bookmark, kept until the next write) rather than skipping `startIndex - 1` rows.
Lookups by value (`userName eq`, `externalId eq`, ...) read the `lookup` table: the keys each
record is filed under, which the caller derives from the records (`file_under`).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, Iterator

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
-- lists: live records (or the live active ones) in creation order, from the index alone
CREATE INDEX IF NOT EXISTS users_listed ON users(active, seq) WHERE deleted = 0;
CREATE INDEX IF NOT EXISTS groups_listed ON groups(active, seq) WHERE deleted = 0;
CREATE TABLE IF NOT EXISTS lookup (         -- the keys a record is filed under (see Store.file_under)
    kind TEXT NOT NULL,
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,                      -- e.g. `username`, `emails.value`
    key TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS lookup_key ON lookup(kind, name, key);
CREATE INDEX IF NOT EXISTS lookup_seq ON lookup(kind, seq);
CREATE TABLE IF NOT EXISTS tallies (
    kind TEXT PRIMARY KEY,
    live INTEGER NOT NULL,                   -- records not deleted
    active INTEGER NOT NULL                  -- ... and active
);
CREATE TABLE IF NOT EXISTS catalog (
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (kind, name)
);
"""


_TALLY_TRIGGERS = """
INSERT OR IGNORE INTO tallies (kind, live, active)
    SELECT '{kind}', coalesce(sum(deleted = 0), 0), coalesce(sum(deleted = 0 AND active = 1), 0) FROM {kind};
CREATE TRIGGER IF NOT EXISTS {kind}_tally_insert AFTER INSERT ON {kind} BEGIN
    UPDATE tallies SET live = live + (NEW.deleted = 0), active = active + (NEW.deleted = 0 AND NEW.active = 1)
    WHERE kind = '{kind}';
END;
CREATE TRIGGER IF NOT EXISTS {kind}_tally_update AFTER UPDATE OF active, deleted ON {kind} BEGIN
    UPDATE tallies SET live = live - (OLD.deleted = 0) + (NEW.deleted = 0),
        active = active - (OLD.deleted = 0 AND OLD.active = 1) + (NEW.deleted = 0 AND NEW.active = 1)
    WHERE kind = '{kind}';
END;
CREATE TRIGGER IF NOT EXISTS {kind}_tally_delete AFTER DELETE ON {kind} BEGIN
    UPDATE tallies SET live = live - (OLD.deleted = 0), active = active - (OLD.deleted = 0 AND OLD.active = 1)
    WHERE kind = '{kind}';
    DELETE FROM lookup WHERE kind = '{kind}' AND seq = OLD.seq;
END;
"""
LOOKUP_VERSION = 1  # PRAGMA user_version when `lookup` holds every record's keys; 0: to be rebuilt
MAX_BOOKMARKS = 4096
KeysOf = Callable[[str, "Record"], Iterable[tuple[str, str]]]  # (kind, record) -> (name, key) pairs


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
        self._keys_of: KeysOf | None = None
        self._writes = 0  # with PRAGMA data_version (other connections' commits): bookmarks' validity
        self._bookmarks: dict[tuple[str, bool | None, int], int] = {}  # (kind, active, rows before) -> seq
        self._bookmarked_at: tuple[int, int] = (-1, -1)
        try:
            with self.lock:
                self._db.executescript(_SCHEMA + "".join(_TALLY_TRIGGERS.format(kind=kind) for kind in KINDS))
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

    def file_under(self, keys_of: KeysOf) -> None:
        """Keep the `lookup` table with the keys `keys_of` gives each record, from now on at every
        write; records written before (by a store without it, or an older sandbox) are filed now."""
        with self.transaction():
            self._keys_of = keys_of
            if self._db.execute("PRAGMA user_version").fetchone()[0] != LOOKUP_VERSION:
                self._db.execute("DELETE FROM lookup")
                for kind in KINDS:
                    self._file(kind, self._query(f"SELECT * FROM {kind}", ()), fresh=True)
                self._db.execute(f"PRAGMA user_version = {LOOKUP_VERSION}")

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
                    self._writes += 1  # what was read meanwhile (bookmarks) may be undone
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
        """Records not deleted (and active), from the tallies the triggers keep."""
        return self.total(kind, True if active_only else None)

    def total(self, kind: str, active: bool | None = None) -> int:
        """Records not deleted: all of them (`active=None`), the active or the inactive ones."""
        with self.lock:
            live, active_count = self._db.execute("SELECT live, active FROM tallies WHERE kind = ?",
                                                  (_table(kind),)).fetchone()
        return int(live if active is None else active_count if active else live - active_count)

    def window(self, kind: str, active: bool | None, offset: int, limit: int) -> list[Record]:
        """Records not deleted (`active` as in `total`) in creation order, `limit` of them after
        the first `offset`. A window that starts where one read since the last write ended is
        read after its last record; any other from the index, skipping `offset` entries."""
        where = " WHERE deleted = 0" + ("" if active is None else f" AND active = {int(active)}")
        with self.lock:
            marks = self._current_bookmarks()
            after = 0 if offset == 0 else marks.get((kind, active, offset))
            if after is not None:
                records = self._query(f"SELECT * FROM {_table(kind)}{where} AND seq > ? ORDER BY seq LIMIT ?",
                                      (after, limit))
            else:
                records = self._query(f"SELECT * FROM {_table(kind)}{where} ORDER BY seq LIMIT ? OFFSET ?",
                                      (limit, offset))
            if records:
                if len(marks) >= MAX_BOOKMARKS:
                    marks.clear()
                marks[(kind, active, offset + len(records))] = records[-1].seq
        return records

    def find_by_keys(self, kind: str, keys: Iterable[tuple[str, str]]) -> list[Record]:
        """Records not deleted that are filed under any of these (name, key) pairs, in creation
        order (needs `file_under`)."""
        if self._keys_of is None:
            raise RuntimeError("this store files no lookup keys: call file_under() first")
        pairs = list(keys)
        if not pairs:
            return []
        matches = " OR ".join("(name = ? AND key = ?)" for _ in pairs)
        table = _table(kind)
        return self._query(f"SELECT * FROM {table} WHERE deleted = 0 AND seq IN (SELECT seq FROM lookup "
                           f"WHERE kind = '{table}' AND ({matches})) ORDER BY seq",
                           tuple(value for pair in pairs for value in pair))

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
            stored = record.but(seq=int(cursor.lastrowid or 0))
            self._file(kind, [stored], fresh=True)
            return stored

    def insert_many(self, kind: str, records: Iterable[Record]) -> int:
        """Insert records in one transaction and one statement (bulk seeding); returns how many."""
        records = list(records)
        with self.transaction():
            table = _table(kind)
            before = int(self._db.execute(f"SELECT coalesce(max(seq), 0) FROM {table}").fetchone()[0])
            try:
                self._db.executemany(f"INSERT INTO {table} (id, name_key, active, deleted, version, last_modified, data)"
                                     " VALUES (?, ?, ?, ?, ?, ?, ?)", [_columns(record) for record in records])
            except sqlite3.IntegrityError as error:
                raise Conflict(str(error)) from None
            seq_of = dict(self._db.execute(f"SELECT id, seq FROM {table} WHERE seq > ?", (before,)).fetchall())
            self._file(kind, [record.but(seq=seq_of[record.id]) for record in records], fresh=True)
            return len(records)

    def update(self, kind: str, record: Record) -> Record:
        with self.transaction():
            try:
                self._db.execute(
                    f"UPDATE {_table(kind)} SET id = ?, name_key = ?, active = ?, deleted = ?, version = ?,"
                    " last_modified = ?, data = ? WHERE id = ?", _columns(record) + (record.id,))
            except sqlite3.IntegrityError as error:
                raise Conflict(str(error)) from None
            self._file(kind, [record], fresh=False)
            return record

    def clear(self) -> None:
        """Remove every user, group and catalog name (for `Sandbox.reset`)."""
        with self.transaction():
            self._writes += 1
            for table in KINDS + ("catalog", "lookup"):
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

    def _file(self, kind: str, records: list[Record], *, fresh: bool) -> None:
        """File written records under their keys (and count the write for the bookmarks)."""
        self._writes += 1
        if self._keys_of is None:
            self._lookup_stale()
            return
        rows: list[tuple[str, int, str, str]] = []
        for record in records:
            seq = record.seq or self._db.execute(f"SELECT seq FROM {_table(kind)} WHERE id = ?",
                                                 (record.id,)).fetchone()[0]
            if not fresh:
                self._db.execute("DELETE FROM lookup WHERE kind = ? AND seq = ?", (kind, seq))
            rows.extend((kind, seq, name, key) for name, key in dict.fromkeys(self._keys_of(kind, record)))
        self._db.executemany("INSERT INTO lookup (kind, seq, name, key) VALUES (?, ?, ?, ?)", rows)

    def _lookup_stale(self) -> None:
        self._db.execute("PRAGMA user_version = 0")

    def _current_bookmarks(self) -> dict[tuple[str, bool | None, int], int]:
        """The bookmarks, emptied if anything was written since they were taken (here, or by
        another connection to the same database file)."""
        state = (self._writes, int(self._db.execute("PRAGMA data_version").fetchone()[0]))
        if state != self._bookmarked_at:
            self._bookmarks.clear()
            self._bookmarked_at = state
        return self._bookmarks

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
