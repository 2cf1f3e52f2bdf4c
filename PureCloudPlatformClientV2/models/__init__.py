"""Every model of the SCIM API, importable as `PureCloudPlatformClientV2.models.<Name>`."""

from __future__ import annotations

from .common import ScimMetadata, ScimV2GroupReference, ScimV2MemberReference
from .config import (
    ScimConfigResourceType,
    ScimConfigResourceTypeSchemaExtension,
    ScimServiceProviderConfig,
    ScimServiceProviderConfigAuthenticationScheme,
    ScimServiceProviderConfigBulkFeature,
    ScimServiceProviderConfigFilterFeature,
    ScimServiceProviderConfigSimpleFeature,
    ScimV2SchemaAttribute,
    ScimV2SchemaDefinition,
)
from .groups import ScimV2Group
from .messages import (
    Detail,
    Empty,
    ErrorBody,
    Limit,
    PatchOperation,
    PatchRequest,
    ScimConfigResourceTypesListResponse,
    ScimError,
    ScimGroupListResponse,
    ScimListResponse,
    ScimUserListResponse,
    ScimV2PatchOperation,
    ScimV2PatchRequest,
    ScimV2SchemaListResponse,
)
from .users import (
    Manager,
    ScimEmail,
    ScimGenesysUserExternalId,
    ScimPhoneNumber,
    ScimUserExtensions,
    ScimUserRole,
    ScimUserRoutingLanguage,
    ScimUserRoutingSkill,
    ScimV2CreateUser,
    ScimV2EnterpriseUser,
    ScimV2User,
)

__all__ = [
    "Detail", "Empty", "ErrorBody", "Limit", "Manager", "PatchOperation", "PatchRequest",
    "ScimConfigResourceType", "ScimConfigResourceTypeSchemaExtension",
    "ScimConfigResourceTypesListResponse", "ScimEmail", "ScimError", "ScimGenesysUserExternalId",
    "ScimGroupListResponse", "ScimListResponse", "ScimMetadata", "ScimPhoneNumber",
    "ScimServiceProviderConfig", "ScimServiceProviderConfigAuthenticationScheme",
    "ScimServiceProviderConfigBulkFeature", "ScimServiceProviderConfigFilterFeature",
    "ScimServiceProviderConfigSimpleFeature", "ScimUserExtensions", "ScimUserListResponse",
    "ScimUserRole", "ScimUserRoutingLanguage", "ScimUserRoutingSkill", "ScimV2CreateUser",
    "ScimV2EnterpriseUser", "ScimV2Group", "ScimV2GroupReference", "ScimV2MemberReference",
    "ScimV2PatchOperation", "ScimV2PatchRequest", "ScimV2SchemaAttribute", "ScimV2SchemaDefinition",
    "ScimV2SchemaListResponse", "ScimV2User",
]


def _register_official_module_paths() -> None:
    """Make `from PureCloudPlatformClientV2.models.scim_v2_user import ScimV2User` and
    `PureCloudPlatformClientV2.models.scim_v2_user.ScimV2User` work, as with the official SDK's
    one-module-per-class layout, without 38 files: aliases in sys.modules and attributes here."""
    import sys
    from types import ModuleType

    for name in __all__:
        snake = "".join("_" + c.lower() if c.isupper() and i else c.lower() for i, c in enumerate(name))
        alias = ModuleType(f"{__name__}.{snake}", f"The official module path of {name}.")
        setattr(alias, name, globals()[name])
        sys.modules[alias.__name__] = alias
        globals()[snake] = alias


_register_official_module_paths()
