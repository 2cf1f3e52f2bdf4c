"""Encoding: models to JSON-ready dicts, by plans compiled once per class from its fields.

Instances already hold their values under JSON names, so a model's wire dict is a copy of
its attribute dict with unset fields left out and nested values encoded. A value of the
wrong type raises EncodeError (a TypeError) naming its path (`ScimV2User.emails[0].value`).
`ApiNullValue()` is sent as `null`; it is looked for only where a value already failed the
class check, so the usual values pay nothing for it.

Request bodies take a shorter road to JSON text (`to_json_text`): the json module's C encoder
writes each model's own attribute dict, once a per-class check has found every value to have
its declared class; anything else takes the general route above, which also names errors.
"""

from __future__ import annotations

import datetime as _dt
import json

from ._model import Model, plan_cache, resolve
from .api_null_value import ApiNullValue
from .year_month import YearMonth
from ._plans import ALWAYS, PRIMITIVES, compiled, compiled_type, nested, or_none

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

    from ._plans import Step

_UTC = _dt.timezone.utc
_ENCODERS: dict[str, Callable[[Any], Any]] = plan_cache()  # official type string -> compiled encoder


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


def encode_model(obj: Model, where: str) -> dict[str, Any]:
    """The wire dict of `obj`; a bad value raises EncodeError (a TypeError) naming its path."""
    try:
        return compiled(type(obj), "_encoder", _model_encoder)(obj)  # type: ignore[no-any-return]
    except EncodeError as error:
        error.root = where
        raise


def encoder_for(type_name: str) -> Callable[[Any], Any]:
    """A function turning a Python value of the given official type into JSON-ready data."""
    return compiled_type(_ENCODERS, type_name, "_encoder", _encode_step)


def _encode_step(type_name: str, building: dict[Any, Any]) -> Step:
    """How a plan handles one value of this type: sent as is when its class is the expected
    one, else the converter (which checks, converts or raises EncodeError)."""
    if type_name in PRIMITIVES:
        expected = PRIMITIVES[type_name]
        if expected is None:
            return ALWAYS, _encode_any
        return expected, _kind_check((int, float) if expected is float else expected)
    if type_name.startswith("list["):
        return ALWAYS, _list_encoder(_encode_step(type_name[5:-1], building))
    if type_name.startswith("dict("):
        return ALWAYS, _dict_encoder(_encode_step(type_name[type_name.index(",") + 1 : -1].strip(), building))
    if type_name in ("datetime", "date"):
        return ALWAYS, _encode_datetime
    return ALWAYS, nested(resolve(type_name), "_encoder", _model_encoder, building)


def _model_encoder(cls: type[Model], building: dict[Any, Any]) -> Callable[[Any], Any]:
    """The encoder of one model class: a copy of the instance's attribute dict, without unset
    fields and non-field attributes, nested values encoded, `_extra` merged back in."""
    expected_of: dict[str, Any] = {}  # JSON name -> the class a value is sent as is
    convert_of: dict[str, Callable[[Any], Any]] = {}  # JSON name -> check/convert otherwise
    attr_of = {f.wire: f.attr for f in cls.fields}  # for error paths only

    def encode(obj: Any) -> Any:
        if type(obj) is not cls:  # a subclass, a wire-form dict, None or a wrong value
            return _encode_other(obj)
        values = obj.__dict__
        out = values.copy()  # a C copy, then fix what differs: cheaper than rebuilding
        extra = None
        for key, value in values.items():
            try:
                expected = expected_of[key]
            except KeyError:  # `_extra`, or an attribute that is not a field (not sent)
                del out[key]
                if key == "_extra":
                    extra = value
                continue
            if type(value) is not expected:
                if value is None:
                    del out[key]
                    continue
                if value.__class__ is ApiNullValue:
                    out[key] = None
                    continue
                try:
                    out[key] = convert_of[key](value)
                except EncodeError as error:
                    raise error.at(attr_of[key]) from None
        if extra:
            for key, value in extra.items():
                out.setdefault(key, value)
        return out

    encode.takes_none = True  # type: ignore[attr-defined]  # via _encode_other
    building[cls] = encode
    for f in cls.fields:
        expected_of[f.wire], convert_of[f.wire] = _encode_step(f.swagger_type, building)
    if ALWAYS not in expected_of.values():  # only primitive fields: lists inline the check
        encode.flat = (cls, expected_of)  # type: ignore[attr-defined]
    return encode


def _encode_other(value: Any) -> Any:
    if value is None or value.__class__ is ApiNullValue:
        return None
    if isinstance(value, Model):
        return _encode_any(value)
    if isinstance(value, dict):  # a wire-form dict given in place of a model is sent as is
        return _encode_any(value)
    raise EncodeError(f"expected a model or dict, got {type(value).__name__}")


def _list_encoder(step: Step) -> Callable[[Any], Any]:
    expected, convert = step
    if expected is not ALWAYS:  # list[str] and friends: check, then copy
        def encode_primitives(value: Any) -> Any:
            nulls = False
            for index, item in enumerate(value if type(value) is list else _sequence(value)):
                if type(item) is not expected and item is not None:
                    if item.__class__ is ApiNullValue:
                        nulls = True
                        continue
                    try:
                        convert(item)
                    except EncodeError as error:
                        raise error.at(f"[{index}]") from None
            return [None if item.__class__ is ApiNullValue else item for item in value] if nulls else list(value)

        return encode_primitives
    if not getattr(convert, "takes_none", False):
        convert = or_none(convert)
    if getattr(convert, "flat", None):
        return _flat_list_encoder(convert)

    def encode_list(value: Any) -> Any:
        items = value if type(value) is list else _sequence(value)
        out: list[Any] = []
        try:
            for item in items:
                out.append(convert(item))
        except EncodeError as error:
            raise error.at(f"[{len(out)}]") from None
        return out

    return encode_list


def _flat_list_encoder(encode: Any) -> Callable[[Any], Any]:
    """A list of models with primitive fields only (emails, roles, ...): when every value
    already has its declared class, the item's dict is copied inline; anything else (a None
    to leave out, `_extra`, an int for a float) goes to the model's encoder."""
    cls, expected_of = encode.flat

    def encode_flat_list(value: Any) -> Any:
        items = value if type(value) is list else _sequence(value)
        out: list[Any] = []
        try:
            for item in items:
                if type(item) is cls:
                    values = item.__dict__
                    try:
                        for key, field_value in values.items():
                            if type(field_value) is not expected_of[key]:
                                break
                        else:
                            out.append(values.copy())
                            continue
                    except KeyError:  # `_extra` or a non-field attribute
                        pass
                out.append(encode(item))
        except EncodeError as error:
            raise error.at(f"[{len(out)}]") from None
        return out

    return encode_flat_list


def _dict_encoder(step: Step) -> Callable[[Any], Any]:
    expected, convert = step

    def encode_dict(value: Any) -> Any:
        if not isinstance(value, dict):
            raise EncodeError(f"expected dict, got {type(value).__name__}")
        out = {}
        for key, item in value.items():
            try:
                out[_json_key(key)] = item if item is None or item.__class__ is expected else convert(item)
            except EncodeError as error:
                raise error.at(f"[{key!r}]") from None
        return out

    return encode_dict


def _json_key(key: Any) -> Any:
    """A dict key as json writes one: text as is (a str Enum stays itself, json writes its
    value), numbers and true/false/null in JSON spelling, anything else as str()."""
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, (bool, int, float)):
        return json.dumps(key)
    return str(key)


def _sequence(value: Any) -> Any:
    if value.__class__ is list or isinstance(value, (list, tuple)):
        return value
    raise EncodeError(f"expected list or tuple, got {type(value).__name__}")


def _kind_check(kinds: Any) -> Callable[[Any], Any]:
    names = " or ".join(k.__name__ for k in kinds) if isinstance(kinds, tuple) else kinds.__name__

    def check(value: Any) -> Any:  # subclasses (a str Enum) pass; bool is no int or float here
        if isinstance(value, kinds) and not (isinstance(value, bool) and kinds is not bool):
            return value
        if value.__class__ is ApiNullValue:
            return None
        raise EncodeError(f"expected {names}, got {type(value).__name__}")

    return check


def _encode_datetime(value: Any) -> str | None:
    """UTC with milliseconds and `Z`, as Genesys writes it (naive values are taken as UTC)."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not _UTC:
            value = value.replace(tzinfo=_UTC) if value.tzinfo is None else value.astimezone(_UTC)
        # %-formatting: twice as fast as isoformat(timespec=...), which asks the tzinfo again
        return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (
            value.year, value.month, value.day, value.hour, value.minute, value.second, value.microsecond // 1000
        )
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    if value.__class__ is ApiNullValue:
        return None
    raise EncodeError(f"expected datetime, got {type(value).__name__}")


def to_json_data(value: Any, where: str = "body") -> Any:
    """Make any supported Python value JSON-ready: models to wire dicts, datetimes to ISO text."""
    try:
        return _encode_any(value)
    except EncodeError as error:
        error.root = where
        raise


def _encode_any(value: Any) -> Any:
    kind = type(value)
    if value is None or kind is str or kind is int or kind is float or kind is bool:
        return value
    if isinstance(value, Model):  # every model class has its own `_encoder` slot
        return (kind._encoder or compiled(kind, "_encoder", _model_encoder))(value)
    if isinstance(value, (list, tuple)):
        out: list[Any] = []
        try:
            for item in value:
                out.append(_encode_any(item))
        except EncodeError as error:
            raise error.at(f"[{len(out)}]") from None
        return out
    if isinstance(value, dict):
        wire = {}
        for key, item in value.items():
            try:
                wire[_json_key(key)] = _encode_any(item)
            except EncodeError as error:
                raise error.at(f"[{key!r}]") from None
        return wire
    if isinstance(value, (str, int, float, _dt.date)):  # subclasses: str/int Enums, datetime
        return _encode_datetime(value) if isinstance(value, _dt.date) else value
    if kind is ApiNullValue:
        return None
    if kind is YearMonth:
        return value.to_wire()
    raise EncodeError(f"{type(value).__name__} values cannot be sent as JSON")


# -- straight to JSON text ------------------------------------------------------------------
def to_json_text(value: Any, where: str = "body") -> str:
    """The JSON text of any supported value, as request bodies are sent: the same text as
    `json.dumps(to_json_data(value))`, written without building the intermediate dicts."""
    try:
        return _TEXT_ENCODER.encode(value)
    except (TypeError, ValueError):
        pass  # an unusual value somewhere: the general route converts it or names it
    except RecursionError:
        error = EncodeError("nested too deeply (does a model contain itself?)")
        error.root = where
        raise error from None
    data = to_json_data(value, where)
    try:
        return json.dumps(data, allow_nan=False)
    except ValueError:
        raise ValueError(f"{where}: NaN and infinite floats cannot be sent as JSON") from None


# Per model class: JSON name -> the classes its value is written as is (a nested model is
# checked when json reaches it), and for list fields the one class each item must have.
_TEXT_PLANS: dict[type, tuple[dict[str, tuple[type, ...]], dict[str, type]]] = {}


def _text_default(value: Any) -> Any:
    """json's hook for what it cannot write itself. A model whose values all have their
    declared classes gives its own attribute dict (json only reads it); any other model
    gives its encoded copy, and datetimes their text."""
    plan = _TEXT_PLANS.get(value.__class__)
    if plan is None:
        if not isinstance(value, Model):
            return _encode_any(value)
        plan = _TEXT_PLANS[value.__class__] = _text_plan(type(value))
    classes_of, item_class_of = plan
    values = value.__dict__
    try:
        for key, field_value in values.items():
            kind = type(field_value)
            if kind not in classes_of[key]:  # None, `_extra`, a non-field attribute, a wrong type
                return _encode_any(value)
            if kind is list:
                item_class = item_class_of[key]
                for item in field_value:
                    if type(item) is not item_class:
                        return _encode_any(value)
    except KeyError:
        return _encode_any(value)
    return values


def _text_plan(cls: type[Model]) -> tuple[dict[str, tuple[type, ...]], dict[str, type]]:
    classes_of: dict[str, tuple[type, ...]] = {}
    item_class_of: dict[str, type] = {}
    for f in cls.fields:
        if f.swagger_type.startswith("list["):
            items = _written_as_is(f.swagger_type[5:-1])
            if len(items) == 1:
                classes_of[f.wire], item_class_of[f.wire] = (list,), items[0]
            else:
                classes_of[f.wire] = ()
        else:
            classes_of[f.wire] = _written_as_is(f.swagger_type)
    return classes_of, item_class_of


def _written_as_is(type_name: str) -> tuple[type, ...]:
    """The classes whose values of this official type json writes right without a converter
    (models and datetimes through `_text_default`); () when every value needs one."""
    if type_name in PRIMITIVES:
        kind = PRIMITIVES[type_name]
        return () if kind is None else (float, int) if kind is float else (kind,)
    if type_name in ("datetime", "date"):
        return (_dt.datetime if type_name == "datetime" else _dt.date, str)
    if type_name.startswith(("list[", "dict(")):
        return ()
    return (resolve(type_name),)


# No circular check: a model that contains itself ends in RecursionError, reported above.
_TEXT_ENCODER = json.JSONEncoder(default=_text_default, allow_nan=False, check_circular=False)
