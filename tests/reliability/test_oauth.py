"""Every OAuth grant of the official ApiClient against the sandbox: what each sends, returns and
keeps; code-grant tokens renewed with the refresh token after a 401 (once per call, one
renewal for all threads, waiters bounded by refresh_token_wait_time); refusals as TokenError."""

from __future__ import annotations

import base64
import inspect
import json
import logging
import string
import threading
import urllib.error
import urllib.request
from typing import Any, Callable, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from PureCloudPlatformClientV2 import ApiClient, SCIMApi
from PureCloudPlatformClientV2.rest import (ApiException, BadRequestError, TokenError, UnauthorizedError)
from PureCloudPlatformClientV2.sandbox import Sandbox
from PureCloudPlatformClientV2.sandbox.auth import s256
from PureCloudPlatformClientV2.settings import Settings
from PureCloudPlatformClientV2.transport import AbstractHttpClient, HttpRequestOptions, RESTResponse

from ..core.spec import load_facts

REDIRECT = "http://localhost:8085/callback"
SAML = "urn:ietf:params:oauth:grant-type:saml2-bearer"
OAUTH_METHODS = ("get_client_credentials_token", "get_saml2bearer_token", "get_code_authorization_token",
                 "refresh_code_authorization_token", "get_pkce_token", "generate_pkce_code_verifier",
                 "compute_pkce_code_challenge", "handle_expired_access_token")


class Wire(AbstractHttpClient):
    """The sandbox's in-process transport, recording what is sent; `before(options)` runs first
    (to gate, revoke or hold a request)."""

    def __init__(self, sandbox: Sandbox, before: Callable[[HttpRequestOptions], None] | None = None) -> None:
        super().__init__()
        self.inner, self.before = sandbox.transport(), before
        self.sent: list[HttpRequestOptions] = []
        self._lock = threading.Lock()

    def request(self, options: HttpRequestOptions) -> RESTResponse:
        with self._lock:
            self.sent.append(options)
        if self.before is not None:
            self.before(options)
        return self.inner.request(options)

    def token_forms(self) -> list[dict[str, str]]:
        return [form_of(o) for o in self.sent if urlsplit(o.url).path == "/oauth/token"]

    def api_calls(self) -> list[HttpRequestOptions]:
        return [o for o in self.sent if urlsplit(o.url).path != "/oauth/token"]


def form_of(options: HttpRequestOptions) -> dict[str, str]:
    body = options.body if isinstance(options.body, bytes) else (options.body or "").encode()
    return {k: v[0] for k, v in parse_qs(body.decode()).items()}


def header(options: HttpRequestOptions, name: str) -> str | None:
    return next((v for k, v in options.headers.items() if k.lower() == name.lower()), None)


def bearer(options: HttpRequestOptions) -> str:
    return (header(options, "Authorization") or "").removeprefix("Bearer ")


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(serve=False) as running:
        yield running


def client_for(sandbox: Sandbox, wire: Wire | None = None, **settings_values: Any) -> ApiClient:
    """A client without a token, over `wire` (default: a recording one), with its own settings."""
    client = ApiClient(host=sandbox.url, settings=Settings(host=sandbox.url, **settings_values))
    client.set_http_client(wire or Wire(sandbox))
    return client


def wire_of(client: ApiClient) -> Wire:
    assert isinstance(client.http_client, Wire)
    return client.http_client


def code_login(sandbox: Sandbox, client: ApiClient) -> dict[str, Any]:
    code = sandbox.authorization_code(REDIRECT)
    _, token = client.get_code_authorization_token(sandbox.client_id, sandbox.client_secret, code, REDIRECT)
    return token


def users_total(client: ApiClient) -> int:
    return int(SCIMApi(client).get_scim_v2_users(count=1).total_results)


# -- each grant: what it sends, returns and keeps ------------------------------------------------
def test_the_oauth_methods_take_the_official_parameters() -> None:
    official = load_facts()["surface"]["ApiClient"]
    for name in OAUTH_METHODS:
        assert list(inspect.signature(getattr(ApiClient, name)).parameters)[1:] == official[name], name


def test_client_credentials_returns_the_client(sandbox: Sandbox) -> None:
    client = client_for(sandbox)
    assert client.get_client_credentials_token(sandbox.client_id, sandbox.client_secret) is client
    assert (client.client_id, client.client_secret, client.refresh_token) == (sandbox.client_id,
                                                                              sandbox.client_secret, "")
    assert users_total(client) == 0


def test_saml2bearer_sends_the_org_and_assertion_and_returns_the_client(sandbox: Sandbox) -> None:
    client = client_for(sandbox)
    assertion = sandbox.saml_assertion("jane@example.com")
    assert client.get_saml2bearer_token(sandbox.client_id, sandbox.client_secret, "sandbox", assertion) is client
    (sent,) = wire_of(client).sent
    assert form_of(sent) == {"grant_type": SAML, "orgName": "sandbox", "assertion": assertion}
    basic = base64.b64encode(f"{sandbox.client_id}:{sandbox.client_secret}".encode()).decode()
    assert header(sent, "Authorization") == f"Basic {basic}"
    assert header(sent, "Content-Type") == "application/x-www-form-urlencoded"
    assert client.access_token and client.refresh_token == "" and users_total(client) == 0


def test_the_code_grant_returns_the_client_and_the_token_response(sandbox: Sandbox) -> None:
    client = client_for(sandbox)
    code = sandbox.authorization_code(REDIRECT)
    returned, token = client.get_code_authorization_token(sandbox.client_id, sandbox.client_secret, code, REDIRECT)
    assert returned is client and set(token) == {"access_token", "refresh_token", "token_type", "expires_in"}
    assert (client.access_token, client.refresh_token) == (token["access_token"], token["refresh_token"])
    assert (client.client_id, client.client_secret) == (sandbox.client_id, sandbox.client_secret)
    assert wire_of(client).token_forms() == [{"grant_type": "authorization_code", "code": code,
                                              "redirect_uri": REDIRECT}]
    assert (header(wire_of(client).sent[0], "Authorization") or "").startswith("Basic ")
    assert users_total(client) == 0


def test_refresh_returns_the_client_and_keeps_the_new_refresh_token(sandbox: Sandbox) -> None:
    client = client_for(sandbox)
    first = code_login(sandbox, client)
    returned, token = client.refresh_code_authorization_token(sandbox.client_id, sandbox.client_secret,
                                                              first["refresh_token"])
    assert returned is client and token["refresh_token"] != first["refresh_token"]  # the sandbox rotates them
    assert (client.access_token, client.refresh_token) == (token["access_token"], token["refresh_token"])
    assert wire_of(client).token_forms()[-1] == {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    assert users_total(client) == 0


def test_a_refresh_answer_without_a_refresh_token_keeps_the_old_one(sandbox: Sandbox) -> None:
    class Unrotated(Wire):  # a server that does not send refresh tokens again (RFC 6749 §6 allows it)
        def request(self, options: HttpRequestOptions) -> RESTResponse:
            answer = super().request(options)
            if form_of(options).get("grant_type") != "refresh_token":
                return answer
            token = {k: v for k, v in json.loads(answer.data).items() if k != "refresh_token"}
            return RESTResponse(answer.status, answer.reason, json.dumps(token), answer.getheaders())

    sandbox.options.rotate_refresh_tokens = False
    client = client_for(sandbox, Unrotated(sandbox))
    code_login(sandbox, client)
    kept = client.refresh_token
    _, token = client.refresh_code_authorization_token(sandbox.client_id, sandbox.client_secret, kept)
    assert "refresh_token" not in token and client.refresh_token == kept
    sandbox.app.tokens.revoke(token["access_token"])
    assert users_total(client) == 0  # and renews with it after a 401


def test_pkce_sends_no_secret_and_returns_the_client_and_the_token_response(sandbox: Sandbox) -> None:
    client = client_for(sandbox)
    verifier = client.generate_pkce_code_verifier(128)
    code = sandbox.authorization_code(REDIRECT, code_challenge=client.compute_pkce_code_challenge(verifier))
    returned, token = client.get_pkce_token(sandbox.client_id, verifier, code, REDIRECT)
    assert returned is client and token["access_token"] == client.access_token
    (sent,) = wire_of(client).sent
    assert header(sent, "Authorization") is None
    assert form_of(sent) == {"grant_type": "authorization_code", "code": code, "code_verifier": verifier,
                             "client_id": sandbox.client_id, "redirect_uri": REDIRECT}
    assert (client.client_id, client.client_secret, client.refresh_token) == (sandbox.client_id, "", "")
    assert users_total(client) == 0


def test_a_grant_replaces_the_refresh_token_of_an_earlier_one(sandbox: Sandbox) -> None:
    client = client_for(sandbox)
    code_login(sandbox, client)
    client.get_saml2bearer_token(sandbox.client_id, sandbox.client_secret, "sandbox", sandbox.saml_assertion())
    assert client.refresh_token == ""  # a SAML token is not renewed with another grant's refresh token


def test_the_whole_code_flow_over_http() -> None:
    class KeepRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any) -> None:
            return None

    with Sandbox() as sandbox:
        try:
            urllib.request.build_opener(KeepRedirect).open(sandbox.authorize_url(REDIRECT, state="s-42"), timeout=10)
        except urllib.error.HTTPError as redirect:
            redirect.close()
            location = redirect.headers["Location"]
        query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        assert query["state"] == "s-42"
        with ApiClient(host=sandbox.url, settings=Settings(host=sandbox.url)) as client:
            client.get_code_authorization_token(sandbox.client_id, sandbox.client_secret, query["code"], REDIRECT)
            sandbox.app.tokens.revoke(client.access_token or "")
            assert users_total(client) == 0  # 401, refreshed over HTTP, resent


# -- renewal with the refresh token ----------------------------------------------------------------
def test_a_401_renews_a_code_grant_token_once_and_resends(sandbox: Sandbox) -> None:
    client = client_for(sandbox)
    first = code_login(sandbox, client)
    sandbox.app.tokens.revoke(first["access_token"])
    assert users_total(client) == 0
    wire = wire_of(client)
    assert [urlsplit(o.url).path for o in wire.sent][1:] == ["/api/v2/scim/v2/users", "/oauth/token",
                                                             "/api/v2/scim/v2/users"]
    assert wire.token_forms()[-1] == {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    assert [bearer(o) for o in wire.api_calls()] == [first["access_token"], client.access_token]
    assert client.refresh_token not in ("", first["refresh_token"])  # the rotated one is kept


def test_a_persistent_401_ends_after_one_refresh(sandbox: Sandbox) -> None:
    def revoke_what_is_sent(options: HttpRequestOptions) -> None:
        if urlsplit(options.url).path != "/oauth/token":
            sandbox.app.tokens.revoke(bearer(options))

    client = client_for(sandbox, Wire(sandbox, revoke_what_is_sent))
    code_login(sandbox, client)
    for _ in range(2):  # each call: one refresh at most
        with pytest.raises(UnauthorizedError):
            users_total(client)
    paths = [urlsplit(o.url).path for o in wire_of(client).sent][1:]
    assert paths == ["/api/v2/scim/v2/users", "/oauth/token", "/api/v2/scim/v2/users"] * 2


def test_a_restored_refresh_token_renews_a_token_after_a_401(sandbox: Sandbox) -> None:
    saved = code_login(sandbox, client_for(sandbox))["refresh_token"]
    client = client_for(sandbox)  # a later run: only the saved refresh token and the client's credentials
    client.client_id, client.client_secret, client.refresh_token = sandbox.client_id, sandbox.client_secret, saved
    client.access_token = "expired-long-ago"
    assert users_total(client) == 0
    assert wire_of(client).token_forms() == [{"grant_type": "refresh_token", "refresh_token": saved}]


def test_refresh_can_be_turned_off(sandbox: Sandbox) -> None:
    client = client_for(sandbox, should_refresh_access_token=False)
    sandbox.app.tokens.revoke(code_login(sandbox, client)["access_token"])
    with pytest.raises(UnauthorizedError):
        users_total(client)
    assert len(wire_of(client).token_forms()) == 1


def test_a_code_grant_token_about_to_expire_is_renewed_before_the_call() -> None:
    with Sandbox(serve=False, token_lifetime=30) as sandbox:  # inside the 60 s renewal margin
        client = client_for(sandbox)
        first = code_login(sandbox, client)
        assert users_total(client) == 0
        wire = wire_of(client)
    assert [form["grant_type"] for form in wire.token_forms()] == ["authorization_code", "refresh_token"]
    assert [bearer(o) for o in wire.api_calls()] == [client.access_token] != [first["access_token"]]


def test_handle_expired_access_token_renews_now(sandbox: Sandbox) -> None:
    client = client_for(sandbox)
    first = code_login(sandbox, client)
    assert client.handle_expired_access_token() is None
    assert client.access_token != first["access_token"] and client.refresh_token != first["refresh_token"]
    assert users_total(client) == 0


def test_handle_expired_access_token_without_a_way_to_renew_is_refused(sandbox: Sandbox) -> None:
    client = client_for(sandbox)
    client.access_token = sandbox.token
    with pytest.raises(ValueError, match="nothing to renew the token with"):
        client.handle_expired_access_token()
    assert wire_of(client).sent == []


def test_clients_made_by_with_options_share_the_renewed_token(sandbox: Sandbox) -> None:
    client = client_for(sandbox)
    sandbox.app.tokens.revoke(code_login(sandbox, client)["access_token"])
    other = client.with_options(max_retries=0)
    assert users_total(other) == 0
    assert (client.access_token, client.refresh_token) == (other.access_token, other.refresh_token)


# -- threads -----------------------------------------------------------------------------------
def run_threads(jobs: list[Callable[[], Any]]) -> list[Any]:
    results: list[Any] = [None] * len(jobs)

    def work(index: int) -> None:
        try:
            results[index] = jobs[index]()
        except Exception as error:  # the test looks at it
            results[index] = error

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "threads did not finish"
    return results


def test_two_threads_hitting_a_401_at_once_share_one_refresh(sandbox: Sandbox) -> None:
    both_sent = threading.Barrier(2, timeout=10)
    revoked: list[str] = []

    def hold_the_old_token(options: HttpRequestOptions) -> None:
        if urlsplit(options.url).path != "/oauth/token" and bearer(options) in revoked:
            both_sent.wait()  # both calls carry the revoked token before either learns it is bad

    client = client_for(sandbox, Wire(sandbox, hold_the_old_token))
    revoked.append(code_login(sandbox, client)["access_token"])
    sandbox.app.tokens.revoke(revoked[0])
    assert run_threads([lambda: users_total(client)] * 2) == [0, 0]
    # a second refresh would have used the spent refresh token and failed (the sandbox rotates them)
    assert [f["grant_type"] for f in wire_of(client).token_forms()] == ["authorization_code", "refresh_token"]


class Gate:
    """Holds the refresh request until `release` is set; `arrived` says it is being held."""

    def __init__(self) -> None:
        self.arrived, self.release = threading.Event(), threading.Event()

    def __call__(self, options: HttpRequestOptions) -> None:
        if form_of(options).get("grant_type") == "refresh_token":
            self.arrived.set()
            assert self.release.wait(timeout=30)


def test_a_thread_waits_for_another_threads_refresh_at_most_the_wait_time(sandbox: Sandbox) -> None:
    gate = Gate()
    client = client_for(sandbox, Wire(sandbox, gate), refresh_token_wait_time=0.05)
    sandbox.app.tokens.revoke(code_login(sandbox, client)["access_token"])
    renewing = threading.Thread(target=lambda: results.append(users_total(client)))
    results: list[int] = []
    renewing.start()
    assert gate.arrived.wait(timeout=30)  # the refresh is held: the next 401 must wait for it
    with pytest.raises(ApiException) as caught:
        users_total(client)
    gate.release.set()
    renewing.join(timeout=30)
    assert caught.value.status == 500 and "refresh_token_wait_time" in caught.value.reason
    assert "0.05 seconds" in str(caught.value)
    assert results == [0] and len(wire_of(client).token_forms()) == 2  # the login and the one refresh


def test_threads_that_waited_for_a_failed_refresh_raise_its_error_without_repeating_it(sandbox: Sandbox) -> None:
    gate = Gate()
    client = client_for(sandbox, Wire(sandbox, gate))
    token = code_login(sandbox, client)
    sandbox.app.tokens.revoke(token["access_token"])
    sandbox.app.tokens.revoke(token["refresh_token"])  # the refresh will be refused

    class Waiting:  # the token lock, telling when a second thread starts waiting on it
        def __init__(self, lock: Any) -> None:
            self.lock, self.waiting = lock, threading.Event()

        def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
            if self.lock.locked():
                self.waiting.set()
            return bool(self.lock.acquire(blocking, timeout))

        def release(self) -> None:
            self.lock.release()

        def __enter__(self) -> bool:
            return self.acquire()

        def __exit__(self, *exc: Any) -> None:
            self.release()

    lock = Waiting(client._tokens.lock)
    client._tokens.lock = lock  # type: ignore[assignment]
    first = threading.Thread(target=lambda: failures.append(_failure(lambda: users_total(client))))
    failures: list[BaseException | None] = []
    first.start()
    assert gate.arrived.wait(timeout=30)
    second = threading.Thread(target=lambda: failures.append(_failure(lambda: users_total(client))))
    second.start()
    assert lock.waiting.wait(timeout=30)  # the second 401 waits for the refresh under way
    gate.release.set()
    first.join(timeout=30)
    second.join(timeout=30)
    assert [type(f) for f in failures] == [type(failures[0])] * 2 and isinstance(failures[0], TokenError)
    assert all(f.error == "invalid_grant" for f in failures if isinstance(f, TokenError))
    assert [f["grant_type"] for f in wire_of(client).token_forms()] == ["authorization_code", "refresh_token"]


def _failure(job: Callable[[], Any]) -> BaseException | None:
    try:
        job()
    except BaseException as error:
        return error
    return None


# -- token endpoint refusals -------------------------------------------------------------------
def test_a_refused_client_is_a_token_error_and_an_unauthorized_error(sandbox: Sandbox) -> None:
    client = client_for(sandbox)
    with pytest.raises(UnauthorizedError) as caught:
        client.get_code_authorization_token(sandbox.client_id, "WRONG-SECRET-1", "some-code", REDIRECT)
    error = caught.value
    assert isinstance(error, TokenError) and error.status == 401
    assert (error.error, error.error_description) == ("invalid_client", "client not found or bad credentials")
    text = str(error)
    assert "OAuth error: invalid_client" in text and "Description: client not found or bad credentials" in text
    assert "WRONG-SECRET-1" not in text + repr(error) and "some-code" not in text
    assert client.access_token is None  # nothing was stored


def test_a_reused_code_is_a_token_error_and_a_bad_request_error(sandbox: Sandbox) -> None:
    client = client_for(sandbox)
    code = sandbox.authorization_code(REDIRECT)
    client.get_code_authorization_token(sandbox.client_id, sandbox.client_secret, code, REDIRECT)
    with pytest.raises(BadRequestError) as caught:
        client.get_code_authorization_token(sandbox.client_id, sandbox.client_secret, code, REDIRECT)
    assert isinstance(caught.value, TokenError) and caught.value.error == "invalid_grant"
    assert caught.value.error_description == "authorization code has already been used"
    assert caught.value.path == "/oauth/token" and caught.value.correlation_id


@pytest.mark.parametrize(("body", "error", "description"), [
    (b'{"error":"invalid_grant","description":"only description"}', "invalid_grant", "only description"),
    (b'{"error":"invalid_grant","error_description":"rfc","description":"genesys"}', "invalid_grant", "rfc"),
    (b'{"error":7}', None, None),
    (b"<html>down</html>", None, None),
])
def test_token_error_fields_come_from_either_spelling(body: bytes, error: str | None, description: str | None) -> None:
    refused = TokenError.from_response(RESTResponse(400, "Bad Request", body, {}), "POST", "/oauth/token")
    assert isinstance(refused, TokenError) and isinstance(refused, BadRequestError)
    assert (refused.error, refused.error_description) == (error, description)
    assert "html" not in str(refused)  # the body is not echoed into the text


def test_token_errors_survive_pickling() -> None:
    import pickle

    refused = TokenError.from_response(RESTResponse(503, "Unavailable", b'{"error":"temporarily_unavailable"}', {}))
    copy = pickle.loads(pickle.dumps(refused))
    assert type(copy) is type(refused) and copy.error == "temporarily_unavailable" and copy.status == 503


# -- secrets -----------------------------------------------------------------------------------
def test_no_secret_reaches_repr_or_logs(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="PureCloudPlatformClientV2")
    client = client_for(sandbox)
    code = sandbox.authorization_code(REDIRECT)
    _, token = client.get_code_authorization_token(sandbox.client_id, sandbox.client_secret, code, REDIRECT)
    sandbox.app.tokens.revoke(token["access_token"])
    users_total(client)
    secrets = [sandbox.client_secret, token["refresh_token"], client.refresh_token, code, token["access_token"],
               client.access_token or "-"]
    shown = " ".join([repr(client), str(client), repr(client._tokens), repr(client._tokens.credentials),
                      repr(vars(client)), *(r.getMessage() + repr(vars(r)) for r in caplog.records)])
    assert any("refresh_token grant" in r.getMessage() for r in caplog.records)
    assert not [s for s in secrets if s in shown]
    assert client.client_secret == sandbox.client_secret  # still readable, as in the official SDK


# -- PKCE helpers --------------------------------------------------------------------------------
OFFICIAL_ALPHABET = set(string.ascii_letters + string.digits + "-._")


@settings(max_examples=200, deadline=None)
@given(st.integers(43, 128))
def test_pkce_verifiers_have_the_length_and_alphabet_asked_for(length: int) -> None:
    verifier = ApiClient().generate_pkce_code_verifier(length)
    assert len(verifier) == length and set(verifier) <= OFFICIAL_ALPHABET
    challenge = ApiClient().compute_pkce_code_challenge(verifier)
    assert challenge == s256(verifier) and len(challenge) == 43 and "=" not in challenge


@given(st.one_of(st.integers(max_value=42), st.integers(min_value=129)))
def test_pkce_verifier_lengths_outside_43_to_128_are_refused(length: int) -> None:
    with pytest.raises(ValueError, match="between 43 and 128"):
        ApiClient().generate_pkce_code_verifier(length)


def test_pkce_verifiers_come_from_secrets_not_random(monkeypatch: pytest.MonkeyPatch) -> None:
    import random
    import secrets

    drawn: list[str] = []
    real = secrets.choice

    def recorded(alphabet: Any) -> Any:
        drawn.append(alphabet)
        return real(alphabet)

    monkeypatch.setattr(random, "choice", lambda *a: pytest.fail("random.choice used"))
    monkeypatch.setattr(secrets, "choice", recorded)
    verifier = ApiClient().generate_pkce_code_verifier(50)
    assert len(drawn) == 50 and set(drawn[0]) == OFFICIAL_ALPHABET and len(set(verifier)) > 1


def test_the_pkce_challenge_matches_rfc_7636_appendix_b() -> None:
    assert ApiClient().compute_pkce_code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == \
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


@pytest.mark.parametrize(("call", "kind", "message"), [
    (lambda c: c.generate_pkce_code_verifier(True), TypeError, "length must be an int"),
    (lambda c: c.generate_pkce_code_verifier(43.0), TypeError, "length must be an int"),
    (lambda c: c.compute_pkce_code_challenge("a" * 42), ValueError, "between 43 and 128"),
    (lambda c: c.compute_pkce_code_challenge("é" * 43), ValueError, "must be ASCII"),
    (lambda c: c.compute_pkce_code_challenge(None), TypeError, "code must be a str"),
    (lambda c: c.get_code_authorization_token("id", None, "code", REDIRECT), TypeError, "client_secret must be a str"),
])
def test_bad_arguments_are_refused_before_anything_is_sent(call: Callable[[ApiClient], Any], kind: type,
                                                           message: str) -> None:
    with pytest.raises(kind, match=message):
        call(ApiClient())


# -- the wait time is a setting ----------------------------------------------------------------
def test_refresh_token_wait_time_is_in_the_snapshot(fresh_configuration: Any) -> None:
    assert fresh_configuration.snapshot().refresh_token_wait_time == 10
    fresh_configuration.refresh_token_wait_time = 2.5
    assert fresh_configuration.snapshot().refresh_token_wait_time == 2.5
    fresh_configuration.refresh_token_wait_time = -1
    with pytest.raises(ValueError, match="configuration.refresh_token_wait_time must be seconds >= 0"):
        fresh_configuration.snapshot()
