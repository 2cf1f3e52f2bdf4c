"""Counting the requests a command sends: per thread, so that the sync can say what each
row cost, and apart for the token endpoint (a renewal is no row's doing)."""

from __future__ import annotations

import threading
from typing import Any

from ..transport import AbstractHttpClient, HttpRequestOptions

TOKEN_PATH = "/oauth/token"


class Meter(AbstractHttpClient):
    """An http client that hands every request to `inner` and counts it (retries included)."""

    def __init__(self, inner: AbstractHttpClient) -> None:
        super().__init__()
        self.inner = inner
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
        return self.inner.request(options)

    def mine(self) -> int:
        """API requests (not token requests) this thread has sent so far."""
        return int(getattr(self._local, "count", 0))

    @property
    def total(self) -> int:
        """API requests sent by every thread."""
        with self._lock:
            return self._total

    def close(self) -> None:
        self.inner.close()
