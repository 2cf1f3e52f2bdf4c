"""Client credentials grant, the way the official README shows it: a service logs in with the
app's id and secret and reads the SCIM service provider configuration.

Environment: GENESYS_CLOUD_CLIENT_ID, GENESYS_CLOUD_CLIENT_SECRET, GENESYS_CLOUD_API_HOST.
"""
import os
import sys

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2.rest import ApiException

PureCloudPlatformClientV2.configuration.host = os.environ["GENESYS_CLOUD_API_HOST"]

apiclient = PureCloudPlatformClientV2.api_client.ApiClient().get_client_credentials_token(
    os.environ["GENESYS_CLOUD_CLIENT_ID"], os.environ["GENESYS_CLOUD_CLIENT_SECRET"])
scim_api = PureCloudPlatformClientV2.SCIMApi(apiclient)

try:
    config = scim_api.get_scim_v2_serviceproviderconfig()
except ApiException as e:
    print("Exception when calling SCIMApi->get_scim_v2_serviceproviderconfig: %s\n" % e)
    sys.exit(1)

print("PATCH supported:", config.patch.supported)
print("Bulk supported:", config.bulk.supported)
print("Filter supported:", config.filter.supported, "max results:", config.filter.max_results)
print("ETag supported:", config.etag.supported)
print("Sort supported:", config.sort.supported)
for scheme in config.authentication_schemes:
    print("Authentication scheme:", scheme.name)
