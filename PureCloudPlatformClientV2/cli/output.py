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


FORMAT_HELP = {"table": "A readable table (the default).", "json": "JSON (the SCIM resources) for scripts.",
               "csv": "CSV for scripts and spreadsheets."}


def format_flags(command: Callable[..., Any], formats: Sequence[str] = FORMATS,
                 help: dict[str, str] | None = None) -> Callable[..., Any]:
    """Declare --table/--json/--csv (those in `formats`) as flags `as_table`, ... (None when not given)."""
    for name in reversed(formats):
        command = click.option(f"--{name}", f"as_{name}", is_flag=True, default=None,
                               help=(help or {}).get(name, FORMAT_HELP[name]))(command)
    return command


def chosen_format(values: dict[str, Any]) -> str | None:
    """The format flag given among `as_table`/`as_json`/`as_csv`; two at once are a usage error."""
    given = [name for name in FORMATS if values.get(f"as_{name}")]
    if len(given) > 1:
        raise click.UsageError(" and ".join(f"--{name}" for name in given) + " contradict each other: "
                               "give one output format")
    return given[0] if given else None


def group_format(accepted: Sequence[str] = FORMATS) -> str | None:
    """The format flag given before the command (`purecloud-scim --json users list`)."""
    context = click.get_current_context(silent=True)
    chosen = chosen_format(context.find_root().params) if context is not None else None
    if chosen is not None and chosen not in accepted:
        raise click.UsageError(f"{context.command_path if context else 'this command'} has no --{chosen} output"
                               f" (it has {', '.join('--' + name for name in accepted)})")
    return chosen


def format_options(command: Callable[..., Any] | None = None, *, formats: Sequence[str] = FORMATS,
                   help: dict[str, str] | None = None) -> Callable[..., Any]:
    """--table (default) / --json / --csv, gathered into `fmt`: the command's own flag, else the one
    given before the command, else table. Two flags at one level are a usage error."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            own = {f"as_{name}": kwargs.pop(f"as_{name}") for name in formats}
            kwargs["fmt"] = chosen_format(own) or group_format(("table", *formats)) or "table"
            return command(*args, **kwargs)

        return format_flags(wrapper, formats, help)

    return decorate if command is None else decorate(command)


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`1 row`, `2 rows`, `0 rows` (`many` for irregular nouns)."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"


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


# Identifiers are copied from tables: never broken or shortened; other cells give way first.
IDENTIFIERS = frozenset({"id", "userName", "email", "manager", "externalId"})
MIN_CELL = 5  # narrowest a shortened cell gets ("Sale…"); below that, each row prints as a record
GAP = 3  # between two columns: a padding space each side of the (blank) divider


def column_widths(rows: Sequence[dict[str, str]], columns: Sequence[str], width: int) -> dict[str, int] | None:
    """Each column's width for a table `width` cells wide: identifiers at full width, the others
    sharing what is left (narrow ones keep their width, wide ones are cut with an ellipsis);
    None when even that does not fit."""
    from rich.cells import cell_len

    natural = {name: max([cell_len(name)] + [cell_len(row.get(name, "")) for row in rows]) for name in columns}
    room = width - GAP * (len(columns) - 1) - sum(natural[n] for n in columns if n in IDENTIFIERS)
    others = sorted((n for n in columns if n not in IDENTIFIERS), key=lambda n: natural[n])
    widths = {n: natural[n] for n in columns}
    for position, name in enumerate(others):
        share = room // (len(others) - position) if room > 0 else 0
        widths[name] = min(natural[name], share)
        if widths[name] < min(natural[name], MIN_CELL):
            return None
        room -= widths[name]
    return widths


def table(rows: Sequence[dict[str, str]], columns: Sequence[str], title: str | None = None,
          widths: dict[str, int] | None = None) -> Table:
    shown = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", pad_edge=False, show_edge=False)
    for name in columns:
        shown.add_column(name, width=widths[name] if widths else None, no_wrap=True,
                         overflow="ignore" if name in IDENTIFIERS else "ellipsis")
    for row in rows:
        shown.add_row(*(row.get(name, "") for name in columns))
    return shown


def folded(rows: Sequence[dict[str, str]], columns: Sequence[str], title: str | None = None) -> Table:
    """Rows too wide for the terminal: one `name  value` block per row, blank lines between."""
    shown = Table(box=None, title=title, title_justify="left", pad_edge=False, show_header=False)
    shown.add_column("attribute", style="bold", no_wrap=True)
    shown.add_column("value", overflow="fold")
    for position, row in enumerate(rows):
        if position:
            shown.add_row("", "")
        for name in columns:
            shown.add_row(name, row.get(name, ""))
    return shown


def print_table(rows: Sequence[dict[str, str]], columns: Sequence[str], *, title: str | None = None,
                footer: str | None = None) -> None:
    widths = column_widths(rows, columns, out().width)
    render(table(rows, columns, title, widths) if widths is not None or not rows else folded(rows, columns, title))
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
        from .diagnostics import FAILURES, failure_kind

        kind = failure_kind(str(error.reason))
        head = f"error: cannot reach the API: {FAILURES[kind][2] if kind else error.reason}"
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
    if error.status == 0:  # the transport's reasons may already say so ("connection failed: ...")
        reason = str(error.reason or "")
        return reason if reason.startswith("connection failed") else f"connection failed: {reason}"
    text = str(error.status)
    if error.scim_type:
        text += f" {error.scim_type}"
    text += f": {error.detail or error.reason or 'failed'}"
    if error.correlation_id:
        text += f" (correlation id {error.correlation_id})"
    return text


UNLIMITED_RATE = 1e6  # requests/min beyond which a window limits nothing (the sandbox without a limit)


def pace_text(rate: float | None) -> str:
    """What the progress bar says about pacing: the pace in requests per minute, or why none."""
    if rate is None:
        return "paced: -"
    return "paced: no limit" if rate >= UNLIMITED_RATE else f"paced: {rate:.0f} req/min"


def pace_column(pacer: Any) -> Any:
    """A progress column showing `pacer.rate` (a PureCloudPlatformClientV2.pacing.Pacer)."""
    from rich.progress import ProgressColumn
    from rich.text import Text

    class PaceColumn(ProgressColumn):
        def render(self, task: Any) -> Text:
            return Text(pace_text(pacer.rate))

    return PaceColumn()


def progress(quiet: bool, *extra_columns: Any) -> Any:
    """A rich Progress on stderr, or None when quiet or stderr is not a terminal."""
    if quiet or not sys.stderr.isatty():
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), *extra_columns,
                    TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(), console=err(), transient=False)
