"""Client JSON -> stored attributes, and stored attributes -> wire JSON, for a resource type of the
SCIM description (scim_schema.py): which attributes a client may write, how a value of each
SCIM type is checked, and the order the wire form lists attributes in (the model's).

users.py and groups.py add what the description cannot say, by attribute (`name`, or
`URN:name` inside an extension): `rules` that check or complete a client's value (catalog
names, defaults) and `computed` values the server fills in when rendering (group membership,
`$ref`s). Every other described attribute is stored and returned as its type allows, so an
attribute added to a model and the description needs nothing here.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Mapping, NamedTuple

from ..scim_schema import Attribute, ResourceType, Schema
from . import values as v
from .errors import invalid_value
from .store import Record

Rule = Callable[[Any, str, Any], Any]  # (the client's value, its label, the caller's context) -> value to store


class Rendering(NamedTuple):
    record: Record
    base: str  # the SCIM base URL, for `$ref` and `meta.location`
    related: Any  # what the caller adds (a user's group ids)


Computed = Callable[[Rendering], Any]  # -> the wire value (None, [] or {}: left out)
_EMPTY: tuple[Any, ...] = (None, [], {})  # RFC 7643 §2.5: unassigned
SERVER_SET = ("schemas",)  # clients send it; the server lists the core schema and the extensions present


def normalize(resource: ResourceType, body: dict[str, Any], rules: Mapping[str, Rule], context: Any) -> dict[str, Any]:
    """The attributes to store from a client's full resource (POST/PUT body or PATCH result), in
    the model's order. Read-only, server-set and undescribed attributes are ignored; a
    never-returned one (password) is checked and dropped."""
    body = v.lower_keys(body)
    data: dict[str, Any] = {}
    for field in resource.model.fields:
        extension = resource.extension(field.wire)
        if extension is not None:
            value: Any = _extension(extension, body.get(field.wire.lower()), rules, context)
        else:
            attribute = resource.schema.attribute(field.wire)
            if attribute is None or not attribute.writable or attribute.name in SERVER_SET:
                continue
            value = _read(attribute, body.get(attribute.name.lower()), rules.get(attribute.name), context)
            if attribute.returned == "never":
                continue
        if value not in _EMPTY:
            data[field.wire] = value
    return data


def _extension(schema: Schema, value: Any, rules: Mapping[str, Rule], context: Any) -> dict[str, Any]:
    if value is not None and not isinstance(value, dict):
        raise invalid_value(f"{schema.urn} must be an object")
    body = v.lower_keys(value or {})
    out: dict[str, Any] = {}
    for field in schema.model.fields:
        attribute = schema.attribute(field.wire)
        if attribute is None or not attribute.writable:
            continue
        item = _read(attribute, body.get(attribute.name.lower()), rules.get(f"{schema.urn}:{attribute.name}"),
                     context)
        if item not in _EMPTY:
            out[field.wire] = item
    return out


def _read(attribute: Attribute, value: Any, rule: Rule | None, context: Any) -> Any:
    if rule is not None:
        return rule(value, attribute.name, context)
    return read_value(attribute, value, attribute.name)


def read_value(attribute: Attribute, value: Any, label: str) -> Any:
    """A client's value checked against the attribute's type; None when unassigned."""
    if attribute.multi_valued:
        if attribute.type == "complex":
            items = [_complex(attribute, item, label) for item in v.objects(value, label)]
        else:
            listed = [] if value is None else value if isinstance(value, list) else [value]
            items = [_single(attribute, item, label) for item in listed]
        return [item for item in items if item not in _EMPTY] or None
    if attribute.type == "complex":
        if value is not None and not isinstance(value, dict):
            raise invalid_value(f"{label} must be an object")
        return _complex(attribute, v.lower_keys(value), label) if value else None
    return _single(attribute, value, label)


def _complex(attribute: Attribute, item: dict[str, Any], label: str) -> dict[str, Any]:
    """One complex value (keys already lower-cased): its sub-attributes by type, in the model's order."""
    out: dict[str, Any] = {}
    for field in attribute.model.fields if attribute.model else ():
        sub = attribute.sub(field.wire)
        value = None if sub is None else read_value(sub, item.get(sub.name.lower()), f"{label}.{sub.name}")
        if value not in _EMPTY:
            out[field.wire] = value
    return out


def _single(attribute: Attribute, value: Any, label: str) -> Any:
    if attribute.type == "boolean":
        return None if value is None else v.boolean(value, label)
    if attribute.type in ("integer", "decimal"):
        return None if value is None else v.number(value, label, float("-inf"), float("inf"))
    return v.text(value, label, required=attribute.required)


def render(resource: ResourceType, record: Record, base: str, computed: Mapping[str, Computed],
           related: Any = None) -> dict[str, Any]:
    """The wire form of a stored resource: `schemas` and `id` first, then every returned
    attribute in the model's order (computed ones from `computed`), extensions, `meta` last."""
    view = Rendering(record, base, related)
    data = record.data
    out: dict[str, Any] = {"schemas": [resource.schema.urn], "id": record.id}
    for wire, extension_names in _plan(resource):
        if extension_names is not None:
            stored = data.get(wire, {})
            extension = {}
            for name, key in extension_names:
                value = computed[key](view) if key in computed else stored.get(name)
                if value not in _EMPTY:
                    extension[name] = value
            if extension:
                out[wire] = extension
                out["schemas"].append(wire)
        elif wire == "meta":
            out["meta"] = {"resourceType": resource.name, "lastModified": record.last_modified,
                           "location": f"{base}{resource.endpoint}/{record.id}", "version": str(record.version)}
        else:
            value = computed[wire](view) if wire in computed else data.get(wire)
            if value not in _EMPTY:
                out[wire] = value
    return out


@lru_cache(maxsize=None)
def _plan(resource: ResourceType) -> tuple[tuple[str, tuple[tuple[str, str], ...] | None], ...]:
    """What render() walks: each returned top-level JSON name in the model's order, and for an
    extension its attributes' names with their `computed` keys."""
    plan: list[tuple[str, tuple[tuple[str, str], ...] | None]] = []
    for field in resource.model.fields:
        extension = resource.extension(field.wire)
        if extension is not None:
            names = tuple((f.wire, f"{extension.urn}:{f.wire}") for f in extension.model.fields
                          if _returned(extension.attribute(f.wire)))
            plan.append((field.wire, names))
        elif field.wire not in ("id", "schemas") and _returned(resource.schema.attribute(field.wire)):
            plan.append((field.wire, None))
    return tuple(plan)


def _returned(attribute: Attribute | None) -> bool:
    return attribute is not None and attribute.returned != "never"
