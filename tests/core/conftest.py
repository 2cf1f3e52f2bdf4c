"""Fixtures for the core suite: a scripted server, and a client/SCIMApi bound to it."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

import pytest

from PureCloudPlatformClientV2.api_client import ApiClient
from PureCloudPlatformClientV2.apis.scim_api import SCIMApi

from ..conftest import client_for
from ..servers import ScriptedServer


@contextmanager
def scripted(**options: Any) -> Iterator[ScriptedServer]:
    """A running ScriptedServer, stopped afterwards."""
    with ScriptedServer(**options) as running:
        yield running


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with scripted() as running:
        yield running


@pytest.fixture
def client(server: ScriptedServer) -> Iterator[ApiClient]:
    # Closed before the server stops: an idle keep-alive connection would hold up its shutdown.
    with client_for(server) as opened:
        yield opened


@pytest.fixture
def api(client: ApiClient) -> SCIMApi:
    return SCIMApi(client)
