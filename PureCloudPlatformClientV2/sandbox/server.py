"""The socket layer: a threading HTTP/1.1 keep-alive server that reads each request off the
connection and answers what `exchange.SandboxApp` makes of it.

Everything read before the request reaches `SandboxApp` (and so before authentication) is
bounded: the request line, the header block, chunk-size lines, trailers and the body itself.
"""

from __future__ import annotations

import http.client
import re
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BufferedIOBase
from typing import Any

from .errors import PlatformError, platform_code
from .exchange import SERVER, HttpResponse, SandboxApp

MAX_REQUEST_LINE = 65536  # bytes; http.server's own bound (414 beyond)
MAX_HEADER_BYTES = 65536  # all header lines of a request together, also the trailers of a chunked body (431)
MAX_HEADER_LINES = 100  # http.client's bound on header lines (431 beyond); trailers get as many
MAX_CHUNK_LINE = 1024  # a chunk-size line with its extensions
LISTEN_BACKLOG = 1024  # connections the kernel queues while the accept loop catches up
CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]+")  # RFC 9112 §7.1: 1*HEXDIG, nothing else (no sign, no 0x)
DIGITS = re.compile(r"[0-9]+")


class BodyTooLarge(Exception):
    pass


class BadFraming(Exception):
    """The body's length cannot be read from the request: answered `status`, then the connection closes."""

    def __init__(self, problem: str, status: int = 400) -> None:
        super().__init__(problem)
        self.status = status


class HeadersTooLarge(http.client.HTTPException):
    """http.server's header parser answers an HTTPException with 431."""


class HeaderBudget:
    """Hands http.server's header parser at most `limit` bytes of `stream` in all, then refuses."""

    def __init__(self, stream: BufferedIOBase, limit: int) -> None:
        self.stream, self.limit, self.left = stream, limit, limit

    def readline(self, size: int = -1) -> bytes:
        wanted = self.left + 1 if size < 0 else min(size, self.left + 1)
        line = self.stream.readline(wanted)
        self.left -= len(line)
        if self.left < 0:
            raise HeadersTooLarge(f"The request headers are over {self.limit} bytes")
        return line


class SandboxHTTPServer(ThreadingHTTPServer):
    """Binds to options.host/port (127.0.0.1, any free port by default); daemon request threads."""

    daemon_threads = True
    request_queue_size = LISTEN_BACKLOG  # socketserver's default of 5 drops bursts of connections

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

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that resets or closes its connection mid-request is not a sandbox error: no
        traceback (one line with log_requests); anything else is reported as socketserver does."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):
            super().handle_error(request, client_address)
        elif self.options.log_requests:
            sys.stderr.write(f"{client_address[0]} - connection closed by the client ({type(error).__name__})\n")

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

    def parse_request(self) -> bool:
        """http.server's parsing, with the header block held to MAX_HEADER_BYTES in all."""
        stream = self.rfile
        self.rfile = HeaderBudget(stream, MAX_HEADER_BYTES)  # type: ignore[assignment]
        try:
            return super().parse_request()
        finally:
            self.rfile = stream

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (bad request line, 414, 431, 501) as a Genesys ErrorBody, not HTML."""
        self.log_error("code %d, message %s", code, message)
        self.close_connection = True  # what follows on the socket cannot be trusted
        if self.request_version == "HTTP/0.9":  # an unreadable request line: answer with a status line
            self.request_version = "HTTP/1.1"
        detail = explain or {414: f"The request line is over {MAX_REQUEST_LINE} bytes"}.get(code) or message
        error = PlatformError(code, platform_code(code), detail or platform_code(code), {"Connection": "close"})
        self._send(self.server.exchange.refuse(self.command or "GET", getattr(self, "path", "") or "/", error))

    def _serve(self) -> None:
        exchange = self.server.exchange
        try:
            body = self._read_body()
        except BodyTooLarge:
            self.close_connection = True  # the unread body is still on the socket
            self._send(exchange.too_large(self.command, self.path))
            return
        except BadFraming as error:
            self.close_connection = True  # an unframed body is still on the socket
            self._send(exchange.bad_framing(self.command, self.path, str(error), error.status))
            return
        except HeadersTooLarge as error:  # the trailers of a chunked body
            self.send_error(431, None, str(error))
            return
        self._send(exchange.handle(self.command, self.path, dict(self.headers.items()), body))

    def _read_body(self) -> bytes:
        limit = self.server.options.max_body_bytes
        codings = self.headers.get_all("Transfer-Encoding")
        lengths = self.headers.get_all("Content-Length")
        if codings:
            if [c.strip().lower() for c in ",".join(codings).split(",")] != ["chunked"]:
                raise BadFraming(f"Transfer-Encoding {', '.join(codings)!r} is not supported; only chunked is", 501)
            if lengths:  # RFC 9112 §6.1: a request with both may be smuggling one inside the other
                raise BadFraming("A request cannot have both Transfer-Encoding and Content-Length")
            return self._read_chunked(limit)
        if not lengths:
            return b""
        values = {value.strip() for line in lengths for value in line.split(",")}
        raw = ", ".join(lengths)
        if len(values) != 1 or not DIGITS.fullmatch(next(iter(values))):
            raise BadFraming(f"Invalid Content-Length {raw!r}")
        length = int(values.pop())
        if length > limit:
            raise BodyTooLarge()
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            raise BadFraming(f"The body ended after {len(body)} of its {length} bytes")
        return body

    def _read_chunked(self, limit: int) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(MAX_CHUNK_LINE + 1)
            if not line.endswith(b"\n"):
                raise BadFraming(f"A chunk-size line is over {MAX_CHUNK_LINE} bytes" if len(line) > MAX_CHUNK_LINE
                                 else "The body ended inside a chunk-size line")
            text = line.split(b";", 1)[0].strip(b" \t\r\n")
            if not CHUNK_SIZE.fullmatch(text):
                raise BadFraming(f"Invalid chunk size {text.decode('latin-1')!r}: hexadecimal digits expected")
            size = int(text, 16)
            if size == 0:
                self._read_trailers()
                return b"".join(chunks)
            total += size
            if total > limit:
                raise BodyTooLarge()
            chunk = self.rfile.read(size)
            if len(chunk) < size:
                raise BadFraming(f"The body ended inside a chunk, after {len(chunk)} of its {size} bytes")
            if self.rfile.readline(3) not in (b"\r\n", b"\n"):
                raise BadFraming("A chunk is longer than its size line says (no CRLF after it)")
            chunks.append(chunk)

    def _read_trailers(self) -> None:
        """Trailer lines are read and dropped, within the same bounds as the header block."""
        budget = HeaderBudget(self.rfile, MAX_HEADER_BYTES)
        for _ in range(MAX_HEADER_LINES + 1):
            line = budget.readline(MAX_CHUNK_LINE + 1)
            if line in (b"\r\n", b"\n"):
                return
            if not line.endswith(b"\n"):
                raise BadFraming(f"A trailer line is over {MAX_CHUNK_LINE} bytes" if len(line) > MAX_CHUNK_LINE
                                 else "The body ended inside its trailers")
        raise HeadersTooLarge(f"A chunked body has more than {MAX_HEADER_LINES} trailer lines")

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
