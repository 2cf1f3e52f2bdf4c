"""Logging: records go to the standard `logging` logger "PureCloudPlatformClientV2" with every
secret redacted. The official `configuration.logger` settings are mapped onto it; nothing is
configured (no level, no handler but a `NullHandler`) until the user sets one of them.

With those settings in use, each call logs what the official SDK logs, in its layout (TEXT or
JSON): at TRACE a successful call with its request and response headers (and the bodies asked
for), at DEBUG a successful call with its request headers, at ERROR a failed call with the
response headers and the bodies asked for; URL, method, status and correlation id always."""

from __future__ import annotations

import logging
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable, Mapping

    from .settings import LogSettings

__all__ = ["LogLevel", "LogFormat", "Logger"]

LOGGER_NAME = "PureCloudPlatformClientV2"
REDACTED = "[REDACTED]"
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
# Body keys whose values are secrets, compared lower-cased without "_" and "-" (so accessToken,
# access_token and Access-Token all match).
SECRET_KEYS = frozenset({"password", "accesstoken", "refreshtoken", "idtoken", "clientsecret"})
PLAIN_QUERY_KEYS = frozenset({"startIndex", "count", "attributes", "excludedAttributes"})
CORRELATION_HEADER = "inin-correlation-id"
BODY_SHOWN_CHARS = 2000  # a body that is not JSON is cut here
log = logging.getLogger(LOGGER_NAME)
# As the logging HOWTO advises libraries: without it, a WARNING (say, a failed early token
# renewal) in an application that configured no logging reaches stderr via `logging.lastResort`.
if not any(isinstance(handler, logging.NullHandler) for handler in log.handlers):
    log.addHandler(logging.NullHandler())


class LogLevel:
    """The official level names (numbers are `logging` levels; LTrace is below DEBUG)."""

    LTrace = 5
    LDebug = logging.DEBUG
    LError = logging.ERROR
    LNone = logging.CRITICAL + 1

    @staticmethod
    def from_string(value: str) -> int:
        """"trace", "debug", "error" or "none" (any case); anything else is LNone, as officially."""
        names = {"trace": LogLevel.LTrace, "debug": LogLevel.LDebug, "error": LogLevel.LError}
        return names.get(value.lower(), LogLevel.LNone) if isinstance(value, str) else LogLevel.LNone


class LogFormat:
    TEXT = 1
    JSON = 2

    @staticmethod
    def from_string(value: str) -> int:
        """"text" or "json" (any case); anything else is TEXT, as officially."""
        return LogFormat.JSON if isinstance(value, str) and value.lower() == "json" else LogFormat.TEXT


FORMATS = (LogFormat.TEXT, LogFormat.JSON)


class Logger:
    """The official SDK's logging settings; each setter applies itself to `logging`.

    log_level: LogLevel.LTrace, LDebug, LError or LNone (the default: nothing is logged).
    log_format: LogFormat.TEXT (the default) or LogFormat.JSON (one object a line).
    log_to_console: True (the default, as officially) writes to stderr once logging is in use
        (a level other than LNone was set, or log_to_console/log_file_path was set).
    log_file_path: a file the records are appended to (None: no file).
    log_request_body, log_response_body: add the (redacted) bodies to the records.

    `on_change` hears the name of every change (the configuration renews its snapshot)."""

    def __init__(self, on_change: Callable[[str], None] | None = None) -> None:
        if logging.getLevelName(LogLevel.LTrace) == f"Level {LogLevel.LTrace}":
            logging.addLevelName(LogLevel.LTrace, "TRACE")
        self._level = LogLevel.LNone
        self._format = LogFormat.TEXT
        self.log_request_body = False
        self.log_response_body = False
        self._console_enabled = True
        self._in_use = False  # handlers are added only once logging was asked for
        self._console: logging.Handler | None = None
        self._file: logging.Handler | None = None
        self._file_path: str | None = None
        self._on_change = on_change  # last: the defaults above are no change

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        notify = self.__dict__.get("_on_change")
        if notify is not None:
            notify(name)

    @property
    def log_level(self) -> int:
        return self._level

    @log_level.setter
    def log_level(self, level: int) -> None:
        if not isinstance(level, int) or isinstance(level, bool) or not 0 <= level <= LogLevel.LNone:
            raise ValueError(f"log_level must be LogLevel.LTrace, LDebug, LError or LNone, got {level!r}")
        self._level = level
        log.setLevel(level)
        if level != LogLevel.LNone:
            self._use()

    @property
    def log_format(self) -> int:
        return self._format

    @log_format.setter
    def log_format(self, value: int) -> None:
        if value not in FORMATS:
            raise ValueError(f"log_format must be LogFormat.TEXT or LogFormat.JSON, got {value!r}")
        self._format = value
        for handler in (self._console, self._file):
            if handler is not None:
                handler.setFormatter(self._formatter())

    def _formatter(self) -> logging.Formatter:
        return _JsonFormatter() if self._format == LogFormat.JSON else logging.Formatter(TEXT_LAYOUT)

    @property
    def log_to_console(self) -> bool:
        return self._console_enabled

    @log_to_console.setter
    def log_to_console(self, enabled: bool) -> None:
        self._console_enabled = bool(enabled)
        self._use()

    @property
    def log_file_path(self) -> str | None:
        return self._file_path

    @log_file_path.setter
    def log_file_path(self, path: str | None) -> None:
        if path is not None and not isinstance(path, str):
            raise TypeError(f"log_file_path must be a path, got {type(path).__name__}")
        self._file_path = path or None
        self._use()

    def _use(self) -> None:
        self._in_use = True
        self.set_log_outputs()

    def set_log_outputs(self) -> None:
        """Make the handlers match the settings: stderr and/or the file, both in the format set.
        Only this package's logger gets them; its records still reach the application's own
        handlers too (they propagate, as officially)."""
        want_console = self._in_use and self._console_enabled
        if want_console != (self._console is not None):
            self._console = self._swap_handler(self._console, _StderrHandler() if want_console else None)
        current = getattr(self._file, "baseFilename", None)
        if self._file_path is None or current != _absolute(self._file_path):
            self._file = self._swap_handler(self._file, logging.FileHandler(self._file_path, encoding="utf-8")
                                            if self._file_path else None)

    def _swap_handler(self, old: logging.Handler | None, new: logging.Handler | None) -> logging.Handler | None:
        if old is not None:
            log.removeHandler(old)
            old.close()
        if new is not None:
            new.setFormatter(self._formatter())
            new.addFilter(_only_calls)
            log.addHandler(new)
        return new

    # -- the official logging methods (the client calls them for you) --------------------
    def trace(self, method: str, url: str, request_body: Any, status_code: int, request_headers: Mapping[str, str],
              response_headers: Mapping[str, str] | None) -> None:
        self._official(LogLevel.LTrace, method, url, request_body, status_code, request_headers, response_headers)

    def debug(self, method: str, url: str, request_body: Any, status_code: int,
              request_headers: Mapping[str, str]) -> None:
        self._official(LogLevel.LDebug, method, url, request_body, status_code, request_headers, None)

    def error(self, method: str, url: str, request_body: Any, status_code: int, request_headers: Mapping[str, str],
              response_body: Any, response_headers: Mapping[str, str] | None) -> None:
        self._official(LogLevel.LError, method, url, request_body, status_code, request_headers, response_headers,
                       response_body)

    def _official(self, level: int, method: str, url: str, request_body: Any, status: int,
                  request_headers: Mapping[str, str], response_headers: Mapping[str, str] | None,
                  response_body: Any = None) -> None:
        if not log.isEnabledFor(level):
            return
        from .settings import LogSettings

        settings = LogSettings(official=True, request_body=bool(self.log_request_body),
                               response_body=bool(self.log_response_body), format=self._format)
        if request_body is not None and not isinstance(request_body, (bytes, str)):
            import json

            request_body = json.dumps(request_body, default=str)
        _emit(level, method, url, status, None, settings, request_headers, response_headers,
              request_body.encode() if isinstance(request_body, str) else request_body,
              None if response_body is None else str(response_body))


TEXT_LAYOUT = "%(asctime)s %(levelname)s %(message)s"  # the official one


def _only_calls(record: logging.LogRecord) -> bool:
    """The official outputs hold the calls only, as officially (so a script that parses its log
    file finds an entry per call); retries and token notices still reach the application's own
    handlers."""
    return hasattr(record, "http")


def _absolute(path: str) -> str:
    import os

    return os.path.abspath(path)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is at the time (so a replaced stderr is followed)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


class _JsonFormatter(logging.Formatter):
    """One JSON object a line: a call's record is already its official JSON object; any other
    record (retries, token renewal) becomes {"level", "date", "message"}."""

    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "official_json", False):
            return record.getMessage()
        import json

        entry = {"level": _level_name(record.levelno), "date": _official_date(record.created),
                 "message": record.getMessage()}
        entry.update(getattr(record, "http", {}))
        return json.dumps(entry, default=str)


def _level_name(level: int) -> str:
    return "trace" if level <= LogLevel.LTrace else logging.getLevelName(level).lower()


def _official_date(created: float) -> str:
    import time

    return time.strftime("%m-%d-%Y, %H:%M:%S", time.localtime(created))


# -- redaction, used for every record ----------------------------------------------------
def redact_headers(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    """A copy of the headers with credentials and cookies replaced by [REDACTED]."""
    items = headers.items() if hasattr(headers, "items") else headers
    return {k: REDACTED if k.lower() in SECRET_HEADERS else v for k, v in items}


def redact_query(query: str) -> str:
    """`?filter=...&count=5` with values that may carry PII (filters hold e-mails) redacted."""
    if not query:
        return ""
    parts = [p.split("=", 1) for p in query.lstrip("?").split("&")]
    return "?" + "&".join(k if len(kv) == 1 else f"{k}={kv[1] if k in PLAIN_QUERY_KEYS else REDACTED}"
                          for kv in parts for k in [kv[0]])


def _redact_url(url: str) -> str:
    """A URL with its query redacted (see `redact_query`) and any user:password@ removed."""
    base, mark, query = url.partition("?")
    scheme, sep, rest = base.partition("://")
    if sep and "@" in rest.split("/", 1)[0]:
        base = scheme + sep + REDACTED + "@" + rest.split("@", 1)[1]
    return base + (redact_query(mark + query) if mark else "")


def redact_body(data: Any) -> Any:
    """Parsed JSON with secret values (password, tokens) replaced, at any depth, including
    the value of a PATCH operation whose `path` names a secret (`{"path": "password", ...}`)."""
    if isinstance(data, dict):
        secret_op = isinstance(data.get("path"), str) and _is_secret(data["path"].rsplit(":", 1)[-1])
        return {k: REDACTED if _is_secret(k) or (secret_op and k == "value") else redact_body(v)
                for k, v in data.items()}
    if isinstance(data, list):
        return [redact_body(v) for v in data]
    return data


def _is_secret(key: Any) -> bool:
    return isinstance(key, str) and key.lower().replace("_", "").replace("-", "") in SECRET_KEYS


# -- one record per HTTP exchange --------------------------------------------------------
def log_exchange(method: str, url: str, status: int, elapsed_ms: float | None, *, settings: LogSettings,
                 failed: bool, request_headers: Mapping[str, str], response_headers: Mapping[str, str] | None = None,
                 request_body: bytes | None = None, response_text: str | None = None,
                 failure: str | None = None) -> None:
    """Log one exchange (`url` as sent: its query is redacted here).

    With the official settings in use: a failed call at ERROR with everything; a successful one
    at TRACE with the response headers, or at DEBUG without them, whichever is enabled. Without
    them (an application's own logging setup): DEBUG, headers only, no bodies."""
    if settings.official:
        if failed:
            level = logging.ERROR
        elif log.isEnabledFor(LogLevel.LTrace):
            level = LogLevel.LTrace
        else:
            level, response_headers, response_text = logging.DEBUG, None, None
    else:
        level, request_body, response_text = logging.DEBUG, None, None
    if not log.isEnabledFor(level):
        return
    _emit(level, method, url, status, elapsed_ms, settings, request_headers, response_headers, request_body,
          response_text, failure)


def _emit(level: int, method: str, url: str, status: int, elapsed_ms: float | None, settings: LogSettings,
          request_headers: Mapping[str, str], response_headers: Mapping[str, str] | None,
          request_body: bytes | None, response_text: str | None, failure: str | None = None) -> None:
    shown_url = _redact_url(url)
    http: dict[str, Any] = {"method": method, "url": shown_url, "statusCode": status,
                            "requestHeaders": redact_headers(request_headers)}
    if elapsed_ms is not None:
        http["elapsedMs"] = round(elapsed_ms, 1)
    if settings.request_body and request_body:
        http["requestBody"] = _redacted_text(request_body.decode("utf-8", "replace"))
    if response_headers is not None:
        http["responseHeaders"] = redact_headers(response_headers)
        correlation = next((v for k, v in response_headers.items() if k.lower() == CORRELATION_HEADER), None)
        if correlation:
            http["correlationId"] = correlation
    if settings.response_body and response_text:
        http["responseBody"] = _redacted_text(response_text)
    if failure:
        http["error"] = failure
    extra: dict[str, Any] = {"http": http}
    if not settings.official:
        took = "" if elapsed_ms is None else f" ({elapsed_ms:.1f} ms)"
        log.log(level, "%s %s -> %s%s", method, shown_url, status if status else f"failed: {failure}", took,
                extra=extra)
    elif settings.format == LogFormat.JSON:
        log.log(level, "%s", _official_json(level, http), extra={**extra, "official_json": True})
    else:
        log.log(level, "%s", _official_text(http), extra=extra)


def _official_json(level: int, http: Mapping[str, Any]) -> str:
    import json
    import time

    # the official fields, in the official order (the correlation id is in responseHeaders)
    keys = ("method", "url", "requestBody", "responseBody", "statusCode", "requestHeaders", "responseHeaders",
            "error")
    entry = {"level": _level_name(level), "date": _official_date(time.time()),
             **{key: http[key] for key in keys if key in http}}
    return json.dumps(entry, default=str)


def _official_text(http: Mapping[str, Any]) -> str:
    """The official multi-line REQUEST/RESPONSE block (a line only for what is known)."""

    def line(name: str, value: Any) -> str:
        if value is None or value == "" or value == {}:
            return ""
        if isinstance(value, dict) and name == "Headers":
            value = "".join(f"\n\t{k}: {v}" for k, v in value.items())
        elif not isinstance(value, str):
            import json

            value = json.dumps(value)
        return f"\n{name}: {value}"

    return ("\n=== REQUEST ===" + line("URL", http["url"]) + line("Method", http["method"])
            + line("Headers", http["requestHeaders"]) + line("Body", http.get("requestBody"))
            + "\n=== RESPONSE ===" + line("Status", http["statusCode"]) + line("Headers", http.get("responseHeaders"))
            + line("CorrelationId", http.get("correlationId")) + line("Body", http.get("responseBody"))
            + line("Error", http.get("error")))


def _redacted_text(text: str) -> Any:
    import json

    try:
        return redact_body(json.loads(text))
    except ValueError:
        return text[:BODY_SHOWN_CHARS]
