"""Configuration: one process-wide instance (`Configuration() is configuration`), as in the
official SDK, but a real class; creating it reads no files and starts no threads (the
configuration file is read by the first call: see `config_file`).

Its settings reach calls as values: `snapshot()` returns a frozen `Settings`, rebuilt only
after a setting changed, so reading it at each call costs almost nothing."""

from __future__ import annotations

import itertools

from .settings import DEFAULT_DEADLINE_S as DEFAULT_DEADLINE_S
from .settings import DEFAULT_HOST as DEFAULT_HOST
from .settings import DEFAULT_MAX_RETRIES as DEFAULT_MAX_RETRIES
from .settings import DEFAULT_MAX_RETRY_WAIT_S as DEFAULT_MAX_RETRY_WAIT_S
from .settings import DEFAULT_REFRESH_TOKEN_WAIT_S, timeout_pair
from .settings import DEFAULT_TIMEOUT_S as DEFAULT_TIMEOUT_S
from .settings import host_url as host_url

TYPE_CHECKING = False
if TYPE_CHECKING:
    import ssl
    from typing import Any

    from .api_client import ApiClient
    from .config_file import ConfigFileState
    from .environment import Environ
    from .gateway_configuration import GatewayConfiguration
    from .logger import Logger
    from .region_hosts import PureCloudRegionHosts
    from .settings import Settings

__all__ = ["Configuration"]

SECRET_SETTINGS = ("access_token", "proxy_password", "password")
_CHANGE_IDS = itertools.count()  # process-wide, so a restored state never reuses an id
_BOOKKEEPING = frozenset({"_change_id", "_snapshot", "set_in_code", "_config_file", "_config_file_state"})


class Configuration:
    """Settings shared by every `ApiClient` that was not given its own.

    host: the API host, e.g. `https://api.mypurecloud.ie`; a `PureCloudRegionHosts` value is
        accepted and stored as its URL.
    access_token: the bearer token used by clients that have none of their own.
    timeout: seconds, a number or a (connect, read) pair; default (10, 60).
    max_retries: retries after 429/502/503/504 and connection failures (default 3); see
        `RetryPolicy.describe()` for which methods each applies to.
    max_retry_wait: the longest wait, in seconds, a retry may take (default 60); a longer
        `Retry-After` is not slept through: the 429 is raised instead.
    should_refresh_access_token: renew a token after a 401 (once per call) or shortly before it
        expires, when the client can (client credentials, or a refresh token); default True.
    refresh_token_wait_time: seconds a call waits for another thread's token renewal before it
        raises ApiException (default 10).
    deadline: the longest one call may take in all, in seconds (default 120; None: no limit):
        every attempt, the waits between them and the reading of each response count.
    verify_ssl, ssl_ca_cert (default certifi's bundle), cert_file/key_file (mutual TLS),
    ssl_context (an `ssl.SSLContext` used as it is; see `set_mtls_certificates`),
    proxy, proxy_username, proxy_password: transport settings; connections opened after a change
        use the new values. Left unset, `proxy` and `ssl_ca_cert` come from the environment
        (`HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`; `REQUESTS_CA_BUNDLE`, `SSL_CERT_FILE`,
        `CURL_CA_BUNDLE`), read when the snapshot is built: see docs/reliability.md.
    pace_requests: False (default); True spaces requests by Genesys' rate-limit headers so
        that bulk jobs run at the allowed rate without 429s (see `PureCloudPlatformClientV2.pacing`).
    gateway_configuration: a `GatewayConfiguration`: API calls and token requests go through
        that gateway instead of `host` (for clients without a gateway of their own).
    config_file_path: the official configuration file (default `~/.genesyscloudpython/config`),
        read by the first call; setting it reads the new file at once.
    live_reload_config: follow edits of that file (default True): see `config_file`.

    Changes apply to the next call of every client that follows the configuration (clients
    made without `settings=`). Nothing is read from the environment unless `load_environment()`
    is called.
    """

    _instance: Configuration | None = None
    _change_id: int  # a new id after every change (see `_changed`)
    set_in_code: set[str]  # settings assigned by code ("host", "logger.log_level"): the file's first read skips them

    def __new__(cls) -> Configuration:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
            cls._instance._initialise()
        return cls._instance

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        if name not in _BOOKKEEPING:
            self._changed(name)

    def _changed(self, name: str = "") -> None:
        """Mark the snapshot stale (every setter, including the logger's, ends here)."""
        object.__setattr__(self, "_change_id", next(_CHANGE_IDS))
        if name and "._" not in "." + name:  # a public setting (its property then sets a private name too)
            self.set_in_code.add(name)

    @property
    def _config_file(self) -> ConfigFileState:
        """The configuration file's state, made on first use: importing the package reads no
        file and loads no file-reading code."""
        files = self.__dict__.get("_config_file_state")
        if files is None:
            from .config_file import ConfigFileState

            files = ConfigFileState()
            object.__setattr__(self, "_config_file_state", files)
        return files

    def _initialise(self) -> None:
        self.__dict__.pop("_config_file_state", None)
        self.set_in_code = set()
        self._snapshot: tuple[int, Any, int, Settings] | None = None
        self._host = DEFAULT_HOST
        self.access_token: str | None = None
        self.verify_ssl = True
        self._ssl_ca_cert: str | None = None
        self.cert_file: str | None = None
        self.key_file: str | None = None
        self.proxy: str | None = None
        self.proxy_username: str | None = None
        self.proxy_password: str | None = None
        self.ssl_context: ssl.SSLContext | None = None
        self._gateway_configuration: GatewayConfiguration | None = None
        self._live_reload_config = True
        self.timeout: float | tuple[float, float] | list[float] = DEFAULT_TIMEOUT_S
        self.max_retries = DEFAULT_MAX_RETRIES
        self.max_retry_wait = DEFAULT_MAX_RETRY_WAIT_S
        self.deadline: float | None = DEFAULT_DEADLINE_S
        self.should_refresh_access_token = True
        self.pace_requests = False
        self.refresh_token_wait_time: float = DEFAULT_REFRESH_TOKEN_WAIT_S
        self._api_client: ApiClient | None = None
        self._logger: Logger | None = None
        # official settings no SCIM call reads (kept for scripts): see auth_settings()
        self.temp_folder_path: str | None = None
        self.api_key: dict[str, str] = {}
        self.api_key_prefix: dict[str, str] = {}
        self.username = ""
        self.password = ""
        self.set_in_code.clear()  # the defaults above are not "set in code"

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

    # -- TLS ----------------------------------------------------------------------------------
    def set_mtls_certificates(self, certPath: str, keyPath: str, caPath: str | None = None) -> None:  # noqa: N803
        """Mutual TLS from files: sets `ssl_context` to a context that presents the certificate
        `certPath` with the key `keyPath` and verifies servers against `caPath` (certifi's
        bundle when None). Raises ValueError naming a file that cannot be loaded."""
        from ._tls import from_files

        self.ssl_context = from_files(certPath, keyPath, caPath)

    def set_mtls_contents(self, certContent: str | bytes, keyContent: str | bytes,  # noqa: N803
                          caContent: str | bytes) -> None:
        """Mutual TLS from PEM text (all three required, as in the official SDK, whose version
        of this method fails): sets `ssl_context`. The certificate and key pass through a
        private temporary folder, deleted before this returns (Python loads them only from files)."""
        from ._tls import from_contents

        self.ssl_context = from_contents(certContent, keyContent, caContent)

    def create_mtls_or_ssl_context(self) -> None:
        """When `ssl_context` is not set yet: set it from `ssl_ca_cert` (or certifi's bundle) and,
        when both are set, `cert_file`/`key_file`. Later changes of those settings then no
        longer apply (the context wins); set `ssl_context = None` to go back to them."""
        if self.ssl_context is not None:
            return
        from ._tls import load_client_certificate, server_auth_context

        context = server_auth_context(ca_file=self._ssl_ca_cert)
        if self.cert_file and self.key_file:
            load_client_certificate(context, self.cert_file, self.key_file)
        self.ssl_context = context

    # -- gateway and configuration file ------------------------------------------------------
    @property
    def gateway_configuration(self) -> GatewayConfiguration | None:
        """The gateway calls go through (None: straight to `host`)."""
        return self._gateway_configuration

    @gateway_configuration.setter
    def gateway_configuration(self, gateway: GatewayConfiguration | None) -> None:
        from .gateway_configuration import GatewayConfiguration

        if gateway is not None and not isinstance(gateway, GatewayConfiguration):
            raise TypeError(f"gateway_configuration must be a GatewayConfiguration, got {type(gateway).__name__}")
        self._gateway_configuration = gateway

    @property
    def config_file_path(self) -> str:
        """The configuration file followed (default `~/.genesyscloudpython/config`). Setting it
        reads that file at once (a missing file is fine: it is read when it appears, with
        live reload); its settings then win over earlier ones. Raises ConfigFileError."""
        return self._config_file.current_path()

    @config_file_path.setter
    def config_file_path(self, path: str | None) -> None:
        import os

        if path is not None and not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"config_file_path must be a path, got {type(path).__name__}")
        self.set_in_code.add("config_file_path")
        self._config_file.follow(None if path is None else os.fspath(path), self)

    @property
    def live_reload_config(self) -> bool:
        """Apply edits of the configuration file to the next call (looked at once a second at most)."""
        return self._live_reload_config

    @live_reload_config.setter
    def live_reload_config(self, enabled: bool) -> None:
        self._live_reload_config = bool(enabled)
        files = self._config_file
        if files.loaded:  # before the first read, that read still happens (and schedules itself)
            files.next_check = float("-inf") if enabled else None

    def apply_from_file(self, changes: list[tuple[Any, Any]]) -> None:
        """Apply settings read from the configuration file (`config_file` calls this), without
        counting them as set in code."""
        in_code = set(self.set_in_code)
        try:
            for setter, value in changes:
                setter(self, value)
        finally:
            self.set_in_code = in_code

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

            self._logger = Logger(on_change=lambda name: self._changed(f"logger.{name}"))
        return self._logger

    def timeouts(self) -> tuple[float, float]:
        """`timeout` as a (connect, read) pair in seconds, checked."""
        return timeout_pair(self.timeout, "configuration.timeout")

    def snapshot(self) -> Settings:
        """The settings as one frozen value, as the next call will use them. Cached: rebuilt
        only after a setting changed (a `timeout` list changed in place is noticed too).
        Raises ValueError for an invalid `timeout`."""
        files = self._config_file
        if files.next_check is not None and files.clock() >= files.next_check:
            files.check(self)  # the first read of the configuration file, or a live-reload look
        cached, timeout, gateway = self._snapshot, self.timeout, self._gateway_configuration
        if (cached is not None and cached[0] == self._change_id and (type(timeout) is not list or cached[1] == timeout)
                and (gateway is None or gateway._version == cached[2])):
            return cached[3]
        return self._take_snapshot()

    def _take_snapshot(self) -> Settings:
        from ._deadline import deadline_seconds
        from ._netenv import environment_ca_bundle, environment_proxies
        from ._retry import RetryPolicy
        from .settings import LogSettings, Settings, TransportSettings, wait_seconds

        # read first: a change meanwhile rebuilds again
        change_id, timeout, gateway = self._change_id, self.timeout, self._gateway_configuration
        gateway_version = 0 if gateway is None else gateway._version
        logger = self._logger
        settings = Settings(
            host=self._host, access_token=self.access_token, timeout=timeout_pair(timeout, "configuration.timeout"),
            retry=RetryPolicy(max_retries=self.max_retries, max_wait=self.max_retry_wait),
            transport=TransportSettings(verify_ssl=self.verify_ssl,
                                        ca_cert=self._ssl_ca_cert or environment_ca_bundle(),
                                        cert_file=self.cert_file, key_file=self.key_file, proxy=self.proxy,
                                        proxy_username=self.proxy_username, proxy_password=self.proxy_password,
                                        ssl_context=self.ssl_context),
            logging=LogSettings() if logger is None else LogSettings(
                official=True, request_body=bool(logger.log_request_body),
                response_body=bool(logger.log_response_body), format=logger.log_format),
            should_refresh_access_token=self.should_refresh_access_token,
            refresh_token_wait_time=wait_seconds(self.refresh_token_wait_time, "configuration.refresh_token_wait_time"),
            deadline=deadline_seconds(self.deadline, "configuration.deadline"),
            proxies=None if self.proxy else environment_proxies(), pace_requests=self.pace_requests,
            gateway=gateway)
        previous = self._snapshot
        if previous is not None and previous[3].transport == settings.transport:
            # the same value object as before: transports recognise their pool by identity first
            settings = settings.replace(transport=previous[3].transport)
        self._snapshot = (change_id, list(timeout) if type(timeout) is list else None, gateway_version, settings)
        return settings

    def to_debug_report(self) -> str:
        import platform
        import sys

        from ._version import __version__

        return (
            f"Python SDK Debug Report:\nOS: {platform.platform()}\nPython Version: {sys.version.split()[0]}\n"
            f"SDK Package Version: {__version__}"
        )

    # -- official credentials helpers (HTTP basic, API keys); SCIM calls use OAuth only ---------
    def get_api_key_with_prefix(self, identifier: str) -> str | None:
        """`api_key[identifier]`, after `api_key_prefix[identifier]` and a space when one is set."""
        key = self.api_key.get(identifier)
        if not key:
            return None
        prefix = self.api_key_prefix.get(identifier)
        return f"{prefix} {key}" if prefix else key

    def get_basic_auth_token(self) -> str:
        """The HTTP basic `Authorization` value for `username` and `password`."""
        import base64

        try:
            pair = f"{self.username}:{self.password}".encode("latin-1")
        except UnicodeEncodeError:
            raise ValueError("configuration.username and password must be Latin-1 text for basic auth") from None
        return "Basic " + base64.b64encode(pair).decode("ascii")

    def auth_settings(self, access_token: str | None = None) -> dict[str, dict[str, Any]]:
        """The official auth settings: `PureCloud OAuth` (the bearer `access_token` given, else
        `configuration.access_token`) and `Guest Chat JWT` (`api_key["Authorization"]`)."""
        token = access_token or self.access_token or ""
        return {
            "Guest Chat JWT": {"type": "api_key", "in": "header", "key": "Authorization",
                               "value": self.get_api_key_with_prefix("Authorization")},
            "PureCloud OAuth": {"type": "oauth2", "in": "header", "key": "Authorization", "value": "Bearer " + token},
        }

    def __repr__(self) -> str:
        shown = {"host": self.host, **{k: v for k, v in vars(self).items() if not k.startswith("_")
                                       and k != "set_in_code"}}
        for key in SECRET_SETTINGS:
            if shown.get(key):
                shown[key] = "<redacted>"
        if shown.get("api_key"):  # the keys are credentials; which ones are set is not
            shown["api_key"] = {name: "<redacted>" for name in shown["api_key"]}
        return f"Configuration({', '.join(f'{k}={v!r}' for k, v in shown.items())})"
