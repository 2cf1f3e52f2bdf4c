"""Decoding: parsed JSON to models, by plans compiled once per class from its fields.

A decoder adopts its input: each JSON object becomes the attribute dict of its model and
lists are filled in place, so decoding a response copies nothing. Values whose class is the
declared one need no work; everything else goes through a converter that checks, converts
or raises a DecodeError naming the path (`Resources[3].emails[0].value`).
"""

from __future__ import annotations

import datetime as _dt
import re as _re
import sys as _sys

from ._collector import LARGE_BODY, PAUSE
from ._model import Model, plan_cache, resolve
from ._plans import ALWAYS, PRIMITIVES, compiled, compiled_type, nested, or_none

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

    from typing import TypeVar

    from ._plans import Step

    Decode = TypeVar("Decode", bound=Callable[..., Any])

_UTC = _dt.timezone.utc
_DECODERS: dict[str, Callable[[Any], Any]] = plan_cache()  # official type string -> compiled decoder


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


def decode_model(cls: type[Model], data: Any) -> Model:
    """`data` (parsed JSON, adopted: see `decoder_for`) as an instance of `cls`."""
    if data.__class__ is not dict:
        raise DecodeError(f"expected a JSON object for {cls.__name__}, got {_json_kind(data)}")
    return compiled(cls, "_decoder", _model_decoder)(data)  # type: ignore[no-any-return]


def pausing_collector_for_large_bodies(decode: Decode) -> Decode:
    """For `ApiClient._decode(response, ...)`: a response body of `LARGE_BODY` bytes or more is
    parsed and decoded while the collector's automatic collections are paused (_collector.py),
    which keeps the cost of a large page linear in its size."""

    def decode_response(client: Any, response: Any, *args: Any) -> Any:
        if len(response.body) < LARGE_BODY:
            return decode(client, response, *args)
        with PAUSE.held():
            return decode(client, response, *args)

    return decode_response  # type: ignore[return-value]


def decoder_for(type_name: str) -> Callable[[Any], Any]:
    """A function turning parsed JSON into the given official type string, built once.

    It adopts its argument: the parsed objects become the models' attribute dicts and are
    converted in place. Give it fresh `json.loads` output (`Model.from_wire` copies first).
    """
    return compiled_type(_DECODERS, type_name, "_decoder", _decode_step)


def _decode_step(type_name: str, building: dict[Any, Any]) -> Step:
    """How a plan handles one value of this type: no work when its class is the expected
    one, else the converter (which checks, converts or raises DecodeError)."""
    if type_name in PRIMITIVES:
        expected = PRIMITIVES[type_name]
        if expected is None:
            return ALWAYS, _keep
        return expected, (_decode_float if expected is float else _mismatch(expected))
    if type_name.startswith("list["):
        return ALWAYS, _list_decoder(_decode_step(type_name[5:-1], building))
    if type_name.startswith("dict("):
        return ALWAYS, _dict_decoder(_decode_step(type_name[type_name.index(",") + 1 : -1].strip(), building))
    if type_name in ("datetime", "date"):
        return ALWAYS, parse_datetime if type_name == "datetime" else _decode_date
    return ALWAYS, nested(resolve(type_name), "_decoder", _model_decoder, building)


def _model_decoder(cls: type[Model], building: dict[Any, Any]) -> Callable[[Any], Any]:
    """The decoder of one model class: checks each value against the plan, converts in
    place, and makes the JSON object the new instance's attribute dict."""
    expected_of: dict[str, Any] = {}  # JSON name -> the class a value needs no work for
    convert_of: dict[str, Callable[[Any], Any]] = {}  # JSON name -> check/convert otherwise
    new = object.__new__

    def decode(data: Any) -> Any:
        if type(data) is not dict:
            if data is None:  # a null item of a list
                return None
            raise DecodeError(f"expected a JSON object for {cls.__name__}, got {_json_kind(data)}")
        unknown = None
        for key, value in data.items():
            try:
                expected = expected_of[key]
            except KeyError:  # not a field: kept in _extra below
                if unknown is None:
                    unknown = []
                unknown.append(key)
                continue
            if type(value) is not expected and value is not None:
                try:
                    data[key] = convert_of[key](value)  # same key: allowed while iterating
                except DecodeError as error:
                    raise error.at(key) from None
        if unknown is not None:  # moved aside: a key in __dict__ could hide a method
            data["_extra"] = {key: data.pop(key) for key in unknown}
        obj = new(cls)
        obj.__dict__ = data
        return obj

    decode.takes_none = True  # type: ignore[attr-defined]  # list items may be null
    building[cls] = decode  # before the plan: a model may contain itself
    for f in cls.fields:
        expected_of[f.wire], convert_of[f.wire] = _decode_step(f.swagger_type, building)
    if ALWAYS not in expected_of.values():  # only primitive fields: lists inline the check
        decode.flat = (cls, expected_of)  # type: ignore[attr-defined]
    return decode


def _list_decoder(step: Step) -> Callable[[Any], Any]:
    expected, convert = step
    if expected is not ALWAYS:  # list[str] and friends: check, keep the list
        def decode_primitives(data: Any) -> Any:
            if type(data) is not list:
                raise DecodeError(f"expected a JSON array, got {_json_kind(data)}")
            for index, value in enumerate(data):
                if type(value) is not expected and value is not None:
                    try:
                        convert(value)
                    except DecodeError as error:
                        raise error.at(f"[{index}]") from None
            return data

        return decode_primitives
    if not getattr(convert, "takes_none", False):
        convert = or_none(convert)
    if getattr(convert, "flat", None):
        return _flat_list_decoder(convert)

    def decode_list(data: Any) -> Any:  # in place: no new list for the GC to track
        if type(data) is not list:
            raise DecodeError(f"expected a JSON array, got {_json_kind(data)}")
        index = 0
        try:
            for value in data:
                data[index] = convert(value)
                index += 1
        except DecodeError as error:
            raise error.at(f"[{index}]") from None
        return data

    return decode_list


def _flat_list_decoder(decode: Any) -> Callable[[Any], Any]:
    """A list of models with primitive fields only (emails, roles, ...), decoded in place.
    When every value already has its declared class (or is null), the item is adopted inline;
    anything else (an unknown key, an int for a float, a wrong type) goes to the model's
    decoder, which keeps, converts or reports it."""
    cls, expected_of = decode.flat
    new = object.__new__

    def decode_flat_list(data: Any) -> Any:
        if type(data) is not list:
            raise DecodeError(f"expected a JSON array, got {_json_kind(data)}")
        index = 0
        try:
            for item in data:
                if type(item) is dict:
                    try:
                        for key, value in item.items():
                            if type(value) is not expected_of[key] and value is not None:
                                break
                        else:
                            obj = new(cls)
                            obj.__dict__ = item
                            data[index] = obj
                            index += 1
                            continue
                    except KeyError:  # an unknown key: decode() moves it to _extra
                        pass
                data[index] = decode(item)
                index += 1
        except DecodeError as error:
            raise error.at(f"[{index}]") from None
        return data

    return decode_flat_list


def _dict_decoder(step: Step) -> Callable[[Any], Any]:
    expected, convert = step

    def decode_dict(data: Any) -> Any:
        if data.__class__ is not dict:
            raise DecodeError(f"expected a JSON object, got {_json_kind(data)}")
        for key, value in data.items():
            if value.__class__ is not expected and value is not None:
                try:
                    data[key] = convert(value)
                except DecodeError as error:
                    raise error.at(f"[{key!r}]") from None
        return data

    return decode_dict


def _keep(value: Any) -> Any:
    return value


def _mismatch(expected: type) -> Callable[[Any], Any]:
    def reject(value: Any) -> Any:
        if value.__class__ is expected:
            return value
        raise DecodeError(f"expected {expected.__name__}, got {_json_kind(value)}")

    return reject


def _decode_float(value: Any) -> Any:
    if value.__class__ is float or value.__class__ is int:
        return value
    raise DecodeError(f"expected a number, got {_json_kind(value)}")


def parse_datetime(value: Any) -> _dt.datetime:
    """ISO 8601 as Genesys and RFC 7643 write it (`2024-05-06T07:08:09.123Z`, an offset instead
    of `Z`, 0 to 9 fraction digits, or a date alone) to an aware datetime; no zone means UTC.

    The same forms parse on every supported Python: `fromisoformat` first (fast, and on 3.11+
    it reads nearly everything), then `_ISO_8601` for what 3.10's reads not (`Z`, fractions of
    other than 3 or 6 digits, `+0200`). Digits beyond microseconds are cut off, not rounded.
    """
    if value.__class__ is not str:
        raise DecodeError(f"expected an ISO 8601 date-time string, got {_json_kind(value)}")
    try:
        parsed = _from_iso_format(value)
    except ValueError:
        parsed = _parse_iso_8601(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=_UTC)


if _sys.version_info >= (3, 11):
    _from_iso_format = _dt.datetime.fromisoformat
else:  # 3.10 reads an offset but not `Z`: Genesys' usual form costs one slice here, not an exception

    def _from_iso_format(text: str) -> _dt.datetime:
        return _dt.datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] == "Z" else text)


_ISO_8601 = _re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?"
)


def _parse_iso_8601(value: str) -> _dt.datetime:
    match = _ISO_8601.fullmatch(value)
    if match is None:
        raise DecodeError(f"not an ISO 8601 date-time: {value!r}")
    year, month, day, hour, minute, second, fraction, _z, sign, offset_hours, offset_minutes = match.groups()
    try:
        zone = None
        if sign:
            offset = _dt.timedelta(hours=int(offset_hours), minutes=int(offset_minutes or 0))
            zone = _dt.timezone(-offset if sign == "-" else offset) if offset else _UTC
        return _dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
                            int((fraction or "")[:6].ljust(6, "0")), zone)
    except ValueError as error:  # 2024-02-30, 25:00, an offset of a day or more
        raise DecodeError(f"not an ISO 8601 date-time: {value!r} ({error})") from None


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
