"""The group resource: client JSON -> stored attributes (validated), stored record -> wire JSON."""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

from .. import scim_schema
from . import attributes
from . import values as v
from .errors import invalid_value
from .store import Record


class Context(NamedTuple):
    user_exists: Callable[[str], bool]
    group_exists: Callable[[str], bool]


def normalize(body: dict[str, Any], *, user_exists: Callable[[str], bool],
              group_exists: Callable[[str], bool]) -> dict[str, Any]:
    """Validate a full group (PUT body or PATCH result). Members must be existing users:
    nested groups are refused, since Genesys does not document them."""
    return attributes.normalize(scim_schema.RESOURCE_TYPES["Group"], body, RULES, Context(user_exists, group_exists))


def _members(value: Any, label: str, context: Context) -> list[dict[str, Any]]:
    members: list[str] = []
    for item in v.objects(value, label):
        member_id = v.string(item, "value", "members.value", required=True) or ""
        kind = (v.string(item, "type", "members.type") or "User").lower()
        if kind == "group" or context.group_exists(member_id):
            raise invalid_value(f"members.value {member_id!r} is a group; nested groups are not supported")
        if kind != "user":
            raise invalid_value(f"members.type must be User, not {item.get('type')!r}")
        if not context.user_exists(member_id):
            raise invalid_value(f"members.value {member_id!r} is not an existing user")
        members.append(member_id)
    return [{"value": m, "type": "User"} for m in dict.fromkeys(members)]


def member_ids(record: Record) -> list[str]:
    return [m["value"] for m in record.data.get("members", [])]


def _member_refs(view: attributes.Rendering) -> list[dict[str, Any]]:
    return [{"value": m, "type": "User", "$ref": f"{view.base}/users/{m}"} for m in member_ids(view.record)]


# What the description cannot say (see users.py): the members rule and their `$ref`s.
RULES: dict[str, attributes.Rule] = {"members": _members}
COMPUTED: dict[str, attributes.Computed] = {"members": _member_refs}


def render(record: Record, base: str) -> dict[str, Any]:
    return attributes.render(scim_schema.RESOURCE_TYPES["Group"], record, base, COMPUTED)
