"""`sync users`, step 1: check the whole file and keep, per row, only what planning needs
without its values (about 110 bytes a row); the rows are read again when their values are
needed (`RowIndex.reread`), and a file that changed since it was checked is refused.

Per row: its number, its userName (the key it is matched on, and how a manager it is for
is shown), its externalId with --match externalId, its fingerprint (what the journal
records), a hash of the row as read (to tell that it changed) and its matching key's hash,
kept in arrays rather than objects.

Duplicate rows are found through the hashes of their keys: rows whose hashes meet (the real
duplicates, and in theory a hash collision) are read again and compared by value, so the
messages are the ones `rows.duplicates` gives for the whole file.
"""

from __future__ import annotations

from array import array
from typing import Iterator

from ..usernames import user_name_key
from . import rows as rowfile
from .position_table import PositionTable


class FileChanged(Exception):
    """The file is not the one that was checked and planned."""


class RowIndex:
    """The rows of a checked file, a few fields each, by position (0 = the first row)."""

    def __init__(self, path: str, match: str, kind: str) -> None:
        self.path, self.match, self.kind = path, match, kind
        self.header: list[str] = []
        self.numbers = array("I")
        self.user_names: list[str] = []
        self.external_ids: list[str] = []  # only with --match externalId
        self.digests = array("Q")  # the rows' fingerprints (what the journal records)
        self._as_read = array("q")  # hash() of each row as read, to tell that it changed
        self.keys = PositionTable()  # by the hash of the matching key
        self._user_names = self.keys if match == "userName" else PositionTable()  # by user_name_key(userName)
        self._state: tuple[int, int, int, int] | None = None
        self._sha256: str | None = None

    def __len__(self) -> int:
        return len(self.numbers)

    def add(self, row: rowfile.Row) -> list[int]:
        """Add the next row; the earlier rows with the same matching key's hash (or userName's)."""
        self.numbers.append(row.number)
        self.user_names.append(row.user_name)
        self.digests.append(int(rowfile.digest(row.values), 16))
        self._as_read.append(_as_read(row))
        key = rowfile.key_of(row.values, self.match)
        same = self.keys.add(hash(key))
        if self.match == "externalId":
            self.external_ids.append(key)
            same += self._user_names.add(hash(user_name_key(row.user_name)))
        return same

    def finish(self, reading: rowfile.Reading) -> None:
        """Remember what the file was, to tell later readings that it changed."""
        self.header, self._state, self._sha256 = reading.header, reading.state, reading.sha256

    # -- one row --------------------------------------------------------------------------------
    def label(self, position: int) -> str:
        return f"{'item' if self.kind == 'json' else 'row'} {self.numbers[position]}"

    def key(self, position: int) -> str:
        if self.match == "externalId":
            return self.external_ids[position]
        return user_name_key(self.user_names[position])

    def digest(self, position: int) -> str:
        return f"{self.digests[position]:016x}"

    def position_of_key(self, key: str) -> int | None:
        """The row matched on `key` (rows' keys are unique once the file is checked)."""
        return next((p for p in self.keys.find(hash(key)) if self.key(p) == key), None)

    def position_of_user_name(self, user_name: str) -> int | None:
        """The row whose userName Genesys takes for `user_name`."""
        wanted = user_name_key(user_name)
        return next((p for p in self._user_names.find(hash(wanted)) if user_name_key(self.user_names[p]) == wanted),
                    None)

    # -- reading again ------------------------------------------------------------------------------
    def reread(self) -> Iterator[tuple[int, rowfile.Row]]:
        """(position, row) for every row, read again from the file; FileChanged as soon as the
        file is not the one checked: another size, time or inode before reading, a row that
        reads differently, other bytes in all (the rows read are then the checked ones, but
        the file is no longer what was planned)."""
        try:
            changed = rowfile.file_state(self.path) != self._state
        except OSError as error:
            raise FileChanged(f"{self.path} cannot be read again: {error.strerror}") from None
        if changed:
            raise FileChanged(f"{self.path} changed since it was checked")
        reading = rowfile.Reading(self.path, self.match)
        position = 0
        try:
            for row in reading.rows():
                if position >= len(self) or row.number != self.numbers[position] \
                        or _as_read(row) != self._as_read[position]:
                    raise FileChanged(f"{self.path} changed since it was checked ({row.label} differs)")
                yield position, row
                position += 1
        except rowfile.InputError:
            raise FileChanged(f"{self.path} changed since it was checked (it no longer reads)") from None
        if position != len(self) or reading.sha256 != self._sha256 or reading.state != self._state:
            raise FileChanged(f"{self.path} changed since it was checked")


def _as_read(row: rowfile.Row) -> int:
    """A hash of the row as it stands in the file: its cells (CSV), or its fingerprint (JSON;
    the whole file's hash covers the rest)."""
    if isinstance(row.source, list) and all(isinstance(cell, str) for cell in row.source):
        return hash(tuple(row.source))
    return int(rowfile.digest(row.values), 16) - (1 << 63)


def check(path: str, match: str) -> RowIndex:
    """Every check that needs no server, and the index of the rows (InputError lists every
    problem found, each naming its row)."""
    reading = rowfile.Reading(path, match)
    index = RowIndex(path, match, reading.kind)
    problems: list[str] = []
    # the other keys no two rows may share; a row without one gets a hash of its position
    alike, external = PositionTable(), (index.keys if match == "externalId" else PositionTable())
    shared: set[int] = set()
    for row in reading.rows():
        problems += rowfile.row_problems(row, match)
        position = len(index)
        same = index.add(row)
        _, alike_key, external_key = rowfile.duplicate_keys(row.values)
        same += alike.add(hash(alike_key or (position, "")))
        if external is not index.keys:
            same += external.add(hash(external_key or (position, "")))
        if same:
            shared.update(same, (position,))
    index.finish(reading)
    del alike, external
    if shared:  # the same key (or, rarely, the same hash): compare the rows themselves
        suspects = [row for position, row in _reread_for_check(index) if position in shared]
        problems += rowfile.duplicates(suspects)
    if problems:
        raise rowfile.InputError(problems)
    return index


def _reread_for_check(index: RowIndex) -> Iterator[tuple[int, rowfile.Row]]:
    try:
        yield from index.reread()
    except FileChanged as error:
        raise rowfile.InputError([str(error)]) from None
