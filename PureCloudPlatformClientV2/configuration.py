"""Configuration: one process-wide instance (`Configuration() is configuration`), as in the
official SDK, but a real class; creating it reads no files and starts no threads."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .api_client import ApiClient
    from .environment import Environ
    from .logger import Logger
    from .region_hosts import PureCloudRegionHosts

__all__ = ["Configuration"]

DEFAULT_HOST = "https://api.mypurecloud.com"
DEFAULT_TIMEOUT_S = (10.0, 60.0)  # (connect, read); the official SDK applies none and can hang
DEFAULT_MAX_RETRIES = 3
DEFAULT_MAX_RETRY_WAIT_S = 60.0
SECRET_SETTINGS = ("access_token", "proxy_password", "password")


def host_url(value: str | PureCloudRegionHosts, setting: str) -> str:
    """A host given as a URL or as a `PureCloudRegionHosts` member, as a URL."""
    if isinstance(value, str):
        return value
    get_api_host = getattr(value, "get_api_host", None)  # a PureCloudRegionHosts member
    if not callable(get_api_host):
        raise TypeError(f"{setting} must be a URL or a PureCloudRegionHosts, got {type(value).__name__}")
    return str(get_api_host())


class Configuration:
    """Settings shared by every `ApiClient` that was not given its own.

    host: the API host, e.g. `https://api.mypurecloud.ie`; a `PureCloudRegionHosts` value is
        accepted and stored as its URL.
    access_token: the bearer token used by clients that have none of their own.
    timeout: seconds, a number or a (connect, read) pair; default (10, 60).
    max_retries: retries after 429/502/503/504 and connection failures (default 3).
    max_retry_wait: the longest wait, in seconds, a retry may take (default 60); a longer
        `Retry-After` is not slept through: the 429 is raised instead.
    verify_ssl, ssl_ca_cert (default certifi's bundle), cert_file/key_file (mutual TLS),
    proxy, proxy_username, proxy_password: transport settings, read when a client first connects.

    Nothing is read from the environment unless `load_environment()` is called.
    """

    _instance: Configuration | None = None

    def __new__(cls) -> Configuration:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
            cls._instance._initialise()
        return cls._instance

    def _initialise(self) -> None:
        self._host = DEFAULT_HOST
        self.access_token: str | None = None
        self.verify_ssl = True
        self._ssl_ca_cert: str | None = None
        self.cert_file: str | None = None
        self.key_file: str | None = None
        self.proxy: str | None = None
        self.proxy_username: str | None = None
        self.proxy_password: str | None = None
        self.timeout: float | tuple[float, float] = DEFAULT_TIMEOUT_S
        self.max_retries = DEFAULT_MAX_RETRIES
        self.max_retry_wait = DEFAULT_MAX_RETRY_WAIT_S
        self.should_refresh_access_token = True
        self.refresh_token_wait_time = 10
        self._api_client: ApiClient | None = None
        self._logger: Logger | None = None

    @property
    def host(self) -> str:
        """The API host URL used by clients that were not given their own."""
        return self._host

    @host.setter
    def host(self, value: str | PureCloudRegionHosts) -> None:
        self._host = host_url(value, "configuration.host")

    def load_environment(self, environ: Environ | None = None) -> Configuration:
        """Apply the `GENESYSCLOUD_*` variables of `environ` (default `os.environ`); see
        `PureCloudPlatformClientV2.environment` for the variables and their checks.

        Sets `host` from `GENESYSCLOUD_API_HOST` or `GENESYSCLOUD_REGION` and `access_token` from
        `GENESYSCLOUD_ACCESS_TOKEN`. With client credentials and no token, the default client
        (`api_client`, used by `SCIMApi()`) fetches a token now and renews it as needed. Unset
        variables change nothing. Returns the configuration.
        """
        from .environment import read_environment

        settings = read_environment(environ)
        if settings.host:
            self.host = settings.host
        if settings.access_token:
            self.access_token = settings.access_token
        elif settings.client_id and settings.client_secret:
            self.api_client.get_client_credentials_token(settings.client_id, settings.client_secret)
        return self

    @property
    def ssl_ca_cert(self) -> str:
        """The CA bundle used to verify servers: certifi's unless set."""
        if self._ssl_ca_cert is None:
            import certifi

            return certifi.where()
        return self._ssl_ca_cert

    @ssl_ca_cert.setter
    def ssl_ca_cert(self, path: str | None) -> None:
        self._ssl_ca_cert = path

    @property
    def api_client(self) -> ApiClient:
        """The client `SCIMApi()` uses when given none; created on first use."""
        if self._api_client is None:
            from .api_client import ApiClient

            self._api_client = ApiClient()
        return self._api_client

    @api_client.setter
    def api_client(self, client: ApiClient | None) -> None:
        self._api_client = client

    @property
    def logger(self) -> Logger:
        """The official logging settings (log_level, log_format, ...), mapped onto `logging`."""
        if self._logger is None:
            from .logger import Logger

            self._logger = Logger()
        return self._logger

    def timeouts(self) -> tuple[float, float]:
        """`timeout` as a (connect, read) pair in seconds, checked."""
        value: Any = self.timeout
        last = self.__dict__.get("_checked_timeout")  # (setting, pair): read once, so threads agree
        if last is not None and last[0] is value and type(value) is not list:  # a list may have changed
            return last[1]  # type: ignore[no-any-return]
        pair = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
        if len(pair) != 2 or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in pair):
            raise ValueError(f"configuration.timeout must be seconds > 0 or a (connect, read) pair, got {value!r}")
        checked = float(pair[0]), float(pair[1])
        self._checked_timeout = (value, checked)
        return checked

    def to_debug_report(self) -> str:
        import platform
        import sys

        from ._version import __version__

        return (
            f"Python SDK Debug Report:\nOS: {platform.platform()}\nPython Version: {sys.version.split()[0]}\n"
            f"SDK Package Version: {__version__}"
        )

    def __repr__(self) -> str:
        shown = {"host": self.host, **{k: v for k, v in vars(self).items() if not k.startswith("_")}}
        for key in SECRET_SETTINGS:
            if shown.get(key):
                shown[key] = "<redacted>"
        return f"Configuration({', '.join(f'{k}={v!r}' for k, v in shown.items())})"
