"""Output: tables (rich) for people, JSON and CSV for scripts, errors and progress on stderr."""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import sys
from typing import Any, Callable, Iterable, Sequence

import click
from rich import box
from rich.console import Console
from rich.table import Table

FORMATS = ("table", "json", "csv")


def _console(stderr: bool) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    if stream.isatty():
        return Console(stderr=stderr, highlight=False)
    # piped: plain text, wide enough that tables are not squeezed to 80 columns
    width = int(os.environ.get("COLUMNS") or 200)
    return Console(stderr=stderr, highlight=False, width=width, no_color=True, color_system=None)


@functools.lru_cache(maxsize=None)
def out() -> Console:
    return _console(stderr=False)


@functools.lru_cache(maxsize=None)
def err() -> Console:
    return _console(stderr=True)


def format_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--table (default) / --json / --csv, gathered into `fmt`."""
    command = click.option("--csv", "fmt", flag_value="csv", help="CSV for scripts and spreadsheets.")(command)
    command = click.option("--json", "fmt", flag_value="json", help="JSON (the SCIM resources) for scripts.")(command)
    return click.option("--table", "fmt", flag_value="table", default=True,
                         help="A readable table (the default).")(command)


def note(message: str) -> None:
    """A message for the person at the terminal (stderr, so stdout stays parseable)."""
    err().print(message, markup=False, highlight=False, soft_wrap=True)


def json_text(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def print_json(value: Any) -> None:
    click.echo(json_text(value))


def csv_text(rows: Iterable[dict[str, str]], columns: Sequence[str], *, raw: bool = False) -> str:
    """CSV text; cells a spreadsheet would run as formulas get a `'` unless `raw` (cells.py)."""
    from .cells import neutralise

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row if raw else {k: neutralise(v) if isinstance(v, str) else v for k, v in row.items()})
    return buffer.getvalue()


def print_csv(rows: Iterable[dict[str, str]], columns: Sequence[str], *, raw: bool = False) -> None:
    click.echo(csv_text(rows, columns, raw=raw), nl=False)


def render(renderable: Any) -> None:
    """Print a rich renderable on stdout; piped output loses the cells' trailing padding."""
    console = out()
    if console.is_terminal:
        console.print(renderable)
        return
    with console.capture() as captured:
        console.print(renderable)
    click.echo("\n".join(line.rstrip() for line in captured.get().splitlines()))


def table(rows: Sequence[dict[str, str]], columns: Sequence[str], title: str | None = None) -> Table:
    shown = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", pad_edge=False, show_edge=False)
    for name in columns:  # on a narrow terminal, long cells fold onto more lines
        shown.add_column(name, overflow="fold")
    for row in rows:
        shown.add_row(*(row.get(name, "") for name in columns))
    return shown


def print_table(rows: Sequence[dict[str, str]], columns: Sequence[str], *, title: str | None = None,
                footer: str | None = None) -> None:
    render(table(rows, columns, title))
    if footer:
        click.echo(footer)


def print_record(fields: Sequence[tuple[str, str]], title: str | None = None) -> None:
    """One resource as a two-column attribute/value table."""
    shown = Table(box=None, title=title, title_justify="left", pad_edge=False, show_header=False)
    shown.add_column("attribute", style="bold")
    shown.add_column("value", overflow="fold")
    for name, value in fields:
        shown.add_row(name, value)
    render(shown)


def describe_error(error: BaseException) -> str:
    """An API failure as the lines a person needs: status, scimType, detail, correlation id."""
    from ..rest import ApiException

    if not isinstance(error, ApiException):
        return f"error: {error}"
    if error.status == 0:
        head = f"error: cannot reach the API: {error.reason}"
    else:
        head = f"error: {error.status} {error.reason or ''}".rstrip()
    lines = [head]
    if error.scim_type:
        lines.append(f"  scimType: {error.scim_type}")
    if error.detail:
        lines.append(f"  detail: {error.detail}")
    if error.method and error.path:
        lines.append(f"  request: {error.method} {error.path}")
    if error.correlation_id:
        lines.append(f"  correlation id: {error.correlation_id}")
    return "\n".join(lines)


def short_error(error: BaseException) -> str:
    """One line for reports and failure files: `409 uniqueness: detail (correlation id ...)`."""
    from ..rest import ApiException

    if not isinstance(error, ApiException):
        return str(error) or type(error).__name__
    if error.status == 0:
        return f"connection failed: {error.reason}"
    text = str(error.status)
    if error.scim_type:
        text += f" {error.scim_type}"
    text += f": {error.detail or error.reason or 'failed'}"
    if error.correlation_id:
        text += f" (correlation id {error.correlation_id})"
    return text


def progress(quiet: bool, *extra_columns: Any) -> Any:
    """A rich Progress on stderr, or None when quiet or stderr is not a terminal."""
    if quiet or not sys.stderr.isatty():
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), *extra_columns,
                    TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(), console=err(), transient=False)
