"""SCIM PATCH (RFC 7644 §3.5.2) applied to plain JSON resources, with the leniencies IdPs rely on."""

from __future__ import annotations

import copy
import re
from typing import Any, Callable, Dict, List, NamedTuple, Optional

from ..urns import CORE_SCHEMA_PREFIX
from . import schemas
from .filters import And, AttrPath, Compare, FilterError, Node, PatchPath, ValuePath, matches, parse_path

__all__ = ["PatchError", "apply_operations", "default_read_only", "default_multi_valued"]

Resource = Dict[str, Any]
ReadOnly = Callable[[str], bool]
MultiValued = Callable[[str], bool]  # attribute name -> holds a list, so `add emails {...}` appends to none yet
_SCHEMA_NAME = re.compile(r"^(User|Group)$")  # last segment of a schema URN used as a whole path


class PatchError(ValueError):
    """A refused PATCH; `scim_type` is the RFC 7644 §3.12 scimType the server answers 400 with."""

    def __init__(self, scim_type: str, detail: str) -> None:
        super().__init__(detail)
        self.scim_type, self.detail = scim_type, detail


def default_read_only(path: str) -> bool:
    return path.split(".")[0] in ("id", "meta")


def default_multi_valued(name: str) -> bool:
    """Multi-valued in any resource type the SCIM description knows (users, groups, extensions)."""
    return any(schemas.is_multi_valued(kind, name) for kind in schemas.resource_kinds())


class _Rules(NamedTuple):
    read_only: ReadOnly
    multi_valued: MultiValued


def apply_operations(resource: Resource, operations: List[Dict[str, Any]], *,
                     read_only: ReadOnly = default_read_only,
                     multi_valued: MultiValued = default_multi_valued) -> Resource:
    """Apply PatchOp `Operations` to a copy of `resource` and return the copy.

    Deviations from RFC 7644, for what IdPs send: add/replace through a value filter that matches
    nothing appends an element built from the filter's `eq` terms (noTarget only when the filter
    is not such a conjunction); remove of an absent attribute or element is a no-op; a no-path
    merge may repeat a read-only attribute with its current value; Entra's `"active": "False"`
    and bare manager id are accepted.
    """
    if not isinstance(operations, list):
        raise PatchError("invalidSyntax", "Operations must be a list")
    if not operations:
        raise PatchError("invalidValue", "Operations is empty")
    result = copy.deepcopy(resource)
    rules = _Rules(read_only, multi_valued)
    for index, operation in enumerate(operations):
        try:
            _apply_one(result, operation, rules)
        except PatchError as exc:
            raise PatchError(exc.scim_type, f"Operations[{index}]: {exc.detail}") from None
    return result


def _apply_one(resource: Resource, operation: Any, rules: _Rules) -> None:
    if not isinstance(operation, dict):
        raise PatchError("invalidSyntax", "each operation must be an object")
    op, path = _field(operation, "op"), _field(operation, "path")
    if not isinstance(op, str) or op.lower() not in ("add", "replace", "remove"):
        raise PatchError("invalidSyntax", f"op must be add, replace or remove, not {op!r}")
    op = op.lower()
    has_value = any(key.lower() == "value" for key in operation)
    value = copy.deepcopy(_field(operation, "value"))
    if path is None or path == "":
        if op == "remove":
            raise PatchError("noTarget", "remove needs a path")
        if not isinstance(value, dict):
            raise PatchError("invalidValue", "without a path, value must be an object of attributes")
        for key, item in value.items():
            target = _parse(key)
            if target.filter is not None:
                raise PatchError("invalidPath", f"{key!r} is not an attribute name")
            _apply_path(resource, op, target, item, rules, lenient=True)
        return
    if not isinstance(path, str):
        raise PatchError("invalidPath", "path must be a string")
    if op != "remove" and not has_value:
        raise PatchError("invalidValue", f"{op} needs a value")
    _apply_path(resource, op, _parse(path), value if has_value else _NO_VALUE, rules, lenient=False)


_NO_VALUE = object()


def _field(obj: Dict[str, Any], name: str) -> Any:
    for key, value in obj.items():
        if key.lower() == name:
            return value
    return None


def _parse(path: str) -> PatchPath:
    try:
        return parse_path(path)
    except FilterError as exc:
        raise PatchError("invalidPath", f"invalid path {path!r}: {exc}") from None


def _key(obj: Dict[str, Any], name: str) -> str:
    """The existing spelling of `name` in `obj` (attribute names are case-insensitive), else `name`."""
    if name in obj:
        return name
    return next((key for key in obj if key.lower() == name.lower()), name)


def _apply_path(resource: Resource, op: str, target: PatchPath, value: Any, rules: _Rules,
                *, lenient: bool) -> None:
    urn, attr, flt, sub = target
    if urn is not None and flt is None and sub is None and _SCHEMA_NAME.match(attr):
        return _apply_schema(resource, op, f"{urn}:{attr}", value, rules, lenient)
    if not _mutable(resource, target, value, rules.read_only, lenient):
        return
    container = _container(resource, urn, create=op != "remove")
    if container is None:
        return
    key = _key(container, attr)
    if flt is not None:
        _apply_filtered(container, key, op, flt, sub, value)
    elif sub is not None:
        _apply_sub(container, key, op, sub, value, rules.multi_valued)
    elif op == "remove":
        _remove(container, key, value)
    else:
        _put(container, key, op, _coerce(attr, value), rules.multi_valued)


def _apply_schema(resource: Resource, op: str, urn: str, value: Any, rules: _Rules, lenient: bool) -> None:
    """A whole extension as the path, e.g. `urn:...:enterprise:2.0:User` with an object of its attributes."""
    core = urn.lower().startswith(CORE_SCHEMA_PREFIX)
    if op == "remove":
        if core:
            raise PatchError("invalidPath", "the core schema cannot be removed")
        for name in list(_get_dict(resource, urn) or {}):
            _apply_path(resource, "remove", PatchPath(urn, name, None, None), _NO_VALUE, rules, lenient=False)
        resource.pop(_key(resource, urn), None)
        if isinstance(resource.get("schemas"), list):
            resource["schemas"] = [s for s in resource["schemas"] if str(s).lower() != urn.lower()]
        return
    if not isinstance(value, dict):
        raise PatchError("invalidValue", f"the value for {urn} must be an object of its attributes")
    for name, item in value.items():
        _apply_path(resource, op, PatchPath(None if core else urn, name, None, None), item, rules,
                    lenient=lenient)


def _mutable(resource: Resource, target: PatchPath, value: Any, read_only: ReadOnly, lenient: bool) -> bool:
    """False to skip silently: a no-path merge may echo a read-only attribute with its current value."""
    names = [target.attr.lower()] + ([f"{target.attr}.{target.sub}".lower()] if target.sub else [])
    if not any(read_only(name) for name in names):
        return True
    if lenient and _peek(resource, target) == value:
        return False
    raise PatchError("mutability", f"{target.attr}{'.' + target.sub if target.sub else ''} is read-only")


def _peek(resource: Resource, target: PatchPath) -> Any:
    container = resource if target.urn is None else _get_dict(resource, target.urn)
    current = (container or {}).get(_key(container or {}, target.attr))
    if target.sub is not None:
        return current.get(_key(current, target.sub)) if isinstance(current, dict) else None
    return current


def _get_dict(resource: Resource, name: str) -> Optional[Dict[str, Any]]:
    found = resource.get(_key(resource, name))
    return found if isinstance(found, dict) else None


def _container(resource: Resource, urn: Optional[str], *, create: bool) -> Optional[Dict[str, Any]]:
    if urn is None:
        return resource
    key = _key(resource, urn)
    if key in resource:
        if not isinstance(resource[key], dict):
            raise PatchError("invalidValue", f"{key} is not an extension object")
        return resource[key]  # type: ignore[no-any-return]
    if urn.lower().startswith(CORE_SCHEMA_PREFIX):
        return resource
    if not create:
        return None
    schemas = resource.get("schemas")
    if isinstance(schemas, list):
        key = next((s for s in schemas if isinstance(s, str) and s.lower() == urn.lower()), urn)
        if key not in schemas:
            schemas.append(key)
    resource[key] = {}
    return resource[key]  # type: ignore[no-any-return]


def _coerce(attr: str, value: Any) -> Any:
    """Entra sends `"active": "False"` and a bare manager id; store what the schema means."""
    if attr.lower() == "active" and isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if attr.lower() == "manager" and isinstance(value, str):
        return {"value": value}
    return value


def _covers(existing: Any, new: Any) -> bool:
    """An element already holding every sub-attribute of `new` makes adding `new` a no-op."""
    if isinstance(existing, dict) and isinstance(new, dict):
        return all(_key(existing, k) in existing and existing[_key(existing, k)] == v for k, v in new.items())
    return bool(existing == new)


def _set_or_drop(container: Dict[str, Any], key: str, value: Any) -> None:
    if value is None or value == [] or value == {}:  # RFC 7643 §2.5: empty means unassigned
        container.pop(key, None)
    else:
        container[key] = value


def _put(container: Dict[str, Any], key: str, op: str, value: Any, multi_valued: MultiValued) -> None:
    current = container.get(key)
    if isinstance(current, list) or multi_valued(key) or isinstance(value, list):
        merged: List[Any] = list(current) if op == "add" and isinstance(current, list) else []
        for item in value if isinstance(value, list) else [value]:
            if item is not None and not any(_covers(old, item) for old in merged):
                merged.append(item)
        _set_or_drop(container, key, merged)
    elif isinstance(current, dict) and isinstance(value, dict):
        for name, item in value.items():
            _set_or_drop(current, _key(current, name), item)
        _set_or_drop(container, key, current)
    else:
        _set_or_drop(container, key, value)


def _remove(container: Dict[str, Any], key: str, value: Any) -> None:
    current = container.get(key)
    if value is _NO_VALUE or value is None or not isinstance(current, list):
        container.pop(key, None)
        return
    # Azure removes members with path "members" and the members to drop as the value.
    doomed = value if isinstance(value, list) else [value]
    _set_or_drop(container, key, [old for old in current if not any(_covers(old, item) for item in doomed)])


def _apply_sub(container: Dict[str, Any], key: str, op: str, sub: str, value: Any,
               multi_valued: MultiValued) -> None:
    current = container.get(key)
    if isinstance(current, list) or multi_valued(key):
        raise PatchError("invalidPath", f'{key} is multi-valued: select elements, e.g. {key}[type eq "work"].{sub}')
    if current is None and op == "remove":
        return
    if current is not None and not isinstance(current, dict):
        raise PatchError("invalidPath", f"{key} has no sub-attributes")
    element = current if isinstance(current, dict) else {}
    _set_or_drop(element, _key(element, sub), None if op == "remove" else value)
    _set_or_drop(container, key, element)


def _apply_filtered(container: Dict[str, Any], key: str, op: str, flt: Node, sub: Optional[str], value: Any) -> None:
    current = container.get(key)
    current = [] if current is None else current
    if not isinstance(current, list):
        raise PatchError("invalidPath", f"{key} is not multi-valued, so it cannot take a value filter")
    selector = ValuePath(AttrPath(key), flt)
    hits = [i for i, item in enumerate(current) if isinstance(item, dict) and matches(selector, {key: [item]})]
    if op == "remove" and sub is None:
        return _set_or_drop(container, key, [item for i, item in enumerate(current) if i not in hits])
    if op == "remove":
        for i in hits:
            current[i].pop(_key(current[i], sub or ""), None)
        return None
    if sub is None and not isinstance(value, dict):
        raise PatchError("invalidValue", f"the value for a filtered {key} path must be an object")
    constraints = _eq_constraints(flt)
    if not hits:
        # RFC 7644 says noTarget; Entra's `replace phoneNumbers[type eq "mobile"].value` expects a new element.
        if constraints is None:
            raise PatchError("noTarget", f"no element of {key} matches the filter")
        current = current + [dict(constraints)]
        hits = [len(current) - 1]
    for i in hits:
        if sub is not None:
            _set_or_drop(current[i], _key(current[i], sub), value)
        elif op == "replace":
            current[i] = {**(constraints or {}), **value}
        else:
            current[i].update({_key(current[i], k): v for k, v in value.items()})
    _set_or_drop(container, key, current)


def _eq_constraints(flt: Node) -> Optional[Dict[str, Any]]:
    """The element a filter such as `type eq "work" and primary eq true` describes, if it is that simple."""
    terms = flt.terms if isinstance(flt, And) else (flt,)
    if all(isinstance(t, Compare) and t.op == "eq" and t.path.urn is None and t.path.sub is None
           and t.value is not None for t in terms):
        return {t.path.attr: t.value for t in terms if isinstance(t, Compare)}
    return None
