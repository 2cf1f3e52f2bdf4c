"""Protocol messages: list responses, PATCH requests, errors and the empty answer."""

from __future__ import annotations

from typing import Any, Literal

from .._model import Model, field
from ..urns import ERROR_URN as ERROR_URN  # noqa: F401  # these three were first named here
from ..urns import LIST_RESPONSE_URN as LIST_RESPONSE_URN  # noqa: F401
from ..urns import PATCH_OP_URN as PATCH_OP_URN  # noqa: F401
from .config import ScimConfigResourceType, ScimV2SchemaDefinition
from .groups import ScimV2Group
from .users import ScimV2User

LIMIT_NAMESPACES = (
    "users.rules", "voice.transcription", "agent.assistant", "agentic.virtual.agents",
    "analytics.agents", "analytics.alerting", "analytics.data.extraction", "analytics",
    "analytics.realtime", "analytics.reporting.settings", "anomaly.detection", "architect",
    "audiohook", "audiohook.monitor", "audit", "auth.api", "authorization", "automation.testing",
    "bots", "bots.voice", "business.rules", "callback", "case.management", "cobrowse",
    "content.management", "conversation", "copilot", "dataactions", "datatables", "directory",
    "dsar", "email", "employee.engagement", "event.orchestration", "external.contacts",
    "external.events.data.ingestion", "gamification", "gcv", "gdpr", "groups", "guides",
    "historical.adherence", "infrastructureascode", "integrations", "intent.miner",
    "internal.messaging", "journey", "knowledge", "language.understanding", "learning",
    "limit.registry", "marketplace", "mcp.analytics.aggregates", "mcp", "media.communications",
    "messaging", "micro.frontend", "multi.org", "notifications", "onboarding",
    "organization.notice", "outbound", "platform.api", "predictive.routing", "presence", "quality",
    "recording", "response.management", "routing", "scim", "screen.monitoring", "sda", "search",
    "secondary.automation.testing", "skills", "social.media", "speech.and.text.analytics",
    "speech.integration", "supportability", "task.management", "telephony.configuration", "usage",
    "users", "web.deployments", "web.messaging", "webchat", "webhooks",
    "workforce.management.adherence", "workforce.management.agent.availability",
    "workforce.management.forecast", "workforce.management",
    "workforce.management.scheduling.preferences", "workforce.management.self.schedule",
    "workforce.management.shift.trading", "system",
)


class ScimListResponse(Model):
    """One page of a query: `resources` holds up to `items_per_page` items."""

    schemas: list[str] | None = None
    total_results: int | None = None
    start_index: int | None = None
    items_per_page: int | None = None
    resources: list[Any] | None = field(default=None, wire="Resources")


class ScimUserListResponse(ScimListResponse):
    """One page of users."""

    resources: list[ScimV2User] | None = field(default=None, wire="Resources")


class ScimGroupListResponse(ScimListResponse):
    """One page of groups."""

    resources: list[ScimV2Group] | None = field(default=None, wire="Resources")


class ScimConfigResourceTypesListResponse(ScimListResponse):
    """The resource types the service offers."""

    resources: list[ScimConfigResourceType] | None = field(default=None, wire="Resources")


class ScimV2SchemaListResponse(ScimListResponse):
    """The schemas the service offers."""

    resources: list[ScimV2SchemaDefinition] | None = field(default=None, wire="Resources")


class ScimV2PatchOperation(Model):
    """One PATCH operation: `op` is add, replace or remove; `path` may hold a value filter."""

    op: Literal["add", "replace", "remove"] | None = None
    path: str | None = None
    value: Any | None = None


class ScimV2PatchRequest(Model):
    """A PATCH body; `schemas` must be the PatchOp URN (the patch helpers fill it in)."""

    schemas: list[str] | None = None
    operations: list[ScimV2PatchOperation] | None = field(default=None, wire="Operations")


class PatchOperation(ScimV2PatchOperation):
    """The older documented name of `ScimV2PatchOperation` (same wire form)."""


class PatchRequest(Model):
    """The older documented body of the group patch methods; same wire form as `ScimV2PatchRequest`."""

    schemas: list[str] | None = None
    operations: list[PatchOperation] | None = field(default=None, wire="Operations")


class ScimError(Model):
    """A SCIM error body; `status` is a string, `scim_type` says what kind of 400 it is."""

    schemas: list[str] | None = None
    status: str | None = None
    scim_type: Literal[
        "invalidFilter", "tooMany", "uniqueness", "mutability", "invalidSyntax",
        "invalidPath", "noTarget", "invalidValue", "invalidVers", "sensitive",
    ] | None = None
    detail: str | None = None


class Detail(Model):
    """One detail of a platform error."""

    error_code: str | None = None
    field_name: str | None = None
    entity_id: str | None = None
    entity_name: str | None = None


class Limit(Model):
    """The limit a platform error is about (e.g. a rate limit)."""

    key: str | None = None
    namespace: str | None = field(default=None, allowed=LIMIT_NAMESPACES)
    value: int | None = None


class ErrorBody(Model):
    """A Genesys platform error (401, 403, 404, 429, 5xx); `status` is an integer here."""

    message: str | None = None
    code: str | None = None
    status: int | None = None
    entity_id: str | None = None
    entity_name: str | None = None
    message_with_params: str | None = None
    message_params: dict[str, str] | None = None
    context_id: str | None = None
    details: list[Detail] | None = None
    errors: list[ErrorBody] | None = None
    limit: Limit | None = None


class Empty(Model):
    """The answer of a delete: no content."""
