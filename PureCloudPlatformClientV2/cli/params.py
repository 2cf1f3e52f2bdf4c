"""Option values that click's own types let through: nan/inf seconds, credentials that would
split an HTTP header."""

from __future__ import annotations

import math
from typing import Any

import click


class Seconds(click.ParamType):  # type: ignore[type-arg]
    """A finite number of seconds > 0 (click.FloatRange accepts nan and inf)."""

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(number) or number <= 0:
            self.fail(f"{value!r} is not a number of seconds > 0", param, ctx)
        return number


def check_credential(value: str | None, what: str) -> None:
    """A token, client id or secret goes into a header: CR, LF or another control character in
    it would end that header (and start another), so it is refused before anything is sent."""
    if value is not None and any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        raise click.UsageError(f"the {what} contains a line break or another control character "
                               "(a copy-paste accident?); nothing was sent")


class ProxyUrl(click.ParamType):  # type: ignore[type-arg]
    """An http:// or https:// proxy URL with a host (credentials in it are allowed, never shown)."""

    name = "url"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from urllib.parse import urlsplit

        text = str(value).strip()
        try:
            parts = urlsplit(text)
            parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
        except ValueError:
            self.fail("is not a URL", param, ctx)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            self.fail("must be an http:// or https:// URL with a host, e.g. http://proxy.example.com:3128", param, ctx)
        if any(ord(c) < 32 or c == "\x7f" for c in text):
            self.fail("must not contain control characters", param, ctx)
        return text
