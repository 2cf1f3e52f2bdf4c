"""Models shared by users, groups and the discovery resources: metadata and references."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from .._model import Model, field


class ScimMetadata(Model):
    """Server-maintained metadata of a resource; `version` is the ETag value."""

    resource_type: Literal["User", "Group", "ServiceProviderConfig", "ResourceType", "Schema"] | None = None
    last_modified: datetime | None = None
    location: str | None = None
    version: str | None = None


class ScimV2GroupReference(Model):
    """A group the user belongs to (read-only on the user; change membership on the group)."""

    type: Literal["User", "Group", "ServiceProviderConfig", "ResourceType", "Schema"] | None = None
    value: str | None = None
    ref: str | None = field(default=None, wire="$ref")


class ScimV2MemberReference(Model):
    """A member of a group: `value` is a user id."""

    type: Literal["User", "Group", "ServiceProviderConfig", "ResourceType", "Schema"] | None = None
    value: str | None = None
    ref: str | None = field(default=None, wire="$ref")
