"""The user columns name their attributes through the SCIM description (scim_schema.py)."""

from __future__ import annotations

import pytest

from PureCloudPlatformClientV2 import scim_schema
from PureCloudPlatformClientV2.cli import columns
from PureCloudPlatformClientV2.cli.export import USER_JSON_ATTRIBUTES
from PureCloudPlatformClientV2.urns import ENTERPRISE_USER_URN, GENESYS_USER_URN


def test_every_column_is_a_described_user_attribute() -> None:
    user = scim_schema.RESOURCE_TYPES["User"]
    for column in columns.COLUMNS:
        schema = user.extension(column.urn) if column.urn else user.schema
        assert schema is not None and schema.attribute(column.attr) is not None, column.name


def test_a_column_naming_an_undescribed_attribute_fails_when_declared() -> None:
    with pytest.raises(ValueError, match="the SCIM description has no attribute 'nickName' in the User schema"):
        columns.attribute_path(scim_schema.USER, "nickName")
    with pytest.raises(ValueError, match="no attribute 'title' in the EnterpriseUser schema"):
        columns.attribute_path(scim_schema.ENTERPRISE_USER, "title")
    with pytest.raises(ValueError, match=r"phoneNumbers.type is one of work, work2, .*, not 'fax'"):
        columns.TypedValueColumn("fax", "phoneNumbers", "fax", "Fax.")
    assert columns.attribute_path(scim_schema.GENESYS_USER, "routingSkills") == f"{GENESYS_USER_URN}:routingSkills"


def test_the_json_export_names_every_returned_user_attribute() -> None:
    assert sorted(USER_JSON_ATTRIBUTES) == sorted([
        "schemas", "userName", "displayName", "title", "active", "emails", "phoneNumbers", "externalId", "roles",
        "groups", ENTERPRISE_USER_URN, GENESYS_USER_URN])  # password is never returned; id and meta always are
