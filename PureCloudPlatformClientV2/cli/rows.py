"""Reading a sync input file (CSV or JSON) into checked rows, before anything is sent.

CSV: the header names the columns this sync manages; an empty cell clears the attribute
(except for the columns whose empty cell means "leave as it is"). Rows are numbered like a
spreadsheet: the header is row 1, the first user row 2.
JSON: an array (or a SCIM ListResponse) of objects whose keys are column names (only the
keys present are managed), or of SCIM user resources as `export users --format json` writes.

CSV is read as a stream (a row at a time), and read again whenever the rows are needed
(row_index.py); a cell that `export` neutralised against formula injection (`'=...`) is read
back as its value (cells.restore).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from dataclasses import dataclass
from typing import Any, BinaryIO, Iterator

from ..usernames import look_alike_key, user_name_key
from . import cells as csvcells
from . import columns as cols


class InputError(Exception):
    """The file cannot be used; `problems` lists every problem found, each naming its row."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(slots=True)
class Row:
    """One row as read, with its parsed values: held only while the row is handled (the plan
    keeps a few fields per row, row_index.RowIndex, and reads the row again when needed)."""

    number: int  # CSV: spreadsheet row (header = 1); JSON: position in the array, from 1
    values: dict[str, Any]  # canonical values of the managed columns
    source: Any  # the original cells (CSV: a list, in header order) or object, for the failures file
    problems: tuple[str, ...] = ()
    is_json: bool = False

    @property
    def label(self) -> str:
        """"row 5" or "item 3", for messages."""
        return f"{'item' if self.is_json else 'row'} {self.number}"

    @property
    def user_name(self) -> str:
        return str(self.values.get("userName") or "")

    def cells(self, header: list[str]) -> dict[str, Any]:
        """The original cells by column name (CSV), or the original object (JSON)."""
        if self.is_json:
            return self.source  # type: ignore[no-any-return]
        return dict(zip(header, self.source))


def is_json_file(path: str) -> bool:
    if path.lower().endswith(".json"):
        return True
    if path.lower().endswith(".csv"):
        return False
    with open(path, "rb") as stream:
        start = stream.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return start[:1] in (b"[", b"{")


class Reading:
    """One reading of the file from its start: `rows()` yields its rows (CSV a row at a time;
    JSON is parsed whole, the json module has no streaming parser). Once `rows()` is exhausted,
    `sha256` is the hash of every byte read, and `state` what the file system said when it
    was opened (device, inode, size, modification time), so later readings can tell that the
    file changed."""

    def __init__(self, path: str, match: str) -> None:
        self.path, self.match = path, match
        self.kind = "json" if is_json_file(path) else "csv"
        self.header: list[str] = []  # CSV
        self.state: tuple[int, int, int, int] | None = None
        self.sha256: str | None = None

    def rows(self) -> Iterator[Row]:
        try:
            with open(self.path, "rb") as raw:
                self.state = _state_of(os.fstat(raw.fileno()))
                hashing = _Hashing(raw)
                if self.kind == "json":
                    yield from _read_json(self.path, hashing.read())
                else:
                    text = io.TextIOWrapper(io.BufferedReader(hashing), encoding="utf-8-sig", newline="")
                    yield from _read_csv(self.path, text, self.match, self.header)
                self.sha256 = hashing.digest.hexdigest()
        except UnicodeDecodeError as error:
            raise InputError([f"{self.path} is not UTF-8 text: {error}"]) from None
        except RecursionError:
            raise InputError([f"{self.path}: the JSON is nested too deeply to read (a user file is an array of "
                              "flat objects)"]) from None


def file_state(path: str) -> tuple[int, int, int, int]:
    return _state_of(os.stat(path))


def _state_of(info: os.stat_result) -> tuple[int, int, int, int]:
    """What tells one version of a file from another: device, inode, size, modification time."""
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


class _Hashing(io.RawIOBase):
    """A binary file that hashes what is read from it."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        if count:
            self.digest.update(memoryview(buffer)[:count])
        return int(count or 0)

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.digest.update(data)
        return data


def row_problems(row: Row, match: str) -> list[str]:
    """The problems of one row that need no server, each naming the row."""
    problems = [f"{row.label}: {p}" for p in row.problems]
    if match == "externalId" and not row.problems and not row.values.get("externalId"):
        problems.append(f"{row.label}: externalId is required with --match externalId")
    return problems


def key_of(values: dict[str, Any], match: str) -> str:
    if match == "externalId":
        return str(values.get("externalId") or "")
    return user_name_key(str(values.get("userName") or ""))


def digest(values: dict[str, Any]) -> str:
    text = json.dumps({k: cols.BY_NAME[k.lower()].text(v) for k, v in sorted(values.items())}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _parse_values(pairs: list[tuple[cols.Column, Any]]) -> tuple[dict[str, Any], list[str]]:
    values: dict[str, Any] = {}
    problems = []
    for col, raw in pairs:
        try:
            values[col.name] = col.parse(raw)
        except cols.CellError as error:
            problems.append(str(error))
    if "userName" not in values and not any(c.name == "userName" for c, _ in pairs):
        problems.append("userName is required")
    return values, problems


def _read_csv(path: str, stream: Any, match: str, header: list[str]) -> Iterator[Row]:
    reader = csv.reader(stream)
    number, first = 1, None
    try:
        first = next(reader, None)
        if first is None or not any(cell.strip() for cell in first):
            raise InputError([f"{path}: no header row (the first row names the columns, "
                              "e.g. userName,displayName)"])
        header[:] = [cell.strip() for cell in first]
        known = _check_header(header, match)
        for number, cells in enumerate(reader, start=2):
            if not cells or not any(cell.strip() for cell in cells):
                continue  # a blank line
            cells = [csvcells.restore(cell) for cell in cells]
            if len(cells) != len(header):
                problem = f"{len(cells)} cells, but the header has {len(header)} columns"
                yield Row(number, {}, cells, problems=(problem,))
                continue
            values, row_problems = _parse_values([(col, cell) for col, cell in zip(known, cells) if col is not None])
            yield Row(number, values, cells, problems=tuple(row_problems))
    except csv.Error as error:
        where = number + 1 if number > 1 or first is not None else 1
        raise InputError([f"row {where}: not readable as CSV: {error}"]) from None


def _check_header(header: list[str], match: str) -> list[cols.Column | None]:
    known: list[cols.Column | None] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        col = cols.column(name)
        if not name:
            problems.append(f"row 1: column {position} has no name")
        elif col is None and name.lower() not in cols.IGNORED:
            problems.append(f"row 1: unknown column {name!r} (known: {', '.join(cols.NAMES)})")
        elif name.lower() in seen:
            problems.append(f"row 1: column {name!r} appears twice (columns {seen[name.lower()]} and {position})")
        seen.setdefault(name.lower(), position)
        known.append(col)
    if "username" not in seen:
        problems.append("row 1: the userName column is missing")
    if match == "externalId" and "externalid" not in seen:
        problems.append("row 1: the externalId column is missing (needed by --match externalId)")
    if problems:
        raise InputError(problems)
    return known


def looks_like_scim(item: dict[str, Any]) -> bool:
    return "schemas" in item or "meta" in item or any(k.startswith("urn:") for k in item) or \
        isinstance(item.get("emails"), list) or isinstance(item.get("phoneNumbers"), list)


def _read_json(path: str, content: bytes) -> Iterator[Row]:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except ValueError as error:  # UnicodeDecodeError included, as json.load said before
        raise InputError([f"{path} is not valid JSON: {error}"]) from None
    if isinstance(data, dict) and isinstance(data.get("Resources"), list):
        data = data["Resources"]
    if not isinstance(data, list):
        raise InputError([f"{path}: expected a JSON array of users"])
    # SCIM resources name their manager by id: one exported with them is named by its userName
    # instead, so that a file exported from one org can be synced into another
    names = {item["id"]: item["userName"] for item in data
             if isinstance(item, dict) and isinstance(item.get("id"), str) and isinstance(item.get("userName"), str)}
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            yield Row(number, {}, item, problems=("not a JSON object",), is_json=True)
            continue
        if looks_like_scim(item):
            pairs = [(col, col.read(item)) for col in cols.COLUMNS]
            pairs = [(col, names.get(value, value) if col.name == "manager" else value) for col, value in pairs]
            pairs = [(col, value if not isinstance(value, tuple) else _as_list(col, value)) for col, value in pairs]
            values, problems = _parse_values(pairs)
        else:
            pairs, problems = [], []
            for name, raw in item.items():
                col = cols.column(name)
                if col is None:
                    if name.lower() not in cols.IGNORED:
                        problems.append(f"unknown field {name!r} (known: {', '.join(cols.NAMES)})")
                    continue
                pairs.append((col, raw))
            values, more = _parse_values(pairs)
            problems += more
        yield Row(number, values, item, problems=tuple(problems), is_json=True)


def _as_list(col: cols.Column, value: tuple[Any, ...]) -> Any:
    """A canonical tuple read from a SCIM resource -> the cell form `parse` takes."""
    if isinstance(col, cols.LevelsColumn):
        return [{"name": n, "proficiency": p} for n, p in value]
    return list(value)


def duplicate_keys(values: dict[str, Any]) -> tuple[str, str, str]:
    """What no two rows may share ("" when the row has none): its userName as Genesys compares
    it, its userName's look-alike form, its externalId."""
    user_name, external = values.get("userName"), values.get("externalId")
    if not user_name:
        return "", "", str(external or "")
    return user_name_key(user_name), look_alike_key(user_name), str(external or "")


def duplicates(rows: list[Row]) -> list[str]:
    """Two rows for one user; and two userNames that are different users to Genesys but look
    the same (`sam@` and `ſam@`), which is refused as well: one of them is almost certainly a typo
    or a spoof."""
    problems = []
    for name, same, alike in (("userName", user_name_key, look_alike_key), ("externalId", str, None)):
        first: dict[str, Row] = {}
        similar: dict[str, Row] = {}
        for row in rows:
            value = row.values.get(name)
            if not value:
                continue
            key = same(value)
            if key in first:
                problems.append(f"{row.label}: {name} {value} is also on {first[key].label}")
                continue
            first[key] = row
            if alike is not None:
                other = similar.setdefault(alike(value), row)
                if other is not row:
                    problems.append(f"{row.label}: userName {value} looks like {other.values[name]} on {other.label} "
                                    "(different users to Genesys, the same after Unicode folding)")
    return problems
