"""The Genesys Cloud regions and their API hosts (also at the official module path
`PureCloudPlatformClientV2.purecloud_region_hosts`)."""

from __future__ import annotations

from enum import Enum

__all__ = ["PureCloudRegionHosts"]


class PureCloudRegionHosts(Enum):
    """A Genesys Cloud region; `get_api_host()` gives its API base URL."""

    us_east_1 = "https://api.mypurecloud.com"
    eu_west_1 = "https://api.mypurecloud.ie"
    ap_southeast_2 = "https://api.mypurecloud.com.au"
    ap_northeast_1 = "https://api.mypurecloud.jp"
    eu_central_1 = "https://api.mypurecloud.de"
    us_west_2 = "https://api.usw2.pure.cloud"
    ca_central_1 = "https://api.cac1.pure.cloud"
    ap_northeast_2 = "https://api.apne2.pure.cloud"
    eu_west_2 = "https://api.euw2.pure.cloud"
    ap_south_1 = "https://api.aps1.pure.cloud"
    us_east_2 = "https://api.use2.us-gov-pure.cloud"
    sa_east_1 = "https://api.sae1.pure.cloud"
    me_central_1 = "https://api.mec1.pure.cloud"
    ap_northeast_3 = "https://api.apne3.pure.cloud"
    eu_central_2 = "https://api.euc2.pure.cloud"
    mx_central_1 = "https://api.mxc1.pure.cloud"
    ap_southeast_1 = "https://api.apse1.pure.cloud"
    eusc_de_east_1 = "https://api.edee1.eusc-pure.cloud"

    @property
    def apihost(self) -> str:
        """The API base URL (the official attribute; the same as `value` and `get_api_host()`)."""
        return self.value

    def get_api_host(self) -> str:
        return self.value

    @classmethod
    def from_name(cls, region: str | PureCloudRegionHosts) -> PureCloudRegionHosts:
        """A region from its enum value or a name such as `eu-west-1` or `eu_west_1`."""
        if isinstance(region, cls):
            return region
        key = str(region).strip().lower().replace("-", "_")
        try:
            return cls[key]
        except KeyError:
            names = ", ".join(m.name.replace("_", "-") for m in cls)
            raise ValueError(f"unknown Genesys Cloud region {region!r}; known: {names}") from None
