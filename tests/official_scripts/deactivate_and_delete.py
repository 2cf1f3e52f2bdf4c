"""Offboarding: replace a user with PUT to deactivate it (inactive users only show up when
asked for), then delete it and see the 404.

Environment: GENESYS_CLOUD_CLIENT_ID, GENESYS_CLOUD_CLIENT_SECRET, GENESYS_CLOUD_API_HOST.
"""
import os

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2.rest import ApiException

PureCloudPlatformClientV2.configuration.host = os.environ["GENESYS_CLOUD_API_HOST"]
apiclient = PureCloudPlatformClientV2.ApiClient().get_client_credentials_token(
    os.environ["GENESYS_CLOUD_CLIENT_ID"], os.environ["GENESYS_CLOUD_CLIENT_SECRET"])
scim_api = PureCloudPlatformClientV2.SCIMApi(apiclient)

body = PureCloudPlatformClientV2.ScimV2CreateUser()
body.user_name = "leaver@example.com"
body.display_name = "Leaver"
user = scim_api.post_scim_v2_users(body)

replacement = PureCloudPlatformClientV2.ScimV2User()
replacement.schemas = user.schemas
replacement.id = user.id
replacement.user_name = user.user_name
replacement.display_name = "Leaver (left)"
replacement.emails = user.emails
replacement.active = False
updated = scim_api.put_scim_v2_user(user.id, replacement)
print("After PUT:", updated.display_name, "active:", updated.active)

print("Listed by default:", scim_api.get_scim_v2_users(filter='userName eq "leaver@example.com"').total_results)
inactive = scim_api.get_scim_v2_users(filter='active eq false')
print("Listed as inactive:", [u.user_name for u in inactive.resources])

scim_api.delete_scim_v2_user(user.id)
print("Deleted")
try:
    scim_api.get_scim_v2_user(user.id)
except ApiException as e:
    print("After delete: status", e.status)
