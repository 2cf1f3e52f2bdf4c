"""ApiClient: one routine sends every call (auth, retries, a single token refresh, decoding);
the official `call_api`/`deserialize`/`sanitize_for_serialization` surface delegates to it."""

from __future__ import annotations

import threading
import time

from . import _call_rules as rules
from ._call_rules import TOKEN_REFRESH_MARGIN_S as TOKEN_REFRESH_MARGIN_S
from ._call_rules import as_response as _as_response
from ._encode import to_json_data, to_json_text
from ._model import Model
from .configuration import Configuration
from .rest import ApiConnectionError, ApiException
from .settings import Settings, host_url, timeout_pair
from .transport import AbstractHttpClient, DefaultHttpClient, HttpRequestOptions, RESTResponse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import TracebackType
    from typing import Any, Callable

    from ._endpoint import Endpoint
    from ._retry import RetryPolicy
    from .region_hosts import PureCloudRegionHosts

__all__ = ["ApiClient"]

DEFAULT_USER_AGENT = "PureCloud SDK/python"
OPTIONS = ("timeout", "max_retries", "max_retry_wait", "retry", "should_refresh_access_token")  # with_options


class Credentials:
    """OAuth client credentials kept for token refresh; never shown by repr or str."""

    __slots__ = ("client_id", "_secret")

    def __init__(self, client_id: str, secret: str) -> None:
        self.client_id, self._secret = client_id, secret

    def basic_auth(self) -> str:
        import base64

        return base64.b64encode(f"{self.client_id}:{self._secret}".encode()).decode("ascii")

    def __repr__(self) -> str:
        return f"Credentials(client_id={self.client_id!r}, secret=<redacted>)"


class _Tokens:
    """The token state; clients made by `with_options` share one, so a renewal serves all."""

    __slots__ = ("access_token", "credentials", "expires_at", "lock")

    def __init__(self) -> None:
        self.access_token: str | None = None
        self.credentials: Credentials | None = None
        self.expires_at: float | None = None
        self.lock = threading.Lock()


class ApiClient:
    """Sends calls for API classes such as `SCIMApi`. Safe to share between threads.

    host: the API host; when not given, the settings' host (`configuration.host`) is used.
    settings: a `Settings` value (keyword only) this client uses for every call; without it
        the client follows the configuration: each call uses `configuration.snapshot()`, so
        changes to `configuration` apply to the next call.
    """

    def __init__(self, host: str | PureCloudRegionHosts | None = None, header_name: str | None = None,
                 header_value: str | None = None, cookie: str | None = None, *,
                 settings: Settings | None = None) -> None:
        if settings is not None and not isinstance(settings, Settings):
            raise TypeError(f"settings must be a Settings, got {type(settings).__name__}")
        self._host = None if host is None else host_url(host, "ApiClient host")
        self.default_headers: dict[str, str] = {"User-Agent": DEFAULT_USER_AGENT}
        if header_name is not None:
            self.set_default_header(header_name, header_value or "")
        self.cookie = cookie
        self._fixed_settings = settings
        self._configuration = Configuration()
        self._options: dict[str, Any] = {}  # with_options overrides, applied over the settings
        self._optioned: tuple[Settings, Settings] | None = None  # (base, base with the options)
        self._tokens = _Tokens()
        self.http_client: AbstractHttpClient = DefaultHttpClient()
        self.sleep: Callable[[float], None] = time.sleep  # replaceable, e.g. to record waits

    # -- settings -----------------------------------------------------------------------
    @property
    def settings(self) -> Settings:
        """The settings the next call uses: the client's own, or the configuration's snapshot,
        with any `with_options` overrides applied."""
        base = self._fixed_settings or self._configuration.snapshot()
        if not self._options:
            return base
        optioned = self._optioned
        if optioned is not None and optioned[0] is base:
            return optioned[1]
        result = _apply_options(base, self._options)
        self._optioned = (base, result)
        return result

    def with_options(self, **options: Any) -> ApiClient:
        """A client like this one with some settings replaced, for some calls or a whole job:
        `client.with_options(timeout=5, max_retries=0).call_api(...)`.

        Options: `timeout` (seconds or a (connect, read) pair), `max_retries`,
        `max_retry_wait`, `retry` (a `RetryPolicy`), `should_refresh_access_token`.

        The new client shares this one's connection pool (`http_client`) and token state (a
        token fetched or renewed by either serves both), and copies its host, default headers,
        cookie and `sleep`. Settings not replaced keep following what this client follows
        (the configuration, or its own `settings=`). This client is not changed. Closing
        either closes the shared connections; the next call of either opens new ones.
        TLS and proxy settings are not options: they belong to the connection pool.
        """
        unknown = set(options) - set(OPTIONS)
        if unknown:
            raise TypeError(f"with_options() got unknown option(s) {', '.join(sorted(unknown))}; "
                            f"expected {', '.join(OPTIONS)}")
        checked = dict(options)
        if "timeout" in checked:
            checked["timeout"] = timeout_pair(checked["timeout"], "with_options timeout")
        for name in ("max_retries", "max_retry_wait"):
            value = checked.get(name)
            if name in checked and (not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0
                                    or (name == "max_retries" and not isinstance(value, int))):
                kind = "an int" if name == "max_retries" else "seconds"
                raise ValueError(f"with_options {name} must be {kind} >= 0, got {value!r}")
        if "retry" in checked:
            from ._retry import RetryPolicy

            if not isinstance(checked["retry"], RetryPolicy):
                raise TypeError(f"with_options retry must be a RetryPolicy, got {type(checked['retry']).__name__}")
        other = object.__new__(ApiClient)
        other.__dict__.update(self.__dict__)
        other.default_headers = dict(self.default_headers)
        other._options = {**self._options, **checked}
        other._optioned = None
        return other

    @property
    def host(self) -> str:
        return (self._host or self.settings.host).rstrip("/")

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
    @property
    def access_token(self) -> str | None:
        """The bearer token this client sends (shared with clients made by `with_options`)."""
        return self._tokens.access_token

    @access_token.setter
    def access_token(self, token: str | None) -> None:
        self._tokens.access_token = token

    def get_client_credentials_token(self, client_id: str, client_secret: str) -> ApiClient:
        """Fetch a token with the client-credentials grant; it is renewed automatically
        shortly before it expires, and once after a 401."""
        tokens = self._tokens
        tokens.credentials = Credentials(client_id, client_secret)
        with tokens.lock:
            self._fetch_token(self.settings)
        return self

    def login_host(self) -> str:
        """`https://login.<domain>` for `https://api.<domain>`; other hosts serve it themselves."""
        host = self.host
        return host.replace("//api.", "//login.", 1) if "//api." in host else host

    def _fetch_token(self, settings: Settings) -> None:
        """POST the client credentials to /oauth/token (the caller holds the token lock)."""
        tokens = self._tokens
        assert tokens.credentials is not None
        options = rules.token_request(self.login_host(), tokens.credentials.basic_auth(), self._user_agent(), settings)
        response = self._send_with_retries(options, "POST", rules.TOKEN_PATH, settings.retry)
        rules.keep_token(tokens, *rules.read_token(response))

    def _refreshes(self, settings: Settings) -> bool:
        return self._tokens.credentials is not None and settings.should_refresh_access_token

    def _refresh_token(self, rejected: str | None, settings: Settings) -> None:
        """Fetch a new token unless another thread replaced `rejected` meanwhile."""
        tokens = self._tokens
        with tokens.lock:
            if tokens.access_token == rejected:
                self._fetch_token(settings)

    def _token_for_call(self, settings: Settings) -> str | None:
        tokens = self._tokens
        token = tokens.access_token  # read before the expiry (see _fetch_token)
        expires = tokens.expires_at
        if rules.renewal_due(expires, self._refreshes(settings)):
            assert expires is not None
            try:
                self._refresh_token(token, settings)
            except ApiException as failure:
                rules.early_renewal_failed(failure, expires)  # the old token may still serve
        return tokens.access_token or settings.access_token

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
        headers = rules.request_headers(self.default_headers, self.cookie, call_headers, payload is not None)
        settings = self.settings  # one value for the whole call, retries and token renewal included
        timeouts = settings.timeout if timeout is None else timeout
        url = (self._host.rstrip("/") if self._host else settings.host) + path + query
        started, refreshed = time.perf_counter(), False
        while True:
            token = self._token_for_call(settings)
            rules.set_bearer(headers, token)
            options = HttpRequestOptions(url, method, headers, body=payload, timeout=timeouts,
                                         transport=settings.transport)
            try:
                response = self._send_with_retries(options, method, path, settings.retry)
            except ApiConnectionError as failure:
                rules.log_failure(method, path, query, failure)
                raise
            refresh = rules.wants_refresh(response, refreshed, self._refreshes(settings))
            self._log(method, path, query, response, started, headers, payload, settings, final=not refresh)
            if refresh:
                refreshed = True  # at most one refresh per call: a persistent 401 ends here
                self._refresh_token(token, settings)
                continue
            return rules.final_response(response, method, path)

    def _send_with_retries(self, options: HttpRequestOptions, method: str, path: str,
                           policy: RetryPolicy) -> RESTResponse:
        attempt = 0
        while True:
            response, error = self._send_once(options)
            delay = rules.retry_delay(policy, method, path, attempt, response, error)
            if delay is None:
                return response
            self.sleep(delay)
            attempt += 1

    def _send_once(self, options: HttpRequestOptions) -> tuple[RESTResponse, ApiConnectionError | None]:
        """One attempt: the response, or the connection error it ended in (never another kind)."""
        try:
            return _as_response(self.http_client.request(options)), None
        except ApiConnectionError as failure:
            return rules.NO_RESPONSE, failure
        except ApiException:
            raise
        except Exception as failure:  # a custom http client's own error
            return rules.NO_RESPONSE, rules.foreign_failure(failure)

    _log = staticmethod(rules.log_call)

    # -- decoding (the shared rules) --------------------------------------------------------
    _decode = staticmethod(rules.decode)
    _decode_json = staticmethod(rules.decode_json)
    _format_error = staticmethod(rules.format_error)

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
        timeout = None if _request_timeout is None else timeout_pair(_request_timeout, "_request_timeout")
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


def _apply_options(base: Settings, options: dict[str, Any]) -> Settings:
    """`base` with `with_options` overrides (already checked) applied."""
    retry = options.get("retry", base.retry)
    if "max_retries" in options or "max_retry_wait" in options:
        retry = retry.replace(max_retries=options.get("max_retries", retry.max_retries),
                              max_wait=options.get("max_retry_wait", retry.max_wait))
    changes = {name: options[name] for name in ("timeout", "should_refresh_access_token") if name in options}
    return base.replace(retry=retry, **changes)  # type: ignore[no-any-return]
