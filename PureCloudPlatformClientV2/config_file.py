"""The official configuration file, `~/.genesyscloudpython/config` (or `configuration.config_file_path`),
in INI or JSON, with the sections `logging`, `general`, `reauthentication` and `gateway`.

Unlike the official SDK, nothing is read at import or when the configuration is created: the
file is read when the configuration is first used by a call (its first snapshot), or at once
when `config_file_path` is set. A setting assigned in code before that first call wins over the
file, as it would have over a file read at import. With `live_reload_config` (the default), the
file's modification time is looked at, at most once a second, when a call takes its settings;
an edit applies the settings it changed to the next call. No thread is started.

A bad file raises `ConfigFileError` naming the file, the section and the key (the official SDK
ignores the whole file silently); it is raised by the call that read it, and by every later
call until the file is fixed."""

from __future__ import annotations

import _thread  # threading's own lock, without importing threading (~5 ms) with the package
import os
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

    from .configuration import Configuration

__all__ = ["ConfigFileError", "default_config_file_path", "read_config_file", "KEYS"]

CHECK_INTERVAL_S = 1.0  # live reload: the file's modification time is looked at this often, at most
GATEWAY = ("gateway", "")  # the [gateway] section applies as one value (a GatewayConfiguration)
LEVELS = {"trace": 5, "debug": 10, "error": 40, "none": 51}  # LogLevel's values, by their file names
FORMATS = {"text": 1, "json": 2}
TRUE_WORDS, FALSE_WORDS = ("1", "yes", "true", "on"), ("0", "no", "false", "off")
# Every key the official SDK reads, by section, with the kind of value it takes.
KEYS: dict[str, dict[str, str]] = {
    "logging": {"log_level": "level", "log_format": "format", "log_to_console": "bool", "log_file_path": "path",
                "log_response_body": "bool", "log_request_body": "bool"},
    "general": {"host": "url", "live_reload_config": "bool"},
    "reauthentication": {"refresh_access_token": "bool", "refresh_token_wait_max": "seconds"},
    "gateway": {"host": "text", "protocol": "text", "port": "port", "path_params_login": "text",
                "path_params_api": "text", "username": "text", "password": "text"},
}


class ConfigFileError(ValueError):
    """The configuration file could not be used; `path`, `section` and `key` say where."""

    def __init__(self, path: str, problem: str, section: str | None = None, key: str | None = None) -> None:
        self.path, self.section, self.key, self.problem = path, section, key, problem
        where = "" if section is None else f"[{section}] " + (f"{key}: " if key else "")
        super().__init__(f"configuration file {path}: {where}{problem}")


def default_config_file_path() -> str:
    """`~/.genesyscloudpython/config`, with `~` as it is now (HOME can change)."""
    return os.path.join(os.path.expanduser("~"), ".genesyscloudpython", "config")


def read_config_file(path: str) -> dict[tuple[str, str], Any] | None:
    """The file's settings as {(section, key): checked value}, the `[gateway]` section as one
    entry under ("gateway", "") (a dict of its keys, or None without a host); None when there
    is no such file. Raises ConfigFileError for anything it cannot use."""
    try:
        with open(path, encoding="utf-8-sig") as stream:
            text = stream.read()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigFileError(path, f"cannot be read: {error}") from None
    sections = _parse(path, text)
    values: dict[tuple[str, str], Any] = {}
    for section, entries in sections.items():
        known = KEYS.get(section)
        if known is None:  # other sections are not the SDK's business (the official SDK ignores them too)
            continue
        for key, raw in entries.items():
            kind = known.get(key)
            if kind is None:
                raise ConfigFileError(path, f"unknown key (expected one of {', '.join(known)})", section, key)
            values[(section, key)] = _checked(path, section, key, kind, raw)
    gateway = {key: values.pop(("gateway", key)) for key in KEYS["gateway"] if ("gateway", key) in values}
    values[GATEWAY] = _gateway_settings(path, gateway)
    return values


def _parse(path: str, text: str) -> dict[str, dict[str, Any]]:
    """INI (configparser) or JSON ({"section": {"key": value}}), told apart by the first character."""
    if text.lstrip().startswith("{"):
        import json

        try:
            data = json.loads(text)
        except ValueError as error:
            raise ConfigFileError(path, f"is not valid JSON: {error}") from None
        if not isinstance(data, dict):
            raise ConfigFileError(path, "JSON must be an object of sections")
        for section, entries in data.items():
            if section in KEYS and not isinstance(entries, dict):
                raise ConfigFileError(path, f"must be an object of keys, got {type(entries).__name__}", section)
        return {s: e for s, e in data.items() if isinstance(e, dict)}
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=path)
    except configparser.Error as error:
        detail = "; ".join(line.strip() for line in error.message.splitlines() if line.strip())
        raise ConfigFileError(path, f"is neither valid INI nor JSON: {detail}") from None
    return {section: dict(parser.items(section, raw=True)) for section in parser.sections()}


def _checked(path: str, section: str, key: str, kind: str, raw: Any) -> Any:
    def bad(expected: str) -> ConfigFileError:
        return ConfigFileError(path, f"expected {expected}, got {raw!r}", section, key)

    text = raw.strip() if isinstance(raw, str) else None
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        if text is not None and text.lower() in TRUE_WORDS + FALSE_WORDS:
            return text.lower() in TRUE_WORDS
        raise bad("true or false")
    if kind in ("seconds", "port"):
        number = raw if isinstance(raw, int) and not isinstance(raw, bool) else None
        if text is not None and text.lstrip("-").isdigit():
            number = int(text)
        if kind == "seconds" and (number is None or number < 0):
            raise bad("a whole number of seconds >= 0")
        if kind == "port" and (number is None or number > 65535):
            raise bad("a port number (or -1 to leave it out)")
        return number
    if text is None:
        raise bad("text")
    if kind == "level":
        if text.lower() not in LEVELS:
            raise bad("one of " + ", ".join(LEVELS))
        return LEVELS[text.lower()]
    if kind == "format":
        if text.lower() not in FORMATS:
            raise bad("one of " + ", ".join(FORMATS))
        return FORMATS[text.lower()]
    if kind == "url" and not text.lower().startswith(("https://", "http://")):
        raise bad("a URL such as https://api.mypurecloud.ie")
    if kind == "path":
        return text or None  # empty: no log file
    return text


def _gateway_settings(path: str, gateway: dict[str, Any]) -> dict[str, Any] | None:
    if not gateway.get("host"):
        return None  # as the official SDK: no gateway host, no gateway
    from .gateway_configuration import GatewayConfiguration

    for key, value in gateway.items():  # each key on its own, so an error names it
        try:
            GatewayConfiguration(**{key: value})
        except (TypeError, ValueError) as error:
            raise ConfigFileError(path, str(error), "gateway", key) from None
    return gateway


# -- applying it to the configuration ------------------------------------------------------
def _logger_setting(name: str) -> Callable[[Configuration, Any], None]:
    return lambda configuration, value: setattr(configuration.logger, name, value)


def _set(name: str) -> Callable[[Configuration, Any], None]:
    return lambda configuration, value: setattr(configuration, name, value)


def _set_gateway(configuration: Configuration, value: dict[str, Any] | None) -> None:
    from .gateway_configuration import GatewayConfiguration

    configuration.gateway_configuration = None if value is None else GatewayConfiguration(**value)


# (section, key) -> (the setting it changes, as `Configuration.set_in_code` names it; how to set it)
TARGETS: dict[tuple[str, str], tuple[str, Callable[[Configuration, Any], None]]] = {
    **{("logging", key): ("logger." + key, _logger_setting(key)) for key in KEYS["logging"]},
    ("general", "host"): ("host", _set("host")),
    ("general", "live_reload_config"): ("live_reload_config", _set("live_reload_config")),
    ("reauthentication", "refresh_access_token"): ("should_refresh_access_token", _set("should_refresh_access_token")),
    ("reauthentication", "refresh_token_wait_max"): ("refresh_token_wait_time", _set("refresh_token_wait_time")),
    GATEWAY: ("gateway_configuration", _set_gateway),
}


class ConfigFileState:
    """Which file the configuration follows, what it last read from it, and when to look again.

    clock: seconds, monotonic (replaceable in tests, so no test has to wait a second)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.path: str | None = None  # None: the default path, resolved when read
        self.loaded = False  # read once (or found missing) for the current path
        self.next_check: float | None = float("-inf")  # None: never again (live reload off)
        self._signature: tuple[int, int, int] | None = None
        self._values: dict[tuple[str, str], Any] = {}
        self._lock = _thread.allocate_lock()

    def current_path(self) -> str:
        return self.path or default_config_file_path()

    def follow(self, path: str | None, configuration: Configuration) -> None:
        """`config_file_path` was set: read that file now, its settings winning over earlier ones."""
        with self._lock:
            self.path, self.loaded, self._signature, self._values = path, False, None, {}
            self._check(configuration, override=True)

    def check(self, configuration: Configuration) -> None:
        """Read the file the first time, and again when it changed (called by the snapshot when due)."""
        with self._lock:
            if self.next_check is not None and self.clock() >= self.next_check:
                self._check(configuration, override=False)

    def _check(self, configuration: Configuration, override: bool) -> None:
        path = self.current_path()
        signature = _signature(path)
        if not self.loaded or signature != self._signature:
            values = {} if signature is None else read_config_file(path) or {}  # raises: checked again next call
            first = not self.loaded
            changed = [key for key, value in values.items()
                       if (first and (override or TARGETS[key][0] not in configuration.set_in_code))
                       or (not first and self._values.get(key, _ABSENT) != value)]
            configuration.apply_from_file([(TARGETS[key][1], values[key]) for key in changed])
            self._values, self._signature, self.loaded = values, signature, True
        self.next_check = self.clock() + CHECK_INTERVAL_S if configuration.live_reload_config else None


_ABSENT = object()


def _signature(path: str) -> tuple[int, int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size, status.st_ino
