"""Endpoints as data: `@operation` turns a documented method signature into an `Endpoint`
that binds arguments, checks them, and builds a safely escaped request (no I/O here)."""

from __future__ import annotations

from ._model import camel_case
from .urns import USER_URN

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, TypeVar

    F = TypeVar("F", bound=Callable[..., Any])

HEADER_PARAMS = {"if_match": "If-Match", "if_none_match": "If-None-Match"}
INT_PARAMS = frozenset({"start_index", "count"})
LIST_PARAMS = frozenset({"attributes", "excluded_attributes"})
PARAMETER_DOCS = {
    "user_id": "The user's id",
    "group_id": "The group's id",
    "resource_type": "A resource type name: `User`, `Group`, `ServiceProviderConfig`, `ResourceType` or `Schema`",
    "schema_id": f"A schema URN, e.g. `{USER_URN}`",
    "filter": "A SCIM filter, e.g. `userName eq \"jane@example.com\"` or `displayName eq \"Sales\"`; "
    "build one safely with `filters`.",
    "start_index": "Starting item of request. 1-based (server default 1)",
    "count": "The requested number of items per page (server default 25). A value of 0 will return no "
    "results other than the totalResults count.",
    "attributes": "Only these attributes come back (the always-returned ones too); sent comma-joined.",
    "excluded_attributes": "These attributes are left out; sent comma-joined.",
    "if_match": "If-Match for ETag version checking (the quoted `meta.version`, e.g. `'\"3\"'`)",
    "if_none_match": "If-None-Match for ETag version checking; a current version raises NotModifiedError (304)",
    "body": "The request body (a model, or a dict in wire form)",
}


class Request:
    """What one call sends: method, escaped path with query string, headers, JSON-ready body."""

    __slots__ = ("method", "path", "query", "headers", "body")

    def __init__(self, method: str, path: str, query: str, headers: dict[str, str], body: Any) -> None:
        self.method, self.path, self.query, self.headers, self.body = method, path, query, headers, body


class Endpoint:
    """One API operation: HTTP verb, path template, parameters by role, return type, docs."""

    def __init__(self, func: Callable[..., Any], name: str, method: str, path: str, summary: str,
                 permissions: tuple[str, ...]) -> None:
        code = func.__code__
        names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
        self.name, self.method, self.path, self.summary, self.permissions = name, method, path, summary, permissions
        self.positional = names[1 : code.co_argcount]  # without self
        self.keyword_only = names[code.co_argcount :]
        defaults = len(func.__defaults__ or ())
        self.required = self.positional[: len(self.positional) - defaults]
        self.parameters = self.positional + self.keyword_only
        self.annotations: dict[str, str] = dict(func.__annotations__)
        self.return_type = self.annotations.get("return", "None")
        self.path_params = {p.strip("{}"): _python_name(p.strip("{}")) for p in _placeholders(path)}
        for wire, python in self.path_params.items():
            if python not in self.parameters:
                raise TypeError(f"{name}: path placeholder {{{wire}}} has no parameter {python}")
        routed = set(self.path_params.values()) | {"body"} | set(HEADER_PARAMS)
        self.query_params = {p: camel_case(p) for p in self.parameters if p not in routed}

    # -- binding ------------------------------------------------------------------------
    def bind(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        """Match a call's arguments to parameters, as Python would, with the official errors."""
        if len(args) > len(self.positional):
            raise TypeError(f"{self.name}() takes {len(self.positional)} positional arguments but {len(args)} were given")
        bound = dict(zip(self.positional, args))
        for key, value in kwargs.items():
            if key not in self.parameters:
                raise TypeError(f"{self.name}() got an unexpected keyword argument {key!r}")
            if key in bound:
                raise TypeError(f"{self.name}() got multiple values for argument {key!r}")
            bound[key] = value
        for key in self.required:
            if bound.get(key) is None:
                raise ValueError(f"Missing the required parameter `{key}` when calling `{self.name}`")
        return bound

    # -- building -----------------------------------------------------------------------
    def build(self, bound: dict[str, Any]) -> Request:
        path = self.path
        for wire, python in self.path_params.items():
            path = path.replace("{" + wire + "}", path_segment(bound.get(python), python, self.name))
        query = "&".join(
            f"{wire}={query_value(bound[python], python)}"
            for python, wire in self.query_params.items()
            if bound.get(python) is not None
        )
        headers = {
            wire: check_header_value(wire, bound[python])
            for python, wire in HEADER_PARAMS.items()
            if bound.get(python) is not None
        }
        return Request(self.method, path, "?" + query if query else "", headers, bound.get("body"))


def operation(method: str, path: str, *, summary: str, permissions: tuple[str, ...] = ()) -> Callable[[F], F]:
    """Declare an API method by its signature and docstring; the body is never run."""

    def declare(func: F) -> F:
        return _make_method(func, Endpoint(func, func.__name__, method, path, summary, permissions))

    return declare


def same_at(method: F, path: str, *, summary: str | None = None) -> F:
    """The same operation served at another path (the `/api/v2/scim/...` twin of a v2 method)."""
    return _Twin(method, path, summary)  # type: ignore[return-value]  # becomes a method by __set_name__


class _Twin:
    def __init__(self, method: Any, path: str, summary: str | None) -> None:
        self.original: Endpoint = method.endpoint
        self.func = method.__wrapped__
        self.path, self.summary = path, summary

    def __set_name__(self, owner: type, name: str) -> None:
        e = self.original
        endpoint = Endpoint(self.func, name, e.method, self.path, self.summary or e.summary, e.permissions)
        method = _make_method(self.func, endpoint)
        method.__qualname__ = f"{owner.__name__}.{name}"
        setattr(owner, name, method)


def _make_method(func: F, endpoint: Endpoint) -> F:
    def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        callback = kwargs.pop("callback", None)
        bound = endpoint.bind(args, kwargs)
        if callback is not None:
            return _in_background(lambda: callback(self.api_client.execute(endpoint, bound)))
        return self.api_client.execute(endpoint, bound)

    call.__name__ = endpoint.name
    call.__qualname__ = func.__qualname__.rsplit(".", 1)[0] + "." + endpoint.name
    call.__module__ = func.__module__
    call.__annotations__ = func.__annotations__
    call.__doc__ = _docstring(func.__doc__ or "", endpoint)
    call.__wrapped__ = func  # type: ignore[attr-defined]  # inspect.signature shows the declared one
    call.endpoint = endpoint  # type: ignore[attr-defined]
    return call  # type: ignore[return-value]  # same signature as func, by construction


def _docstring(doc: str, endpoint: Endpoint) -> str:
    lines = [endpoint.summary, "", f"Wraps {endpoint.method} {endpoint.path}", ""]
    if endpoint.permissions:
        lines += ["Requires ANY permissions: " + ", ".join(endpoint.permissions), ""]
    else:
        lines += ["Requires no permissions.", ""]
    params = [f"    {p}: {PARAMETER_DOCS[p]}" for p in endpoint.parameters]
    args = ["", "Args:", *params] if params else []
    return "\n".join(lines + [_dedent(doc)] + args + ["", f"Returns: {endpoint.return_type}"]) + "\n"


def _dedent(doc: str) -> str:
    # inspect.cleandoc without importing inspect (~7 ms) when the API class is defined
    first, _, rest = doc.strip("\n").partition("\n")
    lines = rest.splitlines()
    indent = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
    return "\n".join([first.strip(), *(x[indent:].rstrip() for x in lines)]).strip()


def _in_background(job: Callable[[], Any]) -> Any:
    # The official SDK's callback= style: the call runs in a (here: daemon) thread.
    import threading

    thread = threading.Thread(target=job, daemon=True)
    thread.start()
    return thread


def _placeholders(path: str) -> list[str]:
    return [part for part in path.split("/") if part.startswith("{")]


def _python_name(wire: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in wire)


# -- escaping ---------------------------------------------------------------------------
def path_segment(value: Any, name: str, operation_name: str) -> str:
    """One path segment, fully percent-encoded (`/`, `?`, `#`, `%` too); `.`/`..`/'' refused."""
    if not isinstance(value, str):
        raise TypeError(f"{operation_name}: `{name}` must be a str, got {type(value).__name__}")
    if value in ("", ".", ".."):
        raise ValueError(f"{operation_name}: `{name}` must be a real id, got {value!r}")
    if value.isascii() and value.replace("-", "").isalnum():
        return value  # the usual UUID needs no escaping; quote() is comparatively slow
    from urllib.parse import quote  # here: urllib.parse costs ~10 ms to import

    return quote(value, safe="")


def query_value(value: Any, name: str) -> str:
    """A query value percent-encoded so the server decodes exactly what was given."""
    if name in INT_PARAMS:
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"`{name}` must be an int, got {type(value).__name__}")
        return str(value)
    if name in LIST_PARAMS and isinstance(value, (list, tuple)):
        if not all(isinstance(v, str) for v in value):
            raise TypeError(f"`{name}` must be a list of str")
        value = ",".join(value)
    if isinstance(value, bool):
        value = "true" if value else "false"
    if not isinstance(value, (str, int, float)):
        raise TypeError(f"`{name}` must be a str, got {type(value).__name__}")
    from urllib.parse import quote

    return quote(str(value), safe="")


def check_header_value(name: str, value: Any) -> str:
    """A header value as text; CR/LF (header injection) and non-Latin-1 text are refused."""
    text = value if isinstance(value, str) else str(value)
    if "\r" in text or "\n" in text:
        raise ValueError(f"header {name!r} must not contain CR or LF")
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        raise ValueError(f"header {name!r} must be Latin-1 text") from None
    return text
