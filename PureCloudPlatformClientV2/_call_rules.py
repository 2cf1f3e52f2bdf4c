"""The rules of one call, without I/O, shared by `ApiClient` and the asyncio `AsyncApiClient`:
the headers a call sends, whether an outcome is retried (by `RetryPolicy`) or final, when a
token is renewed, what a token response must hold, how an exchange is logged, and how a
response is decoded. Each client only does the sending and the waiting, its own way.
"""

from __future__ import annotations

import json
import time

from ._decode import DecodeError, decoder_for
from ._model import resolve
from ._version import __version__
from .logger import log, log_exchange, redact_query
from .rest import ApiConnectionError, ApiException, ResponseFormatError
from .transport import HttpRequestOptions, RESTResponse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Mapping

    from ._retry import RetryPolicy
    from .settings import Settings

TOKEN_PATH = "/oauth/token"
TOKEN_REFRESH_MARGIN_S = 60  # fetch a new token this long before the old one expires
NO_RESPONSE = RESTResponse(0, None, b"", {})


# -- what is sent -----------------------------------------------------------------------
def request_headers(default_headers: Mapping[str, str], cookie: str | None, call_headers: Mapping[str, str],
                    has_payload: bool) -> dict[str, str]:
    """The headers of a call, checked (before anything is sent, including a token request)."""
    headers = {**default_headers, "purecloud-sdk": __version__, "Accept": "application/json"}
    if cookie:
        headers["Cookie"] = cookie
    headers.update(call_headers)  # per-call values win over defaults (the official SDK did the reverse)
    if has_payload:
        headers["Content-Type"] = "application/json"
    return checked(headers)


def set_bearer(headers: dict[str, str], token: str | None) -> None:
    if token:
        headers.update(checked({"Authorization": "Bearer " + token}))


def checked(headers: dict[str, str]) -> dict[str, str]:
    """Every header value, however it was set, is refused with ValueError if it holds CR/LF."""
    try:  # one pass over everything; the per-header check runs only to name a culprit
        joined = "".join([*headers, *headers.values()])
        suspicious = "\r" in joined or "\n" in joined or not joined.isascii()
    except TypeError:  # a non-str value someone put into default_headers
        suspicious = True
    if suspicious:
        from ._endpoint import check_header_value

        for name, value in headers.items():
            check_header_value(name, name)
            check_header_value(name, value)
    return headers


# -- what came back ---------------------------------------------------------------------
def as_response(raw: Any) -> RESTResponse:
    """A RESTResponse from whatever a custom http client returned (`.status`, `.data`, ...)."""
    if isinstance(raw, RESTResponse):
        return raw
    data = raw.data
    data = data if isinstance(data, str) else bytes(data or b"")
    headers = raw.getheaders() if hasattr(raw, "getheaders") else getattr(raw, "headers", None)
    return RESTResponse(int(raw.status), getattr(raw, "reason", None), data, headers or {})


def foreign_failure(failure: Exception) -> ApiConnectionError:
    """A custom http client's own error, as the connection error it stands for."""
    return ApiConnectionError(f"{type(failure).__name__}: {failure}")


def retry_delay(policy: RetryPolicy, method: str, path: str, attempt: int, response: RESTResponse,
                error: ApiConnectionError | None) -> float | None:
    """Seconds to wait before sending again, or None when this outcome is final: then the
    caller returns `response`, or, for a connection error, this raises it (naming the call)."""
    if error is None:
        if 200 <= response.status < 300:
            return None
        delay = policy.delay(method, attempt, response.status, response.getheaders())
    else:
        delay = policy.delay(method, attempt, retryable=error.retryable)
    if delay is None:
        if error is not None:
            error.method, error.path = method, path
            raise error
        return None
    cause = error.reason if error else response.status
    log.info("retrying %s %s after %s in %.2f s (attempt %d)", method, path, cause, delay, attempt + 1)
    return delay


def wants_refresh(response: RESTResponse, refreshed: bool, refreshes: bool) -> bool:
    """A 401 renews the token once per call at most: a persistent 401 ends the call."""
    return response.status == 401 and not refreshed and refreshes


def final_response(response: RESTResponse, method: str, path: str) -> RESTResponse:
    """The response of a successful call; any other status raises its ApiException."""
    if 200 <= response.status < 300:
        return response
    raise ApiException.from_response(response, method, path)


def log_failure(method: str, path: str, query: str, failure: ApiConnectionError) -> None:
    log.debug("%s %s%s -> failed: %s", method, path, redact_query(query), failure.reason)


def log_call(method: str, path: str, query: str, response: RESTResponse, started: float,
             headers: dict[str, str], payload: bytes | None, settings: Settings, final: bool = True) -> None:
    import logging

    logging_settings = settings.logging
    failed = response.status >= 400
    # ERROR only when the user asked for the official logging; otherwise a failed call would
    # reach logging's last-resort stderr handler in applications that configure no logging.
    level = logging.ERROR if failed and final and logging_settings.official else logging.DEBUG
    if not log.isEnabledFor(level):
        return
    log_exchange(level, method, path + redact_query(query), response.status,
                 (time.perf_counter() - started) * 1000, request_headers=headers,
                 response_headers=response.getheaders(), request_body=payload,
                 response_text=response.data if failed or logging_settings.official else None,
                 settings=logging_settings)


# -- tokens -----------------------------------------------------------------------------
def token_request(login_host: str, basic_auth: str, user_agent: Mapping[str, str], settings: Settings) -> HttpRequestOptions:
    """The client-credentials grant: POST /oauth/token on the login host."""
    from urllib.parse import urlencode

    headers = {"Authorization": "Basic " + basic_auth, "Accept": "application/json",
               "Content-Type": "application/x-www-form-urlencoded", **user_agent}
    return HttpRequestOptions(login_host + TOKEN_PATH, "POST", checked(headers),
                              body=urlencode({"grant_type": "client_credentials"}).encode(),
                              timeout=settings.timeout, transport=settings.transport)


def read_token(response: RESTResponse) -> tuple[str, float | None]:
    """The access token and its lifetime in seconds (None if not given) from a token response;
    a failed or malformed one raises, never showing its body (it may hold a credential)."""
    if not 200 <= response.status < 300:
        raise ApiException.from_response(response, "POST", TOKEN_PATH)
    token = decode_json(response, "POST", TOKEN_PATH, "token response", show_body=False)
    if not isinstance(token, dict) or not isinstance(token.get("access_token"), str):
        raise format_error(response, "POST", TOKEN_PATH, "token response has no access_token", show_body=False)
    lifetime = token.get("expires_in")
    if not isinstance(lifetime, (int, float)) or isinstance(lifetime, bool):
        lifetime = None
    return token["access_token"], lifetime


def keep_token(tokens: Any, token: str, lifetime: float | None) -> None:
    # Expiry first, token second: a thread that reads the new token also sees its expiry.
    tokens.expires_at = None if lifetime is None else time.monotonic() + lifetime
    tokens.access_token = token
    log.debug("fetched an access token%s", "" if lifetime is None else f" valid for {lifetime} s")


def renewal_due(expires_at: float | None, refreshes: bool) -> bool:
    """Whether the token is to be renewed before this call (it expires within the margin)."""
    return expires_at is not None and refreshes and time.monotonic() >= expires_at - TOKEN_REFRESH_MARGIN_S


def early_renewal_failed(failure: ApiException, expires_at: float) -> None:
    """Raise `failure` if the old token has expired; else keep using it (try again next call)."""
    if time.monotonic() >= expires_at:
        raise failure
    log.warning("could not renew the access token early: %s", failure.reason)


# -- decoding -----------------------------------------------------------------------------
def decode(response: RESTResponse, type_name: str, method: str, path: str) -> Any:
    """The response body as `type_name` (a model name, `object`, `Empty` or `None`)."""
    if type_name == "None":
        return None
    if type_name in ("Empty", "object") and not response.body.strip():
        return resolve("Empty")() if type_name == "Empty" else None
    if response.status == 304:
        raise ApiException.from_response(response, method, path)
    data = decode_json(response, method, path, type_name)
    if type_name == "object":
        return data
    if data is None:  # a bare `null` where a value was promised
        raise format_error(response, method, path, f"{type_name}: expected a value, got null")
    try:
        return decoder_for(type_name)(data)
    except DecodeError as problem:
        where = type_name if not problem.path else type_name + ("" if problem.path[0][0] == "[" else ".")
        raise format_error(response, method, path, f"{where}{problem}" if problem.path
                           else f"{type_name}: {problem}") from None


def decode_json(response: RESTResponse, method: str, path: str, expected: str, show_body: bool = True) -> Any:
    try:
        return json.loads(response.body)
    except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
        kind = (response.getheader("Content-Type") or "").split(";")[0].strip().lower() or "no Content-Type"
        problem = f"expected JSON for {expected}, got {kind}"
        raise format_error(response, method, path, problem, show_body) from None


def format_error(response: RESTResponse, method: str, path: str, problem: str,
                 show_body: bool = True) -> ApiException:
    error = ResponseFormatError(http_resp=response)
    error.reason = f"Malformed response: {problem}"
    error.method, error.path = method, path
    if not show_body:  # e.g. a token response: its body may hold a credential
        error.body = None
    return error
