"""SDK logging in JSON, at debug level: one JSON object per line in a log file. The script
parses its log and prints, per entry, what a log pipeline would index.

Environment: GENESYS_CLOUD_CLIENT_ID, GENESYS_CLOUD_CLIENT_SECRET, GENESYS_CLOUD_API_HOST.
"""
import json
import os
import tempfile

import PureCloudPlatformClientV2
from PureCloudPlatformClientV2.logger import LogFormat, LogLevel
from PureCloudPlatformClientV2.rest import ApiException

API_HOST = os.environ["GENESYS_CLOUD_API_HOST"]
log_file = os.path.join(tempfile.mkdtemp(), "sdk.json.log")

logger = PureCloudPlatformClientV2.configuration.logger
logger.log_level = LogLevel.LDebug
logger.log_format = LogFormat.JSON
logger.log_request_body = True
logger.log_to_console = False
logger.log_file_path = log_file

PureCloudPlatformClientV2.configuration.host = API_HOST
apiclient = PureCloudPlatformClientV2.ApiClient().get_client_credentials_token(
    os.environ["GENESYS_CLOUD_CLIENT_ID"], os.environ["GENESYS_CLOUD_CLIENT_SECRET"])
scim_api = PureCloudPlatformClientV2.SCIMApi(apiclient)

body = PureCloudPlatformClientV2.ScimV2CreateUser()
body.user_name = "json.log@example.com"
body.display_name = "Json Log"
user = scim_api.post_scim_v2_users(body)
scim_api.get_scim_v2_user(user.id)
try:
    scim_api.get_scim_v2_user("00000000-0000-0000-0000-000000000000")
except ApiException as e:
    print("GET unknown user:", e.status)

with open(log_file) as handle:
    entries = [json.loads(line) for line in handle if line.strip()]

for entry in entries:
    path = entry["url"].replace(API_HOST, "").replace(user.id, "<id>").split("?")[0]
    print(entry["level"], entry["method"], path, entry["statusCode"])
    print("  fields:", ", ".join(sorted(entry)))
    print("  Authorization:", entry["requestHeaders"].get("Authorization"))
    if "requestBody" in entry:
        print("  request userName:", entry["requestBody"]["userName"])
