"""The sync journal: one JSON line per finished row (row number, key, fingerprint, outcome),
flushed and fsync'ed as it is written, so an interrupted sync can be resumed.

The first line describes the run: {"journal": "purecloud-scim sync", "version": 1, "match": ...}.
A torn line (a crash or a full disk mid-write) is skipped with a warning when the journal is
read back (its row is simply done again: the sync checks what the server holds), and a run
that appends to a journal ending in a torn line starts on a new line, so the torn line cannot
swallow the next entry.

One sync per journal at a time: `Lock` holds an OS lock (flock) on FILE.sync-journal.lock
for the whole run.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from datetime import datetime, timezone
from typing import Any

MAGIC = "purecloud-scim sync"
VERSION = 1
DONE = frozenset({"created", "updated", "unchanged"})


class JournalError(ValueError):
    """The journal cannot be used for --resume (another tool's file, another --match)."""


def default_path(input_path: str) -> str:
    return input_path + ".sync-journal"


def load(path: str, match: str, warn: Any = None) -> dict[int, dict[str, Any]]:
    """The last entry of each row in an existing journal ({} if there is none); `warn(text)`
    hears of each line that cannot be read."""
    if not os.path.exists(path):
        return {}
    entries: dict[int, dict[str, Any]] = {}
    with open(path, encoding="utf-8") as stream:
        lines = stream.read().splitlines()
    if not lines:
        return {}
    try:
        header = json.loads(lines[0])
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("journal") != MAGIC:
        raise JournalError(f"{path} is not a purecloud-scim sync journal")
    if header.get("match") != match:
        raise JournalError(f"{path} was written by a sync with --match {header.get('match')}, not {match}")
    for number, line in enumerate(lines[1:], start=2):
        try:
            entry = json.loads(line)
        except ValueError:
            entry = None  # a torn write: a crash or a full disk
        if isinstance(entry, dict) and isinstance(entry.get("row"), int):
            entries[entry["row"]] = entry
        elif line.strip() and warn is not None:
            warn(f"warning: {path} line {number} is not a readable entry (cut short by a crash?): "
                 "skipped, its row is checked again")
    return entries


def _ends_with_newline(path: str) -> bool:
    with open(path, "rb") as stream:
        stream.seek(-1, os.SEEK_END)
        return stream.read(1) == b"\n"


class Busy(Exception):
    """Another sync holds the journal's lock."""


class Lock:
    """An exclusive OS lock on `path` + ".lock", held until `release()` (or the process ends:
    the OS drops it even after SIGKILL). The lock file is removed on release; a run that
    locked a file removed meanwhile locks again, so two runs never both hold "the" lock."""

    def __init__(self, path: str) -> None:
        self.path = path + ".lock"
        while True:
            handle = open(self.path, "a+b")
            try:
                _lock(handle)
            except OSError:
                handle.close()
                raise Busy(f"another sync is running with the journal {path} (it holds {self.path}); "
                           "wait for it to finish, or give this one another --journal") from None
            try:
                current = os.stat(self.path)
            except FileNotFoundError:
                current = None
            if current is not None and os.path.samestat(current, os.fstat(handle.fileno())):
                self._handle = handle
                return
            handle.close()  # removed by the run that held it before us: lock the new file

    def release(self) -> None:
        if self._handle.closed:
            return
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        self._handle.close()


def _lock(handle: Any) -> None:
    if sys.platform == "win32":  # no fcntl there; mypy checks this branch on Windows only
        import msvcrt

        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        return
    import fcntl

    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


class Journal:
    """Appends entries; safe to call from several threads."""

    def __init__(self, path: str, match: str, input_path: str, *, append: bool) -> None:
        self.path = path
        self._lock = threading.Lock()
        fresh = not append or not os.path.exists(path) or os.path.getsize(path) == 0
        torn = not fresh and not _ends_with_newline(path)
        self._stream = open(path, "w" if fresh else "a", encoding="utf-8")
        if torn:  # the last entry was cut short: end it, so that it does not swallow the next
            self._stream.write("\n")
        if fresh:
            self._write({"journal": MAGIC, "version": VERSION, "input": os.path.basename(input_path),
                         "match": match, "started": datetime.now(timezone.utc).isoformat(timespec="seconds")})
        self.written = 0

    def _write(self, entry: dict[str, Any]) -> None:
        self._stream.write(json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n")
        self._stream.flush()
        os.fsync(self._stream.fileno())

    def record(self, row: int, key: str, digest: str, outcome: str, *, user_id: str | None = None,
               error: str | None = None) -> None:
        entry: dict[str, Any] = {"row": row, "key": key, "digest": digest, "outcome": outcome}
        if user_id:
            entry["id"] = user_id
        if error:
            entry["error"] = error
        with self._lock:
            self._write(entry)
            self.written += 1

    def close(self) -> None:
        with self._lock:
            if not self._stream.closed:
                self._stream.close()

    def remove(self) -> None:
        self.close()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
