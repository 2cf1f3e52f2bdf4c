"""ApiException and its subclasses: every failure of a call ends in one of these.

`except ApiException` catches everything; the subclasses let callers branch on what happened:

    ApiException
    ├── ApiConnectionError (status 0: refused, DNS, TLS, reset)
    │   └── ApiTimeoutError
    ├── NotModifiedError (304)        ├── ConflictError (409)
    ├── BadRequestError (400)         ├── PreconditionFailedError (412)
    ├── UnauthorizedError (401)       ├── RateLimitError (429)
    ├── ForbiddenError (403)          ├── ServerError (5xx)
    ├── NotFoundError (404)           └── ResponseFormatError (a body that is not what was promised)
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar

    from .transport import RESTResponse

__all__ = [
    "ApiException", "ApiConnectionError", "ApiTimeoutError", "NotModifiedError", "BadRequestError",
    "UnauthorizedError", "ForbiddenError", "NotFoundError", "ConflictError", "PreconditionFailedError",
    "RateLimitError", "ServerError", "ResponseFormatError", "InsecureTLSWarning",
]

BODY_SHOWN_CHARS = 2000


class ApiException(Exception):
    """A call failed. `status` is the HTTP status (0 when no response came back)."""

    _by_status: ClassVar[dict[int, type[ApiException]]] = {}

    def __init__(self, status: int | None = None, reason: str | None = None, http_resp: Any = None) -> None:
        self.status = http_resp.status if http_resp is not None else status
        self.reason = http_resp.reason if http_resp is not None else reason
        self.body: str | None = http_resp.data if http_resp is not None else None
        self.headers: dict[str, str] | None = dict(http_resp.getheaders()) if http_resp is not None else None
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
        wanted = name.lower()
        return next((v for k, v in (self.headers or {}).items() if k.lower() == wanted), None)

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


class InsecureTLSWarning(UserWarning):
    """`verify_ssl` is False: servers are not verified (issued once per connection pool, naming
    the caller's line). Silence exactly this with `warnings.simplefilter("ignore", InsecureTLSWarning)`."""
