"""`ApiClient.serialize`, the road request bodies take to JSON text, writes exactly what
`json.dumps(sanitize_for_serialization(...))` writes, and refuses exactly what it refuses:
for realistic users, for every model class filled with right, missing and wrong values, and
through a real request to a scripted server."""

from __future__ import annotations

import datetime as dt
import enum
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from PureCloudPlatformClientV2 import ApiClient, SCIMApi, models
from PureCloudPlatformClientV2._encode import EncodeError
from PureCloudPlatformClientV2._model import Model, resolve
from PureCloudPlatformClientV2.models import __all__ as MODEL_NAMES
from PureCloudPlatformClientV2.sandbox.fake import make_users
from PureCloudPlatformClientV2.transport import RESTResponse

from ..conftest import client_for
from ..servers import Reply, ScriptedServer

USERS = make_users(100, seed=11)
CLIENT = ApiClient(host="http://unused.invalid")
PROPERTY = settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


class Kind(str, enum.Enum):
    WORK = "work"


class Stranger:
    """Not JSON: refused wherever it appears."""


def outcome(produce: Any) -> tuple[str, str]:
    """What a call gave: ("text", the JSON) or (exception class, message)."""
    try:
        return "text", produce()
    except (TypeError, ValueError) as error:
        return type(error).__name__, str(error)


def same_as_the_dict_route(value: Any) -> None:
    fast = outcome(lambda: CLIENT.serialize(value))
    general = outcome(lambda: json.dumps(CLIENT.sanitize_for_serialization(value), allow_nan=False))
    if general[0] == "ValueError":  # NaN or infinity: both refuse, ours says where
        assert fast[0] == "ValueError" and "cannot be sent as JSON" in fast[1]
    else:
        assert fast == general


def test_decoded_users_are_written_as_the_dict_route_writes_them() -> None:
    text = json.dumps({"Resources": USERS, "totalResults": len(USERS)}).encode()
    page = CLIENT.deserialize(RESTResponse(200, "OK", text, {}), "ScimUserListResponse")
    text = CLIENT.serialize(page.resources)
    assert text == json.dumps(CLIENT.sanitize_for_serialization(page.resources))
    assert json.loads(text) == USERS


def test_what_takes_the_general_road_still_comes_out_right() -> None:
    user = models.ScimV2User(user_name="a@b", display_name=None, active=True,
                             emails=(models.ScimEmail(value="a@b", type=Kind.WORK), {"value": "c@d"}),
                             meta=models.ScimMetadata(last_modified=dt.datetime(2024, 5, 6, 7, 8, 9)))
    user._extra = {"urn:example:custom": {"x": 1}}
    user.note = "not a field, not sent"  # type: ignore[attr-defined]
    assert json.loads(CLIENT.serialize(user)) == {
        "userName": "a@b", "active": True, "emails": [{"value": "a@b", "type": "work"}, {"value": "c@d"}],
        "meta": {"lastModified": "2024-05-06T07:08:09.000Z"}, "urn:example:custom": {"x": 1}}
    same_as_the_dict_route(user)


@pytest.mark.parametrize(("keys", "written"), [([1, 2.5, "x"], ["1", "2.5", "x"]), ([True, None], ["true", "null"]),
                                                ([Kind.WORK, (1, 2)], ["work", "(1, 2)"])])
def test_dict_keys_are_written_as_json_writes_them(keys: list[Any], written: list[str]) -> None:
    value = {"outer": dict.fromkeys(keys, "v")}
    same_as_the_dict_route(value)
    assert list(json.loads(CLIENT.serialize(value))["outer"]) == written


@pytest.mark.parametrize(("value", "message"), [
    (models.ScimV2User(emails=[models.ScimEmail(value=3)]), "ScimV2User.emails[0].value: expected str, got int"),
    (models.ScimV2User(schemas=["a", 2]), "ScimV2User.schemas[1]: expected str, got int"),
    (models.ScimV2User(active=1), "ScimV2User.active: expected bool, got int"),
    ([models.ScimV2User(), models.ScimV2User(user_name=5)], "value[1].user_name: expected str, got int"),
    ({"x": Stranger()}, "value['x']: Stranger values cannot be sent as JSON"),
])
def test_a_wrong_value_is_named_with_its_path(value: Any, message: str) -> None:
    with pytest.raises(EncodeError) as caught:
        CLIENT.serialize(value)
    assert str(caught.value) == message


def test_nan_and_self_containing_models_are_refused_with_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"^ScimUserRoutingSkill: NaN and infinite floats cannot be sent as JSON$"):
        CLIENT.serialize(models.ScimUserRoutingSkill(name="x", proficiency=float("nan")))
    group = models.ScimV2Group(display_name="loop")
    group.members = [group]  # type: ignore[list-item]
    with pytest.raises(EncodeError, match=r"^ScimV2Group: nested too deeply \(does a model contain itself\?\)$"):
        CLIENT.serialize(group)


def test_a_request_body_is_sent_as_serialize_writes_it() -> None:
    body = models.ScimV2CreateUser(user_name="json.text@example.com", display_name="Jay Text", password="S3cret!pass",
                                   emails=[models.ScimEmail(value="json.text@example.com", type="work", primary=True)])
    with ScriptedServer(default=Reply.json({"id": "u1", "userName": "json.text@example.com"}, 201)) as server:
        with client_for(server) as client:
            created = SCIMApi(client).post_scim_v2_users(body)
            client.call_api("/api/v2/scim/v2/users", "POST", body=body, response_type="ScimV2User")
    assert created.user_name == "json.text@example.com"
    sent = [request.body for request in server.requests]
    assert sent == [CLIENT.serialize(body).encode()] * 2
    assert json.loads(sent[0])["emails"] == [{"value": "json.text@example.com", "type": "work", "primary": True}]


# -- property: every model class, filled with right, missing and wrong values ----------------------
def values_of(type_name: str, depth: int) -> st.SearchStrategy[Any]:
    """Values for a field of `type_name`: mostly right, sometimes None, sometimes the wrong
    type, sometimes a form the general road converts (tuples, dicts for models, datetimes)."""
    odd = st.sampled_from([None, 3, "x", True, 2.5, float("nan"), Stranger(), Kind.WORK])
    if type_name.startswith("list["):
        return st.one_of(st.lists(values_of(type_name[5:-1], depth + 1), max_size=3),
                         st.lists(values_of(type_name[5:-1], depth + 1), max_size=2).map(tuple), odd)
    if type_name.startswith("dict("):
        inner = type_name[type_name.index(",") + 1:-1].strip()
        return st.dictionaries(st.text(max_size=5), values_of(inner, depth + 1), max_size=2) | odd
    simple = {"str": st.text(max_size=8) | st.just(Kind.WORK), "int": st.integers(), "bool": st.booleans(),
              "float": st.floats(allow_nan=False) | st.integers(), "object": st.text(max_size=4) | st.integers(),
              "datetime": st.datetimes() | st.datetimes(timezones=st.just(dt.timezone.utc)) | st.just("2024-05-06Z"),
              "date": st.dates() | st.just("2024-05-06")}
    if type_name in simple:
        return st.one_of(simple[type_name], simple[type_name], odd)
    if depth > 2:
        return st.none()
    return st.one_of(model_of(resolve(type_name), depth + 1), st.just({"wire": "form"}), odd)


def model_of(cls: type[Model], depth: int = 0) -> st.SearchStrategy[Model]:
    fields = {f.attr: values_of(f.swagger_type, depth) for f in cls.fields}

    def build(chosen: dict[str, Any], extra: dict[str, Any] | None) -> Model:
        model = cls()
        for name, value in chosen.items():
            setattr(model, name, value)
        if extra is not None:
            model._extra = extra
        return model

    return st.builds(build, st.fixed_dictionaries({}, optional=fields),
                     st.none() | st.dictionaries(st.sampled_from(["urn:x", "zeta"]), st.integers(), max_size=2))


@PROPERTY
@given(st.data())
def test_any_model_is_written_as_the_dict_route_writes_it(data: st.DataObject) -> None:
    cls = resolve(data.draw(st.sampled_from(sorted(MODEL_NAMES))))
    value = data.draw(model_of(cls))
    same_as_the_dict_route(value)
    same_as_the_dict_route([value, value])

