"""The total time one call may take (`Settings.deadline`): every attempt, every wait between
attempts and the whole reading of each response count against it.

The timeouts alone do not bound a call: the read timeout applies to each wait for data, so a
server that sends a byte every few seconds never trips it, and retries multiply the rest.
A `Deadline` is started once per call; the client asks it how much time is left before each
attempt (the transport stops reading when it runs out) and whether a retry's wait still fits.
"""

from __future__ import annotations

import time

from .rest import ApiTimeoutError

__all__ = ["Deadline", "deadline_seconds"]

DEADLINE_REASON = "deadline"  # how every reason about the deadline starts (the CLI looks for it)


def deadline_seconds(value: object, setting: str) -> float | None:
    """Seconds > 0 (finite), or None for no deadline; `setting` names what was given in errors."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < float("inf"):
        raise ValueError(f"{setting} must be seconds > 0 or None, got {value!r}")
    return float(value)


class Deadline:
    """`seconds` from now (None: unbounded), on the monotonic clock."""

    __slots__ = ("seconds", "ends")

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.ends = None if seconds is None else time.monotonic() + seconds

    def left(self) -> float | None:
        """Seconds left (0 or less once passed), or None without a deadline."""
        return None if self.ends is None else self.ends - time.monotonic()

    def passed(self) -> bool:
        left = self.left()
        return left is not None and left <= 0

    def allows(self, wait: float) -> bool:
        """Whether waiting `wait` seconds still leaves time for another attempt."""
        left = self.left()
        return left is None or wait < left

    def why_not_retried(self, wait: float) -> str:
        return f"{DEADLINE_REASON}: not retried, waiting {wait:.1f} s would pass the call's {self.seconds:g} s deadline"

    def expired(self, cause: str | None = None, sent: bool = True) -> ApiTimeoutError:
        """The error for a call that ran out of time; `cause` is what the last attempt ended in."""
        reason = f"{DEADLINE_REASON}: the call did not finish within its {self.seconds:g} s deadline"
        return ApiTimeoutError(reason + (f" (last attempt: {cause})" if cause else ""), sent=sent)
