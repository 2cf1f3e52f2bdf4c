"""SandboxApp: the sandbox as a function of HTTP messages, with no socket in it.

`handle(method, target, headers, body) -> HttpResponse` does everything the sandbox does to a
request once its bytes have arrived: the body size limit, query parsing, auth, faults, routing,
error bodies, and the response's status line, headers and JSON bytes. The socket server
(server.py) and the in-process transport (in_process.py) both call it, so they answer alike.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from email.utils import formatdate
from http import HTTPStatus
from typing import Mapping
from urllib.parse import parse_qsl, urlsplit

from .errors import PlatformError, platform_code
from .options import SandboxOptions
from .routes import App, Request, Response

SERVER = f"GenesysScimSandbox/1.0 Python/{sys.version.split()[0]}"  # what http.server would send
NO_LENGTH = (204, 304)  # RFC 9110: these carry no body and (204) no Content-Length


@dataclass
class HttpResponse:
    """One answer as it goes on the wire: the body is empty for HEAD (Content-Length still counts it)."""

    status: int
    reason: str
    headers: list[tuple[str, str]]  # in the order sent
    body: bytes

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)


class SandboxApp:
    """Turns (method, target, headers, body bytes) into an `HttpResponse`; safe to share between threads."""

    def __init__(self, app: App) -> None:
        self.app = app

    @property
    def options(self) -> SandboxOptions:
        return self.app.options

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> HttpResponse:
        """`target` is the request target: the path, still percent-encoded, and any query."""
        split = urlsplit(target)
        if len(body) > self.options.max_body_bytes:
            return self.too_large(method, target)
        request = Request(method=method, path=split.path,
                          params={k.lower(): v for k, v in parse_qsl(split.query, keep_blank_values=True)},
                          headers={k.lower(): v for k, v in headers.items()}, body=body)
        return render(method, self.app.handle(request))

    def too_large(self, method: str, target: str) -> HttpResponse:
        """413 for a body over `max_body_bytes` (the server says so before reading the body)."""
        limit = self.options.max_body_bytes
        return self.refuse(method, target, PlatformError(
            413, "request.entity.too.large", f"The request is over the size limit. Maximum bytes: {limit}",
            {"Connection": "close"}))

    def bad_framing(self, method: str, target: str, problem: str, status: int = 400) -> HttpResponse:
        """400 (or 501 for an unknown transfer coding) for a body whose length cannot be read,
        e.g. an invalid Content-Length or chunk size."""
        return self.refuse(method, target, PlatformError(status, platform_code(status), problem,
                                                         {"Connection": "close"}))

    def refuse(self, method: str, target: str, error: PlatformError) -> HttpResponse:
        return render(method, self.app.refuse(urlsplit(target).path, error))


def render(method: str, response: Response) -> HttpResponse:
    """Status line, headers and bytes of `response`, as `BaseHTTPRequestHandler.send_response` orders them."""
    payload = b"" if response.body is None else json.dumps(response.body, ensure_ascii=False).encode("utf-8")
    headers = [("Server", SERVER), ("Date", formatdate(usegmt=True))]
    if payload:
        headers.append(("Content-Type", f"{response.content_type}; charset=utf-8"))
    if response.status not in NO_LENGTH:
        headers.append(("Content-Length", str(len(payload))))
    headers.extend(response.headers.items())
    return HttpResponse(response.status, reason_phrase(response.status), headers,
                        b"" if method == "HEAD" else payload)


def reason_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
