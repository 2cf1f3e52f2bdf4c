"""The socket layer: a threading HTTP/1.1 keep-alive server that reads each request off the
connection and answers what `exchange.SandboxApp` makes of it."""

from __future__ import annotations

import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .exchange import SERVER, HttpResponse, SandboxApp


class BodyTooLarge(Exception):
    pass


class SandboxHTTPServer(ThreadingHTTPServer):
    """Binds to options.host/port (127.0.0.1, any free port by default); daemon request threads."""

    daemon_threads = True

    def __init__(self, exchange: SandboxApp) -> None:
        self.exchange = exchange
        self.options = options = exchange.options
        self.app = exchange.app
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
        exchange = self.server.exchange
        try:
            body = self._read_body()
        except BodyTooLarge:
            self.close_connection = True  # the unread body is still on the socket
            self._send(exchange.too_large(self.command, self.path))
            return
        except ValueError as error:
            self.close_connection = True  # an unframed body is still on the socket
            self._send(exchange.bad_framing(self.command, self.path, str(error)))
            return
        self._send(exchange.handle(self.command, self.path, dict(self.headers.items()), body))

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

    def _send(self, response: HttpResponse) -> None:
        try:
            self.log_request(response.status)
            self.send_response_only(response.status, response.reason)
            for name, value in response.headers:
                self.send_header(name, value)
            self.end_headers()
            if response.body:
                self.wfile.write(response.body)
        except OSError:  # the client went away; nothing left to tell it
            self.close_connection = True

    def version_string(self) -> str:  # also on the errors http.server answers itself (e.g. 414)
        return SERVER

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.options.log_requests:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")
