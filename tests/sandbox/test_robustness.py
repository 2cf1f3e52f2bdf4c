"""The sandbox as the weak point it must not be: bounded reads before authentication, a listen
queue that takes bursts, 400 rather than 500 for hostile values, a clear refusal of a read-only
database, quiet connection resets, and SCIM error bodies on 404/405."""

from __future__ import annotations

import json
import shutil
import socket
import struct
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pytest

from PureCloudPlatformClientV2.sandbox import Sandbox
from PureCloudPlatformClientV2.sandbox.server import LISTEN_BACKLOG, MAX_HEADER_BYTES, MAX_REQUEST_LINE
from PureCloudPlatformClientV2.sandbox.store import DatabaseUnusable

from .conftest import Http, user_body

SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
USERS = "/api/v2/scim/v2/users"
WAIT = 20  # seconds: a bound on each socket wait, so that a broken sandbox fails the test instead of hanging it


class Reply:
    """One HTTP response read off a raw socket, then either the answer to a second request on the
    same connection (`then`), or whether the server closed the connection after it (`closed`)."""

    def __init__(self, raw: bytes) -> None:
        head, _, self.body = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        self.closed = False
        self.then: Reply | None = None

    def json(self) -> Any:
        return json.loads(self.body)


def exchange(sandbox: Sandbox, data: bytes, *, then_close_writes: bool = False, then: bytes | None = None) -> Reply:
    """Send raw bytes over a connection kept open (unless told) and read one response. Then send
    `then` and read its answer, or (without `then`) wait for the server to close: a server that
    waits for more instead times the test out."""
    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=WAIT) as raw:
        try:
            raw.sendall(data)
        except (BrokenPipeError, ConnectionResetError):  # the server may answer and close before all of it is sent
            pass
        if then_close_writes:
            raw.shutdown(socket.SHUT_WR)
        reply = Reply(_read_response(raw))
        if then is not None:
            raw.sendall(then)
            reply.then = Reply(_read_response(raw))
        else:
            reply.closed = _recv(raw) == b""
    return reply


def _read_response(raw: socket.socket) -> bytes:
    received = b""
    while b"\r\n\r\n" not in received or len(received) < _expected_length(received):
        chunk = _recv(raw)
        if not chunk:
            break
        received += chunk
    return received


def _recv(raw: socket.socket) -> bytes:
    try:
        return raw.recv(65536)
    except ConnectionResetError:  # the server closed with unread request bytes: an RST, i.e. closed
        return b""


def _expected_length(received: bytes) -> int:
    head, _, _ = received.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(head) + 4 + int(value)
    return len(received)


def request(method: str, target: str, sandbox: Sandbox, *headers: str, body: bytes = b"") -> bytes:
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1", f"Authorization: Bearer {sandbox.token}", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def chunked_post(sandbox: Sandbox, body: bytes) -> bytes:
    return request("POST", USERS, sandbox, "Content-Type: application/json", "Transfer-Encoding: chunked", body=body)


def refused_as_error_body(reply: Reply, status: int) -> dict[str, Any]:
    """A refusal before the request was read: Genesys' ErrorBody, and the connection closed."""
    assert reply.status == status, reply.body
    assert reply.headers["connection"] == "close" and reply.closed
    body = reply.json()
    assert body["status"] == status and body["code"] and body["contextId"] == reply.headers["inin-correlation-id"]
    return body  # type: ignore[no-any-return]


# -- every read before authentication is bounded -----------------------------------------------
@pytest.mark.parametrize("size", [b"-1", b"-0", b"+5", b"0x10", b"1_0", b" ", b"zz", b"\xff"])
def test_a_chunk_size_that_is_not_hexadecimal_is_400_and_closes(sandbox: Sandbox, size: bytes) -> None:
    # "-1" used to read to EOF without limit: the sandbox waited for the client to close
    reply = exchange(sandbox, chunked_post(sandbox, size + b"\r\n" + b"x" * 4096))
    assert "chunk size" in refused_as_error_body(reply, 400)["message"]
    assert sandbox.store.count("users") == 0


def test_a_chunk_size_line_has_a_length_limit(sandbox: Sandbox) -> None:
    reply = exchange(sandbox, chunked_post(sandbox, b"5;" + b"e" * 2000 + b"\r\nhello\r\n0\r\n\r\n"))
    assert "over 1024 bytes" in refused_as_error_body(reply, 400)["message"]


def test_a_chunk_longer_than_its_size_is_400(sandbox: Sandbox) -> None:
    reply = exchange(sandbox, chunked_post(sandbox, b"2\r\n{}xx\r\n0\r\n\r\n"))
    refused_as_error_body(reply, 400)


def test_a_chunked_body_without_its_last_chunk_is_not_taken_as_complete(sandbox: Sandbox) -> None:
    body = json.dumps(user_body()).encode()
    reply = exchange(sandbox, chunked_post(sandbox, b"%x\r\n%s\r\n" % (len(body), body)), then_close_writes=True)
    assert "ended inside a chunk-size line" in refused_as_error_body(reply, 400)["message"]
    assert sandbox.store.count("users") == 0  # it used to create the user


def test_chunked_bodies_count_against_max_body_bytes_in_total() -> None:
    with Sandbox(max_body_bytes=1000) as small:
        chunk = b"258\r\n" + b"x" * 600 + b"\r\n"  # 600 bytes a chunk: the second one is over the limit
        reply = exchange(small, chunked_post(small, chunk * 2 + b"0\r\n\r\n"))
        assert "Maximum bytes: 1000" in refused_as_error_body(reply, 413)["message"]
        huge = exchange(small, chunked_post(small, b"ffffffffffffffffffff\r\n"))  # refused before reading
        refused_as_error_body(huge, 413)


def test_a_chunked_body_with_endless_trailers_is_431(sandbox: Sandbox) -> None:
    reply = exchange(sandbox, chunked_post(sandbox, b"2\r\n{}\r\n0\r\n" + b"X-Trailer: 1\r\n" * 200 + b"\r\n"))
    assert "trailer" in refused_as_error_body(reply, 431)["message"]


def test_trailers_within_the_bounds_are_read_and_ignored(sandbox: Sandbox) -> None:
    body = json.dumps(user_body()).encode()
    reply = exchange(sandbox, chunked_post(sandbox, b"%x\r\n%s\r\n0\r\nX-Checksum: 1\r\n\r\n" % (len(body), body)),
                     then=request("GET", USERS, sandbox))
    assert reply.status == 201 and reply.then is not None and reply.then.status == 200  # keep-alive goes on


@pytest.mark.parametrize("length", ["+5", "-1", "1_0", " 0x5", "5, 6", "\N{SUPERSCRIPT TWO}"])
def test_a_content_length_that_is_not_plain_digits_is_400(sandbox: Sandbox, length: str) -> None:
    reply = exchange(sandbox, request("POST", USERS, sandbox, f"Content-Length: {length}", body=b"{}   "))
    assert "Invalid Content-Length" in refused_as_error_body(reply, 400)["message"]


def test_two_different_content_lengths_are_400(sandbox: Sandbox) -> None:
    reply = exchange(sandbox, request("POST", USERS, sandbox, "Content-Length: 2", "Content-Length: 5", body=b"{}"))
    refused_as_error_body(reply, 400)


def test_both_transfer_encoding_and_content_length_is_400(sandbox: Sandbox) -> None:
    reply = exchange(sandbox, request("POST", USERS, sandbox, "Transfer-Encoding: chunked", "Content-Length: 7",
                                      body=b"2\r\n{}\r\n0\r\n\r\n"))
    assert "both" in refused_as_error_body(reply, 400)["message"]


@pytest.mark.parametrize("coding", ["gzip", "gzip, chunked", "notchunked"])
def test_an_unknown_transfer_coding_is_501(sandbox: Sandbox, coding: str) -> None:
    reply = exchange(sandbox, request("POST", USERS, sandbox, f"Transfer-Encoding: {coding}",
                                      body=b"2\r\n{}\r\n0\r\n\r\n"))
    assert "only chunked" in refused_as_error_body(reply, 501)["message"]


def test_a_body_shorter_than_its_content_length_is_400(sandbox: Sandbox) -> None:
    reply = exchange(sandbox, request("POST", USERS, sandbox, "Content-Length: 100", body=b"{}"),
                     then_close_writes=True)
    assert "ended after 2 of its 100 bytes" in refused_as_error_body(reply, 400)["message"]


def test_the_header_block_has_a_total_limit(sandbox: Sandbox) -> None:
    # each line is well under http.server's 64 KiB per line; together they are over MAX_HEADER_BYTES
    headers = [f"X-Filler-{n}: {'a' * 4000}" for n in range(MAX_HEADER_BYTES // 4000 + 1)]
    reply = exchange(sandbox, request("GET", USERS, sandbox, *headers))
    assert f"over {MAX_HEADER_BYTES} bytes" in refused_as_error_body(reply, 431)["message"]
    fewer = exchange(sandbox, request("GET", USERS, sandbox, *headers[:3]), then=request("GET", USERS, sandbox))
    assert fewer.status == 200 and fewer.then is not None and fewer.then.status == 200


def test_too_many_header_lines_is_431_error_body_not_html(sandbox: Sandbox) -> None:
    reply = exchange(sandbox, request("GET", USERS, sandbox, *[f"X-{n}: 1" for n in range(101)]))
    assert refused_as_error_body(reply, 431)["code"] == "request.header.fields.too.large"


def test_a_request_line_over_the_limit_is_414_error_body_not_html(sandbox: Sandbox) -> None:
    reply = exchange(sandbox, request("GET", USERS + "?filter=" + "a" * MAX_REQUEST_LINE, sandbox))
    assert refused_as_error_body(reply, 414)["message"] == f"The request line is over {MAX_REQUEST_LINE} bytes"


@pytest.mark.parametrize("data", [b"GARBAGE\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                                  b"TRACE /api/v2/scim/v2/users HTTP/1.1\r\n\r\n"])
def test_what_http_server_refuses_itself_is_json_too(sandbox: Sandbox, data: bytes) -> None:
    reply = exchange(sandbox, data)
    assert reply.status in (400, 501, 505) and reply.headers["content-type"].startswith("application/")
    refused_as_error_body(reply, reply.status)


# -- a burst of connections ----------------------------------------------------------------------
def test_150_concurrent_connections_all_get_answers() -> None:
    # with socketserver's listen backlog of 5, about half of them timed out
    assert LISTEN_BACKLOG >= 150
    count = 150
    with Sandbox() as sandbox:
        start = threading.Barrier(count)
        statuses: list[int | str] = []

        def one() -> None:
            start.wait(timeout=WAIT)
            try:
                reply = exchange(sandbox, request("GET", USERS + "?count=0", sandbox, "Connection: close"))
                statuses.append(reply.status)
            except OSError as error:
                statuses.append(repr(error))

        threads = [threading.Thread(target=one) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=3 * WAIT)
    assert statuses == [200] * count


# -- 400, not 500 ---------------------------------------------------------------------------------------
def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("body", [
    lambda: _nested(5000),  # json.loads itself gives up (RecursionError)
    lambda: json.dumps(user_body()).replace('"User', f'"User", "x": {_nested(900)}, "y": "', 1),  # parses, too deep
])
def test_deeply_nested_json_bodies_are_400_invalid_value(http: Http, body: Any) -> None:
    response = http.request("POST", "/users", body=body().encode(), headers={"Content-Type": "application/json"})
    error = _scim_error(response, 400)
    assert error["scimType"] == "invalidValue" and "deeper than 32 levels" in error["detail"]


def test_a_deeply_nested_patch_value_is_400_not_500(http: Http) -> None:
    user = http.create_user()
    deep: Any = "x"
    for _ in range(900):
        deep = {"a": deep}
    response = http.patch(f"/users/{user['id']}", [{"op": "add", "value": {"title": deep}}])
    assert _scim_error(response, 400)["scimType"] == "invalidValue"


def test_a_patch_at_the_depth_scim_needs_is_accepted(http: Http) -> None:
    user = http.create_user()
    skills = {"urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User":
              {"routingSkills": [{"name": "Sales", "proficiency": 2}]}}
    assert http.patch(f"/users/{user['id']}", [{"op": "add", "value": skills}]).status == 200


@pytest.mark.parametrize("resource", ["/users", "/groups"])
@pytest.mark.parametrize("name", ["startIndex", "count"])
@pytest.mark.parametrize("value", [2**63, -(2**63) - 1, 10**30])
def test_paging_values_beyond_sqlite_integers_are_400_invalid_value(http: Http, resource: str, name: str,
                                                                      value: int) -> None:
    error = _scim_error(http.get(resource, params={name: value}), 400)
    assert error["scimType"] == "invalidValue" and name in error["detail"]


def test_the_largest_sqlite_integer_is_still_a_page(http: Http) -> None:
    http.create_user()
    page = http.get("/users", params={"startIndex": 2**63 - 1}).json()
    assert page["Resources"] == [] and page["totalResults"] == 1


def _scim_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status == status, response.data
    body = response.json()
    assert body["schemas"] == [SCIM_ERROR] and body["status"] == str(status)
    return body  # type: ignore[no-any-return]


# -- a database that cannot be written ----------------------------------------------------------------
@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make a file or folder read-only, also for root (chattr +i where chmod does not bite), or skip."""
    mode = path.stat().st_mode
    path.chmod(0o555 if path.is_dir() else 0o444)
    immutable = False
    try:
        if _writable(path) and shutil.which("chattr"):
            immutable = subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0
        if _writable(path):
            pytest.skip("cannot make a path read-only here")
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(mode)


def _writable(path: Path) -> bool:
    probe = path / ".probe" if path.is_dir() else path
    try:
        with open(probe, "ab"):
            pass
    except OSError:
        return False
    if path.is_dir():
        probe.unlink()
    return True


@pytest.fixture
def saved_db(tmp_path: Path) -> Path:
    db = tmp_path / "data" / "sandbox.db"
    db.parent.mkdir()
    with Sandbox(db=str(db)) as first:
        Http(first).create_user()
    return db


@pytest.mark.parametrize("what", ["file", "folder"])
def test_starting_on_a_read_only_database_fails_at_start_with_a_sentence(saved_db: Path, what: str) -> None:
    # it used to start, serve reads, and answer 500 to every write
    with read_only(saved_db if what == "file" else saved_db.parent):
        with pytest.raises(DatabaseUnusable, match=f"cannot use the sandbox database '{saved_db}'") as refused:
            Sandbox(db=str(saved_db)).start()
    assert isinstance(refused.value, OSError)
    assert ("the file is read-only" if what == "file" else "cannot be written") in str(refused.value)


def test_the_command_exits_2_with_one_line_on_a_read_only_database(saved_db: Path) -> None:
    with read_only(saved_db):
        done = subprocess.run([sys.executable, "-m", "PureCloudPlatformClientV2.sandbox", "--port", "0",
                               "--db", str(saved_db)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (f"error: cannot use the sandbox database '{saved_db}': attempt to write a readonly "
                           "database (the file is read-only)\n")


@pytest.mark.parametrize("content", [None, b"not a database at all, just some text......" * 40])
def test_a_folder_or_a_non_database_file_is_refused_at_start(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "x.db"
    path.mkdir() if content is None else path.write_bytes(content)
    with pytest.raises(DatabaseUnusable, match="cannot use the sandbox database"):
        Sandbox(db=str(path)).start()


# -- a client that resets its connection ----------------------------------------------------------
def _reset(raw: socket.socket) -> None:
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close sends RST
    raw.close()


def _join_request_threads() -> None:
    """Wait for the sandbox's request threads (socketserver names them after process_request_thread)."""
    for thread in threading.enumerate():
        while thread.name.endswith("(process_request_thread)"):
            try:
                thread.join(timeout=WAIT)
                break
            except RuntimeError:  # still inside Thread.start(), which returns once the thread runs
                continue


def _answered(sandbox: Sandbox) -> bool:
    """One request on a connection of its own, closed after the answer (no thread left waiting)."""
    return exchange(sandbox, request("GET", USERS + "?count=0", sandbox, "Connection: close")).status == 200


@pytest.mark.parametrize("log_requests", [False, True])
def test_a_connection_reset_while_reading_leaves_no_traceback(capsys: pytest.CaptureFixture[str],
                                                              log_requests: bool) -> None:
    with Sandbox(log_requests=log_requests) as sandbox:
        for partial in (b"GET /api/v2/scim/v2/users HTTP/1.1\r\nHost: x\r\n",  # inside the headers
                        request("POST", USERS, sandbox, "Content-Length: 500", body=b'{"user')):  # inside the body
            raw = socket.create_connection(("127.0.0.1", sandbox.port), timeout=WAIT)
            raw.sendall(partial)
            assert _answered(sandbox)  # accepted after `raw`, so `raw` has its request thread by now
            _reset(raw)
            _join_request_threads()
        err = capsys.readouterr().err
    assert "Traceback" not in err and "Exception occurred" not in err
    closed = [line for line in err.splitlines() if "connection closed by the client" in line]
    assert len(closed) == (2 if log_requests else 0)


def test_a_connection_reset_while_writing_leaves_no_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    with Sandbox(seed=100) as sandbox:
        raw = socket.create_connection(("127.0.0.1", sandbox.port), timeout=WAIT)
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
        for _ in range(20):  # responses of about 80 KB each, only the first bytes read
            raw.sendall(request("GET", USERS + "?count=100", sandbox))
        assert raw.recv(100).startswith(b"HTTP/1.1 200")  # the sandbox is writing
        _reset(raw)
        _join_request_threads()
        assert _answered(sandbox)
    assert "Traceback" not in capsys.readouterr().err


# -- 404 and 405 in SCIM's error dialect --------------------------------------------------------------
@pytest.mark.parametrize("method, path, status", [
    ("GET", "/api/v2/scim/v2/Bulk", 404), ("GET", "/api/v2/scim/v2/users/a/b", 404),
    ("DELETE", "/api/v2/scim/v2/groups/x", 405), ("POST", "/api/v2/scim/v2/schemas", 405),
])
def test_404_and_405_under_the_scim_prefix_are_scim_errors(sandbox: Sandbox, method: str, path: str,
                                                             status: int) -> None:
    reply = exchange(sandbox, request(method, path, sandbox, "Content-Length: 0"), then=request("GET", USERS, sandbox))
    assert reply.status == status and reply.headers["content-type"].startswith("application/scim+json")
    body = reply.json()
    assert body["schemas"] == [SCIM_ERROR] and body["status"] == str(status) and body["detail"]
    assert ("allow" in reply.headers) == (status == 405)
    assert reply.then is not None and reply.then.status == 200  # an ordinary answer: keep-alive goes on

