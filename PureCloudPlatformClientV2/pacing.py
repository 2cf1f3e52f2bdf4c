"""Pacing: send at the rate Genesys allows instead of running into 429s.

Genesys counts the requests of each OAuth client in a fixed window (300 a minute by default)
and tells every response where the window stands: `inin-ratelimit-count` requests of
`inin-ratelimit-allowed` used, and the window resets in `inin-ratelimit-reset` seconds. A
`Pacer` reads these headers and hands out send times: the requests left are spread evenly
over the time left, so a bulk job runs at the allowed rate without a 429, however many
threads share the client. Before any response has described a window (and once the window it
knew has ended), requests go unpaced.

One `Pacer` belongs to each `ApiClient` (`api_client.pacer`) and serves every thread using it
and every client made from it by `with_options`. It is used only when the settings ask for
it: `configuration.pace_requests = True`, `Settings(pace_requests=True)` or
`client.with_options(pace_requests=True)`. A 429 is still retried as `RetryPolicy` says.
"""

from __future__ import annotations

import threading
import time

from .logger import log

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Awaitable, Callable

__all__ = ["Pacer"]

COUNT, ALLOWED, RESET = "inin-ratelimit-count", "inin-ratelimit-allowed", "inin-ratelimit-reset"
# `reset` is whole seconds (rounded up), so answers about one window put its end up to about a
# second apart; an end further off than this belongs to another window (windows last 60 s).
SAME_WINDOW_S = 1.5
# Requests sent in a window's last moments may be counted in the next one, which this side
# cannot see yet: one request of each window is kept in hand for them.
SPARE = 1
SHORTEST_WAIT_S = 0.0005  # shorter waits are not slept (an unlimited window asks for ~0)


class Pacer:
    """Spaces requests so that each rate-limit window's allowance lasts until the window ends.

    clock: seconds, monotonic (inject one in tests, with the client's `sleep`).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._end: float | None = None  # when the window we know of ends, on `clock` (an upper bound)
        self._current = False  # whether that window is still running
        self._allowed = 0
        self._used = 0  # requests counted in the window: what the server said or we sent since, more
        self._carried = 0  # requests set to go when the window ends: they count in the next one
        self._next = 0.0  # the earliest time the next request may go
        self._told_full = False

    # -- what callers use -----------------------------------------------------------------------
    def wait(self, sleep: Callable[[float], None]) -> float:
        """Take the next send time and sleep until it (with `sleep`); returns the seconds slept."""
        delay = self.reserve()
        if delay >= SHORTEST_WAIT_S:
            sleep(delay)
            return delay
        return 0.0

    async def wait_async(self, sleep: Callable[[float], Awaitable[None]]) -> float:
        """`wait` for asyncio: the same send time, awaited with `sleep` (e.g. asyncio.sleep)."""
        delay = self.reserve()
        if delay >= SHORTEST_WAIT_S:
            await sleep(delay)
            return delay
        return 0.0

    @property
    def rate(self) -> float | None:
        """The pace in requests per minute (the requests left over the time left), or None
        while not pacing (no window known)."""
        with self._lock:
            now = self.clock()
            end = self._end
            if not self._current or end is None or now >= end:
                return None
            return 60.0 * max(0, self._allowed - SPARE - self._used) / (end - now)

    def reserve(self) -> float:
        """Claim a send time for one request; returns how many seconds from now it is."""
        full = None
        with self._lock:
            now = self.clock()
            self._roll(now)
            if not self._current or self._end is None:
                self._used += 1
                return 0.0
            end = self._end
            start = max(now, self._next)
            left = self._allowed - SPARE - self._used
            if left <= 0 or start >= end:  # nothing left in this window: go when it resets
                self._carried += 1
                if not self._told_full:
                    self._told_full = True
                    full = (self._used, self._allowed, end - now)
                delay = end - now
            else:
                self._used += 1
                interval = (end - start) / left
                self._next = start + interval
                delay = start - now
        if full is not None:
            log.debug("rate limit: %d of %d requests used; waiting %.1f s for the window to reset", *full)
        return delay

    def _roll(self, now: float) -> None:
        """Once the known window has ended: unpaced until an answer describes the next one;
        what waited for the end counts in that one (the caller holds the lock)."""
        if self._current and self._end is not None and now >= self._end:
            self._current, self._used, self._carried = False, self._carried, 0

    def observe(self, response: Any) -> None:
        """Learn from a response's `inin-ratelimit-*` headers (a response without them is ignored)."""
        try:
            count = int(response.getheader(COUNT))
            allowed = int(response.getheader(ALLOWED))
            reset = float(response.getheader(RESET))
        except (TypeError, ValueError, AttributeError):
            return
        if allowed <= 0 or reset < 0 or count < 0:
            return
        new_window = None
        with self._lock:
            now = self.clock()
            self._roll(now)
            end = now + reset
            known = self._end
            if known is None or end > known + SAME_WINDOW_S:  # the first answer, or a new window
                # unless a window still runs, `_used` counts what was sent since the last one ended
                self._used = max(count, self._carried if self._current else self._used)
                self._carried = 0
                self._end, self._next, self._told_full = end, now, False
                new_window = (max(0, allowed - count), allowed, reset)
            elif end < known - SAME_WINDOW_S or not self._current:
                return  # a late answer about a window that has ended
            else:  # the same window: each answer narrows down when it ends
                self._end = min(known, end)
                self._used = max(self._used, count)
            self._allowed, self._current = allowed, True
        if new_window is not None:
            left, allowed, reset = new_window
            log.debug("rate limit: %d of %d requests left in a window that resets in %g s: pacing at up to "
                      "%.0f requests/min", left, allowed, reset, 60.0 * left / reset if reset else left)

    def __repr__(self) -> str:
        rate = self.rate
        return f"Pacer({'not pacing' if rate is None else f'{rate:.0f} requests/min'})"
