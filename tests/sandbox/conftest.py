"""Fixtures for the sandbox tests: a fresh sandbox per test and a small HTTP client for it
(over a socket when the sandbox serves, through its in-process transport when it does not)."""

from __future__ import annotations

import itertools
import json as jsonlib
from typing import Any, Iterator
from urllib.parse import quote, urlencode

import pytest
import urllib3

from PureCloudPlatformClientV2.sandbox import Sandbox
from PureCloudPlatformClientV2.transport import HttpRequestOptions

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GENESYS = "urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
_numbers = itertools.count(1)


class InProcessReply:
    """What the tests read of a urllib3 response, from the in-process transport's answer."""

    def __init__(self, status: int, headers: dict[str, str], data: bytes) -> None:
        self.status, self.data = status, data
        self.headers = urllib3.HTTPHeaderDict(headers)

    def json(self) -> Any:
        return jsonlib.loads(self.data)


class Http:
    """Plain HTTP against a sandbox (the SDK is tested elsewhere): paths are relative to the
    SCIM base unless they start with `/api` or `/oauth`. A sandbox made with serve=False is
    reached through `sandbox.transport()`, with the headers urllib3 would add."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.pool = urllib3.PoolManager(retries=False)

    def request(self, method: str, path: str, *, json: Any = None, body: bytes | str | None = None,
                headers: dict[str, str] | None = None, token: str | None = "default",
                params: dict[str, Any] | None = None) -> Any:
        url = self.sandbox.url + path if path.startswith(("/api", "/oauth")) else self.sandbox.scim_url + path
        if params:
            url += "?" + urlencode(params, quote_via=quote)
        sent = dict(headers or {})
        if token is not None:
            sent.setdefault("Authorization", f"Bearer {self.sandbox.token if token == 'default' else token}")
        if self.sandbox.serve:
            return self.pool.request(method, url, json=json, body=body, headers=sent)
        if json is not None:
            body = jsonlib.dumps(json, separators=(",", ":"), ensure_ascii=False).encode()  # as urllib3 does
            sent.setdefault("Content-Type", "application/json")
        answer = self.sandbox.transport().request(HttpRequestOptions(url, method, sent, body=body))
        return InProcessReply(answer.status, answer.getheaders(), answer.raw_data)

    def get(self, path: str, **kw: Any) -> urllib3.BaseHTTPResponse:
        return self.request("GET", path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> urllib3.BaseHTTPResponse:
        return self.request("POST", path, json=json, **kw)

    def put(self, path: str, json: Any = None, **kw: Any) -> urllib3.BaseHTTPResponse:
        return self.request("PUT", path, json=json, **kw)

    def patch(self, path: str, operations: list[dict[str, Any]], **kw: Any) -> urllib3.BaseHTTPResponse:
        return self.request("PATCH", path, json={"schemas": [PATCH_OP], "Operations": operations}, **kw)

    def delete(self, path: str, **kw: Any) -> urllib3.BaseHTTPResponse:
        return self.request("DELETE", path, **kw)

    def create_user(self, **attributes: Any) -> dict[str, Any]:
        n = next(_numbers)
        body = {"userName": f"user{n}@example.com", "displayName": f"User {n}", **attributes}
        response = self.post("/users", body)
        assert response.status == 201, response.data
        return response.json()  # type: ignore[no-any-return]

    def group_id(self, name: str) -> str:
        found = self.get("/groups", params={"filter": f'displayName eq "{name}"'}).json()["Resources"]
        return found[0]["id"]  # type: ignore[no-any-return]


def user_body(**attributes: Any) -> dict[str, Any]:
    n = next(_numbers)
    return {"userName": f"user{n}@example.com", "displayName": f"User {n}", **attributes}


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


@pytest.fixture
def in_process_sandbox() -> Iterator[Sandbox]:
    with Sandbox(serve=False) as running:
        yield running


@pytest.fixture
def http(sandbox: Sandbox) -> Iterator[Http]:
    client = Http(sandbox)
    yield client
    client.pool.clear()
