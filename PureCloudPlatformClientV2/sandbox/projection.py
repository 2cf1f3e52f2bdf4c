"""`attributes` / `excludedAttributes` (RFC 7644 §3.9) applied to one wire-form resource."""

from __future__ import annotations

import copy
from typing import Any

from .schemas import always_returned, extension_urns, known_urns


def split_names(raw: str | None) -> list[str]:
    return [name.strip() for name in (raw or "").split(",") if name.strip()]


def project(resource: dict[str, Any], kind: str, attributes: list[str], excluded: list[str]) -> dict[str, Any]:
    if attributes:
        out: dict[str, Any] = {}
        for name in attributes:
            _merge(out, _select(resource, _locate(resource, name)))
        for key in always_returned(kind):
            if key in resource:
                out[key] = resource[key]
        return _trim_schemas({k: out[k] for k in resource if k in out})  # keep the resource's key order
    if excluded:
        out = copy.deepcopy(resource)
        for name in excluded:
            parts = _locate(resource, name)
            if parts and not (len(parts) == 1 and parts[0] in always_returned(kind)):
                _remove(out, parts)
        return _trim_schemas(out)
    return resource


def _trim_schemas(resource: dict[str, Any]) -> dict[str, Any]:
    """List an extension URN in `schemas` only while its object is still in the resource."""
    if "schemas" in resource:
        extensions = extension_urns()
        resource["schemas"] = [s for s in resource["schemas"] if s not in extensions or s in resource]
    return resource


def _locate(resource: dict[str, Any], name: str) -> list[str]:
    """The key path of `name` in the resource: URN prefixes resolve into extension objects,
    names match case-insensitively, and a bare name not in the core is looked up in extensions."""
    lowered = name.lower()
    extensions = extension_urns()
    for urn in known_urns():
        if lowered == urn.lower():
            return [urn] if urn in extensions else []
        if lowered.startswith(urn.lower() + ":"):
            rest = name[len(urn) + 1:].split(".")
            return _resolve(resource.get(urn, {}), rest, [urn]) if urn in extensions else _resolve(resource, rest, [])
    parts = name.split(".")
    found = _resolve(resource, parts, [])
    for urn in extensions:
        if not found and isinstance(resource.get(urn), dict):
            found = _resolve(resource[urn], parts, [urn])
    return found


def _resolve(container: Any, parts: list[str], prefix: list[str]) -> list[str]:
    path = list(prefix)
    for part in parts:
        if isinstance(container, list):
            container = container[0] if container and isinstance(container[0], dict) else {}
        key = next((k for k in container if k.lower() == part.lower()), None) if isinstance(container, dict) else None
        if key is None:
            return []
        path.append(key)
        container = container[key]
    return path


def _select(value: Any, parts: list[str]) -> Any:
    """A copy of `value` holding only the attribute at `parts` ({} when absent)."""
    if not parts:
        return copy.deepcopy(value)
    if isinstance(value, list):
        return [_select(item, parts) for item in value]
    if not isinstance(value, dict) or parts[0] not in value:
        return {}
    return {parts[0]: _select(value[parts[0]], parts[1:])}


def _merge(into: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        elif isinstance(value, list) and isinstance(into.get(key), list) and len(value) == len(into[key]):
            for mine, theirs in zip(into[key], value):
                if isinstance(mine, dict) and isinstance(theirs, dict):
                    _merge(mine, theirs)
        else:
            into[key] = value


def _remove(value: Any, parts: list[str]) -> None:
    if isinstance(value, list):
        for item in value:
            _remove(item, parts)
    elif isinstance(value, dict) and parts[0] in value:
        if len(parts) == 1:
            del value[parts[0]]
        else:
            _remove(value[parts[0]], parts[1:])
