"""`YearMonth`: the official value for the API's `YYYY-MM` strings (no SCIM field uses one;
scripts may still import it). It is sent as `YYYY-MM`."""

from __future__ import annotations

import datetime as _dt

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["YearMonth"]


class YearMonth:
    """A year (0-9999) and a month (1-12); out-of-range values raise ValueError."""

    swagger_types = {"year": "int", "month": "int"}
    attribute_map = {"year": "year", "month": "month"}

    def __init__(self, year: int, month: int) -> None:
        self.year, self.month = year, month

    @property
    def year(self) -> int:
        return self._year

    @year.setter
    def year(self, year: int) -> None:
        if not isinstance(year, int) or isinstance(year, bool) or not 0 <= year <= 9999:
            raise ValueError(f"YearMonth Error - Year must be between 0 and 9999, got {year!r}")
        self._year = year

    @property
    def month(self) -> int:
        return self._month

    @month.setter
    def month(self, month: int) -> None:
        if not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12:
            raise ValueError(f"YearMonth Error - Month must be between 1 and 12, got {month!r}")
        self._month = month

    @classmethod
    def from_date(cls, day: _dt.date) -> YearMonth:
        return cls(day.year, day.month)

    def to_date(self) -> _dt.date:
        """The first day of the month."""
        return _dt.date(self.year, self.month, 1)

    def to_wire(self) -> str:
        """The text the API uses: `YYYY-MM`."""
        return "%04d-%02d" % (self.year, self.month)

    def to_dict(self) -> dict[str, int]:
        return {"year": self.year, "month": self.month}

    def to_json(self) -> str:
        import json

        return json.dumps(self.to_dict())

    def to_str(self) -> str:
        import pprint

        return pprint.pformat(self.to_dict())

    def __repr__(self) -> str:
        return self.to_str()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, YearMonth):
            return NotImplemented
        return (self.year, self.month) == (other.year, other.month)

    __hash__ = None  # type: ignore[assignment]  # mutable, as officially

    def __reduce__(self) -> tuple[Any, ...]:
        return YearMonth, (self.year, self.month)
