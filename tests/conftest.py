"""Shared fixtures: every test starts from the default configuration."""

from __future__ import annotations

from typing import Iterator

import pytest

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2.configuration import Configuration

from .servers import ScriptedServer


@pytest.fixture(autouse=True)
def fresh_configuration() -> Iterator[Configuration]:
    """Reset the process-wide configuration around each test (it is a singleton)."""
    config = Configuration()
    saved = dict(vars(config))
    config._initialise()
    yield config
    if config._api_client is not None:
        config._api_client.close()
    vars(config).clear()
    vars(config).update(saved)


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    """A scripted server; point a client at it with `client_for(server)`."""
    with ScriptedServer() as running:
        yield running


def client_for(server: ScriptedServer, token: str = "test-token") -> PureCloudPlatformClientV2.ApiClient:
    client = PureCloudPlatformClientV2.ApiClient(host=server.url)
    client.access_token = token
    client.sleep = lambda seconds: None  # retries are tested by what was sent, not by waiting
    return client
