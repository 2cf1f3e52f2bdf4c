"""Walk every page of a SCIM list method: `iterate` yields resources, `pages` yields responses.

    from PureCloudPlatformClientV2.paging import iterate

    for user in iterate(api.get_scim_v2_users, 'active eq false', page_size=100):
        print(user.user_name)

Works with any list method (`get_scim_v2_users`, `get_scim_users`, `get_scim_v2_groups`,
`get_scim_groups`, or your own callable taking `filter`, `start_index` and `count`), because SCIM
pages by one rule: ask from `startIndex` for `count` items; the next page starts after the items
that came back. It is safe against servers that bend the rule: a short page (the server capped
`count`) just moves on; an empty page, reaching `totalResults`, or the same page again (a server
that ignores `startIndex`) ends the walk, so it never loops forever.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Iterator, Protocol, Sequence, TypeVar

    T = TypeVar("T")
    T_co = TypeVar("T_co", covariant=True)
    P = TypeVar("P", bound="ListPage[Any]")

    class ListPage(Protocol[T_co]):
        """What a list response offers: `ScimUserListResponse`, `ScimGroupListResponse`, ..."""

        @property
        def resources(self) -> Sequence[T_co] | None: ...
        @property
        def total_results(self) -> int | None: ...
        @property
        def start_index(self) -> int | None: ...


__all__ = ["iterate", "pages", "DEFAULT_PAGE_SIZE"]

# Genesys warns that pages over 25 may hit a resource-limit 429 unless secondary attributes are
# pruned (`excluded_attributes`); 100 suits servers without that limit (research §1.6).
DEFAULT_PAGE_SIZE = 100


def pages(list_method: Callable[..., P], filter: str | None = None, *, page_size: int = DEFAULT_PAGE_SIZE,
          limit: int | None = None, start_index: int = 1, **kwargs: Any) -> Iterator[P]:
    """Yield each list response, one request per page, as the loop advances.

    filter: a SCIM filter (a `filters.Filter` or text); None lists what the server lists by
        default (Genesys: active users only).
    page_size: the `count` asked for; the server may return fewer. 0 makes one request, whose
        response only reports `total_results`.
    limit: stop once this many resources have come back (the last page is asked smaller);
        0 makes no request.
    start_index: the 1-based index to start from.
    kwargs: passed to every call, e.g. `attributes=[...]` or `excluded_attributes=[...]`.

    Arguments are checked here, before any request (ValueError, TypeError).
    """
    arguments = walk_arguments(filter, page_size, limit, start_index, kwargs)
    return _walk(list_method, PageWalk(page_size, limit, start_index), arguments)


def walk_arguments(filter: str | None, page_size: int, limit: int | None, start_index: int,
                   kwargs: dict[str, Any]) -> dict[str, Any]:
    """The arguments every page's call gets, after checking the walk's own."""
    _check_count("page_size", page_size)
    if limit is not None:
        _check_count("limit", limit)
    if not isinstance(start_index, int) or isinstance(start_index, bool) or start_index < 1:
        raise ValueError(f"start_index must be an int >= 1, got {start_index!r}")
    if "count" in kwargs:
        raise TypeError("pass page_size=..., not count=...")
    if filter is not None:
        kwargs["filter"] = filter
    return kwargs


class PageWalk:
    """The paging rule as state, shared by `pages` and the asyncio `apages`: the `count` to ask
    for next (None: the walk is over), and what each page that came back means."""

    __slots__ = ("page_size", "limit", "start", "seen", "previous", "done")

    def __init__(self, page_size: int, limit: int | None, start: int) -> None:
        self.page_size, self.limit, self.start = page_size, limit, start
        self.seen = 0
        self.previous: list[Any] | None = None
        self.done = False

    def next_count(self) -> int | None:
        if self.done or (self.limit is not None and self.seen >= self.limit):
            return None
        return self.page_size if self.limit is None else min(self.page_size, self.limit - self.seen)

    def accept(self, page: ListPage[Any]) -> bool:
        """Whether `page` is to be yielded (False: the walk ends without it)."""
        resources = list(page.resources or ())
        if resources and resources == self.previous:
            self.done = True  # the server ignores startIndex and sent the same page again
            return False
        if not resources:  # count=0, the end, or a server that ran dry before totalResults
            self.done = True
            return True
        self.seen += len(resources)
        # The next page starts after what came back (a short page means the server capped
        # `count`). The server's own `startIndex` is not trusted: some echo 1 on every page.
        self.start += len(resources)
        total = page.total_results
        if isinstance(total, int) and self.start > total:
            self.done = True
        self.previous = resources
        return True


def page_share(page: ListPage[T], produced: int, limit: int | None) -> Sequence[T]:
    """The resources of `page` to hand out when `produced` were already: a server may send
    more than the `count` asked for, and `limit` caps the total."""
    resources = page.resources or ()
    return resources if limit is None else resources[: max(0, limit - produced)]


def _walk(list_method: Callable[..., P], walk: PageWalk, kwargs: dict[str, Any]) -> Iterator[P]:
    while (count := walk.next_count()) is not None:
        page = list_method(start_index=walk.start, count=count, **kwargs)
        if not walk.accept(page):
            return
        yield page


def iterate(list_method: Callable[..., ListPage[T]], filter: str | None = None, *,
            page_size: int = DEFAULT_PAGE_SIZE, limit: int | None = None, start_index: int = 1,
            **kwargs: Any) -> Iterator[T]:
    """Yield every resource of every page, typed as the list method returns them
    (`ScimV2User` for the user lists, `ScimV2Group` for the group lists).

    Same arguments as `pages`. Requests are made as the loop advances, so breaking out early
    saves the remaining calls.
    """
    walk = pages(list_method, filter, page_size=page_size, limit=limit, start_index=start_index, **kwargs)
    return _resources(walk, limit)


def _resources(walk: Iterator[ListPage[T]], limit: int | None) -> Iterator[T]:
    produced = 0
    for page in walk:
        share = page_share(page, produced, limit)
        produced += len(share)
        yield from share


def _check_count(name: str, value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} must be an int >= 0, got {value!r}")
