"""Shared fixtures. Clients get their settings as values, so most tests never touch the
process-wide configuration; a test that sets it on purpose asks for `fresh_configuration`,
and a guard fails any other test that changes it (it would leak into the tests after it)."""

from __future__ import annotations

import logging
from typing import Iterator

import pytest

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2.configuration import Configuration

from .flavours import Flavour
from .servers import ScriptedServer


@pytest.fixture(autouse=True)
def _configuration_untouched(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that changed the configuration without asking for `fresh_configuration`."""
    before = Configuration()._change_id
    yield
    if "fresh_configuration" not in request.fixturenames and Configuration()._change_id != before:
        pytest.fail("this test changed the process-wide configuration: ask for the fresh_configuration fixture")


@pytest.fixture
def fresh_configuration() -> Iterator[Configuration]:
    """The process-wide configuration, reset around the test: for tests that set it on purpose."""
    config = Configuration()
    saved = dict(vars(config))
    package_logger = logging.getLogger("PureCloudPlatformClientV2")
    logger_state = (package_logger.level, list(package_logger.handlers))
    config._initialise()
    yield config
    if config._api_client is not None:
        config._api_client.close()
    for handler in package_logger.handlers[:]:  # handlers the official logging settings added
        if handler not in logger_state[1]:
            package_logger.removeHandler(handler)
            handler.close()
    package_logger.setLevel(logger_state[0])
    vars(config).clear()
    vars(config).update(saved)


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> Iterator[Flavour]:
    """The client a shared behaviour test drives: ApiClient/SCIMApi, or their asyncio twins
    (see tests/flavours.py)."""
    if request.param == "async":
        pytest.importorskip("httpx")
    chosen = Flavour(request.param)
    try:
        yield chosen
    finally:
        chosen.close()


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
