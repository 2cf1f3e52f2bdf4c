"""Fault injection: shares of 429/503 answers, the per-token rate limit, latency, reproducibility.
The sandboxes serve no socket: faults are decided after it (test_in_process.py compares both ways)."""

from __future__ import annotations

import time

import pytest

from PureCloudPlatformClientV2.sandbox import Sandbox
from PureCloudPlatformClientV2.sandbox.errors import PlatformError
from PureCloudPlatformClientV2.sandbox.faults import Faults
from PureCloudPlatformClientV2.sandbox.options import SandboxOptions

from .conftest import Http


def statuses(http: Http, n: int) -> list[int]:
    return [http.get("/groups").status for _ in range(n)]


def test_a_share_of_requests_gets_429_with_retry_after() -> None:
    with Sandbox(error_429_rate=0.5, retry_after=7, fault_seed=1, serve=False) as sandbox:
        http = Http(sandbox)
        got = statuses(http, 60)
        assert set(got) == {200, 429} and 15 <= got.count(429) <= 45
        refused = next(r for r in (http.get("/groups") for _ in range(50)) if r.status == 429)
        assert refused.headers["Retry-After"] == "7"
        body = refused.json()
        assert body["status"] == 429 and "Retry the request in [7] seconds" in body["message"]


def test_a_share_of_requests_gets_503() -> None:
    with Sandbox(error_503_rate=0.3, fault_seed=2, serve=False) as sandbox:
        got = statuses(Http(sandbox), 60)
        assert set(got) == {200, 503} and 5 <= got.count(503) <= 35


def test_all_or_nothing_shares() -> None:
    with Sandbox(error_503_rate=1.0, serve=False) as sandbox:
        http = Http(sandbox)
        assert statuses(http, 5) == [503] * 5
        sandbox.options.error_503_rate = 0.0  # options are read live
        assert statuses(http, 5) == [200] * 5


def test_the_same_seed_fails_the_same_requests() -> None:
    runs = []
    for _ in range(2):
        with Sandbox(error_429_rate=0.3, error_503_rate=0.2, fault_seed=42, serve=False) as sandbox:
            runs.append(statuses(Http(sandbox), 40))
    assert runs[0] == runs[1] and {200, 429, 503} == set(runs[0])


def test_faults_spare_the_token_endpoint() -> None:
    with Sandbox(error_503_rate=1.0, serve=False) as sandbox:
        from .test_server import _token_request

        assert _token_request(Http(sandbox), sandbox.client_id, sandbox.client_secret).status == 200


def test_rate_limit_per_token() -> None:
    with Sandbox(rate_limit=5, serve=False) as sandbox:
        http = Http(sandbox)
        first = [http.get("/groups") for _ in range(5)]
        assert [r.status for r in first] == [200] * 5
        assert [r.headers["inin-ratelimit-count"] for r in first] == ["1", "2", "3", "4", "5"]
        assert first[0].headers["inin-ratelimit-allowed"] == "5"
        refused = http.get("/groups")
        assert refused.status == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert refused.headers["Retry-After"] == refused.headers["inin-ratelimit-reset"]
        assert "Rate limit exceeded the maximum" in refused.json()["message"]
        from .test_server import _token_request

        other = _token_request(http, sandbox.client_id, sandbox.client_secret).json()["access_token"]
        assert http.get("/groups", token=other).status == 200  # another token has its own budget


def test_rate_limit_window_resets_after_a_minute() -> None:
    now = [0.0]
    faults = Faults(SandboxOptions(rate_limit=2), clock=lambda: now[0])
    for expected in ("1", "2"):
        headers = faults.count("t")
        faults.admit(headers)
        assert headers["inin-ratelimit-count"] == expected
    now[0] = 59.5
    with pytest.raises(PlatformError) as refused:
        faults.admit(faults.count("t"))
    assert refused.value.status == 429 and refused.value.headers["Retry-After"] == "1"
    now[0] = 60.0
    headers = faults.count("t")
    faults.admit(headers)
    assert headers["inin-ratelimit-count"] == "1"


def test_latency_is_added_to_every_request() -> None:
    with Sandbox(latency=0.15, serve=False) as sandbox:
        http = Http(sandbox)
        started = time.monotonic()
        assert http.get("/groups").status == 200
        assert time.monotonic() - started >= 0.15  # a lower bound, so not timing-sensitive


def test_latency_uses_the_injected_sleep() -> None:
    slept: list[float] = []
    Faults(SandboxOptions(latency=2.5), sleep=slept.append).delay()
    Faults(SandboxOptions(), sleep=slept.append).delay()
    assert slept == [2.5]


@pytest.mark.parametrize("bad", [{"error_429_rate": 1.5}, {"error_503_rate": -0.1}, {"latency": -1},
                                 {"rate_limit": -1}, {"profile": "lax"}])
def test_invalid_options_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Sandbox(**bad)  # type: ignore[arg-type]
