"""List every user one page at a time with startIndex and count, the loop provisioning
scripts use (SCIM pages start at 1), then look one up with a filter.

Environment: GENESYS_CLOUD_CLIENT_ID, GENESYS_CLOUD_CLIENT_SECRET, GENESYS_CLOUD_API_HOST.
"""
import os

import PureCloudPlatformClientV2

PureCloudPlatformClientV2.configuration.host = os.environ["GENESYS_CLOUD_API_HOST"]
apiclient = PureCloudPlatformClientV2.ApiClient().get_client_credentials_token(
    os.environ["GENESYS_CLOUD_CLIENT_ID"], os.environ["GENESYS_CLOUD_CLIENT_SECRET"])
scim_api = PureCloudPlatformClientV2.SCIMApi(apiclient)

for number in range(1, 8):
    new_user = PureCloudPlatformClientV2.ScimV2CreateUser()
    new_user.user_name = "agent%02d@example.com" % number
    new_user.display_name = "Agent %02d" % number
    scim_api.post_scim_v2_users(new_user)

page_size = 3
start_index = 1
all_users = []
while True:
    page = scim_api.get_scim_v2_users(start_index=start_index, count=page_size,
                                      attributes=["userName", "displayName"])
    print("page at %d: %d of %d" % (page.start_index, page.items_per_page, page.total_results))
    all_users.extend(page.resources or [])
    if start_index + page_size > page.total_results:
        break
    start_index += page_size

print("Users:", ", ".join(sorted(u.user_name for u in all_users)))

found = scim_api.get_scim_v2_users(filter='userName eq "agent05@example.com"')
print("Filter found:", found.total_results, found.resources[0].display_name)

# the older /scim prefix pages the same way
legacy = scim_api.get_scim_users(start_index=4, count=2)
print("Legacy page:", legacy.start_index, legacy.items_per_page, legacy.total_results)
