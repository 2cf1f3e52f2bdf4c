"""OAuth for ApiClient: the official SDK's grants, the token state clients share, and renewal.

Every grant POSTs a form to the token URL (`ApiClient._token_url`) and stores what it got in
the client's `Tokens`. A token can be renewed when a refresh token is known (the code grant)
or when it came from client credentials; renewal happens once per call after a 401, or shortly
before expiry, by one thread at a time while the others wait at most
`settings.refresh_token_wait_time` seconds.
"""

from __future__ import annotations

import threading
import time

from .rest import ApiException, TokenError
from .transport import HttpRequestOptions

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol

    from ._deadline import Deadline
    from ._retry import RetryPolicy
    from .pacing import Pacer
    from .settings import Settings
    from .transport import RESTResponse

    class TokenClient(Protocol):
        """What the grants use of an `ApiClient` (this module sits below it and imports it not)."""

        _tokens: Tokens

        def _user_agent(self) -> dict[str, str]: ...

        def _token_url(self, settings: Settings) -> str: ...

        def _send_with_retries(self, options: HttpRequestOptions, method: str, path: str,
                               policy: RetryPolicy, deadline: Deadline, pacer: Pacer | None = None) -> RESTResponse: ...

        def _pacing(self, settings: Settings) -> Pacer | None: ...

        def _decode_json(self, response: RESTResponse, method: str, path: str, expected: str,
                         show_body: bool = True) -> Any: ...

        def _format_error(self, response: RESTResponse, method: str, path: str, problem: str,
                          show_body: bool = True) -> ApiException: ...

TOKEN_PATH = "/oauth/token"
CLIENT_CREDENTIALS = "client_credentials"
AUTHORIZATION_CODE = "authorization_code"
REFRESH_TOKEN = "refresh_token"
SAML2_BEARER = "urn:ietf:params:oauth:grant-type:saml2-bearer"
PKCE = "pkce"  # an authorization_code grant proven by a code verifier instead of a client secret

# The official SDK's verifier alphabet: RFC 7636's unreserved characters without "~".
PKCE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._"
PKCE_LENGTHS = range(43, 129)  # RFC 7636 §4.1


class Credentials:
    """An OAuth client id and secret (the secret may be empty); never shown by repr or str."""

    __slots__ = ("client_id", "_secret")

    def __init__(self, client_id: str, secret: str) -> None:
        self.client_id, self._secret = client_id, secret

    @property
    def secret(self) -> str:
        return self._secret

    def basic_auth(self) -> str:
        import base64

        return base64.b64encode(f"{self.client_id}:{self._secret}".encode()).decode("ascii")

    def __repr__(self) -> str:
        return f"Credentials(client_id={self.client_id!r}, secret={'<redacted>' if self._secret else ''!r})"

    __str__ = __repr__


NO_CREDENTIALS = Credentials("", "")


class Tokens:
    """The token state; clients made by `with_options` share one, so a renewal serves all.

    `grant` is the grant the access token came from; `renewals` counts finished renewal
    attempts and `failure` holds the last one's error, so threads that waited for a renewal
    that failed raise its error instead of repeating the request."""

    __slots__ = ("access_token", "refresh_token", "credentials", "grant", "expires_at", "lock", "renewals",
                 "failure")

    def __init__(self) -> None:
        self.access_token: str | None = None
        self.refresh_token = ""
        self.credentials = NO_CREDENTIALS
        self.grant: str | None = None
        self.expires_at: float | None = None
        self.lock = threading.Lock()
        self.renewals = 0
        self.failure: ApiException | None = None

    def renewal(self) -> Grant | None:
        """The grant that renews the current token, or None when it cannot be renewed."""
        credentials = self.credentials
        if self.refresh_token:
            return refresh_grant(credentials.client_id, credentials.secret, self.refresh_token)
        if self.grant == CLIENT_CREDENTIALS and credentials.client_id:
            return client_credentials_grant(credentials.client_id, credentials.secret)
        return None

    def __repr__(self) -> str:
        shown = {name: "<set>" if getattr(self, name) else "<none>" for name in ("access_token", "refresh_token")}
        return f"Tokens(grant={self.grant!r}, access_token={shown['access_token']}, " \
               f"refresh_token={shown['refresh_token']}, credentials={self.credentials!r})"


class Grant:
    """One token request: the form, the client authentication, and what the answer replaces."""

    __slots__ = ("kind", "form", "credentials", "basic")

    def __init__(self, kind: str, form: dict[str, str], credentials: Credentials, basic: bool = True) -> None:
        self.kind, self.form, self.credentials, self.basic = kind, form, credentials, basic


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    return value


def _client(client_id: Any, client_secret: Any) -> Credentials:
    return Credentials(_text(client_id, "client_id"), _text(client_secret, "client_secret"))


def client_credentials_grant(client_id: str, client_secret: str) -> Grant:
    return Grant(CLIENT_CREDENTIALS, {"grant_type": CLIENT_CREDENTIALS}, _client(client_id, client_secret))


def saml2bearer_grant(client_id: str, client_secret: str, org_name: str, assertion: str) -> Grant:
    form = {"grant_type": SAML2_BEARER, "orgName": _text(org_name, "org_name"),
            "assertion": _text(assertion, "assertion")}
    return Grant(SAML2_BEARER, form, _client(client_id, client_secret))


def code_grant(client_id: str, client_secret: str, auth_code: str, redirect_uri: str) -> Grant:
    form = {"grant_type": AUTHORIZATION_CODE, "code": _text(auth_code, "auth_code"),
            "redirect_uri": _text(redirect_uri, "redirect_uri")}
    return Grant(AUTHORIZATION_CODE, form, _client(client_id, client_secret))


def refresh_grant(client_id: str, client_secret: str, refresh_token: str) -> Grant:
    form = {"grant_type": REFRESH_TOKEN, "refresh_token": _text(refresh_token, "refresh_token")}
    return Grant(REFRESH_TOKEN, form, _client(client_id, client_secret))


def pkce_grant(client_id: str, code_verifier: str, auth_code: str, redirect_uri: str) -> Grant:
    """A public client proves the code with the verifier: no secret, the client id in the form."""
    credentials = Credentials(_text(client_id, "client_id"), "")
    form = {"grant_type": AUTHORIZATION_CODE, "code": _text(auth_code, "auth_code"),
            "code_verifier": _text(code_verifier, "code_verifier"), "client_id": client_id,
            "redirect_uri": _text(redirect_uri, "redirect_uri")}
    return Grant(PKCE, form, credentials, basic=False)


# -- PKCE (RFC 7636) ------------------------------------------------------------------------
def _check_verifier_length(length: int, what: str) -> None:
    if length not in PKCE_LENGTHS:
        raise ValueError(f"PKCE code verifier {what} must be between 43 and 128 characters, got {length}")


def generate_pkce_code_verifier(length: int) -> str:
    """A random verifier of `length` characters, drawn with `secrets` from the official alphabet."""
    if not isinstance(length, int) or isinstance(length, bool):
        raise TypeError(f"length must be an int, got {type(length).__name__}")
    _check_verifier_length(length, "length")
    import secrets

    return "".join(secrets.choice(PKCE_ALPHABET) for _ in range(length))


def compute_pkce_code_challenge(code: str) -> str:
    """The S256 challenge of verifier `code`: BASE64URL(SHA-256(code)) without `=` padding."""
    import base64
    import hashlib

    _text(code, "code")
    _check_verifier_length(len(code), "(code)")
    try:
        raw = code.encode("ascii")
    except UnicodeEncodeError:
        raise ValueError("PKCE code verifier must be ASCII (RFC 7636 unreserved characters)") from None
    return base64.urlsafe_b64encode(hashlib.sha256(raw).digest()).decode("ascii").rstrip("=")


# -- requesting and storing tokens --------------------------------------------------------
def obtain(client: TokenClient, grant: Grant, settings: Settings) -> dict[str, Any]:
    """Run `grant` now (a user's explicit call: it waits for any renewal under way) and store
    the answer; returns the token response."""
    tokens = client._tokens
    with tokens.lock:
        return _run(client, grant, settings)


def renew(client: TokenClient, rejected: str | None, settings: Settings) -> None:
    """Renew the token unless another thread replaced `rejected` meanwhile. Waits at most
    `settings.refresh_token_wait_time` seconds for a renewal under way in another thread."""
    tokens = client._tokens
    finished = tokens.renewals
    wait = settings.refresh_token_wait_time
    if not tokens.lock.acquire(timeout=wait):
        error = ApiException(status=500, reason=f"Token refresh took longer than {wait:g} seconds "
                             "(configuration.refresh_token_wait_time): another thread is still renewing the token")
        error.method, error.path = "POST", TOKEN_PATH
        raise error
    try:
        if tokens.access_token != rejected:
            return  # renewed by another thread while this one waited
        failure = tokens.failure
        if tokens.renewals != finished and failure is not None:
            import copy

            raise copy.copy(failure)  # the renewal this thread waited for failed: do not repeat it
        grant = tokens.renewal()
        if grant is None:
            return
        try:
            _run(client, grant, settings)
        except ApiException as error:
            tokens.failure = error
            raise
        else:
            tokens.failure = None
        finally:
            tokens.renewals += 1
    finally:
        tokens.lock.release()


def _run(client: TokenClient, grant: Grant, settings: Settings) -> dict[str, Any]:
    """POST the grant's form, check the answer, store the tokens (the caller holds the lock)."""
    token = _request(client, grant, settings)
    keep(client._tokens, grant, token)
    return token


def keep(tokens: Tokens, grant: Grant, token: dict[str, Any]) -> None:
    """Store a checked token response of `grant` (shared with the asyncio client)."""
    _store(tokens, grant, token)
    lifetime = token.get("expires_in")
    log_lifetime = f" valid for {lifetime} s" if isinstance(lifetime, (int, float)) else ""
    from .logger import log

    log.debug("fetched an access token (%s grant)%s", grant.kind, log_lifetime)


def token_request(client: TokenClient, grant: Grant, settings: Settings) -> HttpRequestOptions:
    """The POST of `grant` to the token endpoint (shared with the asyncio client)."""
    from urllib.parse import urlencode

    from ._endpoint import check_header_value

    headers = {"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded",
               **{name: check_header_value(name, value) for name, value in client._user_agent().items()}}
    if grant.basic:
        headers["Authorization"] = "Basic " + grant.credentials.basic_auth()
    from ._netenv import transport_for_url

    url = client._token_url(settings)
    options = HttpRequestOptions(url, "POST", headers, body=urlencode(grant.form).encode(), timeout=settings.timeout,
                                 transport=transport_for_url(settings.transport, settings.proxies, url))
    return options


def _request(client: TokenClient, grant: Grant, settings: Settings) -> dict[str, Any]:
    from ._deadline import Deadline

    options = token_request(client, grant, settings)
    # a token request has a deadline of its own (the configured length), not a share of the call's
    # the token endpoint is rate-limited too: the same pacer spaces these requests
    response = client._send_with_retries(options, "POST", TOKEN_PATH, settings.retry, Deadline(settings.deadline),
                                         client._pacing(settings))
    return read_token(client, response)


def read_token(client: TokenClient, response: RESTResponse) -> dict[str, Any]:
    """The token response, checked; a failed or malformed one raises, never showing its body."""
    if not 200 <= response.status < 300:
        raise TokenError.from_response(response, "POST", TOKEN_PATH)
    token = client._decode_json(response, "POST", TOKEN_PATH, "token response", show_body=False)
    if not isinstance(token, dict) or not isinstance(token.get("access_token"), str) or not token["access_token"]:
        raise client._format_error(response, "POST", TOKEN_PATH, "token response has no access_token",
                                   show_body=False)
    return token


def _store(tokens: Tokens, grant: Grant, token: dict[str, Any]) -> None:
    lifetime = token.get("expires_in")
    if not isinstance(lifetime, (int, float)) or isinstance(lifetime, bool):
        lifetime = None
    refresh = token.get("refresh_token")
    if grant.kind == AUTHORIZATION_CODE:
        tokens.refresh_token = refresh if isinstance(refresh, str) else ""
    elif grant.kind == REFRESH_TOKEN:
        if isinstance(refresh, str) and refresh:  # servers may keep the old one (RFC 6749 §6)
            tokens.refresh_token = refresh
    else:  # a token of another grant: a refresh token from before belongs to someone else
        tokens.refresh_token = ""
    tokens.credentials = grant.credentials
    tokens.grant = grant.kind
    # Expiry first, token second: a thread that reads the new token also sees its expiry.
    tokens.expires_at = None if lifetime is None else time.monotonic() + lifetime
    tokens.access_token = token["access_token"]


def login_host(host: str) -> str:
    """`https://login.<domain>` for `https://api.<domain>`; other hosts serve it themselves."""
    return host.replace("//api.", "//login.", 1) if "//api." in host else host
