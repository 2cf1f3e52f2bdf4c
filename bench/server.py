"""A tiny keep-alive HTTP/1.1 loopback server for the request benchmark.

It answers every request with the same JSON body (one realistic user), as fast as a socket
allows, so that the timings compare the clients rather than the server. It remembers the
headers of the last request, so the raw-urllib3 baseline can send exactly what the SDK sent.
"""

from __future__ import annotations

import socket
import threading


class KeepAliveServer:
    """`with KeepAliveServer(body) as server: ... server.url ...` serves `body` (bytes)."""

    def __init__(self, body: bytes, content_type: str = "application/json") -> None:
        self.head = (
            "HTTP/1.1 200 OK\r\n"
            f"Content-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n"
            "Connection: keep-alive\r\n\r\n"
        ).encode("ascii")
        self.body = body
        self.last_headers: dict[str, str] = {}
        self.requests = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> KeepAliveServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:  # closed by __exit__
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        pending = b""
        with conn:
            while True:
                while b"\r\n\r\n" not in pending:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    pending += chunk
                head, pending = pending.split(b"\r\n\r\n", 1)
                lines = head.decode("latin-1").split("\r\n")[1:]
                self.last_headers = dict(line.split(": ", 1) for line in lines if ": " in line)
                self.requests += 1
                conn.sendall(self.head + self.body)  # GET requests only: no request body to skip


def main() -> None:
    """`python bench/server.py BODY_FILE`: serve in a process of its own (no GIL shared with the
    clients measured); prints the URL, stops when its standard input closes."""
    import sys
    from pathlib import Path

    with KeepAliveServer(Path(sys.argv[1]).read_bytes()) as server:
        print(server.url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
