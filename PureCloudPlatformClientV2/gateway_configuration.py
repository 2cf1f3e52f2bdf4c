"""GatewayConfiguration: send API calls and token requests through a gateway (a reverse proxy
in front of Genesys Cloud) instead of the region's hosts, as the official SDK does.

With a gateway host set, an API call goes to `protocol://host[:port][/path_params_api]/api/v2/...`
and a token request to `protocol://host[:port][/path_params_login]/oauth/token`; the region
host is not used at all. Set it on the configuration (`configuration.gateway_configuration`,
or the `[gateway]` section of the configuration file) or on one client (`set_gateway`)."""

from __future__ import annotations

import itertools

from .settings import FrozenValue

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["GatewayConfiguration", "GatewayUrls"]

PROTOCOLS = ("http", "https")
_VERSIONS = itertools.count(1)  # a new number after every change, so snapshots notice edits


class GatewayUrls(FrozenValue):
    """The two base URLs a gateway stands for, as a frozen value (what a call's settings hold)."""

    __slots__ = ("api_url", "login_url")
    api_url: str
    login_url: str

    def __init__(self, api_url: str, login_url: str) -> None:
        self._set(api_url=api_url, login_url=login_url)


class GatewayConfiguration:
    """A gateway, with the official attributes and their normalisation.

    host: the gateway's host name (no scheme, no path); None or "" means no gateway.
    protocol: "https" (the default, also for None or "") or "http".
    port: a port number, or -1 (the default, also for None or a negative number) to leave it out.
    path_params_login, path_params_api: a path prefix for token requests and for API calls,
        with or without slashes ("" for none); a trailing "/" is dropped.
    username, password: kept for compatibility; the official SDK sends neither, and neither
        is sent here.
    """

    _version: int

    def __init__(self, *, host: str | None = None, protocol: str | None = None, port: int | None = -1,
                 path_params_login: str | None = None, path_params_api: str | None = None,
                 username: str | None = None, password: str | None = None) -> None:
        self.host = host
        self.protocol = protocol
        self.port = port
        self.path_params_login = path_params_login
        self.path_params_api = path_params_api
        self.username = username
        self.password = password

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        if name != "_version":
            object.__setattr__(self, "_version", next(_VERSIONS))

    # -- the official attributes, checked ------------------------------------------------
    @property
    def host(self) -> str | None:
        return self._host

    @host.setter
    def host(self, value: str | None) -> None:
        if value is not None and not isinstance(value, str):
            raise TypeError(f"gateway host must be a host name, got {type(value).__name__}")
        value = (value or "").strip() or None
        if value is not None and ("://" in value or "/" in value or any(c.isspace() for c in value)):
            raise ValueError(f"gateway host must be a host name such as gateway.example.com (no scheme, "
                             f"no path; the port and paths are separate settings), got {value!r}")
        self._host = value

    @property
    def protocol(self) -> str:
        return self._protocol

    @protocol.setter
    def protocol(self, value: str | None) -> None:
        if value is not None and not isinstance(value, str):
            raise TypeError(f"gateway protocol must be 'https' or 'http', got {type(value).__name__}")
        protocol = (value or "").strip().lower().removesuffix("://") or "https"
        if protocol not in PROTOCOLS:
            raise ValueError(f"gateway protocol must be 'https' or 'http', got {value!r}")
        self._protocol = protocol

    @property
    def port(self) -> int:
        return self._port

    @port.setter
    def port(self, value: int | None) -> None:
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise TypeError(f"gateway port must be an int (-1 to leave it out), got {value!r}")
        if value is not None and value > 65535:
            raise ValueError(f"gateway port must be at most 65535, got {value}")
        self._port = -1 if value is None or value < 0 else value

    @property
    def path_params_login(self) -> str:
        return self._path_params_login

    @path_params_login.setter
    def path_params_login(self, value: str | None) -> None:
        self._path_params_login = _path_part(value, "path_params_login")

    @property
    def path_params_api(self) -> str:
        return self._path_params_api

    @path_params_api.setter
    def path_params_api(self, value: str | None) -> None:
        self._path_params_api = _path_part(value, "path_params_api")

    @property
    def username(self) -> str | None:
        return self._username

    @username.setter
    def username(self, value: str | None) -> None:
        self._username = value or None

    @property
    def password(self) -> str | None:
        return self._password

    @password.setter
    def password(self, value: str | None) -> None:
        self._password = value or None

    # -- what calls use -------------------------------------------------------------------
    def base_url(self, path_type: str) -> str:
        """`protocol://host[:port][/prefix]` for "login" (token requests) or "api" (API calls)."""
        if self._host is None:
            raise ValueError("the gateway has no host")
        url = f"{self._protocol}://{self._host}" + ("" if self._port < 0 else f":{self._port}")
        prefix = (self._path_params_login if path_type == "login" else self._path_params_api).strip("/")
        return f"{url}/{prefix}" if prefix else url

    def urls(self) -> GatewayUrls | None:
        """Both base URLs as one frozen value; None while no host is set."""
        cached = self.__dict__.get("_urls")
        if cached is not None and cached[0] == self._version:
            return cached[1]  # type: ignore[no-any-return]
        urls = None if self._host is None else GatewayUrls(self.base_url("api"), self.base_url("login"))
        self.__dict__["_urls"] = (self._version, urls)  # not a change: no new version
        return urls

    def __repr__(self) -> str:
        password = "<redacted>" if self._password else None
        return (f"GatewayConfiguration(host={self._host!r}, protocol={self._protocol!r}, port={self._port!r}, "
                f"path_params_login={self._path_params_login!r}, path_params_api={self._path_params_api!r}, "
                f"username={self._username!r}, password={password!r})")


def _path_part(value: str | None, setting: str) -> str:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"gateway {setting} must be a path, got {type(value).__name__}")
    path = (value or "").strip()
    if "?" in path or "#" in path or any(c.isspace() for c in path):
        raise ValueError(f"gateway {setting} must be a plain path such as 'scim/api', got {value!r}")
    return path[:-1] if path.endswith("/") else path
