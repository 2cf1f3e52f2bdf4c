"""The fast paths of _decode.py and _encode.py give the same results as the general ones (no timings here:
those are in bench/). Data: the shared realistic users of sandbox/fake.py."""

from __future__ import annotations

import copy
import datetime as dt
import json
import threading
from typing import Any

import pytest

from PureCloudPlatformClientV2 import ApiClient, models
from PureCloudPlatformClientV2._decode import DecodeError, decoder_for
from PureCloudPlatformClientV2._encode import EncodeError, to_json_data
from PureCloudPlatformClientV2._model import Model
from PureCloudPlatformClientV2.models import ScimEmail  # noqa: F401  # named by an annotation below
from PureCloudPlatformClientV2.sandbox.fake import make_users

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GENESYS = "urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User"
USERS = make_users(200, seed=7)


def page(users: list[dict[str, Any]]) -> dict[str, Any]:
    return {"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": len(users),
            "startIndex": 1, "itemsPerPage": len(users), "Resources": users}


def parsed(value: Any) -> Any:
    """Fresh parsed JSON, as a response gives it (decoders adopt their input)."""
    return json.loads(json.dumps(value))


def decode_error(type_name: str, data: Any) -> str:
    with pytest.raises(DecodeError) as caught:
        decoder_for(type_name)(data)
    return str(caught.value)


# -- round trips --------------------------------------------------------------------------------
def test_a_page_of_realistic_users_round_trips_exactly() -> None:
    decoded = decoder_for("ScimUserListResponse")(parsed(page(USERS)))
    assert decoded.to_wire() == page(USERS)
    assert ApiClient().sanitize_for_serialization(decoded.resources) == USERS
    assert json.loads(json.dumps(to_json_data(decoded))) == page(USERS)


def test_from_wire_leaves_the_callers_data_alone_and_equals_the_adopting_decoder() -> None:
    data = page(USERS[:20])
    before = copy.deepcopy(data)
    from_wire = models.ScimUserListResponse.from_wire(data)
    assert data == before
    assert from_wire == decoder_for("ScimUserListResponse")(parsed(data))


def test_deserialize_gives_typed_values_at_every_level() -> None:
    user = decoder_for("ScimV2User")(parsed(USERS[10]))
    assert isinstance(user.emails[0], models.ScimEmail) and user.emails[0].value == USERS[10]["emails"][0]["value"]
    assert isinstance(user.groups[0], models.ScimV2GroupReference) and user.groups[0].ref.startswith("https://")
    enterprise = user.urnietfparamsscimschemasextensionenterprise2_0_user
    assert isinstance(enterprise.manager, models.Manager) and enterprise.employee_number == "E100010"
    genesys = user.urnietfparamsscimschemasextensiongenesyspurecloud2_0_user
    assert all(isinstance(s, models.ScimUserRoutingLanguage) for s in genesys.routing_languages)
    assert user.meta.last_modified == dt.datetime(2024, 1, 1, 9, 10, tzinfo=dt.timezone.utc)


def test_null_items_and_values_and_ints_for_floats_are_kept() -> None:
    user = parsed(USERS[1])
    user["emails"].insert(1, None)
    user["phoneNumbers"][0]["type"] = None
    user[GENESYS]["routingSkills"] = [{"name": "Sales", "proficiency": 4}, None]
    decoded = decoder_for("ScimV2User")(user)
    assert decoded.emails[1] is None and decoded.phone_numbers[0].type is None
    skills = decoded.urnietfparamsscimschemasextensiongenesyspurecloud2_0_user.routing_skills
    assert skills[0].proficiency == 4 and type(skills[0].proficiency) is int and skills[1] is None
    wire = decoded.to_wire()
    assert wire["emails"][1] is None and "type" not in wire["phoneNumbers"][0]


def test_a_model_that_contains_itself_decodes_at_every_depth() -> None:
    leaf = {"name": "givenName", "type": "string"}
    data = {"name": "name", "type": "complex", "subAttributes": [{"name": "inner", "subAttributes": [leaf]}]}
    attribute = models.ScimV2SchemaAttribute.from_wire(data)
    assert attribute.sub_attributes[0].sub_attributes[0] == models.ScimV2SchemaAttribute(name="givenName",
                                                                                          type="string")
    assert attribute.to_wire() == data


def test_plans_compiled_by_racing_threads_decode_correctly() -> None:
    class Racer(Model):
        name: str | None = None
        emails: list[ScimEmail] | None = None
        itself: list[Racer] | None = None

    data = {"name": "a", "emails": [{"value": "a@b"}], "itself": [{"name": "b", "emails": []}]}
    results: list[Any] = []
    threads = [threading.Thread(target=lambda: results.append(Racer.from_wire(data))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8 and all(r.to_wire() == data for r in results)


# -- unknown attributes -------------------------------------------------------------------------
def test_unknown_attributes_are_kept_at_every_level_and_sent_back() -> None:
    user = parsed(USERS[3])
    user["urn:example:custom"] = {"badge": 7}
    user["emails"][0]["verified"] = True  # an item of a list of flat models: leaves the fast path
    user[ENTERPRISE]["costCenter"] = "CC-1"
    user[ENTERPRISE]["manager"]["displayName"] = "Boss"
    expected = copy.deepcopy(user)
    decoded = decoder_for("ScimV2User")(user)
    assert decoded._extra == {"urn:example:custom": {"badge": 7}}
    assert decoded.emails[0]._extra == {"verified": True} and decoded.emails[1]._extra is None
    assert decoded.urnietfparamsscimschemasextensionenterprise2_0_user._extra == {"costCenter": "CC-1"}
    assert decoded.to_wire() == expected


def test_an_unknown_key_named_like_a_method_does_not_hide_it() -> None:
    email = models.ScimEmail.from_wire({"value": "a@b", "to_dict": 1, "fields": 2, "_extra": 3})
    assert email.to_dict() == {"value": "a@b", "type": None, "primary": None}
    assert email._extra == {"to_dict": 1, "fields": 2, "_extra": 3}
    assert email.to_wire() == {"value": "a@b", "to_dict": 1, "fields": 2, "_extra": 3}


# -- errors name the path -----------------------------------------------------------------------
@pytest.mark.parametrize(("change", "where"), [
    (lambda u: u["emails"][1].update(value=5), "Resources[4].emails[1].value: expected str, got integer"),
    (lambda u: u["emails"][1].update(verified="x", value=5), "Resources[4].emails[1].value: expected str"),
    (lambda u: u[GENESYS]["routingSkills"].append({"proficiency": "high"}),
     f"Resources[4].{GENESYS}.routingSkills[{{n}}].proficiency: expected a number, got string"),
    (lambda u: u["schemas"].append(3), "Resources[4].schemas[3]: expected str, got integer"),
    (lambda u: u.update(emails={"value": "a"}), "Resources[4].emails: expected a JSON array, got object"),
    (lambda u: u["roles"].append("admin"), "Resources[4].roles[{n}]: expected a JSON object for ScimUserRole"),
    (lambda u: u["meta"].update(lastModified="yesterday"), "Resources[4].meta.lastModified: not an ISO 8601"),
    (lambda u: u.update(active="yes"), "Resources[4].active: expected bool, got string"),
])
def test_a_wrong_value_in_a_page_is_reported_with_its_path(change: Any, where: str) -> None:
    data = parsed(page(USERS[:6]))
    change(data["Resources"][4])
    n = len(data["Resources"][4][GENESYS]["routingSkills"]) - 1 if "routingSkills" in where else \
        len(data["Resources"][4]["roles"]) - 1
    assert decode_error("ScimUserListResponse", data).startswith(where.format(n=n))


def test_the_api_client_reports_the_path_in_a_malformed_response_error() -> None:
    from PureCloudPlatformClientV2.rest import ResponseFormatError

    class Canned:
        status, reason = 200, "OK"
        data = json.dumps(page([{**USERS[0], "emails": [{"value": 1}]}]))

        def getheaders(self) -> dict[str, str]:
            return {"Content-Type": "application/json"}

    with pytest.raises(ResponseFormatError) as caught:
        ApiClient().deserialize(Canned(), "ScimUserListResponse")
    assert "Resources[0].emails[0].value: expected str, got integer" in caught.value.reason


# -- the Python names over the JSON-keyed storage -----------------------------------------------
def test_renamed_fields_read_write_and_delete_through_their_python_names() -> None:
    user = models.ScimV2User(user_name="a@b", display_name="A")
    assert vars(user) == {"userName": "a@b", "displayName": "A"}
    user.external_id = "x-1"
    user.urnietfparamsscimschemasextensionenterprise2_0_user = models.ScimV2EnterpriseUser(division="Home")
    assert user.to_wire() == {"userName": "a@b", "displayName": "A", "externalId": "x-1",
                              ENTERPRISE: {"division": "Home"}}
    del user.display_name
    assert user.display_name is None and "displayName" not in user.to_wire()
    assert models.ScimV2User.user_name is None and models.ScimV2User().phone_numbers is None
    assert models.ScimV2User.attribute_map["user_name"] == "userName"
    assert models.ScimV2User.swagger_types["phone_numbers"] == "list[ScimPhoneNumber]"
    assert models.ScimV2GroupReference(ref="r").to_wire() == {"$ref": "r"}


def test_decoded_and_constructed_models_are_equal_and_print_the_same() -> None:
    decoded = models.ScimV2User.from_wire({"userName": "a@b", "emails": [{"value": "a@b", "type": "work"}]})
    built = models.ScimV2User(user_name="a@b", emails=[models.ScimEmail(value="a@b", type="work")])
    assert decoded == built and repr(decoded) == repr(built)
    assert built.to_dict()["emails"] == [{"value": "a@b", "type": "work", "primary": None}]


def test_a_password_is_redacted_whatever_the_storage() -> None:
    user = models.ScimV2CreateUser.from_wire({"userName": "a@b", "password": "Secret-1"})
    assert "Secret-1" not in repr(user) and "Secret-1" not in user.to_json()
    assert user.to_wire()["password"] == "Secret-1"


# -- encoding -----------------------------------------------------------------------------------
def test_flat_list_items_leave_out_none_and_send_extra() -> None:
    email = models.ScimEmail(value="a@b", type=None, primary=True)
    other = models.ScimEmail.from_wire({"value": "c@d", "label": "home"})
    user = models.ScimV2User(emails=[email, None, other], roles=[models.ScimUserRole(value="employee")])
    assert user.to_wire() == {"emails": [{"value": "a@b", "primary": True}, None, {"value": "c@d", "label": "home"}],
                              "roles": [{"value": "employee"}]}


def test_subclasses_dicts_tuples_and_str_subclasses_are_encoded_too() -> None:
    import enum

    class Op(str, enum.Enum):
        ADD = "add"

    request = models.ScimV2PatchRequest(operations=(models.PatchOperation(op=Op.ADD, path="title", value="x"),
                                                    {"op": "remove", "path": "title"}))
    assert to_json_data(request) == {"Operations": [{"op": Op.ADD, "path": "title", "value": "x"},
                                                    {"op": "remove", "path": "title"}]}
    assert json.loads(json.dumps(to_json_data(request)))["Operations"][0]["op"] == "add"


@pytest.mark.parametrize(("value", "message"), [
    (models.ScimV2User(emails=[models.ScimEmail(value=3)]), "ScimV2User.emails[0].value: expected str, got int"),
    (models.ScimV2User(emails=[models.ScimEmail(), "x"]), "ScimV2User.emails[1]: expected a model or dict, got str"),
    (models.ScimV2User(active=1), "ScimV2User.active: expected bool, got int"),
    (models.ScimV2User(schemas=["a", 2]), "ScimV2User.schemas[1]: expected str, got int"),
    (models.ScimV2User(emails="a@b"), "ScimV2User.emails: expected list or tuple, got str"),
    (models.ScimUserRoutingSkill(proficiency=True),
     "ScimUserRoutingSkill.proficiency: expected int or float, got bool"),
    (models.ScimV2User(meta=models.ScimMetadata(last_modified=3)),
     "ScimV2User.meta.last_modified: expected datetime, got int"),
])
def test_a_wrong_value_is_refused_before_sending_with_its_path(value: Model, message: str) -> None:
    with pytest.raises(TypeError) as caught:
        value.to_wire()
    assert isinstance(caught.value, EncodeError) and str(caught.value) == message


def test_the_path_of_a_wrong_value_starts_at_what_was_given() -> None:
    with pytest.raises(TypeError, match=r"^body\[1\]\.user_name: expected str, got int$"):
        to_json_data([models.ScimV2User(), models.ScimV2User(user_name=5)])
    with pytest.raises(TypeError, match=r"^value\['x'\]: object values cannot be sent as JSON$"):
        ApiClient().sanitize_for_serialization({"x": object()})


def test_datetimes_are_sent_in_utc_with_milliseconds() -> None:
    meta = models.ScimMetadata
    plus_two = dt.timezone(dt.timedelta(hours=2))
    assert meta(last_modified=dt.datetime(2024, 5, 6, 9, 8, 9, 123456, tzinfo=plus_two)).to_wire() == {
        "lastModified": "2024-05-06T07:08:09.123Z"}
    assert meta(last_modified=dt.datetime(2024, 5, 6, 7, 8, 9)).to_wire() == {
        "lastModified": "2024-05-06T07:08:09.000Z"}
    assert meta(last_modified="2024-05-06T07:08:09Z").to_wire() == {"lastModified": "2024-05-06T07:08:09Z"}
    assert to_json_data(dt.date(2024, 5, 6)) == "2024-05-06"
