"""This client's whole lifecycle against a SCIM server nobody here wrote: scim2-server (the
python-scim project's WSGI server, from PyPI), served on 127.0.0.1 by wsgiref in a thread.

The server is mounted under /api/v2/scim, so SCIMApi's paths (/api/v2/scim/v2/users, ...) reach
its /v2 routes. It finds resource endpoints whatever their case, but its discovery endpoints
are literal (/ServiceProviderConfig); the mount spells Genesys' lower-case discovery paths the
RFC way, and one test shows what the client does without that. Where the server differs from
Genesys (412 for a stale If-Match, weak ETags, SCIM errors on 401, no Genesys extension, groups
created over SCIM), the tests assert what the client makes of it.
"""

from __future__ import annotations

import json
import threading
from socketserver import ThreadingMixIn
from typing import Any, Callable, Iterable, Iterator
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
import urllib3

pytest.importorskip("scim2_server", reason="scim2-server needs Python 3.11+ (requirements-test.txt)")

from scim2_server.memory import InMemoryStorage  # noqa: E402
from scim2_server.testserver.application import BEARER_TOKEN_SCHEME, BearerTokenApplication  # noqa: E402
from scim2_models import ScimProvider  # noqa: E402
from scim2_server.utils import (  # noqa: E402
    load_default_resource_types, load_default_schemas, load_default_service_provider_config)

from PureCloudPlatformClientV2 import ApiClient, SCIMApi  # noqa: E402
from PureCloudPlatformClientV2.models import ScimV2CreateUser, ScimV2User  # noqa: E402
from PureCloudPlatformClientV2.paging import iterate  # noqa: E402
from PureCloudPlatformClientV2.patch import Patch, etag_of  # noqa: E402
from PureCloudPlatformClientV2.rest import (  # noqa: E402
    ApiException, BadRequestError, ConflictError, NotFoundError, NotModifiedError, PreconditionFailedError,
    UnauthorizedError)

TOKEN = "interop-token"
MOUNT = "/api/v2/scim"  # + the server's own /v2
DISCOVERY = {"serviceproviderconfig": "ServiceProviderConfig", "resourcetypes": "ResourceTypes", "schemas": "Schemas"}
CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Mounted:
    """The SCIM app under MOUNT, with the discovery paths spelled as the server wants them
    (unless `spell_discovery` is turned off); anything else is a plain 404."""

    def __init__(self, app: WsgiApp) -> None:
        self.app, self.spell_discovery = app, True

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path: str = environ.get("PATH_INFO", "")
        if not path.startswith(MOUNT + "/"):
            start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "0")])
            return [b""]
        segments = path[len(MOUNT):].split("/")  # "", "v2", "serviceproviderconfig", ...
        if self.spell_discovery and len(segments) > 2:
            segments[2] = DISCOVERY.get(segments[2], segments[2])
        environ["SCRIPT_NAME"], environ["PATH_INFO"] = MOUNT, "/".join(segments)
        return self.app(environ, start_response)


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = False  # server_close() joins the request threads: none outlives its test


class Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class Running:
    def __init__(self, mounted: Mounted, url: str) -> None:
        self.mounted, self.url = mounted, url
        self.client = ApiClient(host=url)
        self.client.access_token = TOKEN
        self.api = SCIMApi(self.client)
        self.http = urllib3.PoolManager(retries=False)

    def post(self, endpoint: str, body: dict[str, Any]) -> dict[str, Any]:
        """What SCIMApi cannot send (Genesys creates groups itself): straight to the server."""
        reply = self.http.request("POST", f"{self.url}{MOUNT}/v2/{endpoint}", body=json.dumps(body).encode(),
                                  headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/scim+json"})
        assert reply.status == 201, reply.data
        return reply.json()  # type: ignore[no-any-return]

    def patch(self, endpoint: str, resource_id: str, patch: Patch) -> int:
        """A PATCH body built by this client's `Patch`, sent without SCIMApi (SCIMApi's side: the *_accepts_204 tests)."""
        body = {"schemas": [PATCH_OP], "Operations": patch.operations}
        reply = self.http.request("PATCH", f"{self.url}{MOUNT}/v2/{endpoint}/{resource_id}",
                                  body=json.dumps(body).encode(),
                                  headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/scim+json"})
        assert reply.status in (200, 204), reply.data
        return reply.status

    def create_user(self, name: str, **attributes: Any) -> ScimV2User:
        return self.api.post_scim_v2_users(ScimV2CreateUser(user_name=f"{name}@example.com", display_name=name.title(),
                                                            **attributes))


@pytest.fixture
def scim2() -> Iterator[Running]:
    config = load_default_service_provider_config()
    config.authentication_schemes = [BEARER_TOKEN_SCHEME]  # as `scim2-server --bearer-token` does
    provider = ScimProvider.from_discovery(load_default_schemas().values(), load_default_resource_types().values(),
                                           config=config)
    mounted = Mounted(BearerTokenApplication(InMemoryStorage(), provider, bearer_tokens=[TOKEN]))
    server = make_server("127.0.0.1", 0, mounted, server_class=ThreadingServer, handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    running = Running(mounted, f"http://127.0.0.1:{server.server_port}")
    try:
        yield running
    finally:
        running.client.close()
        running.http.clear()
        server.shutdown()
        server.server_close()
        thread.join()


# -- discovery -----------------------------------------------------------------------------------
def test_discovery_documents_come_back_typed(scim2: Running) -> None:
    config = scim2.api.get_scim_v2_serviceproviderconfig()
    assert config.patch.supported and config.etag.supported and config.filter.supported
    assert [scheme.type for scheme in config.authentication_schemes] == ["oauthbearertoken"]
    types = {t.id: t for t in scim2.api.get_scim_v2_resourcetypes().resources}
    assert {name: t.endpoint for name, t in types.items()} == {"User": "/Users", "Group": "/Groups"}  # Genesys: /users
    assert types["User"].schema == CORE_USER
    assert [e.schema for e in types["User"].schema_extensions] == [ENTERPRISE]  # and no Genesys extension
    assert scim2.api.get_scim_v2_resourcetype("Group").schema == CORE_GROUP
    schemas = {s.id: s for s in scim2.api.get_scim_v2_schemas().resources}
    assert CORE_USER in schemas and CORE_GROUP in schemas
    user_schema = scim2.api.get_scim_v2_schema(CORE_USER)
    assert "userName" in {a.name for a in user_schema.attributes}


def test_lower_case_discovery_paths_are_a_typed_404_on_a_literal_server(scim2: Running) -> None:
    scim2.mounted.spell_discovery = False  # what the client sends, as Genesys spells it
    with pytest.raises(NotFoundError) as refused:
        scim2.api.get_scim_v2_serviceproviderconfig()
    assert refused.value.status == 404 and "serviceproviderconfig" in (refused.value.detail or "")
    assert refused.value.error.status == "404"  # the SCIM error body, typed
    assert scim2.api.get_scim_v2_users().total_results == 0  # resource endpoints match whatever the case


# -- users ---------------------------------------------------------------------------------------------
def test_create_get_and_a_duplicate(scim2: Running) -> None:
    ann = scim2.create_user("ann", title="Agent", emails=[{"value": "ann@work.example.com", "type": "work"}])
    assert isinstance(ann, ScimV2User) and ann.id and ann.title == "Agent"
    assert ann.meta.resource_type == "User" and ann.meta.location.endswith(f"/api/v2/scim/v2/Users/{ann.id}")
    assert ann.meta.version == 'W/"1"' and etag_of(ann) == 'W/"1"'  # a weak ETag; Genesys sends "1"
    got = scim2.api.get_scim_v2_user(ann.id)
    assert got.to_dict() == ann.to_dict()
    with pytest.raises(ConflictError) as duplicate:
        scim2.create_user("ann")
    assert duplicate.value.scim_type == "uniqueness" and duplicate.value.status == 409


def test_filter_and_paging(scim2: Running) -> None:
    made = [scim2.create_user(f"user{n}").id for n in range(5)]
    found = scim2.api.get_scim_v2_users('userName eq "user3@example.com"')
    assert found.total_results == 1 and [u.id for u in found.resources] == [made[3]]
    everyone = [u.id for u in scim2.api.get_scim_v2_users(count=10).resources]  # in the server's own order
    assert sorted(everyone) == sorted(made)
    page = scim2.api.get_scim_v2_users(start_index=2, count=2)
    assert page.total_results == 5 and page.start_index == 2 and page.items_per_page == 2
    assert [u.id for u in page.resources] == everyone[1:3]
    assert [u.id for u in iterate(scim2.api.get_scim_v2_users, page_size=2)] == everyone
    slim = scim2.api.get_scim_v2_users(count=1, attributes=["userName"])
    assert slim.resources[0].id == everyone[0] and slim.resources[0].user_name.startswith("user")
    assert slim.resources[0].display_name is None  # left out by `attributes`
    with pytest.raises(BadRequestError) as bad:
        scim2.api.get_scim_v2_users("userName eq")
    assert bad.value.scim_type == "invalidFilter"


def test_get_modify_put_with_if_match(scim2: Running) -> None:
    user = scim2.create_user("bob", title="Agent")
    user.title = "Lead"
    replaced = scim2.api.put_scim_v2_user(user.id, user, if_match=etag_of(user))
    assert replaced.title == "Lead" and replaced.meta.version == 'W/"2"'
    # a stale ETag: this server answers RFC 7644's 412 where Genesys answers 400 invalidVers
    with pytest.raises(PreconditionFailedError) as stale:
        scim2.api.put_scim_v2_user(user.id, user, if_match=etag_of(user))
    assert stale.value.status == 412 and "changed" in (stale.value.detail or "")
    assert scim2.api.get_scim_v2_user(user.id).title == "Lead"


def test_if_none_match(scim2: Running) -> None:
    user = scim2.create_user("cleo")
    with pytest.raises(NotModifiedError):
        scim2.api.get_scim_v2_user(user.id, if_none_match=etag_of(user))
    assert scim2.api.get_scim_v2_user(user.id, if_none_match='W/"99"').id == user.id


def test_patch_bodies_built_by_this_client_replace_add_and_remove_with_value_paths(scim2: Running) -> None:
    user = scim2.create_user("dan", title="Agent", emails=[{"value": "dan@work.example.com", "type": "work"},
                                                          {"value": "dan@home.example.com", "type": "home"}])
    patch = (Patch().replace("title", "Lead").replace('emails[type eq "work"].value', "d@work.example.com")
             .remove('emails[type eq "home"]').add("nickName", "D"))
    assert scim2.patch("Users", user.id, patch) == 204  # SCIMApi's side: test_patch_through_scimapi_accepts_204
    after = scim2.api.get_scim_v2_user(user.id)
    assert after.title == "Lead" and after.meta.version == 'W/"2"'
    assert [(e.type, e.value) for e in after.emails] == [("work", "d@work.example.com")]
    assert after.to_dict().get("nick_name", "D") == "D"  # not a Genesys attribute: the model may drop it


def test_patch_through_scimapi_accepts_204(scim2: Running) -> None:
    # request: PATCH /api/v2/scim/v2/users/{id} with a PatchOp body; response: 204, no body
    user = scim2.create_user("eve", title="Agent")
    scim2.api.patch_scim_v2_user(user.id, Patch().replace("title", "Lead").build(), if_match=etag_of(user))
    assert scim2.api.get_scim_v2_user(user.id).title == "Lead"


# -- groups ------------------------------------------------------------------------------------------
def test_groups_read_filter_and_put_members(scim2: Running) -> None:
    ann, bob = scim2.create_user("ann"), scim2.create_user("bob")
    created = scim2.post("Groups", {"schemas": [CORE_GROUP], "displayName": "Sales"})  # Genesys: not over SCIM
    group = scim2.api.get_scim_v2_group(created["id"])
    assert group.display_name == "Sales" and not group.members
    listed = scim2.api.get_scim_v2_groups('displayName eq "Sales"')
    assert [g.id for g in listed.resources] == [group.id]
    group.members = [{"value": ann.id}, {"value": bob.id}]
    replaced = scim2.api.put_scim_v2_group(group.id, group, if_match=etag_of(group))
    assert sorted(m.value for m in replaced.members) == sorted([ann.id, bob.id])
    assert scim2.patch("Groups", group.id, Patch().remove_members(bob.id)) == 204
    assert [m.value for m in scim2.api.get_scim_v2_group(group.id).members] == [ann.id]


def test_group_membership_patch_through_scimapi_accepts_204(scim2: Running) -> None:
    # request: PATCH /api/v2/scim/v2/groups/{id} adding a member; response: 204, no body
    ann = scim2.create_user("ann")
    group = scim2.post("Groups", {"schemas": [CORE_GROUP], "displayName": "Support"})
    scim2.api.patch_scim_v2_group(group["id"], Patch().add_members(ann.id).build())
    assert [m.value for m in scim2.api.get_scim_v2_group(group["id"]).members] == [ann.id]


# -- errors and delete ----------------------------------------------------------------------------
def test_refusals_raise_the_right_exceptions_with_the_scim_details(scim2: Running) -> None:
    stranger = ApiClient(host=scim2.url)
    stranger.access_token = "wrong"
    with pytest.raises(UnauthorizedError) as unauthorized:  # a SCIM error here; Genesys sends an ErrorBody
        SCIMApi(stranger).get_scim_v2_users()
    stranger.close()
    assert unauthorized.value.status == 401 and unauthorized.value.error.status == "401"
    assert "authorization" in (unauthorized.value.detail or "").lower()
    with pytest.raises(NotFoundError) as unknown_type:
        scim2.api.get_scim_v2_resourcetype("Nope")
    with pytest.raises(NotFoundError) as unknown_schema:
        scim2.api.get_scim_v2_schema("urn:nope")
    for refused in (unknown_type.value, unknown_schema.value):
        assert refused.status == 404 and refused.detail and refused.error.detail == refused.detail
        assert isinstance(refused, ApiException) and "Detail:" in str(refused)


def test_delete_then_the_user_is_gone(scim2: Running) -> None:
    user = scim2.create_user("finn")
    assert scim2.api.delete_scim_v2_user(user.id).to_dict() == {}
    with pytest.raises(NotFoundError):
        scim2.api.get_scim_v2_user(user.id)
    with pytest.raises(NotFoundError):
        scim2.api.delete_scim_v2_user(user.id)
    assert scim2.api.get_scim_v2_users().total_results == 0
