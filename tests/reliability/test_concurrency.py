"""One ApiClient shared by many threads: every call gets its own answer, nothing deadlocks,
even when the threads outnumber the pooled connections and the server throttles."""

from __future__ import annotations

import threading
from typing import Callable

import pytest

from PureCloudPlatformClientV2 import SCIMApi
from PureCloudPlatformClientV2.transport import POOL_MAXSIZE

from ..servers import RecordedRequest, Reply
from .conftest import recording_client, serving

THREADS = POOL_MAXSIZE + 8
CALLS = 15


def echo_user(request: RecordedRequest) -> Reply:
    user_id = request.decoded_path.rsplit("/", 1)[-1]
    return Reply.json({"id": user_id, "userName": f"{user_id}@example.com"})


def hammer(job: Callable[[int, int], None]) -> list[BaseException]:
    failures: list[BaseException] = []
    start = threading.Barrier(THREADS, timeout=10)

    def work(worker: int) -> None:
        try:
            start.wait()
            for call in range(CALLS):
                job(worker, call)
        except BaseException as failure:  # noqa: BLE001  # reported by the test
            failures.append(failure)

    threads = [threading.Thread(target=work, args=(n,), daemon=True) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not [t for t in threads if t.is_alive()], "deadlock: threads still running"
    return failures


@pytest.mark.parametrize("throttled", [False, True])
def test_many_threads_share_one_client(throttled: bool) -> None:
    seen: set[str] = set()
    lock = threading.Lock()

    def api(request: RecordedRequest) -> Reply:
        with lock:  # calls whose id ends in 0, 3, 6 or 9 are throttled on their first attempt
            first = request.path not in seen
            seen.add(request.path)
        if throttled and first and request.path.endswith(("0", "3", "6", "9")):
            return Reply.json({"message": "slow down"}, 429, {"Retry-After": "0"})
        return echo_user(request)

    with serving(default=api) as server:
        client = recording_client(server)
        scim = SCIMApi(client)

        def job(worker: int, call: int) -> None:
            user_id = f"w{worker}-c{call}"
            assert scim.get_scim_v2_user(user_id).id == user_id  # no answer goes to the wrong caller

        failures = hammer(job)
    assert failures == []
    ids = {r.decoded_path.rsplit("/", 1)[-1] for r in server.requests}
    assert len(ids) == THREADS * CALLS
    throttled_calls = THREADS * sum(str(call)[-1] in "0369" for call in range(CALLS))
    assert len(client.sleep) == (throttled_calls if throttled else 0)
    assert len(server.requests) == THREADS * CALLS + len(client.sleep)
