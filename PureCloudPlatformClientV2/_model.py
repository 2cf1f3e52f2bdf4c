"""The model base: each model is a short list of annotated fields; this module turns them
into the official `swagger_types`/`attribute_map`, fast decode/encode plans and a safe repr."""

from __future__ import annotations

import datetime as _dt

TYPE_CHECKING = False  # typing costs ~6 ms to import; mypy still treats this name specially
if TYPE_CHECKING:
    from typing import Any, Callable, ClassVar

    from typing_extensions import Self, dataclass_transform
else:

    def dataclass_transform(**_kwargs):
        return lambda cls: cls


REGISTRY: dict[str, type[Model]] = {}
SECRET_MASK = "<redacted>"
PRIMITIVES = {"str": str, "int": int, "bool": bool, "float": float, "object": None}


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
    _decode_plan: ClassVar[dict[str, tuple[str, Any, Any]] | None] = None
    _encode_plan: ClassVar[dict[str, tuple[str, Callable[[Any, str], Any]]] | None] = None

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
            setattr(cls, f.attr, spec.default if isinstance(spec, FieldSpec) else spec)
        replaced = {f.attr for f in declared}  # a subclass may narrow an inherited field's type
        cls.fields = tuple(f for f in cls.fields if f.attr not in replaced) + tuple(declared)
        cls.swagger_types = {f.attr: f.swagger_type for f in cls.fields}
        cls.attribute_map = {f.attr: f.wire for f in cls.fields}
        cls._decode_plan = cls._encode_plan = None
        REGISTRY[cls.__name__] = cls

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
        return vars(self) == vars(other)

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = None  # type: ignore[assignment]  # mutable, like the official models

    # -- the wire form ----------------------------------------------------------------
    def to_wire(self) -> dict[str, Any]:
        """The JSON form sent to Genesys: wire names, unset fields left out, `_extra` kept."""
        return encode_model(self, type(self).__name__)

    @classmethod
    def from_wire(cls, data: Any) -> Self:
        """Build a model from parsed JSON; raises DecodeError naming the field on a bad type."""
        return decode_model(cls, data)  # type: ignore[return-value]



def _plain(value: Any, redact: bool) -> Any:
    if isinstance(value, Model):
        return {
            f.attr: SECRET_MASK if redact and f.secret and getattr(value, f.attr) is not None
            else _plain(getattr(value, f.attr), redact)
            for f in value.fields
        }
    if isinstance(value, list):
        return [_plain(v, redact) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v, redact) for k, v in value.items()}
    return value


def resolve(name: str) -> type[Model]:
    """Find a model class by its official name (no eval)."""
    if name not in REGISTRY:
        import PureCloudPlatformClientV2.models  # noqa: F401  # registers every model

    try:
        return REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown model type {name!r}") from None


# -- decoding -------------------------------------------------------------------------
def decode_model(cls: type[Model], data: Any) -> Model:
    if data.__class__ is not dict:
        raise DecodeError(f"expected a JSON object for {cls.__name__}, got {_json_kind(data)}")
    plan = cls._decode_plan or _build_decode_plan(cls)
    values: dict[str, Any] = {}
    extra = None
    for key, value in data.items():
        entry = plan.get(key)
        if entry is None:
            if extra is None:
                extra = values["_extra"] = {}
            extra[key] = value
            continue
        attr, expected, convert = entry
        if value is not None:
            if convert is not None:
                try:
                    value = convert(value)
                except DecodeError as error:
                    raise error.at(key) from None
            elif expected is not None and value.__class__ is not expected:
                raise DecodeError(f"expected {expected.__name__}, got {_json_kind(value)}", [key])
        values[attr] = value
    obj = cls.__new__(cls)
    obj.__dict__ = values
    return obj


def _build_decode_plan(cls: type[Model]) -> dict[str, tuple[str, Any, Any]]:
    plan: dict[str, tuple[str, Any, Any]] = {}
    for f in cls.fields:
        expected = PRIMITIVES.get(f.swagger_type, None)
        convert = None if f.swagger_type in PRIMITIVES and f.swagger_type != "float" else decoder_for(f.swagger_type)
        plan[f.wire] = (f.attr, expected, convert)
    cls._decode_plan = plan
    return plan


_DECODERS: dict[str, Callable[[Any], Any]] = {}


def decoder_for(type_name: str) -> Callable[[Any], Any]:
    """A function turning parsed JSON into the given official type string, built once."""
    found = _DECODERS.get(type_name)
    if found is None:
        found = _DECODERS[type_name] = _make_decoder(type_name)
    return found


def _make_decoder(type_name: str) -> Callable[[Any], Any]:
    if type_name.startswith("list["):
        return _list_decoder(decoder_for(type_name[5:-1]))
    if type_name.startswith("dict("):
        return _dict_decoder(decoder_for(type_name[type_name.index(",") + 1 : -1].strip()))
    if type_name == "float":
        return _decode_float
    if type_name == "datetime":
        return parse_datetime
    if type_name == "date":
        return _decode_date
    if type_name in PRIMITIVES:
        return _primitive_decoder(PRIMITIVES[type_name])
    cls = resolve(type_name)
    return lambda data: decode_model(cls, data)


def _list_decoder(item: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def decode_list(data: Any) -> list[Any]:
        if data.__class__ is not list:
            raise DecodeError(f"expected a JSON array, got {_json_kind(data)}")
        out = []
        for index, value in enumerate(data):
            try:
                out.append(None if value is None else item(value))
            except DecodeError as error:
                raise error.at(f"[{index}]") from None
        return out

    return decode_list


def _dict_decoder(item: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def decode_dict(data: Any) -> dict[str, Any]:
        if data.__class__ is not dict:
            raise DecodeError(f"expected a JSON object, got {_json_kind(data)}")
        out = {}
        for key, value in data.items():
            try:
                out[key] = None if value is None else item(value)
            except DecodeError as error:
                raise error.at(f"[{key!r}]") from None
        return out

    return decode_dict


def _primitive_decoder(expected: type | None) -> Callable[[Any], Any]:
    def decode_primitive(value: Any) -> Any:
        if expected is not None and value.__class__ is not expected:
            raise DecodeError(f"expected {expected.__name__}, got {_json_kind(value)}")
        return value

    return decode_primitive


def _decode_float(value: Any) -> Any:
    if value.__class__ is float or value.__class__ is int:
        return value
    raise DecodeError(f"expected a number, got {_json_kind(value)}")


def parse_datetime(value: Any) -> _dt.datetime:
    """ISO 8601 as Genesys sends it (`2024-05-06T07:08:09.123Z`) to an aware datetime."""
    if value.__class__ is not str:
        raise DecodeError(f"expected an ISO 8601 date-time string, got {_json_kind(value)}")
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    try:
        parsed = _dt.datetime.fromisoformat(text)
    except ValueError:
        raise DecodeError(f"not an ISO 8601 date-time: {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=_dt.timezone.utc)


def _decode_date(value: Any) -> _dt.date:
    if value.__class__ is not str:
        raise DecodeError(f"expected an ISO 8601 date string, got {_json_kind(value)}")
    try:
        return _dt.date.fromisoformat(value[:10])
    except ValueError:
        raise DecodeError(f"not an ISO 8601 date: {value!r}") from None


def _json_kind(value: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer", float: "number"}.get(
        type(value), type(value).__name__
    )


# -- encoding -------------------------------------------------------------------------
def encode_model(obj: Model, where: str) -> dict[str, Any]:
    cls = type(obj)
    plan = cls._encode_plan or _build_encode_plan(cls)
    out: dict[str, Any] = {}
    for attr, value in obj.__dict__.items():
        if value is None:
            continue
        entry = plan.get(attr)
        if entry is None:
            continue
        wire, encode = entry
        out[wire] = encode(value, where + "." + attr)
    if obj._extra:
        for key, value in obj._extra.items():
            out.setdefault(key, value)
    return out


def _build_encode_plan(cls: type[Model]) -> dict[str, tuple[str, Callable[[Any, str], Any]]]:
    cls._encode_plan = {f.attr: (f.wire, encoder_for(f.swagger_type)) for f in cls.fields}
    return cls._encode_plan


_ENCODERS: dict[str, Callable[[Any, str], Any]] = {}


def encoder_for(type_name: str) -> Callable[[Any, str], Any]:
    """A function turning a Python value of the given official type into JSON-ready data."""
    found = _ENCODERS.get(type_name)
    if found is None:
        found = _ENCODERS[type_name] = _make_encoder(type_name)
    return found


def _make_encoder(type_name: str) -> Callable[[Any, str], Any]:
    if type_name.startswith("list["):
        item = encoder_for(type_name[5:-1])
        return lambda value, where: [
            None if v is None else item(v, f"{where}[{i}]") for i, v in enumerate(_expect(value, (list, tuple), where))
        ]
    if type_name.startswith("dict("):
        item = encoder_for(type_name[type_name.index(",") + 1 : -1].strip())
        return lambda value, where: {
            str(k): None if v is None else item(v, f"{where}[{k!r}]") for k, v in _expect(value, dict, where).items()
        }
    if type_name in ("datetime", "date"):
        return _encode_datetime
    if type_name == "object":
        return lambda value, where: to_json_data(value, where)
    if type_name in PRIMITIVES:
        kinds = {"str": str, "int": int, "bool": bool, "float": (int, float)}[type_name]
        return lambda value, where: _expect_exact(value, kinds, where)
    return _encode_nested


def _encode_nested(value: Any, where: str) -> Any:
    if isinstance(value, Model):
        return encode_model(value, where)
    if isinstance(value, dict):  # a wire-form dict given in place of a model is sent as is
        return to_json_data(value, where)
    raise TypeError(f"{where}: expected a model or dict, got {type(value).__name__}")


def _expect(value: Any, kinds: Any, where: str) -> Any:
    if not isinstance(value, kinds):
        raise TypeError(f"{where}: expected {_kind_names(kinds)}, got {type(value).__name__}")
    return value


def _expect_exact(value: Any, kinds: Any, where: str) -> Any:
    if isinstance(value, bool) and kinds is not bool:
        raise TypeError(f"{where}: expected {_kind_names(kinds)}, got bool")
    return _expect(value, kinds, where)


def _kind_names(kinds: Any) -> str:
    return " or ".join(k.__name__ for k in kinds) if isinstance(kinds, tuple) else kinds.__name__


def _encode_datetime(value: Any, where: str) -> str:
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        text = value.astimezone(_dt.timezone.utc).isoformat(timespec="milliseconds")
        return text.replace("+00:00", "Z")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    raise TypeError(f"{where}: expected datetime, got {type(value).__name__}")


def to_json_data(value: Any, where: str = "body") -> Any:
    """Make any supported Python value JSON-ready: models to wire dicts, datetimes to ISO text."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Model):
        return encode_model(value, where)
    if isinstance(value, (list, tuple)):
        return [to_json_data(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {str(k): to_json_data(v, f"{where}[{k!r}]") for k, v in value.items()}
    if isinstance(value, (_dt.datetime, _dt.date)):
        return _encode_datetime(value, where)
    raise TypeError(f"{where}: {type(value).__name__} values cannot be sent as JSON")
