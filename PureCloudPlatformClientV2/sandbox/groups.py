"""The group resource: client JSON -> stored attributes (validated), stored record -> wire JSON."""

from __future__ import annotations

from typing import Any, Callable

from . import values as v
from .errors import invalid_value
from ..urns import GROUP_URN as GROUP
from .store import Record


def normalize(body: dict[str, Any], *, user_exists: Callable[[str], bool],
              group_exists: Callable[[str], bool]) -> dict[str, Any]:
    """Validate a full group (PUT body or PATCH result). Members must be existing users:
    nested groups are refused, since Genesys does not document them."""
    b = v.lower_keys(body)
    data: dict[str, Any] = {"displayName": v.string(b, "displayName", "displayName", required=True)}
    external_id = v.string(b, "externalId", "externalId")
    if external_id is not None:
        data["externalId"] = external_id
    members: list[str] = []
    for item in v.objects(b.get("members"), "members"):
        member_id = v.string(item, "value", "members.value", required=True) or ""
        kind = (v.string(item, "type", "members.type") or "User").lower()
        if kind == "group" or group_exists(member_id):
            raise invalid_value(f"members.value {member_id!r} is a group; nested groups are not supported")
        if kind != "user":
            raise invalid_value(f"members.type must be User, not {item.get('type')!r}")
        if not user_exists(member_id):
            raise invalid_value(f"members.value {member_id!r} is not an existing user")
        members.append(member_id)
    if members:
        data["members"] = [{"value": m, "type": "User"} for m in dict.fromkeys(members)]
    return data


def member_ids(record: Record) -> list[str]:
    return [m["value"] for m in record.data.get("members", [])]


def render(record: Record, base: str) -> dict[str, Any]:
    data = record.data
    group: dict[str, Any] = {"schemas": [GROUP], "id": record.id, "displayName": data["displayName"]}
    if "externalId" in data:
        group["externalId"] = data["externalId"]
    if data.get("members"):
        group["members"] = [{"value": m, "type": "User", "$ref": f"{base}/users/{m}"} for m in member_ids(record)]
    group["meta"] = {"resourceType": "Group", "lastModified": record.last_modified,
                     "location": f"{base}/groups/{record.id}", "version": str(record.version)}
    return group
