"""Discovery models: service provider configuration, resource types and schema definitions."""

from __future__ import annotations

from typing import Literal

from .._model import Model
from .common import ScimMetadata


class ScimServiceProviderConfigSimpleFeature(Model):
    """A feature that is simply supported or not."""

    supported: bool | None = None


class ScimServiceProviderConfigFilterFeature(Model):
    """Filtering support and the largest page the service returns."""

    supported: bool | None = None
    max_results: int | None = None


class ScimServiceProviderConfigBulkFeature(Model):
    """Bulk support (Genesys offers none)."""

    supported: bool | None = None
    max_operations: int | None = None
    max_payload_size: int | None = None


class ScimServiceProviderConfigAuthenticationScheme(Model):
    """An authentication scheme the service accepts."""

    name: str | None = None
    description: str | None = None
    spec_uri: str | None = None
    documentation_uri: str | None = None
    type: Literal["oauth", "oauth2", "oauthbearertoken", "httpbasic", "httpdigest"] | None = None
    primary: bool | None = None


class ScimServiceProviderConfig(Model):
    """What the SCIM service supports (PATCH, ETags, filters, ...)."""

    schemas: list[str] | None = None
    documentation_uri: str | None = None
    patch: ScimServiceProviderConfigSimpleFeature | None = None
    filter: ScimServiceProviderConfigFilterFeature | None = None
    etag: ScimServiceProviderConfigSimpleFeature | None = None
    sort: ScimServiceProviderConfigSimpleFeature | None = None
    bulk: ScimServiceProviderConfigBulkFeature | None = None
    change_password: ScimServiceProviderConfigSimpleFeature | None = None
    authentication_schemes: list[ScimServiceProviderConfigAuthenticationScheme] | None = None
    meta: ScimMetadata | None = None


class ScimConfigResourceTypeSchemaExtension(Model):
    """A schema extension of a resource type."""

    schema: str | None = None
    required: bool | None = None


class ScimConfigResourceType(Model):
    """A resource type (User, Group) and where it is served."""

    id: str | None = None
    schemas: list[str] | None = None
    name: str | None = None
    description: str | None = None
    schema: str | None = None
    schema_extensions: list[ScimConfigResourceTypeSchemaExtension] | None = None
    endpoint: str | None = None
    meta: ScimMetadata | None = None


class ScimV2SchemaAttribute(Model):
    """One attribute of a schema, with its SCIM characteristics."""

    name: str | None = None
    type: Literal["string", "boolean", "decimal", "integer", "dateTime", "reference", "complex"] | None = None
    sub_attributes: list[ScimV2SchemaAttribute] | None = None
    multi_valued: bool | None = None
    description: str | None = None
    required: bool | None = None
    canonical_values: list[str] | None = None
    case_exact: bool | None = None
    mutability: Literal["readWrite", "readOnly", "immutable", "writeOnly"] | None = None
    returned: Literal["always", "never", "default", "request"] | None = None
    uniqueness: Literal["none", "server", "global"] | None = None
    reference_types: list[str] | None = None


class ScimV2SchemaDefinition(Model):
    """A schema: its id (URN), name and attributes."""

    id: str | None = None
    name: str | None = None
    description: str | None = None
    attributes: list[ScimV2SchemaAttribute] | None = None
    meta: ScimMetadata | None = None
