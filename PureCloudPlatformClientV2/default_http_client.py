"""The official module path of `DefaultHttpClient` (defined in `PureCloudPlatformClientV2.transport`)."""

from __future__ import annotations

from .transport import DefaultHttpClient as DefaultHttpClient

__all__ = ["DefaultHttpClient"]
