"""configuration.ssl_context and the official helpers that build it (set_mtls_certificates,
set_mtls_contents, create_mtls_or_ssl_context) reach new connections, against a TLS server
that requires a client certificate from the test CA."""

from __future__ import annotations

import ssl
import tempfile
from pathlib import Path

import pytest

from PureCloudPlatformClientV2 import SCIMApi
from PureCloudPlatformClientV2.rest import ApiConnectionError

from ..servers import Reply
from .conftest import Pki, recording_client, serving

USER = {"id": "u1", "userName": "jane@example.com"}


def call_through_mutual_tls(pki: Pki) -> str:
    with serving(tls=pki.server_context(require_client_cert=True), default=Reply.json(USER)) as server:
        return SCIMApi(recording_client(server)).get_scim_v2_user("u1").id


def leftover_temporary_folders() -> list[Path]:
    return sorted(Path(tempfile.gettempdir()).glob("purecloud-mtls-*"))


def test_set_mtls_certificates(pki: Pki, fresh_configuration) -> None:
    fresh_configuration.set_mtls_certificates(pki.client_cert, pki.client_key, pki.ca_file)
    assert isinstance(fresh_configuration.ssl_context, ssl.SSLContext)
    assert fresh_configuration.snapshot().transport.ssl_context is fresh_configuration.ssl_context
    assert call_through_mutual_tls(pki) == "u1"


def test_set_mtls_contents_works_and_leaves_no_key_on_disk(pki: Pki, fresh_configuration) -> None:
    before = leftover_temporary_folders()
    contents = [Path(path).read_text() for path in (pki.client_cert, pki.client_key, pki.ca_file)]
    fresh_configuration.set_mtls_contents(*contents)
    assert leftover_temporary_folders() == before
    assert call_through_mutual_tls(pki) == "u1"
    fresh_configuration.set_mtls_contents(*(text.encode() for text in contents))  # bytes too
    assert call_through_mutual_tls(pki) == "u1"


def test_create_mtls_or_ssl_context_uses_the_tls_settings(pki: Pki, fresh_configuration) -> None:
    fresh_configuration.ssl_ca_cert = pki.ca_file
    fresh_configuration.cert_file, fresh_configuration.key_file = pki.client_cert, pki.client_key
    fresh_configuration.create_mtls_or_ssl_context()
    context = fresh_configuration.ssl_context
    assert isinstance(context, ssl.SSLContext) and context.verify_mode == ssl.CERT_REQUIRED
    fresh_configuration.create_mtls_or_ssl_context()  # already set: kept
    assert fresh_configuration.ssl_context is context
    fresh_configuration.cert_file = fresh_configuration.key_file = None  # the context wins over these now
    assert call_through_mutual_tls(pki) == "u1"


def test_a_context_without_the_client_certificate_fails_on_the_next_connection(pki: Pki, fresh_configuration) -> None:
    fresh_configuration.max_retries = 0
    fresh_configuration.set_mtls_certificates(pki.client_cert, pki.client_key, pki.ca_file)
    assert call_through_mutual_tls(pki) == "u1"
    fresh_configuration.ssl_context = ssl.create_default_context(cafile=pki.ca_file)  # trusts, presents nothing
    with pytest.raises(ApiConnectionError):
        call_through_mutual_tls(pki)
    fresh_configuration.ssl_context = None  # back to ssl_ca_cert/cert_file/key_file (certifi: untrusted here)
    with pytest.raises(ApiConnectionError, match="certificate"):
        call_through_mutual_tls(pki)


def test_the_callers_context_is_used_as_it_is(pki: Pki, fresh_configuration) -> None:
    context = ssl.create_default_context(cafile=pki.ca_file)
    context.load_cert_chain(pki.client_cert, pki.client_key)
    trusted_before = len(context.get_ca_certs())
    fresh_configuration.ssl_context = context
    assert call_through_mutual_tls(pki) == "u1"
    assert len(context.get_ca_certs()) == trusted_before  # certifi's bundle was not loaded into it
    assert (context.verify_mode, context.check_hostname) == (ssl.CERT_REQUIRED, True)


def test_verify_ssl_false_ignores_the_context(pki: Pki, fresh_configuration) -> None:
    fresh_configuration.ssl_context = ssl.create_default_context()  # certifi-like trust: would refuse the test CA
    fresh_configuration.verify_ssl = False
    with pytest.warns(UserWarning, match="verify_ssl is False"):
        with serving(tls=pki.server_context(), default=Reply.json(USER)) as server:
            assert SCIMApi(recording_client(server)).get_scim_v2_user("u1").id == "u1"


@pytest.mark.parametrize(("call", "message"), [
    (lambda c, p: c.set_mtls_certificates(p.client_cert, ""), "needs certPath and keyPath"),
    (lambda c, p: c.set_mtls_certificates("/no/such/cert.pem", p.client_key, p.ca_file),
     "cannot load the client certificate '/no/such/cert.pem'"),
    (lambda c, p: c.set_mtls_certificates(p.client_cert, p.client_key, "/no/such/ca.pem"),
     "cannot load the CA bundle '/no/such/ca.pem'"),
    (lambda c, p: c.set_mtls_certificates(p.client_cert, p.ca_file, p.ca_file), "cannot load the client certificate"),
    (lambda c, p: c.set_mtls_contents("cert", "key", None), "missing caContent"),
    (lambda c, p: c.set_mtls_contents(p.client_cert, p.client_key, Path(p.ca_file).read_text()),
     "certContent is not PEM text"),
    (lambda c, p: c.set_mtls_contents(Path(p.client_cert).read_text(), Path(p.ca_file).read_text(),
                                      Path(p.ca_file).read_text()), r"client certificate \(certContent\)"),
])
def test_bad_certificates_are_named(pki: Pki, fresh_configuration, call, message) -> None:
    before = leftover_temporary_folders()
    with pytest.raises(ValueError, match=message):
        call(fresh_configuration, pki)
    assert fresh_configuration.ssl_context is None
    assert leftover_temporary_folders() == before  # removed on failure too


def test_ssl_context_must_be_a_context(fresh_configuration) -> None:
    fresh_configuration.ssl_context = "/path/to/ca.pem"
    with pytest.raises(TypeError, match="ssl_context must be an ssl.SSLContext"):
        fresh_configuration.snapshot()
