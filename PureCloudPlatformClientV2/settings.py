"""Settings as values: what one call needs (host, timeouts, retry policy, TLS, proxy, logging,
token refresh), frozen, so they can be passed down instead of read from global state.

`Configuration` produces a `Settings` snapshot (`configuration.snapshot()`); an `ApiClient`
follows that snapshot or is given its own; the transport is built from `TransportSettings`.
This module imports nothing heavy (no dataclasses, no typing): it loads with the package.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    import ssl

    from ._retry import RetryPolicy
    from ._netenv import EnvironmentProxies
    from .gateway_configuration import GatewayConfiguration, GatewayUrls
    from .region_hosts import PureCloudRegionHosts

__all__ = ["Settings", "TransportSettings", "LogSettings", "RetryPolicy"]

DEFAULT_HOST = "https://api.mypurecloud.com"
DEFAULT_TIMEOUT_S = (10.0, 60.0)  # (connect, read); the official SDK applies none and can hang
DEFAULT_MAX_RETRIES = 3
DEFAULT_MAX_RETRY_WAIT_S = 60.0
DEFAULT_REFRESH_TOKEN_WAIT_S = 10  # the official default of configuration.refresh_token_wait_time
# The longest one call may take, retries and waits included: two full read timeouts (60 s)
# fit, so a slow answer still gets a retry, yet a hung or trickling server ends in 2 minutes.
DEFAULT_DEADLINE_S = 120.0


def host_url(value: str | PureCloudRegionHosts, setting: str) -> str:
    """A host given as a URL or as a `PureCloudRegionHosts` member, as a URL."""
    if isinstance(value, str):
        return value
    get_api_host = getattr(value, "get_api_host", None)  # a PureCloudRegionHosts member
    if not callable(get_api_host):
        raise TypeError(f"{setting} must be a URL or a PureCloudRegionHosts, got {type(value).__name__}")
    return str(get_api_host())


def wait_seconds(value: Any, setting: str) -> float:
    """Seconds >= 0 (a finite number), checked; `setting` names what was given in the error."""
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value < float("inf"):
        raise ValueError(f"{setting} must be seconds >= 0, got {value!r}")
    return float(value)


def timeout_pair(value: Any, setting: str) -> tuple[float, float]:
    """Seconds > 0, or a (connect, read) pair of them, as a checked pair of floats; `setting`
    names what was given in the error (`configuration.timeout`, `_request_timeout`, ...)."""
    pair = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(pair) != 2 or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in pair):
        raise ValueError(f"{setting} must be seconds > 0 or a (connect, read) pair, got {value!r}")
    return float(pair[0]), float(pair[1])


class FrozenValue:
    """A tiny frozen record: fields set once by `__init__`, compared and hashed by value."""

    __slots__: tuple[str, ...] = ()
    _secret_fields: tuple[str, ...] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def _set(self, **values: Any) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: use .replace({name}=...)")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self), self._values()))

    def replace(self, **changes: Any) -> Any:
        """A copy with `changes` applied (names as the constructor takes them)."""
        values = {name: getattr(self, name) for name in self.__slots__}
        unknown = set(changes) - set(values)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no setting {', '.join(sorted(unknown))}")
        return type(self)(**{**values, **changes})

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={'<redacted>' if name in self._secret_fields and value else repr(value)}"
                          for name in self.__slots__ for value in [getattr(self, name)])
        return f"{type(self).__name__}({shown})"


class TransportSettings(FrozenValue):
    """How connections are made: TLS and proxy. `ca_cert` None means certifi's bundle.
    `ssl_context` (an `ssl.SSLContext`, e.g. from `configuration.set_mtls_certificates`), when
    set and `verify_ssl` is on, is used as it is instead of ca_cert/cert_file/key_file."""

    __slots__ = ("verify_ssl", "ca_cert", "cert_file", "key_file", "proxy", "proxy_username", "proxy_password",
                 "ssl_context")
    _secret_fields = ("proxy_password",)
    verify_ssl: bool
    ca_cert: str | None
    cert_file: str | None
    key_file: str | None
    proxy: str | None
    proxy_username: str | None
    proxy_password: str | None
    ssl_context: ssl.SSLContext | None

    def __init__(self, verify_ssl: bool = True, ca_cert: str | None = None, cert_file: str | None = None,
                 key_file: str | None = None, proxy: str | None = None, proxy_username: str | None = None,
                 proxy_password: str | None = None, ssl_context: ssl.SSLContext | None = None) -> None:
        if ssl_context is not None and not hasattr(ssl_context, "wrap_socket"):
            raise TypeError(f"ssl_context must be an ssl.SSLContext, got {type(ssl_context).__name__}")
        self._set(verify_ssl=bool(verify_ssl), ca_cert=ca_cert, cert_file=cert_file, key_file=key_file,
                  proxy=proxy, proxy_username=proxy_username, proxy_password=proxy_password,
                  ssl_context=ssl_context)

    def __repr__(self) -> str:
        text = super().__repr__()
        if self.proxy and "@" in self.proxy:  # credentials written into the proxy URL
            from urllib.parse import urlsplit

            parts = urlsplit(self.proxy)
            text = text.replace(repr(self.proxy), repr(parts._replace(netloc="<redacted>@" + parts.netloc.rsplit(
                "@", 1)[1]).geturl()))
        return text


class LogSettings(FrozenValue):
    """What the official `configuration.logger` settings ask of each call's log record:
    `official` once any of them is in use (records then take the official layout, in `format`
    (1 text, 2 JSON), and failed calls log at ERROR), and the bodies."""

    __slots__ = ("official", "request_body", "response_body", "format")
    official: bool
    request_body: bool
    response_body: bool
    format: int

    def __init__(self, official: bool = False, request_body: bool = False, response_body: bool = False,
                 format: int = 1) -> None:
        self._set(official=official, request_body=request_body, response_body=response_body, format=format)


class Settings(FrozenValue):
    """Everything one call reads, as one value. `host` None means the client decides (its
    own host); `access_token` is the fallback for clients that have none of their own;
    `refresh_token_wait_time` is how long a call waits for another thread's token renewal.
    `pace_requests` spaces requests by the rate-limit headers (see `pacing.Pacer`).
    `gateway` (a `GatewayConfiguration`, kept as its frozen `GatewayUrls`), when set, replaces
    the host for clients without a gateway of their own."""

    __slots__ = ("host", "access_token", "timeout", "retry", "transport", "logging", "should_refresh_access_token",
                 "refresh_token_wait_time", "deadline", "proxies", "pace_requests",
                 "gateway")
    _secret_fields = ("access_token",)
    host: str
    access_token: str | None
    timeout: tuple[float, float]
    retry: RetryPolicy
    transport: TransportSettings
    logging: LogSettings
    should_refresh_access_token: bool
    refresh_token_wait_time: float
    deadline: float | None  # seconds one call may take in all (None: no limit)
    proxies: EnvironmentProxies | None  # the environment's proxies, used when transport.proxy is None
    pace_requests: bool
    gateway: GatewayUrls | None

    def __init__(self, host: str | PureCloudRegionHosts = DEFAULT_HOST, access_token: str | None = None,
                 timeout: Any = DEFAULT_TIMEOUT_S, retry: RetryPolicy | None = None,
                 transport: TransportSettings | None = None, logging: LogSettings | None = None,
                 should_refresh_access_token: bool = True,
                 refresh_token_wait_time: float = DEFAULT_REFRESH_TOKEN_WAIT_S,
                 deadline: float | None = DEFAULT_DEADLINE_S, proxies: EnvironmentProxies | None = None,
                 pace_requests: bool = False,
                 gateway: GatewayConfiguration | GatewayUrls | None = None) -> None:
        from ._deadline import deadline_seconds


        if retry is None:
            from ._retry import RetryPolicy

            retry = RetryPolicy()
        self._set(host=host_url(host, "host").rstrip("/"), access_token=access_token,
                  timeout=timeout_pair(timeout, "timeout"), retry=retry,
                  transport=TransportSettings() if transport is None else transport,
                  logging=LogSettings() if logging is None else logging,
                  should_refresh_access_token=bool(should_refresh_access_token),
                  refresh_token_wait_time=wait_seconds(refresh_token_wait_time, "refresh_token_wait_time"),
                  deadline=deadline_seconds(deadline, "deadline"), proxies=proxies,
                  pace_requests=bool(pace_requests),
                  gateway=_gateway_urls(gateway))


def _gateway_urls(gateway: Any) -> GatewayUrls | None:
    if gateway is None:
        return None
    from .gateway_configuration import GatewayConfiguration, GatewayUrls

    if isinstance(gateway, GatewayUrls):
        return gateway
    if isinstance(gateway, GatewayConfiguration):
        return gateway.urls()
    raise TypeError(f"gateway must be a GatewayConfiguration, got {type(gateway).__name__}")


def __getattr__(name: str) -> Any:
    # RetryPolicy is public here; it lives in _retry, which imports this module (so: lazily)
    if name == "RetryPolicy":
        from ._retry import RetryPolicy

        return RetryPolicy
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
