"""Network settings from the environment, as curl, requests and httpx read them: a proxy from
`HTTPS_PROXY`/`HTTP_PROXY` (lower-case names first) unless `NO_PROXY` names the host, and a CA
bundle from `REQUESTS_CA_BUNDLE`, `SSL_CERT_FILE` or `CURL_CA_BUNDLE`.

They apply only where the configuration leaves the setting unset (`configuration.proxy` and
`configuration.ssl_ca_cert` win), and are read when the configuration's snapshot is built,
never at import. The client, not the transport, picks the proxy for each URL.
"""

from __future__ import annotations

import functools

from .settings import FrozenValue

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Mapping

    from .settings import TransportSettings

__all__ = ["EnvironmentProxies", "environment_proxies", "environment_ca_bundle", "CA_BUNDLE_VARIABLES"]

CA_BUNDLE_VARIABLES = ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE")  # the first set wins


def _variable(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name.lower()) or environ.get(name.upper())  # curl: lower case first
    return value.strip() or None if isinstance(value, str) else None


class EnvironmentProxies(FrozenValue):
    """The proxies the environment names, and the hosts that bypass them."""

    __slots__ = ("https", "http", "no_proxy")
    https: str | None
    http: str | None
    no_proxy: tuple[str, ...]

    def __init__(self, https: str | None = None, http: str | None = None, no_proxy: tuple[str, ...] = ()) -> None:
        self._set(https=https, http=http, no_proxy=tuple(no_proxy))

    def proxy_for(self, scheme: str, host: str, port: int | None) -> str | None:
        """The proxy for a request to `scheme://host:port`, or None to connect directly."""
        proxy = self.https if scheme == "https" else self.http
        if proxy is None or _bypassed(host.lower(), port, self.no_proxy):
            return None
        return proxy


def _bypassed(host: str, port: int | None, entries: tuple[str, ...]) -> bool:
    """NO_PROXY as curl reads it: `*`, host names (a leading dot optional) matching the host or
    a domain it is in, IP addresses, each optionally with `:port`."""
    for entry in entries:
        if entry == "*":
            return True
        name, _, entry_port = entry.rpartition(":") if entry.count(":") == 1 else (entry, "", "")
        if entry_port and (not entry_port.isdigit() or int(entry_port) != port):
            continue
        name = name.strip("[]").lstrip(".")
        if name and (host == name or host.endswith("." + name)):
            return True
    return False


def environment_proxies(environ: Mapping[str, str] | None = None) -> EnvironmentProxies | None:
    """The environment's proxies (default `os.environ`), or None when it names none."""
    if environ is None:
        import os

        environ = os.environ
    https, http = _variable(environ, "HTTPS_PROXY"), _variable(environ, "HTTP_PROXY")
    if https is None and http is None:
        return None
    no_proxy = _variable(environ, "NO_PROXY") or ""
    return EnvironmentProxies(https, http, tuple(e.strip().lower() for e in no_proxy.split(",") if e.strip()))


def environment_ca_bundle(environ: Mapping[str, str] | None = None) -> str | None:
    """The CA bundle the environment names (default `os.environ`), or None."""
    if environ is None:
        import os

        environ = os.environ
    for name in CA_BUNDLE_VARIABLES:
        value = environ.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


@functools.lru_cache(maxsize=64)
def transport_for(transport: TransportSettings, proxies: EnvironmentProxies, scheme: str, host: str,
                  port: int | None) -> TransportSettings:
    """`transport` with the environment's proxy for this origin (the same value object for the
    same origin, so the transport keeps recognising its pool)."""
    proxy = proxies.proxy_for(scheme, host, port)
    return transport if proxy is None else transport.replace(proxy=proxy)


def transport_for_url(transport: TransportSettings, proxies: EnvironmentProxies | None, url: str) -> TransportSettings:
    """The transport settings a request to `url` uses: `transport`, with the environment's proxy
    when the configuration set none and NO_PROXY does not exempt the host."""
    if proxies is None or transport.proxy is not None:
        return transport
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return transport_for(transport, proxies, parts.scheme.lower(), (parts.hostname or "").lower(), parts.port)
