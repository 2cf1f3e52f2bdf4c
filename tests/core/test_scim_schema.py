"""The SCIM description (scim_schema.py) and the models cover each other: every field of a
resource's model (and of the models of its complex attributes and extensions) is described, and
every described attribute is a model field. A failure says what to add where."""

from __future__ import annotations

from typing import Any, Iterator

import pytest

from PureCloudPlatformClientV2 import scim_schema
from PureCloudPlatformClientV2._model import Model
from PureCloudPlatformClientV2.models import ScimEmail, ScimPhoneNumber, ScimV2CreateUser, ScimV2User
from PureCloudPlatformClientV2.scim_schema import Attribute, ResourceType, Schema
from PureCloudPlatformClientV2.urns import USER_URN

# Deliberately undescribed: the Schema schema describes two levels of attributes, as RFC 7643 §8.7.2 does,
# while its model nests without end.
NOT_DESCRIBED = {"Schema: attributes.subAttributes.subAttributes"}


def undescribed(schema: Schema, extensions: tuple[Schema, ...] = ()) -> list[str]:
    """One line per model field the schema does not describe, naming the model field and the fix."""
    urns = {e.urn for e in extensions}
    problems = []
    for field in schema.model.fields:
        if field.wire in urns:
            continue  # an extension's object: its own schema describes it
        attribute = schema.attribute(field.wire)
        if attribute is None:
            problems.append(_missing(schema, schema.model, field.attr, field.wire, ""))
        else:
            problems += _undescribed_subs(schema, attribute, attribute.name)
    return [p for p in problems if not any(p.startswith(_where(n)) for n in NOT_DESCRIBED)]


def _where(not_described: str) -> str:
    schema, path = not_described.split(": ")
    return f"{schema} schema, {path}:"


def _undescribed_subs(schema: Schema, attribute: Attribute, path: str) -> list[str]:
    if attribute.model is None:
        return []
    problems = []
    for field in attribute.model.fields:
        sub = attribute.sub(field.wire)
        if sub is None:
            problems.append(_missing(schema, attribute.model, field.attr, field.wire, f"{path}."))
        else:
            problems += _undescribed_subs(schema, sub, f"{path}.{sub.name}")
    return problems


def _missing(schema: Schema, model: type[Model], attr: str, wire: str, parent: str) -> str:
    place = f"the sub-attributes of {parent.rstrip('.')!r}" if parent else "its attributes"
    return (f"{schema.name} schema, {parent}{wire}: {model.__name__}.{attr} is not in the SCIM description; add "
            f"Attribute({wire!r}, ...) to {place} in PureCloudPlatformClientV2/scim_schema.py (the sandbox then "
            f"stores, returns and lists it; a check beyond its type goes in sandbox/users.py or groups.py RULES)")


def every_schema() -> Iterator[tuple[Schema, tuple[Schema, ...]]]:
    for resource in scim_schema.RESOURCE_TYPES.values():
        yield resource.schema, resource.extensions
        for extension in resource.extensions:
            yield extension, ()
    for schema in scim_schema.DISCOVERY_SCHEMAS:
        yield schema, ()


@pytest.mark.parametrize("schema, extensions", list(every_schema()), ids=lambda s: getattr(s, "name", ""))
def test_every_model_field_is_described(schema: Schema, extensions: tuple[Schema, ...]) -> None:
    assert undescribed(schema, extensions) == []


def test_a_field_added_to_a_model_only_is_named_with_the_place_to_describe_it() -> None:
    class NicknamedUser(ScimV2User):
        nick_name: str | None = None

    try:
        user = scim_schema.RESOURCE_TYPES["User"]
        schema = Schema(USER_URN, "User", NicknamedUser, user.schema.attributes, common=user.schema.common)
        assert undescribed(schema, user.extensions) == [
            "User schema, nickName: NicknamedUser.nick_name is not in the SCIM description; add "
            "Attribute('nickName', ...) to its attributes in PureCloudPlatformClientV2/scim_schema.py (the sandbox "
            "then stores, returns and lists it; a check beyond its type goes in sandbox/users.py or groups.py RULES)"]
    finally:
        from PureCloudPlatformClientV2._model import REGISTRY

        del REGISTRY["NicknamedUser"]


def test_a_described_attribute_without_a_model_field_fails_naming_both() -> None:
    with pytest.raises(TypeError, match=r"lists 'nickName', but ScimV2User has no field with that JSON name"):
        Schema(USER_URN, "User", ScimV2User, (Attribute("nickName"),))
    with pytest.raises(TypeError, match=r"ScimEmail\.value is a str, so 'value' has no sub-attributes"):
        Schema(USER_URN, "User", ScimEmail, (Attribute("value", sub=(Attribute("x"),)),))
    with pytest.raises(TypeError, match=r"ScimEmail.type allows \('work', 'other'\), not all of \('home',\)"):
        Schema(USER_URN, "User", ScimEmail, (Attribute("type", canonical=("home",)),))


def test_an_extension_needs_its_field_on_the_core_model() -> None:
    user = scim_schema.RESOURCE_TYPES["User"]
    with pytest.raises(TypeError, match=r"ScimV2Group needs a field with JSON name "
                                        r"'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'"):
        ResourceType("Group", "/groups", "", scim_schema.GROUP, user.extensions)


def test_the_creation_model_carries_every_user_attribute_but_the_server_set_ones() -> None:
    # a user attribute clients may write must be declared on both models
    user = {f.wire: f.swagger_type for f in ScimV2User.fields if f.wire not in ("id", "meta")}
    create = {f.wire: f.swagger_type for f in ScimV2CreateUser.fields}
    assert create == user, "ScimV2CreateUser and ScimV2User must declare the same writable fields"


def test_types_and_multi_valuedness_come_from_the_models() -> None:
    user = scim_schema.RESOURCE_TYPES["User"]
    emails = user.schema.attribute("emails")
    assert emails is not None and emails.multi_valued and emails.type == "complex" and emails.model is ScimEmail
    assert [(s.name, s.type) for s in emails.sub_attributes or ()] == [
        ("value", "string"), ("type", "string"), ("primary", "boolean")]
    skills = user.extension(scim_schema.GENESYS_USER.urn)
    assert skills is not None
    proficiency = skills.attribute("routingSkills").sub("proficiency")  # type: ignore[union-attr]
    assert proficiency is not None and proficiency.type == "decimal" and not proficiency.multi_valued
    manager_ref = scim_schema.ENTERPRISE_USER.attribute("manager").sub("$ref")  # type: ignore[union-attr]
    assert manager_ref is not None and manager_ref.type == "reference" and manager_ref.reference_types == ("User",)


def test_phone_and_email_types_are_the_models_literals() -> None:
    def literal(model: type[Model]) -> Any:
        return next(f.allowed_values for f in model.fields if f.attr == "type")

    assert scim_schema.PHONE_TYPES == literal(ScimPhoneNumber) and "microsoftteams" in scim_schema.PHONE_TYPES
    assert scim_schema.EMAIL_TYPES == literal(ScimEmail) == ("work", "other")
    phone_type = scim_schema.USER.attribute("phoneNumbers").sub("type")  # type: ignore[union-attr]
    assert phone_type is not None and phone_type.canonical == scim_schema.PHONE_TYPES


@pytest.mark.parametrize("text, ok", [("ada@example.com", True), ("a.b@c.co.uk", True), ("ada", False),
                                      ("ada@example", False), ("a da@example.com", False), ("@example.com", False)])
def test_one_email_rule(text: str, ok: bool) -> None:
    assert scim_schema.is_email(text) is ok


def test_the_description_imports_no_third_party_module_nor_the_sandbox() -> None:
    import subprocess
    import sys

    code = ("import sys, PureCloudPlatformClientV2.scim_schema; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('urllib3', 'certifi', 'click', 'rich') "
            "or m.startswith(('PureCloudPlatformClientV2.sandbox', 'PureCloudPlatformClientV2.cli'))))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"
