"""A local Genesys Cloud SCIM sandbox: `with Sandbox() as sb: sb.api.get_scim_v2_users()`."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from .options import SandboxOptions

if TYPE_CHECKING:
    from types import TracebackType
    from typing import Sequence

    from ..api_client import ApiClient
    from ..apis.scim_api import SCIMApi
    from .exchange import SandboxApp
    from .in_process import InProcessTransport
    from .routes import App
    from .server import SandboxHTTPServer
    from .store import Store

__all__ = ["Sandbox", "SandboxOptions"]


class Sandbox:
    """Runs the sandbox server on 127.0.0.1 (a free port by default) in a background thread.

    Every keyword but `serve` is a `SandboxOptions` field and mirrors a CLI flag. Use it as a
    context manager, or call `start()` and `stop()`.

    serve: False starts no server: clients reach the sandbox in-process, through
    `transport()` (`api` and `client()` are wired to it), and `url` is a host that never resolves.
    """

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, token: str | None = None,
                 client_id: str | None = None, client_secret: str | None = None, token_lifetime: int = 86400,
                 code_lifetime: float = 60.0, redirect_uris: Sequence[str] = (), rotate_refresh_tokens: bool = True,
                 org_name: str = "sandbox", saml_issuer: str = "sandbox-idp", db: str | None = None, seed: int = 0, profile: str = "rfc", lenient_usernames: bool = False,
                 max_count: int = 100, page_limit_429: bool = False, max_body_bytes: int = 1024 * 1024,
                 latency: float = 0.0, error_429_rate: float = 0.0, error_503_rate: float = 0.0,
                 rate_limit: int = 0, rate_limit_window: float = 60.0, retry_after: int = 1,
                 fault_seed: int | None = None, log_requests: bool = False, serve: bool = True) -> None:
        settings = dict(locals())
        del settings["self"], settings["serve"]
        self.options = SandboxOptions.from_kwargs(**settings)
        self.serve = serve
        self._exchange: SandboxApp | None = None
        self._server: SandboxHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._store: Store | None = None
        self._api: SCIMApi | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> Sandbox:
        if self._exchange is not None:
            return self
        from .exchange import SandboxApp
        from .routes import App
        from .store import Store

        store = Store(self.options.db)
        try:
            exchange = SandboxApp(App(self.options, store))
            exchange.app.directory.seed_defaults()
            if self.options.seed:
                exchange.app.directory.seed_users(self.options.seed)
            if self.serve:
                from .server import SandboxHTTPServer

                self._server = SandboxHTTPServer(exchange)
        except BaseException:
            store.close()
            raise
        self._store, self._exchange = store, exchange
        if self._server is None:
            return self
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name=f"scim-sandbox-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, end open connections, join the thread and close the database."""
        server, thread, store = self._server, self._thread, self._store
        self._server = self._thread = self._store = self._exchange = None
        if self._api is not None:
            self._api.api_client.close()
            self._api = None
        if server is not None:
            server.shutdown()
            server.server_close()
            server.close_connections()
        if thread is not None:
            thread.join()
        if store is not None:
            store.close()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def reset(self) -> None:
        """Back to a freshly started sandbox: seeded catalog and groups, `seed` generated users."""
        self.store.clear()
        self.app.directory.seed_defaults()
        if self.options.seed:
            self.app.directory.seed_users(self.options.seed)

    # -- what tests and scripts use ---------------------------------------------------------
    @property
    def running(self) -> bool:
        """Started and not stopped (serving over HTTP or not)."""
        return self._exchange is not None

    @property
    def port(self) -> int:
        if self._exchange is not None and self._server is None:
            raise RuntimeError("the sandbox does not serve over HTTP (serve=False): it has no port")
        return int(self._running_server().server_address[1])

    @property
    def url(self) -> str:
        """The API host, e.g. http://127.0.0.1:8999 (SCIM lives under /api/v2/scim/v2);
        with serve=False, http://sandbox.invalid, a name that never resolves."""
        if self._exchange is not None and self._server is None:
            from .in_process import IN_PROCESS_URL

            return IN_PROCESS_URL
        return self._running_server().url

    @property
    def scim_url(self) -> str:
        return self.url + "/api/v2/scim/v2"

    @property
    def token(self) -> str:
        return self.options.token

    @property
    def client_id(self) -> str:
        return self.options.client_id

    @property
    def client_secret(self) -> str:
        return self.options.client_secret

    @property
    def store(self) -> Store:
        """The SQLite store, for seeding and inspecting data directly in tests."""
        if self._store is None:
            raise RuntimeError("the sandbox is not running; call start() or use `with Sandbox()`")
        return self._store

    @property
    def app(self) -> App:
        """The request handler core (`routes.App`): `.directory`, `.faults`, `.tokens`."""
        if self._exchange is None:
            raise RuntimeError("the sandbox is not running; call start() or use `with Sandbox()`")
        return self._exchange.app

    @property
    def api(self) -> SCIMApi:
        """A `SCIMApi` for this sandbox with its token, built on first use by `client()`: over
        HTTP when the sandbox serves, in-process when it was made with serve=False."""
        if self._api is None:
            from ..apis.scim_api import SCIMApi

            self._api = SCIMApi(self.client())
        return self._api

    def client(self, *, in_process: bool | None = None) -> ApiClient:
        """A new `ApiClient` for this sandbox with its token set (close it when done).

        in_process: True sends requests through `transport()` with no socket, False over HTTP;
        by default in-process exactly when the sandbox does not serve.
        """
        from ..api_client import ApiClient

        if in_process is None:
            in_process = not self.serve
        if not in_process and not self.serve:
            raise RuntimeError("the sandbox does not serve over HTTP (serve=False); use in_process=True")
        client = ApiClient(host=self.url)
        client.access_token = self.token
        if in_process:
            client.set_http_client(self.transport())
        return client

    # -- OAuth flows ---------------------------------------------------------------------------
    def authorize_url(self, redirect_uri: str, *, state: str | None = None, code_challenge: str | None = None) -> str:
        """The `/oauth/authorize` URL a user would open for the code grant (with `code_challenge`,
        an S256 PKCE challenge). The sandbox approves at once: it answers 302 to
        `redirect_uri?code=...&state=...`."""
        from urllib.parse import urlencode

        query = {"response_type": "code", "client_id": self.client_id, "redirect_uri": redirect_uri}
        if state is not None:
            query["state"] = state
        if code_challenge is not None:
            query.update(code_challenge=code_challenge, code_challenge_method="S256")
        return f"{self.url}/oauth/authorize?{urlencode(query)}"

    def authorization_code(self, redirect_uri: str, *, code_challenge: str | None = None) -> str:
        """A fresh authorization code for `redirect_uri`, from `/oauth/authorize` asked in-process
        (the same handler a browser reaches). ValueError when the sandbox refuses."""
        from urllib.parse import parse_qs, urlsplit

        target = urlsplit(self.authorize_url(redirect_uri, code_challenge=code_challenge))
        exchange = self._exchange
        if exchange is None:
            raise RuntimeError("the sandbox is not running; call start() or use `with Sandbox()`")
        answer = exchange.handle("GET", f"{target.path}?{target.query}", {"Host": target.netloc}, b"")
        query = parse_qs(urlsplit(answer.header("Location") or "").query)
        if answer.status != 302 or "code" not in query:
            import json

            refusal = json.loads(answer.body) if answer.status != 302 else {k: v[0] for k, v in query.items()}
            raise ValueError(f"the sandbox refused the authorization request: {refusal.get('error')}: "
                             f"{refusal.get('error_description')}")
        return query["code"][0]

    def saml_assertion(self, subject: str = "sandbox-user@example.com") -> str:
        """A base64 SAML assertion that `get_saml2bearer_token(..., org_name=options.org_name,
        assertion)` exchanges for a token here: its Issuer is `options.saml_issuer`."""
        from .auth import saml_assertion

        return saml_assertion(self.options.saml_issuer, subject)

    def transport(self) -> InProcessTransport:
        """An `AbstractHttpClient` that hands requests to this sandbox in-process, with no socket:
        `api_client.set_http_client(sandbox.transport())`. Works whether or not the sandbox serves."""
        from .in_process import InProcessTransport

        return InProcessTransport(self)

    def _running_server(self) -> SandboxHTTPServer:
        if self._server is None:
            raise RuntimeError("the sandbox is not running; call start() or use `with Sandbox()`")
        return self._server

    def __repr__(self) -> str:
        where = "stopped" if self._exchange is None else self.url if self._server is not None else "in-process"
        return f"Sandbox({where}, profile={self.options.profile!r})"
