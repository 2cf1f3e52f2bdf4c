"""Discovery documents (ServiceProviderConfig, ResourceTypes, Schemas) and attribute characteristics.

The schemas describe exactly what the sandbox supports; the server also reads them to decide
which attributes are read-only and which compare case-exactly in filters.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from ..urns import ENTERPRISE_USER_URN as ENTERPRISE
from ..urns import GENESYS_USER_URN as GENESYS
from ..urns import GROUP_URN as GROUP
from ..urns import LIST_RESPONSE_URN
from ..urns import RESOURCE_TYPE_URN as RESOURCE_TYPE
from ..urns import SCHEMA_URN as SCHEMA
from ..urns import SERVICE_PROVIDER_CONFIG_URN as SPC
from ..urns import USER_URN as USER

LIST_RESPONSE = LIST_RESPONSE_URN  # the name routes.py reads
EXTENSIONS = (ENTERPRISE, GENESYS)
KNOWN_URNS = (USER, GROUP, ENTERPRISE, GENESYS)

EMAIL_TYPES = ("work", "other")
PHONE_TYPES = ("work", "work2", "work3", "work4", "home", "mobile", "other",
               "microsoftteams", "zoomphone", "eightbyeight", "ringcentral")
SPC_VERSION = "1"  # the configuration never changes while the sandbox runs

Catalog = Mapping[str, Iterable[str]]  # kind ("roles", "skills", ...) -> names


def attr(name: str, type: str = "string", *, multi: bool = False, required: bool = False,
         case_exact: bool = False, mutability: str = "readWrite", returned: str = "default",
         uniqueness: str = "none", sub: list[dict[str, Any]] | None = None,
         canonical: Iterable[str] | None = None, refs: list[str] | None = None,
         description: str = "") -> dict[str, Any]:
    """One attribute definition in RFC 7643 §7 form."""
    out: dict[str, Any] = {"name": name, "type": type, "multiValued": multi, "description": description or name,
                           "required": required, "caseExact": case_exact, "mutability": mutability,
                           "returned": returned, "uniqueness": uniqueness}
    if sub is not None:
        out["subAttributes"] = sub
    if canonical is not None:
        out["canonicalValues"] = list(canonical)
    if refs is not None:
        out["referenceTypes"] = refs
    return out


def _typed_values(types: Iterable[str], value_desc: str) -> list[dict[str, Any]]:
    return [attr("value", description=value_desc), attr("type", canonical=types),
            attr("primary", "boolean")]


def _user(catalog: Catalog) -> list[dict[str, Any]]:
    return [
        attr("userName", required=True, uniqueness="server", returned="always",
             description="The user's e-mail address; unique among users that are not deleted."),
        attr("displayName", required=True, description="The user's name in Genesys Cloud."),
        attr("active", "boolean", returned="always", description="true = active, false = inactive."),
        attr("password", mutability="writeOnly", returned="never", description="Never returned."),
        attr("title"),
        attr("emails", "complex", multi=True, sub=_typed_values(EMAIL_TYPES, "E-mail address"),
             description="type 'other' is computed from userName and cannot be written."),
        attr("phoneNumbers", "complex", multi=True, sub=_typed_values(PHONE_TYPES, "E.164 number or tel URI")),
        attr("groups", "complex", multi=True, mutability="readOnly",
             description="Computed from group membership; change it through /groups.",
             sub=[attr("value", mutability="readOnly", case_exact=True),
                  attr("$ref", "reference", mutability="readOnly", refs=["Group"]),
                  attr("type", mutability="readOnly", canonical=["Group"])]),
        attr("roles", "complex", multi=True, description="Genesys role names.",
             sub=[attr("value", canonical=catalog.get("roles", ()))]),
    ]


def _enterprise(catalog: Catalog) -> list[dict[str, Any]]:
    return [
        attr("employeeNumber"),
        attr("department"),
        attr("division", canonical=catalog.get("divisions", ()), description="Division name; default Home."),
        attr("manager", "complex", description="The manager's user id.",
             sub=[attr("value", case_exact=True), attr("$ref", "reference", refs=["User"])]),
        attr("dateHire", description="Accepts ISO-8601; returned as YYYY-MM-DD."),
    ]


def _named_levels(kind: str, names: Iterable[str]) -> list[dict[str, Any]]:
    return [attr("name", required=True, case_exact=True, canonical=names, description=f"{kind} name (case-sensitive)"),
            attr("proficiency", "decimal", description="0.0 to 5.0")]


def _genesys(catalog: Catalog) -> list[dict[str, Any]]:
    return [
        attr("routingSkills", "complex", multi=True, sub=_named_levels("Skill", catalog.get("skills", ()))),
        attr("routingLanguages", "complex", multi=True, sub=_named_levels("Language", catalog.get("languages", ()))),
        attr("externalIds", "complex", multi=True,
             sub=[attr("authority", required=True, case_exact=True), attr("value", required=True, case_exact=True)]),
    ]


def _group() -> list[dict[str, Any]]:
    return [
        attr("displayName", required=True, uniqueness="server"),
        attr("members", "complex", multi=True,
             sub=[attr("value", mutability="immutable", case_exact=True),
                  attr("$ref", "reference", mutability="immutable", refs=["User"]),
                  attr("type", mutability="immutable", canonical=["User"])]),
    ]


def _ro(name: str, type: str = "string", **characteristics: Any) -> dict[str, Any]:
    """A read-only attribute (everything in the discovery schemas is)."""
    return attr(name, type, mutability="readOnly", **characteristics)


def _discovery_schemas() -> list[tuple[str, str, list[dict[str, Any]]]]:
    """RFC 7643 §8.7.2: the schemas of ServiceProviderConfig, ResourceType and Schema."""
    supported = [_ro("supported", "boolean", required=True)]
    spc = [_ro("documentationUri", "reference", refs=["external"])]
    spc += [_ro(n, "complex", required=True, sub=supported) for n in ("patch", "etag", "sort", "changePassword")]
    spc += [
        _ro("bulk", "complex", required=True, sub=supported + [_ro("maxOperations", "integer", required=True),
                                                              _ro("maxPayloadSize", "integer", required=True)]),
        _ro("filter", "complex", required=True, sub=supported + [_ro("maxResults", "integer", required=True)]),
        _ro("authenticationSchemes", "complex", multi=True, required=True, sub=[
            _ro("type", required=True), _ro("name", required=True), _ro("description", required=True),
            _ro("specUri", "reference", refs=["external"]), _ro("documentationUri", "reference", refs=["external"]),
            _ro("primary", "boolean")]),
    ]
    resource_type = [
        _ro("id"), _ro("name", required=True), _ro("description"),
        _ro("endpoint", "reference", required=True, refs=["uri"]),
        _ro("schema", "reference", required=True, case_exact=True, refs=["uri"]),
        _ro("schemaExtensions", "complex", multi=True, sub=[
            _ro("schema", "reference", required=True, case_exact=True, refs=["uri"]),
            _ro("required", "boolean", required=True)]),
    ]
    booleans = ("multiValued", "required", "caseExact")
    lists = ("canonicalValues", "referenceTypes")
    leaf = ["name", "type", "multiValued", "description", "required", "canonicalValues", "caseExact",
            "mutability", "returned", "uniqueness", "referenceTypes"]

    def characteristics() -> list[dict[str, Any]]:
        return [_ro(n, "boolean" if n in booleans else "string", multi=n in lists) for n in leaf]

    schema = [_ro("id", required=True), _ro("name"), _ro("description"),
              _ro("attributes", "complex", multi=True, required=True,
                  sub=characteristics() + [_ro("subAttributes", "complex", multi=True, sub=characteristics())])]
    return [(SPC, "Service Provider Configuration", spc), (RESOURCE_TYPE, "ResourceType", resource_type),
            (SCHEMA, "Schema", schema)]


def schema_documents(catalog: Catalog, base: str) -> list[dict[str, Any]]:
    """Every schema the sandbox serves, in /schemas order."""
    defs = [(USER, "User", _user(catalog)), (GROUP, "Group", _group()),
            (ENTERPRISE, "EnterpriseUser", _enterprise(catalog)), (GENESYS, "GenesysUser", _genesys(catalog))]
    return [{"schemas": [SCHEMA], "id": urn, "name": name, "description": f"{name} schema", "attributes": attrs,
             "meta": {"resourceType": "Schema", "location": f"{base}/schemas/{urn}"}}
            for urn, name, attrs in defs + _discovery_schemas()]


def resource_type_documents(base: str) -> list[dict[str, Any]]:
    user_ext = [{"schema": ENTERPRISE, "required": False}, {"schema": GENESYS, "required": False}]
    docs = [("User", "/users", "A Genesys Cloud user", USER, user_ext),
            ("Group", "/groups", "A Genesys Cloud group (membership only)", GROUP, [])]
    return [{"schemas": [RESOURCE_TYPE], "id": name, "name": name, "endpoint": endpoint, "description": desc,
             "schema": schema, "schemaExtensions": ext,
             "meta": {"resourceType": "ResourceType", "location": f"{base}/resourcetypes/{name}"}}
            for name, endpoint, desc, schema, ext in docs]


def service_provider_config(base: str, max_results: int) -> dict[str, Any]:
    return {
        "schemas": [SPC],
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
_COMMON = {"id": attr("id", case_exact=True, mutability="readOnly", returned="always"),
           "externalid": attr("externalId", case_exact=True),
           "meta": attr("meta", "complex", mutability="readOnly"),
           "schemas": attr("schemas", multi=True)}  # clients send it (even inside extension objects); ignored
_BY_KIND: dict[str, list[list[dict[str, Any]]]] = {
    "User": [_user({}), _enterprise({}), _genesys({})],
    "Group": [_group()],
}


def strip_urn(path: str) -> str:
    """`urn:…:enterprise:2.0:User:manager.value` -> `manager.value`; other paths unchanged."""
    lowered = path.lower()
    for urn in KNOWN_URNS:
        if lowered.startswith(urn.lower() + ":"):
            return path[len(urn) + 1:]
    return path


def lookup(kind: str, path: str) -> dict[str, Any] | None:
    """The definition of a (sub-)attribute: `emails.value`, `urn:…:User:routingSkills.name`, `members[...]`."""
    clean = strip_urn(path)
    while "[" in clean:  # drop value filters: members[value eq "x"].value -> members.value
        start, end = clean.index("["), clean.find("]")
        clean = clean[:start] + (clean[end + 1:] if end != -1 else "")
    parts = [p for p in clean.lower().split(".") if p]
    if not parts:
        return None
    found = _COMMON.get(parts[0])
    for attrs in _BY_KIND.get(kind, []) if found is None else []:
        found = next((a for a in attrs if a["name"].lower() == parts[0]), None)
        if found:
            break
    if found is not None and len(parts) > 1:
        found = next((s for s in found.get("subAttributes", []) if s["name"].lower() == parts[1]), None)
    return found


def is_read_only(kind: str, path: str) -> bool:
    """True for readOnly attributes and their sub-attributes (id, meta, user.groups)."""
    clean = strip_urn(path)
    head = re.split(r"[.\[]", clean, maxsplit=1)[0]
    return any(d is not None and d["mutability"] == "readOnly" for d in (lookup(kind, head), lookup(kind, clean)))


def is_case_exact(kind: str, path: str) -> bool:
    definition = lookup(kind, path)
    return bool(definition and definition["caseExact"])
