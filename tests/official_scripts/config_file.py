"""The configuration file of the README: an INI file, then the same settings as JSON, applied
by pointing configuration.config_file_path at them (live reload off, as the README allows).
The file sets the host, so the script never sets it in code.

Environment: GENESYS_CLOUD_CLIENT_ID, GENESYS_CLOUD_CLIENT_SECRET, GENESYS_CLOUD_API_HOST.
"""
import json
import os
import tempfile

import PureCloudPlatformClientV2

API_HOST = os.environ["GENESYS_CLOUD_API_HOST"]
config_dir = tempfile.mkdtemp()

ini_path = os.path.join(config_dir, "config")
with open(ini_path, "w") as ini:
    ini.write(f"""[logging]
log_level = none
log_format = text
log_to_console = false
log_response_body = false
log_request_body = false
[reauthentication]
refresh_access_token = false
refresh_token_wait_max = 7
[general]
live_reload_config = false
host = {API_HOST}
""")

PureCloudPlatformClientV2.configuration.live_reload_config = False
PureCloudPlatformClientV2.configuration.config_file_path = ini_path
configuration = PureCloudPlatformClientV2.configuration
print("INI host from the file:", configuration.host == API_HOST)
print("INI refresh access token:", configuration.should_refresh_access_token)
print("INI refresh wait:", configuration.refresh_token_wait_time)
print("INI live reload:", configuration.live_reload_config)

apiclient = PureCloudPlatformClientV2.ApiClient().get_client_credentials_token(
    os.environ["GENESYS_CLOUD_CLIENT_ID"], os.environ["GENESYS_CLOUD_CLIENT_SECRET"])
print("Groups:", PureCloudPlatformClientV2.SCIMApi(apiclient).get_scim_v2_groups(
    filter='displayName eq "Support"').total_results)

json_path = os.path.join(config_dir, "config.json")
with open(json_path, "w") as handle:
    json.dump({"logging": {"log_level": "error", "log_format": "json", "log_to_console": False},
               "reauthentication": {"refresh_access_token": True, "refresh_token_wait_max": 3},
               "general": {"live_reload_config": False, "host": API_HOST}}, handle)
PureCloudPlatformClientV2.configuration.config_file_path = json_path
print("JSON refresh access token:", configuration.should_refresh_access_token)
print("JSON refresh wait:", configuration.refresh_token_wait_time)
print("JSON log level is LError:", configuration.logger.log_level == PureCloudPlatformClientV2.logger.LogLevel.LError)
print("JSON log format is JSON:", configuration.logger.log_format == PureCloudPlatformClientV2.logger.LogFormat.JSON)
