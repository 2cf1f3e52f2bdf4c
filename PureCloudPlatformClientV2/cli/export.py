"""`export users|groups`: page through everything into a CSV or JSON file."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from contextlib import contextmanager
from typing import Any, Iterator, TextIO

import click

from .. import scim_schema
from . import columns as cols
from . import output, scim
from .connection import Connection, connection_options
from .groups import CSV_COLUMNS as GROUP_CSV_COLUMNS
from .groups import group_cells

USER_CSV_COLUMNS = ("id", *cols.NAMES)
# every attribute of the Genesys user schema, named so that Genesys accepts pages over 25 (id and meta come anyway)
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
    """stdout for '-', else a temporary file renamed over `path` only once complete."""
    if path == "-":
        if bom:
            sys.stdout.write("\ufeff")
        yield sys.stdout
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


def fetch_all(list_method: Any, passes: list[str | None], what: str, *, page_size: int, quiet: bool,
              attributes: list[str] | None = None) -> list[dict[str, Any]]:
    """Every resource of each query in `passes`, with a progress bar on a terminal.

    The first page of every pass is read before the bar appears, so that its total (the sum
    of the passes' totalResults) is known from the start and does not grow partway."""
    totals: list[int] = []
    readers = [scim.pages(list_method, query, page_size=page_size, attributes=attributes, on_total=totals.append)
               for query in passes]
    firsts = [next(reader, []) for reader in readers]
    items: list[dict[str, Any]] = []
    bar = output.progress(quiet)
    with bar if bar is not None else _nothing():
        task = bar.add_task(what, total=sum(totals), completed=sum(map(len, firsts))) if bar is not None else None
        for first, reader in zip(firsts, readers):
            items += first
            for page in reader:
                items += page
                if bar is not None:  # drawn now, not at the next tick: each page shows
                    bar.update(task, advance=len(page), refresh=True)
        if bar is not None:  # users created meanwhile: the total grows only at the end
            bar.update(task, total=max(len(items), sum(totals)), completed=len(items), refresh=True)
    return items


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


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
    reads them back as they were. --raw writes them unchanged."""
    fmt = choose_format(fmt, out_path)
    attributes = cols.ATTRIBUTES if fmt == "csv" else USER_JSON_ATTRIBUTES
    items = fetch_all(connection.api.get_scim_v2_users, user_passes(filter_, include_inactive), "users",
                      page_size=page_size, quiet=quiet, attributes=attributes)
    with destination(out_path, bom) as stream:
        if fmt == "json":
            json.dump(items, stream, indent=2, ensure_ascii=False)
            stream.write("\n")
        else:
            names = {u["id"]: u["userName"] for u in items if u.get("id") and u.get("userName")}
            rows = ({"id": u.get("id", ""), **cols.cells(u, manager_names=names)} for u in items)
            stream.write(output.csv_text(rows, USER_CSV_COLUMNS, raw=raw))
    if not quiet and out_path != "-":
        output.note(f"exported {output.plural(len(items), 'user')} to {out_path}")


@export.command("groups")
@export_options
@click.option("--filter", "filter_", metavar="FILTER", help="Only groups matching this SCIM filter.")
@connection_options
def export_groups(fmt: str | None, out_path: str, page_size: int, quiet: bool, raw: bool, bom: bool,
                  filter_: str | None, connection: Connection) -> None:
    """Export groups: CSV (id, displayName, externalId, memberCount, members as `;`-separated
    user ids) or the SCIM resources as a JSON array."""
    fmt = choose_format(fmt, out_path)
    items = fetch_all(connection.api.get_scim_v2_groups, [filter_], "groups", page_size=page_size, quiet=quiet)
    with destination(out_path, bom) as stream:
        if fmt == "json":
            json.dump(items, stream, indent=2, ensure_ascii=False)
            stream.write("\n")
        else:
            stream.write(output.csv_text((group_cells(g) for g in items), GROUP_CSV_COLUMNS, raw=raw))
    if not quiet and out_path != "-":
        output.note(f"exported {output.plural(len(items), 'group')} to {out_path}")
