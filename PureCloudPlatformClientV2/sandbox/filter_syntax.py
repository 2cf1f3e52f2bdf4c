"""SCIM filter syntax (RFC 7644 §3.4.2.2 plus Genesys' unquoted values): the tree, and the parser
that builds it from filter text and PATCH paths. Evaluation and serialization: filters.py."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import List, NamedTuple, Optional, Tuple, Union

from ..urns import CORE_SCHEMA_PREFIX, GENESYS_USER_URN

__all__ = ["FilterError", "AttrPath", "Compare", "Present", "Not", "And", "Or", "ValuePath", "Node", "PatchPath",
           "parse", "parse_path"]

Value = Union[str, int, float, bool, None]

OPERATORS = ("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le")
STRING_OPERATORS = ("co", "sw", "ew")
ORDER_OPERATORS = ("gt", "ge", "lt", "le")
MAX_DEPTH = 40  # parentheses, `not` and brackets; keeps recursion far from Python's limit

_WS = " \t\f\r\n"
_WORD = re.compile(r"[A-Za-z0-9$_-]+")  # a keyword ends where a name character would follow
_ATTR = r"\$?[A-Za-z][A-Za-z0-9$_-]*"
_ATTR_RE = re.compile(_ATTR)
_ATTR_SUB_RE = re.compile(rf"({_ATTR})(?:\.({_ATTR}))?")
_URN_RE = re.compile(r"urn:[A-Za-z0-9][A-Za-z0-9._-]*(?::[A-Za-z0-9][A-Za-z0-9._-]*)*", re.I)
_PATH_RUN = re.compile(r"[A-Za-z0-9$_.-]*")
_URN_PATH_RUN = re.compile(r"[A-Za-z0-9$_.:-]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_BARE = re.compile(r"[^ \t\f\r\n()\[\]\"]+")
_JSON = json.JSONDecoder()  # its strict string scanner is exactly the RFC's JSON string literal
CORE_URN = CORE_SCHEMA_PREFIX  # compared with lower-cased paths, as is GENESYS_URN
GENESYS_URN = GENESYS_USER_URN.lower()


class FilterError(ValueError):
    """An invalid filter or path; `position` is the 0-based offset the message's column refers to."""

    def __init__(self, message: str, position: Optional[int] = None) -> None:
        self.position = position
        super().__init__(message if position is None else f"{message} at column {position + 1}")


@dataclass(frozen=True)
class AttrPath:
    attr: str
    sub: Optional[str] = None
    urn: Optional[str] = None

    def __str__(self) -> str:
        return (f"{self.urn}:" if self.urn else "") + self.attr + (f".{self.sub}" if self.sub else "")


@dataclass(frozen=True)
class Compare:
    path: AttrPath
    op: str  # lower case, one of OPERATORS
    value: Value


@dataclass(frozen=True)
class Present:
    path: AttrPath


@dataclass(frozen=True)
class Not:
    expr: Node


@dataclass(frozen=True)
class And:
    terms: Tuple[Node, ...]  # two or more, none of them an And (the parser flattens)


@dataclass(frozen=True)
class Or:
    terms: Tuple[Node, ...]  # two or more, none of them an Or


@dataclass(frozen=True)
class ValuePath:
    path: AttrPath  # never has a sub-attribute
    filter: Node


Node = Union[Compare, Present, Not, And, Or, ValuePath]


class PatchPath(NamedTuple):
    urn: Optional[str]
    attr: str
    filter: Optional[Node]
    sub: Optional[str]


def _join(kind: type[And] | type[Or], terms: List[Node]) -> Node:
    if len(terms) == 1:
        return terms[0]
    flat: List[Node] = []
    for term in terms:
        flat.extend(term.terms if isinstance(term, kind) else (term,))
    return kind(tuple(flat))


class _Parser:
    def __init__(self, text: str, bare_values: bool) -> None:
        self.text, self.pos, self.bare, self.depth, self.in_brackets = text, 0, bare_values, 0, False

    def skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in _WS:
            self.pos += 1

    def at_end(self) -> bool:
        self.skip()
        return self.pos >= len(self.text)

    def peek_word(self) -> str:
        self.skip()
        match = _WORD.match(self.text, self.pos)
        return match.group().lower() if match else ""

    def keyword(self, word: str) -> bool:
        if self.peek_word() != word:
            return False
        self.pos += len(word)
        return True

    def expect(self, char: str, what: str) -> None:
        self.skip()
        if not self.text.startswith(char, self.pos):
            raise FilterError(f"expected {what}, found {self.found()}", self.pos)
        self.pos += 1

    def found(self) -> str:
        rest = self.text[self.pos:self.pos + 12]
        return repr(rest) if rest else "the end"

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FilterError(f"the filter nests more than {MAX_DEPTH} levels deep", self.pos)

    def filter(self) -> Node:
        if self.at_end():
            raise FilterError("empty filter", self.pos)
        node = self.or_expr()
        if not self.at_end():
            char = self.text[self.pos]
            if char in ")]":
                raise FilterError(f"unbalanced {char!r}", self.pos)
            raise FilterError(f"expected 'and', 'or' or the end of the filter, found {self.found()}", self.pos)
        return node

    def or_expr(self) -> Node:
        terms = [self.and_expr()]
        while self.keyword("or"):
            terms.append(self.and_expr())
        return _join(Or, terms)

    def and_expr(self) -> Node:
        terms = [self.primary()]
        while self.keyword("and"):
            terms.append(self.primary())
        return _join(And, terms)

    def primary(self) -> Node:
        self.skip()
        if self.keyword("not"):
            self.nest()
            self.expect("(", "'(' after 'not'")
            node: Node = Not(self.or_expr())
            self.expect(")", "')' closing 'not ('")
        elif self.text.startswith("(", self.pos):
            self.nest()
            self.pos += 1
            node = self.or_expr()
            self.expect(")", "')'")
        else:
            return self.attr_expression()
        self.depth -= 1
        return node

    def attr_path(self) -> AttrPath:
        self.skip()
        start = self.pos
        is_urn = self.text[start:start + 4].lower() == "urn:"
        run = (_URN_PATH_RUN if is_urn else _PATH_RUN).match(self.text, start).group()  # type: ignore[union-attr]
        urn, _, name = run.rpartition(":")
        match = _ATTR_SUB_RE.fullmatch(name)
        if not run or not match or (is_urn and not _URN_RE.fullmatch(urn)):
            what = "an attribute path" if run else "an attribute name, 'not' or '('"
            raise FilterError(f"expected {what}, found {self.found()}", start)
        self.pos += len(run)
        return AttrPath(match.group(1), match.group(2), urn or None)

    def attr_expression(self) -> Node:
        start = self.pos
        path = self.attr_path()
        self.skip()
        if self.text.startswith("[", self.pos):
            if path.sub is not None:
                raise FilterError(f"a value filter cannot follow the sub-attribute {str(path)!r}", start)
            inner = self.brackets()
            self.skip()
            if not self.text.startswith(".", self.pos):
                return ValuePath(path, inner)
            # Entra sends emails[type eq "work"].value eq "x": read it as one value filter.
            self.pos += 1
            condition = self.condition(AttrPath(self.sub_attr()))
            return ValuePath(path, _join(And, [inner, condition]))
        return self.condition(path)

    def brackets(self) -> Node:
        if self.in_brackets:
            raise FilterError("value filters cannot be nested", self.pos)
        self.nest()
        self.pos += 1
        self.in_brackets = True
        inner = self.or_expr()
        self.in_brackets = False
        self.expect("]", "']' closing the value filter")
        self.depth -= 1
        return inner

    def sub_attr(self) -> str:
        self.skip()
        match = _ATTR_RE.match(self.text, self.pos)
        if not match:
            raise FilterError(f"expected a sub-attribute name, found {self.found()}", self.pos)
        self.pos = match.end()
        return match.group()

    def condition(self, path: AttrPath) -> Node:
        op = self.peek_word()
        start = self.pos
        if op == "pr":
            self.pos += 2
            if not self.at_end() and self.text[self.pos] not in ")]" and self.peek_word() not in ("and", "or"):
                raise FilterError("'pr' takes no value", self.pos)
            return Present(path)
        if op not in OPERATORS:
            wanted = ", ".join(OPERATORS) + " or pr"
            shown = repr(op) if op else self.found()
            raise FilterError(f"unknown operator {shown}; expected one of {wanted}", start)
        self.pos += 2
        self.skip()
        value_at = self.pos
        value = self.literal(op)
        if op in STRING_OPERATORS and not isinstance(value, str):
            raise FilterError(f"'{op}' needs a string value", value_at)
        if op in ORDER_OPERATORS and (value is None or isinstance(value, bool)):
            raise FilterError(f"'{op}' cannot order {json.dumps(value)}", value_at)
        return Compare(path, op, value)

    def literal(self, op: str) -> Value:
        start = self.pos
        if self.text.startswith('"', start):
            return self.string()
        if self.bare:
            match = _BARE.match(self.text, start)
            token = match.group() if match else ""
        else:
            number, word = _NUMBER.match(self.text, start), _WORD.match(self.text, start)
            token = number.group() if number else word.group() if word else ""
        if not token:
            raise FilterError(f"expected a value after '{op}', found {self.found()}", start)
        self.pos += len(token)
        if self.bare and op in STRING_OPERATORS:
            return token
        if token.lower() in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[token.lower()]
        if _NUMBER.fullmatch(token):
            return self.number(token, start)
        if self.bare:
            return token
        raise FilterError(f"expected a value (a quoted string, number, true, false or null), found {token!r}", start)

    def string(self) -> str:
        try:
            value, self.pos = _JSON.raw_decode(self.text, self.pos)
        except json.JSONDecodeError as exc:
            message = exc.msg[:-3] if exc.msg.endswith(" at") else exc.msg
            raise FilterError(message[:1].lower() + message[1:], exc.pos) from None
        return str(value)

    @staticmethod
    def number(token: str, start: int) -> Union[int, float]:
        if not any(c in token for c in ".eE"):
            return int(token)
        value = float(token)
        if not math.isfinite(value):
            raise FilterError(f"number out of range: {token}", start)
        return value


def parse(text: str, *, bare_values: bool = True) -> Node:
    """Parse a filter. `bare_values=False` is plain RFC 7644 (every string value quoted).

    Bare values (`userName eq jane@x.com`) are text unless they read as true/false/null or a
    JSON number; after co/sw/ew they are always text. co/sw/ew with a non-text value, and
    gt/ge/lt/le with true/false/null, raise FilterError here rather than at evaluation.
    """
    if not isinstance(text, str):
        raise FilterError("the filter must be a string")
    return _Parser(text, bare_values).filter()


def parse_path(text: str) -> PatchPath:
    """Parse a PATCH path: `attr`, `attr.sub`, `urn:attr[.sub]`, `attr[filter]`, `attr[filter].sub`."""
    if not isinstance(text, str) or not text.strip():
        raise FilterError("empty path")
    parser = _Parser(text, True)
    path = parser.attr_path()
    flt, sub = None, path.sub
    parser.skip()
    if parser.text.startswith("[", parser.pos):
        if path.sub is not None:
            raise FilterError(f"a value filter cannot follow the sub-attribute {str(path)!r}", parser.pos)
        flt = parser.brackets()
        parser.skip()
        if parser.text.startswith(".", parser.pos):
            parser.pos += 1
            sub = parser.sub_attr()
    if not parser.at_end():
        raise FilterError(f"unexpected {parser.found()} in the path", parser.pos)
    return PatchPath(path.urn, path.attr, flt, sub)
