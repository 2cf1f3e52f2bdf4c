"""Row positions by the hash of a key, in arrays rather than a dict: a dict of 200,000 keys
holds an int object and an entry per key (about 70 bytes), this about 20 bytes a position.

Open addressing with linear probing, at most half full. The caller keeps the keys: a hash
may be shared by two keys, so `find` gives every position with that hash to compare.
"""

from __future__ import annotations

from array import array
from typing import Iterator

EMPTY = -1


class PositionTable:
    def __init__(self) -> None:
        self.hashes = array("q")  # per position added (positions are 0, 1, 2, ...)
        self._slots = array("i", [EMPTY]) * 16

    def __len__(self) -> int:
        return len(self.hashes)

    def add(self, key_hash: int) -> list[int]:
        """Add the next position with this hash; the earlier positions with the same hash."""
        position = len(self.hashes)
        self.hashes.append(key_hash)
        if 2 * len(self.hashes) > len(self._slots):
            self._grow()
            return list(self.find(key_hash))[:-1]
        same = list(self.find(key_hash))
        self._put(position)
        return same

    def find(self, key_hash: int) -> Iterator[int]:
        """The positions with this hash, earliest first."""
        mask = len(self._slots) - 1
        slot = key_hash & mask
        while (position := self._slots[slot]) != EMPTY:
            if self.hashes[position] == key_hash:
                yield position
            slot = (slot + 1) & mask

    def _put(self, position: int) -> None:
        mask = len(self._slots) - 1
        slot = self.hashes[position] & mask
        while self._slots[slot] != EMPTY:
            slot = (slot + 1) & mask
        self._slots[slot] = position

    def _grow(self) -> None:
        self._slots = array("i", [EMPTY]) * (2 * len(self._slots))
        for position in range(len(self.hashes)):
            self._put(position)
