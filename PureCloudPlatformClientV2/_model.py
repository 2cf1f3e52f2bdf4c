"""The model base: each model is a short list of annotated fields; this module turns them
into the official `swagger_types`/`attribute_map`, a safe repr, and the plans that _decode.py
and _encode.py compile from them.

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

    Step = tuple[Any, Callable[[Any], Any]]  # (the class a value has when it needs no work, converter)

    from ._decode import decode_model as decode_model
    from ._decode import decoder_for as decoder_for
    from ._decode import parse_datetime as parse_datetime
    from ._encode import encode_model as encode_model
    from ._encode import encoder_for as encoder_for
    from ._encode import to_json_data as to_json_data
    from ._encode import to_json_text as to_json_text
else:

    def dataclass_transform(**_kwargs):
        return lambda cls: cls


REGISTRY: dict[str, type[Model]] = {}
SECRET_MASK = "<redacted>"
PRIMITIVES = {"str": str, "int": int, "bool": bool, "float": float, "object": None}
_ALWAYS = object()  # a plan's "expected class" that no value has: always call the converter
_DECODERS: dict[str, Callable[[Any], Any]] = {}  # official type string -> compiled decoder
_ENCODERS: dict[str, Callable[[Any], Any]] = {}  # official type string -> compiled encoder


class DecodeError(ValueError):
    """A JSON value does not fit the declared type; `path` names where, outermost first."""

    def __init__(self, problem: str, path: list[str] | None = None) -> None:
        self.problem = problem
        self.path = path or []
        super().__init__(problem)

    def at(self, segment: str) -> DecodeError:
        self.path.insert(0, segment)
        return self

    def __str__(self) -> str:
        where = "".join(p if p.startswith("[") else "." + p for p in self.path).lstrip(".")
        return f"{where}: {self.problem}" if where else self.problem


class EncodeError(TypeError):
    """A value cannot be sent as the declared type. The path is collected while the error
    travels up, so the hot path never formats one: `where: problem`, e.g.
    `ScimV2User.emails[0].value: expected str, got int`."""

    def __init__(self, problem: str) -> None:
        self.problem, self.root = problem, ""
        self.path: list[str] = []
        super().__init__(problem)

    def at(self, segment: str) -> EncodeError:
        self.path.insert(0, segment if segment.startswith("[") else "." + segment)
        return self

    def __str__(self) -> str:
        return f"{self.root}{''.join(self.path)}: {self.problem}"


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
        _DECODERS.clear()  # compiled plans name classes; a (re)defined class starts them afresh
        _ENCODERS.clear()

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
        """`to_dict()` as JSON text, with secrets (`password`) masked."""
        import json

        return json.dumps(_plain(self, redact=True), default=str)

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
    return value


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


def _compiled(cls: type[Model], slot: str, build: Callable[[type[Model], dict[Any, Any]], Any]) -> Any:
    """The class's decoder or encoder (`slot`), built on first use. Classes reached while
    building are published together at the end, so no thread sees a half-built plan."""
    found = cls.__dict__.get(slot)
    if found is None:
        building: dict[type[Model], Any] = {}
        found = build(cls, building)
        _publish(building, slot)
    return found


def _compiled_type(cache: dict[str, Callable[[Any], Any]], type_name: str, slot: str,
                   step: Callable[[str, dict[Any, Any]], Any]) -> Callable[[Any], Any]:
    """The decoder or encoder (`slot`) of an official type string, built once and cached."""
    found = cache.get(type_name)
    if found is None:
        building: dict[type[Model], Any] = {}
        found = step(type_name, building)[1]
        _publish(building, slot)
        cache[type_name] = found
    return found


def _publish(building: dict[type[Model], Any], slot: str) -> None:
    for built, function in building.items():
        setattr(built, slot, function)


def _nested(cls: type[Model], slot: str, build: Callable[..., Any], building: dict[Any, Any]) -> Any:
    return cls.__dict__.get(slot) or building.get(cls) or build(cls, building)


def _or_none(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else convert(value)


# The codecs import this module, so their public functions are re-exported on first use.
_CODEC_NAMES = {"decode_model": "_decode", "decoder_for": "_decode", "parse_datetime": "_decode",
                "encode_model": "_encode", "encoder_for": "_encode", "to_json_data": "_encode",
                "to_json_text": "_encode"}


def __getattr__(name: str) -> Any:
    if name not in _CODEC_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__package__}.{_CODEC_NAMES[name]}"), name)
    globals()[name] = value
    return value
