"""Fault injection and the Genesys-style per-token rate limit (inin-ratelimit-* headers, 429 + Retry-After)."""

from __future__ import annotations

import math
import random
import threading
import time
from typing import Callable

from .errors import PlatformError
from .options import SandboxOptions

WINDOW_S = 60.0  # the default of SandboxOptions.rate_limit_window, as Genesys counts
UNLIMITED = 1_000_000_000  # what inin-ratelimit-allowed says when no limit is configured


class Faults:
    """Decides, per request, whether to delay it, count it against its token, or fail it.

    The shares (`error_429_rate`, `error_503_rate`) are drawn from one `random.Random` seeded
    with `fault_seed`, so a run with the same seed and request order fails the same requests.
    """

    def __init__(self, options: SandboxOptions, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.options, self.clock, self.sleep = options, clock, sleep
        self._rng = random.Random(options.fault_seed)
        self._windows: dict[str, tuple[float, int]] = {}  # key -> (window start, requests in it)
        self._lock = threading.Lock()

    def delay(self) -> None:
        if self.options.latency > 0:
            self.sleep(self.options.latency)  # real latency, only when configured

    def count(self, key: str) -> dict[str, str]:
        """Count one request for `key` (a token); returns the inin-ratelimit-* headers."""
        with self._lock:
            now, window = self.clock(), self.options.rate_limit_window
            start, used = self._windows.get(key, (now, 0))
            if now - start >= window:
                start, used = now, 0
            self._windows[key] = (start, used + 1)
        reset = max(1, math.ceil(start + window - now))
        return {"inin-ratelimit-count": str(used + 1), "inin-ratelimit-allowed": str(self.options.rate_limit or UNLIMITED),
                "inin-ratelimit-reset": str(reset)}

    def admit(self, rate_headers: dict[str, str]) -> None:
        """Raise the 429 or 503 this request gets, if any (after `count`)."""
        limit = self.options.rate_limit
        if limit and int(rate_headers["inin-ratelimit-count"]) > limit:
            wait = rate_headers["inin-ratelimit-reset"]
            raise PlatformError(429, "too.many.requests",
                                f"Rate limit exceeded the maximum. Retry the request in [{wait}] seconds",
                                {"Retry-After": wait})
        share_429, share_503 = self.options.error_429_rate, self.options.error_503_rate
        if share_429 <= 0 and share_503 <= 0:
            return
        with self._lock:
            draw = self._rng.random()
        if draw < share_429:
            wait = str(self.options.retry_after)
            raise PlatformError(429, "too.many.requests",
                                f"Rate limit exceeded the maximum. Retry the request in [{wait}] seconds",
                                {"Retry-After": wait})
        if draw < share_429 + share_503:
            raise PlatformError(503, "service.unavailable", "The service is currently unavailable (injected fault)")
