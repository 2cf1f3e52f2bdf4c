"""HTTP transport: the official `AbstractHttpClient`/`HttpRequestOptions` contract and
`DefaultHttpClient` over urllib3 (pooled, timeouts applied, errors mapped to ApiException).

It reads no global settings: TLS and proxy come from a `TransportSettings` value (the
client's own, or the one a request carries), timeouts from the request or the client."""

from __future__ import annotations

import functools
import threading

from .rest import ApiConnectionError, ApiTimeoutError
from .settings import DEFAULT_TIMEOUT_S, TransportSettings

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    import urllib3

__all__ = ["HttpRequestOptions", "RESTResponse", "AbstractHttpClient", "DefaultHttpClient"]

METHODS = frozenset({"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE"})
MAX_REDIRECTS = 5
POOL_MAXSIZE = 16  # connections kept per host; more threads get extra, short-lived ones (never block)
CROSS_ORIGIN_DROPPED = frozenset({"authorization", "cookie", "proxy-authorization"})


class HttpRequestOptions:
    """One request for an `AbstractHttpClient`. `timeout` is in seconds here: a number or a
    (connect, read) pair (the official SDK stored milliseconds and never applied them).
    `transport` is the TLS/proxy settings the request wants (None: the client's own)."""

    def __init__(self, url: str, method: str, headers: dict[str, str] | None = None,
                 query_params: list[tuple[str, str]] | None = None, post_params: Any = None,
                 body: bytes | str | None = None, timeout: float | tuple[float, float] | None = None, *,
                 transport: TransportSettings | None = None) -> None:
        if not url:
            raise ValueError("url must not be empty")
        if method.upper() not in METHODS:
            raise ValueError(f"unsupported HTTP method {method!r}")
        self.url, self.method, self.headers = url, method.upper(), dict(headers or {})
        self.query_params, self.post_params, self.body, self.timeout = query_params, post_params, body, timeout
        self.transport = transport


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

    def getheaders(self) -> dict[str, str]:
        return dict(self._headers)

    def getheader(self, name: str, default: str | None = None) -> str | None:
        value = self._headers.get(name)
        if value is None:  # a plain dict from a custom client is case-sensitive
            wanted = name.lower()
            value = next((v for k, v in self._headers.items() if k.lower() == wanted), None)
        return default if value is None else value

    def __repr__(self) -> str:
        return f"RESTResponse(status={self.status!r}, reason={self.reason!r})"


class AbstractHttpClient:
    """Implement `request(options) -> RESTResponse-like` to plug in another HTTP stack.
    Whatever it returns is still checked: non-2xx statuses raise ApiException."""

    def __init__(self) -> None:
        self.timeout: float | tuple[float, float] | None = None

    def request(self, options: HttpRequestOptions) -> Any:
        raise NotImplementedError

    def close(self) -> None:
        """Release connections (no-op unless the client holds any)."""


class DefaultHttpClient(AbstractHttpClient):
    """urllib3 with connection pooling, TLS verified with certifi, no hidden retries or redirects
    across origins with credentials; every urllib3 failure becomes an ApiException.

    timeout: used for requests that carry none (default (10, 60) seconds).
    settings: TLS and proxy for requests that carry none (default: verified with certifi, no proxy).
    https_agent: a urllib3 `PoolManager` of your own, used for every request until `close()`.

    When a request carries other transport settings than the pool was made with (say
    `configuration.ssl_ca_cert` changed), a new pool is made with them and the old one closed,
    so new connections always use the settings asked for.
    """

    def __init__(self, timeout: float | tuple[float, float] | None = None, https_agent: Any = None, *,
                 settings: TransportSettings | None = None) -> None:
        super().__init__()
        self.timeout = timeout
        self.settings = TransportSettings() if settings is None else settings
        # (pool, the settings it was made with; None for a given agent), replaced as one value
        self._current: tuple[urllib3.PoolManager, TransportSettings | None] | None = (
            None if https_agent is None else (https_agent, None))
        self._lock = threading.Lock()
        self._unverified_hosts: set[str] = set()

    def _pool_manager(self, wanted: TransportSettings) -> urllib3.PoolManager:
        current = self._current
        if current is not None and (current[1] is wanted or current[1] is None or current[1] == wanted):
            return current[0]
        with self._lock:
            current = self._current
            if current is not None and (current[1] is None or current[1] == wanted):
                return current[0]
            self._current = (_make_pool(wanted), wanted)
        if current is not None:  # settings changed: connections made with the old ones end
            _close_pool(current[0])
        return self._current[0]

    def close(self) -> None:
        with self._lock:
            current, self._current = self._current, None
        if current is not None:
            _close_pool(current[0])

    def request(self, options: HttpRequestOptions) -> RESTResponse:
        pool = self._pool_manager(options.transport or self.settings)
        timeout = _urllib3_timeout(*timeout_or_default(options.timeout if options.timeout is not None else self.timeout))
        # options.headers is already a private copy; redirects below build new dicts, never mutate it
        method, url, headers, body = options.method, options.url, options.headers, options.body
        redirects = 0
        while True:
            self._quiet_unverified(pool, url)
            raw = _send(pool, method, url, headers, body, timeout)
            target = redirect_target(url, raw)
            if target is None or redirects == MAX_REDIRECTS:
                # a redirect not followed comes back as is; the caller raises it as ApiException
                return RESTResponse(raw.status, raw.reason, raw.data, raw.headers)
            redirects += 1
            url, headers = target, headers_for(url, target, headers)
            if raw.status == 303 or (raw.status in (301, 302) and method not in ("GET", "HEAD")):
                method, body = "GET", None
                headers = {k: v for k, v in headers.items() if k.lower() not in ("content-type", "content-length")}

    def _quiet_unverified(self, pool: Any, url: str) -> None:
        # verify_ssl=False was warned about once (when the pool was made); urllib3 would warn on
        # every request. Silence exactly its warning for this host instead of all of urllib3's.
        if getattr(pool, "connection_pool_kw", {}).get("cert_reqs") != "CERT_NONE" or not url.startswith("https:"):
            return
        from urllib.parse import urlsplit

        host = urlsplit(url).hostname or ""
        if host not in self._unverified_hosts:
            import re
            import warnings

            from urllib3.exceptions import InsecureRequestWarning

            self._unverified_hosts.add(host)
            pattern = f"Unverified HTTPS request is being made to host '{re.escape(host)}'"
            warnings.filterwarnings("ignore", pattern, InsecureRequestWarning)


def _make_pool(settings: TransportSettings) -> urllib3.PoolManager:
    import urllib3

    if settings.verify_ssl:
        if settings.ca_cert is None:
            import certifi

            ca_cert = certifi.where()
        else:
            ca_cert = settings.ca_cert
        tls: dict[str, Any] = {"cert_reqs": "CERT_REQUIRED", "ca_certs": ca_cert}
    else:
        import warnings

        warnings.warn("configuration.verify_ssl is False: TLS certificates are not verified", stacklevel=2)
        tls = {"cert_reqs": "CERT_NONE"}
    if settings.cert_file:
        tls.update(cert_file=settings.cert_file, key_file=settings.key_file)
    common: dict[str, Any] = {"num_pools": 10, "maxsize": POOL_MAXSIZE, "block": False, "retries": False, **tls}
    if settings.proxy:
        proxy_headers = None
        if settings.proxy_username and settings.proxy_password:
            proxy_headers = urllib3.make_headers(
                proxy_basic_auth=f"{settings.proxy_username}:{settings.proxy_password}")
        return urllib3.ProxyManager(settings.proxy, proxy_headers=proxy_headers, **common)
    return urllib3.PoolManager(**common)


def _close_pool(manager: urllib3.PoolManager) -> None:
    # urllib3 2's PoolManager.clear() forgets its pools without closing their sockets.
    # Connections in use at this moment are closed when they are given back.
    for key in manager.pools.keys():
        pool = manager.pools.get(key)
        if pool is not None:
            pool.close()
    manager.clear()


@functools.lru_cache(maxsize=32)
def _urllib3_timeout(connect: float, read: float) -> Any:
    """One shared urllib3.Timeout per pair: urllib3 clones it for each request."""
    import urllib3

    return urllib3.Timeout(connect=connect, read=read)


def timeout_or_default(value: Any) -> tuple[float, float]:
    if value is None:  # never wait forever
        return DEFAULT_TIMEOUT_S
    if isinstance(value, (tuple, list)):
        return value[0], value[1]
    return value, value


def _send(pool: Any, method: str, url: str, headers: dict[str, str], body: Any, timeout: Any) -> Any:
    from urllib3 import exceptions as e

    try:
        return pool.urlopen(method, url, body=body, headers=headers, redirect=False, retries=False,
                            timeout=timeout, preload_content=True)
    except (e.NewConnectionError, e.ProxyError) as error:  # first: NewConnectionError subclasses
        raise ApiConnectionError(f"connection failed: {error}", sent=False) from None  # ConnectTimeoutError
    except e.ConnectTimeoutError as error:
        raise ApiTimeoutError(f"connect timeout: {error}", sent=False) from None
    except e.ReadTimeoutError as error:
        raise ApiTimeoutError(f"read timeout: {error}", sent=True) from None
    except e.LocationValueError as error:
        raise ApiConnectionError(f"invalid URL: {error}", sent=False, retryable=False) from None
    except e.SSLError as error:
        raise _tls_error(error) from None
    except (e.HTTPError, OSError) as error:  # reset, truncated reply, protocol errors: may have been processed
        raise ApiConnectionError(f"connection broken: {error}", sent=True) from None


def _tls_error(error: Exception) -> ApiConnectionError:
    import ssl

    cause = error.args[0] if error.args else None
    if isinstance(cause, (ssl.SSLCertVerificationError, ssl.CertificateError)):
        # The handshake refused the server: nothing was sent and retrying cannot help.
        return ApiConnectionError(f"TLS certificate not trusted: {error}", sent=False, retryable=False)
    # Other TLS failures can happen after the request was written (e.g. an unclean close).
    return ApiConnectionError(f"TLS failure: {error}", sent=True)


def redirect_target(url: str, raw: Any) -> str | None:
    """The URL to follow, or None: not a redirect, no Location, or not http(s)."""
    location = raw.headers.get("Location")
    if raw.status not in (301, 302, 303, 307, 308) or not location:
        return None
    from urllib.parse import urljoin, urlsplit

    target = urljoin(url, location)
    return target if urlsplit(target).scheme in ("http", "https") else None


def headers_for(url: str, target: str, headers: dict[str, str]) -> dict[str, str]:
    """Credentials and cookies never follow a redirect to another origin (scheme, host, port)."""
    from urllib.parse import urlsplit

    old, new = urlsplit(url), urlsplit(target)
    if (old.scheme, old.hostname, old.port) == (new.scheme, new.hostname, new.port):
        return headers
    return {k: v for k, v in headers.items() if k.lower() not in CROSS_ORIGIN_DROPPED}
