"""Small SCIM helpers the commands share: filter quoting, paging, finding a user or a group.

Everything works on wire dicts (`model.to_wire()`), which is what tables, CSV and JSON show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterator

from .columns import UUID

if TYPE_CHECKING:
    from ..apis.scim_api import SCIMApi

DEFAULT_PAGE_SIZE = 100
RATE_LIMIT_ATTEMPTS = 20  # tries of one call or row when 429s get past the SDK's own retries


class NotFound(LookupError):
    """No user or group answers to what was given (reported like an API 404)."""


def eq(attribute: str, value: str) -> str:
    """`attribute eq "value"`, quoted and escaped by the library's filter builder."""
    from ..filters import F

    return str(F(attribute).eq(value))


def rate_limit_wait(error: Any, attempt: int) -> float:
    """How long to pause after a 429 that got past the SDK's retries: the server's Retry-After,
    else the library's own backoff (`RetryPolicy.backoff`), so there is one backoff rule."""
    from .._retry import RetryPolicy

    asked = getattr(error, "retry_after", None)
    return float(asked) if asked is not None else RetryPolicy().backoff(attempt)


def patiently(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """`call(*args, **kwargs)`, waiting and trying again while it is refused with 429."""
    import time

    from ..rest import RateLimitError

    for attempt in range(RATE_LIMIT_ATTEMPTS):
        try:
            return call(*args, **kwargs)
        except RateLimitError as error:
            if attempt + 1 == RATE_LIMIT_ATTEMPTS:
                raise
            time.sleep(rate_limit_wait(error, attempt))
    raise AssertionError("unreachable")


def pages(list_method: Callable[..., Any], filter: str | None = None, *, page_size: int = DEFAULT_PAGE_SIZE,
          attributes: list[str] | None = None, limit: int | None = None,
          on_total: Callable[[int], None] | None = None) -> Iterator[list[dict[str, Any]]]:
    """Every page of a list call as lists of wire dicts; `on_total` hears totalResults once."""
    start, seen, told = 1, 0, False
    while True:
        count = page_size if limit is None else min(page_size, limit - seen)
        if count <= 0:
            return
        page = patiently(list_method, filter, start_index=start, count=count, attributes=attributes or None)
        items = [r.to_wire() for r in page.resources or []]
        total = page.total_results if page.total_results is not None else seen + len(items)
        if on_total is not None and not told:
            on_total(total)
            told = True
        if not items:
            return
        yield items
        seen += len(items)
        start += len(items)
        if start > total:
            return


def iterate(list_method: Callable[..., Any], filter: str | None = None, **kw: Any) -> Iterator[dict[str, Any]]:
    for page in pages(list_method, filter, **kw):
        yield from page


def listing(list_method: Callable[..., Any], query: str | None, *, page_size: int,
            attributes: list[str] | None, limit: int) -> tuple[list[dict[str, Any]], int]:
    """Up to `limit` items (0 = all), and how many the server says there are."""
    total: list[int] = []
    items = list(iterate(list_method, query, page_size=page_size, attributes=attributes,
                         limit=limit or None, on_total=total.append))
    return items, max(total[0] if total else 0, len(items))


def count_line(shown: int, found: int, noun: str, limit: int, words: tuple[str, str] = ("shown", "shows")) -> str:
    """'3 users', or '25 of 40 users shown (--limit 25); --limit 0 shows all' when cut short."""
    from .output import plural

    if found > shown:
        return f"{shown} of {plural(found, noun)} {words[0]} (--limit {limit}); --limit 0 {words[1]} all"
    return plural(shown, noun)


def find_user(api: SCIMApi, key: str, attributes: list[str] | None = None) -> dict[str, Any]:
    """A user by id or by userName (anything with an `@`)."""
    from ..rest import NotFoundError

    check_id(key, "user")
    if "@" in key:
        return user_named(api, key, attributes)
    try:
        return api.get_scim_v2_user(key, attributes=attributes).to_wire()
    except NotFoundError:
        raise NotFound(f"no user with id {key}") from None


def user_named(api: SCIMApi, user_name: str, attributes: list[str] | None = None) -> dict[str, Any]:
    """The user Genesys knows by this userName. A filter may also return look-alikes
    (`ſam@` for `sam@`: the filter compares case-insensitively in its own way), so the answer is
    checked with the server's own rule, usernames.user_name_key."""
    from ..usernames import user_name_key

    if attributes and "userName" not in attributes:
        attributes = [*attributes, "userName"]
    found = api.get_scim_v2_users(eq("userName", user_name), count=10, attributes=attributes).resources or []
    same = [u.to_wire() for u in found if user_name_key(u.user_name or "") == user_name_key(user_name)]
    if not same:
        raise NotFound(f"no user with userName {user_name}")
    return same[0]


def check_id(key: str, what: str) -> None:
    """Refuse what cannot name anything before it is sent ('', '.', '..': a URL path trick)."""
    import click

    if not key.strip() or not key.strip("."):
        raise click.BadParameter(f"{key!r} is not a {what} id or name", param_hint=what.upper())


def find_group(api: SCIMApi, key: str) -> dict[str, Any]:
    """A group by id (a UUID) or else by displayName."""
    from ..rest import NotFoundError

    check_id(key, "group")
    if UUID.match(key):
        try:
            return api.get_scim_v2_group(key).to_wire()
        except NotFoundError:
            pass
    found = api.get_scim_v2_groups(eq("displayName", key), count=2).resources or []
    if not found:
        raise NotFound(f"no group with id or displayName {key}")
    return found[0].to_wire()


def patch_body(operations: list[dict[str, Any]]) -> Any:
    """A PATCH body from operation dicts (`op`, `path`, `value`), built by the library's `Patch`."""
    from ..patch import Patch

    body = Patch()
    for operation in operations:
        if operation["op"] == "remove":
            body.remove(operation["path"])
        else:
            getattr(body, operation["op"])(operation["path"], operation["value"])
    return body.build()


def etag(user: dict[str, Any]) -> str | None:
    """The If-Match value for a wire resource: its quoted meta.version."""
    version = (user.get("meta") or {}).get("version")
    return f'"{version}"' if version else None
