"""The style of the SDK's SCIMApi reference: set configuration.access_token (a token the script
was given) and use SCIMApi() without a client.

Environment: GENESYS_CLOUD_ACCESS_TOKEN, GENESYS_CLOUD_API_HOST.
"""
import os
from pprint import pprint

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2.rest import ApiException

# Configure OAuth2 access token for authorization: PureCloud OAuth
PureCloudPlatformClientV2.configuration.access_token = os.environ["GENESYS_CLOUD_ACCESS_TOKEN"]
PureCloudPlatformClientV2.configuration.host = os.environ["GENESYS_CLOUD_API_HOST"]

# create an instance of the API class
api_instance = PureCloudPlatformClientV2.SCIMApi()
resource_type = "Group"  # str | The type of resource. Returned with GET /api/v2/scim/v2/resourcetypes.

try:
    # Get a resource type
    api_response = api_instance.get_scim_v2_resourcetype(resource_type)
    pprint({key: value for key, value in api_response.to_dict().items() if key != "meta"})
except ApiException as e:
    print("Exception when calling SCIMApi->get_scim_v2_resourcetype: %s\n" % e)

try:
    # Get a list of groups
    api_response = api_instance.get_scim_v2_groups('displayName eq "Support"', count=5)
    print("Groups named Support:", api_response.total_results)
except ApiException as e:
    print("Exception when calling SCIMApi->get_scim_v2_groups: %s\n" % e)
