"""`users list|get|create|update|patch|deactivate`."""

from __future__ import annotations

import json
from typing import Any, Sequence

import click

from ..patch import Patch
from . import columns as cols
from . import output, scim
from .connection import Connection, connection_options

LIST_COLUMNS = ("userName", "displayName", "title", "active", "id")
DEFAULT_LIST_LIMIT = 500


@click.group()
def users() -> None:
    """List, show, create and change users."""


# -- shared pieces -------------------------------------------------------------------------
def scim_attributes(names: str | None) -> list[str] | None:
    """`--attributes` (comma-separated; CSV column names such as `department` allowed) -> SCIM names."""
    if not names:
        return None
    chosen = []
    for name in (n.strip() for n in names.split(",")):
        if name:
            col = cols.column(name)
            chosen.append(col.attribute if col is not None else name)
    return list(dict.fromkeys(chosen))


def shown_columns(attributes: list[str] | None) -> tuple[list[str], list[str]]:
    """(flat columns, other top-level attributes) to show for the requested attributes."""
    if not attributes:
        return list(LIST_COLUMNS), []
    flat, raw = ["userName"], []
    for name in attributes:
        lowered = name.lower()
        hits = [c.name for c in cols.COLUMNS
                if lowered in (c.attribute.lower(), c.name.lower(), c.attr.lower(), (c.urn or "").lower())]
        if hits:
            flat += [h for h in hits if h not in flat]
        elif lowered not in ("id", "username"):
            raw.append(name)
    if "active" not in flat:
        flat.append("active")
    return flat, raw


def raw_value(user: dict[str, Any], name: str) -> str:
    value = user.get(name)
    if value is None:  # an extension attribute asked for by its URN-qualified name
        urn, _, attr = name.rpartition(":")
        holder = user.get(urn) if urn else None
        value = holder.get(attr) if isinstance(holder, dict) else None
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def user_rows(items: Sequence[dict[str, Any]], flat: list[str], raw: list[str]) -> list[dict[str, str]]:
    rows = []
    for user in items:
        row = cols.cells(user, tuple(c for c in flat if c != "id"))
        row.update({name: raw_value(user, name) for name in raw})
        row["id"] = user.get("id", "")
        rows.append(row)
    return rows


def user_record(user: dict[str, Any]) -> list[tuple[str, str]]:
    fields = [("id", user.get("id", ""))]
    fields += [(name, text) for name, text in cols.cells(user).items() if text]
    groups = [g.get("value", "") for g in user.get("groups") or []]
    if groups:
        fields.append(("groups", ", ".join(groups)))
    meta = user.get("meta") or {}
    fields += [("version", str(meta.get("version", ""))), ("lastModified", str(meta.get("lastModified", "")))]
    return fields


def show_users(items: list[dict[str, Any]], fmt: str, attributes: list[str] | None = None,
               footer: str | None = None, raw_cells: bool = False) -> None:
    if fmt == "json":
        output.print_json(items)
        return
    flat, raw = shown_columns(attributes)
    names = flat + raw + (["id"] if "id" not in flat else [])
    rows = user_rows(items, flat, raw)
    if fmt == "csv":
        output.print_csv(rows, names, raw=raw_cells)
    else:
        output.print_table(rows, names, footer=footer)


def show_user(user: dict[str, Any], fmt: str) -> None:
    if fmt == "json":
        output.print_json(user)
    elif fmt == "csv":
        names = ["id", *cols.NAMES]
        output.print_csv([{"id": user.get("id", ""), **cols.cells(user)}], names)
    else:
        output.print_record(user_record(user))


def field_options(command: Any) -> Any:
    """One option per user column (`--display-name`, `--roles`, ...), cell syntax, into `fields`."""
    for col in reversed(cols.COLUMNS):
        command = click.option(col.option, f"field_{col.name}", metavar="VALUE",
                               help=f"{col.help} e.g. {col.example!r}" if col.example else col.help)(command)
    return command


def given_fields(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The field options that were given -> canonical values; bad values are usage errors."""
    values = {}
    for col in cols.COLUMNS:
        raw = kwargs.pop(f"field_{col.name}")
        if raw is None:
            continue
        try:
            values[col.name] = col.parse(raw)
        except cols.CellError as error:
            raise click.BadParameter(str(error), param_hint=col.option) from None
    return values


def resolve_manager(api: Any, values: dict[str, Any]) -> None:
    ref = values.get("manager")
    if ref and "@" in ref:
        values["manager"] = scim.find_user(api, ref, attributes=["userName"])["id"]


def build_filter(filter: str | None, conditions: list[str]) -> str | None:
    """--filter and the convenience options joined with `and`."""
    parts = [f"({filter})" if filter and conditions else filter] if filter else []
    return " and ".join(parts + conditions) or None


# -- commands --------------------------------------------------------------------------------
@users.command("list")
@click.option("--filter", "filter_", metavar="FILTER", help='A SCIM filter, e.g. \'title eq "Agent"\'.')
@click.option("--email", metavar="ADDRESS", help="Users with this e-mail address (any type).")
@click.option("--username", metavar="USERNAME", help="The user with this userName.")
@click.option("--external-id", metavar="ID", help="The user with this externalId.")
@click.option("--inactive", is_flag=True, help="Inactive users (without a filter, Genesys lists active users only).")
@click.option("--attributes", metavar="A,B", help="Only these attributes (SCIM names or CSV column names).")
@click.option("--limit", type=click.IntRange(min=0), default=DEFAULT_LIST_LIMIT, show_default=True,
              help="Show at most this many users; 0 shows all.")
@click.option("--page-size", type=click.IntRange(1, 100), default=scim.DEFAULT_PAGE_SIZE, show_default=True)
@click.option("--raw", is_flag=True, help="--csv: cells as they are, without the ' that stops spreadsheet formulas.")
@output.format_options
@connection_options
def list_users(filter_: str | None, email: str | None, username: str | None, external_id: str | None,
               inactive: bool, attributes: str | None, limit: int, page_size: int, raw: bool, fmt: str,
               connection: Connection) -> None:
    """List users, filtered or not (a table, or --json/--csv for scripts).

    --csv puts a ' in front of cells a spreadsheet would run as formulas (=, +, -, @), as
    `export users` does; --raw leaves them as they are."""
    wanted = scim_attributes(attributes)
    conditions = [scim.eq(attribute, value) for attribute, value in
                  (("email", email), ("userName", username), ("externalId", external_id)) if value]
    query = build_filter(filter_, conditions + (["active eq false"] if inactive else []))
    items, found = scim.listing(connection.api.get_scim_v2_users, query, page_size=page_size,
                                attributes=wanted, limit=limit)
    if found > len(items) and fmt != "table":
        output.note("note: " + scim.count_line(len(items), found, "user", limit, ("listed", "lists")))
    show_users(items, fmt, wanted, footer=scim.count_line(len(items), found, "user", limit), raw_cells=raw)


@users.command("get")
@click.argument("user")
@click.option("--attributes", metavar="A,B", help="Only these attributes (SCIM names or CSV column names).")
@output.format_options
@connection_options
def get_user(user: str, attributes: str | None, fmt: str, connection: Connection) -> None:
    """Show one user, by id or userName."""
    show_user(scim.find_user(connection.api, user, attributes=scim_attributes(attributes)), fmt)


@users.command("create")
@field_options
@click.option("--body", type=click.File("r"), metavar="FILE",
              help="A whole SCIM user as JSON ('-' reads stdin); field options override its values.")
@output.format_options
@connection_options
def create_user(body: Any, fmt: str, connection: Connection, **kwargs: Any) -> None:
    """Create a user (--user-name and --display-name are required)."""
    from ..models import ScimV2CreateUser

    values = given_fields(kwargs)
    wire: dict[str, Any] = {}
    if body is not None:
        try:
            wire = json.load(body)
        except ValueError as error:
            raise click.BadParameter(f"not JSON: {error}", param_hint="--body") from None
        if not isinstance(wire, dict):
            raise click.BadParameter("must be a JSON object", param_hint="--body")
    missing = [c.option for c in (cols.BY_NAME["username"], cols.BY_NAME["displayname"])
               if values.get(c.name) is None and not wire.get(c.name)]
    if missing:
        raise click.UsageError(f"missing {' and '.join(missing)}")
    resolve_manager(connection.api, values)
    built = cols.creation_body(values)
    if wire:
        merged = dict(wire)
        for key, value in built.items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            elif key != "schemas":
                merged[key] = value
        merged["schemas"] = list(dict.fromkeys((wire.get("schemas") or []) + built["schemas"]))
        built = merged
    created = connection.api.post_scim_v2_users(ScimV2CreateUser.from_wire(built)).to_wire()
    output.note(f"created {created.get('userName')} ({created.get('id')})")
    show_user(created, fmt)


@users.command("update")
@click.argument("user")
@field_options
@click.option("--if-match", metavar="VERSION",
              help="Fail unless the user is at this version (default: the version read).")
@output.format_options
@connection_options
def update_user(user: str, if_match: str | None, fmt: str, connection: Connection, **kwargs: Any) -> None:
    """Change some attributes of a user; only those that differ are sent (PATCH with If-Match).

    An empty value clears an attribute, e.g. --title ''.
    """
    values = given_fields(kwargs)
    if not values:
        raise click.UsageError("nothing to change: give at least one field option, e.g. --title 'Agent'")
    api = connection.api
    current = scim.find_user(api, user)
    resolve_manager(api, values)
    diff = cols.changes(current, values)
    if not diff:
        output.note(f"no changes: {current.get('userName')} already has these values")
        show_user(current, fmt)
        return
    version = f'"{if_match.strip(chr(34))}"' if if_match else scim.etag(current)
    updated = api.patch_scim_v2_user(current["id"], scim.patch_body(cols.patch_operations(diff)),
                                     if_match=version).to_wire()
    output.note(f"updated {updated.get('userName')}: " + ", ".join(c.name for c, _, _ in diff))
    show_user(updated, fmt)


def _path_value(text: str, option: str) -> tuple[str, Any]:
    path, sep, raw = text.partition("=")
    if not sep or not path.strip():
        raise click.BadParameter(f"expected PATH=VALUE, got {text!r}", param_hint=option)
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    return path.strip(), value


@users.command("patch")
@click.argument("user")
@click.option("--operations", "ops_file", type=click.File("r"), metavar="FILE",
              help="PATCH operations as JSON: a list of {op, path, value} or a whole PatchOp body ('-' = stdin).")
@click.option("--remove", "removes", multiple=True, metavar="PATH", help="Remove the attribute at PATH.")
@click.option("--add", "adds", multiple=True, metavar="PATH=VALUE", help="Add VALUE (JSON or text) at PATH.")
@click.option("--set", "sets", multiple=True, metavar="PATH=VALUE", help="Replace PATH with VALUE (JSON or text).")
@click.option("--if-match", metavar="VERSION", help="Fail unless the user is at this version.")
@output.format_options
@connection_options
def patch_user(user: str, ops_file: Any, removes: tuple[str, ...], adds: tuple[str, ...], sets: tuple[str, ...],
               if_match: str | None, fmt: str, connection: Connection) -> None:
    """Send raw SCIM PATCH operations to a user.

    Operations go in this order: --operations, --remove, --add, --set. Example:
    --set 'emails[type eq "work"].value=ada@example.com' --remove title
    """
    operations: list[dict[str, Any]] = []
    if ops_file is not None:
        try:
            loaded = json.load(ops_file)
        except ValueError as error:
            raise click.BadParameter(f"not JSON: {error}", param_hint="--operations") from None
        if isinstance(loaded, dict):
            loaded = loaded.get("Operations", loaded.get("operations"))
        if not isinstance(loaded, list) or not all(isinstance(op, dict) for op in loaded):
            raise click.BadParameter("expected a list of operations or a PatchOp body", param_hint="--operations")
        operations += loaded
    operations += [{"op": "remove", "path": path} for path in removes]
    for op, given, option in (("add", adds, "--add"), ("replace", sets, "--set")):
        for text in given:
            path, value = _path_value(text, option)
            operations.append({"op": op, "path": path, "value": value})
    if not operations:
        raise click.UsageError("no operations: give --set, --add, --remove or --operations")
    api = connection.api
    target = scim.find_user(api, user, attributes=["userName"])
    version = f'"{if_match.strip(chr(34))}"' if if_match else None
    updated = api.patch_scim_v2_user(target["id"], scim.patch_body(operations), if_match=version).to_wire()
    output.note(f"patched {updated.get('userName')} ({output.plural(len(operations), 'operation')})")
    show_user(updated, fmt)


@users.command("deactivate")
@click.argument("user", nargs=-1, required=True)
@output.format_options
@connection_options
def deactivate_users(user: tuple[str, ...], fmt: str, connection: Connection) -> None:
    """Set active=false on one or more users (by id or userName); they keep their roles.

    Genesys' unfiltered user list no longer shows them; `users list --inactive` does.
    """
    from ..rest import ApiException

    api, done, failed = connection.api, [], 0
    for key in user:
        try:
            current = scim.find_user(api, key)
            if current.get("active") is False:
                output.note(f"{current.get('userName')} is already inactive")
                done.append(current)
                continue
            body = Patch().deactivate().build()
            done.append(api.patch_scim_v2_user(current["id"], body, if_match=scim.etag(current)).to_wire())
            output.note(f"deactivated {current.get('userName')}")
        except (ApiException, scim.NotFound) as error:
            failed += 1
            output.note(f"{key}: " + output.describe_error(error))
    if done:
        show_users(done, fmt)
    if failed:
        raise click.exceptions.Exit(1)
