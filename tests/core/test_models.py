"""Models: exact wire round trips (hypothesis), official-style construction, safe repr, precise decode errors."""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from PureCloudPlatformClientV2 import models
from PureCloudPlatformClientV2._decode import DecodeError
from PureCloudPlatformClientV2._model import SECRET_MASK, Model

MODEL_NAMES = sorted(models.__all__)
MAX_DEPTH = 3  # ErrorBody.errors and ScimV2SchemaAttribute.sub_attributes are recursive
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
HYPOTHESIS = settings(max_examples=25, deadline=None,
                      suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

TEXT = st.text(max_size=10)
JSON_SCALARS = (st.none() | st.booleans() | st.integers(-(2**53), 2**53)
                | st.floats(allow_nan=False, allow_infinity=False) | TEXT)
JSON = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                    max_leaves=6)
DATETIMES = st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 12, 31)).map(
    lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z")
PRIMITIVES = {"str": TEXT, "int": st.integers(-(2**31), 2**31), "bool": st.booleans(),
              "object": JSON.filter(lambda value: value is not None),  # a null field is an unset one
              "float": st.floats(allow_nan=False, allow_infinity=False) | st.integers(-1000, 1000),
              "datetime": DATETIMES, "date": st.dates().map(dt.date.isoformat)}


def model(name: str) -> type[Model]:
    return getattr(models, name)  # type: ignore[no-any-return]


def is_model_type(type_name: str) -> bool:
    inner = type_name.replace("list[", "").replace("dict(str, ", "").rstrip("])")
    return inner not in PRIMITIVES


@lru_cache(maxsize=None)
def value_wire(type_name: str, depth: int) -> st.SearchStrategy[Any]:
    """JSON for one value of an official type string (`list[ScimEmail]`, `dict(str, str)`, ...)."""
    if type_name.startswith("list["):
        return st.lists(value_wire(type_name[5:-1], depth), max_size=3)
    if type_name.startswith("dict("):
        return st.dictionaries(TEXT, value_wire(type_name[type_name.index(",") + 1 : -1].strip(), depth), max_size=3)
    if type_name in PRIMITIVES:
        return PRIMITIVES[type_name]
    return model_wire(type_name, depth + 1)


@lru_cache(maxsize=None)
def model_wire(name: str, depth: int = 0, extras: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """Wire JSON of a model: any subset of its fields (never null: unset fields are left out), enums
    with documented and unknown values, and unknown keys the model must keep."""
    cls = model(name)
    optional = {}
    for f in cls.fields:
        if depth >= MAX_DEPTH and is_model_type(f.swagger_type):
            continue
        strategy = value_wire(f.swagger_type, depth)
        optional[f.wire] = st.sampled_from(f.allowed_values) | TEXT if f.allowed_values else strategy
    declared = st.fixed_dictionaries({}, optional=optional)
    if not extras:
        return declared
    wires = {f.wire for f in cls.fields}
    unknown = st.dictionaries(TEXT.filter(lambda key: key not in wires), JSON, max_size=2)
    return st.tuples(declared, unknown).map(lambda pair: {**pair[1], **pair[0]})


def canonical(data: Any) -> str:
    # JSON text tells true from 1 and 1.0 from 1, which == on dicts does not.
    return json.dumps(data, sort_keys=True)


# -- round trips and construction -----------------------------------------------------------
@pytest.mark.parametrize("name", MODEL_NAMES)
@HYPOTHESIS
@given(data=st.data())
def test_wire_round_trips_exactly(name: str, data: st.DataObject) -> None:
    wire = data.draw(model_wire(name))
    assert canonical(model(name).from_wire(wire).to_wire()) == canonical(wire)


@pytest.mark.parametrize("name", MODEL_NAMES)
@HYPOTHESIS
@given(data=st.data())
def test_official_and_keyword_construction_agree(name: str, data: st.DataObject) -> None:
    cls = model(name)
    wire = data.draw(model_wire(name, extras=False))
    decoded = cls.from_wire(wire)
    values = {f.attr: getattr(decoded, f.attr) for f in cls.fields if f.wire in wire}
    by_attributes = cls()
    for attr, value in values.items():
        setattr(by_attributes, attr, value)
    assert cls(**values) == by_attributes == decoded
    assert canonical(by_attributes.to_wire()) == canonical(wire)


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_unknown_constructor_keywords_raise_type_error(name: str) -> None:
    cls = model(name)
    wire_only = [f.wire for f in cls.fields if f.wire != f.attr]
    for wrong in ["no_such_field", *wire_only]:
        with pytest.raises(TypeError, match=repr(wrong).replace("$", r"\$")):
            cls(**{wrong: 1})


@pytest.mark.parametrize("name", MODEL_NAMES)
@pytest.mark.parametrize("other", [None, 0, 1, {}, "x", []], ids=repr)
def test_comparing_with_other_kinds_is_false_not_an_error(name: str, other: Any) -> None:
    instance = model(name)()
    assert (instance == other) is False
    assert (instance != other) is True
    assert instance == model(name)()


def test_equal_fields_in_different_classes_are_not_equal() -> None:
    assert models.PatchOperation(op="add") != models.ScimV2PatchOperation(op="add")
    assert models.ScimEmail(value="a") != models.ScimEmail(value="b")


def test_a_field_set_to_none_equals_a_field_never_set() -> None:
    assert models.ScimEmail(value="a", type=None) == models.ScimEmail(value="a")
    assert models.ScimEmail.from_wire({"value": "a", "type": None}) == models.ScimEmail(value="a")


# -- secrets ----------------------------------------------------------------------------------
SECRETS = st.binary(min_size=8, max_size=8).map(lambda b: "Pw!" + b.hex())


def with_password(name: str, data: st.DataObject, secret: str) -> Model:
    return model(name).from_wire({**data.draw(model_wire(name, extras=False)), "password": secret})


@pytest.mark.parametrize("name", ["ScimV2User", "ScimV2CreateUser", "ScimUserListResponse"])
@HYPOTHESIS
@given(data=st.data(), secret=SECRETS)
def test_repr_str_and_json_never_show_a_password(name: str, data: st.DataObject, secret: str) -> None:
    if name == "ScimUserListResponse":
        users = [with_password("ScimV2User", data, secret).to_wire() for _ in range(2)]
        obj = models.ScimUserListResponse.from_wire({"totalResults": 2, "Resources": users})
    else:
        obj = with_password(name, data, secret)
    for shown in (repr(obj), str(obj), obj.to_str(), obj.to_json()):
        assert secret not in shown
        assert SECRET_MASK in shown
    assert secret in json.dumps(obj.to_wire())  # still sent to the server


# -- to_dict ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", MODEL_NAMES)
def test_to_dict_has_every_python_name_with_none(name: str) -> None:
    cls = model(name)
    assert cls().to_dict() == dict.fromkeys(cls.swagger_types)
    assert list(cls().to_dict()) == list(cls.swagger_types)


def test_to_dict_converts_nested_models_and_keeps_python_values() -> None:
    when = dt.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=dt.timezone.utc)
    user = models.ScimV2User(user_name="a@b.c", emails=[models.ScimEmail(value="a@b.c", type="work")],
                             meta=models.ScimMetadata(last_modified=when),
                             urnietfparamsscimschemasextensionenterprise2_0_user=models.ScimV2EnterpriseUser(
                                 manager=models.Manager(ref="https://x/Users/2")))
    plain = user.to_dict()
    assert plain["user_name"] == "a@b.c" and plain["password"] is None
    assert plain["emails"] == [{"value": "a@b.c", "type": "work", "primary": None}]
    assert plain["meta"]["last_modified"] is when
    assert plain["urnietfparamsscimschemasextensionenterprise2_0_user"]["manager"] == {
        "value": None, "ref": "https://x/Users/2"}


# -- enums --------------------------------------------------------------------------------------
ENUM_FIELDS = [(name, f.attr, f.wire) for name in MODEL_NAMES for f in model(name).fields if f.allowed_values]


def test_enum_fields_are_the_documented_ones() -> None:
    assert len(ENUM_FIELDS) >= 10  # guards the table below against silently shrinking


@pytest.mark.parametrize(("name", "attr", "wire"), ENUM_FIELDS)
@pytest.mark.parametrize("value", ["aValueFromANewerRelease", "WORK", None])
def test_enum_values_are_kept_as_sent(name: str, attr: str, wire: str, value: str | None) -> None:
    decoded = model(name).from_wire({wire: value})
    assert getattr(decoded, attr) == value
    assert decoded.to_wire() == ({} if value is None else {wire: value})
    assigned = model(name)()
    setattr(assigned, attr, value)
    assert getattr(assigned, attr) == value


# -- decode errors -------------------------------------------------------------------------------
WRONG_JSON = {"str": 12, "int": "12", "bool": "true", "float": "1.5", "datetime": 20240506, "date": 20240506}


def wrong_value(type_name: str) -> Any:
    if type_name.startswith("list["):
        return {"not": "a list"}
    if type_name.startswith("dict("):
        return ["not", "an object"]
    return WRONG_JSON.get(type_name, "not an object")


TOP_LEVEL_ERRORS = [(name, f.wire, wrong_value(f.swagger_type)) for name in MODEL_NAMES
                    for f in model(name).fields if f.swagger_type != "object"]
TOP_LEVEL_ERRORS += [(name, f.wire, bad) for name in MODEL_NAMES for f in model(name).fields
                     if f.swagger_type == "int" for bad in (True, 1.5)]


@pytest.mark.parametrize(("name", "wire", "bad"), TOP_LEVEL_ERRORS)
def test_a_wrong_json_type_names_the_field(name: str, wire: str, bad: Any) -> None:
    with pytest.raises(DecodeError) as raised:
        model(name).from_wire({wire: bad})
    assert raised.value.path == [wire]
    assert str(raised.value).startswith(f"{wire}: ")


@pytest.mark.parametrize(("name", "wire", "where"), [
    ("ScimV2User", {"emails": [{"value": "a"}, {"primary": "yes"}]}, "emails[1].primary"),
    ("ScimV2User", {ENTERPRISE: {"manager": {"value": 7}}}, f"{ENTERPRISE}.manager.value"),
    ("ScimUserListResponse", {"Resources": [{"meta": {"lastModified": "yesterday"}}]},
     "Resources[0].meta.lastModified"),
    ("ScimGroupListResponse", {"Resources": [{"members": [{"$ref": False}]}]}, "Resources[0].members[0].$ref"),
    ("ErrorBody", {"messageParams": {"a": 1}}, "messageParams['a']"),
    ("ErrorBody", {"errors": [{"details": [{"errorCode": 5}]}]}, "errors[0].details[0].errorCode"),
    ("ScimV2SchemaDefinition", {"attributes": [{"subAttributes": [{"multiValued": "no"}]}]},
     "attributes[0].subAttributes[0].multiValued"),
])
def test_a_nested_wrong_json_type_names_the_whole_path(name: str, wire: dict[str, Any], where: str) -> None:
    with pytest.raises(DecodeError) as raised:
        model(name).from_wire(wire)
    assert str(raised.value).startswith(f"{where}: ")


@pytest.mark.parametrize("data", [[], "user", 1, None])
def test_a_model_needs_a_json_object(data: Any) -> None:
    with pytest.raises(DecodeError, match="expected a JSON object"):
        models.ScimV2User.from_wire(data)
