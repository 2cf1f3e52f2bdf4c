"""Setting the gateway (README): the client keeps a real region host, but every login and API
request goes through a gateway, first set on one ApiClient with set_gateway, then as the default
for all clients with GatewayConfiguration. Here the gateway is the address in
GENESYS_CLOUD_API_HOST.

Environment: GENESYS_CLOUD_CLIENT_ID, GENESYS_CLOUD_CLIENT_SECRET, GENESYS_CLOUD_API_HOST.
"""
import os
import urllib.parse

import PureCloudPlatformClientV2

gateway = urllib.parse.urlsplit(os.environ["GENESYS_CLOUD_API_HOST"])
PureCloudPlatformClientV2.configuration.host = PureCloudPlatformClientV2.PureCloudRegionHosts.eu_west_1.get_api_host()

apiClient = PureCloudPlatformClientV2.ApiClient()
apiClient.set_gateway(gateway.hostname, gateway.scheme, gateway.port, None, None)
apiClient.get_client_credentials_token(os.environ["GENESYS_CLOUD_CLIENT_ID"],
                                       os.environ["GENESYS_CLOUD_CLIENT_SECRET"])
print("Host kept:", apiClient.host)
print("Login URL is the gateway:", apiClient.get_conf_url("login", apiClient.host) == gateway.geturl())
print("API URL is the gateway:", apiClient.get_conf_url("api", apiClient.host) == gateway.geturl())
users = PureCloudPlatformClientV2.SCIMApi(apiClient).get_scim_v2_users(count=1)
print("Users through the gateway:", users.total_results)

gateway_configuration = PureCloudPlatformClientV2.GatewayConfiguration()
gateway_configuration.host = gateway.hostname
gateway_configuration.protocol = gateway.scheme
gateway_configuration.port = gateway.port
gateway_configuration.path_params_login = ""
gateway_configuration.path_params_api = ""
PureCloudPlatformClientV2.configuration.gateway_configuration = gateway_configuration

default_client = PureCloudPlatformClientV2.ApiClient().get_client_credentials_token(
    os.environ["GENESYS_CLOUD_CLIENT_ID"], os.environ["GENESYS_CLOUD_CLIENT_SECRET"])
groups = PureCloudPlatformClientV2.SCIMApi(default_client).get_scim_v2_groups(filter='displayName eq "Managers"')
print("Groups through the default gateway:", [g.display_name for g in groups.resources])
