"""CSV cells a spreadsheet will not run: formula injection (OWASP "CSV Injection").

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is taken by Excel,
LibreOffice and Google Sheets as a formula (`=HYPERLINK(...)`, `+cmd|' /C calc'!A0`). Such
cells are written with a `'` in front, which spreadsheets show as text. The one exception is a
plain number (`-5`, `+13175550123`: the E.164 phone numbers this tool writes), which no
spreadsheet can run and which would otherwise all change.

`sync users` reads its own CSVs back: `restore` removes exactly the `'` that `neutralise`
added, so an export synced again gives every value back unchanged. (To make that exact, a value
that itself starts with `'` and then one of those characters gets one more `'`.)
"""

from __future__ import annotations

import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)\Z")
_QUOTED = re.compile(r"'+[=+\-@\t\r]")


def neutralise(cell: str) -> str:
    """The cell as written to a CSV file that a spreadsheet may open."""
    if _QUOTED.match(cell) or (cell.startswith(TRIGGERS) and not _PLAIN_NUMBER.match(cell)):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    """The value of a cell that `neutralise` wrote (any other cell is returned as it is)."""
    return cell[1:] if _QUOTED.match(cell) else cell
