"""The group model (groups are created in Genesys; SCIM reads them and manages membership)."""

from __future__ import annotations

from .._model import Model
from ..urns import GROUP_URN as GROUP_URN  # noqa: F401  # this module named it first
from .common import ScimMetadata, ScimV2MemberReference


class ScimV2Group(Model):
    """A group; change `members` with PUT or, better, PATCH."""

    id: str | None = None
    schemas: list[str] | None = None
    display_name: str | None = None
    external_id: str | None = None
    members: list[ScimV2MemberReference] | None = None
    meta: ScimMetadata | None = None
