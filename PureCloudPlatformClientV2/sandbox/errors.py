"""The two error shapes the sandbox answers with: SCIM errors and Genesys ErrorBody."""

from __future__ import annotations

import uuid
from http import HTTPStatus
from typing import Any

from ..urns import ERROR_URN


class ScimError(Exception):
    """A SCIM-level refusal: `{"schemas":[Error], "status":"400", "scimType", "detail"}`.

    `status` is a string on the wire (RFC 7644 §3.12 and Genesys' ScimError model).
    """

    def __init__(self, status: int, detail: str, scim_type: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.scim_type = status, detail, scim_type
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"schemas": [ERROR_URN], "status": str(self.status), "detail": self.detail}
        if self.scim_type:
            body["scimType"] = self.scim_type
        return body


class PlatformError(Exception):
    """A gateway/platform refusal answered as Genesys' ErrorBody (integer `status`)."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}

    def body(self, correlation_id: str | None = None) -> dict[str, Any]:
        return {"message": self.message, "code": self.code, "status": self.status,
                "contextId": correlation_id or str(uuid.uuid4()), "details": [], "errors": []}


class OAuthError(Exception):
    """An RFC 6749 §5.2 token-endpoint error such as `invalid_client`."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status, self.error, self.description = status, error, description

    def body(self) -> dict[str, Any]:
        return {"error": self.error, "description": self.description, "error_description": self.description}


def invalid_value(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidValue")


def not_found(kind: str, resource_id: str) -> ScimError:
    return ScimError(404, f"{kind} {resource_id} not found")


def no_route(path: str) -> ScimError:
    """404 for a path under the SCIM prefix that names no SCIM resource (RFC 7644 §3.12 error)."""
    return ScimError(404, f"No resource at {path}")


def method_not_allowed(method: str, path: str, allow: str, detail: str | None = None) -> ScimError:
    return ScimError(405, detail or f"HTTP {method} is not supported on {path}", headers={"Allow": allow})


def platform_code(status: int) -> str:
    """Genesys' dotted error code for a status, e.g. 431 -> "request.header.fields.too.large"."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        return "error"
    return phrase.lower().replace("-", ".").replace(" ", ".")
