"""Fuzzing the response path: any body of a 200 for any model type gives a model or an
ApiException subclass, never a stray KeyError/TypeError/AttributeError; error bodies too."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from PureCloudPlatformClientV2 import ApiClient, SCIMApi
from PureCloudPlatformClientV2._model import REGISTRY, Model, resolve
from PureCloudPlatformClientV2.models import __all__ as MODEL_NAMES
from PureCloudPlatformClientV2.rest import ApiException, ResponseFormatError
from PureCloudPlatformClientV2.transport import RESTResponse

RETURN_TYPES = sorted({getattr(SCIMApi, name).endpoint.return_type for name in dir(SCIMApi)
                       if hasattr(getattr(SCIMApi, name), "endpoint")})
TYPES = sorted(set(RETURN_TYPES) | set(MODEL_NAMES))
FUZZ = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=20)
ISO_DATES = st.sampled_from(["2024-05-06T07:08:09.123Z", "2024-05-06", "2024-13-40T99:00:00Z", "", "Z"])


def typed(type_name: str, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values shaped like `type_name` (often right, sometimes wrong) to reach deep decoders."""
    if depth > 3:
        return json_values
    if type_name.startswith("list["):
        return st.lists(typed(type_name[5:-1], depth + 1) | st.none(), max_size=3) | json_values
    if type_name.startswith("dict("):
        inner = type_name[type_name.index(",") + 1:-1].strip()
        return st.dictionaries(st.text(max_size=8), typed(inner, depth + 1), max_size=3) | json_values
    if type_name in ("datetime", "date"):
        return ISO_DATES | json_values
    if type_name in ("str", "int", "bool", "float", "object"):
        return scalars | json_values
    cls = resolve(type_name)
    fields = {f.wire: typed(f.swagger_type, depth + 1) | st.none() for f in cls.fields}
    return st.fixed_dictionaries({}, optional=fields) | json_values


def respond(body: bytes, status: int = 200) -> Any:
    return RESTResponse(status, "OK", body, {"Content-Type": "application/scim+json"})


def check(type_name: str, body: bytes) -> None:
    try:
        result = ApiClient(host="http://unused.invalid").deserialize(respond(body), type_name)
    except ApiException as error:
        assert isinstance(error, ResponseFormatError) and type_name in str(error)
        return
    if type_name in REGISTRY:
        assert isinstance(result, resolve(type_name))
        assert isinstance(result.to_wire(), dict) and isinstance(repr(result), str)


@FUZZ
@given(st.sampled_from(TYPES), json_values)
def test_any_json_gives_a_model_or_an_api_exception(type_name: str, data: Any) -> None:
    check(type_name, json.dumps(data).encode())


@FUZZ
@given(st.data())
def test_model_shaped_json_gives_a_model_or_an_api_exception(data: st.DataObject) -> None:
    type_name = data.draw(st.sampled_from(TYPES))
    check(type_name, json.dumps(data.draw(typed(type_name))).encode())


@FUZZ
@given(st.sampled_from(TYPES), st.binary(max_size=200))
def test_any_bytes_give_a_model_or_an_api_exception(type_name: str, body: bytes) -> None:
    check(type_name, body)


@FUZZ
@given(st.sampled_from([400, 401, 403, 404, 409, 412, 429, 500, 503]),
       st.one_of(st.binary(max_size=100), json_values.map(lambda v: json.dumps(v).encode())),
       st.dictionaries(st.sampled_from(["ININ-Correlation-Id", "Retry-After", "Content-Type"]),
                       st.text(max_size=30)))
def test_any_error_response_gives_a_usable_exception(status: int, body: bytes, headers: dict[str, str]) -> None:
    error = ApiException.from_response(RESTResponse(status, "Err", body, headers), "GET", "/x")
    assert error.status == status
    for value in (error.scim_type, error.detail, error.correlation_id):
        assert value is None or isinstance(value, str)
    assert error.error is None or isinstance(error.error, Model)
    assert str(error).startswith(f"({status})") and repr(error)
    if status == 429:
        assert error.retry_after is None or error.retry_after >= 0
