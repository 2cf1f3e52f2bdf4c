"""What the library logs, told to the person at the terminal (stderr): a line per retry while
it happens, every request and response with --debug (redacted by the library), and a plain
sentence when the API cannot be reached at all.

The library reports through the standard `logging` logger "PureCloudPlatformClientV2"; this
module installs a handler on it for the duration of one command instead of repeating its
retry loop.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Mapping
from urllib.parse import urlsplit

from ..logger import LOGGER_NAME
from . import output

DEBUG_ENV = "PURECLOUD_SCIM_DEBUG"
RETRY_MESSAGE = "retrying %s %s after %s in %.2f s (attempt %d)"  # api_client's record; args in this order
HOST_OPTIONS = "--host, --region, GENESYSCLOUD_API_HOST or GENESYSCLOUD_REGION"

# kind of connection failure: (words in the library's reason, while retrying, the final sentence, what to check)
FAILURES: dict[str, tuple[tuple[str, ...], str, str, str]] = {
    # first: a deadline's reason also names what the last attempt ended in
    "deadline": (("deadline:",), "{address} is too slow for the deadline", "it did not answer in time for the deadline",
                 "Try again, or allow more time with --deadline (and --timeout)"),
    "refused": (("Connection refused", "actively refused"), "connection refused by {address}",
                "the connection was refused", f"Check the host and port ({HOST_OPTIONS}) and that the server is running"),
    "dns": (("Failed to resolve", "Name or service not known", "nodename nor servname", "getaddrinfo failed",
             "Temporary failure in name resolution", "No address associated"), "cannot resolve {host}",
            "its host name cannot be resolved", f"Check the host name ({HOST_OPTIONS}) and your network's DNS"),
    "connect-timeout": (("connect timeout",), "no connection to {address} in time", "it did not accept a connection in time",
                        "Check your network, VPN or proxy (HTTPS_PROXY)"),
    "read-timeout": (("read timeout",), "no answer from {address} in time", "it did not answer in time",
                     "Try again, or allow more time with --timeout"),
    "untrusted": (("TLS certificate not trusted",), "the TLS certificate of {address} is not trusted",
                  "its TLS certificate is not trusted",
                  "Check the host name; behind a proxy that inspects TLS, its CA certificate must be trusted"),
    "tls": (("TLS failure",), "TLS failed with {address}", "the TLS connection failed", "Check your network or proxy"),
    "unreachable": (("Network is unreachable", "No route to host"), "no route to {address}",
                    "the network cannot reach it", "Check your network connection, VPN or proxy"),
    "broken": (("connection broken",), "the connection to {address} broke", "the connection broke",
               "Try again; if it keeps happening, check your network or proxy"),
}


def debug_wanted(flag: bool | None, environ: Mapping[str, str] | None = None) -> bool:
    """--debug, or PURECLOUD_SCIM_DEBUG set to anything but empty, 0, false or no."""
    if flag:
        return True
    value = (os.environ if environ is None else environ).get(DEBUG_ENV, "")
    return value.strip().lower() not in ("", "0", "false", "no")


def address_of(url: str) -> str:
    """`https://api.mypurecloud.com` -> `api.mypurecloud.com:443`."""
    parts = urlsplit(url if "://" in url else "https://" + url)
    port = parts.port or (80 if parts.scheme == "http" else 443)
    return f"{parts.hostname}:{port}"


def failure_kind(reason: str) -> str | None:
    for kind, (words, *_rest) in FAILURES.items():
        if any(word in reason for word in words):
            return kind
    return None


class Unreachable(Exception):
    """The API could not be reached; the message says where, what failed and what to check."""


class Reporter(logging.Handler):
    """Turns the library's records into lines on stderr for one command."""

    def __init__(self, url: Callable[[], str], max_retries: int, debug: bool) -> None:
        super().__init__(logging.DEBUG if debug else logging.INFO)
        self._url, self.max_retries, self.debug = url, max_retries, debug
        self.retries = 0

    @property
    def url(self) -> str:
        """The API's base URL (known once connected, for a sandbox)."""
        return self._url().rstrip("/")

    def address(self, path: str | None = None) -> str:
        """host:port of the API; a token request goes to the login host that belongs to it."""
        where = address_of(self.url)
        return f"the login host of {where}" if path and path.startswith("/oauth/") else where

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if record.msg == RETRY_MESSAGE and isinstance(record.args, tuple) and len(record.args) == 5:
                self._retrying(*record.args)
            elif self.debug and isinstance(getattr(record, "http", None), dict):
                self._exchange(record.http)  # type: ignore[attr-defined]
            elif record.levelno >= logging.WARNING:
                output.note(f"warning: {record.getMessage()}")
            elif self.debug:
                output.note(f"debug: {record.getMessage()}")
        except Exception:  # a message must never break the command
            self.handleError(record)

    def _retrying(self, method: Any, path: Any, cause: Any, delay: Any, attempt: Any) -> None:
        self.retries = attempt
        if isinstance(cause, int):
            what = f"{method} {path} answered {cause}"
        else:
            kind = failure_kind(str(cause))
            what = FAILURES[kind][1] if kind else f"{method} {path} failed ({cause})"
            what = what.format(address=self.address(path), host=urlsplit(self.url).hostname)
        output.note(f"{what}; retrying in {delay:.1f} s ({attempt} of {self.max_retries})")

    def _exchange(self, http: dict[str, Any]) -> None:
        elapsed, url = http.get("elapsedMs"), str(http.get("url"))
        lines = [f"> {http.get('method')} {url if '://' in url else self.url + url}"]
        lines += [f"> {name}: {value}" for name, value in (http.get("requestHeaders") or {}).items()]
        status = http.get("statusCode") or f"failed: {http.get('error')}"
        lines.append(f"< {status}" + (f" ({elapsed:.1f} ms)" if isinstance(elapsed, float) else ""))
        lines += [f"< {name}: {value}" for name, value in (http.get("responseHeaders") or {}).items()]
        output.note("\n".join(lines))

    def explain(self, error: Any) -> str:
        """The last connection failure as sentences: where, what failed, what to check."""
        reason = str(getattr(error, "reason", "") or error)
        kind, address = failure_kind(reason), self.address(getattr(error, "path", None))
        tries = f" (after {output.plural(self.retries, 'retry', 'retries')})" if self.retries else ""
        if kind is None:
            return f"error: cannot reach {address}{tries}: {reason}"
        _words, _retrying, what, check = FAILURES[kind]
        hint = "" if self.debug else "; --debug shows the details"
        return f"error: cannot reach {address}: {what}{tries}.\n  {check}{hint}."


@contextmanager
def reporting(url: Callable[[], str], max_retries: int, debug: bool) -> Iterator[Reporter]:
    """Install a Reporter on the library's logger while a command runs."""
    logger = logging.getLogger(LOGGER_NAME)
    reporter = Reporter(url, max_retries, debug)
    saved = logger.level, logger.propagate
    if logger.getEffectiveLevel() > reporter.level:
        logger.setLevel(reporter.level)
    logger.propagate = False  # else WARNING records would also reach logging's last-resort handler
    logger.addHandler(reporter)
    try:
        yield reporter
    finally:
        logger.removeHandler(reporter)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
