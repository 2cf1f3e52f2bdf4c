"""Settings from `GENESYSCLOUD_*` environment variables, read only when you ask:

    from PureCloudPlatformClientV2.environment import client_from_environment
    api = SCIMApi(client_from_environment())          # a ready, authenticated ApiClient

    PureCloudPlatformClientV2.configuration.load_environment()   # or: configure the defaults

| variable | meaning |
| --- | --- |
| `GENESYSCLOUD_REGION` | region of the org, e.g. `eu-west-1` (or `eu_west_1`), or its base path as Genesys' own CLI takes it (`mypurecloud.ie`, `usw2.pure.cloud`); sets the API host |
| `GENESYSCLOUD_API_HOST` | the API host URL instead, e.g. a local sandbox `http://127.0.0.1:8999`; wins over the region |
| `GENESYSCLOUD_ACCESS_TOKEN` | a bearer token; wins over the client credentials |
| `GENESYSCLOUD_OAUTHCLIENT_ID`, `GENESYSCLOUD_OAUTHCLIENT_SECRET` | an OAuth client (client-credentials grant); set both |

Values are stripped of surrounding whitespace; empty ones count as unset. A bad value or half a
credential pair raises `EnvironmentConfigError` (a ValueError) naming the variable; secrets are
never shown in messages.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Mapping, Union

    from .api_client import ApiClient
    from .region_hosts import PureCloudRegionHosts

    Environ = Mapping[str, Union[str, PureCloudRegionHosts]]

__all__ = [
    "EnvironmentConfigError", "EnvironmentSettings", "read_environment", "client_from_environment",
    "authenticated_client",
    "parse_host", "parse_region", "REGION", "API_HOST", "ACCESS_TOKEN", "CLIENT_ID", "CLIENT_SECRET",
]

REGION = "GENESYSCLOUD_REGION"
API_HOST = "GENESYSCLOUD_API_HOST"
ACCESS_TOKEN = "GENESYSCLOUD_ACCESS_TOKEN"
CLIENT_ID = "GENESYSCLOUD_OAUTHCLIENT_ID"
CLIENT_SECRET = "GENESYSCLOUD_OAUTHCLIENT_SECRET"

_TOKEN = re.compile(r"[\x21-\x7e]+")  # visible ASCII: it goes into an Authorization header
_CLIENT_ID = re.compile(r"[\x21-\x39\x3b-\x7e]+")  # and no `:` (it would split Basic auth)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class EnvironmentConfigError(ValueError):
    """An environment variable is malformed, or its partner is missing; `variable` names it."""

    def __init__(self, variable: str, problem: str) -> None:
        self.variable = variable
        super().__init__(f"{variable}: {problem}")


class EnvironmentSettings:
    """What the environment says; every field is None when its variables are unset."""

    __slots__ = ("host", "access_token", "client_id", "_client_secret")

    def __init__(self, host: str | None = None, access_token: str | None = None, client_id: str | None = None,
                 client_secret: str | None = None) -> None:
        self.host, self.access_token, self.client_id = host, access_token, client_id
        self._client_secret = client_secret

    @property
    def client_secret(self) -> str | None:
        return self._client_secret

    @property
    def has_credentials(self) -> bool:
        """True when a token or a client id/secret pair is set."""
        return bool(self.access_token or self.client_id)

    def __repr__(self) -> str:
        token = "<redacted>" if self.access_token else None
        secret = "<redacted>" if self._client_secret else None
        return (f"EnvironmentSettings(host={self.host!r}, access_token={token}, client_id={self.client_id!r}, "
                f"client_secret={secret})")


def read_environment(environ: Environ | None = None) -> EnvironmentSettings:
    """Read and check the `GENESYSCLOUD_*` variables of `environ` (default `os.environ`)."""
    if environ is None:
        import os

        environ = os.environ
    api_host = _text(environ, API_HOST)
    host = parse_host(api_host, API_HOST) if api_host else _region(environ)
    token = _text(environ, ACCESS_TOKEN)
    if token and not _TOKEN.fullmatch(token):
        raise EnvironmentConfigError(ACCESS_TOKEN, "must be one word of visible ASCII characters")
    client_id, secret = _text(environ, CLIENT_ID), _text(environ, CLIENT_SECRET)
    if secret and not client_id:
        raise EnvironmentConfigError(CLIENT_ID, f"is not set, but {CLIENT_SECRET} is; set both or neither")
    if client_id and not secret:
        raise EnvironmentConfigError(CLIENT_SECRET, f"is not set, but {CLIENT_ID} is; set both or neither")
    if client_id and not _CLIENT_ID.fullmatch(client_id):
        raise EnvironmentConfigError(CLIENT_ID, "must be visible ASCII characters without spaces or ':'")
    if secret and _CONTROL.search(secret):
        raise EnvironmentConfigError(CLIENT_SECRET, "must not contain control characters")
    return EnvironmentSettings(host, token, client_id, secret)


def client_from_environment(environ: Environ | None = None) -> ApiClient:
    """A new `ApiClient` for the host and credentials in the environment.

    With a token, no request is made; with client credentials, a token is fetched now (and
    renewed automatically). Without a host variable the client follows `configuration.host`.
    Raises EnvironmentConfigError when neither a token nor a client id/secret is set.
    """
    settings = read_environment(environ)
    if not settings.has_credentials:
        raise EnvironmentConfigError(
            ACCESS_TOKEN, f"no credentials in the environment: set {ACCESS_TOKEN}, or {CLIENT_ID} and {CLIENT_SECRET}"
        )
    return authenticated_client(settings.host, access_token=settings.access_token,
                                client_id=settings.client_id, client_secret=settings.client_secret)


def authenticated_client(host: str | None, *, access_token: str | None = None, client_id: str | None = None,
                         client_secret: str | None = None, **options: Any) -> ApiClient:
    """An `ApiClient` for `host` with a token, or else a token fetched now with the client
    credentials (renewed automatically afterwards). `options` (timeout, max_retries, ...) are
    applied with `ApiClient.with_options` before the token is fetched."""
    from .api_client import ApiClient

    client = ApiClient(host=host)
    if options:
        client = client.with_options(**options)
    if access_token:
        client.access_token = access_token
    else:
        if not (client_id and client_secret):
            raise ValueError("give an access token, or a client id and secret")
        client.get_client_credentials_token(client_id, client_secret)
    return client


def _text(environ: Environ, name: str) -> str | None:
    value = environ.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise EnvironmentConfigError(name, f"must be text, got {type(value).__name__}")
    return value.strip() or None


def _region(environ: Environ) -> str | None:
    value = environ.get(REGION)
    if value is not None and not isinstance(value, str):
        from .region_hosts import PureCloudRegionHosts

        if not isinstance(value, PureCloudRegionHosts):
            raise EnvironmentConfigError(REGION, f"must be a region name, got {type(value).__name__}")
        return value.get_api_host()
    text = _text(environ, REGION)
    return None if text is None else parse_region(text, REGION)


def parse_region(text: str, variable: str) -> str:
    """The API host of a region name (`eu-west-1`, `eu_west_1`), of a region's base path as
    Genesys' own CLI accepts it (`mypurecloud.ie`, `usw2.pure.cloud`: the API host without
    `api.`), or of a host given instead; `variable` names the setting in errors."""
    if "://" in text or text.lower().startswith("api."):
        return parse_host(text, variable)
    from .region_hosts import PureCloudRegionHosts

    by_base_path = {member.get_api_host().split("//api.", 1)[1]: member for member in PureCloudRegionHosts}
    member = by_base_path.get(text.strip().lower().rstrip("/"))
    if member is not None:
        return member.get_api_host()
    try:
        return PureCloudRegionHosts.from_name(text).get_api_host()
    except ValueError as error:
        raise EnvironmentConfigError(variable, f"{error}; or a base path such as mypurecloud.ie") from None


def parse_host(text: str, variable: str) -> str:
    """An http(s) origin such as `https://api.mypurecloud.ie`; `https://` is assumed if missing."""
    from urllib.parse import urlsplit

    url = text if "://" in text else "https://" + text
    shown = re.sub(r"//[^/]*@", "//<redacted>@", text)  # never echo user:password@
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  # raises ValueError for a bad port
    except ValueError:
        raise EnvironmentConfigError(variable, f"not a valid URL: {shown!r}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise EnvironmentConfigError(variable, f"must be an http(s) URL such as https://api.mypurecloud.ie, not {shown!r}")
    if "@" in parts.netloc or parts.path not in ("", "/") or parts.query or parts.fragment or _CONTROL.search(url):
        raise EnvironmentConfigError(variable, f"must be only scheme, host and port, not {shown!r}")
    return f"{parts.scheme.lower()}://{parts.netloc}"
