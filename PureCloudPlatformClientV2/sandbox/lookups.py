"""Which list filters the store answers from its indexes, and the keys each record is filed under.

A record is filed under the case-folded text of each value a filter would compare for the
indexed attributes (found in its rendered form by the filter's own rules), and a filter's
`eq` on one of them looks up the case-folded value. Equal text folds equal, so the records
found are all that can match (case-exact attributes too); the filter itself then decides
among them. What is answered so:

- `eq` with a text value on userName, externalId, emails / emails.value / email, id
  (users) and displayName, id (groups); alone, and-ed with anything, or or-ed with others
  of these. Names are unqualified (no URN prefix).
- `active eq true|false` alone (users): counted and paged in SQL, like the unfiltered list
  (the store's `active` column is the user's `active`: the directory writes both).

Everything else (`co`/`sw`/`ew`, `ne`, `not`, `pr`, ordering, value filters `emails[...]`,
URN-qualified names, other attributes, numbers) reads every live record.
"""

from __future__ import annotations

from typing import Any, Optional

from . import filters, groups, users
from .store import Record

INDEXED = {
    "users": ("userName", "externalId", "emails.value", "id"),
    "groups": ("displayName", "id"),
}
# Filter names answered by another index: an `emails` value compares its `value`, and
# `email` means `emails.value` (Genesys' short name; the description has no `email`).
SAME_AS = {"users": {"emails": "emails.value", "email": "emails.value"}, "groups": {}}
_PATHS = {kind: [(name.lower(), filters.AttrPath(*name.split("."))) for name in names]
          for kind, names in INDEXED.items()}


def keys_of(kind: str, record: Record) -> list[tuple[str, str]]:
    """The (name, key) pairs a record is filed under (see the module)."""
    rendered = users.render(record, "", []) if kind == "users" else groups.render(record, "")
    return [(name, value.casefold()) for name, path in _PATHS[kind]
            for value in filters.compared_values(rendered, path) if isinstance(value, str)]


def keys_for(kind: str, node: Any) -> Optional[list[tuple[str, str]]]:
    """The (name, key) pairs filed under by every record `node` can match, or None when the
    indexes cannot narrow it down."""
    if isinstance(node, filters.Compare):
        path = node.path
        if node.op != "eq" or not isinstance(node.value, str) or path.urn is not None:
            return None
        name = path.attr.lower() + (f".{path.sub.lower()}" if path.sub else "")
        name = SAME_AS[kind].get(name, name)
        return [(name, node.value.casefold())] if any(name == indexed for indexed, _ in _PATHS[kind]) else None
    if isinstance(node, filters.And):  # each term must hold: one narrowed term is enough
        return next((keys for keys in (keys_for(kind, term) for term in node.terms) if keys is not None), None)
    if isinstance(node, filters.Or):  # any term may hold: every term must be narrowed
        found: list[tuple[str, str]] = []
        for term in node.terms:
            keys = keys_for(kind, term)
            if keys is None:
                return None
            found.extend(keys)
        return found
    return None


def active_only(node: Any) -> Optional[bool]:
    """True or False for `active eq true|false` (the users whose `active` is that), else None."""
    if (isinstance(node, filters.Compare) and node.op == "eq" and isinstance(node.value, bool)
            and node.path.urn is None and node.path.sub is None and node.path.attr.lower() == "active"):
        return node.value
    return None
