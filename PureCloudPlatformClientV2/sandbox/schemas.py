"""Discovery documents (ServiceProviderConfig, ResourceTypes, Schemas) and attribute characteristics.

The schemas and resource types are those of the SCIM description (scim_schema.py), which
describes exactly what the sandbox supports; the server also reads it to decide which attributes
are read-only, multi-valued, always returned and compared case-exactly in filters. It is read at
each call, so a resource type replaced in `scim_schema.RESOURCE_TYPES` applies at once.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .. import scim_schema
from ..scim_schema import Attribute, Catalog
from ..urns import LIST_RESPONSE_URN, SERVICE_PROVIDER_CONFIG_URN

LIST_RESPONSE = LIST_RESPONSE_URN  # the name routes.py reads
SPC_VERSION = "1"  # the configuration never changes while the sandbox runs


def schema_documents(catalog: Catalog, base: str) -> list[dict[str, Any]]:
    """Every schema the sandbox serves, in /schemas order."""
    return [schema.document(catalog, base) for schema in scim_schema.schemas()]


def resource_type_documents(base: str) -> list[dict[str, Any]]:
    return [resource.document(base) for resource in scim_schema.RESOURCE_TYPES.values()]


def service_provider_config(base: str, max_results: int) -> dict[str, Any]:
    return {
        "schemas": [SERVICE_PROVIDER_CONFIG_URN],
        "documentationUri": "https://developer.genesys.cloud/useragentman/scim/",
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": max_results},
        "changePassword": {"supported": True},
        "sort": {"supported": False},
        "etag": {"supported": True},
        "authenticationSchemes": [{
            "type": "oauthbearertoken", "name": "OAuth Bearer Token", "primary": True,
            "description": "A client-credentials token from POST /oauth/token, or the sandbox's fixed token.",
            "specUri": "https://www.rfc-editor.org/rfc/rfc6750",
            "documentationUri": "https://developer.genesys.cloud/authorization/platform-auth/"}],
        "meta": {"resourceType": "ServiceProviderConfig", "location": f"{base}/serviceproviderconfig",
                 "version": SPC_VERSION},
    }


# -- characteristics ---------------------------------------------------------------------
def resource_type(kind: str) -> scim_schema.ResourceType:
    return scim_schema.RESOURCE_TYPES[kind]


def resource_kinds() -> tuple[str, ...]:
    return tuple(scim_schema.RESOURCE_TYPES)


def known_urns() -> tuple[str, ...]:
    """The core and extension schema URNs of every resource type (User, Group, extensions)."""
    return _known_urns(tuple(scim_schema.RESOURCE_TYPES.values()))


def extension_urns() -> tuple[str, ...]:
    return _extension_urns(tuple(scim_schema.RESOURCE_TYPES.values()))


@lru_cache(maxsize=8)
def _known_urns(types: tuple[scim_schema.ResourceType, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(urn for resource in types for urn in resource.urns))


@lru_cache(maxsize=8)
def _extension_urns(types: tuple[scim_schema.ResourceType, ...]) -> tuple[str, ...]:
    return tuple(e.urn for resource in types for e in resource.extensions)


def strip_urn(path: str) -> str:
    """`urn:…:enterprise:2.0:User:manager.value` -> `manager.value`; other paths unchanged."""
    lowered = path.lower()
    for urn in known_urns():
        if lowered.startswith(urn.lower() + ":"):
            return path[len(urn) + 1:]
    return path


def lookup(kind: str, path: str) -> Attribute | None:
    """The definition of a (sub-)attribute: `emails.value`, `urn:…:User:routingSkills.name`, `members[...]`."""
    return _lookup(tuple(scim_schema.RESOURCE_TYPES.items()), kind, path)


@lru_cache(maxsize=4096)  # filters ask for the same few paths once per resource and comparison
def _lookup(types: tuple[tuple[str, scim_schema.ResourceType], ...], kind: str, path: str) -> Attribute | None:
    clean = strip_urn(path)
    while "[" in clean:  # drop value filters: members[value eq "x"].value -> members.value
        start, end = clean.index("["), clean.find("]")
        clean = clean[:start] + (clean[end + 1:] if end != -1 else "")
    parts = [p for p in clean.lower().split(".") if p]
    if not parts:
        return None
    return dict(types)[kind].find(".".join(parts[:2]))


def is_read_only(kind: str, path: str) -> bool:
    """True for readOnly attributes and their sub-attributes (id, meta, user.groups)."""
    clean = strip_urn(path)
    head = re.split(r"[.\[]", clean, maxsplit=1)[0]
    return any(d is not None and d.mutability == "readOnly" for d in (lookup(kind, head), lookup(kind, clean)))


def is_case_exact(kind: str, path: str) -> bool:
    definition = lookup(kind, path)
    return bool(definition and definition.case_exact)


def is_multi_valued(kind: str, name: str) -> bool:
    """Whether a top-level attribute (of the core or an extension) holds a list."""
    definition = resource_type(kind).find(name.lower())
    return bool(definition and definition.multi_valued)


def always_returned(kind: str) -> tuple[str, ...]:
    return resource_type(kind).always_returned()
