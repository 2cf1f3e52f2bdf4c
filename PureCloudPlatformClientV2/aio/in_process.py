"""`sandbox_transport(sandbox)`: an httpx transport that hands each request to a sandbox's
`SandboxApp` with no socket, in a worker thread (the sandbox is synchronous and may sleep for
its latency faults), so the asyncio client reaches it through its own httpx code path."""

from __future__ import annotations

import asyncio

import httpx

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..sandbox import Sandbox

__all__ = ["sandbox_transport"]


class _SandboxTransport(httpx.AsyncBaseTransport):
    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        exchange = self.sandbox._exchange
        if exchange is None:  # as a stopped server would be: nothing was sent
            raise httpx.ConnectError("the sandbox is not running", request=request)
        body = await request.aread()
        target = request.url.raw_path.decode("ascii")
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in request.headers.raw}
        answer = await asyncio.to_thread(exchange.handle, request.method, target, headers, body)
        return httpx.Response(answer.status, headers=answer.headers, content=answer.body, request=request)


def sandbox_transport(sandbox: Sandbox) -> httpx.AsyncBaseTransport:
    """For `DefaultAsyncHttpClient(transport=sandbox_transport(sandbox))`; see docs/async.md."""
    return _SandboxTransport(sandbox)
