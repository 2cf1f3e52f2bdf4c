"""A scripted HTTP server on 127.0.0.1 for tests that need exact bytes or faults.

It records every request and answers each from a queue of scripted replies (then the
default reply): a normal response, raw bytes, a hang (never answers until stopped), a
dropped connection, or a body trickled a byte at a time. Raw sockets, so malformed and
truncated replies are possible.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import parse_qsl, unquote, urlsplit


@dataclass
class RecordedRequest:
    method: str
    target: str  # as sent on the request line, still percent-encoded
    headers: dict[str, str]
    body: bytes

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.target).query, keep_blank_values=True))

    @property
    def raw_query(self) -> str:
        return urlsplit(self.target).query

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def decoded_path(self) -> str:
        return unquote(self.path)


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # sent as is, then the connection is closed
    hang: bool = False  # read the request, never answer
    drop: bool = False  # read the request, close without answering
    # read the request, never answer; `stalled`/`released` tell when it began and the client hung up
    stall: bool = False
    trickle: float = 0.0  # send the head at once, then the body one byte every `trickle` seconds

    @classmethod
    def json(cls, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
        return cls(status, json.dumps(data).encode(), {"Content-Type": "application/scim+json", **(headers or {})})


REASONS = {200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently", 302: "Found",
           304: "Not Modified", 307: "Temporary Redirect", 400: "Bad Request", 401: "Unauthorized",
           403: "Forbidden", 404: "Not Found", 409: "Conflict", 412: "Precondition Failed",
           429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
           503: "Service Unavailable", 504: "Gateway Timeout"}


class ScriptedServer:
    """Use as a context manager; `url` is `http(s)://127.0.0.1:PORT`."""

    def __init__(self, tls: ssl.SSLContext | None = None,
                 default: Reply | Callable[[RecordedRequest], Reply] | None = None) -> None:
        self.requests: list[RecordedRequest] = []
        self.script: list[Reply] = []
        self.default = default or Reply.json({})
        self._tls = tls
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._threads: list[threading.Thread] = []
        self._open: list[socket.socket] = []
        self.connections = 0
        self.stalled = threading.Event()  # a `stall` reply is holding a request
        self.released = threading.Event()  # ... and the client closed that connection
        self.trickled = 0  # body bytes sent by trickling replies (until the client hung up)
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://127.0.0.1:{self._sock.getsockname()[1]}"

    def reply(self, *replies: Reply) -> ScriptedServer:
        self.script.extend(replies)
        return self

    def __enter__(self) -> ScriptedServer:
        thread = threading.Thread(target=self._accept_loop, daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        # close() alone does not wake a thread blocked in accept() or recv(): shut them down
        for sock in [self._sock, *self._open]:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._sock.close()
        for thread in self._threads:
            thread.join(timeout=5)

    # -- internals --------------------------------------------------------------------
    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self.connections += 1
            self._open.append(conn)
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket) -> None:
        stream = None
        try:
            if self._tls:
                conn = self._tls.wrap_socket(conn, server_side=True)
            stream = conn.makefile("rb")
            while not self._stop.is_set():
                request = _read_request(stream)
                if request is None:
                    return
                with self._lock:
                    self.requests.append(request)
                    reply = self.script.pop(0) if self.script else None
                if reply is None:
                    reply = self.default(request) if callable(self.default) else self.default
                if not self._answer(conn, reply):
                    return
        except (OSError, ssl.SSLError):
            return
        finally:
            if stream is not None:
                stream.close()
            conn.close()

    def _answer(self, conn: socket.socket, reply: Reply) -> bool:
        if reply.hang:
            self._stop.wait()
            return False
        if reply.drop:
            return False
        if reply.stall:
            self.stalled.set()
            while not self._stop.is_set() and conn.recv(4096):  # b"": the client hung up
                pass
            if not self._stop.is_set():
                self.released.set()
            return False
        if reply.raw is not None:
            conn.sendall(reply.raw)
            return False
        head = [f"HTTP/1.1 {reply.status} {REASONS.get(reply.status, 'Status')}"]
        headers = {"Content-Length": str(len(reply.body)), **reply.headers}
        head += [f"{k}: {v}" for k, v in headers.items()]
        head_bytes = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
        if not reply.trickle:
            conn.sendall(head_bytes + reply.body)
            return True
        conn.sendall(head_bytes)
        for index in range(len(reply.body)):
            if self._stop.wait(reply.trickle):
                return False
            conn.sendall(reply.body[index : index + 1])
            self.trickled += 1
        return True


def _read_request(stream: Any) -> RecordedRequest | None:
    line = stream.readline()
    if not line:
        return None
    parts = line.decode("latin-1").split(" ", 2)
    if len(parts) != 3:  # not HTTP (e.g. a TLS handshake sent to a plain server): hang up
        return None
    method, target, _ = parts
    headers: dict[str, str] = {}
    while True:
        header = stream.readline().decode("latin-1")
        if header in ("\r\n", "\n", ""):
            break
        name, _, value = header.partition(":")
        headers[name.strip()] = value.strip()
    length = int(next((v for k, v in headers.items() if k.lower() == "content-length"), "0"))
    body = stream.read(length) if length else b""
    return RecordedRequest(method, target, headers, body)
