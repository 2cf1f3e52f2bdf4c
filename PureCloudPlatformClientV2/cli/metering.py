"""Counting the requests a command sends: per thread, so that the sync can say what each
row cost, and apart for the token endpoint (a renewal is no row's doing). While a request
takes long, the person at the terminal is told that the command is still waiting."""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any, Callable

from ..transport import AbstractHttpClient, HttpRequestOptions

TOKEN_PATH = "/oauth/token"
WAIT_NOTICE_S = 5.0  # a request without an answer this long is announced, and again each time as long


class StillWaiting:
    """One watchdog thread (started with the first request) that announces requests still
    without an answer: method, path (never the query: it may hold personal data) and seconds."""

    def __init__(self, say: Callable[[str], None], every: float = WAIT_NOTICE_S) -> None:
        self._say, self._every = say, every
        self._lock = threading.Lock()
        self._waiting: dict[int, tuple[float, str, float]] = {}  # id -> (started, what, next notice)
        self._ids = itertools.count()
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()

    def begin(self, options: HttpRequestOptions) -> int:
        now = time.monotonic()
        what = f"{options.method} {options.url.split('?', 1)[0]}"
        with self._lock:
            key = next(self._ids)
            self._waiting[key] = (now, what, now + self._every)
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name="purecloud-scim still waiting",
                                                daemon=True)
                self._thread.start()
        return key

    def end(self, key: int) -> None:
        with self._lock:
            self._waiting.pop(key, None)

    def stop(self) -> None:
        self._stopped.set()

    def _watch(self) -> None:
        while not self._stopped.wait(min(1.0, self._every)):
            now, due = time.monotonic(), []
            with self._lock:
                for key, (started, what, notice) in self._waiting.items():
                    if now >= notice:
                        self._waiting[key] = (started, what, now + self._every)
                        due.append((what, now - started))
            for what, waited in due:
                self._say(f"still waiting for {what} ({waited:.0f} s; it gives up at its timeout or deadline)")


class Meter(AbstractHttpClient):
    """An http client that hands every request to `inner` and counts it (retries included)."""

    def __init__(self, inner: AbstractHttpClient, waiting: StillWaiting | None = None) -> None:
        super().__init__()
        self.inner = inner
        self.waiting = waiting
        self.timeout = inner.timeout
        self.tokens = 0
        self._local = threading.local()
        self._lock = threading.Lock()
        self._total = 0

    def request(self, options: HttpRequestOptions) -> Any:
        if options.url.split("?", 1)[0].endswith(TOKEN_PATH):
            with self._lock:
                self.tokens += 1
        else:
            self._local.count = getattr(self._local, "count", 0) + 1
            with self._lock:
                self._total += 1
        if self.waiting is None:
            return self.inner.request(options)
        key = self.waiting.begin(options)
        try:
            return self.inner.request(options)
        finally:
            self.waiting.end(key)

    def mine(self) -> int:
        """API requests (not token requests) this thread has sent so far."""
        return int(getattr(self._local, "count", 0))

    @property
    def total(self) -> int:
        """API requests sent by every thread."""
        with self._lock:
            return self._total

    def close(self) -> None:
        if self.waiting is not None:
            self.waiting.stop()
        self.inner.close()
