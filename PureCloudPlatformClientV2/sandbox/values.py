"""Checked readers for client-supplied attribute values; each failure is a 400 invalidValue."""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable

from .._decode import parse_datetime
from .errors import invalid_value


def lower_keys(body: dict[str, Any]) -> dict[str, Any]:
    """Attribute names are case-insensitive (RFC 7643 §2.1): index them lower-cased."""
    return {str(k).lower(): v for k, v in body.items()}


def string(body: dict[str, Any], key: str, label: str, *, required: bool = False) -> str | None:
    return text(body.get(key.lower()), label, required=required)


def text(value: Any, label: str, *, required: bool = False) -> str | None:
    """A string attribute's value; None when absent or empty (RFC 7643 §2.5: unassigned)."""
    if value is None or value == "":
        if required:
            raise invalid_value(f"{label} is required")
        return None
    if not isinstance(value, str):
        raise invalid_value(f"{label} must be a string")
    return value


def boolean(value: Any, label: str) -> bool:
    # Entra sends "True"/"False" strings in PATCH values, so those are accepted too
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise invalid_value(f"{label} must be a boolean")


def objects(value: Any, label: str) -> list[dict[str, Any]]:
    """A multi-valued complex attribute: a list of objects (a single object is taken as a list of one)."""
    if value is None:
        return []
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise invalid_value(f"{label} must be a list of objects")
    return [lower_keys(item) for item in value]


def number(value: Any, label: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise invalid_value(f"{label} must be a number")
    if not low <= value <= high:
        raise invalid_value(f"{label} must be between {low} and {high}")
    return float(value)


def named(value: str, names: Iterable[str], label: str, *, case_exact: bool) -> str:
    """A name that must exist in the seeded catalog; returns the catalog's spelling."""
    for name in names:
        if name == value or (not case_exact and name.lower() == value.lower()):
            return name
    raise invalid_value(f"{label} {value!r} does not exist")


def iso_date(value: str, label: str) -> str:
    """ISO-8601 date or date-time -> YYYY-MM-DD (Genesys returns dateHire that way)."""
    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
        return parse_datetime(value).date().isoformat()  # the same forms on every Python
    except ValueError:
        raise invalid_value(f"{label} must be an ISO-8601 date, not {value!r}") from None


def last_per(items: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Keep the last item for each `key` value (Genesys has one slot per phone type, skill, ...)."""
    chosen: dict[Any, dict[str, Any]] = {}
    for item in items:
        chosen.pop(item.get(key), None)
        chosen[item.get(key)] = item
    return list(chosen.values())
