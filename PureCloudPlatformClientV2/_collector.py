"""A pause of the cyclic garbage collector's automatic collections while large responses are
decoded, shared by every thread of the process.

Decoding a page makes a few hundred thousand containers that all stay alive and hold no
cycles, yet the collector walks them again and again while the page grows: it took two
thirds of a 10,000-user decode, and more per user the larger the page. While any decode
holds the pause, the collector's first threshold is 0 (CPython then makes no automatic
collection; `gc.collect()` still works); the last holder to leave puts the thresholds back,
and the collector then walks the new objects once.

What users observe stays theirs: `gc.isenabled()`, `gc.enable()` and `gc.disable()` are never
touched, so a thread that disables the collector during a pause finds it disabled afterwards;
thresholds someone sets during a pause stay set (the pause restores only its own zero); a
pause never starts when the first threshold is already 0. The one thing another thread can
see is that zero, while a decode runs. Overlapping decodes cannot keep the collector paused
for ever: a decode joins a running pause only while fewer than `join_limit` objects await
the collector, so the pause ends when the decodes that joined it in time have finished.
"""

from __future__ import annotations

import gc
import threading

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import TracebackType

LARGE_BODY = 64 * 1024  # bytes; a smaller response (~50 users) meets only a few cheap young collections
JOIN_LIMIT = 4_000_000  # objects awaiting the collector (~160,000 decoded users) beyond which no decode joins


class CollectorPause:
    """The process's pause, counting its holders across threads: the first one in pauses the
    collector's automatic collections, the last one out restores them (see the module).
    `with pause.held():` holds it for the block."""

    def __init__(self, join_limit: int = JOIN_LIMIT) -> None:
        self.join_limit = join_limit
        self._lock = threading.Lock()
        self._holders = 0
        self._saved: tuple[int, int, int] | None = None  # the thresholds to restore; None: nothing to restore

    @property
    def holders(self) -> int:
        return self._holders

    def held(self) -> _Hold:
        return _Hold(self)

    def _join(self) -> bool:
        with self._lock:
            if self._holders == 0:
                thresholds = gc.get_threshold()
                if thresholds[0]:  # already 0: collections are off, there is nothing to pause
                    self._saved = (thresholds[0], thresholds[1], thresholds[2])
                    gc.set_threshold(0, thresholds[1], thresholds[2])
            elif gc.get_count()[0] >= self.join_limit:  # a long-running pause: let it end
                return False
            self._holders += 1
            return True

    def _leave(self) -> None:
        with self._lock:
            self._holders -= 1
            if self._holders == 0 and self._saved is not None:
                saved, self._saved = self._saved, None
                if gc.get_threshold() == (0, saved[1], saved[2]):  # else someone set theirs meanwhile
                    gc.set_threshold(*saved)


class _Hold:
    """One holder of a pause, for one `with` block (it may not have joined: see the module)."""

    __slots__ = ("pause", "joined")

    def __init__(self, pause: CollectorPause) -> None:
        self.pause, self.joined = pause, False

    def __enter__(self) -> _Hold:
        self.joined = self.pause._join()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.joined:
            self.joined = False
            self.pause._leave()


PAUSE = CollectorPause()  # the process's one pause: the collector's thresholds are process-wide
