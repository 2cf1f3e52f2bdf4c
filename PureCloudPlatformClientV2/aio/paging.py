"""Walk every page of an async SCIM list method, by the rules of `paging` (one `PageWalk`):

    async for user in aiterate(api.get_scim_v2_users, 'active eq false', page_size=100):
        print(user.user_name)

Loop-safe as the sync walk: a short page moves on, an empty page, reaching `totalResults` or
the same page again ends it; `limit` caps what comes back. Requests are made as the loop
advances, so leaving it early saves the remaining calls.
"""

from __future__ import annotations

from ..paging import DEFAULT_PAGE_SIZE, PageWalk, page_share, walk_arguments

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, AsyncIterator, Awaitable, Callable, TypeVar

    from ..paging import ListPage

    T = TypeVar("T")
    P = TypeVar("P", bound="ListPage[Any]")

__all__ = ["aiterate", "apages"]


def apages(list_method: Callable[..., Awaitable[P]], filter: str | None = None, *,
           page_size: int = DEFAULT_PAGE_SIZE, limit: int | None = None, start_index: int = 1,
           **kwargs: Any) -> AsyncIterator[P]:
    """Yield each list response of an `AsyncSCIMApi` list method; the arguments of
    `paging.pages`, checked here, before any request."""
    arguments = walk_arguments(filter, page_size, limit, start_index, kwargs)
    return _walk(list_method, PageWalk(page_size, limit, start_index), arguments)


async def _walk(list_method: Callable[..., Awaitable[P]], walk: PageWalk,
                kwargs: dict[str, Any]) -> AsyncIterator[P]:
    while (count := walk.next_count()) is not None:
        page = await list_method(start_index=walk.start, count=count, **kwargs)
        if not walk.accept(page):
            return
        yield page


def aiterate(list_method: Callable[..., Awaitable[ListPage[T]]], filter: str | None = None, *,
             page_size: int = DEFAULT_PAGE_SIZE, limit: int | None = None, start_index: int = 1,
             **kwargs: Any) -> AsyncIterator[T]:
    """Yield every resource of every page, typed as the list method returns them."""
    walk = apages(list_method, filter, page_size=page_size, limit=limit, start_index=start_index, **kwargs)
    return _resources(walk, limit)


async def _resources(walk: AsyncIterator[ListPage[T]], limit: int | None) -> AsyncIterator[T]:
    produced = 0
    async for page in walk:
        share = page_share(page, produced, limit)
        produced += len(share)
        for resource in share:
            yield resource
