"""Pacing: requests spaced by the inin-ratelimit-* headers so that a bulk job runs at the
allowed rate without 429s; one Pacer per ApiClient, shared by its threads and with_options
clients; off unless the settings ask for it."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest

from PureCloudPlatformClientV2 import ApiClient, Configuration, SCIMApi
from PureCloudPlatformClientV2.pacing import Pacer
from PureCloudPlatformClientV2.rest import RateLimitError
from PureCloudPlatformClientV2.sandbox import Sandbox
from PureCloudPlatformClientV2.settings import Settings

from ..servers import Reply, ScriptedServer
from .conftest import recording_client


class Clock:
    """A clock that moves only when something sleeps on it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class Answer:
    """A response with rate-limit headers, as `Pacer.observe` reads it."""

    def __init__(self, count: Any, allowed: Any, reset: Any) -> None:
        self.headers = {"inin-ratelimit-count": str(count), "inin-ratelimit-allowed": str(allowed),
                        "inin-ratelimit-reset": str(reset)}

    def getheader(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name, default)


def test_no_pacing_before_any_header() -> None:
    clock = Clock()
    pacer = Pacer(clock)
    assert [pacer.reserve() for _ in range(50)] == [0.0] * 50
    assert pacer.rate is None
    pacer.observe(type("Plain", (), {"getheader": lambda self, name, default=None: None})())
    pacer.observe(Answer("x", 300, 60))  # unreadable: ignored
    assert pacer.reserve() == 0.0 and pacer.rate is None


def test_the_requests_left_are_spread_evenly_over_the_time_left() -> None:
    clock = Clock()
    pacer = Pacer(clock)
    pacer.reserve()
    pacer.observe(Answer(1, 12, 10))  # 10 left (one kept in hand), window ends in 10 s
    assert pacer.rate == pytest.approx(60.0)  # 10 requests over 10 s
    waits = []
    for _ in range(10):
        waits.append(pacer.wait(clock.sleep))
    assert waits[0] == 0.0 and waits[1:] == pytest.approx([1.0] * 9)
    assert pacer.rate == 0.0  # the window is used up
    # the 12th request of the window waits for the window to end, not another interval
    assert pacer.reserve() == pytest.approx(1000.0 + 10 - clock.now)


def test_a_used_up_window_waits_until_it_resets_then_goes_unpaced(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    pacer = Pacer(clock)
    with caplog.at_level(logging.DEBUG, logger="PureCloudPlatformClientV2"):
        pacer.observe(Answer(300, 300, 42))
        assert pacer.reserve() == pytest.approx(42.0)
    assert "300 of 300 requests used; waiting 42.0 s for the window to reset" in caplog.text
    clock.now += 42
    assert pacer.reserve() == 0.0 and pacer.rate is None  # a new window nobody has described yet
    with caplog.at_level(logging.DEBUG, logger="PureCloudPlatformClientV2"):
        pacer.observe(Answer(2, 300, 60))
    assert "298 of 300 requests left in a window that resets in 60 s" in caplog.text
    assert pacer.rate == pytest.approx(297.0, rel=0.01)  # one of them kept in hand


def test_answers_narrow_the_window_end_and_late_answers_of_an_old_window_are_ignored() -> None:
    clock = Clock()
    pacer = Pacer(clock)
    pacer.observe(Answer(1, 101, 10))  # ends by 1010 (reset is rounded up)
    clock.now += 0.6
    pacer.observe(Answer(2, 101, 9))  # ends by 1009.6: the earlier of the two
    assert pacer.rate == pytest.approx(60.0 * 98 / 9.0)
    clock.now = 1009.7  # past the end: a new window
    assert pacer.reserve() == 0.0
    pacer.observe(Answer(3, 101, 10))  # the new window ends by 1019.7
    pacer.observe(Answer(100, 101, 1))  # a late answer from the old window: it would end at 1010.7
    assert pacer.rate == pytest.approx(60.0 * 97 / 10.0, rel=0.01)


def test_unlimited_windows_never_wait() -> None:
    clock = Clock()
    pacer = Pacer(clock)
    pacer.observe(Answer(1, 1_000_000_000, 60))
    assert all(pacer.wait(clock.sleep) == 0.0 for _ in range(1000))
    assert clock.slept == []


def test_threads_take_distinct_evenly_spaced_send_times_from_one_pacer() -> None:
    clock = Clock()
    pacer = Pacer(clock)
    pacer.observe(Answer(0, 41, 20))  # 40 left (one kept in hand) over 20 s: one every 0.5 s
    got: list[float] = []
    lock = threading.Lock()

    def take() -> None:
        for _ in range(10):
            delay = pacer.reserve()
            with lock:
                got.append(delay)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(got) == pytest.approx([0.5 * i for i in range(40)])


def test_with_options_clients_share_the_pacer_and_pacing_is_off_by_default(server: ScriptedServer) -> None:
    client = recording_client(server)
    paced = client.with_options(pace_requests=True)
    assert paced.pacer is client.pacer
    assert client.settings.pace_requests is False and paced.settings.pace_requests is True
    assert paced.with_options(max_retries=1).settings.pace_requests is True
    with pytest.raises(TypeError, match="pace_requests must be True or False"):
        client.with_options(pace_requests="yes")
    assert Settings(pace_requests=True).pace_requests is True and Settings().pace_requests is False


def test_configuration_pace_requests_reaches_the_snapshot(fresh_configuration: Configuration) -> None:
    assert fresh_configuration.snapshot().pace_requests is False
    fresh_configuration.pace_requests = True
    assert fresh_configuration.snapshot().pace_requests is True


def test_a_client_paces_by_the_headers_and_sleeps_with_its_own_sleep(server: ScriptedServer) -> None:
    headers = lambda count: {"inin-ratelimit-count": str(count), "inin-ratelimit-allowed": "4",  # noqa: E731
                             "inin-ratelimit-reset": "60"}
    server.reply(*[Reply.json({"id": "u1", "userName": "a@example.com"}, headers=headers(n)) for n in (1, 2, 3)])
    client = recording_client(server).with_options(pace_requests=True)
    api = SCIMApi(client)
    for _ in range(3):
        api.get_scim_v2_user("u1")
    # after the first answer 2 are left (one kept in hand) over 60 s: the second request goes
    # at once, the third 30 s later (the clock is real: about 30)
    assert len(client.sleep) == 1 and 29 < client.sleep[0] <= 30
    unpaced = recording_client(server)
    server.reply(*[Reply.json({"id": "u1", "userName": "a@example.com"}, headers=headers(4))] * 2)
    SCIMApi(unpaced).get_scim_v2_user("u1")
    SCIMApi(unpaced).get_scim_v2_user("u1")
    assert unpaced.sleep == []


def _sandbox_client(sandbox: Sandbox, clock: Clock) -> ApiClient:
    sandbox.app.faults.clock = clock  # the sandbox counts its windows on the same clock
    client = sandbox.client().with_options(pace_requests=True, max_retries=0)  # a 429 would raise
    client.pacer = Pacer(clock)
    client.sleep = clock.sleep
    return client


def test_a_bulk_job_against_the_sandbox_gets_no_429_and_takes_about_the_ideal_time() -> None:
    with Sandbox(serve=False, rate_limit=20, rate_limit_window=10) as sandbox:
        clock = Clock()
        client = _sandbox_client(sandbox, clock)
        api = SCIMApi(client)
        started = clock.now
        for _ in range(100):  # five windows' worth
            api.get_scim_v2_groups(count=1)
        elapsed = clock.now - started
        # no 429 (max_retries=0 would have raised); 100 requests at 20 per 10 s need 40 s
        # beyond the first window, and pacing adds at most the rounding of `reset` per window
        assert 40 <= elapsed <= 50 + 5
        unpaced = sandbox.client().with_options(max_retries=0)
        with pytest.raises(RateLimitError):  # the same job unpaced runs into the limit
            for _ in range(30):
                SCIMApi(unpaced).get_scim_v2_groups(count=1)
        unpaced.close()
        client.close()


def test_the_token_endpoint_takes_its_send_time_from_the_same_pacer() -> None:
    with Sandbox(serve=False, rate_limit=3, rate_limit_window=30) as sandbox:
        clock = Clock()
        client = _sandbox_client(sandbox, clock)
        api = SCIMApi(client)
        for _ in range(2):
            api.get_scim_v2_groups(count=1)  # 2 of 3, and one is kept in hand: the window is used up
        assert clock.slept == []
        client.get_client_credentials_token(sandbox.client_id, sandbox.client_secret)
        assert clock.slept == [30.0]  # the token request waited for the window to reset
        api.get_scim_v2_groups(count=1)  # the new window: the token answer's headers were not mistaken for it
        assert clock.slept == [30.0]
        client.close()


def test_threads_sharing_a_client_over_http_get_no_429() -> None:
    # real time: 3 threads, 24 requests, 10 per 3-second window (about 6 s)
    with Sandbox(rate_limit=10, rate_limit_window=3) as sandbox:
        client = sandbox.client().with_options(pace_requests=True, max_retries=0)
        api = SCIMApi(client)
        errors: list[BaseException] = []

        def job() -> None:
            try:
                for _ in range(8):
                    api.get_scim_v2_groups(count=1)
            except BaseException as error:  # noqa: BLE001  # reported below
                errors.append(error)

        threads = [threading.Thread(target=job) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        client.close()
        assert errors == []
