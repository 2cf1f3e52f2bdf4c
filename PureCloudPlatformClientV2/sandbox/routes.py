"""App: turns one parsed HTTP request into one response (auth, faults, routing, error shapes)."""

from __future__ import annotations

import json
import re
import sys
import traceback
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping
from urllib.parse import unquote

from . import listing, projection, schemas
from .auth import Tokens
from .directory import Directory, etag_matches
from .errors import OAuthError, PlatformError, ScimError, invalid_value, method_not_allowed, no_route, not_found
from .faults import Faults
from .options import SandboxOptions
from .store import Store

SCIM_JSON = "application/scim+json"
JSON = "application/json"
CANONICAL_PREFIX = "/api/v2/scim/v2"
PREFIX = re.compile(r"^/api/v2/scim(?:/v2)?(?=/|$)")
NO_SCIM = ("bulk", ".search", "me")  # not offered by Genesys -> 404
MAX_JSON_DEPTH = 32  # nesting levels of a request body; a SCIM PATCH needs about 7
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}  # RFC 6749 §5.1: token answers are not cached


@dataclass
class Request:
    method: str
    path: str  # still percent-encoded, without the query
    params: Mapping[str, str]  # query parameters, names lower-cased
    headers: Mapping[str, str]  # names lower-cased
    body: bytes = b""


@dataclass
class Response:
    status: int
    body: Any = None  # JSON-able, or None for an empty body
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = SCIM_JSON


Handler = Callable[[Request, str, str], Response]  # (request, resource id or "", base URL) -> response


class App:
    def __init__(self, options: SandboxOptions, store: Store) -> None:
        self.options, self.store = options, store
        self.directory = Directory(store, options)
        self.tokens = Tokens(options)
        self.faults = Faults(options)
        self._routes: dict[str, dict[tuple[str, bool], Handler]] = {
            "users": {("GET", False): self._list_users, ("POST", False): self._create_user,
                      ("GET", True): self._get_user, ("PUT", True): self._put_user,
                      ("PATCH", True): self._patch_user, ("DELETE", True): self._delete_user},
            "groups": {("GET", False): self._list_groups, ("GET", True): self._get_group,
                       ("PUT", True): self._put_group, ("PATCH", True): self._patch_group},
            "serviceproviderconfig": {("GET", False): self._spc},
            "resourcetypes": {("GET", False): self._resource_types, ("GET", True): self._resource_type},
            "schemas": {("GET", False): self._schemas, ("GET", True): self._schema},
        }

    # -- entry point ---------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        correlation = str(uuid.uuid4())
        rate: dict[str, str] = {}
        try:
            self.faults.delay()
            response = self._dispatch(request, rate)
        except ScimError as error:
            response = Response(error.status, error.body(), dict(error.headers))
        except PlatformError as error:
            response = Response(error.status, error.body(correlation), dict(error.headers))
        except OAuthError as error:
            response = Response(error.status, error.body(), dict(NO_STORE), content_type=JSON)
        except Exception:  # a sandbox bug: answer 500 rather than drop the connection
            traceback.print_exc(file=sys.stderr)
            response = Response(500, PlatformError(500, "internal.server.error", "Internal sandbox error").body(correlation))
        return self._finish(response, request.path, correlation, rate)

    def refuse(self, path: str, error: PlatformError) -> Response:
        """An ErrorBody response for a request refused before it was read (413, bad framing)."""
        correlation = str(uuid.uuid4())
        return self._finish(Response(error.status, error.body(correlation), dict(error.headers)), path, correlation, {})

    def _finish(self, response: Response, path: str, correlation: str, rate: dict[str, str]) -> Response:
        """Headers every response carries: correlation id and the inin-ratelimit-* trio."""
        if PREFIX.match(path) is None:  # /oauth/token and unknown routes are plain JSON
            response.content_type = JSON
        response.headers.update(rate or self.faults.count(""))
        response.headers["ININ-Correlation-Id"] = correlation
        return response

    def _dispatch(self, request: Request, rate: dict[str, str]) -> Response:
        if request.path.rstrip("/") == "/oauth/token":
            if request.method != "POST":  # the login service, not SCIM: a platform ErrorBody
                raise PlatformError(405, "method.not.allowed", f"HTTP {request.method} is not supported on "
                                    "/oauth/token", {"Allow": "POST"})
            return Response(200, self.tokens.grant(request.headers, request.body), dict(NO_STORE), content_type=JSON)
        if request.path.rstrip("/") == "/oauth/authorize":
            if request.method not in ("GET", "HEAD"):
                raise PlatformError(405, "method.not.allowed", f"HTTP {request.method} is not supported on "
                                    "/oauth/authorize", {"Allow": "GET, HEAD"})
            return Response(302, None, {"Location": self.tokens.authorize(request.params), **NO_STORE})
        match = PREFIX.match(request.path)
        if match is None:
            raise PlatformError(404, "not.found", f"No resource at {request.path}")
        token = self.tokens.authenticate(request.headers.get("authorization"))
        rate.update(self.faults.count(token))
        self.faults.admit(rate)
        segments = [unquote(s) for s in request.path[match.end():].strip("/").split("/") if s]
        resource = segments[0].lower() if segments else ""
        if resource not in self._routes or len(segments) > 2 or segments[-1].lower() == ".search":
            raise no_route(request.path)
        resource_id = segments[1] if len(segments) == 2 else ""
        handler = self._routes[resource].get((request.method, bool(resource_id)))
        if handler is None:
            raise self._refusal(request, resource, bool(resource_id))
        host = request.headers.get("host") or f"{self.options.host}:{self.options.port}"
        return handler(request, resource_id, f"http://{host}{CANONICAL_PREFIX}")

    def _refusal(self, request: Request, resource: str, with_id: bool) -> Exception:
        allowed = sorted(m for (m, has_id) in self._routes[resource] if has_id == with_id)
        if not allowed:  # e.g. /serviceproviderconfig/x
            return no_route(request.path)
        if resource == "groups" and request.method in ("POST", "DELETE"):
            return method_not_allowed(request.method, request.path, ", ".join(allowed),
                                      "Groups cannot be created or deleted through SCIM; "
                                      "create them in Genesys Cloud and manage membership here")
        return method_not_allowed(request.method, request.path, ", ".join(allowed))

    # -- helpers -----------------------------------------------------------------------------
    @staticmethod
    def _json(request: Request) -> Any:
        too_deep = invalid_value(f"The body nests arrays and objects deeper than {MAX_JSON_DEPTH} levels")
        try:
            body = json.loads(request.body.decode("utf-8"))
        except RecursionError:  # the parser gave up first
            raise too_deep from None
        except (UnicodeDecodeError, ValueError) as error:
            raise ScimError(400, f"The body is not valid JSON: {error}", "invalidSyntax") from None
        if _depth(body) > MAX_JSON_DEPTH:  # later steps (PATCH, validation, storing) recurse too
            raise too_deep
        return body

    @staticmethod
    def _one(request: Request, resource: dict[str, Any], version: int | str, kind: str, status: int = 200) -> Response:
        body = projection.project(resource, kind, projection.split_names(request.params.get("attributes")),
                                  projection.split_names(request.params.get("excludedattributes")))
        headers = {"ETag": f'"{version}"'}
        if status == 201:
            headers["Location"] = resource["meta"]["location"]
        return Response(status, body, headers)

    @staticmethod
    def _fresh(request: Request, version: int | str) -> Response | None:
        """304 when If-None-Match names the current version."""
        tag = request.headers.get("if-none-match")
        if tag and etag_matches(tag, int(version)):
            return Response(304, None, {"ETag": f'"{version}"'})
        return None

    def _query(self, request: Request) -> listing.ListQuery:
        return listing.parse_query(request.params, max_count=self.options.max_count, strict=self.options.strict,
                                   page_limit_429=self.options.page_limit_429)

    # -- users ---------------------------------------------------------------------------------
    def _list_users(self, request: Request, _: str, base: str) -> Response:
        return Response(200, self.directory.list_users(self._query(request), base))

    def _create_user(self, request: Request, _: str, base: str) -> Response:
        user, version = self.directory.create_user(self._json(request), base)
        return self._one(request, user, version, "User", 201)

    def _get_user(self, request: Request, user_id: str, base: str) -> Response:
        user, version = self.directory.get_user(user_id, base)
        return self._fresh(request, version) or self._one(request, user, version, "User")

    def _put_user(self, request: Request, user_id: str, base: str) -> Response:
        user, version = self.directory.replace_user(user_id, self._json(request), request.headers.get("if-match"), base)
        return self._one(request, user, version, "User")

    def _patch_user(self, request: Request, user_id: str, base: str) -> Response:
        user, version = self.directory.patch_user(user_id, self._json(request), request.headers.get("if-match"), base)
        return self._one(request, user, version, "User")

    def _delete_user(self, request: Request, user_id: str, _: str) -> Response:
        self.directory.delete_user(user_id, request.headers.get("if-match"))
        return Response(204)

    # -- groups --------------------------------------------------------------------------------
    def _list_groups(self, request: Request, _: str, base: str) -> Response:
        return Response(200, self.directory.list_groups(self._query(request), base))

    def _get_group(self, request: Request, group_id: str, base: str) -> Response:
        group, version = self.directory.get_group(group_id, base)
        return self._fresh(request, version) or self._one(request, group, version, "Group")

    def _put_group(self, request: Request, group_id: str, base: str) -> Response:
        group, version = self.directory.replace_group(group_id, self._json(request), request.headers.get("if-match"), base)
        return self._one(request, group, version, "Group")

    def _patch_group(self, request: Request, group_id: str, base: str) -> Response:
        group, version = self.directory.patch_group(group_id, self._json(request), request.headers.get("if-match"), base)
        return self._one(request, group, version, "Group")

    # -- discovery -----------------------------------------------------------------------------
    def _spc(self, request: Request, _: str, base: str) -> Response:
        version = schemas.SPC_VERSION
        body = schemas.service_provider_config(base, self.options.max_count)
        return self._fresh(request, version) or Response(200, body, {"ETag": f'"{version}"'})

    def _resource_types(self, request: Request, _: str, base: str) -> Response:
        return Response(200, _list_of(schemas.resource_type_documents(base)))

    def _resource_type(self, request: Request, name: str, base: str) -> Response:
        found = [d for d in schemas.resource_type_documents(base) if d["id"].lower() == name.lower()]
        if not found:
            raise not_found("ResourceType", name)
        return Response(200, found[0])

    def _schemas(self, request: Request, _: str, base: str) -> Response:
        if request.params.get("filter"):  # Genesys: "Filtered results are invalid and return 403"
            raise ScimError(403, "Filtered results are invalid for /schemas")
        return Response(200, _list_of(schemas.schema_documents(self.directory.catalog(), base)))

    def _schema(self, request: Request, urn: str, base: str) -> Response:
        found = [d for d in schemas.schema_documents(self.directory.catalog(), base) if d["id"].lower() == urn.lower()]
        if not found:
            raise not_found("Schema", urn)
        return Response(200, found[0])


def _depth(value: Any) -> int:
    """How deeply arrays and objects nest in a parsed JSON value (a scalar is 0), without recursion."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is not None:
            deepest = max(deepest, level)
            pending.extend((child, level + 1) for child in children)
    return deepest


def _list_of(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {"schemas": [schemas.LIST_RESPONSE], "totalResults": len(resources), "startIndex": 1,
            "itemsPerPage": len(resources), "Resources": resources}
