"""Build SCIM filters (RFC 7644 §3.4.2.2) whose values are always quoted and escaped.

    from PureCloudPlatformClientV2.filters import F, enterprise

    F("userName").eq('jane@example.com')                    # userName eq "jane@example.com"
    F("emails").where(F("type").eq("work") & F("value").ew("@example.com"))
    enterprise("employeeNumber").eq("42") | F("active").eq(False)
    ~F("title").pr()                                        # not (title pr)

A `Filter` is a `str` holding the filter text, so it can be passed wherever a filter string is
accepted (`api.get_scim_v2_users(f)`); `str(f)` is the same text. Never build filters with
f-strings: a value containing `"` can change what the filter selects (see docs/cookbook.md).
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re

from .urns import ENTERPRISE_USER_URN, GENESYS_USER_URN

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Union

    Value = Union[str, int, float, bool, None, _dt.datetime, _dt.date]

__all__ = ["F", "Filter", "and_", "or_", "not_", "enterprise", "genesys", "ENTERPRISE_USER_URN", "GENESYS_USER_URN"]

_NAME = r"[A-Za-z][A-Za-z0-9_-]*"  # RFC 7644 ATTRNAME
_SUB = rf"(?:{_NAME}|\$ref)"  # `$ref` is the one sub-attribute name outside ATTRNAME (RFC 7643 §2.4)
_URN = r"urn:[A-Za-z0-9][A-Za-z0-9._-]*(?::[A-Za-z0-9._-]+)*"
ATTR_PATH = re.compile(rf"(?:(?i:{_URN}):)?{_NAME}(?:\.{_SUB})?")
_NAME_ONLY = re.compile(rf"{_NAME}(?:\.{_SUB})?")
# Code points JSON allows raw but that confuse logs and line-based tools: DEL, C1 controls, LS, PS.
_INVISIBLE = re.compile("[\x7f-\x9f\u2028\u2029]")

# Precedence of what a Filter's text is at its top level; a lower one needs parentheses inside a
# higher one. Text built elsewhere (`Filter("...")`) is unknown, so it is always grouped.
_UNKNOWN, _OR, _AND, _ATOM = 0, 1, 2, 3


class Filter(str):
    """A SCIM filter: the filter text itself, plus how to combine it.

    `a & b`, `a | b` and `~a` (or `and_`, `or_`, `not_`) combine filters, adding parentheses
    where precedence (`not` > `and` > `or`) needs them. Only filters combine with filters:
    plain strings are refused, so unescaped text cannot slip in.
    """

    _level = _UNKNOWN
    _value_path = True  # unknown text may contain `[...]`, which cannot nest inside another

    @classmethod
    def _make(cls, text: str, level: int, value_path: bool) -> Filter:
        made = cls(text)
        made._level, made._value_path = level, value_path
        return made

    def __and__(self, other: Filter) -> Filter:
        return and_(self, other) if isinstance(other, Filter) else NotImplemented

    def __or__(self, other: Filter) -> Filter:
        return or_(self, other) if isinstance(other, Filter) else NotImplemented

    def __invert__(self) -> Filter:
        return not_(self)

    def __repr__(self) -> str:
        return f"Filter({str.__repr__(self)})"


def and_(*filters: Filter) -> Filter:
    """All of `filters` (`a and b and ...`); `or` parts are parenthesised."""
    return _join("and", _AND, filters)


def or_(*filters: Filter) -> Filter:
    """Any of `filters` (`a or b or ...`)."""
    return _join("or", _OR, filters)


def not_(inner: Filter) -> Filter:
    """The negation `not (inner)`."""
    _check_filter(inner)
    return Filter._make(f"not ({inner})", _ATOM, inner._value_path)


def _join(word: str, level: int, filters: tuple[Filter, ...]) -> Filter:
    if not filters:
        raise ValueError(f"{word}_() needs at least one filter")
    for part in filters:
        _check_filter(part)
    if len(filters) == 1:
        return filters[0]
    text = f" {word} ".join(part if part._level >= level else f"({part})" for part in filters)
    return Filter._make(text, level, any(part._value_path for part in filters))


def _check_filter(value: object) -> None:
    if not isinstance(value, Filter):
        raise TypeError(f"expected a Filter (build one with F(...)), got {type(value).__name__}")


class F:
    """An attribute path: `userName`, `name.givenName`, `emails`, or URN-qualified such as
    `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber`.

    Its methods make filters: `eq ne co sw ew gt ge lt le` compare with a value, `pr()` tests
    presence, `where(filter)` selects values of a multi-valued attribute (`emails[type eq "work"]`).
    A name that is not a valid SCIM attribute path raises ValueError.
    """

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        if not isinstance(path, str):
            raise TypeError(f"an attribute path must be a str, got {type(path).__name__}")
        if not ATTR_PATH.fullmatch(path):
            raise ValueError(f"not a SCIM attribute path: {path!r}")
        self.path = path

    @classmethod
    def attr(cls, path: str) -> F:
        """The same as `F(path)`, for code that reads better spelled out."""
        return cls(path)

    def __str__(self) -> str:
        return self.path

    def __repr__(self) -> str:
        return f"F({self.path!r})"

    # -- comparisons --------------------------------------------------------------------
    def eq(self, value: Value) -> Filter:
        """Equal; `None` is `null`, booleans and numbers are JSON literals."""
        return self._compare("eq", value)

    def ne(self, value: Value) -> Filter:
        return self._compare("ne", value)

    def co(self, value: str) -> Filter:
        """Contains (text only)."""
        return self._compare("co", value)

    def sw(self, value: str) -> Filter:
        """Starts with (text only)."""
        return self._compare("sw", value)

    def ew(self, value: str) -> Filter:
        """Ends with (text only)."""
        return self._compare("ew", value)

    def gt(self, value: str | int | float | _dt.datetime | _dt.date) -> Filter:
        return self._compare("gt", value)

    def ge(self, value: str | int | float | _dt.datetime | _dt.date) -> Filter:
        return self._compare("ge", value)

    def lt(self, value: str | int | float | _dt.datetime | _dt.date) -> Filter:
        return self._compare("lt", value)

    def le(self, value: str | int | float | _dt.datetime | _dt.date) -> Filter:
        return self._compare("le", value)

    def pr(self) -> Filter:
        """Present: the attribute has a non-empty value."""
        return Filter._make(f"{self.path} pr", _ATOM, False)

    def where(self, condition: Filter) -> Filter:
        """A value path: the values of this multi-valued attribute that match `condition`,
        e.g. `F("emails").where(F("type").eq("work"))` is `emails[type eq "work"]`. Also usable
        as a PATCH path (see `patch.Patch`)."""
        _check_filter(condition)
        if "." in self.path.rpartition(":")[2]:
            raise ValueError(f"a value path needs an attribute without sub-attribute, got {self.path!r}")
        if condition._value_path:
            raise ValueError("value paths cannot be nested: the condition already contains [...]")
        return Filter._make(f"{self.path}[{condition}]", _ATOM, True)

    def _compare(self, op: str, value: object) -> Filter:
        return Filter._make(f"{self.path} {op} {literal(value, op)}", _ATOM, False)


def literal(value: object, op: str = "eq") -> str:
    """`value` as a SCIM filter literal: a JSON string (escaped), number, `true`/`false` or `null`.

    Datetimes become ISO 8601 strings in UTC (`"2024-05-06T07:08:09.000Z"`; naive ones are taken
    as UTC), dates `"YYYY-MM-DD"`. `co`/`sw`/`ew` take text only; `gt`/`ge`/`lt`/`le` refuse
    booleans and `null` (RFC 7644 answers 400 invalidFilter for those)."""
    if op in ("co", "sw", "ew") and not isinstance(value, str):
        raise TypeError(f"`{op}` compares text, got {type(value).__name__}")
    if op in ("gt", "ge", "lt", "le") and (value is None or isinstance(value, bool)):
        raise TypeError(f"`{op}` cannot compare with {json.dumps(value)}")
    if value is None or isinstance(value, (bool, int)):
        return json.dumps(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} is not a JSON number")
        return json.dumps(value)
    if isinstance(value, _dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=_dt.timezone.utc)
        value = aware.astimezone(_dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    elif isinstance(value, _dt.date):
        value = value.isoformat()
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)  # escapes `"`, `\` and control characters
        return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    raise TypeError(f"{type(value).__name__} values cannot be used in a SCIM filter")


def enterprise(attribute: str) -> F:
    """An attribute of the enterprise extension, e.g. `enterprise("employeeNumber")`."""
    return _extension(ENTERPRISE_USER_URN, attribute)


def genesys(attribute: str) -> F:
    """An attribute of the Genesys extension, e.g. `genesys("routingSkills")`."""
    return _extension(GENESYS_USER_URN, attribute)


def _extension(urn: str, attribute: str) -> F:
    if not isinstance(attribute, str) or not _NAME_ONLY.fullmatch(attribute):
        raise ValueError(f"not a SCIM attribute name: {attribute!r}")
    return F(f"{urn}:{attribute}")
