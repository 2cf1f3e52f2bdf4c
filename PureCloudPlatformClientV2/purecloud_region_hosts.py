"""The official module path of `PureCloudRegionHosts` (defined in `PureCloudPlatformClientV2.region_hosts`)."""

from __future__ import annotations

from .region_hosts import PureCloudRegionHosts as PureCloudRegionHosts

__all__ = ["PureCloudRegionHosts"]
