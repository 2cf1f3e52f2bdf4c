"""The official `rest` module: ApiException and its subclasses (every failure of a call ends
in one of these), `RESTResponse`, and `RESTClientObject`, the official low-level HTTP client.

`except ApiException` catches everything; the subclasses let callers branch on what happened:

    ApiException
    ├── ApiConnectionError (status 0: refused, DNS, TLS, reset)
    │   └── ApiTimeoutError
    ├── NotModifiedError (304)        ├── ConflictError (409)
    ├── BadRequestError (400)         ├── PreconditionFailedError (412)
    ├── UnauthorizedError (401)       ├── RateLimitError (429)
    ├── ForbiddenError (403)          ├── ServerError (5xx)
    ├── NotFoundError (404)           └── ResponseFormatError (a body that is not what was promised)
    └── TokenError (/oauth/token refused a grant; each is also of its status's class)
"""

from __future__ import annotations

from collections.abc import MutableMapping

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar, Iterable, Iterator

    from .settings import TransportSettings
    from .transport import DefaultHttpClient

__all__ = [
    "RESTResponse", "RESTClientObject", "HTTPHeaders", "ApiException", "ApiConnectionError", "ApiTimeoutError", "NotModifiedError", "BadRequestError",
    "UnauthorizedError", "ForbiddenError", "NotFoundError", "ConflictError", "PreconditionFailedError",
    "RateLimitError", "ServerError", "ResponseFormatError", "TokenError", "InsecureTLSWarning",
]

BODY_SHOWN_CHARS = 2000
SUCCESS = range(200, 300)


class HTTPHeaders(MutableMapping[str, str]):
    """Response headers looked up without regard to case (`headers["etag"]` finds `ETag`), as
    urllib3's HTTPHeaderDict, which the official SDK hands out; names keep the case received.
    A header received twice holds both values joined by ", "."""

    __slots__ = ("_entries",)

    def __init__(self, headers: Any = None) -> None:
        self._entries: dict[str, tuple[str, str]] = {}  # lower-case name -> (name as received, value)
        if headers:
            merged = getattr(headers, "itermerged", None)  # urllib3: repeated headers as one
            pairs: Iterable[tuple[str, str]] = merged() if merged else (
                headers.items() if hasattr(headers, "items") else headers)
            for name, value in pairs:
                self[name] = value

    def __getitem__(self, name: str) -> str:
        return self._entries[name.lower()][1]

    def __setitem__(self, name: str, value: str) -> None:
        self._entries[name.lower()] = (name, value)

    def __delitem__(self, name: str) -> None:
        del self._entries[name.lower()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._entries

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def copy(self) -> HTTPHeaders:
        return HTTPHeaders(self)

    def __repr__(self) -> str:
        return f"HTTPHeaders({dict(self)!r})"


class RESTResponse:
    """A response as the official SDK exposes it: `.status`, `.reason`, `.data` (text),
    `.getheader()`, `.getheaders()`; `.raw_data` is the bytes, `.body` whichever was received."""

    __slots__ = ("status", "reason", "body", "_headers")

    def __init__(self, status: int, reason: str | None, data: bytes | str, headers: Any) -> None:
        # Kept as received (bytes from the network, text from a custom client or `deserialize`):
        # json.loads takes either, so a 2 MB page is never encoded only to be decoded again.
        self.status, self.reason, self.body, self._headers = status, reason, data, headers

    @property
    def data(self) -> str:
        body = self.body
        return body if isinstance(body, str) else body.decode("utf-8", "replace")

    @property
    def raw_data(self) -> bytes:
        body = self.body
        return body.encode("utf-8") if isinstance(body, str) else body

    def getheaders(self) -> HTTPHeaders:
        """The headers; names are matched without regard to case, as in the official SDK."""
        return HTTPHeaders(self._headers)

    def getheader(self, name: str, default: str | None = None) -> str | None:
        value = self._headers.get(name)
        if value is None:  # a plain dict from a custom client is case-sensitive
            wanted = name.lower()
            value = next((v for k, v in self._headers.items() if k.lower() == wanted), None)
        return default if value is None else value

    def __repr__(self) -> str:
        return f"RESTResponse(status={self.status!r}, reason={self.reason!r})"


class RESTClientObject:
    """The official low-level client: `request(method, url, ...)` and `GET`/`POST`/... send
    one request and return a `RESTResponse` (`.data` is text); a status outside 2xx raises
    the ApiException for it. It sends through a `DefaultHttpClient` (pooled, TLS verified,
    timeouts applied), so it reads no configuration: TLS and proxy come from `settings`
    (default: verified with certifi, no proxy); `pools_size`/`max_size` are accepted and unused.

    Bodies: `body` is sent as JSON unless the headers say `application/x-www-form-urlencoded`,
    then `post_params` are sent form-encoded. `query_params` (a dict or pairs) are appended
    to the URL."""

    def __init__(self, pools_size: int = 4, max_size: int = 4, *, settings: TransportSettings | None = None,
                 http_client: DefaultHttpClient | None = None) -> None:
        if http_client is None:
            from .transport import DefaultHttpClient

            http_client = DefaultHttpClient(settings=settings)
        self.http_client = http_client

    def request(self, method: str, url: str, query_params: Any = None, headers: dict[str, str] | None = None,
                body: Any = None, post_params: Any = None) -> RESTResponse:
        from .transport import HttpRequestOptions

        if post_params and body:
            raise ValueError("body parameter cannot be used with post_params parameter.")
        sent = {"Content-Type": "application/json", **(headers or {})}
        kind = next((v for k, v in sent.items() if k.lower() == "content-type"), "").split(";")[0].strip().lower()
        if kind == "application/x-www-form-urlencoded":
            from urllib.parse import urlencode

            payload: bytes | None = urlencode(post_params or {}).encode() if post_params else None
        elif kind == "multipart/form-data":
            raise ValueError("multipart/form-data bodies are not supported (no SCIM call uses them)")
        elif body is None or method.upper() in ("GET", "HEAD"):
            payload = None
        else:
            from ._encode import to_json_text

            payload = to_json_text(body, "body").encode()
        options = HttpRequestOptions(url=url, method=method, headers=sent, query_params=query_params, body=payload)
        response: RESTResponse = self.http_client.request(options)  # a post-hook may return its own
        if response.status not in SUCCESS:
            raise ApiException.from_response(response)
        return response

    def GET(self, url: str, headers: dict[str, str] | None = None, query_params: Any = None) -> RESTResponse:
        return self.request("GET", url, headers=headers, query_params=query_params)

    def HEAD(self, url: str, headers: dict[str, str] | None = None, query_params: Any = None) -> RESTResponse:
        return self.request("HEAD", url, headers=headers, query_params=query_params)

    def OPTIONS(self, url: str, headers: dict[str, str] | None = None, query_params: Any = None,
                post_params: Any = None, body: Any = None) -> RESTResponse:
        return self.request("OPTIONS", url, query_params, headers, body, post_params)

    def DELETE(self, url: str, headers: dict[str, str] | None = None, query_params: Any = None,
               body: Any = None) -> RESTResponse:
        return self.request("DELETE", url, query_params, headers, body)

    def POST(self, url: str, headers: dict[str, str] | None = None, query_params: Any = None,
             post_params: Any = None, body: Any = None) -> RESTResponse:
        return self.request("POST", url, query_params, headers, body, post_params)

    def PUT(self, url: str, headers: dict[str, str] | None = None, query_params: Any = None,
            post_params: Any = None, body: Any = None) -> RESTResponse:
        return self.request("PUT", url, query_params, headers, body, post_params)

    def PATCH(self, url: str, headers: dict[str, str] | None = None, query_params: Any = None,
              post_params: Any = None, body: Any = None) -> RESTResponse:
        return self.request("PATCH", url, query_params, headers, body, post_params)

    def close(self) -> None:
        self.http_client.close()


class ApiException(Exception):
    """A call failed. `status` is the HTTP status (0 when no response came back)."""

    _by_status: ClassVar[dict[int, type[ApiException]]] = {}

    def __init__(self, status: int | None = None, reason: str | None = None, http_resp: Any = None) -> None:
        self.status = http_resp.status if http_resp is not None else status
        self.reason = http_resp.reason if http_resp is not None else reason
        self.body: str | None = http_resp.data if http_resp is not None else None
        # names matched without regard to case: e.headers["inin-correlation-id"] works
        headers = None if http_resp is None else http_resp.getheaders()
        self.headers: HTTPHeaders | None = (
            headers if headers is None or isinstance(headers, HTTPHeaders) else HTTPHeaders(headers))
        self.method: str | None = None
        self.path: str | None = None
        super().__init__(self.status, self.reason)

    def __init_subclass__(cls, status: int | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if status is not None:
            ApiException._by_status[status] = cls

    @classmethod
    def from_response(cls, http_resp: RESTResponse, method: str | None = None, path: str | None = None) -> ApiException:
        """The most precise exception class for this response's status."""
        status = http_resp.status
        chosen = cls._by_status.get(status) or (ServerError if status >= 500 else ApiException)
        error = chosen(http_resp=http_resp)
        error.method, error.path = method, path
        return error

    # -- details read from the response ------------------------------------------------
    def _json_body(self) -> dict[str, Any]:
        if not self.body or not self.body.lstrip().startswith("{"):
            return {}
        import json

        try:
            parsed = json.loads(self.body)
        except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
            return {}
        return parsed if isinstance(parsed, dict) else {}

    def _header(self, name: str) -> str | None:
        headers = self.headers
        if headers is None:
            return None
        if isinstance(headers, HTTPHeaders):
            return headers.get(name)
        wanted = name.lower()  # set by hand to a plain dict
        return next((v for k, v in headers.items() if k.lower() == wanted), None)

    @property
    def scim_type(self) -> str | None:
        """The SCIM `scimType` of the error body (e.g. `invalidVers`, `uniqueness`), if any."""
        value = self._json_body().get("scimType")
        return value if isinstance(value, str) else None

    @property
    def detail(self) -> str | None:
        """The SCIM `detail`, or the platform error's `message`."""
        body = self._json_body()
        value = body.get("detail", body.get("message"))
        return value if isinstance(value, str) else None

    @property
    def correlation_id(self) -> str | None:
        """The `ININ-Correlation-Id` Genesys support asks for."""
        return self._header("ININ-Correlation-Id")

    @property
    def error(self) -> Any:
        """The body as a `ScimError` (SCIM errors) or `ErrorBody` (platform errors), else None."""
        from ._decode import DecodeError
        from ._model import resolve

        from .urns import ERROR_URN

        body = self._json_body()
        if not body:
            return None
        schemas = body.get("schemas")
        scim = "scimType" in body or "detail" in body or (isinstance(schemas, list) and ERROR_URN in schemas)
        if scim and isinstance(body.get("status"), int) and not isinstance(body["status"], bool):
            # RFC 7644 §3.12 makes status a string; some servers send the number. ScimError
            # declares a string, so the number is read as its text ("400").
            body = {**body, "status": str(body["status"])}
        try:
            return resolve("ScimError" if scim else "ErrorBody").from_wire(body)
        except DecodeError:
            return None

    def __str__(self) -> str:
        lines = [f"({self.status})", f"Reason: {self.reason}"]
        if self.method and self.path:
            lines.append(f"Request: {self.method} {self.path}")
        if self.scim_type:
            lines.append(f"scimType: {self.scim_type}")
        if self.detail:
            lines.append(f"Detail: {self.detail}")
        if self.correlation_id:
            lines.append(f"Correlation id: {self.correlation_id}")
        if self.body and not self.detail:
            lines.append(f"HTTP response body: {self.body[:BODY_SHOWN_CHARS]}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, reason={self.reason!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses take other constructor arguments; rebuild from the state instead.
        return _restore, (type(self), dict(vars(self)))


def _restore(cls: type[ApiException], state: dict[str, Any]) -> ApiException:
    error = cls.__new__(cls)
    Exception.__init__(error, state.get("status"), state.get("reason"))
    error.__dict__.update(state)
    return error


class ApiConnectionError(ApiException):
    """No usable response: connection refused, DNS, TLS or a dropped connection (status 0).

    `sent` is False when the request certainly never reached the server; `retryable` is False
    for failures that another attempt cannot fix (an untrusted certificate, an invalid URL)."""

    def __init__(self, reason: str, sent: bool = True, retryable: bool = True) -> None:
        super().__init__(status=0, reason=reason)
        self.sent, self.retryable = sent, retryable


class ApiTimeoutError(ApiConnectionError):
    """The server did not answer within `configuration.timeout`."""


class NotModifiedError(ApiException, status=304):
    """`If-None-Match` matched: the resource is unchanged since that version."""


class BadRequestError(ApiException, status=400):
    """The request was refused; Genesys reports version conflicts here as `invalidVers`."""


class UnauthorizedError(ApiException, status=401):
    """The token is missing, wrong or expired."""


class ForbiddenError(ApiException, status=403):
    """The OAuth client lacks a permission the call needs."""


class NotFoundError(ApiException, status=404):
    """No such resource (or it was deleted)."""


class ConflictError(ApiException, status=409):
    """A uniqueness conflict (e.g. the userName is taken) or a concurrent change."""


class PreconditionFailedError(ApiException, status=412):
    """An `If-Match` precondition failed (RFC servers; Genesys answers 400 invalidVers)."""


class RateLimitError(ApiException, status=429):
    """Too many requests; `retry_after` says how long the server asked to wait, in seconds."""

    @property
    def retry_after(self) -> float | None:
        from ._retry import parse_retry_after

        return parse_retry_after(self._header("Retry-After"))


class ServerError(ApiException):
    """The service failed (5xx)."""


for _status in (500, 501, 502, 503, 504):
    ApiException._by_status[_status] = ServerError


class ResponseFormatError(ApiException):
    """The response body is not what the call promises (not JSON, wrong JSON types)."""


class TokenError(ApiException):
    """`/oauth/token` refused a grant. `error` is the OAuth error code (RFC 6749 §5.2, e.g.
    `invalid_grant`, `invalid_client`) and `error_description` the server's explanation.

    Each one is also an instance of its status's class (a 401 is an `UnauthorizedError`, a 503 a
    `ServerError`). Its text shows the code and description, never the response body: a
    token endpoint's answer is no place to echo request values (codes, refresh tokens) from."""

    @classmethod
    def from_response(cls, http_resp: RESTResponse, method: str | None = None, path: str | None = None) -> ApiException:
        status = http_resp.status
        base = ApiException._by_status.get(status) or (ServerError if status >= 500 else ApiException)
        error = _TOKEN_CLASSES[base](http_resp=http_resp)
        error.method, error.path = method, path
        return error

    @property
    def error(self) -> str | None:  # the OAuth code here, not an error model
        value = self._json_body().get("error")
        return value if isinstance(value, str) else None

    @property
    def error_description(self) -> str | None:
        """`error_description`, or Genesys' `description` when only that is given."""
        body = self._json_body()
        value = body.get("error_description", body.get("description"))
        return value if isinstance(value, str) else None

    def __str__(self) -> str:
        lines = [f"({self.status})", f"Reason: {self.reason}"]
        if self.method and self.path:
            lines.append(f"Request: {self.method} {self.path}")
        if self.error:
            lines.append(f"OAuth error: {self.error}")
        if self.error_description:
            lines.append(f"Description: {self.error_description}")
        if self.correlation_id:
            lines.append(f"Correlation id: {self.correlation_id}")
        return "\n".join(lines)


def _token_class(base: type[ApiException]) -> type[ApiException]:
    """TokenError combined with `base`, named (and picklable) as a module attribute."""
    if base is ApiException:
        return TokenError
    name = "Token" + base.__name__
    combined: type[ApiException] = type(name, (TokenError, base), {
        "__module__": __name__, "__qualname__": name, "__doc__": f"A refused token request that is a {base.__name__}."})
    globals()[name] = combined
    return combined


_TOKEN_BASES: list[type[ApiException]] = [ApiException, ServerError, *ApiException._by_status.values()]
_TOKEN_CLASSES = {base: _token_class(base) for base in dict.fromkeys(_TOKEN_BASES)}


class InsecureTLSWarning(UserWarning):
    """`verify_ssl` is False: servers are not verified (issued once per connection pool, naming
    the caller's line). Silence exactly this with `warnings.simplefilter("ignore", InsecureTLSWarning)`."""
