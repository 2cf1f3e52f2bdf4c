"""The sandbox's OAuth server: /oauth/authorize approves at once, /oauth/token serves the code
(secret or PKCE), refresh and SAML2 bearer grants and refuses as RFC 6749 §5.2 says."""

from __future__ import annotations

import base64
import dataclasses
import inspect
import json
import urllib.error
import urllib.request
from typing import Any, Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from PureCloudPlatformClientV2.sandbox import Sandbox, SandboxOptions
from PureCloudPlatformClientV2.sandbox.__main__ import build_parser
from PureCloudPlatformClientV2.sandbox.auth import s256

REDIRECT = "http://localhost:8085/callback"
VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"  # RFC 7636 appendix B (43 characters)
CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


class KeepRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None  # hand the 302 back to the caller instead of following it


def open_authorize(url: str) -> tuple[int, dict[str, str], bytes]:
    """GET `url` with urllib, not following a redirect: (status, headers, body)."""
    try:
        with urllib.request.build_opener(KeepRedirect).open(url, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as answer:
        with answer:
            return answer.code, dict(answer.headers), answer.read()


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def post_token(sandbox: Sandbox, form: dict[str, str], basic: tuple[str, str] | None = None) -> tuple[int, dict[str, Any], dict[str, str]]:
    """POST the form to /oauth/token over HTTP with urllib: (status, JSON body, headers)."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if basic:
        headers["Authorization"] = "Basic " + base64.b64encode(":".join(basic).encode()).decode()
    request = urllib.request.Request(sandbox.url + "/oauth/token", urlencode(form).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read()), dict(answer.headers)
    except urllib.error.HTTPError as answer:
        with answer:
            return answer.code, json.loads(answer.read()), dict(answer.headers)


def client_of(sandbox: Sandbox) -> tuple[str, str]:
    return sandbox.client_id, sandbox.client_secret


def scim_status(sandbox: Sandbox, token: str) -> int:
    request = urllib.request.Request(sandbox.scim_url + "/users?count=1", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as answer:
        answer.close()
        return answer.code


@pytest.fixture
def oauth_sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


def redeem(sandbox: Sandbox, code: str, redirect: str = REDIRECT, **extra: str) -> tuple[int, dict[str, Any], dict[str, str]]:
    return post_token(sandbox, {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect, **extra},
                      client_of(sandbox))


# -- the code grant, whole, with urllib ----------------------------------------------------------
def test_the_code_flow_over_http_with_urllib(oauth_sandbox: Sandbox) -> None:
    status, headers, body = open_authorize(oauth_sandbox.authorize_url(REDIRECT, state="xyz 1"))
    assert status == 302 and body == b"" and headers["Cache-Control"] == "no-store"
    location = headers["Location"]
    assert location.startswith(REDIRECT + "?")
    reply = query_of(location)
    assert reply["state"] == "xyz 1" and len(reply["code"]) >= 20
    status, token, token_headers = redeem(oauth_sandbox, reply["code"])
    assert status == 200 and token_headers["Cache-Control"] == "no-store"
    assert token["token_type"] == "bearer" and token["expires_in"] == 86400
    assert token["access_token"] and token["refresh_token"] and token["access_token"] != token["refresh_token"]
    assert scim_status(oauth_sandbox, token["access_token"]) == 200
    assert scim_status(oauth_sandbox, token["refresh_token"]) == 401  # a refresh token is no bearer token


def test_the_redirect_keeps_the_query_of_the_redirect_uri(oauth_sandbox: Sandbox) -> None:
    _, headers, _ = open_authorize(oauth_sandbox.authorize_url(REDIRECT + "?app=1"))
    assert headers["Location"].startswith(REDIRECT + "?app=1&code=") and "state" not in query_of(headers["Location"])


def test_a_code_is_good_once_and_its_reuse_revokes_what_it_gave(oauth_sandbox: Sandbox) -> None:
    code = oauth_sandbox.authorization_code(REDIRECT)
    status, token, _ = redeem(oauth_sandbox, code)
    assert status == 200
    status, refused, headers = redeem(oauth_sandbox, code)
    assert status == 400 and headers["Content-Type"].startswith("application/json")
    assert refused == {"error": "invalid_grant", "description": "authorization code has already been used",
                       "error_description": "authorization code has already been used"}
    assert scim_status(oauth_sandbox, token["access_token"]) == 401  # RFC 6749 §4.1.2
    refresh = post_token(oauth_sandbox, {"grant_type": "refresh_token", "refresh_token": token["refresh_token"]},
                         client_of(oauth_sandbox))
    assert refresh[0] == 400 and refresh[1]["error"] == "invalid_grant"


@pytest.mark.parametrize(("change", "status", "error", "description"), [
    ({"redirect_uri": REDIRECT + "/other"}, 400, "invalid_grant", "redirect_uri does not match"),
    ({"redirect_uri": None}, 400, "invalid_grant", "redirect_uri does not match"),
    ({"code": "no-such-code"}, 400, "invalid_grant", "authorization code is unknown"),
    ({"code": None}, 400, "invalid_request", "code is required"),
    ({"client": ("sandbox-client", "wrong")}, 401, "invalid_client", "bad credentials"),
    ({"client": ("other-client", "x")}, 401, "invalid_client", "client not found"),
    ({"grant_type": None}, 400, "invalid_request", "grant_type is required"),
])
def test_code_exchange_refusals(oauth_sandbox: Sandbox, change: dict[str, Any], status: int, error: str,
                                description: str) -> None:
    form = {"grant_type": "authorization_code", "code": oauth_sandbox.authorization_code(REDIRECT),
            "redirect_uri": REDIRECT}
    client = change.pop("client", client_of(oauth_sandbox))
    for name, value in change.items():
        if value is None:
            del form[name]
        else:
            form[name] = value
    answer_status, body, _ = post_token(oauth_sandbox, form, client)
    assert (answer_status, body["error"]) == (status, error)
    assert description in body["error_description"] and body["description"] == body["error_description"]


def test_an_expired_code_is_refused(oauth_sandbox: Sandbox) -> None:
    now = [1000.0]
    oauth_sandbox.app.tokens.clock = lambda: now[0]
    oauth_sandbox.options.code_lifetime = 30
    code, late = oauth_sandbox.authorization_code(REDIRECT), oauth_sandbox.authorization_code(REDIRECT)
    now[0] += 29.5
    assert redeem(oauth_sandbox, code)[0] == 200
    now[0] += 0.5  # 30 s after it was issued
    status, body, _ = redeem(oauth_sandbox, late)
    assert (status, body["error"], body["error_description"]) == (400, "invalid_grant", "authorization code has expired")


def test_a_code_lifetime_of_zero_expires_codes_at_once() -> None:
    with Sandbox(code_lifetime=0) as sandbox:
        status, body, _ = redeem(sandbox, sandbox.authorization_code(REDIRECT))
    assert (status, body["error_description"]) == (400, "authorization code has expired")


# -- /oauth/authorize refusals -------------------------------------------------------------------
@pytest.mark.parametrize(("params", "error"), [
    ({"client_id": "other"}, "invalid_client"),
    ({"client_id": None}, "invalid_client"),
    ({"redirect_uri": None}, "invalid_request"),
    ({"redirect_uri": "/relative"}, "invalid_request"),
    ({"redirect_uri": "javascript:alert(1)"}, "invalid_request"),
    ({"redirect_uri": REDIRECT + "#fragment"}, "invalid_request"),
])
def test_authorize_does_not_redirect_to_an_unverified_place(oauth_sandbox: Sandbox, params: dict[str, Any],
                                                            error: str) -> None:
    query = {"response_type": "code", "client_id": oauth_sandbox.client_id, "redirect_uri": REDIRECT, **params}
    url = oauth_sandbox.url + "/oauth/authorize?" + urlencode({k: v for k, v in query.items() if v is not None})
    status, headers, body = open_authorize(url)
    assert status == 400 and "Location" not in headers and json.loads(body)["error"] == error


@pytest.mark.parametrize(("params", "error"), [
    ({"response_type": "token"}, "unsupported_response_type"),
    ({"code_challenge": CHALLENGE, "code_challenge_method": "plain"}, "invalid_request"),
    ({"code_challenge": CHALLENGE}, "invalid_request"),  # the method is S256 and must be said
    ({"code_challenge": "short", "code_challenge_method": "S256"}, "invalid_request"),
    ({"code_challenge_method": "S256"}, "invalid_request"),
])
def test_authorize_reports_other_refusals_to_the_redirect_uri(oauth_sandbox: Sandbox, params: dict[str, str],
                                                              error: str) -> None:
    query = {"response_type": "code", "client_id": oauth_sandbox.client_id, "redirect_uri": REDIRECT,
             "state": "s1", **params}
    status, headers, _ = open_authorize(oauth_sandbox.url + "/oauth/authorize?" + urlencode(query))
    reply = query_of(headers["Location"])
    assert status == 302 and reply["error"] == error and reply["state"] == "s1" and "code" not in reply
    assert reply["error_description"]


def test_registered_redirect_uris_are_enforced() -> None:
    with Sandbox(serve=False, redirect_uris=[REDIRECT]) as sandbox:
        assert sandbox.authorization_code(REDIRECT)
        with pytest.raises(ValueError, match="invalid_request: redirect_uri is not registered"):
            sandbox.authorization_code("http://localhost:9999/elsewhere")


def test_authorize_takes_only_get(http: Any) -> None:
    answer = http.request("POST", "/oauth/authorize", token=None)
    assert answer.status == 405 and answer.headers["Allow"] == "GET, HEAD"


# -- PKCE ----------------------------------------------------------------------------------------
def test_s256_matches_rfc_7636_appendix_b() -> None:
    assert s256(VERIFIER) == CHALLENGE


def test_pkce_code_exchange_needs_the_verifier_and_no_secret(oauth_sandbox: Sandbox) -> None:
    code = oauth_sandbox.authorization_code(REDIRECT, code_challenge=CHALLENGE)
    status, token, _ = post_token(oauth_sandbox, {"grant_type": "authorization_code", "code": code,
                                                  "code_verifier": VERIFIER, "client_id": oauth_sandbox.client_id,
                                                  "redirect_uri": REDIRECT})
    assert status == 200 and "refresh_token" not in token  # a public client gets no refresh token
    assert scim_status(oauth_sandbox, token["access_token"]) == 200


@pytest.mark.parametrize(("verifier", "description"), [
    (VERIFIER[:-1] + "B", "code_verifier does not match the code_challenge"),
    (None, "code_verifier is required"),
    ("short", "code_verifier must be 43 to 128 unreserved characters"),
    ("a" * 129, "code_verifier must be 43 to 128 unreserved characters"),
    (VERIFIER[:-1] + "+", "code_verifier must be 43 to 128 unreserved characters"),
])
def test_pkce_refusals(oauth_sandbox: Sandbox, verifier: str | None, description: str) -> None:
    code = oauth_sandbox.authorization_code(REDIRECT, code_challenge=CHALLENGE)
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    if verifier is not None:
        form["code_verifier"] = verifier
    status, body, _ = post_token(oauth_sandbox, form, client_of(oauth_sandbox))  # even with the secret
    assert (status, body["error"]) == (400, "invalid_grant") and description in body["error_description"]


def test_a_code_without_a_challenge_needs_the_client_secret(oauth_sandbox: Sandbox) -> None:
    code = oauth_sandbox.authorization_code(REDIRECT)
    status, body, _ = post_token(oauth_sandbox, {"grant_type": "authorization_code", "code": code,
                                                 "code_verifier": VERIFIER, "client_id": oauth_sandbox.client_id,
                                                 "redirect_uri": REDIRECT})
    assert (status, body["error"]) == (401, "invalid_client") and "code_challenge" in body["error_description"]
    assert redeem(oauth_sandbox, code)[0] == 200  # the refused attempt did not spend the code


def test_a_pkce_client_must_be_known(oauth_sandbox: Sandbox) -> None:
    code = oauth_sandbox.authorization_code(REDIRECT, code_challenge=CHALLENGE)
    status, body, _ = post_token(oauth_sandbox, {"grant_type": "authorization_code", "code": code,
                                                 "code_verifier": VERIFIER, "client_id": "someone-else",
                                                 "redirect_uri": REDIRECT})
    assert (status, body["error"]) == (401, "invalid_client")


# -- refresh tokens ------------------------------------------------------------------------------
def test_refresh_tokens_rotate_by_default(oauth_sandbox: Sandbox) -> None:
    first = redeem(oauth_sandbox, oauth_sandbox.authorization_code(REDIRECT))[1]
    form = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    status, second, _ = post_token(oauth_sandbox, form, client_of(oauth_sandbox))
    assert status == 200 and second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"] and scim_status(oauth_sandbox, second["access_token"]) == 200
    status, again, _ = post_token(oauth_sandbox, form, client_of(oauth_sandbox))  # the old one is spent
    assert (status, again["error"]) == (400, "invalid_grant")
    assert scim_status(oauth_sandbox, first["access_token"]) == 200  # access tokens live out their lifetime


def test_refresh_tokens_can_stay_the_same() -> None:
    with Sandbox(rotate_refresh_tokens=False) as sandbox:
        first = redeem(sandbox, sandbox.authorization_code(REDIRECT))[1]
        form = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
        answers = [post_token(sandbox, form, client_of(sandbox)) for _ in range(2)]
    assert [(status, body["refresh_token"]) for status, body, _ in answers] == [(200, first["refresh_token"])] * 2


@pytest.mark.parametrize(("form", "client", "status", "error"), [
    ({"refresh_token": "made-up"}, None, 400, "invalid_grant"),
    ({}, None, 400, "invalid_request"),
    ({"refresh_token": "real"}, ("sandbox-client", "wrong"), 401, "invalid_client"),
])
def test_refresh_refusals(oauth_sandbox: Sandbox, form: dict[str, str], client: tuple[str, str] | None,
                          status: int, error: str) -> None:
    real = redeem(oauth_sandbox, oauth_sandbox.authorization_code(REDIRECT))[1]["refresh_token"]
    form = {k: real if v == "real" else v for k, v in form.items()}
    answer = post_token(oauth_sandbox, {"grant_type": "refresh_token", **form}, client or client_of(oauth_sandbox))
    assert (answer[0], answer[1]["error"]) == (status, error)


def test_revoke_ends_an_access_token(oauth_sandbox: Sandbox) -> None:
    token = post_token(oauth_sandbox, {"grant_type": "client_credentials"}, client_of(oauth_sandbox))[1]["access_token"]
    assert oauth_sandbox.app.tokens.revoke(token) and scim_status(oauth_sandbox, token) == 401
    assert not oauth_sandbox.app.tokens.revoke(token)


# -- SAML2 bearer --------------------------------------------------------------------------------
SAML = "urn:ietf:params:oauth:grant-type:saml2-bearer"


def test_saml2_bearer_accepts_an_assertion_of_the_trusted_issuer(oauth_sandbox: Sandbox) -> None:
    assertion = oauth_sandbox.saml_assertion("jane@example.com")
    xml = base64.b64decode(assertion).decode()
    assert "<saml2:Issuer>sandbox-idp</saml2:Issuer>" in xml and "jane@example.com" in xml
    status, token, _ = post_token(oauth_sandbox, {"grant_type": SAML, "orgName": "sandbox", "assertion": assertion},
                                  client_of(oauth_sandbox))
    assert status == 200 and "refresh_token" not in token and scim_status(oauth_sandbox, token["access_token"]) == 200


def test_saml2_bearer_accepts_url_safe_base64_without_padding() -> None:
    xml = '<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion"><Issuer> my-idp </Issuer>???</Assertion>'
    assertion = base64.urlsafe_b64encode(xml.encode()).decode().rstrip("=")
    assert "_" in assertion or "-" in assertion
    with Sandbox(serve=False, saml_issuer="my-idp", org_name="acme") as sandbox:
        answer = sandbox.transport().request(_form_request(sandbox, {"grant_type": SAML, "orgName": "acme",
                                                                     "assertion": assertion}))
    assert answer.status == 200


@pytest.mark.parametrize(("form", "error", "description"), [
    ({"orgName": "other-org"}, "invalid_grant", "organization 'other-org' is unknown"),
    ({"orgName": None}, "invalid_request", "orgName and assertion are required"),
    ({"assertion": None}, "invalid_request", "orgName and assertion are required"),
    ({"assertion": "not base64!"}, "invalid_grant", "not a SAML assertion"),
    ({"assertion": base64.b64encode(b"<Assertion><Issuer>evil-idp</Issuer></Assertion>").decode()},
     "invalid_grant", "trusted identity provider"),
    ({"assertion": base64.b64encode(b"<Response><Issuer>sandbox-idp</Issuer></Response>").decode()},
     "invalid_grant", "not a SAML assertion"),
])
def test_saml2_bearer_refusals(oauth_sandbox: Sandbox, form: dict[str, Any], error: str, description: str) -> None:
    sent = {"grant_type": SAML, "orgName": "sandbox", "assertion": oauth_sandbox.saml_assertion(), **form}
    status, body, _ = post_token(oauth_sandbox, {k: v for k, v in sent.items() if v is not None},
                                 client_of(oauth_sandbox))
    assert (status, body["error"]) == (400, error) and description in body["error_description"]


def _form_request(sandbox: Sandbox, form: dict[str, str]) -> Any:
    from PureCloudPlatformClientV2.transport import HttpRequestOptions

    basic = base64.b64encode(f"{sandbox.client_id}:{sandbox.client_secret}".encode()).decode()
    return HttpRequestOptions(sandbox.url + "/oauth/token", "POST", {
        "Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"},
        body=urlencode(form).encode())


# -- options: one declaration, three spellings ---------------------------------------------------
def test_every_option_is_a_sandbox_keyword_and_a_cli_flag() -> None:
    fields = {f.name for f in dataclasses.fields(SandboxOptions)}
    keywords = set(inspect.signature(Sandbox).parameters) - {"serve"}
    flags = {action.dest for action in build_parser()._actions} - {"help"}
    assert fields == keywords == flags
    defaults = SandboxOptions()
    for name, parameter in inspect.signature(Sandbox).parameters.items():
        if name not in ("serve", "token", "client_id", "client_secret"):  # those three: None = default/random
            assert parameter.default == getattr(defaults, name), name


def test_the_oauth_flags_reach_the_options() -> None:
    from PureCloudPlatformClientV2.sandbox.__main__ import main  # noqa: F401 (the flags' consumer)

    args = build_parser().parse_args(["--code-lifetime", "5", "--redirect-uri", "http://a/cb", "--redirect-uri",
                                      "http://b/cb", "--no-rotate-refresh-tokens", "--org-name", "acme",
                                      "--saml-issuer", "idp"])
    options = SandboxOptions.from_kwargs(**{k: v for k, v in vars(args).items() if v is not None})
    assert (options.code_lifetime, options.redirect_uris, options.rotate_refresh_tokens, options.org_name,
            options.saml_issuer) == (5.0, ("http://a/cb", "http://b/cb"), False, "acme", "idp")
    assert build_parser().parse_args([]).rotate_refresh_tokens is None  # not given: the default (on)


@pytest.mark.parametrize(("options", "problem"), [
    ({"code_lifetime": -1}, "code_lifetime must be seconds >= 0"),
    ({"code_lifetime": float("nan")}, "code_lifetime must be seconds >= 0"),
    ({"redirect_uris": "http://a/cb"}, "redirect_uris must be a sequence"),
])
def test_bad_oauth_options_are_refused(options: dict[str, Any], problem: str) -> None:
    with pytest.raises((ValueError, TypeError), match=problem):
        SandboxOptions(**options)
