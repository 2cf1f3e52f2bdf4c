"""TLS: verified against certifi by default, a private CA via ssl_ca_cert, mutual TLS via
cert_file/key_file, and verify_ssl=False working with a single warning."""

from __future__ import annotations

import socket
import threading
import warnings

import pytest

from PureCloudPlatformClientV2 import SCIMApi
from PureCloudPlatformClientV2.rest import ApiConnectionError, InsecureTLSWarning

from ..servers import Reply
from .conftest import Pki, recording_client, serving

USER = {"id": "u1", "userName": "jane@example.com"}


def test_untrusted_certificate_fails_without_retry(pki: Pki) -> None:
    with serving(tls=pki.server_context(), default=Reply.json(USER)) as server:
        client = recording_client(server)
        with pytest.raises(ApiConnectionError) as caught:
            SCIMApi(client).get_scim_v2_user("u1")
    error = caught.value
    assert (error.status, error.sent, error.retryable) == (0, False, False)
    assert "certificate" in str(error) and "Request: GET /api/v2/scim/v2/users/u1" in str(error)
    assert server.requests == [] and server.connections == 1 and client.sleep == []


def test_private_ca_via_ssl_ca_cert(pki: Pki, fresh_configuration) -> None:
    fresh_configuration.ssl_ca_cert = pki.ca_file
    with serving(tls=pki.server_context(), default=Reply.json(USER)) as server:
        assert SCIMApi(recording_client(server)).get_scim_v2_user("u1").id == "u1"
    assert server.requests[0].header("Authorization") == "Bearer test-token"


def test_mutual_tls_with_a_client_certificate(pki: Pki, fresh_configuration) -> None:
    fresh_configuration.ssl_ca_cert = pki.ca_file
    fresh_configuration.cert_file, fresh_configuration.key_file = pki.client_cert, pki.client_key
    with serving(tls=pki.server_context(require_client_cert=True), default=Reply.json(USER)) as server:
        assert SCIMApi(recording_client(server)).get_scim_v2_user("u1").id == "u1"
    assert len(server.requests) == 1


def test_mutual_tls_without_a_client_certificate_fails(pki: Pki, fresh_configuration) -> None:
    fresh_configuration.ssl_ca_cert, fresh_configuration.max_retries = pki.ca_file, 0
    with serving(tls=pki.server_context(require_client_cert=True), default=Reply.json(USER)) as server:
        with pytest.raises(ApiConnectionError) as caught:
            SCIMApi(recording_client(server)).get_scim_v2_user("u1")
    assert caught.value.status == 0 and server.requests == []


def test_verify_ssl_false_works_and_warns_once(pki: Pki, fresh_configuration) -> None:
    fresh_configuration.verify_ssl = False
    with serving(tls=pki.server_context(), default=Reply.json(USER)) as server:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            api = SCIMApi(recording_client(server))
            results = [api.get_scim_v2_user("u1").id for _ in range(3)]
    assert results == ["u1"] * 3
    assert [str(w.message) for w in caught] == ["configuration.verify_ssl is False: TLS certificates are not verified"]
    # its own class (a UserWarning), naming the user's line rather than the package's
    assert caught[0].category is InsecureTLSWarning and issubclass(InsecureTLSWarning, UserWarning)
    assert caught[0].filename == __file__


def test_https_to_a_plain_http_port_is_a_connection_error(fresh_configuration) -> None:
    fresh_configuration.max_retries = 0
    with socket.create_server(("127.0.0.1", 0)) as listener:
        answering = threading.Thread(target=answer_in_plain_http, args=(listener,))
        answering.start()
        with pytest.raises(ApiConnectionError) as caught:
            SCIMApi(recording_client(f"https://127.0.0.1:{listener.getsockname()[1]}")).get_scim_v2_users()
        answering.join(timeout=5)
    assert caught.value.status == 0 and "TLS" in str(caught.value)


def answer_in_plain_http(listener: socket.socket) -> None:
    listener.settimeout(5)
    connection, _ = listener.accept()
    with connection:
        connection.recv(4096)  # the TLS ClientHello
        connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
