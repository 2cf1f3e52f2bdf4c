"""Where the CLI connects: flags first, then the GENESYSCLOUD_* environment variables, or an
embedded sandbox (`--sandbox`) that lives as long as the command."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

import click

if TYPE_CHECKING:
    from ..apis.scim_api import SCIMApi
    from ..sandbox import Sandbox
    from ..settings import Settings

from ..environment import ACCESS_TOKEN as ENV_TOKEN
from ..environment import API_HOST as ENV_HOST
from ..environment import CLIENT_ID as ENV_CLIENT_ID
from ..environment import CLIENT_SECRET as ENV_CLIENT_SECRET
from ..environment import REGION as ENV_REGION
from ..environment import EnvironmentConfigError, authenticated_client, parse_host, parse_region, read_environment
from ..settings import DEFAULT_DEADLINE_S, RetryPolicy
from . import diagnostics
from .diagnostics import DEBUG_ENV
from .metering import Meter, StillWaiting
from .params import ProxyUrl, Seconds, check_credential

CLI_MAX_RETRIES = 5  # the SDK's default is 3; long syncs meet more 429s
NO_CREDENTIALS = (
    "no credentials: pass --token, or --client-id and --client-secret (or set "
    f"{ENV_TOKEN}, or {ENV_CLIENT_ID} and {ENV_CLIENT_SECRET}); --sandbox tries things on a local sandbox"
)

OPTION_NAMES = ("host", "region", "token", "client_id", "client_secret", "sandbox", "sandbox_db",
                "sandbox_seed", "timeout", "deadline", "max_retries", "pacing", "proxy", "ca_bundle", "debug")
DEFAULT_HOST = "https://api.mypurecloud.com"


def _declarations() -> list[Callable[[Callable[..., Any]], Callable[..., Any]]]:
    """The connection options, declared once for the group and for every command. None means
    "not given", so that a command's value can fall back to the group's."""
    return [
        click.option("--host", metavar="URL", help=f"API host, e.g. https://api.mypurecloud.ie [env {ENV_HOST}]"),
        click.option("--region", metavar="NAME", help=f"Region such as eu-west-1 (sets the host) [env {ENV_REGION}]"),
        click.option("--token", metavar="TOKEN", help=f"OAuth access token [env {ENV_TOKEN}]"),
        click.option("--client-id", metavar="ID", help=f"OAuth client id (client credentials) [env {ENV_CLIENT_ID}]"),
        click.option("--client-secret", metavar="SECRET",
                     help=f"OAuth client secret [env {ENV_CLIENT_SECRET}]"),
        click.option("--sandbox", is_flag=True, default=None,
                     help="Start a local sandbox for this command and use it (data in memory)."),
        click.option("--sandbox-db", metavar="PATH", type=click.Path(dir_okay=False),
                     help="Keep the sandbox's data in this SQLite file (implies --sandbox)."),
        click.option("--sandbox-seed", metavar="N", type=click.IntRange(min=0),
                     help="Add N generated users to the sandbox when it starts (implies --sandbox)."),
        click.option("--timeout", metavar="SECONDS", type=Seconds(),
                     help="Read timeout per request (default 60)."),
        click.option("--deadline", metavar="SECONDS", type=Seconds(),
                     help=f"The longest one request may take, retries and waits included "
                          f"(default {DEFAULT_DEADLINE_S:g})."),
        click.option("--max-retries", metavar="N", type=click.IntRange(min=0),
                     help=f"Retries after {RetryPolicy.describe()} (default {CLI_MAX_RETRIES})."),
        click.option("--pacing/--no-pacing", default=None,
                     help="Space requests by the rate-limit headers, so that long jobs run at the allowed "
                          "rate without 429s (default: on)."),
        click.option("--proxy", metavar="URL", type=ProxyUrl(),
                     help="HTTP(S) proxy for every request, e.g. http://proxy.example.com:3128 "
                          "[default: the environment's HTTPS_PROXY/HTTP_PROXY/NO_PROXY]"),
        click.option("--ca-bundle", metavar="PATH", type=click.Path(exists=True, dir_okay=False),
                     help="CA certificates (PEM) to verify servers with, e.g. a corporate proxy's "
                          "[default: REQUESTS_CA_BUNDLE/SSL_CERT_FILE/CURL_CA_BUNDLE, else certifi's]"),
        click.option("--debug", is_flag=True, default=None,
                     help=f"Print each request and response (secrets redacted) on stderr [env {DEBUG_ENV}=1]."),
    ]


def declare_connection_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Only declare the options (the group: `purecloud-scim --sandbox users list`)."""
    for option in reversed(_declarations()):
        command = option(command)
    return command


def given_options(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Pop the connection options from a command's arguments; those it was not given come from
    the group (a value given to the command wins over the group's)."""
    context = click.get_current_context(silent=True)
    group = context.find_root().params if context is not None else {}
    given = {}
    for name in OPTION_NAMES:
        value = kwargs.pop(name)
        given[name] = value if value is not None else group.get(name)
    return given


def connection_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the connection options to a command; they are gathered into `connection=`. While it
    runs, retries are reported on stderr (and with --debug every exchange), and a connection
    failure ends in a plain sentence."""
    from ..rest import ApiConnectionError

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        given = given_options(kwargs)
        debug = diagnostics.debug_wanted(given.pop("debug"))
        connection = kwargs["connection"] = Connection.from_options(**given)
        with diagnostics.reporting(lambda: connection.url, connection.max_retries, debug) as reporter:
            try:
                return command(*args, **kwargs)
            except ApiConnectionError as error:
                raise diagnostics.Unreachable(reporter.explain(error)) from None
            finally:
                connection.close()

    return declare_connection_options(wrapper)


@dataclass
class Connection:
    """Resolved settings; `.api` connects on first use, `.close()` ends it (and any sandbox)."""

    host: str | None = None
    token: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    sandbox: bool = False
    sandbox_db: str | None = None
    sandbox_seed: int = 0
    timeout: float | None = None
    max_retries: int = CLI_MAX_RETRIES
    deadline: float | None = None
    pacing: bool = True
    proxy: str | None = None
    ca_bundle: str | None = None

    def __post_init__(self) -> None:
        self._api: SCIMApi | None = None
        self.meter: Meter | None = None  # counts the requests sent once connected
        self._sandbox: Sandbox | None = None

    @classmethod
    def from_options(cls, *, host: str | None = None, region: str | None = None, token: str | None = None,
                     client_id: str | None = None, client_secret: str | None = None, sandbox: bool | None = None,
                     sandbox_db: str | None = None, sandbox_seed: int | None = None, timeout: float | None = None,
                     max_retries: int | None = None, deadline: float | None = None, pacing: bool | None = None,
                     proxy: str | None = None, ca_bundle: str | None = None,
                     environ: dict[str, str] | None = None) -> Connection:
        common: dict[str, Any] = {"timeout": timeout, "deadline": deadline, "pacing": pacing is not False,
                                  "proxy": proxy, "ca_bundle": ca_bundle,
                                  "max_retries": CLI_MAX_RETRIES if max_retries is None else max_retries}
        if sandbox or sandbox_db or sandbox_seed is not None:
            if host or region or token or client_id or client_secret:
                raise click.UsageError("--sandbox cannot be combined with --host/--region/--token/--client-*")
            return cls(sandbox=True, sandbox_db=sandbox_db, sandbox_seed=sandbox_seed or 0, **common)
        if host and region:
            raise click.UsageError("give --host or --region, not both")
        if bool(client_id) != bool(client_secret):
            raise click.UsageError("--client-id and --client-secret go together")
        if token and client_id:
            raise click.UsageError("give --token or --client-id/--client-secret, not both")
        try:  # flags first; the environment fills in only what they leave out
            resolved_host = parse_host(host, "--host") if host else parse_region(region, "--region") if region else None
            if resolved_host is None or not (token or client_id):
                env = read_environment(environ)
                resolved_host = resolved_host or env.host
                if not (token or client_id):
                    token, client_id, client_secret = env.access_token, env.client_id, env.client_secret
        except EnvironmentConfigError as error:
            raise click.UsageError(str(error)) from None
        if not (token or client_id):
            raise click.UsageError(NO_CREDENTIALS)
        for value, what in ((token, "access token"), (client_id, "client id"), (client_secret, "client secret")):
            check_credential(value, what)
        return cls(host=resolved_host, token=token, client_id=client_id, client_secret=client_secret, **common)

    @property
    def api(self) -> SCIMApi:
        if self._api is None:
            api = self._connect()
            client = api.api_client
            from . import output

            self.meter = Meter(client.http_client, StillWaiting(output.note))
            client.set_http_client(self.meter)
            self._api = api
        return self._api

    @property
    def described(self) -> str:
        """Where this connection goes, for messages (never shows secrets)."""
        if self._sandbox is not None:
            return f"sandbox {self._sandbox.url} ({self.sandbox_db or 'in memory'})"
        return self.host or DEFAULT_HOST

    @property
    def url(self) -> str:
        """The API's base URL: the host, or the sandbox's once started."""
        return self._sandbox.url if self._sandbox is not None else self.host or DEFAULT_HOST

    def client_options(self) -> dict[str, Any]:
        """The `ApiClient.with_options` this connection's flags ask for (the configuration is
        never changed: other clients in the process keep their settings)."""
        options: dict[str, Any] = {"max_retries": self.max_retries, "pace_requests": self.pacing}
        if self.timeout is not None:
            options["timeout"] = (min(10.0, self.timeout), self.timeout)
        if self.deadline is not None:
            options["deadline"] = self.deadline
        return options

    def _connect(self) -> SCIMApi:
        from ..api_client import ApiClient
        from ..apis.scim_api import SCIMApi

        if self.sandbox:
            from ..sandbox import Sandbox

            try:
                self._sandbox = Sandbox(db=self.sandbox_db, seed=self.sandbox_seed).start()
            except Exception as error:  # a bad path or a database that is not SQLite
                raise click.UsageError(f"cannot start the sandbox: {error}") from None
            if not self.sandbox_db:
                from . import output

                output.note("using a local sandbox in memory (its data ends with this command; "
                            "--sandbox-db FILE keeps it)")
            client = ApiClient(host=self._sandbox.url).with_options(**self.client_options())
            client.access_token = self._sandbox.token
            return SCIMApi(client)
        return SCIMApi(authenticated_client(self.host, access_token=self.token, client_id=self.client_id,
                                            client_secret=self.client_secret, settings=self.settings(),
                                            **self.client_options()))

    def settings(self) -> Settings | None:
        """The configuration's settings with --proxy/--ca-bundle in place, or None (follow the
        configuration) when neither is given."""
        if not (self.proxy or self.ca_bundle):
            return None
        from ..configuration import Configuration

        current = Configuration().snapshot()
        changes = {"proxy": self.proxy} if self.proxy else {}
        if self.ca_bundle:
            changes["ca_cert"] = self.ca_bundle
        return current.replace(transport=current.transport.replace(**changes))  # type: ignore[no-any-return]

    def close(self) -> None:
        if self._api is not None:
            self._api.api_client.close()
            self._api = None
        if self._sandbox is not None:
            self._sandbox.stop()
            self._sandbox = None

