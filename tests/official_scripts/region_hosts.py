"""Setting the environment: pick a region from PureCloudRegionHosts as the README does, list all
regions, then let GENESYS_CLOUD_API_HOST (a test org, a proxy, the sandbox) win, as many scripts
do, and make a call there.

Environment: GENESYS_CLOUD_REGION (e.g. eu_west_1), GENESYS_CLOUD_API_HOST,
GENESYS_CLOUD_CLIENT_ID, GENESYS_CLOUD_CLIENT_SECRET.
"""
import os

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2 import PureCloudRegionHosts

region = PureCloudRegionHosts[os.environ.get("GENESYS_CLOUD_REGION", "us_east_1")]
PureCloudPlatformClientV2.configuration.host = region.get_api_host()
print("Region:", region.name, "->", PureCloudPlatformClientV2.configuration.host)

print("Known regions:")
for known in PureCloudRegionHosts:
    print("  %-16s %s" % (known.name, known.get_api_host()))

api_host = os.environ.get("GENESYS_CLOUD_API_HOST")
if api_host:
    PureCloudPlatformClientV2.configuration.host = api_host

apiclient = PureCloudPlatformClientV2.ApiClient().get_client_credentials_token(
    os.environ["GENESYS_CLOUD_CLIENT_ID"], os.environ["GENESYS_CLOUD_CLIENT_SECRET"])
resource_types = PureCloudPlatformClientV2.SCIMApi(apiclient).get_scim_v2_resourcetypes()
print("Resource types:", ", ".join(sorted(t.name for t in resource_types.resources)))
