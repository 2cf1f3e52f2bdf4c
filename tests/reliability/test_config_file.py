"""The official configuration file (~/.genesyscloudpython/config or config_file_path, INI or JSON):
read by the first call and never at import, settings in code before it win, edits apply to the
next call (live reload: a modification-time look at most once a second, on an injected clock,
no thread), and a bad file raises ConfigFileError naming the file, section and key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Iterator

import pytest

from PureCloudPlatformClientV2 import SCIMApi
from PureCloudPlatformClientV2.config_file import ConfigFileError
from PureCloudPlatformClientV2.configuration import DEFAULT_HOST, Configuration
from PureCloudPlatformClientV2.logger import LogFormat, LogLevel
from PureCloudPlatformClientV2.sandbox import Sandbox

from ..prefix_proxy import PrefixProxy

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
IE, DE = "https://api.mypurecloud.ie", "https://api.mypurecloud.de"


class Clock:
    """The configuration file's clock: seconds that pass only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


_mtimes = iter(range(1, 10**6))


def write(path: Path, text: str) -> None:
    """Write the file and give it a new modification time (a real edit always gets one; two
    writes within a clock tick of the file system might not)."""
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    stamp = 1_700_000_000_000_000_000 + next(_mtimes) * 1_000_000_000
    os.utime(path, ns=(stamp, stamp))


@pytest.fixture
def config_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """~/.genesyscloudpython/config under a HOME of the test's own (not written yet)."""
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".genesyscloudpython").mkdir()
    return tmp_path / ".genesyscloudpython" / "config"


@pytest.fixture
def clock(fresh_configuration: Configuration) -> Clock:
    fresh_configuration._config_file.clock = ticking = Clock()
    return ticking


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


def test_the_default_file_is_read_by_the_first_call_not_before(config_path, sandbox, fresh_configuration) -> None:
    write(config_path, f"""
        [general]
        host = {sandbox.url}
        [reauthentication]
        refresh_access_token = false
        refresh_token_wait_max = 3
        """)
    assert fresh_configuration.config_file_path == str(config_path)
    assert fresh_configuration.host == DEFAULT_HOST  # nothing read yet
    fresh_configuration.access_token = sandbox.token
    assert SCIMApi().get_scim_v2_users(count=1).total_results is not None  # reached the file's host
    assert fresh_configuration.host == sandbox.url
    assert (fresh_configuration.should_refresh_access_token, fresh_configuration.refresh_token_wait_time) == (False, 3)


def test_import_and_construction_do_not_open_the_file(tmp_path: Path) -> None:
    folder = tmp_path / ".genesyscloudpython"
    folder.mkdir()
    write(folder / "config", "[general]\nhost = https://api.mypurecloud.ie\n")
    script = textwrap.dedent("""
        import os, sys
        opened = []
        sys.addaudithook(lambda event, args: opened.append(os.fsdecode(args[0]))
                         if event == "open" and isinstance(args[0], (str, bytes)) else None)
        import PureCloudPlatformClientV2 as P
        P.Configuration(); P.SCIMApi(); P.ApiClient()
        before = [p for p in opened if ".genesyscloudpython" in p]
        host = P.configuration.snapshot().host
        print(before, [p for p in opened if ".genesyscloudpython" in p] != [], host)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          cwd=PACKAGE_ROOT, env={**os.environ, "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[]", "True", "https://api.mypurecloud.ie"]


def test_a_json_file_with_every_section(config_path, sandbox, tmp_path, fresh_configuration) -> None:
    with PrefixProxy(sandbox.url, ["gw/login", "gw/scim/api"]) as proxy:
        config_path.write_text(json.dumps({
            "logging": {"log_level": "Debug", "log_format": "json", "log_to_console": False,
                        "log_file_path": str(tmp_path / "sdk.log"), "log_request_body": True,
                        "log_response_body": "yes"},
            "general": {"host": "https://api.mypurecloud.ie", "live_reload_config": False},
            "reauthentication": {"refresh_access_token": True, "refresh_token_wait_max": "7"},
            "gateway": {"host": "127.0.0.1", "protocol": "http", "port": proxy.port, "path_params_login": "gw/login",
                        "path_params_api": "/gw/scim/api/", "username": "gw-user", "password": "gw-password"},
            "other-tool": {"anything": 1},  # sections the SDK does not know are not its business
        }))
        client = fresh_configuration.api_client
        client.get_client_credentials_token(sandbox.client_id, sandbox.client_secret)
        SCIMApi().get_scim_v2_users(count=1)
        client.close()
    logger, gateway = fresh_configuration.logger, fresh_configuration.gateway_configuration
    assert (logger.log_level, logger.log_format, logger.log_to_console) == (LogLevel.LDebug, LogFormat.JSON, False)
    assert (logger.log_request_body, logger.log_response_body) == (True, True)
    assert fresh_configuration.live_reload_config is False and fresh_configuration.refresh_token_wait_time == 7
    assert (gateway.port, gateway.path_params_api, gateway.username) == (proxy.port, "/gw/scim/api", "gw-user")
    assert proxy.paths == ["/gw/login/oauth/token", "/gw/scim/api/api/v2/scim/v2/users?count=1"]
    (entry,) = [json.loads(line) for line in (tmp_path / "sdk.log").read_text().splitlines()]  # calls only
    assert (entry["level"], entry["method"], entry["statusCode"]) == ("debug", "GET", 200)
    assert entry["url"] == f"http://127.0.0.1:{proxy.port}/gw/scim/api/api/v2/scim/v2/users?count=1"


def test_settings_in_code_before_the_first_call_win_and_edits_apply_what_they_change(
        config_path, clock, fresh_configuration) -> None:
    write(config_path, f"[general]\nhost = {IE}\n[logging]\nlog_level = error\nlog_to_console = false\n")
    fresh_configuration.host = "https://api.mypurecloud.com.au"  # in code, before the first call
    fresh_configuration.snapshot()
    assert fresh_configuration.host == "https://api.mypurecloud.com.au"
    assert fresh_configuration.logger.log_level == LogLevel.LError
    write(config_path, f"[general]\nhost = {IE}\n[logging]\nlog_level = debug\nlog_to_console = false\n")
    clock.now += 1
    fresh_configuration.snapshot()
    assert fresh_configuration.logger.log_level == LogLevel.LDebug  # edited: applied
    assert fresh_configuration.host == "https://api.mypurecloud.com.au"  # not edited: code's value kept
    write(config_path, f"[general]\nhost = {DE}\n[logging]\nlog_level = debug\nlog_to_console = false\n")
    clock.now += 1
    assert fresh_configuration.snapshot().host == DE


def test_live_reload_looks_at_most_once_a_second_and_starts_no_thread(config_path, clock, fresh_configuration) -> None:
    threads = threading.active_count()
    write(config_path, f"[general]\nhost = {IE}\n")
    assert fresh_configuration.snapshot().host == IE
    write(config_path, f"[general]\nhost = {DE}\n")
    clock.now += 0.5
    assert fresh_configuration.snapshot().host == IE  # not looked at yet
    clock.now += 0.5
    assert fresh_configuration.snapshot().host == DE
    assert threading.active_count() == threads


def test_a_file_created_later_is_picked_up(config_path, clock, fresh_configuration) -> None:
    assert fresh_configuration.snapshot().host == DEFAULT_HOST
    write(config_path, f"[general]\nhost = {IE}\n")
    clock.now += 1
    assert fresh_configuration.snapshot().host == IE


def test_without_live_reload_edits_wait_until_it_is_turned_on(config_path, clock, fresh_configuration) -> None:
    write(config_path, f"[general]\nhost = {IE}\nlive_reload_config = false\n")
    assert fresh_configuration.snapshot().host == IE and fresh_configuration.live_reload_config is False
    write(config_path, f"[general]\nhost = {DE}\nlive_reload_config = false\n")
    clock.now += 60
    assert fresh_configuration.snapshot().host == IE
    fresh_configuration.live_reload_config = True
    assert fresh_configuration.snapshot().host == DE


def test_setting_config_file_path_reads_that_file_at_once(tmp_path, config_path, clock, fresh_configuration) -> None:
    write(config_path, f"[general]\nhost = {DE}\n")  # the default file: never read once a path is set
    other = tmp_path / "other.ini"
    write(other, f"[general]\nhost = {IE}\n[logging]\nlog_level = trace\nlog_to_console = off\n")
    fresh_configuration.host = "https://api.mypurecloud.jp"
    fresh_configuration.config_file_path = other
    assert fresh_configuration.config_file_path == str(other)
    assert fresh_configuration.host == IE  # read now; the file wins over earlier settings, as officially
    assert fresh_configuration.logger.log_level == LogLevel.LTrace
    assert fresh_configuration.snapshot().host == IE
    fresh_configuration.config_file_path = tmp_path / "missing"  # fine: read when it appears
    write(tmp_path / "missing", f"[general]\nhost = {DE}\n")
    clock.now += 1
    assert fresh_configuration.snapshot().host == DE


BAD_FILES = [
    ("[logging]\nlog_level = loud\n", "[logging] log_level: expected one of trace, debug, error, none, got 'loud'"),
    ("[logging]\nlog_levle = debug\n", "[logging] log_levle: unknown key (expected one of log_level, log_format"),
    ("[logging]\nlog_format = xml\n", "[logging] log_format: expected one of text, json, got 'xml'"),
    ("[general]\nlive_reload_config = maybe\n", "[general] live_reload_config: expected true or false, got 'maybe'"),
    ("[general]\nhost = api.mypurecloud.ie\n", "[general] host: expected a URL such as https://api.mypurecloud.ie"),
    ("[reauthentication]\nrefresh_token_wait_max = -1\n", "[reauthentication] refresh_token_wait_max: expected a "
                                                          "whole number of seconds >= 0, got '-1'"),
    ("[gateway]\nhost = gw.example.com\nport = https\n", "[gateway] port: expected a port number"),
    ("[gateway]\nhost = https://gw.example.com\n", "[gateway] host: gateway host must be a host name"),
    ("[gateway]\nhost = gw.example.com\nprotocol = ftp\n", "[gateway] protocol: gateway protocol must be 'https'"),
    ('{"logging": {"log_level": 5}}', "[logging] log_level: expected text, got 5"),
    ('{"logging": {"log_to_console": "sometimes"}}', "[logging] log_to_console: expected true or false"),
    ('{"general": "https://api.mypurecloud.ie"}', "[general] must be an object of keys, got str"),
    ('{"logging": ', "is not valid JSON: Expecting"),
    ('{"logging": {}} trailing', "is not valid JSON: Extra data"),
    ("log_level = debug\n", "is neither valid INI nor JSON: File contains no section headers"),
    ("[logging]\nlog_level = debug\n[logging]\n", "is neither valid INI nor JSON: While reading"),
]


@pytest.mark.parametrize(("text", "message"), BAD_FILES)
def test_a_bad_file_names_the_file_and_the_key(config_path, clock, fresh_configuration, text, message) -> None:
    config_path.write_text(text)
    for _ in range(2):  # raised by every call until the file is fixed
        with pytest.raises(ConfigFileError) as caught:
            fresh_configuration.snapshot()
        assert str(caught.value).startswith(f"configuration file {config_path}: {message}")
    assert isinstance(caught.value, ValueError)
    write(config_path, f"[general]\nhost = {IE}\n")
    assert fresh_configuration.snapshot().host == IE


def test_a_bad_edit_is_raised_until_fixed_and_changes_nothing(config_path, clock, fresh_configuration) -> None:
    write(config_path, f"[general]\nhost = {IE}\n")
    fresh_configuration.snapshot()
    write(config_path, f"[general]\nhost = {DE}\n[logging]\nlog_level = loud\n")
    clock.now += 1
    for _ in range(2):
        with pytest.raises(ConfigFileError, match=r"\[logging\] log_level"):
            fresh_configuration.snapshot()
    assert fresh_configuration.host == IE  # nothing of the bad file was applied
    write(config_path, f"[general]\nhost = {DE}\n")
    assert fresh_configuration.snapshot().host == DE


def test_an_unreadable_path_is_named(tmp_path, fresh_configuration) -> None:
    with pytest.raises(ConfigFileError, match=f"configuration file {tmp_path}: cannot be read"):
        fresh_configuration.config_file_path = tmp_path  # a folder
