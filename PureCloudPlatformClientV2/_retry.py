"""When to retry and how long to wait: `RetryPolicy` is the one place the rule lives, a pure
decision with injectable randomness, so it is easy to test and reason about.

Genesys has no idempotency keys, so a POST or PATCH is resent only when the server certainly
did not process it: after a 429 (refused before processing) or a connection that failed before
the request was sent (refused, DNS, TLS handshake, connect timeout). 502/503/504 and connection
failures after sending are retried for idempotent methods only.
"""

from __future__ import annotations

import random

from .settings import DEFAULT_MAX_RETRIES, DEFAULT_MAX_RETRY_WAIT_S, FrozenValue

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Mapping

IDEMPOTENT_METHODS = ("GET", "HEAD", "PUT", "DELETE", "OPTIONS")  # in the order describe() names them
RETRIED_SERVER_STATUSES = (502, 503, 504)
RATE_LIMITED = 429
BACKOFF_BASE_S = 0.5
BACKOFF_CAP_S = 8.0
_IDEMPOTENT = frozenset(IDEMPOTENT_METHODS)
_SERVER = frozenset(RETRIED_SERVER_STATUSES)


class RetryPolicy(FrozenValue):
    """Which failures are retried, how often, and how long to wait before each retry.

    max_retries: retries after the first attempt (0 turns retrying off).
    max_wait: the longest single wait in seconds; a longer `Retry-After` is not slept through.
    rng: returns a float in [0, 1) for the backoff jitter (inject one to make waits predictable).
    """

    __slots__ = ("max_retries", "max_wait", "rng", "base", "cap")
    max_retries: int
    max_wait: float
    rng: Callable[[], float]
    base: float
    cap: float

    def __init__(self, max_retries: int = DEFAULT_MAX_RETRIES, max_wait: float = DEFAULT_MAX_RETRY_WAIT_S,
                 rng: Callable[[], float] = random.random, base: float = BACKOFF_BASE_S,
                 cap: float = BACKOFF_CAP_S) -> None:
        self._set(max_retries=max_retries, max_wait=max_wait, rng=rng, base=base, cap=cap)

    @staticmethod
    def retries(method: str, status: int | None, sent: bool = True) -> bool:
        """Whether a failure is worth another attempt: `status` is the response status, or None
        when the connection failed; `sent` False says the request certainly never left (a
        refused connection, DNS, the TLS handshake, a connect timeout)."""
        if status == RATE_LIMITED or (status is None and not sent):
            return True  # refused before processing, or never sent: safe for every method
        return method in _IDEMPOTENT and (status is None or status in _SERVER)

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter: uniform in [0, base * 2**attempt], capped."""
        return self.rng() * min(self.cap, self.base * 2.0**attempt)

    def delay(self, method: str, attempt: int, status: int | None = None,
              headers: Mapping[str, str] | None = None, retryable: bool = True, sent: bool = True) -> float | None:
        """Seconds to wait before retry number `attempt + 1`, or None to give up now.

        `status` is None when the connection failed, `sent` False when it failed before the
        request was sent; `retryable` False marks a failure another attempt cannot fix (an
        untrusted certificate, an invalid URL). A `Retry-After` is
        honoured exactly unless it is longer than `max_wait`: then None, so the error is raised
        instead of slept through."""
        if attempt >= self.max_retries or not retryable or not self.retries(method, status, sent):
            return None
        asked = parse_retry_after(_get(headers, "Retry-After")) if status is not None else None
        if asked is not None:
            return asked if asked <= self.max_wait else None
        return min(self.backoff(attempt), self.max_wait)

    @staticmethod
    def describe() -> str:
        """What is retried, in words (the CLI's help and docs/reliability.md say exactly this)."""
        statuses = "/".join(str(s) for s in RETRIED_SERVER_STATUSES)
        return (f"{RATE_LIMITED} for every method (honouring Retry-After up to the maximum wait); connection "
                f"failures before the request was sent (refused, DNS, TLS handshake, connect timeout) for every "
                f"method; {statuses} and connection failures after sending for idempotent methods only "
                f"({', '.join(IDEMPOTENT_METHODS)})")


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


def _get(headers: Mapping[str, str] | None, name: str) -> str | None:
    if not headers:
        return None
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)
