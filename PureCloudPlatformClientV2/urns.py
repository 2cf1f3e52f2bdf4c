"""Every SCIM URN the package names (RFC 7643/7644 and the Genesys extension), each declared
once: the models, filters, PATCH helpers, sandbox and CLI import them from here. No imports,
so any module may use it at no cost."""

# Resource schemas (RFC 7643 §8.7.1) and the two user extensions Genesys serves
USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_USER_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GENESYS_USER_URN = "urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User"

# Discovery schemas (RFC 7643 §8.7.2)
SERVICE_PROVIDER_CONFIG_URN = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE_URN = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA_URN = "urn:ietf:params:scim:schemas:core:2.0:Schema"

# Protocol messages (RFC 7644 §3.4.2, §3.5.2, §3.12)
LIST_RESPONSE_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_OP_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error"

# What every core schema URN starts with: a path under it names a core attribute
CORE_SCHEMA_PREFIX = "urn:ietf:params:scim:schemas:core:"

__all__ = [
    "USER_URN", "GROUP_URN", "ENTERPRISE_USER_URN", "GENESYS_USER_URN", "SERVICE_PROVIDER_CONFIG_URN",
    "RESOURCE_TYPE_URN", "SCHEMA_URN", "LIST_RESPONSE_URN", "PATCH_OP_URN", "ERROR_URN", "CORE_SCHEMA_PREFIX",
]
