"""The official module path of `HttpRequestOptions` (defined in `PureCloudPlatformClientV2.transport`)."""

from __future__ import annotations

from .transport import HttpRequestOptions as HttpRequestOptions

__all__ = ["HttpRequestOptions"]
