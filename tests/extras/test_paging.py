"""paging.iterate / paging.pages against loopback servers that page correctly and ones that bend
the SCIM paging rules (capped counts, missing totals, ignored startIndex, ...)."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from PureCloudPlatformClientV2 import SCIMApi
from PureCloudPlatformClientV2.filters import F
from PureCloudPlatformClientV2.models import ScimGroupListResponse, ScimUserListResponse, ScimV2Group, ScimV2User
from PureCloudPlatformClientV2.paging import iterate, pages
from PureCloudPlatformClientV2.sandbox import Sandbox

from ..servers import RecordedRequest, Reply, ScriptedServer

USER_IDS = [f"u{i:02d}" for i in range(1, 24)]  # 23 users


def lister(ids: list[str] = USER_IDS, *, cap: int | None = None, total: int | None | str = "true",
           start_reported: str = "echo", ignore_start: bool = False, ignore_count: bool = False,
           kind: str = "user") -> Callable[[RecordedRequest], Reply]:
    """A list endpoint; the options make it misbehave in the ways real servers do."""

    def answer(request: RecordedRequest) -> Reply:
        start = 1 if ignore_start else int(request.query.get("startIndex", "1"))
        count = int(request.query.get("count", "25"))
        if ignore_count:
            count = len(ids)
        if cap is not None:
            count = min(count, cap)
        chosen = ids[start - 1 : start - 1 + count]
        resources = [{"id": i, "userName": f"{i}@example.com", "active": True} if kind == "user"
                     else {"id": i, "displayName": f"group {i}"} for i in chosen]
        body: dict[str, Any] = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                                "itemsPerPage": len(chosen), "Resources": resources}
        if total == "true":
            body["totalResults"] = len(ids)
        elif total is not None:
            body["totalResults"] = total
        if start_reported == "echo":
            body["startIndex"] = start
        elif start_reported == "one":
            body["startIndex"] = 1
        return Reply.json(body)

    return answer


def asked(server: ScriptedServer) -> list[tuple[int, int]]:
    return [(int(r.query["startIndex"]), int(r.query["count"])) for r in server.requests]


@pytest.fixture
def api_for(serve: Any) -> Callable[[Callable[[RecordedRequest], Reply]], tuple[SCIMApi, ScriptedServer]]:
    return lambda answer: serve(default=answer)


@pytest.mark.parametrize(
    ("behaviour", "options", "expected_ids", "expected_requests"),
    [
        ("honest server stops at totalResults", {}, USER_IDS, [(1, 10), (11, 10), (21, 10)]),
        ("server caps count: short pages continue", {"cap": 4}, USER_IDS,
         [(1, 10), (5, 10), (9, 10), (13, 10), (17, 10), (21, 10)]),
        ("no totalResults: stops at the empty page", {"total": None}, USER_IDS,
         [(1, 10), (11, 10), (21, 10), (24, 10)]),
        ("totalResults too high: stops at the empty page", {"total": 40}, USER_IDS,
         [(1, 10), (11, 10), (21, 10), (24, 10)]),
        ("startIndex always reported as 1: own count is used", {"start_reported": "one"}, USER_IDS,
         [(1, 10), (11, 10), (21, 10)]),
        ("startIndex missing from responses", {"start_reported": "none"}, USER_IDS,
         [(1, 10), (11, 10), (21, 10)]),
        ("startIndex ignored, no total: the repeated page ends it", {"ignore_start": True, "total": None},
         USER_IDS[:10], [(1, 10), (11, 10)]),
        ("startIndex ignored with total: bounded by totalResults", {"ignore_start": True, "cap": 10},
         USER_IDS[:10], [(1, 10), (11, 10)]),
    ],
)
def test_iterate_follows_pages_to_the_end(api_for: Any, behaviour: str, options: dict[str, Any],
                                          expected_ids: list[str], expected_requests: list[tuple[int, int]]) -> None:
    api, server = api_for(lister(**options))
    users = list(iterate(api.get_scim_v2_users, page_size=10))
    assert [u.id for u in users] == expected_ids
    assert all(isinstance(u, ScimV2User) for u in users)
    assert asked(server) == expected_requests


@pytest.mark.parametrize(
    ("method", "path", "model"),
    [
        ("get_scim_v2_users", "/api/v2/scim/v2/users", ScimV2User),
        ("get_scim_users", "/api/v2/scim/users", ScimV2User),
        ("get_scim_v2_groups", "/api/v2/scim/v2/groups", ScimV2Group),
        ("get_scim_groups", "/api/v2/scim/groups", ScimV2Group),
    ],
)
def test_iterate_works_with_every_list_method(api_for: Any, method: str, path: str, model: type) -> None:
    kind = "user" if model is ScimV2User else "group"
    api, server = api_for(lister(USER_IDS[:7], kind=kind))
    found = list(iterate(getattr(api, method), page_size=3))
    assert [type(r) for r in found] == [model] * 7
    assert [r.id for r in found] == USER_IDS[:7]
    assert {r.path for r in server.requests} == {path}


def test_pages_yields_typed_list_responses(api_for: Any) -> None:
    api, _ = api_for(lister())
    responses = list(pages(api.get_scim_v2_users, page_size=10))
    assert [type(p) for p in responses] == [ScimUserListResponse] * 3
    assert [p.start_index for p in responses] == [1, 11, 21]
    assert [len(p.resources) for p in responses] == [10, 10, 3]
    groups_api, _ = api_for(lister(USER_IDS[:2], kind="group"))
    assert [type(p) for p in pages(groups_api.get_scim_v2_groups)] == [ScimGroupListResponse]


def test_page_size_zero_makes_one_totals_only_request(api_for: Any) -> None:
    api, server = api_for(lister())
    assert list(iterate(api.get_scim_v2_users, page_size=0)) == []
    assert asked(server) == [(1, 0)]
    (only,) = pages(api.get_scim_v2_users, page_size=0)
    assert only.total_results == 23 and not only.resources


@pytest.mark.parametrize(
    ("limit", "page_size", "expected_requests"),
    [(15, 10, [(1, 10), (11, 5)]), (10, 10, [(1, 10)]), (3, 100, [(1, 3)]), (0, 10, []),
     (23, 10, [(1, 10), (11, 10), (21, 3)])],
)
def test_limit_stops_early_and_asks_no_more_than_needed(api_for: Any, limit: int, page_size: int,
                                                         expected_requests: list[tuple[int, int]]) -> None:
    api, server = api_for(lister())
    users = list(iterate(api.get_scim_v2_users, page_size=page_size, limit=limit))
    assert [u.id for u in users] == USER_IDS[:limit]
    assert asked(server) == expected_requests


def test_limit_holds_when_the_server_sends_more_than_asked(api_for: Any) -> None:
    api, server = api_for(lister(ignore_count=True))
    assert [u.id for u in iterate(api.get_scim_v2_users, page_size=5, limit=5)] == USER_IDS[:5]
    assert asked(server) == [(1, 5)]


def test_start_index_filter_and_other_arguments_are_sent_on_every_page(api_for: Any) -> None:
    api, server = api_for(lister())
    wanted = F("userName").ew("@example.com")
    users = list(iterate(api.get_scim_v2_users, wanted, page_size=2, start_index=20,
                         excluded_attributes=["roles", "externalId"]))
    assert [u.id for u in users] == USER_IDS[19:]
    assert asked(server) == [(20, 2), (22, 2)]
    for request in server.requests:
        assert request.query["filter"] == 'userName ew "@example.com"'
        assert request.query["excludedAttributes"] == "roles,externalId"


def test_requests_are_made_as_the_loop_advances(api_for: Any) -> None:
    api, server = api_for(lister())
    walk = iterate(api.get_scim_v2_users, page_size=5)
    assert server.requests == []
    assert next(walk).id == "u01"
    assert asked(server) == [(1, 5)]
    walk.close()
    assert asked(server) == [(1, 5)]


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"page_size": -1}, ValueError), ({"page_size": True}, ValueError), ({"page_size": 2.5}, ValueError),
        ({"limit": -3}, ValueError), ({"start_index": 0}, ValueError), ({"count": 10}, TypeError),
    ],
)
def test_bad_arguments_fail_before_any_request(api_for: Any, arguments: dict[str, Any], error: type) -> None:
    api, server = api_for(lister())
    with pytest.raises(error):
        iterate(api.get_scim_v2_users, **arguments)
    with pytest.raises(error):
        pages(api.get_scim_v2_users, **arguments)
    assert server.requests == []


def test_every_active_sandbox_user_once_with_clamped_pages() -> None:
    with Sandbox(seed=60, max_count=25, serve=False) as sandbox:
        total = sandbox.api.get_scim_v2_users(count=0).total_results
        users = list(iterate(sandbox.api.get_scim_v2_users, page_size=40))  # the sandbox gives 25
        assert len(users) == total > 25
        assert len({u.id for u in users}) == total
        assert all(u.active for u in users)
        inactive = list(iterate(sandbox.api.get_scim_v2_users, F("active").eq(False), page_size=2))
        assert inactive and not any(u.active for u in inactive)
