"""What _decode.py and _encode.py share: how a plan treats one value (a `Step`), and how the
plans of model classes and official type strings are built once and published.

A plan is a function per model class (kept in the class's `_decoder` or `_encoder` slot) or
per official type string (kept in a cache from `_model.plan_cache()`, emptied whenever a model
class is defined). Classes reached while building are published together at the end, so no
thread sees a half-built plan; a class reached again while it is being built (a model that
contains itself) uses its decoder or encoder from `building`.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

    from ._model import Model

    Step = tuple[Any, Callable[[Any], Any]]  # (the class a value has when it needs no work, converter)

PRIMITIVES = {"str": str, "int": int, "bool": bool, "float": float, "object": None}
ALWAYS = object()  # a step's "expected class" that no value has: always call the converter


def compiled(cls: type[Model], slot: str, build: Callable[[type[Model], dict[Any, Any]], Any]) -> Any:
    """The class's decoder or encoder (`slot`), built on first use."""
    found = cls.__dict__.get(slot)
    if found is None:
        building: dict[type[Model], Any] = {}
        found = build(cls, building)
        _publish(building, slot)
    return found


def compiled_type(cache: dict[str, Callable[[Any], Any]], type_name: str, slot: str,
                  step: Callable[[str, dict[Any, Any]], Any]) -> Callable[[Any], Any]:
    """The decoder or encoder (`slot`) of an official type string, built once and cached."""
    found = cache.get(type_name)
    if found is None:
        building: dict[type[Model], Any] = {}
        found = step(type_name, building)[1]
        _publish(building, slot)
        cache[type_name] = found
    return found


def nested(cls: type[Model], slot: str, build: Callable[..., Any], building: dict[Any, Any]) -> Any:
    """The plan of a model class met inside another: published, being built, or built now."""
    return cls.__dict__.get(slot) or building.get(cls) or build(cls, building)


def or_none(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else convert(value)


def _publish(building: dict[type[Model], Any], slot: str) -> None:
    for built, function in building.items():
        setattr(built, slot, function)
