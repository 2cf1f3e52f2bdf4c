"""Build SCIM PATCH bodies readably, and the ETag helpers for conditional requests.

    from PureCloudPlatformClientV2.patch import Patch, enterprise, etag_of

    body = Patch().replace("title", "Lead").replace(enterprise("department"), "Sales").build()
    api.patch_scim_v2_user(user.id, body, if_match=etag_of(user))

    api.patch_scim_v2_group(group.id, Patch().add_members(jane.id).remove_members(joe.id).build())

`Patch` collects operations; `build()` returns the `ScimV2PatchRequest` to send (with the PatchOp
schema filled in), `build_patch_request()` the same operations as the older `PatchRequest`.
Values are converted to JSON when added (models become their wire form), so a value that cannot
be sent fails at the line that added it.
"""

from __future__ import annotations

import re

from .filters import ATTR_PATH, F, Filter, enterprise, genesys
from .urns import ENTERPRISE_USER_URN, GENESYS_USER_URN, PATCH_OP_URN

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, TypeVar, Union

    from .models import PatchRequest, ScimV2PatchRequest

    R = TypeVar("R")
    PathLike = Union[str, F]

__all__ = [
    "Patch", "path", "enterprise", "genesys", "etag_of", "get_if_changed", "is_version_conflict",
    "PATCH_OP_URN", "ENTERPRISE_USER_URN", "GENESYS_USER_URN",
]

# RFC 7644 §3.5.2: attrPath, or valuePath ("attr[filter]") with an optional ".subAttr".
_SUB_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*|\$ref")
_PATCH_PATH = re.compile(rf"(?:{ATTR_PATH.pattern})(?:\[.+\](?:\.(?:{_SUB_NAME.pattern}))?)?", re.DOTALL)


class Patch:
    """SCIM PATCH operations, added by chained calls; `build()` makes the request body.

    A path is an attribute name (`"title"`, `"name.givenName"`), an `F` (`enterprise("division")`),
    a value path (`F("members").where(F("value").eq(uid))`, or the same as text) or `path(...)`.
    `add` and `replace` also take `None` as path: the value is then an object of attributes.
    """

    __slots__ = ("_operations",)

    def __init__(self) -> None:
        self._operations: list[dict[str, Any]] = []

    # -- the three operations ----------------------------------------------------------
    def add(self, path: PathLike | None, value: Any) -> Patch:
        """Add `value`: appended to multi-valued attributes, set on single-valued ones."""
        return self._append("add", path, value)

    def replace(self, path: PathLike | None, value: Any) -> Patch:
        """Replace the attribute's value (or the selected values of a value path)."""
        return self._append("replace", path, value)

    def remove(self, path: PathLike) -> Patch:
        """Remove the attribute, or the values a value path selects (`members[value eq "id"]`)."""
        if path is None:
            raise ValueError("remove needs a path")
        return self._append("remove", path, None)

    # -- common changes ----------------------------------------------------------------
    def add_members(self, *user_ids: str) -> Patch:
        """Add these users to a group (one `add members` operation)."""
        return self.add("members", [{"value": uid} for uid in _ids(user_ids)])

    def remove_members(self, *user_ids: str) -> Patch:
        """Remove these users from a group (one `remove members[value eq "id"]` per user)."""
        for uid in _ids(user_ids):
            self.remove(F("members").where(F("value").eq(uid)))
        return self

    def deactivate(self) -> Patch:
        """`active` to false: the user can no longer log in but keeps roles (Genesys)."""
        return self.replace("active", False)

    def activate(self) -> Patch:
        return self.replace("active", True)

    # -- the body ----------------------------------------------------------------------
    @property
    def operations(self) -> list[dict[str, Any]]:
        """The operations so far, in wire form (a copy)."""
        return [dict(op) for op in self._operations]

    def build(self) -> ScimV2PatchRequest:
        """The `ScimV2PatchRequest` to pass as `body` to `patch_scim_v2_user` and friends."""
        from .models import ScimV2PatchOperation, ScimV2PatchRequest

        operations = [ScimV2PatchOperation(**op) for op in self._checked()]
        return ScimV2PatchRequest(schemas=[PATCH_OP_URN], operations=operations)

    def build_patch_request(self) -> PatchRequest:
        """The same body as the older `PatchRequest` model (documented for the group methods)."""
        from .models import PatchOperation, PatchRequest

        operations = [PatchOperation(**op) for op in self._checked()]
        return PatchRequest(schemas=[PATCH_OP_URN], operations=operations)

    def __len__(self) -> int:
        return len(self._operations)

    def __repr__(self) -> str:
        shown = ", ".join(f"{op['op']} {op.get('path', '(no path)')}" for op in self._operations)
        return f"Patch({shown})"

    def _checked(self) -> list[dict[str, Any]]:
        if not self._operations:
            raise ValueError("a PATCH needs at least one operation")
        return self.operations

    def _append(self, op: str, target: PathLike | None, value: Any) -> Patch:
        from ._encode import to_json_data

        operation: dict[str, Any] = {"op": op}
        if target is not None:
            operation["path"] = _path_text(target)
        elif not isinstance(value, dict):
            raise ValueError(f"{op} without a path needs an object of attributes as value")
        if op != "remove":
            if value is None:
                raise ValueError(f"{op} needs a value; use remove() to clear an attribute")
            operation["value"] = to_json_data(value, f"{op} {operation.get('path', '')}".rstrip())
        self._operations.append(operation)
        return self


def path(attribute: str | F, where: Filter | None = None, sub: str | None = None) -> str:
    """A PATCH path from parts: `path("emails", F("type").eq("work"), "value")` is
    `emails[type eq "work"].value`; `path(enterprise("manager"), sub="value")` addresses the
    manager's id. Every part is checked (ValueError)."""
    base = attribute if isinstance(attribute, F) else F(attribute)
    if where is None:
        return base.path if sub is None else F(f"{base.path}.{sub}").path
    text = str(base.where(where))
    if sub is None:
        return text
    if not isinstance(sub, str) or not _SUB_NAME.fullmatch(sub):
        raise ValueError(f"not a SCIM sub-attribute name: {sub!r}")
    return f"{text}.{sub}"


def _path_text(target: object) -> str:
    if isinstance(target, F):
        return target.path
    if not isinstance(target, str):
        raise TypeError(f"a PATCH path must be a str or F, got {type(target).__name__}")
    if not _PATCH_PATH.fullmatch(target):
        raise ValueError(f"not a SCIM PATCH path: {target!r}")
    return str(target)


def _ids(user_ids: tuple[str, ...]) -> tuple[str, ...]:
    if not user_ids:
        raise ValueError("give at least one user id")
    for uid in user_ids:
        if not isinstance(uid, str) or not uid:
            raise ValueError(f"a user id must be a non-empty str, got {uid!r}")
    return user_ids


# -- conditional requests (ETags) ---------------------------------------------------------
def etag_of(resource: object) -> str:
    """The ETag of a resource for `if_match`/`if_none_match`: its `meta.version`, quoted
    (`'"3"'`). Accepts models and wire-form dicts; ValueError when there is no version."""
    meta = resource.get("meta") if isinstance(resource, dict) else getattr(resource, "meta", None)
    version = meta.get("version") if isinstance(meta, dict) else getattr(meta, "version", None)
    if version is None or isinstance(version, bool) or version == "":
        raise ValueError("the resource has no meta.version (was `meta` left out by `attributes`?)")
    return _quoted(str(version))


def _quoted(version: str) -> str:
    if version.startswith(('"', 'W/"')):
        return version
    if '"' in version:
        raise ValueError(f"not a valid ETag version: {version!r}")
    return f'"{version}"'


def get_if_changed(get_method: Callable[..., R], resource_id: str, etag: object, **kwargs: Any) -> R | None:
    """GET a resource only if it changed: None when it still has `etag` (the server answered
    304 Not Modified), else the current resource.

    get_method: `api.get_scim_v2_user`, `api.get_scim_v2_group` (or their `/scim` twins).
    etag: what `etag_of` returns, a bare `meta.version` (quoted for you), or the previously
        fetched resource itself; None fetches unconditionally.
    """
    from .rest import NotModifiedError

    if etag is not None:
        kwargs["if_none_match"] = _quoted(etag) if isinstance(etag, str) else etag_of(etag)
    try:
        return get_method(resource_id, **kwargs)
    except NotModifiedError:
        if etag is None:
            raise  # not asked conditionally: a 304 is the server's error, not "unchanged"
        return None


def is_version_conflict(error: BaseException) -> bool:
    """True when a write was refused because `if_match` named an old version: Genesys answers
    400 with scimType `invalidVers`; RFC 7644 servers answer 412 Precondition Failed."""
    from .rest import BadRequestError, PreconditionFailedError

    if isinstance(error, PreconditionFailedError):
        return True
    return isinstance(error, BadRequestError) and error.scim_type == "invalidVers"
