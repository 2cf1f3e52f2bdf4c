"""One set of behaviour tests for both clients: the `flavour` fixture (tests/conftest.py) is
"sync" (ApiClient, SCIMApi) or "async" (AsyncApiClient, AsyncSCIMApi). Tests make their client
and API through it and call them as usual: for "async", each call's coroutine is run to its
end on the test's own event loop, so `api.get_scim_v2_user("u1")` means the same in both."""

from __future__ import annotations

import asyncio
import inspect
import threading
from typing import Any, Callable

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2.api_client import ApiClient


class Sleeps(list):
    """Stands in for `client.sleep`: records each wait instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


class AsyncSleeps(Sleeps):
    """`Sleeps` for the asyncio client, whose `sleep` is awaited."""

    async def __call__(self, seconds: float) -> None:  # type: ignore[override]
        self.append(seconds)


class Awaiting:
    """An asyncio client or API seen synchronously: a coroutine method runs to its end on
    `loop`; attributes read and set pass through. `.wrapped` is the object itself."""

    def __init__(self, wrapped: Any, loop: asyncio.AbstractEventLoop) -> None:
        object.__setattr__(self, "wrapped", wrapped)
        object.__setattr__(self, "loop", loop)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.wrapped, name)
        if not inspect.iscoroutinefunction(value):
            return value

        def run(*args: Any, **kwargs: Any) -> Any:
            result = self.loop.run_until_complete(value(*args, **kwargs))
            return Awaiting(result, self.loop) if result is self.wrapped else result

        return run

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.wrapped, name, value)

    def __repr__(self) -> str:
        return repr(self.wrapped)


class Flavour:
    def __init__(self, name: str) -> None:
        self.name = name
        self.loop = asyncio.new_event_loop() if name == "async" else None
        self._clients: list[Any] = []

    def __repr__(self) -> str:
        return self.name

    def client(self, server: Any, token: str | None = "test-token",
               register: Callable[[ApiClient], Any] | None = None) -> Any:
        """A client for `server` (a ScriptedServer or a URL) whose `sleep` records the waits."""
        url = server if isinstance(server, str) else server.url
        if self.loop is None:
            client = PureCloudPlatformClientV2.ApiClient(host=url)
            client.access_token = token
            client.sleep = Sleeps()
            if register is not None:
                register(client)
            return client
        from PureCloudPlatformClientV2.aio import AsyncApiClient

        async_client = AsyncApiClient(host=url)
        async_client.access_token = token
        async_client.sleep = AsyncSleeps()
        self._clients.append(async_client)
        return Awaiting(async_client, self.loop)

    def api(self, client: Any) -> Any:
        """The SCIM API of `client` (one that `client()` made)."""
        if self.loop is None:
            return PureCloudPlatformClientV2.SCIMApi(client)
        from PureCloudPlatformClientV2.aio import AsyncSCIMApi

        return Awaiting(AsyncSCIMApi(client.wrapped), self.loop)

    def concurrently(self, api: Any, count: int, call: Callable[[Any], Any]) -> list[Any]:
        """`call(api)` `count` times at once: in threads (sync) or as tasks of one loop (async)."""
        if self.loop is None:
            return run_threads(count, lambda: call(api))

        async def gather() -> list[Any]:
            return list(await asyncio.gather(*(call(api.wrapped) for _ in range(count))))

        return self.loop.run_until_complete(gather())

    def close(self) -> None:
        if self.loop is None:
            return
        while self._clients:
            self.loop.run_until_complete(self._clients.pop().aclose())
        # as asyncio.run does: join the executor threads (name lookups ran there) before going
        self.loop.run_until_complete(self.loop.shutdown_default_executor())
        self.loop.close()


def run_threads(count: int, job: Callable[[], Any]) -> list[Any]:
    results: list[Any] = [None] * count

    def work(index: int) -> None:
        results[index] = job()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "threads did not finish"
    return results
