"""`groups list|get|add-member|remove-member` (groups are made in Genesys; SCIM manages members)."""

from __future__ import annotations

from typing import Any

import click

from ..patch import Patch
from . import output, scim
from .connection import Connection, connection_options
from .users import DEFAULT_LIST_LIMIT, build_filter

GROUP_COLUMNS = ("displayName", "members", "externalId", "id")
CSV_COLUMNS = ("id", "displayName", "externalId", "memberCount", "members")
MEMBER_COLUMNS = ("userName", "displayName", "active", "id")


@click.group()
def groups() -> None:
    """List groups and change their members."""


def member_ids(group: dict[str, Any]) -> list[str]:
    return [m["value"] for m in group.get("members") or [] if isinstance(m, dict) and m.get("value")]


def group_cells(group: dict[str, Any]) -> dict[str, str]:
    ids = member_ids(group)
    return {"id": group.get("id", ""), "displayName": group.get("displayName", ""),
            "externalId": group.get("externalId") or "", "memberCount": str(len(ids)),
            "members": ";".join(ids)}


def show_groups(items: list[dict[str, Any]], fmt: str, footer: str | None = None) -> None:
    if fmt == "json":
        output.print_json(items)
    elif fmt == "csv":
        output.print_csv([group_cells(g) for g in items], CSV_COLUMNS)
    else:
        rows = [{**group_cells(g), "members": group_cells(g)["memberCount"]} for g in items]
        output.print_table(rows, GROUP_COLUMNS, footer=footer)


def show_group(group: dict[str, Any], fmt: str, members: list[dict[str, Any]] | None = None) -> None:
    if fmt == "json":
        output.print_json(group)
        return
    if fmt == "csv":
        output.print_csv([group_cells(group)], CSV_COLUMNS)
        return
    cells, meta = group_cells(group), group.get("meta") or {}
    fields = [("id", cells["id"]), ("displayName", cells["displayName"])]
    if cells["externalId"]:
        fields.append(("externalId", cells["externalId"]))
    fields += [("members", cells["memberCount"]), ("version", str(meta.get("version", ""))),
               ("lastModified", str(meta.get("lastModified", "")))]
    output.print_record(fields)
    if members is not None:
        rows = [{"userName": m.get("userName", ""), "displayName": m.get("displayName", ""),
                 "active": "" if "active" not in m else ("true" if m["active"] else "false"),
                 "id": m.get("id", "")} for m in members]
        output.print_table(rows, MEMBER_COLUMNS, title="members")


@groups.command("list")
@click.option("--filter", "filter_", metavar="FILTER", help='A SCIM filter, e.g. \'displayName eq "Sales"\'.')
@click.option("--name", metavar="NAME", help="The group with this displayName.")
@click.option("--attributes", metavar="A,B", help="Only these attributes, e.g. displayName (members are costly).")
@click.option("--limit", type=click.IntRange(min=0), default=DEFAULT_LIST_LIMIT, show_default=True,
              help="Show at most this many groups; 0 shows all.")
@click.option("--page-size", type=click.IntRange(1, 100), default=scim.DEFAULT_PAGE_SIZE, show_default=True)
@output.format_options
@connection_options
def list_groups(filter_: str | None, name: str | None, attributes: str | None, limit: int, page_size: int,
                fmt: str, connection: Connection) -> None:
    """List groups."""
    query = build_filter(filter_, [scim.eq("displayName", name)] if name else [])
    wanted = [a.strip() for a in attributes.split(",") if a.strip()] if attributes else None
    items, found = scim.listing(connection.api.get_scim_v2_groups, query, page_size=page_size,
                                attributes=wanted, limit=limit)
    show_groups(items, fmt, footer=scim.count_line(len(items), found, "group", limit))


@groups.command("get")
@click.argument("group")
@click.option("--members", "with_members", is_flag=True,
              help="Also list the members with their userName (one request per member).")
@output.format_options
@connection_options
def get_group(group: str, with_members: bool, fmt: str, connection: Connection) -> None:
    """Show one group, by id or displayName."""
    from ..rest import NotFoundError

    api = connection.api
    found = scim.find_group(api, group)
    members = None
    if with_members:
        members = []
        for user_id in member_ids(found):
            try:
                members.append(api.get_scim_v2_user(user_id, attributes=["userName", "displayName"]).to_wire())
            except NotFoundError:
                members.append({"id": user_id, "userName": "(not found)"})
    show_group(found, fmt, members)


def _user_ids(api: Any, keys: tuple[str, ...]) -> list[tuple[str, str]]:
    """(key as given, user id) for each user argument."""
    return [(key, scim.find_user(api, key, attributes=["userName"])["id"]) for key in keys]


@groups.command("add-member")
@click.argument("group")
@click.argument("users", nargs=-1, required=True)
@output.format_options
@connection_options
def add_member(group: str, users: tuple[str, ...], fmt: str, connection: Connection) -> None:
    """Add users (ids or userNames) to a group."""
    api = connection.api
    found = scim.find_group(api, group)
    current = set(member_ids(found))
    wanted = [(key, uid) for key, uid in _user_ids(api, users)]
    new = list(dict.fromkeys(uid for _, uid in wanted if uid not in current))
    for key, uid in wanted:
        if uid in current:
            output.note(f"{key} is already a member of {found.get('displayName')}")
    if new:
        found = api.patch_scim_v2_group(found["id"], Patch().add_members(*new).build()).to_wire()
    output.note(f"added {output.plural(len(new), 'member')} to {found.get('displayName')}; "
                f"it has {len(member_ids(found))}")
    show_group(found, fmt)


@groups.command("remove-member")
@click.argument("group")
@click.argument("users", nargs=-1, required=True)
@output.format_options
@connection_options
def remove_member(group: str, users: tuple[str, ...], fmt: str, connection: Connection) -> None:
    """Remove users (ids or userNames) from a group."""
    api = connection.api
    found = scim.find_group(api, group)
    current = set(member_ids(found))
    doomed = []
    for key, uid in _user_ids(api, users):
        if uid in current:
            doomed.append(uid)
        else:
            output.note(f"{key} is not a member of {found.get('displayName')}")
    doomed = list(dict.fromkeys(doomed))
    if doomed:
        found = api.patch_scim_v2_group(found["id"], Patch().remove_members(*doomed).build()).to_wire()
    output.note(f"removed {output.plural(len(doomed), 'member')} from {found.get('displayName')}; "
                f"it has {len(member_ids(found))}")
    show_group(found, fmt)
