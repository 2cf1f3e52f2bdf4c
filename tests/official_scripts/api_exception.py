"""Error handling with ApiException, as the SDK's examples do it: each failure is caught, and
the script reads status, reason and the SCIM error body.

Environment: GENESYS_CLOUD_CLIENT_ID, GENESYS_CLOUD_CLIENT_SECRET, GENESYS_CLOUD_API_HOST.
"""
import json
import os

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2.rest import ApiException

PureCloudPlatformClientV2.configuration.host = os.environ["GENESYS_CLOUD_API_HOST"]
apiclient = PureCloudPlatformClientV2.ApiClient().get_client_credentials_token(
    os.environ["GENESYS_CLOUD_CLIENT_ID"], os.environ["GENESYS_CLOUD_CLIENT_SECRET"])
scim_api = PureCloudPlatformClientV2.SCIMApi(apiclient)


def report(what, e):
    error = json.loads(e.body)
    print("%s: status=%s reason=%r scimType=%s" % (what, e.status, e.reason, error.get("scimType")))
    print("  detail:", error.get("detail"))


try:
    scim_api.get_scim_v2_user("6d7cf0b4-0000-4000-8000-000000000000")
except ApiException as e:
    report("Unknown user", e)

body = PureCloudPlatformClientV2.ScimV2CreateUser()
body.user_name = "duplicate@example.com"
body.display_name = "Duplicate"
scim_api.post_scim_v2_users(body)
try:
    scim_api.post_scim_v2_users(body)
except ApiException as e:
    report("Duplicate userName", e)

try:
    scim_api.get_scim_v2_users(filter='userName eq')
except ApiException as e:
    report("Bad filter", e)

try:
    scim_api.get_scim_v2_group("not-a-group")
except ApiException as e:
    report("Unknown group", e)

stranger = PureCloudPlatformClientV2.ApiClient()
stranger.access_token = "not-a-valid-token"
try:
    PureCloudPlatformClientV2.SCIMApi(stranger).get_scim_v2_users()
except ApiException as e:
    print("Bad token: status=%s reason=%r" % (e.status, e.reason))

try:
    PureCloudPlatformClientV2.ApiClient().get_client_credentials_token(os.environ["GENESYS_CLOUD_CLIENT_ID"], "wrong")
except ApiException as e:
    print("Bad secret: status=%s" % e.status)
