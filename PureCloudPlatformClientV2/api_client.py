"""ApiClient: one routine sends every call (auth, retries, a single token refresh, decoding);
the official `call_api`/`deserialize`/`sanitize_for_serialization` surface delegates to it."""

from __future__ import annotations

import json
import threading
import time

from . import _retry
from ._decode import DecodeError, decoder_for, pausing_collector_for_large_bodies
from ._encode import to_json_data, to_json_text
from ._model import Model, resolve
from ._version import __version__
from .configuration import Configuration, host_url
from .logger import log, log_exchange, redact_query
from .rest import ApiConnectionError, ApiException, ResponseFormatError
from .transport import AbstractHttpClient, DefaultHttpClient, HttpRequestOptions, RESTResponse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import TracebackType
    from typing import Any, Callable

    from ._endpoint import Endpoint
    from .region_hosts import PureCloudRegionHosts

__all__ = ["ApiClient"]

TOKEN_REFRESH_MARGIN_S = 60  # fetch a new token this long before the old one expires
DEFAULT_USER_AGENT = "PureCloud SDK/python"


class _Credentials:
    """OAuth client credentials kept for token refresh; never shown by repr or str."""

    __slots__ = ("client_id", "_secret")

    def __init__(self, client_id: str, secret: str) -> None:
        self.client_id, self._secret = client_id, secret

    def basic_auth(self) -> str:
        import base64

        return base64.b64encode(f"{self.client_id}:{self._secret}".encode()).decode("ascii")

    def __repr__(self) -> str:
        return f"_Credentials(client_id={self.client_id!r}, secret=<redacted>)"


class ApiClient:
    """Sends calls for API classes such as `SCIMApi`. Safe to share between threads.

    host: the API host; when not given, `configuration.host` is read at each call.
    """

    def __init__(self, host: str | PureCloudRegionHosts | None = None, header_name: str | None = None,
                 header_value: str | None = None, cookie: str | None = None) -> None:
        self._host = None if host is None else host_url(host, "ApiClient host")
        self.default_headers: dict[str, str] = {"User-Agent": DEFAULT_USER_AGENT}
        if header_name is not None:
            self.set_default_header(header_name, header_value or "")
        self.cookie = cookie
        self.access_token: str | None = None
        self._credentials: _Credentials | None = None
        self._token_expires_at: float | None = None
        self._token_lock = threading.Lock()
        self.http_client: AbstractHttpClient = DefaultHttpClient()
        self.sleep: Callable[[float], None] = time.sleep  # replaceable, e.g. to record waits

    # -- settings -----------------------------------------------------------------------
    @property
    def host(self) -> str:
        return (self._host or Configuration().host).rstrip("/")

    @host.setter
    def host(self, value: str | PureCloudRegionHosts | None) -> None:
        self._host = None if value is None else host_url(value, "ApiClient host")

    @property
    def user_agent(self) -> str:
        return self.default_headers["User-Agent"]

    @user_agent.setter
    def user_agent(self, value: str) -> None:
        self.set_default_header("User-Agent", value)

    def set_default_header(self, header_name: str, header_value: str) -> None:
        from ._endpoint import check_header_value

        self.default_headers[check_header_value(header_name, header_name)] = check_header_value(
            header_name, header_value
        )

    def set_http_client(self, http_client: AbstractHttpClient) -> None:
        if not isinstance(http_client, AbstractHttpClient):
            raise TypeError("http_client must be an AbstractHttpClient")
        self.http_client = http_client

    def close(self) -> None:
        self.http_client.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        token = "set" if self.access_token else "none"
        return f"ApiClient(host={self.host!r}, access_token=<{token}>)"

    # -- OAuth --------------------------------------------------------------------------
    def get_client_credentials_token(self, client_id: str, client_secret: str) -> ApiClient:
        """Fetch a token with the client-credentials grant; it is renewed automatically
        shortly before it expires, and once after a 401."""
        self._credentials = _Credentials(client_id, client_secret)
        with self._token_lock:
            self._fetch_token()
        return self

    def login_host(self) -> str:
        """`https://login.<domain>` for `https://api.<domain>`; other hosts serve it themselves."""
        host = self.host
        return host.replace("//api.", "//login.", 1) if "//api." in host else host

    def _fetch_token(self) -> None:
        """POST the client credentials to /oauth/token (the caller holds `_token_lock`)."""
        assert self._credentials is not None
        from urllib.parse import urlencode

        headers = {"Authorization": "Basic " + self._credentials.basic_auth(), "Accept": "application/json",
                   "Content-Type": "application/x-www-form-urlencoded", **self._user_agent()}
        options = HttpRequestOptions(self.login_host() + "/oauth/token", "POST", _checked(headers),
                                     body=urlencode({"grant_type": "client_credentials"}).encode(),
                                     timeout=Configuration().timeouts())
        response = self._send_with_retries(options, "POST", "/oauth/token")
        if not 200 <= response.status < 300:
            raise ApiException.from_response(response, "POST", "/oauth/token")
        token = self._decode_json(response, "POST", "/oauth/token", "token response", show_body=False)
        if not isinstance(token, dict) or not isinstance(token.get("access_token"), str):
            raise self._format_error(response, "POST", "/oauth/token", "token response has no access_token",
                                     show_body=False)
        lifetime = token.get("expires_in")
        if not isinstance(lifetime, (int, float)) or isinstance(lifetime, bool):
            lifetime = None
        # Expiry first, token second: a thread that reads the new token also sees its expiry.
        self._token_expires_at = None if lifetime is None else time.monotonic() + lifetime
        self.access_token = token["access_token"]
        log.debug("fetched an access token%s", "" if lifetime is None else f" valid for {lifetime} s")

    def _refreshes(self) -> bool:
        return self._credentials is not None and Configuration().should_refresh_access_token

    def _refresh_token(self, rejected: str | None) -> None:
        """Fetch a new token unless another thread replaced `rejected` meanwhile."""
        with self._token_lock:
            if self.access_token == rejected:
                self._fetch_token()

    def _token_for_call(self) -> str | None:
        token = self.access_token  # read before the expiry (see _fetch_token)
        expires = self._token_expires_at
        if expires is not None and self._refreshes() and time.monotonic() >= expires - TOKEN_REFRESH_MARGIN_S:
            try:
                self._refresh_token(token)
            except ApiException as failure:
                if time.monotonic() >= expires:
                    raise
                # The old token is still valid for a moment: use it, try again on the next call.
                log.warning("could not renew the access token early: %s", failure.reason)
        return self.access_token or Configuration().access_token

    def _user_agent(self) -> dict[str, str]:
        return {k: v for k, v in self.default_headers.items() if k.lower() == "user-agent"}

    # -- the one request routine ------------------------------------------------------
    def execute(self, endpoint: Endpoint, arguments: dict[str, Any]) -> Any:
        """Send one API call described by `endpoint` and return its decoded result."""
        request = endpoint.build(arguments)
        payload = None if request.body is None else to_json_text(request.body, "body").encode()
        result = self._call(request.method, request.path, request.query, request.headers, payload)
        return self._decode(result, endpoint.return_type, request.method, request.path)

    def _call(self, method: str, path: str, query: str, call_headers: dict[str, str], payload: bytes | None,
              timeout: Any = None) -> RESTResponse:
        headers = {**self.default_headers, "purecloud-sdk": __version__, "Accept": "application/json"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        headers.update(call_headers)  # per-call values win over defaults (the official SDK did the reverse)
        if payload is not None:
            headers["Content-Type"] = "application/json"
        timeouts = Configuration().timeouts() if timeout is None else timeout
        _checked(headers)  # before anything is sent, including a token request
        started, refreshed = time.perf_counter(), False
        while True:
            token = self._token_for_call()
            if token:
                headers.update(_checked({"Authorization": "Bearer " + token}))
            options = HttpRequestOptions(self.host + path + query, method, headers, body=payload, timeout=timeouts)
            try:
                response = self._send_with_retries(options, method, path)
            except ApiConnectionError as failure:
                log.debug("%s %s%s -> failed: %s", method, path, redact_query(query), failure.reason)
                raise
            refresh = response.status == 401 and not refreshed and self._refreshes()
            self._log(method, path, query, response, started, headers, payload, final=not refresh)
            if refresh:
                refreshed = True  # at most one refresh per call: a persistent 401 ends here
                self._refresh_token(token)
                continue
            if 200 <= response.status < 300:
                return response
            raise ApiException.from_response(response, method, path)

    def _send_with_retries(self, options: HttpRequestOptions, method: str, path: str) -> RESTResponse:
        config = Configuration()
        attempt = 0
        while True:
            response, error = self._send_once(options)
            if error is None and 200 <= response.status < 300:
                return response
            delay = None if error is not None and not error.retryable else _retry.retry_delay(
                method, attempt, max_retries=config.max_retries, max_retry_wait=config.max_retry_wait,
                status=None if error else response.status, headers=None if error else response.getheaders(),
                sent=error.sent if error else True)
            if delay is None:
                if error is not None:
                    error.method, error.path = method, path
                    raise error
                return response
            cause = error.reason if error else response.status
            log.info("retrying %s %s after %s in %.2f s (attempt %d)", method, path, cause, delay, attempt + 1)
            self.sleep(delay)
            attempt += 1

    def _send_once(self, options: HttpRequestOptions) -> tuple[RESTResponse, ApiConnectionError | None]:
        """One attempt: the response, or the connection error it ended in (never another kind)."""
        try:
            return _as_response(self.http_client.request(options)), None
        except ApiConnectionError as failure:
            return _NO_RESPONSE, failure
        except ApiException:
            raise
        except Exception as failure:  # a custom http client's own error
            return _NO_RESPONSE, ApiConnectionError(f"{type(failure).__name__}: {failure}")

    def _log(self, method: str, path: str, query: str, response: RESTResponse, started: float,
             headers: dict[str, str], payload: bytes | None, final: bool = True) -> None:
        import logging

        config = Configuration()
        failed = response.status >= 400
        # ERROR only when the user asked for the official logging; otherwise a failed call would
        # reach logging's last-resort stderr handler in applications that configure no logging.
        level = logging.ERROR if failed and final and config._logger is not None else logging.DEBUG
        if not log.isEnabledFor(level):
            return
        log_exchange(level, method, path + redact_query(query), response.status,
                     (time.perf_counter() - started) * 1000, request_headers=headers,
                     response_headers=response.getheaders(), request_body=payload,
                     response_text=response.data if failed or config._logger else None, settings=config._logger)

    # -- decoding -----------------------------------------------------------------------
    @pausing_collector_for_large_bodies
    def _decode(self, response: RESTResponse, type_name: str, method: str, path: str) -> Any:
        if type_name == "None":
            return None
        if type_name in ("Empty", "object") and not response.body.strip():
            return resolve("Empty")() if type_name == "Empty" else None
        if response.status == 304:
            raise ApiException.from_response(response, method, path)
        data = self._decode_json(response, method, path, type_name)
        if type_name == "object":
            return data
        if data is None:  # a bare `null` where a value was promised
            raise self._format_error(response, method, path, f"{type_name}: expected a value, got null")
        try:
            return decoder_for(type_name)(data)
        except DecodeError as problem:
            where = type_name if not problem.path else type_name + ("" if problem.path[0][0] == "[" else ".")
            raise self._format_error(response, method, path, f"{where}{problem}" if problem.path
                                     else f"{type_name}: {problem}") from None

    def _decode_json(self, response: RESTResponse, method: str, path: str, expected: str,
                     show_body: bool = True) -> Any:
        try:
            return json.loads(response.body)
        except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
            kind = (response.getheader("Content-Type") or "").split(";")[0].strip().lower() or "no Content-Type"
            problem = f"expected JSON for {expected}, got {kind}"
            raise self._format_error(response, method, path, problem, show_body) from None

    @staticmethod
    def _format_error(response: RESTResponse, method: str, path: str, problem: str,
                      show_body: bool = True) -> ApiException:
        error = ResponseFormatError(http_resp=response)
        error.reason = f"Malformed response: {problem}"
        error.method, error.path = method, path
        if not show_body:  # e.g. a token response: its body may hold a credential
            error.body = None
        return error

    # -- the official compatibility surface -------------------------------------------
    def call_api(self, resource_path: str, method: str, path_params: dict[str, Any] | None = None,
                 query_params: Any = None, header_params: dict[str, Any] | None = None, body: Any = None,
                 post_params: Any = None, files: Any = None, response_type: str | None = None,
                 auth_settings: Any = None, callback: Any = None, _return_http_data_only: bool | None = None,
                 collection_formats: Any = None, _preload_content: bool = True, _request_timeout: Any = None) -> Any:
        """The official low-level call: path, parameters and a response type name."""
        from ._endpoint import check_header_value, path_segment, query_value

        from urllib.parse import quote

        path = resource_path
        for name, value in (path_params or {}).items():
            path = path.replace("{" + name + "}", path_segment(value, name, resource_path))
        pairs = query_params.items() if isinstance(query_params, dict) else (query_params or [])
        query = "&".join(f"{quote(str(k), safe='')}={query_value(v, k)}" for k, v in pairs if v is not None)
        headers = {k: check_header_value(k, v) for k, v in (header_params or {}).items() if v is not None}
        payload = None if body is None else to_json_text(body, "body").encode()
        timeout = None if _request_timeout is None else _timeout_setting(_request_timeout)
        response = self._call(method.upper(), path, "?" + query if query else "", headers, payload, timeout)
        result = self._decode(response, response_type or "None", method.upper(), path)
        if callback is not None:
            callback(result)
        return result if _return_http_data_only in (None, True) else (result, response.status, response.getheaders())

    def deserialize(self, response: Any, response_type: str) -> Any:
        """Decode a response object (`.data`, `.status`, `.getheader()`) into `response_type`."""
        return self._decode(_as_response(response), response_type, "DESERIALIZE", response_type)

    def sanitize_for_serialization(self, obj: Any) -> Any:
        """Models to their wire dicts (JSON keys, unset fields left out), datetimes to ISO text."""
        return to_json_data(obj, _error_root(obj))

    def serialize(self, obj: Any) -> str:
        """The JSON text a request body of `obj` is sent as: the text of
        `json.dumps(sanitize_for_serialization(obj))`, written without the intermediate dicts."""
        return to_json_text(obj, _error_root(obj))


# -- helpers --------------------------------------------------------------------------------
def _error_root(obj: Any) -> str:
    """How an encoding error names what was given: its model class, or `value`."""
    return type(obj).__name__ if isinstance(obj, Model) else "value"


_NO_RESPONSE = RESTResponse(0, None, b"", {})


def _as_response(raw: Any) -> RESTResponse:
    """A RESTResponse from whatever a custom http client returned (`.status`, `.data`, ...)."""
    if isinstance(raw, RESTResponse):
        return raw
    data = raw.data
    data = data if isinstance(data, str) else bytes(data or b"")
    headers = raw.getheaders() if hasattr(raw, "getheaders") else getattr(raw, "headers", None)
    return RESTResponse(int(raw.status), getattr(raw, "reason", None), data, headers or {})


def _checked(headers: dict[str, str]) -> dict[str, str]:
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


def _timeout_setting(value: Any) -> tuple[float, float]:
    """A per-call `_request_timeout`, checked like configuration.timeout."""
    from types import SimpleNamespace

    return Configuration.timeouts(SimpleNamespace(timeout=value))  # type: ignore[arg-type]
