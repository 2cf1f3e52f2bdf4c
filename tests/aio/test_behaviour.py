"""What only the asyncio client has: cancellation ends a call cleanly (its connection closed,
nothing resent, the client still usable), a pool per event loop, and the sandbox reached over
a socket or in-process through httpx, with `aiterate`/`apages` walking its pages."""

from __future__ import annotations

import asyncio
import logging
from typing import Iterator

import pytest

pytest.importorskip("httpx")

from PureCloudPlatformClientV2.aio import (  # noqa: E402
    AsyncApiClient,
    AsyncSCIMApi,
    DefaultAsyncHttpClient,
    aiterate,
    apages,
    sandbox_transport,
)
from PureCloudPlatformClientV2.models import ScimV2CreateUser  # noqa: E402
from PureCloudPlatformClientV2.rest import ConflictError, NotFoundError  # noqa: E402
from PureCloudPlatformClientV2.sandbox import Sandbox  # noqa: E402

from ..servers import Reply, ScriptedServer  # noqa: E402

USER = {"id": "u1", "userName": "jane@example.com"}


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer(default=Reply.json(USER)) as running:
        yield running


def client_for(url: str, token: str = "test-token") -> AsyncApiClient:
    client = AsyncApiClient(host=url)
    client.access_token = token
    return client


def test_a_cancelled_call_closes_its_connection_and_the_client_goes_on(server: ScriptedServer) -> None:
    server.reply(Reply(stall=True))

    async def scenario() -> str:
        async with client_for(server.url) as client:
            api = AsyncSCIMApi(client)
            call = asyncio.create_task(api.get_scim_v2_user("u1"))
            assert await asyncio.to_thread(server.stalled.wait, 10), "the request never arrived"
            call.cancel()
            with pytest.raises(asyncio.CancelledError):
                await call
            # the client hung up that connection at once (not when it is closed)
            assert await asyncio.to_thread(server.released.wait, 10), "the cancelled request's connection leaked"
            return (await api.get_scim_v2_user("u1")).id

    assert asyncio.run(scenario()) == "u1"
    assert len(server.requests) == 2 and server.connections == 2  # nothing resent; a fresh connection after


def test_a_call_cancelled_while_waiting_to_retry_sends_nothing_more(server: ScriptedServer) -> None:
    server.reply(Reply.json({}, 429, {"Retry-After": "30"}))

    async def scenario() -> None:
        async with client_for(server.url) as client:
            waiting = asyncio.Event()

            async def sleep(seconds: float) -> None:
                waiting.set()
                await asyncio.Event().wait()  # the 30 s, as long as the test needs

            client.sleep = sleep
            call = asyncio.create_task(AsyncSCIMApi(client).get_scim_v2_user("u1"))
            await waiting.wait()
            call.cancel()
            with pytest.raises(asyncio.CancelledError):
                await call

    asyncio.run(scenario())
    assert len(server.requests) == 1


def test_one_client_serves_successive_event_loops(server: ScriptedServer) -> None:
    client = client_for(server.url)
    api = AsyncSCIMApi(client)
    assert asyncio.run(api.get_scim_v2_user("u1")).id == "u1"
    assert asyncio.run(api.get_scim_v2_user("u1")).id == "u1"  # a new pool for the new loop
    asyncio.run(client.aclose())
    assert len(server.requests) == 2


def test_many_concurrent_calls_share_the_pool(server: ScriptedServer) -> None:
    async def scenario() -> list[str]:
        async with client_for(server.url) as client:
            api = AsyncSCIMApi(client)
            users = await asyncio.gather(*(api.get_scim_v2_user(f"u{i}") for i in range(50)))
            return [u.id for u in users]

    assert asyncio.run(scenario()) == ["u1"] * 50
    assert sorted(r.path for r in server.requests) == sorted(f"/api/v2/scim/v2/users/u{i}" for i in range(50))


def test_records_redact_the_token(server: ScriptedServer, caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> None:
        async with client_for(server.url, token="very-secret-token") as client:
            await AsyncSCIMApi(client).get_scim_v2_user("u1")

    with caplog.at_level(logging.DEBUG, logger="PureCloudPlatformClientV2"):
        asyncio.run(scenario())
    assert "/api/v2/scim/v2/users/u1 -> 200" in caplog.text  # the full URL, as ApiClient logs it
    assert server.requests[0].header("Authorization") == "Bearer very-secret-token"
    assert "very-secret-token" not in caplog.text + repr([r.__dict__ for r in caplog.records])


# -- the sandbox, over a socket and in-process ------------------------------------------
@pytest.fixture(params=["socket", "in-process"])
def sandbox_client(request: pytest.FixtureRequest) -> Iterator[tuple[Sandbox, AsyncApiClient]]:
    with Sandbox(seed=7, serve=request.param == "socket") as sandbox:
        client = AsyncApiClient(host=sandbox.url)
        if request.param == "in-process":
            client.set_http_client(DefaultAsyncHttpClient(transport=sandbox_transport(sandbox)))
        yield sandbox, client


def test_the_user_lifecycle_against_the_sandbox(sandbox_client: tuple[Sandbox, AsyncApiClient]) -> None:
    sandbox, client = sandbox_client

    async def scenario() -> None:
        async with client:
            await client.get_client_credentials_token(sandbox.client_id, sandbox.client_secret)
            api = AsyncSCIMApi(client)
            created = await api.post_scim_v2_users(ScimV2CreateUser(user_name="ada@example.com",
                                                                    display_name="Ada"))
            with pytest.raises(ConflictError):
                await api.post_scim_v2_users(ScimV2CreateUser(user_name="ada@example.com", display_name="Ada"))
            fetched = await api.get_scim_v2_user(created.id)
            assert (fetched.user_name, fetched.display_name) == ("ada@example.com", "Ada")
            patched = await api.patch_scim_v2_user(created.id, {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "replace", "path": "title", "value": "Engineer"}]})
            assert patched.title == "Engineer"
            await api.delete_scim_v2_user(created.id)
            with pytest.raises(NotFoundError):
                await api.get_scim_v2_user(created.id)

    asyncio.run(scenario())


def test_aiterate_walks_every_page(sandbox_client: tuple[Sandbox, AsyncApiClient]) -> None:
    sandbox, client = sandbox_client
    client.access_token = sandbox.token

    async def scenario() -> tuple[list[str], list[int], list[str]]:
        async with client:
            api = AsyncSCIMApi(client)
            names = [user.user_name async for user in aiterate(api.get_scim_v2_users, page_size=3)]
            sizes = [len(page.resources or []) async for page in apages(api.get_scim_v2_users, page_size=3)]
            capped = [user.user_name async for user in aiterate(api.get_scim_users, page_size=2, limit=5)]
            return names, sizes, capped

    names, sizes, capped = asyncio.run(scenario())
    expected = sorted(user.user_name for user in sandbox.api.get_scim_v2_users(count=100).resources)
    assert sorted(names) == expected and len(names) == 7
    assert sizes == [3, 3, 1] and capped == names[:5]


def test_aiterate_checks_its_arguments_before_any_request() -> None:
    api = AsyncSCIMApi(client_for("http://127.0.0.1:9"))
    with pytest.raises(ValueError, match="page_size"):
        aiterate(api.get_scim_v2_users, page_size=-1)
    with pytest.raises(TypeError, match="page_size"):
        apages(api.get_scim_v2_users, count=5)
