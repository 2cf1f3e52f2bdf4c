"""The collector pause around large decodes (_collector.py): it gives back the collector as it
found it, after success and failure, nested and from several threads, and leaves alone what
others do to the collector meanwhile; decoding with it gives the same models as without."""

from __future__ import annotations

import gc
import json
import threading
from typing import Any, Iterator

import pytest

from PureCloudPlatformClientV2 import ApiClient, ApiException
from PureCloudPlatformClientV2._collector import LARGE_BODY, PAUSE, CollectorPause
from PureCloudPlatformClientV2._decode import decoder_for
from PureCloudPlatformClientV2.sandbox.fake import make_users
from PureCloudPlatformClientV2.transport import RESTResponse

PAGE_TYPE = "ScimUserListResponse"
CUSTOM = (1234, 17, 9)  # thresholds no one else uses: restoring them is not a coincidence


@pytest.fixture(autouse=True)
def collector_as_found() -> Iterator[None]:
    """Each test starts from known thresholds, and the collector is given back as it was."""
    thresholds, enabled = gc.get_threshold(), gc.isenabled()
    gc.set_threshold(*CUSTOM)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        (gc.enable if enabled else gc.disable)()


def page_text(count: int) -> str:
    return json.dumps({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": count,
                       "startIndex": 1, "itemsPerPage": count, "Resources": make_users(count)})


def response(text: str) -> RESTResponse:
    return RESTResponse(200, "OK", text, {"Content-Type": "application/json"})


# -- the pause itself -------------------------------------------------------------------------
def test_a_pause_zeroes_the_first_threshold_and_restores_all_three() -> None:
    pause = CollectorPause()
    with pause.held():
        assert gc.get_threshold() == (0, CUSTOM[1], CUSTOM[2])
        assert gc.isenabled()
    assert gc.get_threshold() == CUSTOM and pause.holders == 0


def test_the_thresholds_come_back_after_an_exception() -> None:
    pause = CollectorPause()
    with pytest.raises(KeyError):
        with pause.held():
            raise KeyError("boom")
    assert gc.get_threshold() == CUSTOM and pause.holders == 0


def test_nested_pauses_restore_only_when_the_outermost_ends() -> None:
    pause = CollectorPause()
    with pause.held():
        with pause.held():
            assert pause.holders == 2
        assert gc.get_threshold()[0] == 0
    assert gc.get_threshold() == CUSTOM


def test_a_disabled_collector_stays_disabled_and_an_enabled_one_enabled() -> None:
    pause = CollectorPause()
    gc.disable()
    with pause.held():
        pass
    assert not gc.isenabled() and gc.get_threshold() == CUSTOM
    gc.enable()
    with pause.held():
        gc.disable()  # someone turns the collector off while a decode runs: it stays off
    assert not gc.isenabled() and gc.get_threshold() == CUSTOM


def test_thresholds_set_during_a_pause_are_kept() -> None:
    pause = CollectorPause()
    with pause.held():
        gc.set_threshold(500, 5, 5)
    assert gc.get_threshold() == (500, 5, 5)


def test_collections_already_off_by_threshold_stay_off() -> None:
    pause = CollectorPause()
    gc.set_threshold(0, 3, 4)
    with pause.held():
        assert gc.get_threshold() == (0, 3, 4)
    assert gc.get_threshold() == (0, 3, 4)


def test_the_last_thread_out_restores_whatever_the_order() -> None:
    """Two threads hold the pause at once; the one that entered first leaves first, and the
    collector stays paused until the second has left too."""
    pause = CollectorPause()
    both_in, first_out, second_may_leave = threading.Barrier(2), threading.Event(), threading.Event()
    seen: dict[str, Any] = {}

    def first() -> None:
        with pause.held():
            both_in.wait()
        first_out.set()

    def second() -> None:
        with pause.held():
            both_in.wait()
            first_out.wait()
            seen["after first left"] = gc.get_threshold()
            second_may_leave.wait()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_out.wait()
    second_may_leave.set()
    for thread in threads:
        thread.join()
    assert seen["after first left"] == (0, CUSTOM[1], CUSTOM[2])
    assert gc.get_threshold() == CUSTOM and pause.holders == 0


def test_many_threads_entering_and_leaving_together_leave_the_collector_as_found() -> None:
    pause = CollectorPause()
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            for _ in range(200):
                with pause.held():
                    with pause.held():
                        assert gc.get_threshold()[0] == 0
        except BaseException as error:  # reported below: an assert in a thread is not seen by pytest
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and gc.get_threshold() == CUSTOM and pause.holders == 0


def test_a_decode_does_not_join_a_pause_with_a_large_backlog() -> None:
    """Overlapping decodes cannot keep the collector paused for ever: past the join limit a
    newcomer runs without holding the pause, which ends when its earlier holder leaves."""
    pause = CollectorPause(join_limit=0)  # every backlog is too large to join
    with pause.held():
        late = pause.held()
        with late:
            assert not late.joined and pause.holders == 1
        assert gc.get_threshold()[0] == 0  # the late one's leaving ended nothing
    assert gc.get_threshold() == CUSTOM and pause.holders == 0


# -- where it applies -------------------------------------------------------------------------
def test_a_large_page_decodes_with_no_automatic_collection_and_the_same_models() -> None:
    text = page_text(100)
    assert len(text) >= LARGE_BODY
    held_at_collection: list[int] = []  # the pause's holders at each collection
    callback = lambda phase, info: held_at_collection.append(PAUSE.holders) if phase == "start" else None  # noqa: E731
    client, wire = ApiClient(), response(text)
    gc.set_threshold(1, 1, 1)  # without the pause, nearly every allocation of the decode would collect
    gc.callbacks.append(callback)
    try:
        decoded = client.deserialize(wire, PAGE_TYPE)
    finally:
        gc.callbacks.remove(callback)
    assert [held for held in held_at_collection if held] == []
    assert len(held_at_collection) < 50  # unpaused, the 100 users' ~3,000 containers meet ~3,000 collections
    assert gc.get_threshold() == (1, 1, 1) and PAUSE.holders == 0
    assert decoded == decoder_for(PAGE_TYPE)(json.loads(text))
    assert decoded.to_wire() == json.loads(text)


def test_a_small_response_is_decoded_without_pausing() -> None:
    text = json.dumps(make_users(1)[0])
    assert len(text) < LARGE_BODY
    collections: list[int] = []
    callback = lambda phase, info: collections.append(info["generation"]) if phase == "start" else None  # noqa: E731
    gc.set_threshold(1, 1, 1)
    gc.callbacks.append(callback)
    try:
        ApiClient().deserialize(response(text), "ScimV2User")
    finally:
        gc.callbacks.remove(callback)
    assert collections != []  # the collector ran as usual: nothing was paused for one user


def test_a_malformed_large_response_restores_the_collector() -> None:
    users = make_users(100)
    users[57]["emails"][0]["value"] = 12
    text = json.dumps({"totalResults": 100, "Resources": users})
    with pytest.raises(ApiException, match=r"Resources\[57\]\.emails\[0\]\.value"):
        ApiClient().deserialize(response(text), PAGE_TYPE)
    with pytest.raises(ApiException, match="expected JSON"):
        ApiClient().deserialize(response(text[:-1]), PAGE_TYPE)
    assert gc.get_threshold() == CUSTOM and PAUSE.holders == 0
