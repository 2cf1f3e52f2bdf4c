"""The sync journal: one JSON line per finished row (row number, key, fingerprint, outcome),
flushed and fsync'ed as it is written, so an interrupted sync can be resumed.

The first line describes the run: {"journal": "purecloud-scim sync", "version": 1, "match": ...}.
A torn last line (a crash mid-write) is ignored when the journal is read back.
"""

from __future__ import annotations

import json
import os
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


def load(path: str, match: str) -> dict[int, dict[str, Any]]:
    """The last entry of each row in an existing journal ({} if there is none)."""
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
    for line in lines[1:]:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # torn write at a crash
        if isinstance(entry, dict) and isinstance(entry.get("row"), int):
            entries[entry["row"]] = entry
    return entries


class Journal:
    """Appends entries; safe to call from several threads."""

    def __init__(self, path: str, match: str, input_path: str, *, append: bool) -> None:
        self.path = path
        self._lock = threading.Lock()
        fresh = not append or not os.path.exists(path) or os.path.getsize(path) == 0
        self._stream = open(path, "w" if fresh else "a", encoding="utf-8")
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
