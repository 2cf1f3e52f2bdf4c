"""`export users|groups`: page through everything into a CSV or JSON file."""

from __future__ import annotations

import csv
import json
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from typing import Any, Iterable, Iterator, Sequence, TextIO

import click

from .. import scim_schema
from . import cells as csvcells
from . import columns as cols
from . import output, scim
from .connection import Connection, connection_options
from .groups import CSV_COLUMNS as GROUP_CSV_COLUMNS
from .groups import group_cells

USER_CSV_COLUMNS = ("id", *cols.NAMES)
# every attribute of the Genesys user schema, named so that Genesys accepts pages over 25 (id and meta come anyway)
COPY_CHUNK = 1 << 16
USER_JSON_ATTRIBUTES = [name for name in scim_schema.RESOURCE_TYPES["User"].returned_names()
                        if name not in ("id", "meta")]


@click.group()
def export() -> None:
    """Write every user or group to a CSV or JSON file."""


def export_options(command: Any) -> Any:
    command = click.option("--bom", is_flag=True,
                           help="Start the file with a UTF-8 byte order mark, so that Excel reads it as UTF-8.")(command)
    command = click.option("--raw", is_flag=True,
                           help="CSV: write cells as they are, without the ' in front of cells a spreadsheet "
                                "would run as formulas (=, +, -, @).")(command)
    command = click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")(command)
    command = click.option("--page-size", type=click.IntRange(1, 100), default=scim.DEFAULT_PAGE_SIZE,
                           show_default=True, help="Resources per request.")(command)
    command = click.option("--out", "-o", "out_path", metavar="FILE", default="-",
                           help="Where to write (default: stdout).")(command)
    return click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default=None,
                        help="File format (default: from the --out extension, else csv).")(command)


def choose_format(fmt: str | None, out_path: str) -> str:
    """--format, else --json/--csv given before the command, else the --out extension, else csv."""
    fmt = fmt or output.group_format(("json", "csv"))
    if fmt:
        return fmt
    return "json" if out_path.lower().endswith(".json") else "csv"


@contextmanager
def destination(path: str, bom: bool = False) -> Iterator[TextIO]:
    """A temporary file, renamed over `path` only once complete; for '-', one copied to stdout
    once complete. Either way a failed export leaves nothing behind, and rows go to disk as
    they arrive instead of being held in memory."""
    if path == "-":
        with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as spool:
            yield spool
            spool.seek(0)
            if bom:
                sys.stdout.write("\ufeff")
            shutil.copyfileobj(spool, sys.stdout, COPY_CHUNK)
        sys.stdout.flush()
        return
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".export-", suffix=".tmp", dir=folder)
    try:
        with open(handle, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def stream_pages(list_method: Any, passes: list[str | None], what: str, *, page_size: int, quiet: bool,
                 attributes: list[str] | None = None, pacer: Any = None) -> Iterator[list[dict[str, Any]]]:
    """Every page of each query in `passes`, as it arrives, with a progress bar on a terminal.

    The first page of every pass is read before the bar appears, so that its total (the sum
    of the passes' totalResults) is known from the start and does not grow partway."""
    totals: list[int] = []
    readers = [scim.pages(list_method, query, page_size=page_size, attributes=attributes, on_total=totals.append)
               for query in passes]
    firsts = [next(reader, []) for reader in readers]
    seen = 0
    bar = output.progress(quiet, *([output.pace_column(pacer)] if pacer is not None else []))
    with bar if bar is not None else _nothing():
        task = bar.add_task(what, total=sum(totals), completed=sum(map(len, firsts))) if bar is not None else None
        for first, reader in zip(firsts, readers):
            seen += len(first)
            yield first
            del first  # not kept while the other passes are read
            for page in reader:
                seen += len(page)
                if bar is not None:  # drawn now, not at the next tick: each page shows
                    bar.update(task, advance=len(page), refresh=True)
                yield page
        firsts.clear()
        if bar is not None:  # users created meanwhile: the total grows only at the end
            bar.update(task, total=max(seen, sum(totals)), completed=seen, refresh=True)


def fetch_all(list_method: Any, passes: list[str | None], what: str, *, page_size: int, quiet: bool,
              attributes: list[str] | None = None, pacer: Any = None) -> list[dict[str, Any]]:
    """Every resource of each query in `passes`, in one list (see `stream_pages`)."""
    items: list[dict[str, Any]] = []
    for page in stream_pages(list_method, passes, what, page_size=page_size, quiet=quiet, attributes=attributes,
                             pacer=pacer):
        items += page
    return items


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


def write_json_array(stream: TextIO, pages: Iterable[list[dict[str, Any]]]) -> int:
    """The items of `pages` as one JSON array, written as `json.dump(items, indent=2)` would,
    an item at a time; returns how many."""
    count = 0
    for page in pages:
        for item in page:
            stream.write(",\n  " if count else "[\n  ")
            stream.write(json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n  "))
            count += 1
    stream.write("\n]\n" if count else "[]\n")
    return count


def write_csv_rows(stream: TextIO, rows: Iterable[dict[str, str]], columns: Sequence[str], raw: bool) -> int:
    """CSV with a header, a row at a time; cells neutralised unless `raw` (cells.py)."""
    writer = csv.DictWriter(stream, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row if raw else {k: csvcells.neutralise(v) if isinstance(v, str) else v
                                         for k, v in row.items()})
        count += 1
    return count


def user_rows_by_name(pages: Iterable[list[dict[str, Any]]]) -> Iterator[dict[str, str]]:
    """The CSV rows of the users in `pages`, in order, managers named by userName.

    A manager may come on a later page than the users it manages, so the rows wait in a
    temporary SQLite file (on disk, not in memory) with every id's userName until the last
    page is in; then they come back in order with the names filled in."""
    import sqlite3

    with tempfile.TemporaryDirectory(prefix="purecloud-scim-export-") as folder:
        spool = sqlite3.connect(os.path.join(folder, "rows.db"))
        try:
            spool.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                                "CREATE TABLE names (id TEXT PRIMARY KEY, userName TEXT) WITHOUT ROWID;"
                                "CREATE TABLE rows (n INTEGER PRIMARY KEY, manager TEXT, cells TEXT);")
            n = 0
            for page in pages:
                spool.executemany("INSERT OR REPLACE INTO names VALUES (?, ?)",
                                  [(u["id"], u["userName"]) for u in page if u.get("id") and u.get("userName")])
                batch = []
                for user in page:
                    row = {"id": user.get("id", ""), **cols.cells(user)}
                    batch.append((n, row.get("manager") or None, json.dumps(row, ensure_ascii=False)))
                    n += 1
                spool.executemany("INSERT INTO rows VALUES (?, ?, ?)", batch)
            query = "SELECT rows.cells, names.userName FROM rows LEFT JOIN names ON names.id = rows.manager ORDER BY n"
            for text, manager_name in spool.execute(query):
                row = json.loads(text)
                if manager_name:
                    row["manager"] = manager_name
                yield row
        finally:
            spool.close()


def user_passes(filter_: str | None, include_inactive: bool) -> list[str | None]:
    if filter_:
        return [filter_]
    return [None, "active eq false"] if include_inactive else [None]


@export.command("users")
@export_options
@click.option("--filter", "filter_", metavar="FILTER", help="Only users matching this SCIM filter.")
@click.option("--include-inactive", is_flag=True,
              help="Inactive users too (Genesys lists only active users without a filter).")
@connection_options
def export_users(fmt: str | None, out_path: str, page_size: int, quiet: bool, raw: bool, bom: bool,
                 filter_: str | None, include_inactive: bool, connection: Connection) -> None:
    """Export users: CSV in the columns `sync users` reads (managers by userName), or the SCIM
    resources as a JSON array.

    CSV cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR,
    except plain numbers such as phone numbers) are written with a ' in front; `sync users`
    reads them back as they were. --raw writes them unchanged.

    Users are written as their pages arrive (CSV: through a temporary file, to name the
    managers), so memory does not grow with the size of the org."""
    fmt = choose_format(fmt, out_path)
    attributes = cols.ATTRIBUTES if fmt == "csv" else USER_JSON_ATTRIBUTES
    pacer = connection.api.api_client.pacer if connection.pacing else None
    with destination(out_path, bom) as stream:
        pages = stream_pages(connection.api.get_scim_v2_users, user_passes(filter_, include_inactive), "users",
                             page_size=page_size, quiet=quiet, attributes=attributes, pacer=pacer)
        if fmt == "json":
            count = write_json_array(stream, pages)
        else:
            count = write_csv_rows(stream, user_rows_by_name(pages), USER_CSV_COLUMNS, raw)
    if not quiet and out_path != "-":
        output.note(f"exported {output.plural(count, 'user')} to {out_path}")


@export.command("groups")
@export_options
@click.option("--filter", "filter_", metavar="FILTER", help="Only groups matching this SCIM filter.")
@connection_options
def export_groups(fmt: str | None, out_path: str, page_size: int, quiet: bool, raw: bool, bom: bool,
                  filter_: str | None, connection: Connection) -> None:
    """Export groups: CSV (id, displayName, externalId, memberCount, members as `;`-separated
    user ids) or the SCIM resources as a JSON array."""
    fmt = choose_format(fmt, out_path)
    pacer = connection.api.api_client.pacer if connection.pacing else None
    with destination(out_path, bom) as stream:
        pages = stream_pages(connection.api.get_scim_v2_groups, [filter_], "groups", page_size=page_size,
                             quiet=quiet, pacer=pacer)
        if fmt == "json":
            count = write_json_array(stream, pages)
        else:
            count = write_csv_rows(stream, (group_cells(g) for page in pages for g in page), GROUP_CSV_COLUMNS, raw)
    if not quiet and out_path != "-":
        output.note(f"exported {output.plural(count, 'group')} to {out_path}")
