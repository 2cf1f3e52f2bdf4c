"""SandboxOptions: every setting of the sandbox, shared by the CLI and the `Sandbox` class."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, fields
from typing import Any

PROFILES = ("rfc", "genesys-strict")
MiB = 1024 * 1024


def _secret() -> str:
    return secrets.token_urlsafe(24)


@dataclass
class SandboxOptions:
    """Read by the server at each request, so changing a field on a running sandbox takes effect."""

    host: str = "127.0.0.1"
    port: int = 0  # 0 = any free port
    token: str = field(default_factory=_secret)  # a fixed bearer token that never expires
    client_id: str = "sandbox-client"
    client_secret: str = field(default_factory=_secret)
    token_lifetime: int = 86400  # seconds, for tokens issued by POST /oauth/token
    code_lifetime: float = 60.0  # seconds an authorization code from GET /oauth/authorize can be redeemed
    redirect_uris: tuple[str, ...] = ()  # the redirect URIs the client may use; empty = any http(s) URL
    rotate_refresh_tokens: bool = True  # a refresh grant returns a new refresh token and ends the old one
    org_name: str = "sandbox"  # the orgName the SAML2 bearer grant expects
    saml_issuer: str = "sandbox-idp"  # the Issuer of the SAML assertions the sandbox trusts
    db: str | None = None  # SQLite path; None = in memory
    seed: int = 0  # number of generated users added at start
    profile: str = "rfc"  # "rfc": full filter grammar; "genesys-strict": documented forms only
    lenient_usernames: bool = False  # accept userNames that are not e-mail addresses
    max_count: int = 100  # larger `count` values are clamped to this
    page_limit_429: bool = False  # Genesys: count > 25 without attribute pruning -> 429
    max_body_bytes: int = MiB  # larger request bodies -> 413
    # fault injection (see faults.py)
    latency: float = 0.0  # seconds added to every request
    error_429_rate: float = 0.0  # share of SCIM requests answered 429 + Retry-After
    error_503_rate: float = 0.0  # share of SCIM requests answered 503
    rate_limit: int = 0  # requests per window (a minute unless rate_limit_window says) per token; 0 = unlimited
    rate_limit_window: float = 60.0  # seconds the rate_limit counts over (Genesys: 60; shorter for tests)
    retry_after: int = 1  # Retry-After seconds on injected 429s
    fault_seed: int | None = None  # seeds the fault draws, for reproducible runs
    log_requests: bool = False  # one line per request on stderr

    def __post_init__(self) -> None:
        if self.profile not in PROFILES:
            raise ValueError(f"profile must be one of {PROFILES}, not {self.profile!r}")
        for name in ("error_429_rate", "error_503_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        if self.latency < 0 or self.rate_limit < 0 or self.max_count < 1:
            raise ValueError("latency and rate_limit must be >= 0, max_count >= 1")
        if not self.code_lifetime >= 0:  # also refuses nan
            raise ValueError(f"code_lifetime must be seconds >= 0, not {self.code_lifetime!r}")
        if isinstance(self.redirect_uris, str):
            raise TypeError("redirect_uris must be a sequence of URLs, not one string")
        self.redirect_uris = tuple(self.redirect_uris)
        if not self.rate_limit_window > 0 or self.rate_limit_window == float("inf"):
            raise ValueError(f"rate_limit_window must be seconds > 0, got {self.rate_limit_window!r}")

    @property
    def strict(self) -> bool:
        return self.profile == "genesys-strict"

    @classmethod
    def from_kwargs(cls, **kwargs: Any) -> SandboxOptions:
        """Build from keyword arguments, leaving out the ones given as None (= default)."""
        known = {f.name for f in fields(cls)}
        unknown = set(kwargs) - known
        if unknown:
            raise TypeError(f"unknown sandbox option(s): {', '.join(sorted(unknown))}")
        return cls(**{k: v for k, v in kwargs.items() if v is not None or k in ("db", "fault_seed")})
