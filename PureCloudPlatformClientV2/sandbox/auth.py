"""OAuth: the fixed sandbox token, GET /oauth/authorize (approved at once) and the grants of
POST /oauth/token: client credentials, authorization code (with a secret, or PKCE S256),
refresh token (rotated by default) and SAML2 bearer (a test assertion, see `saml_assertion`)."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import threading
import time
from typing import Any, Callable, Mapping
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from .errors import OAuthError, PlatformError
from .options import SandboxOptions


class Tokens:
    """Issued tokens and their expiry; the fixed `options.token` never expires."""

    def __init__(self, options: SandboxOptions, clock: Callable[[], float] = time.monotonic) -> None:
        self.options, self.clock = options, clock
        self._issued: dict[str, float] = {}  # access token -> expiry
        self._refresh: dict[str, str] = {}  # refresh token -> client id
        self._codes: dict[str, _Code] = {}
        self._lock = threading.Lock()

    def issue(self) -> str:
        with self._lock:
            return self._issue_locked()

    def _issue_locked(self) -> str:
        token = secrets.token_urlsafe(32)
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

    def revoke(self, token: str) -> bool:
        """Make an issued access or refresh token invalid (e.g. to provoke a 401 in a test)."""
        with self._lock:
            return self._issued.pop(token, None) is not None or self._refresh.pop(token, None) is not None

    # -- GET /oauth/authorize ------------------------------------------------------------------
    def authorize(self, params: Mapping[str, str]) -> str:
        """Approve at once: the redirect URL carrying a new code (or, for a request that
        names a known client and redirect_uri, its error). Raises OAuthError otherwise."""
        client_id, redirect_uri = params.get("client_id"), params.get("redirect_uri")
        if client_id != self.options.client_id:
            raise OAuthError(400, "invalid_client", "client_id is missing or not a known client")
        if not redirect_uri or urlsplit(redirect_uri).scheme not in ("http", "https") or "#" in redirect_uri:
            raise OAuthError(400, "invalid_request", "redirect_uri must be an absolute http(s) URL without a fragment")
        if self.options.redirect_uris and redirect_uri not in self.options.redirect_uris:
            raise OAuthError(400, "invalid_request", "redirect_uri is not registered for this client")
        reply = {"state": params["state"]} if "state" in params else {}
        challenge, method = params.get("code_challenge"), params.get("code_challenge_method")
        if params.get("response_type") != "code":
            return _with_query(redirect_uri, error="unsupported_response_type",
                               error_description="response_type must be code", **reply)
        if (method or challenge) and (method != "S256" or not challenge or not _CHALLENGE.fullmatch(challenge)):
            return _with_query(redirect_uri, error="invalid_request",
                               error_description="PKCE needs code_challenge (43 base64url characters) with "
                                                 "code_challenge_method=S256", **reply)
        code = secrets.token_urlsafe(24)
        with self._lock:
            now = self.clock()
            self._codes = {c: g for c, g in self._codes.items() if g.expires > now}  # forget expired ones
            self._codes[code] = _Code(client_id, redirect_uri, challenge, now + self.options.code_lifetime)
        return _with_query(redirect_uri, code=code, **reply)

    # -- POST /oauth/token ---------------------------------------------------------------------
    def grant(self, headers: Mapping[str, str], body: bytes) -> dict[str, Any]:
        """Client credentials, authorization code (with a secret, or PKCE's verifier), refresh
        token and SAML2 bearer. The client authenticates by HTTP Basic or form fields (RFC 6749
        §2.3.1); a PKCE client sends only its client_id."""
        form = {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        grant_type = form.get("grant_type")
        basic = _basic(headers.get("authorization"))
        client_id, secret = basic or (form.get("client_id"), form.get("client_secret"))
        public = basic is None and secret is None and grant_type == "authorization_code" and "code_verifier" in form
        if client_id != self.options.client_id or not public and (
                secret is None or not _same(secret, self.options.client_secret)):
            raise OAuthError(401, "invalid_client", "client not found or bad credentials")
        if grant_type == "client_credentials":
            return self._answer()
        if grant_type == "authorization_code":
            return self._redeem(client_id, form, public)
        if grant_type == "refresh_token":
            return self._refresh_grant(client_id, form)
        if grant_type == SAML2_BEARER:
            return self._saml(form)
        if not grant_type:
            raise OAuthError(400, "invalid_request", "grant_type is required")
        raise OAuthError(400, "unsupported_grant_type", f"grant_type {grant_type!r} is not supported")

    def _answer(self, refresh_for: str | None = None) -> dict[str, Any]:
        with self._lock:
            return self._answer_locked(refresh_for)

    def _answer_locked(self, refresh_for: str | None = None) -> dict[str, Any]:
        """A token response; with `refresh_for` (a client id), a refresh token for that client too."""
        answer: dict[str, Any] = {"access_token": self._issue_locked(), "token_type": "bearer",
                                  "expires_in": self.options.token_lifetime}
        if refresh_for is not None:
            answer["refresh_token"] = refresh = secrets.token_urlsafe(32)
            self._refresh[refresh] = refresh_for
        return answer

    def _redeem(self, client_id: str, form: Mapping[str, str], public: bool) -> dict[str, Any]:
        code = form.get("code")
        if not code:
            raise OAuthError(400, "invalid_request", "code is required")
        with self._lock:  # checked and spent in one step: a code is redeemed at most once
            record = self._codes.get(code)
            if record is None:
                raise OAuthError(400, "invalid_grant", "authorization code is unknown")
            if record.spent:
                for token in record.issued:  # RFC 6749 §4.1.2: revoke what the code gave
                    self._issued.pop(token, None)
                    self._refresh.pop(token, None)
                raise OAuthError(400, "invalid_grant", "authorization code has already been used")
            if record.expires <= self.clock():
                raise OAuthError(400, "invalid_grant", "authorization code has expired")
            if record.client_id != client_id:
                raise OAuthError(400, "invalid_grant", "authorization code was issued to another client")
            if form.get("redirect_uri") != record.redirect_uri:
                raise OAuthError(400, "invalid_grant", "redirect_uri does not match the authorization request")
            verifier = form.get("code_verifier")
            if record.challenge is None and public:
                raise OAuthError(401, "invalid_client", "client authentication is required: the "
                                 "authorization request had no code_challenge")
            if record.challenge is not None:
                if not verifier:
                    raise OAuthError(400, "invalid_grant", "code_verifier is required: the authorization "
                                     "request had a code_challenge")
                if not _VERIFIER.fullmatch(verifier):
                    raise OAuthError(400, "invalid_grant", "code_verifier must be 43 to 128 unreserved characters")
                if not _same(s256(verifier), record.challenge):
                    raise OAuthError(400, "invalid_grant", "code_verifier does not match the code_challenge")
            record.spent = True
            answer = self._answer_locked(refresh_for=None if public else client_id)  # PKCE: no refresh token
            record.issued = [answer["access_token"], *([answer["refresh_token"]] if "refresh_token" in answer else [])]
        return answer

    def _refresh_grant(self, client_id: str, form: Mapping[str, str]) -> dict[str, Any]:
        refresh = form.get("refresh_token")
        if not refresh:
            raise OAuthError(400, "invalid_request", "refresh_token is required")
        with self._lock:
            if self._refresh.get(refresh) != client_id:
                raise OAuthError(400, "invalid_grant", "refresh token is unknown, revoked or of another client")
            if self.options.rotate_refresh_tokens:
                del self._refresh[refresh]  # a refresh token is good for one renewal
                return self._answer_locked(refresh_for=client_id)
            return {**self._answer_locked(), "refresh_token": refresh}

    def _saml(self, form: Mapping[str, str]) -> dict[str, Any]:
        org_name, assertion = form.get("orgName"), form.get("assertion")
        if not org_name or not assertion:
            raise OAuthError(400, "invalid_request", "orgName and assertion are required")
        if org_name != self.options.org_name:
            raise OAuthError(400, "invalid_grant", f"organization {org_name!r} is unknown")
        if not trusted_assertion(assertion, self.options.saml_issuer):
            raise OAuthError(400, "invalid_grant", "the assertion is not a SAML assertion issued by the "
                             "trusted identity provider")
        return self._answer()


SAML2_BEARER = "urn:ietf:params:oauth:grant-type:saml2-bearer"
_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")  # RFC 7636 §4.1
_CHALLENGE = re.compile(r"[A-Za-z0-9\-_]{43}")  # base64url of a SHA-256 digest, unpadded
_ISSUER = re.compile(r"<(?:[\w.-]+:)?Issuer\b[^>]*>\s*([^<]*?)\s*</(?:[\w.-]+:)?Issuer\s*>")


class _Code:
    """An authorization code: whom it was issued to, and for which redirect and challenge."""

    __slots__ = ("client_id", "redirect_uri", "challenge", "expires", "spent", "issued")

    def __init__(self, client_id: str, redirect_uri: str, challenge: str | None, expires: float) -> None:
        self.client_id, self.redirect_uri, self.challenge, self.expires = client_id, redirect_uri, challenge, expires
        self.spent = False
        self.issued: list[str] = []


def s256(verifier: str) -> str:
    """RFC 7636 S256: BASE64URL(SHA-256(ASCII(verifier))) without padding."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).decode("ascii").rstrip("=")


def saml_assertion(issuer: str, subject: str = "sandbox-user@example.com") -> str:
    """A base64 SAML 2.0 assertion the sandbox accepts when `issuer` is its `saml_issuer`
    (unsigned: the sandbox checks only its form and issuer)."""
    from xml.sax.saxutils import escape

    xml = ('<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" Version="2.0" '
           f'ID="_{secrets.token_hex(16)}"><saml2:Issuer>{escape(issuer)}</saml2:Issuer>'
           f'<saml2:Subject><saml2:NameID>{escape(subject)}</saml2:NameID></saml2:Subject></saml2:Assertion>')
    return base64.b64encode(xml.encode("utf-8")).decode("ascii")


def trusted_assertion(assertion: str, issuer: str) -> bool:
    """Base64 (standard or URL-safe, padding optional) of XML text with an `Assertion` element
    whose `Issuer` is `issuer`."""
    text = assertion.strip().replace("-", "+").replace("_", "/")
    try:
        xml = base64.b64decode(text + "=" * (-len(text) % 4), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return False
    found = _ISSUER.search(xml)
    return bool(re.search(r"<(?:[\w.-]+:)?Assertion\b", xml)) and found is not None and found.group(1) == issuer


def _with_query(url: str, **values: str) -> str:
    """`url` with `values` added to its query (RFC 6749 §3.1.2: keep the query it has)."""
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode(values)) if q)
    return urlunsplit(parts._replace(query=query))


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
