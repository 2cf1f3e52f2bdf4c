"""The SCIM resources, described once: each schema's attributes with their SCIM characteristics
(RFC 7643 §2.2, §7), bound to the models that carry them.

The models declare names, JSON names and types; this module adds what only SCIM says
(mutability, returned, caseExact, uniqueness, required, canonical values, reference types,
descriptions) and the order /schemas lists attributes in. Each `Attribute` is bound to the model
field of the same JSON name when its `Schema` is made: type and multi-valuedness come from the
field, and a described attribute without a field fails right there, naming both.

Read by: the sandbox (its /schemas and /resourcetypes documents, which attributes it stores,
renders, treats as read-only, multi-valued, case-exact or always returned), the CLI's columns,
and tests/core/test_scim_schema.py, which checks that every model field is described.

Adding an attribute: declare the field on the model (and on `ScimV2CreateUser` for a user
attribute clients may write) and add its `Attribute` below. The sandbox then stores, returns and
lists it; a value rule beyond its type (a catalog, a default) goes in sandbox/users.py `RULES`.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from ._model import Field, Model, resolve
from .models.config import ScimConfigResourceType, ScimServiceProviderConfig, ScimV2SchemaDefinition
from .models.groups import ScimV2Group
from .models.users import ScimEmail, ScimPhoneNumber, ScimUserExtensions, ScimV2EnterpriseUser, ScimV2User
from .urns import (
    ENTERPRISE_USER_URN,
    GENESYS_USER_URN,
    GROUP_URN,
    RESOURCE_TYPE_URN,
    SCHEMA_URN,
    SERVICE_PROVIDER_CONFIG_URN,
    USER_URN,
)

Catalog = Mapping[str, Iterable[str]]  # kind ("roles", "skills", ...) -> the names the service knows

# Python types of model fields -> SCIM attribute types (a model class is "complex")
_SCIM_TYPES = {"str": "string", "bool": "boolean", "int": "integer", "float": "decimal", "datetime": "dateTime"}
MODEL_VALUES = ("<the values the model field's Literal allows>",)  # a `canonical=` that reads the model


def allowed_values(model: type[Model], attr: str) -> tuple[str, ...]:
    """The values a model field's `Literal` allows, e.g. the phone number types."""
    return next(f.allowed_values for f in model.fields if f.attr == attr)


EMAIL_TYPES = allowed_values(ScimEmail, "type")
PHONE_TYPES = allowed_values(ScimPhoneNumber, "type")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")  # what userName and the CLI's e-mail cells must match


def is_email(text: str) -> bool:
    return EMAIL_PATTERN.match(text) is not None


class Attribute:
    """One attribute or sub-attribute: its SCIM characteristics as declared, and once bound
    (`bound()`), the model field it is, its SCIM type and whether it is multi-valued.

    `canonical`: the canonical values (`MODEL_VALUES` = those of the field's Literal);
    `catalog`: instead, the names of a catalog kind the server seeds (roles, skills, ...);
    `refs`: the reference types of a `reference` attribute (the field is a `str`).
    """

    __slots__ = ("name", "required", "case_exact", "mutability", "returned", "uniqueness", "canonical",
                 "catalog", "reference_types", "description", "sub_attributes", "type", "multi_valued",
                 "field", "model")

    def __init__(self, name: str, *, required: bool = False, case_exact: bool = False,
                 mutability: str = "readWrite", returned: str = "default", uniqueness: str = "none",
                 canonical: tuple[str, ...] | None = None, catalog: str | None = None,
                 refs: tuple[str, ...] | None = None, description: str = "",
                 sub: tuple[Attribute, ...] | None = None) -> None:
        self.name, self.required, self.case_exact = name, required, case_exact
        self.mutability, self.returned, self.uniqueness = mutability, returned, uniqueness
        self.canonical, self.catalog, self.reference_types = canonical, catalog, refs
        self.description = description or name
        self.sub_attributes = sub
        self.type, self.multi_valued = "", False  # set by bound()
        self.field: Field | None = None
        self.model: type[Model] | None = None  # the model of a complex attribute's values

    def bound(self, owner: type[Model]) -> Attribute:
        """A copy bound to the field of `owner` whose JSON name is this attribute's name."""
        field = next((f for f in owner.fields if f.wire == self.name), None)
        if field is None:
            raise TypeError(f"the SCIM description (scim_schema.py) lists {self.name!r}, but {owner.__name__} has "
                            f"no field with that JSON name: declare it on the model or remove it from the description")
        copy = Attribute.__new__(Attribute)
        for slot in Attribute.__slots__:
            setattr(copy, slot, getattr(self, slot))
        item = field.swagger_type
        copy.field, copy.multi_valued = field, item.startswith("list[")
        item = item[5:-1] if copy.multi_valued else item
        if item in _SCIM_TYPES:
            if self.sub_attributes is not None:
                raise TypeError(f"{owner.__name__}.{field.attr} is a {item}, so {self.name!r} has no sub-attributes")
            copy.type = "reference" if self.reference_types is not None else _SCIM_TYPES[item]
        else:
            copy.type, copy.model = "complex", resolve(item)
            copy.sub_attributes = tuple(s.bound(copy.model) for s in self.sub_attributes or ())
        if self.canonical is MODEL_VALUES:
            copy.canonical = field.allowed_values
        elif (self.canonical is not None and field.allowed_values
              and not set(self.canonical) <= set(field.allowed_values)):
            raise TypeError(f"{owner.__name__}.{field.attr} allows {field.allowed_values}, not all of {self.canonical}")
        return copy

    @property
    def writable(self) -> bool:
        return self.mutability != "readOnly"

    def sub(self, name: str) -> Attribute | None:
        """A sub-attribute by name, case-insensitively (RFC 7643 §2.1)."""
        lowered = name.lower()
        return next((s for s in self.sub_attributes or () if s.name.lower() == lowered), None)

    def document(self, catalog: Catalog) -> dict[str, Any]:
        """The RFC 7643 §7 definition /schemas lists."""
        out: dict[str, Any] = {"name": self.name, "type": self.type, "multiValued": self.multi_valued,
                               "description": self.description, "required": self.required,
                               "caseExact": self.case_exact, "mutability": self.mutability,
                               "returned": self.returned, "uniqueness": self.uniqueness}
        if self.sub_attributes:
            out["subAttributes"] = [s.document(catalog) for s in self.sub_attributes]
        if self.catalog is not None:
            out["canonicalValues"] = list(catalog.get(self.catalog, ()))
        elif self.canonical is not None:
            out["canonicalValues"] = list(self.canonical)
        if self.reference_types is not None:
            out["referenceTypes"] = list(self.reference_types)
        return out


class Schema:
    """A schema: URN, name, and its attributes bound to `model`, in the order /schemas lists them.

    `common`: attributes the model carries that RFC 7643 §3.1 leaves out of schema documents
    (id, externalId, meta) plus `schemas`; described here so the server knows their
    characteristics too.
    """

    def __init__(self, urn: str, name: str, model: type[Model], attributes: tuple[Attribute, ...],
                 *, common: tuple[Attribute, ...] = ()) -> None:
        self.urn, self.name, self.model = urn, name, model
        self.attributes = tuple(a.bound(model) for a in attributes)
        self.common = tuple(a.bound(model) for a in common)
        self._by_name = {a.name.lower(): a for a in self.common + self.attributes}

    def attribute(self, name: str) -> Attribute | None:
        """A listed or common attribute by name, case-insensitively."""
        return self._by_name.get(name.lower())

    def document(self, catalog: Catalog, base: str) -> dict[str, Any]:
        return {"schemas": [SCHEMA_URN], "id": self.urn, "name": self.name, "description": f"{self.name} schema",
                "attributes": [a.document(catalog) for a in self.attributes],
                "meta": {"resourceType": "Schema", "location": f"{base}/schemas/{self.urn}"}}


class ResourceType:
    """A resource type: its core schema and extensions; the core model carries each extension
    as a field named by the extension's URN and typed by its model."""

    def __init__(self, name: str, endpoint: str, description: str, schema: Schema,
                 extensions: tuple[Schema, ...] = ()) -> None:
        self.name, self.endpoint, self.description = name, endpoint, description
        self.schema, self.extensions = schema, extensions
        self.model = schema.model
        for extension in extensions:
            field = next((f for f in self.model.fields if f.wire == extension.urn), None)
            if field is None or field.swagger_type != extension.model.__name__:
                raise TypeError(f"{self.model.__name__} needs a field with JSON name {extension.urn!r} "
                                f"of type {extension.model.__name__} for the {extension.name} extension")
        self._by_urn = {e.urn: e for e in extensions}
        self._index: dict[str, Attribute] | None = None

    def extension(self, urn: str) -> Schema | None:
        return self._by_urn.get(urn)

    @property
    def urns(self) -> tuple[str, ...]:
        return (self.schema.urn,) + tuple(e.urn for e in self.extensions)

    def find(self, path: str) -> Attribute | None:
        """`name` or `name.sub`, lower-cased, without URN: core and common attributes first,
        then the extensions' (Genesys accepts `manager` for the enterprise `manager`)."""
        if self._index is None:
            index: dict[str, Attribute] = {}
            for attribute in self.schema.common + self.schema.attributes + tuple(
                    a for e in self.extensions for a in e.attributes):
                index.setdefault(attribute.name.lower(), attribute)
                for sub in attribute.sub_attributes or ():
                    index.setdefault(f"{attribute.name}.{sub.name}".lower(), sub)
            self._index = index
        return self._index.get(path)

    def returned_names(self) -> tuple[str, ...]:
        """The JSON name of every attribute a resource may return, in the model's order
        (an extension by its URN); never-returned ones (password) left out."""
        names = []
        for field in self.model.fields:
            attribute = self.schema.attribute(field.wire)
            if field.wire in self._by_urn or (attribute is not None and attribute.returned != "never"):
                names.append(field.wire)
        return tuple(names)

    def always_returned(self) -> tuple[str, ...]:
        """The top-level attributes returned even when `attributes=` leaves them out."""
        return tuple(a.name for a in self.schema.common + self.schema.attributes if a.returned == "always")

    def document(self, base: str) -> dict[str, Any]:
        return {"schemas": [RESOURCE_TYPE_URN], "id": self.name, "name": self.name, "endpoint": self.endpoint,
                "description": self.description, "schema": self.schema.urn,
                "schemaExtensions": [{"schema": e.urn, "required": False} for e in self.extensions],
                "meta": {"resourceType": "ResourceType", "location": f"{base}/resourcetypes/{self.name}"}}


# -- the resources -----------------------------------------------------------------------------
_META = Attribute("meta", mutability="readOnly", returned="always", sub=tuple(
    Attribute(name, mutability="readOnly") for name in ("resourceType", "lastModified", "location", "version")))
# clients send `schemas` (even inside extension objects); the server sets it
_SCHEMAS = Attribute("schemas", returned="always")
_COMMON = (Attribute("id", case_exact=True, mutability="readOnly", returned="always"),
           Attribute("externalId", case_exact=True), _META, _SCHEMAS)


def _typed_values(value_description: str) -> tuple[Attribute, ...]:
    return (Attribute("value", description=value_description), Attribute("type", canonical=MODEL_VALUES),
            Attribute("primary"))


def _named_levels(kind: str, catalog: str) -> tuple[Attribute, ...]:
    return (Attribute("name", required=True, case_exact=True, catalog=catalog,
                      description=f"{kind} name (case-sensitive)"),
            Attribute("proficiency", description="0.0 to 5.0"))


USER = Schema(USER_URN, "User", ScimV2User, (
    Attribute("userName", required=True, uniqueness="server", returned="always",
              description="The user's e-mail address; unique among users that are not deleted."),
    Attribute("displayName", required=True, description="The user's name in Genesys Cloud."),
    Attribute("active", returned="always", description="true = active, false = inactive."),
    Attribute("password", mutability="writeOnly", returned="never", description="Never returned."),
    Attribute("title"),
    Attribute("emails", sub=_typed_values("E-mail address"),
              description="type 'other' is computed from userName and cannot be written."),
    Attribute("phoneNumbers", sub=_typed_values("E.164 number or tel URI")),
    Attribute("groups", mutability="readOnly", description="Computed from group membership; change it through /groups.",
              sub=(Attribute("value", mutability="readOnly", case_exact=True),
                   Attribute("$ref", mutability="readOnly", refs=("Group",)),
                   Attribute("type", mutability="readOnly", canonical=("Group",)))),
    Attribute("roles", description="Genesys role names.", sub=(Attribute("value", catalog="roles"),)),
), common=_COMMON)

ENTERPRISE_USER = Schema(ENTERPRISE_USER_URN, "EnterpriseUser", ScimV2EnterpriseUser, (
    Attribute("employeeNumber"),
    Attribute("department"),
    Attribute("division", catalog="divisions", description="Division name; default Home."),
    Attribute("manager", description="The manager's user id.",
              sub=(Attribute("value", case_exact=True), Attribute("$ref", refs=("User",)))),
    Attribute("dateHire", description="Accepts ISO-8601; returned as YYYY-MM-DD."),
))

GENESYS_USER = Schema(GENESYS_USER_URN, "GenesysUser", ScimUserExtensions, (
    Attribute("routingSkills", sub=_named_levels("Skill", "skills")),
    Attribute("routingLanguages", sub=_named_levels("Language", "languages")),
    Attribute("externalIds", sub=(Attribute("authority", required=True, case_exact=True),
                                  Attribute("value", required=True, case_exact=True))),
))

GROUP = Schema(GROUP_URN, "Group", ScimV2Group, (
    Attribute("displayName", required=True, uniqueness="server"),
    Attribute("members", sub=(Attribute("value", mutability="immutable", case_exact=True),
                              Attribute("$ref", mutability="immutable", refs=("User",)),
                              Attribute("type", mutability="immutable", canonical=("User",)))),
), common=_COMMON)


# -- the discovery schemas (RFC 7643 §8.7.2); everything in them is read-only ---------------------------
def _ro(name: str, **characteristics: Any) -> Attribute:
    return Attribute(name, mutability="readOnly", **characteristics)


_SUPPORTED = _ro("supported", required=True)
_CHARACTERISTICS = tuple(_ro(name) for name in (
    "name", "type", "multiValued", "description", "required", "canonicalValues", "caseExact", "mutability",
    "returned", "uniqueness", "referenceTypes"))
_DISCOVERY_COMMON = (_SCHEMAS, _META)

SERVICE_PROVIDER_CONFIG = Schema(SERVICE_PROVIDER_CONFIG_URN, "Service Provider Configuration",
                                 ScimServiceProviderConfig, (
    _ro("documentationUri", refs=("external",)),
    *(_ro(name, required=True, sub=(_SUPPORTED,)) for name in ("patch", "etag", "sort", "changePassword")),
    _ro("bulk", required=True, sub=(_SUPPORTED, _ro("maxOperations", required=True),
                                    _ro("maxPayloadSize", required=True))),
    _ro("filter", required=True, sub=(_SUPPORTED, _ro("maxResults", required=True))),
    _ro("authenticationSchemes", required=True, sub=(
        _ro("type", required=True), _ro("name", required=True), _ro("description", required=True),
        _ro("specUri", refs=("external",)), _ro("documentationUri", refs=("external",)), _ro("primary"))),
), common=_DISCOVERY_COMMON)

RESOURCE_TYPE = Schema(RESOURCE_TYPE_URN, "ResourceType", ScimConfigResourceType, (
    _ro("id"), _ro("name", required=True), _ro("description"),
    _ro("endpoint", required=True, refs=("uri",)),
    _ro("schema", required=True, case_exact=True, refs=("uri",)),
    _ro("schemaExtensions", sub=(_ro("schema", required=True, case_exact=True, refs=("uri",)),
                                 _ro("required", required=True))),
), common=_DISCOVERY_COMMON)

SCHEMA = Schema(SCHEMA_URN, "Schema", ScimV2SchemaDefinition, (
    _ro("id", required=True), _ro("name"), _ro("description"),
    # two levels, as RFC 7643 §8.7.2 describes them (the model nests without end)
    _ro("attributes", required=True, sub=_CHARACTERISTICS + (_ro("subAttributes", sub=_CHARACTERISTICS),)),
), common=(_META,))

DISCOVERY_SCHEMAS = (SERVICE_PROVIDER_CONFIG, RESOURCE_TYPE, SCHEMA)

RESOURCE_TYPES: dict[str, ResourceType] = {
    "User": ResourceType("User", "/users", "A Genesys Cloud user", USER, (ENTERPRISE_USER, GENESYS_USER)),
    "Group": ResourceType("Group", "/groups", "A Genesys Cloud group (membership only)", GROUP),
}


def schemas() -> list[Schema]:
    """Every schema, in /schemas order: the resources' core schemas, their extensions, discovery."""
    types = list(RESOURCE_TYPES.values())
    return [t.schema for t in types] + [e for t in types for e in t.extensions] + list(DISCOVERY_SCHEMAS)

__all__ = [
    "Attribute", "Schema", "ResourceType", "Catalog", "schemas", "allowed_values", "is_email",
    "USER", "ENTERPRISE_USER", "GENESYS_USER", "GROUP", "SERVICE_PROVIDER_CONFIG", "RESOURCE_TYPE", "SCHEMA",
    "DISCOVERY_SCHEMAS", "RESOURCE_TYPES", "EMAIL_TYPES", "PHONE_TYPES", "EMAIL_PATTERN",
]
