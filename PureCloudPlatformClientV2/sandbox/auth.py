"""Bearer tokens: the fixed sandbox token, and client-credentials tokens from POST /oauth/token."""

from __future__ import annotations

import base64
import secrets
import threading
import time
from typing import Any, Callable, Mapping
from urllib.parse import parse_qs

from .errors import OAuthError, PlatformError
from .options import SandboxOptions


class Tokens:
    """Issued tokens and their expiry; the fixed `options.token` never expires."""

    def __init__(self, options: SandboxOptions, clock: Callable[[], float] = time.monotonic) -> None:
        self.options, self.clock = options, clock
        self._issued: dict[str, float] = {}
        self._lock = threading.Lock()

    def issue(self) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            now = self.clock()
            self._issued = {t: exp for t, exp in self._issued.items() if exp > now}  # forget expired ones
            self._issued[token] = now + self.options.token_lifetime
        return token

    def valid(self, token: str) -> bool:
        if _same(token, self.options.token):
            return True
        with self._lock:
            expiry = self._issued.get(token)
        return expiry is not None and expiry > self.clock()

    def authenticate(self, authorization: str | None) -> str:
        """The bearer token of a SCIM request, or a 401 ErrorBody."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise PlatformError(401, "authentication.required",
                                "No authentication bearer token specified in authorization header.")
        if not self.valid(token.strip()):
            raise PlatformError(401, "bad.credentials", "Invalid login credentials.")
        return token.strip()

    def grant(self, headers: Mapping[str, str], body: bytes) -> dict[str, Any]:
        """POST /oauth/token: client credentials by HTTP Basic (or form fields, RFC 6749 §2.3.1)."""
        form = {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        client_id, secret = _basic(headers.get("authorization")) or (form.get("client_id"), form.get("client_secret"))
        if client_id != self.options.client_id or secret is None or \
                not _same(secret, self.options.client_secret):
            raise OAuthError(401, "invalid_client", "client not found or bad credentials")
        if form.get("grant_type") != "client_credentials":
            raise OAuthError(400, "unsupported_grant_type", f"grant_type {form.get('grant_type')!r} is not supported")
        return {"access_token": self.issue(), "token_type": "bearer", "expires_in": self.options.token_lifetime}


def _basic(header: str | None) -> tuple[str, str] | None:
    scheme, _, encoded = (header or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, _, secret = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return client_id, secret


def _same(given: str, expected: str) -> bool:
    # constant-time, and safe for non-ASCII header text (compare_digest refuses non-ASCII str)
    return secrets.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))
