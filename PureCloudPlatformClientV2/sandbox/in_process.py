"""InProcessTransport: an `AbstractHttpClient` that hands each request to a sandbox's
`SandboxApp` in the calling thread, with no socket (like httpx's MockTransport)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..rest import ApiConnectionError
from ..transport import AbstractHttpClient, HttpRequestOptions, RESTResponse

if TYPE_CHECKING:
    from . import Sandbox

IN_PROCESS_URL = "http://sandbox.invalid"  # the host of a sandbox that does not serve; never resolves


class InProcessTransport(AbstractHttpClient):
    """Sends what `DefaultHttpClient` would send (the URL, headers and body of the options, plus
    the `Host` header the URL implies) to `sandbox`, and returns its answer as a `RESTResponse`.

    Everything after the socket is the same as over HTTP: auth, faults (latency included), the
    body size limit, ETags, `/oauth/token`, error bodies and headers, and `ApiClient` still checks
    the answer (non-2xx raises ApiException). Not exercised: sockets, TLS, keep-alive, chunked
    framing, timeouts (the options' timeout is ignored) and redirects (the sandbox sends none).
    """

    def __init__(self, sandbox: Sandbox) -> None:
        super().__init__()
        self.sandbox = sandbox

    def request(self, options: HttpRequestOptions) -> RESTResponse:
        exchange = self.sandbox._exchange
        if exchange is None:  # as a stopped server would be: nothing was sent
            raise ApiConnectionError("connection failed: the sandbox is not running", sent=False)
        url = urlsplit(options.url)
        target = (url.path or "/") + (f"?{url.query}" if url.query else "")
        headers = dict(options.headers)
        if not any(name.lower() == "host" for name in headers):
            headers["Host"] = url.netloc.rpartition("@")[2]  # as an HTTP client derives it
        body = options.body
        payload = body.encode("utf-8") if isinstance(body, str) else (body or b"")
        answer = exchange.handle(options.method, target, headers, payload)
        if exchange.options.log_requests:
            sys.stderr.write(f'in-process - "{options.method} {target} HTTP/1.1" {answer.status} -\n')
        return RESTResponse(answer.status, answer.reason, answer.body, dict(answer.headers))
