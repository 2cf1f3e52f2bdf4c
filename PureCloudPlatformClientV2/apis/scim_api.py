"""SCIMApi: the 30 methods of the official SDK's SCIM API, declared by signature and docstring.

Each method's body is its docstring: `@operation` sends the request from the signature and
the declarations passed to it, one per parameter (its role, wire name, kind and doc). A
parameter used by several methods is declared once, below, and shared.
"""
# mypy: disable-error-code="empty-body"
# (the bodies are docstrings on purpose: @operation supplies the behaviour)

from __future__ import annotations

from .._endpoint import Body, Header, Path, Query, operation, same_at
from ..urns import USER_URN

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..api_client import ApiClient
    from ..models import (
        Empty,
        PatchRequest,
        ScimConfigResourceType,
        ScimConfigResourceTypesListResponse,
        ScimGroupListResponse,
        ScimServiceProviderConfig,
        ScimUserListResponse,
        ScimV2CreateUser,
        ScimV2Group,
        ScimV2PatchRequest,
        ScimV2SchemaDefinition,
        ScimV2SchemaListResponse,
        ScimV2User,
    )

__all__ = ["SCIMApi"]

USER_VIEW = ("directory:user:view", "directory:user:edit")
USER_EDIT = ("directory:user:edit", "directory:user:setPassword")
GROUP_EDIT = ("directory:group:edit",)

# -- the parameters, each declared once ----------------------------------------------------
USER_ID = Path("userId", doc="The user's id")
GROUP_ID = Path("groupId", doc="The group's id")
RESOURCE_TYPE = Path("resourceType", doc="A resource type name: `User`, `Group`, `ServiceProviderConfig`, "
                     "`ResourceType` or `Schema`")
SCHEMA_ID = Path("schemaId", doc=f"A schema URN, e.g. `{USER_URN}`")
FILTER = Query("filter", str, doc="A SCIM filter, e.g. `userName eq \"jane@example.com\"` or "
               "`displayName eq \"Sales\"`; build one safely with `filters`.")
START_INDEX = Query("startIndex", int, doc="Starting item of request. 1-based (server default 1)")
COUNT = Query("count", int, doc="The requested number of items per page (server default 25). A value of 0 "
              "will return no results other than the totalResults count.")
ATTRIBUTES = Query("attributes", list[str], doc="Only these attributes come back (the always-returned ones "
                   "too); sent comma-joined.")
EXCLUDED_ATTRIBUTES = Query("excludedAttributes", list[str], doc="These attributes are left out; sent comma-joined.")
IF_MATCH = Header("If-Match", doc="If-Match for ETag version checking (the quoted `meta.version`, e.g. `'\"3\"'`)")
IF_NONE_MATCH = Header("If-None-Match", doc="If-None-Match for ETag version checking; a current version raises "
                       "NotModifiedError (304)")
BODY = Body(doc="The request body (a model, or a dict in wire form)")
PAGE = (FILTER, START_INDEX, COUNT, ATTRIBUTES, EXCLUDED_ATTRIBUTES)  # the list methods' query


class SCIMApi:
    """The Genesys Cloud SCIM API (users and groups, plus discovery)."""

    def __init__(self, api_client: ApiClient | None = None) -> None:
        if api_client is None:
            from ..configuration import Configuration

            api_client = Configuration().api_client
        self.api_client = api_client

    # -- users ------------------------------------------------------------------------
    @operation("GET", "/api/v2/scim/v2/users", *PAGE, summary="Query Users", permissions=USER_VIEW)
    def get_scim_v2_users(self, filter: str | None = None, *, start_index: int | None = None,
                          count: int | None = None, attributes: list[str] | None = None,
                          excluded_attributes: list[str] | None = None) -> ScimUserListResponse:
        """One page of users. Without a filter only active users are listed (Genesys rule);
        use `active eq false` to find inactive ones. `paging.iterate` walks every page.
        """

    @operation("GET", "/api/v2/scim/v2/users/{userId}", USER_ID, ATTRIBUTES, EXCLUDED_ATTRIBUTES,
               IF_NONE_MATCH, summary="Return User with specified ID",
               permissions=USER_VIEW)
    def get_scim_v2_user(self, user_id: str, *, attributes: list[str] | None = None,
                         excluded_attributes: list[str] | None = None,
                         if_none_match: str | None = None) -> ScimV2User:
        """One user by id. With `if_none_match` set to the current ETag (`'"3"'`, the quoted
        `meta.version`) the server answers 304, raised as `NotModifiedError`.
        """

    @operation("POST", "/api/v2/scim/v2/users", BODY, summary="Create user", permissions=("directory:user:add",))
    def post_scim_v2_users(self, body: ScimV2CreateUser) -> ScimV2User:
        """Create a user; `user_name` (the e-mail address) and `display_name` are required.
        A taken userName raises `ConflictError` (409, scimType `uniqueness`). Never resent
        automatically once it may have reached the server.
        """

    @operation("PUT", "/api/v2/scim/v2/users/{userId}", USER_ID, BODY, IF_MATCH,
               summary="Update user with specified ID",
               permissions=USER_EDIT)
    def put_scim_v2_user(self, user_id: str, body: ScimV2User, *, if_match: str | None = None) -> ScimV2User:
        """Replace a user. Pass `if_match` (the quoted `meta.version`) to fail instead of
        overwriting a newer version: Genesys answers 400 with scimType `invalidVers`.
        """

    @operation("PATCH", "/api/v2/scim/v2/users/{userId}", USER_ID, BODY, IF_MATCH,
               summary="Update user with specified ID",
               permissions=USER_EDIT)
    def patch_scim_v2_user(self, user_id: str, body: ScimV2PatchRequest | PatchRequest, *,
                           if_match: str | None = None) -> ScimV2User:
        """Change some attributes of a user (see `patch` to build the body)."""

    @operation("DELETE", "/api/v2/scim/v2/users/{userId}", USER_ID, IF_MATCH,
               summary="Soft delete user with specified ID",
               permissions=("directory:user:delete",))
    def delete_scim_v2_user(self, user_id: str, *, if_match: str | None = None) -> Empty:
        """Soft-delete a user (Genesys keeps the record; the user can no longer log in)."""

    # -- groups -----------------------------------------------------------------------
    @operation("GET", "/api/v2/scim/v2/groups", *PAGE, summary="Query Groups", permissions=GROUP_EDIT)
    def get_scim_v2_groups(self, filter: str | None = None, *, start_index: int | None = None,
                           count: int | None = None, attributes: list[str] | None = None,
                           excluded_attributes: list[str] | None = None) -> ScimGroupListResponse:
        """One page of groups, e.g. `displayName eq "Sales"`. Groups are created in Genesys,
        not over SCIM; find them by name, then manage `members`.
        """

    @operation("GET", "/api/v2/scim/v2/groups/{groupId}", GROUP_ID, ATTRIBUTES, EXCLUDED_ATTRIBUTES,
               IF_NONE_MATCH, summary="Return Group with specified ID",
               permissions=GROUP_EDIT)
    def get_scim_v2_group(self, group_id: str, *, attributes: list[str] | None = None,
                          excluded_attributes: list[str] | None = None,
                          if_none_match: str | None = None) -> ScimV2Group:
        """One group by id; `if_none_match` as for users."""

    @operation("PUT", "/api/v2/scim/v2/groups/{groupId}", GROUP_ID, BODY, IF_MATCH,
               summary="Update Group with specified ID",
               permissions=GROUP_EDIT)
    def put_scim_v2_group(self, group_id: str, body: ScimV2Group, *, if_match: str | None = None) -> ScimV2Group:
        """Replace a group (its whole member list)."""

    @operation("PATCH", "/api/v2/scim/v2/groups/{groupId}", GROUP_ID, BODY, IF_MATCH,
               summary="Update Group with specified ID",
               permissions=GROUP_EDIT)
    def patch_scim_v2_group(self, group_id: str, body: ScimV2PatchRequest | PatchRequest, *,
                            if_match: str | None = None) -> ScimV2Group:
        """Add or remove members (accepts `ScimV2PatchRequest` or the older `PatchRequest`)."""

    # -- discovery --------------------------------------------------------------------
    @operation("GET", "/api/v2/scim/v2/serviceproviderconfig", IF_NONE_MATCH,
               summary="Get SCIM Configuration")
    def get_scim_v2_serviceproviderconfig(self, *, if_none_match: str | None = None) -> ScimServiceProviderConfig:
        """What the service supports (PATCH, ETags, filter limits, auth schemes)."""

    @operation("GET", "/api/v2/scim/v2/resourcetypes", summary="Get the types of resources available")
    def get_scim_v2_resourcetypes(self) -> ScimConfigResourceTypesListResponse:
        """The resource types (User, Group) and their endpoints."""

    @operation("GET", "/api/v2/scim/v2/resourcetypes/{resourceType}", RESOURCE_TYPE, summary="Get a resource type")
    def get_scim_v2_resourcetype(self, resource_type: str) -> ScimConfigResourceType:
        """One resource type: `User`, `Group`, `ServiceProviderConfig`, `ResourceType` or `Schema`."""

    @operation("GET", "/api/v2/scim/v2/schemas", FILTER, summary="Get a list of SCIM schemas")
    def get_scim_v2_schemas(self, *, filter: str | None = None) -> ScimV2SchemaListResponse:
        """Every schema (core User and Group, the enterprise and Genesys extensions, ...).
        Genesys refuses any `filter` here with 403.
        """

    @operation("GET", "/api/v2/scim/v2/schemas/{schemaId}", SCHEMA_ID, summary="Get a SCIM schema")
    def get_scim_v2_schema(self, schema_id: str) -> ScimV2SchemaDefinition:
        """One schema by its URN, e.g. `urn:ietf:params:scim:schemas:core:2.0:User`."""

    # -- the same operations at /api/v2/scim/... (no /v2), as the official SDK has them --
    get_scim_users = same_at(get_scim_v2_users, "/api/v2/scim/users")
    get_scim_user = same_at(get_scim_v2_user, "/api/v2/scim/users/{userId}",
                            summary="Return user with specified ID (default version)")
    post_scim_users = same_at(post_scim_v2_users, "/api/v2/scim/users")
    put_scim_user = same_at(put_scim_v2_user, "/api/v2/scim/users/{userId}")
    patch_scim_user = same_at(patch_scim_v2_user, "/api/v2/scim/users/{userId}",
                              summary="Patch user with specified ID")
    delete_scim_user = same_at(delete_scim_v2_user, "/api/v2/scim/users/{userId}")
    get_scim_groups = same_at(get_scim_v2_groups, "/api/v2/scim/groups")
    get_scim_group = same_at(get_scim_v2_group, "/api/v2/scim/groups/{groupId}")
    put_scim_group = same_at(put_scim_v2_group, "/api/v2/scim/groups/{groupId}")
    patch_scim_group = same_at(patch_scim_v2_group, "/api/v2/scim/groups/{groupId}")
    get_scim_serviceproviderconfig = same_at(get_scim_v2_serviceproviderconfig, "/api/v2/scim/serviceproviderconfig")
    get_scim_resourcetypes = same_at(get_scim_v2_resourcetypes, "/api/v2/scim/resourcetypes")
    get_scim_resourcetype = same_at(get_scim_v2_resourcetype, "/api/v2/scim/resourcetypes/{resourceType}")
    get_scim_schemas = same_at(get_scim_v2_schemas, "/api/v2/scim/schemas")
    get_scim_schema = same_at(get_scim_v2_schema, "/api/v2/scim/schemas/{schemaId}")
