"""Fixtures for the extras tests: scripted loopback servers with a ready SCIMApi."""

from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest

from PureCloudPlatformClientV2 import SCIMApi
from PureCloudPlatformClientV2.configuration import Configuration

from ..conftest import client_for
from ..servers import RecordedRequest, Reply, ScriptedServer

Serve = Callable[..., "tuple[SCIMApi, ScriptedServer]"]


@pytest.fixture
def serve() -> Iterator[Serve]:
    """`serve(default=reply_or_function, script=[replies])` starts a server and returns
    `(api, server)`; both are closed after the test."""
    opened: list[tuple[SCIMApi, ScriptedServer]] = []

    def start(default: Reply | Callable[[RecordedRequest], Reply] | None = None,
              script: list[Reply] | None = None, **tls: Any) -> tuple[SCIMApi, ScriptedServer]:
        server = ScriptedServer(default=default, **tls).__enter__()
        server.reply(*(script or []))
        opened.append((SCIMApi(client_for(server)), server))
        return opened[-1]

    yield start
    default_client = Configuration()._api_client  # SCIMApi()'s, if a test made it: it may hold connections too
    if default_client is not None:
        default_client.close()
    for api, server in opened:
        api.api_client.close()
        server.stop()
