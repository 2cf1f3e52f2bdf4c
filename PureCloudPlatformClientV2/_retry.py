"""When to retry and how long to wait: a pure decision, so it is easy to test and reason about.

Genesys has no idempotency keys, so a POST or PATCH is resent only after a 429 (the server
refused it before processing). 502/503/504 and connection failures, before or after sending,
are retried for GET, PUT and DELETE only.
"""

from __future__ import annotations

import random

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Mapping

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRIED_SERVER_STATUSES = frozenset({502, 503, 504})
BACKOFF_BASE_S = 0.5
BACKOFF_CAP_S = 8.0


def parse_retry_after(value: str | None) -> float | None:
    """`Retry-After` in seconds, from either delta-seconds or an HTTP date; None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    number = value.split(".", 1)
    if all(part.isdigit() and part.isascii() for part in number):  # RFC: digits; "1.5" tolerated
        return float(value)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    import datetime
    import time

    if when.tzinfo is None:  # "-0000" parses as naive; HTTP dates are always UTC
        when = when.replace(tzinfo=datetime.timezone.utc)
    return max(0.0, when.timestamp() - time.time())


def backoff_delay(attempt: int, rng: Callable[[], float] = random.random, base: float = BACKOFF_BASE_S) -> float:
    """Exponential backoff with full jitter: uniform in [0, base * 2**attempt], capped."""
    return rng() * min(BACKOFF_CAP_S, base * 2.0**attempt)


def retry_delay(
    method: str,
    attempt: int,
    *,
    max_retries: int,
    max_retry_wait: float,
    status: int | None = None,
    headers: Mapping[str, str] | None = None,
    sent: bool = True,
    rng: Callable[[], float] = random.random,
    base: float = BACKOFF_BASE_S,
) -> float | None:
    """Seconds to wait before retry number `attempt + 1`, or None to give up now.

    `status` is the response status, or None when the connection failed; `sent` tells whether
    a failed request may have reached the server.
    """
    if attempt >= max_retries:
        return None
    if status is None:
        # Connection failures are retried for idempotent verbs only, even when the request
        # never left: a POST/PATCH is sent once unless the server itself asked for a retry (429).
        retryable = method in IDEMPOTENT_METHODS
    elif status == 429:
        retryable = True
    else:
        retryable = status in RETRIED_SERVER_STATUSES and method in IDEMPOTENT_METHODS
    if not retryable:
        return None
    asked = parse_retry_after(_get(headers, "Retry-After")) if status is not None else None
    if asked is not None:
        # A longer wait than the caller allows is not slept through: the error is raised.
        return asked if asked <= max_retry_wait else None
    return min(backoff_delay(attempt, rng, base), max_retry_wait)


def _get(headers: Mapping[str, str] | None, name: str) -> str | None:
    if not headers:
        return None
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)
