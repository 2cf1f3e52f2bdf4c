"""`ApiNullValue`: the official way to send JSON `null` for a field.

A field left `None` is not sent at all; a field (or dict value) set to `ApiNullValue()` is
sent as `null`, e.g. to clear a value with PUT. There is one instance: `ApiNullValue()` always
returns it, so `value is ApiNullValue()` and `isinstance(value, ApiNullValue)` both work."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ApiNullValue"]


class ApiNullValue:
    """A value sent as JSON `null`; `to_dict()` and `to_json()` give None, as officially."""

    __slots__ = ()
    _instance: ApiNullValue | None = None
    swagger_types: dict[str, str] = {}
    attribute_map: dict[str, str] = {}

    def __new__(cls) -> ApiNullValue:
        if ApiNullValue._instance is None:
            ApiNullValue._instance = super().__new__(cls)
        return ApiNullValue._instance

    def to_dict(self) -> None:
        return None

    def to_json(self) -> None:
        return None

    def __repr__(self) -> str:
        return "ApiNullValue()"

    def __reduce__(self) -> tuple[Any, ...]:  # copies and pickles stay the one instance
        return ApiNullValue, ()
