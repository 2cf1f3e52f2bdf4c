"""The official logging settings (configuration.logger) log what the official SDK logs, in its TEXT
and JSON layouts, at each level, to the console and/or a file, against the sandbox: method, URL,
status, headers, the bodies asked for and the correlation id, with every secret redacted."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any, Iterator

import pytest

from PureCloudPlatformClientV2 import ApiClient, SCIMApi
from PureCloudPlatformClientV2.logger import LogFormat, LogLevel
from PureCloudPlatformClientV2.models import ScimV2CreateUser
from PureCloudPlatformClientV2.rest import ApiConnectionError, NotFoundError
from PureCloudPlatformClientV2.sandbox import Sandbox

from .conftest import closed_port

PASSWORD = "PASSWORD-SECRET-42"
FILTER = 'userName eq "logged@example.com"'
TEXT_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (TRACE|DEBUG|ERROR) $", re.M)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


def exercise(sandbox: Sandbox) -> str:
    """A POST with a password, a filtered listing, a 404: returns the created user's id."""
    client = sandbox.client()
    with client:
        api = SCIMApi(client)
        created = api.post_scim_v2_users(ScimV2CreateUser(user_name="logged@example.com", display_name="Logged",
                                                          password=PASSWORD))
        api.get_scim_v2_users(filter=FILTER, count=1)
        with pytest.raises(NotFoundError):
            api.get_scim_v2_user("missing")
    return str(created.id)


def configure(configuration: Any, path: Path, level: int, layout: int, bodies: bool = True) -> None:
    logger = configuration.logger
    logger.log_to_console = False
    logger.log_file_path = str(path)
    logger.log_format = layout
    logger.log_level = level
    logger.log_request_body = logger.log_response_body = bodies


def json_entries(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def text_records(path: Path) -> list[tuple[str, str]]:
    """(level name, message) for each record of a TEXT log file."""
    text = path.read_text()
    starts = list(TEXT_RECORD.finditer(text))
    return [(m.group(1), text[m.end():(starts[i + 1].start() if i + 1 < len(starts) else len(text))].strip("\n"))
            for i, m in enumerate(starts)]


EXPECTED_LEVELS = {LogLevel.LTrace: ["trace", "trace", "error"], LogLevel.LDebug: ["debug", "debug", "error"],
                   LogLevel.LError: ["error"], LogLevel.LNone: []}


@pytest.mark.parametrize("level", list(EXPECTED_LEVELS), ids=["trace", "debug", "error", "none"])
def test_json_layout_at_each_level(sandbox, tmp_path, fresh_configuration, level) -> None:
    configure(fresh_configuration, tmp_path / "sdk.log", level, LogFormat.JSON)
    user_id = exercise(sandbox)
    entries = json_entries(tmp_path / "sdk.log")
    assert [e["level"] for e in entries] == EXPECTED_LEVELS[level]
    scim = sandbox.scim_url
    by_url = {(e["method"], e["url"]): e for e in entries}
    for entry in entries:
        assert set(entry) >= {"level", "date", "method", "url", "statusCode", "requestHeaders"}
        assert re.fullmatch(r"\d\d-\d\d-\d{4}, \d\d:\d\d:\d\d", entry["date"])  # the official date layout
        assert entry["requestHeaders"]["Authorization"] == "[REDACTED]"
        assert ("responseHeaders" in entry) == (entry["level"] in ("trace", "error"))
        official = {"level", "date", "method", "url", "statusCode", "requestHeaders", "requestBody", "responseBody",
                    "responseHeaders"}
        assert set(entry) <= official  # nothing else: scripts index these entries
    if level == LogLevel.LNone:
        return
    error = by_url[("GET", f"{scim}/users/missing")]
    assert error["statusCode"] == 404 and error["responseBody"]["status"] == "404"
    assert len(error["responseHeaders"]["ININ-Correlation-Id"]) == 36
    if level == LogLevel.LError:
        return
    posted = by_url[("POST", f"{scim}/users")]
    assert posted["statusCode"] == 201 and posted["requestBody"]["password"] == "[REDACTED]"
    assert posted["requestBody"]["userName"] == "logged@example.com"
    listing = by_url[("GET", f"{scim}/users?filter=[REDACTED]&count=1")]  # the filter holds an e-mail
    assert listing["statusCode"] == 200
    if level == LogLevel.LTrace:
        assert posted["responseBody"]["id"] == user_id and "Location" in posted["responseHeaders"]
    else:
        assert "responseBody" not in posted  # DEBUG: the request side only, as officially


@pytest.mark.parametrize("level", [LogLevel.LTrace, LogLevel.LDebug, LogLevel.LError], ids=["trace", "debug", "error"])
def test_text_layout_at_each_level(sandbox, tmp_path, fresh_configuration, level) -> None:
    configure(fresh_configuration, tmp_path / "sdk.log", level, LogFormat.TEXT)
    exercise(sandbox)
    records = text_records(tmp_path / "sdk.log")
    assert [name.lower() for name, _ in records] == EXPECTED_LEVELS[level]
    name, error = records[-1]
    lines = error.splitlines()
    assert lines[:3] == ["=== REQUEST ===", f"URL: {sandbox.scim_url}/users/missing", "Method: GET"]
    assert "\tAuthorization: [REDACTED]" in lines and "=== RESPONSE ===" in lines and "Status: 404" in lines
    assert any(line.startswith("CorrelationId: ") and len(line) > 20 for line in lines)
    assert any(line.startswith("Body: {") and '"status": "404"' in line for line in lines)
    if level == LogLevel.LError:
        return
    posted = records[0][1]
    assert f"URL: {sandbox.scim_url}/users\nMethod: POST" in posted
    assert '"password": "[REDACTED]"' in posted
    listing = records[1][1]
    assert f"URL: {sandbox.scim_url}/users?filter=[REDACTED]&count=1" in listing
    response_part = posted.split("=== RESPONSE ===")[1]
    assert response_part.startswith("\nStatus: 201")
    assert ("\tLocation: " in response_part) == (level == LogLevel.LTrace)


@pytest.mark.parametrize("layout", [LogFormat.TEXT, LogFormat.JSON], ids=["text", "json"])
def test_no_secret_reaches_the_log_file(sandbox, tmp_path, fresh_configuration, layout) -> None:
    configure(fresh_configuration, tmp_path / "sdk.log", LogLevel.LTrace, layout)
    client = ApiClient(host=sandbox.url)
    client.cookie = "session=COOKIE-SECRET-7"
    with client:
        client.get_client_credentials_token(sandbox.client_id, sandbox.client_secret)
        SCIMApi(client).post_scim_v2_users(ScimV2CreateUser(user_name="s@example.com", display_name="S",
                                                                    password=PASSWORD))
        token = client.access_token
    text = (tmp_path / "sdk.log").read_text()
    assert "[REDACTED]" in text and "s@example.com" in text
    assert not [secret for secret in (PASSWORD, token, sandbox.client_secret, "COOKIE-SECRET-7") if secret in text]


def test_bodies_only_when_asked(sandbox, tmp_path, fresh_configuration) -> None:
    configure(fresh_configuration, tmp_path / "sdk.log", LogLevel.LTrace, LogFormat.JSON, bodies=False)
    exercise(sandbox)
    entries = json_entries(tmp_path / "sdk.log")
    assert len(entries) == 3 and not [e for e in entries if "requestBody" in e or "responseBody" in e]


def test_the_console_is_on_by_default_once_a_level_is_set(sandbox, capsys, fresh_configuration) -> None:
    package_logger = logging.getLogger("PureCloudPlatformClientV2")
    fresh_configuration.logger.log_level = LogLevel.LError  # log_to_console is True, as officially
    added = [h for h in package_logger.handlers if not isinstance(h, logging.NullHandler)]  # the package's own
    assert fresh_configuration.logger.log_to_console is True and len(added) == 1
    exercise(sandbox)
    err = capsys.readouterr().err
    assert err.count("=== REQUEST ===") == 1 and f"URL: {sandbox.scim_url}/users/missing" in err
    assert re.search(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ERROR $", err, re.M)
    fresh_configuration.logger.log_to_console = False
    assert [h for h in package_logger.handlers if not isinstance(h, logging.NullHandler)] == []
    sandbox.reset()
    exercise(sandbox)
    assert capsys.readouterr().err == ""


def test_records_go_to_the_standard_logger_too(sandbox, caplog, fresh_configuration) -> None:
    fresh_configuration.logger.log_to_console = False
    fresh_configuration.logger.log_level = LogLevel.LDebug
    with caplog.at_level(logging.DEBUG, logger="PureCloudPlatformClientV2"):
        exercise(sandbox)
    calls = [r for r in caplog.records if r.name == "PureCloudPlatformClientV2" and hasattr(r, "http")]
    assert [r.levelname for r in calls] == ["DEBUG", "DEBUG", "ERROR"]
    assert calls[2].http["statusCode"] == 404 and calls[2].getMessage().startswith("\n=== REQUEST ===")


def test_a_connection_failure_is_an_error_record(tmp_path, fresh_configuration) -> None:
    configure(fresh_configuration, tmp_path / "sdk.log", LogLevel.LError, LogFormat.JSON)
    fresh_configuration.max_retries = 0
    client = ApiClient(host=f"http://127.0.0.1:{closed_port()}")
    client.access_token = "t"
    with client, pytest.raises(ApiConnectionError):
        SCIMApi(client).get_scim_v2_user("u1")
    (entry,) = json_entries(tmp_path / "sdk.log")
    assert (entry["level"], entry["statusCode"], entry["method"]) == ("error", 0, "GET")
    assert entry["url"].endswith("/api/v2/scim/v2/users/u1") and "connection failed" in entry["error"]


def test_bad_settings_are_refused(fresh_configuration) -> None:
    logger = fresh_configuration.logger
    with pytest.raises(ValueError, match="log_level must be"):
        logger.log_level = "debug"
    with pytest.raises(ValueError, match="log_format must be"):
        logger.log_format = 3
    assert (LogLevel.from_string("TRACE"), LogLevel.from_string("loud")) == (LogLevel.LTrace, LogLevel.LNone)
    assert (LogFormat.from_string("Json"), LogFormat.from_string("xml")) == (LogFormat.JSON, LogFormat.TEXT)
