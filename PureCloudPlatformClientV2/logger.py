"""Logging: records go to the standard `logging` logger "PureCloudPlatformClientV2" with every
secret redacted. The official `configuration.logger` settings are mapped onto it; nothing is
configured (no level, no handler but a `NullHandler`) until the user sets one of them."""

from __future__ import annotations

import logging

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
    LNone = 51


class LogFormat:
    TEXT = 1
    JSON = 2


class Logger:
    """The official SDK's logging settings; each setter applies itself to `logging`.
    `on_change` hears every change (the configuration uses it to renew its snapshot)."""

    def __init__(self, on_change: Callable[[], None] | None = None) -> None:
        self._on_change = on_change
        self._level = LogLevel.LNone
        self._format = LogFormat.TEXT
        self.log_request_body = False
        self.log_response_body = False
        self._console: logging.Handler | None = None
        self._file: logging.Handler | None = None
        self._file_path: str | None = None

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        notify = self.__dict__.get("_on_change")
        if notify is not None:
            notify()

    @property
    def log_level(self) -> int:
        return self._level

    @log_level.setter
    def log_level(self, level: int) -> None:
        self._level = level
        log.setLevel(level)

    @property
    def log_format(self) -> int:
        return self._format

    @log_format.setter
    def log_format(self, value: int) -> None:
        self._format = value
        for handler in (self._console, self._file):
            if handler is not None:
                handler.setFormatter(self._formatter())

    def _formatter(self) -> logging.Formatter:
        return _JsonFormatter() if self._format == LogFormat.JSON else _TEXT_FORMAT

    @property
    def log_to_console(self) -> bool:
        return self._console is not None

    @log_to_console.setter
    def log_to_console(self, enabled: bool) -> None:
        self._console = self._swap_handler(self._console, logging.StreamHandler() if enabled else None)

    @property
    def log_file_path(self) -> str | None:
        return self._file_path

    @log_file_path.setter
    def log_file_path(self, path: str | None) -> None:
        self._file_path = path
        self._file = self._swap_handler(self._file, logging.FileHandler(path) if path else None)

    def _swap_handler(self, old: logging.Handler | None, new: logging.Handler | None) -> logging.Handler | None:
        if old is not None:
            log.removeHandler(old)
            old.close()
        if new is not None:
            new.setFormatter(self._formatter())
            log.addHandler(new)
        return new


_TEXT_FORMAT = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        import json

        entry = {"level": record.levelname.lower(), "date": self.formatTime(record), "message": record.getMessage()}
        entry.update(getattr(record, "http", {}))
        return json.dumps(entry, default=str)


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


def log_exchange(level: int, method: str, path: str, status: int | str, elapsed_ms: float, *,
                 request_headers: Mapping[str, str], response_headers: Mapping[str, str] | None = None,
                 request_body: bytes | None = None, response_text: str | None = None,
                 settings: LogSettings | None = None) -> None:
    """One record for one HTTP exchange; bodies only when the official settings ask for them."""
    if not log.isEnabledFor(level):
        return
    http: dict[str, Any] = {"method": method, "url": path, "statusCode": status,
                            "requestHeaders": redact_headers(request_headers)}
    if response_headers is not None:
        http["responseHeaders"] = redact_headers(response_headers)
    if settings is not None and settings.request_body and request_body is not None:
        http["requestBody"] = _redacted_text(request_body.decode("utf-8", "replace"))
    if settings is not None and settings.response_body and response_text:
        http["responseBody"] = _redacted_text(response_text)
    log.log(level, "%s %s -> %s (%.1f ms)", method, path, status, elapsed_ms, extra={"http": http})


def _redacted_text(text: str) -> Any:
    import json

    try:
        return redact_body(json.loads(text))
    except ValueError:
        return text[:2000]
