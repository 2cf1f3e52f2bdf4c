"""Fixtures for the reliability tests: clients that record their waits, token servers, TLS."""

from __future__ import annotations

import logging
import socket
import ssl
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2.api_client import ApiClient

from ..flavours import Flavour, Sleeps
from ..servers import RecordedRequest, Reply, ScriptedServer

TOKEN_PATH = "/oauth/token"


_open_clients: list[ApiClient] = []


def recording_client(server: ScriptedServer | str, token: str | None = "test-token") -> ApiClient:
    """A client for `server` whose `sleep` is a `Sleeps` recorder (see `client.sleep`).
    It is closed before its server stops, so no server thread waits on a kept-alive socket."""
    client = PureCloudPlatformClientV2.ApiClient(host=server if isinstance(server, str) else server.url)
    client.access_token = token
    client.sleep = Sleeps()
    _open_clients.append(client)
    return client


def flavoured_client(flavour: Flavour, server: ScriptedServer | str, token: str | None = "test-token") -> Any:
    """`recording_client` for the flavour under test (the sync one is closed as above)."""
    return flavour.client(server, token, register=_open_clients.append)


def close_clients() -> None:
    while _open_clients:
        _open_clients.pop().close()


@contextmanager
def serving(tls: ssl.SSLContext | None = None, default: Any = None) -> Iterator[ScriptedServer]:
    """A ScriptedServer whose clients are closed before it stops."""
    with ScriptedServer(tls=tls, default=default) as running:
        try:
            yield running
        finally:
            close_clients()


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with serving() as running:
        yield running


@pytest.fixture(autouse=True)
def _close_leftover_clients() -> Iterator[None]:
    yield
    close_clients()


class TokenService:
    """A server default: /oauth/token hands out tok-1, tok-2, ...; other paths ask `api`."""

    def __init__(self, api: Callable[[RecordedRequest], Reply], expires_in: Any = 3600) -> None:
        self.api, self.expires_in = api, expires_in
        self.issued: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, request: RecordedRequest) -> Reply:
        if request.path != TOKEN_PATH:
            return self.api(request)
        with self._lock:
            self.issued.append(f"tok-{len(self.issued) + 1}")
            token = self.issued[-1]
        lifetime = self.expires_in(len(self.issued)) if callable(self.expires_in) else self.expires_in
        return Reply.json({"access_token": token, "token_type": "bearer", "expires_in": lifetime})


def token_requests(server: ScriptedServer) -> list[RecordedRequest]:
    return [r for r in server.requests if r.path == TOKEN_PATH]


def api_requests(server: ScriptedServer) -> list[RecordedRequest]:
    return [r for r in server.requests if r.path != TOKEN_PATH]


def closed_port() -> int:
    """A local port nothing listens on (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def package_logger() -> Iterator[logging.Logger]:
    """The package logger, restored (level, handlers, propagate) after the test."""
    logger = logging.getLogger("PureCloudPlatformClientV2")
    saved = (logger.level, list(logger.handlers), logger.propagate)
    yield logger
    for handler in logger.handlers[:]:
        if handler not in saved[1]:
            logger.removeHandler(handler)
            handler.close()
    logger.setLevel(saved[0])
    logger.propagate = saved[2]


# -- TLS --------------------------------------------------------------------------------
class Pki:
    """A throwaway CA (trustme) with a server certificate for 127.0.0.1 and a client one."""

    def __init__(self, folder: Path) -> None:
        import trustme

        self.ca = trustme.CA()
        self.server_cert = self.ca.issue_cert("127.0.0.1")
        client = self.ca.issue_cert("scim-client@example.com")
        self.ca_file, self.client_cert, self.client_key = (str(folder / n) for n in ("ca.pem", "client.pem", "key.pem"))
        self.ca.cert_pem.write_to_path(self.ca_file)
        client.cert_chain_pems[0].write_to_path(self.client_cert)
        client.private_key_pem.write_to_path(self.client_key)

    def server_context(self, require_client_cert: bool = False) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.server_cert.configure_cert(context)
        if require_client_cert:
            context.verify_mode = ssl.CERT_REQUIRED
            self.ca.configure_trust(context)
        return context


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return Pki(tmp_path_factory.mktemp("pki"))
