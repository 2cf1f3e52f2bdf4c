"""Escaping: ids travel as one path segment, query values byte-exact, and header values with
CR or LF are refused with ValueError before anything is sent."""

from __future__ import annotations

import pytest

from ..servers import Reply, ScriptedServer
from .conftest import flavoured_client

USER = {"id": "x", "userName": "jane@example.com"}
TRICKY_IDS = ["a/b", "../admin", "a?b=c", "a#frag", "100%", "%2F", "a b+c", "ü-名", "a;b", "..."]


@pytest.mark.parametrize("user_id", TRICKY_IDS)
def test_path_parameters_are_one_encoded_segment(flavour, server: ScriptedServer, user_id: str) -> None:
    server.default = Reply.json(USER)
    flavour.api(flavoured_client(flavour, server)).get_scim_v2_user(user_id)
    (request,) = server.requests
    prefix = "/api/v2/scim/v2/users/"
    segment = request.path[len(prefix):]
    assert request.path.startswith(prefix) and "/" not in segment and "?" not in request.target
    assert request.decoded_path == prefix + user_id


@pytest.mark.parametrize("user_id", ["", ".", ".."])
def test_empty_and_dot_ids_are_refused(flavour, server: ScriptedServer, user_id: str) -> None:
    with pytest.raises(ValueError, match="user_id"):
        flavour.api(flavoured_client(flavour, server)).delete_scim_v2_user(user_id)
    assert server.connections == 0


@pytest.mark.parametrize("value", [
    'userName eq "a+b@example.com"', 'displayName co "50% & more=yes"', 'title eq "#1 / ?x"',
    "name.familyName sw \"Ö'Brien\\\"\"", "emails[type eq \"work\"].value pr", "  spaces  ",
])
def test_query_values_arrive_byte_exact(flavour, server: ScriptedServer, value: str) -> None:
    server.default = Reply.json({"Resources": [], "totalResults": 0})
    flavour.api(flavoured_client(flavour, server)).get_scim_v2_users(value, count=5, attributes=["userName", "emails"])
    (request,) = server.requests
    assert request.query == {"filter": value, "count": "5", "attributes": "userName,emails"}
    assert " " not in request.raw_query and "+" not in request.raw_query


@pytest.mark.parametrize("evil", ["a\r\nX-Injected: 1", "a\nb", "a\rb", '"1"\r\n\r\nGET / HTTP/1.1'])
def test_crlf_in_call_headers_is_refused_before_sending(flavour, server: ScriptedServer, evil: str) -> None:
    with pytest.raises(ValueError, match="CR or LF"):
        flavour.api(flavoured_client(flavour, server)).put_scim_v2_user("u1", USER, if_match=evil)
    assert server.connections == 0


@pytest.mark.parametrize("where", ["default_header", "cookie", "token", "user_agent", "header_name"])
def test_crlf_anywhere_in_headers_is_refused_before_sending(flavour, server: ScriptedServer, where: str) -> None:
    client = flavoured_client(flavour, server)
    evil = "v\r\nX-Injected: 1"
    with pytest.raises(ValueError, match="CR or LF") as caught:
        if where == "default_header":
            client.set_default_header("X-Trace", evil)
        elif where == "header_name":
            client.set_default_header(evil, "v")
        elif where == "user_agent":
            client.user_agent = evil
        elif where == "cookie":
            client.cookie = evil
        else:
            client.access_token = evil
        flavour.api(client).get_scim_v2_users()
    assert server.connections == 0
    assert where == "header_name" or "X-Injected" not in str(caught.value)  # values (tokens) are not echoed


def test_headers_added_straight_to_default_headers_are_checked_too(flavour, server: ScriptedServer) -> None:
    client = flavoured_client(flavour, server)
    client.default_headers["X-Trace"] = "a\nb"
    with pytest.raises(ValueError):
        flavour.api(client).get_scim_v2_users()
    assert server.connections == 0


def test_non_latin1_header_values_are_refused(flavour, server: ScriptedServer) -> None:
    with pytest.raises(ValueError, match="Latin-1"):
        flavour.api(flavoured_client(flavour, server)).get_scim_v2_user("u1", if_none_match="“3”")
    assert server.connections == 0


def test_bad_headers_are_refused_before_even_a_token_renewal(flavour, server: ScriptedServer) -> None:
    from .conftest import TokenService, token_requests

    server.default = TokenService(lambda request: Reply.json(USER), expires_in=30)  # renewal is due
    client = flavoured_client(flavour, server, token=None)
    client.get_client_credentials_token("cid", "secret")
    client.cookie = "a=b\r\nX-Injected: 1"
    with pytest.raises(ValueError, match="CR or LF"):
        flavour.api(client).get_scim_v2_users()
    assert len(token_requests(server)) == 1 and len(server.requests) == 1  # only the login
