"""The HTTP layer: a threading HTTP/1.1 keep-alive server that feeds requests to `routes.App`."""

from __future__ import annotations

import json
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .errors import PlatformError
from .options import SandboxOptions
from .routes import App, Request, Response
from .store import Store

NO_LENGTH = (204, 304)  # RFC 9110: these carry no body and (204) no Content-Length


class BodyTooLarge(Exception):
    pass


class SandboxHTTPServer(ThreadingHTTPServer):
    """Binds to options.host/port (127.0.0.1, any free port by default); daemon request threads."""

    daemon_threads = True

    def __init__(self, options: SandboxOptions, store: Store) -> None:
        self.options = options
        self.app = App(options, store)
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__((options.host, options.port), SandboxHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"  # AF_INET: host is a str

    def track(self, connection: socket.socket, open_: bool) -> None:
        with self._connections_lock:
            (self._connections.add if open_ else self._connections.discard)(connection)

    def close_connections(self) -> None:
        """Wake every keep-alive handler thread so it ends (used when stopping)."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class SandboxHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive; every response carries Content-Length
    server_version = "GenesysScimSandbox/1.0"
    timeout = 120  # seconds an idle keep-alive connection is kept
    server: SandboxHTTPServer

    def setup(self) -> None:
        super().setup()
        # headers and body go out in separate writes; without NODELAY, Nagle + delayed ACK add ~40 ms
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def _serve(self) -> None:
        split = urlsplit(self.path)
        try:
            body = self._read_body()
        except (BodyTooLarge, ValueError) as error:
            self.close_connection = True  # an unread or unframed body is still on the socket
            limit = self.server.options.max_body_bytes
            refusal = PlatformError(413, "request.entity.too.large",
                                    f"The request is over the size limit. Maximum bytes: {limit}",
                                    {"Connection": "close"}) if isinstance(error, BodyTooLarge) else \
                PlatformError(400, "bad.request", str(error), {"Connection": "close"})
            self._send(self.server.app.refuse(split.path, refusal))
            return
        request = Request(method=self.command, path=split.path,
                          params={k.lower(): v for k, v in parse_qsl(split.query, keep_blank_values=True)},
                          headers={k.lower(): v for k, v in self.headers.items()}, body=body)
        self._send(self.server.app.handle(request))

    def _read_body(self) -> bytes:
        limit = self.server.options.max_body_bytes
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked(limit)
        raw = self.headers.get("Content-Length")
        try:
            length = int(raw) if raw else 0
        except ValueError:
            raise ValueError(f"Invalid Content-Length {raw!r}") from None
        if length < 0:
            raise ValueError(f"Invalid Content-Length {raw!r}")
        if length > limit:
            raise BodyTooLarge()
        return self.rfile.read(length) if length else b""

    def _read_chunked(self, limit: int) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            size = int(self.rfile.readline(1024).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline(1024).strip():  # trailers end with an empty line
                    pass
                return b"".join(chunks)
            total += size
            if total > limit:
                raise BodyTooLarge()
            chunks.append(self.rfile.read(size))
            self.rfile.readline(1024)

    def _send(self, response: Response) -> None:
        payload = b"" if response.body is None else json.dumps(response.body, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(response.status)
            if payload:
                self.send_header("Content-Type", f"{response.content_type}; charset=utf-8")
            if response.status not in NO_LENGTH:
                self.send_header("Content-Length", str(len(payload)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
        except OSError:  # the client went away; nothing left to tell it
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.options.log_requests:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")
