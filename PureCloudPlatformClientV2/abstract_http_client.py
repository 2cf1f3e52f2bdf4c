"""The official module path of `AbstractHttpClient` (defined in `PureCloudPlatformClientV2.transport`)."""

from __future__ import annotations

from .transport import AbstractHttpClient as AbstractHttpClient

__all__ = ["AbstractHttpClient"]
