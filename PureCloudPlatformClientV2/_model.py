"""The model base: each model is a short list of annotated fields; this module turns them
into the official `swagger_types`/`attribute_map`, a safe repr, and the `fields` that
_decode.py and _encode.py compile their plans from (_plans.py). It declares models and
nothing else: no codec is imported until a model is encoded or decoded.

Speed comes from one storage rule: an instance keeps its values in `__dict__` under their
JSON names. Decoding a response can then adopt each parsed JSON object as the attribute dict
of its model (checked and converted in place, never copied or renamed). The few fields whose
Python name differs (`user_name` is `userName`) read and write through `_Renamed`.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs ~6 ms to import; mypy still treats this name specially
if TYPE_CHECKING:
    from typing import Any, Callable, ClassVar

    from typing_extensions import Self, dataclass_transform
else:

    def dataclass_transform(**_kwargs):
        return lambda cls: cls


from .api_null_value import ApiNullValue

REGISTRY: dict[str, type[Model]] = {}  # official name -> class
SECRET_MASK = "<redacted>"
_PLAN_CACHES: list[dict[str, Any]] = []  # see plan_cache()


def plan_cache() -> dict[str, Any]:
    """A new cache for things compiled from official type names (the codecs' plans), emptied
    whenever a model class is defined: a plan names classes, so a (re)defined one starts afresh."""
    cache: dict[str, Any] = {}
    _PLAN_CACHES.append(cache)
    return cache


class FieldSpec:
    """What `field()` returns in a class body; replaced by a `Field` when the class is made."""

    __slots__ = ("wire", "secret", "default", "allowed")

    def __init__(self, wire: str | None, secret: bool, default: Any, allowed: tuple[str, ...]) -> None:
        self.wire, self.secret, self.default, self.allowed = wire, secret, default, allowed


def field(
    *, default: Any = None, wire: str | None = None, secret: bool = False, allowed: tuple[str, ...] = ()
) -> Any:
    """Declare a field whose JSON name is not the camelCase of its name, that is secret, or
    whose documented values are too many for a `Literal` (they are listed in the docs)."""
    return FieldSpec(wire, secret, default, allowed)


class Field:
    """One declared attribute: Python name, JSON name, swagger type and allowed values."""

    __slots__ = ("attr", "wire", "swagger_type", "allowed_values", "secret")

    def __init__(self, attr: str, annotation: str, spec: FieldSpec | None) -> None:
        self.attr = attr
        self.wire = spec.wire if spec and spec.wire else camel_case(attr)
        self.swagger_type, self.allowed_values = swagger_type_of(annotation)
        if spec and spec.allowed:
            self.allowed_values = spec.allowed
        self.secret = bool(spec and spec.secret)


class _Renamed:
    """The attribute of a field whose JSON name differs: its value lives in the instance
    dict under the JSON name, like every other field's."""

    __slots__ = ("wire", "default")

    def __init__(self, wire: str, default: Any) -> None:
        self.wire, self.default = wire, default

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        return self.default if obj is None else obj.__dict__.get(self.wire, self.default)

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[self.wire] = value

    def __delete__(self, obj: Any) -> None:
        obj.__dict__.pop(self.wire, None)


def camel_case(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def swagger_type_of(annotation: str) -> tuple[str, tuple[str, ...]]:
    """Translate an annotation such as `list[ScimEmail] | None` into the official type string."""
    text = annotation.replace(" ", "")
    if text.endswith("|None"):
        text = text[: -len("|None")]
    if text.startswith("Literal["):
        values = tuple(v.strip("'\"") for v in text[len("Literal[") : -1].split(","))
        return "str", values
    if text.startswith("list["):
        return f"list[{swagger_type_of(text[5:-1])[0]}]", ()
    if text.startswith("dict[str,"):
        return f"dict(str, {swagger_type_of(text[9:-1])[0]})", ()
    return {"Any": "object", "datetime": "datetime", "date": "date"}.get(text, text), ()


@dataclass_transform(kw_only_default=True, field_specifiers=(field,))
class Model:
    """Shared base of every model: keyword constructor, to_dict/to_wire, equality, safe repr.

    Attributes not declared by the model but present in a response (custom extensions,
    newer fields) are kept in `_extra` and sent back unchanged.
    """

    fields: ClassVar[tuple[Field, ...]] = ()
    swagger_types: ClassVar[dict[str, str]] = {}
    attribute_map: ClassVar[dict[str, str]] = {}
    _extra: dict[str, Any] | None = None
    _decoder: ClassVar[Callable[[Any], Any] | None] = None
    _encoder: ClassVar[Callable[[Any], Any] | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("__annotations__", {})
        declared = [
            Field(name, ann, cls.__dict__.get(name) if isinstance(cls.__dict__.get(name), FieldSpec) else None)
            for name, ann in own.items()
            if not name.startswith("_") and not ann.startswith("ClassVar")
        ]
        for f in declared:
            spec = cls.__dict__.get(f.attr)
            default = spec.default if isinstance(spec, FieldSpec) else spec
            setattr(cls, f.attr, default if f.wire == f.attr else _Renamed(f.wire, default))
        replaced = {f.attr for f in declared}  # a subclass may narrow an inherited field's type
        cls.fields = tuple(f for f in cls.fields if f.attr not in replaced) + tuple(declared)
        cls.swagger_types = {f.attr: f.swagger_type for f in cls.fields}
        cls.attribute_map = {f.attr: f.wire for f in cls.fields}
        for f in cls.fields:  # a JSON name stored in __dict__ must not hide another attribute
            if f.wire != f.attr and (f.wire in cls.swagger_types or hasattr(Model, f.wire)):
                raise TypeError(f"{cls.__name__}.{f.attr}: JSON name {f.wire!r} clashes with an attribute")
        cls._decoder = cls._encoder = None
        REGISTRY[cls.__name__] = cls
        for cache in _PLAN_CACHES:
            cache.clear()

    def __init__(self, **kwargs: Any) -> None:
        names = self.swagger_types
        for name, value in kwargs.items():
            if name not in names:
                raise TypeError(f"{type(self).__name__}() got an unexpected keyword argument {name!r}")
            setattr(self, name, value)

    # -- the official surface -------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Python attribute names to values, `None` included (the official SDK's form)."""
        return _plain(self, redact=False)  # type: ignore[no-any-return]

    def to_json(self) -> str:
        """`to_dict()` as JSON text, with secrets (`password`) masked; datetimes and dates in
        ISO 8601 (`isoformat()`, as the official SDK writes them)."""
        import json

        return json.dumps(_plain(self, redact=True), default=_json_default)

    def to_str(self) -> str:
        import pprint

        return pprint.pformat(_plain(self, redact=True))

    def __repr__(self) -> str:
        return self.to_str()

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return _set_values(self) == _set_values(other)

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = None  # type: ignore[assignment]  # mutable, like the official models

    # -- the wire form ----------------------------------------------------------------
    def to_wire(self) -> dict[str, Any]:
        """The JSON form sent to Genesys: wire names, unset fields left out, `_extra` kept."""
        from ._encode import encode_model

        return encode_model(self, type(self).__name__)

    @classmethod
    def from_wire(cls, data: Any) -> Self:
        """Build a model from parsed JSON; raises DecodeError naming the field on a bad type.
        `data` is left untouched (the model gets its own copy)."""
        from ._decode import decode_model

        return decode_model(cls, _fresh(data))  # type: ignore[return-value]


def _set_values(model: Model) -> dict[str, Any]:
    # A field set to None equals one never set, as in the official models (all start at None).
    return {k: v for k, v in vars(model).items() if v is not None and not (k == "_extra" and not v)}


def _plain(value: Any, redact: bool) -> Any:
    if isinstance(value, Model):
        return {
            f.attr: SECRET_MASK if redact and f.secret and getattr(value, f.attr) is not None
            else _plain(getattr(value, f.attr), redact)
            for f in type(value).fields
        }
    if isinstance(value, list):
        return [_plain(v, redact) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v, redact) for k, v in value.items()}
    if value.__class__ is ApiNullValue:  # None in to_dict(), null in to_json(), as officially
        return None
    return value


def _json_default(value: Any) -> Any:
    """What `to_json` writes for values json cannot: ISO 8601 for datetimes, `YYYY-MM` for
    YearMonth, str() for anything else (say a Decimal)."""
    import datetime

    from .year_month import YearMonth

    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, YearMonth):
        return value.to_wire()
    return str(value)


def _fresh(value: Any) -> Any:
    """A copy of the dicts and lists of parsed JSON (decoding adopts them)."""
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fresh(v) for v in value]
    return value


def resolve(name: str) -> type[Model]:
    """Find a model class by its official name (no eval)."""
    if name not in REGISTRY:
        import PureCloudPlatformClientV2.models  # noqa: F401  # registers every model

    try:
        return REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown model type {name!r}") from None
