"""The user resource: client JSON -> stored attributes (validated), stored record -> wire JSON."""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from . import values as v
from .errors import invalid_value
from .fake import SCIM_AUTHORITY
from ..urns import ENTERPRISE_USER_URN as ENTERPRISE
from ..urns import GENESYS_USER_URN as GENESYS
from ..urns import USER_URN as USER
from .schemas import EMAIL_TYPES, PHONE_TYPES
from .store import Record

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_LEVELS = 50  # Genesys: at most 50 routing skills and 50 languages
DEFAULT_DIVISION = "Home"


def normalize(body: dict[str, Any], catalog: Mapping[str, list[str]], *, lenient_usernames: bool,
              user_exists: Callable[[str], bool]) -> dict[str, Any]:
    """Validate a full user (POST/PUT body or PATCH result) into the attributes to store.

    Read-only and computed attributes (id, meta, groups, schemas, emails of type other, the
    SCIM external-id authority) are ignored, and so are attributes the sandbox does not
    support (such as `name`). `password` is accepted and dropped: it is never returned.
    """
    b = v.lower_keys(body)
    user_name = v.string(b, "userName", "userName", required=True)
    assert user_name is not None
    if not lenient_usernames and not EMAIL.match(user_name):
        raise invalid_value(f"userName must be an e-mail address, not {user_name!r}")
    v.string(b, "password", "password")
    data: dict[str, Any] = {
        "userName": user_name,
        "displayName": v.string(b, "displayName", "displayName", required=True),
        "active": v.boolean(b["active"], "active") if b.get("active") is not None else True,
        "title": v.string(b, "title", "title"),
        "emails": _typed(b.get("emails"), "emails", EMAIL_TYPES, drop="other"),
        "phoneNumbers": _typed(b.get("phonenumbers"), "phoneNumbers", PHONE_TYPES),
        "externalId": v.string(b, "externalId", "externalId"),
        "roles": _roles(b.get("roles"), catalog.get("roles", [])),
        ENTERPRISE: _enterprise(b.get(ENTERPRISE.lower()), catalog, user_exists),
        GENESYS: _genesys(b.get(GENESYS.lower()), catalog),
    }
    return {k: val for k, val in data.items() if val not in (None, [], {})}


def _typed(value: Any, label: str, types: tuple[str, ...], drop: str = "") -> list[dict[str, Any]]:
    out = []
    for item in v.objects(value, label):
        kind = (v.string(item, "type", f"{label}.type") or "work").lower()
        if kind not in types:
            raise invalid_value(f"{label}.type must be one of {', '.join(types)}, not {kind!r}")
        if kind == drop:
            continue  # computed from userName, so writes are ignored
        entry: dict[str, Any] = {"value": v.string(item, "value", f"{label}.value", required=True), "type": kind}
        if item.get("primary") is not None:
            entry["primary"] = v.boolean(item["primary"], f"{label}.primary")
        out.append(entry)
    return v.last_per(out, "type")


def _roles(value: Any, names: list[str]) -> list[dict[str, Any]]:
    roles = [v.named(v.string(item, "value", "roles.value", required=True) or "", names, "role", case_exact=False)
             for item in v.objects(value, "roles")]
    return [{"value": name} for name in dict.fromkeys(roles)]


def _enterprise(value: Any, catalog: Mapping[str, list[str]], user_exists: Callable[[str], bool]) -> dict[str, Any]:
    if value is not None and not isinstance(value, dict):
        raise invalid_value(f"{ENTERPRISE} must be an object")
    b = v.lower_keys(value or {})
    division = v.string(b, "division", "division") or DEFAULT_DIVISION
    out: dict[str, Any] = {"division": v.named(division, catalog.get("divisions", []), "division", case_exact=False)}
    for key in ("department", "employeeNumber"):
        out[key] = v.string(b, key, key)
    if b.get("datehire"):
        out["dateHire"] = v.iso_date(v.string(b, "dateHire", "dateHire") or "", "dateHire")
    manager = b.get("manager")
    if isinstance(manager, str):  # Entra sends the manager id as a bare string
        manager = {"value": manager}
    if manager:
        manager_id = v.string(v.objects(manager, "manager")[0], "value", "manager.value", required=True) or ""
        if not user_exists(manager_id):
            raise invalid_value(f"manager {manager_id!r} is not an existing user")
        out["manager"] = {"value": manager_id}
    return {k: val for k, val in out.items() if val is not None}


def _genesys(value: Any, catalog: Mapping[str, list[str]]) -> dict[str, Any]:
    if value is not None and not isinstance(value, dict):
        raise invalid_value(f"{GENESYS} must be an object")
    b = v.lower_keys(value or {})
    out: dict[str, Any] = {
        "routingSkills": _levels(b.get("routingskills"), "routingSkills", catalog.get("skills", [])),
        "routingLanguages": _levels(b.get("routinglanguages"), "routingLanguages", catalog.get("languages", [])),
        "externalIds": _external_ids(b.get("externalids")),
    }
    return {k: val for k, val in out.items() if val}


def _levels(value: Any, label: str, names: list[str]) -> list[dict[str, Any]]:
    items = v.objects(value, label)
    if len(items) > MAX_LEVELS:
        raise invalid_value(f"{label} allows at most {MAX_LEVELS} entries")
    out = []
    for item in items:
        name = v.named(v.string(item, "name", f"{label}.name", required=True) or "", names, f"{label}.name",
                       case_exact=True)
        level = item.get("proficiency")
        out.append({"name": name, "proficiency": 0.0 if level is None else v.number(level, f"{label}.proficiency", 0, 5)})
    return v.last_per(out, "name")


def _external_ids(value: Any) -> list[dict[str, Any]]:
    out = []
    for item in v.objects(value, "externalIds"):
        authority = v.string(item, "authority", "externalIds.authority", required=True) or ""
        if authority.startswith(SCIM_AUTHORITY):
            continue  # mirrors externalId; computed
        out.append({"authority": authority, "value": v.string(item, "value", "externalIds.value", required=True)})
    return list({(e["authority"], e["value"]): e for e in out}.values())


def render(record: Record, base: str, group_ids: list[str]) -> dict[str, Any]:
    """The wire form of a stored user: computed attributes added, password never present."""
    data = record.data
    user: dict[str, Any] = {"schemas": [USER], "id": record.id}
    user.update({k: data[k] for k in ("active", "userName", "displayName", "title") if k in data})
    user["emails"] = data.get("emails", []) + [{"value": data["userName"], "type": "other"}]
    for key in ("phoneNumbers", "externalId", "roles"):
        if key in data:
            user[key] = data[key]
    if group_ids:
        user["groups"] = [{"value": g, "type": "Group", "$ref": f"{base}/groups/{g}"} for g in group_ids]
    enterprise = dict(data.get(ENTERPRISE, {}))
    if "manager" in enterprise:
        manager_id = enterprise["manager"]["value"]
        enterprise["manager"] = {"value": manager_id, "$ref": f"{base}/users/{manager_id}"}
    genesys = dict(data.get(GENESYS, {}))
    if "externalId" in data:
        genesys["externalIds"] = genesys.get("externalIds", []) + [
            {"authority": SCIM_AUTHORITY, "value": data["externalId"]}]
    for urn, ext in ((ENTERPRISE, enterprise), (GENESYS, genesys)):
        if ext:
            user[urn] = ext
            user["schemas"].append(urn)
    user["meta"] = {"resourceType": "User", "lastModified": record.last_modified,
                    "location": f"{base}/users/{record.id}", "version": str(record.version)}
    return user
