"""The user resource: client JSON -> stored attributes (validated), stored record -> wire JSON."""

from __future__ import annotations

from typing import Any, Callable, Mapping, NamedTuple

from .. import scim_schema
from ..scim_schema import EMAIL_TYPES, PHONE_TYPES, is_email
from ..urns import ENTERPRISE_USER_URN as ENTERPRISE
from ..urns import GENESYS_USER_URN as GENESYS
from . import attributes
from . import values as v
from .errors import invalid_value
from .fake import SCIM_AUTHORITY
from .store import Record

MAX_LEVELS = 50  # Genesys: at most 50 routing skills and 50 languages
DEFAULT_DIVISION = "Home"


class Context(NamedTuple):
    catalog: Mapping[str, list[str]]
    lenient_usernames: bool
    user_exists: Callable[[str], bool]


def normalize(body: dict[str, Any], catalog: Mapping[str, list[str]], *, lenient_usernames: bool,
              user_exists: Callable[[str], bool]) -> dict[str, Any]:
    """Validate a full user (POST/PUT body or PATCH result) into the attributes to store.

    Read-only and computed attributes (id, meta, groups, schemas, emails of type other, the
    SCIM external-id authority) are ignored, and so are attributes the sandbox does not
    support (such as `name`). `password` is accepted and dropped: it is never returned.
    """
    return attributes.normalize(scim_schema.RESOURCE_TYPES["User"], body, RULES,
                                Context(catalog, lenient_usernames, user_exists))


def _user_name(value: Any, label: str, context: Context) -> str:
    user_name = v.text(value, label, required=True) or ""
    if not context.lenient_usernames and not is_email(user_name):
        raise invalid_value(f"userName must be an e-mail address, not {user_name!r}")
    return user_name


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


def _division(value: Any, label: str, context: Context) -> str:
    return v.named(v.text(value, label) or DEFAULT_DIVISION, context.catalog.get("divisions", []), label,
                   case_exact=False)


def _date_hire(value: Any, label: str, context: Context) -> str | None:
    return v.iso_date(v.text(value, label) or "", label) if value else None


def _manager(value: Any, label: str, context: Context) -> dict[str, Any] | None:
    if isinstance(value, str):  # Entra sends the manager id as a bare string
        value = {"value": value}
    if not value:
        return None
    manager_id = v.string(v.objects(value, label)[0], "value", f"{label}.value", required=True) or ""
    if not context.user_exists(manager_id):
        raise invalid_value(f"manager {manager_id!r} is not an existing user")
    return {"value": manager_id}


def _levels(value: Any, label: str, names: list[str]) -> list[dict[str, Any]]:
    items = v.objects(value, label)
    if len(items) > MAX_LEVELS:
        raise invalid_value(f"{label} allows at most {MAX_LEVELS} entries")
    out = []
    for item in items:
        name = v.named(v.string(item, "name", f"{label}.name", required=True) or "", names, f"{label}.name",
                       case_exact=True)
        level = item.get("proficiency")
        proficiency = 0.0 if level is None else v.number(level, f"{label}.proficiency", 0, 5)
        out.append({"name": name, "proficiency": proficiency})
    return v.last_per(out, "name")


def _external_ids(value: Any) -> list[dict[str, Any]]:
    out = []
    for item in v.objects(value, "externalIds"):
        authority = v.string(item, "authority", "externalIds.authority", required=True) or ""
        if authority.startswith(SCIM_AUTHORITY):
            continue  # mirrors externalId; computed
        out.append({"authority": authority, "value": v.string(item, "value", "externalIds.value", required=True)})
    return list({(e["authority"], e["value"]): e for e in out}.values())


def _other_email(view: attributes.Rendering) -> list[dict[str, Any]]:
    data = view.record.data
    return data.get("emails", []) + [{"value": data["userName"], "type": "other"}]  # type: ignore[no-any-return]


def _groups(view: attributes.Rendering) -> list[dict[str, Any]]:
    return [{"value": g, "type": "Group", "$ref": f"{view.base}/groups/{g}"} for g in view.related]


def _manager_ref(view: attributes.Rendering) -> dict[str, Any] | None:
    manager = view.record.data.get(ENTERPRISE, {}).get("manager")
    return manager and {"value": manager["value"], "$ref": f"{view.base}/users/{manager['value']}"}


def _scim_external_id(view: attributes.Rendering) -> list[dict[str, Any]]:
    data = view.record.data
    ids: list[dict[str, Any]] = data.get(GENESYS, {}).get("externalIds", [])
    return ids + [{"authority": SCIM_AUTHORITY, "value": data["externalId"]}] if "externalId" in data else ids


# What the description cannot say, by attribute (`URN:name` inside an extension): checks and
# defaults of a client's value, and the values the server computes when it renders a user.
RULES: dict[str, attributes.Rule] = {
    "userName": _user_name,
    "active": lambda value, label, _: True if value is None else v.boolean(value, label),
    "emails": lambda value, label, _: _typed(value, label, EMAIL_TYPES, drop="other"),
    "phoneNumbers": lambda value, label, _: _typed(value, label, PHONE_TYPES),
    "roles": lambda value, label, context: _roles(value, context.catalog.get("roles", [])),
    f"{ENTERPRISE}:division": _division,
    f"{ENTERPRISE}:manager": _manager,
    f"{ENTERPRISE}:dateHire": _date_hire,
    f"{GENESYS}:routingSkills": lambda value, label, context: _levels(value, label, context.catalog.get("skills", [])),
    f"{GENESYS}:routingLanguages":
        lambda value, label, context: _levels(value, label, context.catalog.get("languages", [])),
    f"{GENESYS}:externalIds": lambda value, label, _: _external_ids(value),
}
COMPUTED: dict[str, attributes.Computed] = {
    "emails": _other_email,
    "groups": _groups,
    f"{ENTERPRISE}:manager": _manager_ref,
    f"{GENESYS}:externalIds": _scim_external_id,
}


def render(record: Record, base: str, group_ids: list[str]) -> dict[str, Any]:
    """The wire form of a stored user: computed attributes added, password never present."""
    return attributes.render(scim_schema.RESOURCE_TYPES["User"], record, base, COMPUTED, group_ids)
