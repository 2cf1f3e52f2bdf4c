"""ApiClient: one routine sends every call (auth, retries, a single token refresh, decoding);
the official `call_api`/`deserialize`/`sanitize_for_serialization` surface delegates to it."""

from __future__ import annotations

import json
import logging
import sys
import threading
import time

from . import _oauth
from ._deadline import Deadline
from ._decode import DecodeError, decoder_for, pausing_collector_for_large_bodies
from ._encode import to_json_data, to_json_text
from ._model import Model, resolve
from ._netenv import transport_for_url
from ._official_helpers import OfficialHelpers
from ._version import __version__
from .configuration import Configuration
from .logger import log, log_exchange, redact_query
from .pacing import Pacer
from .rest import ApiConnectionError, ApiException, ResponseFormatError
from .settings import Settings, host_url, timeout_pair
from .transport import AbstractHttpClient, DefaultHttpClient, HttpRequestOptions, RESTResponse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import TracebackType
    from typing import Any, Callable

    from ._endpoint import Endpoint
    from ._retry import RetryPolicy
    from .gateway_configuration import GatewayConfiguration, GatewayUrls
    from .region_hosts import PureCloudRegionHosts

__all__ = ["ApiClient"]

TOKEN_REFRESH_MARGIN_S = 60  # fetch a new token this long before the old one expires
# Our own name first, so Genesys and proxies can tell this client from the official SDK (whose
# header is "PureCloud SDK/python"); `user_agent` is still settable.
OFFICIAL_USER_AGENT = "PureCloud SDK/python"
DEFAULT_USER_AGENT = (f"purecloud-scim/{__version__} ({OFFICIAL_USER_AGENT} compatible) "
                      f"Python/{sys.version_info[0]}.{sys.version_info[1]}")
OPTIONS = ("timeout", "max_retries", "max_retry_wait", "retry", "should_refresh_access_token", "deadline",
           "pace_requests")  # with_options
_FOLLOW = object()  # the client has no gateway setting of its own: its settings' gateway applies


class ApiClient(OfficialHelpers):
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
        self._tokens = _oauth.Tokens()
        self._gateway: Any = _FOLLOW  # a GatewayConfiguration, None (no gateway) or _FOLLOW
        self.http_client: AbstractHttpClient = DefaultHttpClient()
        self._local = threading.local()  # last_response, one per thread
        self.sleep: Callable[[float], None] = time.sleep  # replaceable, e.g. to record waits
        self.pacer = Pacer()  # used when the settings say pace_requests; shared with with_options clients

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
        `max_retry_wait`, `retry` (a `RetryPolicy`), `should_refresh_access_token`,
        `deadline` (seconds one call may take in all, or None).
        `pace_requests` (space requests by the rate-limit headers).

        The new client shares this one's connection pool (`http_client`), token state (a
        token fetched or renewed by either serves both) and `pacer` (one rate-limit window
        paced for both), and copies its host, default headers,
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
        if "deadline" in checked:
            from ._deadline import deadline_seconds

            checked["deadline"] = deadline_seconds(checked["deadline"], "with_options deadline")
        for name in ("max_retries", "max_retry_wait"):
            value = checked.get(name)
            if name in checked and (not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0
                                    or (name == "max_retries" and not isinstance(value, int))):
                kind = "an int" if name == "max_retries" else "seconds"
                raise ValueError(f"with_options {name} must be {kind} >= 0, got {value!r}")
        if "pace_requests" in checked and not isinstance(checked["pace_requests"], bool):
            raise TypeError(f"with_options pace_requests must be True or False, got {checked['pace_requests']!r}")
        if "retry" in checked:
            from ._retry import RetryPolicy

            if not isinstance(checked["retry"], RetryPolicy):
                raise TypeError(f"with_options retry must be a RetryPolicy, got {type(checked['retry']).__name__}")
        other = object.__new__(ApiClient)
        other.__dict__.update(self.__dict__)
        other.default_headers = dict(self.default_headers)
        other._options = {**self._options, **checked}
        other._optioned = None
        other._local = threading.local()
        return other

    @property
    def host(self) -> str:
        return (self._host or self.settings.host).rstrip("/")

    @host.setter
    def host(self, value: str | PureCloudRegionHosts | None) -> None:
        self._host = None if value is None else host_url(value, "ApiClient host")

    # -- gateway ------------------------------------------------------------------------
    @property
    def gateway_configuration(self) -> GatewayConfiguration | None:
        """The gateway this client's calls and token requests go through: its own (from
        `set_gateway` or assigned here; None for none), else the configuration's."""
        if self._gateway is _FOLLOW:
            return None if self._fixed_settings is not None else self._configuration.gateway_configuration
        return self._gateway  # type: ignore[no-any-return]

    @gateway_configuration.setter
    def gateway_configuration(self, gateway: GatewayConfiguration | None) -> None:
        from .gateway_configuration import GatewayConfiguration

        if gateway is not None and not isinstance(gateway, GatewayConfiguration):
            raise TypeError(f"gateway_configuration must be a GatewayConfiguration, got {type(gateway).__name__}")
        self._gateway = gateway

    def set_gateway(self, host: str, protocol: str | None = None, port: int | None = -1,
                    path_params_login: str | None = None, path_params_api: str | None = None) -> None:
        """Send this client's calls and token requests through a gateway: API calls to
        `protocol://host[:port]/path_params_api/api/v2/...`, token requests to
        `protocol://host[:port]/path_params_login/oauth/token` (protocol "https" by default;
        port -1 leaves it out; slashes around the paths do not matter)."""
        from .gateway_configuration import GatewayConfiguration

        self._gateway = GatewayConfiguration(host=host, protocol=protocol, port=port,
                                             path_params_login=path_params_login, path_params_api=path_params_api)

    def _gateway_urls(self, settings: Settings) -> GatewayUrls | None:
        own = self._gateway
        if own is _FOLLOW:
            return settings.gateway
        return None if own is None else own.urls()

    def get_conf_url(self, path_type: str, base_path: str) -> str:
        """The base URL for "login" (token requests) or "api" calls: the gateway's when one is
        set, else `base_path` (for "login", with `//api.` made `//login.`)."""
        urls = self._gateway_urls(self.settings)
        if urls is not None:
            return urls.login_url if path_type == "login" else urls.api_url
        return base_path.replace("//api.", "//login.", 1) if path_type == "login" else base_path

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

    def get_http_client(self) -> AbstractHttpClient:
        """The HTTP client calls are sent with (a `DefaultHttpClient` unless replaced)."""
        return self.http_client

    @property
    def last_response(self) -> RESTResponse | None:
        """The response of this thread's last successful call through this client (the
        official attribute, kept per thread here so concurrent calls cannot mix them up)."""
        return getattr(self._local, "response", None)

    @last_response.setter
    def last_response(self, response: RESTResponse | None) -> None:
        self._local.response = response

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

    @property
    def refresh_token(self) -> str:
        """The refresh token of a code grant ("" when none); with one, a 401 renews the token."""
        return self._tokens.refresh_token

    @refresh_token.setter
    def refresh_token(self, token: str | None) -> None:
        self._tokens.refresh_token = token or ""

    @property
    def client_id(self) -> str:
        """The OAuth client id of the last grant ("" when none); renewals use it."""
        return self._tokens.credentials.client_id

    @client_id.setter
    def client_id(self, value: str | None) -> None:
        self._tokens.credentials = _oauth.Credentials(value or "", self._tokens.credentials.secret)

    @property
    def client_secret(self) -> str:
        """The OAuth client secret of the last grant ("" when none); never shown by repr or logs."""
        return self._tokens.credentials.secret

    @client_secret.setter
    def client_secret(self, value: str | None) -> None:
        self._tokens.credentials = _oauth.Credentials(self._tokens.credentials.client_id, value or "")

    def get_client_credentials_token(self, client_id: str, client_secret: str) -> ApiClient:
        """Fetch a token with the client-credentials grant; it is renewed automatically
        shortly before it expires, and once after a 401. Returns this client."""
        _oauth.obtain(self, _oauth.client_credentials_grant(client_id, client_secret), self.settings)
        return self

    def get_saml2bearer_token(self, client_id: str, client_secret: str, org_name: str, assertion: str) -> ApiClient:
        """Exchange a SAML2 assertion (base64 text) of org `org_name` for a token; it is not
        renewed (an assertion is single-use). Returns this client."""
        _oauth.obtain(self, _oauth.saml2bearer_grant(client_id, client_secret, org_name, assertion), self.settings)
        return self

    def get_code_authorization_token(self, client_id: str, client_secret: str, auth_code: str,
                                     redirect_uri: str) -> tuple[ApiClient, dict[str, Any]]:
        """Exchange an authorization code for a token and a refresh token; after a 401 the
        token is renewed with the refresh token (once per call). Returns (this client, the
        token response)."""
        grant = _oauth.code_grant(client_id, client_secret, auth_code, redirect_uri)
        return self, _oauth.obtain(self, grant, self.settings)

    def refresh_code_authorization_token(self, client_id: str, client_secret: str,
                                         refresh_token: str) -> tuple[ApiClient, dict[str, Any]]:
        """A new token from `refresh_token` (and a new refresh token when the server rotates
        them). Returns (this client, the token response)."""
        grant = _oauth.refresh_grant(client_id, client_secret, refresh_token)
        return self, _oauth.obtain(self, grant, self.settings)

    def get_pkce_token(self, client_id: str, code_verifier: str, auth_code: str,
                       redirect_uri: str) -> tuple[ApiClient, dict[str, Any]]:
        """Exchange an authorization code proven by its PKCE `code_verifier` (no client secret)
        for a token. Returns (this client, the token response)."""
        grant = _oauth.pkce_grant(client_id, code_verifier, auth_code, redirect_uri)
        return self, _oauth.obtain(self, grant, self.settings)

    def generate_pkce_code_verifier(self, length: int) -> str:
        """A random PKCE code verifier of 43 to 128 characters (drawn with `secrets`)."""
        return _oauth.generate_pkce_code_verifier(length)

    def compute_pkce_code_challenge(self, code: str) -> str:
        """The S256 code challenge of the verifier `code` (base64url, no padding)."""
        return _oauth.compute_pkce_code_challenge(code)

    def handle_expired_access_token(self) -> None:
        """Renew the token now (with the refresh token, or the client credentials); when another
        thread is renewing it, wait for that, at most `configuration.refresh_token_wait_time`
        seconds. ValueError when the token cannot be renewed."""
        if self._tokens.renewal() is None:
            raise ValueError("handle_expired_access_token: nothing to renew the token with; get a token "
                             "with get_code_authorization_token or set client.refresh_token first")
        _oauth.renew(self, self._tokens.access_token, self.settings)

    def login_host(self) -> str:
        """`https://login.<domain>` for `https://api.<domain>`; other hosts serve it themselves;
        with a gateway, the gateway's login URL."""
        urls = self._gateway_urls(self.settings)
        if urls is not None:
            return urls.login_url
        return _oauth.login_host(self.host)

    def _token_url(self, settings: Settings) -> str:
        """Where every grant is sent (the one place that decides it)."""
        return self.login_host() + _oauth.TOKEN_PATH

    def _refreshes(self, settings: Settings) -> bool:
        return settings.should_refresh_access_token and self._tokens.renewal() is not None

    def _refresh_token(self, rejected: str | None, settings: Settings) -> None:
        """Renew the token unless another thread replaced `rejected` meanwhile."""
        _oauth.renew(self, rejected, settings)

    def _token_for_call(self, settings: Settings) -> str | None:
        tokens = self._tokens
        token = tokens.access_token  # read before the expiry (see _oauth._store)
        expires = tokens.expires_at
        if self._renewal_due(expires, settings):
            assert expires is not None
            try:
                self._refresh_token(token, settings)
            except ApiException as failure:
                early_renewal_failed(failure, expires)
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
        headers = self._request_headers(call_headers, payload is not None)
        settings = self.settings  # one value for the whole call, retries and token renewal included
        timeouts = settings.timeout if timeout is None else timeout
        url = self._url(settings, path, query)
        started, refreshed = time.perf_counter(), False
        deadline = Deadline(settings.deadline)  # one budget for every attempt and wait of this call
        while True:
            token = self._token_for_call(settings)
            if token:
                headers.update(checked_headers({"Authorization": "Bearer " + token}))
            options = HttpRequestOptions(url, method, headers, body=payload, timeout=timeouts,
                                         transport=transport_for(settings, url))
            try:
                response = self._send_with_retries(options, method, path, settings.retry, deadline,
                                                   self._pacing(settings))
            except ApiConnectionError as failure:
                log_failure(method, path, query, url, headers, payload, settings, failure)
                raise
            refresh = response.status == 401 and not refreshed and self._refreshes(settings)
            self._log(method, url, response, started, headers, payload, settings, final=not refresh)
            if refresh:
                refreshed = True  # at most one refresh per call: a persistent 401 ends here
                self._refresh_token(token, settings)
                continue
            if 200 <= response.status < 300:
                self._local.response = response
                return response
            raise ApiException.from_response(response, method, path)

    # -- the rules of a call, shared with the asyncio client (aio.AsyncApiClient) -------------
    def _request_headers(self, call_headers: dict[str, str], has_payload: bool) -> dict[str, str]:
        """The headers of a call, checked (before anything is sent, including a token request)."""
        headers = {**self.default_headers, "purecloud-sdk": __version__, "Accept": "application/json"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        headers.update(call_headers)  # per-call values win over defaults (the official SDK did the reverse)
        if has_payload:
            headers["Content-Type"] = "application/json"
        return checked_headers(headers)

    def _url(self, settings: Settings, path: str, query: str) -> str:
        gateway = self._gateway_urls(settings)
        if gateway is not None:
            return gateway.api_url + path + query
        return (self._host.rstrip("/") if self._host else settings.host) + path + query

    def _renewal_due(self, expires: float | None, settings: Settings) -> bool:
        """Whether the token is to be renewed before this call (it expires within the margin)."""
        return (expires is not None and time.monotonic() >= expires - TOKEN_REFRESH_MARGIN_S
                and self._refreshes(settings))

    def _pacing(self, settings: Settings) -> Pacer | None:
        return self.pacer if settings.pace_requests else None

    def _send_with_retries(self, options: HttpRequestOptions, method: str, path: str,
                           policy: RetryPolicy, deadline: Deadline, pacer: Pacer | None = None) -> RESTResponse:
        attempt = 0
        while True:
            if pacer is not None:
                pacer.wait(self.sleep)
            options.total_timeout = deadline.left()
            response, error = self._send_once(options)
            delay = retry_delay(policy, method, path, attempt, response, error, deadline, pacer)
            if delay is None:
                return response
            self.sleep(delay)
            attempt += 1

    def _send_once(self, options: HttpRequestOptions) -> tuple[RESTResponse, ApiConnectionError | None]:
        """One attempt: the response, or the connection error it ended in (never another kind)."""
        try:
            return as_response(self.http_client.request(options)), None
        except ApiConnectionError as failure:
            return NO_RESPONSE, failure
        except ApiException:
            raise
        except Exception as failure:  # a custom http client's own error
            return NO_RESPONSE, ApiConnectionError(f"{type(failure).__name__}: {failure}")

    def _log(self, method: str, url: str, response: RESTResponse, started: float,
             headers: dict[str, str], payload: bytes | None, settings: Settings, final: bool = True) -> None:
        logging_settings = settings.logging
        # ERROR only when the user asked for the official logging; otherwise a failed call would
        # reach logging's last-resort stderr handler in applications that configure no logging.
        # A 401 answered by a token refresh is not the call's end: logged as a success would be.
        failed = not 200 <= response.status < 300 and final and logging_settings.official
        if not log.isEnabledFor(logging.ERROR if failed else logging.DEBUG):
            return
        log_exchange(method, url, response.status, (time.perf_counter() - started) * 1000, settings=logging_settings,
                     failed=failed, request_headers=headers, response_headers=response.getheaders(),
                     request_body=payload, response_text=response.data if failed or logging_settings.official
                     else None)

    # -- decoding -----------------------------------------------------------------------
    @pausing_collector_for_large_bodies
    def _decode(self, response: RESTResponse, type_name: str, method: str, path: str) -> Any:
        if type_name == "None":
            return None
        if not response.body.strip() and (response.status == 204 or method in WRITES
                                          or type_name in ("Empty", "object")):
            # 204 No Content (RFC 7644 §3.5.2 allows it for PATCH), or a write answered with an
            # empty body: the declared model, empty, as the official SDK returns
            return _empty(type_name)
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
            if not response.body.strip():
                kind = "an empty body" + ("" if kind == "no Content-Type" else f" ({kind})")
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
        from urllib.parse import quote

        from ._endpoint import check_header_value, path_segment, query_value

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
        return self._decode(as_response(response), response_type, "DESERIALIZE", response_type)

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


NO_RESPONSE = RESTResponse(0, None, b"", {})
WRITES = frozenset({"POST", "PUT", "PATCH"})  # an empty answer to these means "done", not a lost body


def _empty(type_name: str) -> Any:
    """What an answer without content gives for `type_name`: an empty model (every attribute
    None), or None for `object`, lists and plain values."""
    if type_name[:1].isupper() and not type_name.startswith(("list[", "dict(")):
        return resolve(type_name)()
    return None


def transport_for(settings: Settings, url: str) -> Any:
    """The transport settings for `url`: the settings' own, with any environment proxy applied."""
    if settings.proxies is None:
        return settings.transport
    return transport_for_url(settings.transport, settings.proxies, url)


def retry_delay(policy: RetryPolicy, method: str, path: str, attempt: int, response: RESTResponse,
                 error: ApiConnectionError | None, deadline: Deadline, pacer: Pacer | None) -> float | None:
    """After one attempt: seconds to wait before sending again, or None when `response` is the
    call's answer; a connection error that is final (or a retry the deadline refuses) raises."""
    if pacer is not None and error is None and path != "/oauth/token":
        pacer.observe(response)  # the login host's headers describe its own window, not the API's
    if error is None and 200 <= response.status < 300:
        return None
    if error is not None and deadline.passed():
        error = deadline.expired(error.reason, error.sent)
        delay = None
    elif error is None:
        delay = policy.delay(method, attempt, response.status, response.getheaders())
    else:
        delay = policy.delay(method, attempt, retryable=error.retryable, sent=error.sent)
    if delay is not None and not deadline.allows(delay):
        refused = error or ApiException.from_response(response, method, path)
        refused.reason = f"{refused.reason} ({deadline.why_not_retried(delay)})"
        refused.method, refused.path = method, path
        raise refused
    if delay is None:
        if error is not None:
            error.method, error.path = method, path
            raise error
        return None
    cause = error.reason if error else response.status
    log.info("retrying %s %s after %s in %.2f s (attempt %d)", method, path, cause, delay, attempt + 1)
    return delay


def log_failure(method: str, path: str, query: str, url: str, headers: dict[str, str], payload: bytes | None,
                 settings: Settings, failure: ApiConnectionError) -> None:
    if settings.logging.official:  # officially an error record; else a plain DEBUG line as before
        log_exchange(method, url, 0, None, settings=settings.logging, failed=True, request_headers=headers,
                     request_body=payload, failure=failure.reason)
    else:
        log.debug("%s %s%s -> failed: %s", method, path, redact_query(query), failure.reason)


def early_renewal_failed(failure: ApiException, expires: float) -> None:
    """Raise `failure` if the old token has expired; else keep using it (try again next call)."""
    if time.monotonic() >= expires:
        raise failure
    log.warning("could not renew the access token early: %s", failure.reason)


def as_response(raw: Any) -> RESTResponse:
    """A RESTResponse from whatever a custom http client returned (`.status`, `.data`, ...)."""
    if isinstance(raw, RESTResponse):
        return raw
    data = raw.data
    data = data if isinstance(data, str) else bytes(data or b"")
    headers = raw.getheaders() if hasattr(raw, "getheaders") else getattr(raw, "headers", None)
    return RESTResponse(int(raw.status), getattr(raw, "reason", None), data, headers or {})


def checked_headers(headers: dict[str, str]) -> dict[str, str]:
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


def _apply_options(base: Settings, options: dict[str, Any]) -> Settings:
    """`base` with `with_options` overrides (already checked) applied."""
    retry = options.get("retry", base.retry)
    if "max_retries" in options or "max_retry_wait" in options:
        retry = retry.replace(max_retries=options.get("max_retries", retry.max_retries),
                              max_wait=options.get("max_retry_wait", retry.max_wait))
    changes = {name: options[name] for name in ("timeout", "should_refresh_access_token", "deadline",
                                                 "pace_requests")
               if name in options}
    return base.replace(retry=retry, **changes)  # type: ignore[no-any-return]
