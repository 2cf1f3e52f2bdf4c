"""User models: the SCIM user, its multi-valued parts and the enterprise/Genesys extensions."""

from __future__ import annotations

from typing import Literal

from .._model import Model, field
from ..urns import ENTERPRISE_USER_URN, GENESYS_USER_URN
from ..urns import USER_URN as USER_URN  # noqa: F401  # this module named it first
from .common import ScimMetadata, ScimV2GroupReference


class ScimEmail(Model):
    """An e-mail address; type `other` is the main address and equals `userName`."""

    value: str | None = None
    type: Literal["work", "other"] | None = None
    primary: bool | None = None


class ScimPhoneNumber(Model):
    """A phone number in E.164 or tel-URI form (`tel:+13175550123;ext=4567`)."""

    value: str | None = None
    type: Literal[
        "work", "work2", "work3", "work4", "home", "mobile", "other",
        "microsoftteams", "zoomphone", "eightbyeight", "ringcentral",
    ] | None = None
    primary: bool | None = None


class ScimUserRole(Model):
    """A role granted to the user, by Genesys role name."""

    value: str | None = None


class Manager(Model):
    """The user's manager: `value` is the manager's user id."""

    value: str | None = None
    ref: str | None = field(default=None, wire="$ref")


class ScimV2EnterpriseUser(Model):
    """The enterprise extension; `division` is a division name, `dateHire` is YYYY-MM-DD."""

    division: str | None = None
    department: str | None = None
    manager: Manager | None = None
    employee_number: str | None = None
    date_hire: str | None = None


class ScimUserRoutingSkill(Model):
    """A routing skill by its case-sensitive name, proficiency 0.0 to 5.0."""

    name: str | None = None
    proficiency: float | None = None


class ScimUserRoutingLanguage(Model):
    """A routing language by its case-sensitive name, proficiency 0.0 to 5.0."""

    name: str | None = None
    proficiency: float | None = None


class ScimGenesysUserExternalId(Model):
    """An external identifier of the user under an authority."""

    authority: str | None = None
    value: str | None = None


class ScimUserExtensions(Model):
    """The Genesys extension: routing skills and languages, external ids."""

    routing_skills: list[ScimUserRoutingSkill] | None = None
    routing_languages: list[ScimUserRoutingLanguage] | None = None
    external_ids: list[ScimGenesysUserExternalId] | None = None


class ScimV2CreateUser(Model):
    """The body of a user creation; `user_name` and `display_name` are required."""

    schemas: list[str] | None = None
    active: bool | None = None
    user_name: str | None = None
    display_name: str | None = None
    password: str | None = field(default=None, secret=True)
    title: str | None = None
    phone_numbers: list[ScimPhoneNumber] | None = None
    emails: list[ScimEmail] | None = None
    external_id: str | None = None
    groups: list[ScimV2GroupReference] | None = None
    roles: list[ScimUserRole] | None = None
    urnietfparamsscimschemasextensionenterprise2_0_user: ScimV2EnterpriseUser | None = field(
        default=None, wire=ENTERPRISE_USER_URN
    )
    urnietfparamsscimschemasextensiongenesyspurecloud2_0_user: ScimUserExtensions | None = field(
        default=None, wire=GENESYS_USER_URN
    )


class ScimV2User(Model):
    """A user as Genesys returns it; `password` is write-only and never returned."""

    id: str | None = None
    schemas: list[str] | None = None
    active: bool | None = None
    user_name: str | None = None
    display_name: str | None = None
    password: str | None = field(default=None, secret=True)
    title: str | None = None
    phone_numbers: list[ScimPhoneNumber] | None = None
    emails: list[ScimEmail] | None = None
    external_id: str | None = None
    groups: list[ScimV2GroupReference] | None = None
    roles: list[ScimUserRole] | None = None
    urnietfparamsscimschemasextensionenterprise2_0_user: ScimV2EnterpriseUser | None = field(
        default=None, wire=ENTERPRISE_USER_URN
    )
    urnietfparamsscimschemasextensiongenesyspurecloud2_0_user: ScimUserExtensions | None = field(
        default=None, wire=GENESYS_USER_URN
    )
    meta: ScimMetadata | None = None
