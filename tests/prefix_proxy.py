"""A tiny reverse proxy on 127.0.0.1 that serves a backend under path prefixes, as an API gateway
does: `/<prefix>/rest` is forwarded to the backend as `/rest`. It records each path it was asked
for; a path under no prefix is answered 404 without reaching the backend."""

from __future__ import annotations

import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "host", "content-length"}


class PrefixProxy:
    """`with PrefixProxy(backend_url, ["login", "scim/api"]) as proxy:` ... `proxy.paths`."""

    def __init__(self, backend_url: str, prefixes: list[str]) -> None:
        backend = urlsplit(backend_url)
        self.prefixes = ["/" + p.strip("/") for p in prefixes]
        self.paths: list[str] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                proxy.paths.append(self.path)
                prefix = next((p for p in proxy.prefixes if self.path.startswith(p + "/")), None)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if prefix is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                upstream = http.client.HTTPConnection(backend.hostname, backend.port, timeout=10)
                try:
                    headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                    upstream.request(self.command, self.path[len(prefix):], body=body or None, headers=headers)
                    answer = upstream.getresponse()
                    data = answer.read()
                    self.send_response(answer.status)
                    for name, value in answer.getheaders():
                        if name.lower() not in HOP_BY_HOP:
                            self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                finally:
                    upstream.close()

            do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.host = "127.0.0.1"
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def __enter__(self) -> PrefixProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
