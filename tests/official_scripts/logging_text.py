"""The logging block of the official README (SDK Logging), writing TEXT entries to a file:
errors only, with request and response bodies. Then the script reads its log back and prints
the parts of each entry that do not change from run to run.

Environment: GENESYS_CLOUD_CLIENT_ID, GENESYS_CLOUD_CLIENT_SECRET, GENESYS_CLOUD_API_HOST.
"""
import os
import re
import tempfile

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2.rest import ApiException

API_HOST = os.environ["GENESYS_CLOUD_API_HOST"]
log_file = os.path.join(tempfile.mkdtemp(), "pythonsdk.log")

PureCloudPlatformClientV2.configuration.logger.log_level = PureCloudPlatformClientV2.logger.LogLevel.LError
PureCloudPlatformClientV2.configuration.logger.log_request_body = True
PureCloudPlatformClientV2.configuration.logger.log_response_body = True
PureCloudPlatformClientV2.configuration.logger.log_format = PureCloudPlatformClientV2.logger.LogFormat.TEXT
PureCloudPlatformClientV2.configuration.logger.log_to_console = False
PureCloudPlatformClientV2.configuration.logger.log_file_path = log_file

PureCloudPlatformClientV2.configuration.host = API_HOST
apiclient = PureCloudPlatformClientV2.api_client.ApiClient().get_client_credentials_token(
    os.environ["GENESYS_CLOUD_CLIENT_ID"], os.environ["GENESYS_CLOUD_CLIENT_SECRET"])
scim_api = PureCloudPlatformClientV2.SCIMApi(apiclient)

scim_api.get_scim_v2_serviceproviderconfig()  # succeeds: not logged at LError
try:
    scim_api.get_scim_v2_user("00000000-0000-0000-0000-000000000000")
except ApiException as e:
    print("GET unknown user:", e.status)

body = PureCloudPlatformClientV2.ScimV2CreateUser()
body.user_name = "log.me@example.com"
body.display_name = "Log Me"
scim_api.post_scim_v2_users(body)
try:
    scim_api.post_scim_v2_users(body)
except ApiException as e:
    print("POST duplicate user:", e.status)

with open(log_file) as handle:
    text = handle.read()

print("Token in the log:", apiclient.access_token in text)
print("Authorization redacted:", "Authorization: [REDACTED]" in text)
print("Entries:", text.count("=== REQUEST ==="))
for line in text.splitlines():
    if line.startswith(("=== ", "URL: ", "Method: ", "Status: ")):
        print(re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>",
                     line.replace(API_HOST, "<host>")))
print("Request body logged:", "log.me@example.com" in text)
print("Error body logged:", "urn:ietf:params:scim:api:messages:2.0:Error" in text)
