"""Endpoints as data: `@operation` turns a method's signature and its parameter declarations
(`Path`, `Query`, `Header`, `Body`) into an `Endpoint` that binds arguments, checks them, and
builds a safely escaped request (no I/O here).

Each parameter of a method is declared once, next to the method: its role (where it is sent),
wire name, kind and doc. The signature stays the typed Python one (mypy and `inspect.signature`
read it); the declarations are checked against it when the class is defined, so a parameter
without a declaration, a doc or a known role fails there with a TypeError naming both.
"""

from __future__ import annotations

from ._model import swagger_type_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, TypeVar

    F = TypeVar("F", bound=Callable[..., Any])

# What each role may carry, by the kind's official type name.
ROLE_KINDS = {"path": ("str",), "query": ("int", "str", "list[str]"), "header": ("str",), "body": ("model",)}
KIND_NAMES: dict[Any, str] = {int: "int", str: "str", list[str]: "list[str]", "model": "model"}


class Parameter:
    """How one argument of an API method is sent: role, wire name, kind and doc.

    Use the role classes below; `name` (the Python parameter) defaults to the snake_case of
    the wire name (`startIndex` -> `start_index`, `If-Match` -> `if_match`).
    """

    role = ""  # set by each role class; anything else is refused by @operation
    __slots__ = ("wire", "kind", "doc", "name")

    def __init__(self, wire: str, kind: Any = str, *, doc: str = "", name: str | None = None) -> None:
        self.wire, self.kind, self.doc = wire, kind, doc
        self.name = name or python_name(wire)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.wire!r}, name={self.name!r})"


class Path(Parameter):
    """A `{placeholder}` of the path (a str, fully percent-encoded)."""

    role = "path"
    __slots__ = ()


class Query(Parameter):
    """A query parameter: `int`, `str` or `list[str]` (sent comma-joined)."""

    role = "query"
    __slots__ = ()


class Header(Parameter):
    """A request header (a str; CR/LF refused)."""

    role = "header"
    __slots__ = ()


class Body(Parameter):
    """The JSON body: the model types are the annotation's (`body: ScimV2User`)."""

    role = "body"
    __slots__ = ()

    def __init__(self, *, doc: str = "") -> None:
        super().__init__("", "model", doc=doc, name="body")


def python_name(wire: str) -> str:
    """`startIndex` -> `start_index`, `If-None-Match` -> `if_none_match`."""
    out: list[str] = []
    for char in wire.replace("-", "_"):
        if char.isupper() and out and out[-1] != "_":
            out.append("_")
        out.append(char.lower())
    return "".join(out)


class Request:
    """What one call sends: method, escaped path with query string, headers, JSON-ready body."""

    __slots__ = ("method", "path", "query", "headers", "body")

    def __init__(self, method: str, path: str, query: str, headers: dict[str, str], body: Any) -> None:
        self.method, self.path, self.query, self.headers, self.body = method, path, query, headers, body


class Endpoint:
    """One API operation: HTTP verb, path template, declared parameters by role, return type, docs."""

    def __init__(self, func: Callable[..., Any], name: str, method: str, path: str, summary: str,
                 permissions: tuple[str, ...], declarations: tuple[Parameter, ...]) -> None:
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
        self.declarations = declarations
        where = func.__qualname__.rsplit(".", 1)[0] + "." + name
        by_name = _checked(where, declarations, self.parameters, self.annotations)
        self.declared = {p: by_name[p] for p in self.parameters}  # in signature order
        _check_path(where, path, declarations)
        routed = self.declared.items()
        self.path_params = {d.wire: p for p, d in routed if d.role == "path"}
        self.query_params = {p: d.wire for p, d in routed if d.role == "query"}
        self.header_params = {p: d.wire for p, d in routed if d.role == "header"}
        self.body = next((p for p, d in routed if d.role == "body"), None)
        self._query = tuple((p, d.wire, KIND_NAMES[d.kind]) for p, d in routed if d.role == "query")

    def served_at(self, name: str, path: str, summary: str) -> Endpoint:
        """This operation under another name and path (checked by `same_at`)."""
        twin = object.__new__(Endpoint)
        twin.__dict__.update(self.__dict__)
        twin.name, twin.path, twin.summary = name, path, summary
        return twin

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
            f"{wire}={query_value(bound[python], python, kind)}"
            for python, wire, kind in self._query
            if bound.get(python) is not None
        )
        headers = {
            wire: check_header_value(wire, bound[python])
            for python, wire in self.header_params.items()
            if bound.get(python) is not None
        }
        return Request(self.method, path, "?" + query if query else "", headers,
                       None if self.body is None else bound.get(self.body))


def _checked(where: str, declarations: tuple[Any, ...], parameters: tuple[str, ...],
             annotations: dict[str, str]) -> dict[str, Parameter]:
    """The declarations by Python name, after checking they describe exactly the signature:
    each one a known role and kind with a doc, agreeing with the parameter's annotation."""
    by_name: dict[str, Parameter] = {}
    for declared in declarations:
        if not isinstance(declared, Parameter):
            raise TypeError(f"{where}: {declared!r} is not a parameter declaration (use Path, Query, Header or Body)")
        name = declared.name
        if declared.role not in ROLE_KINDS:
            raise TypeError(f"{where}: parameter `{name}` has no known role ({type(declared).__name__}); "
                            "declare it with Path, Query, Header or Body")
        if name in by_name:
            raise TypeError(f"{where}: parameter `{name}` is declared twice")
        if name not in parameters:
            raise TypeError(f"{where}: `{name}` is declared ({declared!r}) but the method has no such parameter")
        if not (isinstance(declared.doc, str) and declared.doc.strip()):
            raise TypeError(f"{where}: parameter `{name}` has no doc; give its declaration doc=...")
        try:
            kind = KIND_NAMES[declared.kind]
        except (KeyError, TypeError):
            kind = None
        if kind not in ROLE_KINDS[declared.role]:
            raise TypeError(f"{where}: parameter `{name}`: a {declared.role} parameter is one of "
                            f"{', '.join(ROLE_KINDS[declared.role])}, not {declared.kind!r}")
        annotated = annotations.get(name)
        if annotated is None:
            raise TypeError(f"{where}: parameter `{name}` has no annotation")
        if not _annotation_fits(annotated, kind):
            raise TypeError(f"{where}: parameter `{name}` is annotated {annotated!r} but declared {kind}")
        by_name[name] = declared
    for name in parameters:
        if name not in by_name:
            raise TypeError(f"{where}: parameter `{name}` has no declaration; pass Path(...), Query(...), "
                            "Header(...) or Body(...) for it to @operation")
    return by_name


def _check_path(where: str, path: str, declarations: tuple[Parameter, ...]) -> None:
    placeholders = {p.strip("{}") for p in path.split("/") if p.startswith("{")}
    path_wires = {d.wire for d in declarations if d.role == "path"}
    if placeholders != path_wires:
        raise TypeError(f"{where}: the path placeholders {sorted(placeholders)} and the Path declarations "
                        f"{sorted(path_wires)} differ")


def _annotation_fits(annotation: str, kind: str) -> bool:
    if kind != "model":
        return swagger_type_of(annotation)[0] == kind
    alternatives = [a.strip() for a in annotation.split("|") if a.strip() != "None"]
    return all(a[:1].isupper() and a.isidentifier() for a in alternatives)  # model class names


def operation(method: str, path: str, *parameters: Parameter, summary: str,
              permissions: tuple[str, ...] = ()) -> Callable[[F], F]:
    """Declare an API method by its signature, docstring and one declaration per parameter;
    the body is never run."""

    def declare(func: F) -> F:
        return _make_method(func, Endpoint(func, func.__name__, method, path, summary, permissions, parameters))

    return declare


def same_at(method: F, path: str, *, summary: str | None = None) -> F:
    """The same operation served at another path (the `/api/v2/scim/...` twin of a v2 method)."""
    return _Twin(method, path, summary)  # type: ignore[return-value]  # becomes a method by __set_name__


class _Twin:
    def __init__(self, method: Any, path: str, summary: str | None) -> None:
        self.original: Endpoint = method.endpoint
        self.func = method.__wrapped__
        # here, not in __set_name__ (Python 3.11 would wrap the TypeError in a RuntimeError)
        _check_path(f"same_at({method.__qualname__}, {path!r})", path, self.original.declarations)
        self.path, self.summary = path, summary

    def __set_name__(self, owner: type, name: str) -> None:
        e = self.original
        endpoint = e.served_at(name, self.path, self.summary or e.summary)
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
    params = [f"    {p}: {d.doc}" for p, d in endpoint.declared.items()]
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


def query_value(value: Any, name: str, kind: str = "") -> str:
    """A query value percent-encoded so the server decodes exactly what was given. `kind` is
    the declared one (`int`, `str`, `list[str]`); without it (`call_api`) a list of str is
    sent comma-joined and any scalar as text."""
    if kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, str):  # the official SDK sends str() of whatever it is given: "5" works there
            digits = value[1:] if value[:1] in "+-" else value
            if digits.isascii() and digits.isdigit():
                return value.lstrip("+")  # a '+' in a query would be read as a space
            raise ValueError(f"`{name}` must be an int or a string of digits, got {value!r}")
        raise TypeError(f"`{name}` must be an int, got {type(value).__name__}")
    if kind != "str" and isinstance(value, (list, tuple)):
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
