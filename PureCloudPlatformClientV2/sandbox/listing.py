"""List queries: startIndex/count/filter/attributes parsing, filtering and the ListResponse page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ..urns import LIST_RESPONSE_URN
from . import filters, schemas
from .errors import PlatformError, ScimError, invalid_value
from .projection import project, split_names

DEFAULT_COUNT = 25
GENESYS_SAFE_COUNT = 25  # Genesys: larger pages without attribute pruning may answer 429
INTEGER_RANGE = (-(2**63), 2**63 - 1)  # SQLite's INTEGER; startIndex and count outside it are refused


@dataclass
class ListQuery:
    start_index: int = 1
    count: int = DEFAULT_COUNT
    filter: Any = None  # a parsed filters.Node, or None
    attributes: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)


def parse_query(params: Mapping[str, str], *, max_count: int, strict: bool, page_limit_429: bool) -> ListQuery:
    query = ListQuery(attributes=split_names(params.get("attributes")),
                      excluded=split_names(params.get("excludedattributes")))
    query.start_index = max(1, _integer(params, "startIndex", 1))  # RFC 7644 §3.4.2.4: < 1 means 1
    query.count = min(max(0, _integer(params, "count", DEFAULT_COUNT)), max_count)
    requested = _integer(params, "count", DEFAULT_COUNT)
    if page_limit_429 and requested > GENESYS_SAFE_COUNT and not (query.attributes or query.excluded):
        raise PlatformError(429, "too.many.requests",
                            f"A page size of {requested} without attributes or excludedAttributes exceeds internal "
                            "resource limits; use a page size of 25 or prune secondary attributes",
                            {"Retry-After": "1"})
    text = params.get("filter")
    if text:
        query.filter = parse_filter(text, strict=strict)
    return query


def parse_filter(text: str, *, strict: bool) -> Any:
    try:
        node = filters.parse(text)
    except filters.FilterError as error:
        raise ScimError(400, f"Invalid filter {text!r}: {error}", "invalidFilter") from None
    if strict and not filters.is_documented_genesys_form(node):
        raise ScimError(400, f"Filter {text!r} is not one of the forms Genesys documents "
                             "(profile genesys-strict)", "invalidFilter")
    return node


def _integer(params: Mapping[str, str], name: str, default: int) -> int:
    raw = params.get(name.lower())
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid_value(f"{name} must be an integer, not {raw!r}") from None
    low, high = INTEGER_RANGE
    if not low <= value <= high:
        raise invalid_value(f"{name} must be between {low} and {high}, not {raw}")
    return value


def select(resources: list[dict[str, Any]], query: ListQuery, kind: str) -> list[dict[str, Any]]:
    """The resources the filter matches (filters.py resolves Genesys' short names like `division`)."""
    if query.filter is None:
        return resources
    case_exact = lambda path: schemas.is_case_exact(kind, path)  # noqa: E731
    try:
        return [r for r in resources if filters.matches(query.filter, r, case_exact=case_exact)]
    except filters.FilterError as error:
        raise ScimError(400, f"Invalid filter: {error}", "invalidFilter") from None


def window(matched: list[dict[str, Any]], query: ListQuery) -> list[dict[str, Any]]:
    return matched[query.start_index - 1: query.start_index - 1 + query.count]


def page(items: list[dict[str, Any]], total: int, query: ListQuery, kind: str) -> dict[str, Any]:
    """A ListResponse holding `items` (already windowed), projected as the query asks."""
    return {
        "schemas": [LIST_RESPONSE_URN],
        "totalResults": total,
        "startIndex": query.start_index,
        "itemsPerPage": len(items),
        "Resources": [project(r, kind, query.attributes, query.excluded) for r in items],
    }
