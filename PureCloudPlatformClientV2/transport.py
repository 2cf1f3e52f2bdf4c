"""HTTP transport: the official `AbstractHttpClient`/`HttpRequestOptions` contract and
`DefaultHttpClient` over urllib3 (pooled, timeouts applied, errors mapped to ApiException).

It reads no global settings: TLS and proxy come from a `TransportSettings` value (the
client's own, or the one a request carries), timeouts from the request or the client."""

from __future__ import annotations

import functools
import threading
import time

from .rest import ApiConnectionError, ApiTimeoutError, RESTResponse
from .settings import DEFAULT_TIMEOUT_S, TransportSettings

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

    import urllib3

    from .rest import RESTClientObject

__all__ = ["HttpRequestOptions", "RESTResponse", "AbstractHttpClient", "DefaultHttpClient"]

METHODS = frozenset({"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE"})
MAX_REDIRECTS = 5
POOL_MAXSIZE = 16  # connections kept per host; more threads get extra, short-lived ones (never block)
CROSS_ORIGIN_DROPPED = frozenset({"authorization", "cookie", "proxy-authorization"})


class HttpRequestOptions:
    """One request for an `AbstractHttpClient`, with the official keyword arguments (`url`,
    `method`, `headers`, `query_params`, `post_params`, `body`, `timeout`); positional works too.

    `timeout` is in seconds here: a number or a (connect, read) pair, and it is applied (the
    official SDK stored milliseconds, default 16000, and never applied them). `query_params`
    (a dict or pairs) are appended to the URL and `post_params` sent form-encoded when there is
    no `body`; the SDK's own calls put the query into `url`. `transport` is the TLS/proxy
    settings the request wants (None: the client's own). `total_timeout` is the most seconds the
    whole exchange may take, connecting, sending and reading all of the response (None: only the
    timeouts apply); the client sets it to the time its call has left."""

    __slots__ = ("_url", "_method", "headers", "query_params", "post_params", "body", "timeout", "transport",
                 "total_timeout")

    def __init__(self, url: str, method: str, headers: dict[str, str] | None = None,
                 query_params: Any = None, post_params: Any = None,
                 body: bytes | str | None = None, timeout: float | tuple[float, float] | None = None, *,
                 transport: TransportSettings | None = None, total_timeout: float | None = None) -> None:
        self.url, self.method, self.headers = url, method, dict(headers or {})
        self.query_params, self.post_params, self.body, self.timeout = query_params, post_params, body, timeout
        self.transport = transport
        self.total_timeout = total_timeout

    # url and method are checked whenever they are set, by the SDK or by a pre-request hook
    @property
    def url(self) -> str:
        return self._url

    @url.setter
    def url(self, url: str) -> None:
        if not url or not isinstance(url, str):
            raise ValueError(f"url must be a non-empty str, got {url!r}")
        self._url = url

    @property
    def method(self) -> str:
        return self._method

    @method.setter
    def method(self, method: str) -> None:
        upper = method.upper() if isinstance(method, str) else method
        if upper not in METHODS:
            raise ValueError(f"unsupported HTTP method {method!r}")
        self._method = upper

    def __repr__(self) -> str:  # no headers: they hold the token
        return f"HttpRequestOptions(url={self.url!r}, method={self.method!r})"


class AbstractHttpClient:
    """Implement `request(options) -> RESTResponse-like` to plug in another HTTP stack.
    Whatever it returns is still checked: non-2xx statuses raise ApiException.

    `pre_hook` and `post_hook` (set with `set_pre_request_hook`/`set_post_request_hook`) are
    called by `DefaultHttpClient` with the `HttpRequestOptions` before each request is sent and
    with the response after it came back; what a hook returns replaces what it was given,
    unless it returns None (then the object it was given, perhaps changed, is used)."""

    def __init__(self) -> None:
        self.timeout: float | tuple[float, float] | None = None
        self.https_agent: Any = None
        self.pre_hook: Callable[[HttpRequestOptions], Any] | None = None
        self.post_hook: Callable[[Any], Any] | None = None

    def request(self, options: HttpRequestOptions) -> Any:
        raise NotImplementedError

    def close(self) -> None:
        """Release connections (no-op unless the client holds any)."""

    def set_timeout(self, timeout: float | tuple[float, float]) -> None:
        """The timeout for requests that carry none, in seconds (the official SDK stored ms)."""
        from .settings import timeout_pair

        try:
            timeout_pair(timeout, "timeout")
        except ValueError:
            raise ValueError(f"The 'timeout' property must be seconds > 0 or a (connect, read) pair, "
                             f"got {timeout!r}") from None
        self.timeout = timeout

    def set_pre_request_hook(self, hook: Callable[[HttpRequestOptions], Any]) -> None:
        """Call `hook(options)` before each request; it may change or replace the options."""
        _check_hook(hook, "preHook must be a function that accepts (http_request_options)")
        self.pre_hook = hook

    def set_post_request_hook(self, hook: Callable[[Any], Any]) -> None:
        """Call `hook(response)` after each response; it may replace the response."""
        _check_hook(hook, "postHook must be a function that accepts (RESTResponse)")
        self.post_hook = hook


def _check_hook(hook: Any, message: str) -> None:
    """A hook must be callable with exactly one positional argument (a bound method counts)."""
    if not callable(hook):
        raise ValueError(f"{message}; got {type(hook).__name__}")
    import inspect

    try:
        signature = inspect.signature(hook)
    except (TypeError, ValueError):  # a builtin without a signature: trust it
        return
    try:
        signature.bind(None)
    except TypeError:
        raise ValueError(f"{message}; got a callable with signature {signature}") from None


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
        self.timeout, self.https_agent = timeout, https_agent
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

    @property
    def rest_client(self) -> RESTClientObject:
        """The official `rest_client` attribute: a `RESTClientObject` sending through this client."""
        from .rest import RESTClientObject

        return RESTClientObject(http_client=self)

    def request(self, options: HttpRequestOptions) -> Any:
        if not isinstance(options, HttpRequestOptions):
            raise ValueError("httpRequestOptions must be an instance of HttpRequestOptions")
        if self.pre_hook is not None:
            changed = self.pre_hook(options)
            if changed is not None:
                if not isinstance(changed, HttpRequestOptions):
                    raise TypeError(f"the pre-request hook returned {type(changed).__name__}, "
                                    "not HttpRequestOptions (or None)")
                options = changed
        response = self._send(options)
        if self.post_hook is not None:
            changed = self.post_hook(response)
            if changed is not None:
                return changed
        return response

    def _send(self, options: HttpRequestOptions) -> RESTResponse:
        pool = self._pool_manager(options.transport or self.settings)
        connect, read = timeout_or_default(options.timeout if options.timeout is not None else self.timeout)
        ends = None if options.total_timeout is None else time.monotonic() + options.total_timeout
        # options.headers is already a private copy; redirects below build new dicts, never mutate it
        method, url, headers, body = options.method, options.url, options.headers, options.body
        if options.query_params or (options.post_params and body is None):
            url, headers, body = _with_params(options)
        redirects = 0
        while True:
            self._quiet_unverified(pool, url)
            raw, data = _send(pool, method, url, headers, body, connect, read, ends)
            target = redirect_target(url, raw)
            if target is None or redirects == MAX_REDIRECTS:
                # a redirect not followed comes back as is; the caller raises it as ApiException
                return RESTResponse(raw.status, raw.reason, data, raw.headers)
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


def _with_params(options: HttpRequestOptions) -> tuple[str, dict[str, str], Any]:
    """The URL, headers and body of a request given `query_params`/`post_params` (official style)."""
    from urllib.parse import urlencode

    url, headers, body = options.url, options.headers, options.body
    if options.query_params:
        url += ("&" if "?" in url else "?") + urlencode(options.query_params)
    if options.post_params and body is None:
        body = urlencode(options.post_params).encode()
        if not any(k.lower() == "content-type" for k in headers):
            headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
    return url, headers, body


def _make_pool(settings: TransportSettings) -> urllib3.PoolManager:
    import urllib3

    if settings.verify_ssl and settings.ssl_context is not None:
        # the caller's context as it is: passing ca_certs or cert_file too would make urllib3 load
        # them into it (mutating a context the caller may share); verification follows its verify_mode
        tls: dict[str, Any] = {"ssl_context": settings.ssl_context}
    elif settings.verify_ssl:
        if settings.ca_cert is None:
            import certifi

            ca_cert = certifi.where()
        else:
            ca_cert = settings.ca_cert
        tls = {"cert_reqs": "CERT_REQUIRED", "ca_certs": ca_cert}
    else:
        import warnings

        from .rest import InsecureTLSWarning

        warnings.warn("configuration.verify_ssl is False: TLS certificates are not verified", InsecureTLSWarning,
                      stacklevel=_caller_level())
        tls = {"cert_reqs": "CERT_NONE"}
    if settings.cert_file and "ssl_context" not in tls:
        tls.update(cert_file=settings.cert_file, key_file=settings.key_file)
    common: dict[str, Any] = {"num_pools": 10, "maxsize": POOL_MAXSIZE, "block": False, "retries": False, **tls}
    if settings.proxy:
        proxy_headers = None
        if settings.proxy_username and settings.proxy_password:
            proxy_headers = urllib3.make_headers(
                proxy_basic_auth=f"{settings.proxy_username}:{settings.proxy_password}")
        return urllib3.ProxyManager(settings.proxy, proxy_headers=proxy_headers, **common)
    return urllib3.PoolManager(**common)


def _caller_level() -> int:
    """The `stacklevel` that names the first frame outside this package (the user's call)."""
    import os
    import sys

    package = os.path.dirname(__file__) + os.sep
    frame: Any = sys._getframe(1)  # the caller of this function is level 1 of warn()
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(package):
        frame, level = frame.f_back, level + 1
    return level


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


def _send(pool: Any, method: str, url: str, headers: dict[str, str], body: Any, connect: float, read: float,
          ends: float | None) -> tuple[Any, bytes]:
    """One exchange: the urllib3 response and its whole body. With `ends` (a time.monotonic()
    value) every wait is cut to the time left and the body is read piece by piece until then:
    urllib3's read timeout (even `Timeout(total=...)`) bounds each wait for data, not the read."""
    from urllib3 import exceptions as e

    try:
        if ends is None:
            raw = pool.urlopen(method, url, body=body, headers=headers, redirect=False, retries=False,
                               timeout=_urllib3_timeout(connect, read), preload_content=True)
            return raw, raw.data
        left = _time_left(ends)
        raw = pool.urlopen(method, url, body=body, headers=headers, redirect=False, retries=False,
                           timeout=_urllib3_timeout(min(connect, left), min(read, left)), preload_content=False)
        return raw, _read_within(raw, read, ends)
    except (e.NewConnectionError, e.ProxyError) as error:  # first: NewConnectionError subclasses
        raise ApiConnectionError(f"connection failed: {error}", sent=False) from None  # ConnectTimeoutError
    except e.ConnectTimeoutError as error:
        raise ApiTimeoutError(f"connect timeout: {error}", sent=False) from None
    except e.ReadTimeoutError as error:
        raise ApiTimeoutError(f"read timeout: {error}", sent=True) from None
    except e.LocationValueError as error:
        raise ApiConnectionError(f"invalid URL: {error}", sent=False, retryable=False) from None
    except e.SSLError as error:
        raise _tls_error(error, _in_handshake(error)) from None
    except (e.HTTPError, OSError) as error:  # reset, truncated reply, protocol errors: may have been processed
        raise ApiConnectionError(f"connection broken: {error}", sent=True) from None


READ_CHUNK = 65536


def _time_left(ends: float) -> float:
    left = ends - time.monotonic()
    if left <= 0:
        raise ApiTimeoutError("deadline: no time left for this request", sent=True)
    return left


def _read_within(raw: Any, read: float, ends: float) -> bytes:
    """The whole body of `raw`, each socket wait cut to the time left before `ends`."""
    sock = getattr(getattr(raw, "connection", None), "sock", None)
    read1 = getattr(raw, "read1", None)  # urllib3 2: at most one read from the socket per call
    # Content-Length known and not encoded: done once that much arrived, without a read for EOF
    counted = "content-encoding" not in raw.headers
    chunks = []
    clipped = False
    try:
        while True:
            left = ends - time.monotonic()
            if left <= 0:
                raise ApiTimeoutError("deadline: the response did not arrive completely in the time left", sent=True)
            if left < read and sock is not None:
                sock.settimeout(left)
                clipped = True
            chunk = read1(READ_CHUNK) if read1 is not None else raw.read(READ_CHUNK)
            if not chunk:
                break
            chunks.append(chunk)
            if counted and getattr(raw, "length_remaining", None) == 0:
                break
    except BaseException:
        # unread data or a clipped timeout: this connection must not be used again
        raw.close()
        raw.release_conn()
        raise
    if clipped and sock is not None:
        sock.settimeout(read)
    raw.release_conn()
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _tls_error(error: Exception, in_handshake: bool) -> ApiConnectionError:
    import ssl

    cause = error.args[0] if error.args else None
    if isinstance(cause, (ssl.SSLCertVerificationError, ssl.CertificateError)):
        # The handshake refused the server: nothing was sent and retrying cannot help.
        return ApiConnectionError(f"TLS certificate not trusted: {error}", sent=False, retryable=False)
    # A failed handshake sent nothing; other TLS failures can happen after the request was
    # written (e.g. an unclean close), so it may have been processed.
    return ApiConnectionError(f"TLS failure: {error}", sent=not in_handshake)


HANDSHAKE_FRAMES = frozenset({"connect", "_validate_conn", "_prepare_proxy"})


def _in_handshake(error: BaseException) -> bool:
    """Whether urllib3 raised `error` while connecting (TCP, proxy tunnel, TLS handshake), that
    is before the request was written: the traceback of the ssl error urllib3 wrapped shows
    urllib3's connecting frames. A kept-alive connection has no such frame."""
    seen: BaseException | None = error
    for _ in range(4):  # the error and the exceptions it was raised while handling
        if seen is None:
            return False
        trace = seen.__traceback__
        while trace is not None:
            code = trace.tb_frame.f_code
            if code.co_name in HANDSHAKE_FRAMES and "urllib3" in code.co_filename:
                return True
            trace = trace.tb_next
        seen = seen.__context__
    return False


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
