"""SCIM filters (RFC 7644 §3.4.2.2 plus Genesys' unquoted values): evaluate and serialize the
trees that filter_syntax.py parses (its names are re-exported here)."""

from __future__ import annotations

import json
from typing import Any, Callable, List

from .filter_syntax import (
    CORE_URN, GENESYS_URN, STRING_OPERATORS, And, AttrPath, Compare, FilterError, Node, Not, Or, PatchPath, Present,
    Value, ValuePath, parse, parse_path,
)

CaseExact = Callable[[str], bool]

__all__ = [
    "FilterError", "AttrPath", "Compare", "Present", "Not", "And", "Or", "ValuePath", "Node",
    "PatchPath", "parse", "parse_path", "matches", "to_text", "is_documented_genesys_form",
    "default_case_exact", "compared_values",
]


# -- evaluation -------------------------------------------------------------------------------
_DEFAULT_CASE_EXACT = frozenset({"id", "externalid", "members.value", "groups.value", "manager.value"})
_ALIASES = {"email": AttrPath("emails", "value")}  # Genesys documents `email eq <address>`


def default_case_exact(path: str) -> bool:
    return path in _DEFAULT_CASE_EXACT


def matches(node: Node, resource: dict[str, Any], *, case_exact: CaseExact = default_case_exact) -> bool:
    """Whether a resource (a JSON dict in wire form) satisfies a parsed filter.

    A multi-valued attribute matches if any element does; a complex value compares its `value`.
    A missing attribute makes every comparison false (`ne` too) and `pr` false; only
    `eq null` is true for it. `not` inverts, so `not (x eq 1)` is true when x is missing.
    Unqualified names fall back to extension attributes (`manager`, `division`), and `email`
    means `emails.value`. Ordering compares text with text and numbers with numbers; a pair of
    other types never matches. Booleans cannot be ordered: `parse` refuses `gt true`.
    """
    return _eval(node, resource, case_exact, "")


def compared_values(resource: dict[str, Any], path: AttrPath) -> List[Any]:
    """The values a top-level comparison on `path` compares in a resource, complex values
    through their `value` (what an index of `path` holds: sandbox/lookups.py)."""
    found = []
    for value in _values(resource, path, True):
        if isinstance(value, dict):
            value = _get(value, "value")
        if value is not None:
            found.append(value)
    return found


def _get(obj: dict[str, Any], name: str) -> Any:
    if name in obj:
        return obj[name]
    lowered = name.lower()
    for key, value in obj.items():
        if key.lower() == lowered:
            return value
    return None


def _values(obj: dict[str, Any], path: AttrPath, top: bool) -> List[Any]:
    container: Any = obj
    if path.urn is not None:
        container = _get(obj, path.urn)
        if container is None and path.urn.lower().startswith(CORE_URN):
            container = obj
    if not isinstance(container, dict):
        return []
    value = _get(container, path.attr)
    if value is None and top and path.urn is None:
        # An unqualified extension attribute (`manager`, `division`) as Genesys documents them.
        for key, ext in obj.items():
            if value is None and key[:4].lower() == "urn:" and isinstance(ext, dict):
                value = _get(ext, path.attr)
    items = value if isinstance(value, list) else [value]
    if path.sub is not None:
        subs = [_get(item, path.sub) for item in items if isinstance(item, dict)]
        items = [x for sub in subs for x in (sub if isinstance(sub, list) else [sub])]
    return [item for item in items if item is not None]


def _eval(node: Node, obj: dict[str, Any], case_exact: CaseExact, prefix: str) -> bool:
    if isinstance(node, Compare):
        return _eval_compare(node, obj, case_exact, prefix)
    if isinstance(node, And):
        return all(_eval(term, obj, case_exact, prefix) for term in node.terms)
    if isinstance(node, Or):
        return any(_eval(term, obj, case_exact, prefix) for term in node.terms)
    if isinstance(node, Not):
        return not _eval(node.expr, obj, case_exact, prefix)
    if isinstance(node, Present):
        return any(_present(value) for value in _values(obj, node.path, not prefix))
    inner = f"{prefix}{node.path.attr.lower()}."
    return any(isinstance(item, dict) and _eval(node.filter, item, case_exact, inner)
               for item in _values(obj, node.path, not prefix))


def _present(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_present(v) for v in value.values())
    return value is not None and value != "" and value != []


def _eval_compare(node: Compare, obj: dict[str, Any], case_exact: CaseExact, prefix: str) -> bool:
    path = node.path
    if not prefix and path.urn is None and path.sub is None and path.attr.lower() in _ALIASES:
        if _get(obj, path.attr) is None:
            path = _ALIASES[path.attr.lower()]
    name = prefix + path.attr.lower() + (f".{path.sub.lower()}" if path.sub else "")
    values = _values(obj, path, not prefix)
    if node.value is None:
        return (not values) if node.op == "eq" else bool(values) if node.op == "ne" else False
    for value in values:
        exact_name = name
        if isinstance(value, dict):  # a complex value compares through its `value` sub-attribute
            value, exact_name = _get(value, "value"), f"{name}.value"
        if value is not None and _compare(node.op, value, node.value, case_exact, exact_name):
            return True
    return False


def _compare(op: str, actual: Any, expected: Value, case_exact: CaseExact, name: str) -> bool:
    if op == "ne":
        return not _compare("eq", actual, expected, case_exact, name)
    if isinstance(expected, bool) or isinstance(actual, bool):
        return op == "eq" and isinstance(actual, bool) and actual is expected
    if op == "eq" and isinstance(actual, str) and isinstance(expected, (int, float)):
        expected = json.dumps(expected)  # `employeeNumber eq 1234` written unquoted, stored as text
    if isinstance(expected, str):
        if not isinstance(actual, str):
            return False
        if not case_exact(name):
            actual, expected = actual.casefold(), expected.casefold()
        return _OPS[op](actual, expected)
    if isinstance(actual, (int, float)) and op not in STRING_OPERATORS:
        return _OPS[op](actual, expected)
    return False


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: bool(a == b), "co": lambda a, b: bool(b in a),
    "sw": lambda a, b: bool(a.startswith(b)), "ew": lambda a, b: bool(a.endswith(b)),
    "gt": lambda a, b: bool(a > b), "ge": lambda a, b: bool(a >= b),
    "lt": lambda a, b: bool(a < b), "le": lambda a, b: bool(a <= b),
}


# -- serialization and the Genesys profile ----------------------------------------------------
def to_text(node: Node) -> str:
    """Canonical filter text: strings JSON-quoted, keywords lower case, minimal parentheses."""
    if isinstance(node, Compare):
        return f"{node.path} {node.op} {json.dumps(node.value, ensure_ascii=False)}"
    if isinstance(node, Present):
        return f"{node.path} pr"
    if isinstance(node, Not):
        return f"not ({to_text(node.expr)})"
    if isinstance(node, ValuePath):
        return f"{node.path}[{to_text(node.filter)}]"
    joiner = " and " if isinstance(node, And) else " or "
    return joiner.join(f"({to_text(t)})" if isinstance(t, (Or, type(node))) else to_text(t) for t in node.terms)


_DOCUMENTED_EQ = frozenset({"id", "username", "email", "manager", "division", "externalid", "active",
                            "employeenumber", "displayname"})


def is_documented_genesys_form(node: Node) -> bool:
    """True for the filters Genesys documents: one `eq` on a documented attribute, or externalIds[...]."""
    if isinstance(node, Compare):
        return _plain(node.path) and node.op == "eq" and node.path.attr.lower() in _DOCUMENTED_EQ
    if not isinstance(node, ValuePath) or (node.path.urn or "").lower() != GENESYS_URN:
        return False
    terms = node.filter.terms if isinstance(node.filter, And) else ()
    names = sorted(t.path.attr.lower() for t in terms
                   if isinstance(t, Compare) and t.op == "eq" and _plain(t.path))
    return node.path.attr.lower() == "externalids" and len(terms) == 2 and names == ["authority", "value"]


def _plain(path: AttrPath) -> bool:
    return path.urn is None and path.sub is None
