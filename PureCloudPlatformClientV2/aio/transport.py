"""The asyncio transport: `AsyncHttpClient` (the contract) and `DefaultAsyncHttpClient` over
httpx's `AsyncClient`, with what `DefaultHttpClient` guarantees: TLS verified with certifi,
timeouts always applied, no proxy or certificate taken from the environment, redirects
followed only as the sync client follows them (credentials never cross origins), and every
failure mapped onto the ApiException tree with the same `sent`/`retryable` facts.

httpx is imported when the first client is made, never by importing the package.
"""

from __future__ import annotations

import asyncio
import functools

from ..rest import ApiConnectionError, ApiTimeoutError
from ..settings import TransportSettings
from ..transport import (
    MAX_REDIRECTS,
    HttpRequestOptions,
    RESTResponse,
    headers_for,
    redirect_target,
    timeout_or_default,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    import ssl
    from typing import Any

    import httpx

__all__ = ["AsyncHttpClient", "DefaultAsyncHttpClient"]

INSTALL_HINT = "the asyncio client needs httpx: pip install 'purecloud-scim[async]'"


class AsyncHttpClient:
    """Implement `async request(options) -> RESTResponse` to plug in another async HTTP stack.
    Raise `ApiConnectionError` (with `sent`) for failures; other exceptions count as
    connection failures that may have been processed."""

    async def request(self, options: HttpRequestOptions) -> RESTResponse:
        raise NotImplementedError

    async def aclose(self) -> None:
        """Release connections (no-op unless the client holds any)."""


class DefaultAsyncHttpClient(AsyncHttpClient):
    """httpx's AsyncClient with a connection pool per event loop and transport settings.

    timeout: used for requests that carry none (default (10, 60) seconds).
    settings: TLS and proxy for requests that carry none (default: verified with certifi).
    transport: an `httpx.AsyncBaseTransport` to send through instead of the network (e.g.
        `httpx.MockTransport`, or `sandbox_transport(sandbox)`); TLS and proxy then do not apply.

    A pool belongs to the event loop it was made in: a call from another loop (a second
    `asyncio.run`) gets a new pool. Settings other than the pool's (say `configuration.ssl_ca_cert`
    changed) get a new pool too, and the old one is closed.
    """

    def __init__(self, timeout: float | tuple[float, float] | None = None, *,
                 settings: TransportSettings | None = None, transport: Any = None) -> None:
        self.timeout = timeout
        self.settings = TransportSettings() if settings is None else settings
        self._transport = transport
        # (client, the settings it was made with, its event loop), replaced as one value
        self._current: tuple[httpx.AsyncClient, TransportSettings, asyncio.AbstractEventLoop] | None = None

    async def _client(self, wanted: TransportSettings) -> httpx.AsyncClient:
        current, loop = self._current, asyncio.get_running_loop()
        if current is not None and current[2] is loop and (current[1] is wanted or current[1] == wanted):
            return current[0]
        client = _make_client(wanted, self._transport)
        self._current = (client, wanted, loop)
        if current is not None and current[2] is loop:  # settings changed: the old connections end
            await current[0].aclose()
        return client

    async def aclose(self) -> None:
        current, self._current = self._current, None
        if current is not None and current[2] is asyncio.get_running_loop():
            await current[0].aclose()

    async def request(self, options: HttpRequestOptions) -> RESTResponse:
        client = await self._client(options.transport or self.settings)
        timeout = _httpx_timeout(*timeout_or_default(options.timeout if options.timeout is not None else self.timeout))
        method, url, headers, body = options.method, options.url, options.headers, options.body
        redirects = 0
        while True:
            raw = await _send(client, method, url, headers, body, timeout)
            target = redirect_target(url, _Redirect(raw.status_code, raw.headers))
            if target is None or redirects == MAX_REDIRECTS:
                return RESTResponse(raw.status_code, raw.reason_phrase, raw.content, _headers_of(raw))
            redirects += 1
            url, headers = target, headers_for(url, target, headers)
            if raw.status_code == 303 or (raw.status_code in (301, 302) and method not in ("GET", "HEAD")):
                method, body = "GET", None
                headers = {k: v for k, v in headers.items() if k.lower() not in ("content-type", "content-length")}


class _Redirect:
    """What `transport.redirect_target` reads of a response."""

    __slots__ = ("status", "headers")

    def __init__(self, status: int, headers: Any) -> None:
        self.status, self.headers = status, headers


def _headers_of(raw: httpx.Response) -> dict[str, str]:
    """The headers as sent (names in their case), repeated ones comma-joined as urllib3 does."""
    headers: dict[str, str] = {}
    for name, value in raw.headers.raw:
        key, text = name.decode("latin-1"), value.decode("latin-1")
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    return headers


def _make_client(settings: TransportSettings, transport: Any) -> httpx.AsyncClient:
    try:
        import httpx
    except ImportError:
        raise ImportError(INSTALL_HINT) from None
    if transport is not None:
        return httpx.AsyncClient(transport=transport, trust_env=False)
    proxy = None
    if settings.proxy:
        auth = (settings.proxy_username, settings.proxy_password) if settings.proxy_username and \
            settings.proxy_password else None
        proxy = httpx.Proxy(settings.proxy, auth=auth)
    # trust_env=False: no proxy, CA bundle or .netrc from the environment (settings are values)
    return httpx.AsyncClient(verify=_tls_context(settings), proxy=proxy, trust_env=False)


def _tls_context(settings: TransportSettings) -> ssl.SSLContext:
    import ssl

    if settings.verify_ssl:
        if settings.ca_cert is None:
            import certifi

            context = ssl.create_default_context(cafile=certifi.where())
        else:
            context = ssl.create_default_context(cafile=settings.ca_cert)
    else:
        import warnings

        warnings.warn("configuration.verify_ssl is False: TLS certificates are not verified", stacklevel=3)
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if settings.cert_file:
        context.load_cert_chain(settings.cert_file, settings.key_file)
    return context


@functools.lru_cache(maxsize=32)
def _httpx_timeout(connect: float, read: float) -> httpx.Timeout:
    import httpx

    # Waiting for a pooled connection counts like connecting: nothing has been sent yet.
    return httpx.Timeout(connect=connect, read=read, write=read, pool=connect)


async def _send(client: httpx.AsyncClient, method: str, url: str, headers: dict[str, str], body: Any,
                timeout: httpx.Timeout) -> httpx.Response:
    import httpx

    try:
        return await client.request(method, url, headers=headers, content=body, timeout=timeout,
                                    follow_redirects=False)
    except (httpx.ConnectTimeout, httpx.PoolTimeout) as error:
        raise ApiTimeoutError(f"connect timeout: {error}", sent=False) from None
    except httpx.TimeoutException as error:  # read or write: the server may have the request
        raise ApiTimeoutError(f"read timeout: {error}", sent=True) from None
    except httpx.ConnectError as error:
        untrusted = _untrusted_certificate(error)
        if untrusted is not None:
            raise untrusted from None
        raise ApiConnectionError(f"connection failed: {error}", sent=False) from None
    except httpx.ProxyError as error:
        raise ApiConnectionError(f"connection failed: {error}", sent=False) from None
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as error:
        raise ApiConnectionError(f"invalid URL: {error}", sent=False, retryable=False) from None
    except (httpx.TransportError, OSError) as error:  # reset, truncated reply: may have been processed
        raise ApiConnectionError(f"connection broken: {error or type(error).__name__}", sent=True) from None


def _untrusted_certificate(error: BaseException) -> ApiConnectionError | None:
    import ssl

    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, (ssl.SSLCertVerificationError, ssl.CertificateError)):
            # The handshake refused the server: nothing was sent and retrying cannot help.
            return ApiConnectionError(f"TLS certificate not trusted: {cause}", sent=False, retryable=False)
        cause = cause.__cause__ or cause.__context__
    return None
